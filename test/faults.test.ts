/**
 * Reliability, end to end: every fault a chat endpoint or the network can produce, played by the
 * scripted server (test/server/sse-server.js) against a real <stream-chat>. Each send must end with
 * exactly one `done` or `error`, keep what had arrived on screen and in the event detail, and leave
 * no unhandled rejection behind.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import { StreamChatError } from '../src/core/errors.js';
import type { DoneDetail, ErrorDetail } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { contentArrives } from './helpers/element.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import {
  DONE,
  chunkEvent,
  mockEndpoint,
  refusedUrl,
  sse,
  streamingReply,
  type MockEndpoint,
  type MockResponse,
  type MockStep,
  slowReply,
} from './helpers/server.js';

interface ChatOptions {
  retries?: number;
  timeout?: number;
}

async function chatFor(endpoint: string, options: ChatOptions = {}): Promise<StreamChatElement> {
  const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint}></stream-chat>`);
  el.retries = options.retries ?? 0;
  if (options.timeout !== undefined) el.timeout = options.timeout;
  await el.updateComplete;
  return el;
}

function parts(el: StreamChatElement, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}

function part(el: StreamChatElement, name: string): HTMLElement | undefined {
  return parts(el, name)[0];
}

/** The answer parts, without refusals. */
function answers(el: StreamChatElement): HTMLElement[] {
  return parts(el, 'assistant').filter((p) => !p.matches('[part~="refusal"]'));
}

function assistantText(el: StreamChatElement): string | null | undefined {
  return answers(el).at(-1)?.textContent;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a test waits after a send settled for a second, stray done or error. */
const STRAY_EVENT_WINDOW = 100;

type Outcome = { type: 'done'; detail: DoneDetail } | { type: 'error'; detail: ErrorDetail };

/** Every done and error the element dispatches, in order. */
function recordEnds(el: StreamChatElement): Outcome[] {
  const ends: Outcome[] = [];
  el.addEventListener('done', (e) => ends.push({ type: 'done', detail: e.detail }));
  el.addEventListener('error', (e) => ends.push({ type: 'error', detail: e.detail }));
  return ends;
}

/** Polls the server log until `count` requests arrived. */
async function requestsArrive(endpoint: MockEndpoint, count: number): Promise<void> {
  const deadline = performance.now() + 5000;
  while ((await endpoint.requests()).length < count) {
    if (performance.now() > deadline) throw new Error(`fewer than ${count} requests reached the server within 5 s`);
    await sleep(20);
  }
}

/**
 * The checks every ended send must pass: the element is idle again; what arrived is on screen (the
 * last answer part), in `messages` and in the detail; and when nothing arrived, no empty answer
 * was added.
 */
async function expectSettled(el: StreamChatElement, text: string, content: string, answersBefore: number): Promise<void> {
  await el.updateComplete;
  expect(el.streaming, 'still streaming').to.equal(false);
  expect(part(el, 'typing'), 'typing indicator left').to.equal(undefined);
  expect(el.shadowRoot!.querySelector('[aria-busy="true"]'), 'a message is still busy').to.equal(null);
  expect(part(el, 'send'), 'Send is back').to.not.equal(undefined);
  if (content !== '') {
    expect(answers(el)).to.have.length(answersBefore + 1);
    expect(assistantText(el)).to.equal(content);
    expect(el.messages.at(-1)).to.deep.include({ role: 'assistant', content });
  } else {
    expect(answers(el).filter((p) => !p.hidden), 'an empty answer was added').to.have.length(answersBefore);
    expect(el.messages.at(-1)).to.deep.equal({ role: 'user', content: text });
  }
}

/**
 * Sends `text` and waits until it ended. Checks that exactly one `done` or `error` ended it (none
 * more within {@link STRAY_EVENT_WINDOW}), that `send()` settled the same way with the same object,
 * and {@link expectSettled}.
 */
async function sendAndSettle(el: StreamChatElement, text = 'hi'): Promise<Outcome> {
  const answersBefore = answers(el).length;
  const ends = recordEnds(el);
  const settled = el.send(text).then(
    (detail) => ({ resolved: detail }) as const,
    (error: unknown) => ({ rejected: error }) as const,
  );
  const result = await settled;
  await sleep(STRAY_EVENT_WINDOW);
  expect(ends.map((e) => e.type), 'events that ended the send').to.have.length(1);
  const [outcome] = ends as [Outcome];
  if (outcome.type === 'done') {
    expect('resolved' in result, 'send() rejected although done fired').to.equal(true);
    if ('resolved' in result) expect(result.resolved).to.equal(outcome.detail);
  } else {
    expect('rejected' in result, 'send() resolved although error fired').to.equal(true);
    if ('rejected' in result) expect(result.rejected).to.equal(outcome.detail.error);
    expect(outcome.detail.error).to.be.instanceOf(StreamChatError);
    await el.updateComplete;
    expect(part(el, 'error')?.textContent, 'the inline error').to.include(outcome.detail.error.message);
  }
  await expectSettled(el, text, outcome.detail.content, answersBefore);
  return outcome;
}

async function expectError(el: StreamChatElement, text = 'hi'): Promise<ErrorDetail> {
  const outcome = await sendAndSettle(el, text);
  if (outcome.type !== 'error') expect.fail(`expected an error, got done with ${JSON.stringify(outcome.detail.content)}`);
  return outcome.detail;
}

async function expectDone(el: StreamChatElement, text = 'hi'): Promise<DoneDetail> {
  const outcome = await sendAndSettle(el, text);
  if (outcome.type !== 'done') expect.fail(`expected done, got error ${outcome.detail.error.kind}: ${outcome.detail.error.message}`);
  return outcome.detail;
}

/** A JSON error body of a given shape. */
function jsonError(status: number, body: unknown, headers: Record<string, string> = {}): MockResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, steps: [{ write: JSON.stringify(body) }] };
}

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const NGINX_413 =
  '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';
