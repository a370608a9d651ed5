/** The service as `npm start` runs it: a bad configuration stops it with one line; it stops cleanly with consoles connected. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
