/**
 * `stream-chat-element`: importing this module defines `<stream-chat>` (once, however many copies
 * are loaded) and exports the element class and the streaming core.
 */
import { StreamChat } from './stream-chat.js';

export * from './core.js';
export { StreamBuffer, type StreamBufferOptions, type TextTarget } from './stream-buffer.js';
export {
  StreamChat,
  type ChunkEvent,
  type DoneEvent,
  type ErrorDetail,
  type StreamChatErrorEvent,
  type StreamChatEventMap,
} from './stream-chat.js';

// A second copy of the bundle (a CDN tag plus an npm import) must not throw; the first one wins.
if (globalThis.customElements && !customElements.get('stream-chat')) {
  customElements.define('stream-chat', StreamChat);
}
