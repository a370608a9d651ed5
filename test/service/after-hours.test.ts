// A practice's after-hours guidance: saved with the practice record (a number anyone can dial, a short safe Markdown text
// by language), kept or cleared like its other texts, and given to the widget in its public answer and its OpenAPI schema.
import { describe, expect, it } from 'vitest';
import { ORIGIN, send, signIn, testApp, type TestApp } from './helpers.js';
import { demoPractice } from '../../demo/seed.js';
import { widgetConfigSchema } from '../../shared/schemas.js';

function record(overrides: Record<string, unknown> = {}) {
  const { privacyUrl: _p, ...p } = demoPractice(0);
  return { ...p, allowedOrigins: [ORIGIN], ...overrides };
}

async function save(t: TestApp, overrides: Record<string, unknown>) {
  const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
  return send(t, 'PUT', '/v1/practices/cabinet-martin', admin, record(overrides));
}

async function widgetConfig(t: TestApp) {
  const res = await t.app.request('/v1/practices/cabinet-martin/widget', { headers: { Origin: ORIGIN } });
  expect(res.status).toBe(200);
  return res.json() as Promise<Record<string, any>>;
}

describe('after-hours guidance', () => {
  it('is saved with the practice, blank parts dropped, and given to the widget as the schema says', async () => {
    const t = await testApp();
    const afterHours = { phone: '116 117', text: { fr: 'Le soir, appelez le **médecin de garde**.\n\n- [Maison médicale](https://mmg.example)', en: '  ' } };
    const saved = await save(t, { afterHours });
    expect(saved.status).toBe(200);
    const expected = { phone: '116 117', text: { fr: afterHours.text.fr } };
    expect(saved.body.afterHours).toEqual(expected);
    const body = await widgetConfig(t);
    expect(body.afterHours).toEqual(expected);
    expect(widgetConfigSchema.parse(body)).toEqual(body);
  });

  it('is in the OpenAPI schema of the widget’s answer', async () => {
    const doc = await (await (await testApp()).app.request('/openapi.json')).json();
    const schema = doc.components.schemas.WidgetConfig;
    expect(Object.keys(schema.properties.afterHours.properties).sort()).toEqual(['phone', 'text']);
    expect(schema.required).not.toContain('afterHours');
  });

  it.each([
    ['0147077777', '01 47 07 77 77'],
    ['+33 1 47 07 77 77', '01 47 07 77 77'],
    ['116117', '116117'],
    ['39 66', '39 66'],
    ['15', '15'],
  ])('takes %s as the number, saved as %s', async (typed, stored) => {
    const t = await testApp();
    const saved = await save(t, { afterHours: { phone: typed } });
    expect(saved.status).toBe(200);
    expect(saved.body.afterHours).toEqual({ phone: stored });
  });

  it.each([
    ['a number nobody can dial', { phone: '12 34' }, 'afterHours.phone', 'invalid_phone'],
    ['letters in the number', { phone: '116 GARDE' }, 'afterHours.phone', 'invalid_phone'],
    ['raw HTML in the text', { text: { fr: 'Appelez <b>le 15</b>' } }, 'afterHours.text.fr', 'invalid'],
    ['a link patients could not open', { text: { en: 'See [this](javascript:alert(1))' } }, 'afterHours.text.en', 'invalid_link'],
    ['a text too long for the form', { text: { fr: 'x'.repeat(1001) } }, 'afterHours.text.fr', 'too_long'],
    ['an unknown field', { email: 'garde@example.org' }, 'afterHours.email', 'unknown_field'],
  ])('refuses %s, naming the field', async (_what, afterHours, field, code) => {
    const t = await testApp();
    const saved = await save(t, { afterHours });
    expect(saved.status).toBe(400);
    expect(saved.body.error.fields).toEqual({ [field]: code });
  });

  it('is kept by a save that leaves it out, and cleared by one that sends it empty', async () => {
    const t = await testApp();
    const { afterHours: _a, ...withoutGuidance } = record();
    const admin = await signIn(t, { email: 'admin@permanence.example', role: 'admin' });
    expect((await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, withoutGuidance)).body.afterHours).toEqual(demoPractice(0).afterHours);
    const cleared = await send(t, 'PUT', '/v1/practices/cabinet-martin', admin, { ...withoutGuidance, afterHours: { phone: '', text: {} } });
    expect(cleared.status).toBe(200);
    expect(cleared.body).not.toHaveProperty('afterHours');
    expect(await widgetConfig(t)).not.toHaveProperty('afterHours');
  });
});
