/** The widget's client of the public API: how a call goes and fails, and loading a practice's configuration; the form sends with callback-api.ts. */
import type { ApiError, FieldErrorCode, WidgetConfig } from '../shared/schemas.js';

/** Why a call to the service did not give what was asked. */
export type ApiFailure =
  | { kind: 'network' }
  | { kind: 'validation'; fields: Record<string, FieldErrorCode> }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'http'; status: number; code: string };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

// No cookie goes either way: the widget is anonymous and must not be tracked across practice sites.
const requestInit: RequestInit = { credentials: 'omit', mode: 'cors', cache: 'no-store' };

export function practiceUrl(api: string, practice: string, tail: string): string {
  return `${api.replace(/\/+$/, '')}/v1/practices/${encodeURIComponent(practice)}/${tail}`;
}

/** Seconds to wait from a `Retry-After` header, which may be a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (!header) return 60;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? 60 : Math.max(0, Math.ceil((at - now) / 1000));
}

async function failureOf(response: Response): Promise<ApiFailure> {
  if (response.status === 429) return { kind: 'rate_limited', retryAfterSeconds: retryAfterSeconds(response.headers.get('Retry-After')) };
  let body: Partial<ApiError> = {};
  try {
    body = (await response.json()) as Partial<ApiError>;
  } catch {
    // A proxy's HTML error page: the status alone has to do.
  }
  const fields = body.error?.fields;
  if (response.status === 400 && fields && Object.keys(fields).length) return { kind: 'validation', fields };
  return { kind: 'http', status: response.status, code: body.error?.code ?? `http_${response.status}` };
}

export async function call<T>(url: string, init: RequestInit): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...requestInit, ...init });
  } catch {
    return { ok: false, failure: { kind: 'network' } };
  }
  if (!response.ok) return { ok: false, failure: await failureOf(response) };
  try {
    return { ok: true, value: (await response.json()) as T };
  } catch {
    // A 200 that is not JSON means something between us and the service answered instead of it.
    return { ok: false, failure: { kind: 'network' } };
  }
}

/** `GET /v1/practices/:slug/widget`. */
export function fetchWidgetConfig(api: string, practice: string, signal?: AbortSignal): Promise<ApiResult<WidgetConfig>> {
  return call<WidgetConfig>(practiceUrl(api, practice, 'widget'), { method: 'GET', headers: { Accept: 'application/json' }, signal: signal ?? null });
}
