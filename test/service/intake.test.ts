// Callback intake: phone numbers, emergency triage, duplicates merged into the open request, bots and bad inputs.
import { describe, expect, it } from 'vitest';
import { auditOf, closeRequest, countCallbacks, countOutbox, OPEN_AT, postCallback as post, postJson, signIn, testApp, validForm, type TestApp } from './helpers.js';
import { issueFormToken } from '../../service/domain/form-token.js';
import type { QueueEvent } from '../../service/events.js';

const CALLBACKS = '/v1/practices/cabinet-martin/callbacks';


function recordEvents(t: TestApp): QueueEvent[] {
  const events: QueueEvent[] = [];
  t.deps.events.subscribe((e) => events.push(e));
  return events;
}

describe('phone numbers', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['0692 12 34 56', '+262692123456'],
    ['+49 1512 3456789', '+4915123456789'],
  ])('stores %s as %s', async (typed, e164) => {
    const t = await testApp();
    const { status, body } = await post(t, { phone: typed });
    expect(status).toBe(201);
    expect((await t.deps.store.getCallback(body.ref))!.phone).toBe(e164);
  });

  it('accepts a landline when the confirmation goes by email', async () => {
    const t = await testApp();
    const { status } = await post(t, { phone: '01 42 00 00 00', confirmBy: 'email' });
    expect(status).toBe(201);
  });

  it('refuses a landline for an SMS confirmation, naming the phone field, and stores nothing', async () => {
    const t = await testApp();
    const { status, body } = await post(t, { phone: '01 42 00 00 00', confirmBy: 'sms' });
    expect(status).toBe(400);
    expect(body.error.fields).toEqual({ phone: 'not_mobile' });
    expect(await countCallbacks(t)).toBe(0);
  });
});

describe('emergency triage', () => {
  it('sets redFlag from the reason and puts the request first in the queue, ahead of older urgent ones', async () => {
    const t = await testApp();
    await post(t, { phone: '06 11 11 11 11', urgency: 'urgent', reason: 'Fièvre depuis trois jours' });
    t.clock.advance(60_000);
    const flagged = await post(t, { phone: '06 22 22 22 22', urgency: 'routine', reason: "Mon père a une douleur dans la poitrine et du mal à respirer" });
    expect(flagged.body.redFlag).toBe(true);
    const queue = await t.deps.store.listQueue({ state: 'open' });
    expect(queue.map((c) => [c.phone, c.redFlag])).toEqual([
      ['+33622222222', true],
      ['+33611111111', false],
    ]);
  });

  it('stores a red flag as urgent whatever urgency the patient picked', async () => {
    const t = await testApp();
    const { body } = await post(t, { urgency: 'routine', reason: 'Il a perdu connaissance' });
    expect((await t.deps.store.getCallback(body.ref))!.urgency).toBe('urgent');
    const calm = await post(t, { phone: '06 22 22 22 22', urgency: 'routine', reason: 'Renouvellement de mon ordonnance' });
    expect((await t.deps.store.getCallback(calm.body.ref))!.urgency).toBe('routine');
  });

  it('leaves redFlag false for an ordinary reason', async () => {
    const { body } = await post(await testApp(), { reason: 'Renouvellement de mon ordonnance' });
    expect(body.redFlag).toBe(false);
  });
});

