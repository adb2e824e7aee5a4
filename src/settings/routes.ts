// The house's texts: rules (Nutzungsordnung), privacy notice and imprint, from the settings.
import { Router } from 'express';
import type { AppContext } from '../context.js';

export function pageRoutes(_ctx: AppContext): Router {
  const router = Router();

  router.get('/rules', (req, res) => {
    res.render('public/text-page', { title: req.t('page.rules.title'), text: req.house.rulesText, version: req.house.rulesVersion });
  });

  router.get('/privacy', (req, res) => {
    res.render('public/text-page', { title: req.t('page.privacy.title'), text: req.house.privacyText, version: req.house.privacyVersion });
  });

  router.get('/imprint', (req, res) => {
    res.render('public/text-page', { title: req.t('page.imprint.title'), text: req.house.imprintText, version: null });
  });

  return router;
}
