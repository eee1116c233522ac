import { StreamChatError } from './errors.js';
import { arrives } from './message-builder.js';
import { notMessages, notTools, type ChatProtocol, type Decoded, type RequestOptions } from './protocol.js';
import { openaiChat } from './protocols/openai-chat.js';
import { readEvents, type SseEnd } from './sse.js';
import { cancelOnAbort, fetchWithRetries, messageOf, offline, type Attempt, type TransportOptions } from './transport.js';
import type { Delta } from './types.js';

/** Options of {@link streamChat}: the request, and how to run it. */
export interface StreamOptions extends RequestOptions, TransportOptions {}

/** How a response ended normally. */
export interface StreamEnd {
  /** True when the protocol's terminator came (`data: [DONE]`); false when the body ended after the answer said it was complete. */
  terminated: boolean;
  /** The response's HTTP status. */
  status: number;
}

/** Called synchronously once per event of the stream: the parsed event and the deltas it carried. */
export type EventHandler = (raw: object, deltas: Delta[]) => void;

/**
 * Streams one response: builds the request for `options.protocol`, fetches it (retrying until the
 * answer starts), reads the body and calls `onEvent` per event (`onAttempt` as each attempt starts,
 * `onRead` once a read's events are all out). Resolves when the response ended normally; rejects
 * with a {@link StreamChatError}, or with `signal.reason` when aborted.
 */
export function streamResponse(options: StreamOptions, onEvent: EventHandler, onAttempt?: () => void, onRead?: () => void): Promise<StreamEnd> {
  let started = false;
  /** Whether this attempt's stream sent an event (a role chunk): a stall after it, before any of the answer, may be a model reasoning in silence. */
  let evented = false;
  // (An event without `raw`, a marker such as `[DONE]`, is not the page's.)
  const deliver = ({ raw, deltas }: Decoded) => {
    if (!raw) return;
    evented = true;
    if (!started) started = deltas.some(arrives);
    onEvent(raw, deltas);
  };
  const run = (protocol: ChatProtocol) => {
    let request: ReturnType<ChatProtocol['buildRequest']>;
    try {
      // One tool, not an array of them, would otherwise go as none, and one without a name went as a
      // function without one; messages, from plain JavaScript (or changed in place), each protocol
      // would read as far as the first that is not one; a fetch that is no function failed as a
      // network error, tried again.
      if (options.fetch && typeof options.fetch != 'function') throw new TypeError('fetch must be a function.');
      const why = notTools(options.tools) ?? notMessages(options.messages);
      if (why) throw new TypeError(why);
      // A key or model pasted with spaces or a line break around it goes without them; a blank one is
      // none, and a falsy one (a framework's `cond && key`). (Over the options, their own fields too:
      // a protocol's copy, `{ ...options }`, has them.)
      options = { __proto__: options, ...options, key: `${options.key || ''}`.trim(), model: `${options.model || ''}`.trim() } as unknown as StreamOptions;
      request = protocol.buildRequest(options);
    } catch (cause) {
      // A body no JSON can hold (a BigInt, a cycle) or a message that is not one: no request, one error.
      return Promise.reject(new StreamChatError('protocol', `The request could not be built: ${messageOf(cause)}`, { cause }));
    }
    // Each attempt's body from its start (`onAttempt`): a retry comes only before any of the answer.
    return fetchWithRetries(request, options, (attempt) => (onAttempt?.(), (evented = false), readResponse(attempt, protocol, deliver, onRead)), () => started, () => evented && !started);
  };
  const protocol = protocolNamed(options.protocol);
  return protocol instanceof Promise ? protocol.then(run) : run(protocol);
}

/**
 * The wire format of a name. Chat-completions is part of the bundle; the other two are loaded the
 * first time a request uses them (chunks next to the bundle), so pages that do not pay nothing.
 */
function protocolNamed(name: string | undefined): ChatProtocol | Promise<ChatProtocol> {
  return !name || name === 'openai-chat'
    ? openaiChat
    : name === 'openai-responses'
      ? import('./protocols/openai-responses.js').then((module) => module.openaiResponses)
      : name === 'anthropic'
        ? import('./protocols/anthropic.js').then((module) => module.anthropic)
        : Promise.reject(new StreamChatError('protocol', `Unknown protocol ${JSON.stringify(name)}: use "openai-chat", "openai-responses" or "anthropic".`));
}

/**
 * What a decoder makes of an event or a whole answer. One that throws (a shape nobody foresaw, a
 * bug) fails the answer as a protocol error, the text before it kept, not tried again: bare, it
 * left `streamResponse` with no StreamChatError, and a turn read it as a network error and asked
 * again, which fails the same way.
 */
