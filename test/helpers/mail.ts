// Helpers for the mail tests: a house with contact data, notify() inside a transaction, the outbox rows.
import ICAL from 'ical.js';
import type { TestApp } from './app.js';
import { notify, type MailEvent } from '../../src/mail/notify.js';
import type { OutboxMail } from '../../src/db/schema.js';
import { parseAttachments } from '../../src/mail/outbox.js';

export const HOUSE_PHONE = '030 4445556';

export async function aHouse(t: TestApp): Promise<void> {
  await t.ctx.db
    .updateTable('settings')
    .set({
      house_name: 'Haus der Begegnung',
      contact_phone: HOUSE_PHONE,
      contact_email: 'haus@example.org',
      street: 'Lindenstraße 5',
      postal_code: '10969',
      city: 'Berlin',
    })
    .where('id', '=', 1)
    .execute();
}

/** Runs notify in a write transaction, as the flows do. */
export async function notifyNow(t: TestApp, event: MailEvent): Promise<void> {
  await t.ctx.db.transaction().execute((trx) => notify(trx, { baseUrl: t.ctx.config.baseUrl, clock: t.ctx.clock, mailKey: t.ctx.mailKey }, event));
}

export async function outbox(t: TestApp): Promise<OutboxMail[]> {
  return t.ctx.db.selectFrom('outbox').selectAll().orderBy('id').execute();
}

export async function setLanguage(t: TestApp, requestId: number, language: 'de' | 'en'): Promise<void> {
  await t.ctx.db.updateTable('requests').set({ language }).where('id', '=', requestId).execute();
}

export async function setStatus(t: TestApp, bookingIds: number[], status: 'pending' | 'approved' | 'rejected' | 'cancelled'): Promise<void> {
  await t.ctx.db.updateTable('bookings').set({ status }).where('id', 'in', bookingIds).execute();
}

/** The events of a VCALENDAR text, read by ical.js. */
export function icsEvents(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return {
    comp,
    events: comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)),
  };
}

export function icsOf(mail: OutboxMail): string {
  const a = parseAttachments(mail.attachments);
  if (a.length !== 1) throw new Error(`expected one attachment, got ${a.length}`);
  return a[0]!.content;
}
