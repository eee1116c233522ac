/**
 * Defines `<stream-chat>`: a side effect of importing this module (and of the entries that import
 * it). A second copy of the bundle (a CDN tag plus an npm import) must not throw: the first wins.
 */
import { StreamChatElement } from './element/stream-chat.js';

if (globalThis.customElements && !customElements.get('stream-chat')) {
  try {
    customElements.define('stream-chat', StreamChatElement);
  } catch {
    // The page registered the class under a tag of its own (the `element` subpath), and a registry
    // takes a class once: a subclass of it, then.
    customElements.define('stream-chat', class extends StreamChatElement {});
  }
}

export { StreamChatElement };
