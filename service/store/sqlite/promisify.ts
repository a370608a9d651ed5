/** `QueriesAtRest` from a synchronous implementation: each call answers a settled Promise (a throw becomes a rejection). */
import type { QueriesAtRest } from '../at-rest.js';
import type { SyncQueries } from './queries.js';

export function promisify(sync: SyncQueries): QueriesAtRest {
  // Each method is wrapped once, on first use: a wrapper made per call would be garbage per call.
  const wrapped = new Map<string, unknown>();
  return new Proxy(sync, {
    get(target, method: string) {
      const known = wrapped.get(method);
      if (known) return known;
      const fn = (target as unknown as Record<string, (...args: unknown[]) => unknown>)[method];
      if (typeof fn !== 'function') return fn;
      const wrapper = (...args: unknown[]) => {
        try {
          return Promise.resolve(fn.apply(target, args));
        } catch (err) {
          return Promise.reject(err);
        }
      };
      wrapped.set(method, wrapper);
      return wrapper;
    },
  }) as unknown as QueriesAtRest;
}
