/** A patient cancelling their own request from the signed link: the domain rule, shared by the page and the API. */
import type { Deps } from '../context.js';
import { verifyCancelToken } from './links.js';
import { transaction, type Callback } from '../store/store.js';

type CancelResult = 'cancelled' | 'already_cancelled' | 'already_closed';

/**
 * Cancels `ref` for the holder of its signed token. An unknown reference and a wrong token get the
 * same `undefined`, so the link cannot be used to probe which references exist.
 */
export async function cancelByPatient(deps: Deps, ref: string, token: string): Promise<{ callback: Callback; result: CancelResult } | undefined> {
  const callback = await findForToken(deps, ref, token);
  if (!callback) return undefined;
  if (callback.state === 'cancelled') return { callback, result: 'already_cancelled' };
  if (callback.state === 'done') return { callback, result: 'already_closed' };
  const { cancelled, beforeConversation } = await deps.store.transaction(cancelRequest, { id: callback.id, now: deps.now().toISOString() });
  deps.log.info('callback_cancelled', { ref: cancelled.ref, practice: cancelled.practice, beforeConversation });
  deps.events.publish({ type: 'callback.updated', practice: cancelled.practice, ref: cancelled.ref });
  return { callback: cancelled, result: 'cancelled' };
}

const cancelRequest = transaction('callback.cancel', async (tx, { id, now }: { id: number; now: string }) => {
  const callback = await tx.cancelCallback(id, now);
  // "Before any conversation" keeps it out of billing; once an operator has called, the work was done.
  const beforeConversation = callback.attempts === 0 && callback.firstCallAt === null;
  await tx.audit({ at: now, actor: 'patient', action: 'callback.cancelled', practice: callback.practice, target: callback.ref, details: { beforeConversation, billable: !beforeConversation } });
  return { cancelled: callback, beforeConversation };
});

/** The request a signed link points to; undefined for a malformed reference or a wrong token. */
export async function findForToken(deps: Deps, ref: string, token: string): Promise<Callback | undefined> {
  // The token is checked first and alone: the database is not touched for a forged link.
  if (!/^CB-[A-Z0-9]{6}$/.test(ref) || !token || token.length > 64 || !verifyCancelToken(deps.sealer, ref, token)) return undefined;
  return deps.store.getCallback(ref);
}
