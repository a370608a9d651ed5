/** The shapes the console reads from the JSON API (SPEC "Operator console and API"), loose where the API may add fields. */
import type { Hours } from '../../../shared/hours.js';

export type Role = 'admin' | 'operator' | 'practitioner';

export interface Me {
  email: string;
  name: string;
  role: Role;
  practices: string[];
  disabled: boolean;
  createdAt: string;
  csrfToken: string;
  id?: number;
}

export interface QueueItem {
  ref: string;
  practice: string;
  name: string;
  phone: string;
  reason: string;
  urgency: 'routine' | 'soon' | 'urgent';
  redFlag: boolean;
  state: 'queued' | 'claimed' | 'done' | 'cancelled';
  dueAt: string;
  createdAt: string;
  claimedBy: number | null;
  claimedByName: string | null;
  claimedByMe: boolean;
  attempts: number | Attempt[];
  outcome?: string | null;
}

export interface Attempt {
  at?: string;
  createdAt?: string;
  outcome: string;
  note?: string | null;
  by?: string | number | { email?: string; name?: string } | null;
  operator?: string | null;
  retryAt?: string | null;
}

export interface PractitionerMessage {
  id?: number;
  ref?: string;
  practice?: string;
  name?: string;
  patientName?: string;
  phone?: string;
  patientPhone?: string;
  message?: string;
  text?: string;
  body?: string;
  at?: string;
  createdAt?: string;
  by?: string | { email?: string; name?: string } | null;
  author?: string | null;
  createdBy?: string | null;
  readAt?: string | null;
}

export interface CallbackDetail extends QueueItem {
  email?: string | null;
  preferredWindow?: { from: string; to: string } | null;
  confirmBy?: string;
  lang?: string;
  messages?: PractitionerMessage[];
}

export interface PracticeRecord {
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
}

export interface UserRecord {
  email: string;
  name: string;
  role: Role;
  practices: string[];
  disabled: boolean;
  createdAt?: string;
}

export interface AuditEntry {
  at: string;
  actor?: string | null;
  action: string;
  practice?: string | null;
  target?: string | null;
  details?: Record<string, unknown> | null;
}

export interface ListOf<T> {
  items: T[];
  /** The queue only: more rows exist than this page shows. */
  more?: boolean;
}

/** Operators' event stream payload: which request changed. */
export interface QueueChange {
  type: 'callback.created' | 'callback.updated';
  ref: string;
  practice: string;
}
