/**
 * The entry of the CDN bundle, dist/stream-chat.js: importing it defines `<stream-chat>` (through
 * index.ts) and gives the element class and its error. The headless streaming core is left out, so a
 * page that only wants the element downloads less; it is `stream-chat-element/core` on npm.
 */
export { ErrorKind, StreamChat, StreamChatError } from './index.js';
export type * from './types.js';
export type { ChunkEvent, DoneEvent, ErrorDetail, StreamChatErrorEvent, StreamChatEventMap } from './stream-chat.js';
