// The group's side of an offer (no login; the link from the offer mail is the key): /offers/<token>/<n> shows
// the offer with option n marked, and each option's button accepts it (POST, CSRF). An unknown link counts
// against the same limit as a wrong manage link.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { unknownLink } from '../web/limits.js';
import type { MessageKey } from '../i18n/index.js';
import { formatInstant, formatWhen } from '../time/format.js';
import { TOKEN_RE } from '../bookings/repository.js';
import { acceptOffer, loadOffer, type AcceptResult, type OfferState } from './service.js';
import { describeOption } from './view.js';
import { positionSchema } from './schema.js';

const STATE_TEXT: Record<Exclude<OfferState, 'open'>, MessageKey> = {
  accepted: 'offer.page.accepted',
  withdrawn: 'offer.page.withdrawn',
  expired: 'offer.page.expired',
  decided: 'offer.page.decided',
};

const REFUSED_TEXT: Record<Exclude<AcceptResult, { ok: true }>['reason'], MessageKey> = {
  unknown: 'offer.page.unknownOption',
  accepted: 'offer.page.accepted',
  withdrawn: 'offer.page.withdrawn',
  expired: 'offer.page.expired',
  decided: 'offer.page.decided',
  optionPast: 'offer.page.optionPast',
  clash: 'offer.page.taken',
};

export function offerRoutes(ctx: AppContext): Router {
  const router = Router();

  async function render(
    req: Request,
    res: Response,
    token: string,
    chosen: number | null,
    error: { key: MessageKey; params?: Record<string, string> } | null,
    status = 200,
  ) {
    const now = ctx.clock().getTime();
    const view = TOKEN_RE.test(token) ? await loadOffer(ctx.db, token, now) : undefined;
    if (!view) throw await unknownLink(ctx.db, req, res, now);
    const { zone } = req.house;
    const t = req.t;
    const count = Math.max(view.dates.length, 1);
    res.set('Cache-Control', 'no-store');
    res.status(status).render('offers/offer', {
      title: t('offer.page.title', { reference: view.request.reference }),
      token,
      reference: view.request.reference,
      requestTitle: view.request.title,
      open: view.state === 'open',
      stateText: view.state === 'open' ? '' : t(STATE_TEXT[view.state]),
      until: formatInstant(view.offer.expires_at, zone, req.lang),
      dates: view.dates.map((d) => formatWhen(d.start, d.end, zone, req.lang, t)),
      message: view.offer.message,
      options: view.options.map((o) => ({
        position: o.position,
        label: describeOption({ roomName: o.roomName, date: o.local_date, start: o.start_time, end: o.end_time }, { zone, lang: req.lang, t, count }),
        chosen: o.position === chosen,
        accepted: view.offer.accepted_option_id === o.id,
      })),
      error: error ? t(error.key, error.params) : '',
      phone: req.house.contactPhone,
    });
  }

  router.get('/offers/:token', async (req, res) => render(req, res, String(req.params.token), null, null));

  router.get('/offers/:token/:position', async (req, res) => {
    const p = positionSchema.safeParse(req.params.position);
    await render(req, res, String(req.params.token), p.success ? p.data : null, null);
  });

  router.post('/offers/:token/:position/accept', async (req, res) => {
    const token = String(req.params.token);
    const p = positionSchema.safeParse(req.params.position);
    const result = p.success ? await acceptOffer(ctx.db, { clock: ctx.clock, notify: ctx.notify }, { token, position: p.data, zone: req.house.zone }) : null;
    if (result?.ok) {
      res.redirect(303, `/offers/${token}`);
      return;
    }
    if (result && result.reason === 'unknown' && !(await loadOffer(ctx.db, token, ctx.clock().getTime()))) {
      throw await unknownLink(ctx.db, req, res, ctx.clock().getTime());
    }
    const reason = result?.reason ?? 'unknown';
    const status = reason === 'clash' || reason === 'accepted' || reason === 'decided' ? 409 : reason === 'expired' || reason === 'withdrawn' ? 410 : 422;
    await render(req, res, token, p.success ? p.data : null, { key: REFUSED_TEXT[reason] }, status);
  });

  return router;
}
