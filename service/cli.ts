/**
 * `npm run permanence -- <command>`: the admin's commands on the database of this machine
 * (same configuration as the service: PERMANENCE_DB or DATABASE_URL, SECRET_KEY…).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './env.js';
import { DatabaseUnavailable, openStore, restoreStore } from './store/open.js';
import { MigrationRefused, migrateToPostgres, type MigrationReport } from './store/migrate-to-postgres.js';
import { TRANSACTION_MODULES } from './domain/transactions.js';
import { createPasswordHasher, type PasswordHasher } from './auth/password.js';
import { ApiProblem } from './errors.js';
import { parsePractice, savePractice } from './domain/practices.js';
import { createAccount } from './domain/users.js';
import { erasePatient, patientRecord, purgeExpired, type Patient } from './domain/retention.js';
import { parsePhone } from '../shared/phone.js';
import type { Store } from './store/store.js';

const USAGE = `Usage: npm run permanence -- <command>
  practice import FILE        create or replace a practice from its JSON record
  practice export SLUG        print a practice's JSON record
  user add --email E --role operator|admin|practitioner [--name N] [--practice SLUG]...
                              create an account; the password is read from standard input
  purge                       delete requests past their practice's retention, old keys and sessions
  erase --phone NUMBER | --email ADDRESS
                              delete every request from this patient, in every practice, and what was sent to them
  export --phone NUMBER | --email ADDRESS
                              print as JSON everything held about this patient (their right of access)
  rekey                       after a key rotation: seal everything again with SECRET_KEY (then SECRET_KEY_PREVIOUS can go)
  backup FILE                 write a consistent copy of the database to FILE (a new file) while the service runs
  restore FILE                put a backup back in place of the database; the service must be stopped
  migrate-to-postgres         copy the SQLite database (PERMANENCE_DB) into the empty PostgreSQL one (DATABASE_URL),
                              sealed fields as they are: the same SECRET_KEY opens them; stop the service first`;

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  readStdin: () => string;
}

export class UsageError extends Error {}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, practice: { type: 'string', multiple: true }, phone: { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The patient an `erase` or `export` names, or the line saying what is wrong with it. */
function patientOf(command: string, values: { phone?: string; email?: string }): Patient | string {
  if (!values.phone === !values.email) throw new UsageError(`${command} needs --phone NUMBER or --email ADDRESS`);
  if (values.email !== undefined) return /^[^\s@]+@[^\s@]+$/.test(values.email) ? { email: values.email } : `${command}: "${values.email}" is not an email address`;
  const phone = parsePhone(values.phone!);
  return phone ? { phone: phone.e164 } : `${command}: "${values.phone}" is not a phone number`;
}

export interface CliContext {
  /** Opens the store when a command needs it: `restore` must run with the database closed. */
  store: () => Promise<Store>;
  /** Puts a backup in place of the configured database. */
  restore: (file: string) => void;
  /** Copies the SQLite database into the PostgreSQL one (`migrate-to-postgres`); absent where there is none to copy. */
  migrateToPostgres?: () => Promise<MigrationReport>;
  passwords: PasswordHasher;
  now: () => Date;
  io: CliIo;
}

/** Runs one command; returns the exit code (0 done, 1 refused, 2 misused). */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const { io } = ctx;
  let command = '';
  try {
    const { values, positionals } = parseOptions(argv);
    command = positionals.join(' ');
    if (positionals[0] === 'restore' && positionals.length === 2) {
      try {
        ctx.restore(positionals[1]!);
      } catch (err) {
        io.stderr(`restore: ${(err as Error).message}`);
        return 1;
      }
      io.stdout(`restored ${positionals[1]}`);
      return 0;
    }
    if (command === 'migrate-to-postgres') return await copyToPostgres(ctx);
    const store = await ctx.store();
    if (command === 'rekey') {
      const resealed = await store.rekey();
      await store.audit({ at: ctx.now().toISOString(), actor: 'cli', action: 'rekey', details: { resealed } });
      io.stdout(`sealed ${resealed} values again with the current key`);
      return 0;
    }
    if (positionals[0] === 'backup' && positionals.length === 2) {
      try {
        await store.backup(positionals[1]!);
      } catch (err) {
        io.stderr(`backup: ${(err as Error).message}`);
        return 1;
      }
      await store.audit({ at: ctx.now().toISOString(), actor: 'cli', action: 'backup' });
      io.stdout(`backed up to ${positionals[1]}`);
      return 0;
    }
    if (positionals[0] === 'practice' && positionals[1] === 'import' && positionals.length === 3) {
      let body: unknown;
      try {
        body = JSON.parse(readFileSync(positionals[2]!, 'utf8'));
      } catch (err) {
        io.stderr(`practice import: cannot read ${positionals[2]} as JSON (${(err as Error).message})`);
        return 1;
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new UsageError('the file must hold one practice record (a JSON object)');
      const { practice } = await parsePractice(store, body as Record<string, unknown>);
      const existed = !!(await store.getPractice(practice.slug));
      await store.transaction(savePractice, { practice, mode: 'upsert', actor: 'cli', now: ctx.now().toISOString() });
      io.stdout(`${existed ? 'updated' : 'created'} practice ${practice.slug}`);
      return 0;
    }
    if (positionals[0] === 'practice' && positionals[1] === 'export' && positionals.length === 3) {
      const practice = await store.getPractice(positionals[2]!);
      if (!practice) {
        io.stderr(`practice export: no practice "${positionals[2]}"`);
        return 1;
      }
      await store.audit({ at: ctx.now().toISOString(), actor: 'cli', action: 'practice_exported', practice: practice.slug, target: practice.slug });
      io.stdout(JSON.stringify(practice, null, 2));
      return 0;
    }
    if (command === 'user add') {
      if (!values.email || !values.role) throw new UsageError('user add needs --email and --role');
      const password = io.readStdin().replace(/\r?\n$/, '');
      const user = await createAccount(
        store,
        ctx.passwords,
        { email: values.email, name: values.name ?? values.email.split('@')[0], role: values.role, practices: values.practice ?? [], password },
        'cli',
        ctx.now(),
      );
      io.stdout(`created ${user.role} ${user.email}${user.practices.length ? ` for ${user.practices.join(', ')}` : ''}`);
      return 0;
    }
    if (command === 'purge') {
      const done = await purgeExpired(store, ctx.now());
      await store.audit({ at: ctx.now().toISOString(), actor: 'cli', action: 'purge', details: { ...done } });
      io.stdout(`purged ${done.callbacks} requests, ${done.idempotencyKeys} idempotency keys, ${done.sessions} sessions`);
      return 0;
    }
    if (command === 'erase' || command === 'export') {
      const who = patientOf(command, values);
      if (typeof who === 'string') {
        io.stderr(who);
        return 1;
      }
      if (command === 'export') {
        io.stdout(JSON.stringify(await patientRecord(store, who, 'cli', ctx.now()), null, 2));
        return 0;
      }
      io.stdout(`erased ${await erasePatient(store, who, 'cli', ctx.now())} requests`);
      return 0;
    }
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ApiProblem) {
      const fields = err.fields ? ': ' + Object.entries(err.fields).map(([field, code]) => `${field} ${code}`).join(', ') : '';
      io.stderr(`${command}: ${err.message}${fields}`);
      return 1;
    }
    throw err;
  }
}