describe('a second request from the same phone while one is open', () => {
  it('is merged into the open one: same reference, duplicate: true, one row, merged_count kept', async () => {
    const t = await testApp();
    const first = await post(t, { reason: 'Renouvellement d’ordonnance' });
    t.clock.advance(5 * 60_000);
    const second = await post(t, { reason: 'Et aussi un certificat de sport', phone: '+33 6 12 34 56 78' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ ref: first.body.ref, status: 'queued', duplicate: true, dueAt: first.body.dueAt });
    expect(first.body.duplicate).toBeUndefined();
    expect(await countCallbacks(t)).toBe(1);
    const merged = (await t.deps.store.getCallback(first.body.ref))!;
    expect(merged.mergedCount).toBe(1);
    expect(merged.reason).toContain('Renouvellement d’ordonnance');
    expect(merged.reason).toContain('Et aussi un certificat de sport');
    expect(merged.reason.indexOf('Renouvellement')).toBeLessThan(merged.reason.indexOf('certificat'));
  });

  it('keeps the higher urgency and the red flag whichever request carried them', async () => {
    const t = await testApp();
    const first = await post(t, { urgency: 'soon', reason: "Douleur dans la poitrine depuis ce matin" });
    expect(first.body.redFlag).toBe(true);
    await post(t, { urgency: 'urgent', reason: 'Je rappelle pour ma demande' });
    await post(t, { urgency: 'routine', reason: 'Toujours en attente' });
    const merged = (await t.deps.store.getCallback(first.body.ref))!;
    expect(merged).toMatchObject({ urgency: 'urgent', redFlag: true, mergedCount: 2 });
  });

  it('takes the red flag of a later request, and with it urgent over the routine both picked', async () => {
    const t = await testApp();
    const first = await post(t, { urgency: 'routine', reason: 'Question sur un traitement' });
    const second = await post(t, { urgency: 'routine', reason: 'Maintenant il ne respire plus bien, il étouffe' });
    expect(second.body.redFlag).toBe(true);
    expect(await t.deps.store.getCallback(first.body.ref)).toMatchObject({ redFlag: true, urgency: 'urgent' });
  });

  it('stamps the added reason in the practice’s local time, with its offset and zone, not UTC', async () => {
    const t = await testApp();
    const first = await post(t, { reason: 'Renouvellement d’ordonnance' });
    t.clock.now = new Date('2026-11-25T10:39:00Z');
    await post(t, { reason: 'Et aussi un certificat de sport' });
    // Paris is UTC+1 in November.
    expect((await t.deps.store.getCallback(first.body.ref))!.reason).toBe(
      'Renouvellement d’ordonnance\n\n--- 2026-11-25 11:39 +01:00 Europe/Paris ---\nEt aussi un certificat de sport',
    );
  });

  it('shows a merged repeat to operators as two dated entries, in the request and in the queue, the reason kept as stored', async () => {
    const t = await testApp();
    const first = await post(t, { reason: 'Renouvellement d’ordonnance' });
    t.clock.now = new Date('2026-11-25T10:39:27Z');
    await post(t, { reason: 'Et aussi un certificat de sport' });
    const operator = await signIn(t, { email: 'op1@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    const entries = [
      { at: OPEN_AT.toISOString(), text: 'Renouvellement d’ordonnance' },
      { at: '2026-11-25T10:39:00.000Z', text: 'Et aussi un certificat de sport' },
    ];
    const detail = await (await t.app.request(`/v1/callbacks/${first.body.ref}`, { headers: operator })).json();
    expect(detail.reasonEntries).toEqual(entries);
    expect(detail.reason).toContain('\n\n--- 2026-11-25 11:39 +01:00 Europe/Paris ---\n');
    const queue = await (await t.app.request('/v1/queue', { headers: operator })).json();
    expect(queue.items[0].reasonEntries).toEqual(entries);
  });

  it('reads the separators of older rows into dated entries: the practice’s wall clock, and the UTC instant of the migration', async () => {
    const t = await testApp();
    const { body } = await post(t, { reason: 'Premier motif' });
    const stored = (await t.deps.store.getCallback(body.ref))!;
    const older = 'Premier motif\n\n--- 2026-11-30 18:55 Europe/Paris ---\nDeuxième\n\n--- 2026-12-01T07:10:00.000Z ---\nTroisième';
    await t.deps.store.mergeIntoCallback(stored.id, { reason: older, urgency: 'routine', redFlag: false, suspect: false, now: OPEN_AT.toISOString() });
    const operator = await signIn(t, { email: 'op1@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
    const detail = await (await t.app.request(`/v1/callbacks/${body.ref}`, { headers: operator })).json();
    expect(detail.reasonEntries).toEqual([
      { at: OPEN_AT.toISOString(), text: 'Premier motif' },
      { at: '2026-11-30T17:55:00.000Z', text: 'Deuxième' },
      { at: '2026-12-01T07:10:00.000Z', text: 'Troisième' },
    ]);
    expect(detail.reason).toBe(older);
  });

  it('does not append a reason the request already holds, whatever its case and spacing, but still counts the repeat', async () => {
    const t = await testApp();
    const first = await post(t, { reason: 'Renouvellement d’ordonnance' });
    await post(t, { reason: 'Un certificat de sport' });
    await post(t, { reason: '  renouvellement D’ORDONNANCE ' });
    await post(t, { reason: 'un certificat  de sport' });
    const merged = (await t.deps.store.getCallback(first.body.ref))!;
    expect(merged.reason.match(/---/g)).toHaveLength(2);
    expect(merged.reason.toLowerCase().split('renouvellement')).toHaveLength(2);
    expect(merged.mergedCount).toBe(3);
  });

  it('publishes callback.updated, not callback.created, for the merge', async () => {
    const t = await testApp();
    const events = recordEvents(t);
    const { body } = await post(t);
    await post(t, { reason: 'Complément' });
    expect(events).toEqual([
      { type: 'callback.created', practice: 'cabinet-martin', ref: body.ref },
      { type: 'callback.updated', practice: 'cabinet-martin', ref: body.ref },
    ]);
  });

  it('confirms again, saying the request was already waiting, and records the merge as not billable', async () => {
    const t = await testApp();
    const { body } = await post(t, { lang: 'en' });
    await post(t, { lang: 'en', reason: 'One more thing' });
    const mails = await t.deps.store.listOutbox('pending');
    expect(mails.map((m) => m.purpose)).toEqual(['confirmation', 'confirmation_duplicate']);
    expect((mails[1]!.payload as { text: string }).text).toContain('You already had a request waiting');
    expect((mails[0]!.payload as { text: string }).text).not.toContain('already had');
    const audit = await auditOf(t, 'callback.merged');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.target).toBe(body.ref);
    expect(audit[0]!.details).toEqual({ mergedCount: 1, billable: false });
  });

  it('sends the merged SMS confirmation in one segment, saying it was already waiting', async () => {
    const t = await testApp();
    await post(t, { confirmBy: 'sms' });
    await post(t, { confirmBy: 'sms', reason: 'Complément' });
    const [, sms] = await t.deps.store.listOutbox('pending');
    const text = (sms!.payload as { body: string }).body;
    expect(text).toContain('déjà en attente');
    expect(text.length).toBeLessThanOrEqual(160);
  });

  it('opens a new request once the previous one is closed', async () => {
    const t = await testApp();
    const first = await post(t);
    await closeRequest(t, first.body.ref);
    const second = await post(t);
    expect(second.body.ref).not.toBe(first.body.ref);
    expect(second.body.duplicate).toBeUndefined();
    expect(await countCallbacks(t)).toBe(2);
  });

  it('does not merge requests to two different practices', async () => {
    const t = await testApp();
    const other = { ...(await t.deps.store.getPractice('cabinet-martin'))!, slug: 'kine-dupont', name: 'Kiné Dupont' };
    await t.deps.store.savePractice(other, t.clock.now.toISOString());
    const a = await post(t);
    const b = await postJson(t, '/v1/practices/kine-dupont/callbacks', validForm());
    expect(((await b.json()) as any).ref).not.toBe(a.body.ref);
    expect(await countCallbacks(t)).toBe(2);
  });
});

describe('someone else typing a known patient’s phone', () => {
  const victim = { name: 'Camille Durand', email: 'camille@example.org', reason: 'Suivi de grossesse' };
  const attacker = 'mallory@attacker.example';

  it('with another name, opens a separate request and learns and receives nothing of the first one', async () => {
    const t = await testApp();
    const first = await post(t, victim);
    const second = await post(t, { name: 'Mallory Martin', email: attacker, reason: 'Autre chose' });
    expect(second.status).toBe(201);
    expect(second.body.ref).not.toBe(first.body.ref);
    expect(second.body.duplicate).toBeUndefined();
    expect(await countCallbacks(t)).toBe(2);
    expect(await t.deps.store.getCallback(first.body.ref)).toMatchObject({ email: victim.email, reason: victim.reason, mergedCount: 0 });
    const toAttacker = (await t.deps.store.listOutbox('pending')).filter((m) => m.recipient === attacker);
    expect(toAttacker).toHaveLength(1);
    const text = JSON.stringify(toAttacker[0]!.payload);
    expect(text).toContain(second.body.ref);
    expect(text).not.toMatch(new RegExp(`${first.body.ref}|Camille|Durand`));
  });

  it('with the same name, merges but sends nothing to the new address and does not adopt it', async () => {
    const t = await testApp();
    const first = await post(t, victim);
    const second = await post(t, { name: '  camille   DURAND ', email: attacker, reason: 'Autre chose' });
    expect(second.body).toMatchObject({ ref: first.body.ref, duplicate: true, confirmBy: 'email' });
    expect((await t.deps.store.getCallback(first.body.ref))!.email).toBe(victim.email);
    const outbox = await t.deps.store.listOutbox('pending');
    expect(outbox.map((m) => [m.purpose, m.recipient])).toEqual([
      ['confirmation', victim.email],
      ['confirmation_duplicate', victim.email],
    ]);
  });

  it('with the same name and no email on file, confirms to no address at all and says so', async () => {
    const t = await testApp();
    const first = await post(t, { ...victim, email: '', confirmBy: 'none' });
    const second = await post(t, { name: 'Camille Durand', email: attacker, confirmBy: 'email' });
    expect(second.body).toMatchObject({ ref: first.body.ref, duplicate: true, confirmBy: 'none' });
    expect((await t.deps.store.getCallback(first.body.ref))!.email).toBeNull();
    expect(await countOutbox(t)).toBe(0);
  });

  it('takes accented and plain spellings of a name as the same person', async () => {
    const t = await testApp();
    const first = await post(t, { name: 'Hélène Lefèvre' });
    const second = await post(t, { name: 'helene lefevre' });
    expect(second.body).toMatchObject({ ref: first.body.ref, duplicate: true });
  });
});

describe('field errors', () => {
  it.each(['__proto__', 'constructor', 'toString'])('names an unknown field called %s in the 400 answer', async (key) => {
    const t = await testApp();
    const res = await postJson(t, CALLBACKS, `{${JSON.stringify(key)}: 1, ${JSON.stringify(validForm()).slice(1)}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(Object.entries(body.error.fields)).toEqual([[key, 'unknown_field']]);
  });

  it('calls a value of the wrong type invalid and a missing one required', async () => {
    const t = await testApp();
    const { name: _name, ...withoutName } = validForm();
    const wrong = await postJson(t, CALLBACKS, validForm({ name: 12, reason: ['x'] }));
    expect(((await wrong.json()) as any).error.fields).toEqual({ name: 'invalid', reason: 'invalid' });
    const missing = await postJson(t, CALLBACKS, withoutName);
    expect(((await missing.json()) as any).error.fields).toEqual({ name: 'required' });
  });
});

describe('bots', () => {
  it('gives a form sent back under 3 seconds a normal-looking answer but stores and sends nothing', async () => {
    const t = await testApp();
    const formToken = issueFormToken(t.deps.sealer, 'cabinet-martin', t.clock.now);
    t.clock.advance(1_500);
    const { status, body } = await post(t, { formToken });
    expect(status).toBe(201);
    expect(Object.keys(body).sort()).toEqual(['confirmBy', 'dueAt', 'redFlag', 'ref', 'status']);
    expect(await countCallbacks(t)).toBe(0);
    expect(await countOutbox(t)).toBe(0);
    expect(t.woken).toBe(0);
  });

  it('treats a forged form token as a bot', async () => {
    const t = await testApp();
    await post(t, { formToken: 'cabinet-martin.abc.forged' });
    expect(await countCallbacks(t)).toBe(0);
  });

  it('marks a request suspect when a fast emergency repeat is merged into it', async () => {
    const t = await testApp();
    const first = await post(t, { reason: 'Renouvellement d’ordonnance' });
    const formToken = issueFormToken(t.deps.sealer, 'cabinet-martin', t.clock.now);
    t.clock.advance(1_000);
    const repeat = await post(t, { formToken, reason: 'Il a perdu connaissance' });
    expect(repeat.body.ref).toBe(first.body.ref);
    expect(await t.deps.store.getCallback(first.body.ref)).toMatchObject({ suspect: true, redFlag: true, urgency: 'urgent' });
  });

  it('queues a form filled in at a human pace', async () => {
    const t = await testApp();
    const formToken = issueFormToken(t.deps.sealer, 'cabinet-martin', t.clock.now);
    t.clock.advance(45_000);
    await post(t, { formToken });
    expect(await countCallbacks(t)).toBe(1);
  });

  it('queues for real, first and marked suspect, an emergency whose only bot sign is its fill time', async () => {
    const t = await testApp();
    const earlier = await post(t, { phone: '06 11 11 11 11', urgency: 'urgent', reason: 'Fièvre depuis trois jours' });
    const formToken = issueFormToken(t.deps.sealer, 'cabinet-martin', t.clock.now);
    t.clock.advance(1_000);
    const { status, body } = await post(t, { formToken, confirmBy: 'sms', reason: 'Il a perdu connaissance' });
    expect(status).toBe(201);
    expect(body).toMatchObject({ redFlag: true, confirmBy: 'none' });
    const queue = await t.deps.store.listQueue({ state: 'open' });
    expect(queue.map((c) => [c.ref, c.suspect])).toEqual([
      [body.ref, true],
      [earlier.body.ref, false],
    ]);
    // A script may have chosen the number: nothing is sent to it, the operator calls.
    expect((await t.deps.store.listOutbox('pending')).filter((m) => m.callbackId === queue[0]!.id)).toEqual([]);
    const logged = t.log.lines.filter((l) => l.includes('callback_suspect'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(body.ref);
    expect(logged[0]).not.toMatch(/connaissance|Camille/);
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const listed = (await (await t.app.request('/v1/queue', { headers: admin })).json()) as any;
    expect(listed.items.map((i: any) => i.suspect)).toEqual([true, false]);
  });

  it('still answers a fast emergency with the honeypot filled by a decoy', async () => {
    const t = await testApp();
    const formToken = issueFormToken(t.deps.sealer, 'cabinet-martin', t.clock.now);
    t.clock.advance(1_000);
    const { body } = await post(t, { formToken, website: 'x', reason: 'Il a perdu connaissance' });
    expect(body.redFlag).toBe(true);
    expect(await countCallbacks(t)).toBe(0);
  });

  it('still answers an emergency with a forged form token by a decoy', async () => {
    const t = await testApp();
    await post(t, { formToken: 'cabinet-martin.abc.forged', reason: 'Il a perdu connaissance' });
    expect(await countCallbacks(t)).toBe(0);
  });

  it('marks nothing suspect at a human pace', async () => {
    const t = await testApp();
    const formToken = issueFormToken(t.deps.sealer, 'cabinet-martin', t.clock.now);
    t.clock.advance(45_000);
    const { body } = await post(t, { formToken, reason: 'Il a perdu connaissance' });
    expect((await t.deps.store.getCallback(body.ref))!.suspect).toBe(false);
    expect(t.log.lines.join('\n')).not.toContain('callback_suspect');
  });

  it('still shows the emergency numbers to a person taken for a bot', async () => {
    const t = await testApp();
    const { body } = await post(t, { website: 'x', reason: 'Il a perdu connaissance' });
    expect(body.redFlag).toBe(true);
    expect(await countCallbacks(t)).toBe(0);
  });
});

describe('bad inputs never yield a 5xx or a stored row', () => {
  const cases: [string, unknown, number, string][] = [
    ['an unknown field', validForm({ admin: true }), 400, 'validation_failed'],
    ['consent false', validForm({ consent: false }), 400, 'validation_failed'],
    ['consent as the string "true"', validForm({ consent: 'true' }), 400, 'validation_failed'],
    ['a name of spaces only', validForm({ name: '   ' }), 400, 'validation_failed'],
    ['a 101-character name', validForm({ name: 'x'.repeat(101) }), 400, 'validation_failed'],
    ['a 1001-character reason', validForm({ reason: 'x'.repeat(1001) }), 400, 'validation_failed'],
    ['a phone as a number', validForm({ phone: 612345678 }), 400, 'validation_failed'],
    ['a phone with letters', validForm({ phone: '06 CABINET' }), 400, 'validation_failed'],
    ['a phone with a script tag', validForm({ phone: '<script>' }), 400, 'validation_failed'],
    ['a 31-character phone', validForm({ phone: '0'.repeat(31) }), 400, 'validation_failed'],
    ['an unknown urgency', validForm({ urgency: 'asap' }), 400, 'validation_failed'],
    ['an unknown language', validForm({ lang: 'de' }), 400, 'validation_failed'],
    ['an unknown channel', validForm({ confirmBy: 'fax' }), 400, 'validation_failed'],
    ['an invalid email', validForm({ email: 'not-an-email' }), 400, 'validation_failed'],
    ['email confirmation without email', validForm({ email: '' }), 400, 'validation_failed'],
    ['a window ending before it starts', validForm({ preferredWindow: { from: '2026-11-25T12:00:00Z', to: '2026-11-25T10:00:00Z' } }), 400, 'validation_failed'],
    ['a window that is not a date', validForm({ preferredWindow: { from: 'tomorrow', to: 'later' } }), 400, 'validation_failed'],
    ['a nested object as a name', validForm({ name: { first: 'A' } }), 400, 'validation_failed'],
    ['null', 'null', 400, 'invalid_json'],
    ['a string', '"hello"', 400, 'invalid_json'],
    ['an empty body', '', 400, 'invalid_json'],
    ['__proto__ pollution', '{"__proto__": {"admin": true}, "name": "x"}', 400, 'validation_failed'],
  ];
  it.each(cases)('answers %s with %i %s', async (_what, body, status, code) => {
    const t = await testApp();
    const res = await postJson(t, CALLBACKS, body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as any).error.code).toBe(code);
    expect(await countCallbacks(t)).toBe(0);
    expect(await countOutbox(t)).toBe(0);
    expect(t.log.lines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });

  it('keeps the reason and the name out of the log of a merge', async () => {
    const t = await testApp();
    await post(t, { reason: 'Suivi de ma grossesse' });
    await post(t, { reason: 'Résultats de ma prise de sang' });
    expect(t.log.lines.join('\n')).not.toMatch(/grossesse|prise de sang|Camille|Durand|612345678/);
  });
});
