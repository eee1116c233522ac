import { StreamChatError, cut, htmlPage, providerErrorMessage, providerFields, written, transient, type StreamChatErrorOptions } from './errors.js';

/** Time for the transport: a test passes its own to control retries, stalls and graces without waiting. */
export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The platform's clock. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How a request is run: fetch, retries, stall timeout, abort. */
export interface TransportOptions {
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /**
   * Automatic retries of a request that failed before anything of the answer arrived (network
   * error, but not while the browser is offline, unless to this device; 408, 409, 429, 5xx but
   * 501, or the like sent in the stream: `overloaded_error`, `server_error`), with exponential backoff (up to
   * 60 s) and jitter, honouring `Retry-After`. Not a number, or `Infinity`: the default.
   * @defaultValue 2
   */
  retries?: number | undefined;
  /** Stall timeout in ms: no bytes for this long fails with kind `"timeout"`. 0 disables. @defaultValue 120000 */
  timeout?: number | undefined;
  /**
   * First backoff delay in ms; doubled on each retry, up to 60 s (or this, when longer). Longer than
   * a timer can wait (2^31 − 1 ms, about 24.8 days; `Infinity` too), it is that long; negative, or
   * not a number, it is the default.
   * @defaultValue 500
   */
  retryDelay?: number | undefined;
  /** Aborts the request; the promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Time for retries, the stall timer and the grace after the end of a stream. @defaultValue the platform's */
  clock?: Clock | undefined;
  /** Random numbers in [0, 1) for the backoff's jitter. @defaultValue `Math.random` */
  random?: (() => number) | undefined;
}

/** One attempt's response, handed to the reader with what it needs to report on it. */
export interface Attempt {
  /** The endpoint, as errors say it (without its query, fragment or credentials). */
  readonly url: string;
  readonly response: Response;
  /** Aborted when the attempt is abandoned (stall, stop). */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Call on every read: the stall timer counts from the last one. */
  touch(): void;
  /**
   * The error to throw for a failure of the body: the stall, a stop, or a `network` error that is
   * `message`, why (`this device is offline`, when the browser knows it is and the endpoint is not
   * on this device) and the cause's message.
   */
  failure(cause: unknown, message: string, why?: string): unknown;
}

/**
 * Cancels `reader` once the attempt's signal aborts, at once when it already has: a stop or a
 * stall aborts the fetch's signal, which a fetch of the page's own (a wrapper, a mock) may not
 * pass on, and a read of its body waited for ever. Returns what removes the listener.
 */
export function cancelOnAbort({ signal }: Pick<Attempt, 'signal'>, reader: { cancel(): Promise<void> }): () => void {
  const cancel = () => void reader.cancel().catch(() => {});
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel);
  return () => signal.removeEventListener('abort', cancel);
}

export const DEFAULT_RETRIES = 2;
export const DEFAULT_TIMEOUT = 120_000;
const DEFAULT_RETRY_DELAY = 500;
/** A server asking to wait longer than this is not retried automatically: the user decides. */
const MAX_RETRY_WAIT = 60_000;

/**
 * POSTs `request` and hands each 2xx response to `read`, retrying failures (network errors, 408,
 * 409, 429, 5xx, the like sent in the stream) with backoff until `started()` says the answer
 * began. Rejects with a {@link StreamChatError}, or with `signal.reason` when aborted. A stall
 * while `silent()` (events came, none of the answer) may be a model that reasons in silence: its
 * message says so.
 */
