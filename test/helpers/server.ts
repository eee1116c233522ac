/**
 * Browser side of the scripted SSE endpoint (test/server/sse-server.js): describe a response here,
 * get a URL on the test server that plays it over a real socket, then read what the server received.
 *
 * @example
 * const endpoint = await mockEndpoint(streamingReply(['Hel', 'lo']));
 * await streamChatCompletion({ endpoint: endpoint.url, messages }, onChunk);
 * const [request] = await endpoint.requests();
 * expect(request?.body).to.deep.include({ stream: true });
 *
 * @example Retries: one script per successive request to the same URL.
 * const endpoint = await mockEndpoint([httpError(503, 'busy', { 'retry-after': '0' }), streamingReply(['ok'])]);
 *
 * @example Abort on the wire: `settled` waits until the server saw every request end.
 * const [request] = await endpoint.settled();
 * expect(request?.aborted).to.equal(true);
 */
import type { ChatCompletionChunk, ChunkDelta, ThinkingBlock, Usage } from '../../src/core/types.js';

/** One step the server plays after the headers. `destroy` and `end` must be the last step. */
export type MockStep =
  | { write: string }
  | { writeBytes: number[] }
  | { delay: number }
  /** Pauses until the test calls {@link MockEndpoint.release} with this name (at most 10 s; counts as 10 s of the 20). */
  | { hold: string }
  | { destroy: true }
  | { end: true };

/** How the server answers one request. */
export interface MockResponse {
  /** Default 200. */
  status?: number;
  /** Merged over `content-type: text/event-stream; charset=utf-8` and `cache-control: no-cache`; null removes one. */
  headers?: Record<string, string | null>;
  /** Ms to wait before sending the status line (at most 10 s). */
  headersDelay?: number;
  /** Cut the connection instead of sending the status line. */
  hangUp?: boolean;
  /** Played in order; the response ends after the last. Delays add up to at most 20 s. */
  steps?: MockStep[];
}

/** How a request ended, as the server saw it. */
export type RequestState = 'receiving' | 'playing' | 'completed' | 'aborted' | 'destroyed';

/** A request the mock endpoint received. */
export interface RecordedRequest {
  /** 0 for the first request to this endpoint, 1 for the first retry, … */
  attempt: number;
  method: string;
  /** Path and query. */
  url: string;
  /** As Node received them: names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
  /** `bodyText` parsed as JSON, or null when it is not JSON. */
  body: unknown;
  /** Server clock, ms since the epoch: compare two of them to measure a retry's wait. */
  receivedAt: number;
  /** `completed`: the server sent everything; `aborted`: the client went away first; `destroyed`: the script cut it. */
  state: RequestState;
  /** True when the client closed the connection before the server had sent the whole response. */
  aborted: boolean;
}

/** A registered script and its URL. */
export interface MockEndpoint {
  id: string;
  /** Absolute URL to POST the chat request to. */
  url: string;
  /** The requests received so far, as they stand now. */
  requests(): Promise<RecordedRequest[]>;
  /** The requests received so far, once each of them has ended (or after 5 s). */
  settled(): Promise<RecordedRequest[]>;
  /** Ends the `{ hold: name }` steps of this endpoint's scripts: the one playing, and any to come. */
  release(name: string): Promise<void>;
}

/** Registers a response script (or one per successive request; the last repeats) and returns its URL. */
export async function mockEndpoint(script: MockResponse | MockResponse[]): Promise<MockEndpoint> {
  const { id, url } = await mockJson<{ id: string; url: string }>('/mock/script', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(script),
  });
  const log = async (query: string) => (await mockJson<{ requests: RecordedRequest[] }>(`/mock/log/${id}${query}`)).requests;
  return {
    id,
    url: new URL(url, location.href).href,
    requests: () => log(''),
    settled: () => log('?settled'),
    release: async (name) => {
      const response = await fetch(`/mock/release/${id}/${encodeURIComponent(name)}`, { method: 'POST' });
      if (!response.ok) throw new Error(`/mock/release: ${response.status}`);
    },
  };
}

/** An http URL on a local port that nothing listens on: fetching it fails with connection refused. */
export async function refusedUrl(): Promise<string> {
  return (await mockJson<{ url: string }>('/mock/refused-url')).url;
}

