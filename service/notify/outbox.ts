/**
 * The outbox worker: delivers messages committed with the data they confirm, retrying
 * with backoff; a message that keeps failing (or fails for good) is dead-lettered for admins.
 *
 * Each channel (email, SMS) is its own lane with a few slots (`concurrency`, 4 by default): a pass
 * reads the due messages and starts as many of each channel as its lane has free slots; the rest
 * stay in the store for the next pass, which starts as soon as a slot frees. A message that stalls
 * (an SMTP server that accepts the connection and never answers) holds one slot until its sender's
 * timeout, and never holds up the other channel. A message being sent is not started again by
 * another pass, so none goes out twice at once; nor by another instance's worker on the same database: a
 * pass leases what it picks (`leaseMs`, longer than any try), and a message whose instance died mid-send is
 * picked again once its lease has run out.
 *
 * Retries (docs/sms.md, "The outbox"): 10 s, 20 s, 30 s, then every 45 s for six minutes, so a server
 * back after a short outage gets its messages within a minute; then 2, 5, 10, 20, 30 min, 1 h, 1 h.
 * After 19 tries, about 3 h 15 min after the first, the message is dead; `retryNow` brings it back.
 */
import type { Logger } from '../log.js';
import type { EmailPayload, OutboxItem, SmsPayload, Store } from '../store/store.js';
import { DeliveryError } from './delivery-error.js';
import type { EmailSender } from './email.js';
import type { SmsSender } from './sms/index.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Delays before the 2nd, 3rd… try; after the last one the message is dead. */
export const BACKOFF_MS = [
  10 * SECOND,
  20 * SECOND,
  30 * SECOND,
  ...Array<number>(8).fill(45 * SECOND),
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  20 * MINUTE,
  30 * MINUTE,
  60 * MINUTE,
  60 * MINUTE,
];

/** Messages of one channel being sent at once. */
const DEFAULT_CONCURRENCY = 4;

/**
 * How long a picked message stays out of other instances' reach: longer than any try (the senders give up within
 * a minute), short enough that what a dead instance was sending goes out again soon.
 */
export const LEASE_MS = 2 * MINUTE;

type Channel = OutboxItem['channel'];
const CHANNELS: readonly Channel[] = ['email', 'sms'];

/** What became of one try. */
export type DeliveryOutcome = { outcome: 'sent' } | { outcome: 'failed'; state: 'pending' | 'dead'; error: string };

/** What `retryNow` did: the try's outcome, or why there was none. */
export type RetryNowResult =
  | DeliveryOutcome
  /** No pending or dead message has this id (already sent, purged, or never there). */
  | { outcome: 'not_found' }
  /** The message is being sent right now, by this instance or another. */
  | { outcome: 'in_flight' }
  /** Every slot of its channel is taken (a slow server): nothing was tried, ask again shortly. */
  | { outcome: 'busy' };

export interface OutboxWorker {
  /**
   * Starts every due message its lane has room for; resolves, once those tries are over, with
   * how many of them were sent. Messages left for lack of a slot go in the passes that follow.
   */
  runOnce(): Promise<number>;
  /** Asks for a pass soon (after a commit that queued something). */
  wake(): void;
  start(intervalMs?: number): void;
  /** Stops the passes and waits for the tries under way, each bounded by its sender's timeout. */
  stop(): Promise<void>;
  /**
   * Tries a pending or dead message now, whatever its schedule (the admins' "retry now").
   * Resolves when the try is over. A dead message that fails again stays dead with the new error.
   */
  retryNow(id: number): Promise<RetryNowResult>;
}

export interface OutboxDeps {
  store: Store;
  email: EmailSender;
  sms: SmsSender;
  log: Logger;
  now: () => Date;
  backoffMs?: number[];
  /** Messages of one channel sent at once (4 by default). */
  concurrency?: number;
  /** How long a message picked for a try is leased to this worker (`LEASE_MS` by default). */
  leaseMs?: number;
  /** Told after a message's first failed try, and when it dies (a practitioner's notice falls back to the other channel). */
  onFailed?: (item: OutboxItem) => Promise<void>;
  /** Told after each try is recorded, with where the message stands (a practitioner's message audits its deliveries). */
  onDelivery?: (item: OutboxItem, state: 'sent' | 'failed' | 'dead') => Promise<void>;
}

