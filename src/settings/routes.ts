// The house's texts: rules (Nutzungsordnung), privacy notice and imprint, from the settings, in the page language
// where the house has translated them (src/house-texts), else in German with a note.
import { Router } from 'express';
import type { AppContext } from '../context.js';

export function pageRoutes(_ctx: AppContext): Router {
  const router = Router();

  router.get('/rules', (req, res) => {
    res.render('public/text-page', { title: req.t('page.rules.title'), field: 'rules', version: req.house.rulesVersion });
  });

  router.get('/privacy', (req, res) => {
    res.render('public/text-page', { title: req.t('page.privacy.title'), field: 'privacy', version: req.house.privacyVersion });
  });

  // How to ask for a room, step by step (issue 14; also in Leichte Sprache). The call step needs the house's phone.
  router.get('/how-to-book', (req, res) => {
    res.render('public/how-to-book', { title: req.t('howto.title') });
  });

  router.get('/imprint', (req, res) => {
    res.render('public/text-page', { title: req.t('page.imprint.title'), field: 'imprint', version: null });
  });

  return router;
}
