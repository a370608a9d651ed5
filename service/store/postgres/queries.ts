/**
 * The store's SQL on PostgreSQL (the `postgres` client): one instance on the pool, one per transaction, each
 * statement prepared once per connection. It works below the sealing layer (`QueriesAtRest`), like the SQLite
 * queries it mirrors (sqlite/queries.ts): identities and health fields are the opaque text sealed.ts made of them,
 * and lookups compare keyed hashes, passed as arrays (`= ANY($n)`) so that each statement's text stays the same.
 */
import { OpenRequestExists, PRACTITIONER_PURPOSES, RefTaken } from '../store.js';
import type { ActivityRow, Attempt, AttemptEffect, AuditEntry, AuditFilter, Callback, CallbackMerge, Escalation, HistoryEntry, HitVerdict, IdempotencyRecord, MessageReply, PickedOutbox } from '../store.js';
import type { MessageFilter, NewAttempt, NewAuditEntry, NewUser, Practice, SessionRecord, User, UserChange } from '../store.js';
import type { NewCallbackAtRest, NewMessageAtRest, OutboxCountAtRest, OutboxItemAtRest, OutboxMessageAtRest, PractitionerMessageAtRest } from '../at-rest.js';
import type { QueriesAtRest, QueueFilterAtRest } from '../at-rest.js';
import type { Runner } from './connection.js';

type Row = Record<string, any>;

const OPEN_STATES = `('queued', 'claimed')`;
const DONE_STATES = `('done', 'cancelled')`;

/** Numbered placeholders for a statement built piece by piece: `$1`, `$2`… in the order the values are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** What every `PostgresQueries` of one store shares: parsed practice records by slug, with the version they were read at. */
export interface SharedCache {
  practices: Map<string, { version: number; practice: Practice }>;
  /** When (on the callers' clock) the rate limits' spent rows were last deleted. */
  rateHitsSweptAt?: number;
}

export interface QueriesContext {
  cache: SharedCache;
  /**
   * Runs `work` so that its statements commit together: in a transaction of its own on the pool, or as they come
   * inside the transaction this instance already belongs to.
   */
  atomic<T>(work: (queries: PostgresQueries) => Promise<T>): Promise<T>;
  /** Told of every failed statement (a transaction notes a serialization failure even when its body catches it). */
  failed?(error: unknown): void;
  /** Whether this instance runs inside a transaction (an expected failure then needs a savepoint). */
  inTransaction: boolean;
}

export class PostgresQueries implements QueriesAtRest {
  constructor(
    private readonly db: Runner,
    private readonly context: QueriesContext,
  ) {}

  private async run(text: string, params: unknown[]) {
    try {
      return await this.db.unsafe(text, params as never[], { prepare: true });
    } catch (error) {
      this.context.failed?.(error);
      throw error;
    }
  }

  private async q(text: string, params: unknown[] = []): Promise<Row[]> {
    return this.run(text, params);
  }

  private async one(text: string, params: unknown[] = []): Promise<Row | undefined> {
    return (await this.run(text, params))[0];
  }

  /** How many rows the statement changed. */
  private async count(text: string, params: unknown[] = []): Promise<number> {
    return (await this.run(text, params)).count ?? 0;
  }

  // Practices ---------------------------------------------------------------

  /**
   * The record parsed once per version and frozen, since every reader shares it. One round trip: the record itself
   * travels only when the version stored is not the one already parsed.
   */
  async getPractice(slug: string): Promise<Practice | undefined> {
    const known = this.context.cache.practices.get(slug);
    const row = await this.one('SELECT version, CASE WHEN version = $2 THEN NULL ELSE record END AS record FROM practices WHERE slug = $1', [slug, known?.version ?? -1]);
    if (!row) return undefined;
    return this.practice(slug, row);
  }

  async listPractices(): Promise<Practice[]> {
    const rows = await this.q('SELECT slug, version, record FROM practices ORDER BY slug');
    return rows.map((row) => this.practice(row.slug, row));
  }

  private practice(slug: string, row: Row): Practice {
    const known = this.context.cache.practices.get(slug);
    if (known && known.version === row.version) return known.practice;
    const practice = deepFreeze(row.record as Practice);
    this.context.cache.practices.set(slug, { version: row.version, practice });
    return practice;
  }

  async savePractice(practice: Practice, now: string): Promise<Practice> {
    await this.q(
      `INSERT INTO practices (slug, record, created_at, updated_at) VALUES ($1, $2::json, $3, $3)
       ON CONFLICT (slug) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at, version = practices.version + 1`,
      // The client writes a json parameter as JSON itself.
      [practice.slug, practice, now],
    );
    return practice;
  }

  // Users and sessions ------------------------------------------------------

  private static readonly USER_SELECT = `SELECT u.*, ARRAY(SELECT p.practice FROM user_practices p WHERE p.user_id = u.id ORDER BY p.practice) AS practices FROM users u`;

