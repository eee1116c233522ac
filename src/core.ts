/**
 * The streaming core alone: no Lit, no DOM writes. For a host that brings its own UI, a worker,
 * or Node. `stream-buffer.ts` needs a DOM `Text` node and is exported from the main entry only.
 */
export { Accumulator, type AccumulatorStep } from './accumulator.js';
export {
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT,
  parseRetryAfter,
  streamChat,
  streamChatCompletion,
  type ChatStreamOptions,
  type StreamEnd,
} from './chat-stream.js';
export { createChunkParser, type ChunkParser, type ChunkParserCallbacks } from './chunk-parser.js';
export { ErrorKind, StreamChatError, providerErrorCode, providerErrorMessage, type StreamChatErrorOptions } from './errors.js';
export { buildChatRequest, type ChatRequestOptions } from './request.js';
export type * from './types.js';
