import { expect } from '@open-wc/testing';
import { DONE, chunkEvent, mockEndpoint } from '../helpers/server.js';
import type { ChatBindings, Host, MountedChat } from './host.js';
import { hostContract } from './host-contract.js';

/**
 * A plain HTML page: an iframe whose document holds nothing but the CDN build's script tag
 * (dist/stream-chat.js, built by `npm run build`); attributes, properties and addEventListener.
 */
const plainHtml: Host = {
  async mount(container: HTMLElement, bindings: ChatBindings): Promise<MountedChat> {
    const frame = document.createElement('iframe');
    frame.srcdoc = '<!doctype html><script type="module" src="/dist/stream-chat.js"></script>';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    container.append(frame);
    // A document's load event waits for its module scripts: <stream-chat> is defined by now.
    await loaded;
    const page = frame.contentDocument!;
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
  it('the connection the browser cuts is no error: neither event for it (before, an error for every reload during an answer)', async () => {
    const frame = document.createElement('iframe');
    frame.srcdoc = '<!doctype html><script type="module" src="/dist/stream-chat.js"></script>';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    try {
      await loaded;
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
