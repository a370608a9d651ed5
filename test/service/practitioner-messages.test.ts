// Messages that surely reach the practitioner: the contact on call, urgent messages acknowledged or escalated down the
// list (test clock), escalation items at the top of the queue, delivery fallback, replies, test alerts and the digest.
import { describe, expect, it } from 'vitest';
import { send, signIn, testApp, type TestApp } from './helpers.js';
import { newRef } from '../../service/domain/ref.js';
import { runDueDigests, runDueEscalations } from '../../service/domain/messages.js';
import { DeliveryError } from '../../service/notify/delivery-error.js';
import { demoPractice } from '../../demo/seed.js';
import type { Callback, EmailPayload, OutboxItem, Practice, SmsPayload } from '../../service/store/store.js';

const REASON = 'Douleur thoracique depuis hier soir';
const MOTIF = 'Patient inquiet, douleur à la poitrine';
const MINUTE = 60_000;

/** Dr Martin by default, Dr Leroy on call tonight by a slot covering the test clock, Dr Petit next on the ladder. */
function practiceWithContacts(at: Date, overrides: Partial<Practice> = {}): Practice {
  return {
    ...demoPractice(0),
    contacts: [
      { key: 'martin', name: 'Dr Martin', phone: '+33611111111', email: 'martin@cabinet.example' },
      { key: 'leroy', name: 'Dr Leroy', phone: '+33622222222', email: 'leroy@cabinet.example' },
      { key: 'petit', name: 'Dr Petit', phone: '+33633333333', email: 'petit@cabinet.example' },
    ],
    onCall: { default: 'martin', slots: [{ from: new Date(at.getTime() - 60 * MINUTE).toISOString(), to: new Date(at.getTime() + 12 * 60 * MINUTE).toISOString(), contact: 'leroy' }] },
    escalation: ['petit', 'martin'],
    urgentAckMinutes: 10,
    ...overrides,
  };
}

async function setup(overrides: (at: Date) => Partial<Practice> = () => ({}), senders?: NonNullable<Parameters<typeof testApp>[0]>['senders']) {
  const at = new Date('2026-11-25T19:12:00Z');
  const t = await testApp({ at, practices: [practiceWithContacts(at, overrides(at))], senders });
  const op = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
  return { t, op };
}

async function openRequest(t: TestApp, phone = '+33612345678'): Promise<Callback> {
  const at = t.clock.now.toISOString();
  return t.deps.store.insertCallback({
    ref: newRef(),
    practice: 'cabinet-martin',
    name: 'Camille Durand',
    phone,
    email: 'camille@example.org',
    reason: REASON,
    urgency: 'routine',
    redFlag: false,
    preferredWindow: null,
    confirmBy: 'none',
    lang: 'fr',
    dueAt: at,
    createdAt: at,
  });
}

/** Claims the request and records `reached` with a message for the practitioner. */
async function takeMessage(t: TestApp, op: Record<string, string>, ref: string, urgent: boolean) {
  expect((await send(t, 'POST', `/v1/callbacks/${ref}/claim`, op)).status).toBe(200);
  const res = await send(t, 'POST', `/v1/callbacks/${ref}/attempts`, op, { outcome: 'reached', message: MOTIF, messageUrgent: urgent });
  expect(res.status).toBe(200);
  return res.body.messages[0] as { id: number };
}

