// The audit log's filters on a log where one area is most of the entries and another a handful (the page reads a
// dense area along the dates and a rare one through the index on actions, migration 019): both list exactly the
// area's entries, newest first, counted and paged alike. The filter's choices (actions and entities) are kept per
// database and follow new entries and removed old ones.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { audit } from '../../src/audit/log.js';
import { AUDIT_PAGE_SIZE } from '../../src/audit/repository.js';

interface Entry {
  at: number;
  action: string;
  id: number;
}

/** The entities the rows of a page name, in the order shown (each entry here names its own request). */
const shownIds = (html: string) => [...html.matchAll(/<p class="audit-sentence">[^<]*<a href="\/admin\/requests\/(\d+)">/g)].map((m) => Number(m[1]));

describe('audit log filters on a large log', () => {
  let t: TestApp;
  let admin: LoggedIn;
  const entries: Entry[] = [];
  beforeEach(async () => {
    t = await makeTestApp();
    admin = await loginAs(t, 'admin');
    entries.length = 0;
    const base = t.clock().getTime();
    // 240 entries: mostly requests, every 80th a privacy entry (3 in all: far less than a twentieth), some rooms.
    for (let i = 0; i < 240; i++) {
      const action = i % 80 === 7 ? 'privacy.erased' : i % 6 === 0 ? 'room.updated' : i % 2 ? 'request.approved' : 'booking.cancel';
      // Times out of id order: the list goes by time, newest first.
      const at = base - ((i * 7919) % 240) * 60_000;
      entries.push({ at, action, id: 5000 + i });
      await audit(t.ctx.db, { at, userId: admin.user.id, actor: 'user', action, entity: 'request', entityId: 5000 + i });
    }
  });
  afterEach(() => t.close());

  const model = (prefixes: string[]) =>
    entries
      .filter((e) => prefixes.some((p) => e.action.startsWith(p)))
      .sort((a, b) => b.at - a.at)
      .map((e) => e.id);

  it('lists a dense area and a rare one exactly, newest first, with their counts and pages', async () => {
    for (const [area, prefixes] of [
      ['requests', ['request.', 'booking.', 'attendance.']],
      ['privacy', ['privacy.', 'export.']],
      ['rooms', ['room.']],
    ] as const) {
      const want = model([...prefixes]);
      const first = await admin.agent.get(`/admin/audit?area=${area}`);
      expect(first.status).toBe(200);
      expect(first.text).toContain(`${want.length} ${want.length === 1 ? 'Eintrag' : 'Einträge'}<`);
      const shown = shownIds(first.text);
      expect(shown).toEqual(want.slice(0, AUDIT_PAGE_SIZE));
      if (want.length > AUDIT_PAGE_SIZE) {
        const second = await admin.agent.get(`/admin/audit?area=${area}&page=2`);
        expect(shownIds(second.text)).toEqual(want.slice(AUDIT_PAGE_SIZE, 2 * AUDIT_PAGE_SIZE));
      }
    }
  });

  it('lists one action and one entity newest first', async () => {
    const approved = await admin.agent.get('/admin/audit?action=request.approved');
    expect(shownIds(approved.text)).toEqual(
      entries
        .filter((e) => e.action === 'request.approved')
        .sort((a, b) => b.at - a.at)
        .slice(0, AUDIT_PAGE_SIZE)
        .map((e) => e.id),
    );
    const byEntity = await admin.agent.get('/admin/audit?entity=request&page=3');
    expect(shownIds(byEntity.text)).toEqual(
      [...entries]
        .sort((a, b) => b.at - a.at)
        .slice(2 * AUDIT_PAGE_SIZE, 3 * AUDIT_PAGE_SIZE)
        .map((e) => e.id),
    );
  });

  it('offers the actions and entities the log holds, also ones written after the page was first shown', async () => {
    const options = async (name: string) => {
      const html = (await admin.agent.get('/admin/audit')).text;
      const select = html.match(new RegExp(`<select id="${name}"[\\s\\S]*?</select>`))![0];
      return [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter(Boolean);
    };
    expect(await options('entity')).toContain('request');
    expect(await options('entity')).not.toContain('outbox');
    expect(await options('action')).not.toContain('outbox.resend');
    await audit(t.ctx.db, { at: t.clock().getTime(), userId: null, actor: 'system', action: 'outbox.resend', entity: 'outbox', entityId: 1 });
    expect(await options('entity')).toContain('outbox');
    expect(await options('action')).toContain('outbox.resend');
    // The oldest entries removed (retention): the choices are read anew and what is gone is no longer offered.
    const outbox = await t.ctx.db.selectFrom('audit_log').select('id').where('entity', '=', 'outbox').executeTakeFirstOrThrow();
    await t.ctx.db.deleteFrom('audit_log').where('id', '<', outbox.id).execute();
    expect(await options('entity')).not.toContain('request');
    expect(await options('action')).not.toContain('room.updated');
  });
});
