/**
 * The server side of intake.bench.ts, in its own process so the load generator does not share its event loop.
 * `echo`: a bare Hono app on @hono/node-server answering the posted JSON, the ceiling this stack allows.
 * `service <db file | postgres://…>`: the real service from `startServer`, on a SQLite file (synchronous=FULL, as in
 * production) or on a PostgreSQL database (DATABASE_URL; the same key on every instance).
 * `proxy <url> <url>…`: the round-robin proxy in front of several instances; `report` answers what it relayed.
 * Sends `{ url }` over IPC once listening; `start`/`stop` messages bracket a load, answered with the event-loop delay.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';

/** The sampling timer's period: every sample includes it, so it is taken off the percentile (an idle loop then reads ~0). */
const RESOLUTION_MS = 10;

async function startEcho(): Promise<{ url: string; stop(): Promise<void> }> {
  const app = new Hono();
  app.post('*', async (c) => c.json(await c.req.json()));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startService(database: string): Promise<{ url: string; stop(): Promise<void> }> {
  // Loaded only here, so the echo process carries none of the service's code.
  const { startServer } = await import('../../service/server.js');
  const { loadConfig } = await import('../../service/env.js');
  const { createLogger } = await import('../../service/log.js');
  const where = database.startsWith('postgres') ? { DATABASE_URL: database } : { PERMANENCE_DB: database };
  const config = {
    ...loadConfig({ ...where, SECRET_KEY: 'benchmark-secret-key-long-enough-0000', DEMO_PORT: '0', TRUST_PROXY: '1' }),
    // Any free port (PORT cannot say 0); behind a "proxy", so each simulated patient has their own address.
    port: 0,
  };
  // Lines are still built, as in production, but go nowhere: the table stays readable.
  return startServer(config, { log: createLogger(() => {}) });
}

const [mode, ...args] = process.argv.slice(2);
let proxy: RoundRobinProxy | undefined;
const running = mode === 'service' ? await startService(args[0]!) : mode === 'proxy' ? (proxy = await startRoundRobinProxy(args)) : await startEcho();
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

process.on('message', async (message: string) => {
  if (message === 'start') {
    delay.reset();
    delay.enable();
  } else if (message === 'stop') {
    delay.disable();
    process.send!({ eventLoopP99: Math.max(0, delay.percentile(99) / 1e6 - RESOLUTION_MS) });
  } else if (message === 'report' && proxy) {
    process.send!({ report: await proxy.report() });
  } else if (message === 'close') {
    await running.stop();
    // Stopped, a server holds no connection: one still open would keep the process alive, as it would a test's.
    // Said here, then the process ends as the service's own shutdown does (process.exit).
    const open = process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length;
    if (open) console.warn(`intake server (${mode} ${args[0] ?? ''}): ${open} TCP connection(s) still open after stop()`);
    process.exit(0);
  }
});
process.send!({ url: running.url });
