// Working a request: claim (atomic, 409, idle claims return), outcomes and retries, "we tried to reach you", messages and the practitioner's notice.
import { describe, expect, it } from 'vitest';
import { signIn, testApp, type TestApp } from './helpers.js';
import { newRef } from '../../service/domain/ref.js';
import type { QueueEvent } from '../../service/events.js';
import type { Callback, EmailPayload, NewCallback, SmsPayload } from '../../service/store/store.js';

const REASON = 'Douleur thoracique depuis hier soir';

let seeded = 0;
/** A request from its own patient (one open request per person is the rule), unless `overrides` names one. */
function seed(t: TestApp, overrides: Partial<NewCallback> = {}): Promise<Callback> {
  const at = t.clock.now.toISOString();
  return t.deps.store.insertCallback({
    ref: newRef(),
    practice: 'cabinet-martin',
    name: 'Camille Durand',
    phone: `+336123456${String(seeded++ % 100).padStart(2, '0')}`,
    email: 'camille@example.org',
    reason: REASON,
    urgency: 'routine',
    redFlag: false,
    preferredWindow: null,
    confirmBy: 'email',
    lang: 'fr',
    dueAt: at,
    createdAt: at,
    ...overrides,
  });
}

const operator = (t: TestApp, email = 'op1@permanence.example') => signIn(t, { email, role: 'operator', practices: ['cabinet-martin'] });

async function call(t: TestApp, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await t.app.request(path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const claim = (t: TestApp, ref: string, h: Record<string, string>) => call(t, 'POST', `/v1/callbacks/${ref}/claim`, h);
const attempt = (t: TestApp, ref: string, h: Record<string, string>, body: Record<string, unknown>) => call(t, 'POST', `/v1/callbacks/${ref}/attempts`, h, body);

function recordEvents(t: TestApp): QueueEvent[] {
  const events: QueueEvent[] = [];
  t.deps.events.subscribe((e) => events.push(e));
  return events;
}

describe('claiming', () => {
  it('gives the request to the first operator and answers 409 "claimed" to the second', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const [a, b] = [await operator(t, 'a@permanence.example'), await operator(t, 'b@permanence.example')];
    const first = await claim(t, cb.ref, a);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'claimed', claimedByMe: true, claimedByName: 'a' });
    const second = await claim(t, cb.ref, b);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('claimed');
    const seenByB = await call(t, 'GET', `/v1/callbacks/${cb.ref}`, b);
    expect(seenByB.body).toMatchObject({ state: 'claimed', claimedByMe: false, claimedByName: 'a' });
  });

  it('lets exactly one of two simultaneous claims win', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const [a, b] = [await operator(t, 'a@permanence.example'), await operator(t, 'b@permanence.example')];
    const results = await Promise.all([claim(t, cb.ref, a), claim(t, cb.ref, b)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('returns a claim left idle for 10 minutes to the queue, where another operator can take it', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const [a, b] = [await operator(t, 'a@permanence.example'), await operator(t, 'b@permanence.example')];
    await claim(t, cb.ref, a);
    t.clock.advance(9 * 60_000);
    expect((await claim(t, cb.ref, b)).status).toBe(409);
    const events = recordEvents(t);
    t.clock.advance(61_000);
    const queue = await call(t, 'GET', '/v1/queue', b);
    expect(queue.body.items.find((i: any) => i.ref === cb.ref)).toMatchObject({ state: 'queued', claimedBy: null });
    expect(events).toContainEqual({ type: 'callback.updated', practice: 'cabinet-martin', ref: cb.ref });
    expect((await claim(t, cb.ref, b)).status).toBe(200);
  });

  it('renews the claim when its holder claims again', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const [a, b] = [await operator(t, 'a@permanence.example'), await operator(t, 'b@permanence.example')];
    await claim(t, cb.ref, a);
    t.clock.advance(8 * 60_000);
    expect((await claim(t, cb.ref, a)).status).toBe(200);
    t.clock.advance(8 * 60_000);
    expect((await claim(t, cb.ref, b)).status).toBe(409);
  });

  it('releases to the queue for the holder, refuses another operator, lets an admin force it', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const [a, b] = [await operator(t, 'a@permanence.example'), await operator(t, 'b@permanence.example')];
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    await claim(t, cb.ref, a);
    expect((await call(t, 'POST', `/v1/callbacks/${cb.ref}/release`, b)).status).toBe(409);
    expect((await call(t, 'POST', `/v1/callbacks/${cb.ref}/release`, a)).body.state).toBe('queued');
    await claim(t, cb.ref, a);
    expect((await call(t, 'POST', `/v1/callbacks/${cb.ref}/release`, admin)).body.state).toBe('queued');
  });
});

