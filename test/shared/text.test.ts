// The one text rule: composed and trimmed; invisible-only text is blank; control characters and lone surrogates refused.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { fieldErrors } from '../../shared/field-errors.js';
import { isBrokenText, multiLineText, secretText, singleLineText, visibleLength } from '../../shared/text.js';
import { tidyName } from '../../shared/names.js';

/** The value stored, or the field code the API would answer. */
function verdict(schema: z.ZodMiniType, value: unknown) {
  const input = { field: value };
  const parsed = z.object({ field: schema }).safeParse(input);
  return parsed.success ? { value: parsed.data.field } : { code: fieldErrors(parsed.error.issues, input).field };
}

describe('singleLineText', () => {
  const line = singleLineText(10);

  it.each([
    ['', 'required'],
    ['   ', 'required'],
    ['\u200b\u200b\u200b', 'required'],
    ['\u200c\u200d\ufeff\u00ad\u2060\u202e\u061c', 'required'],
    ['\u0000', 'invalid'],
    ['a\tb', 'invalid'],
    ['a\nb', 'invalid'],
    ['a\u007fb', 'invalid'],
    ['a\u009bb', 'invalid'],
    ['a\ud800b', 'invalid'],
    ['\udc00a', 'invalid'],
    ['\u200b\u0000', 'invalid'],
    ['x'.repeat(11), 'too_long'],
    [42, 'invalid'],
  ])('refuses %j as %s', (value, code) => {
    expect(verdict(line, value)).toEqual({ code });
  });

  it.each([
    ['  Cabinet  ', 'Cabinet'],
    ['Se\u0300ve', 'S\u00e8ve'],
    ['😀 ok', '😀 ok'],
    ['\u200bok', '\u200bok'],
  ])('stores %j as %j', (value, stored) => {
    expect(verdict(line, value)).toEqual({ value: stored });
  });

  it('says too_short under a minimum above one, counting only what can be seen, and required when nothing is', () => {
    const code = singleLineText(100, 3);
    expect(verdict(code, 'ab\u200b\u200b')).toEqual({ code: 'too_short' });
    expect(verdict(code, '\u200b\u200b\u200b\u200b')).toEqual({ code: 'required' });
    expect(verdict(code, 'a😀c')).toEqual({ value: 'a😀c' });
  });

  it('takes blank as no value when the minimum is zero: text with nothing visible is stored empty', () => {
    const optional = singleLineText(10, 0);
    expect(verdict(optional, '')).toEqual({ value: '' });
    expect(verdict(optional, '\u200b \u2060')).toEqual({ value: '' });
    expect(verdict(optional, 'a\u0000')).toEqual({ code: 'invalid' });
  });

  it('tidies a name the way names are: tabs and runs of spaces made one space', () => {
    expect(verdict(singleLineText(100, 1, tidyName), ' Jeanne\t\tDupont ')).toEqual({ value: 'Jeanne Dupont' });
  });
});

describe('multiLineText', () => {
  const lines = multiLineText(50);

  it('keeps line breaks and tabs, and writes a Windows or old Mac line break as \\n', () => {
    expect(verdict(lines, ' a\n\tb\r\nc\rd ')).toEqual({ value: 'a\n\tb\nc\nd' });
  });

  it.each([
    ['\n\t\n', 'required'],
    ['a\u0007', 'invalid'],
    ['a\u000bb', 'invalid'],
    ['a\u000cb', 'invalid'],
    ['a\u0000b', 'invalid'],
    ['a\udbffb', 'invalid'],
  ])('refuses %j as %s', (value, code) => {
    expect(verdict(lines, value)).toEqual({ code });
  });
});

describe('secretText', () => {
  const password = secretText(100, 12);

  it('takes a password exactly as typed: spaces kept, not normalised', () => {
    const typed = '  cafe\u0301 au lait  ';
    expect(verdict(password, typed)).toEqual({ value: typed });
  });

  it.each([
    ['a long passphrase\t', 'invalid'],
    ['a long passphrase\u0000', 'invalid'],
    ['a long pass\ud800phrase', 'invalid'],
    ['short', 'too_short'],
  ])('refuses %j as %s', (value, code) => {
    expect(verdict(password, value)).toEqual({ code });
  });
});

describe('isBrokenText and visibleLength', () => {
  it('finds a lone half of a surrogate pair wherever it is, never a whole pair', () => {
    for (const broken of ['\ud800', 'a\ud800', '\udc00b', '\udc00\ud800', '\ud800\ud83d\ude00', '\ud83d\ude00\udc00']) expect(isBrokenText(broken)).toBe(true);
    for (const whole of ['\ud83d\ude00', '\ud800\udc00', 'plain']) expect(isBrokenText(whole)).toBe(false);
  });

  it('counts characters a reader can see, an emoji as one', () => {
    expect(visibleLength('a\u200bb c\u00ad😀')).toBe(4);
  });
});
