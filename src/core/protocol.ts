import type { ChatMessage, Delta, Tool } from './types.js';

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
  /** The API key; each protocol sends it its own way. Never logged or rendered. */
  key?: string | undefined;
  /** `model` in the body; omitted when empty. */
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
}

/** A wire format: how a request is built and how its stream is read. */
export interface ChatProtocol {
  buildRequest(options: RequestOptions): { url: string; init: RequestInit };
  createDecoder(): ProtocolDecoder;
}