describe('recording a call', () => {
  it('refuses an attempt from an operator who does not hold the claim', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const [a, b] = [await operator(t, 'a@permanence.example'), await operator(t, 'b@permanence.example')];
    expect((await attempt(t, cb.ref, a, { outcome: 'reached' })).body.error.code).toBe('not_claimed');
    await claim(t, cb.ref, a);
    const res = await attempt(t, cb.ref, b, { outcome: 'reached' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('claimed');
  });

  it('keeps a no-answer open, due again 30 minutes later, and lets the claim go', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const a = await operator(t);
    await claim(t, cb.ref, a);
    const res = await attempt(t, cb.ref, a, { outcome: 'no_answer', note: 'Sonne dans le vide' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'queued', outcome: null, claimedBy: null, attemptCount: 1, dueAt: new Date(t.clock.now.getTime() + 30 * 60_000).toISOString() });
    expect(res.body.attempts).toEqual([expect.objectContaining({ outcome: 'no_answer', note: 'Sonne dans le vide', by: 'op1' })]);
  });

  it('uses the retry time the operator chose, and refuses one in the past or on a closing outcome', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const a = await operator(t);
    await claim(t, cb.ref, a);
    const past = new Date(t.clock.now.getTime() - 60_000).toISOString();
    expect((await attempt(t, cb.ref, a, { outcome: 'voicemail', retryAt: past })).body.error.fields).toEqual({ retryAt: 'invalid' });
    const later = new Date(t.clock.now.getTime() + 2 * 3_600_000).toISOString();
    expect((await attempt(t, cb.ref, a, { outcome: 'reached', retryAt: later })).body.error.fields).toEqual({ retryAt: 'invalid' });
    const res = await attempt(t, cb.ref, a, { outcome: 'voicemail', retryAt: later });
    expect(res.body).toMatchObject({ state: 'queued', dueAt: later });
  });

  it('never counts a voicemail as reached', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const a = await operator(t);
    await claim(t, cb.ref, a);
    const res = await attempt(t, cb.ref, a, { outcome: 'voicemail' });
    expect(res.body.state).toBe('queued');
    expect(res.body.outcome).toBeNull();
    expect(res.body.firstCallAt).toBe(t.clock.now.toISOString());
  });

  it.each(['reached', 'wrong_number', 'spam', 'duplicate', 'cancelled'])('closes the request on %s and lists it as done', async (outcome) => {
    const t = await testApp();
    const cb = await seed(t);
    const a = await operator(t);
    await claim(t, cb.ref, a);
    const res = await attempt(t, cb.ref, a, { outcome });
    expect(res.body).toMatchObject({ state: 'done', outcome, closedAt: t.clock.now.toISOString(), claimedBy: null });
    expect((await call(t, 'GET', '/v1/queue', a)).body.items).toEqual([]);
    expect((await call(t, 'GET', '/v1/queue?state=done', a)).body.items.map((i: any) => i.ref)).toEqual([cb.ref]);
    expect((await claim(t, cb.ref, a)).body.error.code).toBe('closed');
  });

  it('publishes callback.updated for the claim and for the outcome', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const a = await operator(t);
    const events = recordEvents(t);
    await claim(t, cb.ref, a);
    await attempt(t, cb.ref, a, { outcome: 'reached' });
    expect(events).toEqual([
      { type: 'callback.updated', practice: 'cabinet-martin', ref: cb.ref },
      { type: 'callback.updated', practice: 'cabinet-martin', ref: cb.ref },
    ]);
  });
});

