/** Who holds a request, as the API says it: `claimedByName` and `claimedByMe` come with every queue row and detail. */
import type { QueueItem } from './types.js';

/** A queue row or a request's detail: both carry the claim the same way. */
type Claimable = Pick<QueueItem, 'state' | 'claimedByMe' | 'claimedByName'>;

export const isClaimed = (item: Claimable): boolean => item.state === 'claimed';

export const isMine = (item: Claimable): boolean => isClaimed(item) && item.claimedByMe;

export const holderName = (item: Claimable): string | undefined => item.claimedByName ?? undefined;
