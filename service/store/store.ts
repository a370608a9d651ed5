/**
 * What the service keeps, as an interface: routes, domain operations and workers get a `Store`
 * passed in and never know which database is behind it. Every method returns a Promise and is
 * atomic on its own; `transaction(work, args)` runs a named unit of work in one commit, handing it
 * a transaction-scoped `Queries` that everything inside uses. Health fields come out decrypted and
 * go in plain: the sealing layer (sealed.ts) encrypts them at rest for every implementation.
 */
import type { Hours } from '../../shared/hours.js';
import type { AfterHours, ConfirmBy, Urgency } from '../../shared/schemas.js';
import type { Lang } from '../../shared/i18n.js';
import type { Sealer } from '../crypto.js';
import type { Messaging } from '../../shared/on-call.js';

export interface Practice extends Messaging {
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
  /** The practice's consignes for operators (same Markdown as `instructions`): shown with every request, never in a public answer. */
  operatorInstructions?: OperatorInstructions;
  /** What the widget shows patients while the practice is closed (the on-call doctor, 116 117); blank parts absent. */
  afterHours?: AfterHours;
}

/** Consignes by language, as the admin wrote them; a language left blank is absent. */
export interface OperatorInstructions {
  fr?: string;
  en?: string;
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
  /** The password was set by an admin: until its holder chooses their own, their session opens nothing else. */
  mustChangePassword: boolean;
}

import type { CallbackState, Outcome, RetryRule } from '../../shared/callback.js';
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
  /** `escalation`: not a patient's request but an operator's task, calling a practitioner who has not acknowledged an urgent message. */
  kind: CallbackKind;
  /** For an escalation item: the urgent message it chases. */
  messageId: number | null;
}

/** A patient's request, or an escalation item (a practitioner to call about an unacknowledged urgent message). */
export type CallbackKind = 'patient' | 'escalation';

export type NewCallback = Pick<
  Callback,
  'ref' | 'practice' | 'name' | 'phone' | 'email' | 'reason' | 'urgency' | 'redFlag' | 'preferredWindow' | 'confirmBy' | 'lang' | 'dueAt' | 'createdAt'
> &
  Partial<Pick<Callback, 'suspect' | 'kind' | 'messageId'>>;

export interface QueueFilter {
  /** Practices the viewer may see; `undefined` means all (admins). */
  practices?: string[];
  practice?: string;
  state: 'open' | 'done' | 'all';
  limit?: number;
  /** Only requests of this urgency. */
  urgency?: Urgency;
  /** Only requests held by this account (`claimedBy`). */
  mine?: number;
  /** Exact matches only, each given kind must match (see `QueueSearch`). */
  search?: QueueSearch;
}

/**
 * What an operator typed in the queue's search box, read as one kind: a reference, a whole phone (E.164), the last four
 * digits of one, or the words of a name (each word must match, as `nameKey` reads it). Identities are sealed, so the
 * phone and the name are found by their keyed hashes, never by a partial match.
 */
export interface QueueSearch {
  ref?: string;
  phone?: string;
  last4?: string;
  words?: string[];
}

/** An earlier request of the same phone at the same practice, as the request page lists it. */
export interface HistoryEntry {
  ref: string;
  createdAt: string;
  /** Sealed at rest like every reason. */
  reason: string;
  state: CallbackState;
  outcome: Outcome | null;
}

export interface OutboxMessage {
  channel: 'email' | 'sms';
  recipient: string;
  /** `{subject, text, html}` for email, `{body}` for SMS. Never holds a health detail. */
  payload: EmailPayload | SmsPayload;
  purpose: string;
  callbackId?: number | null;
  practice?: string | null;
  /** The message for the practitioner this notifies (its deliveries are shown on it). */
  messageId?: number | null;
}
export interface EmailPayload {
  subject: string;
  text: string;
  html: string;
}
export interface SmsPayload {
  body: string;
}
export interface OutboxItem extends Omit<OutboxMessage, 'payload'> {
  /** What is sent; null once delivered (the text, which names the patient, is not kept after it has done its job). */
  payload: EmailPayload | SmsPayload | null;
  id: number;
  state: 'pending' | 'sent' | 'dead';
  tries: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Identifier the SMS provider gave the message, which its delivery reports name. */
  providerRef: string | null;
  /** Reported delivered to the handset by the SMS provider (email can know no more than sent). */
  deliveredAt: string | null;
  /** Reported undelivered by the provider after it was accepted; with the provider's reason in `lastError`. */
  failedAt: string | null;
}

