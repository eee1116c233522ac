import { StreamChatError, providerError, preview } from './errors.js';
import type { ChatMessage, ContentPart, Delta, Tool, ToolCall } from './types.js';

/** The wire formats a request can speak: chat-completions, OpenAI's Responses API, Anthropic's Messages API. */
export type ProtocolName = 'openai-chat' | 'openai-responses' | 'anthropic';

/** One server-sent event, as the SSE framing delivers it. */
export interface ServerSentEvent {
  /** The `event:` field, when there was one. */
  event?: string | undefined;
  data: string;
}

/** What the request is built from, whatever the protocol. */
export interface RequestOptions {
  /** The full URL the request is POSTed to, absolute or relative to the page (a same-origin proxy). */
  endpoint: string;
  /**
   * The wire format of the request and its stream; any other value fails the request with a
   * `protocol` error before it is sent. @defaultValue `"openai-chat"`
   */
  protocol?: ProtocolName | undefined;
  /** The API key; each protocol sends it its own way, trimmed (none when blank). Never logged or rendered. */
  key?: string | undefined;
  /** `model` in the body, trimmed; omitted when empty or blank. */
  model?: string | undefined;
  /** System prompt, sent first; omitted when empty. */
  system?: string | undefined;
  /** The conversation, ending with the message to answer. */
  messages: readonly ChatMessage[];
  temperature?: number | null | undefined;
  /** The answer's length limit in tokens; omitted when unset. */
  maxTokens?: number | null | undefined;
  /** The functions the model may call; each protocol sends their name, description and parameters its own way. */
  tools?: readonly Tool[] | undefined;
  /** Extra headers, applied after the protocol's own (so they can override them). */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Extra body fields, merged last. */
  body?: Readonly<Record<string, unknown>> | undefined;
}

/** What one event (or a whole JSON response) carried. */
export interface Decoded {
  /** The parsed event, handed to the page as the `chunk` event's `chunk`; absent for markers such as `[DONE]`. */
  raw?: object;
  deltas: Delta[];
  /** The protocol's terminator arrived: nothing after it belongs to the answer. */
  done?: boolean;
  /** An error the provider sent with this event: the deltas are delivered first, then it fails. */
  error?: Error;
}

/** Decodes the events of one response; it keeps state between events (tool-call slots). */
export interface ProtocolDecoder {
  /** One SSE event. Throws a `StreamChatError` (`protocol`) for data that is not this protocol's. */
  decode(event: ServerSentEvent): Decoded;
  /** A whole 2xx JSON body: a server that ignored `stream: true`. */
  fromJson(payload: unknown): Decoded;
  /** The answer said it ended (chat-completions: a finish_reason), so a body that ends without the terminator is complete. */
  readonly complete: boolean;
  /**
   * No event was this protocol's, and one was another's ({@link formatOf}): the stream is another
   * protocol's (see {@link ChatProtocol.event}).
   */
  readonly foreign: boolean;
}

/**
 * The wire format an event's data is of, where it says so: chat-completions' (`choices`), the
 * Responses API's (`response.…` types), Anthropic's Messages API's (`message_…`, `content_block_…`),
 * Gemini's (`candidates`), Baidu Qianfan's v1 (`is_end`, its text in `result`); '' for what a
 * stream of any may carry (a ping, a keep-alive, a gateway's status): no sign of another protocol.
 */
export function formatOf(data: Record<string, unknown>, type = data['type']): string {
  if (Array.isArray(data['choices'])) return 'openai-chat';
  if (Array.isArray(data['candidates'])) return 'gemini';
  if (typeof data['is_end'] == 'boolean') return 'qianfan';
  return typeof type != 'string' ? '' : type.startsWith('response.') ? 'openai-responses' : /^(message|content_block)_/.test(type) ? 'anthropic' : '';
}

/** A wire format: how a request is built and how its stream is read. */
export interface ChatProtocol {
  buildRequest(options: RequestOptions): { url: string; init: RequestInit };
  createDecoder(): ProtocolDecoder;
  /** What ends a complete stream, for the error of one that ends without it: `message_stop`. */
  readonly end: string;
  /** The provider's endpoint path, for the error of an endpoint that answers with a web page: `/v1/messages`. */
  readonly path: string;
  /** What its events are, for the error of a stream of another protocol: `a Messages API event`. */
  readonly event: string;
}

/**
 * The request every protocol sends: a JSON POST asking for an event stream, with the protocol's
 * own headers and body, then the caller's `headers` and `body` over them.
 */
