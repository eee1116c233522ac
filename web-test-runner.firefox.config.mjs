import * as puppeteer from 'puppeteer-core';
import { chromeLauncher } from '@web/test-runner-chrome';
import config from './web-test-runner.config.js';

/**
 * The same suite in Firefox: Debian's firefox-esr (or $FIREFOX_PATH), driven by puppeteer-core over
 * WebDriver BiDi (`npm run test:firefox`, or for some files
 * `npx web-test-runner --config web-test-runner.firefox.config.mjs test/x.test.ts`).
 * There is no DevTools Protocol there: the tests that need it (test/server/cdp-commands.js, emulateMedia)
 * are skipped (test/helpers/cdp.ts).
 */
export default {
  ...config,
  browsers: [
    chromeLauncher({
      // The same puppeteer-core, passed in: without it the launcher calls every browser Chrome in its reports.
      puppeteer,
      launchOptions: {
        browser: 'firefox',
        executablePath: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr',
        headless: true,
      },
    }),
  ],
};
