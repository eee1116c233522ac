import { expect } from '@open-wc/testing';
import { hostContract } from './host-contract.js';
import { importBundle } from './host.js';

// React 18 sets only attributes on custom elements: the @lit/react wrapper (stream-chat-element/react)
// sets the properties and listens through onChunk/onDone/onError/onToolCall/onWarning.
const host = await importBundle<typeof import('./react18.entry.js')>('react18');

describe('<stream-chat> in React 18, through stream-chat-element/react', () => {
  it('is rendered by React 18', () => {
    expect(host.version).to.match(/^18\./);
  });

  hostContract(host);
});
