/**
 * Defines `<stream-chat>`: a side effect of importing this module (and of the entries that import
 * it). A second copy of the bundle (a CDN tag plus an npm import) must not throw: the first wins.
 */
import { StreamChatElement } from './element/stream-chat.js';

if (globalThis.customElements && !customElements.get('stream-chat')) {
  customElements.define('stream-chat', StreamChatElement);
}

export { StreamChatElement };
