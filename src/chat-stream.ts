import { createChunkParser } from './chunk-parser.js';
import { StreamChatError, providerErrorCode, providerErrorMessage } from './errors.js';
import { buildChatRequest, type ChatRequestOptions } from './request.js';
import type { ChatCompletionChunk } from './types.js';

/** Options of {@link streamChatCompletion} and {@link streamChat}: the request plus how to run it. */
export interface ChatStreamOptions extends ChatRequestOptions {
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /**
   * Automatic retries of a request that failed before any content arrived (network error, 408,
   * 409, 429, 5xx), with exponential backoff and jitter, honouring `Retry-After`. A role-only
   * chunk is not content. Default: 2.
   */
  retries?: number | undefined;
  /** Stall timeout in ms: no bytes for this long fails with kind `"timeout"`. 0 disables. Default: 120000. */
  timeout?: number | undefined;
  /** First backoff delay in ms; doubled on each retry. Default: 500. */
  retryDelay?: number | undefined;
  /** Aborts the request; the returned promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** How a response ended normally. */
export interface StreamEnd {
  /** True when the server sent `data: [DONE]`; false when it ended after a finish_reason without it. */
  doneMarker: boolean;
  /** The response's HTTP status. */
  status: number;
}

export const DEFAULT_RETRIES = 2;
export const DEFAULT_TIMEOUT = 120_000;
const DEFAULT_RETRY_DELAY = 500;
/** A server asking to wait longer than this is not retried automatically: the user decides. */
const MAX_RETRY_WAIT = 60_000;
const RETRYABLE_STATUS = new Set([408, 409, 429]);
/** Characters of SSE text parsed at a time, and the main-thread time after which parsing yields. */
const READ_SLICE = 16_384;
const SLICE_BUDGET_MS = 8;

/**
 * Streams one chat completion: builds the request, fetches it (retrying until content starts),
 * decodes the body and calls `onChunk` synchronously for each chunk as it is parsed.
 * Resolves when the response ended normally (`[DONE]`, or a finish_reason and then the end of the
 * body); rejects with a {@link StreamChatError}, or with `signal.reason` when aborted.
 */
export async function streamChatCompletion(
  options: ChatStreamOptions,
  onChunk: (chunk: ChatCompletionChunk) => void,
): Promise<StreamEnd> {
  const { url, init } = buildChatRequest(options);
  checkEndpoint(url);
  const retries = Math.max(0, options.retries ?? DEFAULT_RETRIES);
  const baseDelay = options.retryDelay ?? DEFAULT_RETRY_DELAY;
  let started = false;
  const deliver = (chunk: ChatCompletionChunk) => {
    if (!started) started = carriesContent(chunk);
    onChunk(chunk);
  };
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce(url, init, options, deliver);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const wait = started || attempt >= retries || !isRetryable(error) ? undefined : retryWait(error, attempt, baseDelay);
      if (wait === undefined) throw redactKey(error, options.key);
      await sleep(wait, options.signal);
    }
  }
}

async function attemptOnce(
  url: string,
  init: RequestInit,
  options: ChatStreamOptions,
  onChunk: (chunk: ChatCompletionChunk) => void,
): Promise<StreamEnd> {
  const controller = new AbortController();
  const outer = options.signal;
  const abortFromOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) throw outer.reason;
  outer?.addEventListener('abort', abortFromOuter, { once: true });
  const stall = new StallTimer(options.timeout ?? DEFAULT_TIMEOUT, () => controller.abort());
  let ended = false;
  try {
    const fetchFn = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchFn(url, { ...init, signal: controller.signal });
    } catch (cause) {
      throw failure(cause, stall, outer, `Could not reach ${url}: ${messageOf(cause)}`);
    }
    stall.touch();
    if (!response.ok) throw await httpError(response, stall, outer);
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    if (type.includes('application/json')) {
      const completion = await readJson(response, stall, outer);
      onChunk(completionAsChunk(completion));
      ended = true;
      return { doneMarker: false, status: response.status };
    }
    if (type.includes('text/html')) {
      throw new StreamChatError(
        'protocol',
        `The endpoint answered with an HTML page, not a chat-completions stream. Check that ${url} is the full chat-completions URL (e.g. …/v1/chat/completions) and not a web page.`,
        { status: response.status },
      );
    }
    // A 204 or 205 has no body by definition (Chromium still hands out an empty stream).
    if (!response.body || response.status === 204 || response.status === 205) {
      throw new StreamChatError('protocol', 'The endpoint answered without a body to stream.', { status: response.status });
    }
    const end = await readStream(response.body, controller.signal, stall, outer, onChunk, url, type);
    ended = true;
    return { doneMarker: end, status: response.status };
  } finally {
    stall.stop();
    outer?.removeEventListener('abort', abortFromOuter);
    if (!ended) controller.abort();
  }
}