/**
 * Whether this browser's fetch reads a body whose connection was cut (a `destroy` step) to an end,
 * with no error: WebKitGTK's network stack, libsoup, takes a chunked body cut short (or one of a
 * Content-Length on a closing connection) for complete; Chromium's and Firefox's fetch reject. The
 * library tells such an end by what it lacks ("The response ended before it was complete").
 */
export const cutBodyEnds = /Linux.*AppleWebKit/.test(navigator.userAgent) && !navigator.userAgent.includes('Chrome/');

async function mockJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const payload: unknown = await response.json();
  if (!response.ok) {
    const message = (payload as { error?: { message?: string } }).error?.message ?? JSON.stringify(payload);
    throw new Error(`${path}: ${message}`);
  }
  return payload as T;
}

/** The SSE terminator OpenAI sends. */
export const DONE = 'data: [DONE]\n\n';

/** One SSE event: each line of `data` (a string, or an object as JSON) becomes a `data:` line. */
export function sse(data: string | object, fields: { event?: string; id?: string } = {}): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  let event = '';
  if (fields.event !== undefined) event += `event: ${fields.event}\n`;
  if (fields.id !== undefined) event += `id: ${fields.id}\n`;
  for (const line of text.split('\n')) event += `data: ${line}\n`;
  return `${event}\n`;
}

/** What else a test chunk carries besides its delta. */
export interface ChunkOptions {
  /** Choice index. Default 0. */
  index?: number;
  finishReason?: string | null;
  usage?: Usage | null;
}

/** A chat-completion chunk object in OpenAI's shape, with one choice carrying `delta`. */
export function chunk(delta: ChunkDelta, options: ChunkOptions = {}): ChatCompletionChunk {
  const result: ChatCompletionChunk = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1700000000,
    model: 'test-model',
    choices: [{ index: options.index ?? 0, delta, finish_reason: options.finishReason ?? null }],
  };
  if (options.usage !== undefined) result.usage = options.usage;
  return result;
}

/** {@link chunk} as an SSE event: `chunkEvent({ content: 'Hi' })`. */
export function chunkEvent(delta: ChunkDelta, options: ChunkOptions = {}): string {
  return sse(chunk(delta, options));
}

/** What {@link streamingReply} sends around the text. */
export interface ReplyOptions {
  /** Ms between events. Default 0. */
  gap?: number;
  /** finish_reason of the last chunk. Default "stop". */
  finishReason?: string;
  usage?: Usage;
  /** Send `data: [DONE]` at the end. Default true. */
  done?: boolean;
}

/**
 * A normal streamed answer: a role chunk, one content chunk per piece, a chunk with the
 * finish_reason (and usage), then `[DONE]`; each event is its own write. Its `steps` can be
 * spread into a longer script: `{ steps: [{ delay: 500 }, ...streamingReply(['late']).steps] }`.
 */
export function streamingReply(pieces: readonly string[], options: ReplyOptions = {}): MockResponse & { steps: MockStep[] } {
  const events = [
    chunkEvent({ role: 'assistant', content: '' }),
    ...pieces.map((content) => chunkEvent({ content })),
    chunkEvent({}, { finishReason: options.finishReason ?? 'stop', ...(options.usage ? { usage: options.usage } : {}) }),
  ];
  if (options.done ?? true) events.push(DONE);
  const gap = options.gap ?? 0;
  const steps: MockStep[] = [];
  for (const event of events) {
    if (gap > 0 && steps.length > 0) steps.push({ delay: gap });
    steps.push({ write: event });
  }
  return { steps };
}

/**
 * A reply in groups of content deltas, each group after the first `pause` ms after the one before
 * (time for a test to look mid-stream; an empty group makes the pause twice as long), then a chunk
 * with the finish_reason and `[DONE]`. Given names instead, the n-th pause holds until the test
 * releases the n-th name (`endpoint.release(name)`): a test that looks, then lets it go on.
 */
export function pausedReply(groups: readonly (readonly string[])[], pause: number | readonly string[] = 1500): MockResponse {
  const wait = (i: number): MockStep => (typeof pause === 'number' ? { delay: pause } : { hold: pause[i - 1]! });
  return {
    steps: [
      { write: chunkEvent({ role: 'assistant', content: '' }) },
      ...groups.flatMap((pieces, i) => [...(i ? [wait(i)] : []), ...pieces.map((content) => ({ write: chunkEvent({ content }) }))]),
      { write: chunkEvent({}, { finishReason: 'stop' }) },
      { write: DONE },
    ],
  };
}

