// Bundles the browser code the service serves: the patients' widget (an entry and its chunks) and the operators' console.
import { build, transform } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

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

/**
 * Replaces each module of widget/messages/ by the values it exports, computed at build time: `fr.ts` says
 * `export default firstScreen('fr')`, and the chunk made of it holds those French sentences alone, not the catalogues
 * in both languages it picks them from. The values are plain data (strings in objects), so nothing is lost.
 */
const inlineMessages = {
  name: 'inline-messages',
  setup(b) {
    b.onLoad({ filter: /[\\/]widget[\\/]messages[\\/][^\\/]+\.ts$/ }, async (args) => {
      const result = await build({ entryPoints: [args.path], bundle: true, write: false, format: 'esm', platform: 'neutral', metafile: true, logLevel: 'silent' });
      const values = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].contents).toString('base64')}`);
      const contents = Object.entries(values)
        .map(([name, value]) => (name === 'default' ? `export default ${JSON.stringify(value)};` : `export const ${name} = ${JSON.stringify(value)};`))
        .join('\n');
      return { contents, loader: 'js', watchFiles: Object.keys(result.metafile.inputs) };
    });
  },
};

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  // Accents as themselves rather than \u00e9: scripts are served as UTF-8, and a French page is full of them.
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
};

/** esbuild options of the console's bundle, one file. */
export function bundleOptions(entry, outfile) {
  return { ...common, entryPoints: [entry], outfile, plugins: [minifyCssTemplates] };
}

export const WIDGET_ENTRY = 'widget/index.ts';
export const CONSOLE_ENTRY = 'console/index.ts';
/** Where the widget's chunks go, under the output folder, and the path the service serves them at. */
export const WIDGET_CHUNKS = 'widget';

/**
 * esbuild options of the widget: `widget.js`, the entry whose address practices paste once, and chunks named by
 * their content's hash beside it in `widget/` (the callback form, each language's sentences, code they share),
 * which the browser loads by relative imports from wherever `widget.js` came from. The size test builds with the very same.
 */
export function widgetBuildOptions(outdir) {
  return {
    ...common,
    entryPoints: { widget: WIDGET_ENTRY },
    outdir,
    entryNames: '[name]',
    chunkNames: `${WIDGET_CHUNKS}/[name]-[hash]`,
    splitting: true,
    metafile: true,
    // Tells permanence-widget.ts it runs built, its form chunk importing from `../widget.js` (hoistEntryChunk).
    define: { PERMANENCE_BUNDLE: 'true' },
    plugins: [inlineMessages, minifyCssTemplates],
  };
}

/**
 * Chunks of earlier builds stay served, so a page loaded before a deploy still finds the chunks its `widget.js` names:
 * those of the last KEPT_BUILDS builds, and of any build younger than KEPT_DAYS (`widget.js` may be served stale a day).
 */
export const KEPT_BUILDS = 5;
const KEPT_DAYS = 2;

/** Brotli (quality 11) and gzip (level 9) copies beside `file`, made once here so the service never compresses on a request. */
export function precompress(file) {
  const body = readFileSync(file);
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
}

/**
 * esbuild imports the chunk of its own helpers from every chunk, even from those that use none of them
 * (evanw/esbuild#1892): the first screen would wait for the decorators' helpers that only the form uses. The helpers
 * do nothing when loaded, so a bare `import"./chunk-….js";` of a chunk holding nothing but them is dropped.
 */
function dropUnusedHelperImports(files, helperChunks) {
  for (const chunk of helperChunks) {
    const bare = new RegExp(`import"\\./(?:[\\w-]+/)*${chunk.replaceAll('.', '\\.')}";`, 'g');
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      const rewritten = code.replace(bare, '');
      if (rewritten !== code) writeFileSync(file, rewritten);
    }
  }
}

/**
 * Moves the chunk `widget.js` imports into `widget.js` itself, so the first screen comes in one file and one round trip:
 * esbuild gives an entry's code shared with a dynamic import (the form) a chunk of its own, which the browser could
 * fetch only once it had read `widget.js`, 150 ms later on a slow network. The chunks that imported from it import
 * from `../widget.js` instead: the very module the page loaded, which permanence-widget.ts checks before it fetches the form.
 * Undone, with a warning, when `widget.js` is more than that import, a few statements (index.ts's) and re-exports.
 */
function hoistEntryChunk(entryFile, files) {
  const entry = readFileSync(entryFile, 'utf8');
  const shape = /^import\{([^}]*)\}from"\.\/([\w-]+)\/([\w-]+\.js)";(.*)export\{([^}]*)\};\s*$/s.exec(entry);
  if (!shape || /^\s*(import|export)\b|\b(var|let|const|function|class) /.test(shape[4])) {
    console.warn('widget.js is more than an import of its chunk, a few statements and re-exports: left as esbuild wrote it');
    return;
  }
  const [, imported, dir, chunkName, body, exported] = shape;
  const chunkFile = join(dirname(entryFile), dir, chunkName);
  const chunk = readFileSync(chunkFile, 'utf8');
  const chunkExports = /export\{([^}]*)\};\s*$/.exec(chunk);
  if (!chunkExports) return console.warn(`${chunkName} does not end with its exports: widget.js left as esbuild wrote it`);
  const pairs = (list) => list.split(',').map((item) => item.trim().split(/\s+as\s+/)).map(([from, to]) => [from, to ?? from]);
  // chunk's local binding ← chunk's export name ← widget.js's local name ← widget.js's public name.
  const localOf = new Map(pairs(chunkExports[1]).map(([local, name]) => [name, local]));
  const entryLocal = new Map(pairs(imported).map(([name, local]) => [local, localOf.get(name)]));
  const publicExports = pairs(exported).map(([local, name]) => `${entryLocal.get(local)} as ${name}`);
  // The entry's own statements run after the chunk's code, as they did, their names for the chunk's bindings as arguments.
  const aliases = [...entryLocal.keys()].filter((alias) => new RegExp(`(^|[^\\w$])${alias.replaceAll('$', '\\$')}([^\\w$]|$)`).test(body));
  const statements = body.trim() ? `((${aliases.join(',')})=>{${body}})(${aliases.map((alias) => entryLocal.get(alias)).join(',')});` : '';
  const hoisted = chunk
    .slice(0, chunkExports.index)
    .replace(/(from|import\()"\.\//g, `$1"./${dir}/`)
    .concat(statements, `export{${chunkExports[1]},${publicExports.join(',')}};\n`);
  writeFileSync(entryFile, hoisted);
  for (const file of files) {
    if (file === entryFile || file === chunkFile) continue;
    const code = readFileSync(file, 'utf8');
    const rewritten = code.replaceAll(`from"./${chunkName}"`, 'from"../widget.js"');
    if (rewritten !== code) writeFileSync(file, rewritten);
  }
  rmSync(chunkFile);
  return chunkFile;
}

