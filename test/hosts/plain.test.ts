import { expect, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { ChatMessage } from '../../src/core/types.js';
import type { StreamChatElement } from '../../src/element/stream-chat.js';
import { holdTimers } from '../helpers/clock.js';
import { DONE, type MockStep, chunkEvent, mockEndpoint, streamingReply } from '../helpers/server.js';
import type { ChatBindings, Host, MountedChat } from './host.js';
import { hostContract } from './host-contract.js';

/**
 * An iframe in `container` whose document holds nothing but the CDN build's script tag
 * (dist/stream-chat.js, built by `npm run build`), once it has loaded: a document's load event
 * waits for its module scripts, so <stream-chat> is defined by then.
 */
async function bundlePage(container: HTMLElement, style = '', before = ''): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = style;
  frame.srcdoc = `<!doctype html>${before}<script type="module" src="/dist/stream-chat.js"></script>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  container.append(frame);
  await loaded;
  return frame;
}

/** A plain HTML page (see {@link bundlePage}): attributes, properties and addEventListener. */
const plainHtml: Host = {
  async mount(container: HTMLElement, bindings: ChatBindings): Promise<MountedChat> {
    const page = (await bundlePage(container)).contentDocument!;
    const element = page.createElement('stream-chat');
    element.setAttribute('endpoint', bindings.endpoint);
    element.setAttribute('retries', String(bindings.retries));
    element.messages = bindings.messages;
    element.headers = bindings.headers;
    element.addEventListener('chunk', bindings.onChunk);
    element.addEventListener('done', bindings.onDone);
    element.addEventListener('error', bindings.onError);
    element.addEventListener('tool-call', bindings.onToolCall);
    element.addEventListener('warning', bindings.onWarning);
    page.body.append(element);
    return { element, unmount: () => element.remove() };
  },
};

describe('<stream-chat> in plain HTML', () => {
  hostContract(plainHtml);
});

describe('<stream-chat> in a page that goes mid-answer (a real pagehide: its frame navigated)', () => {
  /** How long the element holds an error that came after a `beforeunload` (HOLD_MS in src/element/conversation-controller.ts). */
  const HOLD = 3000;
  /** {@link HOLD}, and a little more. */
  const HELD = HOLD + 200;

  /**
   * An element in a frame of its own (see {@link bundlePage}) whose answer's first chunk has arrived,
   * the rest of `steps` to come; the `done` and `error` it dispatches, and how its `send()` settled.
   */
  async function answering(steps: MockStep[], before?: string) {
    const frame = await bundlePage(document.body, '', before);
    const endpoint = await mockEndpoint([{ steps: [{ write: chunkEvent({ role: 'assistant', content: 'Hel' }) }, ...steps] }, streamingReply(['Again'])]);
    const element = frame.contentDocument!.createElement('stream-chat');
    element.setAttribute('endpoint', endpoint.url);
    element.setAttribute('retries', '0');
    const events: string[] = [];
    for (const type of ['done', 'error']) element.addEventListener(type, () => events.push(type));
    const chunk = new Promise((resolve) => element.addEventListener('chunk', resolve, { once: true }));
    frame.contentDocument!.body.append(element);
    const settled: string[] = [];
    element.send('hi').then(
      () => settled.push('resolved'),
      () => settled.push('rejected'),
    );
    await chunk;
    return { frame, endpoint, element, events, settled };
  }

  /** Follows a link in the frame, as a reader does. */
  function follow(frame: HTMLIFrameElement, url: string): void {
    const link = frame.contentDocument!.createElement('a');
    link.href = url;
    frame.contentDocument!.body.append(link);
    link.click();
  }

  for (const [page, before] of [
    ['', ''],
    // Its failure read before this module's listener set `going` (in Chromium), held since beforeunload came first.
    [' in a page whose script loaded before the element captures pagehide first (web-vitals)', '<script>addEventListener("pagehide", () => {}, true)</script>'],
  ]) {
    it(`the connection the browser cuts is no error: neither event for it (before, an error for every reload during an answer; in Firefox and WebKit, which cut it after beforeunload, a second before the next page came)${page}`, async () => {
      const { frame, endpoint, events } = await answering([{ delay: 3000 }, { write: chunkEvent({ content: 'lo' }, { finishReason: 'stop' }) }, { write: DONE }], before);
      try {
        const next = await mockEndpoint({ headersDelay: 1000, headers: { 'content-type': 'text/html' }, steps: [{ write: '<p>The next page' }] });
        const gone = new Promise((resolve) => frame.contentWindow!.addEventListener('pagehide', resolve, { once: true }));
        // The 3 s hold taken off the page's clock: that it is set is what is asserted. A page that went
        // runs no task again, so its hold never goes out; running it anyway proves nothing (checked: the
        // error stays in, as `going`, reset by a task, stays set), nor did waiting it out.
        const hold = holdTimers(frame.contentWindow! as Window & typeof globalThis, HOLD);
        follow(frame, next.url);
        await gone;
        expect((await endpoint.settled())[0]?.aborted, 'cut on the wire').to.equal(true);
        expect(hold.filter((timer) => !timer.cleared).length, 'held for 3 s').to.equal(1);
        expect(events).to.deep.equal([]);
      } finally {
        frame.remove();
      }
    });
  }

  // Firefox and WebKit cut the request for a navigation that leaves the page where it is (a 204, a
  // download) too; Chromium does not, and here the connection breaks after it (once the 204 is
  // answered, see {@link stay}): held the same.
  const staying: MockStep[] = [{ hold: 'navigated' }, { destroy: true }];
  /** Chromium leaves the page's requests alone for such a navigation (see {@link staying}). */
  const keepsRequests = navigator.userAgent.includes('Chrome/');

  /** Navigates the frame to a 204 mid-answer: the page stays; resolves once the answer has failed (its error held). */
  async function stay({ frame, endpoint, element }: Awaited<ReturnType<typeof answering>>) {
    const nowhere = await mockEndpoint({ status: 204, headers: { 'content-type': null } });
    follow(frame, nowhere.url);
    await nowhere.settled();
    // Firefox and WebKit cut the page's requests as they take the 204, which can be after the
    // server sent it, and WebKit goes on cutting those it makes for some 30 ms: the answer's cut is
    // waited for, then a request of the page's that goes through. (Before, the next turn's request
    // was cut: "Load failed", in WebKit one run in four.)
    if (keepsRequests) await endpoint.release('navigated');
    else await waitUntil(async () => (await endpoint.requests())[0]?.aborted, 'the browser cut the answer', { timeout: 5000 });
    await waitUntil(() => !element.streaming, 'the answer failed', { timeout: 5000 });
    const own = await mockEndpoint({ headers: { 'content-type': 'text/plain' }, steps: [{ write: 'ok' }] });
    const post = () => frame.contentWindow!.fetch(own.url, { method: 'POST' }).then((response) => response.text());
    await waitUntil(() => post().then(() => true, () => false), "the page's requests go through", { timeout: 5000 });
  }

  it('a navigation that leaves the page where it is (a 204): the error goes out once it is clear the page stays, once, and shows then', async () => {
    const page = await answering(staying);
    const { frame, element, events, settled } = page;
    try {
      const hold = holdTimers(frame.contentWindow! as Window & typeof globalThis, HOLD);
      await stay(page);
      expect(events, 'held').to.deep.equal([]);
      expect(element.shadowRoot!.querySelector('[part=error]'), 'not shown while held').to.equal(null);
      expect(hold.filter((timer) => !timer.cleared).length, 'held for 3 s').to.equal(1);
      for (const timer of hold) if (!timer.cleared) timer.run();
      await waitUntil(() => events.length, 'the error, late', { timeout: HELD + 1000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(events).to.deep.equal(['error']);
      // (send() rejected as the answer failed, not later: as in Chromium, where a page that goes rejects it too.)
      expect(settled).to.deep.equal(['rejected']);
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('[part=error]')?.textContent).to.include('The connection broke');
    } finally {
      frame.remove();
    }
  });

  it('an error held as a page stays goes out at once when the next turn starts, before that turn\'s events, when the conversation changes (cleared, its messages set) or when the element is removed', async () => {
    const page = await answering(staying);
    const { frame, element, events } = page;
    try {
      await stay(page);
      expect(events, 'held').to.deep.equal([]);
      const again = element.send('again');
      expect(events).to.deep.equal(['error']);
      await again;
      expect(events).to.deep.equal(['error', 'done']);
    } finally {
      frame.remove();
    }
    // Before the change's listeners: the error is of the conversation as it was.
    for (const change of ['clear', 'messages'] as const) {
      const changed = await answering(staying);
      try {
        await stay(changed);
        if (change === 'clear') changed.element.clear();
        else changed.element.messages = [];
        expect(changed.events, change).to.deep.equal(['error']);
      } finally {
        changed.frame.remove();
      }
    }
    const removed = await answering(staying);
    try {
      await stay(removed);
      removed.element.remove();
      expect(removed.events).to.deep.equal(['error']);
    } finally {
      removed.frame.remove();
    }
  });
});

describe('the CDN build (minified, its templates too)', () => {
  it('shows a conversation as the sources do, to the space: its minifier took the one at a template’s start ("web searchØrsted CEO")', async () => {
    // Every kind of thing a message shows that `messages` can hold.
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Who leads Ørsted? **Briefly**.' },
      {
        role: 'assistant',
        content: 'Let me search.Its CEO is *Rasmus Errboe*, since 2024:\n\n- one `item`\n- two\n\n```js\nlet a = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |',
        reasoning: 'The user asks who leads it.',
        server_tools: [{ name: 'web_search', detail: 'Ørsted CEO', at: 14 }],
        sources: [{ url: 'https://orsted.com/', title: 'Ørsted' }, { url: 'https://example.com/a' }],
      },
      { role: 'user', content: 'Time?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } }] },
      { role: 'tool', tool_call_id: 'c', content: '{"time":"14:05"}' },
      { role: 'assistant', content: 'It is 14:05.', refusal: 'I cannot say more.' },
    ];
    // Both on screen: a group off it is not laid out (content-visibility), and has no innerText.
    const frame = await bundlePage(document.body, 'position: fixed; top: 0; left: 0; width: 400px; height: 600px; border: 0');
    const source = document.createElement('stream-chat');
    source.style.cssText = 'position: fixed; top: 0; left: 400px; width: 380px; height: 580px';
    try {
      const bundled = frame.contentDocument!.createElement('stream-chat');
      bundled.style.cssText = 'position: fixed; top: 0; left: 0; width: 380px; height: 580px';
      for (const el of [bundled, source]) {
        el.messages = structuredClone(messages);
        (el === source ? document : frame.contentDocument!).body.append(el);
        await el.updateComplete;
        for (const details of el.shadowRoot!.querySelectorAll('details')) details.open = true;
      }
      // (A group comes into view, and is laid out, in the frames after.)
      for (let i = 0; i < 3; i++) await new Promise(requestAnimationFrame);
      // As laid out (innerText), each turn: the white space of the templates' layout, which the
      // minifier takes, shows as nothing either way; a space in a line shows.
      const shown = (el: HTMLElement) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('.turn')].map((turn) => turn.innerText).join('\n');
      expect(shown(source)).to.include('web search Ørsted CEO');
      expect(shown(bundled)).to.equal(shown(source));
    } finally {
      frame.remove();
      source.remove();
    }
  });
});

