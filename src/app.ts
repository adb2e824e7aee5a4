// createApp(ctx): the Express app with its middleware and routers; it does not listen (supertest drives it).
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { parse as parseQuery } from 'node:querystring';
import { randomUUID } from 'node:crypto';
import { cleanFields, dateValue, describedBy, timeValue, typedDate, typedTime } from './web/input.js';
import type { AppContext } from './context.js';
import { PUBLIC_DIR, VIEWS_DIR } from './paths.js';
import { languageMiddleware, onMessageProblem, staffSideLanguage } from './i18n/index.js';
import { currentHouse, type House } from './settings/repository.js';
import { KyselySessionStore, SESSION_COOKIE_NAME } from './web/session-store.js';
import { pageCache } from './web/page-cache.js';
import { answerCompression, weakEtag } from './web/compress.js';
import { assets } from './web/assets.js';
import { pageOf } from './web/routes-index.js';
import { cookies, csrfProtection, sameOriginCheck, securityHeaders } from './web/security.js';
import { BadRequestError, HttpError, httpErrorOf, NotFoundError, StorageUnavailableError } from './web/errors.js';
import { isDomainError, storageFailure } from './errors.js';
import { requestLog } from './web/request-log.js';
import { publicRoutes } from './calendar/routes.js';
import { roomRoutes } from './calendar/room-routes.js';
import { pageRoutes } from './settings/routes.js';
import { requestRoutes } from './bookings/routes.js';
import { searchRoutes } from './search/routes.js';
import { offerRoutes } from './offers/routes.js';
import { attendanceRoutes } from './attendance/routes.js';
import { authRoutes } from './auth/routes.js';
import { staffRoutes } from './staff/routes.js';
import { deskCounts } from './staff/nav.js';
import { feedRoutes } from './feeds/routes.js';
import { programmeRoutes } from './programme/routes.js';
import { opsRoutes } from './ops/routes.js';
import { loadUser } from './auth/guard.js';
import { mailAdminRoutes } from './mail/routes.js';
import { privacyRoutes } from './privacy/routes.js';
import { mediaLocals, mediaRoutes } from './media/routes.js';
import { houseTextLocals } from './house-texts/routes.js';
import { uploadParser } from './media/upload.js';
import { apiCors } from './api/cors.js';
import { apiGuard } from './api/guard.js';
import { apiRoutes } from './api/routes.js';
import { ApiError } from './api/errors.js';
import { currentPublicAbsence, type PublicAbsence } from './absence/repository.js';
import { formatDate } from './time/format.js';
import { withAbsenceContact } from './absence/rules.js';
import { todayIn } from './time/index.js';
import { sessionOnDemand } from './web/sessions.js';
import { viewEngine } from './web/views.js';
import { httpObjects } from './web/http-objects.js';

export const SESSION_COOKIE = SESSION_COOKIE_NAME;
/** Idle timeout: a session not used for this long ends. */
export const SESSION_IDLE_MS = 2 * 3600_000;

export interface AppOptions {
  sessionSecret: string;
}

