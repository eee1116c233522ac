import { webkitLauncher } from './test/server/webkit-launcher.js';
import config from './web-test-runner.config.js';

/**
 * The same suite in WebKit, Safari's engine: Debian's WebKitGTK (webkit2gtk-driver, xvfb), driven
 * over W3C WebDriver by test/server/webkit-launcher.js (`npm run test:webkit`, or for some files
 * `npx web-test-runner --config web-test-runner.webkit.config.mjs test/x.test.ts`). As in Firefox,
 * the tests that need the Chrome DevTools Protocol are skipped (test/helpers/cdp.ts).
 */
export default {
  ...config,
  browsers: [webkitLauncher()],
  // A file's limit: WebKitGTK runs test/scroll.test.ts (42 tests) in 91–110 s alone, and past
  // Chromium's 120 s on a loaded machine (two of four runs on 6 December).
  testsFinishTimeout: 240_000,
};
