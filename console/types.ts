/**
 * The shapes the console reads from the JSON API, taken from the functions that write them, so a
 * change on the service side is a type error here rather than a blank cell on screen. `Awaited`: those
 * functions may read the (asynchronous) store, and the console sees what they resolve to.
 * Type-only imports: esbuild erases them and no service code reaches the browser bundle.
 */
import type { Practice, User, AuditEntry as StoredAuditEntry } from '../service/store/store.js';
import type { callbackDetail, MessageItem } from '../service/domain/work.js';
import type { queueItem } from '../service/http/routes/queue.js';
import type { userItem } from '../service/http/routes/users.js';
import type { QueueEvent } from '../service/events.js';
import type { outboxItem, OutboxRetry } from '../service/http/routes/outbox.js';
import type { patientRecord } from '../service/domain/retention.js';
export type { ActivityFigures, ActivityReport } from '../shared/activity-report.js';

export type { Role } from '../service/store/store.js';

/** `GET /v1/me`: the account without its id, and the CSRF token every write sends back. */
export type Me = Omit<User, 'id'> & { csrfToken: string; publicUrl: string };

/** A row of `GET /v1/queue`. */
export type QueueItem = Awaited<ReturnType<typeof queueItem>>;

/** `GET /v1/callbacks/:ref` and the answers of claim, release and attempts. */
export type CallbackDetail = Awaited<ReturnType<typeof callbackDetail>>;
export type Attempt = CallbackDetail['attempts'][number];

/** `POST /v1/callbacks/:ref/undo`: the request to work now, and what the undo did not take back. */
export interface UndoResult {
  request: CallbackDetail;
  mergedInto: string | null;
  messageKept: boolean;
}

/** A row of `GET /v1/messages`, also `CallbackDetail['messages']`. */
export type PractitionerMessage = MessageItem;

/** `GET|PUT|POST /v1/practices[/:slug]`; admins also get the emails of the operators assigned. */
export type PracticeRecord = Practice & { operators?: string[] };

/** A row of `GET /v1/users`. */
export type UserRecord = Awaited<ReturnType<typeof userItem>>;

/** A row of `GET /v1/audit`. */
export type AuditEntry = StoredAuditEntry;

/** `GET /v1/practices`, `/v1/users`, `/v1/messages`. */
export interface ListOf<T> {
  items: T[];
}

/** `GET /v1/queue`: one page; `more` says rows exist beyond it. */
export interface QueuePage {
  items: QueueItem[];
  more: boolean;
}

/** `GET /v1/audit`: newest first; `next` is the `before` of the following page, null on the last. */
export interface AuditPage {
  items: AuditEntry[];
  next: number | null;
}

/** Operators' event stream payload: which request changed. */
export type QueueChange = QueueEvent;

/** A row of `GET /v1/outbox`: a message not delivered yet, without its text. */
export type OutboxRow = ReturnType<typeof outboxItem>;

/** `POST /v1/outbox/:id/retry`: what came of the try. */
export type { OutboxRetry };

/** `POST /v1/patients/export`: everything held about one patient. */
export type PatientRecord = Awaited<ReturnType<typeof patientRecord>>;