/** `migrate-to-postgres`: the copy, then its audit entry in the database it filled (the configured store). */
async function copyToPostgres(ctx: CliContext): Promise<number> {
  if (!ctx.migrateToPostgres) throw new UsageError('migrate-to-postgres: there is no SQLite database to copy here');
  let report: MigrationReport;
  try {
    report = await ctx.migrateToPostgres();
  } catch (err) {
    const known = err instanceof MigrationRefused || err instanceof DatabaseUnavailable;
    ctx.io.stderr(`migrate-to-postgres: ${known ? '' : 'failed, nothing was copied: '}${(err as Error).message}`);
    return 1;
  }
  const rows = report.tables.reduce((n, t) => n + t.rows, 0);
  const store = await ctx.store();
  await store.audit({ at: ctx.now().toISOString(), actor: 'cli', action: 'migrated_to_postgres', details: { rows } });
  ctx.io.stdout(`copied ${rows} rows: ${report.tables.filter((t) => t.rows).map((t) => `${t.name} ${t.rows}`).join(', ') || 'none'}`);
  return 0;
}

/**
 * The environment the command runs with: the service's configuration refuses PERMANENCE_DB beside DATABASE_URL (which
 * database would it write to?), while this command reads the one and writes the other. Answers the environment the
 * rest of the configuration is read from (PostgreSQL's), and the SQLite file.
 */
function migrationEnv(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; from: string } {
  const from = env.PERMANENCE_DB || './data/permanence.db';
  if (!env.DATABASE_URL) throw new ConfigError('migrate-to-postgres needs DATABASE_URL, the PostgreSQL database to copy into (and PERMANENCE_DB, the SQLite file to copy)');
  if (!env.SECRET_KEY) {
    const file = join(dirname(resolve(from)), 'secret.key');
    throw new ConfigError(
      `migrate-to-postgres needs SECRET_KEY, the key ${from} was sealed with` +
        (existsSync(file) ? ` (the service generated it into ${file}: SECRET_KEY="$(cat ${file})")` : '') +
        ', and every PostgreSQL instance needs the same',
    );
  }
  return { env: { ...env, PERMANENCE_DB: '' }, from };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let code: number;
  try {
    // migrate-to-postgres reads the SQLite file and writes to DATABASE_URL, which the configuration alone refuses together.
    const copying = process.argv[2] === 'migrate-to-postgres' ? migrationEnv(process.env) : undefined;
    const config = loadConfig(copying?.env);
    let store: Store | undefined;
    try {
      code = await runCli(process.argv.slice(2), {
        store: async () => (store ??= await openStore(config, TRANSACTION_MODULES)),
        restore: (file) => restoreStore(config, file),
        migrateToPostgres: copying && (() => migrateToPostgres({ from: copying.from, to: config.databaseUrl!, secretKey: config.secretKey, previousKeys: config.previousKeys })),
        passwords: createPasswordHasher(),
        now: () => new Date(),
        io: {
          stdout: (line) => process.stdout.write(line + '\n'),
          stderr: (line) => process.stderr.write(line + '\n'),
          readStdin: () => readFileSync(0, 'utf8'),
        },
      });
    } finally {
      await store?.close();
    }
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof DatabaseUnavailable)) throw err;
    process.stderr.write(`permanence: ${(err as Error).message}\n`);
    code = 2;
  }
  process.exit(code);
}
