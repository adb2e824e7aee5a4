// Room photos: what an upload must never do (wrong types, oversized files, path-like names, polyglots, missing
// alt text, no CSRF token, the wrong role), and what a good one gives: re-encoded WebP served by id, shown with
// the admin's alt text on the public pages, ordered, removable (its URLs then answer 404), in the audit log.
import sharp from 'sharp';
import type supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, makeTestApp, type TestApp } from '../helpers/app.js';
import { aRoom } from '../helpers/factories.js';
import { loginAs, type LoggedIn } from '../helpers/login.js';

let t: TestApp;
let room: { id: number; slug: string; name: string };

beforeEach(async () => {
  t = await makeTestApp();
  room = await aRoom(t.ctx.db, { name: 'Großer Saal', slug: 'grosser-saal' });
});
afterEach(() => t.close());

/** A real photo: 1200 × 900 pixels, stored rotated (EXIF orientation 6 = turn 90° clockwise to show it upright). */
async function aJpeg(opts: { width?: number; height?: number; orientation?: number } = {}): Promise<Buffer> {
  let img = sharp({ create: { width: opts.width ?? 1200, height: opts.height ?? 900, channels: 3, background: '#3a7' } }).jpeg();
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  return img.toBuffer();
}

type Agent = ReturnType<typeof supertest.agent>;

interface Upload {
  csrf?: string | null;
  alt_de?: string;
  file?: { bytes: Buffer; name: string; type?: string };
}

async function uploadPhoto(agent: Agent, roomId: number, u: Upload): Promise<supertest.Response> {
  const page = await agent.get(`/admin/rooms/${roomId}/photos`);
  let req = agent.post(`/admin/rooms/${roomId}/photos`);
  if (u.csrf !== null) req = req.field('_csrf', u.csrf ?? csrfFrom(page.text));
  req = req.field('alt_de', u.alt_de ?? '');
  if (u.file) req = req.attach('file', u.file.bytes, { filename: u.file.name, contentType: u.file.type ?? 'image/jpeg' });
  return req;
}

async function photoRows() {
  return t.ctx.db.selectFrom('media').selectAll().where('room_id', '=', room.id).orderBy('position').execute();
}

