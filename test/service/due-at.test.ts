// When a request is due: the chosen window's start (never before now, never while closed), now for an urgent request or a
// red flag, the next opening while closed; and that time said in words in the answer, the email, the SMS and the cancel page.
import { describe, expect, it } from 'vitest';
import { OPEN_AT, postCallback as post, signIn, testApp, type TestApp } from './helpers.js';
import { cancelToken } from '../../service/domain/links.js';
import { issueFormToken } from '../../service/domain/form-token.js';
import type { EmailPayload, SmsPayload } from '../../service/store/store.js';

// The demo practice, in Paris: Wednesday 25 November 2026 10:00 (OPEN_AT) it is open until 12:30 and closed in the
// afternoon; Thursday 26 it is open 08:30–12:30 and 14:00–19:00.
const TOMORROW_AFTERNOON = { from: '2026-11-26T14:00:00+01:00', to: '2026-11-26T19:00:00+01:00' };

async function outbox(t: TestApp) {
  return t.deps.store.listOutbox('pending');
}

describe('a preferred window', () => {
  it('makes the request due at its start, and the answer, the email and the cancel page say the window in words', async () => {
    const t = await testApp();
    const { status, body } = await post(t, { preferredWindow: TOMORROW_AFTERNOON });
    expect(status).toBe(201);
    expect(body.dueAt).toBe('2026-11-26T13:00:00.000Z');
    expect(body.preferredWindow).toEqual(TOMORROW_AFTERNOON);
    expect((await t.deps.store.getCallback(body.ref))!.dueAt).toBe('2026-11-26T13:00:00.000Z');

    const [mail] = await outbox(t);
    expect((mail!.payload as EmailPayload).text).toContain('Nous vous rappellerons demain entre 14:00 et 19:00 au 06 12 34 56 78.');

    const page = await (await t.app.request(`/c/${body.ref}?t=${cancelToken(t.deps.sealer, body.ref)}`)).text();
    expect(page).toContain('Nous vous rappellerons demain entre 14:00 et 19:00.');
  });

  it('says the window in English, and in the SMS in one segment', async () => {
    const t = await testApp();
    const { body } = await post(t, { preferredWindow: TOMORROW_AFTERNOON, lang: 'en', confirmBy: 'sms' });
    const [sms] = await outbox(t);
    expect((sms!.payload as SmsPayload).body).toContain(`request ${body.ref} received, callback tomorrow between 14:00 and 19:00.`);
    t.clock.advance(86_400_000);
    // A day later the same window is "today" on the cancel page.
    const page = await (await t.app.request(`/c/${body.ref}?t=${cancelToken(t.deps.sealer, body.ref)}`)).text();
    expect(page).toContain('We will call you back today between 14:00 and 19:00.');
  });

  it('names a window further ahead by its date', async () => {
    const t = await testApp();
    const { body } = await post(t, { preferredWindow: { from: '2026-11-30T08:30:00+01:00', to: '2026-11-30T12:30:00+01:00' } });
    expect(body.dueAt).toBe('2026-11-30T07:30:00.000Z');
    const [mail] = await outbox(t);
    expect((mail!.payload as EmailPayload).text).toContain('Nous vous rappellerons lundi 30 novembre entre 08:30 et 12:30');
  });

  it('orders the queue by due time: a request for tomorrow afternoon comes after one sent later for now', async () => {
    const t = await testApp();
    const later = await post(t, { preferredWindow: TOMORROW_AFTERNOON });
    t.clock.advance(60_000);
    const now = await post(t, { name: 'Paul Martin', phone: '06 98 76 54 32' });
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const queue = (await (await t.app.request('/v1/queue', { headers: admin })).json()) as { items: { ref: string; dueAt: string }[] };
    expect(queue.items.map((item) => item.ref)).toEqual([now.body.ref, later.body.ref]);
  });

  it('is due now for a window already under way', async () => {
    const t = await testApp();
    const window = { from: '2026-11-25T08:30:00+01:00', to: '2026-11-25T12:30:00+01:00' };
    const { body } = await post(t, { preferredWindow: window });
    expect(body.dueAt).toBe(OPEN_AT.toISOString());
    expect(body.preferredWindow).toEqual(window);
    const [mail] = await outbox(t);
    expect((mail!.payload as EmailPayload).text).toContain('Nous vous rappellerons dès que possible');
  });

  it('is due at the opening within the window when the practice is closed at its start', async () => {
    const t = await testApp();
    // Thursday from 13:00: the practice reopens at 14:00.
    const { body } = await post(t, { preferredWindow: { from: '2026-11-26T13:00:00+01:00', to: '2026-11-26T16:00:00+01:00' } });
    expect(body.dueAt).toBe('2026-11-26T13:00:00.000Z');
    const [mail] = await outbox(t);
    expect((mail!.payload as EmailPayload).text).toContain('demain entre 14:00 et 16:00');
  });

  it('is due as if none were chosen when the practice is closed throughout the window', async () => {
    const t = await testApp();
    const { body } = await post(t, { preferredWindow: { from: '2026-11-26T20:00:00+01:00', to: '2026-11-26T22:00:00+01:00' } });
    expect(body.dueAt).toBe(OPEN_AT.toISOString());
    expect(body).not.toHaveProperty('preferredWindow');
    // The patient's wish is kept for the operator all the same.
    expect((await t.deps.store.getCallback(body.ref))!.preferredWindow).toEqual({ from: '2026-11-26T20:00:00+01:00', to: '2026-11-26T22:00:00+01:00' });
  });

  it.each([
    ['an urgent request', { urgency: 'urgent' }],
    ['a red flag', { reason: 'Douleur dans la poitrine depuis une heure' }],
  ])('is due now for %s, whatever window was chosen', async (_what, overrides) => {
    const t = await testApp();
    const { body } = await post(t, { preferredWindow: TOMORROW_AFTERNOON, ...overrides });
    expect(body.dueAt).toBe(OPEN_AT.toISOString());
    expect(body).not.toHaveProperty('preferredWindow');
  });

  it('gives a request taken for a bot’s the same kind of answer', async () => {
    const t = await testApp();
    const formToken = issueFormToken(t.deps.sealer, 'cabinet-martin', t.clock.now);
    t.clock.advance(1_000);
    const { body } = await post(t, { preferredWindow: TOMORROW_AFTERNOON, formToken });
    expect(body).toMatchObject({ dueAt: '2026-11-26T13:00:00.000Z', preferredWindow: TOMORROW_AFTERNOON });
    expect(await t.deps.store.countCallbacks({ state: 'all' })).toBe(0);
  });
});

