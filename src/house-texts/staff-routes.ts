// The house's texts in other languages under /admin/translations (role-guarded by staff/routes.ts): the list of
// every translatable text with its state per language, and one form per text and language. The house's own texts
// (about, rules, privacy, imprint) are the admin's, as their settings are; rooms and closures also the caretaker's.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { can } from '../auth/guard.js';
import { ForbiddenError, NotFoundError } from '../web/errors.js';
import { fieldErrors, formBody, setNotice, takeNotice } from '../web/forms.js';
import { isField, textKeySchema, translationSchema } from './schema.js';
import { loadCatalog, saveTranslation, targetLanguages, type HouseTextCatalog, type SourceText } from './service.js';
import { isHouseOwned, translationForm, translationList } from './view.js';
import type { TextKey } from './repository.js';

export function translationRoutes(ctx: AppContext): Router {
  const r = Router();
  const env = (req: Request) => ({ t: req.t, lang: req.lang, zone: req.house.zone });

  r.get('/translations', async (req, res) => {
    const c = await loadCatalog(ctx);
    const only = (v: unknown) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
    const room = only(req.query.room);
    const block = only(req.query.block);
    const media = only(req.query.media);
    const filter =
      room !== undefined
        ? { kind: 'room' as const, ownerId: room }
        : block !== undefined
          ? { kind: 'block' as const, ownerId: block }
          : media !== undefined
            ? { kind: 'media' as const, ownerId: media }
            : {};
    res.render('admin/translations', {
      title: req.t('houseText.title'),
      notice: takeNotice(req),
      list: translationList(c, { houseTexts: can.manageSettings(req.user), now: ctx.clock().getTime(), ...filter }, env(req)),
      filtered: filter.kind !== undefined,
    });
  });

  /** The text and language a path names, or 404; the house's own texts only for the admin (403). */
  async function target(req: Request): Promise<{ c: HouseTextCatalog; src: SourceText; key: TextKey }> {
    const p = textKeySchema.safeParse(req.params);
    if (!p.success || !isField(p.data.kind, p.data.field)) throw new NotFoundError();
    const c = await loadCatalog(ctx);
    const src = c.source.get(`${p.data.kind}:${p.data.owner}:${p.data.field}`);
    if (!src || !targetLanguages(c.sourceLang).includes(p.data.lang)) throw new NotFoundError();
    if (isHouseOwned(src) && !can.manageSettings(req.user)) throw new ForbiddenError();
    return { c, src, key: { kind: src.kind, ownerId: src.ownerId, field: src.field, lang: p.data.lang } };
  }

  function render(
    req: Request,
    res: Response,
    status: number,
    t: { c: HouseTextCatalog; src: SourceText; key: TextKey },
    value: string | null,
    errors: Record<string, string>,
  ) {
    const form = translationForm(t.c, t.src, t.key.lang, env(req));
    res.status(status).render('admin/translation-form', {
      title: req.t('houseText.edit.title', { text: form.name, language: form.langName }),
      form,
      value: value ?? form.current,
      errors,
    });
  }

  r.get('/translations/:kind/:owner/:field/:lang', async (req, res) => {
    render(req, res, 200, await target(req), null, {});
  });

  r.post('/translations/:kind/:owner/:field/:lang', async (req, res) => {
    const t = await target(req);
    const body = formBody(req);
    const typed = typeof body.translation === 'string' ? body.translation : '';
    const parsed = translationSchema(t.key.kind, t.key.field).safeParse({ translation: typed });
    if (!parsed.success) return render(req, res, 400, t, typed, fieldErrors(parsed.error, req.t));
    const result = await saveTranslation(ctx.db, t.key, parsed.data.translation, { userId: req.user!.id, now: ctx.clock().getTime() });
    setNotice(req, !result.changed ? 'houseText.notice.unchanged' : result.removed ? 'houseText.notice.removed' : 'houseText.notice.saved');
    res.redirect(303, '/admin/translations');
  });

  return r;
}
