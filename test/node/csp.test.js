/**
 * <stream-chat> under a strict Content-Security-Policy: no 'unsafe-inline', no 'unsafe-eval', and
 * Trusted Types required for every HTML sink (`require-trusted-types-for 'script'`: a string given
 * to `innerHTML` throws), as an enterprise's pages set it.
 * A node:http server on 127.0.0.1 serves the fixture pages (test/fixtures/csp/), the CDN bundle
 * (dist/stream-chat.js, from `npm run build`) with its chunks next to it (the highlighter, the Anthropic
 * protocol, storage-key's), and same-origin SSE chat endpoints; puppeteer-core drives Chromium.
 *
 *   node --test test/node/csp.test.js
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromiumLaunchOptions } from '../chromium.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html";
// Markdown: every kind of node the renderer builds that a policy could refuse (a link, a table, a
// code block with its Copy button).
const PIECES = ['Streaming ', '**under** ', 'a `strict` ', '[policy](https://example.com/csp)', ':\n\n', '| no inline | no eval |\n', '|---|---|\n', '| script | style |\n\n', '```js\n', 'const ok = true;\n', '```\n'];
const ANSWER = PIECES.join('');
/** The answer Copy copies: a paragraph, a list of two items, a table of two aligned columns and one not, a paragraph. */
const COPIED = 'Copied **whole**:\n\n- one item\n- another\n\n| left | centred | plain |\n|:--|:-:|---|\n| a | b | c |\n\nDone.';
const ACCENT = 'rgb(9, 105, 218)';

const chunk = (delta, finishReason = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;

/** Every chat request the server received. */
const chatRequests = [];
/** The path of every GET the server received. */
const fetched = [];
/** A PNG of one pixel. */
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const CHUNK = '/dist/stream-chat-highlight.js';
const CHUNKS = ['/dist/stream-chat-anthropic.js', '/dist/stream-chat-persistence.js'];
/** Anthropic's Messages API stream of one answer, as events. */
const anthropicEvents = [
  ['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'csp-test', usage: { input_tokens: 5, output_tokens: 0 } } }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ...['Answered ', 'under a strict ', 'policy.'].map((text) => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }]),
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 4 } }],
  ['message_stop', { type: 'message_stop' }],
];

const files = {
  '/': ['test/fixtures/csp/index.html', 'text/html; charset=utf-8'],
  '/page.js': ['test/fixtures/csp/page.js', 'text/javascript; charset=utf-8'],
  '/violations.js': ['test/fixtures/csp/violations.js', 'text/javascript; charset=utf-8'],
  '/highlight.html': ['test/fixtures/csp/highlight.html', 'text/html; charset=utf-8'],
  '/highlight.js': ['test/fixtures/csp/highlight.js', 'text/javascript; charset=utf-8'],
  [CHUNK]: ['dist/stream-chat-highlight.js', 'text/javascript; charset=utf-8'],
  '/chunks.html': ['test/fixtures/csp/chunks.html', 'text/html; charset=utf-8'],
  '/features.html': ['test/fixtures/csp/features.html', 'text/html; charset=utf-8'],
  '/features.js': ['test/fixtures/csp/features.js', 'text/javascript; charset=utf-8'],
  '/dist/stream-chat-openai-responses.js': ['dist/stream-chat-openai-responses.js', 'text/javascript; charset=utf-8'],
  '/chunks.js': ['test/fixtures/csp/chunks.js', 'text/javascript; charset=utf-8'],
  ...Object.fromEntries(CHUNKS.map((path) => [path, [path.slice(1), 'text/javascript; charset=utf-8']])),
  '/dist/stream-chat.js': ['dist/stream-chat.js', 'text/javascript; charset=utf-8'],
};

async function handle(req, res) {
  const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
  res.setHeader('content-security-policy', POLICY);
  if (pathname === '/v1/chat/completions' && req.method === 'POST') {
    let body = '';
    for await (const part of req) body += part;
    chatRequests.push({ headers: req.headers, body: JSON.parse(body) });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.write(chunk({ role: 'assistant', content: '' }));
    for (const piece of PIECES) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      res.write(chunk({ content: piece }));
    }
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
    return;
  }
  if (pathname === '/v1/messages' && req.method === 'POST') {
    for await (const part of req) chatRequests.push({ headers: req.headers, body: JSON.parse(part) });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(anthropicEvents.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join(''));
    return;
  }
  if (pathname === '/features/chat' && req.method === 'POST') {
    let body = '';
    for await (const part of req) body += part;
    // The first response reasons, writes images and calls the tool; the second, with its result, answers.
    const first = JSON.parse(body).messages.at(-1).role === 'user';
    const image = `![pixel](http://${req.headers.host}/pixel.png) ![inline](${PIXEL})`;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    res.end(
      first
        ? chunk({ role: 'assistant', reasoning_content: 'Looking it **up**.' }) + chunk({ content: `${image}\n\n` }) + chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] }) + chunk({}, 'tool_calls')
        : chunk({ role: 'assistant', content: 'It was *found*.' }) + chunk({}, 'stop'),
    );
    return;
  }
  if (pathname === '/features/copy' && req.method === 'POST') {
    for await (const part of req) void part;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    return res.end(chunk({ role: 'assistant', content: COPIED }) + chunk({}, 'stop'));
  }
  if (pathname === '/v1/responses' && req.method === 'POST') {
    for await (const part of req) void part;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    return res.end(await readFile(new URL('test/fixtures/protocols/responses-web-search-citations.sse', `file://${root}`)));
  }
  if (pathname === '/features/fail' && req.method === 'POST') {
    for await (const part of req) void part;
    return res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided.' } }));
  }
  if (pathname === '/pixel.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from(PIXEL.split(',')[1], 'base64'));
  if (pathname === '/favicon.ico') return res.writeHead(204).end();
  if (req.method === 'GET') fetched.push(pathname);
  const file = req.method === 'GET' ? files[pathname] : undefined;
  if (!file) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  const [path, type] = file;
  res.writeHead(200, { 'content-type': type }).end(await readFile(new URL(path, `file://${root}`)));
}