export function jsonRequest(options: RequestOptions, headers: Record<string, string>, body: Record<string, unknown>): { url: string; init: RequestInit } {
  return {
    url: options.endpoint,
    init: {
      method: 'POST',
      headers: withHeaders({ 'Content-Type': 'application/json', Accept: 'text/event-stream', ...headers }, options.headers),
      body: JSON.stringify({ ...body, ...options.body, ...tools(body['tools'], options.body?.['tools']) }),
    },
  };
}

/**
 * The page's `headers` over the request's own, whatever their case: fetch sends `Accept` and
 * `accept` as one header of both values.
 */
function withHeaders(own: Record<string, string>, more?: object | null): Record<string, string> {
  // (A spread, as before: `null` is none.)
  for (const name in { ...more }) for (const key in own) if (key.toLowerCase() == name.toLowerCase()) delete own[key];
  return { ...own, ...more };
}

/**
 * Tools in `body` (an API's own web search) go with the page's, not instead of them; one of the
 * same name (the page's tool made strict, or cached) in its place.
 */
const tools = (own: unknown, more: unknown) =>
  Array.isArray(own) && Array.isArray(more) ? { tools: [...own.filter((tool) => !more.some((other) => nameOf(other) === nameOf(tool))), ...more] } : {};

/** A tool's name, as each protocol gives it (chat-completions' in its `function`). */
const nameOf = (tool: { name?: unknown; function?: { name?: unknown } } | null) => tool?.name ?? tool?.function?.name;

/**
 * A tool result that reports a failure: written `Error: …`, as the loop writes a throw, an unknown
 * tool, arguments that are not JSON or a stop, and as a page may answer. Read from the text, so a
 * restored conversation shows its failures too.
 */
export function isFailure(result: ChatMessage): boolean {
  return typeof result.content === 'string' && result.content.startsWith('Error:');
}

/** The text of a message's content: a string as it is, the text parts of a list joined, nothing else. */
export function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}

/**
 * Whether an answer that ended for `finish` is one Anthropic paused (`pause_turn`, its server tools
 * ran long) that the next response goes on with, the answer sent back last as the blocks it came
 * in: not one with calls, whose results come first (the page's, when no tools run them), nor one
 * with no blocks to send back (a pause of nothing; chat-completions', which cannot go back as it
 * came).
 */
export const pausedToGoOn = (message: ChatMessage, finish: string | null | undefined): boolean =>
  finish === 'pause_turn' && !message.tool_calls?.length && !!message.content_blocks;

/**
 * Whether `message` is one the view renders and the protocols send: a string role; content text,
 * none, or parts (objects with a type); tool calls, when it has them, a list of calls with a function.
 */
const isMessage = (message: ChatMessage | null): boolean =>
  typeof message?.role == 'string' &&
  (message.content == null || typeof message.content == 'string' || (Array.isArray(message.content) && message.content.every((part) => part?.type))) &&
  (message.tool_calls == null || (Array.isArray(message.tool_calls) && message.tool_calls.every((call) => call?.function)));

/**
 * Why `list`, the option `name`, is not an array of what `isOne` accepts (its `shape` said in the
 * message), for the `TypeError` that says so; undefined when it is one.
 */
function notListOf<T>(name: string, shape: string, list: unknown, isOne: (item: T | null) => unknown): string | undefined {
  const junk = Array.isArray(list) ? list.findIndex((item) => !isOne(item)) : -2;
  if (junk != -1) return `${name} must be an array of ${name} (${shape}): ${junk < 0 ? 'it is not an array' : `${name}[${junk}] is not one`}.`;
}

/** Why `messages` is not an array of messages ({@link isMessage}); undefined when it is one. */
export const notMessages = (messages: unknown) => notListOf('messages', '{ role, content }', messages, isMessage);

/** Why `tools` is not an array of tools (each with its name: not chat-completions' `{ type, function }`); undefined when it is, or none. */
export const notTools = (tools: unknown) => (tools ? notListOf<Tool>('tools', '{ name, description, parameters, execute }', tools, (tool) => typeof tool?.name == 'string') : undefined);

/** Whether a message's content has parts other than text: a tool result's images (a screenshot tool's), which each API takes in its own place. */
export const beyondText = (content: ChatMessage['content']): content is ContentPart[] => Array.isArray(content) && content.some((part) => part.type !== 'text');

/** Whether an image part's URL is one the element shows and the APIs take: http(s) or `data:image/*`. */
export const isImageUrl = (url: unknown): url is string => typeof url == 'string' && /^(https?:|data:image\/)/i.test(url.trim());

