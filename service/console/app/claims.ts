/** Who holds a request: the API names the operator by id, email or object, and the console only knows its own email. */
import type { ClaimHolder, Me, QueueItem } from './types.js';

/** References this page claimed itself, so "mine" holds even when the API names holders by an id the console cannot map. */
const claimedHere = new Set<string>();

export function rememberClaim(ref: string, held: boolean): void {
  if (held) claimedHere.add(ref);
  else claimedHere.delete(ref);
}

function holderKey(holder: ClaimHolder): string | number | undefined {
  if (holder === null || holder === undefined) return undefined;
  if (typeof holder === 'object') return holder.email ?? holder.id;
  return holder;
}

export function isClaimed(item: QueueItem): boolean {
  return item.state === 'claimed' || (item.state === 'queued' && item.claimedBy !== null && item.claimedBy !== undefined);
}

export function isMine(item: QueueItem, me: Me): boolean {
  if (!isClaimed(item)) return false;
  if (item.claimedByMe !== undefined) return item.claimedByMe;
  const key = holderKey(item.claimedBy);
  if (typeof key === 'string' && key.includes('@')) return key.toLowerCase() === me.email.toLowerCase();
  if (typeof key === 'number' && me.id !== undefined) return key === me.id;
  return claimedHere.has(item.ref);
}

/** A name to show for the holder, when the API gives one. */
export function holderName(item: QueueItem): string | undefined {
  if (item.claimedByName) return item.claimedByName;
  const holder = item.claimedBy;
  if (holder && typeof holder === 'object') return holder.name ?? holder.email;
  return typeof holder === 'string' ? holder : undefined;
}