function mediaUrls(html: string): string[] {
  return [...html.matchAll(/\/media\/[^"\s,]+/g)].map((m) => m[0]);
}

/** The error text shown next to a field of the upload form. */
function fieldError(html: string, id: string): string {
  const m = new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(html);
  return m ? m[1]! : '';
}

describe('refused uploads', () => {
  let staff: LoggedIn;
  beforeEach(async () => {
    staff = await loginAs(t, 'caretaker');
  });

  it('refuses a text file named .jpg, next to the file field, keeping the typed alt texts', async () => {
    const res = await uploadPhoto(staff.agent, room.id, {
      alt_de: 'Saal mit Bühne & <Fenstern>',
      file: { bytes: Buffer.from('just some text, not a picture\n'), name: 'photo.jpg' },
    });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'file')).toContain('nicht als Bild lesen');
    expect(res.text).toContain('value="Saal mit Bühne &amp; &lt;Fenstern&gt;"');
    expect(await photoRows()).toHaveLength(0);
  });

  it('refuses a GIF and an SVG with a script, whatever type and name they claim', async () => {
    const gif = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#f00' } })
      .gif()
      .toBuffer();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><script>alert(1)</script><rect width="200" height="200"/></svg>');
    for (const file of [
      { bytes: gif, name: 'anim.jpg', type: 'image/jpeg' },
      { bytes: svg, name: 'logo.png', type: 'image/png' },
      { bytes: svg, name: 'logo.svg', type: 'image/svg+xml' },
    ]) {
      const res = await uploadPhoto(staff.agent, room.id, { alt_de: 'Ein Bild', file });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, 'file')).toContain('kein JPEG-, PNG- oder WebP-Bild');
    }
    expect(await photoRows()).toHaveLength(0);
  });

  it('refuses a file over 10 MB with a message on the form (413), not an error page or a hung request', async () => {
    const res = await uploadPhoto(staff.agent, room.id, {
      alt_de: 'Zu groß',
      file: { bytes: Buffer.alloc(10 * 1024 * 1024 + 1, 0xff), name: 'big.jpg' },
    });
    expect(res.status).toBe(413);
    expect(fieldError(res.text, 'file')).toContain('größer als 10 MB');
    expect(res.text).toContain('value="Zu groß"');
    expect(await photoRows()).toHaveLength(0);
  });

  it('refuses a picture whose pixel count would be a decompression bomb', async () => {
    // 10 000 × 6 000 = 60 megapixels of one colour: a few hundred kilobytes as PNG, 240 MB decoded.
    const bomb = await sharp({ create: { width: 10000, height: 6000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const res = await uploadPhoto(staff.agent, room.id, { alt_de: 'Bombe', file: { bytes: bomb, name: 'bomb.png', type: 'image/png' } });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'file')).toContain('50 Megapixel');
  });

  it('refuses a photo without alt text in the house language, keeping what was typed', async () => {
    const res = await uploadPhoto(staff.agent, room.id, { alt_de: '   ', file: { bytes: await aJpeg(), name: 'a.jpg' } });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'alt_de')).toContain('beschreiben Sie das Bild');
    const long = await uploadPhoto(staff.agent, room.id, { alt_de: `Saal ${'y'.repeat(300)}`, file: { bytes: await aJpeg(), name: 'a.jpg' } });
    expect(long.status).toBe(400);
    expect(long.text).toContain(`value="Saal ${'y'.repeat(300)}"`);
    // The good file is not kept by the browser: the form says to choose it again, next to the file field.
    expect(res.text).toMatch(/<p class="notice" id="file-again">[^<]*noch einmal aus/);
    expect(await photoRows()).toHaveLength(0);
  });

  it('says so in English on an English page', async () => {
    await staff.agent.get('/admin?lang=en');
    const res = await uploadPhoto(staff.agent, room.id, { alt_de: 'Saal', file: { bytes: Buffer.from('GIF89a nonsense'), name: 'x.jpg' } });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'file')).toContain('cannot be read as a picture');
  });

  it('asks for a file when none was chosen', async () => {
    const res = await uploadPhoto(staff.agent, room.id, { alt_de: 'Saal' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'file')).toContain('wählen Sie eine Bilddatei');
  });

  it('refuses an upload without a CSRF token (403) and stores nothing', async () => {
    const res = await uploadPhoto(staff.agent, room.id, { csrf: null, alt_de: 'Saal', file: { bytes: await aJpeg(), name: 'a.jpg' } });
    expect(res.status).toBe(403);
    const forged = await uploadPhoto(staff.agent, room.id, { csrf: 'forged-token', alt_de: 'Saal', file: { bytes: await aJpeg(), name: 'a.jpg' } });
    expect(forged.status).toBe(403);
    expect(await photoRows()).toHaveLength(0);
  });

  it('refuses an upload from someone not logged in, and a second file in the same form', async () => {
    const visitor = (await import('supertest')).default.agent(t.app);
    const page = await visitor.get('/requests/new');
    const anon = await visitor
      .post(`/admin/rooms/${room.id}/photos`)
      .field('_csrf', csrfFrom(page.text))
      .field('alt_de', 'Saal')
      .attach('file', await aJpeg(), 'a.jpg');
    expect(anon.status).toBe(403);
    const page2 = await staff.agent.get(`/admin/rooms/${room.id}/photos`);
    const two = await staff.agent
      .post(`/admin/rooms/${room.id}/photos`)
      .field('_csrf', csrfFrom(page2.text))
      .field('alt_de', 'Saal')
      .attach('file', await aJpeg(), 'a.jpg')
      .attach('file', await aJpeg(), 'b.jpg');
    expect(two.status).toBe(400);
    expect(fieldError(two.text, 'file')).toContain('genau eine Datei');
    expect(await photoRows()).toHaveLength(0);
  });
});

