// demo/proxy/server.js in front of one upstream that records what reaches it.
//
// Other sites: README runs the proxy on http://127.0.0.1:8787 with the developer's keys, and the
// element reaches it same-origin. Any other web site open in the same browser could spend those keys:
// a "simple" cross-site POST (`fetch(url, { method: 'POST', mode: 'no-cors', body })`, text/plain,
// no preflight) was forwarded upstream with the key (the page cannot read the answer, but the
// provider bills it). Browsers say where such a request comes from (`Sec-Fetch-Site`), and the
// element's own requests are `same-origin`.
//
// A page of another origin (its own dev server's, `http://localhost:5173`, with `endpoint` at the
// proxy) sends the element's JSON POST after a CORS preflight, `OPTIONS /api/chat`, which got 405
// `Use POST` and nothing in the proxy's log: the page said `Could not reach … (CORS?)` and the
// proxy's terminal nothing at all.
//
// The request id: README, Errors: `requestId` is "the provider's id of the request … what the
// provider's support asks for", read from the error's body (Anthropic's `request_id`) or from the
// `request-id` / `x-request-id` header. OpenAI sends it in the header only, and the proxy passed on
// the status, Content-Type and Retry-After alone: behind it, an OpenAI error had no `requestId`.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createProxyServer } from '../../demo/proxy/server.js';

const requests = [];
const done = (res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: [DONE]\n\n');
/** How the upstream answers the next requests. */
let answer = done;
const upstream = createServer((req, res) => {
  requests.push(req.headers);
  req.resume();
  req.on('end', () => answer(res));
});
let proxy;
let port;

before(async () => {
  await new Promise((done) => upstream.listen(0, '127.0.0.1', done));
  proxy = createProxyServer({ upstreamUrl: `http://127.0.0.1:${upstream.address().port}/v1/chat/completions`, upstreamApiKey: 'sk-test-1234567890' });
  await new Promise((done) => proxy.listen(0, '127.0.0.1', done));
  port = proxy.address().port;
});

after(async () => {
  for (const server of [proxy, upstream]) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

const body = JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'spend the key' }] });
const post = (headers = { 'content-type': 'application/json' }) => fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers, body });
// What Chromium sends for `fetch('http://127.0.0.1:8787/api/chat', { method: 'POST', mode: 'no-cors', body })` from another site.
const crossSite = { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://another-site.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'empty' };

describe('demo/proxy/server.js, requests of other sites', () => {
  it('does not forward a cross-site browser request upstream', { timeout: 10_000 }, async () => {
    requests.length = 0;
    answer = done;
    const res = await post(crossSite);
    await res.text();
    assert.equal(requests.length, 0, 'upstream was not called');
    assert.equal(res.status, 403);
  });

  it("forwards the page's own requests, and those of clients that are not browsers", { timeout: 10_000 }, async () => {
    requests.length = 0;
    answer = done;
    const own = { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' };
    assert.equal((await post(own)).status, 200);
    assert.equal((await post()).status, 200);
    assert.equal(requests.length, 2);
  });
});

describe('demo/proxy/server.js, a CORS preflight of a page of another origin', () => {
  // What Chromium sends before the element's POST from a page at http://localhost:5173.
  const preflight = (origin) =>
    fetch(`http://127.0.0.1:${port}/api/chat`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type', 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'cross-site' },
    });

  it('answers 405, and says in its log once per origin what happened and what to do', { timeout: 10_000 }, async () => {
    const logged = [];
    const original = { log: console.log, error: console.error, warn: console.warn };
    console.log = console.error = console.warn = (...args) => logged.push(args.join(' '));
    try {
      for (let i = 0; i < 3; i++) {
        const res = await preflight('http://localhost:5173');
        await res.text();
        assert.equal(res.status, 405);
      }
      assert.equal(logged.length, 1, `one line for three preflights: ${JSON.stringify(logged)}`);
      assert.match(logged[0], /http:\/\/localhost:5173/);
      assert.match(logged[0], /\/api\/chat/);
      assert.match(logged[0], /STATIC_DIR/);
      assert.match(logged[0], /same origin/);
      assert.ok(!/sk-test|authorization|content-type/i.test(logged[0]), `no key nor header: ${logged[0]}`);
      await (await preflight('http://localhost:3000')).text();
      assert.equal(logged.length, 2, 'another origin, a line of its own');
      // A client that makes up origins does not flood the log.
      for (let i = 0; i < 200; i++) await (await preflight(`http://made-up-${i}.example`)).text();
      assert.ok(logged.length <= 20, `${logged.length} lines`);
    } finally {
      Object.assign(console, original);
    }
  });
});

describe("demo/proxy/server.js, the provider's request id", () => {
  it('passes x-request-id through with an error', { timeout: 10_000 }, async () => {
    answer = (res) => res.writeHead(500, { 'content-type': 'application/json', 'x-request-id': 'req_0123456789abcdef' }).end('{"error":{"message":"The server had an error","type":"server_error"}}');
    const res = await post();
    await res.text();
    assert.equal(res.headers.get('x-request-id'), 'req_0123456789abcdef');
  });

  it('passes request-id through with a stream', { timeout: 10_000 }, async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_011CQ' }).end('data: [DONE]\n\n');
    const res = await post();
    await res.text();
    assert.equal(res.headers.get('request-id'), 'req_011CQ');
  });
});
