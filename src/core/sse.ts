import { createParser } from 'eventsource-parser';
import { htmlPage } from './errors.js';
import type { ServerSentEvent } from './protocol.js';
import { cancelOnAbort, type Attempt } from './transport.js';

/** How a body read by {@link readEvents} ended. */
export interface SseEnd {
  /** `onEvent` said the stream is complete (its terminator came). */
  done: boolean;
  /** SSE events parsed. */
  events: number;
  /** Whether the body had any text at all. */
  text: boolean;
  /** Whether its text opens as a web page ({@link htmlPage}), not an event stream. */
  page: boolean;
}

/** Characters of SSE text parsed at a time, and the main-thread time after which parsing yields. */
const READ_SLICE = 16_384;
const SLICE_BUDGET_MS = 8;
/**
 * After the terminator the body is still read to its end, so the request completes normally
 * (cancelling it shows as a failed request in DevTools); a server that keeps the connection open
 * longer than this is cancelled. So is one that said the answer is complete (a finish reason) and
 * then sends no terminator: the answer ends then.
 */
const END_GRACE_MS = 2_000;
/**
 * The read after the terminator in Node: no DevTools shows it there, and a read still waiting keeps
 * a script running.
 */
const DRAIN_MS = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ? 100 : END_GRACE_MS;

/** Cancels `reader` after `ms` on the attempt's clock. */
const grace = (reader: ReadableStreamDefaultReader<string>, attempt: Attempt, ms: number): unknown => attempt.clock.setTimeout(() => reader.cancel().catch(() => {}), ms);

/**
 * Reads an SSE body: bytes through `TextDecoderStream` (characters split across reads stay whole),
 * events framed by eventsource-parser (partial lines, CRLF/CR/LF, comments, multi-line data).
 * `onEvent` is called synchronously per event and returns true at the stream's terminator; it may
 * throw to fail the read. Its `cut` is true for an event the body ended inside a line of: one the
 * connection cut (a last event whose lines are whole and only lacks the blank line is not).
 * llama.cpp's `error: {…}` line (servers before late 2025) is delivered as an event named `error`.
 * `onRead` is called once a read's events are all delivered.
 */
export async function readEvents(
  attempt: Attempt,
  onEvent: (event: ServerSentEvent, cut: boolean) => boolean,
  complete?: () => boolean,
  onRead?: () => void,
): Promise<SseEnd> {
  let done = false;
  let events = 0;
  let cut = false;
  const parser = createParser({
    onEvent(event) {
      events++;
      done ||= onEvent(event, cut);
    },
    onError(error) {
      // (Only an unknown field's error has a `field`: its name.)
      if (error.field === 'error') done ||= onEvent({ event: 'error', data: error.value ?? '' }, cut);
    },
  });
  const body = attempt.response.body as ReadableStream<BufferSource>;
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const release = cancelOnAbort(attempt, reader);
  /**
   * The last character read: none, no text came; one that is no line break at the body's end, it
   * ended inside a line.
   */
  let last = '';
  /** The body's first characters, enough to tell a web page by. */
  let head = '';
  /** The grace after the answer said it is complete, while no terminator came (see {@link END_GRACE_MS}). */
  let after: unknown;
  try {
    for (;;) {
      if (!after && complete?.()) after = grace(reader, attempt, END_GRACE_MS);
      let read: ReadableStreamReadResult<string>;
      try {
        read = await reader.read();
      } catch (cause) {
        throw attempt.failure(cause, 'The connection broke mid-response');
      }
      if (attempt.signal.aborted) throw attempt.failure(attempt.signal.reason, 'The response was stopped');
      attempt.touch();
      // The slice budget counts parsing, not the wait for the network.
      let sliceStart = performance.now();
      if (read.done) break;
      const chunk = read.value;
      if (chunk) last = chunk.at(-1)!;
      if (head.length < 1024) head += chunk;
      // Chromium hands over reads of hundreds of KB at full speed; parsing one whole would be a
      // long task. Parse in slices and give the main thread back once a slice budget is spent.
      for (let at = 0; at < chunk.length; at += READ_SLICE) {
        parser.feed(chunk.slice(at, at + READ_SLICE));
        if (done) {
          // What follows the terminator is read to the end of the body, or cancelled after a grace ({@link DRAIN_MS}).
          const timer = grace(reader, attempt, DRAIN_MS);
          const next = (): Promise<unknown> => reader.read().then((rest) => rest.done || next());
          next()
            .catch(() => {})
            .finally(() => attempt.clock.clearTimeout(timer));
          return { done, events, text: last !== '', page: htmlPage(head) };
        }
        if (performance.now() - sliceStart > SLICE_BUDGET_MS) {
          await yieldToMain();
          if (attempt.signal.aborted) throw attempt.failure(attempt.signal.reason, 'The response was stopped');
          sliceStart = performance.now();
        }
      }
      // Every event of the read is out (a long one's slices yielded between them).
      onRead?.();
    }
    // Two line feeds complete a last line and dispatch a last event that the server did not
    // terminate; after a complete event they are an empty block, which dispatches nothing.
    cut = last !== '\n' && last !== '\r';
    parser.feed('\n\n');
    return { done, events, text: last !== '', page: htmlPage(head) };
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    release();
    attempt.clock.clearTimeout(after);
  }
}

/** Lets rendering and input run: `scheduler.yield()` where there is one, a macrotask elsewhere. */
function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve));
}
