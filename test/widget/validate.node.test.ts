/** The widget's own checks must give the shared schema's verdicts, field by field, since the widget ships without zod. */
import { describe, expect, it } from 'vitest';
import { callbackRequestSchema, fieldErrors } from '../../shared/schemas.js';
import { validateCallbackDraft, type CallbackDraft } from '../../widget/validate.js';

const valid: CallbackDraft = {
  name: 'Jeanne Dupont',
  phone: '06 12 34 56 78',
  reason: 'Renouvellement d’ordonnance',
  urgency: 'routine',
  confirmBy: 'sms',
  consent: true,
  lang: 'fr',
  website: '',
  formToken: 'token',
};

const drafts: [string, Partial<CallbackDraft>][] = [
  ['valid', {}],
  ['valid with padding', { name: '  Jeanne  ', phone: ' +33 6 12 34 56 78 ', reason: ' mal au dos ' }],
  ['valid with email and window', { email: 'jeanne@example.fr', confirmBy: 'email', preferredWindow: { from: '2026-03-02T14:00:00+01:00', to: '2026-03-02T19:00:00+01:00' } }],
  ['blank name', { name: '   ' }],
  ['long name', { name: 'x'.repeat(101) }],
  ['name at the limit', { name: 'x'.repeat(100) }],
  ['blank phone', { phone: '' }],
  ['letters in phone', { phone: '06 AB 34' }],
  ['too few digits', { phone: '12-34' }],
  ['phone too long', { phone: '0'.repeat(31) }],
  ['phone with dots and brackets', { phone: '(0)6.12.34.56.78' }],
  ['phone with slashes', { phone: '06/12/34/56/78' }],
  ['phone with a plus inside', { phone: '(+33) 6 12 34 56 78' }],
  ['bad email', { email: 'jeanne@' }],
  ['email without tld', { email: 'jeanne@example' }],
  ['email too long', { email: `${'a'.repeat(250)}@example.fr` }],
  ['email confirmation without email', { confirmBy: 'email' }],
  ['email confirmation with empty email', { confirmBy: 'email', email: '' }],
  ['blank reason', { reason: '' }],
  ['reason too long', { reason: 'x'.repeat(1001) }],
  ['unknown urgency', { urgency: 'later' }],
  ['unknown channel', { confirmBy: 'pigeon' }],
  ['no consent', { consent: false }],
  ['unknown language', { lang: 'de' }],
  ['window backwards', { preferredWindow: { from: '2026-03-02T19:00:00+01:00', to: '2026-03-02T14:00:00+01:00' } }],
  ['window in Z', { preferredWindow: { from: '2026-03-02T13:00:00Z', to: '2026-03-02T18:00:00Z' } }],
  ['window without seconds', { preferredWindow: { from: '2026-03-02T14:00+01:00', to: '2026-03-02T19:00+01:00' } }],
  ['honeypot too long', { website: 'x'.repeat(501) }],
  ['several problems', { name: '', phone: 'abc', reason: '', consent: false }],
  ['name of zero-width spaces', { name: '\u200b\u200b\u200b' }],
  ['name with a NUL', { name: '\u0000' }],
  ['name with a lone surrogate', { name: 'A\ud800B' }],
  ['name with a tab inside', { name: 'Jeanne\tDupont' }],
  ['name typed decomposed', { name: 'E\u0301loi\u0308se' }],
  ['invisible reason', { reason: '\u200b \u2060' }],
  ['reason with line breaks and tabs', { reason: 'Renouvellement :\r\n\t- Doliprane\n\t- Ventoline' }],
  ['reason with a bell', { reason: 'Ordonnance\u0007' }],
  ['phone with a tab inside', { phone: '06\t12 34 56 78' }],
];

describe('validateCallbackDraft', () => {
  for (const [label, change] of drafts) {
    it(`agrees with callbackRequestSchema on: ${label}`, () => {
      const draft = { ...valid, ...change };
      const schema = callbackRequestSchema.safeParse(draft);
      const widget = validateCallbackDraft(draft);
      expect(widget.ok).toBe(schema.success);
      if (schema.success && widget.ok) expect(widget.value).toEqual(schema.data);
      if (!schema.success && !widget.ok) {
        const expected = fieldErrors(schema.error.issues, draft);
        // Zod skips its cross-field rule once a field is of the wrong kind; the widget says it anyway, which only helps.
        if (!expected.email && widget.fields.email === 'email_required' && draft.confirmBy === 'email') expected.email = 'email_required';
        expect(widget.fields).toEqual(expected);
      }
    });
  }
});
