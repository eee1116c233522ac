/**
 * Reliability at the element, end to end: faults a chat endpoint or the network produces, played by
 * the scripted server (test/server/sse-server.js) over a real socket against a real <stream-chat>.
 * Here is what needs the element or the real network: what shows on screen, the abort on the wire,
 * removal from the page, a hidden tab, a large answer, HTTP error bodies as the browser's fetch
 * delivers them, refused and dropped connections, endpoint validation. The lifecycle itself
 * (exactly one done or error, retries and their waits, stalls, stop and send at any moment) is
 * tested headless, on a fake clock, in conversation.test.ts.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import { ref } from 'lit/directives/ref.js';
import '../src/index.js';
import { StreamChatError } from '../src/core/errors.js';
import type { DoneDetail, ErrorDetail } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { FakeClock } from './helpers/clock.js';
import { contentArrives } from './helpers/element.js';
import { rejectionOf } from './helpers/rejection.js';
import { TestBody, fakeFetch } from './helpers/streaming.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import {
  DONE,
  chunkEvent,
  mockEndpoint,
  refusedUrl,
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
  // Plain text: these tests compare what arrived with what is on screen, character for character.
  const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint} format="text"></stream-chat>`);
  el.retries = options.retries ?? 0;
  if (options.timeout !== undefined) el.timeout = options.timeout;
  // A 1 ms first backoff: a retry over the real socket without a wait (the backoff is tested headless).
  el.conversation.options.retryDelay = 1;
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

type Outcome = { type: 'done'; detail: DoneDetail } | { type: 'error'; detail: ErrorDetail };

/** Every done and error the element dispatches, in order. */
function recordEnds(el: StreamChatElement): Outcome[] {
  const ends: Outcome[] = [];
  el.addEventListener('done', (e) => ends.push({ type: 'done', detail: e.detail }));
  el.addEventListener('error', (e) => ends.push({ type: 'error', detail: e.detail }));
  return ends;
}

