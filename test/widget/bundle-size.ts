/**
 * Builds the widget into a temporary folder exactly as `npm run build` does, and weighs what a patient's browser
 * fetches, gzipped as the service sends it (the `.gz` copies the build writes): before the status line can show (the
 * first paint), and everything once the form has come (all-in), for each language.
 */
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleOptions, buildWidget } from '../../scripts/build.js';
import { LANGS, type Lang } from '../../shared/i18n.js';

/** Issue 12: what is fetched before the status line paints. */
export const FIRST_PAINT_BUDGET_BYTES = 13 * 1024;
/** Issue 12: the whole widget, form included, in one language. */
export const ALL_IN_BUDGET_BYTES = 25 * 1024;

export interface WidgetWeight {
  lang: Lang;
  /** Gzipped bytes of `widget.js`, what it imports at once, and the language's first-screen sentences. */
  firstPaint: number;
  /** Gzipped bytes of all the above, the form's chunk with what it imports, and the language's other sentences. */
  allIn: number;
  /** Each file fetched, by name relative to the output folder, with its gzipped bytes; `firstPaint` tells which come first. */
  files: { name: string; gzipped: number; firstPaint: boolean }[];
}

const STATIC_IMPORT = /(?:^|[;}])import(?:\{[^}]*\}from)?"([^"]+)"/g;
const DYNAMIC_IMPORT = /import\("([^"]+)"\)/g;

/** The files `file` imports, statically and dynamically, as absolute paths. */
function importsOf(file: string): { statics: string[]; dynamics: string[] } {
  const code = readFileSync(file, 'utf8');
  const at = (specifier: string) => resolve(dirname(file), specifier);
  return { statics: [...code.matchAll(STATIC_IMPORT)].map((m) => at(m[1]!)), dynamics: [...code.matchAll(DYNAMIC_IMPORT)].map((m) => at(m[1]!)) };
}

/** `files` with everything they import statically, as the browser fetches a module with its static imports. */
function withStaticImports(files: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    importsOf(file).statics.forEach(visit);
  };
  files.forEach(visit);
  return [...seen];
}

const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).byteLength;

/** The weights of the widget as built now, for French and English. */
export async function widgetWeights(): Promise<WidgetWeight[]> {
  const dir = mkdtempSync(join(tmpdir(), 'permanence-widget-'));
  try {
    await buildWidget(dir);
    const entry = join(dir, 'widget.js');
    const dynamics = withStaticImports([entry]).flatMap((file) => importsOf(file).dynamics);
    const named = (pattern: RegExp) => dynamics.filter((file) => pattern.test(file.slice(file.lastIndexOf('/') + 1)));
    return LANGS.map((lang) => {
      const first = withStaticImports([entry, ...named(new RegExp(`^${lang}-[A-Z0-9]+\\.js$`))]);
      const all = withStaticImports([...first, ...named(/^form-[A-Z0-9]+\.js$/), ...named(new RegExp(`^${lang}-form-[A-Z0-9]+\\.js$`))]);
      const files = all.map((file) => ({ name: file.slice(dir.length + 1), gzipped: gzipped(file), firstPaint: first.includes(file) }));
      const sum = (list: typeof files) => list.reduce((total, f) => total + f.gzipped, 0);
      return { lang, firstPaint: sum(files.filter((f) => f.firstPaint)), allIn: sum(files), files };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
