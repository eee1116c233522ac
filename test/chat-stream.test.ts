import { expect } from '@open-wc/testing';
import { Accumulator } from '../src/accumulator.js';
import { parseRetryAfter, streamChat, streamChatCompletion, type ChatStreamOptions, type StreamEnd } from '../src/chat-stream.js';
import { StreamChatError } from '../src/errors.js';
import type { ChatCompletionChunk, ChatMessage } from '../src/types.js';
import { rejectionOf } from './helpers/rejection.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import {
  DONE,
  byteWrites,
  chunkEvent,
  httpError,
  mockEndpoint,
  refusedUrl,
  splitBytes,
  sse,
  streamingReply,
  type MockEndpoint,
} from './helpers/server.js';

const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }];

interface Run {
  chunks: ChatCompletionChunk[];
  end: StreamEnd;
  content: string;
}

/** Streams from the endpoint; a short retryDelay keeps retry tests fast unless a test sets its own. */
async function run(endpoint: MockEndpoint | string, options: Partial<ChatStreamOptions> = {}): Promise<Run> {
  const chunks: ChatCompletionChunk[] = [];
  const end = await streamChatCompletion(
    { endpoint: typeof endpoint === 'string' ? endpoint : endpoint.url, messages, retryDelay: 10, ...options },
    (c) => chunks.push(c),
  );
  const acc = new Accumulator();
  for (const c of chunks) acc.push(c);
  return { chunks, end, content: acc.content };
}

/** The StreamChatError a run fails with, and the chunks delivered before it. */
async function failure(endpoint: MockEndpoint | string, options: Partial<ChatStreamOptions> = {}) {
  const chunks: ChatCompletionChunk[] = [];
  const error = await rejectionOf(
    streamChatCompletion(
      { endpoint: typeof endpoint === 'string' ? endpoint : endpoint.url, messages, retryDelay: 10, ...options },
      (c) => chunks.push(c),
    ),
  );
  expect(error).to.be.instanceOf(StreamChatError);
  return { error: error as StreamChatError, chunks };
}

const contentOf = (c: ChatCompletionChunk | undefined) => c?.choices?.[0]?.delta?.content;

