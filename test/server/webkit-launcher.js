import { spawn } from 'node:child_process';
import { freePort } from './ports.js';

/**
 * A web-test-runner browser launcher for WebKit, the engine of Safari: Debian's WebKitGTK
 * MiniBrowser driven by WebKitWebDriver (W3C WebDriver, over HTTP), in an Xvfb display when there
 * is none (`npm run test:webkit`; web-test-runner.webkit.config.mjs). No package: the few WebDriver
 * requests a test run needs are below.
 *
 * web-test-runner's commands (sendKeys, sendMouse, setViewport) know puppeteer's and Playwright's
 * pages, and of WebDriver only keys to press or type; so the launcher says it is puppeteer's and its
 * `getPage` gives them a page with the parts of puppeteer's page they call, done with WebDriver's
 * actions. `emulateMedia` and the DevTools Protocol commands are not there: the tests that need them
 * are skipped as in Firefox (test/helpers/cdp.ts).
 *
 * Environment: WEBKIT_DRIVER_PATH (default /usr/bin/WebKitWebDriver, Debian's webkit2gtk-driver),
 * WEBKIT_BROWSER_PATH (default the MiniBrowser of libwebkit2gtk-4.1-0), DISPLAY (an Xvfb is started
 * when it is not set; Debian's xvfb).
 */
const DRIVER = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver';
const BROWSER = process.env.WEBKIT_BROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** puppeteer's names of the keys the tests press, as WebDriver's code points. */
const KEYS = {
  Backspace: '\uE003',
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Escape: '\uE00C',
  PageUp: '\uE00E',
  PageDown: '\uE00F',
  End: '\uE010',
  Home: '\uE011',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Delete: '\uE017',
  Meta: '\uE03D',
  Space: ' ',
};

function key(name) {
  const value = KEYS[name] ?? (name.length === 1 ? name : undefined);
  if (value === undefined) throw new Error(`webkit-launcher: no WebDriver key for "${name}"`);
  return value;
}

const BUTTONS = { left: 0, middle: 1, right: 2 };

/** Starts an Xvfb on a display it picks itself; resolves with the display's name. */
function startXvfb(children) {
  return new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(xvfb);
    xvfb.on('error', (error) => reject(new Error(`webkit-launcher: Xvfb did not start (${error.message}); install Debian's xvfb or set DISPLAY`)));
    let out = '';
    xvfb.stdout.on('data', (data) => {
      out += data;
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
  });
}

export function webkitLauncher() {
  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  let base = '';
  let session = '';
  /** web-test-runner's session ids, and the URL each was opened at. */
  const active = new Map();
  /** @type {Promise<void> | undefined} */
  let launched;

  async function wd(method, path, body) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.message ?? response.status}`);
    return json.value;
  }

  const keyActions = (actions) => wd('POST', `/session/${session}/actions`, { actions: [{ type: 'key', id: 'keyboard', actions }] });
  const pointerActions = (actions) =>
    wd('POST', `/session/${session}/actions`, {
      actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }],
    });
  const script = (source, args = []) => wd('POST', `/session/${session}/execute/sync`, { script: source, args });

  /** The parts of puppeteer's Page that web-test-runner's commands call. */
  const page = {
    keyboard: {
      press: (name) => keyActions([{ type: 'keyDown', value: key(name) }, { type: 'keyUp', value: key(name) }]),
      down: (name) => keyActions([{ type: 'keyDown', value: key(name) }]),
      up: (name) => keyActions([{ type: 'keyUp', value: key(name) }]),
      type: (text) => keyActions([...text].flatMap((value) => [{ type: 'keyDown', value }, { type: 'keyUp', value }])),
    },
    mouse: {
      move: (x, y) => pointerActions([{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' }]),
      down: ({ button = 'left' } = {}) => pointerActions([{ type: 'pointerDown', button: BUTTONS[button] }]),
      up: ({ button = 'left' } = {}) => pointerActions([{ type: 'pointerUp', button: BUTTONS[button] }]),
      click: (x, y, { button = 'left' } = {}) =>
        pointerActions([
          { type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' },
          { type: 'pointerDown', button: BUTTONS[button] },
          { type: 'pointerUp', button: BUTTONS[button] },
        ]),
      reset: async () => {
        await wd('DELETE', `/session/${session}/actions`);
        await page.mouse.move(0, 0);
      },
    },
    /**
     * The window is sized so that its viewport is the one asked for (the frame's size measured
     * once), and the page has that size when this resolves: the driver answers once the window is
     * resized, and the page learns it a moment later, later still on a loaded machine (a test that
     * measured at once measured the old size). MiniBrowser's window goes no narrower than a viewport
     * 447 px wide, which is what a viewport asked 320 px wide is.
     */
    async setViewport({ width, height }) {
      const [innerWidth, innerHeight] = await script('return [innerWidth, innerHeight]');
      const rect = await wd('GET', `/session/${session}/window/rect`);
      const sized = await wd('POST', `/session/${session}/window/rect`, {
        width: width + rect.width - innerWidth,
        height: height + rect.height - innerHeight,
      });
      const wanted = [sized.width - rect.width + innerWidth, sized.height - rect.height + innerHeight];
      for (let tries = 0; ; tries++) {
        const size = await script('return [innerWidth, innerHeight]');
        if (size[0] === wanted[0] && size[1] === wanted[1]) return;
        if (tries > 100) throw new Error(`webkit-launcher: the page stayed ${size.join('×')}, not ${wanted.join('×')}, after its window was resized`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    emulateMediaType() {
      throw new Error('webkit-launcher: WebDriver cannot emulate media');
    },
    emulateMediaFeatures() {
      throw new Error('webkit-launcher: WebDriver cannot emulate media');
    },
  };

  /** Starts the display, the driver and the browser, once, for the first test file. */
  async function launch() {
    const env = { ...process.env };
    if (!env.DISPLAY) env.DISPLAY = await startXvfb(children);
    const port = await freePort();
    const driver = spawn(DRIVER, [`--port=${port}`], { env, stdio: 'ignore' });
    children.push(driver);
    await new Promise((resolve, reject) => {
      driver.on('error', (error) => reject(new Error(`webkit-launcher: ${DRIVER} did not start (${error.message}); install Debian's webkit2gtk-driver`)));
      driver.on('spawn', resolve);
    });
    base = `http://127.0.0.1:${port}`;
    // The driver listens a moment after it starts.
    for (let tries = 0; ; tries++) {
      try {
        await wd('GET', '/status');
        break;
      } catch (error) {
        if (tries > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const created = await wd('POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: BROWSER, args: ['--automation'] } } },
    });
    session = created.sessionId;
    await page.setViewport({ width: 800, height: 600 });
  }

  return {
    name: 'WebKit',
    type: 'puppeteer',
    concurrency: 1,

    async stop() {
      if (launched) await launched.catch(() => {});
      if (session) await wd('DELETE', `/session/${session}`).catch(() => {});
      for (const child of children.reverse()) child.kill();
    },

    async startSession(id, url) {
      active.set(id, url);
      await (launched ??= launch());
      await wd('POST', `/session/${session}/url`, { url });
    },

    isActive: (id) => active.has(id),

    getBrowserUrl: (id) => active.get(id),

    getPage: () => page,

    async startDebugSession() {
      throw new Error('webkit-launcher: no debug session; open the test page in a WebKit browser');
    },

    async stopSession(id) {
      active.delete(id);
      await page.mouse.reset().catch(() => {});
      await wd('POST', `/session/${session}/url`, { url: 'about:blank' });
      return {};
    },
  };
}
