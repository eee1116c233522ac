/**
 * How every browser here is started: Debian's Chromium (or $CHROME_PATH), headless, and with the
 * background services off, because this machine's closed network refuses their connections.
 * Shared by web-test-runner.config.js, the Node tests and the benchmark.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--headless=new',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
