/**
 * Working a request in the console: claiming it, letting it go, recording a call's outcome,
 * and what follows from that (retry time, a message for the practitioner and their email,
 * the patient's "we tried to reach you" after the third failed call).
 */
import * as z from 'zod/mini';
import type { Deps } from '../context.js';
import { ApiProblem, invalid, notFound } from '../errors.js';
import { canSeePractice } from '../auth/session.js';
import { triedEmail, triedSms } from '../notify/templates.js';
import { takeMessage } from './messages.js';
import { deliveryState, transaction, type Callback, type Outcome, type OutboxItem, type Practice, type PractitionerMessage, type Queries, type User } from '../store/store.js';
import { maskPhone } from '../notify/sms/index.js';
import { CALLBACK_STATES, CONFIRM_CHANNELS, isOpenState, OUTCOMES, RETRY_OUTCOMES, RETRY_RULES, URGENCIES, type RetryRule } from '../../shared/callback.js';
import { defaultRetry } from '../../shared/retry.js';
import { reasonEntries } from '../../shared/merged-reason.js';
import { formatPhoneNational } from '../../shared/phone.js';
import { LANGS } from '../../shared/i18n.js';
import { instantSchema } from '../../shared/schemas.js';
import { dayInfo, zonedDate } from '../../shared/hours.js';
import { openingState } from './opening.js';
import { onCallAt } from '../../shared/on-call.js';
import { mergedReason } from './intake.js';

/** A claim nobody has renewed for this long goes back to the queue. */
const CLAIM_IDLE_MS = 10 * 60_000;
/** After this many calls without a conversation the patient is told we tried. */
const FAILED_CALLS_BEFORE_NOTICE = 3;
/** How far ahead an operator may schedule a retry. */
const MAX_RETRY_AHEAD_MS = 30 * 24 * 60 * 60_000;

/** Outcomes for which a phone call was actually placed (the report's "time to first call"). */
const CALL_OUTCOMES: ReadonlySet<Outcome> = new Set(['reached', 'no_answer', 'voicemail', 'wrong_number']);

const isOpen = (c: Callback) => isOpenState(c.state);
/** Low to high, as shared/callback.ts lists them. */
const URGENCY_ORDER: readonly string[] = URGENCIES;

/** The request if `user` may see it; an unknown ref and another practice's ref answer the same 404. */
export async function visibleCallback(store: Queries, user: User, ref: string): Promise<Callback> {
  const callback = await store.getCallback(ref);
  if (!callback || !canSeePractice(user, callback.practice)) throw notFound('No such request');
  return callback;
}

/** Returns idle claims to the queue and tells the consoles; cheap enough to run before every queue read. */
export async function releaseIdleClaims(deps: Deps): Promise<number> {
  const now = deps.now();
  const moved = await deps.store.releaseIdleClaims(new Date(now.getTime() - CLAIM_IDLE_MS).toISOString(), now.toISOString());
  for (const { ref, practice } of moved) {
    deps.log.info('claim_expired', { ref, practice });
    deps.events.publish({ type: 'callback.updated', practice, ref });
  }
  return moved.length;
}

async function claimedProblem(store: Queries, callback: Callback): Promise<ApiProblem> {
  const holder = callback.claimedBy === null ? undefined : await store.getUser(callback.claimedBy);
  return new ApiProblem(409, 'claimed', holder ? `${holder.name} is already working on this request` : 'Another operator is already working on this request');
}

const closedProblem = () => new ApiProblem(409, 'closed', 'This request is already closed');

/** Takes the request for `user`; claiming one's own claim again renews it. */
export async function claimCallback(deps: Deps, user: User, ref: string): Promise<Callback> {
  const callback = await visibleCallback(deps.store, user, ref);
  if (!isOpen(callback)) throw closedProblem();
  const now = deps.now();
  const claimed = await deps.store.transaction(claim, { ref, user: { id: user.id, email: user.email }, now: now.getTime() });
  deps.events.publish({ type: 'callback.updated', practice: claimed.practice, ref });
  return claimed;
}

