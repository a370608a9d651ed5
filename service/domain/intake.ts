/**
 * Taking a callback request, read top to bottom as a request travels: validate → bot check → rate
 * limits → idempotency → merge into the same person's open request or create one → confirmation
 * channel under the SMS and email caps → outbox, the last three in one commit with the idempotent answer.
 */
import type { Deps } from '../context.js';
import type { Practice, Callback } from '../store/store.js';
import { callbackRequestSchema, fieldErrors, type CallbackCreated, type CallbackRequest, type ConfirmBy, type Urgency } from '../../shared/schemas.js';
import { ApiProblem, invalid } from '../errors.js';
import { parsePhone, formatPhoneNational, type ParsedPhone } from '../../shared/phone.js';
import { triage } from '../../shared/triage.js';
import { isOpen, nextOpening, zonedDateTime } from '../../shared/hours.js';
import { newRef } from './ref.js';
import { cancelUrl } from './links.js';
import { checkFormToken } from './form-token.js';
import { createRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { rateLimitKey } from './rate-limit.js';
import { abandonIdempotent, beginIdempotent, bodyFingerprint, finishIdempotent, readIdempotencyKey } from './idempotency.js';
import { confirmationChannel, EMAIL_CAP, SMS_CAPS, type ConfirmationRefusal, type EmailCap, type SmsCaps } from './confirmation-caps.js';
import { confirmationEmail, confirmationSms, type ConfirmationFacts } from '../notify/templates.js';

export interface IntakeLimits {
  /** Requests per client address (IPv6: per /64), across practices. */
  perIp: RateLimitOptions;
  /** Requests per phone number, across practices. */
  perPhone: RateLimitOptions;
  sms: SmsCaps;
  /** Confirmation emails to one address, across practices: the form must not relay mail to whoever an attacker names. */
  email: EmailCap;
}

export const INTAKE_LIMITS: IntakeLimits = {
  // Generous enough for a family or a clinic behind one address, tight enough to stop a script.
  perIp: { limit: 20, windowMs: 10 * 60_000 },
  perPhone: { limit: 5, windowMs: 60 * 60_000 },
  sms: SMS_CAPS,
  email: EMAIL_CAP,
};

/** A merged reason stops growing here; the count still goes up, the operator calls anyway. */
const MAX_MERGED_REASON = 10_000;

export interface IntakeRequest {
  practice: Practice;
  /** The JSON object the client sent, not yet validated. */
  body: Record<string, unknown>;
  /** The client address from `clientIp()`. */
  ip: string;
  /** The raw `Idempotency-Key` header, if any. */
  idempotencyKey: string | undefined;
}

export interface IntakeAnswer {
  status: number;
  body: CallbackCreated;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/** The intake of one app: its rate limiters live as long as the app does. */
export function createIntake(deps: Deps, limits: IntakeLimits = INTAKE_LIMITS) {
  const perIp = createRateLimiter(limits.perIp);
  const perPhone = createRateLimiter(limits.perPhone);

  return function takeCallback(request: IntakeRequest): IntakeAnswer {
    const { practice } = request;
    const now = deps.now();

    // 1. Validate: the header, the shape (shared schema), then what only the service can check.
    const key = readIdempotencyKey(request.idempotencyKey);
    const input = validate(request.body);
    const phone = checkPhone(input);
    const redFlag = triage(input.reason).redFlag;

    // 2. A bot is answered as a person would be, so it learns nothing; nothing is stored or sent. An emergency
    // whose only bot sign is its speed (a browser's autofill does that) is queued anyway, marked suspect.
    const sign = botSign(deps, practice, input, now);
    const suspect = sign === 'fast' && redFlag;
    if (sign && !suspect) {
      deps.log.info('callback_decoy', { practice: practice.slug });
      return { status: 201, body: decoyAnswer(practice, input, redFlag, now), replayed: false };
    }

    // 3. Rate limits, before anything is written.
    enforce(perIp, rateLimitKey(request.ip), now);
    enforce(perPhone, phone.e164, now);

    // 4. A retried request gets its first answer again.
    if (key) {
      const start = beginIdempotent(deps.store, practice.slug, key, bodyFingerprint(request.body), now);
      if (start.replay) return { status: start.status, body: start.body as CallbackCreated, replayed: true };
    }

    // 5–7. One commit: the request (new or merged), its confirmation in the outbox, the answer to replay.
    let taken: { callback: Callback; body: CallbackCreated; duplicate: boolean; refused: ConfirmationRefusal };
    try {
      taken = deps.store.transaction(() => {
        const open = findSamePersonOpen(deps, practice, phone, input.name);
        // A merge confirms only to the contacts already on file: whoever knows a patient's phone and name
        // must not get that request's reference and cancel link sent to an address of their choosing.
        const email = open ? open.email : input.email ? input.email.toLowerCase() : null;
        // A suspect request may come from a script: nothing is sent to a number or address it chose; the operator calls.
        const { channel, ...refused } = suspect
          ? { channel: 'none' as const }
          : confirmationChannel(deps.store, practice, input.confirmBy, phone, email, now, limits.sms, limits.email);
        const callback = open
          ? mergeCallback(deps, practice, open, input, { redFlag, suspect }, now)
          : insertCallback(deps, practice, input, phone, email, { redFlag, suspect }, channel, now);
        queueConfirmation(deps, practice, callback, channel, now, !!open);
        const body: CallbackCreated = {
          ref: callback.ref,
          status: 'queued',
          dueAt: callback.dueAt,
          redFlag: callback.redFlag,
          confirmBy: channel,
          ...(open ? { duplicate: true } : {}),
        };
        if (key) finishIdempotent(deps.store, practice.slug, key, 201, body);
        return { callback, body, duplicate: !!open, refused };
      });
    } catch (err) {
      if (key) abandonIdempotent(deps.store, practice.slug, key);
      throw err;
    }

    // After the commit: the log (identifiers only), the consoles, delivery.
    const { callback, body, duplicate, refused } = taken;
    if (suspect) deps.log.warn('callback_suspect', { ref: callback.ref, practice: practice.slug, sign: 'fill_time' });
    deps.log.info(duplicate ? 'callback_merged' : 'callback_created', {
      ref: callback.ref,
      practice: practice.slug,
      urgency: callback.urgency,
      redFlag: callback.redFlag,
      confirmBy: body.confirmBy,
      ...(duplicate ? { mergedCount: callback.mergedCount } : {}),
      ...refused,
    });
    deps.events.publish({ type: duplicate ? 'callback.updated' : 'callback.created', practice: practice.slug, ref: callback.ref });
    if (body.confirmBy !== 'none') deps.wakeOutbox();
    return { status: 201, body, replayed: false };
  };
}

// Steps -----------------------------------------------------------------------------------------

function validate(body: Record<string, unknown>): CallbackRequest {
  const parsed = callbackRequestSchema.safeParse(body);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues, body));
  return parsed.data;
}

