/** What a benchmark file exports: rows of the table `npm run bench` prints. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "< 1 ms" or "≤ 25 KB". */
  target?: string;
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
