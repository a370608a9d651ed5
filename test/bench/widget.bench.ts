/**
 * Benchmark rows of the widget as patients get it: its gzipped bytes before the status line can show and in all, and
 * the time to the status line on a slow phone (Chromium, 4× CPU slowdown, 150 ms round trips, 1.6 Mbit/s down) with
 * the bytes that crossed the network by then.
 */
import type { BenchRow } from './bench.js';
import { ALL_IN_BUDGET_BYTES, FIRST_PAINT_BUDGET_BYTES, widgetWeights } from '../widget/bundle-size.js';
import { measureFirstPaint, STATUS_LINE_TARGET_MS } from './widget-paint.js';

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

export async function run(): Promise<BenchRow[]> {
  const weights = await widgetWeights();
  const heaviest = (pick: (w: (typeof weights)[number]) => number) => Math.max(...weights.map(pick));
  const paint = await measureFirstPaint();
  return [
    { name: 'widget first paint, gzipped (fr/en, the larger)', value: kb(heaviest((w) => w.firstPaint)), unit: 'KB', target: `≤ ${FIRST_PAINT_BUDGET_BYTES / 1024} KB` },
    { name: 'widget all-in, gzipped (fr/en, the larger)', value: kb(heaviest((w) => w.allIn)), unit: 'KB', target: `≤ ${ALL_IN_BUDGET_BYTES / 1024} KB` },
    { name: 'widget status line, slow phone (median of 3)', value: Math.round(paint.statusLineMs), unit: 'ms', target: `≤ ${STATUS_LINE_TARGET_MS} ms` },
    { name: '  scripts over the wire before it (Brotli)', value: kb(paint.scriptBytesBeforeStatus), unit: 'KB' },
    { name: '  scripts over the wire with the form', value: kb(paint.scriptBytesAllIn), unit: 'KB' },
  ];
}