describe('streamChatCompletion', () => {
  failOnUnhandledRejection();

  describe('a normal stream', () => {
    it('delivers every chunk in order and ends at [DONE]', async () => {
      const endpoint = await mockEndpoint(streamingReply(['Hel', 'lo', ', world'], { usage: { total_tokens: 5 } }));
      const { chunks, end, content } = await run(endpoint);
      expect(chunks.map(contentOf)).to.deep.equal(['', 'Hel', 'lo', ', world', undefined]);
      expect(chunks.at(-1)?.choices?.[0]?.finish_reason).to.equal('stop');
      expect(chunks.at(-1)?.usage).to.deep.equal({ total_tokens: 5 });
      expect(content).to.equal('Hello, world');
      expect(end).to.deep.equal({ doneMarker: true, status: 200 });
    });

    it('the server receives exactly the request that was built', async () => {
      const endpoint = await mockEndpoint(streamingReply(['ok']));
      await run(endpoint, {
        key: 'sk-test',
        model: 'gpt-4o-mini',
        system: 'Be brief.',
        temperature: 0.5,
        maxTokens: 64,
        headers: { 'X-Trace': 'abc' },
        body: { stream_options: { include_usage: true } },
      });
      const [request, ...others] = await endpoint.requests();
      expect(others).to.have.length(0);
      expect(request?.method).to.equal('POST');
      expect(request?.headers).to.include({
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: 'Bearer sk-test',
        'x-trace': 'abc',
      });
      expect(request?.body).to.deep.equal({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        stream: true,
        temperature: 0.5,
        max_tokens: 64,
        stream_options: { include_usage: true },
      });
    });

    it('no Authorization header reaches the server without a key', async () => {
      const endpoint = await mockEndpoint(streamingReply(['ok']));
      await run(endpoint);
      const [request] = await endpoint.requests();
      expect(request?.headers).to.not.have.property('authorization');
    });

    it('uses the fetch it is given', async () => {
      const endpoint = await mockEndpoint(streamingReply(['ok']));
      const urls: string[] = [];
      const { content } = await run(endpoint, {
        fetch: (input, init) => {
          urls.push(String(input));
          return fetch(input, init);
        },
      });
      expect(urls).to.deep.equal([endpoint.url]);
      expect(content).to.equal('ok');
    });

    it('a stream ending after a finish_reason without [DONE] resolves', async () => {
      const endpoint = await mockEndpoint(streamingReply(['all of it'], { done: false }));
      const { end, content } = await run(endpoint, { retries: 0 });
      expect(end).to.deep.equal({ doneMarker: false, status: 200 });
      expect(content).to.equal('all of it');
    });

    it('a last event without its trailing blank line is delivered', async () => {
      const endpoint = await mockEndpoint({
        steps: [{ write: chunkEvent({ content: 'end' }) }, { write: chunkEvent({}, { finishReason: 'stop' }).trimEnd() }],
      });
      const { chunks, end } = await run(endpoint, { retries: 0 });
      expect(chunks).to.have.length(2);
      expect(end.doneMarker).to.equal(false);
    });

    it('an SSE stream served as text/plain still works', async () => {
      const endpoint = await mockEndpoint({ ...streamingReply(['plain']), headers: { 'content-type': 'text/plain' } });
      expect((await run(endpoint)).content).to.equal('plain');
    });

    it('events after [DONE] are not delivered', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ content: 'a' }) + DONE + chunkEvent({ content: 'b' }) }] });
      expect((await run(endpoint)).content).to.equal('a');
    });
  });

  describe('HTTP errors', () => {
    const cases = [
      [400, 'Bad Request', "'messages' must not be empty"],
      [401, 'Unauthorized', 'Incorrect API key provided: sk-test.'],
      [404, 'Not Found', 'The model `gpt-9` does not exist'],
      [429, 'Too Many Requests', 'Rate limit reached for requests'],
      [500, 'Internal Server Error', 'The server had an error while processing your request.'],
      [503, 'Service Unavailable', 'The engine is currently overloaded.'],
    ] as const;
    for (const [status, statusText, message] of cases) {
      it(`HTTP ${status} is kind http with the status and the provider's error.message`, async () => {
        const endpoint = await mockEndpoint(httpError(status, message));
        const { error } = await failure(endpoint, { retries: 0 });
        expect(error.kind).to.equal('http');
        expect(error.status).to.equal(status);
        expect(error.message).to.equal(`HTTP ${status} ${statusText}: ${message}`);
        expect(error.code).to.equal(`status_${status}`);
      });
    }

    it('an HTML error page gives the status without the markup', async () => {
      const endpoint = await mockEndpoint({
        status: 502,
        headers: { 'content-type': 'text/html' },
        steps: [{ write: '<!DOCTYPE html><html><head><title>502</title></head><body><h1>Bad Gateway</h1></body></html>' }],
      });
      const { error } = await failure(endpoint, { retries: 0 });
      expect(error.kind).to.equal('http');
      expect(error.status).to.equal(502);
      expect(error.message).to.equal('HTTP 502 Bad Gateway');
    });

    it('an empty error body gives the status and its text', async () => {
      const endpoint = await mockEndpoint({ status: 500, headers: { 'content-type': null } });
      const { error } = await failure(endpoint, { retries: 0 });
      expect(error.kind).to.equal('http');
      expect(error.status).to.equal(500);
      expect(error.message).to.equal('HTTP 500 Internal Server Error');
    });

    it('a plain-text error body is quoted in the message', async () => {
      const endpoint = await mockEndpoint({ status: 400, headers: { 'content-type': 'text/plain' }, steps: [{ write: 'model is required\n' }] });
      const { error } = await failure(endpoint, { retries: 0 });
      expect(error.message).to.equal('HTTP 400 Bad Request: model is required');
    });

    it('a FastAPI {"detail": …} body gives its detail', async () => {
      const endpoint = await mockEndpoint({
        status: 422,
        headers: { 'content-type': 'application/json' },
        steps: [{ write: '{"detail":"Field required: messages"}' }],
      });
      const { error } = await failure(endpoint);
      expect(error.message).to.equal('HTTP 422 Unprocessable Entity: Field required: messages');
    });

    it('Retry-After is kept on the error', async () => {
      const endpoint = await mockEndpoint(httpError(429, 'slow down', { 'retry-after': '7' }));
      const { error } = await failure(endpoint, { retries: 0 });
      expect(error.retryAfter).to.equal(7);
    });
  });

  describe('retries', () => {
    it('503 with Retry-After: 0, then success: retried at once', async () => {
      const endpoint = await mockEndpoint([httpError(503, 'busy', { 'retry-after': '0' }), streamingReply(['second time'])]);
      const started = performance.now();
      // A backoff of seconds would show if Retry-After were ignored.
      const { content } = await run(endpoint, { retryDelay: 4000 });
      expect(performance.now() - started).to.be.below(1500);
      expect(content).to.equal('second time');
      expect((await endpoint.requests()).map((r) => r.attempt)).to.deep.equal([0, 1]);
    });

    it('429 with retry-after-ms waits that long, then retries', async () => {
      const endpoint = await mockEndpoint([httpError(429, 'slow down', { 'retry-after-ms': '300' }), streamingReply(['ok'])]);
      const { content } = await run(endpoint, { retryDelay: 4000 });
      expect(content).to.equal('ok');
      const [first, second] = await endpoint.requests();
      const waited = second!.receivedAt - first!.receivedAt;
      expect(waited).to.be.within(280, 1500);
    });

    it('without Retry-After, waits back off exponentially from retryDelay', async () => {
      const endpoint = await mockEndpoint([httpError(500, 'a'), httpError(500, 'b'), streamingReply(['ok'])]);
      await run(endpoint, { retryDelay: 100 });
      const [first, second, third] = await endpoint.requests();
      // Jitter keeps each wait between half and all of retryDelay × 2^attempt.
      expect(second!.receivedAt - first!.receivedAt).to.be.within(45, 400);
      expect(third!.receivedAt - second!.receivedAt).to.be.within(95, 600);
    });

    it('the same request body is sent on every attempt', async () => {
      const endpoint = await mockEndpoint([httpError(503, 'busy'), streamingReply(['ok'])]);
      await run(endpoint, { model: 'm' });
      const [first, second] = await endpoint.requests();
      expect(second?.bodyText).to.equal(first?.bodyText);
    });

    it('408, 409, 429 and 5xx are retried; a 400 is not', async () => {
      for (const status of [408, 409, 429, 502]) {
        const endpoint = await mockEndpoint([httpError(status, 'again'), streamingReply(['ok'])]);
        expect((await run(endpoint)).content, `HTTP ${status}`).to.equal('ok');
      }
      const endpoint = await mockEndpoint([httpError(400, 'bad'), streamingReply(['ok'])]);
      const { error } = await failure(endpoint);
      expect(error.status).to.equal(400);
      expect(await endpoint.requests()).to.have.length(1);
    });

    it('retries default to 2: three requests, then the last error', async () => {
      const endpoint = await mockEndpoint(httpError(503, 'still busy', { 'retry-after': '0' }));
      const { error } = await failure(endpoint, { retries: undefined });
      expect(error.status).to.equal(503);
      expect(error.message).to.contain('still busy');
      expect(await endpoint.requests()).to.have.length(3);
    });

    it('retries: 0 makes one request', async () => {
      const endpoint = await mockEndpoint([httpError(503, 'busy', { 'retry-after': '0' }), streamingReply(['ok'])]);
      const { error } = await failure(endpoint, { retries: 0 });
      expect(error.status).to.equal(503);
      expect(await endpoint.requests()).to.have.length(1);
    });

    it('a Retry-After longer than a minute is not retried: the user decides', async () => {
      const endpoint = await mockEndpoint([httpError(429, 'quota', { 'retry-after': '120' }), streamingReply(['ok'])]);
      const { error } = await failure(endpoint);
      expect(error.status).to.equal(429);
      expect(error.retryAfter).to.equal(120);
      expect(await endpoint.requests()).to.have.length(1);
    });

    it('a connection cut before the headers is retried', async () => {
      const endpoint = await mockEndpoint([{ hangUp: true }, streamingReply(['reconnected'])]);
      expect((await run(endpoint)).content).to.equal('reconnected');
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['destroyed', 'completed']);
    });

    it('no retry after content started: a cut after one chunk is a network error, one request', async () => {
      const endpoint = await mockEndpoint([
        { steps: [{ write: chunkEvent({ content: 'partial' }) }, { delay: 50 }, { destroy: true }] },
        streamingReply(['must not be played']),
      ]);
      const { error, chunks } = await failure(endpoint);
      expect(error.kind).to.equal('network');
      expect(chunks.map(contentOf)).to.deep.equal(['partial']);
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('an abort during the wait before a retry rejects at once, with no new request', async () => {
      const endpoint = await mockEndpoint([httpError(503, 'busy', { 'retry-after': '5' }), streamingReply(['ok'])]);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const started = performance.now();
      const error = await rejectionOf(run(endpoint, { signal: controller.signal }));
      expect(error).to.equal(controller.signal.reason);
      expect(performance.now() - started).to.be.below(2000);
      expect(await endpoint.requests()).to.have.length(1);
    });
  });

  describe('network errors', () => {
    it('connection refused is a network error that names the URL', async () => {
      const url = await refusedUrl();
      const { error } = await failure(url, { retries: 0 });
      expect(error.kind).to.equal('network');
      expect(error.message).to.contain(url);
    });

    it('a connection cut mid-event is a network error', async () => {
      const endpoint = await mockEndpoint({
        steps: [{ write: chunkEvent({ content: 'whole' }) }, { write: 'data: {"choices":[{"index":0,"delta":{"content":"ha' }, { delay: 30 }, { destroy: true }],
      });
      const { error, chunks } = await failure(endpoint);
      expect(error.kind).to.equal('network');
      expect(chunks.map(contentOf)).to.deep.equal(['whole']);
    });

    it('a body ending without [DONE] or a finish_reason is a network error', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) + chunkEvent({ content: 'cut sh' }) }] });
      const { error, chunks } = await failure(endpoint);
      expect(error.kind).to.equal('network');
      expect(chunks).to.have.length(2);
      expect(await endpoint.requests()).to.have.length(1);
    });

    it('an empty event stream is a network error', async () => {
      const endpoint = await mockEndpoint({});
      const { error } = await failure(endpoint, { retries: 0 });
      expect(error.kind).to.equal('network');
    });
  });

  describe('stall timeout', () => {
    it('no bytes for the timeout is kind timeout, and the request is aborted on the wire', async () => {
      const endpoint = await mockEndpoint({
        steps: [{ write: chunkEvent({ content: 'first' }) }, { delay: 2000 }, { write: chunkEvent({ content: 'too late' }) }],
      });
      const started = performance.now();
      const { error, chunks } = await failure(endpoint, { timeout: 300 });
      expect(error.kind).to.equal('timeout');
      expect(error.message).to.contain('0.3 s');
      expect(performance.now() - started).to.be.below(1500);
      expect(chunks.map(contentOf)).to.deep.equal(['first']);
      const [request] = await endpoint.settled();
      expect(request?.aborted).to.equal(true);
    });

    it('a server that does not send its headers in time is kind timeout', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 2000, steps: streamingReply(['late']).steps });
      const { error } = await failure(endpoint, { timeout: 300 });
      expect(error.kind).to.equal('timeout');
      expect((await endpoint.settled()).map((r) => r.aborted)).to.deep.equal([true]);
    });

    it('keep-alive comments every 100 ms keep a slow stream alive', async () => {
      const keepAlive = Array.from({ length: 8 }, () => [{ delay: 100 }, { write: ': keep-alive\n\n' }]).flat();
      const endpoint = await mockEndpoint({
        steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, ...keepAlive, ...(streamingReply(['worth the wait']).steps)],
      });
      expect((await run(endpoint, { timeout: 300 })).content).to.equal('worth the wait');
    });

    it('timeout: 0 disables it', async () => {
      const endpoint = await mockEndpoint({ steps: [{ delay: 400 }, ...(streamingReply(['slow']).steps)] });
      expect((await run(endpoint, { timeout: 0 })).content).to.equal('slow');
    });
  });

  describe('responses that are not a chat-completions stream', () => {
    it('an invalid JSON data line is a protocol error', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ content: 'ok' }) }, { write: 'data: {"choices": [oops\n\n' }] });
      const { error, chunks } = await failure(endpoint);
      expect(error.kind).to.equal('protocol');
      expect(chunks).to.have.length(1);
    });

    it('200 text/html is a protocol error whose message names the URL, not retried', async () => {
      const endpoint = await mockEndpoint({
        headers: { 'content-type': 'text/html; charset=utf-8' },
        steps: [{ write: '<!doctype html><html><body><div id="app"></div></body></html>' }],
      });
      const { error } = await failure(endpoint);
      expect(error.kind).to.equal('protocol');
      expect(error.message).to.contain(endpoint.url);
      expect(await endpoint.requests()).to.have.length(1);
    });

    it('200 text/plain that is not SSE is a protocol error naming the URL', async () => {
      const endpoint = await mockEndpoint({ headers: { 'content-type': 'text/plain' }, steps: [{ write: 'Hello from a web server' }] });
      const { error } = await failure(endpoint);
      expect(error.kind).to.equal('protocol');
      expect(error.message).to.contain(endpoint.url);
    });

    it('200 application/json completion becomes one chunk with the whole message and finish reason', async () => {
      const completion = {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1700000000,
        model: 'test-model',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'The whole answer at once.',
              tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 6, total_tokens: 9 },
      };
      const endpoint = await mockEndpoint({ headers: { 'content-type': 'application/json' }, steps: [{ write: JSON.stringify(completion) }] });
      const { chunks, end } = await run(endpoint);
      expect(chunks).to.have.length(1);
      expect(chunks[0]?.object).to.equal('chat.completion.chunk');
      expect(chunks[0]?.choices?.[0]?.finish_reason).to.equal('tool_calls');
      expect(end).to.deep.equal({ doneMarker: false, status: 200 });
      const acc = new Accumulator();
      acc.push(chunks[0]!);
      expect(acc.message).to.deep.equal({
        role: 'assistant',
        content: 'The whole answer at once.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }],
      });
      expect(acc.finishReason).to.equal('tool_calls');
      expect(acc.usage).to.deep.equal(completion.usage);
    });

    it('200 application/json with an error body is a provider error with its message', async () => {
      const endpoint = await mockEndpoint({
        headers: { 'content-type': 'application/json' },
        steps: [{ write: '{"error":{"message":"The model is overloaded","code":"overloaded"}}' }],
      });
      const { error } = await failure(endpoint);
      expect(error.kind).to.equal('provider');
      expect(error.message).to.equal('The model is overloaded');
    });

    it('200 application/json that is not a completion is a protocol error', async () => {
      const endpoint = await mockEndpoint({ headers: { 'content-type': 'application/json' }, steps: [{ write: '{"data":[]}' }] });
      expect((await failure(endpoint)).error.kind).to.equal('protocol');
    });

    it('an error event inside the stream is a provider error, not retried', async () => {
      const endpoint = await mockEndpoint([
        { steps: [{ write: sse({ error: { message: 'Upstream timed out', code: 504 } }) }] },
        streamingReply(['must not be played']),
      ]);
      const { error } = await failure(endpoint);
      expect(error.kind).to.equal('provider');
      expect(error.message).to.equal('Upstream timed out');
      expect(await endpoint.requests()).to.have.length(1);
    });
  });

  describe('abort', () => {
    it('before the first byte: rejects with the signal reason; the server sees the abort', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 3000, steps: streamingReply(['never']).steps });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await rejectionOf(run(endpoint, { signal: controller.signal }));
      expect(error).to.equal(controller.signal.reason);
      expect((error as DOMException).name).to.equal('AbortError');
      const requests = await endpoint.settled();
      expect(requests.map((r) => r.aborted)).to.deep.equal([true]);
    });

    it('mid-stream: rejects with the signal reason after the chunks before it; the server sees the abort', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ content: 'one' }) }, { delay: 3000 }, { write: chunkEvent({ content: 'two' }) }] });
      const controller = new AbortController();
      const seen: ChatCompletionChunk[] = [];
      const error = await rejectionOf(
        streamChatCompletion({ endpoint: endpoint.url, messages, signal: controller.signal }, (c) => {
          seen.push(c);
          controller.abort();
        }),
      );
      expect(error).to.equal(controller.signal.reason);
      expect(seen.map(contentOf)).to.deep.equal(['one']);
      expect((await endpoint.settled()).map((r) => r.aborted)).to.deep.equal([true]);
    });

    it('rejects with a custom abort reason as given', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 3000 });
      const controller = new AbortController();
      const reason = new Error('user left');
      setTimeout(() => controller.abort(reason), 50);
      expect(await rejectionOf(run(endpoint, { signal: controller.signal }))).to.equal(reason);
    });

    it('an already aborted signal rejects without a request', async () => {
      const endpoint = await mockEndpoint(streamingReply(['never']));
      const error = await rejectionOf(run(endpoint, { signal: AbortSignal.abort() }));
      expect((error as DOMException).name).to.equal('AbortError');
      expect(await endpoint.requests()).to.have.length(0);
    });
  });

  describe('endpoint', () => {
    const noFetch: typeof fetch = () => Promise.reject(new Error('fetch must not be called'));

    it('an empty endpoint is a clear error without a request', async () => {
      const { error } = await failure('', { fetch: noFetch });
      expect(error.message).to.contain('No endpoint is set');
      const blank = await failure('   ', { fetch: noFetch });
      expect(blank.error.message).to.contain('No endpoint is set');
    });

    it('a malformed endpoint is a clear error that quotes it, without a request', async () => {
      const { error } = await failure('http://[::1', { fetch: noFetch });
      expect(error.message).to.contain('"http://[::1"');
      expect(error.message).to.contain('not a valid URL');
    });
  });
});

