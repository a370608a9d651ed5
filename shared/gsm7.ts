/** Which alphabet an SMS goes out in, how many segments it costs, and how to keep French texts in GSM-7. */

// GSM 03.38 (3GPP TS 23.038) default alphabet, in table order, without 0x1B (the escape to the extension
// table). Greek capitals are written as escapes: look-alike Latin letters would silently break the set.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  '\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039EÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNO' +
  'PQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmno' +
  'pqrstuvwxyzäöñüà';

// Reached through the escape character, so each one costs two septets.
const EXTENSION = '\f^{}\\[~]|€';

const basicSet = new Set(BASIC);
const extensionSet = new Set(EXTENSION);

const GSM7_SINGLE = 160;
const GSM7_PART = 153; // a 6-byte concatenation header takes 7 septets from each part
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSize {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** SMS billed for this text; 0 for an empty text, which is never sent. */
  segments: number;
}

function isGsm7Char(char: string): boolean {
  return basicSet.has(char) || extensionSet.has(char);
}

/** True when every character of `text` exists in the GSM 03.38 alphabet (basic set or extension table). */
export function isGsm7(text: string): boolean {
  for (const char of text) if (!isGsm7Char(char)) return false;
  return true;
}

/**
 * The encoding a handset-compatible sender must use for `text` and the number of SMS it costs.
 * A single character outside GSM-7 switches the whole message to UCS-2 (70 per SMS instead of 160).
 */
export function smsSegments(text: string): SmsSize {
  const gsm = isGsm7(text);
  // Per-character weight, kept as a list because a multi-part message cannot split an escape pair
  // (GSM-7) or a surrogate pair (UCS-2) across two parts: the pair moves whole to the next part.
  const weights = Array.from(text, (char) =>
    gsm ? (extensionSet.has(char) ? 2 : 1) : char.length,
  );
  const units = weights.reduce((sum, w) => sum + w, 0);
  const [single, part] = gsm ? [GSM7_SINGLE, GSM7_PART] : [UCS2_SINGLE, UCS2_PART];
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  if (units === 0) return { encoding, units, segments: 0 };
  if (units <= single) return { encoding, units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const w of weights) {
    if (used + w > part) {
      segments += 1;
      used = 0;
    }
    used += w;
  }
  return { encoding, units, segments };
}

// Characters French texts (and word processors) produce that have a plain GSM equivalent but no
// decomposition to one. Accented letters are handled below by stripping the accent.
const REPLACEMENTS: Record<string, string> = {
  '\u00A0': ' ', // no-break space, put by French typography before ; : ! ? and inside « »
  '\u202F': ' ', // narrow no-break space, same use
  '\u2007': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\t': ' ',
  '\u200B': '', // zero-width space
  '\u2060': '', // word joiner
  '\u00AD': '', // soft hyphen
  '\uFEFF': '',
  '\u2019': "'", // ’ the apostrophe every French keyboard layout and word processor produces
  '\u2018': "'",
  '\u201A': "'",
  '\u2032': "'",
  '\u00B4': "'",
  '`': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2033': '"',
  '«': '"',
  '»': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2013': '-', // – en dash
  '\u2014': '-', // — em dash
  '\u2212': '-',
  '\u2022': '-', // • bullet
  '\u2026': '...',
  'œ': 'oe',
  'Œ': 'OE',
};

function stripAccent(char: string): string | undefined {
  const bare = char.normalize('NFD').replace(/\p{M}/gu, '');
  return bare !== char && bare.length > 0 && isGsm7(bare) ? bare : undefined;
}

/**
 * Rewrites `text` with GSM-7 equivalents of the characters French messages commonly hold
 * (ê â î ô û ë ï ç → e a i o u e i c, œ → oe, ’ → ', « » → ", – — → -, … → ..., no-break spaces → space),
 * so a confirmation fits one 160-character SMS instead of going out as 70-character UCS-2 parts.
 * Letters GSM-7 has (é è à ù ç capital Ç…) are kept. A character with no sensible equivalent
 * (an emoji, a name in Arabic script) is kept as is: the SMS then goes out in UCS-2 rather than
 * losing part of what it says.
 */
export function toGsm7(text: string): string {
  // French guillemets carry (no-break) spaces inside; "« Cabinet »" should become "Cabinet" in quotes, not " Cabinet ".
  const unquoted = text.replace(/«[^\S\r\n]*/g, '"').replace(/[^\S\r\n]*»/g, '"');
  let out = '';
  for (const char of unquoted) {
    if (isGsm7Char(char)) out += char;
    else out += REPLACEMENTS[char] ?? stripAccent(char) ?? char;
  }
  return out;
}
