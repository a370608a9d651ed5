// Invisible or broken text: refused with 400 naming the field on every text field the API takes, public and console, and nothing stored.
import { describe, expect, it } from 'vitest';
import { countCallbacks, countOutbox, postCallback as post, postJson, send, signIn, testApp, validForm, type TestApp } from './helpers.js';
import { demoPractice } from '../../demo/seed.js';
import { newRef } from '../../service/domain/ref.js';
import { cancelToken } from '../../service/domain/links.js';

const CALLBACKS = '/v1/practices/cabinet-martin/callbacks';
const ZERO_WIDTH = '\u200b\u200b\u200b';

/** Nothing queued: no request, no confirmation. */
async function expectNothingQueued(t: TestApp) {
  expect(await countCallbacks(t)).toBe(0);
  expect(await countOutbox(t)).toBe(0);
}

describe('the patient’s form', () => {
  it.each([
    ['a name of zero-width spaces', { name: ZERO_WIDTH }, { name: 'required' }],
    ['a name of a BOM and a word joiner', { name: '\ufeff\u2060' }, { name: 'required' }],
    ['a name that is a NUL', { name: '\u0000' }, { name: 'invalid' }],
    ['a name with an escape character', { name: 'Camille\u001b[31m' }, { name: 'invalid' }],
    ['an invisible reason', { reason: '\u200b \u2060' }, { reason: 'required' }],
    ['a reason with a bell', { reason: 'Ordonnance\u0007' }, { reason: 'invalid' }],
    ['a reason with a C1 control', { reason: 'Ordonnance\u0085 à renouveler' }, { reason: 'invalid' }],
    ['a phone with a tab inside', { phone: '06\t12 34 56 78' }, { phone: 'invalid' }],
  ])('refuses %s with 400 naming the field, and queues nothing', async (_what, overrides, fields) => {
    const t = await testApp();
    const { status, body } = await post(t, overrides);
    expect(status).toBe(400);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields).toEqual(fields);
    await expectNothingQueued(t);
  });

  it.each([
    ['name', '"A\\ud800B"'],
    ['name', '"A\\udc00"'],
    ['reason', '"Mal au dos \\udbff"'],
  ])('refuses a %s holding a lone surrogate (%s), which no UTF-8 can store', async (field, json) => {
    const t = await testApp();
    // Raw JSON: the `\u` escape is what reaches the service, and JSON.parse makes it half a pair.
    const raw = JSON.stringify(validForm({ [field]: 'PLACEHOLDER' })).replace('"PLACEHOLDER"', json);
    expect(JSON.parse(raw)[field]).toMatch(/[\ud800-\udfff]/);
    const res = await postJson(t, CALLBACKS, raw);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.fields).toEqual({ [field]: 'invalid' });
    await expectNothingQueued(t);
  });

  it('keeps a reason’s line breaks and tabs, and writes a Windows line break as \\n', async () => {
    const t = await testApp();
    const { status, body } = await post(t, { reason: 'Renouvellement :\n\t- Doliprane\r\n\t- Ventoline' });
    expect(status).toBe(201);
    expect((await t.deps.store.getCallback(body.ref))!.reason).toBe('Renouvellement :\n\t- Doliprane\n\t- Ventoline');
  });

  it('accepts text with an emoji, a joiner inside a word and a name in another script', async () => {
    const t = await testApp();
    const { status, body } = await post(t, { name: 'مریم\u200cزاده', reason: 'Vaccin 👨\u200d👩\u200d👧 pour toute la famille' });
    expect(status).toBe(201);
    const stored = (await t.deps.store.getCallback(body.ref))!;
    expect(stored.name).toBe('مریم\u200cزاده');
    expect(stored.reason).toBe('Vaccin 👨\u200d👩\u200d👧 pour toute la famille');
  });

  it('stores a name and a reason typed decomposed (e + combining accent) composed, NFC', async () => {
    const t = await testApp();
    const decomposed = 'E\u0301loi\u0308se Dure\u0301';
    const { status, body } = await post(t, { name: decomposed, reason: 'Fie\u0300vre' });
    expect(status).toBe(201);
    const stored = (await t.deps.store.getCallback(body.ref))!;
    expect(stored.name).toBe('Éloïse Duré'.normalize('NFC'));
    expect(stored.name).not.toBe(decomposed);
    expect(stored.reason).toBe('Fièvre'.normalize('NFC'));
  });

  it('refuses a cancel token with a control character, naming the field', async () => {
    const t = await testApp();
    const { body: created } = await post(t);
    const res = await postJson(t, `/v1/callbacks/${created.ref}/cancel`, { token: `${cancelToken(t.deps.sealer, created.ref)}\u0000` });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.fields).toEqual({ token: 'invalid' });
    expect((await t.deps.store.getCallback(created.ref))!.state).toBe('queued');
  });
});

