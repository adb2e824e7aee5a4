// The house's logo (header and favicon) and floor plan (rooms list): admin only, the logo's text is the house
// name, the floor plan needs its alt text; a new one replaces the old one, whose URLs then answer 404. And
// the pictures live in the database, so a backup carries them and a restore brings them back.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import sharp from 'sharp';
import type supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupTo, restoreFrom } from '../../src/ops/backup.js';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';
import { cleanupDir, tempDir } from '../helpers/server.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

type Agent = ReturnType<typeof supertest.agent>;

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 20, g: 90, b: 160, alpha: 1 } } })
    .png()
    .toBuffer();
}

async function upload(agent: Agent, what: 'logo' | 'floor-plan', fields: Record<string, string>, file?: Buffer) {
  const page = await agent.get('/admin/settings/images');
  let req = agent.post(`/admin/settings/images/${what}`).field('_csrf', csrfFrom(page.text));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (file) req = req.attach('file', file, { filename: 'upload.png', contentType: 'image/png' });
  return req;
}

describe('logo and floor plan', () => {
  let admin: LoggedIn;
  beforeEach(async () => {
    admin = await loginAs(t, 'admin');
  });

  it('refuses the caretaker (403) and stores nothing', async () => {
    const caretaker = await loginAs(t, 'caretaker');
    expect((await caretaker.agent.get('/admin/settings/images')).status).toBe(403);
    const token = await caretaker.csrf();
    const res = await caretaker.agent
      .post('/admin/settings/images/logo')
      .field('_csrf', token)
      .attach('file', await png(400, 100), 'logo.png');
    expect(res.status).toBe(403);
    expect(await t.ctx.db.selectFrom('media').selectAll().execute()).toEqual([]);
  });

  it('shows the house name and the neutral favicon until a logo is uploaded, then the logo (alt = house name) and a PNG favicon', async () => {
    const before = await t.request.get('/');
    expect(before.text).toMatch(/<a class="brand" href="\/">Raumbuch<\/a>/);
    expect(before.text).toMatch(/<link rel="icon" href="[^"]*favicon[^"]*\.svg" type="image\/svg\+xml">/);

    expect((await upload(admin.agent, 'logo', {}, await png(800, 200))).status).toBe(303);
    const after = await t.request.get('/');
    const logo = /<img class="brand-logo" src="(\/media\/\d+-logo\.webp)" width="384" height="96" alt="Raumbuch">/.exec(after.text);
    expect(logo).not.toBeNull();
    const icon = /<link rel="icon" href="(\/media\/\d+-icon\.png)" type="image\/png">/.exec(after.text);
    expect(icon).not.toBeNull();
    const served = await t.request.get(icon![1]!);
    expect(served.headers['content-type']).toBe('image/png');
    const meta = await sharp(served.body as Buffer).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 64, height: 64 });

    // A new logo replaces the old one; the old URLs are gone.
    expect((await upload(admin.agent, 'logo', {}, await png(300, 300))).status).toBe(303);
    expect((await t.request.get(logo![1]!)).status).toBe(404);
    expect(await t.ctx.db.selectFrom('media').select('kind').execute()).toEqual([{ kind: 'logo' }]);

    const page = await admin.agent.get('/admin/settings/images');
    const del = await admin.agent
      .post('/admin/settings/images/logo/delete')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(del.status).toBe(303);
    expect((await t.request.get('/')).text).toMatch(/<a class="brand" href="\/">Raumbuch<\/a>/);
  });

  it('needs the floor plan described, keeps what was typed, then shows it on the rooms list with its alt text', async () => {
    const refused = await upload(admin.agent, 'floor-plan', { alt_de: '   ' }, await png(1600, 1000));
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/<p class="field-error" id="plan-alt_de-error">[^<]*beschreiben Sie das Bild/);
    const tooLong = await upload(admin.agent, 'floor-plan', { alt_de: `Erdgeschoss ${'x'.repeat(300)}` }, await png(1600, 1000));
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain(`value="Erdgeschoss ${'x'.repeat(300)}"`);
    expect(await t.ctx.db.selectFrom('media').selectAll().execute()).toEqual([]);

    const gif = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    const wrong = await upload(admin.agent, 'floor-plan', { alt_de: 'Erdgeschoss' }, gif);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toMatch(/<p class="field-error" id="plan-file-error">[^<]*kein JPEG-, PNG- oder WebP-Bild/);
    expect(wrong.text).toContain('value="Erdgeschoss"');

    expect((await upload(admin.agent, 'floor-plan', { alt_de: 'Erdgeschoss: links der Saal, rechts die Küche' }, await png(2000, 1250))).status).toBe(303);
    const rooms = await t.request.get('/rooms');
    expect(rooms.text).toMatch(/<section class="floor-plan"[^>]*>\s*<h2[^>]*>Grundriss des Hauses<\/h2>/);
    expect(rooms.text).toMatch(
      /<img src="\/media\/\d+-1600\.webp" srcset="[^"]+1600w" sizes="[^"]+" width="1600" height="1000" alt="Erdgeschoss: links der Saal, rechts die Küche"/,
    );
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity']).where('action', 'like', 'media.%').execute();
    expect(audit).toEqual([{ action: 'media.uploaded', entity: 'settings' }]);
  });
});

describe('backups', () => {
  it('carry the pictures, and a restore brings them back', async () => {
    const dir = tempDir('raumbuch-media-backup-');
    try {
      const admin = await loginAs(t, 'admin');
      expect((await upload(admin.agent, 'floor-plan', { alt_de: 'Erdgeschoss' }, await png(900, 600))).status).toBe(303);
      const stored = await t.ctx.db.selectFrom('media_variants').select(['media_id', 'name', 'bytes']).orderBy('name').execute();
      expect(stored.length).toBeGreaterThan(0);

      const backup = join(dir, 'backup.sqlite');
      await backupTo(t.ctx.store, backup);
      const copy = new BetterSqlite3(backup, { readonly: true });
      const inBackup = copy.prepare('SELECT media_id, name, bytes FROM media_variants ORDER BY name').all() as {
        media_id: number;
        name: string;
        bytes: Buffer;
      }[];
      const media = copy.prepare('SELECT kind, alt_de FROM media').all();
      copy.close();
      expect(media).toEqual([{ kind: 'floor_plan', alt_de: 'Erdgeschoss' }]);
      expect(inBackup.map((v) => [v.media_id, v.name, Buffer.compare(v.bytes, stored.find((s) => s.name === v.name)!.bytes)])).toEqual(
        stored.map((s) => [s.media_id, s.name, 0]),
      );

      // Restored into a new database file, a server answers the same picture at the same URL.
      const restored = join(dir, 'restored.sqlite');
      await restoreFrom(backup, restored, new Date());
      const t2 = await makeTestApp({ config: { databasePath: restored } });
      try {
        const url = `/media/${stored[0]!.media_id}-${stored[0]!.name}.webp`;
        const res = await t2.request.get(url);
        expect(res.status).toBe(200);
        expect(Buffer.compare(res.body as Buffer, stored[0]!.bytes)).toBe(0);
      } finally {
        await t2.close();
      }
    } finally {
      cleanupDir(dir);
    }
  });
});
