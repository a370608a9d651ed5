/** What a benchmark file exports: rows of the table `npm run bench` prints. */
export interface BenchRow {
  name: string;
  /** The set-up the figure was taken on, when a measure is taken on several (its own column: SQLite, PostgreSQL…). */
  store?: string;
  /** `null` when there is no figure: `note` says why. */
  value: number | null;
  unit: string;
  /** Human-readable target, e.g. "< 1 ms" or "≤ 25 KB". */
  target?: string;
  /** Said beside the figure: a check made with it, how to read it, or why it is missing. */
  note?: string;
}

/** The set-ups the store's benchmarks compare, as the table's store column names them. */
export const STORES = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
  shared: 'PostgreSQL, 2 instances',
} as const;

/**
 * Rows of several set-ups, measure by measure: each set-up's rows come in the same order, and the table shows them
 * one under the other, the measure's name once.
 */
export function sideBySide(...sides: BenchRow[][]): BenchRow[] {
  const byName = new Map<string, BenchRow[]>();
  for (const row of sides.flat()) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
  return [...byName.values()].flat();
}

/** Rows for a set-up that did not run, in place of the figures it would have given (those of `like`). */
export function notRun(like: BenchRow[], store: string, why: string): BenchRow[] {
  return like.map((row) => ({ name: row.name, store, value: null, unit: row.unit, note: why }));
}

/** Times `fn` `runs` times after a warm-up and returns percentiles in milliseconds. */
export async function timeIt(fn: () => unknown | Promise<unknown>, runs = 200): Promise<{ p50: number; p95: number; mean: number }> {
  for (let i = 0; i < Math.min(20, runs); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p95: at(0.95), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}
