/** `Queries` from a synchronous implementation: each call answers a settled Promise (a throw becomes a rejection). */
import type { Queries } from '../store.js';
import type { SyncQueries } from './queries.js';

export function promisify(sync: SyncQueries): Queries {
  return new Proxy(sync, {
    get(target, method: string) {
      const fn = (target as unknown as Record<string, (...args: unknown[]) => unknown>)[method];
      if (typeof fn !== 'function') return fn;
      return (...args: unknown[]) => {
        try {
          return Promise.resolve(fn.apply(target, args));
        } catch (err) {
          return Promise.reject(err);
        }
      };
    },
  }) as unknown as Queries;
}