describe('a good upload', () => {
  let staff: LoggedIn;
  beforeEach(async () => {
    staff = await loginAs(t, 'caretaker');
  });

  it('turns the photo upright, strips its metadata and serves WebP by id with nosniff, an immutable cache and an ETag', async () => {
    const res = await uploadPhoto(staff.agent, room.id, {
      alt_de: 'Der Saal von der Bühne aus',
      file: { bytes: await aJpeg({ orientation: 6 }), name: 'IMG_0001.JPG' },
    });
    expect(res.status).toBe(303);
    const [row] = await photoRows();
    expect(row).toMatchObject({ width: 900, height: 1200, alt_de: 'Der Saal von der Bühne aus' });
    const served = await t.request
      .get(`/media/${row!.id}-800.webp`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toContain('immutable');
    const meta = await sharp(served.body as Buffer).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 800, height: 1067 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation ?? 1).toBe(1);
    const again = await t.request.get(`/media/${row!.id}-800.webp`).set('If-None-Match', served.headers.etag as string);
    expect(again.status).toBe(304);
  });

  it('never uses the file name: path-like names and NUL bytes are just ignored', async () => {
    for (const name of ['../../etc/passwd.jpg', '..\\..\\windows\\win.ini.jpg', 'a/b/c.jpg', '/tmp/x.php.jpg']) {
      const res = await uploadPhoto(staff.agent, room.id, { alt_de: 'Saal', file: { bytes: await aJpeg(), name } });
      expect([name, res.status]).toEqual([name, 303]);
    }
    // A NUL byte in a part's header is a malformed form (browsers never send one): refused on the form, not a crash.
    const nul = await uploadPhoto(staff.agent, room.id, { alt_de: 'Saal', file: { bytes: await aJpeg(), name: 'evil\u0000.php.jpg' } });
    expect(nul.status).toBe(400);
    expect(fieldError(nul.text, 'file')).toContain('unvollständig');
    expect(await photoRows()).toHaveLength(4);
    const page = await staff.agent.get(`/admin/rooms/${room.id}/photos`);
    expect(page.text).not.toMatch(/passwd|win\.ini|evil|\.php/);
    const urls = mediaUrls(page.text);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/^\/media\/\d+-(320|800|1600)\.webp$/);
    const stored = await t.ctx.db.selectFrom('media_variants').select('bytes').execute();
    for (const s of stored) expect(s.bytes.toString('latin1')).not.toMatch(/passwd|evil/);
    // A path someone chose never reaches the store.
    for (const probe of ['/media/..%2F..%2Fetc%2Fpasswd', '/media/1-800.webp%00.html', '/media/../package.json', '/media/1-999.webp', '/media/1-800.png']) {
      expect((await t.request.get(probe)).status).toBe(404);
    }
  });

  it('a polyglot (a JPEG with a script appended and an HTML comment inside) is served as our WebP, with no trace of the payload', async () => {
    const jpeg = await aJpeg();
    const html = Buffer.from('<html><body><script>alert("polyglot")</script></body></html>');
    // A JPEG comment (COM, FF FE) right after the start marker: the file's first bytes read as HTML too.
    const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, html.length + 2]), html]);
    const polyglot = Buffer.concat([jpeg.subarray(0, 2), com, jpeg.subarray(2), html]);
    expect((await sharp(polyglot).metadata()).format).toBe('jpeg');
    const res = await uploadPhoto(staff.agent, room.id, { alt_de: 'Saal', file: { bytes: polyglot, name: 'poly.html', type: 'text/html' } });
    expect(res.status).toBe(303);
    const [row] = await photoRows();
    for (const size of ['320', '800', '1600']) {
      const served = await t.request
        .get(`/media/${row!.id}-${size}.webp`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(served.headers['content-type']).toBe('image/webp');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      const bytes = served.body as Buffer;
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
      expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
      expect(bytes.toString('latin1')).not.toMatch(/script|polyglot|<html/i);
    }
  });

  it('shows the photos on the public room page with srcset, size and the alt text in the page language', async () => {
    await uploadPhoto(staff.agent, room.id, { alt_de: 'Der Saal mit Bühne', file: { bytes: await aJpeg(), name: 'a.jpg' } });
    await uploadPhoto(staff.agent, room.id, { alt_de: 'Die Küche am Saal', file: { bytes: await aJpeg({ width: 600, height: 400 }), name: 'b.jpg' } });
    const [hall] = await photoRows();
    const form = `/admin/translations/media/${hall!.id}/alt/en`;
    expect((await staff.post(form, form, { translation: 'The hall with its stage' })).status).toBe(303);
    const de = await t.request.get(`/rooms/${room.slug}`);
    expect(de.text).toMatch(
      /<img src="\/media\/\d+-800\.webp" srcset="\/media\/\d+-320\.webp 320w, \/media\/\d+-800\.webp 800w, \/media\/\d+-1600\.webp 1200w" sizes="[^"]+" width="800" height="600" alt="Der Saal mit Bühne"/,
    );
    // A smaller picture is not enlarged: its largest size is its own width.
    expect(de.text).toMatch(
      /srcset="\/media\/\d+-320\.webp 320w, \/media\/\d+-800\.webp 600w" sizes="[^"]+" width="600" height="400" alt="Die Küche am Saal" loading="lazy"/,
    );
    const en = await t.request.get(`/rooms/${room.slug}?lang=en`);
    expect(en.text).toContain('alt="The hall with its stage"');
    // No English text: the German one, marked as German.
    expect(en.text).toContain('alt="Die Küche am Saal" lang="de"');
    // The rooms list shows the first photo as the room's thumbnail.
    const list = await t.request.get('/rooms');
    expect(list.text).toMatch(/class="card-thumb" src="\/media\/\d+-320\.webp" width="320" height="240" alt="Der Saal mit Bühne"/);
  });

  it('reorders photos (the first is the thumbnail), edits alt texts and removes a photo, whose URLs then answer 404', async () => {
    await uploadPhoto(staff.agent, room.id, { alt_de: 'Erstes', file: { bytes: await aJpeg(), name: 'a.jpg' } });
    await uploadPhoto(staff.agent, room.id, { alt_de: 'Zweites', file: { bytes: await aJpeg(), name: 'b.jpg' } });
    const [first, second] = await photoRows();
    const base = `/admin/rooms/${room.id}/photos`;
    expect((await staff.post(`${base}/${second!.id}/move`, base, { direction: 'up' })).status).toBe(303);
    expect((await photoRows()).map((r) => r.alt_de)).toEqual(['Zweites', 'Erstes']);
    expect((await t.request.get('/rooms')).text).toContain('alt="Zweites"');

    const refused = await staff.post(`${base}/${first!.id}/alt`, base, { alt_de: '' });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.text, `photo-${first!.id}-alt_de`)).toContain('beschreiben Sie das Bild');
    const tooLong = await staff.post(`${base}/${first!.id}/alt`, base, { alt_de: `kept ${'z'.repeat(300)}` });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain(`value="kept ${'z'.repeat(300)}"`);
    expect((await staff.post(`${base}/${first!.id}/alt`, base, { alt_de: 'Erstes, neu beschrieben' })).status).toBe(303);

    const url = `/media/${first!.id}-320.webp`;
    expect((await t.request.get(url)).status).toBe(200);
    const trForm = `/admin/translations/media/${first!.id}/alt/tr`;
    expect((await staff.post(trForm, trForm, { translation: 'Birinci' })).status).toBe(303);
    expect((await staff.post(`${base}/${first!.id}/delete`, base, {})).status).toBe(303);
    // The picture's translations go with it.
    expect(await t.ctx.db.selectFrom('house_text_translations').select('lang').where('kind', '=', 'media').where('owner_id', '=', first!.id).execute()).toEqual(
      [],
    );
    expect((await photoRows()).map((r) => r.alt_de)).toEqual(['Zweites']);
    expect((await t.request.get(url)).status).toBe(404);
    expect(await t.ctx.db.selectFrom('media_variants').select('name').where('media_id', '=', first!.id).execute()).toEqual([]);
    expect((await t.request.get(`/rooms/${room.slug}`)).text).not.toContain('Erstes');

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', 'like', 'media.%').orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'media.uploaded', entity_id: room.id },
      { action: 'media.uploaded', entity_id: room.id },
      { action: 'media.reordered', entity_id: room.id },
      { action: 'media.described', entity_id: room.id },
      { action: 'media.removed', entity_id: room.id },
    ]);
  });

  it('does not let a photo of one room be changed through another room', async () => {
    const other = await aRoom(t.ctx.db);
    await uploadPhoto(staff.agent, room.id, { alt_de: 'Saal', file: { bytes: await aJpeg(), name: 'a.jpg' } });
    const [photo] = await photoRows();
    const base = `/admin/rooms/${other.id}/photos`;
    expect((await staff.post(`${base}/${photo!.id}/delete`, base, {})).status).toBe(404);
    expect(await photoRows()).toHaveLength(1);
  });
});