describe('retry times and the practice’s hours', () => {
  // The demo practice: Mon, Tue and Thu 08:30–12:30 and 14:00–19:00 in Paris. Tuesday 24 November 2026, 18:51 in Paris (UTC+1).
  const TUESDAY_1851 = new Date('2026-11-24T17:51:00Z');
  const WEDNESDAY_0830 = '2026-11-25T07:30:00.000Z';
  const IN_30_MIN = '2026-11-24T18:21:00.000Z';

  async function noAnswer(t: TestApp, overrides: Partial<NewCallback> = {}, body: Record<string, unknown> = {}) {
    const cb = await seed(t, overrides);
    const a = await operator(t);
    await claim(t, cb.ref, a);
    return attempt(t, cb.ref, a, { outcome: 'no_answer', ...body });
  }

  it('moves a routine retry that would fall after closing to the next opening, and says so', async () => {
    const res = await noAnswer(await testApp({ at: TUESDAY_1851 }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'queued', dueAt: WEDNESDAY_0830 });
    expect(res.body.attempts).toEqual([expect.objectContaining({ outcome: 'no_answer', retryAt: WEDNESDAY_0830, retryRule: 'reopening' })]);
  });

  it('moves a retry that would fall in the lunch break to the afternoon opening', async () => {
    const res = await noAnswer(await testApp({ at: new Date('2026-11-24T11:15:00Z') }), {}, { outcome: 'voicemail' });
    expect(res.body).toMatchObject({ dueAt: '2026-11-24T13:00:00.000Z' });
    expect(res.body.attempts[0].retryRule).toBe('reopening');
  });

  it('keeps 30 minutes for an urgent request or a red flag, whatever the hours', async () => {
    const t = await testApp({ at: TUESDAY_1851 });
    for (const overrides of [{ urgency: 'urgent' as const }, { redFlag: true }]) {
      const res = await noAnswer(t, overrides);
      expect(res.body).toMatchObject({ state: 'queued', dueAt: IN_30_MIN });
      expect(res.body.attempts).toEqual([expect.objectContaining({ retryAt: IN_30_MIN, retryRule: 'urgent' })]);
    }
  });

  it('keeps the time the operator chose even while the practice is closed', async () => {
    const chosen = '2026-11-24T19:30:00.000Z';
    const res = await noAnswer(await testApp({ at: TUESDAY_1851 }), {}, { retryAt: chosen });
    expect(res.body).toMatchObject({ dueAt: chosen });
    expect(res.body.attempts).toEqual([expect.objectContaining({ retryAt: chosen, retryRule: 'operator' })]);
  });

  it('keeps 30 minutes when the practice is open then', async () => {
    const t = await testApp();
    const res = await noAnswer(t);
    expect(res.body).toMatchObject({ dueAt: new Date(t.clock.now.getTime() + 30 * 60_000).toISOString() });
    expect(res.body.attempts[0].retryRule).toBe('delay');
  });

  it('records no retry rule on an outcome that closes the request', async () => {
    const res = await noAnswer(await testApp({ at: TUESDAY_1851 }), {}, { outcome: 'reached' });
    expect(res.body.attempts).toEqual([expect.objectContaining({ retryAt: null, retryRule: null })]);
  });
});

