/**
 * The conversation lifecycle, headless: every way a response can end, retries and their waits,
 * stalls, stop and send at any moment, and listeners that call back in. The network is a fake
 * fetch whose bodies the test writes, and time a FakeClock: waits are asserted exactly, and
 * "nothing else happens" is shown by running the clock out, not by waiting. What needs the element
 * or a real socket is in faults.test.ts.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { Conversation, Status, type ConversationOptions } from '../src/core/conversation.js';
import { StreamChatError } from '../src/core/errors.js';
import type { ChatMessage, ChunkDetail, DoneDetail, ErrorDetail } from '../src/core/types.js';
import { FakeClock } from './helpers/clock.js';
import { recording } from './helpers/history.js';
import {
  answer,
  askedFor,
  conversationFor,
  conversationWith,
  doneOf,
  endpoint,
  errorOf,
  nextTask,
  record,
  recordEnds,
  runOut,
} from './helpers/conversation.js';
import { rejectionOf } from './helpers/rejection.js';
import { DONE, chunkEvent, sse } from './helpers/server.js';
import { TestBody, fakeFetch, fakeHttpError } from './helpers/streaming.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

/** A fetch that never answers: its promise rejects when the request is aborted. */
function unansweredFetch() {
  const signals: AbortSignal[] = [];
  const fetch = (_input: RequestInfo | URL, init: RequestInit = {}) =>
    new Promise<Response>((_resolve, reject) => {
      const signal = init.signal!;
      signals.push(signal);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return Object.assign(fetch, { signals });
}

describe('Conversation', () => {
  failOnUnhandledRejection();

  it('streams an answer: idle, streaming, idle; the messages, the events in order, and send() resolving with done', async () => {
    const { conversation, clock, ends } = conversationWith({ body: answer('Hel', 'lo') });
    const log = record(conversation);
    expect(conversation.status).to.equal(Status.idle);
    const sent = conversation.send('Hi');
    expect(conversation.status).to.equal(Status.streaming);
    expect(conversation.messages).to.deep.equal([{ role: 'user', content: 'Hi' }]);
    const detail = await doneOf(conversation, sent, ends, clock);
    expect(conversation.messages).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ]);
    const message = conversation.messages[1]!;
    const { stats, ...rest } = detail;
    expect(rest).to.deep.equal({ content: 'Hello', message, finishReason: 'stop', aborted: false, steps: [{ message, finishReason: 'stop', results: [] }] });
    expect(stats).to.deep.include({ chunks: 4, firstTokenMs: 0, estimated: true });
    expect(detail.steps[0]!.message).to.equal(message);
    expect(log).to.deep.equal(['change:streaming', 'chunk:', 'change:streaming', 'chunk:Hel', 'chunk:lo', 'chunk:', 'change:idle', 'done:Hello']);
  });

  it('reads its options at every request, accessors included', async () => {
    const { conversation, fetch } = conversationWith({ body: answer('a') }, { body: answer('b') });
    let model = 'first';
    Object.defineProperty(conversation.options, 'model', { get: () => model });
    await conversation.send('one');
    model = 'second';
    await conversation.send('two');
    expect(fetch.requests.map(({ init }) => (JSON.parse(init.body as string) as { model: string }).model)).to.deep.equal(['first', 'second']);
  });

  it('a question of content parts whose text is empty or white space, and nothing else, is no question: a RangeError, nothing sent', async () => {
    const { conversation, fetch, ends } = conversationWith({ body: answer('a') });
    conversation.messages = [{ role: 'user', content: 'Q' }];
    // Before, each went out: Anthropic's request had no message left (its empty text blocks are
    // dropped), which it refuses, and chat-completions asked a question of white space.
    for (const parts of [[{ type: 'text', text: ' ' }], [{ type: 'text', text: '' }, { type: 'text', text: '\n' }]]) {
      expect(await rejectionOf(conversation.send(parts as unknown as string)), JSON.stringify(parts)).to.be.instanceOf(RangeError);
      expect(await rejectionOf(conversation.edit(0, parts as unknown as string)), JSON.stringify(parts)).to.be.instanceOf(RangeError);
    }
    expect([fetch.requests.length, ends.length]).to.deep.equal([0, 0]);
    expect(conversation.messages).to.deep.equal([{ role: 'user', content: 'Q' }]);
    // A picture alone is a question.
    const picture = [{ type: 'image_url', image_url: { url: 'https://example.test/cat.png' } }];
    expect((await conversation.send(picture as unknown as string)).content).to.equal('a');
  });

  it('new Conversation(null) (from plain JavaScript) is one with no options: a send ends in the error of no endpoint', async () => {
    const conversation = new Conversation(null as unknown as ConversationOptions);
    const ends = recordEnds(conversation);
    // Before: send() rejected with "Cannot read properties of null (reading 'clock')", with no error
    // event, and the question stayed in messages, unanswered.
    const error = await rejectionOf(conversation.send('Hi'));
    expect([(error as Error).message, ends.map((end) => end.type), conversation.status]).to.deep.equal([
      "No endpoint is set: set `endpoint` to the API's full URL.",
      ['error'],
      Status.idle,
    ]);
  });

  it('an endpoint left falsy (false from a framework\'s `ready && url`, 0) is none: the error of no endpoint, no request', async () => {
    const { conversation, fetch } = conversationWith({ body: answer('a') });
    for (const endpoint of [false, 0]) {
      conversation.options.endpoint = endpoint as unknown as string;
      // Before: its text, "false", a relative URL: the request, with the key, went to the page's /false.
      expect(((await rejectionOf(conversation.send('one'))) as Error).message, String(endpoint)).to.equal("No endpoint is set: set `endpoint` to the API's full URL.");
    }
    expect(fetch.requests).to.have.length(0);
  });

  it('an endpoint given as a URL object (from plain JavaScript) is its address', async () => {
    // Before: "The request could not be built: options.endpoint.includes is not a function".
    const { conversation, fetch } = conversationWith({ body: answer('a') });
    conversation.options.endpoint = new URL('https://api.test/v1/chat/completions') as unknown as string;
    expect((await conversation.send('one')).content).to.equal('a');
    expect(fetch.requests.map(({ url }) => url)).to.deep.equal(['https://api.test/v1/chat/completions']);
  });

  for (const option of ['key', 'endpoint'] as const) {
    it(`an options getter that throws (a store with no ${option} yet) fails the request: an error, and the conversation idle again`, async () => {
      const { conversation, fetch } = conversationWith({ body: answer('a') });
      Object.defineProperty(conversation.options, option, {
        get: () => {
          throw new Error('Not signed in');
        },
      });
      const errors: ErrorDetail[] = [];
      conversation.addEventListener('error', (event) => errors.push((event as CustomEvent<ErrorDetail>).detail));
      const failed = await rejectionOf(conversation.send('Hi'));
      // Before, it threw from reading the fields of the request: the turn never ended, streaming for good.
      expect([conversation.status, String(failed)]).to.deep.equal([Status.idle, String(errors[0]?.error)]);
      expect(errors[0]!.error.message).to.include('Not signed in');
      expect(fetch.requests, 'nothing sent').to.have.length(0);
    });
  }

  it('the draft is the answer arriving; typing until something arrives; its message joins the conversation', async () => {
    const body = new TestBody(chunkEvent({ role: 'assistant', content: '' }));
    const { conversation } = conversationWith({ body });
    const sent = conversation.send('Hi');
    await waitUntil(() => conversation.draft !== undefined);
    const draft = conversation.draft!;
    expect(draft.arrived).to.equal(false);
    body.write(chunkEvent({ refusal: 'No.' }));
    await waitUntil(() => draft.arrived);
    expect(draft.message.refusal).to.equal('No.');
    body.write(DONE);
    const detail = await sent;
    expect(detail.message).to.equal(draft.message);
    expect(conversation.draft).to.equal(undefined);
  });

  it('shows restored OpenAI-shaped history as it is and sends it back without the reasoning', async () => {
    const { conversation, fetch } = conversationWith({ body: answer('ok') });
    const history: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is in ' }, { type: 'image_url', image_url: { url: 'https://example.test/cat.png' } }] },
      { role: 'assistant', content: null, reasoning: 'Look it up.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'look', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'a cat' },
    ];
    conversation.messages = history;
    await conversation.send('And now?');
    const sent = (JSON.parse(fetch.requests[0]!.init.body as string) as { messages: ChatMessage[] }).messages;
    expect(sent.slice(0, 4)).to.deep.equal([history[0], history[1], { role: 'assistant', content: null, tool_calls: history[2]!.tool_calls }, history[3]]);
  });

  for (const [protocol, api] of [
    ['openai-responses', 'Responses'],
    ['anthropic', 'Messages'],
  ] as const) {
    it(`a question with audio, which the ${api} API does not take, is one protocol error that names the part, no request, and the question kept to send elsewhere (${protocol})`, async () => {
      const fetch = fakeFetch({ body: answer('never') });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol });
      const question: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'What is said?' }, recording] };
      conversation.messages = [question];
      const { error } = await errorOf(conversation, conversation.retry(), ends, clock);
      expect(error.kind).to.equal('protocol');
      expect(error.message).to.match(new RegExp(`^The request could not be built: the ${api} API takes no audio \\(an input_audio part\\)`));
      await nextTask();
      expect(ends.map((end) => end.type)).to.deep.equal(['error']);
      expect(fetch.requests).to.have.length(0);
      expect(conversation.messages).to.deep.equal([question]);
      conversation.options.protocol = 'openai-chat';
      await doneOf(conversation, conversation.retry(), ends, clock, 1);
      expect(JSON.parse(fetch.requests[0]!.init.body as string).messages).to.deep.equal([question]);
    });
  }

  it('the estimated rate counts reasoning and a refusal as it counts text: characters the model wrote', async () => {
    const body = new TestBody(chunkEvent({ content: 'x'.repeat(40) }));
    const { conversation, clock, ends } = conversationWith({ body });
    const sent = conversation.send('Q');
    await nextTask();
    clock.advance(500);
    body.write(chunkEvent({ reasoning_content: 'r'.repeat(20) }) + chunkEvent({ refusal: 'n'.repeat(20) }, { finishReason: 'stop' }) + DONE);
    body.end();
    const { stats } = await doneOf(conversation, sent, ends, clock);
    // The 40 characters after the first part, none of them the answer's, are about 10 tokens in half a second.
    expect(stats).to.deep.include({ tokensPerSecond: 20, estimated: true });
  });

  describe('retries before anything of the answer arrived', () => {
    it('an HTTP 503, then a connection cut after the role chunk: each retried after the backoff on its clock, then one done', async () => {
      // A role-only chunk has not started the answer: DESIGN.md, `retries`.
      const cut = new TestBody(chunkEvent({ role: 'assistant', content: '' }));
      const { conversation, fetch, clock, ends } = conversationWith(fakeHttpError(503, 'busy'), { body: cut }, { body: answer('ok') });
      const log = record(conversation);
      const sent = conversation.send('Hi');
      await waitUntil(() => clock.pending.length > 0, 'the wait before the first retry');
      // 100 ms, doubled per retry, times 0.75 for a random 0.5.
      expect(clock.pending).to.deep.equal([75]);
      clock.tick();
      await waitUntil(() => log.includes('chunk:'), 'the role chunk of the second attempt');
      cut.fail(new TypeError('network error'));
      await waitUntil(() => clock.pending.length > 0, 'the wait before the second retry');
      expect(clock.pending).to.deep.equal([150]);
      clock.tick();
      const detail = await doneOf(conversation, sent, ends, clock);
      expect(detail.content).to.equal('ok');
      expect(fetch.requests).to.have.length(3);
      expect(clock.delays.slice(0, 2)).to.deep.equal([75, 150]);
      expect(conversation.failure).to.equal(undefined);
    });

    it('a 200 JSON error object whose code says the provider failed or was busy (a server that ignored stream: true) is retried, as that error is as a stream’s first event', async () => {
      // (As in the Responses and Anthropic protocols; chat-completions' error has its code since 6c4804e.)
      const busy = { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }) };
      const { conversation, fetch, clock, ends } = conversationWith(busy, { body: answer('ok') });
      const sent = conversation.send('Hi');
      await waitUntil(() => clock.pending.length > 0, 'the wait before the retry');
      clock.tick();
      const detail = await doneOf(conversation, sent, ends, clock);
      expect([detail.content, fetch.requests.length]).to.deep.equal(['ok', 2]);
    });

    it('a connection cut inside the first event, before any event was complete, is retried like one before the headers', async () => {
      const cut = new TestBody(chunkEvent({ role: 'assistant', content: 'Hel' }).slice(0, 20));
      const { conversation, fetch, clock, ends } = conversationWith({ body: cut }, { body: answer('Hello again') });
      const sent = conversation.send('Hi');
      await nextTask();
      cut.fail(new TypeError('network error'));
      await clock.runUntilSettled(sent);
      expect((await doneOf(conversation, sent, ends, clock)).content).to.equal('Hello again');
      expect(fetch.requests).to.have.length(2);
      expect(clock.delays[0]).to.equal(75);
    });

    it('a 429 and a 502, then the answer: one done with it, no failure left, and every attempt sent the same request body', async () => {
      const { conversation, fetch, clock, ends } = conversationWith(
        fakeHttpError(429, 'Rate limit reached'),
        fakeHttpError(502, 'upstream'),
        { body: answer('Third ', 'time lucky') },
      );
      const sent = conversation.send('Hi');
      await clock.runUntilSettled(sent);
      const detail = await doneOf(conversation, sent, ends, clock);
      expect(detail).to.deep.include({ content: 'Third time lucky', aborted: false, finishReason: 'stop' });
      expect(conversation.failure).to.equal(undefined);
      expect(clock.delays.slice(0, 2)).to.deep.equal([75, 150]);
      const bodies = fetch.requests.map(({ init }) => init.body);
      expect(bodies).to.have.length(3);
      expect(bodies.every((body) => body === bodies[0])).to.equal(true);
    });

    it('retries: 1 makes two requests, then one error: the second one’s', async () => {
      const { conversation, fetch, clock, ends } = conversationFor(fakeFetch(fakeHttpError(503, 'busy'), fakeHttpError(503, 'still busy')), { retries: 1 });
      const sent = conversation.send('Hi');
      await clock.runUntilSettled(sent).catch(() => {});
      const { error, content } = await errorOf(conversation, sent, ends, clock);
      expect(error).to.include({ kind: 'http', status: 503 });
      expect(error.message).to.include('still busy');
      expect(content).to.equal('');
      expect(fetch.requests).to.have.length(2);
      expect(clock.delays).to.deep.equal([75]);
    });

    it('a network failure on every attempt: one network error after retries + 1 requests', async () => {
      const { conversation, fetch, clock, ends } = conversationWith({ error: new TypeError('Failed to fetch') });
      const sent = conversation.send('Hi');
      await clock.runUntilSettled(sent).catch(() => {});
      const { error } = await errorOf(conversation, sent, ends, clock);
      expect(error.kind).to.equal('network');
      expect(error.message).to.include(endpoint);
      expect(fetch.requests).to.have.length(3);
      expect(clock.delays).to.deep.equal([75, 150]);
    });

    it('Retry-After in seconds is waited exactly, instead of the backoff: no request before it, the retry at it', async () => {
      const { conversation, fetch, clock, ends } = conversationWith(fakeHttpError(503, 'busy', { 'retry-after': '1' }), { body: answer('after a second') });
      const sent = conversation.send('Hi');
      await waitUntil(() => clock.pending.length > 0, 'the wait before the retry');
      expect(clock.pending).to.deep.equal([1000]);
      clock.advance(999);
      await nextTask();
      expect(fetch.requests, 'requests before the second is up').to.have.length(1);
      clock.advance(1);
      await nextTask();
      expect(fetch.requests, 'requests when the second is up').to.have.length(2);
      expect((await doneOf(conversation, sent, ends, clock)).content).to.equal('after a second');
    });

    it('Retry-After as an HTTP date is waited until that date', async () => {
      // An HTTP date counts from the wall clock: it stands still here, on a whole second.
      const now = Date.parse('Tue, 14 Nov 2023 22:13:20 GMT');
      const realNow = Date.now;
      Date.now = () => now;
      try {
        const date = new Date(now + 3000).toUTCString();
        const { conversation, fetch, clock, ends } = conversationWith(fakeHttpError(429, 'slow down', { 'retry-after': date }), { body: answer('on the date') });
        const sent = conversation.send('Hi');
        await clock.runUntilSettled(sent);
        expect((await doneOf(conversation, sent, ends, clock)).content).to.equal('on the date');
        expect(clock.delays[0]).to.equal(3000);
        expect(fetch.requests).to.have.length(2);
      } finally {
        Date.now = realNow;
      }
    });

    it('a Retry-After over a minute is not waited for: one error that carries it, after one request', async () => {
      const { conversation, fetch, clock, ends } = conversationWith(fakeHttpError(429, 'quota exceeded', { 'retry-after': '3600' }), { body: answer('no') });
      const { error } = await errorOf(conversation, conversation.send('Hi'), ends, clock);
      expect(error).to.deep.include({ kind: 'http', status: 429, retryAfter: 3600 });
      expect(error.message).to.include('quota exceeded');
      expect(fetch.requests).to.have.length(1);
      expect(clock.delays).to.deep.equal([]);
    });
  });

  it('a retry starts the answer afresh: what the failed attempt left (a thinking block, before any text) is not kept twice', async () => {
    const ev = (e: { type: string; [k: string]: unknown }) => sse(e, { event: e.type });
    const start = ev({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 1, output_tokens: 1 } } });
    const thought = ev({ type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'XYZ' } }) + ev({ type: 'content_block_stop', index: 0 });
    const text =
      ev({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }) +
      ev({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'ok' } }) +
      ev({ type: 'content_block_stop', index: 1 });
    const end = ev({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }) + ev({ type: 'message_stop' });
    const cut = new TestBody();
    const fetch = fakeFetch({ body: cut }, { body: start + thought + text + end });
    const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic' });
    const sent = conversation.send('Q');
    while (fetch.requests.length === 0) await nextTask();
    cut.write(start + thought);
    await nextTask();
    // Nothing of the answer arrived yet: the request is made again.
    cut.fail(new TypeError('connection reset'));
    await runOut(clock);
    const detail = await doneOf(conversation, sent, ends, clock);
    expect(fetch.requests).to.have.length(2);
    expect(detail.content).to.equal('ok');
    expect(detail.message.thinking_blocks).to.deep.equal([{ type: 'redacted_thinking', data: 'XYZ' }]);
  });

  describe("Anthropic's stop reasons that shape the next request: a turn its server tools ran long paused (pause_turn) goes on, one refused is left out", () => {
    const ev = (e: { type: string; [k: string]: unknown }) => sse(e, { event: e.type });
    const start = ev({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 1, output_tokens: 1 } } });
    const block = (index: number, content_block: object) => ev({ type: 'content_block_start', index, content_block }) + ev({ type: 'content_block_stop', index });
    const text = (index: number, words: string) =>
      ev({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }) +
      ev({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: words } }) +
      ev({ type: 'content_block_stop', index });
    const end = (stop_reason: string) => ev({ type: 'message_delta', delta: { stop_reason }, usage: { output_tokens: 5 } }) + ev({ type: 'message_stop' });
    const search = (id: string) => ({ type: 'server_tool_use', id, name: 'web_search', input: { query: 'Ørsted' } });
    const found = (id: string) => ({ type: 'web_search_tool_result', tool_use_id: id, content: [] });
    const pause = (id: string) => start + text(0, 'Searching. ') + block(1, search(id)) + end('pause_turn');
    /** A second pause: the first one's search answered, then another search. */
    const pauseAgain = start + block(0, found('s1')) + text(1, 'More. ') + block(2, search('s2')) + end('pause_turn');
    const finish = start + block(0, found('s2')) + text(1, 'Found it.') + end('end_turn');
    const sentMessages = (fetch: ReturnType<typeof fakeFetch>, at: number) => (JSON.parse(fetch.requests[at]!.init.body as string) as { messages: unknown[] }).messages;

    it('the paused answer is a step, sent last in the next request as its blocks; one done ends the turn, with both steps', async () => {
      const fetch = fakeFetch({ body: pause('s1') }, { body: finish });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic' });
      const statuses: string[] = [];
      conversation.addEventListener('change', () => statuses.push(conversation.status));
      const detail = await doneOf(conversation, conversation.send('Who is Ørsted?'), ends, clock);
      expect(statuses, 'never running tools').to.not.include(Status.runningTools);
      expect(fetch.requests).to.have.length(2);
      expect(sentMessages(fetch, 1)).to.deep.equal([
        { role: 'user', content: [{ type: 'text', text: 'Who is Ørsted?' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Searching. ' }, search('s1')] },
      ]);
      const [paused, answer] = conversation.messages.slice(1);
      expect([paused!.content, answer!.content]).to.deep.equal(['Searching. ', 'Found it.']);
      expect(detail.steps.map((step) => [step.message, step.finishReason])).to.deep.equal([
        [paused, 'pause_turn'],
        [answer, 'stop'],
      ]);
      expect([detail.message, detail.finishReason, ends.length]).to.deep.equal([answer, 'stop', 1]);
    });

    it('a paused answer of text alone goes on too, sent back as it came (Anthropic: send the assistant content back to continue)', async () => {
      const fetch = fakeFetch({ body: start + text(0, 'Let me think. ') + end('pause_turn') }, { body: start + text(0, 'It is Ørsted.') + end('end_turn') });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic' });
      const detail = await doneOf(conversation, conversation.send('Who is Ørsted?'), ends, clock);
      // Before, the turn ended on the paused answer, marked as stopped at the step limit at step 1.
      expect([fetch.requests.length, detail.steps.map((step) => step.finishReason), detail.content]).to.deep.equal([2, ['pause_turn', 'stop'], 'Let me think. It is Ørsted.']);
      expect(sentMessages(fetch, 1).at(-1)).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'Let me think.' }] });
    });

    it("a paused answer's done and chunk content are the whole answer's text, as one response's would be; a tool loop's next step starts again", async () => {
      const fetch = fakeFetch({ body: pause('s1') }, { body: finish });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic' });
      const contents: string[] = [];
      conversation.addEventListener('chunk', (e) => contents.push((e as CustomEvent<ChunkDetail>).detail.content));
      const detail = await doneOf(conversation, conversation.send('Who is Ørsted?'), ends, clock);
      // Before, only the last response's: 'Found it.', and its chunks started again from ''.
      expect([detail.content, [...new Set(contents)]]).to.deep.equal(['Searching. Found it.', ['', 'Searching. ', 'Searching. Found it.']]);
      const called = start + text(0, 'Reading. ') + ev({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'read', input: {} } }) + ev({ type: 'content_block_stop', index: 1 }) + end('tool_use');
      const looped = fakeFetch({ body: pause('s1') }, { body: called }, { body: finish });
      const tools = [{ name: 'read', execute: () => 'text' }];
      const loop = conversationFor(looped, { protocol: 'anthropic', tools });
      expect((await doneOf(loop.conversation, loop.conversation.send('Q'), loop.ends, loop.clock)).content).to.equal('Found it.');
    });

    it('at most maxSteps responses: the last one that paused ends the turn with finishReason "pause_turn", and retry() goes on with it', async () => {
      const fetch = fakeFetch({ body: pause('s1') }, { body: pauseAgain }, { body: finish });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic', maxSteps: 2 });
      const detail = await doneOf(conversation, conversation.send('Who is Ørsted?'), ends, clock);
      expect([fetch.requests.length, detail.steps.length, detail.finishReason]).to.deep.equal([2, 2, 'pause_turn']);
      const retried = await doneOf(conversation, conversation.retry(), ends, clock, 1);
      expect(retried.content).to.equal('Searching. More. Found it.');
      // Both paused answers, merged into the one turn they are, the last search unanswered for the API to run.
      expect(sentMessages(fetch, 2)).to.deep.equal([
        { role: 'user', content: [{ type: 'text', text: 'Who is Ørsted?' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Searching. ' }, search('s1'), found('s1'), { type: 'text', text: 'More. ' }, search('s2')] },
      ]);
    });

    it("retry() of a turn max-steps cut at a pause goes on with it as one answer: its done and chunk content start with the paused text", async () => {
      const fetch = fakeFetch({ body: pause('s1') }, { body: pauseAgain }, { body: finish });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic', maxSteps: 2 });
      await doneOf(conversation, conversation.send('Who is Ørsted?'), ends, clock);
      const contents: string[] = [];
      conversation.addEventListener('chunk', (e) => contents.push((e as CustomEvent<ChunkDetail>).detail.content));
      const retried = await doneOf(conversation, conversation.retry(), ends, clock, 1);
      expect([retried.content, contents.at(-1)]).to.deep.equal(['Searching. More. Found it.', 'Searching. More. Found it.']);
    });

    it('the container its code ran in goes with the request that goes on, and with the next question, as Anthropic wants: its files are there', async () => {
      const ran = (id: string, stop_reason: string) =>
        start + text(0, 'Ran. ') + ev({ type: 'message_delta', delta: { stop_reason, container: { id, expires_at: '2999-01-01T00:00:00Z' } }, usage: { output_tokens: 5 } }) + ev({ type: 'message_stop' });
      const fetch = fakeFetch({ body: ran('container_1', 'pause_turn') }, { body: ran('container_1', 'end_turn') }, { body: ran('container_2', 'end_turn') }, { body: ran('container_2', 'end_turn') });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic' });
      await doneOf(conversation, conversation.send('Write a.txt'), ends, clock);
      await doneOf(conversation, conversation.send('Read a.txt'), ends, clock, 1);
      conversation.options.body = { container: 'container_mine' };
      await doneOf(conversation, conversation.send('Again'), ends, clock, 2);
      const containers = fetch.requests.map((request) => (JSON.parse(request.init.body as string) as { container?: string }).container);
      // Before, none: each request's code ran in a fresh container, and the files written before were gone.
      expect(containers).to.deep.equal([undefined, 'container_1', 'container_1', 'container_mine']);
      expect(conversation.messages[1]!.container).to.deep.equal({ id: 'container_1', expires_at: '2999-01-01T00:00:00Z' });
    });

    it('stopped before the next response brought anything: the turn ends on the paused answer, marked stopped', async () => {
      const next = new TestBody();
      const fetch = fakeFetch({ body: pause('s1') }, { body: next });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic' });
      const sent = conversation.send('Who is Ørsted?');
      while (fetch.requests.length < 2) await nextTask();
      conversation.stop();
      const detail = await doneOf(conversation, sent, ends, clock);
      expect([detail.aborted, detail.content, detail.finishReason]).to.deep.equal([true, 'Searching. ', 'pause_turn']);
      expect(conversation.wasStopped(conversation.messages.at(-1)!)).to.equal(true);
      expect(conversation.messages).to.have.length(2);
    });

    it("a paused answer with the page's calls, and no tools: the turn ends on them, the host's to answer; no request goes on without their results", async () => {
      const call =
        ev({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} } }) +
        ev({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } }) +
        ev({ type: 'content_block_stop', index: 1 });
      const paused = start + text(0, 'Searching. ') + call + block(2, search('s1')) + end('pause_turn');
      const fetch = fakeFetch({ body: paused }, { body: finish });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic' });
      const detail = await doneOf(conversation, conversation.send('Who is Ørsted?'), ends, clock);
      // Before, the next request went out at once with the call and no result, which Anthropic refuses.
      expect([fetch.requests.length, detail.finishReason, detail.message.tool_calls?.map((each) => each.id)]).to.deep.equal([1, 'pause_turn', ['toolu_1']]);
      // The host answers the call and goes on: its result follows it, and the search is the API's to run.
      conversation.messages = [...conversation.messages, { role: 'tool', tool_call_id: 'toolu_1', content: '42' }];
      expect((await doneOf(conversation, conversation.retry(), ends, clock, 1)).content).to.equal('Found it.');
      const sent = sentMessages(fetch, 1) as Array<{ role: string; content: Array<{ type: string; id?: string; tool_use_id?: string }> }>;
      expect(sent.map(({ role, content }) => [role, content.map((each) => [each.type, each.id ?? each.tool_use_id])])).to.deep.equal([
        ['user', [['text', undefined]]],
        ['assistant', [['text', undefined], ['tool_use', 'toolu_1'], ['server_tool_use', 's1']]],
        ['user', [['tool_result', 'toolu_1']]],
      ]);
    });

    it('a turn Claude refused stays in messages, its explanation the refusal, and is left out of the next request (as Anthropic asks)', async () => {
      const stop_details = { type: 'refusal', category: 'cyber', explanation: 'This request was declined.' };
      const refused = start + text(0, 'Sure') + ev({ type: 'message_delta', delta: { stop_reason: 'refusal', stop_details }, usage: { output_tokens: 1 } }) + ev({ type: 'message_stop' });
      const fetch = fakeFetch({ body: refused }, { body: start + text(0, 'Fine.') + end('end_turn') });
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic' });
      const detail = await doneOf(conversation, conversation.send('Something refused'), ends, clock);
      expect([detail.finishReason, detail.content, detail.message.refusal]).to.deep.equal(['content_filter', 'Sure', 'This request was declined.']);
      await doneOf(conversation, conversation.send('Something else'), ends, clock, 1);
      expect(sentMessages(fetch, 1)).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'Something else' }] }]);
      expect(conversation.messages.map((message) => message.content)).to.deep.equal(['Something refused', 'Sure', 'Something else', 'Fine.']);
    });

    it('a refused answer that called a tool ends the turn: no tool runs, no request goes on without its question; retry() asks the question again', async () => {
      const stop_details = { type: 'refusal', category: 'cyber' };
      const call =
        ev({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'clock', input: {} } }) +
        ev({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{}' } }) +
        ev({ type: 'content_block_stop', index: 1 });
      const refused = start + text(0, 'Checking') + call + ev({ type: 'message_delta', delta: { stop_reason: 'refusal', stop_details }, usage: { output_tokens: 1 } }) + ev({ type: 'message_stop' });
      const fetch = fakeFetch({ body: start + text(0, 'Hi!') + end('end_turn') }, { body: refused }, { body: start + text(0, 'Fine.') + end('end_turn') });
      let ran = 0;
      const { conversation, clock, ends } = conversationFor(fetch, { protocol: 'anthropic', tools: [{ name: 'clock', execute: () => String(++ran) }] });
      await doneOf(conversation, conversation.send('Hello'), ends, clock);
      const detail = await doneOf(conversation, conversation.send('Something refused'), ends, clock, 1);
      // Before, the tool ran and the next request, without the refused turn, ended on "Hi!": Claude went on with it.
      expect([ran, fetch.requests.length, detail.finishReason, detail.steps.length]).to.deep.equal([0, 2, 'content_filter', 1]);
      await doneOf(conversation, conversation.retry(), ends, clock, 2);
      expect(sentMessages(fetch, 2).at(-1)).to.deep.equal({ role: 'user', content: [{ type: 'text', text: 'Something refused' }] });
    });

    it('an answer that cannot go back as it came (chat-completions) passes a "pause_turn" through: no further request, and retry() does not go on with it', async () => {
      const { conversation, fetch, clock, ends } = conversationWith({ body: chunkEvent({ content: 'Hm.' }, { finishReason: 'pause_turn' }) + DONE }, { body: chunkEvent({ content: 'Sure.' }) + DONE });
      const detail = await doneOf(conversation, conversation.send('Q'), ends, clock);
      expect([fetch.requests.length, detail.finishReason]).to.deep.equal([1, 'pause_turn']);
      const contents: string[] = [];
      conversation.addEventListener('chunk', (e) => contents.push((e as CustomEvent<ChunkDetail>).detail.content));
      // Before, 'Hm.Sure.': the answer nothing went on with was read as one the next response goes on with.
      const retried = await doneOf(conversation, conversation.retry(), ends, clock, 1);
      expect([retried.content, contents.at(-1)]).to.deep.equal(['Sure.', 'Sure.']);
    });
  });

  describe('failures after the answer started, and answers that are not a stream: one error, no retry', () => {
    it('the connection cut between events: one network error, the partial answer kept; retry() asks again without it', async () => {
      const broken = new TestBody(chunkEvent({ role: 'assistant', content: '' }), chunkEvent({ content: 'First. ' }), chunkEvent({ content: 'Second.' }));
      const { conversation, fetch, clock, ends } = conversationWith({ body: broken }, { body: answer('Whole') });
      const log = record(conversation);
      const sent = conversation.send('Hi');
      await waitUntil(() => log.includes('chunk:Second.'));
      broken.fail(new TypeError('network error'));
      const { error, content } = await errorOf(conversation, sent, ends, clock);
      expect(error.kind).to.equal('network');
      expect(content).to.equal('First. Second.');
      expect(conversation.failure?.partial).to.equal(conversation.messages.at(-1));
      expect(conversation.messages.map((m) => m.content)).to.deep.equal(['Hi', 'First. Second.']);
      expect(fetch.requests, 'not retried').to.have.length(1);

      const retried = await doneOf(conversation, conversation.retry(), ends, clock, 1);
      expect(retried.content).to.equal('Whole');
      expect(conversation.failure).to.equal(undefined);
      expect(conversation.messages.map((m) => m.content)).to.deep.equal(['Hi', 'Whole']);
      expect(askedFor(fetch)).to.deep.equal([['Hi'], ['Hi']]);
      expect(log.filter((entry) => /^(done|error)/.test(entry))).to.deep.equal(['error:network', 'done:Whole']);
    });

    it('a body that ends without [DONE] or a finish_reason: one network error, the content kept', async () => {
      const { conversation, fetch, clock, ends } = conversationWith({ body: chunkEvent({ role: 'assistant', content: '' }) + chunkEvent({ content: 'Cut sh' }) });
      const { error, content } = await errorOf(conversation, conversation.send('Hi'), ends, clock);
      expect(error.kind).to.equal('network');
      expect(content).to.equal('Cut sh');
      expect(fetch.requests).to.have.length(1);
    });

    it('a data line that is not JSON: one protocol error quoting it, the content before it kept', async () => {
      const { conversation, fetch, clock, ends } = conversationWith({
        body: chunkEvent({ content: 'Fine so far. ' }) + 'data: {"choices": [oops\n\n' + answer('ignored'),
      });
      const { error, content } = await errorOf(conversation, conversation.send('Hi'), ends, clock);
      expect(error.kind).to.equal('protocol');
      expect(error.message).to.include('{\\"choices\\": [oops');
      expect(content).to.equal('Fine so far. ');
      expect(fetch.requests).to.have.length(1);
    });

    it('a first data line that is not JSON: one protocol error, no answer added', async () => {
      const { conversation, fetch, clock, ends } = conversationWith({ body: 'data: <html>\n\n' });
      const { error, content } = await errorOf(conversation, conversation.send('Hi'), ends, clock);
      expect(error.kind).to.equal('protocol');
      expect(content).to.equal('');
      expect(fetch.requests).to.have.length(1);
    });

    it('a 200 JSON error object (a server that ignored stream: true): one provider error with its message', async () => {
      const { conversation, fetch, clock, ends } = conversationWith({
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: { message: 'This model does not support streaming', type: 'invalid_request_error' } }),
      });
      const { error, content } = await errorOf(conversation, conversation.send('Hi'), ends, clock);
      expect(error.kind).to.equal('provider');
      expect(error.message).to.include('This model does not support streaming');
      expect(content).to.equal('');
      expect(fetch.requests).to.have.length(1);
    });

    const streamErrors: Array<[string, string, string, string | undefined]> = [
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
    for (const [name, event, message, code] of streamErrors) {
      it(`${name} inside the stream: one provider error with its message, the content before it kept, nothing after it`, async () => {
        const { conversation, fetch, clock, ends } = conversationWith({
          body: chunkEvent({ role: 'assistant', content: '' }) + chunkEvent({ content: 'Started. ' }) + event + chunkEvent({ content: 'AFTER THE ERROR' }) + DONE,
        });
        const log = record(conversation);
        const { error, content } = await errorOf(conversation, conversation.send('Hi'), ends, clock);
        expect(error.kind).to.equal('provider');
        expect(error.message).to.equal(message);
        if (code) expect(error.code).to.equal(code);
        expect(content).to.equal('Started. ');
        const deltas = log.filter((entry) => entry.startsWith('chunk:')).map((entry) => entry.slice('chunk:'.length));
        expect(deltas, 'one chunk event per chunk, none for the error').to.deep.equal(['', 'Started. ']);
        expect(fetch.requests).to.have.length(1);
      });
    }

    it('an error as the first event: one provider error, no answer added', async () => {
      const { conversation, fetch, clock, ends } = conversationWith({ body: sse({ error: { message: 'Content filtered', code: 'content_filter' } }) });
      const { error, content } = await errorOf(conversation, conversation.send('Hi'), ends, clock);
      expect(error).to.deep.include({ kind: 'provider', message: 'Content filtered', code: 'content_filter' });
      expect(content).to.equal('');
      expect(fetch.requests).to.have.length(1);
    });

    it('a fetch that throws synchronously: one network error with its message', async () => {
      const fetch = () => {
        throw new TypeError('proxy not configured');
      };
      const { conversation, clock, ends } = conversationFor(fetch as typeof globalThis.fetch, { retries: 0 });
      const { error } = await errorOf(conversation, conversation.send('Hi'), ends, clock);
      expect(error.kind).to.equal('network');
      expect(error.message).to.include('proxy not configured');
    });
  });

  describe('stalls', () => {
    it('no bytes for the timeout mid-stream: one timeout error at exactly the timeout, the content kept, the request aborted, not retried', async () => {
      const body = new TestBody(chunkEvent({ content: 'Before the stall' }));
      const { conversation, fetch, clock, ends } = conversationFor(fakeFetch({ body }), { timeout: 400 });
      const sent = conversation.send('Hi');
      await waitUntil(() => conversation.draft?.arrived === true);
      clock.advance(399);
      expect(conversation.status).to.equal(Status.streaming);
      clock.advance(1);
      const { error, content } = await errorOf(conversation, sent, ends, clock);
      expect(error.kind).to.equal('timeout');
      expect(error.message).to.include('0.4 s');
      expect(content).to.equal('Before the stall');
      expect(fetch.requests.map(({ init }) => init.signal!.aborted)).to.deep.equal([true]);
    });

    it('no response headers for the timeout: one timeout error, the request aborted, not retried', async () => {
      const { conversation, fetch, clock, ends } = conversationFor(unansweredFetch(), { timeout: 400 });
      const sent = conversation.send('Hi');
      expect(clock.pending).to.deep.equal([400]);
      clock.advance(399);
      expect(fetch.signals.map((signal) => signal.aborted)).to.deep.equal([false]);
      clock.advance(1);
      const { error, content } = await errorOf(conversation, sent, ends, clock);
      expect(error.kind).to.equal('timeout');
      expect(content).to.equal('');
      expect(fetch.signals.map((signal) => signal.aborted)).to.deep.equal([true]);
    });

    it('keep-alive comments more often than the timeout keep the response alive far longer than it; then it completes', async () => {
      const body = new TestBody(chunkEvent({ role: 'assistant', content: '' }), chunkEvent({ content: 'Thinking… ' }));
      const { conversation, clock, ends } = conversationFor(fakeFetch({ body }), { timeout: 400 });
      const sent = conversation.send('Hi');
      await waitUntil(() => conversation.draft?.message.content === 'Thinking… ');
      for (let i = 0; i < 5; i++) {
        clock.advance(300);
        body.write(': keep-alive\n\n');
        await nextTask();
      }
      expect(clock.now()).to.equal(1500);
      expect(conversation.status).to.equal(Status.streaming);
      // The stall timer came due four times, each 100 ms after the last keep-alive, and waited the rest.
      // (Without the stats' 0, the end of the reads that brought the first part.)
      expect(clock.delays.filter(Boolean)).to.deep.equal([400, 300, 300, 300, 300]);
      body.write(chunkEvent({ content: 'done thinking' }, { finishReason: 'stop' }));
      body.write(DONE);
      body.end();
      const detail = await doneOf(conversation, sent, ends, clock);
      expect(detail).to.deep.include({ content: 'Thinking… done thinking', aborted: false });
    });
  });

  describe('stop', () => {
    it('stop() keeps what arrived, marks the answer stopped, aborts the request, and done says aborted', async () => {
      const body = new TestBody(chunkEvent({ content: 'Partial' }));
      const { conversation, fetch, clock, ends } = conversationWith({ body });
      const log = record(conversation);
      const sent = conversation.send('Hi');
      await waitUntil(() => log.includes('chunk:Partial'));
      conversation.stop();
      expect(fetch.requests[0]!.init.signal!.aborted).to.equal(true);
      expect(conversation.status).to.equal(Status.idle);
      const detail = await doneOf(conversation, sent, ends, clock);
      expect(detail).to.include({ content: 'Partial', aborted: true });
      expect(conversation.wasStopped(detail.message)).to.equal(true);
      expect(log.filter((entry) => /^(done|error)/.test(entry))).to.deep.equal(['done:aborted']);
    });

    it("finishReasonOf: why each answer it streamed ended (null when stopped); nothing for a message it did not stream", async () => {
      const body = new TestBody(chunkEvent({ content: 'Partial' }));
      const fetch = fakeFetch({ body: chunkEvent({ content: 'Half' }, { finishReason: 'length' }) + DONE }, { body });
      const { conversation, clock, ends } = conversationFor(fetch);
      const cut = await doneOf(conversation, conversation.send('One'), ends, clock);
      expect(conversation.finishReasonOf(cut.message)).to.equal('length');
      const sent = conversation.send('Two');
      await waitUntil(() => conversation.draft?.arrived);
      conversation.stop();
      const stopped = await doneOf(conversation, sent, ends, clock, 1);
      expect(conversation.finishReasonOf(stopped.message)).to.equal(null);
      expect(conversation.finishReasonOf(conversation.messages[0]!)).to.equal(undefined);
      conversation.messages = conversation.messages.map((message) => ({ ...message }));
      expect(conversation.finishReasonOf(conversation.messages[1]!)).to.equal(undefined);
    });

    it('what a stopped response still delivers is dropped: no chunk, no second done, the answer not grown', async () => {
      // A body that goes on after the abort, as bytes already on their way do.
      const body = new TestBody(chunkEvent({ role: 'assistant', content: '' }), chunkEvent({ content: 'Partial answer' }));
      const fetch = async () => new Response(body.stream, { headers: { 'content-type': 'text/event-stream' } });
      const { conversation, clock, ends } = conversationFor(fetch);
      const log = record(conversation);
      const sent = conversation.send('Hi');
      await waitUntil(() => log.includes('chunk:Partial answer'));
      // The rest written, not read yet, when it stops: the abort cancels the body (the fetch does
      // not pass the signal on), and what it still held is never read.
      body.write(chunkEvent({ content: ' and the rest' }, { finishReason: 'stop' }));
      body.write(DONE);
      conversation.stop();
      const detail = await sent;
      const logAtStop = [...log];
      await waitUntil(() => body.cancelled, 'the stopped response done with its body');
      await runOut(clock);
      expect(log).to.deep.equal(logAtStop);
      expect(ends).to.deep.equal([{ type: 'done', detail }]);
      expect(detail).to.include({ content: 'Partial answer', aborted: true });
      expect(conversation.messages.map((m) => m.content)).to.deep.equal(['Hi', 'Partial answer']);
    });

    for (const [how, end] of [
      ['stop()', (conversation: Conversation) => conversation.stop()],
      ['send()', (conversation: Conversation) => void conversation.send('Next')],
      ['clear()', (conversation: Conversation) => conversation.clear()],
      ['setting messages', (conversation: Conversation) => (conversation.messages = [...conversation.messages])],
      ['regenerate()', (conversation: Conversation) => void conversation.regenerate()],
    ] as const) {
      it(`${how} after the answer's finish_reason, while its stream is still open (a usage chunk may follow): the answer is whole, done not aborted, not marked stopped`, async () => {
        const body = new TestBody(chunkEvent({ role: 'assistant', content: '' }), chunkEvent({ content: 'Whole answer.' }, { finishReason: 'stop' }));
        const { conversation, fetch, clock, ends } = conversationWith({ body }, { body: answer('Next') });
        const sent = conversation.send('Hi');
        await waitUntil(() => conversation.draft?.message.content === 'Whole answer.');
        end(conversation);
        expect(fetch.requests[0]!.init.signal!.aborted, 'the request aborted').to.equal(true);
        const detail = await sent;
        await runOut(clock);
        expect(ends[0]).to.deep.equal({ type: 'done', detail });
        expect(detail).to.deep.include({ content: 'Whole answer.', finishReason: 'stop', aborted: false });
        expect(conversation.wasStopped(detail.message)).to.equal(false);
        expect(conversation.finishReasonOf(detail.message)).to.equal('stop');
      });
    }

    // A page without `tools` answers the calls itself once its turn ends not aborted: a stop after
    // its calls came whole is still one, or the page ran the calls the user stopped.
    it('stop() after the finish_reason of an answer with calls and no tools (the page answers them): aborted, marked stopped, the calls given the stopped result', async () => {
      const call = { index: 0, id: 'call_1', type: 'function', function: { name: 'buy', arguments: '{}' } };
      const body = new TestBody(chunkEvent({ role: 'assistant', content: null, tool_calls: [call] }, { finishReason: 'tool_calls' }));
      const { conversation, clock } = conversationWith({ body });
      const sent = conversation.send('Buy it');
      await waitUntil(() => conversation.draft?.message.tool_calls?.length === 1);
      conversation.stop();
      const detail = await sent;
      await runOut(clock);
      expect(detail.aborted).to.equal(true);
      expect(conversation.wasStopped(detail.message)).to.equal(true);
      expect(conversation.toolState(detail.message.tool_calls![0]!)).to.equal('stopped');
    });

    it('stop before the response arrived: one done, aborted, with no content and no finish reason; no answer added; the request aborted', async () => {
      const { conversation, fetch, clock, ends } = conversationFor(unansweredFetch());
      const sent = conversation.send('Hi');
      conversation.stop();
      const detail = await doneOf(conversation, sent, ends, clock);
      expect(detail).to.deep.include({ aborted: true, content: '', finishReason: null });
      expect(conversation.messages).to.deep.equal([{ role: 'user', content: 'Hi' }]);
      expect(fetch.signals.map((signal) => signal.aborted)).to.deep.equal([true]);
    });

    it('stop during the wait before a retry: one done, aborted; the wait is cancelled and no request follows', async () => {
      const { conversation, fetch, clock, ends } = conversationWith(fakeHttpError(503, 'busy', { 'retry-after': '1' }), { body: answer('too late') });
      const sent = conversation.send('Hi');
      await waitUntil(() => clock.pending.length > 0, 'the wait before the retry');
      clock.advance(100);
      conversation.stop();
      expect(clock.pending, 'the wait is cancelled').to.deep.equal([]);
      const detail = await doneOf(conversation, sent, ends, clock);
      expect(detail).to.deep.include({ aborted: true, content: '' });
      clock.advance(60_000);
      await nextTask();
      expect(fetch.requests).to.have.length(1);
      expect(conversation.failure).to.equal(undefined);
    });

    it('send() while streaming stops the first (done aborted), then streams the second', async () => {
      const first = new TestBody(chunkEvent({ content: 'One' }));
      const { conversation, fetch, clock, ends } = conversationWith({ body: first }, { body: answer('Two') });
      const log = record(conversation);
      const one = conversation.send('first');
      await waitUntil(() => log.includes('chunk:One'));
      const two = conversation.send('second');
      expect(fetch.requests[0]!.init.signal!.aborted).to.equal(true);
      expect((await one).aborted).to.equal(true);
      expect((await doneOf(conversation, two, ends, clock, 1)).content).to.equal('Two');
      expect(conversation.messages.map((m) => m.content)).to.deep.equal(['first', 'One', 'second', 'Two']);
      expect(askedFor(fetch)).to.deep.equal([['first'], ['first', 'second']]);
      expect(log.filter((entry) => /^(done|error)/.test(entry))).to.deep.equal(['done:aborted', 'done:Two']);
    });

    it('send() during the wait before a retry: the first ends in one done (aborted), no retry is made, the second is answered', async () => {
      const { conversation, fetch, clock, ends } = conversationWith(fakeHttpError(503, 'busy', { 'retry-after': '1' }), { body: answer('Fresh answer') });
      const first = conversation.send('one');
      await waitUntil(() => clock.pending.length > 0, 'the wait before the retry');
      clock.advance(100);
      const second = conversation.send('two');
      const firstDetail = await first;
      const secondDetail = await doneOf(conversation, second, ends, clock, 1);
      expect(ends).to.deep.equal([
        { type: 'done', detail: firstDetail },
        { type: 'done', detail: secondDetail },
      ]);
      expect(firstDetail).to.deep.include({ aborted: true, content: '' });
      expect(secondDetail.content).to.equal('Fresh answer');
      // The one request after the first is the second send's: the retry never went out. (The two
      // questions in a row, the first unanswered, go as one.)
      expect(askedFor(fetch)).to.deep.equal([['one'], ['one\n\ntwo']]);
    });

    it('100 rapid send/stop cycles: one done per send, in order, aborted except the last; every request ends; nothing left streaming', async () => {
      const bodies = Array.from({ length: 100 }, () => new TestBody(chunkEvent({ role: 'assistant', content: '' }), chunkEvent({ content: 'Partial' })));
      const { conversation, fetch, clock, ends } = conversationFor(fakeFetch(...bodies.map((body) => ({ body }))));
      const sends: Promise<DoneDetail>[] = [];
      for (let i = 0; i < 100; i++) {
        sends.push(conversation.send(`message ${i}`));
        // Every tenth waits for its content, so some stops land mid-stream rather than before the response.
        if (i % 10 === 5) await waitUntil(() => conversation.draft?.message.content === 'Partial', `the content of send ${i}`);
        // Even cycles stop explicitly; odd ones are stopped by the next send().
        if (i % 2 === 0 && i < 99) conversation.stop();
      }
      const details = await Promise.all(sends.slice(0, 99));
      expect(ends, 'the stopped sends ended').to.have.length(99);
      const lastDone = doneOf(conversation, sends[99]!, ends, clock, 99);
      const last = bodies[99]!;
      last.write(chunkEvent({ content: ' and the rest' }, { finishReason: 'stop' }));
      last.write(DONE);
      last.end();
      details.push(await lastDone);
      expect(ends.map((end) => end.type)).to.deep.equal(Array<string>(100).fill('done'));
      expect(ends.map((end) => end.detail)).to.have.ordered.members(details);
      expect(details.map((detail) => detail.aborted)).to.deep.equal([...Array<boolean>(99).fill(true), false]);
      expect(details.map((detail) => detail.content)).to.deep.equal(
        details.map((_, i) => (i === 99 ? 'Partial and the rest' : i % 10 === 5 ? 'Partial' : '')),
      );
      expect(fetch.requests.map(({ init }) => init.signal!.aborted)).to.deep.equal([...Array<boolean>(99).fill(true), false]);
      expect(conversation.messages.filter((m) => m.role === 'user')).to.have.length(100);
    });
  });

  describe('listeners may call any method: every state change is complete before they run', () => {
    it('send() from a done listener: each send ends with exactly one done', async () => {
      const { conversation, clock, ends } = conversationWith({ body: answer('First') }, { body: answer('Second') });
      const next = new Promise<Promise<DoneDetail>>((resolve) => {
        conversation.addEventListener('done', () => resolve(conversation.send('follow-up')), { once: true });
      });
      const first = await conversation.send('first');
      const second = await (await next);
      await runOut(clock);
      expect(ends.map((end) => end.type)).to.deep.equal(['done', 'done']);
      expect(ends.map((end) => end.detail)).to.have.ordered.members([first, second]);
      expect([first.content, second.content]).to.deep.equal(['First', 'Second']);
      expect(conversation.messages.map((m) => m.content)).to.deep.equal(['first', 'First', 'follow-up', 'Second']);
    });

    it('send() from a done listener during send-while-streaming: every send settles once, the listener’s answer arrives', async () => {
      const first = new TestBody(chunkEvent({ content: 'One' }));
      const { conversation, fetch, clock, ends } = conversationWith({ body: first }, { body: answer('From the listener') });
      const one = conversation.send('first');
      await waitUntil(() => conversation.draft?.arrived === true);
      let fromListener: Promise<DoneDetail> | undefined;
      conversation.addEventListener('done', () => (fromListener ??= conversation.send('listener')), { once: true });
      const two = conversation.send('second');
      const oneDetail = await one;
      // The listener's send() stopped the second before its request went out.
      const twoDetail = await two;
      const listenerDetail = await doneOf(conversation, fromListener!, ends, clock, 2);
      expect(ends.map((end) => end.detail)).to.have.ordered.members([oneDetail, twoDetail, listenerDetail]);
      expect([oneDetail.aborted, twoDetail.aborted]).to.deep.equal([true, true]);
      expect(listenerDetail.content).to.equal('From the listener');
      // (The stopped second's question, unanswered, and the listener's go as one.)
      expect(askedFor(fetch)).to.deep.equal([['first'], ['first', 'second\n\nlistener']]);
    });

    for (const [how, end] of [
      ['stops', (conversation: Conversation) => conversation.stop()],
      ['sets messages', (conversation: Conversation) => (conversation.messages = [])],
    ] as const) {
      it(`a change listener that ${how} as a send replaces an answer: the replaced turn's done comes first`, async () => {
        const first = new TestBody(chunkEvent({ content: 'One' }));
        const { conversation, ends } = conversationWith({ body: first }, { body: answer('Two') });
        const one = conversation.send('first');
        await waitUntil(() => conversation.draft?.arrived === true);
        conversation.addEventListener('change', () => end(conversation), { once: true });
        const two = conversation.send('second');
        const details = [await one, await two];
        expect(ends.map((each) => each.detail)).to.have.ordered.members(details);
        expect(details.map((detail) => detail.aborted)).to.deep.equal([true, true]);
      });
    }

    it('a done listener that stops the turn that replaced its own: every listener hears the first turn end first', async () => {
      const first = new TestBody(chunkEvent({ content: 'One' }));
      const { conversation, ends } = conversationWith({ body: first }, { body: new TestBody(chunkEvent({ content: 'Two' })) });
      const heard: string[] = [];
      conversation.addEventListener('done', (event) => {
        heard.push(`first listener: ${(event as CustomEvent<DoneDetail>).detail.content}`);
        conversation.stop();
      });
      conversation.addEventListener('done', (event) => heard.push(`second listener: ${(event as CustomEvent<DoneDetail>).detail.content}`));
      const one = conversation.send('first');
      await waitUntil(() => conversation.draft?.arrived === true);
      const two = conversation.send('second');
      await Promise.all([one, two]);
      expect(heard).to.deep.equal(['first listener: One', 'second listener: One', 'first listener: ', 'second listener: ']);
      expect(ends).to.have.length(2);
    });

    it('stop() from a chunk listener: one done, aborted, the answer ends at that chunk', async () => {
      const { conversation, clock, ends } = conversationWith({ body: answer('one ', 'two ', 'three') });
      conversation.addEventListener('chunk', (event) => event.detail.delta === 'two ' && conversation.stop());
      const detail = await doneOf(conversation, conversation.send('Hi'), ends, clock);
      expect(detail).to.include({ content: 'one two ', aborted: true });
    });

    it('messages set to null or undefined (nothing stored yet) is an empty conversation; set to what is not an array of messages, a TypeError that changes nothing', () => {
      const conversation = new Conversation();
      const kept: ChatMessage[] = [{ role: 'user', content: 'Kept' }];
      conversation.messages = kept;
      const log = record(conversation);
      for (const junk of [{}, 'hi', [kept[0], null], [{ content: 'no role' }]]) {
        expect(() => (conversation.messages = junk as unknown as ChatMessage[]), JSON.stringify(junk)).to.throw(TypeError, /^messages must be an array of messages/);
      }
      expect(conversation.messages).to.equal(kept);
      expect(log, 'no change for what was refused').to.deep.equal([]);
      conversation.messages = null as unknown as ChatMessage[];
      expect(conversation.messages).to.deep.equal([]);
      conversation.messages = kept;
      conversation.messages = undefined as unknown as ChatMessage[];
      expect(conversation.messages).to.deep.equal([]);
    });

    it('messages set to messages of another shape (content a number or an object, a part that is null, tool_calls not a list of calls): a TypeError that names the message and changes nothing', () => {
      const conversation = new Conversation();
      const kept: ChatMessage[] = [{ role: 'user', content: 'Kept' }];
      conversation.messages = kept;
      const log = record(conversation);
      // Before, each was taken: the element's render threw ("Cannot read properties of null (reading
      // 'type')", "(message.tool_calls ?? []).map is not a function") and showed no conversation, and
      // every request failed to be built ("parts is not a function or its return value is not iterable").
      for (const junk of [
        { role: 'user', content: 42 },
        { role: 'user', content: { text: 'hi' } },
        { role: 'user', content: [null] },
        { role: 'assistant', content: 'x', tool_calls: {} },
        { role: 'assistant', content: null, tool_calls: [null] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'a' }] },
      ]) {
        expect(() => (conversation.messages = [kept[0]!, junk] as unknown as ChatMessage[]), JSON.stringify(junk)).to.throw(
          TypeError,
          'messages must be an array of messages ({ role, content }): messages[1] is not one.',
        );
      }
      expect(conversation.messages).to.equal(kept);
      expect(log).to.deep.equal([]);
      // What the protocols and the view take is still taken: no content, parts of other types, calls.
      const taken = [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'input_audio', input_audio: {} }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'a', content: '1' },
        { role: 'assistant' },
      ] as ChatMessage[];
      conversation.messages = taken;
      expect(conversation.messages).to.equal(taken);
    });

    it('setting messages from a change listener stops the answer, keeps the new messages, and no chunk follows', async () => {
      const body = new TestBody(chunkEvent({ content: 'Partial' }));
      const { conversation, clock } = conversationWith({ body });
      const log = record(conversation);
      const restored: ChatMessage[] = [{ role: 'user', content: 'Restored' }];
      const sent = conversation.send('Hi');
      await waitUntil(() => conversation.draft?.arrived === true);
      // The refusal reshapes the answer: its change comes before its chunk, and stops the answer.
      conversation.addEventListener('change', () => conversation.status === Status.streaming && (conversation.messages = restored), { once: true });
      const logged = log.length;
      body.write(chunkEvent({ refusal: 'No' }));
      const detail = await sent;
      await runOut(clock);
      expect(detail.aborted).to.equal(true);
      expect(log.slice(logged)).to.deep.equal(['change:streaming', 'change:idle', 'done:aborted']);
      expect(conversation.messages).to.equal(restored);
      expect(conversation.status).to.equal(Status.idle);
    });
  });
});