/** Where a message for the practitioner stands on one channel, as the console shows it. */
export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'failed' | 'dead';

/** The delivery state an outbox row stands in: pending before any try, failed while retrying after one. */
export function deliveryState(item: Pick<OutboxItem, 'state' | 'tries' | 'deliveredAt' | 'failedAt'>): DeliveryState {
  if (item.state === 'dead') return 'dead';
  if (item.state === 'pending') return item.tries === 0 ? 'queued' : 'failed';
  if (item.failedAt) return 'failed';
  return item.deliveredAt ? 'delivered' : 'sent';
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
  /** Why `retryAt` falls when it does; null without a retry, and for attempts recorded before it was kept. */
  retryRule: RetryRule | null;
  createdAt: string;
  /** Set when the operator who recorded it undid it within the undo window; the report no longer counts it. */
  undoneAt: string | null;
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
  /** When the request arrived: the date of its reason's first entry. */
  requestedAt: string;
  redFlag: boolean;
  /** The patient's language. */
  lang: Lang;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  readAt: string | null;
  /** The practice's operator instructions when the message was taken (sealed at rest); null when it had none. */
  instructionsInForce: OperatorInstructions | null;
  /** Sent at once to the contact on call by SMS and email, and escalated until acknowledged. */
  urgent: boolean;
  /** The key of the contact (practice `contacts`) it was addressed to; null when the practice had none. */
  to: string | null;
  ackAt: string | null;
  /** Who acknowledged: an account's email, or `link:KEY` for a contact who confirmed by the signed link. */
  ackBy: string | null;
  /** How many escalation steps have run (0: none yet). */
  escalationStep: number;
  /** When the next step runs unless acknowledged; null once acknowledged or for a routine message. */
  nextEscalationAt: string | null;
}

/** One step of an urgent message's escalation, as recorded. */
export interface Escalation {
  messageId: number;
  step: number;
  at: string;
  /** The contact keys it was sent to at this step. */
  contacts: string[];
  /** The escalation item in the operators' queue, created at the first step. */
  callbackRef: string | null;
}

/** A practitioner's answer to a message (sealed at rest), shown to the operators on the request. */
export interface MessageReply {
  id: number;
  messageId: number;
  callbackId: number;
  body: string;
  userId: number | null;
  userName: string | null;
  createdAt: string;
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

/** Everything a store can read and write, each call atomic; what a transaction's body is handed. */
export interface Queries {
  getPractice(slug: string): Promise<Practice | undefined>;
  listPractices(): Promise<Practice[]>;
  savePractice(practice: Practice, now: string): Promise<Practice>;

  createUser(user: NewUser, now: string): Promise<User>;
  getUser(id: number): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<(User & { passwordHash: string }) | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(email: string, change: UserChange): Promise<User | undefined>;
  countUsers(): Promise<number>;

