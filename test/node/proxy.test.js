// demo/proxy/server.js against a fake upstream on 127.0.0.1: the key is added on the server and
// never sent back, the answer streams through as it is written, errors pass through, a browser
// that leaves stops the upstream request, and oversized bodies are refused.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { createProxyServer } from '../../demo/proxy/server.js';

const SERVER_KEY = 'sk-server-secret-9f8e7d6c';
const MAX_BODY_BYTES = 4096;

/** The fake provider: each test sets `upstream.handle`; every request it gets is recorded. */
const upstream = {
  /** @type {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: Buffer) => void} */
  handle: () => {},
  /** @type {Array<{ method?: string, url?: string, headers: import('node:http').IncomingHttpHeaders, body: Buffer }>} */
  requests: [],
};
const upstreamServer = createServer((req, res) => {
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    const body = Buffer.concat(parts);
    upstream.requests.push({ method: req.method, url: req.url, headers: req.headers, body });
    upstream.handle(req, res, body);
  });
});

let staticDir;
let proxy;
let proxyPort;
/** Everything the proxy logged. */
const logged = [];
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'];
const originalConsole = Object.fromEntries(consoleMethods.map((name) => [name, console[name]]));

before(async () => {
  for (const name of consoleMethods) console[name] = (...args) => logged.push(args.map(String).join(' '));
  await listen(upstreamServer);
  staticDir = await mkdtemp(join(tmpdir(), 'stream-chat-proxy-'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>demo</title>');
  proxy = createProxyServer({
    upstreamUrl: `http://127.0.0.1:${upstreamServer.address().port}/v1/chat/completions`,
    upstreamApiKey: SERVER_KEY,
    staticDir,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  proxyPort = await listen(proxy);
});

afterEach(() => {
  upstream.handle = () => {};
  upstream.requests = [];
});

after(async () => {
  Object.assign(console, originalConsole);
  for (const server of [proxy, upstreamServer]) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
  await rm(staticDir, { recursive: true, force: true });
  assert.ok(!logged.join('\n').includes(SERVER_KEY), 'the key was never logged');
});

async function listen(server) {
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return server.address().port;
}

/** One request to the proxy, on a connection of its own. Resolves with the response when its headers arrive. */
function send({ method = 'POST', path = '/api/chat', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxyPort, method, path, headers, agent: false }, (res) => resolve({ req, res }));
    req.on('error', reject);
    req.end(body);
  });
}

/** One request to the proxy, read to the end. */
async function fetchAll(options) {
  const { res } = await send(options);
  const parts = [];
  for await (const part of res) parts.push(part);
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(parts).toString('utf8') };
}

/** `promise`, or a failure saying `what` after `ms`. */
async function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new assert.AssertionError({ message: `${what} (waited ${ms} ms)` })), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when upstream's next response closes, with whether it had finished. */
function upstreamClosed() {
  return new Promise((done) => {
    upstreamServer.once('request', (req, res) => res.on('close', () => done(res.writableFinished)));
  });
}

const event = (content) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
const chatBody = JSON.stringify({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'Hi' }] });

