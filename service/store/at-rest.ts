/**
 * What a store implementation keeps, below the sealing layer (sealed.ts): identities (name, phone, email), health
 * fields and outbox messages arrive sealed, with keyed hashes beside them for the lookups that need equality.
 * An implementation never sees a patient's name, number or address in clear, and never needs to.
 */
import type { Callback, HistoryEntry, MessageFilter, MessageReply, NewCallback, NewMessage, OutboxItem, OutboxMessage, PickedOutbox, PractitionerMessage, Queries, QueueFilter, Store } from './store.js';

/** Keyed hashes stored with a request: what merging, caps, erasure and search compare. */
export interface CallbackLookups {
  /** Of the phone in E.164. */
  phone: string;
  /** Of its last four digits (search). */
  last4: string;
  /** Of the name as compared (`nameKey`): the one-open-request rule. */
  name: string;
  /** Of each word of the name as compared (search by a word). */
  words: string[];
  /** Of the email, lowercase. */
  email: string | null;
}

/** A new request as stored: `name`, `phone`, `email` and `reason` sealed. */
export interface NewCallbackAtRest extends NewCallback {
  lookups: CallbackLookups;
}

/** An outbox message as stored: `recipient` sealed, `payload` sealed JSON, hashes for the caps and erasure. */
export interface OutboxMessageAtRest extends Omit<OutboxMessage, 'payload'> {
  payload: string;
  recipientHash: string;
  /** Of the number block, for SMS. */
  blockHash: string | null;
}

/** An outbox row as stored: `recipient` sealed, `payload` sealed JSON until delivered, then null. */
export interface OutboxItemAtRest extends Omit<OutboxItem, 'payload'> {
  payload: string | null;
}

/** A message for the practitioner as stored: `body` sealed, the instructions in force sealed JSON (null when none). */
export interface NewMessageAtRest extends Omit<NewMessage, 'instructionsInForce'> {
  instructionsInForce: string | null;
}

/** A message as stored: `body`, the patient's identity and reason sealed, the instructions in force sealed JSON or null. */
export interface PractitionerMessageAtRest extends Omit<PractitionerMessage, 'instructionsInForce'> {
  instructionsInForce: string | null;
}

/** Counting outbox messages by hashes (each earlier key's too, while a rotation runs). */
export interface OutboxCountAtRest {
  channel: 'sms' | 'email';
  since: string;
  purpose?: string;
  practice?: string;
  recipient?: string[];
  block?: string[];
  audience?: 'patient' | 'practitioner';
}

type Changed =
  | 'insertCallback'
  | 'findOpenCallback'
  | 'countOutbox'
  | 'eraseByPhone'
  | 'eraseByEmail'
  | 'findPatientCallbacks'
  | 'listOutboxAbout'
  | 'enqueue'
  | 'dueOutbox'
  | 'leaseOutbox'
  | 'listOutbox'
  | 'getOutbox'
  | 'insertMessage'
  | 'listMessages'
  | 'getMessage'
  | 'listQueue'
  | 'listHistory'
  | 'recordDeliveryReport'
  | 'listDeliveries'
  | 'insertReply'
  | 'listReplies';

/** A queue search as an implementation answers it: the phone, its last four digits and each word of the name as their hashes under every key. */
export interface QueueFilterAtRest extends Omit<QueueFilter, 'search'> {
  search?: { ref?: string; phone?: string[]; last4?: string[]; words?: string[][] };
}

/** `Queries` as an implementation answers them; lookups take every hash a value may have been stored under. */
export interface QueriesAtRest extends Omit<Queries, Changed> {
  insertCallback(callback: NewCallbackAtRest): Promise<Callback>;
  findOpenCallback(practice: string, phone: string[], name: string[]): Promise<Callback | undefined>;
  countOutbox(filter: OutboxCountAtRest): Promise<number>;
  eraseByPhone(phone: string[]): Promise<number>;
  eraseByEmail(email: string[]): Promise<number>;
  findPatientCallbacks(who: { phone: string[] } | { email: string[] }): Promise<Callback[]>;
  listOutboxAbout(callbackIds: number[], recipient: string[]): Promise<OutboxItemAtRest[]>;
  enqueue(message: OutboxMessageAtRest, now: string): Promise<number>;
  dueOutbox(now: string, channel: 'email' | 'sms', limit: number, leaseUntil: string, skip?: number[]): Promise<PickedOutbox<OutboxItemAtRest>>;
  leaseOutbox(id: number, now: string, leaseUntil: string): Promise<OutboxItemAtRest | undefined>;
  listOutbox(state: 'pending' | 'sent' | 'dead'): Promise<OutboxItemAtRest[]>;
  getOutbox(id: number): Promise<OutboxItemAtRest | undefined>;
  insertMessage(message: NewMessageAtRest): Promise<number>;
  listMessages(filter: MessageFilter): Promise<PractitionerMessageAtRest[]>;
  getMessage(id: number): Promise<PractitionerMessageAtRest | undefined>;
  listQueue(filter: QueueFilterAtRest): Promise<Callback[]>;
  listHistory(practice: string, phone: string[], beforeId: number, limit: number): Promise<HistoryEntry[]>;
  recordDeliveryReport(providerRef: string, report: { status: 'delivered' | 'failed'; at: string; error?: string }): Promise<OutboxItemAtRest | undefined>;
  listDeliveries(messageIds: number[]): Promise<OutboxItemAtRest[]>;
  /** `body` sealed. */
  insertReply(reply: { messageId: number; body: string; userId: number | null; createdAt: string; callbackId: number }): Promise<number>;
  /** `body` sealed. */
  listReplies(filter: { messageIds?: number[]; callbackId?: number }): Promise<MessageReply[]>;
}

export interface StoreAtRest extends QueriesAtRest, Pick<Store, 'transaction' | 'backup' | 'scrub' | 'close' | 'rekey'> {}
