// Manage links at rest: neither the database file nor a backup holds a working manage link, before or after
// the mails went out; the link reaches the group all the same, also after a restart with the same key file.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import pino from 'pino';
import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/login.js';
import { aRoom } from '../helpers/factories.js';
import { aHouse, outbox } from '../helpers/mail.js';
import { formAgent, tokenFrom, validFields } from '../helpers/request-form.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { cleanupDir, tempDir } from '../helpers/server.js';
import { startMailWorker } from '../../src/mail/worker.js';
import { backupBeforeMigration, backupTo } from '../../src/ops/backup.js';
import { testConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { bootstrap } from '../../src/bootstrap.js';
import { migrations } from '../../db/migrations/index.js';
import { MailKeyError } from '../../src/mail/secrets.js';
import { newManageToken } from '../../src/bookings/reference.js';

/** Every text of every row of every table of the SQLite file at `file`, and the file's raw bytes (with its -wal). */
function everythingIn(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  const out: string[] = [];
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    for (const { name } of tables) out.push(JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all()));
  } finally {
    db.close();
  }
  for (const f of [file, `${file}-wal`]) if (existsSync(f)) out.push(readFileSync(f).toString('latin1'));
  return out.join('\n');
}

describe('manage links at rest', () => {
  let dir: string;
  let smtp: TestSmtp;
  let t: TestApp;
  let dbFile: string;
  let keyFile: string;

  async function open(opts: { smtp: boolean }): Promise<TestApp> {
    return makeTestApp({ config: { databasePath: dbFile, mailKeyFile: keyFile, smtpUrl: opts.smtp ? smtp.url : undefined } });
  }

  beforeEach(async () => {
    dir = tempDir('raumbuch-secrets-');
    dbFile = join(dir, 'raumbuch.sqlite');
    keyFile = join(dir, 'raumbuch.sqlite.key');
    smtp = await startSmtp();
    t = await open({ smtp: true });
    await aHouse(t);
    await aRoom(t.ctx.db, { slug: 'saal', name: 'Saal', capacity: 40 });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
    cleanupDir(dir);
  });

  async function sendRequests(): Promise<string[]> {
    const single = await formAgent(t).post('/requests', validFields('saal'));
    const series = await formAgent(t).post(
      '/requests',
      validFields('saal', {
        date: '2026-12-02',
        repeat: 'weekly',
        everyWeeks: '1',
        lastDate: '2027-01-27',
        email: 'serie@example.org',
      }),
    );
    return [tokenFrom(single), tokenFrom(series)];
  }

  function expectNoToken(text: string, tokens: string[]): void {
    for (const token of tokens) {
      expect(text.includes(token)).toBe(false);
      // Nor in the encodings a mail body or a JSON column could give it.
      expect(text.includes(encodeURIComponent(token))).toBe(false);
      expect(text.includes(Buffer.from(token).toString('base64'))).toBe(false);
    }
  }

  it('keeps every manage link out of the database and its backup, before and after the mails are sent, while the group receives a working link', async () => {
    const tokens = await sendRequests();
    expect(await outbox(t)).toHaveLength(4);

    // Waiting in the outbox: the database and a backup hold no token.
    await backupTo(t.ctx.store, join(dir, 'before.sqlite'));
    expectNoToken(everythingIn(dbFile), tokens);
    expectNoToken(everythingIn(join(dir, 'before.sqlite')), tokens);

    const w = startMailWorker(t.ctx, { background: false });
    expect(await w.runOnce()).toBe(4);
    await w.stop();

    // The mails as received carry the full link, and it works.
    for (const [to, token] of [
      ['erika@example.org', tokens[0]],
      ['serie@example.org', tokens[1]],
    ] as const) {
      const mail = smtp.received.find((r) => r.to.includes(to))!;
      expect(mail.parsed.text).toContain(`${t.ctx.config.baseUrl}/requests/${token}`);
      expect(mail.parsed.html).toContain(`href="${t.ctx.config.baseUrl}/requests/${token}"`);
      expect((await t.request.get(`/requests/${token}`)).status).toBe(200);
    }

    // Sent: not even the encrypted token is kept.
    const rows = await outbox(t);
    expect(rows.every((m) => m.status === 'sent' && m.secret === null)).toBe(true);
    await backupTo(t.ctx.store, join(dir, 'after.sqlite'));
    expectNoToken(everythingIn(dbFile), tokens);
    expectNoToken(everythingIn(join(dir, 'after.sqlite')), tokens);

    // The person's data export shows the mail with "…" where the link went, not a placeholder.
    const admin = await loginAs(t, 'admin');
    const doc = (await admin.agent.get('/admin/data/export?email=erika@example.org')).text;
    expect(doc).toContain('requests/…');
    expect(doc).not.toContain('{manage-token}');
  });

  it('creates the key file with mode 0600 beside the database, and an undelivered mail is sent with its link after a restart', async () => {
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const [token] = await sendRequests();
    await t.close();

    t = await open({ smtp: true });
    const w = startMailWorker(t.ctx, { background: false });
    await w.runOnce();
    await w.stop();
    const mail = smtp.received.find((r) => r.to.includes('erika@example.org'))!;
    expect(mail.parsed.text).toContain(`/requests/${token}`);
  });

  it('with the key file lost, the waiting confirmation is given up with a clear error instead of going out without its link', async () => {
    await sendRequests();
    await t.close();
    cleanupDir(keyFile);

    const logged: string[] = [];
    const logger = pino(
      { level: 'info', base: undefined },
      new Writable({
        write(c, _e, cb) {
          logged.push(String(c));
          cb();
        },
      }),
    );
    t = await makeTestApp({ config: { databasePath: dbFile, mailKeyFile: keyFile, smtpUrl: smtp.url }, logger });
    // Said at start, before any mail is tried.
    expect(logged.join('')).toMatch(/"mails":2.*MAIL_KEY_FILE lost or replaced/);
    const w = startMailWorker(t.ctx, { background: false });
    await w.runOnce();
    await w.stop();
    expect(smtp.received.some((r) => r.to.includes('erika@example.org'))).toBe(false);
    const group = (await outbox(t)).find((m) => m.to_address === 'erika@example.org')!;
    expect(group.status).toBe('failed');
    expect(group.last_error).toMatch(/MAIL_KEY_FILE/);
    // The staff notices need no key and go out.
    expect(smtp.received.some((r) => r.to.includes('admin@example.org'))).toBe(true);
  });

  it('refuses to start with a key file that holds no key, naming the file', async () => {
    writeFileSync(join(dir, 'bad.key'), 'not a key\n');
    expect(() => createContext(testConfig({ databasePath: join(dir, 'other.sqlite'), mailKeyFile: join(dir, 'bad.key') }))).toThrow(MailKeyError);
    expect(() => createContext(testConfig({ databasePath: join(dir, 'other.sqlite'), mailKeyFile: join(dir, 'bad.key') }))).toThrow(/bad\.key/);
  });

  it('an existing database loses the plain links of its stored mails when it is migrated and started', async () => {
    const old = join(dir, 'old.sqlite');
    const ctx = createContext(testConfig({ databasePath: old, mailKeyFile: join(dir, 'old.key') }));
    // The database as the version before this one left it, with a sent and a waiting confirmation holding links.
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '2026_12_01_003_mail_secrets'));
    const { error } = await new Migrator({ db: ctx.db, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(error).toBeUndefined();
    const filler = '<p>Bitte beachten Sie die Hausordnung des Hauses der Begegnung.</p>\n'.repeat(100);
    const sentToken = newManageToken().token;
    const waitingToken = newManageToken().token;
    for (const [token, status] of [
      [sentToken, 'sent'],
      [waitingToken, 'pending'],
    ] as const) {
      await ctx.db
        .insertInto('outbox')
        .values({
          created_at: 1,
          to_address: 'erika@example.org',
          language: 'de',
          kind: 'request.received',
          subject: 'x',
          // Real mails are kilobytes long: their bodies sit in overflow pages, which an overwrite frees (and must wipe).
          text_body: `Link:\nhttp://localhost:3000/requests/${token}\n${filler}`,
          html_body: `<a href="http://localhost:3000/requests/${token}">x</a>${filler}`,
          attachments: '[]',
          status,
          attempts: 0,
          next_attempt_at: 1,
          last_error: null,
          sent_at: null,
          request_id: null,
        })
        .execute();
    }
    // What the server does before migrating: a copy for going back. Sent mails lose their links in it; a waiting
    // one keeps its link there, so the old version could still send it (README: delete that copy after the update).
    const copy = await backupBeforeMigration(ctx.store, old, join(dir, 'backups'), new Date());
    expectNoToken(everythingIn(copy), [sentToken]);
    expect(everythingIn(copy)).toContain(waitingToken);
    await bootstrap(ctx);
    await ctx.destroy();
    expectNoToken(everythingIn(old), [sentToken, waitingToken]);

    // The waiting one still goes out with its link.
    await t.close();
    t = await makeTestApp({ config: { databasePath: old, mailKeyFile: join(dir, 'old.key'), smtpUrl: smtp.url } });
    const w = startMailWorker(t.ctx, { background: false });
    await w.runOnce();
    await w.stop();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.parsed.text).toContain(`/requests/${waitingToken}`);
  });
});
