/** As-you-type feedback on a phone number in the widget: is it plausibly complete yet? The service does the real check. */

// Why not libphonenumber-js here: even its smallest metadata set weighs tens of KB gzipped and the full one
// (needed to tell a mobile from a landline) far more, which alone would blow the widget's 25 KB gzipped budget.
// Patients are overwhelmingly French, so the hint knows the French plan (10 digits from 0, 9 after +33) and
// only counts digits elsewhere; shared/phone.ts on the service has the last word.

export type PhoneHint = 'ok' | 'incomplete' | 'invalid';

/**
 * What a typed number may hold, the one rule of the widget, the schema, the practice record and the service parser:
 * an optional leading `+`, digits, and the separators people type (spaces, dots, dashes, parentheses, slashes).
 */
export const PHONE_CHARS = /^\+?[\d\s.\-()/]*$/;
const SEPARATORS = /[\s.\-()/]/g;

/** The schema's loose check (trimmed input): only allowed characters and at least 6 digits; `phoneHint` and the service go further. */
export const looksLikePhone = (text: string) => PHONE_CHARS.test(text) && text.replace(/\D/g, '').length >= 6;

/** E.164 caps a number at 15 digits; 8 is about the shortest a foreign number plausibly has with its country code. */
const MIN_INTERNATIONAL = 8;
const MAX_INTERNATIONAL = 15;

function byLength(length: number, expected: number): PhoneHint {
  return length < expected ? 'incomplete' : length === expected ? 'ok' : 'invalid';
}

/**
 * `'ok'` when the number looks complete, `'incomplete'` while digits are missing, `'invalid'` when it can no longer
 * become a number (letters, too many digits, a leading 00 after the French 0).
 * Separators people type (spaces, dots, dashes, parentheses, slashes) are ignored.
 */
export function phoneHint(input: string): PhoneHint {
  const text = input.trim();
  if (!text.replace(SEPARATORS, '')) return 'incomplete';
  if (!PHONE_CHARS.test(text)) return 'invalid';
  const compact = text.replace(SEPARATORS, '');
  const international = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : null;
  if (international === null) {
    // National French: 0 then nine digits, the first of them 1-9. Without the 0 ("612345678") the service still
    // understands it, so the hint does too.
    if (compact[0] !== '0') return byLength(compact.length, 9);
    if (compact[1] === '0') return 'invalid';
    return byLength(compact.length, 10);
  }
  if (international.startsWith('33')) {
    // "+33 (0)6…" is common: the bracketed trunk 0 is tolerated.
    const national = international.slice(2).replace(/^0/, '');
    if (national[0] === '0') return 'invalid';
    return byLength(national.length, 9);
  }
  return checkOther(international);
}

function checkOther(digits: string): PhoneHint {
  if (digits[0] === '0') return 'invalid';
  if (digits.length > MAX_INTERNATIONAL) return 'invalid';
  return digits.length < MIN_INTERNATIONAL ? 'incomplete' : 'ok';
}
