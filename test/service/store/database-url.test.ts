// DATABASE_URL (SPEC "Configuration"): PostgreSQL instead of SQLite, with SECRET_KEY required (the same on every
// instance, never generated), one clear line for a bad value, and one for a database the service cannot reach.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../service/env.js';
import { storeName } from '../../../service/store/open.js';

const KEY = 'k'.repeat(32);
const URL_ = 'postgres://permanence:s3cret@db.internal:5432/permanence';

describe('DATABASE_URL', () => {
  it('selects PostgreSQL, with the key given', () => {
    const config = loadConfig({ DATABASE_URL: URL_, SECRET_KEY: KEY });
    expect(config).toMatchObject({ databaseUrl: URL_, secretKey: KEY });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db.internal/permanence', SECRET_KEY: KEY }).databaseUrl).toBe('postgresql://db.internal/permanence');
    expect(loadConfig({ PERMANENCE_DB: ':memory:' }).databaseUrl).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: URL_ }, 'SECRET_KEY is required with DATABASE_URL (the same key on every instance; none is generated)'],
    [{ DATABASE_URL: 'mysql://db.internal/permanence', SECRET_KEY: KEY }, 'DATABASE_URL must start with postgres: or postgresql: (got mysql:)'],
    [{ DATABASE_URL: 'db.internal:5432', SECRET_KEY: KEY }, 'DATABASE_URL must start with postgres: or postgresql: (got db.internal:)'],
    [{ DATABASE_URL: 'postgres:///permanence', SECRET_KEY: KEY }, 'DATABASE_URL names no host (expected postgres://user:password@host:5432/database)'],
    [{ DATABASE_URL: URL_, SECRET_KEY: KEY, PERMANENCE_DB: './data/p.db' }, 'DATABASE_URL and PERMANENCE_DB are both set: keep one (PostgreSQL or a SQLite file)'],
  ])('refuses %o with one line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  it('names the database in the logs without its password', () => {
    expect(storeName({ dbPath: './data/p.db', databaseUrl: URL_ })).toBe('postgres://permanence:***@db.internal:5432/permanence');
    expect(storeName({ dbPath: './data/p.db' })).toBe('./data/p.db');
  });

  it('stops the service with one line, exit code 1, when the database cannot be reached', async () => {
    // A port nobody listens on: taken, then let go.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const dir = mkdtempSync(join(tmpdir(), 'permanence-dburl-'));
    try {
      // `node --import tsx`, not `npx tsx`: TMPDIR keeps tsx's cache in our own folder.
      const { PERMANENCE_DB: _, ...env } = process.env;
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'service/server.ts'], {
        env: { ...env, TMPDIR: dir, DATABASE_URL: `postgres://permanence:s3cret@127.0.0.1:${port}/permanence`, SECRET_KEY: KEY, DEMO_PORT: '0', PORT: String(port) },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.stderr.trim()).toMatch(new RegExp(`^permanence: PostgreSQL at postgres://permanence:\\*\\*\\*@127\\.0\\.0\\.1:${port}/permanence: .*ECONNREFUSED.*$`));
      expect(run.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
