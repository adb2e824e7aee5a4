// Retention: personal data of requests whose last date ended more than the retention period ago goes;
// the anonymous facts stay. Runs against a fresh in-memory database with the real migrations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { audit } from '../../src/audit/log.js';
import { runRetention, retentionCutoff } from '../../src/ops/retention.js';
import { scrubAuditDetails } from '../../src/privacy/anonymize.js';

let t: TestApp;
beforeEach(async () => {
  // 2026-11-23 10:00 in Berlin; with 6 months the cutoff is 2026-05-23 00:00 Berlin.
  t = await makeTestApp({ now: '2026-11-23T10:00:00+01:00' });
});
afterEach(() => t.close());

async function requestRow(id: number) {
  return t.ctx.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function mailTo(requestId: number | null, to: string) {
  await t.ctx.db
    .insertInto('outbox')
    .values({
      created_at: 0,
      to_address: to,
      language: 'de',
      kind: 'request.received',
      subject: 'Ihre Anfrage',
      text_body: 'Hallo Erika',
      html_body: '<p>Hallo Erika</p>',
      attachments: '[]',
      status: 'sent',
      attempts: 1,
      next_attempt_at: 0,
      last_error: null,
      sent_at: 1,
      request_id: requestId,
    })
    .execute();
}

describe('retention cutoff', () => {
  it('is local midnight of today minus the retention months in the house zone', () => {
    const cutoff = retentionCutoff(new Date('2026-11-23T10:00:00+01:00'), 'Europe/Berlin', 6);
    expect(new Date(cutoff).toISOString()).toBe('2026-05-22T22:00:00.000Z');
  });
});

describe('the retention run', () => {
  it('keeps a request whose last date ended just inside the retention period', async () => {
    const room = await aRoom(t.ctx.db);
    const kept = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-05-23', start: '10:00', end: '12:00', email: 'kept@example.org' });
    const result = await runRetention(t.ctx.db, t.clock);
    expect(result.anonymized).toBe(0);
    const row = await requestRow(kept.requestId);
    expect(row.anonymized_at).toBeNull();
    expect(row.email).toBe('kept@example.org');
    expect(row.contact_name).toBe('Erika Mustermann');
  });

  it('keeps a series while one of its dates ended inside the period, even if the first is long past', async () => {
    const old = await aBooking(t.ctx.db, { date: '2026-01-10', email: 'series@example.org' });
    const recent = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', old.bookingId).executeTakeFirstOrThrow();
    // A second date of the same request, in October.
    await t.ctx.db
      .insertInto('bookings')
      .values({
        ...recent,
        id: undefined,
        local_date: '2026-10-10',
        start_at: recent.start_at + 273 * 86_400_000,
        end_at: recent.end_at + 273 * 86_400_000,
      })
      .execute();
    expect((await runRetention(t.ctx.db, t.clock)).anonymized).toBe(0);
    expect((await requestRow(old.requestId)).email).toBe('series@example.org');
  });

  it('anonymises a request whose last date ended before the period and keeps the facts for statistics', async () => {
    const room = await aRoom(t.ctx.db, { capacity: 40 });
    const old = await aBooking(t.ctx.db, {
      roomId: room.id,
      date: '2026-05-22',
      start: '18:00',
      end: '20:00',
      email: 'Erika@Example.org',
      contactName: 'Erika Mustermann',
      organisation: 'Verein Geheim e. V.',
      phone: '0301234567',
      title: 'Geburtstag von Erika',
      category: 'celebration',
      attendees: 35,
      publicTitle: 'Erikas Feier',
      showPublicTitle: true,
    });
    await t.ctx.db.updateTable('requests').set({ notes: 'Bitte Klavier stimmen, Tel. privat 0171' }).where('id', '=', old.requestId).execute();
    await t.ctx.db.updateTable('bookings').set({ decision_message: 'Liebe Frau Mustermann, gern!' }).where('id', '=', old.bookingId).execute();
    const before = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', old.bookingId).executeTakeFirstOrThrow();
    await mailTo(old.requestId, 'erika@example.org');
    await mailTo(null, 'ERIKA@example.org');
    const other = await aBooking(t.ctx.db, { roomId: room.id, date: '2026-12-01', email: 'other@example.org' });
    await mailTo(other.requestId, 'other@example.org');
    await audit(t.ctx.db, {
      at: 1,
      userId: 1,
      actor: 'user',
      action: 'request.approved',
      entity: 'request',
      entityId: old.requestId,
      details: { bookingIds: [old.bookingId], dates: ['2026-05-22'], message: 'Liebe Frau Mustermann, gern!' },
    });
    await audit(t.ctx.db, {
      at: 2,
      userId: 1,
      actor: 'user',
      action: 'request.changed',
      entity: 'request',
      entityId: old.requestId,
      details: { dates: ['2026-05-22'], title: 'Geburtstag von Erika' },
    });

    const result = await runRetention(t.ctx.db, t.clock);
    expect(result.anonymized).toBe(1);

    const row = await requestRow(old.requestId);
    expect(row.anonymized_at).toBe(t.clock().getTime());
    expect(row).toMatchObject({
      contact_name: '',
      organisation: null,
      email: '',
      phone: null,
      notes: '',
      title: '',
      public_title: null,
      show_public_title: 0,
      // the facts for statistics stay
      reference: old.reference,
      room_id: room.id,
      category: 'celebration',
      attendees: 35,
      first_date: '2026-05-22',
      start_time: '18:00',
      end_time: '20:00',
    });
    expect(row.token_hash).not.toBe((await requestRow(other.requestId)).token_hash);
    const booking = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', old.bookingId).executeTakeFirstOrThrow();
    expect(booking).toMatchObject({ status: before.status, start_at: before.start_at, end_at: before.end_at, room_id: room.id, decision_message: null });

    const mails = await t.ctx.db.selectFrom('outbox').select(['to_address', 'request_id']).execute();
    expect(mails).toEqual([{ to_address: 'other@example.org', request_id: other.requestId }]);

    const entries = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'request').orderBy('id').execute();
    const dump = JSON.stringify(entries);
    expect(dump).not.toContain('Mustermann');
    expect(dump).not.toContain('Geburtstag');
    expect(entries.find((e) => e.action === 'request.approved')).toMatchObject({ user_id: 1, entity_id: old.requestId });
    expect(JSON.parse(entries.find((e) => e.action === 'request.approved')!.details)).toEqual({
      bookingIds: [old.bookingId],
      dates: ['2026-05-22'],
      personalDataRemoved: true,
    });
    expect(entries.find((e) => e.action === 'privacy.retention')).toMatchObject({ actor: 'system', user_id: null });

    // The other request is untouched.
    expect((await requestRow(other.requestId)).email).toBe('other@example.org');
  });

  it('does nothing the second time', async () => {
    await aBooking(t.ctx.db, { date: '2026-01-10' });
    expect((await runRetention(t.ctx.db, t.clock)).anonymized).toBe(1);
    expect((await runRetention(t.ctx.db, t.clock)).anonymized).toBe(0);
  });

  it('follows the house setting for the retention period', async () => {
    await t.ctx.db.updateTable('settings').set({ retention_months: 12 }).execute();
    const b = await aBooking(t.ctx.db, { date: '2026-01-10' });
    expect((await runRetention(t.ctx.db, t.clock)).anonymized).toBe(0);
    t.clock.set('2027-01-12T10:00:00+01:00');
    expect((await runRetention(t.ctx.db, t.clock)).anonymized).toBe(1);
    expect((await requestRow(b.requestId)).anonymized_at).not.toBeNull();
  });
});

describe('scrubbing audit details', () => {
  it('keeps ids, dates and codes and drops free text', () => {
    expect(JSON.parse(scrubAuditDetails(JSON.stringify({ bookingIds: [1], message: 'Hallo Erika', email: 'e@x.org' })))).toEqual({
      bookingIds: [1],
      personalDataRemoved: true,
    });
    expect(JSON.parse(scrubAuditDetails('not json'))).toEqual({ personalDataRemoved: true });
    expect(scrubAuditDetails(JSON.stringify({ dates: ['2026-01-01'] }))).toBe(JSON.stringify({ dates: ['2026-01-01'] }));
  });
});
