/** The open requests of every practice the operator works for, read once per change of the stream for the whole page. */
import { api } from './api.js';
import type { QueuePage } from './types.js';

/** The last reading of the open queue: what the queue page lists, what the tab title counts, what the alerts watch. */
export interface OpenQueueSnapshot {
  /** The last page read successfully; kept when a later reading fails, so the count does not blink away. */
  page: QueuePage | undefined;
  /** Why the last reading failed, if it did. */
  problem: 'network' | 'error' | undefined;
  /** The number of the last `refresh()` this reading started after: whatever changed before it is in it. */
  covers: number;
}

/**
 * Reads `GET /v1/queue?state=open` when asked, one reading at a time: requests made meanwhile ask for one more, so a
 * burst of events costs two readings, not twenty. Each reading ends in `onRead`.
 */
export class OpenQueue {
  /** Counts the calls of `refresh()`. */
  asked = 0;
  private snapshot: OpenQueueSnapshot = { page: undefined, problem: undefined, covers: 0 };
  private reading = false;

  constructor(private readonly onRead: (snapshot: OpenQueueSnapshot) => void) {}

  get current(): OpenQueueSnapshot {
    return this.snapshot;
  }

  /** Asks for a new reading and returns its number: a snapshot whose `covers` is at least that number saw what happened before. */
  refresh(): number {
    const asked = ++this.asked;
    void this.read();
    return asked;
  }

  /** Signed out: nothing is kept for the next account. */
  clear(): void {
    this.snapshot = { page: undefined, problem: undefined, covers: this.asked };
  }

  private async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      while (this.snapshot.covers < this.asked) {
        const covers = this.asked;
        const result = await api.get<QueuePage>('/v1/queue?state=open');
        this.snapshot = result.ok
          ? { page: result.value, problem: undefined, covers }
          : { page: this.snapshot.page, problem: result.status === 0 ? 'network' : 'error', covers };
        this.onRead(this.snapshot);
      }
    } finally {
      this.reading = false;
    }
  }
}
