import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { bundlePlugin } from './test/server/bundle-plugin.js';
import { sseServer } from './test/server/sse-server.js';
import { cdpCommands } from './test/server/cdp-commands.js';
import { chromiumLaunchOptions } from './test/chromium.js';

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  // test/types holds type-level checks for tsc and test/node tests run outside a browser: not for here.
  files: ['test/**/*.test.ts', '!test/types/**', '!test/node/**'],
  nodeResolve: true,
  // Lit's dev build stays on for its warnings; only its banner, printed once per test file, is dropped.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  plugins: [esbuildPlugin({ ts: true, target: 'auto' }), cdpCommands(), bundlePlugin()],
  // The scripted SSE endpoint at /mock/… on the same origin as the tests (see test/server/sse-server.js).
  middleware: [sseServer()],
  browsers: [
    chromeLauncher({
      launchOptions: chromiumLaunchOptions,
    }),
  ],
  // One page at a time: a second page would be a background tab, where animation frames do not
  // run, and the StreamBuffer and element tests wait for them.
  concurrency: 1,
  testsFinishTimeout: 120_000,
  testFramework: { config: { timeout: 10_000 } },
};
