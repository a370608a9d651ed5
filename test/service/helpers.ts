/** Builds the app as production does, on an in-memory database with a clock the test controls. */
import { createApp } from '../../service/http/app.js';
import type { Deps } from '../../service/context.js';
import { createSealer } from '../../service/crypto.js';
import { memoryLogger } from '../../service/log.js';
import { openSqliteStore } from '../../service/store/sqlite/store.js';
import { createEventBus } from '../../service/events.js';
import { createPasswordHasher } from '../../service/auth/password.js';
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
}

export function testApp(options: { practices?: Practice[]; at?: Date } = {}): TestApp {
  const sealer = createSealer('test-secret-key-that-is-long-enough-000');
  const store = openSqliteStore(':memory:', sealer);
  const log = memoryLogger();
  const clock = {
    now: options.at ?? OPEN_AT,
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const t = { woken: 0 } as TestApp;
  const deps: Deps = {
    store,
    sealer,
    log,
    events: createEventBus(),
    passwords: fastPasswords(),
    config: { publicUrl: 'https://permanence.example', trustProxy: false },
    now: () => clock.now,
    wakeOutbox: () => void t.woken++,
  };
  for (const practice of options.practices ?? [{ ...demoPractice(0), allowedOrigins: [ORIGIN] }]) {
    store.savePractice(practice, clock.now.toISOString());
  }
  return Object.assign(t, { app: createApp(deps), deps, log, clock });
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
  if (!t.deps.store.findUserByEmail(user.email)) {
    t.deps.store.createUser(
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

export function countRows(t: TestApp, table: string): number {
  return ((t.deps.store as unknown as { db: { prepare(sql: string): { get(): { n: number } } } }).db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).n;
}

/** The SQLite handle behind the store, for a test that must set up or read a state no route gives. */
export function rawDb(t: TestApp): { prepare(sql: string): { all(...p: unknown[]): any[]; get(...p: unknown[]): any; run(...p: unknown[]): unknown } } {
  return (t.deps.store as unknown as { db: ReturnType<typeof rawDb> }).db;
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