const CLOUDFLARE_504 =
  '<!DOCTYPE html>\n<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->\n<head><title>api.example.com | 504: Gateway time-out</title></head><body><h1>Gateway time-out</h1></body></html>';

interface HttpCase {
  status: number;
  /** Whose error this imitates. */
  shape: string;
  response: MockResponse;
  /** What the message must contain besides the status. */
  text: string | undefined;
  /** The error's `code`, when the body sends one that the element reports. */
  code?: string;
  /** Markup that must not reach the message. */
  notInMessage?: string;
}

// Retry-After: 0 on every case keeps the retried ones fast; the 4xx ones must ignore it.
const noWait = { 'retry-after': '0' };
const HTTP_CASES: HttpCase[] = [
  {
    status: 400,
    shape: 'OpenAI {error: {message, type, code}}',
    response: jsonError(400, { error: { message: "Invalid value for 'temperature': must be <= 2.", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } }, noWait),
    text: "Invalid value for 'temperature': must be <= 2.",
    code: 'invalid_value',
  },
  {
    status: 401,
    shape: 'OpenRouter {error: {code: 401, message}}',
    response: jsonError(401, { error: { code: 401, message: 'No auth credentials found' } }, noWait),
    text: 'No auth credentials found',
    code: '401',
  },
  {
    status: 403,
    shape: 'Anthropic {type: "error", error: {type, message}}',
    response: jsonError(403, { type: 'error', error: { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' } }, noWait),
    text: 'Your API key does not have permission to use the specified resource.',
    code: 'permission_error',
  },
  {
    status: 404,
    shape: 'Ollama {error: "…"}',
    response: jsonError(404, { error: "model 'llama9' not found, try pulling it first" }, noWait),
    text: "model 'llama9' not found, try pulling it first",
  },
  {
    status: 408,
    shape: 'empty body',
    response: { status: 408, headers: { 'content-type': null, ...noWait } },
    text: undefined,
  },
  {
    status: 413,
    shape: 'nginx HTML page',
    response: { status: 413, headers: { 'content-type': 'text/html', ...noWait }, steps: [{ write: NGINX_413 }] },
    text: undefined,
    notInMessage: '<',
  },
  {
    status: 422,
    shape: 'FastAPI {detail: [{loc, msg, type}]}',
    response: jsonError(422, { detail: [{ loc: ['body', 'messages'], msg: 'field required', type: 'value_error.missing' }] }, noWait),
    text: 'field required',
  },
  {
    status: 429,
    shape: 'Gemini [{error: {code, message, status}}]',
    response: jsonError(429, [{ error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } }], noWait),
    text: 'Resource has been exhausted (e.g. check quota).',
    code: '429',
  },
  {
    status: 500,
    shape: 'vLLM {object: "error", message, type, code}',
    response: jsonError(500, { object: 'error', message: 'The engine died unexpectedly.', type: 'InternalServerError', param: null, code: 500 }, noWait),
    text: 'The engine died unexpectedly.',
  },
  {
    status: 502,
    shape: 'nginx HTML page',
    response: { status: 502, headers: { 'content-type': 'text/html', ...noWait }, steps: [{ write: NGINX_502 }] },
    text: undefined,
    notInMessage: '<',
  },
  {
    status: 503,
    shape: 'FastAPI {detail: "…"}',
    response: jsonError(503, { detail: 'Model is loading, try again shortly' }, noWait),
    text: 'Model is loading, try again shortly',
  },
  {
    status: 504,
    shape: 'Cloudflare HTML page',
    response: { status: 504, headers: { 'content-type': 'text/html; charset=UTF-8', ...noWait }, steps: [{ write: CLOUDFLARE_504 }] },
    text: undefined,
    notInMessage: '<',
  },
];

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

describe('<stream-chat> faults', () => {
  failOnUnhandledRejection();

  describe('HTTP errors', () => {
    for (const c of HTTP_CASES) {
      const retried = RETRYABLE.has(c.status);
      it(`HTTP ${c.status}, ${c.shape}: kind http, status, ${c.text ? "the provider's text" : 'the status'}, ${retried ? 'retried twice' : 'not retried'}`, async () => {
        const endpoint = await mockEndpoint(c.response);
        const el = await chatFor(endpoint.url, { retries: 2 });
        const { error, content } = await expectError(el);
        expect(error.kind).to.equal('http');
        expect(error.status).to.equal(c.status);
        expect(error.message).to.include(String(c.status));
        if (c.text) expect(error.message).to.include(c.text);
        if (c.notInMessage) expect(error.message).to.not.include(c.notInMessage);
        expect(content).to.equal('');
        const requests = await endpoint.settled();
        expect(requests, 'requests made').to.have.length(retried ? 3 : 1);
        expect(requests.every((r) => r.state === 'completed')).to.equal(true);
        if (c.code) expect(error.code, 'error.code').to.equal(c.code);
      });
    }

    it('a retryable status is retried only `retries` times: retries="1" makes two requests', async () => {
      const endpoint = await mockEndpoint(jsonError(503, { error: { message: 'busy' } }, noWait));
      const el = await chatFor(endpoint.url, { retries: 1 });
      const { error } = await expectError(el);
      expect(error.status).to.equal(503);
      expect(await endpoint.settled()).to.have.length(2);
    });

    it('a retried status that then succeeds ends in one done with the answer', async () => {
      const endpoint = await mockEndpoint([
        jsonError(429, { error: { message: 'Rate limit reached' } }, noWait),
        jsonError(502, { error: { message: 'upstream' } }, noWait),
        streamingReply(['Third ', 'time lucky']),
      ]);
      const el = await chatFor(endpoint.url, { retries: 2 });
      const detail = await expectDone(el);
      expect(detail).to.deep.include({ content: 'Third time lucky', aborted: false, finishReason: 'stop' });
      expect(part(el, 'error')).to.equal(undefined);
      expect(await endpoint.settled()).to.have.length(3);
    });

    it('Retry-After in seconds is waited for before the retry', async () => {
      const endpoint = await mockEndpoint([jsonError(503, { error: { message: 'busy' } }, { 'retry-after': '1' }), streamingReply(['after a second'])]);
      const el = await chatFor(endpoint.url, { retries: 1 });
      expect((await expectDone(el)).content).to.equal('after a second');
      const [first, second] = await endpoint.settled();
      // The backoff alone would be 250-500 ms.
      expect(second!.receivedAt - first!.receivedAt).to.be.within(950, 2000);
    });

    it('Retry-After as an HTTP date is waited for until that date', async function () {
      this.timeout(15_000);
      // HTTP dates have whole seconds: the wait is between 1.5 and 2.5 s from now.
      const date = new Date(Date.now() + 2500).toUTCString();
      const endpoint = await mockEndpoint([jsonError(429, { error: { message: 'slow down' } }, { 'retry-after': date }), streamingReply(['on the date'])]);
      const el = await chatFor(endpoint.url, { retries: 1 });
      expect((await expectDone(el)).content).to.equal('on the date');
      const [first, second] = await endpoint.settled();
      expect(second!.receivedAt - first!.receivedAt).to.be.within(1300, 3000);
    });

    it('a Retry-After over a minute is not retried; the error carries it', async () => {
      const endpoint = await mockEndpoint([jsonError(429, { error: { message: 'quota exceeded' } }, { 'retry-after': '3600' }), streamingReply(['no'])]);
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error } = await expectError(el);
      expect(error).to.deep.include({ kind: 'http', status: 429, retryAfter: 3600 });
      expect(error.message).to.include('quota exceeded');
      expect(await endpoint.settled()).to.have.length(1);
    });
  });

  describe('network', () => {
    it('connection refused: kind network naming the URL, retried `retries` times', async () => {
      const url = await refusedUrl();
      const el = await chatFor(url, { retries: 1 });
      const calls: string[] = [];
      el.fetch = (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      };
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('network');
      expect(error.message).to.include(url);
      expect(content).to.equal('');
      expect(calls).to.deep.equal([url, url]);
    });

    it('dropped before the headers: retried, and the retry answers', async () => {
      const endpoint = await mockEndpoint([{ hangUp: true }, streamingReply(['reconnected'])]);
      const el = await chatFor(endpoint.url, { retries: 2 });
      expect((await expectDone(el)).content).to.equal('reconnected');
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['destroyed', 'completed']);
    });

    it('dropped before the headers every time: kind network after retries + 1 requests', async () => {
      const endpoint = await mockEndpoint({ hangUp: true });
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error } = await expectError(el);
      expect(error.kind).to.equal('network');
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['destroyed', 'destroyed', 'destroyed']);
    });

    it('dropped mid-event after content: kind network, the content before it kept, not retried', async () => {
      const half = chunkEvent({ content: ' and a half' });
      const endpoint = await mockEndpoint([
        {
          steps: [
            { write: chunkEvent({ role: 'assistant', content: '' }) },
            { write: chunkEvent({ content: 'One event' }) },
            { write: half.slice(0, Math.floor(half.length / 2)) },
            { delay: 50 },
            { destroy: true },
          ],
        },
        streamingReply(['must not be played']),
      ]);
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('network');
      expect(content).to.equal('One event');
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['destroyed']);
    });

    it('dropped between events: kind network, all content so far kept, not retried', async () => {
      const endpoint = await mockEndpoint([
        {
          steps: [
            { write: chunkEvent({ role: 'assistant', content: '' }) },
            { write: chunkEvent({ content: 'First. ' }) },
            { write: chunkEvent({ content: 'Second.' }) },
            { delay: 50 },
            { destroy: true },
          ],
        },
        streamingReply(['must not be played']),
      ]);
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('network');
      expect(content).to.equal('First. Second.');
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('dropped mid-event before any event was complete: retried like a drop before the headers', async () => {
      const first = chunkEvent({ role: 'assistant', content: 'Hel' });
      const endpoint = await mockEndpoint([
        { steps: [{ write: first.slice(0, 20) }, { delay: 50 }, { destroy: true }] },
        streamingReply(['Hello again']),
      ]);
      const el = await chatFor(endpoint.url, { retries: 2 });
      expect((await expectDone(el)).content).to.equal('Hello again');
      expect(await endpoint.settled()).to.have.length(2);
    });

    it('dropped after the role chunk, before any content: retried, since no content had arrived', async () => {
      // DESIGN.md, `retries`: "automatic retries of a request that failed before any content arrived".
      const endpoint = await mockEndpoint([
        { steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { delay: 50 }, { destroy: true }] },
        streamingReply(['Second attempt']),
      ]);
      const el = await chatFor(endpoint.url, { retries: 2 });
      const outcome = await sendAndSettle(el);
      expect(outcome.type, outcome.type === 'error' ? outcome.detail.error.message : '').to.equal('done');
      expect(outcome.detail.content).to.equal('Second attempt');
      expect(await endpoint.settled()).to.have.length(2);
    });

    it('a body that ends without [DONE] or a finish_reason: kind network, content kept', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({ content: 'Cut sh' }) }] });
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('network');
      expect(content).to.equal('Cut sh');
      expect(await endpoint.settled()).to.have.length(1);
    });
  });

  describe('stalls', () => {
    it('no bytes for the timeout mid-stream: kind timeout, content kept, aborted on the wire', async () => {
      const endpoint = await mockEndpoint(slowReply('Before the stall', 1500));
      const el = await chatFor(endpoint.url, { retries: 2, timeout: 400 });
      const started = performance.now();
      const { error, content } = await expectError(el);
      expect(performance.now() - started).to.be.below(1400);
      expect(error.kind).to.equal('timeout');
      expect(error.message).to.include('0.4 s');
      expect(content).to.equal('Before the stall');
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
    });

    it('no headers for the timeout: kind timeout, not retried, aborted on the wire', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 1500, steps: streamingReply(['late']).steps });
      const el = await chatFor(endpoint.url, { retries: 2, timeout: 400 });
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('timeout');
      expect(content).to.equal('');
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
    });

    it('keep-alive comments every 100 ms keep a timeout="400" response alive for 1.5 s; then it completes', async () => {
      const keepAlive: MockStep[] = Array.from({ length: 15 }, () => [{ delay: 100 }, { write: ': keep-alive\n\n' }]).flat();
      const endpoint = await mockEndpoint({
        steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({ content: 'Thinking… ' }) }, ...keepAlive, ...streamingReply(['done thinking']).steps],
      });
      const el = await chatFor(endpoint.url, { timeout: 400 });
      const started = performance.now();
      const detail = await expectDone(el);
      expect(performance.now() - started).to.be.above(1400);
      expect(detail).to.deep.include({ content: 'Thinking… done thinking', aborted: false });
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['completed']);
    });
  });

  describe('bad data', () => {
    it('a data line that is not JSON: kind protocol quoting it, content kept, not retried', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ content: 'Fine so far. ' }) }, { write: 'data: {"choices": [oops\n\n' }, ...streamingReply(['ignored']).steps] });
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('protocol');
      expect(error.message).to.include('{\\"choices\\": [oops');
      expect(content).to.equal('Fine so far. ');
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('a first data line that is not JSON: kind protocol, not retried', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: 'data: <html>\n\n' }] });
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('protocol');
      expect(content).to.equal('');
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('a 200 HTML page (an SPA fallback): kind protocol, a message that says HTML and names the URL, not retried', async () => {
      const page = '<!doctype html><html><head><title>My App</title><script type="module" src="/assets/index.js"></script></head><body><div id="root"></div></body></html>';
      const endpoint = await mockEndpoint({ headers: { 'content-type': 'text/html; charset=utf-8' }, steps: [{ write: page }] });
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('protocol');
      expect(error.message).to.include('HTML');
      expect(error.message).to.include(endpoint.url);
      expect(content).to.equal('');
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('a 200 JSON error object (a server that ignored stream: true): kind provider with its message', async () => {
      const endpoint = await mockEndpoint(jsonError(200, { error: { message: 'This model does not support streaming', type: 'invalid_request_error' } }));
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('provider');
      expect(error.message).to.include('This model does not support streaming');
      expect(content).to.equal('');
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('204 No Content (a 2xx that is not a stream): kind protocol, not retried', async () => {
      const endpoint = await mockEndpoint({ status: 204, headers: { 'content-type': null } });
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el);
      expect(error.kind).to.equal('protocol');
      expect(content).to.equal('');
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('[DONE] with no content: one done with empty content, and no empty message left on screen', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({}, { finishReason: 'stop' }) }, { write: DONE }] });
      const el = await chatFor(endpoint.url);
      const detail = await expectDone(el);
      expect(detail).to.deep.include({ content: '', finishReason: 'stop', aborted: false });
    });

    it('a 200 non-stream JSON completion is rendered and ends in done', async () => {
      const completion = {
        id: 'chatcmpl-9',
        object: 'chat.completion',
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'All at once.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 },
      };
      const endpoint = await mockEndpoint({ headers: { 'content-type': 'application/json' }, steps: [{ write: JSON.stringify(completion) }] });
      const el = await chatFor(endpoint.url);
      const detail = await expectDone(el);
      expect(detail).to.deep.include({ content: 'All at once.', finishReason: 'stop', aborted: false });
      expect(detail.usage).to.deep.equal(completion.usage);
    });
  });

  describe('errors inside the stream', () => {
    const cases: Array<[string, string, string, string | undefined]> = [
      ['data: {"error": {…}} (OpenAI)', sse({ error: { message: 'The server is overloaded', type: 'server_error', code: 'overloaded' } }), 'The server is overloaded', 'overloaded'],
      ['data: {"error": "string"}', sse({ error: 'upstream connect error or disconnect/reset before headers' }), 'upstream connect error or disconnect/reset before headers', undefined],
      [
        'event: error with a JSON body (Anthropic)',
        sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, { event: 'error' }),
        'Overloaded',
        'overloaded_error',
      ],
      ['event: error with plain text', 'event: error\ndata: upstream request timeout\n\n', 'upstream request timeout', undefined],
    ];
    for (const [name, event, message, code] of cases) {
      it(`${name}: kind provider with its message, content before it kept, nothing after it, not retried`, async () => {
        const endpoint = await mockEndpoint({
          steps: [
            { write: chunkEvent({ role: 'assistant', content: '' }) },
            { write: chunkEvent({ content: 'Started. ' }) },
            { write: event },
            { write: chunkEvent({ content: 'AFTER THE ERROR' }) },
            { write: DONE },
          ],
        });
        const el = await chatFor(endpoint.url, { retries: 2 });
        const { error, content } = await expectError(el);
        expect(error.kind).to.equal('provider');
        expect(error.message).to.equal(message);
        if (code) expect(error.code).to.equal(code);
        expect(content).to.equal('Started. ');
        expect(await endpoint.settled()).to.have.length(1);
      });
    }

    it('an error as the first event: kind provider, nothing rendered, not retried', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: sse({ error: { message: 'Content filtered', code: 'content_filter' } }) }] });
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el);
      expect(error).to.deep.include({ kind: 'provider', message: 'Content filtered', code: 'content_filter' });
      expect(content).to.equal('');
      expect(await endpoint.settled()).to.have.length(1);
    });
  });

  describe('stop, send and removal', () => {
    it('stop before the first byte: one done, aborted, no content; the request is aborted on the wire', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 3000, steps: streamingReply(['never']).steps });
      const el = await chatFor(endpoint.url);
      const ends = recordEnds(el);
      const sent = el.send('hi');
      await requestsArrive(endpoint, 1);
      el.stop();
      const detail = await sent;
      await sleep(STRAY_EVENT_WINDOW);
      expect(ends).to.deep.equal([{ type: 'done', detail }]);
      expect(detail).to.deep.include({ aborted: true, content: '', finishReason: null });
      await expectSettled(el, 'hi', '', 0);
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
    });

    it('stop mid-stream: one done, aborted, the partial content kept and not grown afterwards', async () => {
      const endpoint = await mockEndpoint(slowReply('Partial answer', 300));
      const el = await chatFor(endpoint.url);
      const ends = recordEnds(el);
      const arrived = contentArrives(el, 'Partial answer');
      const sent = el.send('hi');
      await arrived;
      el.stop();
      const detail = await sent;
      expect(detail).to.deep.include({ aborted: true, content: 'Partial answer' });
      // Past the moment the server would have sent the rest.
      await sleep(500);
      expect(ends).to.deep.equal([{ type: 'done', detail }]);
      await expectSettled(el, 'hi', 'Partial answer', 0);
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
    });

    it('stop during the wait before a retry: one done, aborted, and no further request', async () => {
      const endpoint = await mockEndpoint([jsonError(503, { error: { message: 'busy' } }, { 'retry-after': '1' }), streamingReply(['too late'])]);
      const el = await chatFor(endpoint.url, { retries: 2 });
      const ends = recordEnds(el);
      const sent = el.send('hi');
      await requestsArrive(endpoint, 1);
      await sleep(100);
      el.stop();
      const detail = await sent;
      expect(detail).to.deep.include({ aborted: true, content: '' });
      await sleep(1300);
      expect(ends).to.deep.equal([{ type: 'done', detail }]);
      expect(await endpoint.settled()).to.have.length(1);
      expect(part(el, 'error')).to.equal(undefined);
    });

    it('send() while streaming: the first ends with one done (aborted) and is aborted on the wire; the second completes', async () => {
      const slow = await mockEndpoint(slowReply('First'));
      const fast = await mockEndpoint(streamingReply(['Second']));
      const el = await chatFor(slow.url);
      const ends = recordEnds(el);
      const arrived = contentArrives(el, 'First');
      const first = el.send('one');
      await arrived;
      el.endpoint = fast.url;
      const second = el.send('two');
      const firstDetail = await first;
      const secondDetail = await second;
      await sleep(STRAY_EVENT_WINDOW);
      expect(ends).to.deep.equal([
        { type: 'done', detail: firstDetail },
        { type: 'done', detail: secondDetail },
      ]);
      expect(firstDetail).to.deep.include({ aborted: true, content: 'First' });
      expect(secondDetail).to.deep.include({ aborted: false, content: 'Second' });
      await el.updateComplete;
      expect(answers(el).map((p) => p.textContent)).to.deep.equal(['First', 'Second']);
      expect((await slow.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
    });

    it('send() during the wait before a retry: the first ends in one done (aborted), no retry is made', async () => {
      const failing = await mockEndpoint([jsonError(503, { error: { message: 'busy' } }, { 'retry-after': '1' }), streamingReply(['retry must not happen'])]);
      const good = await mockEndpoint(streamingReply(['Fresh answer']));
      const el = await chatFor(failing.url, { retries: 2 });
      const ends = recordEnds(el);
      const first = el.send('one');
      await requestsArrive(failing, 1);
      await sleep(100);
      el.endpoint = good.url;
      const second = el.send('two');
      const firstDetail = await first;
      const secondDetail = await second;
      await sleep(1300);
      expect(ends).to.deep.equal([
        { type: 'done', detail: firstDetail },
        { type: 'done', detail: secondDetail },
      ]);
      expect(firstDetail).to.deep.include({ aborted: true, content: '' });
      expect(secondDetail.content).to.equal('Fresh answer');
      expect(await failing.settled()).to.have.length(1);
    });

    it('removed mid-stream: aborted on the wire, neither event, send() resolves aborted; re-added, it works again', async () => {
      const endpoint = await mockEndpoint([slowReply('Partial'), streamingReply(['Back again'])]);
      const el = await chatFor(endpoint.url);
      const parent = el.parentElement!;
      const ends = recordEnds(el);
      const arrived = contentArrives(el, 'Partial');
      const sent = el.send('hi');
      await arrived;
      el.remove();
      const detail = await sent;
      expect(detail).to.deep.include({ aborted: true, content: 'Partial' });
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
      await sleep(STRAY_EVENT_WINDOW);
      expect(ends).to.deep.equal([]);
      parent.append(el);
      await el.updateComplete;
      expect(assistantText(el)).to.equal('Partial');
      expect((await expectDone(el, 'again')).content).to.equal('Back again');
    });

    it('removed before the first byte: aborted on the wire, neither event', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 3000, steps: streamingReply(['never']).steps });
      const el = await chatFor(endpoint.url);
      const ends = recordEnds(el);
      const sent = el.send('hi');
      await requestsArrive(endpoint, 1);
      el.remove();
      expect((await sent).aborted).to.equal(true);
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
      await sleep(STRAY_EVENT_WINDOW);
      expect(ends).to.deep.equal([]);
    });

    it('removed during the wait before a retry: neither event, and no retry is made', async () => {
      const endpoint = await mockEndpoint([jsonError(503, { error: { message: 'busy' } }, { 'retry-after': '1' }), streamingReply(['no'])]);
      const el = await chatFor(endpoint.url, { retries: 2 });
      const ends = recordEnds(el);
      const sent = el.send('hi');
      await requestsArrive(endpoint, 1);
      await sleep(100);
      el.remove();
      expect((await sent).aborted).to.equal(true);
      await sleep(1300);
      expect(ends).to.deep.equal([]);
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('stop() from a chunk listener: one done, aborted, with the text up to that chunk', async () => {
      const endpoint = await mockEndpoint(streamingReply(['one ', 'two ', 'three']));
      const el = await chatFor(endpoint.url);
      el.addEventListener('chunk', (e) => {
        if (e.detail.delta === 'two ') el.stop();
      });
      const detail = await expectDone(el);
      expect(detail).to.deep.include({ aborted: true, content: 'one two ' });
    });

    it('send() from a done listener: each exchange ends with exactly one done', async () => {
      const endpoint = await mockEndpoint([streamingReply(['First']), streamingReply(['Second'])]);
      const el = await chatFor(endpoint.url);
      const ends = recordEnds(el);
      const next = new Promise<DoneDetail>((resolve) => {
        el.addEventListener('done', () => resolve(el.send('follow-up')), { once: true });
      });
      const first = await el.send('first');
      const second = await next;
      await sleep(STRAY_EVENT_WINDOW);
      expect(ends).to.deep.equal([
        { type: 'done', detail: first },
        { type: 'done', detail: second },
      ]);
      expect([first.content, second.content]).to.deep.equal(['First', 'Second']);
      await expectSettled(el, 'follow-up', 'Second', 1);
      expect(el.messages.map((m) => m.content)).to.deep.equal(['first', 'First', 'follow-up', 'Second']);
    });

    it('send() from a done listener during a send() while streaming: every send settles once, the listener’s answer arrives', async () => {
      const endpoint = await mockEndpoint([slowReply('First'), streamingReply(['From the listener'])]);
      const el = await chatFor(endpoint.url);
      const first = el.send('first');
      await contentArrives(el, 'First');
      let fromListener: Promise<DoneDetail> | undefined;
      el.addEventListener('done', () => (fromListener ??= el.send('listener')), { once: true });
      const second = el.send('second');
      expect((await first).aborted).to.equal(true);
      expect((await second).aborted).to.equal(true);
      expect((await fromListener!).content).to.equal('From the listener');
      await el.updateComplete;
      expect(assistantText(el)).to.equal('From the listener');
      expect(el.streaming).to.equal(false);
    });

    it('a fetch property that throws synchronously: one error of kind network with its message', async () => {
      const el = await chatFor('/v1/chat/completions');
      el.fetch = () => {
        throw new TypeError('proxy not configured');
      };
      const { error } = await expectError(el);
      expect(error.kind).to.equal('network');
      expect(error.message).to.include('proxy not configured');
    });

    it('100 rapid send/stop cycles: one done per send, aborted except the last; every request ends; nothing left streaming', async function () {
      this.timeout(30_000);
      const endpoint = await mockEndpoint(slowReply('Partial', 300));
      const el = await chatFor(endpoint.url);
      const ends = recordEnds(el);
      const sends: Promise<DoneDetail>[] = [];
      for (let i = 0; i < 100; i++) {
        // Every tenth waits for content, so some stops land mid-stream rather than before the headers.
        const arrived = i % 10 === 5 ? contentArrives(el, 'Partial') : undefined;
        sends.push(el.send(`message ${i}`));
        if (arrived) await arrived;
        // Even cycles stop explicitly; odd ones are stopped by the next send().
        if (i % 2 === 0 && i < 99) el.stop();
        if (i % 7 === 0) await sleep(0);
      }
      const details = await Promise.all(sends);
      await sleep(STRAY_EVENT_WINDOW);
      expect(ends.every((e) => e.type === 'done')).to.equal(true);
      expect(ends.map((e) => e.detail)).to.deep.equal(details);
      ends.forEach((end, i) => expect(end.detail, `send ${i}`).to.equal(details[i]));
      expect(details.slice(0, 99).every((d) => d.aborted)).to.equal(true);
      expect(details[99]).to.deep.include({ aborted: false, content: 'Partial and the rest' });
      for (const i of [5, 15, 25, 95]) expect(details[i]!.content, `send ${i}`).to.equal('Partial');
      await expectSettled(el, 'message 99', 'Partial and the rest', answers(el).length - 1);
      const requests = await endpoint.settled();
      console.log(`100 send/stop cycles: ${requests.length} requests reached the server`);
      expect(requests.length).to.be.within(10, 100);
      expect(requests.filter((r) => r.state !== 'aborted').map((r) => r.state)).to.deep.equal(['completed']);
      expect(requests.at(-1)!.state).to.equal('completed');
      expect(el.messages.filter((m) => m.role === 'user')).to.have.length(100);
    });
  });

  describe('the page', () => {
    it('in a hidden tab (no animation frames) the text still arrives while streaming, and done fires', async () => {
      // Gaps well over the 250 ms frame fallback, so each piece is written before the next arrives.
      const endpoint = await mockEndpoint(streamingReply(['Hidden ', 'tabs ', 'still ', 'stream.'], { gap: 400 }));
      const el = await chatFor(endpoint.url);
      const realRequestAnimationFrame = window.requestAnimationFrame;
      const realCancelAnimationFrame = window.cancelAnimationFrame;
      let frameRequests = 0;
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      window.requestAnimationFrame = () => ++frameRequests;
      window.cancelAnimationFrame = () => {};
      document.dispatchEvent(new Event('visibilitychange'));
      try {
        const seenWhileStreaming: string[] = [];
        el.addEventListener('chunk', (e) => {
          if (e.detail.delta === 'still ') {
            // The previous chunks were written by the fallback timer, with no frame.
            seenWhileStreaming.push(assistantText(el) ?? '');
          }
        });
        const detail = await expectDone(el);
        expect(detail.content).to.equal('Hidden tabs still stream.');
        expect(seenWhileStreaming).to.deep.equal(['Hidden tabs ']);
        expect(frameRequests, 'the element asked for frames that never came').to.be.above(0);
      } finally {
        window.requestAnimationFrame = realRequestAnimationFrame;
        window.cancelAnimationFrame = realCancelAnimationFrame;
        delete (document as { visibilityState?: unknown }).visibilityState;
        delete (document as { hidden?: unknown }).hidden;
        document.dispatchEvent(new Event('visibilitychange'));
      }
      expect(document.visibilityState).to.equal('visible');
    });

    it('a 1 MB answer arrives exactly, in reasonable time', async function () {
      this.timeout(30_000);
      const alphabet = 'The quick brown fox jumps over the lazy dog. Ünïcödé, 中文字符, emoji 😀🚀 and a newline\n';
      const pieces: string[] = [];
      let bytes = 0;
      for (let i = 0; bytes < 1024 * 1024; i++) {
        const piece = `${i}:${alphabet.repeat(4).slice(i % 50)}`;
        pieces.push(piece);
        bytes += new TextEncoder().encode(piece).length;
      }
      const expected = pieces.join('');
      const events = [chunkEvent({ role: 'assistant', content: '' }), ...pieces.map((content) => chunkEvent({ content })), chunkEvent({}, { finishReason: 'stop' }), DONE];
      const steps: MockStep[] = [];
      for (let i = 0; i < events.length; i += 64) steps.push({ write: events.slice(i, i + 64).join('') });
      const endpoint = await mockEndpoint({ steps });
      const el = await chatFor(endpoint.url);
      let chunks = 0;
      el.addEventListener('chunk', () => chunks++);
      const started = performance.now();
      const detail = await expectDone(el);
      const elapsed = performance.now() - started;
      console.log(`1 MB answer: ${pieces.length} chunks, ${bytes} bytes of text, ${Math.round(elapsed)} ms`);
      expect(detail.content.length).to.equal(expected.length);
      expect(detail.content === expected, 'content differs from what was sent').to.equal(true);
      expect(assistantText(el) === expected, 'the rendered text differs from what was sent').to.equal(true);
      expect(chunks).to.equal(pieces.length + 2);
      expect(elapsed).to.be.below(8000);
    });
  });

  describe('endpoint', () => {
    const bad: Array<[string, string]> = [
      ['empty', ''],
      ['blank', '   '],
      ['malformed (http://[::1)', 'http://[::1'],
      ['malformed (no host: http://)', 'http://'],
      ['malformed (port out of range)', 'https://api.example.com:99999/v1/chat/completions'],
    ];
    for (const [name, endpoint] of bad) {
      it(`${name}: one error with a clear message, and no request made`, async () => {
        const el = await chatFor(endpoint, { retries: 2 });
        const calls: unknown[] = [];
        el.fetch = (input) => {
          calls.push(input);
          return Promise.reject(new TypeError('must not be called'));
        };
        const { error, content } = await expectError(el);
        expect(error.message).to.match(/endpoint/i);
        if (endpoint.trim() !== '') expect(error.message).to.include(JSON.stringify(endpoint));
        expect(content).to.equal('');
        expect(calls).to.deep.equal([]);
      });
    }
  });
});
