/**
 * `Store.rekey` on SQLite: every value an earlier key sealed is sealed again with the current key, and the
 * lookups' hashes stored anew, a few hundred rows per transaction so that intake waits little behind it. The
 * same routine seals a database written before identities were sealed (migrations.ts).
 */
import type Database from 'better-sqlite3';
import type { Sealer } from '../../crypto.js';
import { callbackLookups, outboxLookups } from '../sealed.js';

const CHUNK = 500;
type Row = Record<string, any>;

/** Seals again, with the current key, whatever another key sealed; answers how many values changed. */
export function rekey(db: Database.Database, sealer: Sealer): number {
  const stale = (sealed: string | null) => sealed !== null && !sealer.isCurrent(sealed);
  const again = (sealed: string | null) => (sealed === null ? null : sealer.seal(sealer.open(sealed)));
  let resealed = 0;

  resealed += inChunks(db, 'SELECT id, name_sealed, phone_sealed, email_sealed, reason_sealed FROM callbacks WHERE id > ? ORDER BY id LIMIT ?', (row) => {
    const fields = [row.name_sealed, row.phone_sealed, row.email_sealed, row.reason_sealed];
    if (!fields.some(stale)) return 0;
    const who = { name: sealer.open(row.name_sealed), phone: sealer.open(row.phone_sealed), email: row.email_sealed === null ? null : sealer.open(row.email_sealed) };
    storeIdentity(db, row.id, who, sealer, again(row.reason_sealed)!);
    return fields.filter((f) => f !== null).length;
  });
  resealed += resealColumn(db, 'attempts', 'note_sealed', stale, again);
  resealed += resealColumn(db, 'messages', 'body_sealed', stale, again);
  resealed += resealColumn(db, 'messages', 'instructions_sealed', stale, again);
  resealed += resealColumn(db, 'message_replies', 'body_sealed', stale, again);
  resealed += inChunks(db, 'SELECT id, channel, recipient_sealed, payload_sealed FROM outbox WHERE id > ? ORDER BY id LIMIT ?', (row) => {
    if (!stale(row.recipient_sealed) && !stale(row.payload_sealed)) return 0;
    const recipient = sealer.open(row.recipient_sealed);
    const { recipientHash, blockHash } = outboxLookups(sealer, row.channel, recipient);
    db.prepare('UPDATE outbox SET recipient_sealed = ?, payload_sealed = ?, recipient_hash = ?, block_hash = ? WHERE id = ?').run(
      sealer.seal(recipient),
      again(row.payload_sealed),
      recipientHash,
      blockHash,
      row.id,
    );
    return row.payload_sealed === null ? 1 : 2;
  });
  return resealed;
}

/** A request's identity sealed with the current key, with its hashes and the words of its name. */
export function storeIdentity(db: Database.Database, id: number, who: { name: string; phone: string; email: string | null }, sealer: Sealer, reasonSealed: string): void {
  const lookups = callbackLookups(sealer, who);
  db.prepare(
    `UPDATE callbacks SET name_sealed = ?, phone_sealed = ?, email_sealed = ?, reason_sealed = ?,
       name_key = ?, phone_hash = ?, phone_last4_hash = ?, email_hash = ? WHERE id = ?`,
  ).run(
    sealer.seal(who.name),
    sealer.seal(who.phone),
    who.email === null ? null : sealer.seal(who.email),
    reasonSealed,
    lookups.name,
    lookups.phone,
    lookups.last4,
    lookups.email,
    id,
  );
  db.prepare('DELETE FROM callback_name_words WHERE callback_id = ?').run(id);
  const word = db.prepare('INSERT OR IGNORE INTO callback_name_words (word_hash, callback_id) VALUES (?, ?)');
  for (const hash of lookups.words) word.run(hash, id);
}

function resealColumn(db: Database.Database, table: string, column: string, stale: (s: string | null) => boolean, again: (s: string | null) => string | null): number {
  const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`);
  return inChunks(db, `SELECT id, ${column} FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`, (row) => {
    if (!stale(row[column])) return 0;
    update.run(again(row[column]), row.id);
    return 1;
  });
}

/** Walks a table by id, `CHUNK` rows per transaction, summing what `each` answers. */
function inChunks(db: Database.Database, select: string, each: (row: Row) => number): number {
  const read = db.prepare(select);
  let after = 0;
  let total = 0;
  for (;;) {
    const rows = read.all(after, CHUNK) as Row[];
    if (!rows.length) return total;
    total += db.transaction(() => rows.reduce((n, row) => n + each(row), 0)).immediate();
    after = rows.at(-1)!.id;
  }
}