/** The real number check (libphonenumber-js): stored in E.164; an SMS confirmation needs a mobile. */
function checkPhone(input: CallbackRequest): ParsedPhone {
  const phone = parsePhone(input.phone);
  if (!phone) throw invalid({ phone: 'invalid_phone' });
  if (input.confirmBy === 'sms' && !phone.mobile) throw invalid({ phone: 'not_mobile' });
  return phone;
}

/**
 * What gives a bot away, if anything: the honeypot filled, a forged form token, or a genuine one sent
 * back faster than a person types (`fast`, the one sign a person's autofill can also give).
 */
function botSign(deps: Deps, practice: Practice, input: CallbackRequest, now: Date): 'honeypot' | 'forged' | 'fast' | null {
  if (input.website) return 'honeypot';
  if (input.formToken === undefined) return null;
  const verdict = checkFormToken(deps.sealer, input.formToken, practice.slug, now);
  return verdict === 'bot' ? 'forged' : verdict === 'fast' ? 'fast' : null;
}

function enforce(limiter: RateLimiter, key: string, now: Date): void {
  const verdict = limiter.hit(key, now);
  if (!verdict.ok) {
    throw new ApiProblem(429, 'rate_limited', 'Too many requests; please wait a little or call the practice', undefined, {
      'Retry-After': String(verdict.retryAfterS),
    });
  }
}

/** When a request made now will be called back: now while open, else at the next opening. */
function dueAtFor(practice: Practice, now: Date): Date {
  if (isOpen(practice.hours, now)) return now;
  return nextOpening(practice.hours, now) ?? now;
}

/**
 * A plausible answer for a bot: it looks like success so the bot learns nothing. The red flag is
 * real, so a person taken for a bot (a very fast autofill) still sees the emergency numbers.
 */
function decoyAnswer(practice: Practice, input: CallbackRequest, redFlag: boolean, now: Date): CallbackCreated {
  return { ref: newRef(), status: 'queued', dueAt: dueAtFor(practice, now).toISOString(), redFlag, confirmBy: input.confirmBy };
}

