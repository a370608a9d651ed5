/** Keeping personal data no longer than needed: each practice's retention period, and erasure on request. */
import { transaction, type Store } from '../store/store.js';
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
export function purgeExpired(store: Store, now: Date): Promise<PurgeResult> {
  return store.transaction(purge, now.getTime());
}

const purge = transaction('retention.purge', async (tx, now: number): Promise<PurgeResult> => {
  let callbacks = 0;
  for (const practice of await tx.listPractices()) {
    callbacks += await tx.purgeClosed(practice.slug, new Date(now - practice.retentionDays * DAY_MS).toISOString());
  }
  return {
    callbacks,
    idempotencyKeys: await tx.purgeIdempotency(new Date(now - IDEMPOTENCY_MS).toISOString()),
    sessions: await tx.purgeSessions(new Date(now - ABSOLUTE_MS).toISOString()),
  };
});

/** Deletes every request from this phone (E.164), in every practice, and the SMS sent to it; audited without the number. */
export const eraseByPhone = transaction('retention.erase_phone', async (tx, { phone, actor, at }: { phone: string; actor: string; at: string }) => {
  const erased = await tx.eraseByPhone(phone);
  // The audit says that an erasure happened, not whose: the number is what was erased.
  await tx.audit({ at, actor, action: 'erase', details: { requests: erased } });
  return erased;
});
