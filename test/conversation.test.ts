import { expect, waitUntil } from '@open-wc/testing';
import { Conversation, Status } from '../src/core/conversation.js';
import { StreamChatError } from '../src/core/errors.js';
import type { ChatMessage, DoneDetail } from '../src/core/types.js';
import { FakeClock } from './helpers/clock.js';
import { rejectionOf } from './helpers/rejection.js';
import { DONE, chunkEvent } from './helpers/server.js';
import { TestBody, fakeFetch, type FakeResponse } from './helpers/streaming.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const endpoint = 'https://api.example.test/v1/chat/completions';

/** A whole answer: a role chunk, the pieces, a finish_reason, `[DONE]`. */
function answer(...pieces: string[]): string {
  return [chunkEvent({ role: 'assistant', content: '' }), ...pieces.map((content) => chunkEvent({ content })), chunkEvent({}, { finishReason: 'stop' }), DONE].join('');
}

/** Everything a conversation dispatched, in order, as `type` or `type:detail summary`. */
function record(conversation: Conversation): string[] {
  const log: string[] = [];
  conversation.addEventListener('change', () => log.push(`change:${conversation.status}`));
  conversation.addEventListener('chunk', (event) => log.push(`chunk:${event.detail.delta}`));
  conversation.addEventListener('done', (event) => log.push(`done:${event.detail.aborted ? 'aborted' : event.detail.content}`));
  conversation.addEventListener('error', (event) => log.push(`error:${event.detail.error.kind}`));
  return log;
}

function conversationWith(...responses: FakeResponse[]) {
  const fetch = fakeFetch(...responses);
  const clock = new FakeClock();
  // No stall timer: these tests move the clock for retries only.
  const conversation = new Conversation({ endpoint, fetch, clock, random: () => 0.5, retryDelay: 100, timeout: 0 });
  return { conversation, fetch, clock };
}

/** The user messages of each request, as the server would see them. */
function askedFor(fetch: ReturnType<typeof fakeFetch>): string[][] {
  return fetch.requests.map(({ init }) =>
    (JSON.parse(init.body as string) as { messages: ChatMessage[] }).messages.filter((m) => m.role === 'user').map((m) => m.content as string),
  );
}

