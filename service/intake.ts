/**
 * Taking a callback request, read top to bottom as a request travels: validate → bot check → rate
 * limits → idempotency → merge into an open request or create one → confirmation channel under the
 * SMS caps → outbox, the last three in one commit with the idempotent answer.
 */
import type { Deps } from './app.js';
import type { Practice, Callback } from './store/store.js';
import { callbackRequestSchema, fieldErrors, type CallbackCreated, type CallbackRequest, type ConfirmBy, type Urgency } from '../shared/schemas.js';
import { ApiProblem, invalid } from './errors.js';
import { parsePhone, formatPhoneNational, type ParsedPhone } from '../shared/phone.js';
import { triage } from '../shared/triage.js';
import { isOpen, nextOpening } from '../shared/hours.js';
import { newRef } from './ref.js';
import { cancelUrl } from './links.js';
import { checkFormToken } from './form-token.js';
import { createRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { rateLimitKey } from './client-ip.js';
import { abandonIdempotent, beginIdempotent, bodyFingerprint, finishIdempotent, readIdempotencyKey } from './idempotency.js';
import { confirmationChannel, SMS_CAPS, type SmsCaps, type SmsRefusal } from './sms-guard.js';
import { confirmationEmail, confirmationSms, type ConfirmationFacts } from './notify/templates.js';

export interface IntakeLimits {
  /** Requests per client address (IPv6: per /64), across practices. */
  perIp: RateLimitOptions;
  /** Requests per phone number, across practices. */
  perPhone: RateLimitOptions;
  sms: SmsCaps;
}

export const INTAKE_LIMITS: IntakeLimits = {
  // Generous enough for a family or a clinic behind one address, tight enough to stop a script.
  perIp: { limit: 20, windowMs: 10 * 60_000 },
  perPhone: { limit: 5, windowMs: 60 * 60_000 },
  sms: SMS_CAPS,
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

    // 2. A bot is answered as a person would be, so it learns nothing; nothing is stored or sent.
    if (isBot(deps, practice, input, now)) {
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
    let taken: { callback: Callback; body: CallbackCreated; duplicate: boolean; smsRefused: SmsRefusal | undefined };
    try {
      taken = deps.store.transaction(() => {
        const open = deps.store.findOpenCallbackByPhone(practice.slug, phone.e164);
        const email = input.email ? input.email.toLowerCase() : null;
        const { channel, smsRefused } = confirmationChannel(deps.store, practice, input.confirmBy, phone, email, now, limits.sms);
        const callback = open ? mergeCallback(deps, open, input, redFlag, email, now) : insertCallback(deps, practice, input, phone, email, redFlag, channel, now);
        queueConfirmation(deps, practice, callback, channel, { email, now, duplicate: !!open });
        const body: CallbackCreated = {
          ref: callback.ref,
          status: 'queued',
          dueAt: callback.dueAt,
          redFlag: callback.redFlag,
          confirmBy: channel,
          ...(open ? { duplicate: true } : {}),
        };
        if (key) finishIdempotent(deps.store, practice.slug, key, 201, body);
        return { callback, body, duplicate: !!open, smsRefused };
      });
    } catch (err) {
      if (key) abandonIdempotent(deps.store, practice.slug, key);
      throw err;
    }

    // After the commit: the log (identifiers only), the consoles, delivery.
    const { callback, body, duplicate, smsRefused } = taken;
    deps.log.info(duplicate ? 'callback_merged' : 'callback_created', {
      ref: callback.ref,
      practice: practice.slug,
      urgency: callback.urgency,
      redFlag: callback.redFlag,
      confirmBy: body.confirmBy,
      ...(duplicate ? { mergedCount: callback.mergedCount } : {}),
      ...(smsRefused ? { smsRefused } : {}),
    });
    deps.events.publish({ type: duplicate ? 'callback.updated' : 'callback.created', practice: practice.slug, ref: callback.ref });
    if (body.confirmBy !== 'none') deps.wakeOutbox();
    return { status: 201, body, replayed: false };
  };
}

export type TakeCallback = ReturnType<typeof createIntake>;

// Steps -----------------------------------------------------------------------------------------

function validate(body: Record<string, unknown>): CallbackRequest {
  const parsed = callbackRequestSchema.safeParse(body);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues));
  return parsed.data;
}

