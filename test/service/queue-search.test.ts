// The queue worked fast: search by reference, phone, last four digits or name words (exact, per practice), filters,
// the caller's history on the request, and the 10-second undo of a closing outcome.
import { describe, expect, it } from 'vitest';
import { auditOf, ORIGIN, postCallback, send, signIn, testApp, type TestApp } from './helpers.js';
import { demoPractice } from '../../demo/seed.js';
import { newRef } from '../../service/domain/ref.js';
import type { NewCallback } from '../../service/store/store.js';

const OTHER = 'cabinet-autre';

async function twoPractices(): Promise<TestApp> {
  const martin = { ...demoPractice(0), allowedOrigins: [ORIGIN] };
  return testApp({ practices: [martin, { ...martin, slug: OTHER, name: 'Cabinet Autre' }] });
}

function seed(t: TestApp, overrides: Partial<NewCallback> = {}) {
  const at = t.clock.now.toISOString();
  return t.deps.store.insertCallback({
    ref: newRef(),
    practice: 'cabinet-martin',
    name: 'Camille Durand',
    phone: '+33612345678',
    email: null,
    reason: 'Renouvellement d’ordonnance',
    urgency: 'routine',
    redFlag: false,
    preferredWindow: null,
    confirmBy: 'none',
    lang: 'fr',
    dueAt: at,
    createdAt: at,
    ...overrides,
  });
}

const operator = (t: TestApp, email = 'op1@permanence.example', practices = ['cabinet-martin']) => signIn(t, { email, role: 'operator', practices });
const refsOf = async (t: TestApp, headers: Record<string, string>, query: string) =>
  ((await send(t, 'GET', `/v1/queue?${query}`, headers)).body.items as { ref: string }[]).map((i) => i.ref).sort();

describe('searching the queue', () => {
  it('finds by reference (any case), whole phone, last four digits and every word of the name, exactly', async () => {
    const t = await twoPractices();
    const camille = await seed(t);
    const jean = await seed(t, { name: 'Jean-Pierre Lefèvre', phone: '+33698765432' });
    const other = await seed(t, { practice: OTHER, name: 'Camille Durand', phone: '+33612345678' });
    const h = await operator(t);
    expect(await refsOf(t, h, `q=${camille.ref.toLowerCase()}`)).toEqual([camille.ref]);
    expect(await refsOf(t, h, 'q=' + encodeURIComponent('06 12 34 56 78'))).toEqual([camille.ref]);
    expect(await refsOf(t, h, 'q=5678')).toEqual([camille.ref]);
    expect(await refsOf(t, h, 'q=durand')).toEqual([camille.ref]);
    expect(await refsOf(t, h, 'q=' + encodeURIComponent('LEFEVRE jean-pierre'))).toEqual([jean.ref]);
    // Exact only: a part of a word or of a number finds nothing, and all words must match.
    expect(await refsOf(t, h, 'q=dur')).toEqual([]);
    expect(await refsOf(t, h, 'q=678')).toEqual([]);
    expect(await refsOf(t, h, 'q=' + encodeURIComponent('camille lefevre'))).toEqual([]);
    // The other practice's identical patient never shows to an operator who does not work for it.
    expect(await refsOf(t, h, `q=${other.ref}`)).toEqual([]);
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    expect(await refsOf(t, admin, 'q=5678')).toEqual([camille.ref, other.ref].sort());
  });

  it('filters by urgency, state and the requests this operator holds', async () => {
    const t = await twoPractices();
    const routine = await seed(t);
    const urgent = await seed(t, { name: 'Paul Martin', phone: '+33611111111', urgency: 'urgent' });
    const h = await operator(t);
    expect(await refsOf(t, h, 'urgency=urgent')).toEqual([urgent.ref]);
    expect((await send(t, 'POST', `/v1/callbacks/${routine.ref}/claim`, h)).status).toBe(200);
    expect(await refsOf(t, h, 'mine=1')).toEqual([routine.ref]);
    expect(await refsOf(t, h, 'mine=1&urgency=urgent')).toEqual([]);
    expect(await refsOf(t, h, 'state=done')).toEqual([]);
    const item = (await send(t, 'GET', '/v1/queue?q=5678', h)).body.items[0];
    expect(item.phoneNational).toBe('06 12 34 56 78');
  });
});

