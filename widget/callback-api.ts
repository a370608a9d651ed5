/** The form's calls to the public API: send a callback request, once, whatever the retries. In the form's chunk, not the first screen's. */
import type { CallbackCreated, CallbackRequest } from '../shared/schemas.js';
import { call, practiceUrl, type ApiResult } from './api.js';

export type { ApiFailure } from './api.js';

/** `POST /v1/practices/:slug/callbacks`; the same `idempotencyKey` on a retry lets the service answer once. */
export function postCallback(api: string, practice: string, body: CallbackRequest, idempotencyKey: string): Promise<ApiResult<CallbackCreated>> {
  return call<CallbackCreated>(practiceUrl(api, practice, 'callbacks'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(body),
  });
}

/** A random key for `Idempotency-Key`; `crypto.randomUUID` is missing on plain-http host pages, `getRandomValues` is not. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
