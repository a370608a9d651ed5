/**
 * The event bus of every instance on one PostgreSQL database: `publish` sends a NOTIFY, and one LISTEN connection per
 * instance hands each notification — its own instance's included — to that instance's subscribers, once. A request
 * taken on one instance reaches the consoles connected to any other.
 */
import postgres from 'postgres';
import { createListeners, type EventBus, type QueueEvent } from './events.js';
import type { Logger } from './log.js';
import { randomToken } from './crypto.js';

/** The channel every instance listens on. */
export const EVENTS_CHANNEL = 'permanence_events';

/** What the bus's connections call themselves in `pg_stat_activity`. */
export const EVENTS_APPLICATION = 'permanence-events';

/**
 * Events per NOTIFY: a payload must stay under 8,000 bytes, and an event (a type, a practice's slug, a reference) takes
 * about a hundred.
 */
const EVENTS_PER_NOTIFY = 40;

/**
 * How often the instance checks that its LISTEN connection still hears: it sends itself a ping, and expects it back
 * before the next check. This also finds a connection gone silent without closing (a network cut), which the client
 * would not notice for minutes.
 */
const CHECK_EVERY_MS = 10_000;

/** A NOTIFY not answered by then is taken for failed: a connection gone silent must not hold the events up. */
const NOTIFY_TIMEOUT_MS = 5_000;

export interface PostgresEventBusOptions {
  /** DATABASE_URL. */
  url: string;
  log: Logger;
  checkEveryMs?: number;
}

/**
 * What travels in a notification: identifiers only (a type, a practice, a reference), never a patient's detail; a ping
 * to itself; or `resync`, from an instance whose events could not be sent for a while: the others' consoles read again.
 */
type Notification = { from: string; events: [QueueEvent['type'], string, string][] } | { from: string; ping: number } | { from: string; resync: true };

/**
 * Answers once the instance listens. Events travel in the order they were published (one NOTIFY at a time, those that
 * wait going together). Should the LISTEN connection drop, the client opens another; should a ping sent to itself not
 * come back by the next check, the instance starts over with new connections. Events published in between are not
 * heard here: once it listens again, its subscribers are told of the gap (`onGap`), and consoles read the queue again.
 */
export async function createPostgresEventBus(options: PostgresEventBusOptions): Promise<EventBus> {
  const { log } = options;
  const instance = randomToken(9);
  const listeners = createListeners((error) => log.error('events_listener_failed', { error: error instanceof Error ? error.message : String(error) }));
  let client: postgres.Sql | undefined;
  let closed = false;
  /** Whether it has listened before: listening again means events may have gone unheard in between. */
  let listened = false;

  // The ping last sent through the notifying connection, and the last one heard back on the listening one.
  let pingSent = 0;
  let pingHeard = 0;

  function heard(payload: string, from: postgres.Sql) {
    if (from !== client) return;
    let note: Notification;
    try {
      note = JSON.parse(payload) as Notification;
    } catch {
      return;
    }
    if ('ping' in note) {
      if (note.from === instance) pingHeard = Math.max(pingHeard, note.ping);
      return;
    }
    if ('resync' in note) {
      // Its own consoles heard its events, delivered here when the NOTIFY failed.
      if (note.from !== instance) listeners.gap();
      return;
    }
    for (const [type, practice, ref] of note.events) listeners.deliver({ type, practice, ref });
  }

  /** A client of its own: one connection notifies, the other (opened by `listen`) listens. */
  async function connectAndListen(): Promise<void> {
    const sql = postgres(options.url, { max: 1, onnotice: () => {}, connection: { application_name: EVENTS_APPLICATION } }) as unknown as postgres.Sql;
    client = sql;
    try {
      await sql.listen(
        EVENTS_CHANNEL,
        (payload) => heard(payload, sql),
        // Called again each time the client listens anew on a connection of its own after a drop.
        () => {
          log.info('events_listening', { channel: EVENTS_CHANNEL });
          if (listened) listeners.gap();
          listened = true;
        },
      );
    } catch (error) {
      if (client === sql) client = undefined;
      await sql.end({ timeout: 0 });
      throw error;
    }
  }

  function notify(note: Notification): Promise<unknown> {
    if (!client) return Promise.reject(new Error('not listening'));
    const sent = client.notify(EVENTS_CHANNEL, JSON.stringify(note));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to NOTIFY within ${NOTIFY_TIMEOUT_MS} ms`)), NOTIFY_TIMEOUT_MS);
    });
    return Promise.race([sent, late]).finally(() => clearTimeout(timer));
  }

  // Publishing: one NOTIFY at a time keeps the order; what is published meanwhile goes in the next.
  const waiting: QueueEvent[] = [];
  let sending: Promise<void> | undefined;
  /** Events of this instance's went unheard by the others: once a NOTIFY goes through again, they are told to read again. */
  let unheard = false;
  async function send(): Promise<void> {
    while (waiting.length) {
      const batch = waiting.splice(0, EVENTS_PER_NOTIFY);
      try {
        await notify({ from: instance, events: batch.map((e) => [e.type, e.practice, e.ref]) });
      } catch (error) {
        // Not sent, so nobody heard it: this instance's consoles at least hear of it.
        log.error('events_notify_failed', { events: batch.length, error: error instanceof Error ? error.message : String(error) });
        unheard = true;
        for (const event of batch) listeners.deliver(event);
        continue;
      }
      if (!unheard) continue;
      // Through again: the other instances are told they may have missed some.
      try {
        await notify({ from: instance, resync: true });
        unheard = false;
      } catch {
        // Told after the next batch.
      }
    }
  }

  async function check(): Promise<void> {
    if (pingHeard < pingSent) {
      log.warn('events_listen_lost', { channel: EVENTS_CHANNEL });
      const old = client;
      client = undefined;
      // Not waited for: a silent connection may never answer the goodbye.
      void old?.end({ timeout: 0 }).catch(() => {});
      await connectAndListen();
      pingHeard = pingSent;
    }
    pingSent++;
    // Not waited for either: the next check finds out whether it came back.
    notify({ from: instance, ping: pingSent }).catch(() => {});
  }

  await connectAndListen();
  let checking: Promise<void> | undefined;
  const timer = setInterval(() => {
    checking ??= check()
      .catch((error: unknown) => log.error('events_check_failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => (checking = undefined));
  }, options.checkEveryMs ?? CHECK_EVERY_MS);
  timer.unref();

  return {
    publish(event) {
      if (closed) return;
      waiting.push(event);
      sending ??= send().finally(() => (sending = undefined));
    },
    subscribe: listeners.subscribe,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await checking;
      await sending;
      await client?.end({ timeout: 1 });
      client = undefined;
    },
  };
}