/** How long a wake waits for others to join it. */
const WAKE_COALESCE_MS = 10;

export function createOutboxWorker(deps: OutboxDeps): OutboxWorker {
  const backoff = deps.backoffMs ?? BACKOFF_MS;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const leaseUntil = (now: Date) => new Date(now.getTime() + leaseMs).toISOString();
  const inFlight: Record<Channel, number> = { email: 0, sms: 0 };
  // Ids not to start again: being sent, or sent/failed since the last read of the outbox began (that
  // read may predate their commit and still show them pending). Released at the start of the next read.
  const held = new Set<number>();
  let settled: number[] = [];
  const underway = new Set<Promise<DeliveryOutcome>>();
  // A pass left due messages in the store (their lane was full, or past its window).
  let behind = false;
  let stopped = false;
  let passing: Promise<Promise<DeliveryOutcome>[]> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let waking: NodeJS.Timeout | undefined;

  // Passes and retryNow read the outbox and start tries one at a time, so a message is never picked twice.
  let gate: Promise<unknown> = Promise.resolve();
  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = gate.then(task);
    gate = run.catch(() => undefined);
    return run;
  }

  const hasRoom = (channel: Channel) => inFlight[channel] < concurrency;

  /** A hook's failure is logged, never taken for the try's: the outcome is already recorded. */
  async function told(hook: string, item: OutboxItem, done: Promise<void> | undefined): Promise<void> {
    await done?.catch((error: unknown) => deps.log.error(`outbox_${hook}_failed`, { id: item.id, error: error instanceof Error ? error.message : String(error) }));
  }

  function releaseSettled(): void {
    for (const id of settled) held.delete(id);
    settled = [];
  }

  async function attempt(item: OutboxItem, revived: boolean): Promise<DeliveryOutcome> {
    let providerRef: string | undefined;
    try {
      if (item.channel === 'email') await deps.email.send(item.recipient, item.payload as EmailPayload, item.purpose);
      else providerRef = (await deps.sms.send(item.recipient, (item.payload as SmsPayload).body)).providerId;
    } catch (err) {
      const permanent = err instanceof DeliveryError && err.permanent;
      // A dead message an admin retried had its schedule: failing again, it goes back to the dead letters.
      const delay = permanent || revived ? undefined : backoff[item.tries];
      const next = delay === undefined ? null : new Date(deps.now().getTime() + delay).toISOString();
      const reason = err instanceof Error ? err.message : String(err);
      await deps.store.markFailed(item.id, reason, next);
      // Identifiers only: the payload and the full recipient stay out of the log.
      deps.log[next ? 'warn' : 'error'](next ? 'outbox_retry' : 'outbox_dead', { id: item.id, channel: item.channel, purpose: item.purpose, tries: item.tries + 1, error: reason });
      // The first failure is enough to try the other channel: a practitioner's notice must not wait out the retries.
      await told('onDelivery', item, deps.onDelivery?.(item, next ? 'failed' : 'dead'));
      if (item.tries === 0 || !next) await told('onFailed', item, deps.onFailed?.(item));
      return { outcome: 'failed', state: next ? 'pending' : 'dead', error: reason };
    }
    await deps.store.markSent(item.id, deps.now().toISOString(), providerRef);
    await told('onDelivery', item, deps.onDelivery?.(item, 'sent'));
    return { outcome: 'sent' };
  }

  /** Takes a slot of the message's lane for one try. */
  function startTry(item: OutboxItem, revived = false): Promise<DeliveryOutcome> {
    inFlight[item.channel]++;
    held.add(item.id);
    let recorded = true;
    const run = attempt(item, revived)
      .catch((err: unknown): DeliveryOutcome => {
        // The outcome could not be written: the row stays pending, and a pass tries it again once its lease has run out.
        recorded = false;
        const error = err instanceof Error ? err.message : String(err);
        deps.log.error('outbox_record_failed', { id: item.id, channel: item.channel, error });
        return { outcome: 'failed', state: 'pending', error };
      })
      .finally(() => {
        inFlight[item.channel]--;
        settled.push(item.id);
        underway.delete(run);
        // A slot is free: what a full lane left behind goes now rather than at the next tick. Not after a
        // failed write, which would send the same message again at once; the tick retries it.
        if (behind && recorded) worker.wake();
      });
    underway.add(run);
    return run;
  }

  /**
   * Each lane reads only as many due messages as it has free slots, and never one being sent: a backlog
   * of emails waiting on a hung server is neither read nor decrypted at every pass, nor hides an SMS.
   */
  async function pass(): Promise<Promise<DeliveryOutcome>[]> {
    releaseSettled();
    behind = false;
    const started: Promise<DeliveryOutcome>[] = [];
    for (const channel of CHANNELS) {
      const room = concurrency - inFlight[channel];
      if (room <= 0) {
        behind = true;
        continue;
      }
      // Only what there is room for: a message picked is leased, and one picked but not started would wait out its
      // lease. Whether some are left waiting comes with it.
      const now = deps.now();
      const due = await deps.store.dueOutbox(now.toISOString(), channel, room, leaseUntil(now), [...held]);
      for (const item of due.picked) started.push(startTry(item));
      if (due.more) behind = true;
    }
    return started;
  }

  const countSent = async (started: Promise<DeliveryOutcome>[]) => (await Promise.all(started)).filter((o) => o.outcome === 'sent').length;

  const worker: OutboxWorker = {
    runOnce() {
      if (passing) {
        again = true;
        return passing.then(countSent);
      }
      // A failing pass (database busy, a corrupt row) is logged; the next tick tries again. Nothing is lost: the rows stay pending.
      const current = exclusive(pass).catch((err: unknown) => {
        deps.log.error('outbox_pass_failed', { error: err instanceof Error ? err.message : String(err) });
        return [];
      });
      passing = current;
      // The pass is over once its tries have started, not when they end: a slow send holds its slot, not the next pass.
      void current.then(() => {
        passing = undefined;
        const rerun = again && !stopped;
        again = false;
        if (rerun) void worker.runOnce();
      });
      return current.then(countSent);
    },
    wake() {
      // Wakes within a few milliseconds make one pass: under a burst of requests, one read of the outbox per batch, not per request.
      if (stopped || waking) return;
      waking = setTimeout(() => {
        waking = undefined;
        if (!stopped) void worker.runOnce();
      }, WAKE_COALESCE_MS);
    },
    start(intervalMs = 1000) {
      stopped = false;
      timer = setInterval(() => void worker.runOnce(), intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      clearTimeout(waking);
      waking = undefined;
      while (passing || underway.size) {
        await passing;
        await Promise.all(underway);
      }
    },
    async retryNow(id) {
      // The try is wrapped, not returned: a promise handed back from the gate would hold it until the try ends.
      const picked = await exclusive(async (): Promise<RetryNowResult | { started: Promise<DeliveryOutcome> }> => {
        releaseSettled();
        if (held.has(id)) return { outcome: 'in_flight' };
        const item = await deps.store.getOutbox(id);
        if (!item || item.state === 'sent') return { outcome: 'not_found' };
        if (!hasRoom(item.channel)) return { outcome: 'busy' };
        const now = deps.now();
        // Another instance's worker may be sending it right now.
        const leased = await deps.store.leaseOutbox(id, now.toISOString(), leaseUntil(now));
        if (!leased) return { outcome: 'in_flight' };
        deps.log.info('outbox_retry_now', { id, channel: leased.channel, purpose: leased.purpose, state: leased.state, tries: leased.tries });
        return { started: startTry(leased, leased.state === 'dead') };
      });
      return 'started' in picked ? picked.started : picked;
    },
  };
  return worker;
}