describe('streamChat', () => {
  failOnUnhandledRejection();

  it('yields every chunk, then ends', async () => {
    const endpoint = await mockEndpoint(streamingReply(['a', 'b', 'c']));
    const acc = new Accumulator();
    let count = 0;
    for await (const c of streamChat({ endpoint: endpoint.url, messages })) {
      acc.push(c);
      count++;
    }
    expect(acc.content).to.equal('abc');
    expect(count).to.equal(5);
  });

  it('does not fetch before the iteration starts', async () => {
    const endpoint = await mockEndpoint(streamingReply(['a']));
    const iterator = streamChat({ endpoint: endpoint.url, messages });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await endpoint.requests()).to.have.length(0);
    expect((await iterator.next()).done).to.equal(false);
    await iterator.return?.();
  });

  it('break after the first chunk aborts the request on the wire', async () => {
    const endpoint = await mockEndpoint({
      steps: [{ write: chunkEvent({ content: 'first' }) }, { delay: 3000 }, ...(streamingReply(['rest']).steps)],
    });
    const seen: string[] = [];
    for await (const c of streamChat({ endpoint: endpoint.url, messages })) {
      seen.push(contentOf(c) ?? '');
      break;
    }
    expect(seen).to.deep.equal(['first']);
    expect((await endpoint.settled()).map((r) => r.aborted)).to.deep.equal([true]);
  });

  it('throws the error after the chunks before it', async () => {
    const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ content: 'partial' }) }, { delay: 30 }, { destroy: true }] });
    const seen: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const c of streamChat({ endpoint: endpoint.url, messages })) seen.push(contentOf(c) ?? '');
      })(),
    );
    expect(seen).to.deep.equal(['partial']);
    expect(error).to.be.instanceOf(StreamChatError);
    expect((error as StreamChatError).kind).to.equal('network');
  });

  it('an outer signal ends the loop with its reason and aborts the request', async () => {
    const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ content: 'first' }) }, { delay: 3000 }, { write: DONE }] });
    const controller = new AbortController();
    const reason = new Error('navigated away');
    const error = await rejectionOf(
      (async () => {
        for await (const _ of streamChat({ endpoint: endpoint.url, messages, signal: controller.signal })) controller.abort(reason);
      })(),
    );
    expect(error).to.equal(reason);
    expect((await endpoint.settled()).map((r) => r.aborted)).to.deep.equal([true]);
  });
});

