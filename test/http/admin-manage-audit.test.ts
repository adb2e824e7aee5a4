import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { audit } from '../../src/audit/log.js';
import { AUDIT_PAGE_SIZE } from '../../src/audit/repository.js';

describe('the audit log viewer', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(() => t.close());

  it('refuses bad filter values with 400', async () => {
    const { agent } = await loginAs(t, 'admin');
    const res = await agent.get('/admin/audit?from=2026-13-01&user=robert%27);DROP');
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="from-error"');
    expect(res.text).toContain('id="user-error"');
  });

  it('refuses a date beyond the calendar with 400 next to the field', async () => {
    const { agent } = await loginAs(t, 'admin');
    const res = await agent.get('/admin/audit?to=9999-12-31');
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="to-error"');
    expect(res.text).toContain('Bitte ein Datum zwischen 1970 und 2199 angeben.');
  });

  it('lists entries newest first with who, what and readable details', async () => {
    const { agent, user } = await loginAs(t, 'admin');
    await audit(t.ctx.db, {
      at: t.clock().getTime() + 1000,
      userId: user.id,
      actor: 'user',
      action: 'room.updated',
      entity: 'room',
      entityId: 7,
      details: { capacity: { from: 20, to: 40 }, name: 'Saal A' },
    });
    const res = await agent.get('/admin/audit');
    expect(res.status).toBe(200);
    const first = res.text.indexOf('<code class="audit-code">room.updated</code>');
    const login = res.text.indexOf('<code class="audit-code">auth.login</code>');
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(login);
    expect(res.text).toContain('Plätze: 20 → 40');
    expect(res.text).not.toContain('capacity');
    expect(res.text).toContain('Name: Saal A');
    expect(res.text).toContain('href="/admin/rooms/7/edit"');
    expect(res.text).toContain(user.name);
  });

  it('names the area of each entry in words, in the column and the filter', async () => {
    const { agent, user } = await loginAs(t, 'admin');
    await audit(t.ctx.db, { at: t.clock().getTime() + 1000, userId: user.id, actor: 'user', action: 'block.created', entity: 'blocked_time', entityId: 4 });
    await audit(t.ctx.db, {
      at: t.clock().getTime() + 2000,
      userId: user.id,
      actor: 'user',
      action: 'template.deleted',
      entity: 'message_template',
      entityId: 2,
    });
    await audit(t.ctx.db, { at: t.clock().getTime() + 3000, userId: user.id, actor: 'user', action: 'room.deactivated', entity: 'room', entityId: 1 });
    const res = await agent.get('/admin/audit');
    expect(res.text).toContain('<option value="blocked_time">Sperrzeit</option>');
    expect(res.text).toContain('<option value="message_template">Textvorlage</option>');
    expect(res.text).toContain('Sperrzeit #4');
    expect(res.text).toContain('Textvorlage #2');
    expect(res.text).not.toMatch(/>blocked_time( #\d+)?</);
    expect(res.text).toContain('Raum deaktiviert');
  });

  it("tells each entry as one sentence in the reader's language, with the action's code beneath, and names actions in the filter", async () => {
    const { agent, user } = await loginAs(t, 'admin');
    await audit(t.ctx.db, { at: t.clock().getTime() + 1000, userId: user.id, actor: 'user', action: 'request.approved', entity: 'request', entityId: 3 });
    const de = await agent.get('/admin/audit');
    expect(de.text).toContain(
      `<td><p class="audit-sentence">${user.name} hat <a href="/admin/requests/3">die Anfrage #3</a> zugesagt.</p>\n      <code class="audit-code">request.approved</code></td>`,
    );
    expect(de.text).toContain('<option value="request.approved">Zugesagt</option>');
    expect(de.text).toContain(`<p class="audit-sentence">${user.name} hat sich angemeldet.</p>`);
    expect(de.text).toContain('<code class="audit-code">auth.login</code>');
    const en = await agent.get('/admin/audit?lang=en');
    expect(en.text).toContain(`<p class="audit-sentence">${user.name} approved <a href="/admin/requests/3">request #3</a>.</p>`);
    expect(en.text).toContain('<option value="auth.login">Signed in</option>');
    // One term for the staff's text templates, in the log as on the templates page.
    await audit(t.ctx.db, {
      at: t.clock().getTime() + 2000,
      userId: user.id,
      actor: 'user',
      action: 'template.created',
      entity: 'message_template',
      entityId: 1,
    });
    const templates = await agent.get('/admin/audit?lang=en');
    expect(templates.text).toContain(`<p class="audit-sentence">${user.name} added text template #1.</p>`);
    expect(templates.text).toContain('<option value="template.created">Text template added</option>');
    expect(templates.text).not.toContain('Message template');
  });

  it('filters by action, user, entity and date range, and pages', async () => {
    const { agent, user } = await loginAs(t, 'admin');
    const day = 86_400_000;
    const base = t.clock().getTime();
    for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
      await audit(t.ctx.db, { at: base + 3 * day, userId: null, actor: 'group', action: 'request.cancelled', entity: 'request', entityId: 1000 + i });
    }
    await audit(t.ctx.db, {
      at: base + 10 * day,
      userId: user.id,
      actor: 'user',
      action: 'export.bookings',
      entity: 'booking',
      details: { from: '2026-12-01', to: '2026-12-31', rows: 3 },
    });

    const byAction = await agent.get('/admin/audit?action=export.bookings');
    expect(byAction.text).toContain('Zeilen: 3');
    expect(byAction.text).toContain('Zeilen: 3');

    const byUser = await agent.get(`/admin/audit?user=${user.id}`);
    expect(byUser.text).not.toContain('<code class="audit-code">request.cancelled</code>');
    expect(byUser.text).toContain('<code class="audit-code">export.bookings</code>');

    const byGroup = await agent.get('/admin/audit?user=group&entity=request');
    expect(byGroup.text).toContain(`${AUDIT_PAGE_SIZE + 5} Einträge`);
    expect(byGroup.text).toContain('Seite 1 von 2');
    const nextHref = byGroup.text.match(/href="([^"]+)" rel="next"/)![1]!.replace(/&amp;/g, '&');
    expect(nextHref).toBe('/admin/audit?user=group&entity=request&page=2');
    const page2 = await agent.get(nextHref);
    expect(page2.text).toContain('Seite 2 von 2');
    expect((page2.text.match(/<code class="audit-code">request\.cancelled<\/code>/g) ?? []).length).toBe(5);

    const oneEntity = await agent.get('/admin/audit?entity=request&entity_id=1003');
    expect(oneEntity.text).toContain('1 Eintrag<');

    // Dates are local days of the house: the group entries are on day +3, the export on day +10.
    const d = (n: number) => new Date(base + n * day).toISOString().slice(0, 10);
    const range = await agent.get(`/admin/audit?from=${d(9)}&to=${d(11)}`);
    expect(range.text).toContain('1 Eintrag<');
  });
});
