// README's Headless section read as a host with its own UI would: its samples as written, against
// the built package imported as a user does (`stream-chat-element/core`), in Node with no DOM.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Conversation, Status, StreamChatError, streamChat } from 'stream-chat-element/core';

const endpoint = 'https://api.example.test/v1/chat/completions';
const sse = (delta, finish = null) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const answer = (...pieces) => [sse({ role: 'assistant', content: '' }), ...pieces.map((content) => sse({ content })), sse({}, 'stop'), 'data: [DONE]\n\n'];

/** A fetch that answers each request with the next body (a list of SSE events), streamed; `hold` keeps a stream open until released. */
function scripted(...bodies) {
  const requests = [];
  const held = [];
  const fetch = async (url, init) => {
    const events = bodies[Math.min(requests.length, bodies.length - 1)];
    requests.push({ url, body: JSON.parse(init.body), signal: init.signal });
    const encoder = new TextEncoder();
    let release;
    const gate = new Promise((resolve) => (release = resolve));
    held.push(release);
    const stream = new ReadableStream({
      async start(out) {
        for (const event of events) {
          if (event === 'hold') await gate;
          else out.enqueue(encoder.encode(event));
        }
        out.close();
      },
    });
    init.signal?.addEventListener('abort', () => release());
    return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
  };
  return { fetch, requests, release: () => held.forEach((release) => release()) };
}

/** Every event in order, as `type:summary`. */
function record(chat) {
  const log = [];
  chat.addEventListener('change', () => log.push(`change:${chat.status}`));
  chat.addEventListener('chunk', (e) => log.push(`chunk:${e.detail.delta}`));
  chat.addEventListener('done', (e) => log.push(`done:${e.detail.aborted ? 'aborted' : e.detail.content}`));
  chat.addEventListener('error', (e) => log.push(`error:${e.detail.error.kind}`));
  return log;
}