/** One conditional update decides between two operators racing for a request; the loser learns who won. */
const claim = transaction('work.claim', async (tx, { ref, user, now }: { ref: string; user: { id: number; email: string }; now: number }) => {
  const claimed = await tx.claimCallback(ref, user.id, new Date(now).toISOString(), new Date(now - CLAIM_IDLE_MS).toISOString());
  if (!claimed) {
    const current = (await tx.getCallback(ref))!;
    throw isOpen(current) ? await claimedProblem(tx, current) : closedProblem();
  }
  await tx.audit({ at: new Date(now).toISOString(), actor: user.email, action: 'claim', practice: claimed.practice, target: ref });
  return claimed;
});

/** Puts the request back in the queue; only its holder may, or an admin. */
export async function releaseCallback(deps: Deps, user: User, ref: string): Promise<Callback> {
  const callback = await visibleCallback(deps.store, user, ref);
  if (!isOpen(callback)) throw closedProblem();
  if (callback.state !== 'claimed') throw new ApiProblem(409, 'not_claimed', 'Nobody holds this request');
  const released = await deps.store.transaction(release, { ref, user: { id: user.id, email: user.email, admin: user.role === 'admin' }, now: deps.now().toISOString() });
  deps.events.publish({ type: 'callback.updated', practice: released.practice, ref });
  return released;
}

const release = transaction('work.release', async (tx, { ref, user, now }: { ref: string; user: { id: number; email: string; admin: boolean }; now: string }) => {
  const released = await tx.releaseClaim(ref, user.admin ? null : user.id, now);
  if (!released) throw await claimedProblem(tx, (await tx.getCallback(ref))!);
  await tx.audit({ at: now, actor: user.email, action: 'release', practice: released.practice, target: ref });
  return released;
});

export interface AttemptInput {
  outcome: Outcome;
  note?: string;
  /** A message for the practitioner. */
  message?: string;
  /** The message is urgent: at once to the contact on call by SMS and email, escalated until acknowledged. */
  messageUrgent?: boolean;
  retryAt?: string;
}

/**
 * Records what came of a call. The operator must hold the claim. `no_answer` and `voicemail` keep the request
 * open, due again at the `retryAt` the operator chose (even while the practice is closed: that is their call), else
 * at the default of shared/retry.ts (in 30 minutes, moved to the practice's reopening unless the request cannot
 * wait); any other outcome closes it. Everything, outbox included, is one commit.
 */
export async function recordAttempt(deps: Deps, user: User, ref: string, input: AttemptInput): Promise<Callback> {
  const now = deps.now();
  const retry = RETRY_OUTCOMES.includes(input.outcome);
  let chosenRetry: string | undefined;
  if (input.retryAt !== undefined) {
    const when = Date.parse(input.retryAt);
    if (!retry || Number.isNaN(when) || when <= now.getTime() || when > now.getTime() + MAX_RETRY_AHEAD_MS) throw invalid({ retryAt: 'invalid' });
    chosenRetry = new Date(when).toISOString();
  }
  if (input.messageUrgent && !input.message) throw invalid({ message: 'required' });
  const { updated, queuedMessages, escalationRef, acknowledged } = await deps.store.transaction(attempt, { ref, user, input, chosenRetry, at: now.toISOString() });
  deps.log.info('callback_attempt', { ref, practice: updated.practice, outcome: input.outcome, state: updated.state, attempts: updated.attempts, urgentMessage: !!input.messageUrgent });
  deps.events.publish({ type: 'callback.updated', practice: updated.practice, ref });
  if (escalationRef) deps.events.publish({ type: 'callback.created', practice: updated.practice, ref: escalationRef });
  if (acknowledged) deps.events.publish({ type: 'callback.updated', practice: updated.practice, ref: acknowledged });
  if (queuedMessages) deps.wakeOutbox();
  return updated;
}

interface AttemptArgs {
  ref: string;
  user: User;
  input: AttemptInput;
  /** The retry time the operator chose, checked. */
  chosenRetry: string | undefined;
  at: string;
}

/** When a request is due again after a call that reached nobody, and why then. */
function nextTry(practice: Practice, callback: Callback, at: string, chosen: string | undefined): { at: string; rule: RetryRule } {
  if (chosen) return { at: chosen, rule: 'operator' };
  // Read from the request as it stands in this transaction: a red flag merged in a moment ago keeps the short delay.
  const next = defaultRetry(practice.hours, callback, new Date(at));
  return { at: next.at.toISOString(), rule: next.rule };
}

