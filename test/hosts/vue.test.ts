import { expect, waitUntil } from '@open-wc/testing';
import { mockEndpoint, slowReply, streamingReply } from '../helpers/server.js';
import { hostContract } from './host-contract.js';
import { importBundle } from './host.js';

// A Vue template: :messages.prop/:headers.prop bindings and
// @chunk/@done/@error/@tool-call/@warning listeners.
const host = await importBundle<typeof import('./vue.entry.js')>('vue');

describe('<stream-chat> in Vue 3', () => {
  it('is rendered by Vue 3', () => {
    expect(host.version).to.match(/^3\./);
  });

  hostContract(host);

  it('messages kept in a shallowRef set from done, as README shows: the stats line and the Stopped marker stay, the answer keeps its nodes (what README advises; a deep ref would lose them)', async () => {
    const endpoint = await mockEndpoint([streamingReply(['First answer']), slowReply('Second', 3000)]);
    const container = document.createElement('div');
    document.body.append(container);
    try {
      const { element, state } = await host.mountMirrored(container, endpoint.url);
      await element.send('one');
      await element.updateComplete;
      const paragraph = element.shadowRoot!.querySelector('[part~="assistant"] p');
      expect(state()).to.equal(element.messages);
      expect(element.shadowRoot!.querySelector('[part~="stats"]'), 'the stats line').to.not.equal(null);
      expect(element.shadowRoot!.querySelector('[part~="assistant"] p'), 'the same paragraph').to.equal(paragraph);
      const sent = element.send('two');
      await waitUntil(() => element.conversation.draft?.message.content === 'Second', 'the second answer streams');
      element.stop();
      expect((await sent).aborted).to.equal(true);
      await element.updateComplete;
      expect(element.shadowRoot!.querySelector('[part~="stopped"]'), 'the Stopped marker').to.not.equal(null);
    } finally {
      container.remove();
    }
  });
});
