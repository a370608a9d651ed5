/** The admin's commands (`npm run permanence -- …`) on a real database. */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoPractice } from '../../demo/seed.js';
import { postJson, runCommand, testApp, validForm } from './helpers.js';

const cli = runCommand;

/** Everything these tests write goes in here, removed at the end. */
const scratch = mkdtempSync(join(tmpdir(), 'permanence-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tmpFile = (name: string, content: string) => {
  const file = join(mkdtempSync(join(scratch, 'f-')), name);
  writeFileSync(file, content);
  return file;
};

describe('practice import and export', () => {
  it('creates a practice from its JSON record and exports it back the same', async () => {
    const t = await testApp();
    const record = { ...demoPractice(0), slug: 'kine-dupont', name: 'Cabinet de kinésithérapie Dupont', allowedOrigins: ['https://kine-dupont.fr'] };
    const imported = await cli(t, ['practice', 'import', tmpFile('p.json', JSON.stringify(record))]);
    expect(imported).toMatchObject({ code: 0, out: 'created practice kine-dupont' });
    const exported = await cli(t, ['practice', 'export', 'kine-dupont']);
    expect(JSON.parse(exported.out)).toEqual(record);
  });

  it('refuses a record with invalid hours, naming the field, and stores nothing', async () => {
    const t = await testApp();
    const record = { ...demoPractice(0), slug: 'bad', hours: { ...demoPractice(0).hours, weekly: { mon: [['08:00', '12:00'], ['11:00', '13:00']] } } };
    const result = await cli(t, ['practice', 'import', tmpFile('p.json', JSON.stringify(record))]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/hours\.weekly\.mon\.1 overlap/);
    expect(await t.deps.store.getPractice('bad')).toBeUndefined();
  });

  it('says plainly when the file is not JSON', async () => {
    const result = await cli(await testApp(), ['practice', 'import', tmpFile('p.json', '{oops')]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/cannot read .* as JSON/);
  });
});

describe('user add', () => {
  it('creates an operator for a practice with the password from standard input', async () => {
    const t = await testApp();
    const result = await cli(t, ['user', 'add', '--email', 'Lea@Example.org', '--role', 'operator', '--practice', 'cabinet-martin'], 'a long passphrase here\n');
    expect(result).toMatchObject({ code: 0, out: 'created operator lea@example.org for cabinet-martin' });
    const res = await postJson(t, '/v1/session', { email: 'lea@example.org', password: 'a long passphrase here' });
    expect(res.status).toBe(204);
  });

  it('refuses a short password and an unknown practice', async () => {
    const t = await testApp();
    expect((await cli(t, ['user', 'add', '--email', 'a@b.fr', '--role', 'operator'], 'short')).err).toMatch(/password/);
    expect((await cli(t, ['user', 'add', '--email', 'a@b.fr', '--role', 'operator', '--practice', 'nowhere'], 'a long passphrase here')).err).toMatch(/practices invalid/);
    expect(await t.deps.store.findUserByEmail('a@b.fr')).toBeUndefined();
  });

  it('answers a misuse with the usage and exit code 2', async () => {
    const result = await cli(await testApp(), ['user', 'add', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/Usage: npm run permanence/);
  });
});

describe('purge and erase', () => {
  it('deletes requests closed longer ago than the practice keeps them, and keeps open ones', async () => {
    const t = await testApp();
    const closed = await (await postJson(t, '/v1/practices/cabinet-martin/callbacks', validForm({ phone: '06 11 11 11 11' }))).json();
    const open = await (await postJson(t, '/v1/practices/cabinet-martin/callbacks', validForm({ phone: '06 22 22 22 22' }))).json();
    await t.deps.store.cancelCallback((await t.deps.store.getCallback(closed.ref))!.id, t.clock.now.toISOString());
    t.clock.advance(89 * 24 * 3600_000);
    expect((await cli(t, ['purge'])).out).toMatch(/^purged 0 requests/);
    t.clock.advance(2 * 24 * 3600_000);
    expect((await cli(t, ['purge'])).out).toMatch(/^purged 1 requests/);
    expect(await t.deps.store.getCallback(closed.ref)).toBeUndefined();
    expect(await t.deps.store.getCallback(open.ref)).toBeDefined();
  });

  it('erases every request of a phone number with its messages, whatever format the number is typed in', async () => {
    const t = await testApp();
    const { ref } = await (await postJson(t, '/v1/practices/cabinet-martin/callbacks', validForm({ phone: '06 12 34 56 78', confirmBy: 'sms' }))).json();
    const other = await (await postJson(t, '/v1/practices/cabinet-martin/callbacks', validForm({ phone: '06 99 99 99 99' }))).json();
    const result = await cli(t, ['erase', '--phone', '+33 6 12 34 56 78']);
    expect(result).toMatchObject({ code: 0, out: 'erased 1 requests' });
    expect(await t.deps.store.getCallback(ref)).toBeUndefined();
    expect((await t.deps.store.listOutbox('pending')).some((m) => m.recipient === '+33612345678')).toBe(false);
    expect(await t.deps.store.getCallback(other.ref)).toBeDefined();
  });
});

describe('the command itself', () => {
  it('runs as `npm run permanence` does, on the database file named by PERMANENCE_DB', () => {
    const dir = mkdtempSync(join(scratch, 'db-'));
    // `node --import tsx`, not `npx tsx`: npx would write a debug log under ~/.npm, and TMPDIR keeps tsx's cache in our folder.
    const env = { ...process.env, TMPDIR: dir, PERMANENCE_DB: join(dir, 'p.db'), SECRET_KEY: 'a-secret-key-of-at-least-32-chars-000' };
    const command = (...args: string[]) => ['--import', 'tsx', 'service/cli.ts', ...args];
    const file = tmpFile('p.json', JSON.stringify({ ...demoPractice(0), slug: 'ortho-leroy' }));
    execFileSync('node', command('practice', 'import', file), { env });
    const out = execFileSync('node', command('practice', 'export', 'ortho-leroy'), { env, encoding: 'utf8' });
    expect(JSON.parse(out).slug).toBe('ortho-leroy');
    const bad = spawnSync('node', command('practice', 'export', 'ortho-leroy'), { env: { ...env, PORT: 'eighty' }, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('permanence: PORT must be a port number (got "eighty")');
  });
});
