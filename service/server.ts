/**
 * The composition root: reads the configuration, opens the database, seeds an empty one,
 * starts the outbox worker, the HTTP server and the demo practice site.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
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
  const events = createEventBus();
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
  const app = createApp(deps);
  const server: ServerType = await new Promise((resolve) => {
    const serverOptions = { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs };
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, serverOptions }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  outbox.start();
  outbox.wake();
  // Idle claims return to the queue even when nobody reads it, so open consoles hear of it over SSE.
  const claimSweep = every(30_000, 'claim_sweep', log, () => releaseIdleClaims(deps));
  // Urgent messages' ladders and the daily digests live in the database: a restart resumes them from their own times.
  const escalationSweep = every(5_000, 'escalation_sweep', log, () => runDueEscalations(deps));
  const digestSweep = every(60_000, 'digest_sweep', log, () => runDueDigests(deps));
  await runDueEscalations(deps);
  // Retention: at start, then every six hours.
  const purge = async () => {
    const done = await purgeExpired(store, now());
    if (done.callbacks || done.sessions) log.info('purged', { ...done });
  };
  const purgeSweep = every(6 * 60 * 60_000, 'purge', log, purge);
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
    async stop() {
      clearInterval(claimSweep);
      clearInterval(purgeSweep);
      clearInterval(escalationSweep);
      clearInterval(digestSweep);
      await new Promise<void>((resolve) => (demo ? demo.close(() => resolve()) : resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Open event streams (consoles) would hold the server open for hours: end them.
      (server as Server).closeAllConnections();
      await closed;
      await outbox.stop();
      await store.close();
    },
  };
}

/** Runs `task` every `ms`; a failure is logged and the next run still happens. */
function every(ms: number, name: string, log: Logger, task: () => Promise<unknown>): NodeJS.Timeout {
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
  const shutdown = async () => {
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
