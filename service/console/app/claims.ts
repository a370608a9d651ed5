/** Who holds a request, as the API says it: `claimedByName` and `claimedByMe` come with every queue row and detail. */
import type { QueueItem } from './types.js';

export const isClaimed = (item: QueueItem): boolean => item.state === 'claimed';

export const isMine = (item: QueueItem): boolean => isClaimed(item) && item.claimedByMe === true;

export const holderName = (item: QueueItem): string | undefined => item.claimedByName ?? undefined;
