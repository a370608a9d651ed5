/**
 * The shapes both sides agree on: what the widget sends, what the service answers.
 * Written with `zod/mini` so the widget can validate as the patient types without
 * shipping all of zod; the service validates the same schemas at its edge.
 */
import * as z from 'zod/mini';
import type { Hours } from './hours.js';
import type { HoursErrorCode } from './messages/hours.js';

import { CONFIRM_CHANNELS, URGENCIES, type ConfirmBy } from './callback.js';
export type { ConfirmBy, Urgency } from './callback.js';

/** A code per field problem; the widget turns each into a sentence in the patient's language. */
export type FieldErrorCode =
  | 'required'
  | 'too_long'
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
/** Loose on purpose: the service parses the number for real (libphonenumber-js); the widget only catches typos early. */
const phone = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(30),
  z.refine((v) => /^\+?[\d\s.\-()]+$/.test(v) && v.replace(/\D/g, '').length >= 6, { message: 'invalid_phone' }),
);

export const preferredWindowSchema = z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });

/** Body of `POST /v1/practices/:slug/callbacks`. Unknown fields are rejected. */
export const callbackRequestSchema = z
  .strictObject({
    name: text(100),
    phone,
    email: z.optional(z.union([z.literal(''), z.email().check(z.maxLength(254))])),
    reason: text(1000),
    urgency: z.enum(URGENCIES),
    preferredWindow: z.optional(preferredWindowSchema),
    confirmBy: z.enum(CONFIRM_CHANNELS),
    consent: z.literal(true),
    lang: z.enum(['fr', 'en']),
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
  instructions: { fr?: string; en?: string };
  channels: ('sms' | 'email')[];
  status: { open: boolean; nextChange: string | null };
  formToken: string;
}

/** The one error shape of the API. */
export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, FieldErrorCode> };
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  input?: unknown;
}

/** Turns zod issues into `{field: code}`, the first problem of each field winning. */
export function fieldErrors(issues: readonly Issue[]): Record<string, FieldErrorCode> {
  const fields: Record<string, FieldErrorCode> = {};
  const put = (field: string, code: FieldErrorCode) => {
    fields[field] ??= code;
  };
  for (const issue of issues) {
    const field = issue.path.length ? String(issue.path[0]) : '';
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys ?? []) put(key, 'unknown_field');
        break;
      case 'custom':
        put(field, issue.message as FieldErrorCode);
        break;
      case 'too_big':
        put(field, 'too_long');
        break;
      case 'too_small':
        put(field, 'required');
        break;
      case 'invalid_type':
        put(field, issue.input === undefined ? (field === 'consent' ? 'consent_required' : 'required') : 'invalid');
        break;
      case 'invalid_value':
        put(field, field === 'consent' ? 'consent_required' : 'invalid');
        break;
      case 'invalid_format':
      case 'invalid_union':
        put(field, field === 'email' ? 'invalid_email' : 'invalid');
        break;
      default:
        put(field, 'invalid');
    }
  }
  return fields;
}