describe('after three calls without an answer', () => {
  async function failThrice(t: TestApp, ref: string) {
    const a = await operator(t);
    for (const outcome of ['no_answer', 'voicemail', 'no_answer']) {
      await claim(t, ref, a);
      expect((await attempt(t, ref, a, { outcome })).status).toBe(200);
      t.clock.advance(30 * 60_000);
    }
    return a;
  }

  it('emails the patient once, in their language, with no health detail', async () => {
    const t = await testApp();
    const cb = await seed(t, { lang: 'en', confirmBy: 'email' });
    const a = await failThrice(t, cb.ref);
    const tried = (await t.deps.store.listOutbox('pending')).filter((m) => m.purpose === 'tried_to_reach');
    expect(tried).toHaveLength(1);
    expect(tried[0]).toMatchObject({ channel: 'email', recipient: 'camille@example.org' });
    const email = tried[0]!.payload as EmailPayload;
    expect(email.subject).toContain('We tried to call you back');
    expect(email.text).toContain(cb.ref);
    expect(JSON.stringify(email)).not.toContain('thoracique');
    expect(t.woken).toBeGreaterThan(0);
    // A fourth failure does not send it again.
    await claim(t, cb.ref, a);
    await attempt(t, cb.ref, a, { outcome: 'no_answer' });
    expect((await t.deps.store.listOutbox('pending')).filter((m) => m.purpose === 'tried_to_reach')).toHaveLength(1);
  });

  it('sends it by SMS to a patient who chose SMS, in one GSM-7 segment', async () => {
    const t = await testApp();
    const cb = await seed(t, { confirmBy: 'sms', email: null });
    await failThrice(t, cb.ref);
    const [sms] = (await t.deps.store.listOutbox('pending')).filter((m) => m.purpose === 'tried_to_reach');
    expect(sms).toMatchObject({ channel: 'sms', recipient: cb.phone });
    const body = (sms!.payload as SmsPayload).body;
    expect(body).toContain(cb.ref);
    expect(body.length).toBeLessThanOrEqual(160);
  });

  it('falls back to email when the patient asked for no confirmation, and sends nothing without an address', async () => {
    const withEmail = await testApp();
    await failThrice(withEmail, (await seed(withEmail, { confirmBy: 'none' })).ref);
    expect((await withEmail.deps.store.listOutbox('pending')).filter((m) => m.purpose === 'tried_to_reach').map((m) => m.channel)).toEqual(['email']);
    const without = await testApp();
    await failThrice(without, (await seed(without, { confirmBy: 'none', email: null })).ref);
    expect((await without.deps.store.listOutbox('pending')).filter((m) => m.purpose === 'tried_to_reach')).toEqual([]);
  });

  it('sends nothing after two failures', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const a = await operator(t);
    for (const outcome of ['no_answer', 'voicemail']) {
      await claim(t, cb.ref, a);
      await attempt(t, cb.ref, a, { outcome });
    }
    expect((await t.deps.store.listOutbox('pending')).filter((m) => m.purpose === 'tried_to_reach')).toEqual([]);
  });
});

