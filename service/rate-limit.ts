/** In-memory sliding-window rate limits (per IP, per phone, failed sign-ins): lost on restart, which is acceptable for a brake on floods. */

export interface RateLimitOptions {
  /** How many hits a key may make within `windowMs`. */
  limit: number;
  windowMs: number;
  /** Keys tracked at most; beyond it the oldest key is forgotten, so a spray of addresses cannot exhaust memory. */
  maxKeys?: number;
}

export type RateLimitVerdict = { ok: true } | { ok: false; retryAfterS: number };

export interface RateLimiter {
  /** Records a hit for `key` at `now` unless the key is over its limit; refused hits are not recorded. */
  hit(key: string, now: Date): RateLimitVerdict;
  /** Takes back the hit recorded for `key` at `now` (a sign-in that turned out right is no failure). */
  forgive(key: string, now: Date): void;
  /** Keys currently tracked (for tests and metrics). */
  readonly size: number;
}

const defaults = { maxKeys: 50_000 };

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { limit, windowMs, maxKeys } = { ...defaults, ...options } satisfies Required<RateLimitOptions>;
  // Map keeps insertion order: re-inserting a key on each hit makes the first entry the least recently used.
  const hits = new Map<string, number[]>();

  return {
    hit(key, now) {
      const t = now.getTime();
      const recent = (hits.get(key) ?? []).filter((at) => at > t - windowMs);
      hits.delete(key);
      if (recent.length >= limit) {
        hits.set(key, recent);
        // The oldest hit in the window leaves it first; from then on one more is allowed.
        return { ok: false, retryAfterS: Math.max(1, Math.ceil((recent[0]! + windowMs - t) / 1000)) };
      }
      recent.push(t);
      hits.set(key, recent);
      if (hits.size > maxKeys) hits.delete(hits.keys().next().value!);
      return { ok: true };
    },
    forgive(key, now) {
      const list = hits.get(key);
      const i = list?.lastIndexOf(now.getTime()) ?? -1;
      if (list && i >= 0) list.splice(i, 1);
    },
    get size() {
      return hits.size;
    },
  };
}
