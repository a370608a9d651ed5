// Practice administration: create and edit the SPEC practice record, hours validated, raw HTML refused, operators assigned, changes audited.
import { describe, expect, it } from 'vitest';
import { send, signIn, testApp } from './helpers.js';
import { demoPractice } from '../../demo/seed.js';
import { INSTRUCTIONS_TEMPLATE } from '../../shared/instructions-template.js';

function record(overrides: Record<string, unknown> = {}) {
  const { privacyUrl: _p, ...p } = demoPractice(0);
  return { ...p, slug: 'cabinet-dupont', name: 'Cabinet Dupont', allowedOrigins: ['https://www.cabinet-dupont.example'], ...overrides };
}

describe('practices', () => {
  it('creates a practice an admin can read back, and refuses the same slug twice', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const created = await send(t, 'POST', '/v1/practices', admin, record());
    expect(created.status).toBe(201);
    const read = await send(t, 'GET', '/v1/practices/cabinet-dupont', admin);
    expect(read.body).toMatchObject({ slug: 'cabinet-dupont', name: 'Cabinet Dupont', sms: true, retentionDays: 90, operators: [] });
    expect(read.body.hours.weekly.mon).toEqual([['08:30', '12:30'], ['14:00', '19:00']]);
    expect((await send(t, 'POST', '/v1/practices', admin, record())).status).toBe(409);
  });

  it('starts a practice sent without instructions from the FR/EN template, and keeps its own when edited without them', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const { instructions: _i, ...bare } = record();
    expect((await send(t, 'POST', '/v1/practices', admin, bare)).body.instructions).toEqual(INSTRUCTIONS_TEMPLATE);
    await send(t, 'PUT', '/v1/practices/cabinet-dupont', admin, { ...bare, instructions: { fr: 'Venez seul.' } });
    expect((await send(t, 'PUT', '/v1/practices/cabinet-dupont', admin, bare)).body.instructions).toEqual({ fr: 'Venez seul.' });
  });

  it('names each problem of a bad schedule by its path', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const hours = { ...demoPractice(0).hours, weekly: { mon: [['08:30', '12:30'], ['12:00', '19:00']], tue: [['25:00', '26:00']] } };
    const res = await send(t, 'POST', '/v1/practices', admin, record({ hours }));
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields)).toEqual(expect.arrayContaining(['hours.weekly.mon.1', 'hours.weekly.tue.0']));
  });

  it.each([
    ['raw HTML in the instructions', { instructions: { fr: 'Venez <script>alert(1)</script> seul' } }, ['instructions.fr']],
    ['a javascript: link in the instructions', { instructions: { en: 'Read [this](javascript:alert(1))' } }, ['instructions.en']],
    ['an origin with a path', { allowedOrigins: ['https://www.example.org/page'] }, 'allowedOrigins'],
    ['an unknown time zone', { timezone: 'Europe/Atlantis' }, 'timezone'],
    ['retention of zero days', { retentionDays: 0 }, 'retentionDays'],
    ['a slug with capitals', { slug: 'Cabinet' }, 'slug'],
    ['a bad notification email', { notifyEmail: 'not-an-email' }, 'notifyEmail'],
    ['an unknown field', { colour: 'red' }, 'colour'],
  ])('refuses %s with 400 naming the field', async (_what, overrides, field) => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const res = await send(t, 'POST', '/v1/practices', admin, record(overrides));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty(field);
  });

  it('refuses instructions with a link that cannot be opened, naming the field and the line, and saves nothing', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const { privacyUrl: _p, ...martin } = demoPractice(0);
    const before = (await send(t, 'GET', '/v1/practices/cabinet-martin', admin)).body;
    // `%E0%A4%A` does not decode: the widget used to throw on it and draw no instructions at all.
    const res = await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...martin, instructions: { fr: 'Bonjour.\n\n[écrire](mailto:%E0%A4%A)', en: 'Hello.' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toEqual({ 'instructions.fr': 'invalid_link' });
    expect(res.body.error.message).toMatch(/^Line 3 of the French instructions has a link that cannot be opened/);
    expect((await send(t, 'GET', '/v1/practices/cabinet-martin', admin)).body).toEqual(before);
    expect(await t.deps.store.listAudit({ limit: 1, action: 'practice_updated' })).toEqual([]);

    const both = await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, {
      ...martin,
      instructions: { fr: 'Voir [le plan](/plan).', en: '- Call [us](tel:call-me)\n- or **[write](mailto:%ZZ)**\n\n[again](mailto:x)' },
    });
    expect(both.body.error.fields).toEqual({ 'instructions.fr': 'invalid_link', 'instructions.en': 'invalid_link' });
    expect(both.body.error.message).toContain('Line 1 of the French instructions has a link');
    expect(both.body.error.message).toContain('Lines 1, 2 and 4 of the English instructions have links');
  });

  it('edits a practice, assigns its operators and audits which fields changed, not their values', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const op = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: [] });
    expect((await send(t, 'GET', '/v1/practices/cabinet-martin', op)).status).toBe(404);
    const { privacyUrl: _p, ...martin } = demoPractice(0);
    const res = await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...martin, sms: false, operators: ['op@permanence.example'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sms: false, operators: ['op@permanence.example'] });
    expect((await send(t, 'GET', '/v1/practices/cabinet-martin', op)).body.sms).toBe(false);
    const [entry] = await t.deps.store.listAudit({ limit: 1, action: 'practice_updated' });
    // The test app's copy allows another origin than the demo record sent here.
    expect(entry!.details).toEqual({ changed: ['allowedOrigins', 'sms', 'operators'] });
    // Leaving `operators` out keeps them; an empty list takes the practice from everyone.
    await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, martin);
    expect((await t.deps.store.findUserByEmail('op@permanence.example'))!.practices).toEqual(['cabinet-martin']);
    await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...martin, operators: [] });
    expect((await t.deps.store.findUserByEmail('op@permanence.example'))!.practices).toEqual([]);
  });

  it('refuses to rename a practice through its body, and to assign someone who is not an operator', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const { privacyUrl: _p, ...martin } = demoPractice(0);
    expect((await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...martin, slug: 'autre' })).body.error.fields).toHaveProperty('slug');
    expect((await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...martin, operators: ['admin@permanence.example'] })).body.error.fields).toHaveProperty('operators');
    expect((await send(t, 'PUT', '/v1/practices/nowhere', admin, martin)).status).toBe(404);
  });
});

describe('allowed origins as an admin types them', () => {
  it('saves an origin copied with its trailing slash as the origin itself', async () => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const res = await send(t, 'POST', '/v1/practices', admin, record({ allowedOrigins: ['https://www.cabinet-dupont.example/', 'http://localhost:8788/'] }));
    expect(res.status).toBe(201);
    expect(res.body.allowedOrigins).toEqual(['https://www.cabinet-dupont.example', 'http://localhost:8788']);
  });

  it.each([
    ['a path', 'https://www.cabinet-dupont.example/contact'],
    ['a query', 'https://www.cabinet-dupont.example/?page=1'],
    ['two trailing slashes', 'https://www.cabinet-dupont.example//'],
    ['no scheme', 'www.cabinet-dupont.example'],
  ])('refuses an origin with %s as invalid_origin', async (_what, origin) => {
    const t = await testApp();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const res = await send(t, 'POST', '/v1/practices', admin, record({ allowedOrigins: [origin] }));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ allowedOrigins: 'invalid_origin' });
  });
});
