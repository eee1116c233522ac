/**
 * `stream-chat-element/core`: the conversation without a view. No Lit, no DOM: for a host that
 * brings its own UI, a worker, or Node.
 */
export {
  Conversation,
  Status,
  type ConversationEventMap,
  type ConversationOptions,
  type Draft,
  type Failure,
} from './core/conversation.js';
export { ErrorKind, StreamChatError, type StreamChatErrorOptions } from './core/errors.js';
export type { ProtocolName, RequestOptions } from './core/protocol.js';
export { streamChat, type StreamOptions } from './core/stream.js';
export type { Clock, TransportOptions } from './core/transport.js';
export type * from './core/types.js';
