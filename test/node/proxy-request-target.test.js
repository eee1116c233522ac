// demo/proxy/server.js run as README says (a process configured by its environment) must survive
// any request a client can send: one request with an absolute-form target whose URL does not parse
// (`GET http://a:99999/ HTTP/1.1`, which Node's HTTP parser accepts) threw out of the request
// handler and ended the process.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startProxy } from './proxy-process.js';

let child;
let port;
let exited = false;

before(async () => {
  ({ child, port } = await startProxy({ UPSTREAM_URL: 'http://127.0.0.1:9/v1/chat/completions', UPSTREAM_API_KEY: 'sk-test-1234567890' }));
  child.on('exit', () => (exited = true));
});

after(() => {
  if (!exited) child.kill();
});

/** Sends `head` as raw bytes on a connection of its own; resolves with what came back. */
function raw(head) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.on('data', (part) => (answer += part));
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer));
    setTimeout(() => socket.destroy(), 1000);
  });
}

describe('demo/proxy/server.js, malformed request targets', () => {
  for (const target of ['http://a:99999/', 'http://[::1/api/chat']) {
    it(`answers ${target} with an error and keeps serving`, { timeout: 10_000 }, async () => {
      const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      await new Promise((done) => setTimeout(done, 200));
      assert.equal(exited, false, 'the proxy process is still running');
      assert.match(answer, /^HTTP\/1\.1 4\d\d /);
      const next = await raw('GET /api/chat HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.match(next, /^HTTP\/1\.1 405 /, 'the next request is still answered');
    });
  }
});
