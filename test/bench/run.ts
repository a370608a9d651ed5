/** `npm run bench`: runs every test/bench/*.bench.ts and prints one table; the widget's size comes first. */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './bench.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
// The widget's size is the first line of the table (issue 2), then the rest by file name.
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort((a, b) => (a === 'widget.bench.ts' ? -1 : b === 'widget.bench.ts' ? 1 : a.localeCompare(b)));

const rows: BenchRow[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(dir + file).href)) as { run(): Promise<BenchRow[]> };
  rows.push(...(await mod.run()));
}

const cells = rows.map((r) => [r.name, r.value < 10 ? r.value.toFixed(3) : r.value.toFixed(1), r.unit, r.target ?? '']);
const header = ['benchmark', 'value', 'unit', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) => c.map((v, i) => (i === 1 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const c of cells) console.log(line(c));
