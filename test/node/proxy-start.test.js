// demo/proxy/server.js started with a setting it cannot use says which, in one line, and exits
// with an error: MAX_BODY_BYTES=1mb (createProxyServer's TypeError) and a port already in use
// (the server's unhandled 'error' event) printed a stack trace instead.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { startProxy } from './proxy-process.js';

const UPSTREAM_URL = 'http://127.0.0.1:9/v1/chat/completions';

/** Asserts the proxy exits with an error code and a one-line message matching `pattern`. */
async function assertRefused(env, pattern) {
  const started = startProxy({ UPSTREAM_URL, ...env });
  // One that starts anyway is not left listening.
  started.then(({ child }) => child.kill(), () => {});
  await assert.rejects(started, (error) => {
    assert.notEqual(error.code, 0);
    assert.match(error.stderr, pattern);
    assert.equal(error.stderr.trim().split('\n').length, 1, `stderr: ${error.stderr}`);
    assert.doesNotMatch(error.stderr, /\n\s+at /);
    return true;
  });
}

describe('demo/proxy/server.js, started with a setting it cannot use', () => {
  it('MAX_BODY_BYTES that is not a number of bytes', { timeout: 10_000 }, () => assertRefused({ MAX_BODY_BYTES: '1mb' }, /MAX_BODY_BYTES.*1mb/));

  // Found in review of 90efb1c: it said "options.port should be >= 0 and < 65536. Received type
  // number (NaN).", naming no setting of the proxy's. Found in review of b06fe69: a blank PORT
  // listened on a free port (Number(' ') is 0), `0x1F90` or `1e3` on 8080 or 1000.
  for (const port of ['abc', '99999', ' ', '0x1F90', '1e3']) {
    it(`PORT=${JSON.stringify(port)}, not a port`, { timeout: 10_000 }, () => assertRefused({ PORT: port }, new RegExp(`^PORT .*not ${JSON.stringify(port)}\\.`)));
  }

  it('a port already in use', { timeout: 10_000 }, async () => {
    const busy = createServer();
    await new Promise((done) => busy.listen(0, '127.0.0.1', done));
    try {
      await assertRefused({ PORT: String(busy.address().port) }, new RegExp(`${busy.address().port}.*in use.*PORT`));
    } finally {
      await new Promise((done) => busy.close(done));
    }
  });

  // An IPv6 address in brackets, as a URL has it: `HOST=::` said ":::8787 is in use".
  it('a port already in use on HOST=::', { timeout: 10_000 }, async () => {
    const busy = createServer();
    await new Promise((done) => busy.listen(0, '::', done));
    try {
      await assertRefused({ HOST: '::', PORT: String(busy.address().port) }, new RegExp(`^\\[::\\]:${busy.address().port} is in use`));
    } finally {
      await new Promise((done) => busy.close(done));
    }
  });
});

// Found in review of cac1e65: an IPv6 HOST written as a URL has it, `HOST=[::]` or `[::1]`, was
// looked up as a host name and refused, "The proxy cannot listen on [[::]]:8787: getaddrinfo
// ENOTFOUND [::]", its brackets doubled. It is the address in the brackets.
describe('demo/proxy/server.js, an IPv6 HOST in brackets', () => {
  it('HOST=[::1] listens on ::1, and says it as http://[::1]:<port>/', { timeout: 10_000 }, async () => {
    const { child, port, out } = await startProxy({ UPSTREAM_URL, HOST: '[::1]' });
    try {
      assert.match(out, new RegExp(`^http://\\[::1\\]:${port}/ serves`));
      const res = await fetch(`http://[::1]:${port}/api/unknown`, { method: 'POST' });
      assert.equal(res.status, 404);
    } finally {
      child.kill();
    }
  });
});

// Found in a new user's run of README's Try it: a STATIC_DIR with a typo (or demo-dist/ before
// `npm run build:demo`) started as if served, `http://127.0.0.1:8787/ serves ../my-pgae; and
// forwards`, and every page was `Not found.` The proxy still starts (its routes serve a framework's
// dev server with no folder), and its first line says the folder is missing.
describe('demo/proxy/server.js, its STATIC_DIR missing', () => {
  it('starts, and says the folder it would serve is missing', { timeout: 10_000 }, async () => {
    const { child, out } = await startProxy({ UPSTREAM_URL, STATIC_DIR: '../no-such-page-of-mine' });
    child.kill();
    assert.match(out.split('\n')[0], /^http:\/\/127\.0\.0\.1:\d+\/ serves no folder: \.\.\/no-such-page-of-mine is missing \(`npm run build:demo` writes demo-dist\/, STATIC_DIR names another\); and forwards$/);
  });
});
