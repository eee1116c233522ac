import type { StreamChatElement } from '../../src/element/stream-chat.js';
import type { ChunkDetail } from '../../src/core/types.js';

/** Resolves once the streamed answer reaches `content`. Call it before the action that starts the stream. */
export function contentArrives(el: StreamChatElement, content: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (event: CustomEvent<ChunkDetail>) => {
      if (event.detail.content !== content) return;
      el.removeEventListener('chunk', listener);
      resolve();
    };
    el.addEventListener('chunk', listener);
  });
}
