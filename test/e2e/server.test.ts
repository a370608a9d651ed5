/** The service as `npm start` runs it: a bad configuration stops it with one line; it stops cleanly with consoles connected. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { apiSession, startStack } from './harness.js';

describe('the service process', () => {
  it('refuses a bad configuration value with one clear line and exit code 1', () => {
    // `node --import tsx`, not `npx tsx`: npx would write a debug log under ~/.npm, and TMPDIR keeps tsx's cache in our own folder.
    const dir = mkdtempSync(join(tmpdir(), 'permanence-server-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'service/server.ts'], {
        env: { ...process.env, TMPDIR: dir, PORT: '99999', PERMANENCE_DB: ':memory:' },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe('permanence: configuration error: PORT must be a port number (got "99999")');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cuts off a client that sends its body too slowly, while an event stream stays open past that time', async () => {
    const stack = await startStack({ DEMO_PORT: '0' }, { timeouts: { headersMs: 800, requestMs: 1_000, checkEveryMs: 200 } });
    try {
      const headers = await apiSession(stack.url);
      const stream = await fetch(`${stack.url}/v1/events`, { headers });
      const reader = stream.body!.getReader();
      await reader.read();
      const { port, hostname } = new URL(stack.url);
      const socket = connect(Number(port), hostname);
      let answer = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
      const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
      const started = Date.now();
      socket.write('POST /v1/practices/cabinet-martin/callbacks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{');
      // One byte every 200 ms: a body of 5,000 bytes would take 17 minutes.
      const drip = setInterval(() => socket.writable && socket.write(' '), 200);
      const end = await closed;
      clearInterval(drip);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(end - started).toBeLessThan(2_500);
      // The stream's request arrived long ago, and it still carries the next event.
      const posted = await fetch(`${stack.url}/v1/practices/cabinet-martin/callbacks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Camille Durand', phone: '06 12 34 56 78', reason: 'Ordonnance', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' }),
      });
      expect(posted.status).toBe(201);
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      expect(new TextDecoder().decode(value)).toContain('callback.created');
      await reader.cancel();
    } finally {
      await stack.stop();
    }
  });

  it('stops promptly even while a console holds the event stream open', async () => {
    const stack = await startStack({ DEMO_PORT: '0' });
    const headers = await apiSession(stack.url);
    const stream = await fetch(`${stack.url}/v1/events`, { headers });
    expect(stream.status).toBe(200);
    const started = Date.now();
    await stack.stop();
    expect(Date.now() - started).toBeLessThan(3_000);
    await stream.body?.cancel().catch(() => {});
  });
});
