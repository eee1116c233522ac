import { expect } from '@open-wc/testing';
import { hostContract } from './host-contract.js';
import { importBundle, type ChatBindings } from './host.js';

// README: the wrapper sets its properties and listeners in an effect, so it works hydrated,
// server-rendered (where React 19's bare tag gets neither: react#35446).
const host = await importBundle<typeof import('./react19-hydrated.entry.js')>('react19-hydrated');

describe('<stream-chat> in React 19, through stream-chat-element/react, server-rendered and hydrated', () => {
  it('is rendered by React 19; the server HTML is the bare tag, with no property nor the key; it hydrates with no warning', async () => {
    expect(host.version).to.match(/^19\./);
    const noop = () => {};
    const bindings: ChatBindings = { endpoint: '/api/chat', messages: [], headers: { 'x-session': 'a' }, retries: 0, onChunk: noop, onDone: noop, onError: noop, onToolCall: noop, onWarning: noop };
    expect(host.serverHtml(bindings)).to.equal('<stream-chat></stream-chat>');
    const errors: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    const container = document.createElement('div');
    document.body.append(container);
    try {
      const chat = await host.mount(container, bindings);
      await chat.element.updateComplete;
      expect(chat.element.endpoint).to.equal('/api/chat');
      chat.unmount();
    } finally {
      console.error = consoleError;
      container.remove();
    }
    // (HTML that does not match fails every test here: React's "Hydration failed", uncaught.)
    expect(errors.map((args) => args.map(String).join(' '))).to.deep.equal([]);
  });

  hostContract(host);
});
