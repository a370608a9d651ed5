// Invariants the database holds, not luck: simultaneous requests from one person make one open request, and
// simultaneous SMS confirmations to one number stay under its cap. The rate limits are raised so they cannot hide a race.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INTAKE_LIMITS, type IntakeLimits } from '../../service/domain/intake.js';
import { SMS_CAPS } from '../../service/domain/confirmation-caps.js';
import { postCallback, testApp, type TestApp } from './helpers.js';

const UNLIMITED: IntakeLimits = { ...INTAKE_LIMITS, perIp: { limit: 10_000, windowMs: 60_000 }, perPhone: { limit: 10_000, windowMs: 60_000 } };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const stores = {
  'in memory': () => testApp({ intakeLimits: UNLIMITED }),
  'on a file, through the writer thread': () => {
    const dir = mkdtempSync(join(tmpdir(), 'permanence-race-'));
    dirs.push(dir);
    return testApp({ intakeLimits: UNLIMITED, dbPath: join(dir, 'p.db') });
  },
};

describe.each(Object.entries(stores))('concurrent intake %s', (_name, open) => {
  let t: TestApp;
  afterEach(async () => t.deps.store.close());

  it('turns 50 simultaneous requests from one phone and name into one open request', async () => {
    t = await open();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postCallback(t, { confirmBy: 'none', reason: `Demande numéro ${i}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    expect(new Set(answers.map((a) => a.body.ref)).size).toBe(1);
    const queue = await t.deps.store.listQueue({ state: 'open' });
    expect(queue).toHaveLength(1);
    expect(queue[0]!.mergedCount).toBe(49);
    expect(await t.deps.store.countCallbacks({ state: 'all' })).toBe(1);
  });

  it(`sends no more than ${SMS_CAPS.perNumber} SMS confirmations to one number when 50 people ask at once`, async () => {
    t = await open();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postCallback(t, { confirmBy: 'sms', email: '', name: `Patient ${String.fromCharCode(65 + (i % 26))}${i}` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const sms = (await t.deps.store.listOutbox('pending')).filter((m) => m.channel === 'sms' && m.recipient === '+33612345678');
    expect(sms).toHaveLength(SMS_CAPS.perNumber);
    expect(answers.filter((a) => a.body.confirmBy === 'sms')).toHaveLength(SMS_CAPS.perNumber);
    expect(await t.deps.store.countCallbacks({ state: 'open' })).toBe(50);
  });
});
