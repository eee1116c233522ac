/**
 * A seeded model-based fuzz of the headless Conversation: random sequences of the host's actions
 * (send a text or a picture, stop, regenerate, edit, retry, clear, set `messages`, answer a tool
 * call, change `tools` or `maxSteps`), some from inside a listener and some several in one task,
 * at random moments of scripted responses (chunks, tool calls, the end, a cut, a broken connection,
 * a stall, an HTTP error, a retry-after, a provider error, a JSON answer) in each protocol's wire
 * format, over a fake fetch and a FakeClock, so every sequence is deterministic. After each step
 * and at the end, the contract's invariants are checked: one `done` or `error` per call that asks
 * and none for a refused one, in the order the turns started, each the very detail its promise
 * settled with; the status agreeing with the turn in flight, and every change told; what streamed
 * kept; the messages and every request well formed; no unhandled rejection; the key in no event.
 *
 * A failing sequence is reported with its seed and its steps: set `ONLY` to that seed to replay it.
 */
import { expect } from '@open-wc/testing';
import { Conversation, Status } from '../src/core/conversation.js';
import { StreamChatError } from '../src/core/errors.js';
import type { ChatMessage, ChunkDetail, ContentPart, DoneDetail, ErrorDetail, Tool, ToolCallDetail } from '../src/core/types.js';
import { endpoint } from './helpers/conversation.js';
import { FakeClock } from './helpers/clock.js';
import { DONE, chunkEvent, sse } from './helpers/server.js';
import { TestBody } from './helpers/streaming.js';

/** Sequences run, from seed {@link FIRST}; {@link ONLY} replays one. */
const SEQUENCES = 300;
const FIRST = 1;
const ONLY: number | undefined = undefined;
/** Steps of each sequence before it is drained. */
const STEPS = 40;

const KEY = 'sk-fuzz-0123456789abcdefghij';
const TIMEOUT = 1000;

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** mulberry32: a small seeded generator, so a seed replays its sequence exactly. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  return { next, below, pick: <T>(items: readonly T[]): T => items[below(items.length)]! };
}

/**
 * A task later, as helpers/conversation.ts's `nextTask`, but without the 4 ms that nested
 * `setTimeout`s are clamped to (thousands of steps): what a fake body's write sets off completes within one.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    // Closed once used: WebKit slows down with every port left open.
    channel.port1.onmessage = () => (channel.port1.close(), resolve());
    channel.port2.postMessage(undefined);
  });
}

/** A failed invariant, with what the sequence did. */
class Broken extends Error {}

/** A response body the fuzz writes to, and what it has sent. */
interface Reply {
  body: TestBody;
  index: number;
  open: boolean;
  started: boolean;
  /** A tool call's arguments are half sent. */
  midCall: boolean;
  /** The index of the last tool call (Anthropic's: of the content block open), and whether that block is text. */
  block: number;
  inText: boolean;
}

/** A call of the host's: its name, the promise it returned, how that settled. */
interface Call {
  name: string;
  settled?: { resolved: DoneDetail } | { rejected: unknown };
  /** Events dispatched and `messages` before and after the call itself, to tell a refused call did nothing. */
  eventsBefore: number;
  eventsAfter: number;
  messagesBefore: ChatMessage[];
  messagesAfter: ChatMessage[];
  /** Checks the messages a call that asked left, true when they are what it asks. */
  asks?: () => unknown;
}

type End = { type: 'done'; detail: DoneDetail } | { type: 'error'; detail: ErrorDetail };

/** How the server of a protocol says each thing, and what of its requests a provider refuses. */
interface Wire {
  readonly name: 'openai-chat' | 'anthropic' | 'openai-responses';
  /** The history a request's body carries. */
  readonly history: 'messages' | 'input';
  text(reply: Reply, piece: string): string;
  /** A call starts, with half of its arguments. */
  callStart(reply: Reply, id: string, name: string): string;
  /** The rest of the arguments of the call started last. */
  callEnd(reply: Reply): string;
  finish(reply: Reply, reason: 'stop' | 'tool_calls'): string;
  providerError(message: string): string;
  /** Anthropic's pause of a turn its server tool ran long, after a call of the page's when `call` is its id. */
  pause?(reply: Reply, call?: string): string;
  readonly half: string;
  httpError(message: string): object;
  /** A whole answer as JSON (a server that ignored `stream: true`), with a call when `call` is its id. */
  completion(text: string, call?: string): object;
  /** Why a provider would refuse a request's messages, if it would. */
  malformed(messages: unknown[]): string | undefined;
}

