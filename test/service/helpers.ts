/** Builds the app as production does, on an in-memory database (PostgreSQL in its test project; a file, for a test that needs one) with a clock the test controls. */
import { createApp } from '../../service/http/app.js';
import type { IntakeLimits } from '../../service/domain/intake.js';
import type { Deps } from '../../service/context.js';
import { createSealer } from '../../service/crypto.js';
import { memoryLogger } from '../../service/log.js';
import { restoreStore } from '../../service/store/open.js';
import { openTestStore } from '../pg/store.js';
import { runCli } from '../../service/cli.js';
import { TRANSACTION_MODULES } from '../../service/domain/transactions.js';
import { createEventBus } from '../../service/events.js';
import { createPasswordHasher } from '../../service/auth/password.js';
import { createOutboxWorker, type OutboxDeps, type OutboxWorker } from '../../service/notify/outbox.js';
import { auditDelivery, deliveryFailed } from '../../service/domain/messages.js';
import type { Practice } from '../../service/store/store.js';
import { demoPractice } from '../../demo/seed.js';

export const ORIGIN = 'https://www.cabinet-martin.example';
/** A Wednesday at 10:00 in Paris: the demo practice is open. */
export const OPEN_AT = new Date('2026-11-25T09:00:00Z');

/** A cheap scrypt for tests; production uses OWASP's parameters. */
export const fastPasswords = () => createPasswordHasher({ N: 1024, r: 8, p: 1 });

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  log: ReturnType<typeof memoryLogger>;
  clock: { now: Date; advance(ms: number): void };
  woken: number;
  /** The database file, when the test asked for one. */
  dbPath: string | undefined;
  /** The real outbox worker, never started: `runOnce()` delivers what is due with `senders`. */
  outbox: OutboxWorker;
}

export const TEST_SECRET_KEY = 'test-secret-key-that-is-long-enough-000';
export const TEST_PUBLIC_URL = 'https://permanence.example';

/**
 * `senders`: what the outbox worker behind `deps.retryOutbox` delivers with (both accept everything by default). The worker
 * is real but never started: messages leave only when a test asks for a retry or runs a worker of its own.
 */
export async function testApp(
  options: { practices?: Practice[]; at?: Date; dbPath?: string; intakeLimits?: IntakeLimits; senders?: Partial<Pick<OutboxDeps, 'email' | 'sms'>> } = {},
): Promise<TestApp> {
  const sealer = createSealer(TEST_SECRET_KEY);
  // On PostgreSQL in its test project, unless the test asked for a SQLite file.
  const store = await openTestStore({ dbPath: options.dbPath ?? ':memory:', secretKey: TEST_SECRET_KEY, publicUrl: TEST_PUBLIC_URL }, TRANSACTION_MODULES);
  const log = memoryLogger();
  const clock = {
    now: options.at ?? OPEN_AT,
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const t = { woken: 0 } as TestApp;
  const outbox = createOutboxWorker({
    store,
    email: options.senders?.email ?? { send: async () => ({}) },
    sms: options.senders?.sms ?? { name: 'none', send: async () => ({}) },
    log,
    now: () => clock.now,
    onFailed: (item) => deliveryFailed(deps, item),
    onDelivery: (item, state) => auditDelivery(deps, item, state),
  });
  const deps: Deps = {
    store,
    sealer,
    log,
    events: createEventBus(),
    passwords: fastPasswords(),
    config: { publicUrl: TEST_PUBLIC_URL, trustProxy: false },
    now: () => clock.now,
    wakeOutbox: () => void t.woken++,
    retryOutbox: (id) => outbox.retryNow(id),
  };
  for (const practice of options.practices ?? [{ ...demoPractice(0), allowedOrigins: [ORIGIN] }]) {
    await store.savePractice(practice, clock.now.toISOString());
  }
  return Object.assign(t, { app: createApp(deps, { intakeLimits: options.intakeLimits }), deps, log, clock, dbPath: options.dbPath, outbox });
}

/** A valid form as the widget sends it. */
export function validForm(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Camille Durand',
    phone: '06 12 34 56 78',
    email: 'camille@example.org',
    reason: 'Renouvellement d’ordonnance',
    urgency: 'routine',
    confirmBy: 'email',
    consent: true,
    lang: 'fr',
    ...overrides,
  };
}

export function postJson(t: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  return t.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Creates a user and signs them in; returns the headers their next requests need. */
export async function signIn(t: TestApp, user: { email: string; role: 'admin' | 'operator' | 'practitioner'; practices?: string[] }) {
  const password = 'correct horse battery staple';
  if (!(await t.deps.store.findUserByEmail(user.email))) {
    await t.deps.store.createUser(
      { email: user.email, name: user.email.split('@')[0]!, role: user.role, practices: user.practices ?? [], passwordHash: await t.deps.passwords.hash(password) },
      t.clock.now.toISOString(),
    );
  }
  const res = await postJson(t, '/v1/session', { email: user.email, password });
  if (res.status !== 204) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
  const me = await t.app.request('/v1/me', { headers: { Cookie: cookie } });
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  return { Cookie: cookie, 'X-CSRF-Token': csrfToken };
}

/** Requests stored in every state (open and closed), through the store's interface. */
export const countCallbacks = (t: TestApp) => t.deps.store.countCallbacks({ state: 'all' });

/** Messages written to the outbox, whatever became of them. */
export async function countOutbox(t: TestApp): Promise<number> {
  const states = ['pending', 'sent', 'dead'] as const;
  return (await Promise.all(states.map((state) => t.deps.store.listOutbox(state)))).reduce((n, items) => n + items.length, 0);
}

/** Audit entries of one action, newest first. */
export const auditOf = (t: TestApp, action: string) => t.deps.store.listAudit({ limit: 1000, action });

/** Closes a request as an operator would with `outcome`, for tests that need a closed one. */
export async function closeRequest(t: TestApp, ref: string, outcome: 'reached' | 'cancelled' = 'reached') {
  const callback = (await t.deps.store.getCallback(ref))!;
  const at = t.clock.now.toISOString();
  return t.deps.store.applyAttempt(callback.id, { state: 'done', outcome, dueAt: callback.dueAt, attempts: callback.attempts, firstCallAt: callback.firstCallAt, closedAt: at }, at);
}

/** Posts a callback request (a valid form with `overrides`) to the demo practice; `app` stands for a restarted one. */
export async function postCallback(t: TestApp, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}, app = t.app) {
  const res = await app.request('/v1/practices/cabinet-martin/callbacks', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(validForm(overrides)),
  });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

/** Any method with a JSON body (or none); answers the status and the parsed body. */
export async function send(t: TestApp, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await t.app.request(path, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

/** Runs an admin command (`npm run permanence -- …`) on the test's store; a restore targets its database file. */
export async function runCommand(t: TestApp, argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    store: async () => t.deps.store,
    restore: (file) => restoreStore({ dbPath: t.dbPath ?? ':memory:' }, file),
    passwords: fastPasswords(),
    now: () => t.clock.now,
    io: { stdout: (line) => out.push(line), stderr: (line) => err.push(line), readStdin: () => stdin },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
