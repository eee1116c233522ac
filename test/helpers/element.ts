import { waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
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
 * A real mouse click (Chromium's input, with its focus and `detail`) at the middle of `box`, as the
 * `count`th click of a run: a box taken once, so the click lands where a control was (Send, then Stop there).
 */
export function clickAt(box: DOMRect, count = 1): Promise<unknown> {
  return executeServerCommand('cdp-click', { x: box.x + box.width / 2, y: box.y + box.height / 2, count });
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

/** Sets a text area's value as typing does: the value, then `input` (of `inputType`). */
export function typed(area: HTMLTextAreaElement, value: string, inputType = 'insertText'): void {
  area.value = value;
  area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType }));
}

/** Presses Control with `key`, as a reader does: a real key press, so the browser's own copy or paste runs. */
export async function chord(key: string): Promise<void> {
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: key });
  await sendKeys({ up: 'Control' });
}

/**
 * What the clipboard holds, by type, as a document pasted into reads it: a real Ctrl+V into a box
 * of the page, its `paste` event read.
 */
export async function pasted(): Promise<Record<string, string>> {
  const box = document.body.appendChild(Object.assign(document.createElement('div'), { contentEditable: 'true' }));
  const got: Record<string, string> = {};
  box.addEventListener('paste', (event) => {
    for (const type of event.clipboardData!.types) got[type] = event.clipboardData!.getData(type);
    event.preventDefault();
  });
  try {
    box.focus();
    await chord('v');
    await waitUntil(() => Object.keys(got).length, 'pasted');
    return got;
  } finally {
    box.remove();
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

/**
 * What the element's live regions read out while `act` runs, in ARIA's model: each text node added
 * (or changed) where the nearest live region, or element with `aria-live`, is not off, with no
 * `aria-busy` or hidden on the way; one entry per mutation record, in the region it is in.
 */
export async function heardWhile(el: StreamChatElement, act: () => unknown): Promise<Array<[string, string]>> {
  const regionOf = (node: Node): string | undefined => {
    for (let at: Node | null = node; at; at = at.parentNode) {
      if (!(at instanceof Element)) continue;
      if (at.getAttribute('aria-busy') === 'true' || at.getAttribute('aria-hidden') === 'true' || at.hasAttribute('hidden')) return undefined;
      const live = at.getAttribute('aria-live');
      const role = at.getAttribute('role');
      if (live === 'off') return undefined;
      if (live || role === 'log' || role === 'status' || role === 'alert') return role ?? 'live';
    }
    return undefined;
  };
  const heard: Array<[string, string]> = [];
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const texts = record.type === 'characterData' ? [record.target] : record.addedNodes;
      const said = [...texts].flatMap((node) => {
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        const found: Node[] = node.nodeType === Node.TEXT_NODE ? [node] : [];
        while (walker.nextNode()) found.push(walker.currentNode);
        return found.flatMap((text) => (text.textContent!.trim() && regionOf(text) ? [[regionOf(text)!, text.textContent!.trim()] as const] : []));
      });
      if (said.length) heard.push([said[0]![0], said.map(([, text]) => text).join(' ')]);
    }
  });
  observer.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
  try {
    await act();
    await el.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  } finally {
    observer.disconnect();
  }
  return heard;
}

/**
 * Runs `run` with a same-origin frame in the page, another document as a Document
 * Picture-in-Picture window is, and this window's errors collected in `errors` instead of failing
 * the test (mocha's handler set aside meanwhile); `frames(count)` waits that many of this window's
 * frames, where something changes each frame, as on any page.
 */
export async function withFrame(run: (frame: HTMLIFrameElement, errors: string[], frames: (count: number) => Promise<void>) => Promise<void>): Promise<void> {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const errors: string[] = [];
  const onerror = (event: ErrorEvent) => (errors.push(event.message), event.preventDefault());
  const mocha = window.onerror;
  window.onerror = null;
  window.addEventListener('error', onerror);
  const frames = async (count: number) => {
    for (let i = 0; i < count; i++) {
      document.body.style.paddingTop = `${i % 2}px`;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  };
  try {
    await run(frame, errors, frames);
  } finally {
    document.body.style.paddingTop = '';
    window.removeEventListener('error', onerror);
    window.onerror = mocha;
    frame.remove();
  }
}
