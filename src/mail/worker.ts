// The outbox worker: sends due mails over SMTP (nodemailer), retries failures with growing waits and
// gives up after MAX_ATTEMPTS. Each mail is claimed before sending, so two workers (or two processes on
// one database) never send the same mail; 'sent' is recorded right after the SMTP server accepted it.
import { createRequire } from 'node:module';
import type { SendMailOptions } from 'nodemailer';
import type { AppContext } from '../context.js';
import { claimMail, dueMailIds, fillSecret, MailKeyError, markAttemptFailed, markSent, parseAttachments } from './outbox.js';
import type { OutboxMail } from '../db/schema.js';

/** What the worker needs of a nodemailer transport (tests may hand in their own). */
export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
  close?(): void;
}

export interface MailWorkerOptions {
  transport?: MailTransport;
  /** How often to look for due mails; default 5 s. */
  pollMs?: number;
  /** Mails sent per round at most. */
  batch?: number;
  /** Poll in the background (default); tests turn it off and call runOnce themselves. */
  background?: boolean;
}

export interface MailWorker {
  /** False when no SMTP is configured: nothing is sent, the outbox is kept. */
  readonly sending: boolean;
  /** One round: claims and sends the mails due now; returns how many were sent. */
  runOnce(): Promise<number>;
  /** Stops polling and waits for a round in progress. */
  stop(): Promise<void>;
}

const requireCjs = createRequire(import.meta.url);

/** nodemailer, loaded only when SMTP is configured (a house without SMTP saves its resident memory). */
function smtpTransport(url: string): MailTransport {
  const nodemailer = requireCjs('nodemailer') as typeof import('nodemailer');
  return nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
}

/** Every SMTP wait ends well before a claimed mail's lease (LEASE_MS) runs out, so no other worker takes it over mid-send. */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 120_000 };

/**
 * An SMTP 5xx reply refuses this mail for good (no such mailbox, message rejected): it is given up at once
 * and shown as failed in the outbox. A refused login (EAUTH) is the house's configuration, not the mail's:
 * it is retried like a network error, so the mails go out once the SMTP settings are fixed.
 */
export function isPermanentRefusal(err: { responseCode?: number; code?: string }): boolean {
  return typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600 && err.code !== 'EAUTH';
}

export function startMailWorker(ctx: AppContext, opts: MailWorkerOptions = {}): MailWorker {
  const transport: MailTransport | undefined = opts.transport ?? (ctx.config.smtpUrl ? smtpTransport(ctx.config.smtpUrl) : undefined);
  if (!transport) {
    ctx.logger.info('mail: not sending (no SMTP_URL), see /admin/outbox');
    return { sending: false, runOnce: async () => 0, stop: async () => {} };
  }
  ctx.logger.info('mail: sending via SMTP');
  const host = new URL(ctx.config.baseUrl).hostname || 'raumbuch';
  const pollMs = opts.pollMs ?? 5000;
  const batch = opts.batch ?? 20;

  async function sendOne(mail: OutboxMail): Promise<boolean> {
    let body: { text: string; html: string };
    try {
      // The manage link is decrypted only now, into the message in memory; the stored copy keeps the placeholder.
      body = fillSecret(mail, ctx.mailKey);
    } catch (e) {
      if (!(e instanceof MailKeyError)) throw e;
      // Without the key the link is lost for good: retrying cannot help, and a mail without it would mislead.
      await markAttemptFailed(ctx.db, mail, `mail key: ${e.message}`, ctx.clock().getTime(), true);
      ctx.logger.error({ mailId: mail.id }, 'mail: the manage link cannot be decrypted (MAIL_KEY_FILE changed or lost)');
      return false;
    }
    try {
      await transport!.sendMail({
        from: ctx.config.mailFrom,
        to: mail.to_address,
        ...(mail.reply_to ? { replyTo: mail.reply_to } : {}),
        subject: mail.subject,
        text: body.text,
        html: body.html,
        // The same Message-ID on every attempt lets receiving servers drop a copy should one ever be sent twice.
        messageId: `<outbox-${mail.id}.${mail.created_at}@${host}>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Raumbuch-Mail': String(mail.id) },
        attachments: parseAttachments(mail.attachments).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
    } catch (e) {
      const err = e as { message?: string; responseCode?: number; code?: string };
      const message = `${err.responseCode ? `${err.responseCode} ` : ''}${err.message ?? String(e)}`;
      const outcome = await markAttemptFailed(ctx.db, mail, message, ctx.clock().getTime(), isPermanentRefusal(err));
      // The server's refusal can quote the recipient: keep addresses out of the log (the outbox page shows it all).
      ctx.logger.warn(
        { mailId: mail.id, attempt: mail.attempts + 1, outcome, error: message.replace(/[^\s<>"']+@[^\s<>"']+/g, '<address>') },
        'mail: sending failed',
      );
      return false;
    }
    await markSent(ctx.db, mail.id, ctx.clock().getTime());
    return true;
  }

  async function runOnce(): Promise<number> {
    const now = ctx.clock().getTime();
    let sent = 0;
    for (const id of await dueMailIds(ctx.db, now, batch)) {
      const mail = await claimMail(ctx.db, id, ctx.clock().getTime());
      if (!mail) continue;
      if (await sendOne(mail)) sent++;
    }
    return sent;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const tick = () => {
    running = runOnce()
      .catch((e) => ctx.logger.error({ err: { message: (e as Error).message } }, 'mail: worker round failed'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  if (opts.background !== false) timer = setTimeout(tick, Math.min(pollMs, 1000));

  return {
    sending: true,
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      transport.close?.();
    },
  };
}
