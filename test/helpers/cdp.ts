/**
 * Whether the page's browser is driven over the Chrome DevTools Protocol (Chromium): the `cdp-*`
 * commands of test/server/cdp-commands.js and `emulateMedia` (puppeteer emulates media through it)
 * need it. Firefox (web-test-runner.firefox.config.mjs) is driven over WebDriver BiDi and has neither.
 */
export const hasCdp = navigator.userAgent.includes('Chrome/');

/** `it` where the DevTools Protocol is; elsewhere the test is skipped (pending), not failed. */
export const itWithCdp = hasCdp ? it : it.skip;

/** `describe` where the DevTools Protocol is; elsewhere its tests are skipped. */
export const describeWithCdp = hasCdp ? describe : describe.skip;
