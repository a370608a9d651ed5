// Bundles the browser code the service serves: the patients' widget and the operators' console.
import { build, transform } from 'esbuild';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Minifies the CSS of Lit's static css`…` templates with esbuild's CSS minifier: esbuild leaves template
 * contents alone, and every byte counts in a widget loaded on every page view of every practice site.
 * Only templates without interpolation are touched, so what reaches the browser is the same stylesheet.
 */
const minifyCssTemplates = {
  name: 'minify-css-templates',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('css`')) return undefined;
      let out = '';
      let last = 0;
      for (const match of source.matchAll(/css`([^`$\\]*)`/g)) {
        // utf8: esbuild would otherwise write "✓" as "\2713", an escape a template literal cannot hold.
        const { code } = await transform(match[1], { loader: 'css', minify: true, charset: 'utf8' });
        out += source.slice(last, match.index) + 'css`' + code.trim().replaceAll('\\', '\\\\') + '`';
        last = match.index + match[0].length;
      }
      return { contents: out + source.slice(last), loader: 'ts' };
    });
  },
};

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
    plugins: [minifyCssTemplates],
  };
}

export const WIDGET_ENTRY = 'widget/index.ts';
export const CONSOLE_ENTRY = 'console/index.ts';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const entries = [
    [WIDGET_ENTRY, 'dist/widget.js'],
    [CONSOLE_ENTRY, 'dist/console.js'],
  ].filter(([entry]) => existsSync(entry));
  await Promise.all(entries.map(([entry, out]) => build(bundleOptions(entry, out))));
}
