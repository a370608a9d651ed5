// Identities at rest: a fresh database after 20 requests holds no name, phone or email in clear, nor the texts sent;
// an upgraded one neither. A key rotation keeps every lookup, link and field working until `rekey` has run.
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../../service/store/open.js';
import { TRANSACTION_MODULES } from '../../../service/domain/transactions.js';
import { createSealer } from '../../../service/crypto.js';
import { cancelToken, verifyCancelToken } from '../../../service/domain/links.js';
import { INTAKE_LIMITS } from '../../../service/domain/intake.js';
import { postCallback, testApp, TEST_SECRET_KEY, type TestApp } from '../helpers.js';

const UNLIMITED = { ...INTAKE_LIMITS, perIp: { limit: 10_000, windowMs: 60_000 }, perPhone: { limit: 10_000, windowMs: 60_000 } };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'permanence-sealed-'));
  dirs.push(dir);
  return dir;
};
const files = (dir: string) => Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))));
const holds = (bytes: Buffer, text: string) => bytes.includes(Buffer.from(text, 'utf8'));

const patient = (i: number) => ({
  name: `Gédéon Zébulon${i}`,
  phone: `06 77 88 ${String(10 + i).padStart(2, '0')} ${String(20 + i).padStart(2, '0')}`,
  email: `zebulon${i}@patient.example`,
  confirmBy: i % 2 ? 'email' : 'sms',
});

it('keeps no name, phone or email in clear, nor the messages sent, after 20 requests', async () => {
  const dir = folder();
  const t = await testApp({ dbPath: join(dir, 'p.db'), intakeLimits: UNLIMITED });
  const answers = [];
  for (let i = 0; i < 20; i++) answers.push(await postCallback(t, patient(i)));
  expect(answers.every((a) => a.status === 201)).toBe(true);
  expect((await t.deps.store.listOutbox('pending')).length).toBeGreaterThan(0);
  const bytes = files(dir);
  for (let i = 0; i < 20; i++) {
    const { name, email } = patient(i);
    const e164 = `+3367788${String(10 + i).padStart(2, '0')}${String(20 + i).padStart(2, '0')}`;
    for (const clear of [name, `Zébulon${i}`, email, e164, e164.slice(1), `06 77 88`]) expect(holds(bytes, clear), clear).toBe(false);
  }
  // Still found by what identifies them: the same person's repeat merges, the request reads back in clear.
  const again = await postCallback(t, { ...patient(3), reason: 'Encore une question' });
  expect(again.body).toMatchObject({ ref: answers[3]!.body.ref, duplicate: true });
  expect(await t.deps.store.getCallback(answers[3]!.body.ref)).toMatchObject({ name: 'Gédéon Zébulon3', email: 'zebulon3@patient.example' });
  await t.deps.store.close();
});

it('drops a message’s text once it is delivered', async () => {
  const t = await testApp({ intakeLimits: UNLIMITED });
  await postCallback(t, patient(1));
  const [pending] = await t.deps.store.listOutbox('pending');
  expect(pending!.payload).not.toBeNull();
  await t.deps.store.markSent(pending!.id, t.clock.now.toISOString());
  const [sent] = await t.deps.store.listOutbox('sent');
  expect(sent).toMatchObject({ id: pending!.id, recipient: 'zebulon1@patient.example', payload: null });
  await t.deps.store.close();
});

it('rotates the key: the old one still reads, matches and verifies until rekey has sealed everything again', async () => {
  const dir = folder();
  const dbPath = join(dir, 'p.db');
  const OLD = TEST_SECRET_KEY;
  const NEW = 'the-new-secret-key-after-a-rotation-000';
  const before: TestApp = await testApp({ dbPath, intakeLimits: UNLIMITED });
  const first = await postCallback(before, patient(5));
  const link = cancelToken(before.deps.sealer, first.body.ref);
  await before.deps.store.close();

  // The new key, with the old one as previous: the open request is still found, its link still opens it.
  const store = await openStore({ dbPath, secretKey: NEW, previousKeys: [OLD], publicUrl: 'https://p.example' }, TRANSACTION_MODULES);
  expect(await store.findOpenCallback('cabinet-martin', '+33677881525', 'gedeon zebulon5')).toMatchObject({ ref: first.body.ref });
  expect(await store.countOutbox({ channel: 'sms', recipient: '+33677881525', since: '2000-01-01T00:00:00.000Z' })).toBe(0);
  expect(await store.countOutbox({ channel: 'email', recipient: 'zebulon5@patient.example', since: '2000-01-01T00:00:00.000Z' })).toBe(1);
  expect(verifyCancelToken(createSealer(NEW, [OLD]), first.body.ref, link)).toBe(true);
  expect(verifyCancelToken(createSealer(NEW), first.body.ref, link)).toBe(false);
  expect(await store.rekey()).toBeGreaterThanOrEqual(6);
  expect(await store.rekey()).toBe(0);
  await store.close();

  // Rekeyed: the new key alone reads and finds everything.
  const after = await openStore({ dbPath, secretKey: NEW, publicUrl: 'https://p.example' }, TRANSACTION_MODULES);
  expect(await after.getCallback(first.body.ref)).toMatchObject({ name: 'Gédéon Zébulon5', phone: '+33677881525', email: 'zebulon5@patient.example' });
  expect(await after.findOpenCallback('cabinet-martin', '+33677881525', 'Gédéon Zébulon5')).toMatchObject({ ref: first.body.ref });
  expect(await after.countOutbox({ channel: 'email', recipient: 'zebulon5@patient.example', since: '2000-01-01T00:00:00.000Z' })).toBe(1);
  await after.close();
  const check = new Database(dbPath, { readonly: true });
  expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
  check.close();
});