/**
 * A reply that sends the role chunk and `first`, pauses `wait` ms (time for a test to act
 * mid-stream; given a name, until the test releases it), then sends " and the rest" with a
 * finish_reason, and `[DONE]`.
 */
export function slowReply(first: string, wait: number | string = 5000): MockResponse {
  return {
    steps: [
      { write: chunkEvent({ role: 'assistant', content: '' }) },
      { write: chunkEvent({ content: first }) },
      typeof wait === 'string' ? { hold: wait } : { delay: wait },
      { write: chunkEvent({ content: ' and the rest' }, { finishReason: 'stop' }) },
      { write: DONE },
    ],
  };
}

/** A non-2xx answer with an OpenAI-style JSON error body. */
export function httpError(status: number, message: string, headers: Record<string, string> = {}): MockResponse {
  const body = JSON.stringify({ error: { message, type: 'test_error', code: `status_${status}` } });
  return { status, headers: { 'content-type': 'application/json', ...headers }, steps: [{ write: body }] };
}

/** What to put between the writes of {@link splitWrites} and {@link splitBytes}. */
export interface SplitOptions {
  /**
   * Ms between writes. Default 15: without a pause the network may merge the writes into one read,
   * and the split would not be tested.
   */
  gap?: number;
}

/** `text` written in pieces cut at the given character offsets. */
export function splitWrites(text: string, offsets: readonly number[], options: SplitOptions = {}): MockStep[] {
  return withGaps(cut(text, offsets).map((piece) => ({ write: piece })), options);
}

/** The UTF-8 bytes of `text` written in pieces cut at the given byte offsets (inside characters too). */
export function splitBytes(text: string, offsets: readonly number[], options: SplitOptions = {}): MockStep[] {
  const bytes = [...new TextEncoder().encode(text)];
  return withGaps(cut(bytes, offsets).map((piece) => ({ writeBytes: piece })), options);
}

/** The UTF-8 bytes of `text`, one byte per write. */
export function byteWrites(text: string, options: SplitOptions = {}): MockStep[] {
  const length = new TextEncoder().encode(text).length;
  return splitBytes(text, Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1), options);
}

function cut<T extends string | number[]>(whole: T, offsets: readonly number[]): T[] {
  const points = [...new Set([0, ...offsets, whole.length])].filter((p) => p >= 0 && p <= whole.length).sort((a, b) => a - b);
  const pieces: T[] = [];
  for (let i = 1; i < points.length; i++) pieces.push(whole.slice(points[i - 1], points[i]) as T);
  return pieces;
}

function withGaps(writes: MockStep[], options: SplitOptions): MockStep[] {
  const gap = options.gap ?? 15;
  return writes.flatMap((write, index) => (index === 0 || gap === 0 ? [write] : [{ delay: gap }, write]));
}

/** A function call a protocol reply makes: its id, name and arguments (streamed in two pieces). */
export interface ReplyCall {
  id: string;
  name: string;
  args: string;
}

function eventSteps(events: ReadonlyArray<{ type: string }>): MockResponse & { steps: MockStep[] } {
  return { steps: events.map((event) => ({ write: sse(event, { event: event.type }) })) };
}

/**
 * A chat-completions stream that calls each of `calls` (its arguments in two pieces, with `gap`
 * between them: ms, or the name of a hold), then ends with finish_reason `tool_calls`.
 */
export function callingReply(calls: readonly ReplyCall[], gap: number | string = 0): MockResponse & { steps: MockStep[] } {
  const steps: MockStep[] = [{ write: chunkEvent({ role: 'assistant', content: null }) }];
  calls.forEach(({ id, name, args }, index) => {
    const half = Math.floor(args.length / 2);
    steps.push({ write: chunkEvent({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: args.slice(0, half) } }] }) });
    if (gap) steps.push(typeof gap === 'string' ? { hold: gap } : { delay: gap });
    steps.push({ write: chunkEvent({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] }) });
  });
  steps.push({ write: chunkEvent({}, { finishReason: 'tool_calls' }) }, { write: DONE });
  return { steps };
}

