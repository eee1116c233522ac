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
