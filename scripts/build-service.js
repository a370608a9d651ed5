// Compiles the service and the CLI to plain JavaScript in dist/service/, started with `node`: no TypeScript loader at run time.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository, which the entries are named from whatever the working directory. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where `npm run build:service` writes, and `npm run start:prod` starts `server.js` from. */
export const SERVICE_OUTDIR = 'dist/service';

/**
 * The entries, each a file of the output's one folder. Besides the two programs, the SQLite writer thread, which the
 * store starts from `./writer-thread.js` beside its own code (sqlite/store.ts); and the modules that declare
 * transactions, which the writer imports by their URL (service/domain/transactions.ts TRANSACTION_MODULES,
 * demo/seed.ts SEED_MODULE): the writer loads them and what they import, not the whole service, and shares with
 * them the registry they declare into (code shared by several entries is in one chunk, loaded once).
 */
export const SERVICE_ENTRIES = {
  server: 'service/server.ts',
  cli: 'service/cli.ts',
  'writer-thread': 'service/store/sqlite/writer-thread.ts',
  transactions: 'service/domain/transactions.ts',
  seed: 'demo/seed.ts',
};

/** The entries that name themselves with `import.meta.url` for the writer thread to import. */
const SELF_NAMING = ['transactions', 'seed'];

/**
 * Built, `import.meta.url` is the URL of the file a module's code landed in, which may be a chunk; and esbuild puts
 * the imports a module makes only for their effects (`import './intake.js'`, each registering its transactions) in
 * the entry file, not in that chunk. So in the self-naming entries, `import.meta.url` becomes their entry file's URL:
 * importing it runs everything the module imports, as importing the source did.
 */
const selfUrlIsEntry = {
  name: 'self-url-is-entry',
  setup(b) {
    const entryOf = new Map(SELF_NAMING.map((name) => [resolve(ROOT, SERVICE_ENTRIES[name]), name]));
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const name = entryOf.get(args.path);
      if (!name) return undefined;
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', `new URL('./${name}.js', import.meta.url).href`), loader: 'ts' };
    });
  },
};

/** esbuild's options: ES modules for Node 20, the packages left to node_modules, every file (chunks too) in `outdir` itself. */
export function serviceBuildOptions(outdir) {
  return {
    absWorkingDir: ROOT,
    entryPoints: SERVICE_ENTRIES,
    outdir: resolve(outdir),
    bundle: true,
    splitting: true,
    chunkNames: '[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Stack traces name the TypeScript files (`node --enable-source-maps`); names stay as written for logs and errors.
    sourcemap: 'linked',
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [selfUrlIsEntry],
  };
}

/**
 * Builds the service into `outdir` (emptied first: no chunk of an earlier build lingers), with the demo practice's
 * site beside it (demo/site.ts serves `./site/` from where its code is).
 */
export async function buildService(outdir = SERVICE_OUTDIR) {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build(serviceBuildOptions(outdir));
  cpSync(join(ROOT, 'demo/site'), join(outdir, 'site'), { recursive: true });
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await buildService();
  const files = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
  console.log(`built ${files.length} files into ${SERVICE_OUTDIR}/: start with node ${join(SERVICE_OUTDIR, 'server.js')} (npm run start:prod)`);
}
