// The outbox under /admin/outbox (admins only): every mail with its status, one mail in full, resend a failed one.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireRole } from '../auth/guard.js';
import { BadRequestError, ConflictError, NotFoundError } from '../web/errors.js';
import { setNotice, takeNotice } from '../web/forms.js';
import { formatInstant } from '../time/format.js';
import { countByStatus, findMail, listOutbox, parseAttachments } from './outbox.js';
import { requeueMail } from './service.js';
import { MANAGE_TOKEN_PLACEHOLDER } from './secrets.js';

export const OUTBOX_PAGE_SIZE = 200;

const filterSchema = z.object({ status: z.enum(['', 'pending', 'sent', 'failed']).default('') });
const idSchema = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

/**
 * The group's manage link is not shown on the outbox page: "…" in place of the placeholder the stored
 * mail holds (the token itself is only in the sent mail), or of a token in a mail from before that.
 */
export function hideManageTokens(text: string): string {
  return text
    .split(MANAGE_TOKEN_PLACEHOLDER)
    .join('…')
    .replace(/(\/requests\/)[A-Za-z0-9_-]{20,}/g, '$1…');
}

export function mailAdminRoutes(ctx: AppContext): Router {
  const r = Router();
  // Scoped to /outbox: this router sits in front of every /admin route.
  r.use('/outbox', requireRole('admin'));

  r.get('/outbox', async (req, res) => {
    const parsed = filterSchema.safeParse({ status: typeof req.query.status === 'string' ? req.query.status : '' });
    if (!parsed.success) throw new BadRequestError();
    const status = parsed.data.status || undefined;
    const [rows, counts] = await Promise.all([listOutbox(ctx.db, { status, limit: OUTBOX_PAGE_SIZE }), countByStatus(ctx.db)]);
    const zone = req.house.zone;
    res.render('admin/outbox', {
      title: req.t('outbox.title'),
      sending: Boolean(ctx.config.smtpUrl),
      status: status ?? '',
      counts,
      full: rows.length === OUTBOX_PAGE_SIZE,
      pageSize: OUTBOX_PAGE_SIZE,
      mails: rows.map((m) => ({
        id: m.id,
        created: formatInstant(m.created_at, zone, req.lang),
        to: m.to_address,
        subject: m.subject,
        status: m.status,
        statusLabel: req.t(`outbox.status.${m.status}`),
        attempts: m.attempts,
        error: m.last_error ?? '',
      })),
    });
  });

  r.get('/outbox/:id', async (req, res) => {
    const id = idSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError();
    const m = await findMail(ctx.db, id.data);
    if (!m) throw new NotFoundError();
    const zone = req.house.zone;
    const text = hideManageTokens(m.text_body);
    res.render('admin/outbox-mail', {
      title: req.t('outbox.detail.title', { id: m.id }),
      flash: takeNotice(req),
      mail: {
        id: m.id,
        created: formatInstant(m.created_at, zone, req.lang),
        to: m.to_address,
        subject: m.subject,
        kind: m.kind,
        language: m.language,
        status: m.status,
        statusLabel: req.t(`outbox.status.${m.status}`),
        attempts: m.attempts,
        error: m.last_error ?? '',
        sentAt: m.sent_at ? formatInstant(m.sent_at, zone, req.lang) : '',
        nextAttempt: m.status === 'pending' ? formatInstant(m.next_attempt_at, zone, req.lang) : '',
        attachments: parseAttachments(m.attachments).map((a) => a.filename),
        text,
        linkHidden: text !== m.text_body,
        canResend: m.status === 'failed',
      },
    });
  });

  r.post('/outbox/:id/resend', async (req, res) => {
    const id = idSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError();
    const m = await findMail(ctx.db, id.data);
    if (!m) throw new NotFoundError();
    const now = ctx.clock().getTime();
    const ok = await requeueMail(ctx.db, m.id, req.user!.id, now);
    if (!ok) throw new ConflictError();
    setNotice(req, 'outbox.resent');
    res.redirect(303, `/admin/outbox/${m.id}`);
  });

  return r;
}
