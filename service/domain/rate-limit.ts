/**
 * Sliding-window rate limits (per IP, per phone, failed sign-ins), counted by the store so that every instance counts
 * together (`storedRateLimiter`): in a table on PostgreSQL, in memory on SQLite, whose one process keeps them with
 * `createRateLimiter`. Lost on a SQLite restart, which is acceptable for a brake on floods.
 */
import { isIP } from 'node:net';
import type { Queries } from '../store/store.js';

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

/** A limit whose hits the store counts: the same for every instance of the service on that store. */
export interface StoredRateLimiter {
  /** Counts a hit for `key` at `now` unless the key is over its limit; refused hits are not counted. */
  hit(key: string, now: Date): Promise<RateLimitVerdict>;
  /** Takes back the hit counted for `key` at `now` (a sign-in that turned out right is no failure). */
  forgive(key: string, now: Date): Promise<void>;
}

/** A limit named `name` (its keys are counted apart from every other limit's), counted by `store`. */
export function storedRateLimiter(store: Pick<Queries, 'countHit' | 'forgiveHit'>, name: string, options: Pick<RateLimitOptions, 'limit' | 'windowMs'>): StoredRateLimiter {
  return {
    hit: (key, now) => store.countHit(`${name} ${key}`, options.limit, options.windowMs, now.toISOString()),
    forgive: (key, now) => store.forgiveHit(`${name} ${key}`, now.toISOString()),
  };
}

/**
 * The unit a rate limit counts: an IPv4 address, or the /64 of an IPv6 one, since one subscriber
 * routinely holds a whole /64 and could otherwise take a fresh address for every request.
 */
export function rateLimitKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  return expandIPv6(ip).slice(0, 4).join(':') + '::/64';
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (`::1.2.3.4`) stands for two groups; the /64 never reaches it, so two placeholders do.
  const count = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array<string>(8 - count(left) - count(right)).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}
