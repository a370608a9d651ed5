/** A patient's rights from the console (admins): `POST /v1/patients/export` and `POST /v1/patients/erase`. */
import { describe, expect, it } from 'vitest';
import { auditOf, countCallbacks, postCallback, send, signIn, testApp, type TestApp } from './helpers.js';

const ADMIN = { email: 'admin@example.org', role: 'admin' } as const;
const OPERATOR = { email: 'op1@permanence.example', role: 'operator' as const, practices: ['cabinet-martin'] };

/** Camille's request, called once with a note, and another patient's on another number. */
async function twoPatients(t: TestApp) {
  const { ref } = (await postCallback(t)).body as { ref: string };
  await postCallback(t, { name: 'Léa Moreau', phone: '06 11 22 33 44', email: 'lea@example.org', reason: 'Certificat' });
  const operator = await signIn(t, OPERATOR);
  await send(t, 'POST', `/v1/callbacks/${ref}/claim`, operator);
  await send(t, 'POST', `/v1/callbacks/${ref}/attempts`, operator, { outcome: 'no_answer', note: 'Messagerie pleine' });
  return { ref, admin: await signIn(t, ADMIN), operator };
}

describe('POST /v1/patients/export', () => {
  it('answers everything held on a number however it is typed: requests, calls and notes, what was sent', async () => {
    const t = await testApp();
    const { ref, admin } = await twoPatients(t);
    const res = await send(t, 'POST', '/v1/patients/export', admin, { phone: '+33 6 12 34 56 78' });
    expect(res.status).toBe(200);
    expect(res.body.exportedAt).toBe(t.clock.now.toISOString());
    expect(res.body.requests).toEqual([
      expect.objectContaining({
        ref,
        practice: 'cabinet-martin',
        name: 'Camille Durand',
        phone: '+33612345678',
        email: 'camille@example.org',
        reason: 'Renouvellement d’ordonnance',
        calls: [expect.objectContaining({ outcome: 'no_answer', note: 'Messagerie pleine', by: 'op1' })],
        history: expect.arrayContaining([expect.objectContaining({ action: 'claim', by: 'op1@permanence.example' })]),
      }),
    ]);
    expect(res.body.messagesSent).toEqual([expect.objectContaining({ channel: 'email', purpose: 'confirmation', state: 'pending', content: expect.objectContaining({ subject: expect.any(String) }) })]);
    expect(JSON.stringify(res.body)).not.toMatch(/Léa|Certificat/);
  });

  it('finds the same requests by email address, whatever its case, and answers empty lists for a stranger', async () => {
    const t = await testApp();
    const { ref, admin } = await twoPatients(t);
    const byEmail = await send(t, 'POST', '/v1/patients/export', admin, { email: 'Camille@Example.org', phone: '' });
    expect(byEmail.body.requests.map((r: { ref: string }) => r.ref)).toEqual([ref]);
    const stranger = await send(t, 'POST', '/v1/patients/export', admin, { phone: '06 99 88 77 66' });
    expect([stranger.status, stranger.body.requests, stranger.body.messagesSent]).toEqual([200, [], []]);
  });

  it('is audited by its admin with how many requests, never whose', async () => {
    const t = await testApp();
    const { admin } = await twoPatients(t);
    await send(t, 'POST', '/v1/patients/export', admin, { phone: '06 12 34 56 78' });
    const [entry] = await auditOf(t, 'export');
    expect(entry).toMatchObject({ actor: 'admin@example.org', details: { exported: 1, byEmail: false } });
    expect(JSON.stringify(entry)).not.toMatch(/612345678|Camille/);
  });

  it.each([
    [{}, { phone: 'required' }],
    [{ phone: '', email: '' }, { phone: 'required' }],
    [{ phone: '06 12 34', email: '' }, { phone: 'invalid_phone' }],
    [{ phone: '06 CABINET' }, { phone: 'invalid_phone' }],
    [{ email: 'pas-une-adresse' }, { email: 'invalid_email' }],
    [{ phone: '06 12 34 56 78', email: 'camille@example.org' }, { email: 'invalid' }],
    [{ phone: '06 12 34 56 78', name: 'Camille' }, { name: 'unknown_field' }],
  ])('answers %j with 400 naming the field', async (body, fields) => {
    const t = await testApp();
    const admin = await signIn(t, ADMIN);
    const res = await send(t, 'POST', '/v1/patients/export', admin, body);
    expect([res.status, res.body.error.fields]).toEqual([400, fields]);
    expect(await auditOf(t, 'export')).toEqual([]);
  });
});

