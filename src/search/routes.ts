// GET /search: "find a free room". A GET form that works without JavaScript; an empty query shows just the form,
// a malformed one the form again with a message next to each field (400), a good one the rooms that fit.
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { isEmptySearch, parseSearch, searchValues } from './schema.js';
import { findFreeRooms } from './service.js';
import { formView, resultView } from './view.js';

export function searchRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/search', async (req, res) => {
    const values = searchValues(req.query);
    const page = { title: req.t('search.title'), phone: req.house.contactPhone };
    if (isEmptySearch(values)) {
      res.render('search/search', { ...page, form: formView(values, {}, req.t), result: null });
      return;
    }
    const parsed = parseSearch(values);
    const answer = parsed.ok
      ? await findFreeRooms(
          { db: ctx.db, dataVersion: () => ctx.dataVersion(), blockLabel: (id) => req.houseTexts.text('block', id, 'label').text },
          req.house,
          parsed.query,
          ctx.clock(),
          req.lang,
        )
      : parsed;
    if (!answer.ok) {
      res.status(400).render('search/search', { ...page, form: formView(values, answer.errors, req.t), result: null });
      return;
    }
    res.render('search/search', {
      ...page,
      form: formView(values, {}, req.t),
      result: resultView(answer.result, req.house, req.lang, req.t),
    });
  });

  return router;
}
