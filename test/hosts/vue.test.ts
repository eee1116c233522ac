import { expect } from '@open-wc/testing';
import { hostContract } from './host-contract.js';
import { importBundle } from './host.js';

// A Vue template: :messages.prop/:headers.prop bindings and @chunk/@done/@error listeners.
const host = await importBundle<typeof import('./vue.entry.js')>('vue');

describe('<stream-chat> in Vue 3', () => {
  it('is rendered by Vue 3', () => {
    expect(host.version).to.match(/^3\./);
  });

  hostContract(host);
});
