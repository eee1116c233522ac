/**
 * `stream-chat-element`: importing this module defines `<stream-chat>` (once, however many copies
 * are loaded) and exports the element class and the headless conversation.
 */
import './define.js';

export * from './core.js';
export { StreamChatElement, type ChunkEvent, type DoneEvent, type StreamChatErrorEvent, type StreamChatEventMap, type StreamChatProperties, type ToolCallEvent, type WarningEvent } from './element/stream-chat.js';
export type { CountLabel, Labels } from './element/labels.js';
