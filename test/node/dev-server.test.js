// `npm start`, as the set-up a new user runs: Vite's dev server with the demo page and the mock
// endpoints it serves itself, one per protocol, which stream with no key and no network. (The mock's
// answers are tested in the browser, demo-tools.test.ts; this is the server that serves them.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The dev server, and its address once it says it is ready. */
let server;
let origin;

before(async () => {
  // A port of the system's choosing: others may run a dev server here too. Its own process group, to end it whole.
  // (Without colours: with CI set, Vite colours its output, the port's digits between escapes.)
  server = spawn('npm', ['start', '--', '--port', '0', '--strictPort'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  let output = '';
  origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not say where it listens:\n${output}`)), 30_000);
    server.stdout.on('data', (data) => {
      output += data;
      const found = /http:\/\/localhost:\d+/.exec(output.replace(/\x1b\[[\d;]*m/g, ''));
      if (found) resolve(found[0], clearTimeout(timer));
    });
    server.stderr.on('data', (data) => (output += data));
    server.on('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
});

after(() => {
  if (server.exitCode === null) process.kill(-server.pid);
});

describe('npm start', () => {
  it('serves the demo page', async () => {
    const response = await fetch(`${origin}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await response.text(), /<script type="module" src="[^"]*demo\.ts"><\/script>/);
  });

  const protocols = [
    ['chat-completions', '/api/mock/v1/chat/completions', { messages: [{ role: 'user', content: 'Hi' }], stream: true }, (data) => Array.isArray(data.choices)],
    ['Responses', '/api/mock/v1/responses', { input: [{ role: 'user', content: 'Hi' }], stream: true }, (data) => data.type?.startsWith('response.')],
    ['Anthropic', '/api/mock/v1/messages', { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4096, stream: true }, (data) => data.type === 'message_start'],
  ];
  for (const [name, path, body, isOwn] of protocols) {
    it(`streams the ${name} mock at ${path}, with no key`, { timeout: 30_000 }, async () => {
      const stop = new AbortController();
      const response = await fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: stop.signal });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      // Its first event, then the rest is left: the mock paces a whole answer over seconds.
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      while (!/\n\n/.test(text)) {
        const { value, done } = await reader.read();
        assert.ok(!done, `the stream ended before its first event: ${text}`);
        text += value;
      }
      stop.abort();
      const data = JSON.parse(/^data: (.*)$/m.exec(text)[1]);
      assert.ok(isOwn(data), `the first event is the ${name} API's: ${text}`);
    });
  }
});
