/** The console's client of the JSON API: same origin, session cookie, the CSRF token on every write. */
import type { ApiError } from '../shared/schemas.js';

export type ApiResult<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: number; code: string; message: string; fields: Record<string, string>; retryAfterS?: number };

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ConsoleApi {
  /** Set from `GET /v1/me`; a new login gives a new one. */
  csrfToken = '';
  /** Called when any call answers 401, so the app can show the login form again. */
  onUnauthenticated: () => void = () => {};

  async request<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (WRITES.has(method) && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    let response: Response;
    try {
      response = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', body: body === undefined ? null : JSON.stringify(body) });
    } catch {
      return { ok: false, status: 0, code: 'network', message: '', fields: {} };
    }
    if (response.ok) {
      const text = await response.text();
      return { ok: true, status: response.status, value: (text ? JSON.parse(text) : undefined) as T };
    }
    let error: Partial<ApiError['error']> = {};
    try {
      error = ((await response.json()) as ApiError).error ?? {};
    } catch {
      // A proxy's HTML page: the status alone has to do.
    }
    // The login call itself answers 401 for a wrong password; that is not a lost session.
    if (response.status === 401 && path !== '/v1/session') this.onUnauthenticated();
    // Only the seconds form: the service never sends an HTTP date.
    const retryAfter = Number(response.headers.get('Retry-After') ?? NaN);
    return {
      ok: false,
      status: response.status,
      code: error.code ?? `http_${response.status}`,
      message: error.message ?? '',
      fields: (error.fields ?? {}) as Record<string, string>,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterS: retryAfter } : {}),
    };
  }

  get<T>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  put<T>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
}

/** The one client of the page. */
export const api = new ConsoleApi();
