// The API's errors: an HttpError that also names the query parameter it is about (`error.field` in the JSON body).
import type { MessageKey, Params } from '../i18n/index.js';
import { HttpError } from '../web/errors.js';

export class ApiError extends HttpError {
  constructor(
    status: number,
    code: string,
    textKey: MessageKey,
    params?: Params,
    readonly field?: string,
  ) {
    super(status, code, status === 404 ? 'error.notFound.title' : 'error.badRequest.title', textKey, params);
  }
}