describe('POST /v1/patients/erase', () => {
  it('refuses a confirmation that names another number, and erases nothing', async () => {
    const t = await testApp();
    const { admin } = await twoPatients(t);
    const res = await send(t, 'POST', '/v1/patients/erase', admin, { phone: '06 12 34 56 78', confirm: '06 12 34 56 79' });
    expect([res.status, res.body.error.code, res.body.error.fields]).toEqual([400, 'confirmation_mismatch', { confirm: 'invalid' }]);
    const missing = await send(t, 'POST', '/v1/patients/erase', admin, { phone: '06 12 34 56 78' });
    expect([missing.status, missing.body.error.fields]).toEqual([400, { confirm: 'required' }]);
    expect(await countCallbacks(t)).toBe(2);
    expect(await auditOf(t, 'erase')).toEqual([]);
  });

  it('erases every request of the number once it is typed again, in any format, and only those', async () => {
    const t = await testApp();
    const { ref, admin } = await twoPatients(t);
    const res = await send(t, 'POST', '/v1/patients/erase', admin, { phone: '06 12 34 56 78', confirm: '+33612345678' });
    expect([res.status, res.body]).toEqual([200, { erased: 1 }]);
    expect(await t.deps.store.getCallback(ref)).toBeUndefined();
    expect(await countCallbacks(t)).toBe(1);
    const after = await send(t, 'POST', '/v1/patients/export', admin, { phone: '06 12 34 56 78' });
    expect([after.body.requests, after.body.messagesSent]).toEqual([[], []]);
    const [entry] = await auditOf(t, 'erase');
    expect(entry).toMatchObject({ actor: 'admin@example.org', details: { requests: 1, byEmail: false } });
    expect(JSON.stringify(entry)).not.toMatch(/612345678|Camille/);
  });

  it('erases by email address, confirmed in another case', async () => {
    const t = await testApp();
    const { admin } = await twoPatients(t);
    const res = await send(t, 'POST', '/v1/patients/erase', admin, { email: 'lea@example.org', confirm: ' LEA@example.org ' });
    expect([res.status, res.body]).toEqual([200, { erased: 1 }]);
    expect(await countCallbacks(t)).toBe(1);
  });

  it('is for admins only: operators are refused, and nothing is erased or exported', async () => {
    const t = await testApp();
    const { operator } = await twoPatients(t);
    const practitioner = await signIn(t, { email: 'dr.martin@example.org', role: 'practitioner', practices: ['cabinet-martin'] });
    for (const who of [operator, practitioner]) {
      expect((await send(t, 'POST', '/v1/patients/export', who, { phone: '06 12 34 56 78' })).status).toBe(403);
      expect((await send(t, 'POST', '/v1/patients/erase', who, { phone: '06 12 34 56 78', confirm: '06 12 34 56 78' })).status).toBe(403);
    }
    expect((await send(t, 'POST', '/v1/patients/erase', {}, { phone: '06 12 34 56 78', confirm: '06 12 34 56 78' })).status).toBe(401);
    expect(await countCallbacks(t)).toBe(2);
    expect([...(await auditOf(t, 'export')), ...(await auditOf(t, 'erase'))]).toEqual([]);
  });
});
