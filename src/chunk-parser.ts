import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { StreamChatError, providerErrorCode, providerErrorMessage } from './errors.js';
import type { ChatCompletionChunk } from './types.js';

/** Callbacks of {@link createChunkParser}. */
export interface ChunkParserCallbacks {
  /** Called once per `data:` event that is a chat-completion chunk, synchronously inside `feed`. */
  onChunk: (chunk: ChatCompletionChunk) => void;
  /** Called for each SSE comment line (`: keep-alive`). Default: ignored. */
  onComment?: ((comment: string) => void) | undefined;
}

/** Turns decoded SSE text into chat-completion chunks. Create one per response. */
export interface ChunkParser {
  /**
   * Feeds the next piece of text, split anywhere. Throws a `StreamChatError` of kind
   * `"protocol"` (a data event that is not JSON) or `"provider"` (an error sent in the stream).
   */
  feed(text: string): void;
  /** Marks the end of the body: an event that lacks its trailing blank line is still delivered. */
  end(): void;
  /** True once `data: [DONE]` arrived; anything after it is ignored. */
  readonly done: boolean;
  /** How many SSE events (data or not) were parsed so far. */
  readonly events: number;
}

/**
 * Creates the stage between text and chunks: eventsource-parser does the SSE framing (partial lines,
 * CRLF/CR/LF, comments, multi-line data, `event:`/`id:`/`retry:`), this stage does
 * `JSON.parse`, `[DONE]` and in-stream errors.
 */
export function createChunkParser(callbacks: ChunkParserCallbacks): ChunkParser {
  const { onChunk } = callbacks;
  let done = false;
  let events = 0;

  function handleEvent(event: EventSourceMessage): void {
    events++;
    if (done) return;
    const { data } = event;
    if (data === '[DONE]') {
      done = true;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (cause) {
      if (event.event === 'error') throw providerError(data, data);
      throw new StreamChatError('protocol', `The stream sent a data line that is not JSON: ${preview(data)}`, { cause });
    }
    if (event.event === 'error') throw providerError(parsed, data);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new StreamChatError('protocol', `The stream sent data that is not a chat-completion chunk: ${preview(data)}`);
    }
    const chunk = parsed as ChatCompletionChunk;
    const failure = chunkError(chunk);
    if (failure === undefined) return onChunk(chunk);
    // Text that came with the error is part of the answer so far: deliver it, then fail.
    if (Array.isArray(chunk.choices) && chunk.choices.length > 0) onChunk(chunk);
    throw providerError(failure, data);
  }

  const parser = createParser({
    onEvent: handleEvent,
    onComment: callbacks.onComment,
    onError(error) {
      // llama.cpp servers before late 2025 sent `error: {…}` instead of `data: {…}`.
      if (error.type === 'unknown-field' && error.field === 'error' && !done) {
        throw providerError(parseOrRaw(error.value ?? ''), error.value ?? '');
      }
    },
  });

  return {
    feed(text) {
      parser.feed(text);
    },
    end() {
      // Two line feeds complete a last line and dispatch a last event that the server did not
      // terminate; after a complete event they are an empty block, which dispatches nothing.
      parser.feed('\n\n');
    },
    get done() {
      return done;
    },
    get events() {
      return events;
    },
  };
}

/**
 * The error a chunk carries, in the shapes providers use: a top-level `error` (OpenAI, OpenRouter,
 * vLLM), a bare error object `{"object": "error", "message": …}` (older vLLM), or a choice 0 that
 * ends with `finish_reason: "error"`, with or without its own `error` (OpenRouter).
 */
function chunkError(chunk: ChatCompletionChunk): unknown {
  if (chunk['error'] != null) return chunk;
  if (chunk.object === 'error') return chunk;
  const choices = chunk.choices;
  if (!Array.isArray(choices)) return undefined;
  for (const choice of choices) {
    if (choice?.finish_reason !== 'error' || (choice.index ?? 0) !== 0) continue;
    return choice['error'] ?? 'The provider ended the answer with an error (finish_reason "error").';
  }
  return undefined;
}

function parseOrRaw(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function providerError(payload: unknown, raw: string): StreamChatError {
  const message = providerErrorMessage(payload) ?? (raw.trim() || 'The provider reported an error');
  return new StreamChatError('provider', message, { code: providerErrorCode(payload) });
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
