/** Benchmark row: the size of widget.js as patients download it. */
import type { BenchRow } from './bench.js';
import { widgetBundleSize } from '../widget/bundle-size.js';

export async function run(): Promise<BenchRow[]> {
  const { gzipped } = await widgetBundleSize();
  return [{ name: 'widget.js gzipped', value: Math.round((gzipped / 1024) * 10) / 10, unit: 'KB', target: '≤ 25 KB' }];
}