const openaiWire: Wire = {
  name: 'openai-chat',
  history: 'messages',
  text: (reply, piece) => opened(reply, chunkEvent({ role: 'assistant', content: '' })) + chunkEvent({ content: piece }),
  callStart: (reply, id, name) =>
    opened(reply, chunkEvent({ role: 'assistant', content: '' })) +
    chunkEvent({ tool_calls: [{ index: reply.block++ + 1, id, type: 'function', function: { name, arguments: '{"n":' } }] }),
  callEnd: (reply) => chunkEvent({ tool_calls: [{ index: reply.block, function: { arguments: `${reply.block}}` } }] }),
  finish: (reply, reason) => opened(reply, chunkEvent({ role: 'assistant', content: '' })) + chunkEvent({}, { finishReason: reason }) + DONE,
  providerError: (message) => sse({ error: { message, type: 'server_error' } }),
  half: 'data: {"choices":[{"index":0,"delta":{"content":"ha',
  httpError: (message) => ({ error: { message, type: 'invalid_request_error' } }),
  completion: (text, call) => ({
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, ...(call && { tool_calls: [{ id: call, type: 'function', function: { name: 'echo', arguments: '{"n":1}' } }] }) },
        finish_reason: call ? 'tool_calls' : 'stop',
      },
    ],
  }),
  malformed(messages) {
    const sent = messages as ChatMessage[];
    for (let at = 0; at < sent.length; at++) {
      const message = sent[at]!;
      if (message.role === 'user' && sent[at + 1]?.role === 'user') return `has questions in a row at ${at}`;
      if (message.role === 'assistant' && !message.content && !message.tool_calls?.length) return `has an empty answer at ${at}`;
      if (message.role === 'tool') return `has a result without its call at ${at}`;
      const calls = message.tool_calls ?? [];
      const results = sent.slice(at + 1, at + 1 + calls.length);
      if (results.length < calls.length || results.some((result, index) => result.role !== 'tool' || result.tool_call_id !== calls[index]!.id)) return `has calls without their results at ${at}`;
      at += calls.length;
    }
    return undefined;
  },
};

/** Anthropic's and the Responses API's events, each `event:` line with its `data:`. */
const event = (data: { type: string; [field: string]: unknown }) => sse(data, { event: data.type });

/** Anthropic's blocks so far closed, and a new one opened. */
function block(reply: Reply, content: object): string {
  const stop = reply.block >= 0 ? event({ type: 'content_block_stop', index: reply.block }) : '';
  reply.inText = (content as { type: string }).type === 'text';
  return stop + event({ type: 'content_block_start', index: ++reply.block, content_block: content });
}

const anthropicStart = event({
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } },
});

const anthropicWire: Wire = {
  name: 'anthropic',
  history: 'messages',
  text: (reply, piece) =>
    opened(reply, anthropicStart) + (reply.inText ? '' : block(reply, { type: 'text', text: '' })) + event({ type: 'content_block_delta', index: reply.block, delta: { type: 'text_delta', text: piece } }),
  callStart: (reply, id, name) =>
    opened(reply, anthropicStart) +
    block(reply, { type: 'tool_use', id, name, input: {} }) +
    event({ type: 'content_block_delta', index: reply.block, delta: { type: 'input_json_delta', partial_json: '{"n":' } }),
  callEnd: (reply) => event({ type: 'content_block_delta', index: reply.block, delta: { type: 'input_json_delta', partial_json: `${reply.block}}` } }),
  finish: (reply, reason) =>
    opened(reply, anthropicStart) +
    (reply.block >= 0 ? event({ type: 'content_block_stop', index: reply.block }) : '') +
    event({ type: 'message_delta', delta: { stop_reason: reason === 'stop' ? 'end_turn' : 'tool_use' }, usage: { output_tokens: 5 } }) +
    event({ type: 'message_stop' }),
  providerError: (message) => event({ type: 'error', error: { type: 'invalid_request_error', message } }),
  pause: (reply, call) =>
    opened(reply, anthropicStart) +
    (call ? anthropicWire.callStart(reply, call, 'echo') + anthropicWire.callEnd(reply) : '') +
    block(reply, { type: 'server_tool_use', id: `srvtoolu_${reply.index}`, name: 'web_search', input: { query: 'q' } }) +
    event({ type: 'content_block_stop', index: reply.block }) +
    event({ type: 'message_delta', delta: { stop_reason: 'pause_turn' }, usage: { output_tokens: 5 } }) +
    event({ type: 'message_stop' }),
  half: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ha',
  httpError: (message) => ({ type: 'error', error: { type: 'authentication_error', message } }),
  completion: (text, call) => ({
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    content: [{ type: 'text', text }, ...(call ? [{ type: 'tool_use', id: call, name: 'echo', input: { n: 1 } }] : [])],
    stop_reason: call ? 'tool_use' : 'end_turn',
    usage: { input_tokens: 1, output_tokens: 3 },
  }),
  malformed(messages) {
    type Block = { type: string; id?: string; tool_use_id?: string };
    const sent = messages as Array<{ role: string; content: Block[] }>;
    if (sent[0]?.role !== 'user') return 'does not start with a question';
    for (let at = 0; at < sent.length; at++) {
      const { role, content } = sent[at]!;
      if (!content.length) return `has an empty message at ${at}`;
      // (Turns of one role in a row are let be: the API joins them. An answer left with nothing to
      // send, a search a stop cut short, leaves two questions in a row, as anthropic.test.ts shows.)
      // (The last answer too: one sent to go on with, as a paused turn is, may not hold calls without their results.)
      const calls = content.filter((each) => each.type === 'tool_use').map((each) => each.id);
      const next = sent[at + 1]?.content.filter((each) => each.type === 'tool_result').map((each) => each.tool_use_id) ?? [];
      if (role === 'assistant' && JSON.stringify(calls) !== JSON.stringify(next)) return `has calls at ${at} whose results do not follow`;
      const results = content.filter((each) => each.type === 'tool_result').map((each) => each.tool_use_id);
      const before = sent[at - 1]?.content.filter((each) => each.type === 'tool_use').map((each) => each.id) ?? [];
      if (results.some((id) => !before.includes(id))) return `has a result without its call at ${at}`;
    }
    return undefined;
  },
};

