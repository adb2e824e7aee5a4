// A database that cannot be written (disk full, read-only): /healthz says so, people sending forms get a
// clear "cannot take requests right now" page with what they typed, nothing stored is lost, and it recovers
// by itself when writing works again. Full is the real SQLite error (max_page_count at the current size).
import { sql } from 'kysely';
import { PROBE_OK_FOR_MS } from '../../src/ops/health.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { aBooking, aRoom } from '../helpers/factories.js';
import { formAgent, inputValue, tokenFrom, validFields } from '../helpers/request-form.js';
import { loginAs } from '../helpers/login.js';
import { csrfFrom } from '../helpers/app.js';
import { createUser } from '../../src/auth/users.js';
import { sqliteHandleForTests } from '../../src/db/database.js';

describe('when the database cannot be written', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await aRoom(t.ctx.db, { slug: 'gruppenraum', name: 'Gruppenraum', capacity: 20 });
  });
  afterEach(() => t.close());

  /** The disk is full: no page can be added to the database any more (SQLITE_FULL on the next growth). */
  function fillDisk() {
    sqliteHandleForTests(t.ctx).exec('VACUUM');
    const pages = Number(sqliteHandleForTests(t.ctx).pragma('page_count', { simple: true }));
    sqliteHandleForTests(t.ctx).pragma(`max_page_count = ${pages}`);
  }
  function freeDisk() {
    sqliteHandleForTests(t.ctx).pragma('max_page_count = 1073741823');
  }

  const count = async (table: 'requests' | 'bookings') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('reports a full disk on /healthz with 503, and ok again once there is space', async () => {
    expect((await t.request.get('/healthz')).body).toMatchObject({ status: 'ok', storage: 'ok' });
    fillDisk();
    // A successful write probe stands for a few seconds (monitors polling often must not queue behind bookings).
    expect((await t.request.get('/healthz')).status).toBe(200);
    t.clock.advance(PROBE_OK_FOR_MS);
    const full = await t.request.get('/healthz');
    expect(full.status).toBe(503);
    expect(full.body).toMatchObject({ status: 'error', storage: 'full' });
    freeDisk();
    const back = await t.request.get('/healthz');
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'ok', storage: 'ok' });
  });

  it('reports a read-only database on /healthz with 503', async () => {
    sqliteHandleForTests(t.ctx).pragma('query_only = ON');
    t.clock.advance(PROBE_OK_FOR_MS);
    const res = await t.request.get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', storage: 'readonly' });
    sqliteHandleForTests(t.ctx).pragma('query_only = OFF');
    expect((await t.request.get('/healthz')).status).toBe(200);
  });

  it('gives a group its form back with what it typed and says the house cannot take requests now; then recovers', async () => {
    const before = await formAgent(t).post('/requests', validFields('gruppenraum', { date: '2026-12-08', title: 'Schon da' }));
    expect(before.status).toBe(303);
    const stored = JSON.stringify(await t.ctx.db.selectFrom('bookings').selectAll().execute());

    fillDisk();
    const f = formAgent(t);
    const typed = validFields('gruppenraum', { title: 'Elterncafé', notes: 'Bitte Stühle im Kreis' });
    const res = await f.post('/requests', typed);
    expect(res.status).toBe(503);
    expect(res.text).toContain('Das Haus kann gerade keine Anfragen annehmen');
    expect(res.text).not.toContain('Formular abgelaufen');
    expect(inputValue(res.text, 'title')).toBe('Elterncafé');
    expect(inputValue(res.text, 'email')).toBe(typed.email);
    expect(res.text).toContain('Bitte Stühle im Kreis</textarea>');

    const en = await f.post('/requests', typed, { lang: 'en' });
    expect(en.status).toBe(503);
    expect(en.text).toContain('The house cannot take requests right now');

    // Nothing stored before is lost or changed; nothing half-written is left.
    expect(await count('requests')).toBe(1);
    expect(JSON.stringify(await t.ctx.db.selectFrom('bookings').selectAll().execute())).toBe(stored);

    freeDisk();
    const again = await f.post('/requests', typed);
    expect(again.status).toBe(303);
    tokenFrom(again);
    expect(await count('requests')).toBe(2);
    expect((await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(t.ctx.db)).rows[0]!.integrity_check).toBe('ok');
  });

  it('answers a staff decision on a read-only database with a 503 page worded for any form, not a server error, and changes nothing', async () => {
    const staff = await loginAs(t, 'caretaker');
    const a = await aBooking(t.ctx.db, { status: 'pending' });
    const token = await staff.csrf('/admin');
    const other = await loginAs(t, 'caretaker');
    const otherToken = await other.csrf('/admin');
    // SQLITE_READONLY (a database file or folder that lost its write permission).
    sqliteHandleForTests(t.ctx).pragma('query_only = ON');
    const res = await staff.agent.post(`/admin/requests/${a.requestId}/approve`).type('form').send({ _csrf: token, message: 'Gern' });
    expect(res.status).toBe(503);
    // Staff are not sending a request: no "Das Haus kann gerade keine Anfragen annehmen" here.
    expect(res.text).toContain('Raumbuch kann gerade nichts speichern');
    expect(res.text).not.toContain('keine Anfragen annehmen');
    // The same person trying again gets the same page (a session that cannot be prolonged is no reason to fail).
    const again = await staff.agent.post(`/admin/requests/${a.requestId}/approve`).type('form').send({ _csrf: token, message: 'Gern' });
    expect(again.status).toBe(503);
    const en = await other.agent.post(`/admin/requests/${a.requestId}/approve?lang=en`).type('form').send({ _csrf: otherToken, message: 'Gern' });
    expect(en.status).toBe(503);
    expect(en.text).toContain('Raumbuch cannot save anything right now');
    expect(en.text).not.toContain('cannot take requests');
    expect((await t.ctx.db.selectFrom('bookings').select('status').where('id', '=', a.bookingId).executeTakeFirstOrThrow()).status).toBe('pending');
    sqliteHandleForTests(t.ctx).pragma('query_only = OFF');
    const ok = await staff.agent
      .post(`/admin/requests/${a.requestId}/approve`)
      .type('form')
      .send({ _csrf: await staff.csrf('/admin'), message: 'Gern' });
    expect(ok.status).toBe(303);
  });

  it('answers a login on a read-only database with the wording for any form, not the request wording', async () => {
    await createUser(t.ctx.db, { email: 'buero@example.org', name: 'Büro', role: 'caretaker', password: 'ein-langes-passwort-1' }, t.clock().getTime());
    const page = await t.request.get('/login');
    const cookie = page.headers['set-cookie']!;
    sqliteHandleForTests(t.ctx).pragma('query_only = ON');
    const res = await t.request
      .post('/login')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'buero@example.org', password: 'ein-langes-passwort-1' });
    expect(res.status).toBe(503);
    expect(res.text).toContain('Raumbuch kann gerade nichts speichern');
    expect(res.text).toContain('Was Sie gerade gesendet haben, wurde nicht gespeichert');
    expect(res.text).not.toContain('keine Anfragen annehmen');
    sqliteHandleForTests(t.ctx).pragma('query_only = OFF');
  });
});
