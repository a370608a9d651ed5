/**
 * The shapes both sides agree on: what the widget sends, what the service answers.
 * The service validates requests with these `zod/mini` schemas at its edge; the widget
 * imports only the types and mirrors the rules in widget/validate.ts (zod would take a
 * third of its size budget), held to the same verdicts by test/widget/validate.node.test.ts.
 */
import * as z from 'zod/mini';
import { hoursSchema } from './hours-schema.js';
import { looksLikePhone } from './phone-hint.js';
import { tidyName } from './names.js';
import { multiLineText, singleLineText } from './text.js';
import type { FieldErrorCode } from './field-errors.js';
import { CONFIRM_CHANNELS, URGENCIES } from './callback.js';
import { LANGS } from './i18n.js';
export type { ConfirmBy, Urgency } from './callback.js';
export { fieldErrors, issueCode, type FieldErrorCode, type Issue } from './field-errors.js';

/** A person's name, tidied the one way names are (shared/names.ts) before it is checked. */
const personName = singleLineText(100, 1, tidyName);
/** Loose on purpose: the service parses the number for real (libphonenumber-js); the widget only catches typos early. */
const phone = singleLineText(30).check(z.refine(looksLikePhone, { message: 'invalid_phone' }));

const preferredWindowSchema = z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });

/** Body of `POST /v1/practices/:slug/callbacks`. Unknown fields are rejected. */
export const callbackRequestSchema = z
  .strictObject({
    name: personName,
    phone,
    email: z.optional(z.union([z.literal(''), z.email().check(z.maxLength(254))])),
    reason: multiLineText(1000),
    urgency: z.enum(URGENCIES),
    preferredWindow: z.optional(preferredWindowSchema),
    confirmBy: z.enum(CONFIRM_CHANNELS),
    consent: z.literal(true),
    lang: z.enum(LANGS),
    /** Honeypot: hidden from people, filled in by bots; any value at all gives one away, so its text is not checked (a 400 would point at it). */
    website: z.optional(z.string().check(z.maxLength(500))),
    /** Checked by its signature (service/domain/form-token.ts), never stored: a broken one is a forged one. */
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

/** An instant as the API writes it: ISO 8601 (`toISOString()`, or a patient's window with its offset). */
export const instantSchema = z.iso.datetime({ offset: true });

/** Answer of `POST /v1/practices/:slug/callbacks`. */
export const callbackCreatedSchema = z.object({
  ref: z.string(),
  status: z.literal('queued'),
  dueAt: instantSchema,
  redFlag: z.boolean(),
  confirmBy: z.enum(CONFIRM_CHANNELS),
  /** True when the request was merged into one already waiting from the same phone. */
  duplicate: z.optional(z.literal(true)),
  /** The window the patient chose, when `dueAt` falls in it (its start, or later when that was past or closed): the receipt says it in words. */
  preferredWindow: z.optional(z.object({ from: instantSchema, to: instantSchema })),
});
export type CallbackCreated = z.infer<typeof callbackCreatedSchema>;

/** Instructions in each language the practice wrote them in (a small Markdown subset). */
const instructionsSchema = z.object({ fr: z.optional(z.string()), en: z.optional(z.string()) });

/**
 * What the practice tells patients while it is closed: a number (the on-call doctor, 116 117) and a text in each
 * language, the same safe Markdown as the instructions. The widget shows it in place of the "today" and "urgent" choices.
 */
export const afterHoursSchema = z.object({ phone: z.optional(z.string()), text: z.optional(instructionsSchema) });
export type AfterHours = z.infer<typeof afterHoursSchema>;

/** Answer of `GET /v1/practices/:slug/widget`. */
export const widgetConfigSchema = z.object({
  practice: z.object({ slug: z.string(), name: z.string(), phone: z.string(), timezone: z.string(), privacyUrl: z.optional(z.string()) }),
  hours: hoursSchema,
  instructions: instructionsSchema,
  /** The confirmations the practice can send; the widget adds "none". */
  channels: z.array(z.enum(['sms', 'email'])),
  status: z.object({ open: z.boolean(), nextChange: z.nullable(instantSchema) }),
  formToken: z.string(),
  /** Absent when the practice gave none: the widget then points to 116 117 and the 15. */
  afterHours: z.optional(afterHoursSchema),
});
export type WidgetConfig = z.infer<typeof widgetConfigSchema>;

/** The one error shape of the API. */
export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, FieldErrorCode> };
}

/** `ApiError` for the OpenAPI document and the tests; the codes stay open-ended there, as new ones are added. */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.optional(z.record(z.string(), z.string())) }),
});
