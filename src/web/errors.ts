// The errors a request can end in, each with a stable code; one handler renders them (see app.ts).
import type { MessageKey, Params } from '../i18n/index.js';
import type { DomainError, DomainErrorCode } from '../errors.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly titleKey: MessageKey,
    readonly textKey: MessageKey,
    readonly params?: Params,
  ) {
    super(code);
  }
}

export class NotFoundError extends HttpError {
  constructor() {
    super(404, 'not_found', 'error.notFound.title', 'error.notFound.text');
  }
}

/** A bad query or path parameter; `textKey` says which and how to fix it. */
export class BadRequestError extends HttpError {
  constructor(textKey: MessageKey = 'error.badRequest.text', params?: Params) {
    super(400, 'bad_request', 'error.badRequest.title', textKey, params);
  }
}

export class ForbiddenError extends HttpError {
  constructor() {
    super(403, 'forbidden', 'error.forbidden.title', 'error.forbidden.text');
  }
}

export class CsrfError extends HttpError {
  constructor() {
    super(403, 'csrf', 'error.csrf.title', 'error.csrf.text');
  }
}

export class ConflictError extends HttpError {
  constructor(textKey: MessageKey = 'error.conflict.text', params?: Params) {
    super(409, 'conflict', 'error.conflict.title', textKey, params);
  }
}

export class TooManyRequestsError extends HttpError {
  /** `textKey` with `params` says when to try again (see web/limits.ts). */
  constructor(textKey: MessageKey = 'error.tooMany.text', params?: Params) {
    super(429, 'too_many_requests', 'error.tooMany.title', textKey, params);
  }
}

/**
 * The database cannot be written (disk full, read-only, I/O error): nothing was stored; try again later.
 * Worded for any form (staff pages, login, a group's cancellation); the public request and edit forms answer
 * with their own wording, "Das Haus kann gerade keine Anfragen annehmen" (error.storage.*, bookings/routes.ts).
 */
export class StorageUnavailableError extends HttpError {
  constructor() {
    super(503, 'storage_unavailable', 'error.storageAny.title', 'error.storageAny.text');
  }
}

/**
 * The edge's map from a domain error code (src/errors.ts) to status and texts: the one place where a domain
 * failure becomes HTTP. Adding a code there without a line here does not compile.
 */
const DOMAIN_TO_HTTP: Record<DomainErrorCode, (params?: Params) => HttpError> = {
  not_found: () => new NotFoundError(),
  conflict: () => new ConflictError(),
  clash: () => new ConflictError('error.conflict.text'),
  foreign_date: () => new BadRequestError('staff.error.foreignDate'),
  not_live: () => new BadRequestError('staff.error.notLive'),
  unknown_room: () => new BadRequestError('staff.error.room'),
  bad_date: (params) => new BadRequestError('error.badDate', params),
  bad_month: (params) => new BadRequestError('error.badMonth', params),
  date_out_of_range: (params) => new BadRequestError('error.dateOutOfRange', params),
};

export function httpErrorOf(err: DomainError): HttpError {
  return DOMAIN_TO_HTTP[err.code](err.params);
}