describe('the caller’s history', () => {
  it('lists the earlier requests of the same phone at the same practice, with their outcome', async () => {
    const t = await twoPractices();
    const h = await operator(t);
    const first = await postCallback(t, { reason: 'Première demande' });
    await send(t, 'POST', `/v1/callbacks/${first.body.ref}/claim`, h);
    await send(t, 'POST', `/v1/callbacks/${first.body.ref}/attempts`, h, { outcome: 'reached' });
    await seed(t, { practice: OTHER });
    t.clock.advance(60_000);
    const second = await postCallback(t, { reason: 'Deuxième demande' });
    const detail = (await send(t, 'GET', `/v1/callbacks/${second.body.ref}`, h)).body;
    expect(detail.history).toEqual([
      expect.objectContaining({ ref: first.body.ref, reason: 'Première demande', state: 'done', outcome: 'reached' }),
    ]);
    expect((await send(t, 'GET', `/v1/callbacks/${first.body.ref}`, h)).body.history).toEqual([]);
  });
});

describe('undoing an outcome', () => {
  async function closed(t: TestApp, h: Record<string, string>, outcome = 'wrong_number', message?: string) {
    const { ref } = await seed(t);
    await send(t, 'POST', `/v1/callbacks/${ref}/claim`, h);
    const res = await send(t, 'POST', `/v1/callbacks/${ref}/attempts`, h, { outcome, ...(message ? { message } : {}) });
    expect(res.body.state).toBe('done');
    return ref;
  }

  it('puts the request back, claimed by the same operator, within 10 seconds; audited; the message stays', async () => {
    const t = await twoPractices();
    const h = await operator(t);
    const ref = await closed(t, h, 'reached', 'Rappeler pour le résultat');
    t.clock.advance(9_000);
    const res = await send(t, 'POST', `/v1/callbacks/${ref}/undo`, h);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mergedInto: null, messageKept: true, request: { ref, state: 'claimed', claimedByMe: true, outcome: null, attemptCount: 0 } });
    expect(res.body.request.attempts[0].undoneAt).toBe(t.clock.now.toISOString());
    expect(res.body.request.messages).toHaveLength(1);
    expect(await auditOf(t, 'outcome_undone')).toEqual([expect.objectContaining({ actor: 'op1@permanence.example', target: ref, details: { outcome: 'reached', messageKept: true } })]);
    // Worked again at once: the right outcome recorded, and that one counts.
    expect((await send(t, 'POST', `/v1/callbacks/${ref}/attempts`, h, { outcome: 'no_answer' })).body.state).toBe('queued');
  });

  it('leaves the undone outcome out of the activity report', async () => {
    const t = await twoPractices();
    const h = await operator(t);
    const ref = await closed(t, h, 'wrong_number');
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    const report = async () => (await send(t, 'GET', '/v1/reports/activity?month=2026-11&practice=cabinet-martin', admin)).body.total;
    expect((await report()).nonBillable.wrong_number).toBe(1);
    await send(t, 'POST', `/v1/callbacks/${ref}/undo`, h);
    expect(await report()).toMatchObject({ nonBillable: { wrong_number: 0 }, open: 1 });
  });

  it('answers 409 after 10 seconds, and 403 to another operator', async () => {
    const t = await twoPractices();
    const h = await operator(t);
    const other = await operator(t, 'op2@permanence.example');
    const ref = await closed(t, h);
    expect((await send(t, 'POST', `/v1/callbacks/${ref}/undo`, other)).status).toBe(403);
    t.clock.advance(10_001);
    const late = await send(t, 'POST', `/v1/callbacks/${ref}/undo`, h);
    expect([late.status, late.body.error.code]).toEqual([409, 'undo_expired']);
    expect((await t.deps.store.getCallback(ref))!.state).toBe('done');
  });

  it('will not undo a retry outcome', async () => {
    const t = await twoPractices();
    const h = await operator(t);
    const { ref } = await seed(t);
    await send(t, 'POST', `/v1/callbacks/${ref}/claim`, h);
    await send(t, 'POST', `/v1/callbacks/${ref}/attempts`, h, { outcome: 'no_answer' });
    expect((await send(t, 'POST', `/v1/callbacks/${ref}/undo`, h)).body.error.code).toBe('nothing_to_undo');
  });

  it('merges the reopened request into the one the patient sent meanwhile', async () => {
    const t = await twoPractices();
    const h = await operator(t);
    const ref = await closed(t, h, 'spam');
    t.clock.advance(3_000);
    const newer = await seed(t, { reason: 'Je rappelle' });
    const res = await send(t, 'POST', `/v1/callbacks/${ref}/undo`, h);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mergedInto: newer.ref, messageKept: false, request: { ref: newer.ref, mergedCount: 1 } });
    expect(res.body.request.reasonEntries.map((e: { text: string }) => e.text)).toEqual(['Je rappelle', 'Renouvellement d’ordonnance']);
    expect(await t.deps.store.getCallback(ref)).toMatchObject({ state: 'done', outcome: 'duplicate' });
    expect((await auditOf(t, 'outcome_undone'))[0]!.details).toMatchObject({ outcome: 'spam', mergedInto: newer.ref });
  });
});
