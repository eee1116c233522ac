import { waitUntil } from '@open-wc/testing';
import type { StreamChatElement } from '../../src/element/stream-chat.js';
import type { ChunkDetail } from '../../src/core/types.js';
import { mockEndpoint, streamingReply } from './server.js';

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

/**
 * Clicks a code block's Copy `button` with the page's `navigator.clipboard` replaced by one that
 * keeps what is written; resolves with that once the button says Copied.
 */
export async function copiedBy(button: HTMLButtonElement): Promise<string | undefined> {
  let text: string | undefined;
  const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (written: string) => void (text = written) } });
  try {
    button.click();
    await waitUntil(() => button.textContent === 'Copied', 'the button says Copied');
    return text;
  } finally {
    delete (navigator as { clipboard?: unknown }).clipboard;
    if (original) Object.defineProperty(Navigator.prototype, 'clipboard', original);
  }
}

/**
 * One answer in two elements that `chatFor` makes (given an endpoint, or none): streamed from the
 * mock server in `pieces`, after the question "Go", and restored with that question as messages.
 */
export async function streamedAndRestored(
  chatFor: (url?: string) => Promise<StreamChatElement>,
  pieces: string[],
): Promise<[streamed: StreamChatElement, restored: StreamChatElement]> {
  const streamed = await chatFor((await mockEndpoint(streamingReply(pieces))).url);
  await streamed.send('Go');
  await streamed.updateComplete;
  const restored = await chatFor();
  restored.messages = [
    { role: 'user', content: 'Go' },
    { role: 'assistant', content: pieces.join('') },
  ];
  await restored.updateComplete;
  return [streamed, restored];
}
