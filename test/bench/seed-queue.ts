/** The queue benchmark's history, written in transactions the store's writer thread runs (it imports this module). */
import { transaction, type Queries } from '../../service/store/store.js';

export interface HistorySlice {
  slugs: string[];
  from: number;
  to: number;
  stored: number;
  /** Every `openEvery`-th request is still open; the others were reached and closed. */
  openEvery: number;
  now: number;
  /**
   * Requests written at once (1 if unset). On PostgreSQL each statement is a round trip, and the client pipelines
   * the statements issued together on the transaction's connection: 100 at once seed 100,000 about 3 times faster.
   */
  together?: number;
}

/** Distinct references in the service's alphabet: 100,000 random ones would collide a few times. */
export function benchRef(i: number): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  let ref = '';
  for (let n = i, k = 0; k < 6; k++, n = Math.floor(n / alphabet.length)) ref = alphabet[n % alphabet.length] + ref;
  return `CB-${ref}`;
}

const URGENCIES = ['routine', 'routine', 'routine', 'soon', 'urgent'] as const;
const FIRST_NAMES = ['Camille', 'Jean', 'Marie', 'Lucas', 'Léa', 'Hugo', 'Chloé', 'Louis', 'Emma', 'Jules', 'Inès', 'Paul', 'Alice', 'Noah', 'Lina', 'Adam', 'Rose', 'Léo', 'Zoé', 'Gabriel'];

/** A name shared by about 200 of the 100,000 patients (500 family names), as a real history has: search by a word of it. */
export const benchName = (i: number) => `${FIRST_NAMES[i % FIRST_NAMES.length]} Durand${Math.floor(i / FIRST_NAMES.length) % 500}`;

/** Requests `from` to `to` of the history, each from its own patient. */
export const seedHistory = transaction('bench.seed_history', async (tx, s: HistorySlice) => {
  const together = s.together ?? 1;
  for (let i = s.from; i < s.to; i += together) {
    await Promise.all(Array.from({ length: Math.min(together, s.to - i) }, (_, k) => seedRequest(tx, s, i + k)));
  }
});

async function seedRequest(tx: Queries, s: HistorySlice, i: number): Promise<void> {
  const created = new Date(s.now - (s.stored - i) * 60_000).toISOString();
  const callback = await tx.insertCallback({
    ref: benchRef(i), practice: s.slugs[i % s.slugs.length]!, name: benchName(i), phone: `+3361${String(i).padStart(7, '0')}`, email: null,
    reason: 'Renouvellement d’ordonnance et question sur un résultat', urgency: URGENCIES[i % URGENCIES.length]!, redFlag: i % 97 === 0,
    preferredWindow: null, confirmBy: 'none', lang: 'fr', dueAt: created, createdAt: created,
  });
  if (i % s.openEvery !== 0) {
    await tx.applyAttempt(callback.id, { state: 'done', outcome: 'reached', dueAt: created, attempts: 1, firstCallAt: created, closedAt: created }, created);
  }
}

export const SEED_QUEUE_MODULE = import.meta.url;