describe("README's Headless section, as a host in Node", () => {
  it('the first sample: chunks carry the text each added, send() resolves with the content, messages are the question and the answer', async () => {
    const { fetch } = scripted(answer('Hel', 'lo'));
    const chat = new Conversation({ endpoint, model: 'gpt-4o-mini', fetch });
    const deltas = [];
    chat.addEventListener('chunk', (e) => deltas.push(e.detail.delta));
    const { content } = await chat.send('Hi');
    assert.equal(content, 'Hello');
    assert.deepEqual(deltas.join(''), 'Hello');
    assert.deepEqual(
      chat.messages.map(({ role, content }) => ({ role, content })),
      [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ],
    );
  });

  it('the events of one send, in order: change (streaming), a chunk per event, change (with the first text) before its chunk, change (idle), done', async () => {
    const chat = new Conversation({ endpoint, fetch: scripted(answer('a', 'b')).fetch });
    const log = record(chat);
    await chat.send('Hi');
    assert.deepEqual(log, ['change:streaming', 'chunk:', 'change:streaming', 'chunk:a', 'chunk:b', 'chunk:', 'change:idle', 'done:ab']);
  });

  it('send() while another is running: the first ends once, aborted, the second once, whole', async () => {
    const script = scripted([sse({ role: 'assistant', content: 'one' }), 'hold', ...answer('x')], answer('two'));
    const chat = new Conversation({ endpoint, fetch: script.fetch });
    const log = record(chat);
    const first = chat.send('1');
    await new Promise((resolve) => chat.addEventListener('chunk', resolve, { once: true }));
    const second = chat.send('2');
    const [a, b] = await Promise.all([first, second]);
    assert.deepEqual([a.aborted, a.content, b.aborted, b.content], [true, 'one', false, 'two']);
    assert.deepEqual(log.filter((e) => /^(done|error)/.test(e)), ['done:aborted', 'done:two']);
    assert.deepEqual(chat.messages.map((m) => m.content), ['1', 'one', '2', 'two']);
    assert.equal(script.requests[0].signal.aborted, true);
  });

  for (const method of ['retry', 'regenerate', 'edit']) {
    it(`${method}() while a response is running: one end each`, async () => {
      const script = scripted(answer('first'), [sse({ role: 'assistant', content: 'par' }), 'hold', ...answer('x')], answer('again'));
      const chat = new Conversation({ endpoint, fetch: script.fetch });
      await chat.send('q');
      const log = record(chat);
      const running = chat.send('q2');
      await new Promise((resolve) => chat.addEventListener('chunk', resolve, { once: true }));
      const next = method === 'edit' ? chat.edit(0, 'q!') : chat[method]();
      const [a, b] = await Promise.all([running, next]);
      assert.equal(a.aborted, true);
      assert.equal(b.content, 'again');
      assert.deepEqual(log.filter((e) => /^(done|error)/.test(e)), ['done:aborted', 'done:again']);
      assert.equal(chat.status, Status.idle);
    });
  }

  it('stop() mid-stream: done once with aborted, what arrived stays', async () => {
    const script = scripted([sse({ role: 'assistant', content: 'part' }), 'hold', ...answer('x')]);
    const chat = new Conversation({ endpoint, fetch: script.fetch });
    const log = record(chat);
    const sent = chat.send('q');
    await new Promise((resolve) => chat.addEventListener('chunk', resolve, { once: true }));
    chat.stop();
    chat.stop();
    const detail = await sent;
    assert.deepEqual([detail.aborted, detail.content], [true, 'part']);
    assert.deepEqual(log.filter((e) => /^(done|error)/.test(e)), ['done:aborted']);
    assert.equal(chat.wasStopped(chat.messages.at(-1)), true);
  });

  it('a fetch that throws synchronously: one error, send() rejects with a StreamChatError', async () => {
    const chat = new Conversation({
      endpoint,
      retries: 0,
      fetch: () => {
        throw new TypeError('boom');
      },
    });
    const log = record(chat);
    const error = await chat.send('q').catch((e) => e);
    assert.ok(error instanceof StreamChatError, String(error));
    assert.deepEqual(log.filter((e) => /^(done|error)/.test(e)), [`error:${error.kind}`]);
    assert.equal(chat.failure?.error, error);
    assert.equal(chat.status, Status.idle);
  });

  it('a fetch that returns a body that is no stream (plain text): a protocol error', async () => {
    const chat = new Conversation({ endpoint, retries: 0, fetch: async () => new Response('hello there', { headers: { 'content-type': 'text/plain' } }) });
    const error = await chat.send('q').catch((e) => e);
    assert.equal(error.kind, 'protocol');
  });

  it('a JSON completion (stream ignored) is one answer', async () => {
    const body = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'whole' }, finish_reason: 'stop' }] });
    const chat = new Conversation({ endpoint, fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }) });
    assert.equal((await chat.send('q')).content, 'whole');
  });

  it('a listener added late (after the first chunk) hears the rest and the end; one removed in its own call hears no more', async () => {
    const script = scripted([sse({ role: 'assistant', content: 'a' }), 'hold', ...answer('b')]);
    const chat = new Conversation({ endpoint, fetch: script.fetch });
    const early = [];
    const once = (e) => {
      early.push(e.detail.delta);
      chat.removeEventListener('chunk', once);
    };
    chat.addEventListener('chunk', once);
    const sent = chat.send('q');
    await new Promise((resolve) => chat.addEventListener('chunk', resolve, { once: true }));
    const late = [];
    chat.addEventListener('chunk', (e) => late.push(e.detail.delta));
    let ended = 0;
    chat.addEventListener('done', () => ended++);
    script.release();
    await sent;
    assert.deepEqual(early, ['a']);
    assert.equal(late.join(''), 'b');
    assert.equal(ended, 1);
  });

  it('the messages array a host kept (React state) is not changed by later turns: each change makes a new array', async () => {
    const chat = new Conversation({ endpoint, fetch: scripted(answer('a')).fetch });
    await chat.send('q');
    const snapshot = chat.messages;
    const before = snapshot.length;
    await chat.send('q2');
    assert.equal(snapshot.length, before, 'the array a host kept changed under it');
  });

  it('the tool loop sample, with an injected fetch: tool-call, execute, the next response; steps', async () => {
    const call = sse({ role: 'assistant', tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'word_count', arguments: '{"text":"the quick brown fox"}' } }] });
    const script = scripted([call, sse({}, 'tool_calls'), 'data: [DONE]\n\n'], answer('Four words.'));
    const chat = new Conversation({
      endpoint,
      fetch: script.fetch,
      model: 'gpt-4o-mini',
      tools: [
        {
          name: 'word_count',
          description: 'Counts the words in a text.',
          parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
          execute: ({ text }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
        },
      ],
      maxSteps: 3,
    });
    const calls = [];
    chat.addEventListener('tool-call', (e) => calls.push([e.detail.call.function.name, e.detail.args]));
    const { content, steps } = await chat.send('How many words are in "the quick brown fox"?');
    assert.equal(content, 'Four words.');
    assert.equal(steps.length, 2);
    assert.deepEqual(calls, [['word_count', { text: 'the quick brown fox' }]]);
    assert.equal(script.requests[0].body.tools[0].function.name, 'word_count');
    const tool = script.requests[1].body.messages.find((m) => m.role === 'tool');
    assert.deepEqual(JSON.parse(tool.content), { words: 4 });
  });

  it('the streamChat sample, and a host signal that aborts it', async () => {
    let answerText = '';
    for await (const delta of streamChat({ endpoint, fetch: scripted(answer('Hi', '!')).fetch, messages: [{ role: 'user', content: 'Hi' }] })) {
      if (delta.type === 'text') answerText += delta.text;
    }
    assert.equal(answerText, 'Hi!');
    const controller = new AbortController();
    const script = scripted([sse({ role: 'assistant', content: 'a' }), 'hold', ...answer('b')]);
    const seen = [];
    const loop = (async () => {
      for await (const delta of streamChat({ endpoint, fetch: script.fetch, signal: controller.signal, messages: [{ role: 'user', content: 'Hi' }] })) {
        seen.push(delta.type);
        if (delta.type === 'text' && delta.text === 'a') controller.abort(new Error('mine'));
      }
    })();
    await assert.rejects(loop, /mine/);
    assert.equal(script.requests[0].signal.aborted, true);
    assert.throws(() => streamChat({ endpoint, messages: [], signal: controller }), TypeError);
  });

  it('where the runtime has no CustomEvent, events are Events with the same detail; a listener that throws is the uncaught error, and the turn ends once', () => {
    const script = `
      delete globalThis.CustomEvent;
      const { Conversation } = await import('stream-chat-element/core');
      const uncaught = [];
      process.on('uncaughtException', (error) => uncaught.push(error.message));
      const body = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\\n\\ndata: [DONE]\\n\\n';
      const chat = new Conversation({ endpoint: '${endpoint}', fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }) });
      const deltas = [];
      let ends = 0;
      chat.addEventListener('chunk', (e) => deltas.push(e.detail.delta));
      chat.addEventListener('chunk', () => { throw new Error('a listener'); });
      chat.addEventListener('done', () => ends++);
      const { content } = await chat.send('Hi');
      await new Promise((resolve) => setTimeout(resolve, 10));
      console.log(JSON.stringify({ content, deltas, ends, uncaught }));`;
    const { stdout, stderr } = spawnSync(process.execPath, ['--input-type=module', '--eval', script], { encoding: 'utf8', timeout: 20_000 });
    assert.deepEqual(JSON.parse(stdout || stderr), { content: 'Hi', deltas: ['Hi'], ends: 1, uncaught: ['a listener'] });
  });

  it('the core needs no DOM: no document, window or HTMLElement in this process', () => {
    assert.equal(typeof globalThis.document, 'undefined');
    assert.equal(typeof globalThis.HTMLElement, 'undefined');
  });
});