/** Reads SSE bytes to the end; returns whether `[DONE]` was seen. */
async function readStream(
  body: ReadableStream<BufferSource>,
  signal: AbortSignal,
  stall: StallTimer,
  outer: AbortSignal | undefined,
  onChunk: (chunk: ChatCompletionChunk) => void,
  url: string,
  type: string,
): Promise<boolean> {
  let finished = false;
  const parser = createChunkParser({
    onChunk(chunk) {
      if (!finished && Array.isArray(chunk.choices)) {
        for (const choice of chunk.choices) if (choice?.finish_reason != null) finished = true;
      }
      onChunk(chunk);
    },
  });
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let bytesSeen = false;
  let sliceStart = performance.now();
  try {
    for (;;) {
      let read: ReadableStreamReadResult<string>;
      try {
        read = await reader.read();
      } catch (cause) {
        throw failure(cause, stall, outer, `The connection broke mid-response: ${messageOf(cause)}`);
      }
      stall.touch();
      if (read.done) break;
      const text = read.value;
      if (text) bytesSeen = true;
      // Chromium hands over reads of hundreds of KB at full speed; parsing one whole would be a
      // long task. Parse in slices and give the main thread back once a slice budget is spent.
      for (let at = 0; at < text.length; at += READ_SLICE) {
        parser.feed(text.length <= READ_SLICE ? text : text.slice(at, at + READ_SLICE));
        if (parser.done) return true;
        if (performance.now() - sliceStart > SLICE_BUDGET_MS) {
          await yieldToMain();
          if (signal.aborted) throw failure(signal.reason, stall, outer, 'The response was stopped.');
          sliceStart = performance.now();
        }
      }
    }
    parser.end();
    if (parser.done) return true;
    if (finished) return false;
    if (parser.events === 0 && bytesSeen && !type.includes('text/event-stream')) {
      throw new StreamChatError(
        'protocol',
        `The endpoint did not answer with a chat-completions stream (content-type: ${type || 'none'}). Check the endpoint URL ${url}.`,
      );
    }
    throw new StreamChatError('network', 'The response ended before it was complete (no [DONE] and no finish_reason).');
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** Keeps the stall timeout without re-arming a timer per read: one timer checks the last activity. */
class StallTimer {
  fired = false;
  readonly ms: number;
  #last = performance.now();
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onStall: () => void;

  constructor(ms: number, onStall: () => void) {
    this.ms = ms;
    this.#onStall = onStall;
    if (ms > 0) this.#arm(ms);
  }

  touch(): void {
    this.#last = performance.now();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delay: number): void {
    this.#timer = setTimeout(() => {
      const idle = performance.now() - this.#last;
      if (idle >= this.ms) {
        this.fired = true;
        this.#onStall();
      } else {
        this.#arm(this.ms - idle);
      }
    }, delay);
  }
}

