/**
 * The composition root: reads the configuration, opens the database, seeds an empty one,
 * starts the outbox worker, the HTTP server and the demo practice site.
 */
import { serve, type Http2Bindings, type HttpBindings, type ServerType } from '@hono/node-server';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from './http/app.js';
import { releaseIdleClaims } from './domain/work.js';
import { auditDelivery, deliveryFailed, runDueDigests, runDueEscalations } from './domain/messages.js';
import type { Deps } from './context.js';
import { ConfigError, loadConfig, type Config } from './env.js';
import { createSealer } from './crypto.js';
import { createLogger, type Logger } from './log.js';
import { DatabaseUnavailable, openStore, storeName } from './store/open.js';
import { TRANSACTION_MODULES } from './domain/transactions.js';
import { createEventBus } from './events.js';
import { createPostgresEventBus } from './events-postgres.js';
import { createPasswordHasher, type PasswordHasher } from './auth/password.js';
import { createEmailSender } from './notify/email.js';
import { createSmsSender } from './notify/sms/index.js';
import { createOutboxWorker } from './notify/outbox.js';
import { SEED_MODULE, seedIfEmpty } from '../demo/seed.js';
import { purgeExpired } from './domain/retention.js';
import { startDemoSite } from '../demo/site.js';

export interface RunningService {
  url: string;
  demoUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * How long a client may take to send a request. Bodies are small JSON (64 KB at most: 0.3 s at 1.6 Mbit/s), so a
 * client still sending after 15 s is holding a connection open on purpose; Node's default waits 300 s. Answers are
 * not limited: an event stream stays open for hours once its request has arrived.
 */
export const REQUEST_TIMEOUTS = { headersMs: 10_000, requestMs: 15_000, checkEveryMs: 1_000 };

/**
 * How long a shutdown waits for the requests under way (a commit takes milliseconds; these bound a stuck client), then
 * for the outbox's tries (each also bounded by its sender's own timeout). A try cut short stays pending in the outbox
 * and is made again, by another instance or this one once restarted.
 */
export const SHUTDOWN_WAITS = { requestsMs: 10_000, outboxMs: 10_000 };

export async function startServer(
  config: Config,
  options: { log?: Logger; passwords?: PasswordHasher; timeouts?: typeof REQUEST_TIMEOUTS } = {},
): Promise<RunningService> {
  const timeouts = options.timeouts ?? REQUEST_TIMEOUTS;
  const log = options.log ?? createLogger();
  const now = () => new Date();
  const sealer = createSealer(config.secretKey, config.previousKeys);
  const store = await openStore(config, [...TRANSACTION_MODULES, SEED_MODULE]);
  const passwords = options.passwords ?? createPasswordHasher();
  // Instances on one PostgreSQL database hear each other's events; a SQLite file has one process.
  const events = config.databaseUrl ? await createPostgresEventBus({ url: config.databaseUrl, log }) : createEventBus();
  const outbox = createOutboxWorker({
    store,
    email: createEmailSender(config.smtpUrl, config.mailFrom, log),
    sms: createSmsSender(config.smsUrl, log, { publicUrl: config.publicUrl }),
    log,
    now,
    onFailed: (item) => deliveryFailed(deps, item),
    onDelivery: (item, state) => auditDelivery(deps, item, state),
  });

  const seeded = await seedIfEmpty(store, passwords, {
    demoPort: config.demoPort,
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword,
    now: now(),
  });

  const deps: Deps = { store, sealer, log, events, passwords, config, now, wakeOutbox: () => outbox.wake(), retryOutbox: (id: number) => outbox.retryNow(id) };
  // Set when a shutdown begins: /healthz answers 503, so that a proxy stops sending here while the last requests finish.
  let draining = false;
  const app = createApp(deps, { draining: () => draining });
  const requests = trackRequests();
  // What is under way with the store: handlers (one whose client has gone still finishes what it began: a transaction
  // cut short by the store's closing would hold its connection) and sweeps. The store closes once they are over.
  const underway = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    underway.add(work);
    work.then(
      () => underway.delete(work),
      () => underway.delete(work),
    );
    return work;
  };
  // An event stream stays open for hours: a shutdown ends it rather than waiting for it.
  const fetch = async (request: Request, env: HttpBindings | Http2Bindings) => {
    const response = await track(Promise.resolve(app.fetch(request, env)));
    if (response.headers.get('Content-Type')?.startsWith('text/event-stream')) requests.streaming(env.outgoing as ServerResponse);
    return response;
  };
  const server: ServerType = await new Promise((resolve) => {
    const serverOptions = { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs };
    const s = serve({ fetch, port: config.port, hostname: config.host, serverOptions }, () => resolve(s));
  });
  requests.watch(server as Server);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  outbox.start();
  outbox.wake();
  // Idle claims return to the queue even when nobody reads it, so open consoles hear of it over SSE.
  const every = (ms: number, name: string, task: () => Promise<unknown>) => repeat(ms, name, log, () => track(task()));
  const claimSweep = every(30_000, 'claim_sweep', () => releaseIdleClaims(deps));
  // Urgent messages' ladders and the daily digests live in the database: a restart resumes them from their own times.
  const escalationSweep = every(5_000, 'escalation_sweep', () => runDueEscalations(deps));
  const digestSweep = every(60_000, 'digest_sweep', () => runDueDigests(deps));
  await runDueEscalations(deps);
  // Retention: at start, then every six hours.
  const purge = async () => {
    const done = await purgeExpired(store, now());
    if (done.callbacks || done.sessions) log.info('purged', { ...done });
  };
  const purgeSweep = every(6 * 60 * 60_000, 'purge', purge);
  await purge();

