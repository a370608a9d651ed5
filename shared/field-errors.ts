/**
 * Zod issues turned into the API's field codes (`{phone: "invalid_phone"}`): one mapping for every
 * request schema and the opening hours, so the widget and the console read one vocabulary.
 */
import type { HoursErrorCode } from './messages/hours.js';

/** A code per field problem; the widget turns each into a sentence in the patient's language. */
export type FieldErrorCode =
  | 'required'
  | 'too_long'
  | 'too_short'
  | 'invalid'
  | 'invalid_phone'
  | 'not_mobile'
  | 'invalid_email'
  | 'email_required'
  | 'consent_required'
  | 'unknown_field'
  | 'window_outside_hours'
  /** Practice instructions: a link a reader could not open (see shared/markdown.ts `safeHref`). */
  | 'invalid_link'
  /** A practice's allowed origin with a path, a query or another scheme: an origin is scheme://host[:port]. */
  | 'invalid_origin'
  /** An account's email that another account already has. */
  | 'taken'
  /** Changing one's password: the current one typed is not the account's, or the new one is the same. */
  | 'wrong_password'
  | 'same_password'
  | HoursErrorCode;

/** A zod issue, as much of it as the mapping reads. */
export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  /** `too_small`: what kind of value (`string`, `array`, `number`…) and its minimum. */
  origin?: string;
  minimum?: unknown;
}

const MISSING = Symbol('missing');

/** The value at `path` in `input`, own properties only (`constructor`, `__proto__` are not inherited answers). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return MISSING;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Whether a present value is blank: a string of spaces (the schemas trim), an empty list. */
const isBlank = (value: unknown) => (typeof value === 'string' ? value.trim() === '' : Array.isArray(value) ? value.length === 0 : false);

/**
 * A value under its minimum was there (a missing one is `invalid_type`): blank is `required`, a short one `too_short`
 * ("5 characters" is not "missing"), a number below its floor `invalid`. Without the input, a minimum of one can
 * only have failed on a blank value; a longer minimum reads as `too_short`.
 */
function tooSmallCode(issue: Issue, input: unknown): FieldErrorCode {
  if (issue.origin !== 'string' && issue.origin !== 'array' && issue.origin !== 'set') return 'invalid';
  const value = input === undefined ? MISSING : valueAt(input, issue.path);
  if (value !== MISSING) return isBlank(value) ? 'required' : 'too_short';
  return Number(issue.minimum) <= 1 ? 'required' : 'too_short';
}

/**
 * The one code of a zod issue, shared by the request schemas and the opening hours (shared/hours-schema.ts).
 * With the parsed `input`, a present value of the wrong type is `invalid`; only a missing one is `required`.
 */
export function issueCode(issue: Issue, input?: unknown): FieldErrorCode {
  const field = issue.path.at(-1);
  switch (issue.code) {
    case 'custom':
      return issue.message as FieldErrorCode;
    case 'too_big':
      return 'too_long';
    case 'too_small':
      return tooSmallCode(issue, input);
    case 'invalid_type': {
      const value = input === undefined ? MISSING : valueAt(input, issue.path);
      if (value !== MISSING && value !== undefined) return 'invalid';
      return field === 'consent' ? 'consent_required' : 'required';
    }
    case 'invalid_value':
      return field === 'consent' ? 'consent_required' : field === 'region' ? 'unknown_region' : 'invalid';
    case 'invalid_format':
    case 'invalid_union':
      return field === 'email' ? 'invalid_email' : 'invalid';
    default:
      return 'invalid';
  }
}

/**
 * Turns zod issues into `{field: code}`, the first problem of each field winning. A field is the first `depth` steps
 * of the issue's path, dotted (`weekly.mon.1` with `depth` Infinity). The object has no prototype, so a field named
 * `__proto__` or `constructor` is recorded and answered like any other. Pass the parsed body as `input` so a wrong
 * type is told from a missing value.
 */
export function fieldErrors(issues: readonly Issue[], input?: unknown, depth = 1): Record<string, FieldErrorCode> {
  const fields: Record<string, FieldErrorCode> = Object.create(null);
  const put = (path: readonly PropertyKey[], code: FieldErrorCode) => {
    const field = path.slice(0, depth).map(String).join('.');
    if (!Object.hasOwn(fields, field)) fields[field] = code;
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys ?? []) put([...issue.path, key], 'unknown_field');
    else put(issue.path, issueCode(issue, input));
  }
  return fields;
}
