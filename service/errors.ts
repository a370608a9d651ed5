/** The one error path of the API: throw an `ApiProblem`, `app.onError` answers SPEC's error shape. */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError, FieldErrorCode } from '../shared/schemas.js';

export class ApiProblem extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, FieldErrorCode>,
    readonly headers?: Record<string, string>,
  ) {
    super(status, { message });
  }

  body(): ApiError {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export const notFound = (what = 'Not found') => new ApiProblem(404, 'not_found', what);
export const invalid = (fields: Record<string, FieldErrorCode>, message = 'Some fields are invalid') =>
  new ApiProblem(400, 'validation_failed', message, fields);
