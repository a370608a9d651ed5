/** Keeping personal data no longer than needed: each practice's retention period, and erasure on request. */
import type { Store } from '../store/store.js';
import { ABSOLUTE_MS } from '../auth/session.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Idempotency keys are kept 24 hours (SPEC); after that a retry is a new request. */
const IDEMPOTENCY_MS = DAY_MS;

export interface PurgeResult {
  callbacks: number;
  idempotencyKeys: number;
  sessions: number;
}

/** Deletes requests closed longer ago than their practice's `retentionDays`, stale idempotency keys and dead sessions. Open requests stay. */
export function purgeExpired(store: Store, now: Date): PurgeResult {
  return store.transaction(() => {
    let callbacks = 0;
    for (const practice of store.listPractices()) {
      callbacks += store.purgeClosed(practice.slug, new Date(now.getTime() - practice.retentionDays * DAY_MS).toISOString());
    }
    return {
      callbacks,
      idempotencyKeys: store.purgeIdempotency(new Date(now.getTime() - IDEMPOTENCY_MS).toISOString()),
      sessions: store.purgeSessions(new Date(now.getTime() - ABSOLUTE_MS).toISOString()),
    };
  });
}
