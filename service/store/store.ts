/**
 * What the service keeps, as an interface: routes and workers get a `Store` passed in
 * and never know it is SQLite. Health fields come out decrypted and go in plain; the
 * implementation encrypts them at rest. All methods are synchronous and each one is
 * atomic; `transaction()` groups several into one commit.
 */
import type { Hours } from '../../shared/hours.js';
import type { ConfirmBy, Urgency } from '../../shared/schemas.js';
import type { Lang } from '../../shared/i18n.js';

export interface Practice {
  slug: string;
  name: string;
  phone: string;
  timezone: string;
  hours: Hours;
  instructions: { fr?: string; en?: string };
  allowedOrigins: string[];
  notifyEmail?: string;
  sms: boolean;
  retentionDays: number;
  privacyUrl?: string;
  /** ISO countries whose mobiles may receive an SMS confirmation; default France with overseas. */
  smsCountries?: string[];
}

export type Role = 'admin' | 'operator' | 'practitioner';
export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  practices: string[];
  createdAt: string;
}

import type { CallbackState, Outcome } from '../../shared/callback.js';
export { OUTCOMES, type CallbackState, type Outcome } from '../../shared/callback.js';

export interface Callback {
  id: number;
  ref: string;
  practice: string;
  name: string;
  phone: string;
  email: string | null;
  reason: string;
  urgency: Urgency;
  redFlag: boolean;
  /** Sent back faster than a person fills the form: queued only because it read as an emergency. */
  suspect: boolean;
  preferredWindow: { from: string; to: string } | null;
  confirmBy: ConfirmBy;
  lang: Lang;
  state: CallbackState;
  outcome: Outcome | null;
  dueAt: string;
  createdAt: string;
  updatedAt: string;
  claimedBy: number | null;
  claimedAt: string | null;
  attempts: number;
  mergedCount: number;
  firstCallAt: string | null;
  closedAt: string | null;
}

export type NewCallback = Pick<
  Callback,
  'ref' | 'practice' | 'name' | 'phone' | 'email' | 'reason' | 'urgency' | 'redFlag' | 'preferredWindow' | 'confirmBy' | 'lang' | 'dueAt' | 'createdAt'
> &
  Partial<Pick<Callback, 'suspect'>>;

export interface QueueFilter {
  /** Practices the viewer may see; `undefined` means all (admins). */
  practices?: string[];
  practice?: string;
  state: 'open' | 'done' | 'all';
  limit?: number;
}

export interface OutboxMessage {
  channel: 'email' | 'sms';
  recipient: string;
  /** `{subject, text, html}` for email, `{body}` for SMS. Never holds a health detail. */
  payload: EmailPayload | SmsPayload;
  purpose: string;
  callbackId?: number | null;
  practice?: string | null;
}
export interface EmailPayload {
  subject: string;
  text: string;
  html: string;
}
export interface SmsPayload {
  body: string;
}
export interface OutboxItem extends OutboxMessage {
  id: number;
  state: 'pending' | 'sent' | 'dead';
  tries: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
}

/** One call (or decision) recorded on a request by an operator. */
export interface Attempt {
  id: number;
  callbackId: number;
  userId: number | null;
  userName: string | null;
  outcome: Outcome;
  /** Operator's note: a health detail, sealed at rest. */
  note: string | null;
  retryAt: string | null;
  createdAt: string;
}

/** A message taken for the practitioner (sealed at rest), with what identifies the request it belongs to. */
export interface PractitionerMessage {
  id: number;
  callbackId: number;
  ref: string;
  practice: string;
  body: string;
  patientName: string;
  patientPhone: string;
  /** The request's reason and red flag, for the practice's own clinician (never for an email). */
  reason: string;
  redFlag: boolean;
  /** The patient's language. */
  lang: Lang;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  readAt: string | null;
}

/** What the activity report needs of a request, without opening any sealed field. */
export interface ActivityRow {
  practice: string;
  state: CallbackState;
  outcome: Outcome | null;
  createdAt: string;
  /** The due time promised at intake, before any retry moved it. */
  firstDueAt: string;
  firstCallAt: string | null;
  mergedCount: number;
  failedAttempts: number;
  hasMessage: boolean;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  practice: string | null;
  target: string | null;
  details: Record<string, unknown> | null;
}

/** How a request changes after an attempt; the claim is always let go. */
export interface AttemptEffect {
  state: CallbackState;
  outcome: Outcome | null;
  dueAt: string;
  attempts: number;
  firstCallAt: string | null;
  closedAt: string | null;
}

export interface Store {
  transaction<T>(fn: () => T): T;
  close(): void;

  getPractice(slug: string): Practice | undefined;
  listPractices(): Practice[];
  savePractice(practice: Practice, now: string): void;

  createUser(user: { email: string; name: string; role: Role; practices: string[]; passwordHash: string }, now: string): User;
  getUser(id: number): User | undefined;
  findUserByEmail(email: string): (User & { passwordHash: string }) | undefined;
  listUsers(): User[];
  updateUser(email: string, change: { role?: Role; practices?: string[]; disabled?: boolean; passwordHash?: string; name?: string }): User | undefined;
  countUsers(): number;

