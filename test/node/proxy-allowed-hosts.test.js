// DNS rebinding: a site whose name its own DNS then points at 127.0.0.1 is, to the browser, that
// site's origin: its page's POST to /api/chat is same-origin (Sec-Fetch-Site passes) and reaches
// the proxy on a developer's loopback, which spent the key for it and let it read the answer.
// The routes answer only for the host names they are meant for: by default localhost and IP
// addresses (as Vite's dev server), otherwise those `allowedHosts` (ALLOWED_HOSTS) lists.
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { createProxyServer } from '../../demo/proxy/server.js';
import { startProxy } from './proxy-process.js';

let upstream;
let calls = 0;
const servers = [];

before(async () => {
  upstream = createServer((req, res) => {
    calls++;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: [DONE]\n\n'));
  });
  await new Promise((done) => upstream.listen(0, '127.0.0.1', done));
});

after(async () => {
  for (const server of [upstream, ...servers]) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

async function proxyWith(allowedHosts) {
  const url = `http://127.0.0.1:${upstream.address().port}/v1/chat/completions`;
  const proxy = createProxyServer({ routes: { '/api/chat': { url, apiKey: 'sk-test-1234567890' } }, allowedHosts });
  await new Promise((done) => proxy.listen(0, '127.0.0.1', done));
  servers.push(proxy);
  return proxy.address().port;
}

/** POSTs to /api/chat on `port` with `host` as the Host header; resolves with the status and body. */
function post(port, host) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/chat', method: 'POST', headers: { host, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' } }, (res) => {
      let body = '';
      res.on('data', (part) => (body += part));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end('{"messages":[]}');
  });
}

describe('demo/proxy/server.js, the host names its routes answer for', () => {
  it('by default localhost, *.localhost and IP addresses; another name (one rebound to this machine) gets 403 and reaches no provider', async () => {
    const port = await proxyWith(undefined);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'app.localhost', `[::1]:${port}`, 'LOCALHOST', '10.0.0.5:8787']) {
      const before = calls;
      assert.equal((await post(port, host)).status, 200, host);
      assert.equal(calls, before + 1, `${host}: forwarded`);
    }
    for (const host of [`evil.example:${port}`, 'localhost.evil.example', '127.0.0.1.nip.io', 'xlocalhost']) {
      const before = calls;
      const { status, body } = await post(port, host);
      assert.equal(status, 403, host);
      assert.match(JSON.parse(body).error.message, /allowedHosts \(ALLOWED_HOSTS\)/);
      assert.equal(calls, before, `${host}: not forwarded`);
    }
  });

  it('with allowedHosts, those names too (a leading dot: the domain and its subdomains); true answers any', async () => {
    const port = await proxyWith(['chat.example.com', '.example.org']);
    for (const host of ['chat.example.com', 'Chat.Example.com:443', 'example.org', 'a.b.example.org', '127.0.0.1']) assert.equal((await post(port, host)).status, 200, host);
    for (const host of ['example.com', 'chat.example.com.evil.test', 'evilexample.org']) assert.equal((await post(port, host)).status, 403, host);
    const any = await proxyWith(true);
    assert.equal((await post(any, 'anything.test')).status, 200);
  });

  it('run as README says, ALLOWED_HOSTS sets them (a comma-separated list, or * for any)', { timeout: 10_000 }, async () => {
    const url = `http://127.0.0.1:${upstream.address().port}/v1/chat/completions`;
    for (const [allowed, host, status] of [
      ['chat.example.com, .example.org', 'a.example.org', 200],
      ['chat.example.com', 'evil.example', 403],
      ['*', 'evil.example', 200],
    ]) {
      const { child, port } = await startProxy({ UPSTREAM_URL: url, UPSTREAM_API_KEY: 'sk-test-1234567890', ALLOWED_HOSTS: allowed });
      try {
        assert.equal((await post(port, host)).status, status, `${allowed}: ${host}`);
      } finally {
        child.kill();
      }
    }
  });

  // HOST=::1 (IPv6's loopback) printed `http://::1:8787/`, which no browser opens.
  it('run with HOST=::1, prints an address that opens (http://[::1]:port/) and answers there', { timeout: 10_000 }, async () => {
    const url = `http://127.0.0.1:${upstream.address().port}/v1/chat/completions`;
    const { child, port } = await startProxy({ UPSTREAM_URL: url, HOST: '::1' });
    try {
      const res = await fetch(`http://[::1]:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' });
      assert.equal(res.status, 200);
    } finally {
      child.kill();
    }
  });

  // HOST=0.0.0.0 or :: (every interface) printed `http://0.0.0.0:8787/` or `http://[::]:8787/`,
  // which browsers do not open (Chrome and Safari refuse them); Vite prints localhost's ("Local").
  for (const host of ['0.0.0.0', '::']) {
    it(`run with HOST=${host}, prints http://localhost:port/ and answers there`, { timeout: 5_000 }, async () => {
      const url = `http://127.0.0.1:${upstream.address().port}/v1/chat/completions`;
      const { child, port, out } = await startProxy({ UPSTREAM_URL: url, HOST: host });
      try {
        assert.match(out, new RegExp(`^http://localhost:${port}/ `));
        const res = await fetch(`http://localhost:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' });
        assert.equal(res.status, 200);
      } finally {
        child.kill();
      }
    });
  }

  // HOST=:: listed the machine's IPv4 addresses only, though it answers on its IPv6 ones too. A
  // link-local one (fe80::) needs its interface named, which a browser's URL cannot: not listed.
  it('run with HOST=::, lists the IPv6 addresses a browser can open, in brackets; with HOST=0.0.0.0, none', { timeout: 10_000 }, async (t) => {
    const v6 = Object.values(networkInterfaces()).flat().filter((face) => face.family === 'IPv6' && !face.internal);
    const open = v6.filter((face) => !/^fe[89ab]/i.test(face.address)).map((face) => face.address);
    if (!open.length) return t.skip('this machine has no IPv6 address but link-local ones');
    const url = `http://127.0.0.1:${upstream.address().port}/v1/chat/completions`;
    for (const host of ['::', '0.0.0.0']) {
      const { child, port, out } = await startProxy({ UPSTREAM_URL: url, HOST: host });
      try {
        for (const face of v6) assert.equal(out.includes(`http://[${face.address}]:${port}/`), host === '::' && open.includes(face.address), `${host}: ${out}`);
        if (host === '::') {
          const res = await fetch(`http://[${open[0]}]:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' });
          assert.equal(res.status, 200);
        }
      } finally {
        child.kill();
      }
    }
  });
});