/**
 * An optional number as a request sends it, undefined (left out of the JSON) when unset:
 * `temperature: 0` is set, `null`, NaN (an attribute that is not a number) and Infinity (which JSON
 * sends as null) are not; a string (a property set from an input's `value`, from plain JavaScript)
 * is read as the attribute would be.
 */
export function numberIn(value: number | null | undefined): number | undefined {
  const number: unknown = typeof value == 'string' ? ((value as string).trim() ? Number(value) : NaN) : value;
  return typeof number == 'number' && isFinite(number) ? number : undefined;
}

/** Tool call ids as a request gives them: see {@link toolIds}. */
export interface ToolIds {
  /**
   * The calls of one answer, each with the id it goes out with; none of a message without
   * `tool_calls`, which leaves the answer's calls open to their results (a question a history put
   * between a call and its result: Conversation pairs them so).
   */
  calls(calls: readonly ToolCall[] | undefined): ToolCall[];
  /** The id a result of `id` goes out with: its call's. */
  result(id: string | undefined): string;
}

/**
 * Tool call ids as a request wants them. By default as the Responses and Messages APIs want them:
 * each used once (a result given twice, or a second call with one id, is refused), and of
 * `[a-zA-Z0-9_-]` (Claude's pattern); chat-completions gives `kept`, which keeps every id a provider
 * gave but a second in one answer (DeepSeek and GLM give parallel calls one id, and the APIs refuse
 * two results of one id). A history from another API may have calls without one, the same one in
 * every turn (`call_0`), or others (Kimi's `functions.now:0`): those the ids kept leave out go with
 * new ones (`made`: `call_` and a number by default; none an id of a call in `messages`), and a
 * result with the id of the first call of its id, in the answer before it, that no result has
 * answered yet, as `Conversation` pairs them. Other ids are kept as they are.
 */
export function toolIds(messages: readonly ChatMessage[], kept = (id: string, used: Set<string>) => /^[\w-]+$/.test(id) && !used.has(id), made = (n: number) => `call_${n}`): ToolIds {
  const used = new Set<string>();
  const taken = new Set(messages.flatMap((message) => message.tool_calls?.map((call) => call.id) ?? []));
  let open = new Map<string, string[]>();
  let n = 0;
  return {
    calls(calls) {
      if (!calls?.length) return [];
      open = new Map();
      return calls.map((call) => {
        const { id = '' } = call;
        let wire = id;
        if (open.has(id) || !kept(id, used)) do wire = made(n++);
        while (used.has(wire) || taken.has(wire));
        used.add(wire);
        open.set(id, [...(open.get(id) ?? []), wire]);
        return { ...call, id: wire };
      });
    },
    result: (id = '') => open.get(id)?.shift() ?? id,
  };
}

/** Whether `value` is an object of fields, as JSON writes one: not null, nor an array. */
export const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value == 'object' && !Array.isArray(value);

/**
 * A tool call's arguments as the JSON object they should be; undefined for any other (empty, cut
 * short by a stop or a broken stream, or malformed: the call's result told the model so). Such a
 * call goes back in a history with `{}`: vLLM refuses one with arguments that are not JSON, for
 * every later request.
 */
export function callInput(args: string): object | undefined {
  try {
    const value: unknown = JSON.parse(args);
    if (isRecord(value)) return value;
  } catch {
    // Not JSON.
  }
}

/** A tool call's arguments as they go back in a history's text: `{}` unless they are a JSON object (see {@link callInput}). */
export const callArguments = (args: string): string => (callInput(args) ? args : '{}');

/**
 * An event's data as a JSON object. Data that is not JSON, or not an object, is a `protocol`
 * error; an error event (`event: error`, or `"type": "error"` in the data) is thrown as a
 * `provider` error with the provider's message.
 */
export function eventData(event: ServerSentEvent, what: string): Record<string, unknown> {
  const { data } = event;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    // (No payload, only its text: said as one without a message, cut after 200 characters.)
    if (event.event === 'error') throw providerError(null, data);
    // Without JSON.parse's error as its cause: that quotes the line's start, past what redacts a key
    // echoed there (the preview here is cut with "…", which it knows).
    throw new StreamChatError('protocol', `The stream sent a data line that is not JSON: ${preview(data)}`);
  }
  if (event.event === 'error' || (parsed as { type?: unknown } | null)?.type === 'error') throw providerError(parsed, data);
  if (!isRecord(parsed)) {
    throw new StreamChatError('protocol', `The stream sent data that is not ${what}: ${preview(data)}`);
  }
  return parsed;
}