const read = (decode: () => Decoded): Decoded => {
  try {
    return decode();
  } catch (cause) {
    throw cause instanceof StreamChatError ? cause : new StreamChatError('protocol', `The endpoint sent data this client could not read: ${messageOf(cause)}`, { cause });
  }
};

async function readResponse(attempt: Attempt, protocol: ChatProtocol, onDecoded: (decoded: Decoded) => void, onRead?: () => void): Promise<StreamEnd> {
  let { response, url } = attempt;
  const { status } = response;
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  const decoder = protocol.createDecoder();
  if (type.includes('application/json')) {
    const eventStream = /^\s*(data|event|id|retry|:)/;
    let text: string;
    let body: ReadableStream<Uint8Array>;
    let release: (() => void) | undefined;
    try {
      // (node-fetch's body is no web stream: its text, read whole.)
      if (typeof response.body?.getReader != 'function') response = new Response(await response.text());
      const reader = response.body!.getReader();
      release = cancelOnAbort(attempt, reader);
      const peeked: Uint8Array[] = [];
      const head = new TextDecoder();
      text = '';
      // Its first bytes tell an event stream a proxy labelled JSON, which then streams as one, from
      // a JSON answer: read until they match, or five characters past any whitespace do not.
      for (let bytes; !eventStream.test(text) && !/\S[^]{4}/.test(text) && !(bytes = await reader.read()).done; attempt.touch()) {
        peeked.push(bytes.value);
        text += head.decode(bytes.value, { stream: true });
      }
      // The bytes peeked, then the rest, each read touching the stall timer: either takes as long as its answer.
      body = new ReadableStream({
        start: (out) => peeked.forEach((bytes) => out.enqueue(bytes)),
        pull: async (out) => {
          const bytes = await reader.read();
          attempt.touch();
          if (bytes.done) out.close();
          else out.enqueue(bytes.value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      if (!eventStream.test(text)) text = await new Response(body).text();
      // (The body a stop or a stall cancelled ended its reads: not the answer's end.)
      if (attempt.signal.aborted) throw attempt.signal.reason;
    } catch (cause) {
      // Reported like a failure of the stream: the stall, a stop, or a connection that broke.
      throw attempt.failure(cause, 'The connection broke mid-response');
    } finally {
      release?.();
    }
    if (eventStream.test(text)) attempt = { ...attempt, response: (response = new Response(body)) };
    else {
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch (cause) {
        throw new StreamChatError('protocol', 'The endpoint answered with application/json that does not parse.', { cause, status });
      }
      const decoded = read(() => decoder.fromJson(payload));
      onDecoded(decoded);
      if (decoded.error) throw decoded.error;
      return { terminated: false, status };
    }
  }
  const check = `Check that ${url} is the full API URL (e.g. …${protocol.path}).`;
  const page = () => new StreamChatError('protocol', `The endpoint answered with an HTML page, not an event stream. ${check}`, { status });
  if (type.includes('text/html')) throw page();
  // A 204 or 205 has no body by definition (Chromium still hands out an empty stream).
  if (!response.body || status === 204 || status === 205) {
    throw new StreamChatError('protocol', 'The endpoint answered without a body to stream.', { status });
  }
  // node-fetch's body is a Node stream: a setting to change, not a network failure to try again.
  if (typeof response.body.pipeThrough != 'function') {
    throw new StreamChatError('protocol', "The response body is not a web ReadableStream (node-fetch's is not): use the platform's fetch.", { status });
  }
  // (Set past the catch: a read that broke threw there, unless the stream was another protocol's.)
  let end!: SseEnd;
  try {
    end = await readEvents(attempt, (event, cut) => {
      // An event of no data (a gateway's keep-alive `data:`) is none.
      if (!event.data.trim()) return false;
      let decoded: Decoded;
      try {
        decoded = read(() => decoder.decode(event));
      } catch (error) {
        // The body ended inside this event's line and its data does not parse: the connection cut
        // it, and the body is taken to have ended before it. (A provider's error is still one.)
        if (cut && error instanceof StreamChatError && error.kind === 'protocol') return false;
        throw error;
      }
      onDecoded(decoded);
      if (decoded.error) throw decoded.error;
      return decoded.done === true;
    }, () => decoder.complete, onRead);
  } catch (error) {
    if (!(error instanceof StreamChatError && (error.kind === 'network' || error.kind === 'timeout'))) throw error;
    // The answer said it was complete: a connection that breaks or stalls before the terminator
    // ends it all the same.
    if (decoder.complete) return { terminated: false, status };
    if (!decoder.foreign) throw error;
  }
  // Another protocol's stream (Anthropic's to chat-completions, Workers AI's, a native Gemini one),
  // however it ended or broke: a setting to change, not an empty answer, nor a connection to try again.
  if (decoder.foreign) throw new StreamChatError('protocol', `No event was ${protocol.event}: is \`protocol\` right for this endpoint?`, { status });
  if (end.done || decoder.complete) return { terminated: end.done, status };
  // (Also under an event stream's content-type: a gateway's or a login page sent as the stream.)
  if (!end.events && end.page) throw page();
  if (!end.events && end.text && !type.includes('text/event-stream')) {
    throw new StreamChatError('protocol', `The endpoint did not answer with an event stream (content-type: ${type || 'none'}). ${check}`, { status });
  }
  // (A cut connection's body ends so in WebKit, with no error to say the device is offline.)
  throw new StreamChatError('network', `The response ended before it was complete (no ${protocol.end}${offline(url) ? '; this device is offline' : ''}).`);
}

/**
 * One response as an async iterable of {@link Delta}s, for headless use (your own UI, a worker,
 * Node). Leaving the loop early (`break`, `return`, a throw) aborts the request. Throws a
 * `TypeError` when `signal` is not an `AbortSignal`.
 *
 * @example
 * let answer = '';
 * for await (const delta of streamChat({ endpoint, key, messages })) {
 *   if (delta.type === 'text') answer += delta.text;
 * }
 */
export function streamChat(options: StreamOptions): AsyncIterableIterator<Delta> {
  const controller = new AbortController();
  // (From plain JavaScript: no options are the error of no messages; a controller given for its
  // signal failed the first next() with "outer?.addEventListener is not a function", and another
  // object never settled it; a falsy one, `cond && controller.signal`, is none.)
  const outer = (options ??= {} as StreamOptions).signal || undefined;
  if (outer && typeof outer.addEventListener != 'function') throw new TypeError("signal must be an AbortSignal (an AbortController's `signal`).");

  const queue: Delta[] = [];
  let head = 0;
  // What the read before the abort queued (the rest of its events) is dropped: nothing comes after it.
  const forward = () => ((head = queue.length), controller.abort(outer?.reason));
  let settled = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let started: Promise<void> | undefined;
  /** `return()` ended it: a `next()` still waiting is done, not the abort's error. */
  let returned = false;
  /** A `next()` threw or was done: the ones after are done, also after an abort. */
  let ended = false;
  /** The last `next()`: each waits for the one before, as an async generator's do. */
  let pulled: Promise<unknown> = Promise.resolve();

  const finish = (result: { error: unknown } | undefined) => {
    settled = true;
    failure = result;
    outer?.removeEventListener('abort', forward);
    wake?.();
  };
  const start = () => {
    // Listened to from the first next() only: an iterator never iterated leaves nothing on the signal.
    if (outer?.aborted) forward();
    else outer?.addEventListener('abort', forward, { once: true });
    // (An endpoint left out or falsy, from plain JavaScript, is the error of an empty one; a URL, its address.)
    return streamResponse({ ...options, endpoint: `${options.endpoint || ''}`, signal: controller.signal }, (_raw, deltas) => {
      queue.push(...deltas);
      wake?.();
    }).then(
      () => finish(undefined),
      (error: unknown) => finish(returned ? undefined : { error }),
    );
  };
  const pull = async (): Promise<IteratorResult<Delta>> => {
    started ??= start();
    while (head === queue.length && !settled) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    // An abort after the response ended (its end came in the read of the last delta yielded) is
    // heard here: the rest is dropped all the same, and the loop throws the reason, not a normal end.
    if (outer?.aborted && !returned && !ended) (head = queue.length), (failure = { error: outer.reason });
    if (head < queue.length) {
      const value = queue[head++] as Delta;
      // Drop what was read, now and then, so a long stream does not keep every delta.
      if (head > 1024 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      return { done: false, value };
    }
    ended = true;
    if (failure) {
      const { error } = failure;
      failure = undefined;
      throw error;
    }
    return { done: true, value: undefined };
  };

  return {
    next() {
      const next = pulled.then(pull, pull);
      pulled = next;
      return next;
    },
    async return() {
      returned = true;
      if (!settled) controller.abort();
      // Never started: nothing starts after, and the next `next()` is done.
      started ??= Promise.resolve(finish(undefined));
      await started;
      failure = undefined;
      head = queue.length;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