const attempt = transaction('work.attempt', async (tx, { ref, user, input, chosenRetry, at }: AttemptArgs, env) => {
  const retry = RETRY_OUTCOMES.includes(input.outcome);
  const callback = await visibleCallback(tx, user, ref);
  if (!isOpen(callback)) throw closedProblem();
  if (callback.state !== 'claimed' || callback.claimedBy !== user.id) {
    if (callback.state === 'claimed') throw await claimedProblem(tx, callback);
    throw new ApiProblem(409, 'not_claimed', 'Claim the request before recording a call');
  }
  const practice = (await tx.getPractice(callback.practice))!;
  const next = retry ? nextTry(practice, callback, at, chosenRetry) : undefined;
  const failedBefore = (await tx.listAttempts(callback.id)).filter((a) => RETRY_OUTCOMES.includes(a.outcome)).length;
  await tx.insertAttempt({ callbackId: callback.id, userId: user.id, outcome: input.outcome, note: input.note ?? null, retryAt: next?.at ?? null, retryRule: next?.rule ?? null, createdAt: at });
  const updated = await tx.applyAttempt(
    callback.id,
    {
      state: retry ? 'queued' : 'done',
      outcome: retry ? null : input.outcome,
      dueAt: next ? next.at : callback.dueAt,
      attempts: callback.attempts + 1,
      firstCallAt: callback.firstCallAt ?? (CALL_OUTCOMES.has(input.outcome) ? at : null),
      closedAt: retry ? null : at,
    },
    at,
  );
  let queuedMessages = 0;
  let escalationRef: string | null = null;
  if (input.message) {
    const taken = await takeMessage(tx, env, { practice, callback, body: input.message, urgent: !!input.messageUrgent, userId: user.id, at });
    queuedMessages += taken.queued;
    escalationRef = taken.escalationRef;
  }
  // An operator who reached the practitioner about an unconfirmed urgent message has delivered it by voice.
  let acknowledged: string | null = null;
  if (callback.kind === 'escalation' && callback.messageId !== null && input.outcome === 'reached' && (await tx.acknowledgeMessage(callback.messageId, `operator:${user.email}`, at))) {
    const message = (await tx.getMessage(callback.messageId))!;
    acknowledged = message.ref;
    await tx.audit({ at, actor: user.email, action: 'message_acknowledged', practice: message.practice, target: message.ref, details: { message: message.id, via: 'operator', by: user.email, step: message.escalationStep, item: ref } });
  }
  if (retry && failedBefore + 1 === FAILED_CALLS_BEFORE_NOTICE) queuedMessages += await queueTriedNotice(tx, practice, callback, at);
  await tx.audit({
    at,
    actor: user.email,
    action: 'outcome',
    practice: callback.practice,
    target: ref,
    details: { outcome: input.outcome, ...(next ? { dueAt: next.at } : {}), message: !!input.message, ...(input.messageUrgent ? { urgent: true } : {}), note: !!input.note },
  });
  return { updated, queuedMessages, escalationRef, acknowledged };
});

/** How long the operator who recorded a closing outcome may take it back. */
export const UNDO_WINDOW_MS = 10_000;

export interface UndoResult {
  /** The request to work now: the one reopened, or the newer one it was merged into. */
  callback: Callback;
  /** The newer open request the reopened one was folded into, when the patient had sent one meanwhile. */
  mergedInto: string | null;
  /** A message for the practitioner recorded with the outcome was already on its way: the undo does not recall it. */
  messageKept: boolean;
}

/**
 * Takes back the last closing outcome of a request, within 10 seconds and only by the operator who recorded it: the
 * request goes back to claimed by that operator, so they can record the right outcome at once. The attempt row stays,
 * marked undone (the report skips it). When the patient has sent a new request meanwhile (the one-open-request rule),
 * the reopened one is folded into that one instead. Messages for the practitioner are not recalled.
 */
