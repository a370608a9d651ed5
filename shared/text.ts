/**
 * Text as the API takes it in, the one rule of every field people type (a patient's name and reason, a practice's
 * name and instructions, an operator's note): stored composed (NFC) and trimmed; refused when nothing in it can be
 * seen, when it holds a control character or half of a surrogate pair (which no UTF-8 can store).
 */
import * as z from 'zod/mini';

/** What a reader cannot see: format characters (zero-width spaces and joiners, BOM, bidi controls, soft hyphen…) and white space. */
const INVISIBLE = /[\p{Cf}\s]/gu;
/**
 * A control character (C0, DEL, C1; a multi-line field keeps its line breaks and tabs) or half of a surrogate pair
 * without its other half (`JSON.parse('"\\ud800"')` makes one, and no UTF-8 can hold it). With the `u` flag a string
 * is read by code points, so `\p{Cs}` matches only a lone half: a pair is one code point, outside `Cs`.
 */
const BROKEN = /\p{Cc}|\p{Cs}/u;
const BROKEN_LINES = /(?![\t\n])\p{Cc}|\p{Cs}/u;

/** How many characters (code points) of `text` can be seen. */
export const visibleLength = (text: string): number => [...text.replace(INVISIBLE, '')].length;

/** True when `text` holds a control character (line breaks and tabs allowed when `multiLine`) or a lone surrogate. */
export const isBrokenText = (text: string, multiLine = false): boolean => (multiLine ? BROKEN_LINES : BROKEN).test(text);

/** One line as stored: composed, trimmed. */
export const tidyLine = (text: string): string => text.normalize('NFC').trim();
/** Lines as stored: composed, line breaks written `\n` (as a browser's textarea gives them), trimmed. */
export const tidyLines = (text: string): string => text.normalize('NFC').replace(/\r\n?/g, '\n').trim();

/**
 * The rule itself: tidied, then refused as `invalid` when broken, `required` when nothing visible is left (with a
 * minimum), `too_short` under `min` visible characters, `too_long` over `max` (in UTF-16 units, as `maxLength`).
 * Text with nothing visible is stored as `''`: an optional field gets no value rather than an invisible one.
 */
function textRule(tidy: (text: string) => string, multiLine: boolean, max: number, min: number) {
  return z.string().check(
    z.overwrite((text) => {
      const tidied = tidy(text);
      return visibleLength(tidied) ? tidied : '';
    }),
    z.refine((text) => !isBrokenText(text, multiLine), 'invalid'),
    z.refine((text) => min === 0 || text !== '', 'required'),
    z.refine((text) => text === '' || visibleLength(text) >= min, 'too_short'),
    // For the OpenAPI document: never the first to fail, as a visible character is at least one UTF-16 unit.
    z.minLength(min),
    z.maxLength(max),
  );
}

/**
 * A one-line field (a name, a phone number, a label): `min` visible characters at least (1 by default; 0 for an
 * optional field, where blank is no value), `max` at most. `tidy` replaces the default NFC + trim (a person's name
 * is tidied with `tidyName` from shared/names.ts, which also makes runs of spaces, tabs or line breaks one space).
 */
export const singleLineText = (max: number, min = 1, tidy: (text: string) => string = tidyLine) => textRule(tidy, false, max, min);

/** A field of several lines (a reason, a note, instructions): as `singleLineText`, with line breaks and tabs allowed. */
export const multiLineText = (max: number, min = 1) => textRule(tidyLines, true, max, min);

/**
 * A password: taken exactly as typed (not trimmed, not normalised, so the one typed at sign-in is compared to the very
 * same characters), spaces and any printable character welcome, control characters and lone surrogates refused.
 * Sign-in checks with the same rule, so what can be set can be typed.
 */
export const secretText = (max: number, min = 1) =>
  z.string().check(
    z.refine((text) => !isBrokenText(text), 'invalid'),
    z.minLength(min),
    z.maxLength(max),
  );
