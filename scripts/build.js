// Bundles the browser code the service serves: the patients' widget and the operators' console.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** esbuild options of one browser bundle; the size test builds the widget with the very same. */
export function bundleOptions(entry, outfile) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
  };
}

export const WIDGET_ENTRY = 'widget/index.ts';
export const CONSOLE_ENTRY = 'service/console/app/index.ts';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const entries = [
    [WIDGET_ENTRY, 'dist/widget.js'],
    [CONSOLE_ENTRY, 'dist/console.js'],
  ].filter(([entry]) => existsSync(entry));
  await Promise.all(entries.map(([entry, out]) => build(bundleOptions(entry, out))));
}
