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

export type CallbackState = 'queued' | 'claimed' | 'done' | 'cancelled';
export const OUTCOMES = ['reached', 'no_answer', 'voicemail', 'wrong_number', 'spam', 'duplicate', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];

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
>;

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

  audit(entry: { at: string; actor?: string | null; action: string; practice?: string | null; target?: string | null; details?: Record<string, unknown> }): void;
}