describe('messages for the practitioner', () => {
  it('stores the message, emails the practice a notice without health details, and shows it to the practitioner', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const a = await operator(t);
    await claim(t, cb.ref, a);
    const res = await attempt(t, cb.ref, a, { outcome: 'reached', message: 'Rappeler la patiente pour le résultat de la prise de sang', note: 'Patiente inquiète' });
    expect(res.body.messages).toEqual([expect.objectContaining({ body: 'Rappeler la patiente pour le résultat de la prise de sang', createdBy: 'op1', readAt: null })]);

    const [notice] = (await t.deps.store.listOutbox('pending')).filter((m) => m.purpose === 'practitioner_message');
    expect(notice).toMatchObject({ channel: 'email', recipient: 'dr.martin@example.org' });
    const email = notice!.payload as EmailPayload;
    expect(email.text).toContain('https://permanence.example/console/#/messages');
    // The practice record has no language: one email in French, then English.
    expect(email.subject).toBe('Nouveau message / New message – Cabinet du Dr Martin');
    expect(email.text.indexOf('Le secrétariat a pris un message')).toBeGreaterThanOrEqual(0);
    expect(email.text.indexOf('The answering service took a message')).toBeGreaterThan(email.text.indexOf('Le secrétariat a pris un message'));
    for (const secret of ['prise de sang', 'inquiète', 'thoracique', 'Camille', 'Durand', '0612345678', '612345678']) {
      expect(JSON.stringify(email)).not.toContain(secret);
    }

    const dr = await signIn(t, { email: 'dr.martin@example.org', role: 'practitioner', practices: ['cabinet-martin'] });
    const list = await call(t, 'GET', '/v1/messages?practice=cabinet-martin', dr);
    expect(list.body.items).toEqual([expect.objectContaining({ ref: cb.ref, patientName: 'Camille Durand', readAt: null })]);
    const read = await call(t, 'POST', `/v1/messages/${list.body.items[0].id}/read`, dr);
    expect(read.body.readAt).toBe(t.clock.now.toISOString());
    expect((await call(t, 'GET', '/v1/messages?unread=1', dr)).body.items).toEqual([]);
  });

  it('gives the practitioner the context of a message: practice name, phone to dial and to read, language, reason and red flag', async () => {
    const t = await testApp();
    const cb = await seed(t, { redFlag: true, urgency: 'urgent', lang: 'en', phone: '+33612345678' });
    const a = await operator(t);
    await claim(t, cb.ref, a);
    await attempt(t, cb.ref, a, { outcome: 'reached', message: 'Rappeler pour le résultat' });
    const dr = await signIn(t, { email: 'dr.martin@example.org', role: 'practitioner', practices: ['cabinet-martin'] });
    const context = {
      practice: 'cabinet-martin',
      practiceName: 'Cabinet du Dr Martin',
      patientPhone: '+33612345678',
      patientPhoneNational: '06 12 34 56 78',
      lang: 'en',
      reason: REASON,
      redFlag: true,
    };
    const list = await call(t, 'GET', '/v1/messages', dr);
    expect(list.body.items).toEqual([expect.objectContaining(context)]);
    expect((await call(t, 'POST', `/v1/messages/${list.body.items[0].id}/read`, dr)).body).toMatchObject(context);
    const detail = await call(t, 'GET', `/v1/callbacks/${cb.ref}`, dr);
    expect(detail.body).toMatchObject({ practiceName: 'Cabinet du Dr Martin', lang: 'en', suspect: false });
    expect(detail.body.messages).toEqual([expect.objectContaining(context)]);
    // The notice email still says nothing of it.
    const notice = (await t.deps.store.listOutbox('pending')).find((m) => m.purpose === 'practitioner_message')!;
    expect(JSON.stringify(notice.payload)).not.toMatch(/thoracique|06 12 34|Rappeler/);
  });

  it('gives the practitioner a merged request’s reason as dated entries', async () => {
    const t = await testApp();
    const cb = await seed(t, { reason: 'Ordonnance\n\n--- 2026-11-25 10:20 +01:00 Europe/Paris ---\nEt un certificat' });
    const a = await operator(t);
    await claim(t, cb.ref, a);
    await attempt(t, cb.ref, a, { outcome: 'reached', message: 'Certificat prêt' });
    const dr = await signIn(t, { email: 'dr.martin@example.org', role: 'practitioner', practices: ['cabinet-martin'] });
    const list = await call(t, 'GET', '/v1/messages', dr);
    expect(list.body.items[0].reasonEntries).toEqual([
      { at: cb.createdAt, text: 'Ordonnance' },
      { at: '2026-11-25T09:20:00.000Z', text: 'Et un certificat' },
    ]);
  });

  it('shows a request taken despite a fast form as suspect in its detail', async () => {
    const t = await testApp();
    const cb = await seed(t, { redFlag: true, suspect: true });
    const a = await operator(t);
    expect((await call(t, 'GET', `/v1/callbacks/${cb.ref}`, a)).body.suspect).toBe(true);
  });

  it('keeps reasons, notes and messages out of the log and the audit trail', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const a = await operator(t);
    await claim(t, cb.ref, a);
    await attempt(t, cb.ref, a, { outcome: 'reached', message: 'Résultat de biopsie à commenter', note: 'Très anxieuse' });
    const audit = await t.deps.store.listAudit({ limit: 1000 });
    const everything = t.log.lines.join('\n') + JSON.stringify(audit);
    for (const secret of ['thoracique', 'biopsie', 'anxieuse']) expect(everything).not.toContain(secret);
    expect(audit.map((r: any) => r.action)).toEqual(expect.arrayContaining(['claim', 'outcome']));
  });

  it('lets a practitioner read their practice’s request but not work it', async () => {
    const t = await testApp();
    const cb = await seed(t);
    const dr = await signIn(t, { email: 'dr.martin@example.org', role: 'practitioner', practices: ['cabinet-martin'] });
    expect((await call(t, 'GET', `/v1/callbacks/${cb.ref}`, dr)).body.reason).toBe(REASON);
    expect((await claim(t, cb.ref, dr)).status).toBe(403);
  });
});