describe('a page that registered the class under a tag of its own (the `element` subpath)', () => {
  it('then imports the package (or its React wrapper, or a library that does): <stream-chat> is defined too, and the import does not throw', async () => {
    // A page of its own: a module graph in which nothing has defined <stream-chat> yet. Its imports
    // are whole URLs: WebKit resolves a srcdoc page's `import('/src/…')` against about:srcdoc.
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><script type="module">
      const { StreamChatElement } = await import('${location.origin}/src/element.ts');
      customElements.define('support-chat', StreamChatElement);
      window.imported = import('${location.origin}/src/index.ts').then(() => [customElements.get('stream-chat')?.prototype instanceof StreamChatElement, customElements.get('support-chat') === StreamChatElement], String);
    </script>`;
    document.body.append(frame);
    try {
      const page = frame.contentWindow as Window & { imported?: Promise<unknown> };
      await waitUntil(() => page.imported, 'the page’s script ran', { timeout: 5000 });
      // Before, the import threw "this constructor has already been used with this registry", and
      // <stream-chat> stayed undefined: a blank where the chat was.
      expect(await page.imported).to.deep.equal([true, true]);
      const chat = frame.contentDocument!.createElement('stream-chat');
      const endpoint = await mockEndpoint(streamingReply(['Answer']));
      chat.endpoint = endpoint.url;
      frame.contentDocument!.body.append(chat);
      expect((await chat.send('Question')).content).to.equal('Answer');
    } finally {
      frame.remove();
    }
  });

  it('after the package was imported: the class itself throws, a subclass (as README and element.ts say) is defined and chats', async () => {
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><script type="module">
      await import('${location.origin}/src/index.ts');
      const { StreamChatElement } = await import('${location.origin}/src/element.ts');
      let thrown = '';
      try {
        customElements.define('support-chat', StreamChatElement);
      } catch (error) {
        thrown = error.name;
      }
      customElements.define('help-chat', class extends StreamChatElement {});
      window.defined = [thrown, customElements.get('help-chat').prototype instanceof StreamChatElement];
    </script>`;
    document.body.append(frame);
    try {
      const page = frame.contentWindow as Window & { defined?: unknown };
      await waitUntil(() => page.defined, 'the page’s script ran', { timeout: 5000 });
      expect(page.defined).to.deep.equal(['NotSupportedError', true]);
      const chat = frame.contentDocument!.createElement('help-chat') as StreamChatElement;
      chat.endpoint = (await mockEndpoint(streamingReply(['Answer']))).url;
      frame.contentDocument!.body.append(chat);
      expect((await chat.send('Question')).content).to.equal('Answer');
    } finally {
      frame.remove();
    }
  });
});
