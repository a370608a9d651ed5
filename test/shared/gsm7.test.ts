// GSM-7 membership, segment counting and the French-to-GSM rewrite that keeps confirmations in one SMS.
import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments, toGsm7 } from '../../shared/gsm7.js';

// The 3GPP TS 23.038 default alphabet by code point (0x1B, the escape, left out), written independently
// of shared/gsm7.ts so a typo there is caught here.
const BASIC_CODE_POINTS = [
  0x40, 0xa3, 0x24, 0xa5, 0xe8, 0xe9, 0xf9, 0xec, 0xf2, 0xc7, 0x0a, 0xd8, 0xf8, 0x0d, 0xc5, 0xe5,
  0x394, 0x5f, 0x3a6, 0x393, 0x39b, 0x3a9, 0x3a0, 0x3a8, 0x3a3, 0x398, 0x39e, 0xc6, 0xe6, 0xdf, 0xc9,
  0x20, 0x21, 0x22, 0x23, 0xa4, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
  ...range(0x30, 0x3f), 0xa1, ...range(0x41, 0x5a), 0xc4, 0xd6, 0xd1, 0xdc, 0xa7,
  0xbf, ...range(0x61, 0x7a), 0xe4, 0xf6, 0xf1, 0xfc, 0xe0,
];
const EXTENSION_CODE_POINTS = [0x0c, 0x5e, 0x7b, 0x7d, 0x5c, 0x5b, 0x7e, 0x5d, 0x7c, 0x20ac];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('isGsm7', () => {
  it('accepts each of the 127 basic characters and the 10 extension characters', () => {
    expect(BASIC_CODE_POINTS).toHaveLength(127);
    for (const cp of [...BASIC_CODE_POINTS, ...EXTENSION_CODE_POINTS]) {
      expect(isGsm7(String.fromCodePoint(cp)), `U+${cp.toString(16)}`).toBe(true);
    }
  });

  it.each([
    ['ç', 'lowercase c cedilla (only capital Ç is in the basic set)'],
    ['ê', 'e circumflex'],
    ['â', 'a circumflex'],
    ['î', 'i circumflex'],
    ['ô', 'o circumflex'],
    ['û', 'u circumflex'],
    ['ë', 'e diaeresis'],
    ['ï', 'i diaeresis'],
    ['œ', 'oe ligature'],
    ['’', 'curly apostrophe'],
    ['«', 'opening guillemet'],
    ['»', 'closing guillemet'],
    ['–', 'en dash'],
    ['…', 'ellipsis'],
    ['\u00A0', 'no-break space'],
    ['\u202F', 'narrow no-break space'],
    ['`', 'backtick'],
    ['°', 'degree sign'],
    ['\u2126', 'ohm sign, a look-alike of Greek Omega'],
    ['A\u0301', 'letter with a combining accent'],
    ['😀', 'emoji'],
  ])('refuses %j (%s)', (text) => {
    expect(isGsm7(text)).toBe(false);
  });

  it('treats an empty text as GSM-7', () => {
    expect(isGsm7('')).toBe(true);
  });
});

describe('smsSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 0],
    ['a', 'GSM-7', 1, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['€'.repeat(80), 'GSM-7', 160, 1],
    ['€'.repeat(81), 'GSM-7', 162, 2],
    ['[]{}', 'GSM-7', 8, 1],
    ['é'.repeat(160), 'GSM-7', 160, 1],
    ['ê', 'UCS-2', 1, 1],
    ['ê'.repeat(70), 'UCS-2', 70, 1],
    ['ê'.repeat(71), 'UCS-2', 71, 2],
    ['ê'.repeat(134), 'UCS-2', 134, 2],
    ['ê'.repeat(135), 'UCS-2', 135, 3],
    ['😀'.repeat(35), 'UCS-2', 70, 1],
    ['😀'.repeat(36), 'UCS-2', 72, 2],
    // The extension table costs two septets but still does not switch to UCS-2.
    ['a'.repeat(159) + '€', 'GSM-7', 161, 2],
  ])('%#: %j is %s, %i units, %i segment(s)', (text, encoding, units, segments) => {
    expect(smsSegments(text)).toEqual({ encoding, units, segments });
  });

  it('moves an escape pair whole to the next part instead of splitting it', () => {
    // 306 septets would fill exactly two 153-septet parts, but "€" (2 septets) after 152 would straddle
    // the boundary: it opens part two, and the last "a" spills into a third part.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', units: 306, segments: 3 });
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(150))).toEqual({ encoding: 'GSM-7', units: 304, segments: 2 });
  });

  it('moves a surrogate pair whole to the next part instead of splitting it', () => {
    // 134 units would fill exactly two 67-unit parts, but the emoji after 66 units opens part two.
    const text = 'ê'.repeat(66) + '😀' + 'ê'.repeat(66);
    expect(smsSegments(text)).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
  });
});

describe('toGsm7', () => {
  it.each([
    ['Fenêtre', 'Fenetre'],
    ['âme île hôte sûr', 'ame ile hote sur'],
    ['Noël maïs', 'Noel mais'],
    ['reçu', 'recu'],
    ['Ça reste Ç', 'Ça reste Ç'],
    ['cœur Œuvre', 'coeur OEuvre'],
    ['l’ouverture', "l'ouverture"],
    ['«\u00A0Cabinet Martin\u00A0»', '"Cabinet Martin"'],
    ['«Cabinet»', '"Cabinet"'],
    ['“quoted”', '"quoted"'],
    ['8 h – 12 h', '8 h - 12 h'],
    ['Merci…', 'Merci...'],
    ['Merci\u202F!', 'Merci !'],
    ['10\u00A0h', '10 h'],
    ['ÂÊÎÔÛ', 'AEIOU'],
    ['À bientôt', 'A bientot'],
    ['soft\u00ADhyphen', 'softhyphen'],
    // Already GSM-7: left untouched, accents included.
    ['é è à ù ì ò ä ö ñ ü É Ä Ö Ñ Ü Å å', 'é è à ù ì ò ä ö ñ ü É Ä Ö Ñ Ü Å å'],
    ['Réf. CB-7K3F9Q {ok} 15 €', 'Réf. CB-7K3F9Q {ok} 15 €'],
    // No sensible equivalent: kept, so the name is not lost (the message then goes out in UCS-2).
    ['Merci 😀', 'Merci 😀'],
    ['محمد', 'محمد'],
  ])('rewrites %j as %j', (input, output) => {
    expect(toGsm7(input)).toBe(output);
  });

  it('makes a typical French confirmation fit one GSM-7 segment', () => {
    const confirmation =
      'Cabinet Martin\u00A0: votre demande de rappel CB-7K3F9Q est bien reçue. ' +
      'Un opérateur vous rappellera dès l’ouverture (8\u00A0h – 12\u00A0h). Annuler\u00A0: https://p.fr/c/CB7K3F';
    expect(smsSegments(confirmation).encoding).toBe('UCS-2');
    expect(smsSegments(confirmation).segments).toBeGreaterThan(1);
    const rewritten = toGsm7(confirmation);
    expect(isGsm7(rewritten)).toBe(true);
    expect(smsSegments(rewritten)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });
});
