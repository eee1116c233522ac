// The most common mistake in configuring demo/proxy/server.js is the one the element's own table
// warns about for `endpoint`: a base URL (`UPSTREAM_URL=https://api.openai.com/v1`) or another path
// that is not the API's. The provider's 404 ("Invalid URL (POST /v1)", Anthropic's bare "Not Found")
// was passed through as it came, so the element, which reads those words as "the endpoint is wrong",
// told the page's developer "Check that /api/chat is the full API URL": the one URL that was right.
// The proxy logged nothing, and its start-up line names the upstream's origin only.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createProxyServer } from '../../demo/proxy/server.js';

/** @type {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void} */
let handle = () => {};
const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => handle(req, res));
});
let proxy;
let port;
const logged = [];
const originalError = console.error;

before(async () => {
  console.error = (...args) => logged.push(args.join(' '));
  await new Promise((done) => upstream.listen(0, '127.0.0.1', done));
  // The base URL, where the full chat-completions URL belongs.
  const url = `http://127.0.0.1:${upstream.address().port}/v1`;
  proxy = createProxyServer({
    upstreamUrl: url,
    upstreamApiKey: 'sk-test-1234567890',
    // Routes with their keys forgotten (below).
    routes: { '/api/nokey': { url: `${url}/chat/completions` }, '/api/messages': { url: `${url}/messages`, protocol: 'anthropic' } },
  });
  await new Promise((done) => proxy.listen(0, '127.0.0.1', done));
  port = proxy.address().port;
});

after(async () => {
  console.error = originalError;
  for (const server of [proxy, upstream]) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

const post = (path = '/api/chat') => fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' });
const json = (status, body) => (req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('demo/proxy/server.js, an upstream URL that is not the API', () => {
  const cases = {
    "OpenAI's Invalid URL": json(404, { error: { message: 'Invalid URL (POST /v1)', type: 'invalid_request_error', param: null, code: null } }),
    "Anthropic's bare Not Found": json(404, { type: 'error', error: { type: 'not_found_error', message: 'Not Found' } }),
    'an HTML 404 page': (req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><h1>Not Found</h1>'),
    'a bare 405': (req, res) => res.writeHead(405).end(),
  };
  for (const [name, answer] of Object.entries(cases)) {
    it(`says the proxy's upstream URL is wrong, not the page's endpoint, for ${name}`, { timeout: 10_000 }, async () => {
      handle = answer;
      logged.length = 0;
      const res = await post();
      assert.ok(res.status === 404 || res.status === 405, `status ${res.status}`);
      const message = (await res.json()).error?.message ?? '';
      // What the element reads as "the page's endpoint is wrong" (see httpError in src/core/transport.ts).
      assert.doesNotMatch(message, /^(not found|invalid url|method not allowed)/i);
      assert.match(message, /proxy/i);
      assert.ok(logged.some((line) => line.includes('/v1') && /full API URL/.test(line)), `logged: ${logged.join(' | ')}`);
    });
  }

  it("keeps the provider's request id on the proxy's message (what its support asks for)", { timeout: 10_000 }, async () => {
    handle = (req, res) => res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'req_abc123' }).end('{"error":{"message":"Invalid URL (POST /v1)"}}');
    const res = await post();
    assert.equal(res.status, 404);
    assert.match((await res.json()).error.message, /proxy/i);
    assert.equal(res.headers.get('x-request-id'), 'req_abc123');
  });

  // A provider's own words, in every shape the element reads them (src/core/errors.ts,
  // providerErrorMessage): a review found Gemini's array and a nested `msg` taken for none.
  const own = {
    "OpenAI's": { error: { message: 'The model `gpt-9` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' } },
    "Gemini's array": [{ error: { code: 404, message: 'models/gemini-9 is not found for API version v1main, or is not supported for generateContent.', status: 'NOT_FOUND' } }],
    'a nested msg': { error: { msg: 'model gpt-9 not available' } },
  };
  for (const [name, body] of Object.entries(own)) {
    it(`passes a provider's own 404 (a model not found), ${name}, through as it came`, { timeout: 10_000 }, async () => {
      handle = json(404, body);
      const res = await post();
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), body);
    });
  }
});