export function createApp(ctx: AppContext, opts: AppOptions): express.Express {
  const app = express();
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('x-powered-by', false);
  app.set('etag', weakEtag);
  // Query parameters (which prefill forms and filters) without control characters, like posted fields.
  app.set('query parser', (q: string) => cleanFields(parseQuery(q)));
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  if (ctx.config.production) app.enable('view cache');
  // Views include each other by their path below views/ ('/partials/head'); compiled without `with` (src/web/views.ts).
  app.engine('ejs', viewEngine({ root: VIEWS_DIR, cache: ctx.config.production }));

  // Every request reads the database's data version afresh (it is kept within one event-loop turn otherwise).
  app.use((_req: Request, _res: Response, next: NextFunction) => {
    ctx.store.requestArrived();
    next();
  });
  app.use(requestLog(ctx.logger));
  app.use(securityHeaders());
  // gzip or brotli for pages, JSON and calendar feeds, in one call on the finished answer (src/web/compress.ts); the
  // static files and the CSV export, which are streamed, go through the compression middleware where they are served.
  app.use(answerCompression());
  const files = assets(PUBLIC_DIR);
  app.locals.asset = files.url;
  app.locals.dateValue = dateValue;
  app.locals.typedDate = typedDate;
  app.locals.timeValue = timeValue;
  app.locals.typedTime = typedTime;
  app.locals.describedBy = describedBy;
  app.use(files.router());
  // Pictures answer from the database before pages, sessions and cookies are touched (src/media).
  app.use(mediaRoutes(ctx));
  // CORS for /api/ before the page cache, so a cached answer carries it too (src/api/cors.ts).
  app.use('/api', apiCors(ctx));
  app.use(pageCache(ctx));
  // Health checks answer before the house settings and sessions are touched.
  app.use(opsRoutes(ctx));
  // Staff pages show personal data: no browser, proxy or back-forward cache keeps a copy (also of their errors and redirects).
  app.use('/admin', (_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(cookies(opts.sessionSecret));

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    let house = await currentHouse(ctx);
    res.locals.absenceNotice = null;
    // During a public absence the public pages (and error pages) show the house's alternative contact (src/absence);
    // staff pages keep the settings as they are.
    if (!req.path.startsWith('/admin')) {
      const absence = await currentPublicAbsence(ctx, todayIn(ctx.clock, house.zone));
      if (absence) {
        house = withAbsenceContact(house, absence);
        res.locals.absenceNotice = absence;
      }
    }
    req.house = house;
    res.locals.house = house;
    res.locals.path = req.path;
    res.locals.query = req.query;
    // The language switch reloads the page in the other language: a page shown as the answer to a POST
    // switches on the page that POST belongs to (its URL alone would be a 404 as a GET).
    const isPage = req.method === 'GET' || req.method === 'HEAD';
    res.locals.langPath = isPage ? req.path : pageOf(req.app, req.path);
    res.locals.langQuery = isPage ? req.query : {};
    res.locals.user = undefined;
    next();
  });
  // A message missing in every catalog renders as its key: logged once per key (the key only, no personal data).
  onMessageProblem((info) => ctx.logger.warn(info, 'i18n message problem'));
  app.use(
    languageMiddleware(
      (req) => req.house.defaultLanguage,
      (req) => req.house.languages,
    ),
  );
  // The public absence notice (views/partials/absence-notice.ejs), its last day in the page's language.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const a = res.locals.absenceNotice as PublicAbsence | null;
    res.locals.absenceNotice = a ? { ...a, untilText: formatDate(a.until, req.lang) } : null;
    next();
  });
  // The staff side (and its login) speaks German or English: a public-only language answers there in German.
  app.use(['/admin', '/login', '/logout'], staffSideLanguage);
  // The API answers before sessions and the CSRF check: only documented paths, GET and known parameters (src/api).
  app.use(apiGuard(), apiRoutes(ctx));
  app.use(mediaLocals(ctx));
  // The house's own texts in the page language (about, rules, rooms, closures), with the German fallback marked.
  app.use(houseTextLocals(ctx));
  app.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  // Browsers send forms from our UTF-8 pages as UTF-8; invalid byte sequences (decoded to U+FFFD) are refused, not stored.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const values = req.body && typeof req.body === 'object' ? Object.values(req.body as Record<string, unknown>).flat() : [];
    if (values.some((v) => typeof v === 'string' && v.includes('\uFFFD'))) return next(new BadRequestError('error.badEncoding'));
    next();
  });
  // Control characters never reach a form's code: removed from every posted field here, once (src/web/input.ts).
  app.use((req: Request, _res: Response, next: NextFunction) => {
    req.body = cleanFields<unknown>(req.body);
    next();
  });
  // A session is read for a valid session cookie (staff) and made only when code asks for one (src/web/sessions.ts).
  app.use(
    sessionOnDemand(
      session({
        name: SESSION_COOKIE,
        secret: opts.sessionSecret,
        store: new KyselySessionStore(ctx.db, ctx.clock),
        // A session id for a request that asks for a session without a valid cookie (most never get stored:
        // saveUninitialized is off): 122 random bits from the system's CSPRNG, drawn in batches.
        genid: () => randomUUID(),
        resave: false,
        saveUninitialized: false,
        rolling: true,
        proxy: ctx.config.trustProxy !== false,
        cookie: { httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, maxAge: SESSION_IDLE_MS },
      }),
      SESSION_COOKIE,
      opts.sessionSecret,
    ),
  );
  app.use(sameOriginCheck(ctx.config.baseUrl));
  // Picture uploads carry their CSRF token inside the multipart body: read it (staff only) before the check.
  app.use(uploadParser());
  app.use(csrfProtection({ secret: opts.sessionSecret, secure: ctx.config.secureCookies, idleMs: SESSION_IDLE_MS, clock: ctx.clock }));
  app.use(loadUser(ctx));
  app.use('/admin', deskCounts(ctx));

  app.use(authRoutes(ctx));
  app.use(publicRoutes(ctx));
  app.use(roomRoutes(ctx));
  app.use(pageRoutes(ctx));
  app.use(requestRoutes(ctx));
  app.use(searchRoutes(ctx));
  app.use(offerRoutes(ctx));
  app.use(attendanceRoutes(ctx));
  app.use(feedRoutes(ctx));
  app.use(programmeRoutes(ctx));
  app.use('/admin', mailAdminRoutes(ctx));
  app.use('/admin', privacyRoutes(ctx));
  app.use('/admin', staffRoutes(ctx));

  app.use((_req, _res, next) => next(new NotFoundError()));
  app.use(errorHandler(ctx));
  // The app's request and response prototypes, which its server makes requests and responses with (src/web/http-objects.ts).
  httpObjects(app);
  return app;
}