/** Resolves once `count` requests reached the server. */
function requestsArrive(endpoint: MockEndpoint, count: number): Promise<void> {
  return waitUntil(async () => (await endpoint.requests()).length >= count, `${count} requests at the server`, { timeout: 5000 });
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
 * Sends `text` and waits until it ended and, with an `endpoint`, until the server saw every
 * request end: nothing more can arrive. Checks that exactly one `done` or `error` ended it, that
 * `send()` settled the same way with the same object, the inline error, and {@link expectSettled}.
 */
async function sendAndSettle(el: StreamChatElement, text = 'hi', endpoint?: MockEndpoint): Promise<Outcome> {
  const answersBefore = answers(el).length;
  const ends = recordEnds(el);
  const result = await el.send(text).then(
    (detail) => ({ resolved: detail }) as const,
    (error: unknown) => ({ rejected: error }) as const,
  );
  if (endpoint) await endpoint.settled();
  await el.updateComplete;
  expect(ends.map((e) => e.type), 'events that ended the send').to.have.length(1);
  const [outcome] = ends as [Outcome];
  if (outcome.type === 'done') {
    expect('resolved' in result, 'send() rejected although done fired').to.equal(true);
    if ('resolved' in result) expect(result.resolved).to.equal(outcome.detail);
  } else {
    expect('rejected' in result, 'send() resolved although error fired').to.equal(true);
    if ('rejected' in result) expect(result.rejected).to.equal(outcome.detail.error);
    expect(outcome.detail.error).to.be.instanceOf(StreamChatError);
    expect(part(el, 'error')?.textContent, 'the inline error').to.include(outcome.detail.error.message);
  }
  await expectSettled(el, text, outcome.detail.content, answersBefore);
  return outcome;
}

async function expectError(el: StreamChatElement, endpoint?: MockEndpoint, text = 'hi'): Promise<ErrorDetail> {
  const outcome = await sendAndSettle(el, text, endpoint);
  if (outcome.type !== 'error') expect.fail(`expected an error, got done with ${JSON.stringify(outcome.detail.content)}`);
  return outcome.detail;
}

async function expectDone(el: StreamChatElement, endpoint?: MockEndpoint, text = 'hi'): Promise<DoneDetail> {
  const outcome = await sendAndSettle(el, text, endpoint);
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

  describe('HTTP errors as the browser delivers them', () => {
    for (const c of HTTP_CASES) {
      const retried = RETRYABLE.has(c.status);
      it(`HTTP ${c.status}, ${c.shape}: kind http, status, ${c.text ? "the provider's text" : 'the status'} shown inline, ${retried ? 'retried twice' : 'not retried'}`, async () => {
        const endpoint = await mockEndpoint(c.response);
        const el = await chatFor(endpoint.url, { retries: 2 });
        const { error, content } = await expectError(el, endpoint);
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

    it('a 200 HTML page (an SPA fallback): kind protocol, a message that says HTML and names the URL, not retried', async () => {
      const page = '<!doctype html><html><head><title>My App</title><script type="module" src="/assets/index.js"></script></head><body><div id="root"></div></body></html>';
      const endpoint = await mockEndpoint({ headers: { 'content-type': 'text/html; charset=utf-8' }, steps: [{ write: page }] });
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el, endpoint);
      expect(error.kind).to.equal('protocol');
      expect(error.message).to.include('HTML');
      expect(error.message).to.include(endpoint.url);
      expect(content).to.equal('');
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('a 200 HTML page labelled text/event-stream (a gateway’s login page): kind protocol, says HTML, status 200, not retried', async () => {
      const page = '\n<!doctype html>\n<html><head><title>Sign in</title></head>\n<body><form action="/login"></form></body></html>\n';
      const endpoint = await mockEndpoint({ steps: [{ write: page }] });
      const { error, content } = await expectError(await chatFor(endpoint.url, { retries: 2 }), endpoint);
      expect([error.kind, error.status, error.message]).to.deep.equal([
        'protocol',
        200,
        `The endpoint answered with an HTML page, not an event stream. Check that ${endpoint.url} is the full API URL (e.g. …/v1/chat/completions).`,
      ]);
      expect(content).to.equal('');
      expect(await endpoint.settled()).to.have.length(1);
    });

    it('an event stream labelled application/json (a proxy’s content-type): the answer shows as it arrives', async () => {
      const endpoint = await mockEndpoint({
        headers: { 'content-type': 'application/json' },
        steps: [{ write: `: proxied\n\n${chunkEvent({ content: 'Hello' })}` }, { hold: 'shown' }, { write: chunkEvent({ content: ' there' }) + DONE }],
      });
      const el = await chatFor(endpoint.url);
      const shown = waitUntil(() => assistantText(el) === 'Hello', 'the text so far, while the body is open', { timeout: 3000 }).finally(() => endpoint.release('shown'));
      const [{ content }] = await Promise.all([expectDone(el, endpoint), shown]);
      expect(content).to.equal('Hello there');
      expect(assistantText(el)).to.equal('Hello there');
    });

    for (const start of ['\r\n', 'id: 1\n', 'retry: 3000\n\n'])
      it(`an event stream labelled application/json that starts with ${JSON.stringify(start)}: the answer shows`, async () => {
        const endpoint = await mockEndpoint({ headers: { 'content-type': 'application/json' }, steps: [{ write: start + chunkEvent({ content: 'Hello' }) + DONE }] });
        const el = await chatFor(endpoint.url);
        expect((await expectDone(el, endpoint)).content).to.equal('Hello');
      });

    it('Ollama’s native /api/chat (NDJSON): kind protocol, a message that points to its /v1/chat/completions', async () => {
      const line = '{"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"Hi"},"done":false}\n';
      const endpoint = await mockEndpoint({ headers: { 'content-type': 'application/x-ndjson' }, steps: [{ write: line }] });
      const { error } = await expectError(await chatFor(endpoint.url), endpoint);
      expect([error.kind, error.message]).to.deep.equal(['protocol', `The endpoint did not answer with an event stream (content-type: application/x-ndjson). Check that ${endpoint.url} is the full API URL (e.g. …/v1/chat/completions).`]);
    });

    it('204 No Content (a 2xx that is not a stream): kind protocol, not retried', async () => {
      const endpoint = await mockEndpoint({ status: 204, headers: { 'content-type': null } });
      const el = await chatFor(endpoint.url, { retries: 2 });
      const { error, content } = await expectError(el, endpoint);
      expect(error.kind).to.equal('protocol');
      expect(content).to.equal('');
      expect(await endpoint.settled()).to.have.length(1);
    });
  });

  describe('the network', () => {
    it('connection refused: kind network naming the URL, shown inline, retried `retries` times', async () => {
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
      expect((await expectDone(el, endpoint)).content).to.equal('reconnected');
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['destroyed', 'completed']);
    });

    it('dropped mid-event after content: kind network, the content before it kept on screen, not retried', async () => {
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
      const { error, content } = await expectError(el, endpoint);
      expect(error.kind).to.equal('network');
      expect(content).to.equal('One event');
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['destroyed']);
    });
  });

  describe('what shows', () => {
    it('[DONE] with no content: one done with empty content, and no empty message left on screen', async () => {
      const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({}, { finishReason: 'stop' }) }, { write: DONE }] });
      const el = await chatFor(endpoint.url);
      const detail = await expectDone(el, endpoint);
      expect(detail).to.deep.include({ content: '', finishReason: 'stop', aborted: false });
    });

    it('send() from a done listener during a send() while streaming: the listener’s answer is what shows, and Send is back', async () => {
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
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['aborted', 'completed']);
      await expectSettled(el, 'listener', 'From the listener', 1);
      expect(answers(el).map((p) => p.textContent)).to.deep.equal(['First', 'From the listener']);
    });
  });

  describe('stop, send and removal', () => {
    it('stop before the first byte: one done, aborted, no content and no empty message; the request is aborted on the wire', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 3000, steps: streamingReply(['never']).steps });
      const el = await chatFor(endpoint.url);
      const ends = recordEnds(el);
      const sent = el.send('hi');
      await requestsArrive(endpoint, 1);
      el.stop();
      const detail = await sent;
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
      expect(ends).to.deep.equal([{ type: 'done', detail }]);
      expect(detail).to.deep.include({ aborted: true, content: '', finishReason: null });
      await expectSettled(el, 'hi', '', 0);
    });

    it('stop mid-stream: one done, aborted, the request aborted on the wire, the partial text kept on screen and not grown', async () => {
      const endpoint = await mockEndpoint(slowReply('Partial answer'));
      const el = await chatFor(endpoint.url);
      const ends = recordEnds(el);
      const arrived = contentArrives(el, 'Partial answer');
      const sent = el.send('hi');
      await arrived;
      el.stop();
      const detail = await sent;
      expect(detail).to.deep.include({ aborted: true, content: 'Partial answer' });
      // The server never sent the rest: the connection closed first, so nothing more can arrive.
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
      expect(ends).to.deep.equal([{ type: 'done', detail }]);
      await expectSettled(el, 'hi', 'Partial answer', 0);
    });

    it('send() while streaming: the first is aborted on the wire and keeps its text; both answers show', async () => {
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
      expect((await slow.settled()).map((r) => r.state)).to.deep.equal(['aborted']);
      expect((await fast.settled()).map((r) => r.state)).to.deep.equal(['completed']);
      expect(ends).to.deep.equal([
        { type: 'done', detail: firstDetail },
        { type: 'done', detail: secondDetail },
      ]);
      expect(firstDetail).to.deep.include({ aborted: true, content: 'First' });
      expect(secondDetail).to.deep.include({ aborted: false, content: 'Second' });
      await expectSettled(el, 'two', 'Second', 1);
      expect(answers(el).map((p) => p.textContent)).to.deep.equal(['First', 'Second']);
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
      expect(ends).to.deep.equal([]);
      parent.append(el);
      await el.updateComplete;
      expect(assistantText(el)).to.equal('Partial');
      expect((await expectDone(el, endpoint, 'again')).content).to.equal('Back again');
    });

    // A move is no removal: `moveBefore()` keeps the element in the page; `append()` and
    // `insertBefore()` take it out and put it back at once (into a dialog, a framework reordering).
    // Before, those two stopped it: "Stopped", send() resolved aborted, and neither event.
    // (`moveBefore()` where the browser has it: not WebKit 2.50.)
    const moves: Record<string, (el: Element, other: Element) => void> = {
      ...('moveBefore' in Element.prototype && { 'moveBefore()': (el: Element, other: Element) => other.moveBefore(el, null) }),
      'append() and insertBefore()': (el, other) => (other.append(el), document.body.insertBefore(el, other)),
    };
    for (const [how, move] of Object.entries(moves)) {
      it(`moved to another place in the page mid-stream with ${how}: the answer goes on and ends in one done`, async () => {
        // (Held until moved: after 300 ms, a busy machine could end the answer before the move.)
        const endpoint = await mockEndpoint(slowReply('Partial', 'moved'));
        const el = await chatFor(endpoint.url);
        const other = document.createElement('div');
        document.body.append(other);
        const ends = recordEnds(el);
        const arrived = contentArrives(el, 'Partial');
        const sent = el.send('hi');
        await arrived;
        move(el, other);
        await new Promise((resolve) => setTimeout(resolve));
        await endpoint.release('moved');
        const detail = await sent;
        expect(detail).to.deep.include({ aborted: false, content: 'Partial and the rest' });
        expect(ends.map((end) => end.type)).to.deep.equal(['done']);
        expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['completed']);
        await el.updateComplete;
        expect(assistantText(el)).to.equal('Partial and the rest');
        other.remove();
      });
    }

    it('send() from a Lit template’s ref callback, before the fragment is in the page: the turn goes, one done', async () => {
      const endpoint = await mockEndpoint(streamingReply(['From the ref']));
      const container = document.createElement('div');
      document.body.append(container);
      let sent: Promise<DoneDetail> | undefined;
      try {
        render(html`<stream-chat endpoint=${endpoint.url} retries="0" ${ref((el) => el && !sent && (sent = (el as StreamChatElement).send('hi')))}></stream-chat>`, container);
        expect((await sent!).content).to.equal('From the ref');
      } finally {
        container.remove();
      }
    });

    it('send() on an element put in the page later in the task, after microtasks (an async function of the page, a framework’s mount): its turn goes on', async () => {
      const endpoint = await mockEndpoint(streamingReply(['Hello']));
      const el = document.createElement('stream-chat');
      el.endpoint = endpoint.url;
      el.retries = 0;
      const sent = el.send('hi');
      for (let i = 0; i < 5; i++) await Promise.resolve();
      document.body.append(el);
      try {
        expect(await sent).to.include({ aborted: false, content: 'Hello' });
      } finally {
        el.remove();
      }
    });

    it('send() on an element out of the page: the turn stops as it starts, before its request goes out; neither event', async () => {
      const endpoint = await mockEndpoint(streamingReply(['never']));
      const el = await chatFor(endpoint.url);
      el.remove();
      const ends = recordEnds(el);
      const detail = await el.send('hi');
      expect(detail.aborted).to.equal(true);
      expect(ends).to.deep.equal([]);
      expect(await endpoint.requests()).to.have.length(0);
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
      expect(ends).to.deep.equal([]);
    });

    it('a pagehide a script dispatches mid-answer is not the page going: the turn\'s error, or its done, goes out as ever (the page going: test/hosts/plain.test.ts)', async () => {
      const el = await chatFor('https://api.example.test/v1/chat/completions', { retries: 0 });
      const ends = recordEnds(el);
      for (const fail of [true, false]) {
        const body = new TestBody(chunkEvent({ role: 'assistant', content: 'Partial' }));
        el.fetch = fakeFetch({ body });
        const arrived = contentArrives(el, 'Partial');
        const sent = el.send('hi');
        await arrived;
        // A review found a script's pagehide took the error, or the done, of the task it came in.
        if (fail) body.fail(new TypeError('network error'));
        else body.write(chunkEvent({ content: '' }, { finishReason: 'stop' }) + 'data: [DONE]\n\n'), body.end();
        window.dispatchEvent(new PageTransitionEvent('pagehide'));
        await sent.catch(() => {});
      }
      expect(ends.map((end) => end.type)).to.deep.equal(['error', 'done']);
    });

    it('listens for beforeunload only while a turn is in flight (Firefox keeps a page with such a listener out of its back/forward cache), and a beforeunload a script dispatches holds no error', async () => {
      const el = await chatFor('https://api.example.test/v1/chat/completions', { retries: 0 });
      const ends = recordEnds(el);
      const listening = new Set<EventListenerOrEventListenerObject>();
      const { addEventListener: add, removeEventListener: remove } = window;
      window.addEventListener = function (this: Window, ...args: Parameters<Window['addEventListener']>) {
        if (args[0] === 'beforeunload' && args[1]) listening.add(args[1]);
        return add.apply(this, args);
      } as Window['addEventListener'];
      window.removeEventListener = function (this: Window, ...args: Parameters<Window['removeEventListener']>) {
        if (args[0] === 'beforeunload' && args[1]) listening.delete(args[1]);
        return remove.apply(this, args);
      } as Window['removeEventListener'];
      try {
        for (const end of ['fail', 'remove'] as const) {
          const body = new TestBody(chunkEvent({ role: 'assistant', content: 'Partial' }));
          el.fetch = fakeFetch({ body });
          const arrived = contentArrives(el, 'Partial');
          const sent = el.send('hi');
          await arrived;
          expect(listening.size, 'in flight').to.equal(1);
          window.dispatchEvent(new Event('beforeunload'));
          if (end === 'fail') body.fail(new TypeError('network error'));
          else el.remove();
          await sent.catch(() => {});
          expect(listening.size, `after ${end}`).to.equal(0);
          // The error at once, not held (checked here: the next turn's start, or the removal, would let a
          // held one out); removed, neither event.
          expect(ends.map((each) => each.type), `after ${end}`).to.deep.equal(['error']);
        }
      } finally {
        window.addEventListener = add;
        window.removeEventListener = remove;
      }
    });

    it('removed during the wait before a retry: neither event, the wait is cancelled, and no retry is made', async () => {
      const endpoint = await mockEndpoint([jsonError(503, { error: { message: 'busy' } }, { 'retry-after': '1' }), streamingReply(['no'])]);
      const el = await chatFor(endpoint.url, { retries: 2, timeout: 0 });
      // The wait before the retry on a clock the test moves.
      const clock = new FakeClock();
      el.conversation.options.clock = clock;
      const ends = recordEnds(el);
      const sent = el.send('hi');
      await waitUntil(() => clock.pending.length > 0, 'the wait before the retry', { timeout: 5000 });
      expect(clock.pending).to.deep.equal([1000]);
      el.remove();
      // At the next microtask: a move (append, insertBefore) puts it back before then.
      expect(clock.pending, 'not yet').to.deep.equal([1000]);
      await Promise.resolve();
      expect(clock.pending, 'the wait is cancelled').to.deep.equal([]);
      expect((await sent).aborted).to.equal(true);
      clock.advance(60_000);
      expect(await endpoint.settled()).to.have.length(1);
      expect(ends).to.deep.equal([]);
    });
  });

  describe('the page', () => {
    it('in a hidden tab (no animation frames) the text still arrives while streaming, and done fires', async () => {
      const body = new TestBody(chunkEvent({ role: 'assistant', content: '' }), chunkEvent({ content: 'Hidden ' }), chunkEvent({ content: 'tabs ' }));
      const el = await chatFor('https://api.example.test/v1/chat/completions');
      el.fetch = fakeFetch({ body });
      const realRequestAnimationFrame = window.requestAnimationFrame;
      const realCancelAnimationFrame = window.cancelAnimationFrame;
      let frameRequests = 0;
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      window.requestAnimationFrame = () => ++frameRequests;
      window.cancelAnimationFrame = () => {};
      document.dispatchEvent(new Event('visibilitychange'));
      try {
        const done = expectDone(el);
        // Written by the fallback timer, with no frame, while the answer is still open.
        await waitUntil(() => assistantText(el) === 'Hidden tabs ', 'the text so far on screen without a frame', { timeout: 5000 });
        expect(el.streaming).to.equal(true);
        body.write(chunkEvent({ content: 'still ' }));
        body.write(chunkEvent({ content: 'stream.' }, { finishReason: 'stop' }));
        body.write(DONE);
        body.end();
        expect((await done).content).to.equal('Hidden tabs still stream.');
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
      const detail = await expectDone(el, endpoint);
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
      it(`${name}: one error with a clear message shown inline, and no request made`, async () => {
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