// A URL given without its scheme (`UPSTREAM_URL=api.openai.com/v1/chat/completions`, copied from a
// provider's docs) made the process print that it listens, then die of `TypeError: Invalid URL`;
// `localhost:8080/v1/…` (its host read as a scheme) listened, logged `to null8080/v1/…`, and every
// request got 502 "could not be reached". Refused when the proxy is made, saying what to write.
// An `@` in the path (Cloudflare AI Gateway's Workers AI models, `…/workers-ai/@cf/…`) is no key:
// the URL is said whole, not from that `@` (`cf/meta/…`, a URL no one wrote).
describe('demo/proxy/server.js, an upstream URL without http:// or https://', () => {
  const gateway = 'gateway.ai.cloudflare.com/v1/account/gateway/workers-ai/@cf/meta/llama-3.1-8b-instruct';
  for (const url of ['api.openai.com/v1/chat/completions', 'localhost:8080/v1/chat/completions', 'ftp://example.com/v1/chat/completions', gateway, `htps://${gateway}`]) {
    it(`is refused when the proxy is made: ${url}`, () => {
      assert.throws(() => createProxyServer({ upstreamUrl: url }), (error) => error instanceof TypeError && error.message.includes(url) && /https?:\/\//.test(error.message));
      assert.throws(() => createProxyServer({ routes: { '/api/messages': { url, protocol: 'anthropic' } } }), /\/api\/messages/);
    });
  }
});

// A key written into the URL, before its host (`user:key@`), as some gateways' docs show it: without
// the scheme, the start-up line that refused the URL printed it whole, key and all; with it, the
// proxy started (fetch refuses such a URL: every request got 502) and logged the URL, key and all,
// at each request. Both are refused as the proxy is made, naming neither the key nor the query.
// A `/`, `?` or `#` written raw in the key ends the host before it (`https://user:sk-secret/1@…` is
// no URL): the message said the URL up to that character, the key's first part with it.
describe('demo/proxy/server.js, an upstream URL with a user and key before its host', () => {
  const urls = ['user:sk-secret-1@api.example.com/v1/chat/completions?key=sk-secret-2', 'https://user:sk-secret-1@api.example.com/v1/chat/completions?key=sk-secret-2'];
  for (const url of [...urls, ...['/', '?', '#'].flatMap((raw) => [`https://user:sk-secret${raw}1@api.example.com/v1/chat/completions`, `user:sk-secret${raw}1@api.example.com/v1/chat/completions`])]) {
    it(`is refused when the proxy is made, without the key: ${url}`, () => {
      assert.throws(
        () => createProxyServer({ upstreamUrl: url }),
        (error) => error instanceof TypeError && error.message.includes('api.example.com/v1/chat/completions') && !/secret|user:/.test(error.message),
      );
    });
  }

  // Found in review of 61610f7: a key with a raw `/`, `?` or `#` and no `user:` (or a user and a
  // key of digits before it) is a URL that parses, its host the key's first part and the rest its
  // path: the proxy started and printed it, key and all, at start-up and in its 404 hint. An `@`
  // after the host of a name no one gives a server (no dot, not localhost nor an IP address) is
  // the end of such a key; the `@` in a real URL's path is refused nowhere (below).
  // (Found in review of ddc67ff: a raw `?` right after the key's first part, with no path before
  // it, is a key's, not a query's: an API's URL has a path. It started, printed up to that `?`.)
  // (Found in review of 7309c3c: a user and a key of digits then a `?`, `user:123?secret@`, went as
  // a query after a port: no URL's query comes before a host and its path.)
  const parsing = ['https://sk-secret/1@', 'https://user:123/secret@', 'https://user:123?secret@', 'https://123/secret@', 'https://sk-secret?1@', 'https://sk-secret#1@'];
  for (const url of parsing.flatMap((start) => [`${start}api.example.com/v1/chat/completions`, `${start.slice(8)}api.example.com/v1/chat/completions`])) {
    it(`is refused when the proxy is made, without the key: ${url}`, () => {
      assert.throws(
        () => createProxyServer({ upstreamUrl: url }),
        (error) => error instanceof TypeError && error.message.includes('api.example.com/v1/chat/completions') && !/secret|user:|123/.test(error.message),
      );
    });
  }
  // (Its path after a `\`, as the element reads it: the host `user` with the key in its query.)
  it('is refused when the proxy is made, without the key: https://user:123?secret@api.example.com\\v1', () => {
    assert.throws(
      () => createProxyServer({ upstreamUrl: 'https://user:123?secret@api.example.com\\v1' }),
      (error) => error instanceof TypeError && error.message.includes('url https://api.example.com\\v1 has a user or key') && !/secret|user:|123/.test(error.message),
    );
  });
  const real = [
    'https://gateway.ai.cloudflare.com/v1/account/gateway/workers-ai/@cf/meta/llama-3.1-8b-instruct',
    'https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-3-5-sonnet-v2@20241022:streamRawPredict',
    'http://localhost:8787/ai/@cf/meta/llama-3.1-8b-instruct',
    'http://127.0.0.1:8787/ai/@cf/meta/llama-3.1-8b-instruct',
    'http://[::1]:8787/ai/@cf/meta/llama-3.1-8b-instruct',
    'http://ollama:11434/v1/chat/completions',
    'http://litellm:4000/v1/chat/completions',
    'http://localhost/v1/chat/completions',
  ];
  for (const url of real) it(`is no key in ${url}`, () => assert.ok(createProxyServer({ upstreamUrl: url })));

  // Found in review of ad68517: on a dotless host (a compose or Kubernetes service name), an `@`
  // in the path was refused as a key's end, naming a URL no one wrote (`http://cf/…`). What a
  // key ends before is a host: a dotted name, localhost, an IP address, or a name with its port.
  const dotless = [
    'http://gateway/v1/account/gateway/workers-ai/@cf/meta/llama-3.1-8b-instruct',
    'http://litellm:4000/vertex/models/claude-3-5-sonnet-v2@20241022:streamRawPredict',
  ];
  for (const url of dotless) it(`is no key in ${url}`, () => assert.ok(createProxyServer({ upstreamUrl: url })));
  // Found in review of 951deb6: the `@` of an email in the query (`?user=a@b.com`) was taken for
  // a key's end, as the text after a URL's last `@` was: refused as `http://b.com`. No key has a
  // `?` (base64, hex, `sk-…`), so the query is left out of the search. An email in the path before
  // a host is what a key with a raw `/` looks like, and stays refused, saying how to write it.
  it('is no key in http://gateway/v1/chat/completions?user=a@b.com (an email in the query)', () => assert.ok(createProxyServer({ upstreamUrl: 'http://gateway/v1/chat/completions?user=a@b.com' })));
  // Where the URL does not parse (a port out of range), the text after its last `@` was taken for
  // the host, an email's in the query too: "https://b.com has a user or key before its host".
  it('names the host written when the URL does not parse and its query has an email: https://api.example.com:99999/v1?user=a@b.com', () => {
    assert.throws(
      () => createProxyServer({ upstreamUrl: 'https://api.example.com:99999/v1?user=a@b.com' }),
      (error) => error instanceof TypeError && error.message.includes('url https://api.example.com:99999/v1 has the port 99999, which is no port (0 to 65535)'),
    );
  });
  // It was "is not an http(s) URL: write it whole, https://… or http://…", of one written whole.
  it('says what is wrong with an http(s) URL that does not parse: its port out of range or not a number, or else that it is not valid', () => {
    for (const [upstreamUrl, said] of [
      ['http://localhost:99999/v1', 'url http://localhost:99999/v1 has the port 99999, which is no port (0 to 65535)'],
      ['http://localhost:99999\\v1', 'url http://localhost:99999\\v1 has the port 99999, which is no port (0 to 65535)'],
      ['http://[::1]:8o80/v1', 'url http://[::1]:8o80/v1 has the port 8o80, which is no port (0 to 65535)'],
      ['https://api.exa<mple.com/v1', 'url https://api.exa<mple.com/v1 is not a valid URL: check its host name.'],
      ['http://[::1/v1', 'url http://[::1/v1 is not a valid URL: check its host name.'],
    ]) {
      assert.throws(() => createProxyServer({ upstreamUrl }), (error) => error instanceof TypeError && error.message.includes(said) && !error.message.includes('http(s)'), upstreamUrl);
    }
  });
  it('still refuses, without saying it, a key before the host that reads as a dotted host the parser refuses: https://sk-abc.123/SECRETxyz@api.openai.com/v1', () => {
    for (const upstreamUrl of ['https://sk-abc.123/SECRETxyz@api.openai.com/v1', 'https://1234.5678/SECRETxyz@api.openai.com/v1']) {
      assert.throws(
        () => createProxyServer({ upstreamUrl }),
        (error) => error instanceof TypeError && error.message.includes('url https://api.openai.com/v1 has a user or key before its host') && !error.message.includes('SECRET'),
      );
    }
  });
  // A host with its port then a query with an email, no path, was taken for `first.last:123?key@…`:
  // no key has a `?` (the element's src/core/transport.ts reads it so too).
  for (const url of ['https://api.example.com:8443?user=a@b.com', 'http://localhost:8080?user=a@b.com', 'http://litellm:4000?user=a@b.com']) {
    it(`is no key in ${url} (a port, no path, an email in the query)`, () => assert.ok(createProxyServer({ upstreamUrl: url })));
  }
  it('says to write an `@` in the path as %40: http://litellm:4000/v1/users/bob@example.com/chat', () => {
    assert.throws(() => createProxyServer({ upstreamUrl: 'http://litellm:4000/v1/users/bob@example.com/chat' }), /%40/);
    assert.ok(createProxyServer({ upstreamUrl: 'http://litellm:4000/v1/users/bob%40example.com/chat' }));
  });
  // Found in review of 951deb6: a dotted user and a password of digits then a raw `/` parse as a
  // dotted host with its port, `first.last:123`, so the URL started and was printed, key and all.
  // A host with its port may be such a user and key, as a dotless one may.
  it('is refused, without the key: https://first.last:123/secret@api.example.com/v1/chat/completions', () => {
    assert.throws(
      () => createProxyServer({ upstreamUrl: 'https://first.last:123/secret@api.example.com/v1/chat/completions' }),
      (error) => error instanceof TypeError && error.message.includes('https://api.example.com/v1/chat/completions') && !/secret|first|123/.test(error.message),
    );
  });
  // Found in review of 951deb6: the text after the path's last `@` was taken for the host, so a
  // key with a raw `/` before a URL whose path has an `@` of its own started, printed whole. No
  // key has an `@`: it ends at the first.
  it('is refused, without the key: https://sk-secret/1@gateway.ai.cloudflare.com/v1/a/g/workers-ai/@cf/meta/llama-3.1-8b-instruct', () => {
    assert.throws(
      () => createProxyServer({ upstreamUrl: 'https://sk-secret/1@gateway.ai.cloudflare.com/v1/a/g/workers-ai/@cf/meta/llama-3.1-8b-instruct' }),
      (error) => error instanceof TypeError && error.message.includes('https://gateway.ai.cloudflare.com/v1/a/g/workers-ai/@cf/meta/llama-3.1-8b-instruct') && !/secret/.test(error.message),
    );
  });
  it('is refused, without the key, before a dotless host with its port: https://sk-secret/1@ollama:11434/v1/chat/completions', () => {
    assert.throws(
      () => createProxyServer({ upstreamUrl: 'https://sk-secret/1@ollama:11434/v1/chat/completions' }),
      (error) => error instanceof TypeError && error.message.includes('https://ollama:11434/v1/chat/completions') && !/secret/.test(error.message),
    );
  });
});

// Found in review of 61610f7: a space in the host (`https://api example.com/v1/@cf/…`) makes a
// URL that does not parse, which was taken for a key with a raw `/` before the `@` of its path:
// refused as "https://cf/… has a user or key before its host". A key has no space.
describe('demo/proxy/server.js, an upstream URL with a space in its host', () => {
  for (const url of ['https://api example.com/v1/workers-ai/@cf/meta/llama-3.1-8b-instruct', 'api example.com/v1/workers-ai/@cf/meta/llama-3.1-8b-instruct']) {
    it(`is refused, saying so: ${url}`, () => {
      assert.throws(() => createProxyServer({ upstreamUrl: url }), (error) => error instanceof TypeError && error.message.includes(url) && /space/.test(error.message) && !/key/.test(error.message));
    });
  }

  // Found in review of 43d10c8: a key with a space (a pasted `Bearer sk-…`) and a raw `/` before
  // a host was said whole, key and all, as "has a space in its host name".
  for (const url of ['https://sk secret/1@api.example.com/v1/chat/completions', 'https://user:pa ss/secret@api.example.com/v1/chat/completions', 'user:pa ss/secret@api.example.com/v1/chat/completions']) {
    it(`is refused, without the key: ${url}`, () => {
      assert.throws(
        () => createProxyServer({ upstreamUrl: url }),
        (error) => error instanceof TypeError && error.message.includes('api.example.com/v1/chat/completions') && !/space|secret|pa ss/.test(error.message),
      );
    });
  }
});

// A route configured without its key (UPSTREAM_URL set, UPSTREAM_API_KEY forgotten or misspelt)
// reaches a provider that wants one. Its 401 ("You didn't provide an API key. You need to provide
// your API key in an Authorization header using Bearer auth", Anthropic's "x-api-key header is
// required") was passed on as it came, so the page's developer was told to put a key in the page:
// the one thing the proxy is there to avoid. The proxy logged nothing, and the start-up line's
// "without a key" had scrolled away.
describe('demo/proxy/server.js, a route with no key to a provider that wants one', () => {
  const cases = {
    '/api/nokey': json(401, { error: { message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", type: 'invalid_request_error' } }),
    '/api/messages': json(401, { type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' } }),
  };
  for (const [path, reply] of Object.entries(cases)) {
    it(`says the proxy sends no key, a setting of the server, not the page's, for ${path}`, { timeout: 10_000 }, async () => {
      handle = reply;
      logged.length = 0;
      const res = await post(path);
      assert.equal(res.status, 401);
      const message = (await res.json()).error?.message ?? '';
      assert.match(message, /proxy/i);
      assert.match(message, /no key/);
      assert.ok(logged.some((line) => line.includes(path) && /API_KEY/.test(line)), `logged: ${logged.join(' | ')}`);
    });
  }

  // A 403 of a keyless route need not be about a key: a region the provider does not serve, a
  // model the account may not use. The proxy's hint came in place of the provider's words.
  it("keeps the provider's words after the hint, when its 403 is for another reason", { timeout: 10_000 }, async () => {
    handle = json(403, { error: { code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported', param: null, type: 'request_forbidden' } });
    logged.length = 0;
    const res = await post('/api/nokey');
    assert.equal(res.status, 403);
    assert.match((await res.json()).error?.message ?? '', /no key for \/api\/nokey: .*Country, region, or territory not supported/);
    assert.ok(logged.some((line) => line.includes('Country, region, or territory not supported')), `logged: ${logged.join(' | ')}`);
  });

  it('passes a 401 to a route that sends a key on as it came (the key is wrong, not missing)', { timeout: 10_000 }, async () => {
    const body = { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } };
    handle = json(401, body);
    const res = await post();
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), body);
  });
});

// A route's URL that is the proxy's own (`UPSTREAM_URL=http://127.0.0.1:8787/api/chat`, the page's
// endpoint taken for the provider's) sent each request to itself, again and again: the page waited
// forever while the process opened connection after connection, and nothing was logged.
describe('demo/proxy/server.js, a route whose URL is the proxy itself', () => {
  it('answers 508 at once and says so in its log', { timeout: 10_000 }, async () => {
    const free = createServer();
    await new Promise((done) => free.listen(0, '127.0.0.1', done));
    const selfPort = free.address().port;
    await new Promise((done) => free.close(done));
    const self = createProxyServer({ upstreamUrl: `http://127.0.0.1:${selfPort}/api/chat` });
    await new Promise((done) => self.listen(selfPort, '127.0.0.1', done));
    logged.length = 0;
    try {
      const res = await fetch(`http://127.0.0.1:${selfPort}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}', signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, 508);
      assert.match((await res.json()).error.message, /itself/);
      assert.ok(logged.some((line) => /itself/.test(line)), `logged: ${logged.join(' | ')}`);
    } finally {
      self.closeAllConnections();
      await new Promise((done) => self.close(done));
    }
  });
});

// Found in review of 91f99a5: every proxy said the same `Via: 1.1 stream-chat-proxy` and refused a
// request that said it, so a chain of two (a keyless one at the edge whose route is a second one's
// `/api/chat`, which holds the key) got 508 from the second, the URL it was told to use.
//
// Found in review of 91f99a5: the browser's Via came first, so the provider was sent the names a
// corporate proxy gives its own hosts (`1.1 fw-3.corp.internal (squid/6.9)`). Only the stream-chat
// entries are passed on: those are what a loop is seen by.
describe('demo/proxy/server.js, a route whose URL is another such proxy', () => {
  it('passes the request on, and the request upstream names each proxy it went through and no other', { timeout: 10_000 }, async () => {
    const edge = createProxyServer({ upstreamUrl: `http://127.0.0.1:${port}/api/chat` });
    await new Promise((done) => edge.listen(0, '127.0.0.1', done));
    let via;
    handle = (req, res) => ((via = req.headers.via), json(200, { choices: [] })(req, res));
    try {
      const res = await fetch(`http://127.0.0.1:${edge.address().port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', via: '1.0 fw-3.corp.internal (squid/6.9), 1.1 gw.corp.internal' }, body: '{"messages":[]}' });
      assert.equal(res.status, 200, await res.clone().text());
      assert.match(via, /^1\.1 stream-chat-proxy-\w+, 1\.1 stream-chat-proxy-\w+$/);
      assert.notEqual(via.split(', ')[1], via.split(', ')[2]);
    } finally {
      edge.closeAllConnections();
      await new Promise((done) => edge.close(done));
    }
  });
});

// Found in review of 33362ac: each server names itself at random, so a route's URL that leads back
// to the deployment through a balancer whose instances are each busy with a request (one request an
// instance, as a platform that starts more may run it) reached a new instance at every hop, none of
// which had seen the request: it went round until the platform ran out of instances.
describe('demo/proxy/server.js, a route whose URL leads back through a balancer to other instances', () => {
  it('answers 508 after a few instances, not one instance after another', { timeout: 10_000 }, async () => {
    const instances = [];
    const balancer = createServer(async (req, res) => {
      const body = await new Response(req).text();
      // (Bounded here, so that the test ends: 20 is beyond any chain of proxies a deployment has.)
      if (instances.length >= 20) return res.writeHead(502).end('went round');
      const instance = createProxyServer({ upstreamUrl: `http://127.0.0.1:${balancer.address().port}/api/chat` });
      instances.push(instance);
      await new Promise((done) => instance.listen(0, '127.0.0.1', done));
      const sent = await fetch(`http://127.0.0.1:${instance.address().port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', via: req.headers.via ?? '' }, body });
      res.writeHead(sent.status, { 'content-type': sent.headers.get('content-type') ?? 'text/plain' }).end(await sent.text());
    });
    await new Promise((done) => balancer.listen(0, '127.0.0.1', done));
    try {
      const res = await fetch(`http://127.0.0.1:${balancer.address().port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' });
      assert.equal(res.status, 508, await res.clone().text());
      assert.ok(instances.length <= 6, `${instances.length} instances`);
    } finally {
      for (const server of [...instances, balancer]) {
        server.closeAllConnections();
        await new Promise((done) => server.close(done));
      }
    }
  });
});
