/**
 * Working a request in the console: claiming it, letting it go, recording a call's outcome,
 * and what follows from that (retry time, a message for the practitioner and their email,
 * the patient's "we tried to reach you" after the third failed call).
 */
import type { Deps } from '../context.js';
import { ApiProblem, invalid, notFound } from '../errors.js';
import { canSeePractice } from '../auth/session.js';
import { practitionerNotice, triedEmail, triedSms } from '../notify/templates.js';
import type { Callback, Outcome, Practice, PractitionerMessage, User } from '../store/store.js';
import { isOpenState, RETRY_DELAY_MS, RETRY_OUTCOMES } from '../../shared/callback.js';
import { formatPhoneNational } from '../../shared/phone.js';

/** A claim nobody has renewed for this long goes back to the queue. */
const CLAIM_IDLE_MS = 10 * 60_000;
/** After this many calls without a conversation the patient is told we tried. */
const FAILED_CALLS_BEFORE_NOTICE = 3;
/** How far ahead an operator may schedule a retry. */
const MAX_RETRY_AHEAD_MS = 30 * 24 * 60 * 60_000;

/** Outcomes for which a phone call was actually placed (the report's "time to first call"). */
const CALL_OUTCOMES: ReadonlySet<Outcome> = new Set(['reached', 'no_answer', 'voicemail', 'wrong_number']);

const isOpen = (c: Callback) => isOpenState(c.state);

/** The request if `user` may see it; an unknown ref and another practice's ref answer the same 404. */
export function visibleCallback(deps: Deps, user: User, ref: string): Callback {
  const callback = deps.store.getCallback(ref);
  if (!callback || !canSeePractice(user, callback.practice)) throw notFound('No such request');
  return callback;
}

/** Returns idle claims to the queue and tells the consoles; cheap enough to run before every queue read. */
export function releaseIdleClaims(deps: Deps): number {
  const now = deps.now();
  const moved = deps.store.releaseIdleClaims(new Date(now.getTime() - CLAIM_IDLE_MS).toISOString(), now.toISOString());
  for (const { ref, practice } of moved) {
    deps.log.info('claim_expired', { ref, practice });
    deps.events.publish({ type: 'callback.updated', practice, ref });
  }
  return moved.length;
}

function claimedProblem(deps: Deps, callback: Callback): ApiProblem {
  const holder = callback.claimedBy === null ? undefined : deps.store.getUser(callback.claimedBy);
  return new ApiProblem(409, 'claimed', holder ? `${holder.name} is already working on this request` : 'Another operator is already working on this request');
}

const closedProblem = () => new ApiProblem(409, 'closed', 'This request is already closed');

/** Takes the request for `user`; claiming one's own claim again renews it. */
export function claimCallback(deps: Deps, user: User, ref: string): Callback {
  const callback = visibleCallback(deps, user, ref);
  if (!isOpen(callback)) throw closedProblem();
  const now = deps.now();
  const won = deps.store.claimCallback(ref, user.id, now.toISOString(), new Date(now.getTime() - CLAIM_IDLE_MS).toISOString());
  if (!won) throw claimedProblem(deps, deps.store.getCallback(ref)!);
  deps.store.audit({ at: now.toISOString(), actor: user.email, action: 'claim', practice: callback.practice, target: ref });
  deps.events.publish({ type: 'callback.updated', practice: callback.practice, ref });
  return deps.store.getCallback(ref)!;
}

/** Puts the request back in the queue; only its holder may, or an admin. */
export function releaseCallback(deps: Deps, user: User, ref: string): Callback {
  const callback = visibleCallback(deps, user, ref);
  if (!isOpen(callback)) throw closedProblem();
  if (callback.state !== 'claimed') throw new ApiProblem(409, 'not_claimed', 'Nobody holds this request');
  const now = deps.now().toISOString();
  if (!deps.store.releaseClaim(ref, user.role === 'admin' ? null : user.id, now)) throw claimedProblem(deps, callback);
  deps.store.audit({ at: now, actor: user.email, action: 'release', practice: callback.practice, target: ref });
  deps.events.publish({ type: 'callback.updated', practice: callback.practice, ref });
  return deps.store.getCallback(ref)!;
}

export interface AttemptInput {
  outcome: Outcome;
  note?: string;
  /** A message for the practitioner. */
  message?: string;
  retryAt?: string;
}

/**
 * Records what came of a call. The operator must hold the claim. `no_answer` and `voicemail`
 * keep the request open, due again at `retryAt` (or in 30 minutes); any other outcome closes it.
 * Everything, outbox included, is one commit.
 */