export async function undoOutcome(deps: Deps, user: User, ref: string): Promise<UndoResult> {
  await visibleCallback(deps.store, user, ref);
  const result = await deps.store.transaction(undo, { ref, user, now: deps.now().getTime() });
  deps.log.info('callback_outcome_undone', { ref, practice: result.callback.practice, mergedInto: result.mergedInto });
  deps.events.publish({ type: 'callback.updated', practice: result.callback.practice, ref });
  if (result.mergedInto) deps.events.publish({ type: 'callback.updated', practice: result.callback.practice, ref: result.mergedInto });
  return result;
}

const undo = transaction('work.undo', async (tx, { ref, user, now }: { ref: string; user: User; now: number }): Promise<UndoResult> => {
  const at = new Date(now).toISOString();
  const callback = await visibleCallback(tx, user, ref);
  const last = (await tx.listAttempts(callback.id)).filter((a) => a.undoneAt === null).at(-1);
  if (!last || callback.state !== 'done' || RETRY_OUTCOMES.includes(last.outcome) || callback.outcome !== last.outcome) {
    throw new ApiProblem(409, 'nothing_to_undo', 'This request has no outcome to undo');
  }
  if (last.userId !== user.id) throw new ApiProblem(403, 'not_yours', 'Only the operator who recorded the outcome may undo it');
  if (now - Date.parse(last.createdAt) > UNDO_WINDOW_MS) throw new ApiProblem(409, 'undo_expired', 'The outcome can no longer be undone (10 seconds)');
  await tx.markAttemptUndone(last.id, at);
  const messageKept = (await tx.listMessages({ callbackId: callback.id })).some((m) => m.createdAt === last.createdAt);
  const restore = { attempts: Math.max(0, callback.attempts - 1), firstCallAt: callback.firstCallAt === last.createdAt ? null : callback.firstCallAt };
  const newer = await tx.findOpenCallback(callback.practice, callback.phone, callback.name);
  if (newer) {
    // The patient asked again meanwhile: one call answers both, so the reopened request joins the open one.
    const practice = (await tx.getPractice(callback.practice))!;
    const merged = await tx.mergeIntoCallback(newer.id, {
      reason: mergedReason(newer.reason, callback.reason, new Date(callback.createdAt), practice.timezone),
      urgency: URGENCY_ORDER.indexOf(callback.urgency) > URGENCY_ORDER.indexOf(newer.urgency) ? callback.urgency : newer.urgency,
      redFlag: callback.redFlag,
      suspect: callback.suspect,
      now: at,
    });
    await tx.closeAsDuplicate(callback.id, at);
    await tx.audit({ at, actor: user.email, action: 'outcome_undone', practice: callback.practice, target: ref, details: { outcome: last.outcome, mergedInto: newer.ref, messageKept } });
    return { callback: merged, mergedInto: newer.ref, messageKept };
  }
  const reopened = await tx.reopenCallback(callback.id, { claimedBy: user.id, ...restore }, at);
  await tx.audit({ at, actor: user.email, action: 'outcome_undone', practice: callback.practice, target: ref, details: { outcome: last.outcome, messageKept } });
  return { callback: reopened, mergedInto: null, messageKept };
});

/** A practitioner reading a message: marked read (the first time counts) and audited, in one commit. */
export const readMessage = transaction('work.read_message', async (tx, { id, actor, now }: { id: number; actor: string; now: string }) => {
  await tx.markMessageRead(id, now);
  const message = (await tx.getMessage(id))!;
  await tx.audit({ at: now, actor, action: 'message_read', practice: message.practice, target: message.ref });
  return message;
});

/** The patient's channel for "we tried": the one they chose for the confirmation, else email if we have one. */
function triedChannel(callback: Callback, practice: Practice): 'sms' | 'email' | undefined {
  if (callback.confirmBy === 'sms' && practice.sms) return 'sms';
  return callback.email ? 'email' : undefined;
}

async function queueTriedNotice(tx: Queries, practice: Practice, callback: Callback, at: string): Promise<number> {
  const channel = triedChannel(callback, practice);
  if (!channel) return 0;
  const facts = { lang: callback.lang, ref: callback.ref, name: callback.name, practice };
  await tx.enqueue(
    channel === 'sms'
      ? { channel, recipient: callback.phone, payload: triedSms(facts), purpose: 'tried_to_reach', callbackId: callback.id, practice: practice.slug }
      : { channel, recipient: callback.email!, payload: triedEmail(facts), purpose: 'tried_to_reach', callbackId: callback.id, practice: practice.slug },
    at,
  );
  return 1;
}

