/** Configuration from the environment (SPEC "Configuration"): defaults, one clear line per bad value, and the secret key file. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../service/env.js';

const KEY = 'k'.repeat(32);

/** Every folder these tests write in sits inside one, removed at the end. */
const scratch = mkdtempSync(join(tmpdir(), 'permanence-env-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const scratchDir = () => mkdtempSync(join(scratch, 'd-'));

describe('loadConfig', () => {
  it('has the defaults of SPEC', () => {
    const config = loadConfig({ PERMANENCE_DB: ':memory:' });
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8787',
      smtpUrl: undefined,
      smsUrl: undefined,
      mailFrom: 'Permanence <no-reply@localhost>',
      demoPort: 8788,
      trustProxy: false,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a port number (got "eighty")'],
    [{ PORT: '0' }, 'PORT must be a port number (got "0")'],
    [{ DEMO_PORT: '-1' }, 'DEMO_PORT must be a port number or 0 (got "-1")'],
    [{ PUBLIC_URL: 'localhost:8787' }, 'PUBLIC_URL must start with http: or https: (got localhost:)'],
    [{ SMTP_URL: 'http://mail.example' }, 'SMTP_URL must start with smtp: or smtps: (got http:)'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY must be 1 or unset (got "yes")'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY must be at least 32 characters'],
    [{ ADMIN_EMAIL: 'a@b.fr' }, 'ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither'],
  ])('refuses %o with one line', (env, message) => {
    expect(() => loadConfig({ PERMANENCE_DB: ':memory:', ...env })).toThrow(new ConfigError(message));
  });

  it('refuses a malformed SMS_URL at start, without echoing its token', () => {
    const error = (() => {
      try {
        loadConfig({ PERMANENCE_DB: ':memory:', SMS_URL: 'carrier-pigeon://SECRETTOKEN@' });
      } catch (err) {
        return err as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/^SMS_URL/);
    expect(error!.message).not.toContain('SECRETTOKEN');
  });

  it('generates the secret key beside the database, mode 600, and reads the same key next time', () => {
    const dir = scratchDir();
    const db = join(dir, 'data', 'p.db');
    const first = loadConfig({ PERMANENCE_DB: db }).secretKey;
    const file = join(dir, 'data', 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(loadConfig({ PERMANENCE_DB: db }).secretKey).toBe(first);
    expect(first.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses an empty key file, and a missing key file beside an existing database', () => {
    const dir = scratchDir();
    const db = join(dir, 'p.db');
    writeFileSync(join(dir, 'secret.key'), '\n');
    expect(() => loadConfig({ PERMANENCE_DB: db })).toThrow(/holds no valid key/);
    const other = scratchDir();
    writeFileSync(join(other, 'p.db'), '');
    expect(() => loadConfig({ PERMANENCE_DB: join(other, 'p.db') })).toThrow(/secret\.key is missing but the database exists/);
    expect(existsSync(join(other, 'secret.key'))).toBe(false);
  });

  it('takes SECRET_KEY from the environment over any file', () => {
    expect(loadConfig({ PERMANENCE_DB: ':memory:', SECRET_KEY: KEY }).secretKey).toBe(KEY);
  });
});
