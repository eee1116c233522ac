// A page whose endpoint is no route of demo/proxy/server.js (a route not configured, as
// `/api/messages` is without ANTHROPIC_API_KEY, or a typo: `/api/chatt`, `/api/chat/`) is the most
// common setup error behind the proxy. Its POST fell through to the static files and was answered
// `405 Use GET or HEAD.`, which the element shows as "HTTP 405 Method Not Allowed: Use GET or HEAD.":
// nothing says that the path is wrong, and the element's own "Check that … is the full API URL" is
// not added since the proxy's words are there.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createProxyServer } from '../../demo/proxy/server.js';

let staticDir;
let proxy;
let port;

before(async () => {
  staticDir = await mkdtemp(join(tmpdir(), 'stream-chat-proxy-route-'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>demo</title>');
  proxy = createProxyServer({ routes: { '/api/chat': { url: 'http://127.0.0.1:9/v1/chat/completions', apiKey: 'sk-test-1234567890' } }, staticDir });
  await new Promise((done) => proxy.listen(0, '127.0.0.1', done));
  port = proxy.address().port;
});

after(async () => {
  proxy.closeAllConnections();
  await new Promise((done) => proxy.close(done));
  await rm(staticDir, { recursive: true, force: true });
});

describe('demo/proxy/server.js, a POST to a path that is no route', () => {
  for (const path of ['/api/messages', '/api/chatt', '/api/chat/', '/']) {
    it(`answers POST ${path} 404, naming the routes there are`, { timeout: 10_000 }, async () => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(res.status, 404);
      const { error } = await res.json();
      // "Not found…" is what the element takes as no words of a provider's, and adds its hint to.
      assert.match(error.message, /^Not found/);
      assert.match(error.message, /\/api\/chat\b/);
    });
  }

  it('still serves GET and HEAD from the folder, and refuses other methods there', { timeout: 10_000 }, async () => {
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' })).status, 200);
  });
});
