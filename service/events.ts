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
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: QueueEvent) => void): () => void;
  /** Stops: what was published is sent first, then nothing more is heard. */
  close(): Promise<void>;
}

/** Subscribers of this process, each told of every event; a failing one does not keep the others from hearing. */
export function createListeners(onError: (error: unknown) => void = () => {}) {
  const listeners = new Set<(event: QueueEvent) => void>();
  return {
    deliver(event: QueueEvent) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onError(error);
        }
      }
    },
    subscribe(listener: (event: QueueEvent) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
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
