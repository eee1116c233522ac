import { expect } from '@open-wc/testing';
import { hostContract } from './host-contract.js';
import { importBundle } from './host.js';

// The bare tag: React 19 sets properties from props and listens through
// onchunk/ondone/onerror/ontool-call/onwarning.
const host = await importBundle<typeof import('./react19.entry.js')>('react19');

describe('<stream-chat> in React 19', () => {
  it('is rendered by React 19', () => {
    expect(host.version).to.match(/^19\./);
  });

  hostContract(host);
});