describe('bytes to text', () => {
  failOnUnhandledRejection();

  /** A fetch that records the byte length of each read the body gives, to prove the splits reached the decoder. */
  function fetchRecordingReads(reads: number[]): typeof fetch {
    return async (input, init) => {
      const response = await fetch(input, init);
      const counted = response.body!.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(bytes, controller) {
            reads.push(bytes.byteLength);
            controller.enqueue(bytes);
          },
        }),
      );
      return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  // 2-byte Latin, 3-byte CJK, a 4-byte emoji and an emoji ZWJ sequence.
  const text = 'é中😀👩‍💻';
  const event = sse({ choices: [{ index: 0, delta: { content: `<${text}>` } }] });
  const eventBytes = new TextEncoder().encode(event);
  const firstByte = new TextEncoder().encode(event.slice(0, event.indexOf('<') + 1)).length;
  const lastByte = firstByte + new TextEncoder().encode(text).length;

  /** Streams the event written in two pieces cut at byte `at`; returns the size of the first read. */
  async function splitAt(at: number): Promise<number | undefined> {
    const endpoint = await mockEndpoint({ steps: [...splitBytes(event, [at], { gap: 25 }), { write: DONE }] });
    const reads: number[] = [];
    const { content } = await run(endpoint, { fetch: fetchRecordingReads(reads), retries: 0 });
    expect(content, `split at byte ${at}`).to.equal(`<${text}>`);
    return reads[0];
  }

  it('multi-byte characters split across reads at every byte position arrive intact', async function () {
    this.timeout(30_000);
    for (let at = firstByte; at <= lastByte; at++) {
      let firstRead = await splitAt(at);
      // On a busy machine both writes can reach the page as one read; try again so the split is tested.
      for (let again = 0; again < 3 && firstRead !== at; again++) firstRead = await splitAt(at);
      expect(firstRead, `the first read ends at byte ${at}`).to.equal(at);
    }
  });

  it('one byte per read arrives intact', async function () {
    this.timeout(30_000);
    const endpoint = await mockEndpoint({ steps: [...byteWrites(event, { gap: 5 }), { write: DONE }] });
    const reads: number[] = [];
    const { content } = await run(endpoint, { fetch: fetchRecordingReads(reads), retries: 0 });
    expect(reads.length).to.be.above(eventBytes.length / 2);
    expect(content).to.equal(`<${text}>`);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  const parse = (headers: Record<string, string>) => parseRetryAfter(new Headers(headers), now);

  it('reads seconds, whole or not', () => {
    expect(parse({ 'retry-after': '3' })).to.equal(3);
    expect(parse({ 'retry-after': ' 0 ' })).to.equal(0);
    expect(parse({ 'retry-after': '1.5' })).to.equal(1.5);
  });

  it('reads an HTTP date as the seconds until it, and a past date as 0', () => {
    expect(parse({ 'retry-after': new Date(now + 30_000).toUTCString() })).to.equal(30);
    expect(parse({ 'retry-after': 'Wed, 01 Jan 2025 12:00:10 GMT' })).to.equal(10);
    expect(parse({ 'retry-after': 'Tue, 31 Dec 2024 23:59:59 GMT' })).to.equal(0);
  });

  it('prefers retry-after-ms (OpenAI) and converts it to seconds', () => {
    expect(parse({ 'retry-after-ms': '1500', 'retry-after': '9' })).to.equal(1.5);
    expect(parse({ 'retry-after-ms': '20' })).to.equal(0.02);
  });

  it('falls back to Retry-After when retry-after-ms is garbage', () => {
    expect(parse({ 'retry-after-ms': 'soon', 'retry-after': '2' })).to.equal(2);
  });

  it('gives undefined when there is no header or it is garbage', () => {
    expect(parse({})).to.equal(undefined);
    expect(parse({ 'retry-after': '' })).to.equal(undefined);
    expect(parse({ 'retry-after': 'soon' })).to.equal(undefined);
    expect(parse({ 'retry-after': '10s' })).to.equal(undefined);
  });

  it('a negative number or stray text with digits is garbage, not a date in the past', () => {
    // V8's lenient Date.parse reads each of these as a date in 2001; taken as "retry now" they
    // would skip the backoff.
    expect(parse({ 'retry-after': '-5' })).to.equal(undefined);
    expect(parse({ 'retry-after': '1,5' })).to.equal(undefined);
    expect(parse({ 'retry-after': 'try again 1' })).to.equal(undefined);
  });
});
