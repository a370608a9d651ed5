// A practice's consignes for operators: saved with the same Markdown rules as the visit instructions, shown beside every
// request with the practice's live status, kept with each message as they stood when it was taken, and never in a public answer.
import { describe, expect, it } from 'vitest';
import { postCallback, send, signIn, testApp, ORIGIN, type TestApp } from './helpers.js';
import { cancelToken } from '../../service/domain/links.js';
import { demoPractice } from '../../demo/seed.js';

/** The demo practice as the API takes it, with these consignes. */
function martin(operatorInstructions?: unknown) {
  const { privacyUrl: _p, ...p } = { ...demoPractice(0), allowedOrigins: [ORIGIN] };
  return operatorInstructions === undefined ? p : { ...p, operatorInstructions };
}

const admin = (t: TestApp) => signIn(t, { email: 'admin@permanence.example', role: 'admin' });
const operator = (t: TestApp) => signIn(t, { email: 'op@permanence.example', role: 'operator', practices: ['cabinet-martin'] });
const practitioner = (t: TestApp) => signIn(t, { email: 'dr.martin@example.org', role: 'practitioner', practices: ['cabinet-martin'] });

async function setConsignes(t: TestApp, operatorInstructions: unknown) {
  const res = await send(t, 'PUT', '/v1/practices/cabinet-martin', await admin(t), martin(operatorInstructions));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Claims the request and records `outcome`, with a message for the practitioner when one is given. */
async function work(t: TestApp, ref: string, outcome: string, message?: string) {
  const op = await operator(t);
  expect((await send(t, 'POST', `/v1/callbacks/${ref}/claim`, op)).status).toBe(200);
  const res = await send(t, 'POST', `/v1/callbacks/${ref}/attempts`, op, { outcome, ...(message ? { message } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('saving consignes', () => {
  it('keeps them in the practice record, for admins, the practice’s operators and its practitioners', async () => {
    const t = await testApp();
    const saved = await setConsignes(t, { fr: 'Renouvellement : **message** au Dr Martin.', en: 'Renewal: a **message** for Dr Martin.' });
    expect(saved.operatorInstructions).toEqual({ fr: 'Renouvellement : **message** au Dr Martin.', en: 'Renewal: a **message** for Dr Martin.' });
    for (const who of [await admin(t), await operator(t), await practitioner(t)]) {
      expect((await send(t, 'GET', '/v1/practices/cabinet-martin', who)).body.operatorInstructions.fr).toBe('Renouvellement : **message** au Dr Martin.');
    }
    const other = await signIn(t, { email: 'op2@permanence.example', role: 'operator', practices: [] });
    expect((await send(t, 'GET', '/v1/practices/cabinet-martin', other)).status).toBe(404);
    expect((await t.app.request('/v1/practices/cabinet-martin')).status).toBe(401);
    const [audit] = await t.deps.store.listAudit({ limit: 1, action: 'practice_updated' });
    expect(audit!.details).toEqual({ changed: ['operatorInstructions'] });
  });

  it('keeps the practice’s own when a save leaves them out, drops a blank language, and clears them when both are blank', async () => {
    const t = await testApp();
    await setConsignes(t, { fr: 'Venez seul.', en: '  \n ' });
    expect((await t.deps.store.getPractice('cabinet-martin'))!.operatorInstructions).toEqual({ fr: 'Venez seul.' });
    const { operatorInstructions: _o, ...without } = martin();
    await send(t, 'PUT', '/v1/practices/cabinet-martin', await admin(t), without);
    expect((await t.deps.store.getPractice('cabinet-martin'))!.operatorInstructions).toEqual({ fr: 'Venez seul.' });
    await setConsignes(t, { fr: '', en: '' });
    expect((await t.deps.store.getPractice('cabinet-martin'))!.operatorInstructions).toBeUndefined();
  });

  it('refuses raw HTML and links that cannot be opened, naming the field and the line, and saves nothing', async () => {
    const t = await testApp();
    const before = await t.deps.store.getPractice('cabinet-martin');
    const html = await send(t, 'PUT', '/v1/practices/cabinet-martin', await admin(t), martin({ fr: 'Passer <b>le</b> Dr Martin' }));
    expect(html.status).toBe(400);
    expect(html.body.error.fields).toEqual({ 'operatorInstructions.fr': 'invalid' });

    const links = await send(t, 'PUT', '/v1/practices/cabinet-martin', await admin(t), martin({ fr: 'Bonjour.\n\n- [Dr Martin](tel:docteur)', en: 'Call [15](tel:15).' }));
    expect(links.status).toBe(400);
    expect(links.body.error.fields).toEqual({ 'operatorInstructions.fr': 'invalid_link' });
    expect(links.body.error.message).toBe('Line 3 of the French operator instructions has a link that cannot be opened: write it as a full https://, mailto: or tel: address.');
    expect(await t.deps.store.getPractice('cabinet-martin')).toEqual(before);

    const both = await send(t, 'PUT', '/v1/practices/cabinet-martin', await admin(t), { ...martin({ en: '[a](javascript:alert(1))\n[b](mailto:%ZZ)' }), instructions: { fr: '[plan](/plan)' } });
    expect(both.body.error.fields).toEqual({ 'instructions.fr': 'invalid_link', 'operatorInstructions.en': 'invalid_link' });
    expect(both.body.error.message).toContain('Line 1 of the French instructions has a link');
    expect(both.body.error.message).toContain('Lines 1 and 2 of the English operator instructions have links');
  });

  it('refuses control characters and text too long, like the visit instructions', async () => {
    const t = await testApp();
    for (const [text, code] of [
      ['Bonjour\u0007', 'invalid'],
      ['x'.repeat(5001), 'too_long'],
    ] as const) {
      const res = await send(t, 'PUT', '/v1/practices/cabinet-martin', await admin(t), martin({ en: text }));
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual({ 'operatorInstructions.en': code });
    }
  });
});

describe('consignes stay out of every public answer', () => {
  const MARKER = 'CONSIGNE-7f3a9c-secret';

  it('are in no widget config, confirmation, notice, cancel page or tried-to-reach message', async () => {
    const t = await testApp();
    await setConsignes(t, { fr: `Ne jamais dire ${MARKER}.`, en: `Never say ${MARKER}.` });

    const widget = await t.app.request('/v1/practices/cabinet-martin/widget', { headers: { Origin: ORIGIN } });
    expect(widget.status).toBe(200);
    expect(await widget.text()).not.toContain(MARKER);
    expect(await (await t.app.request('/v1/practices/cabinet-martin/widget', { headers: { Origin: 'https://elsewhere.example' } })).text()).not.toContain(MARKER);

    const refs: string[] = [];
    for (const [confirmBy, lang, phone] of [['email', 'fr', '06 12 34 56 78'], ['sms', 'en', '06 98 76 54 32'], ['email', 'en', '06 11 22 33 44']] as const) {
      const created = await postCallback(t, { confirmBy, lang, phone });
      expect(created.status).toBe(201);
      expect(JSON.stringify(created.body)).not.toContain(MARKER);
      refs.push(created.body.ref);
    }
    for (const ref of refs) {
      const token = cancelToken(t.deps.sealer, ref);
      const page = await t.app.request(`/c/${ref}?t=${encodeURIComponent(token)}`);
      expect(page.status).toBe(200);
      expect(await page.text()).not.toContain(MARKER);
    }
    // A message for the practitioner (its notice email), then three calls without an answer (the patient is told we tried).
    await work(t, refs[0]!, 'reached', 'Rappeler pour le résultat.');
    for (let i = 0; i < 3; i++) await work(t, refs[2]!, 'no_answer');
    const cancelled = await send(t, 'POST', `/v1/callbacks/${refs[1]}/cancel`, {}, { token: cancelToken(t.deps.sealer, refs[1]!) });
    expect(JSON.stringify(cancelled.body)).not.toContain(MARKER);

    const outbox = (await Promise.all((['pending', 'sent', 'dead'] as const).map((state) => t.deps.store.listOutbox(state)))).flat();
    expect(outbox.map((m) => m.purpose).sort()).toEqual(['confirmation', 'confirmation', 'confirmation', 'practitioner_message', 'tried_to_reach']);
    for (const message of outbox) expect(JSON.stringify(message.payload)).not.toContain(MARKER);
  });
});

describe('beside a request', () => {
  it('gives the practice’s consignes, whether it is open and until when, and today’s hours, to operators and practitioners', async () => {
    // OPEN_AT: a Wednesday, 10:00 in Paris; the demo practice is open 08:30–12:30 on Wednesdays.
    const t = await testApp();
    await setConsignes(t, { fr: 'Enfant fiévreux : rappeler dans l’heure.' });
    const { ref } = (await postCallback(t)).body;
    for (const who of [await operator(t), await practitioner(t)]) {
      const detail = await send(t, 'GET', `/v1/callbacks/${ref}`, who);
      expect(detail.body.operatorInstructions).toEqual({ fr: 'Enfant fiévreux : rappeler dans l’heure.' });
      expect(detail.body.status).toEqual({
        open: true,
        nextChange: '2026-11-25T11:30:00.000Z',
        todayHours: { date: '2026-11-25', ranges: [['08:30', '12:30']], closedReason: null },
      });
    }
  });

  it('says the practice is closed on a holiday, and why, with its next opening', async () => {
    // Christmas Day 2026 is a Friday; the practice opens again on Saturday at 08:30.
    const t = await testApp({ at: new Date('2026-12-25T10:00:00Z') });
    const { ref } = (await postCallback(t)).body;
    const detail = await send(t, 'GET', `/v1/callbacks/${ref}`, await operator(t));
    expect(detail.body.status).toEqual({
      open: false,
      nextChange: '2026-12-26T07:30:00.000Z',
      todayHours: { date: '2026-12-25', ranges: [], closedReason: { kind: 'holiday', label: { fr: 'Noël', en: 'Christmas Day' } } },
    });
    // The demo practice's own consignes, as `npm start` loads them.
    expect(detail.body.operatorInstructions).toEqual(demoPractice(0).operatorInstructions);
  });
});

describe('a message keeps the consignes in force when it was taken', () => {
  it('shows the practitioner and the admin the version the operator worked under, after the practice changed them', async () => {
    const t = await testApp();
    await setConsignes(t, { fr: 'Version 1 : ordonnance → message.', en: 'Version 1: prescription → message.' });
    const first = (await postCallback(t)).body.ref;
    const taken = await work(t, first, 'reached', 'Ordonnance à renouveler.');
    expect(taken.messages[0].instructionsInForce).toEqual({ fr: 'Version 1 : ordonnance → message.', en: 'Version 1: prescription → message.' });

    await setConsignes(t, { fr: 'Version 2 : ordonnance → téléconsultation.' });
    const second = (await postCallback(t, { phone: '06 98 76 54 32' })).body.ref;
    await work(t, second, 'reached', 'Téléconsultation proposée.');

    for (const who of [await practitioner(t), await admin(t)]) {
      const items = (await send(t, 'GET', '/v1/messages', who)).body.items as { ref: string; instructionsInForce: unknown }[];
      expect(Object.fromEntries(items.map((m) => [m.ref, m.instructionsInForce]))).toEqual({
        [first]: { fr: 'Version 1 : ordonnance → message.', en: 'Version 1: prescription → message.' },
        [second]: { fr: 'Version 2 : ordonnance → téléconsultation.' },
      });
    }
    // The request itself shows the consignes of today beside the message taken under the old ones.
    const detail = await send(t, 'GET', `/v1/callbacks/${first}`, await operator(t));
    expect(detail.body.operatorInstructions).toEqual({ fr: 'Version 2 : ordonnance → téléconsultation.' });
    expect(detail.body.messages[0].instructionsInForce.fr).toBe('Version 1 : ordonnance → message.');
  });

  it('says none were in force when the practice had none', async () => {
    const t = await testApp();
    await setConsignes(t, {});
    const { ref } = (await postCallback(t)).body;
    const taken = await work(t, ref, 'reached', 'Rappeler demain.');
    expect(taken.messages[0].instructionsInForce).toBeNull();
    expect(taken.operatorInstructions).toEqual({});
  });

});