// Answers -----------------------------------------------------------------------------------------

/** A practice's consignes for operators, by language (a language left blank is absent). */
export const operatorInstructionsSchema = z.object({ fr: z.optional(z.string()), en: z.optional(z.string()) });

/** Whether the practice is open now, when that changes, and what today's hours are, on the practice's clock. */
export const practiceStatusSchema = z.object({
  open: z.boolean(),
  /** When `open` flips next; null when it never does within a year. */
  nextChange: z.nullable(instantSchema),
  todayHours: z.object({
    /** Today in the practice's zone, `YYYY-MM-DD`. */
    date: z.string(),
    /** Wall-clock ranges in the practice's zone, as in its hours; empty: closed all day. */
    ranges: z.array(z.tuple([z.string(), z.string()])),
    /** Set when a holiday or an exception, not the usual week, decides today. */
    closedReason: z.nullable(z.object({ kind: z.enum(['holiday', 'exception']), label: z.object({ fr: z.string(), en: z.string() }) })),
  }),
});
export type PracticeStatus = z.infer<typeof practiceStatusSchema>;

/**
 * One text the patient sent, the first or a repeat merged into the request, with when it arrived: what `reason`
 * holds as one string with stamped separator lines, to show as dated entries (shared/merged-reason.ts).
 */
export const reasonEntrySchema = z.object({
  /** The first entry's is the request's `createdAt`. Null only when an older stamp names no single instant (the hour an autumn night repeats). */
  at: z.nullable(instantSchema),
  /** Only with `at` null: the stamp as written, on the practice's clock (`2026-10-25 02:30 Europe/Paris`). */
  stamp: z.optional(z.string()),
  text: z.string(),
});

/** A message taken for the practitioner, as `messageItem` writes it. */
export const messageItemSchema = z.object({
  id: z.int(),
  ref: z.string(),
  practice: z.string(),
  practiceName: z.string(),
  body: z.string(),
  patientName: z.string(),
  /** E.164, to dial; `patientPhoneNational` to read. */
  patientPhone: z.string(),
  patientPhoneNational: z.string(),
  lang: z.enum(LANGS),
  /** As stored, repeats under separator lines; `reasonEntries` to show it. */
  reason: z.string(),
  reasonEntries: z.array(reasonEntrySchema),
  redFlag: z.boolean(),
  createdAt: instantSchema,
  createdBy: z.nullable(z.string()),
  readAt: z.nullable(instantSchema),
  /** The practice's operator instructions when the message was taken; null when it had none. */
  instructionsInForce: z.nullable(operatorInstructionsSchema),
  /** What came of the call the message was taken on (null while the request is still open). */
  outcome: z.nullable(z.enum(OUTCOMES)),
  urgent: z.boolean(),
  /** The contact it was addressed to (on call when it was taken); null when the practice had no contact. */
  to: z.nullable(z.object({ key: z.string(), name: z.string() })),
  /** Each notice sent about it, per channel, with where it stands. */
  deliveries: z.array(
    z.object({
      channel: z.enum(['sms', 'email']),
      /** Masked: `+33 6 ** ** ** 78`, `d•••@cabinet.fr`. */
      to: z.string(),
      purpose: z.string(),
      state: z.enum(['queued', 'sent', 'delivered', 'failed', 'dead']),
      /** When it reached that state (queued: when written). */
      at: instantSchema,
      /** The last failure, when there was one: a provider's or server's code, never the text sent. */
      error: z.nullable(z.string()),
    }),
  ),
  ackAt: z.nullable(instantSchema),
  /** `link` (the signed link), `console` (the practitioner read or replied), `operator` (an operator reached them). */
  ackVia: z.nullable(z.enum(['link', 'console', 'operator'])),
  /** When the next escalation step runs unless acknowledged. */
  nextEscalationAt: z.nullable(instantSchema),
  escalations: z.array(z.object({ step: z.int(), at: instantSchema, contacts: z.array(z.string()), item: z.nullable(z.string()) })),
  replies: z.array(z.object({ at: instantSchema, text: z.string(), by: z.nullable(z.string()) })),
});
export type MessageItem = z.infer<typeof messageItemSchema>;

