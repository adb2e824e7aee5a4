// The house texts for every page: the reader of the page language (one load per data version, shared) on the
// request, and `houseText(kind, ownerId, field)` for templates, used with views/partials/house-text.ejs.
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { dirOf, languageInfo } from '../i18n/languages.js';
import { houseTextsFor, type HouseTexts, type ShownText } from './service.js';

/** What templates get: the shown text with its direction and, for a fallback, the note's language name. */
export interface ShownHouseText extends ShownText {
  dir: string;
  /** The source language's own name (for the note of a house that writes in another language than German). */
  langName: string;
}

export function houseTextLocals(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const texts = await houseTextsFor(ctx, req.lang);
    req.houseTexts = texts;
    res.locals.houseText = (kind: Parameters<HouseTexts['text']>[0], ownerId: number, field: string): ShownHouseText => {
      const s = texts.text(kind, ownerId, field);
      return { ...s, dir: dirOf(s.lang), langName: languageInfo(s.lang).nativeName };
    };
    next();
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The house's own texts in the page language (src/house-texts). */
      houseTexts: HouseTexts;
    }
  }
}