describe('while the practice is closed', () => {
  // Sunday 29 November 2026, 15:00 in Paris: closed until Monday 08:30.
  const SUNDAY = new Date('2026-11-29T14:00:00Z');

  it('is due at the next opening, said with its date', async () => {
    const t = await testApp({ at: SUNDAY });
    const { body } = await post(t);
    expect(body.dueAt).toBe('2026-11-30T07:30:00.000Z');
    const [mail] = await outbox(t);
    expect((mail!.payload as EmailPayload).text).toContain('Nous vous rappellerons demain à partir de 08:30');
  });

  it.each([
    ['an urgent request', { urgency: 'urgent' }],
    ['a red flag', { reason: 'Mon père a une douleur dans la poitrine' }],
  ])('is due now for %s: the answering service handles it, the practice’s hours do not hold it back', async (_what, overrides) => {
    const t = await testApp({ at: SUNDAY });
    const { body } = await post(t, overrides);
    expect(body.dueAt).toBe(SUNDAY.toISOString());
  });
});

describe('a repeat merged into the request already waiting', () => {
  it('keeps that request’s due time and window, and says them again', async () => {
    const t = await testApp();
    const first = await post(t, { preferredWindow: TOMORROW_AFTERNOON });
    t.clock.advance(5 * 60_000);
    const again = await post(t, { reason: 'Et aussi un certificat' });
    expect(again.body).toMatchObject({ ref: first.body.ref, duplicate: true, dueAt: first.body.dueAt, preferredWindow: TOMORROW_AFTERNOON });
    const mails = await outbox(t);
    expect((mails.at(-1)!.payload as EmailPayload).text).toContain('demain entre 14:00 et 19:00');
  });

  it.each([
    ['urgent', { urgency: 'urgent', reason: 'Finalement c’est urgent' }],
    ['a red flag', { reason: 'Maintenant il ne respire plus bien, il étouffe' }],
  ])('is due now when the repeat is %s, and the answer and the queue say so', async (_what, overrides) => {
    const t = await testApp({ at: new Date('2026-11-29T14:00:00Z') });
    const first = await post(t, { preferredWindow: { from: '2026-11-30T14:00:00+01:00', to: '2026-11-30T19:00:00+01:00' } });
    expect(first.body.dueAt).toBe('2026-11-30T13:00:00.000Z');
    t.clock.advance(5 * 60_000);
    const again = await post(t, overrides);
    expect(again.body).toMatchObject({ ref: first.body.ref, duplicate: true, dueAt: t.clock.now.toISOString() });
    // Due now, outside the window: the answer no longer names it.
    expect(again.body.preferredWindow).toBeUndefined();
    expect(await t.deps.store.getCallback(first.body.ref)).toMatchObject({ urgency: 'urgent', dueAt: t.clock.now.toISOString() });
    const mails = await outbox(t);
    expect((mails.at(-1)!.payload as EmailPayload).text).not.toContain('entre 14:00 et 19:00');
  });

  it('keeps the retry an operator set on a red flag when the repeat itself is routine', async () => {
    const t = await testApp();
    const first = await post(t, { reason: 'Mon père a une douleur dans la poitrine' });
    const callback = (await t.deps.store.getCallback(first.body.ref))!;
    const at = t.clock.now.toISOString();
    const retry = new Date(t.clock.now.getTime() + 30 * 60_000).toISOString();
    await t.deps.store.applyAttempt(callback.id, { state: 'queued', outcome: null, dueAt: retry, attempts: 1, firstCallAt: at, closedAt: null }, at);
    t.clock.advance(5 * 60_000);
    const again = await post(t, { reason: 'Je rappelle pour ma demande' });
    expect(again.body).toMatchObject({ ref: first.body.ref, duplicate: true, redFlag: true, dueAt: retry });
  });

  it('never moves the due time later: a routine repeat of an urgent request leaves it due when it was', async () => {
    const t = await testApp();
    const first = await post(t, { urgency: 'urgent' });
    t.clock.advance(5 * 60_000);
    const again = await post(t, { urgency: 'routine', reason: 'Je rappelle pour ma demande' });
    expect(again.body).toMatchObject({ ref: first.body.ref, dueAt: first.body.dueAt });
  });
});