  createSession(idHash: string, userId: number, csrf: string, now: string): void;
  getSession(idHash: string): { userId: number; csrf: string; createdAt: string; seenAt: string } | undefined;
  touchSession(idHash: string, now: string): void;
  deleteSession(idHash: string): void;
  deleteUserSessions(userId: number): void;

  insertCallback(callback: NewCallback): Callback;
  getCallback(ref: string): Callback | undefined;
  listQueue(filter: QueueFilter): Callback[];

  enqueue(message: OutboxMessage, now: string): number;
  dueOutbox(now: string, limit: number): OutboxItem[];
  markSent(id: number, now: string): void;
  markFailed(id: number, error: string, nextAttemptAt: string | null): void;
  listOutbox(state: 'pending' | 'sent' | 'dead'): OutboxItem[];

  /** The open (queued or claimed) request from this phone to this practice, if any: a second one is merged into it. */
  findOpenCallbackByPhone(practice: string, phone: string): Callback | undefined;
  /** Folds a repeated request into an open one: new reason and urgency as given, red flag kept once set, `merged_count` + 1. */
  mergeIntoCallback(id: number, merge: CallbackMerge): Callback;
  /** Closes a request at the patient's wish: state and outcome `cancelled`, claim released. */
  cancelCallback(id: number, now: string): Callback;

  getIdempotency(practice: string, key: string): IdempotencyRecord | undefined;
  /** Records a key as in flight; false when the key is already there. */
  startIdempotency(practice: string, key: string, bodyHash: string, now: string): boolean;
  finishIdempotency(practice: string, key: string, status: number, response: string): void;
  deleteIdempotency(practice: string, key: string): void;
  /** Forgets every key created before `before`. */
  purgeIdempotency(before: string): number;

  /** Messages of a channel written to the outbox since `since` (any state), narrowed by recipient, recipient prefix, practice or purpose. */
  countOutbox(filter: OutboxCountFilter): number;

  audit(entry: { at: string; actor?: string | null; action: string; practice?: string | null; target?: string | null; details?: Record<string, unknown> }): void;

  // Retention and erasure.
  /** Deletes the practice's requests closed before `closedBefore`, with their attempts, messages and outbox rows. */
  purgeClosed(practice: string, closedBefore: string): number;
  /** Deletes every request from this phone (E.164) in every practice, with all that hangs on them, and the messages sent to it. */
  eraseByPhone(phone: string): number;
  /** Deletes sessions created before `createdBefore` (past the absolute timeout). */
  purgeSessions(createdBefore: string): number;

  // Working a request (operators' console).
  /** Atomic: succeeds when the request is queued, already held by `userId`, or held by a claim idle since before `idleBefore`. */
  claimCallback(ref: string, userId: number, now: string, idleBefore: string): boolean;
  /** Lets a claim go; `userId` null releases whoever holds it (admin). */
  releaseClaim(ref: string, userId: number | null, now: string): boolean;
  /** Returns claims idle since before `idleBefore` to the queue; answers which requests moved. */
  releaseIdleClaims(idleBefore: string, now: string): { ref: string; practice: string }[];
  insertAttempt(attempt: { callbackId: number; userId: number | null; outcome: Outcome; note: string | null; retryAt: string | null; createdAt: string }): number;
  listAttempts(callbackId: number): Attempt[];
  applyAttempt(callbackId: number, effect: AttemptEffect, now: string): void;
  insertMessage(message: { callbackId: number; practice: string; body: string; createdBy: number | null; createdAt: string }): number;
  listMessages(filter: { practices?: string[]; practice?: string; callbackId?: number; unread?: boolean; limit?: number }): PractitionerMessage[];
  getMessage(id: number): PractitionerMessage | undefined;
  markMessageRead(id: number, now: string): void;
  /** Requests created in `[from, to)` (ISO), for the activity report. */
  activityRows(from: string, to: string, practices?: string[]): ActivityRow[];
  listAudit(filter: { limit: number; before?: number; action?: string; actor?: string; practice?: string }): AuditEntry[];
}

export interface CallbackMerge {
  /** The whole reason after the merge (the caller appends). */
  reason: string;
  urgency: Urgency;
  redFlag: boolean;
  /** Kept once set: a repeat sent at a script's speed marks the request for the operator to check. */
  suspect: boolean;
  now: string;
}

export interface IdempotencyRecord {
  bodyHash: string;
  /** Null while the first request is in flight. */
  status: number | null;
  response: string | null;
  createdAt: string;
}

export interface OutboxCountFilter {
  channel: 'sms' | 'email';
  since: string;
  purpose?: string;
  recipient?: string;
  /** E.164 prefix such as `+3361234`: every number in that block. */
  recipientPrefix?: string;
  practice?: string;
}
