/**
 * Taking a callback request, read top to bottom as a request travels: validate → bot check → rate
 * limits → idempotency → merge into the same person's open request or create one → confirmation
 * channel under the SMS and email caps → outbox, the last three in one commit with the idempotent answer.
 */
import type { Deps } from '../context.js';
import { OpenRequestExists, RefTaken, transaction, type Callback, type NewCallback, type Practice, type Queries, type TransactionEnv } from '../store/store.js';
import { callbackRequestSchema, fieldErrors, type CallbackCreated, type CallbackRequest, type ConfirmBy, type Urgency } from '../../shared/schemas.js';
import { ApiProblem, invalid } from '../errors.js';
import { parsePhone, formatPhoneNational, type ParsedPhone } from '../../shared/phone.js';
import { triage } from '../../shared/triage.js';
import { reasonTexts, repeatBlock } from '../../shared/merged-reason.js';
import { openingState } from './opening.js';
import { isOpen, nextOpening } from '../../shared/hours.js';
import { newRef } from './ref.js';
import { cancelUrl } from './links.js';
import { checkFormToken } from './form-token.js';
import { storedRateLimiter, type StoredRateLimiter, type RateLimitOptions } from './rate-limit.js';
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

/** The intake of one app; its rate limits are counted by the store, together with every other instance's. */
export function createIntake(deps: Deps, limits: IntakeLimits = INTAKE_LIMITS) {
  const perIp = storedRateLimiter(deps.store, 'intake.ip', limits.perIp);
  const perPhone = storedRateLimiter(deps.store, 'intake.phone', limits.perPhone);

  return async function takeCallback(request: IntakeRequest): Promise<IntakeAnswer> {
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
    await enforce(perIp, rateLimitKey(request.ip), now);
    await enforce(perPhone, phone.e164, now);

    // 4. A retried request gets its first answer again.
    if (key) {
      const start = await beginIdempotent(deps.store, practice.slug, key, bodyFingerprint(request.body), now);
      if (start.replay) return { status: start.status, body: start.body as CallbackCreated, replayed: true };
    }

    // 5–7. One commit: the request (new or merged), its confirmation in the outbox under the caps, the answer to replay.
    let taken: Taken;
    try {
      taken = await deps.store.transaction(commitIntake, { slug: practice.slug, input, phone, redFlag, suspect, key, now: now.getTime(), sms: limits.sms, email: limits.email });
    } catch (err) {
      if (key) await abandonIdempotent(deps.store, practice.slug, key);
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

interface IntakeCommit {
  /** The practice is read again inside: a whole record is not worth copying to the writer at every request. */
  slug: string;
  input: CallbackRequest;
  phone: ParsedPhone;
  redFlag: boolean;
  suspect: boolean;
  key: string | undefined;
  now: number;
  sms: SmsCaps;
  email: EmailCap;
}

interface Taken {
  callback: Callback;
  body: CallbackCreated;
  duplicate: boolean;
  refused: ConfirmationRefusal;
}

/**
 * The request's one commit: merged into the same person's open request or created, its confirmation
 * queued on the channel the caps allow (counted and consumed here, so simultaneous requests cannot
 * pass a cap together), and the answer kept for the idempotency key.
 */
const commitIntake = transaction('intake.commit', async (tx, a: IntakeCommit, env): Promise<Taken> => {
  const { input, phone } = a;
  const practice = (await tx.getPractice(a.slug))!;
  const now = new Date(a.now);
  const flags = { redFlag: a.redFlag, suspect: a.suspect };
  let open = await tx.findOpenCallback(practice.slug, phone.e164, input.name);
  // A merge confirms only to the contacts already on file: whoever knows a patient's phone and name
  // must not get that request's reference and cancel link sent to an address of their choosing.
  const email = open ? open.email : input.email ? input.email.toLowerCase() : null;
  // A suspect request may come from a script: nothing is sent to a number or address it chose; the operator calls.
  const { channel, ...refused } = a.suspect ? { channel: 'none' as const } : await confirmationChannel(tx, practice, input.confirmBy, phone, email, now, a.sms, a.email);
  let callback: Callback;
  if (open) {
    callback = await mergeCallback(tx, practice, open, input, flags, now);
  } else {
    try {
      callback = await insertCallback(tx, newCallback(practice, input, phone, email, flags, channel, now));
    } catch (err) {
      // Another writer created this person's request since the lookup (the database's one-open-request rule): join it.
      if (!(err instanceof OpenRequestExists)) throw err;
      open = (await tx.findOpenCallback(practice.slug, phone.e164, input.name))!;
      callback = await mergeCallback(tx, practice, open, input, flags, now);
    }
  }
  const duplicate = !!open;
  await queueConfirmation(tx, env, practice, callback, channel, now, duplicate);
  const window = windowOfDue(callback);
  const body: CallbackCreated = {
    ref: callback.ref,
    status: 'queued',
    dueAt: callback.dueAt,
    redFlag: callback.redFlag,
    confirmBy: channel,
    ...(duplicate ? { duplicate: true } : {}),
    ...(window ? { preferredWindow: window } : {}),
  };
  if (a.key) await finishIdempotent(tx, practice.slug, a.key, 201, body);
  return { callback, body, duplicate, refused };
});

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

async function enforce(limiter: StoredRateLimiter, key: string, now: Date): Promise<void> {
  const verdict = await limiter.hit(key, now);
  if (!verdict.ok) {
    throw new ApiProblem(429, 'rate_limited', 'Too many requests; please wait a little or call the practice', undefined, {
      'Retry-After': String(verdict.retryAfterS),
    });
  }
}

/**
 * When a request made now will be called back (SPEC "Opening hours"): a red flag or an urgent request now, whatever
 * the hours or the window; with a preferred window, at its start, moved to now if that has passed and to the next
 * opening if the practice is closed then; else now while open, the next opening while closed. A window the practice
 * is closed throughout (or that is over) cannot be kept, and the request is due as if none had been chosen.
 */
function dueAtFor(practice: Practice, input: Pick<CallbackRequest, 'urgency' | 'preferredWindow'>, redFlag: boolean, now: Date): Date {
  if (redFlag || input.urgency === 'urgent') return now;
  if (input.preferredWindow) {
    const from = new Date(Math.max(Date.parse(input.preferredWindow.from), now.getTime()));
    const start = isOpen(practice.hours, from) ? from : nextOpening(practice.hours, from);
    if (start && start.getTime() < Date.parse(input.preferredWindow.to)) return start;
  }
  const { open, nextChange } = openingState(practice.hours, now);
  return open ? now : (nextChange ?? now);
}

/** The chosen window when the request is due within it: the answer, the receipt and the confirmation name the window, not just its start. */
function windowOfDue(callback: Pick<Callback, 'dueAt' | 'preferredWindow'>): { from: string; to: string } | undefined {
  const window = callback.preferredWindow;
  const due = Date.parse(callback.dueAt);
  return window && Date.parse(window.from) <= due && due < Date.parse(window.to) ? window : undefined;
}

/**
 * A plausible answer for a bot: it looks like success so the bot learns nothing. The red flag is
 * real, so a person taken for a bot (a very fast autofill) still sees the emergency numbers.
 */
function decoyAnswer(practice: Practice, input: CallbackRequest, redFlag: boolean, now: Date): CallbackCreated {
  const dueAt = dueAtFor(practice, input, redFlag, now).toISOString();
  const window = windowOfDue({ dueAt, preferredWindow: input.preferredWindow ?? null });
  return { ref: newRef(), status: 'queued', dueAt, redFlag, confirmBy: input.confirmBy, ...(window ? { preferredWindow: window } : {}) };
}

/** Stores a new request under a fresh reference, drawing again in the rare case the one drawn is taken. */
async function insertCallback(tx: Queries, request: Omit<NewCallback, 'ref'>): Promise<Callback> {
  for (let draw = 1; ; draw++) {
    try {
      return await tx.insertCallback({ ...request, ref: newRef() });
    } catch (err) {
      if (!(err instanceof RefTaken) || draw === 3) throw err;
    }
  }
}

/** A new request as the form and the practice's hours make it, before its reference is drawn. */
function newCallback(
  practice: Practice,
  input: CallbackRequest,
  phone: ParsedPhone,
  email: string | null,
  flags: { redFlag: boolean; suspect: boolean },
  channel: ConfirmBy,
  now: Date,
): Omit<NewCallback, 'ref'> {
  return {
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
    dueAt: dueAtFor(practice, input, flags.redFlag, now).toISOString(),
    createdAt: now.toISOString(),
  };
}

const URGENCY_RANK: Record<Urgency, number> = { routine: 0, soon: 1, urgent: 2 };

const sameReason = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The reason after a repeat: the new text under a line stamped with its arrival (`--- 2026-11-26 11:39 +01:00
 * Europe/Paris ---`: the practice's clock, its offset, its zone; shared/merged-reason.ts reads it back as dated
 * entries), unless the request already says exactly that (a patient sending the same form twice adds nothing to read).
 */
export function mergedReason(current: string, added: string, at: Date, timeZone: string): string {
  if (reasonTexts(current).some((part) => sameReason(part, added))) return current;
  const appended = current + repeatBlock(added, at, timeZone);
  return appended.length > MAX_MERGED_REASON ? current : appended;
}

/**
 * A second request from the same person while one is open: one call answers both, so it is folded
 * in (reason appended, higher urgency and red flag kept, a red flag making it urgent) and recorded as
 * not billable. The email on file is kept as it is: a repeat never brings in a new address. The due
 * time and the window stay those of the request already waiting, unless the repeat makes it urgent:
 * then it is due now, as a new urgent request would be, and the answer and confirmation say so.
 */
async function mergeCallback(tx: Queries, practice: Practice, open: Callback, input: CallbackRequest, flags: { redFlag: boolean; suspect: boolean }, now: Date): Promise<Callback> {
  const { redFlag, suspect } = flags;
  const asked = redFlag || open.redFlag ? 'urgent' : input.urgency;
  const merged = await tx.mergeIntoCallback(open.id, {
    reason: mergedReason(open.reason, input.reason, now, practice.timezone),
    urgency: URGENCY_RANK[asked] > URGENCY_RANK[open.urgency] ? asked : open.urgency,
    redFlag,
    suspect,
    // Only a repeat that is itself urgent: a routine "still waiting" keeps the retry an operator set on a red flag.
    ...(redFlag || input.urgency === 'urgent' ? { dueBy: now.toISOString() } : {}),
    now: now.toISOString(),
  });
  await tx.audit({ at: now.toISOString(), action: 'callback.merged', practice: open.practice, target: open.ref, details: { mergedCount: merged.mergedCount, billable: false } });
  return merged;
}

// Confirmation ---------------------------------------------------------------------------------

function confirmationFacts(env: TransactionEnv, practice: Practice, callback: Callback, now: Date, duplicate = false): ConfirmationFacts {
  return {
    lang: callback.lang,
    ref: callback.ref,
    name: callback.name,
    phone: formatPhoneNational(callback.phone),
    practice: { name: practice.name, phone: practice.phone, timezone: practice.timezone },
    dueAt: new Date(callback.dueAt),
    window: windowOfDue(callback),
    now,
    cancelUrl: cancelUrl(env.publicUrl, env.sealer, callback.ref),
    duplicate,
  };
}

/**
 * Queues the confirmation on `channel`; runs inside the caller's transaction. It goes to the contacts
 * stored on the request, which for a merge are those of the first request, never this one's.
 */
async function queueConfirmation(tx: Queries, env: TransactionEnv, practice: Practice, callback: Callback, channel: ConfirmBy, now: Date, duplicate: boolean): Promise<void> {
  if (channel === 'none') return;
  const facts = confirmationFacts(env, practice, callback, now, duplicate);
  const common = { purpose: duplicate ? 'confirmation_duplicate' : 'confirmation', callbackId: callback.id, practice: practice.slug };
  await tx.enqueue(
    channel === 'email'
      ? { channel, recipient: callback.email!, payload: confirmationEmail(facts), ...common }
      : { channel, recipient: callback.phone, payload: confirmationSms(facts), ...common },
    now.toISOString(),
  );
}
