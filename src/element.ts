/**
 * `stream-chat-element/element`: the element class, without defining `<stream-chat>`: to register it
 * under a tag of your own, or to extend it.
 *
 * @example
 * import { StreamChatElement } from 'stream-chat-element/element';
 * customElements.define('support-chat', class extends StreamChatElement {});
 */
export { StreamChatElement, type ChunkEvent, type DoneEvent, type StreamChatErrorEvent, type StreamChatEventMap, type StreamChatProperties, type ToolCallEvent, type WarningEvent } from './element/stream-chat.js';
export type { CountLabel, Labels } from './element/labels.js';
