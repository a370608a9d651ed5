/**
 * `Store.rekey` on PostgreSQL, as on SQLite (sqlite/rekey.ts): every value an earlier key sealed is sealed again
 * with the current key and the lookups' hashes stored anew, a few hundred rows per transaction. Each batch locks
 * its rows (`FOR UPDATE`) before reading them, so a request merged or erased meanwhile by another instance is
 * never overwritten with what was read before.
 */
import type postgres from 'postgres';
import type { Sealer } from '../../crypto.js';
import { callbackLookups, outboxLookups } from '../sealed.js';
import { begin, withRetry, type Sql } from './connection.js';

const CHUNK = 500;
type Row = Record<string, any>;

/** Seals again, with the current key, whatever another key sealed; answers how many values changed. */
export async function rekey(sql: Sql, sealer: Sealer): Promise<number> {
  const stale = (sealed: string | null) => sealed !== null && !sealer.isCurrent(sealed);
  const again = (sealed: string | null) => (sealed === null ? null : sealer.seal(sealer.open(sealed)));
  let resealed = 0;

  resealed += await inChunks(sql, 'SELECT id, name_sealed, phone_sealed, email_sealed, reason_sealed FROM callbacks', async (tx, row) => {
    const fields = [row.name_sealed, row.phone_sealed, row.email_sealed, row.reason_sealed];
    if (!fields.some(stale)) return 0;
    const who = { name: sealer.open(row.name_sealed), phone: sealer.open(row.phone_sealed), email: row.email_sealed === null ? null : sealer.open(row.email_sealed) };
    const lookups = callbackLookups(sealer, who);
    await tx.unsafe(
      `UPDATE callbacks SET name_sealed = $1, phone_sealed = $2, email_sealed = $3, reason_sealed = $4,
         name_key = $5, phone_hash = $6, phone_last4_hash = $7, email_hash = $8 WHERE id = $9`,
      [
        sealer.seal(who.name),
        sealer.seal(who.phone),
        who.email === null ? null : sealer.seal(who.email),
        again(row.reason_sealed),
        lookups.name,
        lookups.phone,
        lookups.last4,
        lookups.email,
        row.id,
      ],
      { prepare: true },
    );
    await tx.unsafe('DELETE FROM callback_name_words WHERE callback_id = $1', [row.id], { prepare: true });
    await tx.unsafe('INSERT INTO callback_name_words (word_hash, callback_id) SELECT DISTINCT unnest($1::text[]), $2::bigint', [lookups.words, row.id], { prepare: true });
    return fields.filter((f) => f !== null).length;
  });
  for (const [table, column] of [
    ['attempts', 'note_sealed'],
    ['messages', 'body_sealed'],
    ['messages', 'instructions_sealed'],
    ['message_replies', 'body_sealed'],
  ] as const) {
    resealed += await inChunks(sql, `SELECT id, ${column} FROM ${table}`, async (tx, row) => {
      if (!stale(row[column])) return 0;
      await tx.unsafe(`UPDATE ${table} SET ${column} = $1 WHERE id = $2`, [again(row[column]), row.id], { prepare: true });
      return 1;
    });
  }
  resealed += await inChunks(sql, 'SELECT id, channel, recipient_sealed, payload_sealed FROM outbox', async (tx, row) => {
    if (!stale(row.recipient_sealed) && !stale(row.payload_sealed)) return 0;
    const recipient = sealer.open(row.recipient_sealed);
    const { recipientHash, blockHash } = outboxLookups(sealer, row.channel, recipient);
    await tx.unsafe(
      'UPDATE outbox SET recipient_sealed = $1, payload_sealed = $2, recipient_hash = $3, block_hash = $4 WHERE id = $5',
      [sealer.seal(recipient), again(row.payload_sealed), recipientHash, blockHash, row.id],
      { prepare: true },
    );
    return row.payload_sealed === null ? 1 : 2;
  });
  return resealed;
}

/** Walks a table by id, `CHUNK` rows per transaction, each batch locked as it is read, summing what `each` answers. */
async function inChunks(sql: Sql, select: string, each: (tx: postgres.TransactionSql, row: Row) => Promise<number>): Promise<number> {
  let after = 0;
  let total = 0;
  for (;;) {
    const { count, last } = await withRetry(() =>
      begin(sql, async (tx) => {
        const rows: Row[] = await tx.unsafe(`${select} WHERE id > $1 ORDER BY id LIMIT $2 FOR UPDATE`, [after, CHUNK], { prepare: true });
        let n = 0;
        for (const row of rows) n += await each(tx, row);
        return { count: n, last: rows.at(-1)?.id as number | undefined };
      }),
    );
    if (last === undefined) return total;
    total += count;
    after = last;
  }
}
