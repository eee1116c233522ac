/**
 * The headless conversation's test kit: a conversation over a fake fetch on a FakeClock, answers
 * to play, and the checks that every send ended in exactly one done or error. Used by
 * conversation.test.ts and tools.test.ts.
 */
import { expect } from '@open-wc/testing';
import { Conversation, Status, type ConversationOptions } from '../../src/core/conversation.js';
import { StreamChatError } from '../../src/core/errors.js';
import type { ChatMessage, DoneDetail, ErrorDetail } from '../../src/core/types.js';
import { FakeClock } from './clock.js';
import { DONE, chunkEvent } from './server.js';
import { fakeFetch, type FakeResponse } from './streaming.js';

export const endpoint = 'https://api.example.test/v1/chat/completions';

/** A whole answer: a role chunk, the pieces, a finish_reason, `[DONE]`. */
export function answer(...pieces: string[]): string {
  return [chunkEvent({ role: 'assistant', content: '' }), ...pieces.map((content) => chunkEvent({ content })), chunkEvent({}, { finishReason: 'stop' }), DONE].join('');
}

/** Everything a conversation dispatched, in order, as `type` or `type:detail summary`. */
export function record(conversation: Conversation): string[] {
  const log: string[] = [];
  conversation.addEventListener('change', () => log.push(`change:${conversation.status}`));
  conversation.addEventListener('chunk', (event) => log.push(`chunk:${event.detail.delta}`));
  conversation.addEventListener('done', (event) => log.push(`done:${event.detail.aborted ? 'aborted' : event.detail.content}`));
  conversation.addEventListener('error', (event) => log.push(`error:${event.detail.error.kind}`));
  return log;
}

export type End = { type: 'done'; detail: DoneDetail } | { type: 'error'; detail: ErrorDetail };

/** Every done and error a conversation dispatched, with its detail, in order. */
export function recordEnds(conversation: Conversation): End[] {
  const ends: End[] = [];
  conversation.addEventListener('done', (event) => ends.push({ type: 'done', detail: event.detail }));
  conversation.addEventListener('error', (event) => ends.push({ type: 'error', detail: event.detail }));
  return ends;
}

/**
 * A conversation over `fetch` on a FakeClock, with a jitter of 0.5 and a 100 ms first backoff (so
 * the waits before retries are 75, 150, … ms) and no stall timer unless `options` sets one.
 */
export function conversationFor<F extends typeof fetch>(fetch: F, options: ConversationOptions = {}) {
  const clock = new FakeClock();
  const conversation = new Conversation({ endpoint, fetch, clock, random: () => 0.5, retryDelay: 100, timeout: 0, ...options });
  return { conversation, fetch, clock, ends: recordEnds(conversation) };
}

export function conversationWith(...responses: FakeResponse[]) {
  return conversationFor(fakeFetch(...responses));
}

/** The user messages of each request, as the server would see them. */
export function askedFor(fetch: ReturnType<typeof fakeFetch>): string[][] {
  return fetch.requests.map(({ init }) =>
    (JSON.parse(init.body as string) as { messages: ChatMessage[] }).messages.filter((m) => m.role === 'user').map((m) => m.content as string),
  );
}

/**
 * Lets every job already queued run. The fake fetch's bodies live in memory, so what a write or an
 * abort sets off completes within one task: this is a turn of the event loop, not a wait for time.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs the clock out: lets queued work run, then runs the soonest timer, until no timer is left.
 * Whatever a forgotten retry, stall timer or stale response would still do happens here, at once.
 */
export async function runOut(clock: FakeClock): Promise<void> {
  for (let timers = 0; timers < 100; timers++) {
    await nextTask();
    if (clock.tick() === undefined) return;
  }
  throw new Error('timers keep being set after 100 of them ran: something is still running');
}

/**
 * Waits until `sent` settled, runs the clock out, and checks that exactly one done or error ended
 * it and nothing followed (`before` ends were recorded before it was sent); that `sent` settled
 * the same way with the same object; that the conversation is idle; and that what arrived is in
 * `messages` and the detail (and when nothing did, no answer was added). Returns that end.
 */
