// Security headers on every answer (Hono's secureHeaders): nosniff everywhere, HSTS only behind https, and the
// widget's bundle still loadable from practice websites (Cross-Origin-Resource-Policy: cross-origin).
import { describe, expect, it } from 'vitest';
import { postJson, testApp, validForm, ORIGIN } from './helpers.js';

describe('security headers', () => {
  it('say nosniff on the widget bundle and on every API answer, errors included, and keep the bundle cross-origin', async () => {
    const t = await testApp();
    const widget = await t.app.request('/widget.js');
    const answers = [
      widget,
      await t.app.request('/v1/practices/cabinet-martin/widget', { headers: { Origin: ORIGIN } }),
      await postJson(t, '/v1/practices/cabinet-martin/callbacks', validForm(), { Origin: ORIGIN }),
      await postJson(t, '/v1/practices/cabinet-martin/callbacks', { name: '' }, { Origin: ORIGIN }),
      await t.app.request('/v1/queue'),
      await t.app.request('/v1/nothing-here'),
    ];
    for (const res of answers) {
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('X-Frame-Options')).toBe('DENY');
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    }
    expect(widget.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(answers[4]!.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    // The public routes stay readable by the practice's site.
    expect(answers[2]!.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
  });

  it('send no Strict-Transport-Security while the public URL is http', async () => {
    const t = await testApp();
    t.deps.config.publicUrl = 'http://localhost:8787';
    const { createApp } = await import('../../service/http/app.js');
    const plain = createApp(t.deps);
    for (const path of ['/healthz', '/widget.js', '/v1/queue']) expect((await plain.request(path)).headers.has('Strict-Transport-Security')).toBe(false);
  });

  it('send Strict-Transport-Security when the public URL is https (as in these tests)', async () => {
    const t = await testApp();
    expect(t.deps.config.publicUrl).toMatch(/^https:/);
    for (const path of ['/healthz', '/widget.js', '/v1/nothing-here']) {
      expect((await t.app.request(path)).headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
    }
  });
});
