// The one secret a mail carries: the manage link of a "request received" mail. It is stored only encrypted
// (AES-256-GCM) with a key kept outside the database, so neither the database file nor a backup holds a
// working link; the worker decrypts it into the mail at the moment of sending and then removes it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/** Stands in the stored mail where the manage token goes; the worker fills it in when it sends. */
export const MANAGE_TOKEN_PLACEHOLDER = '{manage-token}';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class MailKeyError extends Error {}

/** Encrypts `plain` as `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function sealSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/** Decrypts what sealSecret wrote; throws MailKeyError when the key is not the one it was sealed with. */
export function openSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined) throw new MailKeyError('unknown secret format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url').subarray(0, TAG_BYTES));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new MailKeyError('the mail key does not open this secret (MAIL_KEY_FILE changed or lost)');
  }
}

/**
 * The mail key: read from `file`, or created there on first start (32 random bytes as base64, mode 0600,
 * created exclusively so two processes starting at once end up with the same key). Without a file
 * (an in-memory database) the key lives in memory only.
 */
export function loadMailKey(file: string | null): Buffer {
  if (!file) return randomBytes(KEY_BYTES);
  if (!existsSync(file)) {
    // Written under a private name, then linked into place: the key file appears whole or not at all, and
    // of two processes starting at once the second one's link fails and it reads the first one's key.
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const fd = openSync(temp, 'wx', 0o600);
      try {
        writeSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
      } finally {
        closeSync(fd);
      }
      linkSync(temp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new MailKeyError(`cannot create the mail key file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    } finally {
      rmSync(temp, { force: true });
    }
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new MailKeyError(`cannot read the mail key file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/]+=*$/.test(text)) {
    throw new MailKeyError(`the mail key file ${file} does not hold a key (expected ${KEY_BYTES} bytes in base64)`);
  }
  return key;
}