  private toUser(row: Row): User {
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      disabled: row.disabled,
      practices: row.practices,
      createdAt: row.created_at,
      mustChangePassword: row.must_change_password,
    };
  }

  private async setPractices(userId: number, practices: string[]): Promise<void> {
    await this.q('DELETE FROM user_practices WHERE user_id = $1', [userId]);
    if (practices.length) await this.q('INSERT INTO user_practices (user_id, practice) SELECT $1::bigint, unnest($2::text[])', [userId, [...new Set(practices)]]);
  }

  createUser(user: NewUser, now: string): Promise<User> {
    return this.context.atomic(async (db) => {
      const row = await db.one('INSERT INTO users (email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
        user.email,
        user.name,
        user.role,
        user.passwordHash,
        now,
      ]);
      await db.setPractices(row!.id, user.practices);
      return (await db.getUser(row!.id))!;
    });
  }

  async getUser(id: number): Promise<User | undefined> {
    const row = await this.one(`${PostgresQueries.USER_SELECT} WHERE u.id = $1`, [id]);
    return row && this.toUser(row);
  }

  async findUserByEmail(email: string): Promise<(User & { passwordHash: string }) | undefined> {
    const row = await this.one(`${PostgresQueries.USER_SELECT} WHERE lower(u.email) = lower($1)`, [email]);
    return row && { ...this.toUser(row), passwordHash: row.password_hash };
  }

  async listUsers(): Promise<User[]> {
    return (await this.q(`${PostgresQueries.USER_SELECT} ORDER BY lower(u.email) COLLATE "C", u.email COLLATE "C"`)).map((row) => this.toUser(row));
  }

  updateUser(email: string, change: UserChange): Promise<User | undefined> {
    return this.context.atomic(async (db) => {
      const user = await db.findUserByEmail(email);
      if (!user) return undefined;
      await db.q('UPDATE users SET role = $1, disabled = $2, password_hash = $3, name = $4, must_change_password = $5 WHERE id = $6', [
        change.role ?? user.role,
        change.disabled ?? user.disabled,
        change.passwordHash ?? user.passwordHash,
        change.name ?? user.name,
        change.mustChangePassword ?? user.mustChangePassword,
        user.id,
      ]);
      if (change.practices) await db.setPractices(user.id, change.practices);
      return db.getUser(user.id);
    });
  }

  async countUsers(): Promise<number> {
    return (await this.one('SELECT count(*) AS n FROM users'))!.n;
  }

  async createSession(idHash: string, userId: number, csrf: string, now: string): Promise<void> {
    await this.q('INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at) VALUES ($1, $2, $3, $4, $4)', [idHash, userId, csrf, now]);
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = await this.one('SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
    return row && { userId: row.user_id, csrf: row.csrf, createdAt: row.created_at, seenAt: row.seen_at };
  }

  async touchSession(idHash: string, now: string): Promise<void> {
    await this.q('UPDATE sessions SET seen_at = $1 WHERE id_hash = $2', [now, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.q('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteUserSessions(userId: number): Promise<void> {
    await this.q('DELETE FROM sessions WHERE user_id = $1', [userId]);
  }

  purgeSessions(createdBefore: string): Promise<number> {
    return this.count('DELETE FROM sessions WHERE created_at < $1', [createdBefore]);
  }

  // Callbacks ---------------------------------------------------------------

  private toCallback = (row: Row): Callback => ({
    id: row.id,
    ref: row.ref,
    practice: row.practice,
    name: row.name_sealed,
    phone: row.phone_sealed,
    email: row.email_sealed,
    reason: row.reason_sealed,
    urgency: row.urgency,
    redFlag: row.red_flag,
    suspect: row.suspect,
    preferredWindow: row.preferred_from ? { from: row.preferred_from, to: row.preferred_to } : null,
    confirmBy: row.confirm_by,
    lang: row.lang,
    state: row.state,
    outcome: row.outcome,
    dueAt: row.due_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    attempts: row.attempts,
    mergedCount: row.merged_count,
    firstCallAt: row.first_call_at,
    closedAt: row.closed_at,
    kind: row.kind,
    messageId: row.message_id,
  });

  /**
   * One statement writes the request and the words of its name. A conflict on a unique index does not fail it (a
   * failed statement would end the caller's transaction): nothing is written, and a look at the reference tells
   * which rule refused it. A conflicting request not committed yet is waited for, then counts as there.
   */
  async insertCallback(c: NewCallbackAtRest): Promise<Callback> {
    const row = await this.one(
      `WITH inserted AS (
         INSERT INTO callbacks (ref, practice, name_sealed, name_key, phone_sealed, phone_hash, phone_last4_hash, email_sealed, email_hash,
           reason_sealed, urgency, red_flag, suspect, preferred_from, preferred_to, confirm_by, lang, state, due_at, created_at, updated_at, kind, message_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'queued', $18, $19, $19, $21, $22)
         ON CONFLICT DO NOTHING RETURNING *
       ), words AS (
         INSERT INTO callback_name_words (word_hash, callback_id) SELECT DISTINCT unnest($20::text[]), id FROM inserted
       )
       SELECT * FROM inserted`,
      [
        c.ref,
        c.practice,
        c.name,
        c.lookups.name,
        c.phone,
        c.lookups.phone,
        c.lookups.last4,
        c.email,
        c.lookups.email,
        c.reason,
        c.urgency,
        c.redFlag,
        c.suspect ?? false,
        c.preferredWindow?.from ?? null,
        c.preferredWindow?.to ?? null,
        c.confirmBy,
        c.lang,
        c.dueAt,
        c.createdAt,
        c.lookups.words,
        c.kind ?? 'patient',
        c.messageId ?? null,
      ],
    );
    if (row) return this.toCallback(row);
    if (await this.one('SELECT 1 FROM callbacks WHERE ref = $1', [c.ref])) throw new RefTaken();
    throw new OpenRequestExists();
  }

  async getCallback(ref: string): Promise<Callback | undefined> {
    const row = await this.one('SELECT * FROM callbacks WHERE ref = $1', [ref]);
    return row && this.toCallback(row);
  }

  async listQueue(filter: QueueFilterAtRest): Promise<Callback[]> {
    const where: string[] = [];
    const p = new Params();
    if (filter.state === 'open') where.push(`state IN ${OPEN_STATES}`);
    if (filter.state === 'done') where.push(`state IN ${DONE_STATES}`);
    if (filter.practices) {
      if (filter.practices.length === 0) return [];
      where.push(`practice = ANY(${p.add(filter.practices)}::text[])`);
    }
    if (filter.practice) where.push(`practice = ${p.add(filter.practice)}`);
    if (filter.urgency) where.push(`urgency = ${p.add(filter.urgency)}`);
    if (filter.mine !== undefined) where.push(`claimed_by = ${p.add(filter.mine)}`);
    if (filter.search && !this.searchClause(filter.search, filter.practices, where, p)) return [];
    // Done lists read newest first; the open queue reads in the order operators must call, escalation items (a
    // practitioner who has not acknowledged an urgent message) above everything.
    const order = filter.state === 'done' ? 'closed_at DESC NULLS LAST, id DESC' : "kind = 'escalation' DESC, red_flag DESC, urgency DESC, due_at, created_at, id";
    const sql = `SELECT * FROM callbacks ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT ${p.add(filter.limit ?? 500)}`;
    return (await this.q(sql, p.values)).map(this.toCallback);
  }

  /** As on SQLite: each condition served by an index; false when there is nothing to look for (an empty search finds nothing). */
  private searchClause(search: NonNullable<QueueFilterAtRest['search']>, practices: string[] | undefined, where: string[], p: Params): boolean {
    let any = false;
    if (search.ref !== undefined) {
      where.push(`ref = ${p.add(search.ref)}`);
      any = true;
    }
    if (search.phone?.length) {
      where.push(`phone_hash = ANY(${p.add(search.phone)}::text[])`);
      any = true;
    }
    if (search.last4?.length) {
      const inPractices = practices ? `practice = ANY(${p.add(practices)}::text[])` : 'practice IN (SELECT slug FROM practices)';
      where.push(`id IN (SELECT id FROM callbacks WHERE ${inPractices} AND phone_last4_hash = ANY(${p.add(search.last4)}::text[]))`);
      any = true;
    }
    for (const word of search.words ?? []) {
      if (!word.length) return false;
      where.push(`id IN (SELECT callback_id FROM callback_name_words WHERE word_hash = ANY(${p.add(word)}::text[]))`);
      any = true;
    }
    return any;
  }

  async listHistory(practice: string, phone: string[], beforeId: number, limit: number): Promise<HistoryEntry[]> {
    const rows = await this.q(
      `SELECT ref, created_at, reason_sealed, state, outcome FROM callbacks WHERE phone_hash = ANY($1::text[]) AND practice = $2 AND id < $3 AND kind = 'patient' ORDER BY id DESC LIMIT $4`,
      [phone, practice, beforeId, limit],
    );
    return rows.map((row) => ({ ref: row.ref, createdAt: row.created_at, reason: row.reason_sealed, state: row.state, outcome: row.outcome }));
  }

  async findOpenCallback(practice: string, phone: string[], name: string[]): Promise<Callback | undefined> {
    const row = await this.one(`SELECT * FROM callbacks WHERE practice = $1 AND phone_hash = ANY($2::text[]) AND name_key = ANY($3::text[]) AND state IN ${OPEN_STATES} AND kind = 'patient'`, [
      practice,
      phone,
      name,
    ]);
    return row && this.toCallback(row);
  }

  async countCallbacks(filter: { practice?: string; state: 'open' | 'done' | 'all' }): Promise<number> {
    const where = [filter.state === 'open' ? `state IN ${OPEN_STATES}` : filter.state === 'done' ? `state IN ${DONE_STATES}` : 'true'];
    const p = new Params();
    if (filter.practice !== undefined) where.push(`practice = ${p.add(filter.practice)}`);
    return (await this.one(`SELECT count(*) AS n FROM callbacks WHERE ${where.join(' AND ')}`, p.values))!.n;
  }

  async mergeIntoCallback(id: number, m: CallbackMerge): Promise<Callback> {
    const row = await this.one(
      `UPDATE callbacks SET reason_sealed = $1, urgency = $2, red_flag = red_flag OR $3, suspect = suspect OR $4,
         due_at = LEAST(due_at, coalesce($7::text, due_at)), merged_count = merged_count + 1, updated_at = $5 WHERE id = $6 RETURNING *`,
      [m.reason, m.urgency, m.redFlag, m.suspect, m.now, id, m.dueBy ?? null],
    );
    return this.toCallback(row!);
  }

  async cancelCallback(id: number, now: string): Promise<Callback> {
    const row = await this.one(
      `UPDATE callbacks SET state = 'cancelled', outcome = 'cancelled', claimed_by = NULL, claimed_at = NULL,
         closed_at = $1, updated_at = $1 WHERE id = $2 RETURNING *`,
      [now, id],
    );
    return this.toCallback(row!);
  }

  // Working a request -------------------------------------------------------

  async claimCallback(ref: string, userId: number, now: string, idleBefore: string): Promise<Callback | undefined> {
    // One statement, so two operators racing for the same request cannot both win.
    const row = await this.one(
      `UPDATE callbacks SET state = 'claimed', claimed_by = $1, claimed_at = $2, updated_at = $2
       WHERE ref = $3 AND (state = 'queued' OR (state = 'claimed' AND (claimed_by = $1 OR claimed_at < $4))) RETURNING *`,
      [userId, now, ref, idleBefore],
    );
    return row && this.toCallback(row);
  }

  async releaseClaim(ref: string, userId: number | null, now: string): Promise<Callback | undefined> {
    const row = await this.one(
      `UPDATE callbacks SET state = 'queued', claimed_by = NULL, claimed_at = NULL, updated_at = $1
       WHERE ref = $2 AND state = 'claimed' AND ($3::bigint IS NULL OR claimed_by = $3::bigint) RETURNING *`,
      [now, ref, userId],
    );
    return row && this.toCallback(row);
  }

  async releaseIdleClaims(idleBefore: string, now: string): Promise<{ ref: string; practice: string }[]> {
    const rows = await this.q(
      `UPDATE callbacks SET state = 'queued', claimed_by = NULL, claimed_at = NULL, updated_at = $1
       WHERE state = 'claimed' AND claimed_at < $2 RETURNING ref, practice`,
      [now, idleBefore],
    );
    return rows.map((row) => ({ ref: row.ref, practice: row.practice }));
  }

  async insertAttempt(a: NewAttempt): Promise<number> {
    const row = await this.one(
      'INSERT INTO attempts (callback_id, user_id, outcome, note_sealed, retry_at, retry_rule, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [a.callbackId, a.userId, a.outcome, a.note, a.retryAt, a.retryRule, a.createdAt],
    );
    return row!.id;
  }

  async listAttempts(callbackId: number): Promise<Attempt[]> {
    const rows = await this.q('SELECT a.*, u.name AS user_name FROM attempts a LEFT JOIN users u ON u.id = a.user_id WHERE a.callback_id = $1 ORDER BY a.id', [callbackId]);
    return rows.map((row) => ({
      id: row.id,
      callbackId: row.callback_id,
      userId: row.user_id,
      userName: row.user_name ?? null,
      outcome: row.outcome,
      note: row.note_sealed,
      retryAt: row.retry_at,
      retryRule: row.retry_rule ?? null,
      createdAt: row.created_at,
      undoneAt: row.undone_at ?? null,
    }));
  }

  async applyAttempt(callbackId: number, e: AttemptEffect, now: string): Promise<Callback> {
    // first_due_at keeps the promise made at intake once a retry moves due_at.
    const row = await this.one(
      `UPDATE callbacks SET first_due_at = COALESCE(first_due_at, due_at), state = $1, outcome = $2, due_at = $3, attempts = $4,
         first_call_at = $5, closed_at = $6, claimed_by = NULL, claimed_at = NULL, updated_at = $7
       WHERE id = $8 RETURNING *`,
      [e.state, e.outcome, e.dueAt, e.attempts, e.firstCallAt, e.closedAt, now, callbackId],
    );
    return this.toCallback(row!);
  }

  async markAttemptUndone(attemptId: number, now: string): Promise<void> {
    await this.q('UPDATE attempts SET undone_at = $1 WHERE id = $2', [now, attemptId]);
  }

  async reopenCallback(callbackId: number, r: { claimedBy: number; attempts: number; firstCallAt: string | null }, now: string): Promise<Callback> {
    const reopen = (db: PostgresQueries) =>
      db.one(
        `UPDATE callbacks SET state = 'claimed', outcome = NULL, closed_at = NULL, claimed_by = $1, claimed_at = $2, attempts = $3, first_call_at = $4, updated_at = $2
         WHERE id = $5 RETURNING *`,
        [r.claimedBy, now, r.attempts, r.firstCallAt, callbackId],
      );
    return this.toCallback((await this.mayMeetOpenRequest(reopen))!);
  }

  /**
   * Runs a change the one-open-request index may refuse, answering `OpenRequestExists` then. Inside a transaction it
   * runs in a savepoint, so that the refusal does not end the caller's transaction (which then merges instead).
   */
  private async mayMeetOpenRequest<T>(work: (db: PostgresQueries) => Promise<T>): Promise<T> {
    try {
      return this.context.inTransaction ? await this.savepoint(work) : await work(this);
    } catch (err) {
      if ((err as { code?: string }).code === '23505' && (err as { constraint_name?: string }).constraint_name === 'callbacks_open_person') throw new OpenRequestExists();
      throw err;
    }
  }

  private async savepoint<T>(work: (db: PostgresQueries) => Promise<T>): Promise<T> {
    const tx = this.db as import('postgres').TransactionSql;
    return (await tx.savepoint((inner) => work(new PostgresQueries(inner, this.context)))) as T;
  }

  async closeAsDuplicate(callbackId: number, now: string): Promise<Callback> {
    const row = await this.one(
      `UPDATE callbacks SET state = 'done', outcome = 'duplicate', claimed_by = NULL, claimed_at = NULL, closed_at = $1, updated_at = $1 WHERE id = $2 RETURNING *`,
      [now, callbackId],
    );
    return this.toCallback(row!);
  }

  // Messages for the practitioner -------------------------------------------

  async insertMessage(m: NewMessageAtRest): Promise<number> {
    const row = await this.one(
      `INSERT INTO messages (callback_id, practice, body_sealed, created_by, created_at, instructions_sealed, urgent, to_contact, next_escalation_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [m.callbackId, m.practice, m.body, m.createdBy, m.createdAt, m.instructionsInForce, m.urgent ?? false, m.to ?? null, m.nextEscalationAt ?? null],
    );
    return row!.id;
  }

  private toMessage = (row: Row): PractitionerMessageAtRest => ({
    id: row.id,
    callbackId: row.callback_id,
    ref: row.ref,
    practice: row.practice,
    body: row.body_sealed,
    patientName: row.patient_name,
    patientPhone: row.patient_phone,
    reason: row.reason_sealed,
    requestedAt: row.requested_at,
    redFlag: row.red_flag,
    lang: row.lang,
    createdBy: row.created_by,
    createdByName: row.created_by_name ?? null,
    createdAt: row.created_at,
    readAt: row.read_at,
    instructionsInForce: row.instructions_sealed ?? null,
    urgent: row.urgent,
    to: row.to_contact,
    ackAt: row.ack_at,
    ackBy: row.ack_by,
    escalationStep: row.escalation_step,
    nextEscalationAt: row.next_escalation_at,
  });

  private static readonly MESSAGE_SELECT = `SELECT m.*, c.ref, c.name_sealed AS patient_name, c.phone_sealed AS patient_phone, c.reason_sealed, c.created_at AS requested_at, c.red_flag, c.lang, u.name AS created_by_name
    FROM messages m JOIN callbacks c ON c.id = m.callback_id LEFT JOIN users u ON u.id = m.created_by`;

  async listMessages(filter: MessageFilter): Promise<PractitionerMessageAtRest[]> {
    const where: string[] = [];
    const p = new Params();
    if (filter.practices) {
      if (filter.practices.length === 0) return [];
      where.push(`m.practice = ANY(${p.add(filter.practices)}::text[])`);
    }
    if (filter.practice) where.push(`m.practice = ${p.add(filter.practice)}`);
    if (filter.callbackId !== undefined) where.push(`m.callback_id = ${p.add(filter.callbackId)}`);
    if (filter.unread) where.push('m.read_at IS NULL');
    if (filter.since !== undefined) where.push(`m.created_at >= ${p.add(filter.since)}`);
    const sql = `${PostgresQueries.MESSAGE_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY m.created_at DESC, m.id DESC LIMIT ${p.add(filter.limit ?? 200)}`;
    return (await this.q(sql, p.values)).map(this.toMessage);
  }

  async getMessage(id: number): Promise<PractitionerMessageAtRest | undefined> {
    const row = await this.one(`${PostgresQueries.MESSAGE_SELECT} WHERE m.id = $1`, [id]);
    return row && this.toMessage(row);
  }

  async markMessageRead(id: number, now: string): Promise<void> {
    await this.q('UPDATE messages SET read_at = COALESCE(read_at, $1) WHERE id = $2', [now, id]);
  }

  async acknowledgeMessage(id: number, by: string, now: string): Promise<boolean> {
    return (await this.count('UPDATE messages SET ack_at = $1, ack_by = $2, next_escalation_at = NULL WHERE id = $3 AND ack_at IS NULL', [now, by, id])) === 1;
  }

  async dueEscalations(now: string, limit: number): Promise<number[]> {
    const rows = await this.q('SELECT id FROM messages WHERE next_escalation_at <= $1 AND ack_at IS NULL ORDER BY next_escalation_at, id LIMIT $2', [now, limit]);
    return rows.map((row) => row.id);
  }

  /** The step moves only from the one before it, and only while unacknowledged: of two instances running it, one records it. */
  recordEscalation(e: { messageId: number; step: number; at: string; contacts: string[]; callbackId: number | null; nextAt: string | null }): Promise<boolean> {
    return this.context.atomic(async (db) => {
      const moved = await db.count('UPDATE messages SET escalation_step = $1, next_escalation_at = $2 WHERE id = $3 AND ack_at IS NULL AND escalation_step = $4', [
        e.step,
        e.nextAt,
        e.messageId,
        e.step - 1,
      ]);
      if (moved !== 1) return false;
      await db.q('INSERT INTO message_escalations (message_id, step, at, contacts, callback_id) VALUES ($1, $2, $3, $4::text::json, $5)', [
        e.messageId,
        e.step,
        e.at,
        JSON.stringify(e.contacts),
        e.callbackId,
      ]);
      return true;
    });
  }

  async listEscalations(messageIds: number[]): Promise<Escalation[]> {
    if (!messageIds.length) return [];
    const rows = await this.q(
      'SELECT e.*, c.ref AS callback_ref FROM message_escalations e LEFT JOIN callbacks c ON c.id = e.callback_id WHERE e.message_id = ANY($1::bigint[]) ORDER BY e.message_id, e.step',
      [messageIds],
    );
    return rows.map((row) => ({ messageId: row.message_id, step: row.step, at: row.at, contacts: row.contacts, callbackRef: row.callback_ref ?? null }));
  }

  async insertReply(r: { messageId: number; body: string; userId: number | null; createdAt: string; callbackId: number }): Promise<number> {
    const row = await this.one('INSERT INTO message_replies (message_id, body_sealed, user_id, created_at, callback_id) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
      r.messageId,
      r.body,
      r.userId,
      r.createdAt,
      r.callbackId,
    ]);
    return row!.id;
  }

  async listReplies(filter: { messageIds?: number[]; callbackId?: number }): Promise<MessageReply[]> {
    const where: string[] = [];
    const p = new Params();
    if (filter.messageIds) {
      if (!filter.messageIds.length) return [];
      where.push(`r.message_id = ANY(${p.add(filter.messageIds)}::bigint[])`);
    }
    if (filter.callbackId !== undefined) where.push(`r.callback_id = ${p.add(filter.callbackId)}`);
    const rows = await this.q(
      `SELECT r.*, u.name AS user_name FROM message_replies r JOIN messages m ON m.id = r.message_id LEFT JOIN users u ON u.id = r.user_id
       ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY r.id`,
      p.values,
    );
    return rows.map((row) => ({
      id: row.id,
      messageId: row.message_id,
      callbackId: row.callback_id,
      body: row.body_sealed,
      userId: row.user_id,
      userName: row.user_name ?? null,
      createdAt: row.created_at,
    }));
  }

  async requeueCallback(callbackId: number, dueAt: string, now: string): Promise<Callback> {
    const requeue = (db: PostgresQueries) =>
      db.one(
        `UPDATE callbacks SET state = 'queued', outcome = NULL, closed_at = NULL, claimed_by = NULL, claimed_at = NULL, due_at = $1, updated_at = $2
         WHERE id = $3 RETURNING *`,
        [dueAt, now, callbackId],
      );
    return this.toCallback((await this.mayMeetOpenRequest(requeue))!);
  }

  async findEscalationItem(messageId: number): Promise<Callback | undefined> {
    const row = await this.one(`SELECT * FROM callbacks WHERE message_id = $1 AND kind = 'escalation' AND state IN ${OPEN_STATES}`, [messageId]);
    return row && this.toCallback(row);
  }

  async closeEscalationItem(callbackId: number, now: string): Promise<Callback | undefined> {
    const row = await this.one(
      `UPDATE callbacks SET state = 'done', outcome = 'acknowledged', claimed_by = NULL, claimed_at = NULL, closed_at = $1, updated_at = $1
       WHERE id = $2 AND kind = 'escalation' AND state IN ${OPEN_STATES} RETURNING *`,
      [now, callbackId],
    );
    return row && this.toCallback(row);
  }

  /** Once across instances: the primary key lets one of them in. */
  async claimDigest(practice: string, day: string, now: string): Promise<boolean> {
    return (await this.count('INSERT INTO digests (practice, day, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [practice, day, now])) === 1;
  }

  // Outbox ------------------------------------------------------------------

  async enqueue(m: OutboxMessageAtRest, now: string): Promise<number> {
    const row = await this.one(
      `INSERT INTO outbox (channel, recipient_sealed, recipient_hash, block_hash, payload_sealed, purpose, callback_id, practice, message_id, state, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $10) RETURNING id`,
      [m.channel, m.recipient, m.recipientHash, m.blockHash, m.payload, m.purpose, m.callbackId ?? null, m.practice ?? null, m.messageId ?? null, now],
    );
    return row!.id;
  }

  private toOutbox = (row: Row): OutboxItemAtRest => ({
    id: row.id,
    channel: row.channel,
    recipient: row.recipient_sealed,
    payload: row.payload_sealed,
    purpose: row.purpose,
    callbackId: row.callback_id,
    practice: row.practice,
    state: row.state,
    tries: row.tries,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    messageId: row.message_id,
    sentAt: row.sent_at,
    providerRef: row.provider_ref,
    deliveredAt: row.delivered_at,
    failedAt: row.failed_at,
  });

  /**
   * Picked and leased in one statement. Rows another instance is picking at this moment are skipped (SKIP LOCKED),
   * not waited for; one it picked just before is seen leased (a locked row is read again once its picker commits).
   * One row more than the limit is looked at, not leased: it tells whether more are due.
   */
  async dueOutbox(now: string, channel: 'email' | 'sms', limit: number, leaseUntil: string, skip: number[] = []): Promise<PickedOutbox<OutboxItemAtRest>> {
    const rows = await this.q(
      `WITH due AS (
         SELECT id, next_attempt_at FROM outbox
         WHERE state = 'pending' AND channel = $1 AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until <= $2) AND NOT (id = ANY($3::bigint[]))
         ORDER BY next_attempt_at, id LIMIT $4::integer + 1
         FOR UPDATE SKIP LOCKED),
       leased AS (
         UPDATE outbox SET locked_until = $5 WHERE id IN (SELECT id FROM due ORDER BY next_attempt_at, id LIMIT $4::integer) RETURNING *)
       SELECT leased.*, (SELECT count(*) FROM due) AS due FROM leased`,
      [channel, now, skip, limit, leaseUntil],
    );
    // RETURNING keeps no order: the longest waiting first, as picked.
    const picked = rows.map(this.toOutbox).sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : a.id - b.id));
    return { picked, more: (rows[0]?.due ?? 0) > limit };
  }

  async leaseOutbox(id: number, now: string, leaseUntil: string): Promise<OutboxItemAtRest | undefined> {
    const row = await this.one(
      `UPDATE outbox SET locked_until = $3 WHERE id = $1 AND state IN ('pending', 'dead') AND (locked_until IS NULL OR locked_until <= $2) RETURNING *`,
      [id, now, leaseUntil],
    );
    return row && this.toOutbox(row);
  }

  /** Delivered: the text, which names the patient, has done its job and is dropped; the lease ends with the try. */
  async markSent(id: number, now: string, providerRef?: string): Promise<void> {
    await this.q(
      `UPDATE outbox SET state = 'sent', sent_at = $1, tries = tries + 1, last_error = NULL, payload_sealed = NULL, provider_ref = $2, locked_until = NULL WHERE id = $3`,
      [now, providerRef ?? null, id],
    );
  }

  /** A report after the fact: a late "delivered" never overrides a failure already reported, nor a second report the first. */
  async recordDeliveryReport(providerRef: string, report: { status: 'delivered' | 'failed'; at: string; error?: string }): Promise<OutboxItemAtRest | undefined> {
    const row =
      report.status === 'delivered'
        ? await this.one('UPDATE outbox SET delivered_at = COALESCE(delivered_at, $1) WHERE provider_ref = $2 AND failed_at IS NULL RETURNING *', [report.at, providerRef])
        : await this.one('UPDATE outbox SET failed_at = COALESCE(failed_at, $1), last_error = $2 WHERE provider_ref = $3 AND delivered_at IS NULL RETURNING *', [
            report.at,
            report.error ?? 'undelivered',
            providerRef,
          ]);
    const current = row ?? (await this.one('SELECT * FROM outbox WHERE provider_ref = $1', [providerRef]));
    return current && this.toOutbox(current);
  }

  async listDeliveries(messageIds: number[]): Promise<OutboxItemAtRest[]> {
    if (!messageIds.length) return [];
    return (await this.q('SELECT * FROM outbox WHERE message_id = ANY($1::bigint[]) ORDER BY id', [messageIds])).map(this.toOutbox);
  }

  async markFailed(id: number, error: string, nextAttemptAt: string | null): Promise<void> {
    if (nextAttemptAt) await this.q('UPDATE outbox SET tries = tries + 1, last_error = $1, next_attempt_at = $2, locked_until = NULL WHERE id = $3', [error, nextAttemptAt, id]);
    else await this.q(`UPDATE outbox SET tries = tries + 1, last_error = $1, state = 'dead', locked_until = NULL WHERE id = $2`, [error, id]);
  }

  async listOutbox(state: 'pending' | 'sent' | 'dead'): Promise<OutboxItemAtRest[]> {
    return (await this.q('SELECT * FROM outbox WHERE state = $1 ORDER BY id', [state])).map(this.toOutbox);
  }

  async getOutbox(id: number): Promise<OutboxItemAtRest | undefined> {
    const row = await this.one('SELECT * FROM outbox WHERE id = $1', [id]);
    return row && this.toOutbox(row);
  }

  async countOutbox(f: OutboxCountAtRest): Promise<number> {
    const p = new Params();
    const where = [`channel = ${p.add(f.channel)}`, `created_at > ${p.add(f.since)}`];
    if (f.purpose !== undefined) where.push(`purpose = ${p.add(f.purpose)}`);
    if (f.recipient !== undefined) where.push(`recipient_hash = ANY(${p.add(f.recipient)}::text[])`);
    if (f.block !== undefined) where.push(`block_hash = ANY(${p.add(f.block)}::text[])`);
    if (f.practice !== undefined) where.push(`practice = ${p.add(f.practice)}`);
    if (f.audience !== undefined) where.push(f.audience === 'patient' ? `purpose <> ALL(${p.add(PRACTITIONER_PURPOSES)}::text[])` : `purpose = ANY(${p.add(PRACTITIONER_PURPOSES)}::text[])`);
    return (await this.one(`SELECT count(*) AS n FROM outbox WHERE ${where.join(' AND ')}`, p.values))!.n;
  }

  listOutboxAbout(callbackIds: number[], recipient: string[]): Promise<OutboxItemAtRest[]> {
    return this.q('SELECT * FROM outbox WHERE callback_id = ANY($1::bigint[]) OR recipient_hash = ANY($2::text[]) ORDER BY id', [callbackIds, recipient]).then((rows) =>
      rows.map(this.toOutbox),
    );
  }

  // Idempotency keys --------------------------------------------------------

  async getIdempotency(practice: string, key: string): Promise<IdempotencyRecord | undefined> {
    const row = await this.one('SELECT * FROM idempotency WHERE practice = $1 AND key = $2', [practice, key]);
    return row && { bodyHash: row.body_hash, status: row.status, response: row.response, createdAt: row.created_at };
  }

  async startIdempotency(practice: string, key: string, bodyHash: string, now: string): Promise<boolean> {
    return (await this.count('INSERT INTO idempotency (practice, key, body_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [practice, key, bodyHash, now])) === 1;
  }

  async finishIdempotency(practice: string, key: string, status: number, response: string): Promise<void> {
    await this.q('UPDATE idempotency SET status = $1, response = $2 WHERE practice = $3 AND key = $4', [status, response, practice, key]);
  }

  async deleteIdempotency(practice: string, key: string): Promise<void> {
    await this.q('DELETE FROM idempotency WHERE practice = $1 AND key = $2', [practice, key]);
  }

  purgeIdempotency(before: string): Promise<number> {
    return this.count('DELETE FROM idempotency WHERE created_at < $1', [before]);
  }

  // Retention and a patient's rights ----------------------------------------

  purgeClosed(practice: string, closedBefore: string): Promise<number> {
    return this.count(`DELETE FROM callbacks WHERE practice = $1 AND state IN ${DONE_STATES} AND coalesce(closed_at, updated_at) < $2`, [practice, closedBefore]);
  }

  /** The messages sent to the number go with the requests (their attempts, messages and outbox rows follow by cascade). */
  eraseByPhone(phone: string[]): Promise<number> {
    return this.context.atomic(async (db) => {
      await db.q(`DELETE FROM outbox WHERE channel = 'sms' AND recipient_hash = ANY($1::text[])`, [phone]);
      return db.count(`DELETE FROM callbacks WHERE phone_hash = ANY($1::text[]) AND kind = 'patient'`, [phone]);
    });
  }

  eraseByEmail(email: string[]): Promise<number> {
    return this.context.atomic(async (db) => {
      await db.q(`DELETE FROM outbox WHERE channel = 'email' AND recipient_hash = ANY($1::text[])`, [email]);
      return db.count('DELETE FROM callbacks WHERE email_hash = ANY($1::text[])', [email]);
    });
  }

  async findPatientCallbacks(who: { phone: string[] } | { email: string[] }): Promise<Callback[]> {
    const [column, hashes] = 'phone' in who ? ['phone_hash', who.phone] : ['email_hash', who.email];
    return (await this.q(`SELECT * FROM callbacks WHERE ${column} = ANY($1::text[]) AND kind = 'patient' ORDER BY id`, [hashes])).map(this.toCallback);
  }

  // Reports and audit -------------------------------------------------------

  async activityRows(from: string, to: string, practices?: string[]): Promise<ActivityRow[]> {
    if (practices && practices.length === 0) return [];
    const p = new Params();
    const range = `c.created_at >= ${p.add(from)} AND c.created_at < ${p.add(to)}`;
    const inPractices = practices ? `AND c.practice = ANY(${p.add(practices)}::text[])` : '';
    const rows = await this.q(
      `SELECT c.practice, c.state, c.outcome, c.created_at, COALESCE(c.first_due_at, c.due_at) AS first_due_at, c.first_call_at, c.merged_count,
         (SELECT count(*) FROM attempts a WHERE a.callback_id = c.id AND a.outcome IN ('no_answer', 'voicemail') AND a.undone_at IS NULL) AS failed,
         EXISTS (SELECT 1 FROM messages m WHERE m.callback_id = c.id) AS has_message
       FROM callbacks c WHERE ${range} AND c.kind = 'patient' ${inPractices}`,
      p.values,
    );
    return rows.map((row) => ({
      practice: row.practice,
      state: row.state,
      outcome: row.outcome,
      createdAt: row.created_at,
      firstDueAt: row.first_due_at,
      firstCallAt: row.first_call_at,
      mergedCount: row.merged_count,
      failedAttempts: row.failed,
      hasMessage: row.has_message,
    }));
  }

  async audit(entry: NewAuditEntry): Promise<void> {
    await this.q('INSERT INTO audit (at, actor, action, practice, target, details) VALUES ($1, $2, $3, $4, $5, $6::json)', [
      entry.at,
      entry.actor ?? null,
      entry.action,
      entry.practice ?? null,
      entry.target ?? null,
      entry.details ?? null,
    ]);
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const p = new Params();
    if (filter.before !== undefined) where.push(`id < ${p.add(filter.before)}`);
    for (const [column, value] of [['action', filter.action], ['actor', filter.actor], ['practice', filter.practice], ['target', filter.target]] as const) {
      if (value !== undefined) where.push(`${column} = ${p.add(value)}`);
    }
    const sql = `SELECT * FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ${p.add(filter.limit)}`;
    return (await this.q(sql, p.values)).map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      practice: row.practice,
      target: row.target,
      details: row.details ?? null,
    }));
  }

  // Where accounts sign in from -------------------------------------------

  async rememberSigninPlaces(userId: number, places: string[], now: string): Promise<void> {
    if (!places.length) return;
    await this.q(
      `INSERT INTO signin_places (user_id, place_hash, last_at) SELECT $1::bigint, place, $3 FROM unnest($2::text[]) AS place
       ON CONFLICT (user_id, place_hash) DO UPDATE SET last_at = excluded.last_at`,
      [userId, [...new Set(places)], now],
    );
  }

  async knowsSigninPlace(userId: number, places: string[]): Promise<boolean> {
    if (!places.length) return false;
    return !!(await this.one('SELECT 1 FROM signin_places WHERE user_id = $1 AND place_hash = ANY($2::text[]) LIMIT 1', [userId, places]));
  }

  // Rate limits -------------------------------------------------------------

  /**
   * One statement: the key's row is locked while it is counted (ON CONFLICT DO UPDATE), so hits arriving together on
   * every instance are counted one after the other, and a burst meets the limit once. The hits that left the window go.
   */
  async countHit(key: string, limit: number, windowMs: number, now: string): Promise<HitVerdict> {
    const at = Date.parse(now);
    const row = (await this.one(
      `INSERT INTO rate_hits AS r (key, hits, counted, forget_at) VALUES ($1, ARRAY[$2::bigint], true, $2::bigint + $4::bigint)
       ON CONFLICT (key) DO UPDATE SET
         counted = (SELECT count(*) FROM unnest(r.hits) h WHERE h > $2::bigint - $4::bigint) < $3::integer,
         hits = ARRAY(SELECT h FROM unnest(r.hits) h WHERE h > $2::bigint - $4::bigint ORDER BY h)
           || CASE WHEN (SELECT count(*) FROM unnest(r.hits) h WHERE h > $2::bigint - $4::bigint) < $3::integer THEN ARRAY[$2::bigint] ELSE '{}'::bigint[] END,
         forget_at = GREATEST(r.forget_at, $2::bigint + $4::bigint)
       RETURNING counted, (SELECT min(h) FROM unnest(hits) h) AS oldest`,
      [key, at, limit, windowMs],
    ))!;
    await this.forgetRateHits(at);
    if (row.counted) return { ok: true };
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((row.oldest + windowMs - at) / 1000)) };
  }

  /** Takes out one occurrence of the instant (the same millisecond may have been counted twice). */
  async forgiveHit(key: string, at: string): Promise<void> {
    await this.q(
      `UPDATE rate_hits SET hits = hits[:array_position(hits, $2::bigint) - 1] || hits[array_position(hits, $2::bigint) + 1:]
       WHERE key = $1 AND $2::bigint = ANY(hits)`,
      [key, Date.parse(at)],
    );
  }

  /**
   * Once a minute per store, the rows that count nothing any more go (a spray of addresses leaves one each). Rows being
   * counted or deleted elsewhere at that moment are skipped, never waited for: no two sweeps hold each other up.
   */
  private async forgetRateHits(at: number): Promise<void> {
    const last = this.context.cache.rateHitsSweptAt;
    if (last !== undefined && at >= last && at - last < RATE_SWEEP_MS) return;
    this.context.cache.rateHitsSweptAt = at;
    await this.q('DELETE FROM rate_hits WHERE key IN (SELECT key FROM rate_hits WHERE forget_at < $1::bigint LIMIT 1000 FOR UPDATE SKIP LOCKED)', [at]);
  }
}

/** How often a store deletes the rate limits' rows that count nothing any more. */
const RATE_SWEEP_MS = 60_000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
