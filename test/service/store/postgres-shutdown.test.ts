// A stop while requests are under way whose clients have already left: the service finishes what it began before it
// closes the store, so no transaction is left open on the database and no connection outlives the stop. (It once closed
// the store as soon as no answer was pending, and the transactions of abandoned requests stayed open, holding their
// connections, until the process exited.) Runs in the postgres project only, on the run's throwaway cluster.
import { connect, type Socket } from 'node:net';
import postgres from 'postgres';
import { expect, it } from 'vitest';
import { loadConfig } from '../../../service/env.js';
import { createLogger } from '../../../service/log.js';
import { startServer } from '../../../service/server.js';
import { freshDatabase } from '../../pg/store.js';
import { fastPasswords } from '../helpers.js';

const REQUESTS = 40;

/** A callback request written whole on a connection of its own, whose answer nobody will read. */
function sendAndLeave(port: number, i: number): Promise<Socket> {
  const body = JSON.stringify({ name: `Patient Parti ${i}`, phone: `0615${String(i).padStart(6, '0')}`, reason: 'Renouvellement', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' });
  const head = [
    'POST /v1/practices/cabinet-martin/callbacks HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Forwarded-For: 10.3.0.${i + 1}`,
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\n\r\n${body}`, () => resolve(socket)));
    socket.on('error', reject);
  });
}

it('finishes the requests whose clients left before it closes the store: no transaction or connection outlives the stop', async () => {
  const { url } = await freshDatabase();
  const lines: string[] = [];
  const config = { ...loadConfig({ DATABASE_URL: url, SECRET_KEY: 'shutdown-secret-key-long-enough-0123456789', TRUST_PROXY: '1', DEMO_PORT: '0' }), port: 0 };
  const running = await startServer(config, { log: createLogger((_level, line) => lines.push(line)), passwords: fastPasswords() });
  const port = Number(new URL(running.url).port);

  const sockets = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => sendAndLeave(port, i)));
  // Received and under way (transactions run one at a time on PostgreSQL: 40 take far longer than this), then abandoned.
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (const socket of sockets) socket.destroy();
  await running.stop();
  // Before the fix: the store closed once no answer was pending, and the abandoned requests' next queries failed
  // ("write CONNECTION_ENDED") or left their transactions open.

  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const left = await admin`SELECT application_name, state FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'permanence%'`;
    expect(left, 'the service’s connections after its stop').toEqual([]);
    // What was taken was taken to its end: a row for each request the log says was created, none half done.
    const [{ n } = { n: 0 }] = await admin<{ n: number }[]>`SELECT count(*)::int AS n FROM callbacks WHERE kind = 'patient'`;
    expect(n).toBeGreaterThan(0);
    expect(n).toBe(lines.filter((line) => line.includes('"event":"callback_created"')).length);
  } finally {
    await admin.end();
  }
  expect(lines.join('\n')).not.toMatch(/shutdown_work_cut|"level":"error"/);
});