describe('Conversation', () => {
  failOnUnhandledRejection();

  it('streams an answer: idle, streaming, idle; the messages, the events in order, and send() resolving with done', async () => {
    const { conversation } = conversationWith({ body: answer('Hel', 'lo') });
    const log = record(conversation);
    expect(conversation.status).to.equal(Status.idle);
    const sent = conversation.send('Hi');
    expect(conversation.status).to.equal(Status.streaming);
    expect(conversation.messages).to.deep.equal([{ role: 'user', content: 'Hi' }]);
    const detail = await sent;
    expect(conversation.status).to.equal(Status.idle);
    expect(conversation.messages).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ]);
    expect(detail).to.deep.equal({ content: 'Hello', message: conversation.messages[1], finishReason: 'stop', aborted: false });
    expect(detail.message).to.equal(conversation.messages[1]);
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

  it('stop() keeps what arrived, marks the answer stopped, aborts the request, and done says aborted', async () => {
    const body = new TestBody(chunkEvent({ content: 'Partial' }));
    const { conversation, fetch } = conversationWith({ body });
    const log = record(conversation);
    const sent = conversation.send('Hi');
    await waitUntil(() => log.includes('chunk:Partial'));
    conversation.stop();
    expect(fetch.requests[0]!.init.signal!.aborted).to.equal(true);
    expect(conversation.status).to.equal(Status.idle);
    const detail = await sent;
    expect(detail).to.include({ content: 'Partial', aborted: true });
    expect(conversation.messages.at(-1)).to.equal(detail.message);
    expect(conversation.wasStopped(detail.message)).to.equal(true);
    expect(log.filter((entry) => /^(done|error)/.test(entry))).to.deep.equal(['done:aborted']);
  });

  it('a request failing after the answer started: error once, the partial answer kept, retry() asks again without it', async () => {
    const broken = new TestBody(chunkEvent({ content: 'Half' }));
    const { conversation, fetch } = conversationWith({ body: broken }, { body: answer('Whole') });
    const log = record(conversation);
    const sent = conversation.send('Hi');
    await waitUntil(() => log.includes('chunk:Half'));
    broken.fail(new TypeError('network error'));
    const error = await rejectionOf(sent);
    expect(error).to.be.instanceOf(StreamChatError).and.include({ kind: 'network' });
    expect(conversation.failure?.error).to.equal(error);
    expect(conversation.failure?.partial).to.equal(conversation.messages.at(-1));
    expect(conversation.messages.map((m) => m.content)).to.deep.equal(['Hi', 'Half']);

    const retried = await conversation.retry();
    expect(retried.content).to.equal('Whole');
    expect(conversation.failure).to.equal(undefined);
    expect(conversation.messages.map((m) => m.content)).to.deep.equal(['Hi', 'Whole']);
    expect(askedFor(fetch)).to.deep.equal([['Hi'], ['Hi']]);
    expect(log.filter((entry) => /^(done|error)/.test(entry))).to.deep.equal(['error:network', 'done:Whole']);
  });

  it('retries before anything arrives, waiting the backoff on its clock; a role-only chunk has not started the answer', async () => {
    const { conversation, fetch, clock } = conversationWith(
      { status: 503, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"busy"}}' },
      { body: chunkEvent({ role: 'assistant', content: '' }) },
      { body: answer('ok') },
    );
    const detail = await clock.runUntilSettled(conversation.send('Hi'));
    expect(detail.content).to.equal('ok');
    expect(fetch.requests).to.have.length(3);
    // 100 ms, doubled per retry, times 0.75 for a random 0.5; then the grace after [DONE].
    expect(clock.delays).to.deep.equal([75, 150, 2000]);
  });

  it('a stall: no bytes for the timeout ends in a timeout error, on its clock', async () => {
    const body = new TestBody(chunkEvent({ content: 'Slow' }));
    const fetch = fakeFetch({ body });
    const clock = new FakeClock();
    const conversation = new Conversation({ endpoint, fetch, clock, timeout: 1000 });
    const sent = conversation.send('Hi');
    await waitUntil(() => conversation.draft?.arrived === true);
    clock.advance(999);
    expect(conversation.status).to.equal(Status.streaming);
    clock.advance(1);
    const error = await rejectionOf(sent);
    expect(error).to.include({ kind: 'timeout' });
    expect(conversation.messages.at(-1)?.content).to.equal('Slow');
  });

  it('send() while streaming stops the first (done aborted), then streams the second', async () => {
    const first = new TestBody(chunkEvent({ content: 'One' }));
    const { conversation, fetch } = conversationWith({ body: first }, { body: answer('Two') });
    const log = record(conversation);
    const one = conversation.send('first');
    await waitUntil(() => log.includes('chunk:One'));
    const two = conversation.send('second');
    expect((await one).aborted).to.equal(true);
    expect((await two).content).to.equal('Two');
    expect(conversation.messages.map((m) => m.content)).to.deep.equal(['first', 'One', 'second', 'Two']);
    expect(askedFor(fetch)).to.deep.equal([['first'], ['first', 'second']]);
    expect(log.filter((entry) => /^(done|error)/.test(entry))).to.deep.equal(['done:aborted', 'done:Two']);
  });

  describe('listeners may call any method: every state change is complete before they run', () => {
    it('send() from a done listener during send-while-streaming: every send settles once, the listener’s answer arrives', async () => {
      const first = new TestBody(chunkEvent({ content: 'One' }));
      const { conversation, fetch } = conversationWith({ body: first }, { body: answer('From the listener') });
      const one = conversation.send('first');
      await waitUntil(() => conversation.draft?.arrived === true);
      let fromListener: Promise<DoneDetail> | undefined;
      conversation.addEventListener('done', () => (fromListener ??= conversation.send('listener')), { once: true });
      const two = conversation.send('second');
      expect((await one).aborted).to.equal(true);
      // The listener's send() stopped the second before its request went out.
      expect((await two).aborted).to.equal(true);
      expect((await fromListener!).content).to.equal('From the listener');
      expect(askedFor(fetch)).to.deep.equal([['first'], ['first', 'second', 'listener']]);
      expect(conversation.messages.at(-1)?.content).to.equal('From the listener');
      expect(conversation.status).to.equal(Status.idle);
    });

    it('stop() from a chunk listener ends the answer at that chunk', async () => {
      const { conversation } = conversationWith({ body: answer('a', 'b', 'c') });
      conversation.addEventListener('chunk', (event) => event.detail.content === 'ab' && conversation.stop());
      const detail = await conversation.send('Hi');
      expect(detail).to.include({ content: 'ab', aborted: true });
      expect(conversation.messages.at(-1)?.content).to.equal('ab');
    });

    it('setting messages from a change listener stops the answer and keeps the new messages', async () => {
      const body = new TestBody(chunkEvent({ content: 'Partial' }));
      const { conversation } = conversationWith({ body });
      const restored: ChatMessage[] = [{ role: 'user', content: 'Restored' }];
      const sent = conversation.send('Hi');
      await waitUntil(() => conversation.draft?.arrived === true);
      conversation.addEventListener('change', () => conversation.status === Status.streaming && (conversation.messages = restored), { once: true });
      body.write(chunkEvent({ refusal: 'No' }));
      const detail = await sent;
      expect(detail.aborted).to.equal(true);
      expect(conversation.messages).to.equal(restored);
      expect(conversation.status).to.equal(Status.idle);
    });
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
});
