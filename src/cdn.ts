/**
 * The entry of the CDN bundle, dist/stream-chat.js: importing it defines `<stream-chat>` and gives
 * the element class and its error. The headless conversation is left out, so a page that only wants
 * the element downloads less; it is `stream-chat-element/core` on npm.
 */
export { ErrorKind, StreamChatError } from './core/errors.js';
export { StreamChatElement } from './define.js';
export type * from './core/types.js';
export type { ChunkEvent, DoneEvent, StreamChatErrorEvent, StreamChatEventMap, StreamChatProperties, ToolCallEvent, WarningEvent } from './element/stream-chat.js';
export type { CountLabel, Labels } from './element/labels.js';
