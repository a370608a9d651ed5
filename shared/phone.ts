/** Phone numbers as patients type them, checked for real (full metadata, so a mobile is told from a landline); service side. */
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { PHONE_CHARS } from './phone-hint.js';

/** Metropolitan France and the overseas territories: the default allow-list of countries the service sends SMS to. */
export const FRANCE_COUNTRIES: readonly CountryCode[] = ['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF', 'WF', 'PF', 'NC'];

/**
 * Overseas departments and collectivities whose numbers are dialled from France with a leading 0, like a metropolitan
 * number ("0692 12 34 56" is Réunion). Parsed with FR alone they are invalid, so they are tried next, in this order;
 * GP comes before BL and MF, which share its numbering.
 */
const NATIONAL_OVERSEAS: readonly CountryCode[] = ['RE', 'GP', 'MQ', 'GF', 'YT', 'BL', 'MF'];

/** Country calling codes inside the French national numbering plan: shown as "0692 12 34 56", not "+262 692 12 34 56". */
const NATIONAL_CALLING_CODES = new Set(['33', '262', '590', '594', '596']);

/**
 * The block an E.164 number belongs to, for the SMS cap per block: the number without its last four digits
 * (`+33612345678` → `+3361234`). Pumping fraud walks through consecutive premium numbers; real patients of many
 * practices rarely share a block of 10,000.
 */
export const numberBlock = (e164: string) => e164.slice(0, -4);

export interface ParsedPhone {
  /** `+33612345678`: the form stored, compared and dialled. */
  e164: string;
  /** ISO 3166 code, e.g. `FR`, `RE`; undefined for non-geographic numbers. */
  country: string | undefined;
  /** True when the number can receive an SMS (mobile, or a plan that does not tell mobile from fixed). */
  mobile: boolean;
}

function toParsed(phone: PhoneNumber): ParsedPhone {
  const type = phone.getType();
  return { e164: phone.number, country: phone.country, mobile: type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' };
}

function valid(text: string, country: CountryCode): PhoneNumber | undefined {
  const phone = parsePhoneNumberFromString(text, country);
  return phone?.isValid() ? phone : undefined;
}

/**
 * Parses a number typed by a patient or an operator: French national (`06 12 34 56 78`, `06.12.34.56.78`),
 * international (`+33 6 12 34 56 78`, `0033612345678`, `+49 1512 3456789`) and overseas (`0692 12 34 56`,
 * `+262 692 12 34 56`). Returns null for anything that is not a valid number, including letters mixed in.
 */
export function parsePhone(input: string, defaultCountry: CountryCode = 'FR'): ParsedPhone | null {
  const text = input.trim();
  // Letters would be read as a vanity number ("06 CABINET"); a patient's number never has any.
  if (!text || text.length > 30 || !PHONE_CHARS.test(text)) return null;
  const phone = valid(text, defaultCountry);
  if (phone) return toParsed(phone);
  if (defaultCountry !== 'FR') return null;
  const asFrench = parsePhoneNumberFromString(text, 'FR');
  // "0692…" typed nationally, or "+33 692…" written by someone who thought every French number is +33.
  if (asFrench?.countryCallingCode !== '33') return null;
  for (const country of NATIONAL_OVERSEAS) {
    const overseas = valid(`0${asFrench.nationalNumber}`, country);
    if (overseas) return toParsed(overseas);
  }
  return null;
}

/**
 * Formats an E.164 number for reading: the French way (`06 12 34 56 78`, `0692 12 34 56`) for numbers in the
 * French plan, international (`+49 1512 3456789`) for the rest, since that is how a caller in France dials them.
 * Anything unparsable comes back unchanged.
 */
export function formatPhoneNational(e164: string): string {
  let shown = formatted.get(e164);
  if (shown === undefined) {
    const phone = parsePhoneNumberFromString(e164);
    shown = !phone ? e164 : NATIONAL_CALLING_CODES.has(phone.countryCallingCode) ? phone.formatNational() : phone.formatInternational();
    // Parsing costs ~40 µs and a queue page shows 100 numbers again at each refresh: remember the last few thousand.
    if (formatted.size >= 5_000) formatted.clear();
    formatted.set(e164, shown);
  }
  return shown;
}
const formatted = new Map<string, string>();