  let demo: Server | undefined;
  if (config.demoPort) demo = await startDemoSite(config.demoPort, config.host, config.publicUrl);
  const demoUrl = config.demoPort ? `http://localhost:${config.demoPort}` : undefined;

  log.info('service_started', { url, publicUrl: config.publicUrl, demoUrl, database: storeName(config) });
  if (seeded) {
    // Printed once, on the terminal of whoever started the service on an empty database.
    process.stdout.write(
      `\nPermanence is running on ${config.publicUrl}\n` +
        (demoUrl ? `Demo practice site: ${demoUrl}\n` : '') +
        `Operator console: ${config.publicUrl}/console/\n` +
        `Admin login: ${seeded.email}${seeded.generated ? ` / password: ${seeded.password}` : ' (password from ADMIN_PASSWORD)'}\n\n`,
    );
  }

  return {
    url,
    demoUrl,
    /**
     * Drains, then closes: no new connection is accepted, event streams end (their consoles reconnect, to another
     * instance behind a proxy), the requests under way are answered (their commits finish), the outbox's tries end,
     * and the store closes last (the SQLite writer commits the batch it holds).
     */
    async stop() {
      draining = true;
      log.info('shutdown_started', { requests: requests.answering(), streams: requests.streams() });
      clearInterval(claimSweep);
      clearInterval(purgeSweep);
      clearInterval(escalationSweep);
      clearInterval(digestSweep);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // One budget for the requests and what they began: a handler stuck on the database is not waited for twice.
      const requestsEnd = Date.now() + SHUTDOWN_WAITS.requestsMs;
      requests.drain();
      const unanswered = await requests.settled(SHUTDOWN_WAITS.requestsMs);
      if (unanswered) log.warn('shutdown_requests_cut', { requests: unanswered });
      // What is left is idle (kept alive between requests) or cut after the wait.
      (server as Server).closeAllConnections();
      await closed;
      // Handlers whose client left before its answer, and sweeps that had begun, finish before the store closes.
      if (!(await within(Math.max(0, requestsEnd - Date.now()), Promise.allSettled([...underway])))) log.warn('shutdown_work_cut', { underway: underway.size });
      if (demo) {
        const demoClosed = new Promise<void>((resolve) => demo!.close(() => resolve()));
        demo.closeAllConnections();
        await demoClosed;
      }
      const outboxStopped = await within(SHUTDOWN_WAITS.outboxMs, outbox.stop());
      if (!outboxStopped) log.warn('shutdown_outbox_cut', { waitedMs: SHUTDOWN_WAITS.outboxMs });
      await events.close();
      await store.close();
      log.info('service_stopped');
    },
  };
}

/**
 * The requests a server is answering, for a shutdown to wait for. An event stream is not waited for, but ended when
 * the drain begins.
 */
function trackRequests() {
  const answering = new Set<ServerResponse>();
  const streams = new Set<ServerResponse>();
  let draining = false;
  let idle: (() => void) | undefined;
  return {
    watch(server: Server) {
      server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
        // Arrived on a connection kept alive from before: answered, and the connection closed after it.
        if (draining) res.setHeader('Connection', 'close');
        answering.add(res);
        res.once('close', () => {
          answering.delete(res);
          streams.delete(res);
          if (!answering.size) idle?.();
        });
      });
    },
    /** Its answer is an event stream (one begun during the drain is ended with the last connections). */
    streaming(res: ServerResponse) {
      if (!answering.delete(res)) return;
      streams.add(res);
      if (!answering.size) idle?.();
    },
    answering: () => answering.size,
    streams: () => streams.size,
    /** Ends the event streams; each request still to be answered closes its connection after its answer. */
    drain() {
      draining = true;
      for (const res of streams) res.destroy();
      for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
    },
    /** Resolves once every request is answered, or after `ms` with how many are not. */
    async settled(ms: number): Promise<number> {
      if (answering.size) await within(ms, new Promise<void>((resolve) => (idle = resolve)));
      return answering.size;
    },
  };
}

/** Whether `work` settled within `ms` (it goes on regardless). */
async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `task` every `ms`; a failure is logged and the next run still happens. */
function repeat(ms: number, name: string, log: Logger, task: () => Promise<unknown>): NodeJS.Timeout {
  const timer = setInterval(() => {
    task().catch((err: unknown) => log.error(`${name}_failed`, { error: (err as Error).message }));
  }, ms);
  timer.unref();
  return timer;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`permanence: configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  let running: RunningService;
  try {
    running = await startServer(config);
  } catch (err) {
    if (err instanceof DatabaseUnavailable) {
      process.stderr.write(`permanence: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // SIGTERM (systemd, Docker, Kubernetes) or Ctrl-C: drain, close, exit 0. A repeated signal changes nothing (a
  // terminal's Ctrl-C may reach the process twice, through npm and directly); a stop that hangs ends the process anyway.
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    const limit = SHUTDOWN_WAITS.requestsMs + SHUTDOWN_WAITS.outboxMs + 10_000;
    setTimeout(() => {
      process.stderr.write(`permanence: shutdown still not over after ${limit / 1000} s, stopping now\n`);
      process.exit(1);
    }, limit).unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`permanence: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