/**
 * A Responses API stream (`protocol="openai-responses"`): the text in pieces, then each call as a
 * `function_call` item with its arguments in two deltas, then `response.completed` with usage.
 */
export function responsesReply(pieces: readonly string[], calls: readonly ReplyCall[] = []): MockResponse & { steps: MockStep[] } {
  const events: Array<{ type: string; [field: string]: unknown }> = [{ type: 'response.created', response: { id: 'resp_test', status: 'in_progress', output: [] } }];
  if (pieces.length > 0) {
    events.push({ type: 'response.output_item.added', output_index: 0, item: { id: 'msg_test', type: 'message', role: 'assistant', content: [] } });
    for (const delta of pieces) events.push({ type: 'response.output_text.delta', item_id: 'msg_test', output_index: 0, content_index: 0, delta });
  }
  calls.forEach(({ id, name, args }, at) => {
    const output_index = at + 1;
    const half = Math.floor(args.length / 2);
    events.push({ type: 'response.output_item.added', output_index, item: { id: `fc_${at}`, type: 'function_call', call_id: id, name, arguments: '' } });
    for (const delta of [args.slice(0, half), args.slice(half)]) events.push({ type: 'response.function_call_arguments.delta', item_id: `fc_${at}`, output_index, delta });
  });
  const usage = { input_tokens: 10, output_tokens: pieces.length + calls.length, total_tokens: 10 + pieces.length + calls.length };
  events.push({ type: 'response.completed', response: { id: 'resp_test', status: 'completed', usage } });
  return eventSteps(events);
}

/**
 * A Messages API stream (`protocol="anthropic"`): the thinking blocks first (a thinking one's text in
 * two `thinking_delta`s, then its `signature_delta`; a redacted one whole in its start), a text
 * block in pieces, then each call as a `tool_use` block with its input in two `input_json_delta`s,
 * then the stop reason and `message_stop`.
 */
export function anthropicReply(
  pieces: readonly string[],
  calls: readonly ReplyCall[] = [],
  thoughts: readonly ThinkingBlock[] = [],
): MockResponse & { steps: MockStep[] } {
  const events: Array<{ type: string; [field: string]: unknown }> = [
    { type: 'message_start', message: { id: 'msg_test', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 10, output_tokens: 1 } } },
  ];
  let index = 0;
  for (const thought of thoughts) {
    if (thought.type === 'redacted_thinking') {
      events.push({ type: 'content_block_start', index, content_block: thought });
    } else {
      const { thinking, signature } = thought;
      const half = Math.floor(thinking.length / 2);
      events.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const piece of [thinking.slice(0, half), thinking.slice(half)]) events.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature } });
    }
    events.push({ type: 'content_block_stop', index: index++ });
  }
  if (pieces.length > 0) {
    events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    for (const text of pieces) events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    events.push({ type: 'content_block_stop', index: index++ });
  }
  for (const { id, name, args } of calls) {
    const half = Math.floor(args.length / 2);
    events.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } });
    for (const partial_json of [args.slice(0, half), args.slice(half)]) events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
    events.push({ type: 'content_block_stop', index: index++ });
  }
  events.push(
    { type: 'message_delta', delta: { stop_reason: calls.length ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: pieces.length + calls.length } },
    { type: 'message_stop' },
  );
  return eventSteps(events);
}

/**
 * A Messages API stream (`protocol="anthropic"`) of the blocks given, as they come: each started
 * whole, then its one delta if it has one, then stopped; then `stop_reason` and `message_stop`.
 * For the blocks {@link anthropicReply} does not make: a provider's tool call and its result, a
 * turn paused (`pause_turn`) or cut short.
 */
export function anthropicBlocks(stop_reason: string, ...blocks: Array<[block: object, delta?: object]>): MockResponse & { steps: MockStep[] } {
  const events: Array<{ type: string; [field: string]: unknown }> = [
    { type: 'message_start', message: { id: 'msg_test', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 10, output_tokens: 1 } } },
    ...blocks.flatMap(([content_block, delta], index) => [
      { type: 'content_block_start', index, content_block },
      ...(delta ? [{ type: 'content_block_delta', index, delta }] : []),
      { type: 'content_block_stop', index },
    ]),
    { type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage: { output_tokens: blocks.length } },
    { type: 'message_stop' },
  ];
  return eventSteps(events);
}