/**
 * Builds the widget into `outdir` without deleting earlier chunks: their names are hashes, so nothing is overwritten
 * but by the same content. `widget/builds.json` lists the chunks of the builds kept (KEPT_BUILDS); the others are removed.
 */
export async function buildWidget(outdir = 'dist') {
  const result = await build(widgetBuildOptions(outdir));
  const outputs = Object.entries(result.metafile.outputs).filter(([path]) => path.endsWith('.js'));
  const files = outputs.map(([path]) => resolve(path));
  dropUnusedHelperImports(files, outputs.filter(([, output]) => !Object.keys(output.inputs).length).map(([path]) => basename(path)));
  const hoisted = hoistEntryChunk(resolve(outdir, 'widget.js'), files);
  for (const file of files) if (file !== hoisted) precompress(file);
  const chunkDir = resolve(outdir, WIDGET_CHUNKS);
  mkdirSync(chunkDir, { recursive: true });
  const manifestPath = join(chunkDir, 'builds.json');
  const chunks = files.filter((file) => dirname(file) === chunkDir && file !== hoisted).map((file) => basename(file));
  let builds = [];
  try {
    builds = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    // No manifest yet (a first build): chunks left by builds before it are not known to be in use, and go.
  }
  const last = builds.at(-1);
  if (!last || last.chunks.join() !== [...chunks].sort().join()) builds.push({ builtAt: new Date().toISOString(), chunks: [...chunks].sort() });
  const since = Date.now() - KEPT_DAYS * 86_400_000;
  builds = builds.filter((b, i) => i >= builds.length - KEPT_BUILDS || Date.parse(b.builtAt) >= since);
  writeFileSync(manifestPath, `${JSON.stringify(builds, null, 1)}\n`);
  const kept = new Set(builds.flatMap((b) => b.chunks));
  for (const name of readdirSync(chunkDir)) {
    const chunk = name.replace(/\.(br|gz)$/, '');
    if (chunk.endsWith('.js') && !kept.has(chunk)) rmSync(join(chunkDir, name));
  }
  return result;
}

/** Builds the console into `outdir`, one file and its compressed copies. */
export async function buildConsole(outdir = 'dist') {
  const outfile = join(outdir, 'console.js');
  const result = await build(bundleOptions(CONSOLE_ENTRY, outfile));
  precompress(outfile);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await Promise.all([existsSync(WIDGET_ENTRY) && buildWidget(), existsSync(CONSOLE_ENTRY) && buildConsole()]);
}
