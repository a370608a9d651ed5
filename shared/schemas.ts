/**
 * The shapes both sides agree on: what the widget sends, what the service answers.
 * The service validates requests with these `zod/mini` schemas at its edge; the widget
 * imports only the types and mirrors the rules in widget/validate.ts (zod would take a
 * third of its size budget), held to the same verdicts by test/widget/validate.node.test.ts.
 */
import * as z from 'zod/mini';
import type { Hours } from './hours.js';
import type { HoursErrorCode } from './messages/hours.js';
import { looksLikePhone } from './phone-hint.js';
import { tidyName } from './names.js';

import { CONFIRM_CHANNELS, URGENCIES, type ConfirmBy } from './callback.js';
import { LANGS, type Lang } from './i18n.js';
export type { ConfirmBy, Urgency } from './callback.js';

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
  | HoursErrorCode;

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
/** A person's name, tidied the one way names are (shared/names.ts) before its length is checked. */
const personName = z.string().check(z.overwrite(tidyName), z.minLength(1), z.maxLength(100));
/** Loose on purpose: the service parses the number for real (libphonenumber-js); the widget only catches typos early. */
const phone = z.string().check(z.trim(), z.minLength(1), z.maxLength(30), z.refine(looksLikePhone, { message: 'invalid_phone' }));

const preferredWindowSchema = z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });

/** Body of `POST /v1/practices/:slug/callbacks`. Unknown fields are rejected. */
export const callbackRequestSchema = z
  .strictObject({
    name: personName,
    phone,
    email: z.optional(z.union([z.literal(''), z.email().check(z.maxLength(254))])),
    reason: text(1000),
    urgency: z.enum(URGENCIES),
    preferredWindow: z.optional(preferredWindowSchema),
    confirmBy: z.enum(CONFIRM_CHANNELS),
    consent: z.literal(true),
    lang: z.enum(LANGS),
    /** Honeypot: hidden from people, filled in by bots. */
    website: z.optional(z.string().check(z.maxLength(500))),
    formToken: z.optional(z.string().check(z.maxLength(500))),
  })
  .check(
    // `when`: report a missing email even if other fields failed too, so the patient sees every problem at once.
    z.refine((v) => v.confirmBy !== 'email' || !!v.email, {
      path: ['email'],
      message: 'email_required',
      when: ({ value }) => typeof value === 'object' && value !== null && (value as { confirmBy?: unknown }).confirmBy === 'email',
    }),
    z.refine((v) => !v.preferredWindow || Date.parse(v.preferredWindow.from) < Date.parse(v.preferredWindow.to), {
      path: ['preferredWindow'],
      message: 'invalid',
    }),
  );
export type CallbackRequest = z.infer<typeof callbackRequestSchema>;

/** Answer of `POST /v1/practices/:slug/callbacks`. */
export interface CallbackCreated {
  ref: string;
  status: 'queued';
  dueAt: string;
  redFlag: boolean;
  confirmBy: ConfirmBy;
  /** True when the request was merged into one already waiting from the same phone. */
  duplicate?: boolean;
}

/** Answer of `GET /v1/practices/:slug/widget`. */
export interface WidgetConfig {
  practice: { slug: string; name: string; phone: string; timezone: string; privacyUrl?: string };
  hours: Hours;
  instructions: Partial<Record<Lang, string>>;
  /** The confirmations the practice can send; the widget adds "none". */
  channels: Exclude<ConfirmBy, 'none'>[];
  status: { open: boolean; nextChange: string | null };
  formToken: string;
}

/** The one error shape of the API. */
export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, FieldErrorCode> };
}

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
