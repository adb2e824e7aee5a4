// Data subject requests under /admin/data (admins only): what is stored about an e-mail address, its
// export as JSON, and its erasure. The address never goes into the audit log in clear.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireRole } from '../auth/guard.js';
import { formatInstant, formatWhen } from '../time/format.js';
import { listRooms } from '../rooms/repository.js';
import { hideManageTokens } from '../mail/routes.js';
import { isMessageKey } from '../i18n/index.js';
import { auditActionLabel } from '../audit/view.js';
import { eraseAddress, findStoredData, recordExport, type StoredData } from './service.js';
import { exportDocument } from './export.js';
import { formBody, textOf } from '../web/forms.js';

const emailSchema = z.string().trim().max(254, 'data.error.email').pipe(z.email('data.error.email'));
const eraseSchema = z.object({
  email: emailSchema,
  confirm: z.literal('1', 'data.error.confirm'),
});

interface PageModel {
  values: { email: string };
  errors: Record<string, string>;
  result?: Awaited<ReturnType<typeof viewModel>>;
}

async function viewModel(ctx: AppContext, req: Request, data: StoredData) {
  const zone = req.house.zone;
  const rooms = new Map((await listRooms(ctx.db, { includeInactive: true })).map((r) => [r.id, r.name]));
  const when = (at: number) => formatInstant(at, zone, req.lang);
  const now = ctx.clock().getTime();
  return {
    email: data.email,
    empty: !data.requests.length && !data.mails.length && !data.audit.length,
    futureDates: data.requests.flatMap((r) => r.bookings).filter((b) => (b.status === 'approved' || b.status === 'pending') && b.start_at > now).length,
    requests: data.requests.map((r) => ({
      reference: r.reference,
      room: rooms.get(r.room_id) ?? '',
      contact: [r.contact_name, r.organisation].filter(Boolean).join(', '),
      anonymized: r.anonymized_at !== null,
      dates: r.bookings.map((b) => ({
        text: formatWhen(b.start_at, b.end_at, zone, req.lang, req.t),
        status: req.t(`bookingStatus.${b.status}`),
      })),
    })),
    mails: data.mails.map((m) => {
      const key = `outbox.status.${m.status}`;
      return { date: when(m.created_at), subject: m.subject, status: isMessageKey(key) ? req.t(key) : m.status };
    }),
    audit: data.audit.map((e) => ({ date: when(e.at), action: e.action, label: auditActionLabel(req.t, e.action) })),
  };
}

function render(res: Response, req: Request, model: PageModel, status = 200): void {
  res.set('Cache-Control', 'no-store');
  res.status(status).render('admin/data', { title: req.t('data.title'), result: undefined, ...model });
}

export function privacyRoutes(ctx: AppContext): Router {
  const r = Router();
  // Scoped to /data: this router sits in front of every /admin route.
  r.use('/data', requireRole('admin'));

  r.get('/data', async (req, res) => {
    const raw = typeof req.query.email === 'string' ? req.query.email : '';
    if (!raw) return render(res, req, { values: { email: '' }, errors: {} });
    const parsed = emailSchema.safeParse(raw);
    if (!parsed.success) return render(res, req, { values: { email: raw.slice(0, 254) }, errors: { email: req.t('data.error.email') } }, 400);
    const data = await findStoredData(ctx.db, parsed.data);
    render(res, req, { values: { email: parsed.data }, errors: {}, result: await viewModel(ctx, req, data) });
  });

  r.get('/data/export', async (req, res) => {
    const parsed = emailSchema.safeParse(typeof req.query.email === 'string' ? req.query.email : '');
    if (!parsed.success) {
      return render(res, req, { values: { email: '' }, errors: { email: req.t('data.error.email') } }, 400);
    }
    const now = ctx.clock();
    const data = await findStoredData(ctx.db, parsed.data);
    // The manage link in the first mail is a secret even from whoever handles the export.
    for (const m of data.mails) {
      m.text_body = hideManageTokens(m.text_body);
      m.html_body = hideManageTokens(m.html_body);
    }
    await recordExport(ctx.db, parsed.data, { userId: req.user!.id, now: now.getTime() }, data.requests.length);
    res.set('Cache-Control', 'no-store');
    res.attachment(`raumbuch-daten-${now.toISOString().slice(0, 10)}.json`);
    const rooms = new Map((await listRooms(ctx.db, { includeInactive: true })).map((room) => [room.id, room.name]));
    const doc = exportDocument(data, { now, zone: req.house.zone, rooms, defaultLanguage: req.house.defaultLanguage });
    res.type('application/json; charset=utf-8').send(JSON.stringify(doc, null, 2));
  });

  r.post('/data/erase', async (req, res) => {
    const parsed = eraseSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) {
        const field = String(i.path[0] ?? 'email');
        if (!errors[field]) errors[field] = req.t(field === 'confirm' ? 'data.error.confirm' : 'data.error.email');
      }
      const email = textOf(formBody(req).email).slice(0, 254);
      const valid = emailSchema.safeParse(email);
      const result = valid.success ? await viewModel(ctx, req, await findStoredData(ctx.db, valid.data)) : undefined;
      return render(res, req, { values: { email }, errors, result }, 400);
    }
    const erased = await eraseAddress(ctx.db, parsed.data.email, { userId: req.user!.id, now: ctx.clock().getTime() });
    res.set('Cache-Control', 'no-store');
    res.render('admin/data-erased', { title: req.t('data.erased.title'), erased });
  });

  return r;
}
