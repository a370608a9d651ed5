/**
 * The store's SQL on SQLite, synchronous (better-sqlite3): one instance per connection, used by the
 * writer (writer.ts) for changes and by a reader connection for reads. It works below the sealing layer
 * (`QueriesAtRest`): identities and health fields are the opaque text sealed.ts made of them, and lookups
 * compare keyed hashes.
 */
import type Database from 'better-sqlite3';
import { OpenRequestExists, PRACTITIONER_PURPOSES, RefTaken } from '../store.js';
import type { Callback, HistoryEntry, Practice, User } from '../store.js';
import type { NewCallbackAtRest, NewMessageAtRest, OutboxCountAtRest, QueueFilterAtRest, OutboxItemAtRest, OutboxMessageAtRest, PractitionerMessageAtRest, QueriesAtRest } from '../at-rest.js';
import type { ActivityRow, Attempt, AttemptEffect, AuditEntry, AuditFilter, Escalation, MessageFilter, MessageReply, NewAttempt, NewAuditEntry, NewUser } from '../store.js';
import type { CallbackMerge, HitVerdict, IdempotencyRecord, PickedOutbox, SessionRecord, UserChange } from '../store.js';
import { createRateLimiter, type RateLimiter } from '../../domain/rate-limit.js';

/** `QueriesAtRest` as the synchronous driver answers them. */
export type SyncQueries = { [K in keyof QueriesAtRest]: (...args: Parameters<QueriesAtRest[K]>) => Awaited<ReturnType<QueriesAtRest[K]>> };

/** `?, ?, ?` for a list of values. */
const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');

type Row = Record<string, any>;

const OPEN_STATES = `('queued', 'claimed')`;
const DONE_STATES = `('done', 'cancelled')`;

export class SqliteQueries implements SyncQueries {
  constructor(private readonly db: Database.Database) {}

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, compiled once per SQL text: preparing costs as much as running a small query. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  // Practices ---------------------------------------------------------------

  getPractice(slug: string): Practice | undefined {
    const row = this.sql('SELECT slug, version FROM practices WHERE slug = ?').get(slug) as Row | undefined;
    return row && this.practice(row);
  }

  listPractices(): Practice[] {
    return (this.sql('SELECT slug, version FROM practices ORDER BY slug').all() as Row[]).map((row) => this.practice(row));
  }

  /** Parsed records by slug: every public request reads its practice, and the record rarely changes. */
  private readonly practices = new Map<string, { version: number; practice: Practice }>();

  /** The record read and parsed once per version and frozen, since every reader shares it (and its hours' cached opening state). */
  private practice(row: Row): Practice {
    const known = this.practices.get(row.slug);
    if (known && known.version === row.version) return known.practice;
    const { record } = this.sql('SELECT record FROM practices WHERE slug = ?').get(row.slug) as Row;
    const practice = deepFreeze(JSON.parse(record) as Practice);
    this.practices.set(row.slug, { version: row.version, practice });
    return practice;
  }

  savePractice(practice: Practice, now: string): Practice {
    this
      .sql(
        `INSERT INTO practices (slug, record, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (slug) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at, version = version + 1`,
      )
      .run(practice.slug, JSON.stringify(practice), now, now);
    return practice;
  }

  // Users and sessions ------------------------------------------------------

