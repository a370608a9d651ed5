/**
 * The outbox worker: delivers messages committed with the data they confirm, retrying
 * with backoff; a message that keeps failing (or fails for good) is dead-lettered for admins.
 */
import type { Logger } from '../log.js';
import type { EmailPayload, OutboxItem, SmsPayload, Store } from '../store/store.js';
import { DeliveryError } from './delivery-error.js';
import type { EmailSender } from './email.js';
import type { SmsSender } from './sms/index.js';

/** Delays before the 2nd, 3rd… try; after the last one the message is dead. */
const BACKOFF_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];

export interface OutboxWorker {
  /** Delivers every message due now; resolves when this pass is over. */
  runOnce(): Promise<number>;
  /** Asks for a pass soon (after a commit that queued something). */
  wake(): void;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

export interface OutboxDeps {
  store: Store;
  email: EmailSender;
  sms: SmsSender;
  log: Logger;
  now: () => Date;
  backoffMs?: number[];
}

export function createOutboxWorker(deps: OutboxDeps): OutboxWorker {
  const backoff = deps.backoffMs ?? BACKOFF_MS;
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  async function deliver(item: OutboxItem): Promise<void> {
    if (item.channel === 'email') await deps.email.send(item.recipient, item.payload as EmailPayload, item.purpose);
    else await deps.sms.send(item.recipient, (item.payload as SmsPayload).body);
  }

  async function pass(): Promise<number> {
    let sent = 0;
    for (const item of await deps.store.dueOutbox(deps.now().toISOString(), 50)) {
      try {
        await deliver(item);
        await deps.store.markSent(item.id, deps.now().toISOString());
        sent++;
      } catch (err) {
        const permanent = err instanceof DeliveryError && err.permanent;
        const delay = permanent ? undefined : backoff[item.tries];
        const next = delay === undefined ? null : new Date(deps.now().getTime() + delay).toISOString();
        const reason = err instanceof Error ? err.message : String(err);
        await deps.store.markFailed(item.id, reason, next);
        // Identifiers only: the payload and the full recipient stay out of the log.
        deps.log[next ? 'warn' : 'error'](next ? 'outbox_retry' : 'outbox_dead', { id: item.id, channel: item.channel, purpose: item.purpose, tries: item.tries + 1, error: reason });
      }
    }
    return sent;
  }

  const worker: OutboxWorker = {
    runOnce() {
      if (running) {
        again = true;
        return running;
      }
      // A failing pass (database busy, a corrupt row) is logged; the next tick tries again. Nothing is lost: the rows stay pending.
      running = pass()
        .catch((err: unknown) => {
          deps.log.error('outbox_pass_failed', { error: err instanceof Error ? err.message : String(err) });
          return 0;
        })
        .finally(() => {
          running = undefined;
          if (again) {
            again = false;
            void worker.runOnce();
          }
        });
      return running;
    },
    wake() {
      void worker.runOnce();
    },
    start(intervalMs = 1000) {
      timer = setInterval(() => void worker.runOnce(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
  return worker;
}
