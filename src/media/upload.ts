// Reading a multipart upload (multer, in memory, hard limits) on exactly the upload routes, before the CSRF check:
// the token travels in the same multipart body as the file, so it has to be read first. Only a logged-in staff
// member's body is read at all; anyone else's post is left unread and refused by the CSRF check. The parsed
// text fields get the same cleaning as every urlencoded form (src/web/input.ts); what multer refused (too large,
// a second file) is noted for the route to show next to the file field, never thrown as an error page.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type multer from 'multer';
import { cleanFields } from '../web/input.js';
import { BadRequestError } from '../web/errors.js';
import { sessionIfAny } from '../web/sessions.js';
import { MAX_UPLOAD_BYTES } from './images.js';
import type { UploadProblem } from './service.js';

/** The routes that take a picture; every other path never sees multer. */
export const UPLOAD_PATHS: readonly RegExp[] = [/^\/admin\/rooms\/\d{1,12}\/photos\/?$/, /^\/admin\/settings\/images\/(?:logo|floor-plan)\/?$/];

/** The file field of every upload form. */
export const FILE_FIELD = 'file';

const LIMITS: multer.Options['limits'] = {
  fileSize: MAX_UPLOAD_BYTES,
  files: 1,
  fields: 8,
  parts: 9,
  fieldNameSize: 40,
  fieldSize: 4096,
  headerPairs: 20,
};

function problemOf(multer: typeof import('multer'), err: unknown): UploadProblem {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return 'too_large';
    if (err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE') return 'too_many_files';
  }
  return 'bad_form';
}

/** multer (and busboy) load with the first upload, not at start (a few MB resident for a rare page). */
let multerModule: Promise<{ multer: typeof import('multer'); parse: RequestHandler }> | undefined;
const loadMulter = () =>
  (multerModule ??= import('multer').then(({ default: multer }) => ({
    multer,
    parse: multer({ storage: multer.memoryStorage(), limits: LIMITS }).single(FILE_FIELD),
  })));

export function uploadParser(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data') || !UPLOAD_PATHS.some((r) => r.test(req.path))) return next();
    if (sessionIfAny(req)?.userId === undefined) return next();
    loadMulter().then(
      ({ multer, parse }) =>
        parse(req, res, (err: unknown) => {
          if (err) {
            req.uploadProblem = problemOf(multer, err);
            req.file = undefined;
          }
          const body: unknown = req.body;
          const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
          if (Object.values(fields).some((v) => typeof v === 'string' && v.includes('\uFFFD'))) return next(new BadRequestError('error.badEncoding'));
          req.body = cleanFields<unknown>(fields);
          next();
        }),
      next,
    );
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** What the multipart parser refused on an upload route (the file is then absent). */
      uploadProblem?: UploadProblem;
    }
  }
}
