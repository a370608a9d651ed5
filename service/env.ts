/**
 * The one configuration module: reads the environment once at start (SPEC
 * "Configuration"); a bad value stops the service with one clear line.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomToken } from './crypto.js';
import { createSmsSender } from './notify/sms/index.js';
import { createLogger } from './log.js';

export interface Config {
  port: number;
  host: string;
  dbPath: string;
  /** DATABASE_URL: PostgreSQL (`postgres://…`), shared by any number of instances; unset: SQLite at `dbPath`. */
  databaseUrl: string | undefined;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  smsUrl: string | undefined;
  secretKey: string;
  /** SECRET_KEY_PREVIOUS: earlier keys, read (never written with) until `permanence rekey` has run. */
  previousKeys: string[];
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  demoPort: number;
  trustProxy: boolean;
}

export class ConfigError extends Error {}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number, allowZero = false): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > 65535) {
    throw new ConfigError(`${name} must be a port number${allowZero ? ' or 0' : ''} (got "${raw}")`);
  }
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, schemes: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL (expected e.g. ${schemes[0]}//…)`);
  }
  if (!schemes.includes(parsed.protocol)) throw new ConfigError(`${name} must start with ${schemes.join(' or ')} (got ${parsed.protocol})`);
  return raw;
}

/**
 * DATABASE_URL, when set: a PostgreSQL URL (`postgres://` or `postgresql://`) naming a database. PERMANENCE_DB
 * set beside it would leave unclear which database the service writes to.
 */
function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const given = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  if (given === undefined) return undefined;
  if (!new URL(given).hostname && !new URL(given).searchParams.has('host')) throw new ConfigError('DATABASE_URL names no host (expected postgres://user:password@host:5432/database)');
  if (env.PERMANENCE_DB) throw new ConfigError('DATABASE_URL and PERMANENCE_DB are both set: keep one (PostgreSQL or a SQLite file)');
  return given;
}

/**
 * SECRET_KEY from the environment, else from a file beside the database made on first
 * start (mode 600) — never stored in the database itself, so a leaked database file
 * does not leak the key that encrypts its health fields. With PostgreSQL it must be given: every
 * instance seals and opens with the same key, and none has a folder of its own to keep one in.
 */
function secretKey(env: NodeJS.ProcessEnv, dbPath: string, postgres: boolean): string {
  const given = env.SECRET_KEY;
  if (given !== undefined) {
    if (given.length < 32) throw new ConfigError('SECRET_KEY must be at least 32 characters');
    return given;
  }
  if (postgres) throw new ConfigError('SECRET_KEY is required with DATABASE_URL (the same key on every instance; none is generated)');
  if (dbPath === ':memory:') return randomToken();
  const file = join(dirname(resolve(dbPath)), 'secret.key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length < 32) throw new ConfigError(`${file} holds no valid key (under 32 characters): restore it or set SECRET_KEY`);
    return key;
  }
  // A new key for an existing database would make every encrypted field unreadable: refuse instead.
  if (existsSync(dbPath)) throw new ConfigError(`${file} is missing but the database exists: restore the key file or set SECRET_KEY`);
  mkdirSync(dirname(file), { recursive: true });
  const key = randomToken();
  // On disk before the first request is acknowledged: fsync the file and its folder.
  const fd = openSync(file, 'wx', 0o600);
  writeSync(fd, key + '\n');
  fsyncSync(fd);
  closeSync(fd);
  const dir = openSync(dirname(file), 'r');
  fsyncSync(dir);
  closeSync(dir);
  return key;
}

/** SECRET_KEY_PREVIOUS: earlier keys, comma-separated, each as long as a key must be. */
function previousKeys(env: NodeJS.ProcessEnv): string[] {
  const keys = (env.SECRET_KEY_PREVIOUS ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  if (keys.some((key) => key.length < 32)) throw new ConfigError('SECRET_KEY_PREVIOUS holds a key under 32 characters (keys are separated by commas)');
  return keys;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const p = port(env, 'PORT', 8787);
  const host = env.HOST || '127.0.0.1';
  const dbPath = env.PERMANENCE_DB || './data/permanence.db';
  const database = databaseUrl(env);
  const publicUrl = (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${p}`).replace(/\/$/, '');
  const trust = env.TRUST_PROXY;
  if (trust !== undefined && trust !== '' && trust !== '0' && trust !== '1') throw new ConfigError(`TRUST_PROXY must be 1 or unset (got "${trust}")`);
  const adminEmail = env.ADMIN_EMAIL || undefined;
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (!!adminEmail !== !!adminPassword) throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  if (adminPassword !== undefined && adminPassword.length < 10) throw new ConfigError('ADMIN_PASSWORD must be at least 10 characters');
  if (adminEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) throw new ConfigError(`ADMIN_EMAIL is not an email address (got "${adminEmail}")`);
  const smsUrl = env.SMS_URL || undefined;
  try {
    // Builds the sender once, only to parse SMS_URL now rather than at the first SMS.
    createSmsSender(smsUrl, createLogger(() => {}));
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return {
    port: p,
    host,
    dbPath,
    databaseUrl: database,
    publicUrl,
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || 'Permanence <no-reply@localhost>',
    smsUrl,
    secretKey: secretKey(env, dbPath, database !== undefined),
    previousKeys: previousKeys(env),
    adminEmail,
    adminPassword,
    demoPort: port(env, 'DEMO_PORT', 8788, true),
    trustProxy: trust === '1',
  };
}
