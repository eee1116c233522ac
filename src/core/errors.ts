/** What went wrong; see {@link StreamChatError}. */
export const ErrorKind = {
  /** The endpoint answered with a non-2xx status; `status` is set. */
  http: 'http',
  /** fetch failed, or the body ended or broke before the stream's end (`[DONE]` or a finish_reason; `response.completed`; `message_stop`). */
  network: 'network',
  /** No bytes arrived for the stall timeout. */
  timeout: 'timeout',
  /** A 2xx body that is not an event stream of the protocol, a data line that is not JSON, an unknown `protocol`, or a request that cannot be built. */
  protocol: 'protocol',
  /** The provider sent an error object inside the stream. */
  provider: 'provider',
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export interface StreamChatErrorOptions {
  status?: number | undefined;
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  retryAfter?: number | undefined;
  /** The provider's error code or type, when it sent one. */
  code?: string | undefined;
  /** The provider's id of the request, when it gave one. */
  requestId?: string | undefined;
  cause?: unknown;
}

/**
 * Each error's message as this package wrote it (English), and the provider's words in it, which
 * may be in any language: the element says the rest in English, and a message a page changed (to
 * translate it) in the page's language.
 */
// (One for every copy of the package on the page, as the brand below: a chunk's errors are in it.)
export const written: WeakMap<StreamChatError, [message: string, theirs?: string, at?: number]> = ((globalThis as Record<symbol, typeof written>)[Symbol.for('stream-chat-element.written')] ??= new WeakMap());

/** Marks a {@link StreamChatError} of any copy of this package (one global symbol for all). */
const brand: unique symbol = Symbol.for('stream-chat-element.error');

/**
 * The one error `<stream-chat>` and its streaming core report.
 * Switch on `kind`; `status` is set for `"http"`, and for a `"protocol"` error about a 2xx answer.
 */
export class StreamChatError extends Error {
  /**
   * `instanceof` holds for the errors of every copy of the package on the page: the CDN file and
   * the npm modules, or a protocol chunk that loaded the bundle a second time (by another URL).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass keeps the ordinary test: an error of this class is not one of the subclass.
    return this === StreamChatError ? (value as { [brand]?: boolean } | null)?.[brand] === true : super[Symbol.hasInstance](value);
  }
  get [brand](): boolean {
    return true;
  }
  override readonly name = 'StreamChatError';
  /** What went wrong: `http`, `network`, `timeout`, `protocol` or `provider` ({@link ErrorKind}). */
  readonly kind: ErrorKind;
  // Declared, not initialised: optional fields stay off the object unless the error has them.
  /**
   * The HTTP status, for `kind` `"http"`; for a `"protocol"` error about a 2xx answer as a whole (an
   * HTML page, no body, another content type or protocol, JSON that does not parse), its 2xx status.
   */
  declare readonly status?: number;
  /** Seconds the server asked to wait (`Retry-After`), when it said: a wait over 60 s is not retried. */
  declare readonly retryAfter?: number;
  /** The provider's error code or type, when it sent one. */
  declare readonly code?: string;
  /**
   * The provider's id of the request, when it gave one (the error's `request_id`, or a `request-id`
   * or `x-request-id` header the page may read): what its support asks for.
   */
  declare readonly requestId?: string;

  constructor(kind: ErrorKind, message: string, options: StreamChatErrorOptions = {}) {
    // (Error reads its `cause` from them, when they have the key, and nothing else.)
    super(message, options);
    this.kind = kind;
    written.set(this, [message]);
    for (const field of ['status', 'retryAfter', 'code', 'requestId'] as const) {
      if (options[field] !== undefined) (this as Record<string, unknown>)[field] = options[field];
    }
  }
}

/**
 * The human message inside a provider's error payload, in any of the shapes seen in the wild:
 * `{error: {message}}`, `{error: "…"}`, `{message}`, `{detail}` (FastAPI), `[{error: …}]` (Gemini),
 * `{error_code, error_msg}` (Baidu Qianfan's v1), `{error_type, error_message}` (DeepInfra's and
 * Venice's in a stream), or a bare string.
 */
export function providerErrorMessage(payload: unknown): string | undefined {
  if (typeof payload === 'string') return payload.trim() || undefined;
  if (Array.isArray(payload)) return providerErrorMessage(payload[0]);
  if (payload === null || typeof payload !== 'object') return undefined;
  for (const field of ['error', 'message', 'detail', 'msg', 'error_msg', 'error_message']) {
    const message = providerErrorMessage((payload as Record<string, unknown>)[field]);
    if (message !== undefined) return message;
  }
  return undefined;
}

/** The provider's error code or type (or Qianfan v1's `error_code`, DeepInfra's `error_type`), when its payload carries one. */
export function providerErrorCode(payload: unknown): string | undefined {
  if (Array.isArray(payload)) return providerErrorCode(payload[0]);
  // (A value of another type, `null` too, has none of the fields read.)
  const fields = Object(payload) as Record<string, unknown>;
  const inner = fields['error'];
  if (inner !== null && typeof inner === 'object') return providerErrorCode(inner);
  for (const field of ['code', 'type', 'error_code', 'error_type']) {
    const value = fields[field];
    // (Not the type of a Responses `error` event whose code is null, nor an empty code: Cerebras
    // sends `code: ""` beside its type.)
    if ((typeof value === 'string' && value && value !== 'error') || typeof value === 'number') return String(value);
  }
  return undefined;
}

/** The provider's error code and the request's id (Anthropic's `request_id`) an error payload carries. */
export function providerFields(payload: unknown): StreamChatErrorOptions {
  const id = (payload as { request_id?: unknown } | null)?.request_id;
  return { code: providerErrorCode(payload), requestId: typeof id == 'string' ? id : undefined };
}

/**
 * The `provider` errors whose code says, in the numbering of the provider whose shape they came
 * in, that its side failed or was busy: the retry rule reads this, not the `code` a page sees.
 */
export const transient = new WeakSet<StreamChatError>();

/**
 * The `provider` error a payload reports: its message (or the raw text, cut as an HTTP error's body
 * is: a stack trace sent whole was the message), code and the request's id.
 */
export function providerError(payload: unknown, raw: string, fallback = 'The provider reported an error'): StreamChatError {
  const theirs = providerErrorMessage(payload) ?? cut(raw.trim(), 200);
  const message = theirs || fallback;
  const error = new StreamChatError('provider', message, providerFields(payload));
  written.set(error, [message, theirs]);
  // A bare number says so only to the provider that sent it (MiniMax's 1002 is a rate limit,
  // Zhipu's a key refused), so only in Qianfan's `error_code`, which the chat-completions decoder
  // gives MiniMax's `base_resp` too: the codes MiniMax's error code table says to retry later
  // (unknown error, request timeout, rate limit, internal error, system error, token limit) and
  // those Qianfan's SDK retries (service unavailable, QPS limit, server high load, RPM and TPM
  // limits). Neither numbering has the other's numbers.
  if (/^(2|18|10(0[0-2]|24|33|39)|336(100|50[12]))$/.test((payload as { error_code?: string } | null)?.error_code!)) transient.add(error);
  return error;
}

/**
 * A call the page's tools cannot run (the legacy `functions` API's, a Responses tool of another
 * kind than a function, an MCP tool's request for approval): a `provider` error coded `code`, not
 * retried (asked again, the model calls it again). Both protocols' words, shared: the Responses
 * chunk takes them from the main bundle.
 */
export const callError = (code: string, what: string, fix: string): StreamChatError => providerError({ code }, '', `The model called ${what}, which is not supported: ${fix}.`);

/**
 * `text` cut after `length` characters, with "…" where it was cut: before a surrogate pair cut in
 * two (an emoji), whose first half alone shows as "�".
 */
export const cut = (text: string, length: number): string => (text.length > length ? text.slice(0, length).replace(/[\ud800-\udbff]?$/, '…') : text);

/**
 * Whether `text` is a web page: past an `<?xml …?>` (Varnish's) and comments, it opens with a
 * doctype or an `html`, `head`, `body`, `title`, `meta`, `link`, `style`, `script`, `h1`…`h6`, `p`
 * or `div` tag (a page may open with any: `<h1>502 Bad Gateway</h1>`, `<meta charset>`). An XML
 * error (S3's `<Error>`) and a text that opens with `<` (`<unknown>`) are none.
 */
export const htmlPage = (text: string): boolean => /^\s*(<\?xml[^>]*>\s*)?(<!--((?!-->)[^])*-->\s*)*<(!doctype|html|head|body|title|meta|link|style|script|h[1-6]|p|div)\b/i.test(text);

/** Text quoted in an error message: JSON-quoted, cut after 80 characters. */
export function preview(text: string): string {
  return JSON.stringify(cut(text, 80));
}
