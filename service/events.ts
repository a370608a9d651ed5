/**
 * Publish/subscribe of queue changes, fanned out to consoles over Server-Sent Events: in this process (SQLite, whose
 * file one process owns), or across every instance on one PostgreSQL database (events-postgres.ts).
 */
export interface QueueEvent {
  type: 'callback.created' | 'callback.updated';
  practice: string;
  ref: string;
}

export interface EventBus {
  /** Every subscriber hears the event once, on whichever instance it is subscribed. */
  publish(event: QueueEvent): void;
  /**
   * Returns the function that unsubscribes. `onGap` is told when this instance may have missed events (its link to the
   * other instances was lost, and is back): whoever shows the queue reads it again.
   */
  subscribe(listener: (event: QueueEvent) => void, onGap?: () => void): () => void;
  /** Stops: what was published is sent first, then nothing more is heard. */
  close(): Promise<void>;
}

/** Subscribers of this process, each told of every event; a failing one does not keep the others from hearing. */
export function createListeners(onError: (error: unknown) => void = () => {}) {
  const listeners = new Set<(event: QueueEvent) => void>();
  const gapListeners = new Set<() => void>();
  const tell = <T>(each: Set<(value: T) => void>, value: T) => {
    for (const listener of each) {
      try {
        listener(value);
      } catch (error) {
        onError(error);
      }
    }
  };
  return {
    deliver: (event: QueueEvent) => tell(listeners, event),
    /** Events may have been missed: every subscriber that asked is told. */
    gap: () => tell(gapListeners, undefined),
    subscribe(listener: (event: QueueEvent) => void, onGap?: () => void) {
      listeners.add(listener);
      if (onGap) gapListeners.add(onGap);
      return () => {
        listeners.delete(listener);
        if (onGap) gapListeners.delete(onGap);
      };
    },
  };
}

/** The bus of one process. */
export function createEventBus(): EventBus {
  const listeners = createListeners();
  return {
    publish: listeners.deliver,
    subscribe: listeners.subscribe,
    async close() {},
  };
}
