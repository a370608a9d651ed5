/** `npm run bench`: runs every test/bench/*.bench.ts and prints one table; the widget's size comes first. */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './bench.js';
import { stopBenchCluster } from './postgres.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
// The widget's size is the first line of the table (issue 2), then the rest by file name.
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort((a, b) => (a === 'widget.bench.ts' ? -1 : b === 'widget.bench.ts' ? 1 : a.localeCompare(b)));

const started = performance.now();
const rows: BenchRow[] = [];
try {
  for (const file of files) {
    const mod = (await import(pathToFileURL(dir + file).href)) as { run(): Promise<BenchRow[]> };
    const fileStarted = performance.now();
    rows.push(...(await mod.run()));
    rows.push({ name: `${file} time`, value: (performance.now() - fileStarted) / 1000, unit: 's' });
  }
} finally {
  // The PostgreSQL cluster some benchmarks started, stopped and removed even when one failed.
  await stopBenchCluster();
}

const value = (v: number | null) => (v === null ? '—' : v < 10 ? v.toFixed(3) : v.toFixed(1));
// A measure taken on several stores is named once, above its other stores' lines.
const cells = rows.map((r, i) => [i > 0 && rows[i - 1]!.name === r.name ? '' : r.name, r.store ?? '', value(r.value), r.unit, r.target ?? '', r.note ?? '']);
const header = ['benchmark', 'store', 'value', 'unit', 'target', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) =>
  c
    .map((v, i) => (i === 2 ? v.padStart(widths[i]!) : i === c.length - 1 ? v : v.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const c of cells) console.log(line(c));
console.log(`\nTotal: ${((performance.now() - started) / 1000).toFixed(0)} s`);