/** The Responses API's events: each output item at its index, text and arguments as deltas of it. */
function item(reply: Reply, added: { type: string; [field: string]: unknown }): string {
  reply.inText = added.type === 'message';
  const index = ++reply.block;
  return event({ type: 'response.output_item.added', output_index: index, item: { id: `${added.type}_${index}`, ...added } });
}

const responsesStart = event({ type: 'response.created', response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } });

const responsesWire: Wire = {
  name: 'openai-responses',
  history: 'input',
  text: (reply, piece) =>
    opened(reply, responsesStart) +
    (reply.inText ? '' : item(reply, { type: 'message', role: 'assistant', content: [] })) +
    event({ type: 'response.output_text.delta', item_id: `message_${reply.block}`, output_index: reply.block, content_index: 0, delta: piece }),
  callStart: (reply, id, name) =>
    opened(reply, responsesStart) +
    item(reply, { type: 'function_call', call_id: id, name, arguments: '' }) +
    event({ type: 'response.function_call_arguments.delta', item_id: `function_call_${reply.block}`, output_index: reply.block, delta: '{"n":' }),
  callEnd: (reply) => event({ type: 'response.function_call_arguments.delta', item_id: `function_call_${reply.block}`, output_index: reply.block, delta: `${reply.block}}` }),
  // (The output whole is left out, as gateways do: what streamed is the answer.)
  finish: (reply) => opened(reply, responsesStart) + event({ type: 'response.completed', response: { id: 'resp_1', object: 'response', status: 'completed', output: [] } }),
  providerError: (message) => event({ type: 'error', code: 'server_error', message }),
  half: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","output_index":0,"delta":"ha',
  httpError: (message) => ({ error: { message, type: 'invalid_request_error' } }),
  completion: (text, call) => ({
    id: 'resp_1',
    object: 'response',
    status: 'completed',
    output: [
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] },
      ...(call ? [{ type: 'function_call', call_id: call, name: 'echo', arguments: '{"n":1}' }] : []),
    ],
  }),
  malformed(input) {
    const items = input as Array<{ type?: string; role?: string; call_id?: string }>;
    const open: string[] = [];
    for (const [at, each] of items.entries()) {
      // Each call's output follows it, before the next message.
      if (each.type === 'function_call') open.push(each.call_id!);
      else if (each.type === 'function_call_output') {
        if (open.shift() !== each.call_id) return `has an output without its call (or out of order) at ${at}`;
      } else if (open.length) return `has calls without their outputs before ${at}`;
      // (Questions in a row are items in a row, which the API takes.)
    }
    return open.length ? 'ends on calls without their outputs' : undefined;
  },
};

/** What goes before a response's first delta, once. */
function opened(reply: Reply, start: string): string {
  if (reply.started) return '';
  reply.started = true;
  return start;
}