export async function endOf(conversation: Conversation, sent: Promise<DoneDetail>, ends: End[], clock: FakeClock, before = 0): Promise<End> {
  const result = await sent.then(
    (detail) => ({ resolved: detail }) as const,
    (error: unknown) => ({ rejected: error }) as const,
  );
  await runOut(clock);
  expect(ends.slice(before).map((end) => end.type), 'the events that ended the send').to.have.length(1);
  const end = ends[before]!;
  if (end.type === 'done') {
    expect(result, 'send() rejected although done fired').to.have.property('resolved').that.equals(end.detail);
  } else {
    expect(result, 'send() resolved although error fired').to.have.property('rejected').that.equals(end.detail.error);
    expect(end.detail.error).to.be.instanceOf(StreamChatError);
    expect(conversation.failure?.error).to.equal(end.detail.error);
  }
  expect(conversation.status).to.equal(Status.idle);
  const last = conversation.messages.at(-1);
  if (end.type === 'done' && end.detail.steps.at(-1)!.results.length > 0) {
    // The turn ended on tool results (max steps, or stopped while tools ran): they come last.
    expect(conversation.messages.slice(-end.detail.steps.at(-1)!.results.length)).to.deep.equal(end.detail.steps.at(-1)!.results);
  } else if (end.type === 'error' && conversation.failure?.partial?.tool_calls) {
    // What arrived is kept, with the results its cut calls were given after it.
    expect(conversation.messages).to.include(conversation.failure.partial);
  } else if (end.type === 'error' && !conversation.failure?.partial && end.detail.content !== '') {
    // A later step failed before it brought anything: the text is the step's before, whose results come last.
    expectWhole(conversation, end.detail.content, conversation.messages.findLast((message) => message.role === 'assistant'));
    expect(last?.role).to.equal('tool');
  } else if (end.detail.content !== '' || (end.type === 'done' && end.detail.message.tool_calls?.length)) {
    expect(last?.role).to.equal('assistant');
    expectWhole(conversation, end.detail.content, last);
    if (end.type === 'done') expect(end.detail.message).to.equal(last);
  } else {
    // Nothing arrived: no answer was added after the question (or after the results of the tools
    // that ran before a response that completed empty).
    expect(last?.role, 'an empty answer was added').to.be.oneOf(['user', 'tool']);
  }
  return end;
}

/**
 * The event's `content` is `message`'s text after that of the answers Claude paused (`pause_turn`,
 * no calls, its blocks kept) right before it in `messages`, which it went on with: one answer. Exactly: not a text
 * that merely ends with it (a paused text doubled, or one of an earlier answer, would pass that).
 */
function expectWhole(conversation: Conversation, content: string, message: ChatMessage | undefined): void {
  const { messages } = conversation;
  let text = (message?.content ?? '') as string;
  for (let at = messages.lastIndexOf(message!); --at >= 0; ) {
    const before = messages[at]!;
    if (before.role !== 'assistant' || conversation.finishReasonOf(before) !== 'pause_turn' || before.tool_calls?.length || !before.content_blocks) break;
    text = (before.content as string) + text;
  }
  expect(content).to.equal(text);
}

export async function errorOf(conversation: Conversation, sent: Promise<DoneDetail>, ends: End[], clock: FakeClock, before = 0): Promise<ErrorDetail> {
  const end = await endOf(conversation, sent, ends, clock, before);
  if (end.type !== 'error') expect.fail(`expected an error, got done with ${JSON.stringify(end.detail.content)}`);
  return end.detail;
}

export async function doneOf(conversation: Conversation, sent: Promise<DoneDetail>, ends: End[], clock: FakeClock, before = 0): Promise<DoneDetail> {
  const end = await endOf(conversation, sent, ends, clock, before);
  if (end.type !== 'done') expect.fail(`expected done, got error ${end.detail.error.kind}: ${end.detail.error.message}`);
  return end.detail;
}