const outbox = async (t: TestApp): Promise<OutboxItem[]> => (await Promise.all((['pending', 'sent', 'dead'] as const).map((s) => t.deps.store.listOutbox(s)))).flat().sort((a, b) => a.id - b.id);
const textOf = (item: OutboxItem) => (item.channel === 'sms' ? (item.payload as SmsPayload).body : `${(item.payload as EmailPayload).subject}\n${(item.payload as EmailPayload).text}\n${(item.payload as EmailPayload).html}`);
const queue = async (t: TestApp, op: Record<string, string>) => (await send(t, 'GET', '/v1/queue?state=open', op)).body.items as { ref: string; kind: string; name: string }[];
const ackLink = (item: OutboxItem) => new URL(/https:\/\/\S+\/m\/\S+/.exec(textOf(item))![0].replace(/["<].*$/, ''));

describe('an urgent message', () => {
  it('goes at once by SMS and email to the contact on call by the schedule, not the default one, with no motif anywhere', async () => {
    const { t, op } = await setup();
    const cb = await openRequest(t);
    await takeMessage(t, op, cb.ref, true);
    const sent = await outbox(t);
    expect(sent.map((m) => [m.channel, m.recipient, m.purpose])).toEqual([
      ['sms', '+33622222222', 'urgent_message'],
      ['email', 'leroy@cabinet.example', 'urgent_message'],
    ]);
    for (const item of sent) {
      const text = textOf(item);
      expect(text).not.toMatch(/thoracique|poitrine|inquiet|Camille|Durand|12345678/i);
      expect(text).toMatch(/URGENT/);
      expect(text).toContain('/m/');
    }
    expect(t.log.lines.join('\n')).not.toMatch(/thoracique|poitrine|inquiet/);
    const detail = await send(t, 'GET', `/v1/callbacks/${cb.ref}`, op);
    expect(detail.body.messages[0]).toMatchObject({ urgent: true, to: { key: 'leroy', name: 'Dr Leroy' }, ackAt: null, nextEscalationAt: '2026-11-25T19:22:00.000Z' });
    expect(detail.body.messages[0].deliveries.map((d: any) => [d.channel, d.state])).toEqual([
      ['sms', 'queued'],
      ['email', 'queued'],
    ]);
    expect(detail.body.onCall).toMatchObject({ name: 'Dr Leroy', source: 'slot' });
  });

  it('is acknowledged once by its signed link, which stops the escalation', async () => {
    const { t, op } = await setup();
    const cb = await openRequest(t);
    const { id } = await takeMessage(t, op, cb.ref, true);
    const link = ackLink((await outbox(t)).find((m) => m.channel === 'email')!);
    const page = await t.app.request(link.pathname + link.search);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/thoracique|poitrine|inquiet|Camille/);
    const form = new URLSearchParams({ c: link.searchParams.get('c')!, t: link.searchParams.get('t')! });
    const post = () => t.app.request(`/m/${id}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(await (await post()).text()).toMatch(/Réception confirmée|Receipt confirmed/);
    expect(await (await post()).text()).toMatch(/déjà été confirmé|already acknowledged/);
    const forged = await t.app.request(`/m/${id}?c=leroy&t=AAAAAAAAAAAAAAAA`);
    expect(forged.status).toBe(404);
    t.clock.advance(30 * MINUTE);
    expect(await runDueEscalations(t.deps)).toBe(0);
    const audit = await t.deps.store.listAudit({ limit: 10, action: 'message_acknowledged' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ via: 'link', by: 'link:leroy', step: 0 });
  });

  it('escalates at urgentAckMinutes down the list, with an escalation item at the top of the queue that acknowledgement closes', async () => {
    let { t, op } = await setup();
    const cb = await openRequest(t);
    const patient = await openRequest(t, '+33698765432');
    await t.deps.store.applyAttempt(patient.id, { state: 'queued', outcome: null, dueAt: patient.dueAt, attempts: 0, firstCallAt: null, closedAt: null }, patient.createdAt);
    const { id } = await takeMessage(t, op, cb.ref, true);
    const before = (await outbox(t)).length;

    t.clock.advance(9 * MINUTE);
    expect(await runDueEscalations(t.deps)).toBe(0);
    t.clock.advance(1 * MINUTE);
    expect(await runDueEscalations(t.deps)).toBe(1);
    const step1 = (await outbox(t)).slice(before);
    expect(step1.map((m) => m.recipient).sort()).toEqual(['+33622222222', '+33633333333', 'leroy@cabinet.example', 'petit@cabinet.example']);
    const top = (await queue(t, op))[0]!;
    expect(top).toMatchObject({ kind: 'escalation', name: 'Dr Leroy' });
    const item = await send(t, 'GET', `/v1/callbacks/${top.ref}`, op);
    expect(item.body.escalation).toMatchObject({ messageId: id, messageRef: cb.ref, step: 1, contact: 'leroy' });
    expect(item.body.reason).toMatch(/non confirmé depuis 20:12 /);

    t.clock.advance(10 * MINUTE);
    expect(await runDueEscalations(t.deps)).toBe(1);
    const step2 = (await outbox(t)).slice(before + step1.length);
    expect(step2.map((m) => m.recipient).sort()).toEqual(['+33611111111', '+33622222222', 'leroy@cabinet.example', 'martin@cabinet.example']);
    // The list is exhausted: no further step, the item stays with the operators.
    t.clock.advance(60 * MINUTE);
    expect(await runDueEscalations(t.deps)).toBe(0);
    // (The operator's session has idled out meanwhile.)
    op = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    expect((await queue(t, op)).filter((q) => q.kind === 'escalation')).toHaveLength(1);

    // Dr Leroy signs in and reads it: acknowledged, the item closes by itself.
    const dr = await signIn(t, { email: 'leroy@cabinet.example', role: 'practitioner', practices: ['cabinet-martin'] });
    const read = await send(t, 'POST', `/v1/messages/${id}/read`, dr);
    expect(read.body).toMatchObject({ ackVia: 'console', escalations: [{ step: 1, contacts: ['Dr Leroy', 'Dr Petit'] }, { step: 2, contacts: ['Dr Leroy', 'Dr Martin'] }] });
    expect((await queue(t, op)).filter((q) => q.kind === 'escalation')).toHaveLength(0);
    expect((await t.deps.store.getCallback(top.ref))!).toMatchObject({ state: 'done', outcome: 'acknowledged' });
    const steps = await t.deps.store.listAudit({ limit: 10, action: 'message_escalated' });
    expect(steps.map((s) => s.details!.step)).toEqual([2, 1]);
    expect(JSON.stringify(await t.deps.store.listAudit({ limit: 100 }))).not.toMatch(/thoracique|poitrine|inquiet/);
  });

  it('escalation items are never billable', async () => {
    const { t, op } = await setup();
    const cb = await openRequest(t);
    await takeMessage(t, op, cb.ref, true);
    t.clock.advance(10 * MINUTE);
    await runDueEscalations(t.deps);
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const report = await send(t, 'GET', '/v1/reports/activity?month=2026-11', admin);
    expect(report.status).toBe(200);
    expect(JSON.stringify(report.body)).toMatch(/"received":1\b|"requests":1\b|"total":1\b/);
  });

  it('with nobody on call by the schedule, goes to the default contact and at once to the operators', async () => {
    const { t, op } = await setup(() => ({ onCall: { default: 'martin', slots: [] } }));
    const cb = await openRequest(t);
    await takeMessage(t, op, cb.ref, true);
    expect((await outbox(t)).map((m) => m.recipient)).toEqual(['+33611111111', 'martin@cabinet.example']);
    expect((await queue(t, op))[0]).toMatchObject({ kind: 'escalation', name: 'Dr Martin' });
  });

  it('is acknowledged when a practitioner signs in and is shown it; an operator listing it does not', async () => {
    const { t, op } = await setup();
    const { id } = await takeMessage(t, op, (await openRequest(t)).ref, true);
    await send(t, 'GET', '/v1/messages', op);
    expect((await t.deps.store.getMessage(id))!.ackAt).toBeNull();
    const dr = await signIn(t, { email: 'petit@cabinet.example', role: 'practitioner', practices: ['cabinet-martin'] });
    const list = await send(t, 'GET', '/v1/messages', dr);
    expect(list.body.items[0]).toMatchObject({ id, ackVia: 'console', nextEscalationAt: null });
  });

  it('an operator who reaches the practitioner from the escalation item acknowledges the message', async () => {
    const { t, op } = await setup(() => ({ onCall: { default: 'martin', slots: [] } }));
    const cb = await openRequest(t);
    const { id } = await takeMessage(t, op, cb.ref, true);
    const item = (await queue(t, op))[0]!;
    expect((await send(t, 'POST', `/v1/callbacks/${item.ref}/claim`, op)).status).toBe(200);
    expect((await send(t, 'POST', `/v1/callbacks/${item.ref}/attempts`, op, { outcome: 'reached' })).status).toBe(200);
    expect((await t.deps.store.getMessage(id))!).toMatchObject({ ackBy: 'operator:op@permanence.example', nextEscalationAt: null });
  });
});

describe('a routine message', () => {
  it('whose SMS fails goes out by email, and the message shows both', async () => {
    const failingSms = { name: 'fake', send: async () => Promise.reject(new DeliveryError('twilio: 400 21211 invalid number', true, '21211')) };
    const { t, op } = await setup(() => ({ contacts: [{ key: 'leroy', name: 'Dr Leroy', phone: '+33622222222', email: 'leroy@cabinet.example', notifyBy: 'sms' }], onCall: { default: 'leroy', slots: [] }, escalation: [] }), { sms: failingSms });
    const cb = await openRequest(t);
    const { id } = await takeMessage(t, op, cb.ref, false);
    expect((await outbox(t)).map((m) => m.channel)).toEqual(['sms']);
    await t.outbox.runOnce();
    await t.outbox.runOnce();
    const detail = await send(t, 'GET', `/v1/callbacks/${cb.ref}`, op);
    const message = detail.body.messages.find((m: any) => m.id === id);
    expect(message.deliveries.map((d: any) => [d.channel, d.state])).toEqual([
      ['sms', 'dead'],
      ['email', 'sent'],
    ]);
    expect(message.deliveries[0].to).toBe('+33 6** ** ** 22');
    expect(await t.deps.store.listAudit({ limit: 5, action: 'message_fallback' })).toHaveLength(1);
    const steps = await t.deps.store.listAudit({ limit: 10, action: 'message_delivery', target: cb.ref });
    expect(steps.map((e) => [e.details!.channel, e.details!.state]).reverse()).toEqual([
      ['sms', 'dead'],
      ['email', 'sent'],
    ]);
    expect(JSON.stringify(steps)).not.toMatch(/leroy@|22222222|thoracique|poitrine/);
  });

  it('SMS to the practice’s contacts never count against the patients’ SMS cap', async () => {
    const { t, op } = await setup(() => ({ contacts: [{ key: 'leroy', name: 'Dr Leroy', phone: '+33622222222', notifyBy: 'sms' }], onCall: { default: 'leroy', slots: [] }, escalation: [] }));
    for (let i = 0; i < 3; i++) await takeMessage(t, op, (await openRequest(t, `+3361234567${i}`)).ref, false);
    const since = new Date(t.clock.now.getTime() - MINUTE).toISOString();
    expect(await t.deps.store.countOutbox({ channel: 'sms', since, practice: 'cabinet-martin', audience: 'patient' })).toBe(0);
    expect(await t.deps.store.countOutbox({ channel: 'sms', since, practice: 'cabinet-martin', audience: 'practitioner' })).toBe(3);
  });
});

describe('the practitioner’s reply', () => {
  it('shows on the request, which goes back to the queue due now', async () => {
    let { t, op } = await setup();
    const cb = await openRequest(t);
    const { id } = await takeMessage(t, op, cb.ref, false);
    t.clock.advance(60 * MINUTE);
    const dr = await signIn(t, { email: 'leroy@cabinet.example', role: 'practitioner', practices: ['cabinet-martin'] });
    op = await signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    const res = await send(t, 'POST', `/v1/messages/${id}/reply`, dr, { text: 'Rappeler le patient : RDV demain 9 h' });
    expect(res.status).toBe(200);
    expect(res.body.replies).toEqual([{ at: t.clock.now.toISOString(), text: 'Rappeler le patient : RDV demain 9 h', by: 'leroy' }]);
    const detail = await send(t, 'GET', `/v1/callbacks/${cb.ref}`, op);
    expect(detail.body).toMatchObject({ state: 'queued', dueAt: t.clock.now.toISOString(), replies: [{ text: 'Rappeler le patient : RDV demain 9 h' }] });
    expect((await t.deps.store.listAudit({ limit: 5, action: 'message_reply' }))[0]!.details).not.toHaveProperty('text');
  });

  it('lands on the patient’s open request when they have sent a new one', async () => {
    const { t, op } = await setup();
    const cb = await openRequest(t);
    const { id } = await takeMessage(t, op, cb.ref, false);
    const again = await openRequest(t);
    const dr = await signIn(t, { email: 'leroy@cabinet.example', role: 'practitioner', practices: ['cabinet-martin'] });
    expect((await send(t, 'POST', `/v1/messages/${id}/reply`, dr, { text: 'RDV demain 9 h' })).status).toBe(200);
    expect((await send(t, 'GET', `/v1/callbacks/${again.ref}`, op)).body.replies).toHaveLength(1);
    expect((await t.deps.store.getCallback(cb.ref))!.state).toBe('done');
  });

  it('is refused to another practice’s practitioner', async () => {
    const { t, op } = await setup();
    const { id } = await takeMessage(t, op, (await openRequest(t)).ref, false);
    const other = await signIn(t, { email: 'dr@ailleurs.example', role: 'practitioner', practices: [] });
    expect((await send(t, 'POST', `/v1/messages/${id}/reply`, other, { text: 'x' })).status).toBe(404);
    expect((await send(t, 'POST', `/v1/messages/${id}/ack`, other)).status).toBe(404);
  });
});

describe('on call, test alerts and the digest', () => {
  it('answers who is on call and until when', async () => {
    const { t, op } = await setup();
    const res = await send(t, 'GET', '/v1/practices/cabinet-martin/on-call', op);
    expect(res.body).toMatchObject({ contact: { key: 'leroy', name: 'Dr Leroy' }, until: '2026-11-26T07:12:00.000Z', source: 'slot' });
  });

  it('refuses a schedule naming an unknown contact, and keeps contacts a save leaves out', async () => {
    const { t } = await setup();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const current = (await send(t, 'GET', '/v1/practices/cabinet-martin', admin)).body;
    const bad = await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...current, escalation: ['nobody'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toMatchObject({ 'escalation.0': 'unknown_contact' });
    const badPhone = await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...current, contacts: [...current.contacts, { key: 'x', name: 'X', phone: '12 34' }] });
    expect(badPhone.body.error.fields).toMatchObject({ 'contacts.3.phone': 'invalid_phone' });
    const { contacts: _c, onCall: _o, escalation: _e, ...withoutMessaging } = current;
    const kept = await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, withoutMessaging);
    expect(kept.status).toBe(200);
    expect(kept.body.contacts).toHaveLength(3);
  });

  it('sends a test alert to a contact on both channels, audited', async () => {
    const { t } = await setup();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const res = await send(t, 'POST', '/v1/practices/cabinet-martin/contacts/petit/test-alert', admin);
    expect(res.body).toEqual({ channels: ['sms', 'email'] });
    expect((await outbox(t)).map((m) => [m.purpose, m.recipient])).toEqual([
      ['test_alert', '+33633333333'],
      ['test_alert', 'petit@cabinet.example'],
    ]);
    expect(await t.deps.store.listAudit({ limit: 5, action: 'test_alert' })).toHaveLength(1);
  });

  it('sends the daily digest once, at the practice’s time, with counts and no motif; nothing when there is nothing', async () => {
    const { t, op } = await setup(() => ({ digestAt: '20:30' }));
    await takeMessage(t, op, (await openRequest(t)).ref, false);
    const before = (await outbox(t)).length;
    expect(await runDueDigests(t.deps)).toBe(0); // 20:12 in Paris
    t.clock.advance(20 * MINUTE);
    // The three contacts and the practice's notice address.
    expect(await runDueDigests(t.deps)).toBe(4);
    expect(await runDueDigests(t.deps)).toBe(0);
    const digests = (await outbox(t)).slice(before);
    expect(digests.map((d) => d.recipient)).toEqual(['martin@cabinet.example', 'leroy@cabinet.example', 'petit@cabinet.example', demoPractice(0).notifyEmail]);
    expect(textOf(digests[0]!)).toMatch(/1 message\(s\)/);
    expect(textOf(digests[0]!)).not.toMatch(/thoracique|poitrine|inquiet|Camille/);
    // Two days later nothing happened in between: no digest.
    t.clock.advance(48 * 60 * MINUTE);
    expect(await runDueDigests(t.deps)).toBe(0);
  });
});