describe('<stream-chat> under a strict CSP', () => {
  let server;
  let origin;
  let browser;

  before(async () => {
    await readFile(`${root}dist/stream-chat.js`).catch(() => {
      throw new Error('dist/stream-chat.js is missing: run `npm run build` first');
    });
    server = createServer((req, res) => {
      handle(req, res).catch((error) => {
        res.destroy(error);
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${server.address().port}`;
    browser = await puppeteer.launch(chromiumLaunchOptions);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  });

  /** Opens `path`, waits for the page script's result; returns it with what the browser reported. */
  async function visit(path) {
    fetched.length = 0;
    const page = await browser.newPage();
    const consoleErrors = [];
    const pageErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') consoleErrors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    try {
      const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
      assert.equal(response.headers()['content-security-policy'], POLICY);
      const result = await page.evaluate(() => window.cspResult);
      const violations = await page.evaluate(() => window.cspViolations);
      return { result, violations, consoleErrors, pageErrors };
    } finally {
      await page.close();
    }
  }

  it('streams a reply with no violation, its styles applied, the text complete', async () => {
    chatRequests.length = 0;
    const { result, violations, consoleErrors, pageErrors } = await visit('/');
    assert.deepEqual(violations, [], 'securitypolicyviolation events');
    assert.deepEqual(consoleErrors, [], 'console errors and warnings');
    assert.deepEqual(pageErrors, [], 'uncaught page errors');
    assert.equal(result.error, undefined, `send() failed: ${result.error}`);
    assert.equal(result.content, ANSWER);
    assert.deepEqual(result.rendered, {
      strong: 'under',
      code: ['strict', 'const ok = true;\n'],
      links: ['https://example.com/csp'],
      cells: ['no inline', 'no eval', 'script', 'style'],
      copy: true,
    });
    assert.equal(result.aborted, false);
    assert.equal(result.chunks, PIECES.length + 2);
    // Styles: the shadow root's stylesheet applied, from a constructed sheet (no <style> to block).
    assert.equal(result.logOverflowY, 'auto');
    assert.equal(result.sendBackground, ACCENT);
    assert.equal(result.hostHeight, '512px');
    assert.notEqual(result.userBackground, 'rgba(0, 0, 0, 0)');
    assert.equal(result.styleElements, 0);
    assert.ok(result.adoptedStyleSheets >= 1);
    assert.equal(chatRequests.length, 1);
    assert.ok(!fetched.includes(CHUNK), 'no highlighter: no element has `highlight`');
    assert.deepEqual(chatRequests[0].body, { model: 'csp-test', messages: [{ role: 'user', content: 'Hello from a strict page' }], stream: true });
  });

  it('sees a violation when there is one (control)', async () => {
    const { result, violations, consoleErrors } = await visit('/?control');
    assert.deepEqual(
      violations.map((v) => v.directive),
      ['style-src-elem', 'require-trusted-types-for'],
    );
    assert.ok(consoleErrors.some((text) => text.includes('Content Security Policy')), 'the browser logs the violation');
    assert.equal(result.content, ANSWER);
  });

  it("loads the Anthropic protocol's and storage-key's chunks from next to the bundle, which save the answer and bring it back", async () => {
    chatRequests.length = 0;
    const sent = await visit('/chunks.html');
    assert.deepEqual([sent.violations, sent.consoleErrors, sent.pageErrors], [[], [], []], 'no violation, error or warning');
    assert.deepEqual(sent.result, {
      restored: false,
      messages: [
        ['user', 'Hello from a strict page'],
        ['assistant', 'Answered under a strict policy.'],
      ],
      shown: 'Answered under a strict policy.',
      stored: true,
      warnings: [],
    });
    assert.deepEqual(chatRequests.map(({ headers }) => headers['anthropic-version']), ['2023-06-01']);
    for (const chunk of CHUNKS) assert.ok(fetched.includes(chunk), `${chunk}, relative to the bundle`);

    const restored = await visit('/chunks.html');
    assert.deepEqual([restored.violations, restored.consoleErrors, restored.pageErrors], [[], [], []], 'no violation, error or warning');
    assert.deepEqual(restored.result, { ...sent.result, restored: true });
    assert.equal(chatRequests.length, 1, 'nothing sent again');
  });

  it("shows reasoning, a tool's card, images, an error and the Responses protocol's chunk with its sources, and copies an answer's paragraphs, list and aligned table; a data: image is refused, as README says", async () => {
    // The clipboard read back (writing it needs no grant: Chromium allows a secure context's).
    await browser.defaultBrowserContext().setPermission(origin, { permission: { name: 'clipboard-read' }, state: 'granted' });
    const { result, violations, consoleErrors, pageErrors } = await visit('/features.html');
    assert.deepEqual(pageErrors, [], 'uncaught page errors');
    // The data: image, which img-src (default-src) does not allow (refused each time its open block
    // is built, while it streams and once finished); and Copy's: Chromium's Clipboard API checks the
    // style attributes of the HTML it is given (its paragraphs' and items' direction, its cells'
    // alignment) against the page's style-src, though it copies them (Firefox does not).
    assert.deepEqual(
      [...new Set(violations.map(({ directive, blockedURI }) => `${directive} ${blockedURI}`))],
      ['img-src data', 'style-src-attr inline'],
    );
    // At least one for each paragraph, item and aligned cell (8), as README says (Chromium 156: a
    // second for each paragraph and item above the table, 11; not pinned, another version may differ).
    assert.ok(violations.filter(({ directive }) => directive === 'style-src-attr').length >= 8);
    assert.deepEqual(
      consoleErrors.filter((text) => !text.includes('data:image/png') && !text.startsWith('error: Applying inline style')),
      ['error: Failed to load resource: the server responded with a status of 401 (Unauthorized)'],
    );
    const { clipboard, ...shown } = result;
    // The clipboard read back: every style attribute copied, the paragraphs', items' and aligned cells'.
    assert.equal(typeof clipboard, 'string', `the clipboard has no HTML, only ${clipboard}`);
    const start = 'unicode-bidi: plaintext; text-align: start;';
    assert.deepEqual(
      [...clipboard.matchAll(/<(\w+)[^>]* style="([^"]*)"[^>]*>([^<]*)/g)].map(([, tag, style, text]) => [tag, style, text]),
      [
        ['p', start, 'Copied '],
        ['li', start, 'one item'],
        ['li', start, 'another'],
        ['th', 'text-align: left;', 'left'],
        ['th', 'text-align: center;', 'centred'],
        ['td', 'text-align: left;', 'a'],
        ['td', 'text-align: center;', 'b'],
        ['p', start, 'Done.'],
      ],
    );
    assert.deepEqual(shown, {
      copied: 'Copied',
      chat: { reasoning: 1, 'tool-call': 1, 'tool-result': 1, 'copy-message': 2 },
      images: [
        ['http:', 1],
        ['data:', 0],
      ],
      responses: { 'server-tool': 1, sources: 1 },
      error: ['http', { error: 1, retry: 1 }],
    });
    assert.ok(fetched.includes('/dist/stream-chat-openai-responses.js'), "the Responses protocol's chunk, relative to the bundle");
  });

  it('loads the highlighter only for an element with `highlight` that has code, from next to the bundle, once', async () => {
    const plain = await visit('/highlight.html?plain');
    assert.deepEqual([plain.violations, plain.consoleErrors, plain.pageErrors], [[], [], []]);
    assert.deepEqual(plain.result.map((chat) => chat.spans), [[]]);
    assert.ok(fetched.includes('/dist/stream-chat.js'));
    assert.ok(!fetched.includes(CHUNK), 'the element with `highlight` had no code: no chunk');

    const { result, violations, consoleErrors, pageErrors } = await visit('/highlight.html');
    assert.deepEqual([violations, consoleErrors, pageErrors], [[], [], []], 'no violation, error or warning');
    assert.deepEqual(fetched.filter((path) => path.endsWith('stream-chat-highlight.js')), [CHUNK], 'relative to the bundle, not the page');
    const [unhighlighted, highlighted] = result;
    assert.deepEqual(unhighlighted.spans, []);
    assert.equal(highlighted.text, 'const a = "b"; // c\n');
    assert.deepEqual(
      highlighted.spans.map(([name, text]) => [name, text]),
      [
        ['keyword', 'const'],
        ['string', '"b"'],
        ['comment', '// c\n'],
      ],
    );
    for (const [name, , color] of highlighted.spans) assert.notEqual(color, highlighted.color, `${name}: its own colour, from an adopted sheet`);
  });
});
