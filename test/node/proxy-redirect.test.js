// The element sends a key to `endpoint` only and follows no redirect with it (a redirect keeps every
// header but Authorization: README, "Security"). demo/proxy/server.js followed its upstream's
// redirects (fetch's default): Anthropic's `x-api-key` went to wherever a 30x pointed, another origin
// too, and a 301/302/303 turned the POST into a GET without its body.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createProxyServer } from '../../demo/proxy/server.js';

const KEY = 'sk-ant-server-secret-1234567890';
/** What the redirect's target received. */
const reached = [];
const elsewhere = createServer((req, res) => {
  reached.push({ method: req.method, headers: req.headers });
  req.resume();
  res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: [DONE]\n\n');
});
let status = 302;
const redirecting = createServer((req, res) => {
  req.resume();
  // Another origin: `localhost` for a proxy configured with `127.0.0.1`.
  res.writeHead(status, { location: `http://localhost:${elsewhere.address().port}/v1/messages` }).end();
});
const servers = [elsewhere, redirecting];
let port;

before(async () => {
  for (const server of servers) await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const proxy = createProxyServer({
    routes: {
      '/api/messages': { url: `http://127.0.0.1:${redirecting.address().port}/v1/messages`, apiKey: KEY, protocol: 'anthropic' },
      '/api/forced': { url: `http://127.0.0.1:${redirecting.address().port}/v1/messages`, apiKey: KEY, protocol: 'anthropic', model: 'claude-x' },
    },
  });
  servers.push(proxy);
  await new Promise((done) => proxy.listen(0, '127.0.0.1', done));
  port = proxy.address().port;
});

after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

describe('demo/proxy/server.js, an upstream that redirects', () => {
  for (const [code, path] of [[302, '/api/messages'], [301, '/api/messages'], [307, '/api/forced'], [308, '/api/forced']]) {
    it(`does not take the key to where a ${code} points, and answers an error`, { timeout: 10_000 }, async () => {
      status = code;
      reached.length = 0;
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' });
      const body = await res.text();
      assert.deepEqual(reached.map((request) => request.headers['x-api-key']), [], 'the key went nowhere else');
      assert.ok(res.status >= 500, `status ${res.status}`);
      assert.ok(!body.includes(KEY));
    });
  }
});
