/**
 * The streaming core's inputs made in memory, for tests that need no network: chunks through the
 * openai-chat decoder into a MessageBuilder, response bodies the test writes piece by piece, an
 * `Attempt` around one, and a fetch that answers from a list. Real network behaviour is tested
 * against test/helpers/server.ts instead.
 *
 * @example
 * const builder = accumulate([chunk({ content: 'Hel' }), chunk({ content: 'lo' })]);
 * builder.message.content; // 'Hello'
 *
 * @example A body that stays open until the test ends it:
 * const body = new TestBody(chunkEvent({ content: 'first' }));
 * const fetch = fakeFetch({ body });
 * body.write(DONE);
 * body.end();
 */
import { StreamChatError } from '../../src/core/errors.js';
import { MessageBuilder } from '../../src/core/message-builder.js';
import { openaiChat } from '../../src/core/protocols/openai-chat.js';
import type { Attempt, Clock } from '../../src/core/transport.js';
import { FakeClock } from './clock.js';

/**
 * Feeds each chunk, as the data of one SSE event, through one openai-chat decoder into a builder,
 * and returns the builder. Throws what the decoder throws; an error it reports with an event is
 * thrown after that event's deltas were applied, as the stream does.
 */
export function accumulate(chunks: readonly object[]): MessageBuilder {
  const decoder = openaiChat.createDecoder();
  const builder = new MessageBuilder();
  for (const chunk of chunks) {
    const decoded = decoder.decode({ data: JSON.stringify(chunk) });
    for (const delta of decoded.deltas) builder.apply(delta);
    if (decoded.error) throw decoded.error;
  }
  return builder;
}

const encoder = new TextEncoder();

/** A response body the test writes to, ends or breaks; it records whether its reader cancelled it. */
export class TestBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** True once the reader cancelled the body (a body read to its end is not cancelled). */
  cancelled = false;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #open = true;

  /** A body holding `pieces`, each its own read, and still open. */
  constructor(...pieces: Array<string | Uint8Array>) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.cancelled = true;
        this.#open = false;
      },
    });
    for (const piece of pieces) this.write(piece);
  }

  /** Text as UTF-8, or bytes as they are: one read for the reader. */
  write(piece: string | Uint8Array): void {
    if (!this.#open) throw new Error('TestBody.write: the body has already ended, failed or been cancelled.');
    this.#controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
  }

  end(): void {
    if (this.#open) this.#controller.close();
    this.#open = false;
  }

  /** Breaks the body: the reader's next read rejects with `reason`, as a cut connection does. */
  fail(reason: unknown): void {
    if (this.#open) this.#controller.error(reason);
    this.#open = false;
  }
}

/** An Attempt around `new Response(body)`, as the transport hands one to the SSE reader. */
export function attemptOf(body: TestBody, clock: Clock = new FakeClock()): Attempt {
  return {
    url: 'https://api.example.test/v1/chat/completions',
    response: new Response(body.stream),
    signal: new AbortController().signal,
    clock,
    touch() {},
    failure: (cause, message) => (cause instanceof StreamChatError ? cause : new StreamChatError('network', message, { cause })),
  };
}

/** How {@link fakeFetch} answers one request. */
export interface FakeResponse {
  /** Default 200. */
  status?: number;
  /** Merged over `content-type: text/event-stream`. */
  headers?: Record<string, string>;
  /** Text sent as one read before the body ends, or a body the test writes. Default: empty. */
  body?: string | TestBody;
  /** fetch rejects with this instead (a network failure). */
  error?: Error;
}

/** A request {@link fakeFetch} received. */
export interface FakeRequest {
  url: string;
  init: RequestInit;
}

/**
 * A fetch that answers each request with the next response of the list (the last one repeats),
 * recording the requests. Like the platform's, it rejects when the signal is already aborted and
 * breaks the body when the signal aborts later.
 */
export function fakeFetch(...responses: FakeResponse[]): typeof fetch & { readonly requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  const answer = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const reply = responses[Math.min(requests.length, responses.length - 1)] ?? {};
    requests.push({ url: String(input), init });
    const { signal } = init;
    if (signal?.aborted) throw signal.reason;
    if (reply.error) throw reply.error;
    let body = reply.body;
    if (!(body instanceof TestBody)) {
      body = body ? new TestBody(body) : new TestBody();
      body.end();
    }
    const open = body;
    signal?.addEventListener('abort', () => open.fail(signal.reason), { once: true });
    return new Response(open.stream, { status: reply.status ?? 200, headers: { 'content-type': 'text/event-stream', ...reply.headers } });
  };
  return Object.assign(answer, { requests });
}

/** A non-2xx answer of {@link fakeFetch} with an OpenAI-style JSON error body, as server.ts's `httpError` plays it. */
export function fakeHttpError(status: number, message: string, headers: Record<string, string> = {}): FakeResponse {
  const body = JSON.stringify({ error: { message, type: 'test_error', code: `status_${status}` } });
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}
