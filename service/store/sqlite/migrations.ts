/**
 * Versioned schema, applied in order; `PRAGMA user_version` records how far a database is.
 * Append a new entry to change the schema; never edit one that has shipped. An entry is SQL, or a
 * function for a step SQL cannot do alone (it runs in the same transaction as its version bump).
 */
import type Database from 'better-sqlite3';
import type { Sealer } from '../../crypto.js';
import { nameKey } from '../../../shared/names.js';
import { outboxLookups } from '../sealed.js';
import { storeIdentity } from './rekey.js';

export type Migration = string | ((db: Database.Database, sealer: Sealer) => void);

export const migrations: Migration[] = [
  `
  CREATE TABLE practices (
    slug TEXT PRIMARY KEY,
    record TEXT NOT NULL,            -- the practice record of SPEC, as JSON
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'practitioner')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE user_practices (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    practice TEXT NOT NULL REFERENCES practices(slug) ON DELETE CASCADE,
    PRIMARY KEY (user_id, practice)
  ) STRICT;

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,        -- SHA-256 of the cookie value: a stolen database holds no live session
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seen_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE callbacks (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    practice TEXT NOT NULL REFERENCES practices(slug),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,             -- E.164
    email TEXT,
    reason_sealed TEXT NOT NULL,     -- health detail: encrypted at rest
    urgency TEXT NOT NULL CHECK (urgency IN ('routine', 'soon', 'urgent')),
    red_flag INTEGER NOT NULL,
    preferred_from TEXT,
    preferred_to TEXT,
    confirm_by TEXT NOT NULL,
    lang TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'claimed', 'done', 'cancelled')),
    outcome TEXT,
    due_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    claimed_by INTEGER REFERENCES users(id),
    claimed_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    merged_count INTEGER NOT NULL DEFAULT 0,
    first_call_at TEXT,
    closed_at TEXT
  ) STRICT;
  -- The queue's order: red flags, urgency (urgent > soon > routine, alphabetically too), due time, age.
  CREATE INDEX callbacks_queue ON callbacks (state, red_flag DESC, urgency DESC, due_at, created_at);
  CREATE INDEX callbacks_practice ON callbacks (practice, state, created_at);
  CREATE INDEX callbacks_phone ON callbacks (practice, phone, state);

  CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    callback_id INTEGER NOT NULL REFERENCES callbacks(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id),
    outcome TEXT NOT NULL,
    note_sealed TEXT,
    retry_at TEXT,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    callback_id INTEGER NOT NULL REFERENCES callbacks(id) ON DELETE CASCADE,
    practice TEXT NOT NULL REFERENCES practices(slug),
    body_sealed TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    read_at TEXT
  ) STRICT;

  -- Transactional outbox: written in the same transaction as what it confirms.
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,           -- JSON: {subject, text, html} or {body}; never a health detail
    purpose TEXT NOT NULL,
    callback_id INTEGER REFERENCES callbacks(id) ON DELETE CASCADE,
    practice TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
    tries INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
  ) STRICT;
  CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

  CREATE TABLE idempotency (
    practice TEXT NOT NULL,
    key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    status INTEGER,                  -- NULL while the first request is in flight
    response TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (practice, key)
  ) STRICT;

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    practice TEXT,
    target TEXT,
    details TEXT
  ) STRICT;
  CREATE INDEX audit_at ON audit (at);
  `,
  // Operators' console: the due time promised at intake survives retries (for the report), and indexes for working a request.
  `
  ALTER TABLE callbacks ADD COLUMN first_due_at TEXT;
  CREATE INDEX callbacks_claimed ON callbacks (claimed_at) WHERE state = 'claimed';
  CREATE INDEX callbacks_created ON callbacks (created_at);
  CREATE INDEX attempts_callback ON attempts (callback_id, id);
  CREATE INDEX messages_practice ON messages (practice, created_at);
  CREATE INDEX messages_callback ON messages (callback_id);
  `,
  // SMS caps count recent messages per number, per number block and per practice; idempotency keys expire by age.
  `
  CREATE INDEX outbox_sms_recipient ON outbox (channel, recipient, created_at);
  CREATE INDEX outbox_sms_practice ON outbox (channel, practice, created_at);
  CREATE INDEX idempotency_created ON idempotency (created_at);
  `,
  // The queue and the done list read in index order and stop at their limit, instead of sorting every open or closed request.
  `
  CREATE INDEX callbacks_open_order ON callbacks (red_flag DESC, urgency DESC, due_at, created_at, id) WHERE state IN ('queued', 'claimed');
  CREATE INDEX callbacks_done_order ON callbacks (closed_at DESC, id DESC, practice) WHERE state IN ('done', 'cancelled');
  `,
  // An operator's done list: their practices' closed requests, newest first, without reading every closed row.
  `
  CREATE INDEX callbacks_practice_closed ON callbacks (practice, state, closed_at, id);
  `,
  // An emergency sent back faster than a person types is queued anyway, marked so operators know it may be a script.
  `
  ALTER TABLE callbacks ADD COLUMN suspect INTEGER NOT NULL DEFAULT 0;
  `,
  // At most one open request per person (practice, phone, name as compared): the database holds the
  // rule intake relies on. Open duplicates made before it are merged into the oldest one first.
  (db, sealer) => {
    db.exec('ALTER TABLE callbacks ADD COLUMN name_key TEXT');
    const setKey = db.prepare('UPDATE callbacks SET name_key = ? WHERE id = ?');
    for (const row of db.prepare('SELECT id, name FROM callbacks').all() as { id: number; name: string }[]) setKey.run(nameKey(row.name), row.id);
    mergeOpenDuplicates(db, sealer);
    db.exec(`CREATE UNIQUE INDEX callbacks_open_person ON callbacks (practice, phone, name_key) WHERE state IN ('queued', 'claimed')`);
  },
  // The first queue index is served better by the partial ones (open order, done order, per practice); left in place, the
  // planner took it for the done list and sorted every closed request (67 ms at 100,000 stored instead of 2).
  `
  DROP INDEX callbacks_queue;
  `,
  // Every public request reads its practice: a version number tells whether the record parsed last time is still the one stored.
  `
  ALTER TABLE practices ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  `,
  // Identities sealed like health fields: a named person asking a practice to call back is covered by medical secrecy.
  // Names, phones and emails, the outbox's recipients and texts are encrypted; keyed hashes serve the lookups.
  (db, sealer) => {
    db.exec(`
      ALTER TABLE callbacks ADD COLUMN name_sealed TEXT;
      ALTER TABLE callbacks ADD COLUMN phone_sealed TEXT;
      ALTER TABLE callbacks ADD COLUMN email_sealed TEXT;
      ALTER TABLE callbacks ADD COLUMN phone_hash TEXT;
      ALTER TABLE callbacks ADD COLUMN phone_last4_hash TEXT;
      ALTER TABLE callbacks ADD COLUMN email_hash TEXT;
      CREATE TABLE callback_name_words (
        word_hash TEXT NOT NULL,
        callback_id INTEGER NOT NULL REFERENCES callbacks(id) ON DELETE CASCADE,
        PRIMARY KEY (word_hash, callback_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX callback_name_words_callback ON callback_name_words (callback_id);
    `);
    for (const row of db.prepare('SELECT id, name, phone, email, reason_sealed FROM callbacks').all() as Record<string, any>[]) {
      storeIdentity(db, row.id, { name: row.name, phone: row.phone, email: row.email }, sealer, row.reason_sealed);
    }
    db.exec(`
      DROP INDEX callbacks_phone;
      DROP INDEX callbacks_open_person;
      ALTER TABLE callbacks DROP COLUMN name;
      ALTER TABLE callbacks DROP COLUMN phone;
      ALTER TABLE callbacks DROP COLUMN email;
      CREATE UNIQUE INDEX callbacks_open_person ON callbacks (practice, phone_hash, name_key) WHERE state IN ('queued', 'claimed');
      CREATE INDEX callbacks_phone_hash ON callbacks (phone_hash);
      CREATE INDEX callbacks_email_hash ON callbacks (email_hash);
      CREATE INDEX callbacks_last4 ON callbacks (practice, phone_last4_hash);
      ALTER TABLE outbox ADD COLUMN recipient_sealed TEXT;
      ALTER TABLE outbox ADD COLUMN recipient_hash TEXT;
      ALTER TABLE outbox ADD COLUMN block_hash TEXT;
      ALTER TABLE outbox ADD COLUMN payload_sealed TEXT;
    `);
    const seal = db.prepare('UPDATE outbox SET recipient_sealed = ?, recipient_hash = ?, block_hash = ?, payload_sealed = ? WHERE id = ?');
    for (const row of db.prepare('SELECT id, channel, recipient, payload, state FROM outbox').all() as Record<string, any>[]) {
      const { recipientHash, blockHash } = outboxLookups(sealer, row.channel, row.recipient);
      // A delivered message's text has done its job: it is not kept.
      seal.run(sealer.seal(row.recipient), recipientHash, blockHash, row.state === 'sent' ? null : sealer.seal(row.payload), row.id);
    }
    db.exec(`
      DROP INDEX outbox_sms_recipient;
      ALTER TABLE outbox DROP COLUMN recipient;
      ALTER TABLE outbox DROP COLUMN payload;
      CREATE INDEX outbox_recipient ON outbox (channel, recipient_hash, created_at);
      CREATE INDEX outbox_block ON outbox (channel, block_hash, created_at);
    `);
  },
  // Where each account has signed in from (keyed hashes of addresses and devices): the per-account sign-in brake
  // slows strangers down without refusing the owner at a place they have used before.
  `
  CREATE TABLE signin_places (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    place_hash TEXT NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (user_id, place_hash)
  ) STRICT, WITHOUT ROWID;
  `,
  // The outbox worker reads each channel's due messages apart (a lane per channel), only as many as it can start.
  `
  DROP INDEX outbox_due;
  CREATE INDEX outbox_due ON outbox (state, channel, next_attempt_at, id);
  `,
  // A message for the practitioner keeps the practice's operator instructions in force when it was taken (sealed JSON):
  // disputes are settled on the version the operator worked under, not on the one in force today.
  `
  ALTER TABLE messages ADD COLUMN instructions_sealed TEXT;
  `,
  // Why a retry falls when it does (shared/callback.ts RETRY_RULES), so the console can say a retry was moved to the
  // practice's reopening; attempts recorded before say nothing.
  `
  ALTER TABLE attempts ADD COLUMN retry_rule TEXT CHECK (retry_rule IN ('delay', 'reopening', 'urgent', 'operator'));
  `,
  // A password an admin set is temporary: its holder chooses their own at the next sign-in before anything else.
  `
  ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
  `,
  // A closing outcome undone within its window (work.undo) keeps its row, marked, so the record shows it and the report skips it.
  `
  ALTER TABLE attempts ADD COLUMN undone_at TEXT;
  `,
  // Messages that surely reach the practitioner: urgent ones acknowledged or escalated step by step, each delivery
  // tracked per channel (a provider's delivery report finds its row by the provider's id), the practitioner's replies,
  // and the escalation items operators call from the queue (callbacks of kind 'escalation', never billable, exempt
  // from the one-open-request rule, which is about patients).
  `
  ALTER TABLE messages ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN to_contact TEXT;
  ALTER TABLE messages ADD COLUMN ack_at TEXT;
  ALTER TABLE messages ADD COLUMN ack_by TEXT;
  ALTER TABLE messages ADD COLUMN escalation_step INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN next_escalation_at TEXT;
  CREATE INDEX messages_escalation_due ON messages (next_escalation_at) WHERE next_escalation_at IS NOT NULL;

  CREATE TABLE message_escalations (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    at TEXT NOT NULL,
    contacts TEXT NOT NULL,          -- JSON array of contact keys
    callback_id INTEGER REFERENCES callbacks(id) ON DELETE SET NULL,
    UNIQUE (message_id, step)
  ) STRICT;

  CREATE TABLE message_replies (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    body_sealed TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    -- The request the reply sent back to the queue: the message's own, or the patient's open one it was merged into.
    callback_id INTEGER NOT NULL REFERENCES callbacks(id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX message_replies_message ON message_replies (message_id);
  CREATE INDEX message_replies_callback ON message_replies (callback_id);

  ALTER TABLE outbox ADD COLUMN message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE;
  ALTER TABLE outbox ADD COLUMN provider_ref TEXT;
  ALTER TABLE outbox ADD COLUMN delivered_at TEXT;
  ALTER TABLE outbox ADD COLUMN failed_at TEXT;
  CREATE INDEX outbox_provider_ref ON outbox (provider_ref) WHERE provider_ref IS NOT NULL;
  CREATE INDEX outbox_message ON outbox (message_id) WHERE message_id IS NOT NULL;

  ALTER TABLE callbacks ADD COLUMN kind TEXT NOT NULL DEFAULT 'patient' CHECK (kind IN ('patient', 'escalation'));
  ALTER TABLE callbacks ADD COLUMN message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL;
  DROP INDEX callbacks_open_person;
  CREATE UNIQUE INDEX callbacks_open_person ON callbacks (practice, phone_hash, name_key) WHERE state IN ('queued', 'claimed') AND kind = 'patient';

  CREATE TABLE digests (
    practice TEXT NOT NULL,
    day TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (practice, day)
  ) STRICT, WITHOUT ROWID;
  `,
];

