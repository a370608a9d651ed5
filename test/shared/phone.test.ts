// Phone numbers: the service's real parse (libphonenumber-js/max) and the widget's as-you-type hint.
import { describe, expect, it } from 'vitest';
import { FRANCE_COUNTRIES, formatPhoneNational, parsePhone } from '../../shared/phone.js';
import { looksLikePhone, phoneHint } from '../../shared/phone-hint.js';
import { callbackRequestSchema } from '../../shared/schemas.js';
import { practiceSchema } from '../../service/domain/practices.js';
import { validateCallbackDraft } from '../../widget/validate.js';

describe('parsePhone', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678', 'FR', true],
    ['+33 6 12 34 56 78', '+33612345678', 'FR', true],
    ['0033612345678', '+33612345678', 'FR', true],
    ['06.12.34.56.78', '+33612345678', 'FR', true],
    ['06-12-34-56-78', '+33612345678', 'FR', true],
    ['+33 (0)6 12 34 56 78', '+33612345678', 'FR', true],
    ['07 81 23 45 67', '+33781234567', 'FR', true],
    ['01 42 68 53 00', '+33142685300', 'FR', false],
    ['0692 12 34 56', '+262692123456', 'RE', true],
    ['+262 692 12 34 56', '+262692123456', 'RE', true],
    ['0262 21 34 56', '+262262213456', 'RE', false],
    ['0690 12 34 56', '+590690123456', 'GP', true],
    ['0696 12 34 56', '+596696123456', 'MQ', true],
    ['0694 12 34 56', '+594694123456', 'GF', true],
    ['0639 01 23 45', '+262639012345', 'YT', true],
    ['+33 692 12 34 56', '+262692123456', 'RE', true],
    ['+49 1512 3456789', '+4915123456789', 'DE', true],
    ['+32 470 12 34 56', '+32470123456', 'BE', true],
    ['+34 612 34 56 78', '+34612345678', 'ES', true],
    ['0049 30 1234567', '+49301234567', 'DE', false],
  ])('reads %j as %s (%s, mobile: %s)', (input, e164, country, mobile) => {
    expect(parsePhone(input)).toEqual({ e164, country, mobile });
  });

  it.each(['', '06 12 34 56', '06 12 34 56 78 9', '00 00 00 00 00', '06 CABINET', 'appelez-moi', '+33 6 12 34 56 78 90', '1'.repeat(40)])(
    'refuses %j',
    (input) => {
      expect(parsePhone(input)).toBeNull();
    },
  );

  it('reads a national number in the default country given', () => {
    expect(parsePhone('030 1234567', 'DE')).toEqual({ e164: '+49301234567', country: 'DE', mobile: false });
    // Frankfurt's 069, not Réunion: the overseas fallback is only for French patients.
    expect(parsePhone('0692 12 34 56', 'DE')?.country).toBe('DE');
  });

  it('lists metropolitan France and every overseas territory for the SMS allow-list', () => {
    expect([...FRANCE_COUNTRIES].sort()).toEqual(['BL', 'FR', 'GF', 'GP', 'MF', 'MQ', 'NC', 'PF', 'PM', 'RE', 'WF', 'YT']);
    for (const input of ['06 12 34 56 78', '0692 12 34 56', '0690 12 34 56', '0696 12 34 56', '0694 12 34 56', '0639 01 23 45'])
      expect(FRANCE_COUNTRIES).toContain(parsePhone(input)!.country);
    expect(FRANCE_COUNTRIES).not.toContain(parsePhone('+49 1512 3456789')!.country);
  });
});

describe('formatPhoneNational', () => {
  it.each([
    ['+33612345678', '06 12 34 56 78'],
    ['+33142685300', '01 42 68 53 00'],
    ['+262692123456', '0692 12 34 56'],
    ['+590690123456', '0690 12 34 56'],
    ['+4915123456789', '+49 1512 3456789'],
    ['+687751234', '+687 75 12 34'],
    ['not a number', 'not a number'],
  ])('shows %s as %j', (e164, shown) => {
    expect(formatPhoneNational(e164)).toBe(shown);
  });

  it('round-trips whatever parsePhone produced', () => {
    for (const input of ['06 12 34 56 78', '0692 12 34 56', '+32 470 12 34 56']) {
      const { e164 } = parsePhone(input)!;
      expect(parsePhone(formatPhoneNational(e164))!.e164).toBe(e164);
    }
  });
});

describe('phoneHint', () => {
  it.each([
    ['', 'incomplete'],
    ['0', 'incomplete'],
    ['06 12', 'incomplete'],
    ['06 12 34 56 7', 'incomplete'],
    ['06 12 34 56 78', 'ok'],
    ['06.12.34.56.78', 'ok'],
    ['612345678', 'ok'],
    ['06 12 34 56 78 9', 'invalid'],
    ['00', 'incomplete'],
    ['0033', 'incomplete'],
    ['00 49 1512 3456789', 'ok'],
    ['+', 'incomplete'],
    ['+33', 'incomplete'],
    ['+33 6 12 34 56 78', 'ok'],
    ['+33 (0)6 12 34 56 78', 'ok'],
    ['0033 6 12 34 56 78', 'ok'],
    ['+33 6 12 34 56 78 9', 'invalid'],
    ['+33 06 12 34 56 78', 'ok'],
    ['+262 692 12 34 56', 'ok'],
    ['+49 1512', 'incomplete'],
    ['+49 1512 3456789', 'ok'],
    ['+49 1512 3456789 1234', 'invalid'],
    ['06 12 ab', 'invalid'],
    ['06+12', 'invalid'],
  ] as const)('says %j is %s', (input, hint) => {
    expect(phoneHint(input)).toBe(hint);
  });

  it('calls ok every French-looking number the service accepts', () => {
    for (const input of ['06 12 34 56 78', '+33 6 12 34 56 78', '0033612345678', '0692 12 34 56', '01 42 68 53 00']) {
      expect(parsePhone(input), input).not.toBeNull();
      expect(phoneHint(input), input).toBe('ok');
    }
  });
});

describe('one separator rule everywhere', () => {
  const widgetAccepts = (phone: string) => {
    const result = validateCallbackDraft({ name: 'A', phone, reason: 'r', urgency: 'routine', confirmBy: 'none', consent: true, lang: 'fr' });
    return result.ok || !result.fields.phone;
  };
  const schemaAccepts = (phone: string) => callbackRequestSchema.shape.phone.safeParse(phone).success;
  const practiceAccepts = (phone: string) => practiceSchema.shape.phone.safeParse(phone).success;

  it.each([
    ['06/12/34/56/78', true],
    ['06 12 34 56 78', true],
    ['+33 (0)6.12-34/56 78', true],
    ['(+33) 6 12 34 56 78', false],
    ['06 12 34 56 78 +', false],
    ['06_12_34_56_78', false],
    ['06 12 ab 56 78', false],
  ] as const)('%j: widget, request schema, practice record, service parser and hint agree (accepted: %s)', (phone, accepted) => {
    expect(looksLikePhone(phone)).toBe(accepted);
    expect(widgetAccepts(phone)).toBe(accepted);
    expect(schemaAccepts(phone)).toBe(accepted);
    expect(practiceAccepts(phone)).toBe(accepted);
    expect(parsePhone(phone) !== null).toBe(accepted);
    expect(phoneHint(phone) === 'ok').toBe(accepted);
  });
});
