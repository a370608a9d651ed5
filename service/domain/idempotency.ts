/**
 * `Idempotency-Key` as Stripe and the IETF httpapi draft define it: a retried request with the same
 * key and body gets the first answer again; another body with that key is a client bug (422); a key
 * whose first request is still running is a conflict (409). Keys belong to one practice and live 24 hours.
 */
import { createHash } from 'node:crypto';
import { ApiProblem } from '../errors.js';
import { transaction, type Queries, type Store } from '../store/store.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const MAX_KEY_LENGTH = 255;
export const KEEP_MS = 24 * 60 * 60_000;
/** An in-flight key this old belongs to a process that died mid-request: the next try may take it over. */
const ABANDONED_MS = 60_000;

/** The header's key, or undefined when absent; 400 for an empty, over-long or non-printable one. */
export function readIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (header.length > MAX_KEY_LENGTH) {
    throw new ApiProblem(400, 'invalid_idempotency_key', `The Idempotency-Key header is longer than ${MAX_KEY_LENGTH} characters`);
  }
  if (!/^[\x21-\x7e]+$/.test(header)) {
    throw new ApiProblem(400, 'invalid_idempotency_key', 'The Idempotency-Key header must be 1 to 255 printable ASCII characters');
  }
  return header;
}

/** A digest of the body that ignores key order and spacing: the same form sent again hashes the same. */
export function bodyFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export type IdempotencyStart = { replay: false } | { replay: true; status: number; body: unknown };

/**
 * Claims `key` for this request, committed at once so a concurrent retry sees it in flight.
 * Answers the stored result to replay, or throws 409 / 422.
 */
export function beginIdempotent(store: Store, practice: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyStart> {
  return store.transaction(claimKey, { practice, key, fingerprint, now: now.getTime() });
}

const claimKey = transaction(
  'idempotency.begin',
  async (tx, { practice, key, fingerprint, now }: { practice: string; key: string; fingerprint: string; now: number }): Promise<IdempotencyStart> => {
    const at = new Date(now).toISOString();
    await tx.purgeIdempotency(new Date(now - KEEP_MS).toISOString());
    if (await tx.startIdempotency(practice, key, fingerprint, at)) return { replay: false };
    const seen = (await tx.getIdempotency(practice, key))!;
    if (seen.bodyHash !== fingerprint) {
      throw new ApiProblem(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body');
    }
    if (seen.status === null) {
      if (now - Date.parse(seen.createdAt) < ABANDONED_MS) {
        throw new ApiProblem(409, 'idempotency_in_flight', 'A request with this Idempotency-Key is still being processed; retry shortly', undefined, {
          'Retry-After': '1',
        });
      }
      await tx.deleteIdempotency(practice, key);
      await tx.startIdempotency(practice, key, fingerprint, at);
      return { replay: false };
    }
    return { replay: true, status: seen.status, body: JSON.parse(seen.response!) };
  },
);

/** Stores the answer to replay; call it inside the transaction that commits the request's effects. */
export function finishIdempotent(tx: Queries, practice: string, key: string, status: number, body: unknown): Promise<void> {
  return tx.finishIdempotency(practice, key, status, JSON.stringify(body));
}

/** Frees the key after a failure that committed nothing, so the client's retry runs for real. */
export function abandonIdempotent(store: Queries, practice: string, key: string): Promise<void> {
  return store.deleteIdempotency(practice, key);
}
