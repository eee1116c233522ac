import { expect } from '@open-wc/testing';
import { hostContract } from './host-contract.js';
import { importBundle } from './host.js';

// README's second copy: the CDN file (dist/stream-chat.js, built by `npm run build`) defines
// <stream-chat> first, and the wrapper's own copy of the element class, the npm package's, is never
// registered. React 18 sets as attributes the props the wrapper does not take for properties.
const cdn = (await import(new URL('/dist/stream-chat.js', location.href).href)) as typeof import('../../src/cdn.js');
const host = await importBundle<typeof import('./react18.entry.js')>('react18');

describe('<stream-chat> in React 18, through stream-chat-element/react, with the CDN file loaded first', () => {
  it('is the CDN copy’s element that the wrapper renders', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const chat = await host.mount(container, { endpoint: '', messages: [], headers: {}, retries: 0, onChunk() {}, onDone() {}, onError() {}, onToolCall() {}, onWarning() {} });
    expect(chat.element).to.be.instanceOf(cdn.StreamChatElement);
    chat.unmount();
    container.remove();
  });

  hostContract(host);
});
