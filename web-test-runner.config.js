// Browser tests of the widget (test/widget/*.test.ts) in the machine's headless Chromium, TypeScript compiled on the fly.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';

export default {
  files: ['test/widget/**/*.test.ts', '!test/widget/**/*.node.test.ts'],
  nodeResolve: true,
  // Standard decorators are not in any browser yet: esbuild must lower them, which it only does below esnext.
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 120_000,
};
