/** Builds widget.js in memory exactly as `npm run build` does and measures it gzipped, as patients' phones download it. */
import { build, type BuildOptions } from 'esbuild';
import { gzipSync } from 'node:zlib';

interface BuildScript {
  bundleOptions(entry: string, outfile: string): BuildOptions;
  WIDGET_ENTRY: string;
}
// scripts/build.js is plain JS without a declaration file; the cast keeps strict mode from rejecting the import.
const buildScriptPath: string = '../../scripts/build.js';

export const WIDGET_BUDGET_BYTES = 25 * 1024;

export async function widgetBundleSize(): Promise<{ raw: number; gzipped: number }> {
  const { bundleOptions, WIDGET_ENTRY } = (await import(buildScriptPath)) as BuildScript;
  const result = await build({ ...bundleOptions(WIDGET_ENTRY, 'dist/widget.js'), write: false, logLevel: 'silent' });
  const js = (result.outputFiles ?? []).find((file) => file.path.endsWith('.js'));
  if (!js) throw new Error('esbuild produced no widget.js');
  return { raw: js.contents.byteLength, gzipped: gzipSync(js.contents, { level: 9 }).byteLength };
}
