import { expect } from '@open-wc/testing';
import '../../src/index.js';
import type { ChatMessage } from '../../src/core/types.js';
import { DONE, chunkEvent, mockEndpoint } from '../helpers/server.js';
import type { ChatBindings, Host, MountedChat } from './host.js';
import { hostContract } from './host-contract.js';

/**
 * An iframe in `container` whose document holds nothing but the CDN build's script tag
 * (dist/stream-chat.js, built by `npm run build`), once it has loaded: a document's load event
 * waits for its module scripts, so <stream-chat> is defined by then.
 */
async function bundlePage(container: HTMLElement, style = ''): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = style;
  frame.srcdoc = '<!doctype html><script type="module" src="/dist/stream-chat.js"></script>';
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
  // Not in Firefox, known (README, Browsers): it cuts the request after beforeunload, before the
  // pagehide that tells the element the page goes, and the cut is an error there.
  (navigator.userAgent.includes('Firefox/') ? it.skip : it)('the connection the browser cuts is no error: neither event for it (before, an error for every reload during an answer)', async () => {
    const frame = await bundlePage(document.body);
    try {
      const held = { steps: [{ write: chunkEvent({ role: 'assistant', content: 'Hel' }) }, { delay: 3000 }, { write: chunkEvent({ content: 'lo' }, { finishReason: 'stop' }) }, { write: DONE }] };
      const endpoint = await mockEndpoint(held);
      const element = frame.contentDocument!.createElement('stream-chat');
      element.setAttribute('endpoint', endpoint.url);
      element.setAttribute('retries', '0');
      const events: string[] = [];
      for (const type of ['done', 'error']) element.addEventListener(type, () => events.push(type));
      const chunk = new Promise((resolve) => element.addEventListener('chunk', resolve, { once: true }));
      frame.contentDocument!.body.append(element);
      element.send('hi').catch(() => {});
      await chunk;
      const gone = new Promise((resolve) => frame.contentWindow!.addEventListener('pagehide', resolve, { once: true }));
      frame.removeAttribute('srcdoc');
      frame.src = 'about:blank';
      await gone;
      expect((await endpoint.settled())[0]?.aborted, 'cut on the wire').to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(events).to.deep.equal([]);
    } finally {
      frame.remove();
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