export async function fetchWithRetries<T>(
  request: { url: string; init: RequestInit },
  options: TransportOptions & { key?: string | undefined; headers?: Record<string, string> | undefined },
  read: (attempt: Attempt) => Promise<T>,
  started: () => boolean,
  silent?: () => boolean,
): Promise<T> {
  const { url } = request;
  const { username, password } = checkEndpoint(url, options.fetch);
  // (Not the protocol's own headers, whose values a provider's error may say: "Content-Type must
  // be application/json".)
  const sent = [options.key, ...Object.entries(options.headers ?? {}).map(([name, value]) => (/^(content-type|accept|(anthropic|openai)-(version|beta)|http-referer|x-title)$/i.test(name) ? '' : value))];
  // (And a key in its query: Gemini's `?key=`, Azure's `?api-key=`, a proxy's `?token=`, Azure
  // Functions' `?code=`, a signed URL's `X-Amz-Signature=`, a database's `?pwd=`; not `barcode=`
  // nor `author=`.)
  // (Credentials before its host, which a page's own fetch may send: a user name that is a word
  // alone, `developer`, is a name, no key, and said elsewhere in a message; each also decoded, as a
  // server reads and echoes it: a signature's base64, `sig=a%2Fb`, said `a/b`.)
  const secrets = [...sent, ...[/^\p{L}+$/u.test(username) ? '' : username, password, ...(url.match(/(?<=(key|token|sig|signature|secret|passw(or)?d|pwd|credentials?)=|[?&](code|auth)=)[^&#]+/gi) ?? [])].flatMap((value) => [value, new URLSearchParams('=' + value).get('')])];
  try {
    // A key or header fetch cannot send (a character beyond Latin-1, pasted with the key) fails
    // the same way every time, before anything goes out: one error, not a network failure retried.
    // (Where there is no `Headers`, a test environment with its own fetch, that fetch decides.)
    if (typeof Headers == 'function') new Headers(request.init.headers);
  } catch (cause) {
    // Where in the key, where the platform says "non ISO-8859-1 code point" (an ellipsis or a
    // curly quote a copy of a shortened key brought): a position, not the key.
    // (The key comes trimmed: see streamResponse.)
    const at = options.key?.search(/[\0\n\r\u0100-\uffff]/) ?? -1;
    const why = at < 0 ? messageOf(cause) : `character ${at + 1} of the key cannot be sent in a header: was the key copied whole?`;
    throw redact(new StreamChatError('protocol', `The request could not be built: ${why}`), secrets, url);
  }
  // The key and the page's headers go to `endpoint` only: a redirect, which would take them (all
  // but Authorization) to wherever it points, is not followed. (A query is not taken along: the
  // redirect's own URL is the one asked.)
  if (sent.some(Boolean)) request = { url, init: { ...request.init, redirect: 'manual' } };
  const clock = options.clock ?? systemClock;
  // (A negative count retries nothing, as 0 does: the first attempt is already past it. Infinity is
  // the default: it asked a server that said `retry-after: 0` about 100 times a second, for good.)
  const retries = countOr(options.retries, DEFAULT_RETRIES);
  // (Negative, it retried at once, at a server that had just failed: no wait a page means.)
  const baseDelay = numberOr(options.retryDelay! >= 0 ? options.retryDelay : NaN, DEFAULT_RETRY_DELAY);
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce(request, options, clock, read, silent);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const wait = started() || attempt >= retries || !isRetryable(error, url) ? undefined : retryWait(error, attempt, baseDelay, random);
      if (wait === undefined) throw redact(error, secrets, url);
      await sleep(clock, wait, options.signal);
    }
  }
}

async function attemptOnce<T>(
  request: { url: string; init: RequestInit },
  options: TransportOptions,
  clock: Clock,
  read: (attempt: Attempt) => Promise<T>,
  silent?: () => boolean,
): Promise<T> {
  const controller = new AbortController();
  const outer = options.signal;
  const abortFromOuter = () => controller.abort(outer!.reason);
  if (outer?.aborted) throw outer.reason;
  outer?.addEventListener('abort', abortFromOuter, { once: true });
  const ms = numberOr(options.timeout, DEFAULT_TIMEOUT);
  let stalled = false;
  const stall = stallTimer(clock, ms, () => {
    stalled = true;
    controller.abort();
  });
  const shown = shownOf(request.url);
  const failure = (cause: unknown, message: string, why?: string): unknown => {
    if (outer?.aborted) return outer.reason;
    if (cause instanceof StreamChatError) return cause;
    if (stalled)
      return new StreamChatError(
        'timeout',
        `No data arrived for ${ms / 1000} s${response?.ok && silent?.() ? ' after the response started; a model that reasons in silence may still be working: raise `timeout` (or 0)' : '; the response was stopped'}.`,
        { cause },
      );
    if (offline(request.url)) why = 'this device is offline';
    return new StreamChatError('network', `${message}${why ? ` (${why})` : ''}: ${messageOf(cause)}`, { cause });
  };
  let response: Response | undefined;
  try {
    // (Falsy is none, as the check of a fetch that is no function takes it: a framework's `cond && myFetch`.)
    const fetchFn = options.fetch || globalThis.fetch;
    try {
      response = await fetchFn(request.url, { ...request.init, signal: controller.signal });
    } catch (cause) {
      // A page's fetch says no more for a server down than for one whose CORS refused the page.
      throw failure(cause, `Could not reach ${shown}`, 'down, or blocked by CORS?');
    }
    // (A page's wrapper that forgot its `return`: read, it failed as a network error, tried again.)
    if (!response?.headers) throw new StreamChatError('protocol', 'fetch must return a Response.');
    stall.touch();
    // A redirect not followed: opaque in a browser, its 3xx elsewhere.
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      throw new StreamChatError('http', `${shown} redirects, and a request with a key or headers follows no redirect: set endpoint to where it points.`, {
        status: response.status,
      });
    }
    if (!response.ok) throw await httpError(response, failure, shown, controller.signal);
    return await read({ url: shown, response, signal: controller.signal, clock, touch: stall.touch, failure });
  } catch (error) {
    // The attempt is abandoned: what it still has in flight (the request, its body) stops.
    controller.abort();
    // The request's id from its response's headers (where CORS lets the page read them), when the error's body had none.
    const id = response?.headers?.get('request-id') ?? response?.headers?.get('x-request-id');
    if (id && error instanceof StreamChatError) (error as { requestId?: string }).requestId ??= id;
    throw error;
  } finally {
    stall.stop();
    outer?.removeEventListener('abort', abortFromOuter);
  }
}

/**
 * Keeps the stall timeout without re-arming a timer per read: one timer checks the last activity,
 * and calls `onStall` once `ms` passed without a `touch()` (none when `ms` is 0 or less).
 */
function stallTimer(clock: Clock, ms: number, onStall: () => void): { touch: () => void; stop: () => void } {
  let last = clock.now();
  let timer: unknown;
  /** Whether this check is the second after a late one. */
  let late = false;
  const arm = (delay: number): void => {
    const due = clock.now() + delay;
    // (A timer's longest delay: a longer one, `Infinity` too, runs at once, and would again and again.)
    timer = clock.setTimeout(() => {
      const now = clock.now();
      const idle = now - last;
      // A second late or more, the page was frozen or asleep (a tab in the background, a laptop
      // shut): what came meanwhile is still to be read, after this. It is given a second, once.
      late = now - due >= 1000 && !late;
      if (late) arm(1000);
      else if (idle >= ms) onStall();
      else arm(ms - idle);
    }, Math.min(delay, 2 ** 31 - 1));
  };
  if (ms > 0) arm(ms);
  return {
    touch() {
      last = clock.now();
    },
    stop() {
      clock.clearTimeout(timer);
    },
  };
}

async function httpError(response: Response, failure: Attempt['failure'], url: string, signal: AbortSignal): Promise<StreamChatError> {
  let text = '';
  let release: (() => void) | undefined;
  try {
    // Read, not `text()`: a stop or a stall cancels the body also when the page's fetch does not
    // pass the signal on (node-fetch's body, no web stream, is read whole).
    if (typeof response.body?.getReader != 'function') text = await response.text();
    else {
      const reader = response.body.getReader();
      release = cancelOnAbort({ signal }, reader);
      const decoder = new TextDecoder();
      // 64 K characters at most: a provider's error is far shorter, and 200 are shown; a body that
      // never ends was read to the engine's longest string (512 MB).
      for (let bytes; text.length < 65536 && !(bytes = await reader.read()).done; ) text += decoder.decode(bytes.value, { stream: true });
      // (A last character cut short is U+FFFD, as text() gives it.)
      text += decoder.decode();
      if (signal.aborted) throw signal.reason;
      if (text.length >= 65536) void reader.cancel().catch(() => {});
    }
  } catch (cause) {
    // A stop is the stop; a body that stalled or broke leaves the status, which says enough (and
    // whether to try again).
    const error = failure(cause, '');
    if (!(error instanceof StreamChatError)) throw error;
    text = '';
  } finally {
    release?.();
  }
  let detail: string | undefined;
  /** The provider's code and the request's id, from a JSON body. */
  let provider: StreamChatErrorOptions | undefined;
  try {
    const payload: unknown = JSON.parse(text);
    detail = providerErrorMessage(payload);
    provider = providerFields(payload);
  } catch {
    // (Not JSON: the body's text is the reason, below.)
  }
  const status = response.status;
  // (Not a web page's HTML: a gateway's error page says nothing the status does not. An XML
  // error's words without its tags, and its entities and character references as their characters
  // (`&amp;` is `&`, `&#233;` is `é`; a number out of Unicode, or 0, stays as written), as text:
  // S3's `<Error><Code>SlowDown</Code><Message>…`.) Under text/html, any tag first is a page's
  // (`<center>`, `<pre>`); without that type, htmlPage() alone decides, so `<unknown>` stays text.
  const type = response.headers.get('content-type') ?? '';
  const xml = /^\s*<\?xml/.test(text) || /xml/.test(type);
  const words = () =>
    text
      .replace(/<[^>]*>/g, ' ')
      .replace(/&(?:(lt|gt|amp|quot|apos)|#(x?)([\da-fA-F]+));/g, (all, name?: string, x?: string, digits?: string) => {
        const code = Number(x ? `0x${digits}` : digits);
        return name ? { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[name]! : code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
      });
  const reason = detail ?? (htmlPage(text) || (/^\s*text\/html/i.test(type) && /^\s*<[a-z!]/i.test(text)) ? undefined : cut(xml ? words().replace(/\s+/g, ' ').trim() : text.trim(), 200));
  // Not found, not allowed, or not implemented (`python3 -m http.server`'s to a POST), with no
  // more words from the provider (OpenAI's "Invalid URL", a framework's or Anthropic's bare "Not
  // Found"; not a model not found): a base URL or a web page's.
  // Too large, with no words from the provider (a proxy's or a server's body limit): the history sent whole.
  const hint =
    (status === 404 || status === 405 || status === 501) && !/^(?!not found|invalid url|method not allowed|not implemented)./i.test(detail ?? '')
      ? `Check that ${url} is the full API URL.`
      : status === 413 && !detail
        ? 'The conversation is too long for this endpoint.'
        : '';
  const retryAfter = parseRetryAfter(response.headers);
  const head = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}: `;
  let message = reason ? head + reason : head.slice(0, -2);
  // A sentence added after the message: after its own end (`Too Large.`, `?`, `!`, cut()'s `…`,
  // `(see the docs.)`, another script's `。`, `！`, `؟`, `।`, in `」` or `“`) no full stop.
  const add = (sentence: string) => (message += `${/[\p{STerm}…][\p{Pe}\p{QMark}]?$/u.test(message) ? '' : '.'} ${sentence}`);
  if (hint) add(hint);
  // The user is told how long to wait, rounded up: a wait longer than the element's is not waited,
  // a shorter one is, until the retries are spent (a retried error is not shown); in seconds under
  // 2 min (61 s in minutes, rounded up, was "2 min"). Up to a day: past it, a server's number is no
  // wait anyone keeps ("Try again in 1.67e+295 min."). None where no wait mends it (no credit
  // left): Retry after it would fail the same.
  const wait = Math.ceil(retryAfter!);
  if (wait > 0 && wait <= 86400 && !UNMENDABLE.test(provider?.code + message)) add(`Try again in ${wait < 120 ? `${wait} s` : `${Math.ceil(wait / 60)} min`}.`);
  const error = new StreamChatError('http', message, { ...provider, status, retryAfter });
  written.set(error, [message, reason, head.length]);
  return error;
}

/**
 * Providers echo a rejected key in their error text ("Incorrect API key provided: sk-…"); the
 * message is shown on screen and handed to the page, and the stack, made with the message, is what
 * a console or an error tracker prints: the key, and the value of each of the page's headers (and
 * its token: `Authorization: Bearer sk-…` is echoed as its key), is cut out of both: whole, or its
 * start where a long message was cut short.
 */
function redact(error: unknown, secrets: unknown[], url: string): unknown {
  if (!(error instanceof Error)) return error;
  // 8 characters at least: fewer are no secret, and replacing them would garble the message; a
  // number in headers is no secret either.
  // Trimmed, as fetch sends them: a header's value pasted with its line break is echoed without it
  // (the key comes trimmed: see streamResponse). Of a value of two words (`Bearer sk-…`), the
  // second alone too; a title's words are no secret. Its pieces apart from a NUL too, after it
  // whole (WebKit quotes it whole): Firefox quotes a header's value that has one up to it.
  const words = secrets
    .flatMap((secret) => (typeof secret === 'string' ? [secret.trim(), ...secret.trim().split('\0'), /^\S+\s+(\S+)$/.exec(secret.trim())?.[1] ?? ''] : []))
    .filter((word) => word.length >= 8);
  const clean = (text: string) => {
    // The endpoint as the runtime's own message quotes it (Chromium's fetch, refusing credentials in it) is said as errors say it.
    text = text.replaceAll(url, shownOf(url));
    for (const secret of words) {
      text = text.replaceAll(secret, '[key]');
      // Its start only where a text quoted in the message was cut inside it, before the "…".
      for (let n = secret.length - 1; n >= 8; n--) text = text.replaceAll(secret.slice(0, n) + '…', '[key]…');
    }
    return text;
  };
  for (const target of [error, error.cause] as Record<string, unknown>[]) {
    if (!(target instanceof Error)) continue;
    // (And what a provider sent beside it, its code and the request's id, kept in the detail.)
    for (const field of ['message', 'stack', 'code', 'requestId']) {
      const text = target[field];
      // (A DOMException's message has no setter.)
      if (typeof text == 'string' && clean(text) !== text) target[field] = clean(text);
    }
  }
  // (The message as written, to tell it from a page's own: redacted as it is.)
  const made = written.get(error as StreamChatError);
  if (made) written.set(error as StreamChatError, [clean(made[0]), made[1] && clean(made[1]), made[2]]);
  return error;
}

/** A code and message (joined) that say no wait mends the error: see {@link isRetryable}. */
const UNMENDABLE = /^1113|insufficient.(quota|balance)|current_quota|request too large/i;

/**
 * An error the provider sent in the stream that says its side failed or was busy, as a 5xx or a
 * 429 would: Anthropic's `overloaded_error` (its 529) and `api_error`, OpenAI's `server_error`,
 * and in the Responses API's error events `too_many_requests` and `service_unavailable_error`
 * ("Please retry."), Zhipu's `network_error` and DeepSeek's `insufficient_system_resource`
 * finishes, a status a gateway passed on as its code (OpenRouter's, Gemini's); and the HTTP
 * statuses that say so, 408, 409, 429 and 5xx (a Response's status is at most 599) but 501, Not
 * Implemented: a server that takes no POST there (`python3 -m http.server`) answers the same every
 * time.
 */
const RETRYABLE_CODE = /^(?:(overloaded|api|rate_limit|server|network|service_unavailable)_error|rate_limit_exceeded|too_many_requests|insufficient_system_resource|40[89]|429|5(?!01)\d\d)$/;

function isRetryable(error: unknown, url: string): error is StreamChatError {
  if (!(error instanceof StreamChatError)) return false;
  // (Not while the browser knows it is offline: each retry failed the same, and the user waited
  // for them to learn it; Retry once back online asks again.)
  if (error.kind === 'network') return !offline(url);
  // A 429 that waiting cannot mend: no credit left (OpenAI's `insufficient_quota`, Moonshot's
  // `exceeded_current_quota_error`, Zhipu's code 1113, MiniMax's "insufficient balance (1008)",
  // which its Anthropic endpoint sends as a 500), or one request larger than the limit per minute
  // (OpenAI's and Groq's "Request too large"). Retried, the error came seconds later, and each
  // retry sent the whole conversation again.
  if (UNMENDABLE.test(error.code + error.message)) return false;
  // (An http error without a status is none: "undefined" is no code.) A code that says so in its
  // provider's own numbering only (MiniMax's, Qianfan's) is marked where its shape was read.
  return transient.has(error) || RETRYABLE_CODE.test(error.kind === 'provider' ? (error.code ?? '') : error.kind === 'http' ? `${error.status}` : '');
}

/**
 * Whether the browser knows it is offline (a worker's navigator knows too; Node's has no
 * `onLine`) for a request to `url`: one to this device (`localhost`, `*.localhost`, `127.x.x.x`,
 * `[::1]`, also written `localhost.`, `0.0.0.0`, `[::]` or `[::ffff:127.x.x.x]`: Ollama, a local
 * server) needs no network, and Chromium says offline when loopback is all that is up.
 */
export function offline(url: string): boolean {
  return globalThis.navigator?.onLine === false && !/^((.*\.)?localhost\.?|127(\.\d+){3}|0\.0\.0\.0|\[::(1|ffff:7f\w\w:\w+)?\])$/i.test(new URL(url, pageBase() ?? 'http://localhost/').hostname);
}

/** What fetch resolves a relative URL against: the document's base URL (`<base href>`; an `about:srcdoc` frame's parent's), or a worker's location. */
const pageBase = (): string | undefined => globalThis.document?.baseURI || globalThis.location?.href;

/** The wait before retry `attempt + 1`, or undefined when the server asked for too long a wait. */
function retryWait(error: StreamChatError, attempt: number, baseDelay: number, random: () => number): number | undefined {
  // At most as long as the longest wait a server may ask for (or the first, when a page set it longer).
  const backoff = Math.min(baseDelay * 2 ** attempt, Math.max(MAX_RETRY_WAIT, baseDelay)) * (0.5 + random() / 2);
  if (error.retryAfter === undefined) return backoff;
  const asked = error.retryAfter * 1000;
  return asked > MAX_RETRY_WAIT ? undefined : asked;
}

/** `Retry-After` as seconds or an HTTP date, or OpenAI's `retry-after-ms`; in seconds. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms?.trim() && isFinite(Number(ms))) return Math.max(0, Number(ms)) / 1000;
  const value = headers.get('retry-after');
  if (!value?.trim()) return undefined;
  // (Digits too many to hold are Infinity: garbage, not "Try again in Infinity min.")
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return isFinite(Number(value)) ? Number(value) : undefined;
  // An HTTP date names its month; without one, Date.parse would read "-5" or "3 s" as a date.
  const date = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i.test(value) ? Date.parse(value) : Number.NaN;
  return isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * Waits `ms` on `clock`, or rejects with `signal`'s reason once it aborts: its one caller found it
 * not aborted just before, with nothing awaited between.
 */
function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    // (At most a timer's longest delay: a `retryDelay` longer, `Infinity` too, ran at once, and
    // every retry after it. A server's wait is never that long: over 60 s, it is not retried.)
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(ms, 2 ** 31 - 1));
    function onAbort() {
      clock.clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function checkEndpoint(url: string, own: unknown): URL {
  const trimmed = url.trim();
  if (!trimmed) {
    throw new StreamChatError('network', "No endpoint is set: set `endpoint` to the API's full URL.");
  }
  let resolved: URL;
  try {
    // Relative to the page; outside one (Node), only an app's own `fetch` knows what it means.
    resolved = new URL(url, pageBase() ?? (own ? 'http://localhost/' : undefined));
  } catch {
    // (Not with its cause: the runtime's message quotes the URL whole. In a page, or with its
    // scheme, one that does not parse was given whole: its port out of range, a character no host has.)
    throw new StreamChatError('network', `The endpoint ${JSON.stringify(shownOf(url, true))} is not a valid URL${pageBase() || /^[a-z][\w+.-]*:/i.test(trimmed) ? '' : ' (outside a page, give it whole, with its https://)'}.`);
  }
  // A key written before its host without `user:` that holds a `/` or `?` (base64's `/`) ends the
  // host there: `https://sk-abc/def@api.host/…` is the host `sk-abc`, looked up by name, key and
  // all, and said in errors. As demo/proxy reads it: before the path's first `@` (or one after a
  // `?` right after the host: an API's URL has a path), a host no server is named (no dot, not
  // localhost nor an address) or one with a port then a `/` (`first.last:123/…`, a key of digits),
  // and after it such a name or one with its port. (`…/users/bob@example.com/…` on a dotted host
  // and `…/workers-ai/@cf/…` on any are paths, `?user=a@b.com` a query.) Without a scheme (not
  // `./`, `/`, nor a scheme's `x:`), it was a path on the page's own server, key and all; there a
  // key of no `/` (`sk-abc@api.host/…`) is too.
  const [before, scheme, host = '', sep, path = '', at = ''] = /^(https?:[\\/]{2}|(?![\\/.?#@]|[a-z][\w+.-]*:))([^\\/?#@]*)(?:([\\/?])([^@?#]*)|(?<![\\/][^@]*))@([^\\/?#]*)/i.exec(trimmed) ?? [];
  const server = (name: string) => /\.|^localhost$|^\[/i.test(name) || /:\d+$/.test(name);
  // (A server's port before a path of segments, `host:8443/v1/users/a@b.com`, or a query,
  // `host:8443?email=a@b.com`, is a port, not a key's digits: a query before a host and its path,
  // `user:123?key@api.host/v1`, is a key's.)
  const taken = ((/:\d+$/.test(host) && (sep != '?' || /[\\/]/.test(trimmed[before!.length]!)) && !/[\\/]/.test(path)) || !server(host)) && server(at);
  // One that parses as credentials (`user:key@`, `sk-…@`) the browser's fetch refuses every time,
  // in words of its own: it failed as a server down, after its retries. (A page's fetch may take it.)
  // So does one without its `//`: `user:key@api.host/v1` is a URL of the scheme `user:` (its key
  // may hold a `/`, `?` or `#`: up to the first `@`; not a port's digits, `localhost:11434/…`; a
  // `data:` URL is read, `@`s and all).
  const opaque = !/^(https?|data):$/.test(resolved.protocol) && bareKey.test(trimmed) && server(/^[^\\/?#]*/.exec(trimmed.replace(bareKey, ''))![0]);
  if (taken || (!own && (resolved.username || resolved.password || opaque))) {
    const shown = shownOf(taken ? scheme + trimmed.slice(before!.length - at.length) : url);
    throw new StreamChatError('network', `The endpoint ${JSON.stringify(shown)} has a key before its host, ${taken ? `taken for ${scheme ? 'the host' : 'a path'}: set it as \`key\` (an \`@\` of the path is written %40)` : 'which fetch does not send: set it as `key` (or in `headers`)'}.`);
  }
  // `/api/chat` on a page opened as a file (a sample saved and double-clicked) is a file, which no
  // browser's fetch reads: it failed, after its retries, as a server down or blocked by CORS. (A
  // `file:` URL written whole may be on any page.)
  if (!own && resolved.protocol == 'file:') {
    const page = !/^file:/i.test(trimmed);
    throw new StreamChatError('network', `The endpoint ${JSON.stringify(shownOf(url))} is a file: URL${page ? ' (a page opened as a file has no server): serve the page, or give the endpoint whole' : ", which fetch cannot read: give the API's URL"}, with its https://.`);
  }
  // `https:/api.host/…` or `https:api.host/…`, a `/` short, is on a page of that scheme a path of
  // the page's own server, which would get the key (elsewhere, the parser reads a host there).
  const short = /^https?:(?![\\/]{2})/i.exec(trimmed)?.[0].toLowerCase();
  if (short && pageBase()?.startsWith(short)) {
    throw new StreamChatError('network', `The endpoint ${JSON.stringify(shownOf(url, true))} is a / short after its scheme: write it with its http:// or https://.`);
  }
  // `localhost:11434/v1/…` is a URL, of the scheme `localhost:`: a host and port without their
  // `http://`. (Other schemes, an app's or an in-page mock's with its own `fetch`, are left alone.)
  // `api.openai.com/v1/…` is a path relative to the page, which would take the key to the page's
  // own origin: a first segment of dot-separated names ending in one of letters only, as a host's
  // top-level domain does, is taken for a host, unless that ends a script's name (`index.php/api`,
  // ASP.NET's `Chat.asmx/Send` and `Service.svc/chat`, ColdFusion's `index.cfm/api`); so are an IPv4
  // address and `localhost`, which no page names a folder. (`v1.0/chat`, `api/chat`, `api.json/x`
  // and `chat.php` stay the page's; a `.pl` or `.py` host is left to the 404.) Without a path, so
  // are a name of three labels or more (`api.openai.com`, `api.openai.com?x`: a page's file has one
  // dot, `chat.php`, `api.json`, or ends in a file's type, `chat.min.js`, `mock.stream.txt`), an IPv4
  // address and `localhost`.
  if (/^([\w.-]+|\[[\w:.]*\]):\d|^(?=[\w.-]+\/|([\w-]+\.){2})[\w.-]+\.(?!(php|aspx?|as[hm]x|svc|cfm|jsp|cgi|html?|pl|py|(nd)?jsonl?|m?js|txt|sse)\b)[a-z]{2,}([/?#]|$)|^(localhost|\d+(\.\d+){3})([/?#]|$)/i.test(trimmed)) {
    throw new StreamChatError('network', `The endpoint ${JSON.stringify(shownOf(url))} has no scheme: write it with its http:// or https://.`);
  }
  return resolved;
}

/**
 * The endpoint as errors say it: without its query, fragment or credentials, which may hold a key
 * (`\` is `/` to a browser; credentials also where no `//` is before them, `user:pass@host/v1`,
 * their key holding a `/` too, `user:a/b@host/v1`, not after a port's digits, `localhost:1/a@b`;
 * in one that parses, before its query: `https://user:key@host?email=a@b.com`).
 * Credentials first: a key may hold a `?` or `#` (`user:a#b@host`, said `user:a`), and in a URL
 * that does not parse, a `/` or `\` (base64's), up to the first `@` (no key has one): looked for
 * only where there is one, not again from each `//` of a long endpoint.
 */
const shownOf = (url: string, unparsed?: boolean) => ((url = url.replace(bareKey, '')), hostFirst.test(url) ? url : url.replace(unparsed ? /^(?=[^@]*@)([^@]*?[\\/]{2})?[^@]*@/ : /(^|[\\/]{2})[^\\/?#]*@/, '$1')).replace(/[?#][^]*/, '');

/**
 * An endpoint whose host comes first: a dotted name, localhost or an address, then its path or
 * query, where an `@` is an email's (`?email=a@b.com`), not the end of credentials. Only one in
 * the query: before it, a key with a `/` looks the same (`first.last:123/key@host`, and in one
 * that does not parse, `sk-abc.123/key@host`).
 */
const hostFirst = /^([a-z][\w+.-]*:)?[\\/]*(([\w-]+\.)+[\w-]+|localhost|\[[\w:.]*\])(:\d*)?([\\/][^@?#]*)?([?#]|$)/i;

/**
 * Credentials without their `//`, `user:key@api.host/v1`, a URL of the scheme `user:`: up to the
 * first `@` (the key may hold a `/`, `?` or `#`), not after a port's digits (`localhost:11434/…`).
 */
const bareKey = /^[a-z][\w+.-]*:(?![\\/]|\d+(?:[\\/?#]|$))[^@]*@/i;

/** `value` as a number; `fallback` when it is not given, or not a number (an attribute such as "3x", or blank). */
export function numberOr(value: unknown, fallback: number): number {
  const number = typeof value == 'string' && !value.trim() ? NaN : Number(value ?? fallback);
  return isNaN(number) ? fallback : number;
}

/** {@link numberOr} of a count: Infinity, as what is not a number, is `fallback`. */
export function countOr(value: number | undefined, fallback: number): number {
  return numberOr(value! < Infinity ? value : NaN, fallback);
}

export function messageOf(cause: unknown): string {
  // (With what caused it, where a runtime says: Node's `fetch failed` is `connect ECONNREFUSED …`.)
  return cause instanceof Error ? cause.message + (cause.cause instanceof Error ? ` (${cause.cause.message})` : '') : String(cause);
}
