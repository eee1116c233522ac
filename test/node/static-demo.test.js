// The demo as `npm run build:demo` writes it, served the way a static host or CDN serves it: files
// only, from a sub-folder, with nothing behind the mock's URL. It must still stream, through the mock
// running in the page; a real endpoint entered in its settings must go over the network, with its
// key kept in memory only; and served by demo/proxy, it streams from `/api/chat` with no key in the page.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import puppeteer from 'puppeteer-core';
import { createProxyServer } from '../../demo/proxy/server.js';
import { chromiumLaunchOptions } from '../chromium.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Where the demo is mounted: not the host's root, as on a CDN. */
const folder = '/cdn/stream-chat-demo/';

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves the files under `dir` at `folder`, GET only, and records every request it sees. */
function staticServer(dir) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://host');
    requests.push({ method: req.method, pathname });
    // A folder's URL serves its index.html, as static hosts do.
    const file = pathname.startsWith(folder)
      ? resolve(dir, decodeURIComponent(pathname.slice(folder.length)).replace(/(^|\/)$/, '$1index.html'))
      : undefined;
    if (req.method !== 'GET' || !file || !file.startsWith(dir + sep)) return void res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return { server, requests };
}

describe('the static demo (npm run build:demo)', () => {
  let outDir;
  let server;
  let requests;
  let browser;
  let pageUrl;

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'stream-chat-demo-'));
    // The demo build of vite.config.ts, written to a folder of this test's own.
    await promisify(execFile)(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--mode', 'demo', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      { cwd: root },
    );
    ({ server, requests } = staticServer(outDir));
    await new Promise((done) => server.listen(0, '127.0.0.1', done));
    pageUrl = `http://127.0.0.1:${server.address().port}${folder}`;
    browser = await puppeteer.launch(chromiumLaunchOptions);
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(done) : done()));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  /** A fresh page of the demo, with what went wrong on it and the element's events recorded. */
  async function openDemo(path = '', { mockSpeed = 1 } = {}) {
    const page = await browser.newPage();
    if (mockSpeed !== 1) await speedUpMock(page, mockSpeed);
    const problems = [];
    const consoleText = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
    });
    page.on('console', (message) => consoleText.push(message.text()));
    await page.goto(pageUrl + path);
    // Defined and in the page (React and Vue render it after their module has run).
    await page.waitForFunction(() => customElements.get('stream-chat') && document.querySelector('stream-chat'), { polling: 50 });
    await page.evaluate(() => {
      const events = [];
      Object.assign(window, { streamChatEvents: events });
      const chat = document.querySelector('stream-chat');
      chat.addEventListener('chunk', () => events.push({ type: 'chunk' }));
      chat.addEventListener('done', (e) =>
        events.push({
          type: 'done',
          content: e.detail.content,
          aborted: e.detail.aborted,
          // Each response of the turn: why it ended, and its text.
          steps: e.detail.steps.map((step) => [step.finishReason, step.message.content]),
        }),
      );
      chat.addEventListener('error', (e) => events.push({ type: 'error', kind: e.detail.error.kind, message: e.detail.error.message }));
    });
    return { page, problems, consoleText };
  }

  async function sendFromInput(page, text) {
    const input = await page.waitForSelector('stream-chat >>> [part~="input"]');
    await input.type(text);
    await input.press('Enter');
  }

  /** The first `done` or `error` event after `from` events. */
  /**
   * Makes the in-page mock write `speed` times as fast, as test/demo-tools.test.ts runs it: the same
   * writes, sooner. Only the mock's timers, each of which writes the next piece of its stream
   * (`() => { controller.enqueue(write.bytes); … }`, minified); the element's keep their time.
   * `window.mockWritesSped` counts them.
   */
  async function speedUpMock(page, speed) {
    await page.evaluateOnNewDocument((speed) => {
      const set = window.setTimeout;
      let sped = 0;
      window.setTimeout = function (callback, delay, ...args) {
        const writes = typeof callback === 'function' && /\.enqueue\(\w+\.bytes\)/.test(String(callback));
        if (writes) sped++;
        return set.call(this, callback, writes ? (delay ?? 0) / speed : delay, ...args);
      };
      Object.defineProperty(window, 'mockWritesSped', { get: () => sped });
    }, speed);
  }

  async function ending(page, from = 0) {
    await page.waitForFunction(
      (from) => window.streamChatEvents.slice(from).some((e) => e.type === 'done' || e.type === 'error'),
      { timeout: 30_000, polling: 50 },
      from,
    );
    const events = await page.evaluate(() => window.streamChatEvents);
    return { end: events.slice(from).find((e) => e.type !== 'chunk'), events: events.slice(from) };
  }

  it('streams a multi-paragraph answer with no backend, through the mock in the page', { timeout: 60_000 }, async () => {
    // Ten times the demo's pace: its 20 s answer in 2.
    const { page, problems } = await openDemo('', { mockSpeed: 10 });
    await sendFromInput(page, 'How does streaming work here?');
    const { end, events } = await ending(page);
    assert.ok((await page.evaluate(() => window.mockWritesSped)) > 20, 'the mock sped up');

    assert.equal(end.type, 'done', `ended with ${JSON.stringify(end)}`);
    assert.equal(end.aborted, false);
    assert.ok(events.filter((e) => e.type === 'chunk').length > 20, 'the answer arrived in many chunks');
    assert.ok(end.content.split('\n\n').length >= 3, `a multi-paragraph answer: ${JSON.stringify(end.content)}`);
    // Shown as Markdown, not as its source: code verbatim, and to the answer's last words.
    const shown = await page.$eval('stream-chat >>> [part~="assistant"]', (message) => ({
      text: message.textContent,
      blocks: [...message.querySelectorAll('h2, ol ul, [part~="code-block"], table, blockquote')].map((e) => e.localName),
      code: [...message.querySelectorAll('pre')].map((e) => e.textContent),
    }));
    assert.ok(['h2', 'ul', 'div', 'table', 'blockquote'].every((tag) => shown.blocks.includes(tag)), `rendered: ${shown.blocks}`);
    assert.ok(shown.code.length >= 2 && shown.code.every((code) => end.content.includes(code)), `code shown as sent: ${shown.code}`);
    assert.ok(shown.text.endsWith(end.content.split(' ').slice(-3).join(' ')), `shown to the end: ${shown.text}`);

    assert.deepEqual(problems, []);
    const served = requests.map(({ method, pathname }) => `${method} ${pathname}`);
    assert.ok(served.every((line) => line.startsWith(`GET ${folder}`)), `only the demo's files were asked for: ${served}`);
    await page.close();
  });

  it('its protocol picker switches the in-page mock to the Responses and Anthropic APIs, with a web search and its sources (Anthropic pausing the turn, which goes on by itself)', { timeout: 60_000 }, async () => {
    const { page, problems } = await openDemo('', { mockSpeed: 10 });
    let from = 0;
    for (const protocol of ['openai-responses', 'anthropic']) {
      await page.select('#protocol', protocol);
      assert.equal(await page.$eval('stream-chat', (chat) => chat.protocol), protocol);
      assert.match(await page.$eval('#status', (status) => status.textContent), protocol === 'anthropic' ? /Anthropic Messages API/ : /Responses API/);
      await sendFromInput(page, 'Search the web: how do servers stream to a page?');
      const { end } = await ending(page, from);
      assert.equal(end.type, 'done', `${protocol} ended with ${JSON.stringify(end)}`);
      assert.deepEqual(
        end.steps.map(([reason]) => reason),
        protocol === 'anthropic' ? ['pause_turn', 'stop'] : ['stop'],
      );
      const text = end.steps.map(([, content]) => content).join('');
      assert.match(text, /^I will search the web for that\.\n\nA server streams to a page with \*\*server-sent events\*\*/);
      const shown = await page.evaluate(() => {
        const root = document.querySelector('stream-chat').shadowRoot;
        const turn = [...root.querySelectorAll('.turn.assistant')].at(-1);
        return {
          lines: [...root.querySelectorAll('[part~="server-tool"]')].map((line) => line.textContent),
          links: [...turn.querySelectorAll('[part~="sources"] a')].map((link) => link.href),
        };
      });
      // One line for the search, in the answer that paused with Anthropic's API.
      assert.equal(shown.lines.at(-1), 'web search Search the web: how do servers stream to a page?', protocol);
      assert.equal(shown.lines.length, protocol === 'anthropic' ? 2 : 1, protocol);
      assert.deepEqual(shown.links, [
        'https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events/Using_server-sent_events',
        'https://html.spec.whatwg.org/multipage/server-sent-events.html',
      ]);
      // The Events panel counts the API's input and output tokens, as chat-completions' (it showed their JSON).
      const usage = await page.$$eval('#event-log .event-done .event-detail', (entries) => entries.at(-1)?.textContent);
      assert.match(usage, /usage: \d+ prompt \+ \d+ completion = \d+ tokens/, protocol);
      from = await page.evaluate(() => window.streamChatEvents.length);
    }
    assert.ok((await page.evaluate(() => window.mockWritesSped)) > 20, 'the mock sped up');
    // Kept, as the conversation is: after a reload, the conversation had with Claude goes on with Claude.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('stream-chat')?.messages.length > 0, { polling: 50 });
    assert.deepEqual(await page.evaluate(() => [document.querySelector('#protocol').value, document.querySelector('stream-chat').protocol]), ['anthropic', 'anthropic']);
    assert.match(await page.$eval('#status', (status) => status.textContent), /Anthropic Messages API/);
    // (Back to the first, for the tests after this one: the page's storage is theirs too.)
    await page.select('#protocol', 'openai-chat');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('streams on the plain-HTML, React and Vue pages too, from their sub-folders', { timeout: 60_000 }, async () => {
    for (const path of ['plain/', 'react/', 'vue/']) {
      const { page, problems } = await openDemo(path);
      // The first words through the in-page mock, then Stop: the full answer is the first test's job.
      const detail = await page.evaluate(async () => {
        const chat = document.querySelector('stream-chat');
        const words = new Promise((resolve) => {
          chat.addEventListener('chunk', function onChunk(e) {
            if (e.detail.delta === '') return;
            chat.removeEventListener('chunk', onChunk);
            resolve();
          });
        });
        const reply = chat.send('How does streaming work?');
        await words;
        chat.stop();
        return reply;
      });
      assert.equal(detail.aborted, true, path);
      // Dark with the system, as the first page is (the chat was dark in a white page).
      assert.equal(await page.$eval('meta[name="color-scheme"]', (meta) => meta.content), 'light dark', path);
      assert.ok(detail.content.length > 0, `${path}: text arrived`);
      assert.deepEqual(problems, [], path);
      await page.close();
    }
  });

  it('the plain-HTML, React and Vue pages link back to the first page, from their sub-folders', { timeout: 60_000 }, async () => {
    for (const path of ['plain/', 'react/', 'vue/']) {
      const { page, problems } = await openDemo(path);
      // Before, a page reached from the first page's links had none back to it.
      const back = await page.$$eval('a[href]', (links) => links.map((link) => link.href));
      assert.ok(back.includes(pageUrl), `${path}: a link to ${pageUrl} among ${back}`);
      assert.deepEqual(problems, [], path);
      await page.close();
    }
  });

  it('the right-to-left chat suggests in its own language, Arabic, and its second suggestion streams reasoning', { timeout: 60_000 }, async () => {
    const { page, problems } = await openDemo('', { mockSpeed: 10 });
    const suggestions = await page.$$eval('stream-chat.themed >>> [part~="suggestion"]', (buttons) => buttons.map((button) => button.textContent.trim()));
    assert.equal(suggestions.length, 2);
    // Before, one was English in an element of lang="ar": a screen reader read it in an Arabic voice.
    for (const suggestion of suggestions) assert.match(suggestion, /^[\p{Script_Extensions=Arabic}\p{P}\p{Zs}]+$/u, suggestion);
    const reasoning = await page.evaluate(async () => {
      const chat = document.querySelector('stream-chat.themed');
      const done = new Promise((resolve) => chat.addEventListener('done', resolve, { once: true }));
      chat.shadowRoot.querySelectorAll('[part~="suggestion"]')[1].click();
      await done;
      return chat.messages.at(-1).reasoning;
    });
    assert.ok(reasoning?.length > 0, `reasoning streamed: ${JSON.stringify(reasoning)}`);
    assert.deepEqual(problems, []);
    await page.evaluate(() => document.querySelector('stream-chat.themed').clear());
    await page.close();
  });

  it('every page is clean under axe, best practices too: each has its main landmark, and nothing outside a landmark', { timeout: 60_000 }, async () => {
    const axe = fileURLToPath(import.meta.resolve('axe-core/axe.min.js'));
    for (const path of ['', 'plain/', 'react/', 'vue/']) {
      const { page, problems } = await openDemo(path);
      await page.addScriptTag({ path: axe });
      // The element's own parts too: axe goes into open shadow roots.
      const found = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      assert.deepEqual(found, [], path || 'index');
      assert.deepEqual(problems, [], path);
      await page.close();
    }
  });

  it('fits a 320 px phone with text at 200%, and its events log takes focus by its name', { timeout: 60_000 }, async () => {
    const { page, problems } = await openDemo();
    await page.setViewport({ width: 320, height: 640 });
    await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    // The settings' buttons side by side made the page scroll sideways.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320);
    const log = await page.$eval('#event-log', (list) => [list.tabIndex, document.getElementById(list.getAttribute('aria-labelledby')).textContent]);
    assert.deepEqual(log, [0, 'Events']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('its Model field says, where it is read, that a blank one sends no model (OpenAI and Anthropic then answer 400)', { timeout: 60_000 }, async () => {
    const { page, problems } = await openDemo();
    // Its placeholder, the protocol's model, read as the one used: a blank field sent none.
    const field = await page.$('#settings [name="model"]');
    const { name, description } = await page.accessibility.snapshot({ root: field });
    assert.equal(name, 'Model');
    assert.match(description ?? '', /only if filled in/, `described: ${JSON.stringify(description)}`);
    const shown = await page.$eval('#settings [name="model"]', (input) => {
      const hint = document.getElementById(input.getAttribute('aria-describedby'));
      return hint.checkVisibility() && hint.getBoundingClientRect().height > 0;
    });
    assert.ok(shown, 'the hint is on screen, not for screen readers only');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('after a protocol switch on a real endpoint, its status keeps the model and the key, and says a URL is another protocol’s', { timeout: 60_000 }, async () => {
    const { page, problems } = await openDemo();
    const key = 'sk-static-demo-status-2024';
    const status = () => page.$eval('#status', (line) => line.textContent);
    await page.type('#settings [name="endpoint"]', 'https://api.openai.com/v1/chat/completions');
    await page.type('#settings [name="key"]', key);
    await page.type('#settings [name="model"]', 'gpt-4o-mini');
    await page.click('#settings button[type="submit"]');
    const first = await status();
    assert.equal(first, 'Using https://api.openai.com/v1/chat/completions with chat completions, model gpt-4o-mini, with a key.');
    // Before, the switch said `Using … with the Anthropic Messages API.`: no model, no key, nothing of the URL.
    await page.select('#protocol', 'anthropic');
    const switched = await status();
    assert.equal(
      switched,
      'Using https://api.openai.com/v1/chat/completions with the Anthropic Messages API, model gpt-4o-mini, with a key. ' +
        'Its path, /chat/completions, is that of chat completions: pick that protocol, or another URL.',
    );
    await page.select('#protocol', 'openai-responses');
    assert.match(await status(), /Responses API, model gpt-4o-mini, with a key\. Its path, \/chat\/completions, is that of chat completions:/);
    // A query is no part of the path; a proxy's own route (`/api/chat`) is no protocol's.
    for (const [endpoint, said] of [
      ['https://gateway.example/v1/messages?beta=1', / Its path, \/messages, is that of the Anthropic Messages API:/],
      ['/api/chat', /^Using \/api\/chat with the Responses API, model gpt-4o-mini, with a key\.$/],
    ]) {
      await page.$eval('#settings [name="endpoint"]', (field) => (field.value = ''));
      await page.type('#settings [name="endpoint"]', endpoint);
      await page.click('#settings button[type="submit"]');
      assert.match(await status(), said);
    }
    await page.$eval('#settings [name="endpoint"]', (field) => (field.value = ''));
    await page.type('#settings [name="endpoint"]', 'https://api.openai.com/v1/chat/completions');
    await page.click('#settings button[type="submit"]');
    // Its own protocol again: nothing to say of the URL.
    await page.select('#protocol', 'openai-chat');
    assert.equal(await status(), first);
    assert.ok(!(await status()).includes(key));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('sends to a real endpoint with its key, keeping the key out of storage and logs', { timeout: 60_000 }, async () => {
    const { page, problems, consoleText } = await openDemo();
    const key = 'sk-static-demo-secret-4711';
    const endpoint = `${pageUrl}v1/chat/completions`;
    const sent = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.url() !== endpoint) return void request.continue();
      sent.push({ method: request.method(), headers: request.headers(), body: JSON.parse(request.postData() ?? '{}') });
      const chunk = (content) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
      void request.respond({
        status: 200,
        contentType: 'text/event-stream',
        body: `${chunk('Hello from ')}${chunk('the real endpoint.')}data: [DONE]\n\n`,
      });
    });

    // An endpoint of spaces passes the field's `required`: the form refuses it, the next send does not fail on it.
    await page.type('#settings [name="endpoint"]', '   ');
    await page.click('#settings button[type="submit"]');
    assert.equal(await page.$eval('#settings [name="endpoint"]', (field) => field.validationMessage), 'Enter the endpoint’s URL.');
    assert.match(await page.$eval('#status', (status) => status.textContent), /built-in mock/);
    await page.$eval('#settings [name="endpoint"]', (field) => (field.value = ''));
    await page.type('#settings [name="endpoint"]', endpoint);
    await page.type('#settings [name="key"]', key);
    await page.type('#settings [name="model"]', 'gpt-test');
    await page.click('#settings button[type="submit"]');
    await sendFromInput(page, 'Hi there');
    const { end } = await ending(page);

    assert.equal(end.type, 'done', `ended with ${JSON.stringify(end)}`);
    assert.equal(end.content, 'Hello from the real endpoint.');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].method, 'POST');
    assert.equal(sent[0].headers.authorization, `Bearer ${key}`);
    assert.equal(sent[0].body.model, 'gpt-test');
    assert.equal(sent[0].body.messages.at(-1).content, 'Hi there');

    const traces = await page.evaluate(async () => ({
      localStorage: JSON.stringify({ ...localStorage }),
      sessionStorage: JSON.stringify({ ...sessionStorage }),
      cookie: document.cookie,
      databases: JSON.stringify(await indexedDB.databases()),
      url: location.href,
      html: document.documentElement.outerHTML,
    }));
    for (const [where, text] of Object.entries({ ...traces, console: consoleText.join('\n') })) {
      assert.ok(!text.includes(key), `the key is not in ${where}`);
    }

    // Back to the mock: it streams again without a request leaving the page.
    const before = requests.length;
    const from = await page.evaluate(() => window.streamChatEvents.length);
    await page.click('#settings button[type="reset"]');
    await sendFromInput(page, 'And the mock again?');
    await page.waitForFunction((from) => window.streamChatEvents.slice(from).some((e) => e.type === 'chunk'), { polling: 50 }, from);
    await page.click('stream-chat >>> [part~="stop"]');
    const again = await ending(page, from);
    assert.equal(again.end.type, 'done');
    assert.equal(again.end.aborted, true);
    assert.equal(sent.length, 1, 'the real endpoint got nothing more');
    assert.equal(requests.length, before, 'the static host got nothing more');
    assert.deepEqual(problems, []);
    await page.close();
  });
  it('sends the key nowhere when its settings are submitted before the page’s script runs (a slow network)', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const key = 'sk-static-demo-early-0815';
    const urls = [];
    const held = [];
    let holding = true;
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      urls.push(request.url());
      if (holding && request.resourceType() === 'script') held.push(request);
      else void request.continue();
    });
    // The form is on screen and takes input while the demo's module is still on its way.
    void page.goto(pageUrl).catch(() => {});
    await page.waitForSelector('#settings [name="model"]');
    await page.type('#settings [name="endpoint"]', 'https://api.example.com/v1/chat/completions');
    await page.type('#settings [name="key"]', key);
    await page.keyboard.press('Enter');
    holding = false;
    for (const request of held) void request.continue();
    await page.waitForFunction(() => /built-in mock/.test(document.querySelector('#status')?.textContent ?? '') && customElements.get('stream-chat'), { polling: 50 });

    assert.ok(!page.url().includes(key), `the key is not in the page's URL: ${page.url()}`);
    assert.deepEqual(urls.filter((url) => url.includes(key)), [], 'no request carries the key');
    await page.close();
  });

  it('streams through demo/proxy, which adds the key on the server', { timeout: 60_000 }, async () => {
    const key = 'sk-proxy-secret-0c1d2e';
    const seen = [];
    const upstream = createServer((req, res) => {
      seen.push(req.headers.authorization);
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (content) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
      res.write(chunk('Through '));
      setTimeout(() => res.end(`${chunk('the proxy.')}data: [DONE]\n\n`), 50);
    });
    await new Promise((done) => upstream.listen(0, '127.0.0.1', done));
    const proxy = createProxyServer({
      upstreamUrl: `http://127.0.0.1:${upstream.address().port}/v1/chat/completions`,
      upstreamApiKey: key,
      staticDir: outDir,
    });
    await new Promise((done) => proxy.listen(0, '127.0.0.1', done));
    const page = await browser.newPage();
    try {
      const bodies = [];
      page.on('response', async (response) => bodies.push(JSON.stringify(response.headers()), await response.text().catch(() => '')));
      await page.goto(`http://127.0.0.1:${proxy.address().port}/`);
      await page.type('#settings [name="endpoint"]', '/api/chat');
      await page.click('#settings button[type="submit"]');
      const done = page.evaluate(
        () => new Promise((resolve) => document.querySelector('stream-chat').addEventListener('done', (e) => resolve(e.detail.content))),
      );
      await sendFromInput(page, 'Hello, proxy');
      assert.equal(await done, 'Through the proxy.');
      assert.deepEqual(seen, [`Bearer ${key}`]);
      assert.ok(!bodies.join('\n').includes(key), 'nothing the page received holds the key');
    } finally {
      await page.close();
      for (const server of [proxy, upstream]) {
        server.closeAllConnections();
        await new Promise((done) => server.close(done));
      }
    }
  });
});