  createSession(idHash: string, userId: number, csrf: string, now: string): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  touchSession(idHash: string, now: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  deleteUserSessions(userId: number): Promise<void>;
  /** Deletes sessions created before `createdBefore` (past the absolute timeout). */
  purgeSessions(createdBefore: string): Promise<number>;

  /** Throws `OpenRequestExists` when the same person (practice, phone, name key) already has an open request, `RefTaken` when the reference is. */
  insertCallback(callback: NewCallback): Promise<Callback>;
  getCallback(ref: string): Promise<Callback | undefined>;
  listQueue(filter: QueueFilter): Promise<Callback[]>;
  /** How many requests the practices hold in `state` (all practices when none is named). */
  countCallbacks(filter: { practice?: string; state: 'open' | 'done' | 'all' }): Promise<number>;
  /** The open (queued or claimed) request of this person (same phone, same name once normalised) at this practice. */
  findOpenCallback(practice: string, phone: string, name: string): Promise<Callback | undefined>;
  /** Folds a repeated request into an open one: new reason and urgency as given, red flag kept once set, `merged_count` + 1. */
  mergeIntoCallback(id: number, merge: CallbackMerge): Promise<Callback>;
  /** Closes a request at the patient's wish: state and outcome `cancelled`, claim released. */
  cancelCallback(id: number, now: string): Promise<Callback>;

  /** Atomic: takes the request when it is queued, already held by `userId`, or held by a claim idle since before `idleBefore`; undefined when another holds it. */
  claimCallback(ref: string, userId: number, now: string, idleBefore: string): Promise<Callback | undefined>;
  /** Lets a claim go; `userId` null releases whoever holds it (admin). Undefined when the claim was not that user's. */
  releaseClaim(ref: string, userId: number | null, now: string): Promise<Callback | undefined>;
  /** Returns claims idle since before `idleBefore` to the queue; answers which requests moved. */
  releaseIdleClaims(idleBefore: string, now: string): Promise<{ ref: string; practice: string }[]>;
  insertAttempt(attempt: NewAttempt): Promise<number>;
  listAttempts(callbackId: number): Promise<Attempt[]>;
  applyAttempt(callbackId: number, effect: AttemptEffect, now: string): Promise<Callback>;
  /** Marks an attempt undone (its row stays, for the record). */
  markAttemptUndone(attemptId: number, now: string): Promise<void>;
  /**
   * Puts a closed request back in work, held by `claimedBy` since `now`, with `attempts` and `firstCallAt` as the undo
   * restores them. Throws `OpenRequestExists` when the person has opened another request meanwhile.
   */
  reopenCallback(callbackId: number, reopen: { claimedBy: number; attempts: number; firstCallAt: string | null }, now: string): Promise<Callback>;
  /** Marks a closed request as a duplicate folded into another (the undo that found a newer open request). */
  closeAsDuplicate(callbackId: number, now: string): Promise<Callback>;
  /** The earlier requests (id below `beforeId`) from this phone (E.164) at this practice, newest first, at most `limit`. */
  listHistory(practice: string, phone: string, beforeId: number, limit: number): Promise<HistoryEntry[]>;
  insertMessage(message: NewMessage): Promise<number>;
  listMessages(filter: MessageFilter): Promise<PractitionerMessage[]>;
  getMessage(id: number): Promise<PractitionerMessage | undefined>;
  markMessageRead(id: number, now: string): Promise<void>;
  /** Records the acknowledgement and stops the escalation; false when the message was already acknowledged. */
  acknowledgeMessage(id: number, by: string, now: string): Promise<boolean>;
  /** Urgent messages not acknowledged whose next escalation step is due by `now`, oldest first. */
  dueEscalations(now: string, limit: number): Promise<number[]>;
  /** Records a step run, and when the next one is due (null: none). False when the message was acknowledged or the step already ran (another instance). */
  recordEscalation(step: { messageId: number; step: number; at: string; contacts: string[]; callbackId: number | null; nextAt: string | null }): Promise<boolean>;
  listEscalations(messageIds: number[]): Promise<Escalation[]>;
  insertReply(reply: { messageId: number; body: string; userId: number | null; createdAt: string; callbackId: number }): Promise<number>;
  /** The replies to these messages, or those that sent one request back to the queue, oldest first. */
  listReplies(filter: { messageIds?: number[]; callbackId?: number }): Promise<MessageReply[]>;
  /** Puts a closed request back in the queue, unclaimed, due at `dueAt`. Throws `OpenRequestExists` when the person has another open one. */
  requeueCallback(callbackId: number, dueAt: string, now: string): Promise<Callback>;
  /** The open escalation item chasing this message, if any. */
  findEscalationItem(messageId: number): Promise<Callback | undefined>;
  /** Closes an escalation item whose message was acknowledged (outcome `acknowledged`); undefined when it was no longer open. */
  closeEscalationItem(callbackId: number, now: string): Promise<Callback | undefined>;
  /** Records that a practice's digest for `day` went out; false when it already had (once across instances). */
  claimDigest(practice: string, day: string, now: string): Promise<boolean>;

  enqueue(message: OutboxMessage, now: string): Promise<number>;
  /**
   * Picks at most `limit` pending messages of `channel` due by `now`, the longest waiting first, not counting the ids
   * in `skip` (this worker's own, being sent), and leases them until `leaseUntil`: no picker on another instance gets
   * them (here or by `leaseOutbox`) before the lease ends or `markSent`/`markFailed` records their try, so none goes
   * out twice at once; an instance that dies mid-send leaves its leases to run out, and its messages are picked again
   * then. `more`: others were due and left. PostgreSQL keeps the lease in the row, taken with `FOR UPDATE SKIP LOCKED`.
   * SQLite keeps none: one process owns the file, and its worker's `skip` already keeps it from starting a message
   * twice (a restart resends at once what was cut off).
   */
  dueOutbox(now: string, channel: 'email' | 'sms', limit: number, leaseUntil: string, skip?: number[]): Promise<PickedOutbox<OutboxItem>>;
  /**
   * Leases one pending or dead message until `leaseUntil`, whatever its schedule (the admins' "retry now"); undefined
   * when it is sent, gone, or leased by another picker whose lease runs past `now`.
   */
  leaseOutbox(id: number, now: string, leaseUntil: string): Promise<OutboxItem | undefined>;
  markSent(id: number, now: string, providerRef?: string): Promise<void>;
  /** A provider's delivery report for the message it knows as `providerRef`; answers the row, or undefined when unknown. */
  recordDeliveryReport(providerRef: string, report: { status: 'delivered' | 'failed'; at: string; error?: string }): Promise<OutboxItem | undefined>;
  /** What was written to the outbox for these messages for the practitioner (any state), oldest first. */
  listDeliveries(messageIds: number[]): Promise<OutboxItem[]>;
  markFailed(id: number, error: string, nextAttemptAt: string | null): Promise<void>;
  listOutbox(state: 'pending' | 'sent' | 'dead'): Promise<OutboxItem[]>;
  /** Messages of a channel written to the outbox since `since` (any state), narrowed by recipient, recipient prefix, practice or purpose. */
  countOutbox(filter: OutboxCountFilter): Promise<number>;
  /** One message of the outbox by its id, in any state (the admins' "retry now" picks it by id). */
  getOutbox(id: number): Promise<OutboxItem | undefined>;

  getIdempotency(practice: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Records a key as in flight; false when the key is already there. */
  startIdempotency(practice: string, key: string, bodyHash: string, now: string): Promise<boolean>;
  finishIdempotency(practice: string, key: string, status: number, response: string): Promise<void>;
  deleteIdempotency(practice: string, key: string): Promise<void>;
  /** Forgets every key created before `before`. */
  purgeIdempotency(before: string): Promise<number>;

  /** Deletes the practice's requests closed before `closedBefore`, with their attempts, messages and outbox rows. */
  purgeClosed(practice: string, closedBefore: string): Promise<number>;
  /** Deletes every request from this phone (E.164) in every practice, with all that hangs on them, and the messages sent to it. */
  eraseByPhone(phone: string): Promise<number>;
  /** Deletes every request that gave this email address (lowercase), with all that hangs on them, and the emails sent to it. */
  eraseByEmail(email: string): Promise<number>;
  /** Every request from this phone, or that gave this email, in every practice and state, oldest first (a patient's right of access). */
  findPatientCallbacks(who: { phone: string } | { email: string }): Promise<Callback[]>;
  /** The messages written about one of these requests or to this recipient (E.164 or lowercase address), in every state, oldest first. */
  listOutboxAbout(callbackIds: number[], recipient: string): Promise<OutboxItem[]>;

  /** Requests created in `[from, to)` (ISO), for the activity report. */
  activityRows(from: string, to: string, practices?: string[]): Promise<ActivityRow[]>;
  audit(entry: NewAuditEntry): Promise<void>;
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;

  /**
   * Counts a hit on `key` in the sliding window of `windowMs` that ends at `now`, unless `limit` hits are in it already
   * (a refused hit is not counted); refused, answers in how many seconds the oldest leaves the window. Every instance
   * on the store counts together: PostgreSQL keeps a key's hits in one row, changed by one statement (a burst spread
   * over instances meets the limit once); SQLite, whose file one process owns, in that process's memory. Called
   * outside transactions: a hit stands whatever the request does next. Keys go below the sealing layer hashed.
   */
  countHit(key: string, limit: number, windowMs: number, now: string): Promise<HitVerdict>;
  /** Takes back one hit counted on `key` at `at` (a sign-in that turned out right was no failure). */
  forgiveHit(key: string, at: string): Promise<void>;

  /** Remembers where an account signed in from (keyed hashes of an address or a device), with when. */
  rememberSigninPlaces(userId: number, places: string[], now: string): Promise<void>;
  /** Whether the account has signed in from one of these places before. */
  knowsSigninPlace(userId: number, places: string[]): Promise<boolean>;
}

export interface Store extends Queries {
  /**
   * Runs `work` with `args` in one transaction and answers what it returns, once it is durable; a
   * throw rolls back everything it did. The SQLite store ships the whole unit to its writer thread
   * as one message, which is why a transaction is a named `Transaction` rather than a closure.
   */
  transaction<A, R>(work: Transaction<A, R>, args: A): Promise<R>;
  /** Writes a consistent copy of everything stored to `file` (a new file) while the service keeps running; sealed fields stay sealed. */
  backup(file: string): Promise<void>;
  /**
   * After an erasure or a purge: makes sure what was deleted cannot be read back from the store's files (SQLite
   * overwrites deleted content as it goes; this also empties its write-ahead log, which still holds the old pages).
   */
  scrub(): Promise<void>;
  /**
   * After a key rotation: seals again with the current key everything an earlier key sealed, and stores the
   * lookups' hashes anew; then SECRET_KEY_PREVIOUS can go. Answers how many values it re-sealed.
   */
  rekey(): Promise<number>;
  close(): Promise<void>;
}

/** What a transaction's body may use besides the store: the signer of links, and where they point. */
export interface TransactionEnv {
  sealer: Sealer;
  publicUrl: string;
}

/** A unit of work run in one transaction. Its arguments and result must survive `structuredClone`. */
export interface Transaction<A, R> {
  readonly name: string;
  run(tx: Queries, args: A, env: TransactionEnv): Promise<R>;
}

const transactions = new Map<string, Transaction<any, any>>();

/**
 * Declares a transaction at module level, under a name unique across the service, so that a writer
 * thread that imports the same module finds it by that name.
 */
export function transaction<A, R>(name: string, run: (tx: Queries, args: A, env: TransactionEnv) => Promise<R>): Transaction<A, R> {
  const existing = transactions.get(name);
  if (existing && existing.run !== run) throw new Error(`transaction ${name} is declared twice`);
  const work = { name, run };
  transactions.set(name, work);
  return work;
}

/** The transaction declared under `name`, for a writer that received it by name. */
export function transactionNamed(name: string): Transaction<unknown, unknown> {
  const work = transactions.get(name);
  if (!work) throw new Error(`unknown transaction ${name}: is its module loaded by the writer?`);
  return work;
}

/** A new request drew a reference another already has (one chance in thousands at 100,000 stored): draw again. */
export class RefTaken extends Error {
  constructor() {
    super('this reference is already taken');
    this.name = 'RefTaken';
  }
}

/** The same person already has an open request at this practice: merge into it instead. */
export class OpenRequestExists extends Error {
  constructor() {
    super('an open request from this person already exists');
    this.name = 'OpenRequestExists';
  }
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  practices: string[];
  passwordHash: string;
}
export interface UserChange {
  role?: Role;
  practices?: string[];
  disabled?: boolean;
  passwordHash?: string;
  name?: string;
  mustChangePassword?: boolean;
}
export interface SessionRecord {
  userId: number;
  csrf: string;
  createdAt: string;
  seenAt: string;
}
export interface NewAttempt {
  callbackId: number;
  userId: number | null;
  outcome: Outcome;
  note: string | null;
  retryAt: string | null;
  retryRule: RetryRule | null;
  createdAt: string;
}
export interface NewMessage {
  callbackId: number;
  practice: string;
  body: string;
  createdBy: number | null;
  createdAt: string;
  /** A copy of the practice's operator instructions at `createdAt`: what the message is judged by later. */
  instructionsInForce?: OperatorInstructions | null;
  urgent?: boolean;
  to?: string | null;
  nextEscalationAt?: string | null;
}
export interface MessageFilter {
  practices?: string[];
  practice?: string;
  callbackId?: number;
  unread?: boolean;
  /** Only messages taken at or after this instant. */
  since?: string;
  limit?: number;
}
export interface NewAuditEntry {
  at: string;
  actor?: string | null;
  action: string;
  practice?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
}
export interface AuditFilter {
  limit: number;
  before?: number;
  action?: string;
  actor?: string;
  practice?: string;
  /** A request's reference, an account's email… */
  target?: string;
}

export interface CallbackMerge {
  /** The whole reason after the merge (the caller appends). */
  reason: string;
  urgency: Urgency;
  redFlag: boolean;
  /** Kept once set: a repeat sent at a script's speed marks the request for the operator to check. */
  suspect: boolean;
  /** Brings the due time forward to this one when it is earlier (an urgent or red-flag repeat is due now); never later. */
  dueBy?: string;
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
  /** A number block (`numberBlock()` in shared/phone.ts, e.g. `+3361234`): every SMS to a number in it. */
  block?: string;
  practice?: string;
  /** Only what goes to patients, or only what goes to the practice's contacts (`PRACTITIONER_PURPOSES`): each has its own caps. */
  audience?: 'patient' | 'practitioner';
}

/** What `dueOutbox` answers: the messages picked, and whether more were due. */
export interface PickedOutbox<Item> {
  picked: Item[];
  more: boolean;
}

/** What `countHit` answers: counted, or refused until the oldest hit leaves the window. */
export type HitVerdict = { ok: true } | { ok: false; retryAfterS: number };

/** Outbox purposes addressed to the practice's own people: never counted against the patients' SMS caps. */
export const PRACTITIONER_PURPOSES: readonly string[] = ['practitioner_message', 'urgent_message', 'test_alert', 'digest'];
