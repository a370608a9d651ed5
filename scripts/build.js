// Bundles the browser code the service serves: the patients' widget and the operators' console.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'widget/index.ts', out: 'dist/widget.js' },
  { in: 'service/console/app/index.ts', out: 'dist/console.js' },
].filter((entry) => existsSync(entry.in));

await Promise.all(
  entries.map((entry) =>
    build({
      entryPoints: [entry.in],
      outfile: entry.out,
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2022',
      legalComments: 'none',
      logLevel: 'warning',
    }),
  ),
);