function failure(cause: unknown, stall: StallTimer, outer: AbortSignal | undefined, message: string): unknown {
  if (outer?.aborted) return outer.reason;
  if (cause instanceof StreamChatError) return cause;
  if (stall.fired) {
    return new StreamChatError('timeout', `No data arrived for ${formatSeconds(stall.ms)}; the response was stopped.`, { cause });
  }
  return new StreamChatError('network', message, { cause });
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

async function readText(response: Response, stall: StallTimer, outer: AbortSignal | undefined): Promise<string> {
  try {
    return await response.text();
  } catch (cause) {
    throw failure(cause, stall, outer, `The connection broke while reading the response: ${messageOf(cause)}`);
  }
}

async function httpError(response: Response, stall: StallTimer, outer: AbortSignal | undefined): Promise<StreamChatError> {
  const text = await readText(response, stall, outer).catch((error: unknown) => {
    if (outer?.aborted || (error instanceof StreamChatError && error.kind === 'timeout')) throw error;
    return '';
  });
  let detail: string | undefined;
  let code: string | undefined;
  try {
    const payload: unknown = JSON.parse(text);
    detail = providerErrorMessage(payload);
    code = providerErrorCode(payload);
  } catch {
    detail = undefined;
  }
  const status = response.status;
  const reason = detail ?? (looksLikeHtml(text) ? undefined : text.trim().slice(0, 200)) ?? '';
  const message = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}${reason ? `: ${reason}` : ''}`;
  return new StreamChatError('http', message, { status, retryAfter: parseRetryAfter(response.headers), code });
}

async function readJson(response: Response, stall: StallTimer, outer: AbortSignal | undefined): Promise<Record<string, unknown>> {
  const text = await readText(response, stall, outer);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (cause) {
    throw new StreamChatError('protocol', 'The endpoint answered with application/json that does not parse.', { cause });
  }
  if (payload !== null && typeof payload === 'object' && 'error' in payload && payload.error != null) {
    throw new StreamChatError('provider', providerErrorMessage(payload) ?? 'The provider reported an error');
  }
  if (payload === null || typeof payload !== 'object' || !Array.isArray((payload as { choices?: unknown }).choices)) {
    throw new StreamChatError('protocol', 'The endpoint answered with JSON that is not a chat completion (no "choices").');
  }
  return payload as Record<string, unknown>;
}

/** A server that ignored `stream: true` sent the whole completion: make it the one chunk of a stream. */
function completionAsChunk(completion: Record<string, unknown>): ChatCompletionChunk {
  const choices = (completion['choices'] as Array<Record<string, unknown> | null>).map((choice) => {
    const message = (choice?.['message'] ?? {}) as Record<string, unknown>;
    const toolCalls = Array.isArray(message['tool_calls'])
      ? (message['tool_calls'] as object[]).map((call, index) => ({ index, ...call }))
      : undefined;
    return {
      index: (choice?.['index'] as number | undefined) ?? 0,
      delta: { ...message, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
      finish_reason: (choice?.['finish_reason'] as string | null | undefined) ?? 'stop',
    };
  });
  return { ...completion, object: 'chat.completion.chunk', choices };
}

/**
 * Providers echo a rejected key in their error text ("Incorrect API key provided: sk-…"); the
 * message is shown on screen and handed to the page, so the key is cut out of it.
 */
function redactKey(error: unknown, key: string | undefined): unknown {
  // A few characters are no secret, and replacing them would garble the message.
  if (key && key.length >= 8 && error instanceof Error && error.message.includes(key)) {
    error.message = error.message.replaceAll(key, '[key]');
  }
  return error;
}

/** Whether a chunk carries any of the answer; a role-only or usage-only chunk does not. */
function carriesContent(chunk: ChatCompletionChunk): boolean {
  if (!Array.isArray(chunk.choices)) return false;
  return chunk.choices.some((choice) => {
    const delta = choice?.delta;
    return delta != null && Boolean(delta.content || delta.reasoning_content || delta.reasoning || delta.refusal || delta.tool_calls?.length);
  });
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof StreamChatError)) return false;
  if (error.kind === 'network') return true;
  if (error.kind !== 'http' || error.status === undefined) return false;
  return RETRYABLE_STATUS.has(error.status) || error.status >= 500;
}

/** The wait before retry `attempt + 1`, or undefined when the server asked for too long a wait. */
function retryWait(error: unknown, attempt: number, baseDelay: number): number | undefined {
  const backoff = baseDelay * 2 ** attempt * (0.5 + Math.random() / 2);
  const retryAfter = error instanceof StreamChatError ? error.retryAfter : undefined;
  if (retryAfter === undefined) return backoff;
  const asked = retryAfter * 1000;
  return asked > MAX_RETRY_WAIT ? undefined : asked;
}

/** `Retry-After` as seconds or an HTTP date, or OpenAI's `retry-after-ms`; in seconds. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms)) / 1000;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  // An HTTP date names its month; without one, Date.parse would read "-5" or "3 s" as a date.
  const date = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** Lets rendering and input run: `scheduler.yield()` where there is one, a macrotask elsewhere. */
function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function checkEndpoint(url: string): void {
  if (!url.trim()) {
    throw new StreamChatError('network', 'No endpoint is set: give <stream-chat> an endpoint (the chat-completions URL).');
  }
  try {
    new URL(url, globalThis.location?.href ?? 'http://localhost/');
  } catch (cause) {
    throw new StreamChatError('network', `The endpoint ${JSON.stringify(url)} is not a valid URL.`, { cause });
  }
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body)/i.test(text);
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * The streaming core as an async iterable, for headless use (your own UI, a worker, Node).
 * Leaving the loop early (`break`, `return`, a throw) aborts the request.
 *
 * @example
 * const acc = new Accumulator();
 * for await (const chunk of streamChat({ endpoint, key, messages })) acc.push(chunk);
 */
export function streamChat(options: ChatStreamOptions): AsyncIterableIterator<ChatCompletionChunk> {
  const controller = new AbortController();
  const outer = options.signal;
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });

  const queue: ChatCompletionChunk[] = [];
  let head = 0;
  let settled = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let started: Promise<void> | undefined;

  const start = () =>
    streamChatCompletion({ ...options, signal: controller.signal }, (chunk) => {
      queue.push(chunk);
      wake?.();
    }).then(
      () => finish(undefined),
      (error: unknown) => finish({ error }),
    );
  const finish = (result: { error: unknown } | undefined) => {
    settled = true;
    failure = result;
    outer?.removeEventListener('abort', forward);
    wake?.();
  };

  const iterator: AsyncIterableIterator<ChatCompletionChunk> = {
    async next() {
      started ??= start();
      while (head === queue.length && !settled) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (head < queue.length) {
        const value = queue[head++] as ChatCompletionChunk;
        if (head > 1024 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        return { done: false, value };
      }
      if (failure) {
        const { error } = failure;
        failure = undefined;
        throw error;
      }
      return { done: true, value: undefined };
    },
    async return() {
      if (!settled) controller.abort();
      await started;
      failure = undefined;
      head = queue.length;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