/** An earlier request of the same caller, as the request page lists it. */
export const historyEntrySchema = z.object({
  ref: z.string(),
  createdAt: instantSchema,
  reason: z.string(),
  reasonEntries: z.array(reasonEntrySchema),
  state: z.enum(CALLBACK_STATES),
  outcome: z.nullable(z.enum(OUTCOMES)),
});

/** How many earlier requests the request page lists. */
const HISTORY_LIMIT = 20;

/** A request as `callbackDetail` writes it: the answer of `GET /v1/callbacks/:ref`, claim, release and attempts. */
export const callbackDetailSchema = z.object({
  ref: z.string(),
  practice: z.string(),
  practiceName: z.string(),
  name: z.string(),
  /** E.164. */
  phone: z.string(),
  /** As an operator reads it aloud: `06 12 34 56 78`, foreign numbers grouped internationally. */
  phoneNational: z.string(),
  email: z.nullable(z.string()),
  /** As stored, repeats under separator lines; `reasonEntries` to show it. */
  reason: z.string(),
  reasonEntries: z.array(reasonEntrySchema),
  urgency: z.enum(URGENCIES),
  redFlag: z.boolean(),
  suspect: z.boolean(),
  preferredWindow: z.nullable(z.object({ from: instantSchema, to: instantSchema })),
  confirmBy: z.enum(CONFIRM_CHANNELS),
  lang: z.enum(LANGS),
  state: z.enum(CALLBACK_STATES),
  outcome: z.nullable(z.enum(OUTCOMES)),
  dueAt: instantSchema,
  createdAt: instantSchema,
  updatedAt: instantSchema,
  claimedBy: z.nullable(z.int()),
  claimedByName: z.nullable(z.string()),
  claimedByMe: z.boolean(),
  claimedAt: z.nullable(instantSchema),
  /** When an idle claim falls back to the queue. */
  claimExpiresAt: z.nullable(instantSchema),
  attemptCount: z.int(),
  mergedCount: z.int(),
  firstCallAt: z.nullable(instantSchema),
  closedAt: z.nullable(instantSchema),
  attempts: z.array(
    z.object({
      at: instantSchema,
      outcome: z.enum(OUTCOMES),
      note: z.nullable(z.string()),
      retryAt: z.nullable(instantSchema),
      /**
       * Why `retryAt` falls when it does: `delay` (30 minutes later, the practice open then), `reopening` (moved to the
       * practice's next opening: it would have been closed), `urgent` (30 minutes later although closed: a red flag or
       * an urgent request), `operator` (the time the operator chose). Null without a retry, and on attempts recorded before.
       */
      retryRule: z.nullable(z.enum(RETRY_RULES)),
      by: z.nullable(z.string()),
      /** Set when the operator who recorded it undid it (`POST /v1/callbacks/:ref/undo`). */
      undoneAt: z.nullable(instantSchema),
    }),
  ),
  /** The earlier requests from the same phone to the same practice, newest first: a second call is not a first. */
  history: z.array(historyEntrySchema),
  messages: z.array(messageItemSchema),
  /** The practice's consignes for operators, in the languages written: for the operator beside the request, never for the patient. */
  operatorInstructions: operatorInstructionsSchema,
  /** The practice's live status: open or closed, until when, today's hours. */
  status: practiceStatusSchema,
  /** `escalation`: not a patient but a practitioner to call about an unacknowledged urgent message (`escalation` says which). */
  kind: z.enum(['patient', 'escalation']),
  escalation: z.nullable(z.object({ messageId: z.int(), messageRef: z.string(), takenAt: instantSchema, step: z.int(), contact: z.nullable(z.string()) })),
  /** The practitioner's replies that sent this request back to the queue, oldest first. */
  replies: z.array(z.object({ at: instantSchema, text: z.string(), by: z.nullable(z.string()) })),
  /** Who is on call for the practice now, and until when (the practice's `contacts` and `onCall`). */
  onCall: z.object({ name: z.nullable(z.string()), phone: z.nullable(z.string()), until: z.nullable(instantSchema), source: z.enum(['slot', 'default', 'none']) }),
});
export type CallbackDetail = z.infer<typeof callbackDetailSchema>;