function insertCallback(
  deps: Deps,
  practice: Practice,
  input: CallbackRequest,
  phone: ParsedPhone,
  email: string | null,
  flags: { redFlag: boolean; suspect: boolean },
  channel: ConfirmBy,
  now: Date,
): Callback {
  return deps.store.insertCallback({
    ref: newRef(),
    practice: practice.slug,
    name: input.name,
    phone: phone.e164,
    email,
    reason: input.reason,
    urgency: flags.redFlag ? 'urgent' : input.urgency,
    redFlag: flags.redFlag,
    suspect: flags.suspect,
    preferredWindow: input.preferredWindow ?? null,
    confirmBy: channel,
    lang: input.lang,
    dueAt: dueAtFor(practice, now).toISOString(),
    createdAt: now.toISOString(),
  });
}

/** A name as people retype it: case, accents and spacing do not make another person. */
const sameName = (a: string, b: string) => {
  const plain = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  return plain(a) === plain(b);
};

/**
 * The open request this one repeats: same phone and same name. A family sharing one phone is normal,
 * so another name is another request, and nothing of the first one is shown or sent to its author.
 */
function findSamePersonOpen(deps: Deps, practice: Practice, phone: ParsedPhone, name: string): Callback | undefined {
  const open = deps.store.findOpenCallbackByPhone(practice.slug, phone.e164);
  return open && sameName(open.name, name) ? open : undefined;
}

const URGENCY_RANK: Record<Urgency, number> = { routine: 0, soon: 1, urgent: 2 };

/** The line between two merged reasons: ` --- 2026-11-26 11:39 Europe/Paris --- `, in the practice's time, its zone named for operators elsewhere. */
const MERGE_SEPARATOR = /\n\n--- [^\n]* ---\n/;
const sameReason = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The reason after a repeat: the new text under a line stamped in the practice's time, unless the
 * request already says exactly that (a patient sending the same form twice adds nothing to read).
 */
export function mergedReason(current: string, added: string, at: Date, timeZone: string): string {
  if (current.split(MERGE_SEPARATOR).some((part) => sameReason(part, added))) return current;
  const appended = `${current}\n\n--- ${zonedDateTime(at, timeZone).replace('T', ' ')} ${timeZone} ---\n${added}`;
  return appended.length > MAX_MERGED_REASON ? current : appended;
}

/**
 * A second request from the same person while one is open: one call answers both, so it is folded
 * in (reason appended, higher urgency and red flag kept, a red flag making it urgent) and recorded as
 * not billable. The email on file is kept as it is: a repeat never brings in a new address.
 */
function mergeCallback(deps: Deps, practice: Practice, open: Callback, input: CallbackRequest, flags: { redFlag: boolean; suspect: boolean }, now: Date): Callback {
  const { redFlag, suspect } = flags;
  const asked = redFlag || open.redFlag ? 'urgent' : input.urgency;
  const merged = deps.store.mergeIntoCallback(open.id, {
    reason: mergedReason(open.reason, input.reason, now, practice.timezone),
    urgency: URGENCY_RANK[asked] > URGENCY_RANK[open.urgency] ? asked : open.urgency,
    redFlag,
    suspect,
    now: now.toISOString(),
  });
  deps.store.audit({ at: now.toISOString(), action: 'callback.merged', practice: open.practice, target: open.ref, details: { mergedCount: merged.mergedCount, billable: false } });
  return merged;
}

// Confirmation ---------------------------------------------------------------------------------

function confirmationFacts(deps: Deps, practice: Practice, callback: Callback, now: Date, duplicate = false): ConfirmationFacts {
  return {
    lang: callback.lang,
    ref: callback.ref,
    name: callback.name,
    phone: formatPhoneNational(callback.phone),
    practice: { name: practice.name, phone: practice.phone, timezone: practice.timezone },
    dueAt: new Date(callback.dueAt),
    now,
    cancelUrl: cancelUrl(deps.config.publicUrl, deps.sealer, callback.ref),
    duplicate,
  };
}

/**
 * Queues the confirmation on `channel`; runs inside the caller's transaction. It goes to the contacts
 * stored on the request, which for a merge are those of the first request, never this one's.
 */
function queueConfirmation(deps: Deps, practice: Practice, callback: Callback, channel: ConfirmBy, now: Date, duplicate: boolean): void {
  if (channel === 'none') return;
  const facts = confirmationFacts(deps, practice, callback, now, duplicate);
  const common = { purpose: duplicate ? 'confirmation_duplicate' : 'confirmation', callbackId: callback.id, practice: practice.slug };
  deps.store.enqueue(
    channel === 'email'
      ? { channel, recipient: callback.email!, payload: confirmationEmail(facts), ...common }
      : { channel, recipient: callback.phone, payload: confirmationSms(facts), ...common },
    now.toISOString(),
  );
}