describe('the console', () => {
  const admin = (t: TestApp) => signIn(t, { email: 'admin@permanence.example', role: 'admin' });

  function record(overrides: Record<string, unknown> = {}) {
    const { privacyUrl: _p, ...p } = demoPractice(0);
    return { ...p, slug: 'cabinet-dupont', name: 'Cabinet Dupont', allowedOrigins: ['https://www.cabinet-dupont.example'], ...overrides };
  }

  it.each([
    ['an invisible name', { name: ZERO_WIDTH }, 'name', 'required'],
    ['a name with a line break', { name: 'Cabinet\nDupont' }, 'name', 'invalid'],
    ['a phone with a tab inside', { phone: '01\t42 00 00 00' }, 'phone', 'invalid'],
    ['French instructions with a NUL', { instructions: { fr: 'Venez\u0000 seul.', en: 'Come alone.' } }, 'instructions.fr', 'invalid'],
    ['English instructions with a lone surrogate', { instructions: { en: 'Come \ud83d alone.' } }, 'instructions.en', 'invalid'],
    ['a privacy page address with a control character', { privacyUrl: 'https://www.cabinet-dupont.example/\u0001' }, 'privacyUrl', 'invalid'],
    [
      'a closure label with a control character',
      { hours: { ...demoPractice(0).hours, exceptions: [{ from: '2026-12-24', to: '2026-12-26', hours: [], label: { fr: 'Noël\u0008' } }] } },
      'hours.exceptions.0.label.fr',
      'invalid',
    ],
  ])('refuses a practice with %s, naming the field, and saves nothing', async (_what, overrides, field, code) => {
    const t = await testApp();
    const res = await send(t, 'POST', '/v1/practices', await admin(t), record(overrides));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ [field]: code });
    expect(await t.deps.store.getPractice('cabinet-dupont')).toBeUndefined();
  });

  it('keeps the instructions’ line breaks and stores a practice name composed', async () => {
    const t = await testApp();
    const res = await send(t, 'POST', '/v1/practices', await admin(t), record({ name: 'Cabinet  Se\u0300ve', instructions: { fr: '- Sonnez\n- Montez\tau 2e' } }));
    expect(res.status).toBe(201);
    const saved = (await t.deps.store.getPractice('cabinet-dupont'))!;
    expect(saved.name).toBe('Cabinet  Sève'.normalize('NFC'));
    expect(saved.instructions.fr).toBe('- Sonnez\n- Montez\tau 2e');
  });

  const user = (overrides: Record<string, unknown> = {}) => ({
    email: 'nina@permanence.example',
    name: 'Nina',
    role: 'operator',
    practices: ['cabinet-martin'],
    password: 'a long enough passphrase',
    ...overrides,
  });

  it.each([
    ['an invisible name', { name: ZERO_WIDTH }, 'name', 'required'],
    ['a name with a NUL', { name: 'Nina\u0000' }, 'name', 'invalid'],
    ['a password with a control character', { password: 'a long enough\u0007passphrase' }, 'password', 'invalid'],
    ['a password with a lone surrogate', { password: 'a long enough \udfff passphrase' }, 'password', 'invalid'],
  ])('refuses an account with %s, naming the field, and creates nothing', async (_what, overrides, field, code) => {
    const t = await testApp();
    const res = await send(t, 'POST', '/v1/users', await admin(t), user(overrides));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ [field]: code });
    expect(await t.deps.store.findUserByEmail('nina@permanence.example')).toBeUndefined();
  });

  it('refuses renaming an account to an invisible name and keeps the old one', async () => {
    const t = await testApp();
    const headers = await admin(t);
    await send(t, 'POST', '/v1/users', headers, user());
    const res = await send(t, 'PUT', '/v1/users/nina@permanence.example', headers, { name: '\u200e\u200f' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ name: 'required' });
    expect((await t.deps.store.findUserByEmail('nina@permanence.example'))!.name).toBe('Nina');
  });

  it('takes a password exactly as typed, spaces and decomposed accents included, and signs in with the very same characters', async () => {
    const t = await testApp();
    const password = '  cafe\u0301 au lait, sans sucre  ';
    expect((await send(t, 'POST', '/v1/users', await admin(t), user({ password }))).status).toBe(201);
    expect((await postJson(t, '/v1/session', { email: 'nina@permanence.example', password })).status).toBe(204);
    expect((await postJson(t, '/v1/session', { email: 'nina@permanence.example', password: password.trim() })).status).toBe(401);
  });

  async function claimedRequest(t: TestApp) {
    const at = t.clock.now.toISOString();
    const callback = await t.deps.store.insertCallback({
      ref: newRef(),
      practice: 'cabinet-martin',
      name: 'Camille Durand',
      phone: '+33612345678',
      email: 'camille@example.org',
      reason: 'Renouvellement d’ordonnance',
      urgency: 'routine',
      redFlag: false,
      preferredWindow: null,
      confirmBy: 'email',
      lang: 'fr',
      dueAt: at,
      createdAt: at,
    });
    const operator = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    expect((await send(t, 'POST', `/v1/callbacks/${callback.ref}/claim`, operator)).status).toBe(200);
    return { callback, operator };
  }

  it.each([
    ['a note with a lone surrogate', { note: 'Rappeler \ud800 demain' }, 'note'],
    ['a message with a NUL', { message: 'Voir\u0000 ordonnance' }, 'message'],
    ['a note with a form feed', { note: 'Page 1\fPage 2' }, 'note'],
  ])('refuses an attempt with %s, naming the field, and records nothing', async (_what, text, field) => {
    const t = await testApp();
    const { callback, operator } = await claimedRequest(t);
    const res = await send(t, 'POST', `/v1/callbacks/${callback.ref}/attempts`, operator, { outcome: 'reached', ...text });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ [field]: 'invalid' });
    expect(await t.deps.store.listAttempts(callback.id)).toEqual([]);
    expect((await t.deps.store.getCallback(callback.ref))!.state).toBe('claimed');
  });

  it('keeps a note’s line breaks, and takes a note with nothing visible as no note', async () => {
    const t = await testApp();
    const { callback, operator } = await claimedRequest(t);
    const first = await send(t, 'POST', `/v1/callbacks/${callback.ref}/attempts`, operator, { outcome: 'no_answer', note: 'Messagerie.\nRappeler\tà 14 h' });
    expect(first.status).toBe(200);
    expect((await send(t, 'POST', `/v1/callbacks/${callback.ref}/claim`, operator)).status).toBe(200);
    expect((await send(t, 'POST', `/v1/callbacks/${callback.ref}/attempts`, operator, { outcome: 'reached', note: '\u200b\u00ad' })).status).toBe(200);
    expect((await t.deps.store.listAttempts(callback.id)).map((a) => a.note)).toEqual(['Messagerie.\nRappeler\tà 14 h', null]);
  });

  it('refuses a search filter with a control character, naming the parameter', async () => {
    const t = await testApp();
    const res = await send(t, 'GET', '/v1/audit?actor=admin%00', await admin(t));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ actor: 'invalid' });
  });
});