interface OpenRow {
  id: number;
  practice: string;
  phone: string;
  name_key: string;
  reason_sealed: string;
  urgency: string;
  red_flag: number;
  suspect: number;
  created_at: string;
}

const URGENCY_RANK: Record<string, number> = { routine: 0, soon: 1, urgent: 2 };

/** Folds every later open request of a person into their oldest one, as intake would have; the later ones close as duplicates. */
function mergeOpenDuplicates(db: Database.Database, sealer: Sealer): void {
  const open = db
    .prepare(`SELECT id, practice, phone, name_key, reason_sealed, urgency, red_flag, suspect, created_at FROM callbacks WHERE state IN ('queued', 'claimed') ORDER BY id`)
    .all() as OpenRow[];
  const first = new Map<string, OpenRow>();
  const now = new Date().toISOString();
  const keep = db.prepare(
    'UPDATE callbacks SET reason_sealed = ?, urgency = ?, red_flag = ?, suspect = ?, merged_count = merged_count + 1, updated_at = ? WHERE id = ?',
  );
  const close = db.prepare(
    `UPDATE callbacks SET state = 'done', outcome = 'duplicate', claimed_by = NULL, claimed_at = NULL, closed_at = ?, updated_at = ? WHERE id = ?`,
  );
  for (const row of open) {
    const key = JSON.stringify([row.practice, row.phone, row.name_key]);
    const kept = first.get(key);
    if (!kept) {
      first.set(key, row);
      continue;
    }
    // The separator intake writes between merged reasons, stamped with the repeat's own time.
    kept.reason_sealed = sealer.seal(`${sealer.open(kept.reason_sealed)}\n\n--- ${row.created_at} ---\n${sealer.open(row.reason_sealed)}`);
    if ((URGENCY_RANK[row.urgency] ?? 0) > (URGENCY_RANK[kept.urgency] ?? 0)) kept.urgency = row.urgency;
    kept.red_flag = Math.max(kept.red_flag, row.red_flag);
    kept.suspect = Math.max(kept.suspect, row.suspect);
    keep.run(kept.reason_sealed, kept.urgency, kept.red_flag, kept.suspect, now, kept.id);
    close.run(now, now, row.id);
  }
}