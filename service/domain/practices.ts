/**
 * The practice record of SPEC, validated and saved the same way wherever it comes from: the admin API
 * or `practice import`. A save is one transaction with its operators' assignments and its audit entry.
 */
import * as z from 'zod/mini';
import { ApiProblem, invalid, notFound } from '../errors.js';
import { fieldErrors, type FieldErrorCode } from '../../shared/schemas.js';
import { hoursSchema, validateHours, validTimeZone } from '../../shared/hours-schema.js';
import { looksLikePhone, PHONE_CHARS } from '../../shared/phone-hint.js';
import { formatPhoneNational, parsePhone } from '../../shared/phone.js';
import type { AfterHours } from '../../shared/schemas.js';
import { transaction, type OperatorInstructions, type Practice, type Queries } from '../store/store.js';
import { INSTRUCTIONS_TEMPLATE } from '../../shared/instructions-template.js';
import { refusedLinkLines } from '../../shared/markdown.js';
import { multiLineText, singleLineText } from '../../shared/text.js';
import type { Messaging } from '../../shared/on-call.js';
import { messagingErrors, messagingFields, messagingRecordFields, tidyMessaging } from './contacts.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** Instructions are a Markdown subset rendered as text by the widget; a tag here is a mistake or an attack. */
const RAW_HTML = /<\s*[a-z!/?]/i;