/** The real number check (libphonenumber-js): stored in E.164; an SMS confirmation needs a mobile. */
function checkPhone(input: CallbackRequest): ParsedPhone {
  const phone = parsePhone(input.phone);
  if (!phone) throw invalid({ phone: 'invalid_phone' });
  if (input.confirmBy === 'sms' && !phone.mobile) throw invalid({ phone: 'not_mobile' });
  return phone;
}

/** The honeypot was filled, or the form came back signed but faster than a person types. */
function isBot(deps: Deps, practice: Practice, input: CallbackRequest, now: Date): boolean {
  if (input.website) return true;
  return input.formToken !== undefined && checkFormToken(deps.sealer, input.formToken, practice.slug, now) === 'bot';
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
export function dueAtFor(practice: Practice, now: Date): Date {
  if (isOpen(practice.hours, now)) return now;
  return nextOpening(practice.hours, now) ?? now;
}

/**
 * A plausible answer for a bot: it looks like success so the bot learns nothing. The red flag is
 * real, so a person taken for a bot (a very fast autofill) still sees the emergency numbers.
 */
export function decoyAnswer(practice: Practice, input: CallbackRequest, redFlag: boolean, now: Date): CallbackCreated {
  return { ref: newRef(), status: 'queued', dueAt: dueAtFor(practice, now).toISOString(), redFlag, confirmBy: input.confirmBy };
}

function insertCallback(
  deps: Deps,
  practice: Practice,
  input: CallbackRequest,
  phone: ParsedPhone,
  email: string | null,
  redFlag: boolean,
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
    urgency: input.urgency,
    redFlag,
    preferredWindow: input.preferredWindow ?? null,
    confirmBy: channel,
    lang: input.lang,
    dueAt: dueAtFor(practice, now).toISOString(),
    createdAt: now.toISOString(),
  });
}

const URGENCY_RANK: Record<Urgency, number> = { routine: 0, soon: 1, urgent: 2 };

/**
 * A second request from the same phone while one is open: one call answers both, so it is folded
 * in (reason appended, higher urgency and red flag kept) and recorded as not billable.
 */
function mergeCallback(deps: Deps, open: Callback, input: CallbackRequest, redFlag: boolean, email: string | null, now: Date): Callback {
  const stamp = now.toISOString().slice(0, 16).replace('T', ' ');
  const appended = `${open.reason}\n\n--- ${stamp} UTC ---\n${input.reason}`;
  const merged = deps.store.mergeIntoCallback(open.id, {
    reason: appended.length > MAX_MERGED_REASON ? open.reason : appended,
    urgency: URGENCY_RANK[input.urgency] > URGENCY_RANK[open.urgency] ? input.urgency : open.urgency,
    redFlag,
    email,
    now: now.toISOString(),
  });
  deps.store.audit({ at: now.toISOString(), action: 'callback.merged', practice: open.practice, target: open.ref, details: { mergedCount: merged.mergedCount, billable: false } });
  return merged;
}

// Confirmation ---------------------------------------------------------------------------------

export function confirmationFacts(deps: Deps, practice: Practice, callback: Callback, now: Date, duplicate = false): ConfirmationFacts {
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
 * Queues the confirmation on `channel`; runs inside the caller's transaction. The email goes to the
 * address typed in this request (a merged request may carry an older one).
 */
export function queueConfirmation(
  deps: Deps,
  practice: Practice,
  callback: Callback,
  channel: ConfirmBy,
  options: { email: string | null; now: Date; duplicate: boolean },
): void {
  if (channel === 'none') return;
  const facts = confirmationFacts(deps, practice, callback, options.now, options.duplicate);
  const common = { purpose: options.duplicate ? 'confirmation_duplicate' : 'confirmation', callbackId: callback.id, practice: practice.slug };
  deps.store.enqueue(
    channel === 'email'
      ? { channel, recipient: (options.email ?? callback.email)!, payload: confirmationEmail(facts), ...common }
      : { channel, recipient: callback.phone, payload: confirmationSms(facts), ...common },
    options.now.toISOString(),
  );
}