function errorHandler(ctx: AppContext): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    // The fields Express, body-parser and SQLite put on their errors; whatever else is thrown ends in the 500 branch.
    const e = (typeof err === 'object' && err !== null ? err : {}) as { type?: unknown; code?: unknown; status?: unknown; message?: unknown; stack?: unknown };
    let httpErr: HttpError;
    if (err instanceof HttpError) {
      httpErr = err;
    } else if (isDomainError(err)) {
      httpErr = httpErrorOf(err);
    } else if (e.type === 'entity.too.large' || e.type === 'parameters.too.many') {
      httpErr = new HttpError(413, 'too_large', 'error.badRequest.title', 'error.tooLarge');
    } else if (storageFailure(err)) {
      // Disk full or database not writable: the transaction was rolled back, nothing stored; say so (503), not "error".
      ctx.logger.warn({ code: e.code, storage: storageFailure(err), reqId: res.locals.requestId }, 'database cannot be written');
      httpErr = new StorageUnavailableError();
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      httpErr = new HttpError(e.status, 'bad_request', 'error.badRequest.title', 'error.badRequest.text');
    } else {
      ctx.logger.error({ err: { message: e.message, stack: e.stack }, reqId: res.locals.requestId }, 'unhandled error');
      httpErr = new HttpError(500, 'server_error', 'error.server.title', 'error.server.text');
    }
    if (res.headersSent) return;
    const t = req.t ?? ((k: string) => k);
    res.status(httpErr.status);
    if (req.path.startsWith('/api/')) {
      const field = httpErr instanceof ApiError ? httpErr.field : undefined;
      res.json({ error: { code: httpErr.code, message: t(httpErr.textKey, httpErr.params), ...(field ? { field } : {}) } });
      return;
    }
    if (!req.t) {
      res.type('text/plain').send(httpErr.code);
      return;
    }
    res.render('error', {
      title: t(httpErr.titleKey),
      text: t(httpErr.textKey, httpErr.params),
      status: httpErr.status,
    });
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      house: House;
    }
  }
}