  private toUser(row: Row): User {
    const practices = (this.sql('SELECT practice FROM user_practices WHERE user_id = ? ORDER BY practice').all(row.id) as Row[]).map(
      (r) => r.practice as string,
    );
    return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: !!row.disabled, practices, createdAt: row.created_at, mustChangePassword: !!row.must_change_password };
  }

  private setPractices(userId: number, practices: string[]): void {
    this.sql('DELETE FROM user_practices WHERE user_id = ?').run(userId);
    const insert = this.sql('INSERT INTO user_practices (user_id, practice) VALUES (?, ?)');
    for (const slug of new Set(practices)) insert.run(userId, slug);
  }

  /** Callers run it inside a transaction (the user row and its practices commit together). */
  createUser(user: NewUser, now: string): User {
    const { lastInsertRowid } = this
      .sql('INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(user.email, user.name, user.role, user.passwordHash, now);
    this.setPractices(Number(lastInsertRowid), user.practices);
    return this.getUser(Number(lastInsertRowid))!;
  }

  getUser(id: number): User | undefined {
    const row = this.sql('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return row && this.toUser(row);
  }

  findUserByEmail(email: string): (User & { passwordHash: string }) | undefined {
    const row = this.sql('SELECT * FROM users WHERE email = ?').get(email) as Row | undefined;
    return row && { ...this.toUser(row), passwordHash: row.password_hash };
  }

  listUsers(): User[] {
    return (this.sql('SELECT * FROM users ORDER BY email').all() as Row[]).map((row) => this.toUser(row));
  }

  updateUser(email: string, change: UserChange): User | undefined {
    const user = this.findUserByEmail(email);
    if (!user) return undefined;
    this
      .sql('UPDATE users SET role = ?, disabled = ?, password_hash = ?, name = ?, must_change_password = ? WHERE id = ?')
      .run(
        change.role ?? user.role,
        (change.disabled ?? user.disabled) ? 1 : 0,
        change.passwordHash ?? user.passwordHash,
        change.name ?? user.name,
        (change.mustChangePassword ?? user.mustChangePassword) ? 1 : 0,
        user.id,
      );
    if (change.practices) this.setPractices(user.id, change.practices);
    return this.getUser(user.id);
  }

  countUsers(): number {
    return (this.sql('SELECT count(*) AS n FROM users').get() as Row).n;
  }

  createSession(idHash: string, userId: number, csrf: string, now: string): void {
    this.sql('INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)').run(idHash, userId, csrf, now, now);
  }

  getSession(idHash: string): SessionRecord | undefined {
    const row = this.sql('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as Row | undefined;
    return row && { userId: row.user_id as number, csrf: row.csrf as string, createdAt: row.created_at as string, seenAt: row.seen_at as string };
  }

  touchSession(idHash: string, now: string): void {
    this.sql('UPDATE sessions SET seen_at = ? WHERE id_hash = ?').run(now, idHash);
  }

  deleteSession(idHash: string): void {
    this.sql('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  deleteUserSessions(userId: number): void {
    this.sql('DELETE FROM sessions WHERE user_id = ?').run(userId);
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
    redFlag: !!row.red_flag,
    suspect: !!row.suspect,
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

  /** Callers run it inside a transaction (the request and the words of its name go together). */
  insertCallback(c: NewCallbackAtRest): Callback {
    let row: Row;
    try {
      row = this
        .sql(
          `INSERT INTO callbacks (ref, practice, name_sealed, name_key, phone_sealed, phone_hash, phone_last4_hash, email_sealed, email_hash,
             reason_sealed, urgency, red_flag, suspect, preferred_from, preferred_to, confirm_by, lang, state, due_at, created_at, updated_at, kind, message_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
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
        c.redFlag ? 1 : 0,
        c.suspect ? 1 : 0,
        c.preferredWindow?.from ?? null,
        c.preferredWindow?.to ?? null,
        c.confirmBy,
        c.lang,
        c.dueAt,
        c.createdAt,
        c.createdAt,
        c.kind ?? 'patient',
        c.messageId ?? null,
      ) as Row;
    } catch (err) {
      // The one-open-request-per-person index (practice, phone_hash, name_key): the caller merges instead.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /name_key/.test((err as Error).message)) throw new OpenRequestExists();
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /callbacks\.ref/.test((err as Error).message)) throw new RefTaken();
      throw err;
    }
    const word = this.sql('INSERT OR IGNORE INTO callback_name_words (word_hash, callback_id) VALUES (?, ?)');
    for (const hash of c.lookups.words) word.run(hash, row.id);
    return this.toCallback(row);
  }

  getCallback(ref: string): Callback | undefined {
    const row = this.sql('SELECT * FROM callbacks WHERE ref = ?').get(ref) as Row | undefined;
    return row && this.toCallback(row);
  }

  listQueue(filter: QueueFilterAtRest): Callback[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.state === 'open') where.push(`state IN ${OPEN_STATES}`);
    if (filter.state === 'done') where.push(`state IN ${DONE_STATES}`);
    if (filter.practices) {
      if (filter.practices.length === 0) return [];
      where.push(`practice IN (${filter.practices.map(() => '?').join(', ')})`);
      params.push(...filter.practices);
    }
    if (filter.practice) {
      where.push('practice = ?');
      params.push(filter.practice);
    }
    if (filter.urgency) {
      where.push('urgency = ?');
      params.push(filter.urgency);
    }
    if (filter.mine !== undefined) {
      where.push('claimed_by = ?');
      params.push(filter.mine);
    }
    if (filter.search && !this.searchClause(filter.search, filter.practices, where, params)) return [];
    // Done lists read newest first; the open queue reads in the order operators must call.
    // Escalation items (a practitioner who has not acknowledged an urgent message) stand above everything.
    const order = filter.state === 'done' ? 'closed_at DESC, id DESC' : "kind = 'escalation' DESC, red_flag DESC, urgency DESC, due_at, created_at, id";
    const sql = `SELECT * FROM callbacks ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT ?`;
    return (this.sql(sql).all(...params, filter.limit ?? 500) as Row[]).map(this.toCallback);
  }

  /**
   * The search's conditions, each served by an index: the reference's own, the phone hash's, (practice, last-four hash)
   * — hence the practices named even for an admin — and the name words' table, one subquery per word (all must match).
   * False when there is nothing to look for: an empty search finds nothing rather than everything.
   */
  private searchClause(search: NonNullable<QueueFilterAtRest['search']>, practices: string[] | undefined, where: string[], params: unknown[]): boolean {
    let any = false;
    if (search.ref !== undefined) {
      where.push('ref = ?');
      params.push(search.ref);
      any = true;
    }
    if (search.phone?.length) {
      where.push(`phone_hash IN (${marks(search.phone)})`);
      params.push(...search.phone);
      any = true;
    }
    if (search.last4?.length) {
      const inPractices = practices ? `practice IN (${marks(practices)})` : 'practice IN (SELECT slug FROM practices)';
      where.push(`id IN (SELECT id FROM callbacks WHERE ${inPractices} AND phone_last4_hash IN (${marks(search.last4)}))`);
      params.push(...(practices ?? []), ...search.last4);
      any = true;
    }
    for (const word of search.words ?? []) {
      if (!word.length) return false;
      where.push(`id IN (SELECT callback_id FROM callback_name_words WHERE word_hash IN (${marks(word)}))`);
      params.push(...word);
      any = true;
    }
    return any;
  }

  listHistory(practice: string, phone: string[], beforeId: number, limit: number): HistoryEntry[] {
    return (
      this
        .sql(`SELECT ref, created_at, reason_sealed, state, outcome FROM callbacks WHERE phone_hash IN (${marks(phone)}) AND practice = ? AND id < ? AND kind = 'patient' ORDER BY id DESC LIMIT ?`)
        .all(...phone, practice, beforeId, limit) as Row[]
    ).map((row) => ({ ref: row.ref, createdAt: row.created_at, reason: row.reason_sealed, state: row.state, outcome: row.outcome }));
  }

  // Outbox ------------------------------------------------------------------

  enqueue(m: OutboxMessageAtRest, now: string): number {
    const { lastInsertRowid } = this
      .sql(
        `INSERT INTO outbox (channel, recipient_sealed, recipient_hash, block_hash, payload_sealed, purpose, callback_id, practice, message_id, state, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(m.channel, m.recipient, m.recipientHash, m.blockHash, m.payload, m.purpose, m.callbackId ?? null, m.practice ?? null, m.messageId ?? null, now, now);
    return Number(lastInsertRowid);
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

  /** No lease: one process owns the file, and its worker skips what it is sending (`skip`). One more row tells whether more are due. */
  dueOutbox(now: string, channel: 'email' | 'sms', limit: number, _leaseUntil: string, skip: number[] = []): PickedOutbox<OutboxItemAtRest> {
    const notSkipped = skip.length ? `AND id NOT IN (${marks(skip)})` : '';
    const rows = this.sql(`SELECT * FROM outbox WHERE state = 'pending' AND channel = ? AND next_attempt_at <= ? ${notSkipped} ORDER BY next_attempt_at, id LIMIT ?`).all(
      channel,
      now,
      ...skip,
      limit + 1,
    ) as Row[];
    return { picked: rows.slice(0, limit).map(this.toOutbox), more: rows.length > limit };
  }

  /** No lease, as for `dueOutbox`: the message as it stands, unless sent. */
  leaseOutbox(id: number, _now: string, _leaseUntil: string): OutboxItemAtRest | undefined {
    const row = this.sql(`SELECT * FROM outbox WHERE id = ? AND state IN ('pending', 'dead')`).get(id) as Row | undefined;
    return row && this.toOutbox(row);
  }

  /** Delivered: the text, which names the patient, has done its job and is dropped. */
  markSent(id: number, now: string, providerRef?: string): void {
    this
      .sql(`UPDATE outbox SET state = 'sent', sent_at = ?, tries = tries + 1, last_error = NULL, payload_sealed = NULL, provider_ref = ? WHERE id = ?`)
      .run(now, providerRef ?? null, id);
  }

  /** A report after the fact: a late "delivered" never overrides a failure already reported, nor a second report the first. */
  recordDeliveryReport(providerRef: string, report: { status: 'delivered' | 'failed'; at: string; error?: string }): OutboxItemAtRest | undefined {
    const row =
      report.status === 'delivered'
        ? this.sql(`UPDATE outbox SET delivered_at = COALESCE(delivered_at, ?) WHERE provider_ref = ? AND failed_at IS NULL RETURNING *`).get(report.at, providerRef)
        : this.sql(`UPDATE outbox SET failed_at = COALESCE(failed_at, ?), last_error = ? WHERE provider_ref = ? AND delivered_at IS NULL RETURNING *`).get(report.at, report.error ?? 'undelivered', providerRef);
    const current = (row ?? this.sql('SELECT * FROM outbox WHERE provider_ref = ?').get(providerRef)) as Row | undefined;
    return current && this.toOutbox(current);
  }

  listDeliveries(messageIds: number[]): OutboxItemAtRest[] {
    if (!messageIds.length) return [];
    return (this.sql(`SELECT * FROM outbox WHERE message_id IN (${marks(messageIds)}) ORDER BY id`).all(...messageIds) as Row[]).map(this.toOutbox);
  }

  markFailed(id: number, error: string, nextAttemptAt: string | null): void {
    if (nextAttemptAt) {
      this.sql(`UPDATE outbox SET tries = tries + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`).run(error, nextAttemptAt, id);
    } else {
      this.sql(`UPDATE outbox SET tries = tries + 1, last_error = ?, state = 'dead' WHERE id = ?`).run(error, id);
    }
  }

  listOutbox(state: 'pending' | 'sent' | 'dead'): OutboxItemAtRest[] {
    return (this.sql('SELECT * FROM outbox WHERE state = ? ORDER BY id').all(state) as Row[]).map(this.toOutbox);
  }

  getOutbox(id: number): OutboxItemAtRest | undefined {
    const row = this.sql('SELECT * FROM outbox WHERE id = ?').get(id) as Row | undefined;
    return row && this.toOutbox(row);
  }

  // Intake: duplicates, cancellation, idempotency keys, SMS caps -----------

  findOpenCallback(practice: string, phone: string[], name: string[]): Callback | undefined {
    const row = this
      .sql(`SELECT * FROM callbacks WHERE practice = ? AND phone_hash IN (${marks(phone)}) AND name_key IN (${marks(name)}) AND state IN ${OPEN_STATES} AND kind = 'patient'`)
      .get(practice, ...phone, ...name) as Row | undefined;
    return row && this.toCallback(row);
  }

  countCallbacks(filter: { practice?: string; state: 'open' | 'done' | 'all' }): number {
    const where = [filter.state === 'open' ? `state IN ${OPEN_STATES}` : filter.state === 'done' ? `state IN ${DONE_STATES}` : '1'];
    const params: unknown[] = [];
    if (filter.practice !== undefined) {
      where.push('practice = ?');
      params.push(filter.practice);
    }
    return (this.sql(`SELECT count(*) AS n FROM callbacks WHERE ${where.join(' AND ')}`).get(...params) as Row).n;
  }

  mergeIntoCallback(id: number, m: CallbackMerge): Callback {
    const row = this
      .sql(
        `UPDATE callbacks SET reason_sealed = ?, urgency = ?, red_flag = max(red_flag, ?), suspect = max(suspect, ?),
           due_at = min(due_at, coalesce(?, due_at)), merged_count = merged_count + 1, updated_at = ? WHERE id = ? RETURNING *`,
      )
      .get(m.reason, m.urgency, m.redFlag ? 1 : 0, m.suspect ? 1 : 0, m.dueBy ?? null, m.now, id) as Row;
    return this.toCallback(row);
  }

  cancelCallback(id: number, now: string): Callback {
    const row = this
      .sql(
        `UPDATE callbacks SET state = 'cancelled', outcome = 'cancelled', claimed_by = NULL, claimed_at = NULL,
           closed_at = ?, updated_at = ? WHERE id = ? RETURNING *`,
      )
      .get(now, now, id) as Row;
    return this.toCallback(row);
  }

  getIdempotency(practice: string, key: string): IdempotencyRecord | undefined {
    const row = this.sql('SELECT * FROM idempotency WHERE practice = ? AND key = ?').get(practice, key) as Row | undefined;
    return row && { bodyHash: row.body_hash, status: row.status, response: row.response, createdAt: row.created_at };
  }

  startIdempotency(practice: string, key: string, bodyHash: string, now: string): boolean {
    const { changes } = this
      .sql('INSERT INTO idempotency (practice, key, body_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(practice, key, bodyHash, now);
    return changes === 1;
  }

  finishIdempotency(practice: string, key: string, status: number, response: string): void {
    this.sql('UPDATE idempotency SET status = ?, response = ? WHERE practice = ? AND key = ?').run(status, response, practice, key);
  }

  deleteIdempotency(practice: string, key: string): void {
    this.sql('DELETE FROM idempotency WHERE practice = ? AND key = ?').run(practice, key);
  }

  purgeClosed(practice: string, closedBefore: string): number {
    return this
      .sql(`DELETE FROM callbacks WHERE practice = ? AND state IN ${DONE_STATES} AND coalesce(closed_at, updated_at) < ?`)
      .run(practice, closedBefore).changes;
  }

  /** Callers run it inside a transaction, so the outbox rows and the requests go together. */
  eraseByPhone(phone: string[]): number {
    this.sql(`DELETE FROM outbox WHERE channel = 'sms' AND recipient_hash IN (${marks(phone)})`).run(...phone);
    return this.sql(`DELETE FROM callbacks WHERE phone_hash IN (${marks(phone)}) AND kind = 'patient'`).run(...phone).changes;
  }

  /** Callers run it inside a transaction, so the outbox rows and the requests go together. */
  eraseByEmail(email: string[]): number {
    this.sql(`DELETE FROM outbox WHERE channel = 'email' AND recipient_hash IN (${marks(email)})`).run(...email);
    return this.sql(`DELETE FROM callbacks WHERE email_hash IN (${marks(email)})`).run(...email).changes;
  }

  findPatientCallbacks(who: { phone: string[] } | { email: string[] }): Callback[] {
    const [column, hashes] = 'phone' in who ? ['phone_hash', who.phone] : ['email_hash', who.email];
    return (this.sql(`SELECT * FROM callbacks WHERE ${column} IN (${marks(hashes)}) AND kind = 'patient' ORDER BY id`).all(...hashes) as Row[]).map(this.toCallback);
  }

  listOutboxAbout(callbackIds: number[], recipient: string[]): OutboxItemAtRest[] {
    const about = callbackIds.length ? `callback_id IN (${marks(callbackIds)}) OR ` : '';
    return (this.sql(`SELECT * FROM outbox WHERE ${about}recipient_hash IN (${marks(recipient)}) ORDER BY id`).all(...callbackIds, ...recipient) as Row[]).map(this.toOutbox);
  }

  purgeSessions(createdBefore: string): number {
    return this.sql('DELETE FROM sessions WHERE created_at < ?').run(createdBefore).changes;
  }

  purgeIdempotency(before: string): number {
    return this.sql('DELETE FROM idempotency WHERE created_at < ?').run(before).changes;
  }

  countOutbox(f: OutboxCountAtRest): number {
    const where = ['channel = ?', 'created_at > ?'];
    const params: unknown[] = [f.channel, f.since];
    if (f.purpose !== undefined) {
      where.push('purpose = ?');
      params.push(f.purpose);
    }
    if (f.recipient !== undefined) {
      where.push(`recipient_hash IN (${marks(f.recipient)})`);
      params.push(...f.recipient);
    }
    if (f.block !== undefined) {
      where.push(`block_hash IN (${marks(f.block)})`);
      params.push(...f.block);
    }
    if (f.practice !== undefined) {
      where.push('practice = ?');
      params.push(f.practice);
    }
    if (f.audience !== undefined) {
      where.push(`purpose ${f.audience === 'patient' ? 'NOT IN' : 'IN'} (${marks(PRACTITIONER_PURPOSES)})`);
      params.push(...PRACTITIONER_PURPOSES);
    }
    return (this.sql(`SELECT count(*) AS n FROM outbox WHERE ${where.join(' AND ')}`).get(...params) as Row).n;
  }

  // Working a request -------------------------------------------------------

  claimCallback(ref: string, userId: number, now: string, idleBefore: string): Callback | undefined {
    // One statement, so two operators racing for the same request cannot both win.
    const row = this
      .sql(
        `UPDATE callbacks SET state = 'claimed', claimed_by = ?, claimed_at = ?, updated_at = ?
         WHERE ref = ? AND (state = 'queued' OR (state = 'claimed' AND (claimed_by = ? OR claimed_at < ?))) RETURNING *`,
      )
      .get(userId, now, now, ref, userId, idleBefore) as Row | undefined;
    return row && this.toCallback(row);
  }

  releaseClaim(ref: string, userId: number | null, now: string): Callback | undefined {
    const row = this
      .sql(
        `UPDATE callbacks SET state = 'queued', claimed_by = NULL, claimed_at = NULL, updated_at = ?
         WHERE ref = ? AND state = 'claimed' AND (? IS NULL OR claimed_by = ?) RETURNING *`,
      )
      .get(now, ref, userId, userId) as Row | undefined;
    return row && this.toCallback(row);
  }

  releaseIdleClaims(idleBefore: string, now: string): { ref: string; practice: string }[] {
    return this
      .sql(
        `UPDATE callbacks SET state = 'queued', claimed_by = NULL, claimed_at = NULL, updated_at = ?
         WHERE state = 'claimed' AND claimed_at < ? RETURNING ref, practice`,
      )
      .all(now, idleBefore) as { ref: string; practice: string }[];
  }

  insertAttempt(a: NewAttempt): number {
    const { lastInsertRowid } = this
      .sql('INSERT INTO attempts (callback_id, user_id, outcome, note_sealed, retry_at, retry_rule, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(a.callbackId, a.userId, a.outcome, a.note, a.retryAt, a.retryRule, a.createdAt);
    return Number(lastInsertRowid);
  }

  listAttempts(callbackId: number): Attempt[] {
    const rows = this
      .sql('SELECT a.*, u.name AS user_name FROM attempts a LEFT JOIN users u ON u.id = a.user_id WHERE a.callback_id = ? ORDER BY a.id')
      .all(callbackId) as Row[];
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

  markAttemptUndone(attemptId: number, now: string): void {
    this.sql('UPDATE attempts SET undone_at = ? WHERE id = ?').run(now, attemptId);
  }

  reopenCallback(callbackId: number, r: { claimedBy: number; attempts: number; firstCallAt: string | null }, now: string): Callback {
    try {
      const row = this
        .sql(
          `UPDATE callbacks SET state = 'claimed', outcome = NULL, closed_at = NULL, claimed_by = ?, claimed_at = ?, attempts = ?, first_call_at = ?, updated_at = ?
           WHERE id = ? RETURNING *`,
        )
        .get(r.claimedBy, now, r.attempts, r.firstCallAt, now, callbackId) as Row;
      return this.toCallback(row);
    } catch (err) {
      // The one-open-request index: the person has another open request now; the caller merges into it.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /name_key/.test((err as Error).message)) throw new OpenRequestExists();
      throw err;
    }
  }

  closeAsDuplicate(callbackId: number, now: string): Callback {
    const row = this
      .sql(`UPDATE callbacks SET state = 'done', outcome = 'duplicate', claimed_by = NULL, claimed_at = NULL, closed_at = ?, updated_at = ? WHERE id = ? RETURNING *`)
      .get(now, now, callbackId) as Row;
    return this.toCallback(row);
  }

  applyAttempt(callbackId: number, e: AttemptEffect, now: string): Callback {
    // first_due_at keeps the promise made at intake once a retry moves due_at.
    const row = this
      .sql(
        `UPDATE callbacks SET first_due_at = COALESCE(first_due_at, due_at), state = ?, outcome = ?, due_at = ?, attempts = ?,
           first_call_at = ?, closed_at = ?, claimed_by = NULL, claimed_at = NULL, updated_at = ?
         WHERE id = ? RETURNING *`,
      )
      .get(e.state, e.outcome, e.dueAt, e.attempts, e.firstCallAt, e.closedAt, now, callbackId) as Row;
    return this.toCallback(row);
  }

  insertMessage(m: NewMessageAtRest): number {
    const { lastInsertRowid } = this
      .sql(
        `INSERT INTO messages (callback_id, practice, body_sealed, created_by, created_at, instructions_sealed, urgent, to_contact, next_escalation_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(m.callbackId, m.practice, m.body, m.createdBy, m.createdAt, m.instructionsInForce, m.urgent ? 1 : 0, m.to ?? null, m.nextEscalationAt ?? null);
    return Number(lastInsertRowid);
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
    redFlag: !!row.red_flag,
    lang: row.lang,
    createdBy: row.created_by,
    createdByName: row.created_by_name ?? null,
    createdAt: row.created_at,
    readAt: row.read_at,
    instructionsInForce: row.instructions_sealed ?? null,
    urgent: !!row.urgent,
    to: row.to_contact,
    ackAt: row.ack_at,
    ackBy: row.ack_by,
    escalationStep: row.escalation_step,
    nextEscalationAt: row.next_escalation_at,
  });

  private static readonly MESSAGE_SELECT = `SELECT m.*, c.ref, c.name_sealed AS patient_name, c.phone_sealed AS patient_phone, c.reason_sealed, c.created_at AS requested_at, c.red_flag, c.lang, u.name AS created_by_name
    FROM messages m JOIN callbacks c ON c.id = m.callback_id LEFT JOIN users u ON u.id = m.created_by`;

  listMessages(filter: MessageFilter): PractitionerMessageAtRest[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.practices) {
      if (filter.practices.length === 0) return [];
      where.push(`m.practice IN (${filter.practices.map(() => '?').join(', ')})`);
      params.push(...filter.practices);
    }
    if (filter.practice) {
      where.push('m.practice = ?');
      params.push(filter.practice);
    }
    if (filter.callbackId !== undefined) {
      where.push('m.callback_id = ?');
      params.push(filter.callbackId);
    }
    if (filter.unread) where.push('m.read_at IS NULL');
    if (filter.since !== undefined) {
      where.push('m.created_at >= ?');
      params.push(filter.since);
    }
    const sql = `${SqliteQueries.MESSAGE_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY m.created_at DESC, m.id DESC LIMIT ?`;
    return (this.sql(sql).all(...params, filter.limit ?? 200) as Row[]).map(this.toMessage);
  }

  getMessage(id: number): PractitionerMessageAtRest | undefined {
    const row = this.sql(`${SqliteQueries.MESSAGE_SELECT} WHERE m.id = ?`).get(id) as Row | undefined;
    return row && this.toMessage(row);
  }

  markMessageRead(id: number, now: string): void {
    this.sql('UPDATE messages SET read_at = COALESCE(read_at, ?) WHERE id = ?').run(now, id);
  }

  acknowledgeMessage(id: number, by: string, now: string): boolean {
    return this.sql('UPDATE messages SET ack_at = ?, ack_by = ?, next_escalation_at = NULL WHERE id = ? AND ack_at IS NULL').run(now, by, id).changes === 1;
  }

  dueEscalations(now: string, limit: number): number[] {
    return (this.sql('SELECT id FROM messages WHERE next_escalation_at <= ? AND ack_at IS NULL ORDER BY next_escalation_at, id LIMIT ?').all(now, limit) as Row[]).map((r) => r.id);
  }

  recordEscalation(e: { messageId: number; step: number; at: string; contacts: string[]; callbackId: number | null; nextAt: string | null }): boolean {
    const moved = this
      .sql('UPDATE messages SET escalation_step = ?, next_escalation_at = ? WHERE id = ? AND ack_at IS NULL AND escalation_step = ?')
      .run(e.step, e.nextAt, e.messageId, e.step - 1).changes;
    if (moved !== 1) return false;
    this
      .sql('INSERT INTO message_escalations (message_id, step, at, contacts, callback_id) VALUES (?, ?, ?, ?, ?)')
      .run(e.messageId, e.step, e.at, JSON.stringify(e.contacts), e.callbackId);
    return true;
  }

  listEscalations(messageIds: number[]): Escalation[] {
    if (!messageIds.length) return [];
    return (
      this
        .sql(`SELECT e.*, c.ref AS callback_ref FROM message_escalations e LEFT JOIN callbacks c ON c.id = e.callback_id WHERE e.message_id IN (${marks(messageIds)}) ORDER BY e.message_id, e.step`)
        .all(...messageIds) as Row[]
    ).map((row) => ({ messageId: row.message_id, step: row.step, at: row.at, contacts: JSON.parse(row.contacts), callbackRef: row.callback_ref ?? null }));
  }

  insertReply(r: { messageId: number; body: string; userId: number | null; createdAt: string; callbackId: number }): number {
    return Number(
      this
        .sql('INSERT INTO message_replies (message_id, body_sealed, user_id, created_at, callback_id) VALUES (?, ?, ?, ?, ?)')
        .run(r.messageId, r.body, r.userId, r.createdAt, r.callbackId).lastInsertRowid,
    );
  }

  listReplies(filter: { messageIds?: number[]; callbackId?: number }): MessageReply[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.messageIds) {
      if (!filter.messageIds.length) return [];
      where.push(`r.message_id IN (${marks(filter.messageIds)})`);
      params.push(...filter.messageIds);
    }
    if (filter.callbackId !== undefined) {
      where.push('r.callback_id = ?');
      params.push(filter.callbackId);
    }
    const sql = `SELECT r.*, u.name AS user_name FROM message_replies r JOIN messages m ON m.id = r.message_id LEFT JOIN users u ON u.id = r.user_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY r.id`;
    return (this.sql(sql).all(...params) as Row[]).map((row) => ({
      id: row.id,
      messageId: row.message_id,
      callbackId: row.callback_id,
      body: row.body_sealed,
      userId: row.user_id,
      userName: row.user_name ?? null,
      createdAt: row.created_at,
    }));
  }

  requeueCallback(callbackId: number, dueAt: string, now: string): Callback {
    try {
      const row = this
        .sql(
          `UPDATE callbacks SET state = 'queued', outcome = NULL, closed_at = NULL, claimed_by = NULL, claimed_at = NULL, due_at = ?, updated_at = ?
           WHERE id = ? RETURNING *`,
        )
        .get(dueAt, now, callbackId) as Row;
      return this.toCallback(row);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /name_key/.test((err as Error).message)) throw new OpenRequestExists();
      throw err;
    }
  }

  findEscalationItem(messageId: number): Callback | undefined {
    const row = this.sql(`SELECT * FROM callbacks WHERE message_id = ? AND kind = 'escalation' AND state IN ${OPEN_STATES}`).get(messageId) as Row | undefined;
    return row && this.toCallback(row);
  }

  closeEscalationItem(callbackId: number, now: string): Callback | undefined {
    const row = this
      .sql(
        `UPDATE callbacks SET state = 'done', outcome = 'acknowledged', claimed_by = NULL, claimed_at = NULL, closed_at = ?, updated_at = ?
         WHERE id = ? AND kind = 'escalation' AND state IN ${OPEN_STATES} RETURNING *`,
      )
      .get(now, now, callbackId) as Row | undefined;
    return row && this.toCallback(row);
  }

  claimDigest(practice: string, day: string, now: string): boolean {
    return this.sql('INSERT INTO digests (practice, day, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(practice, day, now).changes === 1;
  }

  activityRows(from: string, to: string, practices?: string[]): ActivityRow[] {
    if (practices && practices.length === 0) return [];
    const inPractices = practices ? `AND c.practice IN (${practices.map(() => '?').join(', ')})` : '';
    const rows = this
      .sql(
        `SELECT c.practice, c.state, c.outcome, c.created_at, COALESCE(c.first_due_at, c.due_at) AS first_due_at, c.first_call_at, c.merged_count,
           (SELECT count(*) FROM attempts a WHERE a.callback_id = c.id AND a.outcome IN ('no_answer', 'voicemail') AND a.undone_at IS NULL) AS failed,
           EXISTS (SELECT 1 FROM messages m WHERE m.callback_id = c.id) AS has_message
         FROM callbacks c WHERE c.created_at >= ? AND c.created_at < ? AND c.kind = 'patient' ${inPractices}`,
      )
      .all(from, to, ...(practices ?? [])) as Row[];
    return rows.map((row) => ({
      practice: row.practice,
      state: row.state,
      outcome: row.outcome,
      createdAt: row.created_at,
      firstDueAt: row.first_due_at,
      firstCallAt: row.first_call_at,
      mergedCount: row.merged_count,
      failedAttempts: row.failed,
      hasMessage: !!row.has_message,
    }));
  }

  listAudit(filter: AuditFilter): AuditEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.before !== undefined) {
      where.push('id < ?');
      params.push(filter.before);
    }
    for (const [column, value] of [['action', filter.action], ['actor', filter.actor], ['practice', filter.practice], ['target', filter.target]] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const sql = `SELECT * FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
    return (this.sql(sql).all(...params, filter.limit) as Row[]).map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      practice: row.practice,
      target: row.target,
      details: row.details ? JSON.parse(row.details) : null,
    }));
  }

  // Audit -------------------------------------------------------------------

  audit(entry: NewAuditEntry): void {
    this
      .sql('INSERT INTO audit (at, actor, action, practice, target, details) VALUES (?, ?, ?, ?, ?, ?)')
      .run(entry.at, entry.actor ?? null, entry.action, entry.practice ?? null, entry.target ?? null, entry.details ? JSON.stringify(entry.details) : null);
  }

  // Where accounts sign in from -------------------------------------------

  rememberSigninPlaces(userId: number, places: string[], now: string): void {
    const remember = this.sql(
      'INSERT INTO signin_places (user_id, place_hash, last_at) VALUES (?, ?, ?) ON CONFLICT (user_id, place_hash) DO UPDATE SET last_at = excluded.last_at',
    );
    for (const place of places) remember.run(userId, place, now);
  }

  knowsSigninPlace(userId: number, places: string[]): boolean {
    if (!places.length) return false;
    return !!this.sql(`SELECT 1 FROM signin_places WHERE user_id = ? AND place_hash IN (${marks(places)})`).get(userId, ...places);
  }

  // Rate limits -------------------------------------------------------------

  /**
   * Sliding windows by limit and span. One process owns a SQLite file, so its hits are counted in that process's
   * memory, not written: in this reader's instance, which every call outside a transaction reaches.
   */
  private readonly windows = new Map<string, RateLimiter>();

  countHit(key: string, limit: number, windowMs: number, now: string): HitVerdict {
    const span = `${limit}/${windowMs}`;
    let limiter = this.windows.get(span);
    if (!limiter) this.windows.set(span, (limiter = createRateLimiter({ limit, windowMs })));
    return limiter.hit(key, new Date(now));
  }

  /** Keys are named by their limit, so only the window that counted this one holds it. */
  forgiveHit(key: string, at: string): void {
    for (const limiter of this.windows.values()) limiter.forgive(key, new Date(at));
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
