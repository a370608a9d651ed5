/** In-process publish/subscribe of queue changes, fanned out to consoles over Server-Sent Events. */
export interface QueueEvent {
  type: 'callback.created' | 'callback.updated';
  practice: string;
  ref: string;
}

export interface EventBus {
  publish(event: QueueEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: QueueEvent) => void): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<(event: QueueEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