/** `GET /v1/callbacks/:ref`: the request, who holds it, its calls and the messages taken. */
export async function callbackDetail(deps: Deps, user: User, callback: Callback): Promise<CallbackDetail> {
  const [holder, practiceName, attempts, messages, history, replies, chased] = await Promise.all([
    callback.claimedBy === null ? undefined : deps.store.getUser(callback.claimedBy),
    practiceNameOf(deps, callback.practice),
    deps.store.listAttempts(callback.id),
    deps.store.listMessages({ callbackId: callback.id }),
    callback.kind === 'patient' ? deps.store.listHistory(callback.practice, callback.phone, callback.id, HISTORY_LIMIT) : [],
    deps.store.listReplies({ callbackId: callback.id }),
    callback.messageId === null ? undefined : deps.store.getMessage(callback.messageId),
  ]);
  return {
    ref: callback.ref,
    practice: callback.practice,
    practiceName,
    name: callback.name,
    phone: callback.phone,
    phoneNational: formatPhoneNational(callback.phone),
    email: callback.email,
    reason: callback.reason,
    reasonEntries: reasonEntries(callback.reason, callback.createdAt),
    urgency: callback.urgency,
    redFlag: callback.redFlag,
    suspect: callback.suspect,
    preferredWindow: callback.preferredWindow,
    confirmBy: callback.confirmBy,
    lang: callback.lang,
    state: callback.state,
    outcome: callback.outcome,
    dueAt: callback.dueAt,
    createdAt: callback.createdAt,
    updatedAt: callback.updatedAt,
    claimedBy: callback.claimedBy,
    claimedByName: holder?.name ?? null,
    claimedByMe: callback.claimedBy === user.id,
    claimedAt: callback.claimedAt,
    claimExpiresAt: callback.claimedAt ? new Date(Date.parse(callback.claimedAt) + CLAIM_IDLE_MS).toISOString() : null,
    attemptCount: callback.attempts,
    mergedCount: callback.mergedCount,
    firstCallAt: callback.firstCallAt,
    closedAt: callback.closedAt,
    attempts: attempts.map((a) => ({ at: a.createdAt, outcome: a.outcome, note: a.note, retryAt: a.retryAt, retryRule: a.retryRule, by: a.userName, undoneAt: a.undoneAt })),
    history: history.map((h) => ({ ...h, reasonEntries: reasonEntries(h.reason, h.createdAt) })),
    messages: await messageItems(deps, messages),
    ...(await practiceBrief(deps, callback.practice)),
    kind: callback.kind,
    escalation: chased
      ? { messageId: chased.id, messageRef: chased.ref, takenAt: chased.createdAt, step: chased.escalationStep, contact: chased.to }
      : null,
    replies: replies.map((r) => ({ at: r.createdAt, text: r.body, by: r.userName })),
  };
}

/** What an operator needs of the practice beside a request: its consignes, whether it is open and until when, today's hours. */
async function practiceBrief(deps: Deps, slug: string): Promise<Pick<CallbackDetail, 'operatorInstructions' | 'status' | 'onCall'>> {
  const practice = (await deps.store.getPractice(slug))!;
  const now = deps.now();
  const { open, nextChange } = openingState(practice.hours, now);
  const date = zonedDate(now, practice.hours.timezone);
  const { ranges, closedReason } = dayInfo(practice.hours, date);
  const onCall = onCallAt(practice.contacts ?? [], practice.onCall, now);
  return {
    operatorInstructions: { ...practice.operatorInstructions },
    status: { open, nextChange: nextChange?.toISOString() ?? null, todayHours: { date, ranges, closedReason: closedReason ?? null } },
    onCall: { name: onCall.contact?.name ?? null, phone: onCall.contact?.phone ?? null, until: onCall.until, source: onCall.source },
  };
}

