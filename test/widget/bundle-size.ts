/** Builds widget.js in memory exactly as `npm run build` does and measures it gzipped, as patients' phones download it. */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { bundleOptions, WIDGET_ENTRY } from '../../scripts/build.js';

export const WIDGET_BUDGET_BYTES = 25 * 1024;

export async function widgetBundleSize(): Promise<{ raw: number; gzipped: number }> {
  const result = await build({ ...bundleOptions(WIDGET_ENTRY, 'dist/widget.js'), write: false, logLevel: 'silent' });
  const js = (result.outputFiles ?? []).find((file) => file.path.endsWith('.js'));
  if (!js) throw new Error('esbuild produced no widget.js');
  return { raw: js.contents.byteLength, gzipped: gzipSync(js.contents, { level: 9 }).byteLength };
}

/** Gzipped bytes that `code`'s imports add to a bundle built like the widget's (same options, same gzip level). */
export async function importedSize(code: string): Promise<number> {
  const result = await build({
    ...bundleOptions('unused', 'out.js'),
    entryPoints: undefined,
    stdin: { contents: code, resolveDir: process.cwd(), loader: 'ts' },
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).byteLength;
}