describe('demo/proxy/server.js', () => {
  it('adds the server key upstream and forwards the browser body as sent', { timeout: 10_000 }, async () => {
    upstream.handle = (req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`${event('Hi!')}data: [DONE]\n\n`);
    const answer = await fetchAll({
      headers: { 'content-type': 'application/json', authorization: 'Bearer browser-key', cookie: 'session=abc' },
      body: chatBody,
    });

    assert.equal(upstream.requests.length, 1);
    const [seen] = upstream.requests;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/v1/chat/completions');
    assert.equal(seen.headers.authorization, `Bearer ${SERVER_KEY}`);
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.equal(seen.headers.cookie, undefined, "the browser's cookies stay here");
    assert.equal(seen.body.toString('utf8'), chatBody);

    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'text/event-stream');
    assert.equal(answer.headers['x-accel-buffering'], 'no');
    assert.equal(answer.body, `${event('Hi!')}data: [DONE]\n\n`);
  });

  it('streams the headers and each upstream write to the browser while upstream still holds the connection', { timeout: 10_000 }, async () => {
    const gate = () => {
      let open;
      const opened = new Promise((done) => (open = done));
      return { opened, open };
    };
    const headersSeen = gate();
    const firstSeen = gate();
    let upstreamEnded = false;
    upstream.handle = async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      await headersSeen.opened;
      res.write(event('first'));
      await firstSeen.opened;
      res.end(`${event(' second')}data: [DONE]\n\n`);
      upstreamEnded = true;
    };
    try {
      const holding = 'while upstream held the connection';
      const { res } = await within(3000, send({ headers: { 'content-type': 'application/json' }, body: chatBody }), `no headers ${holding}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/event-stream');
      const parts = [];
      const firstPart = new Promise((done) => res.once('data', done));
      headersSeen.open();
      const written = performance.now();
      parts.push(await within(3000, firstPart, `no bytes ${holding}`));
      const latency = performance.now() - written;
      assert.equal(upstreamEnded, false);
      assert.equal(parts[0].toString('utf8'), event('first'));
      assert.ok(latency < 500, `the first write took ${Math.round(latency)} ms to arrive`);

      res.on('data', (part) => parts.push(part));
      const ended = new Promise((done) => res.on('end', done));
      firstSeen.open();
      await ended;
      assert.equal(upstreamEnded, true);
      assert.equal(Buffer.concat(parts).toString('utf8'), `${event('first')}${event(' second')}data: [DONE]\n\n`);
    } finally {
      headersSeen.open();
      firstSeen.open();
    }
  });

  it('passes an upstream error through with its status, JSON body and Retry-After', { timeout: 10_000 }, async () => {
    const error = JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limited' } });
    upstream.handle = (req, res) => res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end(error);
    const answer = await fetchAll({ headers: { 'content-type': 'application/json' }, body: chatBody });
    assert.equal(answer.status, 429);
    assert.equal(answer.headers['content-type'], 'application/json');
    assert.equal(answer.headers['retry-after'], '7');
    assert.deepEqual(JSON.parse(answer.body), JSON.parse(error));
  });

  it('aborts the upstream request when the browser disconnects mid-stream', { timeout: 10_000 }, async () => {
    const closed = upstreamClosed();
    upstream.handle = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // One event, then the stream stays open, as from a model still generating.
      res.write(event('first'));
    };
    const { req, res } = await within(3000, send({ headers: { 'content-type': 'application/json' }, body: chatBody }), 'no response');
    await within(3000, new Promise((done) => res.once('data', done)), 'no bytes');
    req.destroy();
    const finished = await within(3000, closed, 'upstream still open after the browser left');
    assert.equal(finished, false, 'upstream was cut off, not finished');
  });

  it('aborts the upstream request when the browser disconnects before upstream answers', { timeout: 10_000 }, async () => {
    const closed = upstreamClosed();
    let received;
    const requested = new Promise((done) => (received = done));
    // Upstream takes the request and does not answer yet, as a model queueing it.
    upstream.handle = () => received();
    const req = request({ host: '127.0.0.1', port: proxyPort, method: 'POST', path: '/api/chat', agent: false });
    req.on('error', () => {});
    req.end(chatBody);
    await within(3000, requested, 'the request never reached upstream');
    req.destroy();
    const finished = await within(3000, closed, 'upstream still open after the browser left');
    assert.equal(finished, false, 'upstream was cut off, not answered');
  });

  it('never sends the key back, even when upstream quotes it', { timeout: 10_000 }, async () => {
    const answers = [];
    upstream.handle = (req, res) =>
      res
        .writeHead(401, { 'content-type': 'application/json', 'x-echo': 'nothing here' })
        .end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization}` } }));
    answers.push(await fetchAll({ headers: { 'content-type': 'application/json' }, body: chatBody }));
    upstream.handle = (req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`${event('ok')}data: [DONE]\n\n`);
    answers.push(await fetchAll({ headers: { 'content-type': 'application/json' }, body: chatBody }));
    answers.push(await fetchAll({ method: 'GET' }));
    answers.push(await fetchAll({ method: 'GET', path: '/' }));

    assert.equal(answers[0].status, 401);
    assert.match(JSON.parse(answers[0].body).error.message, /^Incorrect API key provided: Bearer \[redacted\]$/);
    for (const answer of answers) {
      assert.ok(!JSON.stringify(answer).includes(SERVER_KEY), `the key is not in ${JSON.stringify(answer)}`);
    }
  });

  it('never sends back part of a key that an error body over 64 KiB has across its cut', { timeout: 10_000 }, async () => {
    // (The proxy reads an error body up to 64 KiB: this key starts 6 bytes before that.)
    const body = `${'x'.repeat(64 * 1024 - 6)}${SERVER_KEY} and more after it`;
    upstream.handle = (req, res) => res.writeHead(400, { 'content-type': 'text/plain' }).end(body);
    const answer = await fetchAll({ headers: { 'content-type': 'application/json' }, body: chatBody });
    assert.equal(answer.status, 400);
    assert.ok(!answer.body.includes(SERVER_KEY.slice(0, 6)), `no part of the key in the body's end: …${answer.body.slice(-20)}`);
    assert.equal(answer.body, `${'x'.repeat(64 * 1024 - 6)}[redac`);
  });

  it('never sends the key back in a stream either (an error event that quotes it), also where two reads split it', { timeout: 10_000 }, async () => {
    const quoted = `data: ${JSON.stringify({ error: { message: `Incorrect API key provided: ${SERVER_KEY}.` } })}\n\n`;
    const cut = quoted.indexOf(SERVER_KEY) + 7;
    let readSome;
    const someRead = new Promise((done) => (readSome = done));
    upstream.handle = async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`${event('ok')}${quoted}${quoted.slice(0, cut)}`);
      await someRead;
      res.end(`${quoted.slice(cut)}data: [DONE]\n\n`);
    };
    const { res } = await send({ headers: { 'content-type': 'application/json' }, body: chatBody });
    const parts = [];
    res.on('data', (part) => (parts.push(part), readSome()));
    await new Promise((done) => res.on('end', done));
    const said = `data: ${JSON.stringify({ error: { message: 'Incorrect API key provided: [redacted].' } })}\n\n`;
    assert.equal(Buffer.concat(parts).toString('utf8'), `${event('ok')}${said}${said}data: [DONE]\n\n`);
  });

  it('leaves the stream and error bodies alone under a key too short to be a secret (a local server\'s placeholder: `x`, `a`, vLLM\'s `EMPTY`, `ollama`)', { timeout: 10_000 }, async () => {
    const words = 'None of them: ollama, EMPTY, x, a.';
    for (const key of ['x', 'a', 'EMPTY', 'ollama']) {
      const placeholder = createProxyServer({ upstreamUrl: `http://127.0.0.1:${upstreamServer.address().port}/v1/chat/completions`, upstreamApiKey: key });
      const port = await listen(placeholder);
      try {
        upstream.handle = (req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`${event(words)}data: [DONE]\n\n`);
        const streamed = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody });
        // Before, `x` made "index" `inde[redacted]`, `a` made `data:` `d[redacted]t[redacted]:`.
        assert.equal(await streamed.text(), `${event(words)}data: [DONE]\n\n`, key);
        const error = JSON.stringify({ error: { message: `max_tokens is too large: ${words}`, type: 'invalid_request_error' } });
        upstream.handle = (req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end(error);
        const refused = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody });
        assert.equal(await refused.text(), error, key);
      } finally {
        placeholder.closeAllConnections();
        await new Promise((done) => placeholder.close(done));
      }
    }
  });

  it('never sends back a key configured with its line break (a secret mounted from a file), which fetch sent without it', { timeout: 10_000 }, async () => {
    const withBreak = createProxyServer({ upstreamUrl: `http://127.0.0.1:${upstreamServer.address().port}/v1/chat/completions`, upstreamApiKey: `${SERVER_KEY}\r\n` });
    const port = await listen(withBreak);
    try {
      upstream.handle = (req, res) =>
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization}` } }));
      const res = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody });
      assert.equal(upstream.requests[0]?.headers.authorization, `Bearer ${SERVER_KEY}`, 'fetch sent the key trimmed');
      assert.equal(JSON.parse(await res.text()).error.message, 'Incorrect API key provided: Bearer [redacted]');
    } finally {
      withBreak.closeAllConnections();
      await new Promise((done) => withBreak.close(done));
    }
  });

  it('refuses a body over the limit with 413, declared or not, without calling upstream', { timeout: 10_000 }, async () => {
    const big = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(MAX_BODY_BYTES) }] });
    const declared = await fetchAll({ headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) }, body: big });
    assert.equal(declared.status, 413);
    const chunked = await fetchAll({ headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: big });
    assert.equal(chunked.status, 413);
    const { message } = JSON.parse(chunked.body).error;
    // Which limit, why a page reaches it, and how to raise it.
    assert.match(message, /larger than the proxy's limit of 4096 bytes/);
    assert.match(message, /images/);
    assert.match(message, /MAX_BODY_BYTES/);
    assert.equal(upstream.requests.length, 0);

    upstream.handle = (req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: [DONE]\n\n');
    const fits = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(MAX_BODY_BYTES - 100) }] });
    assert.equal((await fetchAll({ headers: { 'content-type': 'application/json' }, body: fits })).status, 200);
  });

  it('answers 502 when upstream cannot be reached', { timeout: 10_000 }, async () => {
    const unreachable = createProxyServer({ upstreamUrl: 'http://127.0.0.1:9/v1/chat/completions', upstreamApiKey: SERVER_KEY });
    const port = await listen(unreachable);
    try {
      const answer = await new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/chat', agent: false }, async (res) => {
          const parts = [];
          for await (const part of res) parts.push(part);
          resolve({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8') });
        });
        req.on('error', reject);
        req.end(chatBody);
      });
      assert.equal(answer.status, 502);
      assert.ok(!answer.body.includes(SERVER_KEY));
    } finally {
      await new Promise((done) => unreachable.close(done));
    }
  });

  it('forces the model when one is configured', { timeout: 10_000 }, async () => {
    const forced = createProxyServer({
      upstreamUrl: `http://127.0.0.1:${upstreamServer.address().port}/v1/chat/completions`,
      upstreamApiKey: SERVER_KEY,
      upstreamModel: 'the-only-model',
    });
    const port = await listen(forced);
    upstream.handle = (req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: [DONE]\n\n');
    try {
      const status = await new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/chat', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end(chatBody);
      });
      assert.equal(status, 200);
      const body = JSON.parse(upstream.requests[0].body.toString('utf8'));
      assert.equal(body.model, 'the-only-model');
      assert.deepEqual(body.messages, JSON.parse(chatBody).messages);
    } finally {
      forced.closeAllConnections();
      await new Promise((done) => forced.close(done));
    }
  });

  it('forwards each route to its upstream, each key the way its provider takes it', { timeout: 10_000 }, async () => {
    const anthropicKey = 'sk-ant-server-secret-5a6b7c';
    const base = `http://127.0.0.1:${upstreamServer.address().port}`;
    const routed = createProxyServer({
      routes: {
        '/api/responses': { url: `${base}/v1/responses`, apiKey: SERVER_KEY, protocol: 'openai-responses' },
        '/api/messages': { url: `${base}/v1/messages`, apiKey: anthropicKey, model: 'claude-forced', protocol: 'anthropic' },
      },
    });
    const port = await listen(routed);
    const post = (path, headers, body) =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers, agent: false }, async (res) => {
          const parts = [];
          for await (const part of res) parts.push(part);
          resolve({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8') });
        });
        req.on('error', reject);
        req.end(body);
      });
    upstream.handle = (req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`event: done\ndata: {"type":"${req.url}"}\n\n`);
    try {
      const responsesBody = JSON.stringify({ model: 'gpt-4.1', input: [{ role: 'user', content: 'Hi' }], stream: true });
      const answer = await post('/api/responses', { 'content-type': 'application/json', authorization: 'Bearer browser-key' }, responsesBody);
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'event: done\ndata: {"type":"/v1/responses"}\n\n');
      const messagesBody = JSON.stringify({ max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true });
      const browserHeaders = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'web-fetch-2025-09-10', 'x-api-key': 'browser-key' };
      assert.equal((await post('/api/messages', browserHeaders, messagesBody)).status, 200);
      assert.equal((await post('/api/chat', { 'content-type': 'application/json' }, chatBody)).status, 404, 'only the routes given');

      const [responses, messages] = upstream.requests;
      assert.equal(responses.url, '/v1/responses');
      assert.equal(responses.headers.authorization, `Bearer ${SERVER_KEY}`);
      assert.equal(responses.headers['x-api-key'], undefined);
      assert.equal(responses.body.toString('utf8'), responsesBody);
      assert.equal(messages.url, '/v1/messages');
      assert.equal(messages.headers['x-api-key'], anthropicKey, "the server's key, not the browser's");
      assert.equal(messages.headers.authorization, undefined);
      assert.equal(messages.headers['anthropic-version'], '2023-06-01');
      assert.equal(messages.headers['anthropic-beta'], 'web-fetch-2025-09-10');
      assert.deepEqual(JSON.parse(messages.body.toString('utf8')), { ...JSON.parse(messagesBody), model: 'claude-forced' });
      assert.equal(upstream.requests.length, 2);
    } finally {
      routed.closeAllConnections();
      await new Promise((done) => routed.close(done));
    }
  });

  it('needs at least one route, each with its URL', () => {
    assert.throws(() => createProxyServer({}), /routes/);
    assert.throws(() => createProxyServer({ routes: { '/api/messages': { apiKey: 'k', protocol: 'anthropic' } } }), /\/api\/messages needs a `url`/);
  });

  it('serves the static folder, and nothing outside it', { timeout: 10_000 }, async () => {
    const page = await fetchAll({ method: 'GET', path: '/' });
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.body, /<title>demo<\/title>/);
    for (const path of ['/../proxy.test.js', '/%2e%2e/proxy.test.js', '/missing.js']) {
      assert.equal((await fetchAll({ method: 'GET', path })).status, 404, path);
    }
    assert.equal((await fetchAll({ method: 'GET', path: '/api/chat' })).status, 405);
    // A POST to a path that is no route is told so (the page's endpoint is wrong), see proxy-unknown-route.test.js.
    assert.equal((await fetchAll({ method: 'POST', path: '/' })).status, 404);
  });
});
