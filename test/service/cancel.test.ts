// The patient's cancel link: the page in their language, its signed token, cancelling once, and the JSON route.
import { describe, expect, it } from 'vitest';
import { auditOf, closeRequest, postCallback, postJson, testApp, type TestApp } from './helpers.js';
import { cancelToken } from '../../service/domain/links.js';
import type { QueueEvent } from '../../service/events.js';

async function request(t: TestApp, overrides: Record<string, unknown> = {}) {
  const { ref } = (await postCallback(t, overrides)).body as { ref: string };
  return { ref, token: cancelToken(t.deps.sealer, ref) };
}

const page = (t: TestApp, ref: string, token: string, headers: Record<string, string> = {}) => t.app.request(`/c/${ref}?t=${encodeURIComponent(token)}`, { headers });

const pressCancel = (t: TestApp, ref: string, token: string) =>
  t.app.request(`/c/${ref}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ t: token }).toString() });


describe('GET /c/:ref', () => {
  it('shows the request, when it will be called and a cancel button, in the patient’s language', async () => {
    const t = await testApp();
    const { ref, token } = await request(t, { lang: 'en' });
    const res = await page(t, ref, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`Request ${ref} to Cabinet du Dr Martin`);
    expect(html).toContain('We will call you back as soon as possible');
    expect(html).toContain(`<form method="post" action="/c/${ref}">`);
    expect(html).toContain(`<input type="hidden" name="t" value="${token}">`);
    expect(html).toContain('Cancel my request');
    expect(html).toContain('dial <a href="tel:15">15</a> or <a href="tel:112">112</a>');
  });

  it('links the practice phone, written the French way, and the emergency numbers for a tap to call', async () => {
    const t = await testApp();
    const { ref, token } = await request(t, { lang: 'fr' });
    const html = await (await page(t, ref, token)).text();
    expect(html).toContain('Appelez le <a href="tel:+33142000000">01 42 00 00 00</a>.');
    expect(html).toContain('composez le <a href="tel:15">15</a> ou le <a href="tel:112">112</a>');
    expect(html).not.toContain('+33 1 42');
    const invalid = await (await page(t, ref, 'not-the-token', { 'Accept-Language': 'fr' })).text();
    expect(invalid).toContain('<a href="tel:15">15</a>');
  });

  it('speaks French to a French patient', async () => {
    const t = await testApp();
    const { ref, token } = await request(t, { lang: 'fr' });
    const html = await (await page(t, ref, token)).text();
    expect(html).toContain('<html lang="fr">');
    // The practice's name as a label: "auprès de Cabinet du Dr Martin" would lack its article.
    expect(html).toContain(`Cabinet du Dr Martin\u00a0: demande ${ref}`);
    expect(html).toContain('Annuler ma demande');
  });

  it('is served with a strict CSP, no inline script or style, no referrer and no caching', async () => {
    const t = await testApp();
    const { ref, token } = await request(t);
    const res = await page(t, ref, token);
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/<script|<style|style=|\son\w+=/i);
    const css = await t.app.request('/c/page.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Type')).toMatch(/^text\/css/);
  });

  it('escapes what it shows', async () => {
    const t = await testApp();
    await t.deps.store.savePractice({ ...(await t.deps.store.getPractice('cabinet-martin'))!, name: 'Dr <b>Martin</b> & "Fils"' }, t.clock.now.toISOString());
    const { ref, token } = await request(t);
    const html = await (await page(t, ref, token)).text();
    expect(html).toContain('Dr &lt;b&gt;Martin&lt;/b&gt; &amp; &quot;Fils&quot;');
    expect(html).not.toContain('<b>');
  });

  it('never shows the reason for the call', async () => {
    const t = await testApp();
    const { ref, token } = await request(t, { reason: 'Résultats de dépistage VIH' });
    expect(await (await page(t, ref, token)).text()).not.toContain('VIH');
  });

  it.each([
    ['a wrong token', (ref: string, _token: string, other: string) => [ref, other.slice(0, 15) + (other.endsWith('A') ? 'B' : 'A')]],
    ['the token of another request', (ref: string, _token: string, other: string) => [ref, other]],
    ['no token', (ref: string) => [ref, '']],
    ['an unknown reference with a validly signed token', (_ref: string, _t: string, _o: string, t: TestApp) => ['CB-ZZZZZZ', cancelToken(t.deps.sealer, 'CB-ZZZZZZ')]],
    ['a malformed reference', (_ref: string) => ['%3Cscript%3E', 'x']],
  ])('answers the same 404 page for %s', async (_what, make) => {
    const t = await testApp();
    const mine = await request(t);
    const theirs = await request(t, { phone: '06 99 99 99 99' });
    const [ref, token] = (make as (...a: unknown[]) => [string, string])(mine.ref, mine.token, theirs.token, t);
    const res = await page(t, ref, token, { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('This link is not valid');
    expect(html).not.toContain('Cancel my request');
  });

  it('does not accept a cancel token as a form token or the other way round', async () => {
    const t = await testApp();
    const { ref } = await request(t);
    const forged = t.deps.sealer.sign('form', ref).slice(0, 16);
    expect((await page(t, ref, forged)).status).toBe(404);
  });
});

describe('cancelling from the page', () => {
  it('cancels, records outcome cancelled before any conversation, publishes callback.updated and says so', async () => {
    const t = await testApp();
    const events: QueueEvent[] = [];
    t.deps.events.subscribe((e) => events.push(e));
    const { ref, token } = await request(t, { lang: 'en' });
    const res = await pressCancel(t, ref, token);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Done: your request is cancelled');
    expect(html).not.toContain('<form');
    expect(await t.deps.store.getCallback(ref)).toMatchObject({ state: 'cancelled', outcome: 'cancelled', closedAt: t.clock.now.toISOString() });
    expect(events.at(-1)).toEqual({ type: 'callback.updated', practice: 'cabinet-martin', ref });
    const [audit] = await auditOf(t, 'callback.cancelled');
    expect(audit).toMatchObject({ actor: 'patient', target: ref });
    expect(audit!.details).toEqual({ beforeConversation: true, billable: false });
    expect(await t.deps.store.listQueue({ state: 'open' })).toHaveLength(0);
  });

  it('records a cancellation after a call attempt as not before any conversation', async () => {
    const t = await testApp();
    const { ref, token } = await request(t);
    const callback = (await t.deps.store.getCallback(ref))!;
    const at = t.clock.now.toISOString();
    await t.deps.store.applyAttempt(callback.id, { state: 'queued', outcome: null, dueAt: callback.dueAt, attempts: 1, firstCallAt: at, closedAt: null }, at);
    await pressCancel(t, ref, token);
    const [audit] = await auditOf(t, 'callback.cancelled');
    expect(audit!.details).toEqual({ beforeConversation: false, billable: true });
  });

  it('cancels a request an operator has claimed, releasing the claim', async () => {
    const t = await testApp();
    const { ref, token } = await request(t);
    const operator = await t.deps.store.createUser({ email: 'op@example.org', name: 'Op', role: 'operator', practices: ['cabinet-martin'], passwordHash: 'x' }, t.clock.now.toISOString());
    expect(await t.deps.store.claimCallback(ref, operator.id, t.clock.now.toISOString(), t.clock.now.toISOString())).toMatchObject({ state: 'claimed' });
    const html = await (await page(t, ref, token)).text();
    expect(html).toContain('Un membre de notre équipe s’occupe de votre demande');
    expect(html).toContain('Annuler ma demande');
    await pressCancel(t, ref, token);
    expect(await t.deps.store.getCallback(ref)).toMatchObject({ state: 'cancelled', claimedBy: null, claimedAt: null });
  });

  it('says a second press found the request already cancelled, and changes nothing', async () => {
    const t = await testApp();
    const { ref, token } = await request(t);
    await pressCancel(t, ref, token);
    const closedAt = (await t.deps.store.getCallback(ref))!.closedAt;
    t.clock.advance(60_000);
    const html = await (await pressCancel(t, ref, token)).text();
    expect(html).toContain('Cette demande était déjà annulée');
    expect((await t.deps.store.getCallback(ref))!.closedAt).toBe(closedAt);
    expect(await auditOf(t, 'callback.cancelled')).toHaveLength(1);
  });

  it('says a request already handled can no longer be cancelled', async () => {
    const t = await testApp();
    const { ref, token } = await request(t);
    await closeRequest(t, ref);
    expect(await (await page(t, ref, token)).text()).toContain('Cette demande a déjà été traitée.');
    const html = await (await pressCancel(t, ref, token)).text();
    expect(html).toContain('elle ne peut plus être annulée');
    expect(await t.deps.store.getCallback(ref)).toMatchObject({ state: 'done', outcome: 'reached' });
  });

  it('refuses a press with a wrong token and leaves the request open', async () => {
    const t = await testApp();
    const { ref } = await request(t);
    expect((await pressCancel(t, ref, 'AAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await t.deps.store.getCallback(ref))!.state).toBe('queued');
  });
});

describe('POST /v1/callbacks/:ref/cancel', () => {
  const cancel = (t: TestApp, ref: string, body: unknown) => postJson(t, `/v1/callbacks/${ref}/cancel`, body);

  it('answers 200 with the new state', async () => {
    const t = await testApp();
    const { ref, token } = await request(t);
    const res = await cancel(t, ref, { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ref, state: 'cancelled' });
    expect((await t.deps.store.getCallback(ref))!.state).toBe('cancelled');
  });

  it('answers 200 again, saying it was already cancelled, to a repeated call', async () => {
    const t = await testApp();
    const { ref, token } = await request(t);
    await cancel(t, ref, { token });
    expect(await (await cancel(t, ref, { token })).json()).toEqual({ ref, state: 'cancelled', alreadyCancelled: true });
  });

  it('answers 409 already_closed for a request already handled', async () => {
    const t = await testApp();
    const { ref, token } = await request(t);
    await closeRequest(t, ref);
    const res = await cancel(t, ref, { token });
    expect(res.status).toBe(409);
    expect(((await res.json()) as any).error.code).toBe('already_closed');
  });

  it.each([
    ['a wrong token', () => ({ token: 'AAAAAAAAAAAAAAAA' }), 404, 'not_found'],
    ['no token', () => ({}), 400, 'validation_failed'],
    ['a token that is not a string', () => ({ token: 42 }), 400, 'validation_failed'],
    ['an extra field', (token: string) => ({ token, state: 'done' }), 400, 'validation_failed'],
    ['a 10 KB token', () => ({ token: 'x'.repeat(10_000) }), 413, 'payload_too_large'],
  ])('answers %s with %i %s and leaves the request open', async (_what, body, status, code) => {
    const t = await testApp();
    const { ref, token } = await request(t);
    const res = await cancel(t, ref, body(token));
    expect(res.status).toBe(status);
    expect(((await res.json()) as any).error.code).toBe(code);
    expect((await t.deps.store.getCallback(ref))!.state).toBe('queued');
  });
});