/** The practice's name as people know it; its slug if the practice is gone. */
export const practiceNameOf = async (deps: Deps, slug: string) => (await deps.store.getPractice(slug))?.name ?? slug;

/**
 * Messages as the practitioner (and the operators, on the request) read them, with what they need to act on them:
 * whose practice, who to call (E.164 to dial, national to read), in which language, why they asked, the call's
 * outcome, and where the message stands: each delivery, the acknowledgement, the escalation steps, the replies. The
 * reason is for the practice's own clinician under medical secrecy; it never goes into a notice (notify/templates.ts).
 */
export async function messageItems(deps: Deps, messages: PractitionerMessage[]): Promise<MessageItem[]> {
  if (!messages.length) return [];
  const ids = messages.map((m) => m.id);
  const slugs = [...new Set(messages.map((m) => m.practice))];
  const refs = [...new Set(messages.map((m) => m.ref))];
  const [practices, deliveries, escalations, replies, callbacks] = await Promise.all([
    Promise.all(slugs.map((slug) => deps.store.getPractice(slug))),
    deps.store.listDeliveries(ids),
    deps.store.listEscalations(ids),
    deps.store.listReplies({ messageIds: ids }),
    Promise.all(refs.map((ref) => deps.store.getCallback(ref))),
  ]);
  const practiceOf = new Map(practices.flatMap((p) => (p ? [[p.slug, p] as const] : [])));
  const outcomeOf = new Map(callbacks.flatMap((c) => (c ? [[c.ref, c.outcome] as const] : [])));
  return messages.map((m) => {
    const practice = practiceOf.get(m.practice);
    const nameOf = (key: string) => practice?.contacts?.find((c) => c.key === key)?.name ?? key;
    return {
      ...messageItem(m, practice?.name ?? m.practice),
      outcome: outcomeOf.get(m.ref) ?? null,
      to: m.to ? { key: m.to, name: nameOf(m.to) } : null,
      deliveries: deliveries.filter((d) => d.messageId === m.id).map(deliveryItem),
      ackVia: m.ackBy === null ? null : m.ackBy.startsWith('link:') ? 'link' : m.ackBy.startsWith('operator:') ? 'operator' : 'console',
      escalations: escalations.filter((e) => e.messageId === m.id).map((e) => ({ step: e.step, at: e.at, contacts: e.contacts.map(nameOf), item: e.callbackRef })),
      replies: replies.filter((r) => r.messageId === m.id).map((r) => ({ at: r.createdAt, text: r.body, by: r.userName })),
    };
  });
}

function deliveryItem(d: OutboxItem): MessageItem['deliveries'][number] {
  const state = deliveryState(d);
  const at = state === 'delivered' ? d.deliveredAt : state === 'failed' && d.failedAt ? d.failedAt : state === 'sent' ? d.sentAt : d.createdAt;
  return { channel: d.channel, to: maskRecipient(d.recipient), purpose: d.purpose, state, at: at ?? d.createdAt, error: d.lastError };
}

/** Enough of a recipient to recognise it, not to use it. */
export function maskRecipient(recipient: string): string {
  if (!recipient.includes('@')) return maskPhone(recipient);
  const [local, domain] = recipient.split('@') as [string, string];
  return `${local.slice(0, 1)}•••@${domain}`;
}

type MessageBasics = Omit<MessageItem, 'outcome' | 'to' | 'deliveries' | 'ackVia' | 'escalations' | 'replies'>;

function messageItem(m: PractitionerMessage, practiceName: string): MessageBasics {
  return {
    id: m.id,
    ref: m.ref,
    practice: m.practice,
    practiceName,
    body: m.body,
    patientName: m.patientName,
    patientPhone: m.patientPhone,
    patientPhoneNational: formatPhoneNational(m.patientPhone),
    lang: m.lang,
    reason: m.reason,
    reasonEntries: reasonEntries(m.reason, m.requestedAt),
    redFlag: m.redFlag,
    createdAt: m.createdAt,
    createdBy: m.createdByName,
    readAt: m.readAt,
    instructionsInForce: m.instructionsInForce,
    urgent: m.urgent,
    ackAt: m.ackAt,
    nextEscalationAt: m.nextEscalationAt,
  };
}