export function recordAttempt(deps: Deps, user: User, ref: string, input: AttemptInput): Callback {
  const now = deps.now();
  const at = now.toISOString();
  const retry = RETRY_OUTCOMES.includes(input.outcome);
  let dueAgain: string | undefined;
  if (input.retryAt !== undefined) {
    const when = Date.parse(input.retryAt);
    if (!retry || Number.isNaN(when) || when <= now.getTime() || when > now.getTime() + MAX_RETRY_AHEAD_MS) throw invalid({ retryAt: 'invalid' });
    dueAgain = new Date(when).toISOString();
  }
  const nextDue = dueAgain ?? new Date(now.getTime() + RETRY_DELAY_MS).toISOString();

  let queuedMessages = 0;
  const updated = deps.store.transaction(() => {
    const callback = visibleCallback(deps, user, ref);
    if (!isOpen(callback)) throw closedProblem();
    if (callback.state !== 'claimed' || callback.claimedBy !== user.id) {
      if (callback.state === 'claimed') throw claimedProblem(deps, callback);
      throw new ApiProblem(409, 'not_claimed', 'Claim the request before recording a call');
    }
    const failedBefore = deps.store.listAttempts(callback.id).filter((a) => RETRY_OUTCOMES.includes(a.outcome)).length;
    deps.store.insertAttempt({ callbackId: callback.id, userId: user.id, outcome: input.outcome, note: input.note ?? null, retryAt: retry ? nextDue : null, createdAt: at });
    deps.store.applyAttempt(
      callback.id,
      {
        state: retry ? 'queued' : 'done',
        outcome: retry ? null : input.outcome,
        dueAt: retry ? nextDue : callback.dueAt,
        attempts: callback.attempts + 1,
        firstCallAt: callback.firstCallAt ?? (CALL_OUTCOMES.has(input.outcome) ? at : null),
        closedAt: retry ? null : at,
      },
      at,
    );
    const practice = deps.store.getPractice(callback.practice)!;
    if (input.message) {
      deps.store.insertMessage({ callbackId: callback.id, practice: callback.practice, body: input.message, createdBy: user.id, createdAt: at });
      if (practice.notifyEmail) {
        deps.store.enqueue(
          { channel: 'email', recipient: practice.notifyEmail, payload: practitionerNotice(practice, deps.config.publicUrl), purpose: 'practitioner_message', callbackId: callback.id, practice: practice.slug },
          at,
        );
        queuedMessages++;
      }
    }
    if (retry && failedBefore + 1 === FAILED_CALLS_BEFORE_NOTICE) queuedMessages += queueTriedNotice(deps, practice, callback, at);
    deps.store.audit({
      at,
      actor: user.email,
      action: 'outcome',
      practice: callback.practice,
      target: ref,
      details: { outcome: input.outcome, ...(retry ? { dueAt: nextDue } : {}), message: !!input.message, note: !!input.note },
    });
    return deps.store.getCallback(ref)!;
  });

  deps.log.info('callback_attempt', { ref, practice: updated.practice, outcome: input.outcome, state: updated.state, attempts: updated.attempts });
  deps.events.publish({ type: 'callback.updated', practice: updated.practice, ref });
  if (queuedMessages) deps.wakeOutbox();
  return updated;
}

/** The patient's channel for "we tried": the one they chose for the confirmation, else email if we have one. */
function triedChannel(callback: Callback, practice: Practice): 'sms' | 'email' | undefined {
  if (callback.confirmBy === 'sms' && practice.sms) return 'sms';
  return callback.email ? 'email' : undefined;
}

function queueTriedNotice(deps: Deps, practice: Practice, callback: Callback, at: string): number {
  const channel = triedChannel(callback, practice);
  if (!channel) return 0;
  const facts = { lang: callback.lang, ref: callback.ref, name: callback.name, practice };
  deps.store.enqueue(
    channel === 'sms'
      ? { channel, recipient: callback.phone, payload: triedSms(facts), purpose: 'tried_to_reach', callbackId: callback.id, practice: practice.slug }
      : { channel, recipient: callback.email!, payload: triedEmail(facts), purpose: 'tried_to_reach', callbackId: callback.id, practice: practice.slug },
    at,
  );
  return 1;
}

/** `GET /v1/callbacks/:ref`: the request, who holds it, its calls and the messages taken. */
export function callbackDetail(deps: Deps, user: User, callback: Callback) {
  const holder = callback.claimedBy === null ? undefined : deps.store.getUser(callback.claimedBy);
  const practiceName = practiceNameOf(deps, callback.practice);
  return {
    ref: callback.ref,
    practice: callback.practice,
    practiceName,
    name: callback.name,
    phone: callback.phone,
    /** As an operator reads it aloud: `06 12 34 56 78`, foreign numbers grouped internationally. */
    phoneNational: formatPhoneNational(callback.phone),
    email: callback.email,
    reason: callback.reason,
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
    /** When an idle claim falls back to the queue. */
    claimExpiresAt: callback.claimedAt ? new Date(Date.parse(callback.claimedAt) + CLAIM_IDLE_MS).toISOString() : null,
    attemptCount: callback.attempts,
    mergedCount: callback.mergedCount,
    firstCallAt: callback.firstCallAt,
    closedAt: callback.closedAt,
    attempts: deps.store.listAttempts(callback.id).map((a) => ({ at: a.createdAt, outcome: a.outcome, note: a.note, retryAt: a.retryAt, by: a.userName })),
    messages: deps.store.listMessages({ callbackId: callback.id }).map((m) => messageItem(m, practiceName)),
  };
}

/** The practice's name as people know it; its slug if the practice is gone. */
export const practiceNameOf = (deps: Deps, slug: string) => deps.store.getPractice(slug)?.name ?? slug;

/**
 * A message as the practitioner reads it, with what they need to act on it: whose practice, who to call
 * (E.164 to dial, national to read), in which language, and why they asked. The reason is for the practice's
 * own clinician under medical secrecy; it never goes into the notice email (notify/templates.ts).
 */
export function messageItem(m: PractitionerMessage, practiceName: string) {
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
    redFlag: m.redFlag,
    createdAt: m.createdAt,
    createdBy: m.createdByName,
    readAt: m.readAt,
  };
}