/** Exactly an origin (`https://host[:port]`): CORS compares it byte for byte with the browser's `Origin`. */
const isOrigin = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
};
/** `https://x.fr/`, as an address bar copies it, is the origin `https://x.fr`: one trailing slash is dropped, nothing else. */
const withoutTrailingSlash = (value: string) => (value.endsWith('/') && isOrigin(value.slice(0, -1)) ? value.slice(0, -1) : value);
/** An origin, or `invalid_origin` (a path, a query, another scheme…): the console says an origin is scheme://host[:port], nothing more. */
const origin = z.pipe(z.string().check(z.maxLength(300)), z.transform(withoutTrailingSlash)).check(z.refine(isOrigin, 'invalid_origin'));
const isWebUrl = (value: string) => {
  try {
    return ['https:', 'http:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** A link the widget would draw as plain text (a destination that does not decode, or is not http(s), mailto or tel) is refused here, by line. */
const markdownText = (max: number) =>
  multiLineText(max, 0).check(
    z.refine((v) => !RAW_HTML.test(v), 'invalid'),
    z.refine((v) => refusedLinkLines(v).length === 0, 'invalid_link'),
  );
const markdown = markdownText(5000);

/**
 * French service numbers a patient dials as they are, which no numbering plan lists as a subscriber's: 15, 112, 114,
 * 116 117 (the out-of-hours GP line), 3966 (its older regional twin), 3114.
 */
const SHORT_NUMBER = /^(?:1[1-9]|11\d|116\d{3}|3\d{3})$/;
const isShortNumber = (value: string) => PHONE_CHARS.test(value) && SHORT_NUMBER.test(value.replace(/\D/g, ''));
/** The after-hours number: a real one (shared/phone.ts), saved the way French patients read it, or a service number as typed. */
const afterHoursPhone = z.pipe(
  singleLineText(30, 0).check(z.refine((v) => v === '' || isShortNumber(v) || !!parsePhone(v), 'invalid_phone')),
  z.transform((v) => {
    const parsed = isShortNumber(v) ? null : parsePhone(v);
    return parsed ? formatPhoneNational(parsed.e164) : v;
  }),
);
/** What the widget shows while the practice is closed; short, as it sits in the form. */
const afterHoursSchema = z.strictObject({
  phone: z.optional(afterHoursPhone),
  text: z.optional(z.strictObject({ fr: z.optional(markdownText(1000)), en: z.optional(markdownText(1000)) })),
});
const INSTRUCTIONS_LANGUAGE = { fr: 'French', en: 'English' } as const;

/** "Line 3 of the French instructions has a link that cannot be opened", for each language that has one; empty when none. */
function refusedLinksMessage(instructions: unknown, what = 'instructions'): string {
  if (typeof instructions !== 'object' || instructions === null) return '';
  return Object.entries(INSTRUCTIONS_LANGUAGE)
    .flatMap(([lang, language]) => {
      const source = (instructions as Record<string, unknown>)[lang];
      const lines = typeof source === 'string' ? refusedLinkLines(source) : [];
      if (!lines.length) return [];
      const where = lines.length === 1 ? `Line ${lines[0]}` : `Lines ${lines.slice(0, -1).join(', ')} and ${lines.at(-1)}`;
      return [`${where} of the ${language} ${what} ${lines.length === 1 ? 'has a link' : 'have links'} that cannot be opened: write it as a full https://, mailto: or tel: address.`];
    })
    .join(' ');
}

export const practiceSchema = z.strictObject({
  slug: z.string().check(z.refine((v) => SLUG.test(v), 'invalid')),
  name: singleLineText(200),
  phone: singleLineText(30).check(z.refine(looksLikePhone, 'invalid')),
  timezone: z.string().check(z.maxLength(64), z.refine(validTimeZone, 'invalid')),
  /** Checked by `validateHours`, whose errors name the exact place (`hours.weekly.mon.1`). */
  hours: z.unknown(),
  /** Absent: a new practice starts from the answering service's template, an edited one keeps its own. */
  instructions: z.optional(z.strictObject({ fr: z.optional(markdown), en: z.optional(markdown) })),
  allowedOrigins: z.array(origin).check(z.maxLength(20)),
  notifyEmail: z.optional(z.union([z.literal(''), z.email().check(z.maxLength(254))])),
  sms: z.boolean(),
  retentionDays: z.int().check(z.gte(1), z.lte(3650)),
  privacyUrl: z.optional(singleLineText(500, 0).check(z.refine((v) => v === '' || isWebUrl(v), 'invalid'))),
  smsCountries: z.optional(z.array(z.string().check(z.refine((v) => /^[A-Z]{2}$/.test(v), 'invalid'))).check(z.maxLength(50))),
  /** Emails of the operator accounts assigned to this practice; absent leaves assignments as they are. */
  operators: z.optional(z.array(z.string().check(z.maxLength(254))).check(z.maxLength(200))),
  /** The consignes for operators, same Markdown as `instructions`; absent keeps the practice's own, blank languages are dropped. */
  operatorInstructions: z.optional(z.strictObject({ fr: z.optional(markdown), en: z.optional(markdown) })),
  /** The number and text patients see while the practice is closed; absent keeps the practice's own, blank parts are dropped. */
  afterHours: z.optional(afterHoursSchema),
  ...messagingFields,
});

/** A practice as the API answers it: the record as saved, instructions filled in; admins also get the emails of its `operators`. */
export const practiceRecordSchema = z.object({
  slug: z.string(),
  name: z.string(),
  phone: z.string(),
  timezone: z.string(),
  hours: hoursSchema,
  instructions: z.object({ fr: z.optional(z.string()), en: z.optional(z.string()) }),
  allowedOrigins: z.array(z.string()),
  notifyEmail: z.optional(z.string()),
  sms: z.boolean(),
  retentionDays: z.int(),
  privacyUrl: z.optional(z.string()),
  smsCountries: z.optional(z.array(z.string())),
  operators: z.optional(z.array(z.string())),
  /** For the accounts of the answering service and the practice only: never in a public answer (widget, cancel page, messages sent). */
  operatorInstructions: z.optional(z.object({ fr: z.optional(z.string()), en: z.optional(z.string()) })),
  afterHours: z.optional(z.object({ phone: z.optional(z.string()), text: z.optional(z.object({ fr: z.optional(z.string()), en: z.optional(z.string()) })) })),
  ...messagingRecordFields,
});
export type PracticeRecord = z.infer<typeof practiceRecordSchema>;

/** Validates a practice body; `slug` may be left out of a PUT, where the path names it. */
export async function parsePractice(store: Queries, body: Record<string, unknown>, slug?: string): Promise<{ practice: Practice; operators?: string[] }> {
  const candidate = slug && body.slug === undefined ? { ...body, slug } : body;
  const parsed = practiceSchema.safeParse(candidate);
  const issues = parsed.success ? [] : parsed.error.issues;
  // Instructions' problems are named by language (`instructions.fr`, `operatorInstructions.en`), the field the admin typed them in.
  const byLanguage = (issue: (typeof issues)[number]) => issue.path[0] === 'instructions' || issue.path[0] === 'operatorInstructions';
  // The after-hours guidance's problems are named to their field too: `afterHours.phone`, `afterHours.text.fr`.
  const afterHoursIssue = (issue: (typeof issues)[number]) => issue.path[0] === 'afterHours';
  // A contact's or a slot's problem is named down to its field (`contacts.1.phone`, `onCall.slots.2.to`).
  const messagingIssue = (issue: (typeof issues)[number]) => ['contacts', 'onCall', 'escalation'].includes(String(issue.path[0]));
  const fields: Record<string, string> = Object.assign(
    Object.create(null),
    fieldErrors(issues.filter((issue) => !byLanguage(issue) && !afterHoursIssue(issue) && !messagingIssue(issue)), candidate),
    fieldErrors(issues.filter(byLanguage), candidate, 2),
    fieldErrors(issues.filter(afterHoursIssue), candidate, 3),
    fieldErrors(issues.filter(messagingIssue), candidate, 4),
  );
  if (slug && body.slug !== undefined && body.slug !== slug) fields.slug ??= 'invalid';
  const hours = validateHours(body.hours);
  if (!hours.ok) for (const [path, code] of Object.entries(hours.fields)) fields[path ? `hours.${path}` : 'hours'] ??= code;
  if (hours.ok && parsed.success && hours.hours.timezone !== parsed.data.timezone) fields.timezone ??= 'invalid';
  // An absent messaging field keeps the practice's own (a client that does not know it never wipes it).
  const current = slug ? await store.getPractice(slug) : undefined;
  const messaging = parsed.success ? tidyMessaging({ ...pickMessaging(current), ...pickMessaging(parsed.data) }) : {};
  if (parsed.success) for (const [path, code] of Object.entries(messagingErrors(messaging))) fields[path] ??= code;
  let operators: string[] | undefined;
  if (parsed.success && parsed.data.operators) {
    const found = await Promise.all(parsed.data.operators.map((email) => store.findUserByEmail(email)));
    operators = [...new Set(found.filter((u) => !!u && u.role === 'operator').map((u) => u!.email))];
    if (operators.length !== new Set(parsed.data.operators.map((e) => e.toLowerCase())).size) fields.operators ??= 'invalid';
  }
  // Hours codes (`overlap`, `invalid_time`…) extend the field codes; the console reads both the same way.
  if (Object.keys(fields).length || !parsed.success || !hours.ok) {
    const links = [
      refusedLinksMessage(body.instructions),
      refusedLinksMessage(body.operatorInstructions, 'operator instructions'),
      refusedLinksMessage((body.afterHours as { text?: unknown } | undefined)?.text, 'after-hours text'),
    ]
      .filter(Boolean)
      .join(' ');
    throw invalid(fields as Record<string, FieldErrorCode>, links || undefined);
  }
  const { operators: _operators, notifyEmail, privacyUrl, instructions, operatorInstructions: consignes, afterHours: guidance, contacts: _c, onCall: _o, escalation: _e, urgentAckMinutes: _u, digestAt: _d, ...rest } = parsed.data;
  const operatorInstructions = consignes ? withoutBlank(consignes) : current?.operatorInstructions;
  const afterHours = guidance ? withoutBlankGuidance(guidance) : current?.afterHours;
  const practice: Practice = {
    ...rest,
    instructions: instructions ?? current?.instructions ?? INSTRUCTIONS_TEMPLATE,
    hours: hours.hours,
    ...(notifyEmail ? { notifyEmail: notifyEmail.toLowerCase() } : {}),
    ...(privacyUrl ? { privacyUrl } : {}),
    ...(operatorInstructions && Object.keys(operatorInstructions).length ? { operatorInstructions } : {}),
    ...(afterHours && Object.keys(afterHours).length ? { afterHours } : {}),
    ...messaging,
  };
  return { practice, operators };
}

/** The guidance without its blank parts (no number, a language without text); nothing left means the widget's default. */
function withoutBlankGuidance({ phone, text }: AfterHours): AfterHours {
  const texts = text ? withoutBlank(text) : {};
  return { ...(phone ? { phone } : {}), ...(Object.keys(texts).length ? { text: texts } : {}) };
}

/** The messaging fields a record or a body has, and only those present. */
function pickMessaging(from: Messaging | undefined): Messaging {
  if (!from) return {};
  const { contacts, onCall, escalation, urgentAckMinutes, digestAt } = from;
  return Object.fromEntries(Object.entries({ contacts, onCall, escalation, urgentAckMinutes, digestAt }).filter(([, v]) => v !== undefined));
}

/** The languages that say something: a blank one is no consigne, and the console falls back to the other language. */
function withoutBlank(consignes: OperatorInstructions): OperatorInstructions {
  return Object.fromEntries(Object.entries(consignes).filter(([, text]) => typeof text === 'string' && text.trim() !== ''));
}

/** How a save treats an existing practice: the API's POST refuses one, its PUT needs one, `practice import` takes either. */
export type PracticeSaveMode = 'create' | 'update' | 'upsert';

export interface PracticeSave {
  practice: Practice;
  /** Emails of the operators to hold exactly this practice; undefined leaves assignments as they are. */
  operators?: string[] | undefined;
  mode: PracticeSaveMode;
  actor: string;
  now: string;
}

/** Saves a validated practice with its operators and its audit entry (what changed, never the values); answers the record with its operators. */
export const savePractice = transaction('practice.save', async (tx, save: PracticeSave): Promise<PracticeRecord> => {
  const { practice, mode, actor, now } = save;
  const before = await tx.getPractice(practice.slug);
  if (before && mode === 'create') throw new ApiProblem(409, 'exists', 'A practice with this slug already exists', { slug: 'invalid' });
  if (!before && mode === 'update') throw notFound('No such practice');
  const previousOperators = await operatorsOf(tx, practice.slug);
  await tx.savePractice(practice, now);
  if (save.operators) await assignOperators(tx, practice.slug, save.operators);
  const operators = await operatorsOf(tx, practice.slug);
  if (before) {
    const changed = changedKeys(before, practice);
    if (JSON.stringify(previousOperators) !== JSON.stringify(operators)) changed.push('operators');
    await tx.audit({ at: now, actor, action: 'practice_updated', practice: practice.slug, target: practice.slug, details: { changed } });
  } else {
    await tx.audit({ at: now, actor, action: 'practice_created', practice: practice.slug, target: practice.slug });
  }
  return { ...practice, operators };
});

/** The emails of the operators who hold `slug`. */
export async function operatorsOf(store: Queries, slug: string): Promise<string[]> {
  return (await store.listUsers()).filter((u) => u.role === 'operator' && u.practices.includes(slug)).map((u) => u.email);
}

/** Gives the practice to exactly these operators (and takes it from the other operators). */
async function assignOperators(tx: Queries, slug: string, emails: string[]): Promise<void> {
  const chosen = new Set(emails);
  for (const user of await tx.listUsers()) {
    if (user.role !== 'operator') continue;
    const has = user.practices.includes(slug);
    if (chosen.has(user.email) && !has) await tx.updateUser(user.email, { practices: [...user.practices, slug] });
    if (!chosen.has(user.email) && has) await tx.updateUser(user.email, { practices: user.practices.filter((p) => p !== slug) });
  }
}

/** Top-level keys whose value changed: what the audit log records of an edit (never the values). */
function changedKeys(before: Practice, after: Practice): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k as keyof Practice]) !== JSON.stringify(after[k as keyof Practice])).sort();
}
