import type { ChatMessage } from './types.js';

/** What a chat-completions request is built from. */
export interface ChatRequestOptions {
  /** The full chat-completions URL, absolute or relative to the page (a same-origin proxy). */
  endpoint: string;
  /** Sent as `Authorization: Bearer <key>`; no Authorization header when empty. */
  key?: string | undefined;
  /** `model` in the body; omitted when empty. */
  model?: string | undefined;
  /** System prompt, sent first; omitted when empty. */
  system?: string | undefined;
  /** The conversation, ending with the user's new message. */
  messages: readonly ChatMessage[];
  temperature?: number | null | undefined;
  /** `max_tokens`; omitted when unset. */
  maxTokens?: number | null | undefined;
  /** Extra headers, applied after the defaults (so they can override them). */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Extra body fields, merged last. */
  body?: Readonly<Record<string, unknown>> | undefined;
}

/** Builds the URL and `RequestInit` of a streaming chat-completions POST. */
export function buildChatRequest(options: ChatRequestOptions): { url: string; init: RequestInit } {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'text/event-stream',
  };
  if (options.key) headers['Authorization'] = `Bearer ${options.key}`;
  Object.assign(headers, options.headers);

  const messages: ChatMessage[] = [];
  if (options.system) messages.push({ role: 'system', content: options.system });
  for (const message of options.messages) messages.push(wireMessage(message));

  const body: Record<string, unknown> = {};
  if (options.model) body['model'] = options.model;
  body['messages'] = messages;
  body['stream'] = true;
  if (isSet(options.temperature)) body['temperature'] = options.temperature;
  if (isSet(options.maxTokens)) body['max_tokens'] = options.maxTokens;
  Object.assign(body, options.body);

  return { url: options.endpoint, init: { method: 'POST', headers, body: JSON.stringify(body) } };
}

function isSet(value: number | null | undefined): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

/** Providers reject fields they do not know, so the reasoning we display is not sent back. */
function wireMessage(message: ChatMessage): ChatMessage {
  if (message.reasoning === undefined) return message;
  const { reasoning: _reasoning, ...rest } = message;
  return rest;
}