async function runSequence(seed: number): Promise<void> {
  // A sequence in three speaks Anthropic's Messages API, one in three the Responses API (chunks
  // loaded the first time they are used), as many as chat-completions.
  const wire = [anthropicWire, responsesWire, openaiWire][seed % 3]!;
  const random = generator(seed);
  const log: string[] = [wire.name];
  // The first failure is kept: one in a listener or the fetch is thrown where the conversation
  // catches it or reports it as the page's error, and the sequence stops at its next step.
  let broken: Broken | undefined;
  const fail = (why: string): never => {
    throw (broken ??= new Broken(`seed ${seed}: ${why}\nsteps:\n  ${log.join('\n  ')}`));
  };
  /** A listener that records a failure instead of throwing it at the page. */
  const listen = <T extends Event>(run: (event: T) => void) => (event: Event) => {
    try {
      run(event as T);
    } catch (error) {
      if (!(error instanceof Broken)) throw error;
    }
  };
  const check = (ok: unknown, why: string) => ok || fail(why);

  const clock = new FakeClock();
  const replies: Reply[] = [];
  const requests: unknown[][] = [];
  let draining = false;
  /** Results of the `slow` tool, settled by the fuzz. */
  const slow: Array<{ resolve: (value: unknown) => void; reject: (reason: unknown) => void; signal?: AbortSignal }> = [];

  /** The response whose request went out last (its draft, which a retry of it keeps). */
  let fetchedFor: unknown;
  const fetch = async (_input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    fetchedFor = conversation.draft;
    requests.push((JSON.parse(init.body as string) as Record<string, unknown[]>)[wire.history]!);
    const index = requests.length - 1;
    const { signal } = init;
    if (signal?.aborted) throw signal.reason;
    // No request goes out for a turn that ended (a stop during its tools, a retry wait).
    check(conversation.status === Status.streaming, `request #${index} went out while ${conversation.status}`);
    const roll = draining ? 1 : random.next();
    const json = (status: number, body: object, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    if (roll < 0.05) {
      log.push(`  fetch#${index}: network error`);
      throw new TypeError('Failed to fetch');
    }
    if (roll < 0.1) {
      log.push(`  fetch#${index}: 503, Retry-After 1`);
      return json(503, { error: { message: 'Busy', type: 'server_error' } }, { 'retry-after': '1' });
    }
    if (roll < 0.12) {
      log.push(`  fetch#${index}: 429, Retry-After 120`);
      return json(429, { error: { message: 'Slow down', type: 'rate_limit_error' } }, { 'retry-after': '120' });
    }
    if (roll < 0.14) {
      log.push(`  fetch#${index}: 401 echoing the key`);
      return json(401, wire.httpError(`Incorrect API key provided: ${KEY}.`));
    }
    if (roll < 0.16) {
      const call = random.below(2) ? `call_${index}_json` : undefined;
      log.push(`  fetch#${index}: 200 JSON completion${call ? ' calling echo' : ''}`);
      return json(200, wire.completion('A whole answer', call));
    }
    log.push(`  fetch#${index}: 200 stream`);
    const reply: Reply = { body: new TestBody(), index, open: true, started: false, midCall: false, block: -1, inText: false };
    replies.push(reply);
    signal?.addEventListener(
      'abort',
      () => {
        if (reply.open) reply.body.fail(signal.reason);
        reply.open = false;
      },
      { once: true },
    );
    if (draining) {
      reply.body.write(wire.text(reply, 'Drained') + wire.finish(reply, 'stop'));
      reply.body.end();
      reply.open = false;
    }
    return new Response(reply.body.stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };

  const tools: Tool[] = [
    { name: 'echo', execute: (args) => args },
    { name: 'slow', execute: (_args, { signal }) => new Promise((resolve, reject) => slow.push({ resolve, reject, signal })) },
    // No execute: it waits for respond().
    { name: 'ask' },
  ];
  const conversation = new Conversation({ endpoint, fetch, clock, key: KEY, random: () => 0.5, retryDelay: 100, timeout: TIMEOUT, tools, maxSteps: 2, protocol: wire.name });

  // What the conversation dispatched.
  const ends: End[] = [];
  let events = 0;
  let lastContent: string | undefined;
  let lastMessage: ChatMessage | undefined;
  /** The last chunk's response's own text (the chunk's, after the text of those Claude paused that it goes on with). */
  let lastOwn: string | undefined;
  let removals = 0;
  let removalsAtChunk = 0;
  const calls: Call[] = [];
  /** Host actions run from listeners so far. */
  let nested = 0;
  let hostTail: ChatMessage | undefined;
  /** Ends dispatched when `messages` was last set (or cleared): the failure before went with it. */
  let endsAtSet = 0;
  /** Answers whose turn ended on calls it did not run (no `tools`): the host runs them, and adds their results. */
  const hostRuns = new WeakSet<ChatMessage>();
  const leaks = (value: unknown, where: string) => {
    let text = '';
    try {
      text = JSON.stringify(value) ?? '';
    } catch {}
    if (value instanceof Error) text += `${value.message} ${value.stack ?? ''} ${(value as StreamChatError).code ?? ''}`;
    check(!text.includes(KEY), `the key appears in ${where}: ${text.slice(0, 300)}`);
  };
  const onEnd = (end: End) => {
    events++;
    ends.push(end);
    leaks(end.detail.content, `the ${end.type} detail's content`);
    if (end.type === 'error') {
      leaks(end.detail.error, 'the error');
      check(end.detail.error instanceof StreamChatError, `error's detail.error is not a StreamChatError: ${String(end.detail.error)}`);
    }
    // What streamed is the event's text, and (unless an action since may have removed it) in `messages`.
    // (A step that streamed nothing, a JSON completion after tools, has its own text.)
    if (lastContent && (end.type === 'error' || end.detail.message === lastMessage)) {
      check(end.detail.content === lastContent, `${end.type}'s content ${JSON.stringify(end.detail.content)} is not what streamed, ${JSON.stringify(lastContent)}`);
      const kept = conversation.messages.some((message) => message.role === 'assistant' && message.content === lastOwn);
      check(removals !== removalsAtChunk || kept, `what streamed, ${JSON.stringify(lastOwn)}, is not in messages at ${end.type}`);
    }
    // A response that completed says why it finished, and is not marked stopped.
    if (end.type === 'done' && !end.detail.aborted) {
      check(typeof end.detail.finishReason === 'string', `done, not aborted, with finishReason ${end.detail.finishReason}`);
      check(!conversation.wasStopped(end.detail.message), 'done, not aborted, with its message marked stopped');
    }
    if (end.type === 'done' && end.detail.content && removals === removalsAtChunk) {
      check(conversation.messages.includes(end.detail.message), `done's message is not in messages`);
    }
    lastContent = undefined;
    // A turn that ended on calls it did not run (no `tools` were set) leaves them to the host.
    if (end.type === 'done' && !end.detail.steps.at(-1)!.results.length) hostRuns.add(end.detail.message);
  };
  conversation.addEventListener('done', listen<CustomEvent<DoneDetail>>((event) => onEnd({ type: 'done', detail: event.detail })));
  conversation.addEventListener('error', listen<CustomEvent<ErrorDetail>>((event) => onEnd({ type: 'error', detail: event.detail })));
  conversation.addEventListener('chunk', listen<CustomEvent<ChunkDetail>>((event) => {
    events++;
    // Only the response streaming now dispatches: a stale one is dropped.
    // (After the text of the answers Claude paused that it goes on with, last in messages: one answer.)
    let paused = '';
    for (let at = conversation.messages.length; at-- && conversation.messages[at]!.role === 'assistant' && conversation.finishReasonOf(conversation.messages[at]!) === 'pause_turn' && !conversation.messages[at]!.tool_calls?.length && conversation.messages[at]!.content_blocks; ) {
      paused = (conversation.messages[at]!.content as string) + paused;
    }
    check(event.detail.content === paused + (conversation.draft?.message.content as string), `a chunk while ${conversation.status}, not of the draft`);
    leaks(event.detail, 'a chunk');
    lastContent = event.detail.content;
    lastMessage = conversation.draft?.message;
    lastOwn = lastMessage?.content as string;
    removalsAtChunk = removals;
  }));
  /** What the last `change` told: a view that renders on `change` shows this. */
  let told = { messages: conversation.messages, status: conversation.status as Status, failure: conversation.failure };
  conversation.addEventListener('change', () => {
    events++;
    told = { messages: conversation.messages, status: conversation.status, failure: conversation.failure };
  });
  conversation.addEventListener('tool-call', listen<CustomEvent<ToolCallDetail>>((event) => {
    events++;
    leaks(event.detail.args, 'a tool call');
  }));

  /** Calls one of the host's methods that start a turn, and records how it settles. */
  const ask = (name: string, run: () => Promise<DoneDetail>, removes: boolean, asks?: (messages: ChatMessage[]) => unknown) => {
    if (removes) removals++;
    const call: Call = { name, eventsBefore: events, eventsAfter: events, messagesBefore: conversation.messages, messagesAfter: [] };
    // Listed before it runs: a listener's call made meanwhile starts its turn after this one's.
    calls.push(call);
    const nestedBefore = nested;
    const promise = run();
    call.eventsAfter = events;
    call.messagesAfter = conversation.messages;
    // What a call that asks leaves in `messages` as its turn starts (unless a listener changed it meanwhile).
    if (asks && nested === nestedBefore) call.asks = () => asks(call.messagesAfter);
    promise.then(
      (resolved) => (call.settled = { resolved }),
      (rejected: unknown) => (call.settled = { rejected }),
    );
  };

  const text = () => `w${random.below(100)}`;
  const image: ContentPart = { type: 'image_url', image_url: { url: 'https://example.test/picture.png' } };
  /** The host's actions: each returns what it did, for the log. */
  const hostActions: Array<[weight: number, run: () => string]> = [
    [
      6,
      () => {
        const asked = text();
        ask('send', () => conversation.send(asked), false, (messages) => equal(messages.at(-1), { role: 'user', content: asked }));
        return 'send(text)';
      },
    ],
    [1, () => (ask('send', () => conversation.send([{ type: 'text', text: text() }, image] as unknown as string), false), 'send(picture)')],
    [1, () => (ask('send', () => conversation.send(' \n'), false), 'send(blank)')],
    [
      3,
      () => {
        const draft = conversation.draft;
        const message = draft?.arrived && draft.message;
        const nestedBefore = nested;
        conversation.stop();
        // What arrived stays, marked as stopped, unless its response had said it was finished (with
        // nothing to follow it): that one is whole, its finish reason kept.
        if (message && nested === nestedBefore) {
          check(conversation.messages.includes(message) && (conversation.wasStopped(message) || typeof conversation.finishReasonOf(message) == 'string'), 'stop() lost what arrived, or did not mark it');
        }
        return 'stop()';
      },
    ],
    [2, () => (ask('regenerate', () => conversation.regenerate(), true, (messages) => messages.at(-1)?.role === 'user'), 'regenerate()')],
    [
      2,
      () => {
        const index = random.below(conversation.messages.length + 1);
        const asked = text();
        ask('edit', () => conversation.edit(index, asked), true, (messages) => messages.length === index + 1 && messages[index]!.role === 'user' && JSON.stringify(messages[index]!.content).includes(asked));
        return `edit(${index})`;
      },
    ],
    [
      2,
      () => {
        const partial = conversation.status === Status.idle ? conversation.failure?.partial : undefined;
        // Without what the failed response left (unless a question followed it).
        const last = conversation.messages.findLast((message) => message.role !== 'tool');
        ask('retry', () => conversation.retry(), true, (messages) => !partial || partial !== last || !messages.includes(partial));
        return `retry()${partial ? ' after a partial' : ''}`;
      },
    ],
    [1, () => (removals++, conversation.clear(), (endsAtSet = ends.length), 'clear()')],
    [
      1,
      () => {
        removals++;
        const { messages } = conversation;
        const length = random.below(messages.length + 1);
        conversation.messages = messages.slice(0, length);
        endsAtSet = ends.length;
        // A host may set an answer whose calls it runs itself: their results are its to add.
        hostTail = conversation.messages.findLast((message) => message.role === 'assistant');
        return `messages = messages.slice(0, ${length})`;
      },
    ],
    [
      2,
      () => {
        // A call that waits, or one whose tool runs (its result then ignored).
        const open = conversation.messages.flatMap((message) => message.tool_calls ?? []).filter((call) => /running|waiting/.test(conversation.toolState(call) ?? ''));
        const id = open.length ? random.pick(open).id : 'call_unknown';
        const kind = random.pick(['text', 'error', 'promise'] as const);
        // A promise is settled later by the fuzz, as the slow tool's result is.
        const result = kind === 'text' ? `result of ${id}` : kind === 'error' ? new Error('refused') : new Promise((resolve, reject) => slow.push({ resolve, reject }));
        // (One no call took is the host's, which ignores it here: its rejection is not unhandled.)
        const taken = conversation.respond(id, result);
        return `respond(${id}, ${kind}) = ${taken}`;
      },
    ],
    [
      1,
      () => {
        const settle = slow.shift();
        if (!settle) return 'no slow tool to settle';
        if (random.below(3)) settle.resolve({ slow: true });
        else settle.reject(new Error('slow failed'));
        return 'slow tool settled';
      },
    ],
    [
      1,
      () => {
        // A host that mirrors messages sets them back as they are (which stops a response in flight).
        removals++;
        conversation.messages = conversation.messages;
        endsAtSet = ends.length;
        hostTail = conversation.messages.findLast((message) => message.role === 'assistant');
        return 'messages = messages';
      },
    ],
    [
      1,
      () => {
        conversation.options.maxSteps = conversation.options.maxSteps === 1 ? 2 : 1;
        return `options.maxSteps = ${conversation.options.maxSteps}`;
      },
    ],
    [
      1,
      () => {
        // Without tools, a turn ends on its calls, which the host runs.
        conversation.options.tools = conversation.options.tools ? undefined : tools;
        return `options.tools = ${conversation.options.tools ? 'tools' : 'undefined'}`;
      },
    ],
  ];
  /** Runs a host action, logged (with `indent`) before it runs: what it sets off is logged after it. */
  const hostAction = (indent = '') => {
    let roll = random.below(hostActions.reduce((sum, [weight]) => sum + weight, 0));
    const at = log.push(indent) - 1;
    for (const [weight, run] of hostActions) {
      if ((roll -= weight) < 0) return void (log[at] += run());
    }
  };

  /** What the server does next, to the newest response still open. */
  const serverAction = (reply: Reply): string => {
    const { body } = reply;
    const write = (text: string) => body.write(text);
    const close = (text: string) => {
      body.write(text);
      body.end();
      reply.open = false;
    };
    const at = `#${reply.index}:`;
    const roll = random.below(23);
    if (roll < 7) {
      const piece = `${text()} `;
      write(wire.text(reply, piece));
      return `${at} text "${piece}"`;
    }
    if (roll < 9) {
      close(wire.finish(reply, 'stop'));
      return `${at} finish`;
    }
    if (roll < 14) {
      const names = ['echo', 'echo', 'slow', 'ask', 'nope'];
      const called = Array.from({ length: 1 + random.below(2) }, () => random.pick(names));
      // Half of a call's arguments, and the stream left open: a stop or a cut comes mid-call.
      const cut = random.below(3) === 0;
      called.forEach((name) => {
        write(wire.callStart(reply, `call_${reply.index}_${reply.block + 1}`, name));
        if (!cut) write(wire.callEnd(reply));
      });
      if (cut) {
        reply.midCall = true;
        return `${at} tool calls ${called.join(', ')} started`;
      }
      close(wire.finish(reply, 'tool_calls'));
      return `${at} tool calls ${called.join(', ')}`;
    }
    if (roll < 15) {
      close('');
      return `${at} ends without a finish_reason`;
    }
    if (roll < 16) {
      body.fail(new TypeError('network error'));
      reply.open = false;
      return `${at} connection breaks`;
    }
    if (roll < 17) {
      close(wire.providerError(`Upstream refused the key ${KEY}`));
      return `${at} provider error`;
    }
    if (roll < 18) {
      // Half an event: the rest never comes before what follows.
      write(wire.half);
      return `${at} half an event`;
    }
    // (Claude pauses a turn its server tools ran long; one that called the page's tools ends for them.)
    if (roll < 19 && wire.pause && !reply.midCall) {
      // Sometimes after a call of the page's, which its tools answer, or without them, the host.
      const call = random.below(3) ? undefined : `call_${reply.index}_${reply.block + 1}`;
      close(wire.pause(reply, call));
      return `${at} pause_turn${call ? ' after a call of echo' : ''}`;
    }
    if (roll < 21) {
      clock.advance(TIMEOUT);
      return `clock +${TIMEOUT} ms (stall)`;
    }
    const ms = 50 + random.below(1000);
    clock.advance(ms);
    return `clock +${ms} ms`;
  };

  /** Runs an action from the next event of a kind, as a listener may. */
  const fromListener = () => {
    const type = random.pick(['change', 'chunk', 'done', 'error', 'tool-call'] as const);
    const listener = listen(() => {
      conversation.removeEventListener(type, listener);
      nested++;
      hostAction(`  in ${type}: `);
    });
    conversation.addEventListener(type, listener);
    return `next ${type} listener acts`;
  };

  const settled = (call: Call) => call.settled !== undefined;
  const refused = (call: Call) => call.settled && 'rejected' in call.settled && !(call.settled.rejected instanceof StreamChatError);

  /** The invariants that hold between steps, once queued work ran. */
  const checkState = (final: boolean) => {
    const asked = calls.filter((call) => !refused(call));
    for (const call of asked) check(!call.asks || call.asks(), `${call.name} left messages ${JSON.stringify(call.messagesAfter.map((m) => [m.role, m.content]))}`);
    for (const call of calls.filter(refused)) {
      const { rejected } = call.settled as { rejected: unknown };
      check(rejected instanceof RangeError || rejected instanceof TypeError, `${call.name} rejected with ${String(rejected)}`);
      check(call.eventsAfter === call.eventsBefore, `a refused ${call.name} dispatched ${call.eventsAfter - call.eventsBefore} events`);
      check(call.messagesAfter === call.messagesBefore, `a refused ${call.name} changed messages`);
    }
    const status = conversation.status;
    const inFlight = status === Status.idle ? 0 : 1;
    check(ends.length === asked.length - inFlight, `${asked.length} calls asked, ${ends.length} ended, status ${status}`);
    ends.forEach((end, at) => {
      const call = asked[at]!;
      check(settled(call), `${call.name} #${at} ended in ${end.type} but its promise has not settled`);
      const outcome = call.settled!;
      if (end.type === 'done') check('resolved' in outcome && outcome.resolved === end.detail, `${call.name} #${at}: done, but its promise did not resolve with its detail`);
      else check('rejected' in outcome && outcome.rejected === end.detail.error, `${call.name} #${at}: error, but its promise did not reject with its error`);
    });
    if (inFlight) check(!settled(asked.at(-1)!), 'the turn in flight has settled');
    check((status === Status.streaming) === (conversation.draft !== undefined), `status ${status} with${conversation.draft ? '' : 'out'} a draft`);
    if (final) check(status === Status.idle, `still ${status} after the sequence drained`);
    if (status === Status.idle) {
      // Nothing runs once the turn ended: its tools were told to stop, and every call has its end.
      check(slow.every((each) => each.signal?.aborted ?? true), 'a tool still runs, its signal not aborted, after its turn ended');
      for (const message of conversation.messages) {
        for (const call of message.tool_calls ?? []) {
          const state = conversation.toolState(call);
          check(state !== 'streaming' && state !== 'running' && state !== 'waiting', `call ${call.id} is ${state} while idle`);
        }
      }
    }
    if (conversation.failure) leaks(conversation.failure.error, 'failure');
    // Every change of messages, status or failure was told.
    check(told.messages === conversation.messages, 'messages changed without a change event');
    check(told.status === status, `the status went from ${told.status} to ${status} without a change event`);
    check(told.failure === conversation.failure, 'failure changed without a change event');
    // The failure is the last turn's, until messages are set.
    const last = ends.at(-1);
    if (status === Status.idle && ends.length > endsAtSet) {
      check(conversation.failure?.error === (last?.type === 'error' ? last.detail.error : undefined), `failure is not the last turn's (${last?.type})`);
    }
    wellFormed(conversation.messages, status === Status.idle ? 'messages' : 'messages (in flight)', status !== Status.idle);
  };

  /** Every call answered by its result right after it; a result only after its call; no empty answer. */
  const wellFormed = (messages: readonly ChatMessage[], what: string, inFlight: boolean) => {
    for (let at = 0; at < messages.length; at++) {
      const message = messages[at]!;
      if (message.role === 'assistant') {
        const calls = message.tool_calls ?? [];
        // (A search of Claude's, the server tool of a turn it paused, shows as a line: it arrived.)
        check(message.content?.length || calls.length || message.server_tools, `${what}[${at}] is an empty answer: ${JSON.stringify(message)}`);
        const results = messages.slice(at + 1, at + 1 + calls.length);
        // The last answer's calls are being answered while its tools run, or by the host that set it.
        if ((inFlight || message === hostTail || hostRuns.has(message)) && at + 1 + results.length >= messages.length && results.length < calls.length) {
          at += results.length;
          continue;
        }
        check(
          results.length === calls.length && results.every((result, index) => result.role === 'tool' && result.tool_call_id === calls[index]!.id),
          `${what}[${at}]'s calls are not followed by their results: ${JSON.stringify(messages.slice(at).map((each) => [each.role, each.tool_call_id ?? each.tool_calls?.map((call) => call.id)]))}`,
        );
        at += calls.length;
      } else check(message.role !== 'tool', `${what}[${at}] is a result without its call: ${JSON.stringify(messages.map((each) => each.role))}`);
    }
  };

  const unhandled: unknown[] = [];
  const onUnhandled = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
  window.addEventListener('unhandledrejection', onUnhandled);
  try {
    for (let step = 0; step < STEPS; step++) {
      const open = replies.filter((reply) => reply.open).at(-1);
      const roll = random.below(10);
      if (open && roll < 7) log.push(serverAction(open));
      else if (roll === 9) log.push(fromListener());
      else if (roll === 8) {
        // Actions in one task, as a click handler's `clear(); send(…)`.
        log.push('at once:');
        for (let count = 2 + random.below(2); count > 0; count--) hostAction('  ');
      } else hostAction();
      await nextTask();
      // The request of a response just asked for goes out before the next step: with the Responses
      // and Anthropic protocols, once their module's import resolved, some tasks later. Before, a
      // host's action came first more often, and their turns had a third of the steps chat-completions' had.
      for (let tasks = 0; tasks < 20 && conversation.status === Status.streaming && fetchedFor !== conversation.draft; tasks++) await nextTask();
      if (broken) throw broken;
      checkState(false);
      check(!unhandled.length, `unhandled rejection: ${unhandled.map(String).join('; ')}`);
    }
    log.push('drain');
    draining = true;
    for (let round = 0; round < 50 && (conversation.status !== Status.idle || replies.some((reply) => reply.open)); round++) {
      for (const reply of replies.filter((each) => each.open)) {
        reply.body.write(`${reply.midCall ? '' : wire.text(reply, 'end')}${wire.finish(reply, 'stop')}`);
        reply.body.end();
        reply.open = false;
      }
      for (const settle of slow.splice(0)) settle.resolve('late');
      for (const call of conversation.messages.flatMap((message) => message.tool_calls ?? [])) {
        if (conversation.toolState(call) === 'waiting') conversation.respond(call.id, 'late');
      }
      await nextTask();
      await nextTask();
      for (let timers = 0; timers < 100 && clock.tick() !== undefined; timers++) await nextTask();
      // A request of another protocol waits for its chunk, which a busy Firefox gives some real time later.
      if (round > 5) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await nextTask();
    if (broken) throw broken;
    checkState(true);
    check(!unhandled.length, `unhandled rejection: ${unhandled.map(String).join('; ')}`);
    requests.forEach((sent, at) => {
      const why = wire.malformed(sent);
      if (why) fail(`request #${at} ${why}: ${JSON.stringify(sent)}`);
    });
  } finally {
    window.removeEventListener('unhandledrejection', onUnhandled);
  }
}

describe('Conversation: a seeded fuzz of interleaved actions', () => {
  // Loaded once before, so that a request's wait for the chunk is a few microtasks, not the network's.
  before(async () => void (await Promise.all([import('../src/core/protocols/anthropic.js'), import('../src/core/protocols/openai-responses.js')])));

  it(`${ONLY === undefined ? SEQUENCES : 1} random sequences keep the contract`, async function () {
    this.timeout(60_000);
    const seeds = ONLY === undefined ? Array.from({ length: SEQUENCES }, (_, index) => FIRST + index) : [ONLY];
    const broken = new Map<string, string>();
    for (const seed of seeds) {
      try {
        await runSequence(seed);
      } catch (error) {
        if (!(error instanceof Broken)) throw error;
        // One report per invariant (its first line without the seed), the shortest sequence that broke it.
        const [first = ''] = error.message.split('\n');
        const kind = first.replace(/^seed \d+: /, '').replace(/\d+/g, 'N').slice(0, 80);
        const known = broken.get(kind);
        if (!known || known.length > error.message.length) broken.set(kind, error.message);
      }
    }
    expect([...broken.values()].join('\n\n'), `${broken.size} invariants broken`).to.equal('');
  });
});
