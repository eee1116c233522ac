import { expect, waitUntil } from '@open-wc/testing';
import { mockEndpoint, slowReply, streamingReply } from '../helpers/server.js';
import type { StreamChatElement } from '../../src/element/stream-chat.js';
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
  it('defined after Vue rendered it, :stats="false" is the attribute stats="false", which turns the stats on; bound as a property (.stats, :stats.prop) it is false, as README says', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const app = host.mountTemplate(container, '<late-vue-chat :stats="false"></late-vue-chat><late-vue-chat .stats="false"></late-vue-chat><late-vue-chat :stats.prop="false"></late-vue-chat>');
    try {
      customElements.define('late-vue-chat', class extends (customElements.get('stream-chat') as typeof StreamChatElement) {});
      const [attribute, shorthand, prop] = [...container.querySelectorAll<StreamChatElement>('late-vue-chat')];
      // A property set before the upgrade is Lit's again at the first update.
      await Promise.all([attribute!.updateComplete, shorthand!.updateComplete, prop!.updateComplete]);
      expect(attribute!.getAttribute('stats')).to.equal('false');
      expect([attribute!.stats, shorthand!.stats, prop!.stats]).to.deep.equal([true, false, false]);
    } finally {
      app.unmount();
      container.remove();
    }
  });

  it('inside <KeepAlive>, switched away mid-answer, the chat is taken out of the page and its answer stops; under v-show, hidden, it goes on (README)', async () => {
    const endpoint = await mockEndpoint([slowReply('Kept', 'away'), slowReply('Shown', 'away')]);
    const container = document.createElement('div');
    document.body.append(container);
    const kept = host.mountTemplate(container, '<KeepAlive><chat-view v-if="shown" :endpoint="endpoint"></chat-view></KeepAlive><stream-chat v-show="shown" :endpoint="endpoint"></stream-chat>', endpoint.url);
    try {
      const [inKeepAlive, withVShow] = [...container.querySelectorAll<StreamChatElement>('stream-chat')];
      const stopped = inKeepAlive!.send('one');
      await waitUntil(() => inKeepAlive!.conversation.draft?.message.content === 'Kept', 'the first answer streams');
      const goesOn = withVShow!.send('two');
      await waitUntil(() => withVShow!.conversation.draft?.message.content === 'Shown', 'the second answer streams');
      await kept.show(false);
      expect(inKeepAlive!.isConnected, 'KeepAlive keeps it out of the page').to.equal(false);
      expect((await stopped).aborted).to.equal(true);
      await endpoint.release('away');
      expect(await goesOn).to.include({ aborted: false, content: 'Shown and the rest' });
      await kept.show(true);
      expect(container.querySelector('stream-chat'), 'the same element, back').to.equal(inKeepAlive);
    } finally {
      kept.unmount();
      container.remove();
    }
  });
  it('server-rendered, :stats="false" and .stats="false" alike are the attribute stats="false" in the HTML; hydrated, Vue sets both as the property false where the element is defined, and only .stats where it is defined after', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    // What Vue 3.5's renderToString() gives for the template below.
    container.innerHTML = '<div><stream-chat stats="false"></stream-chat><stream-chat stats="false"></stream-chat><late-ssr-chat stats="false"></late-ssr-chat><late-ssr-chat stats="false"></late-ssr-chat></div>';
    const template = '<div><stream-chat :stats="false"></stream-chat><stream-chat .stats="false"></stream-chat><late-ssr-chat :stats="false"></late-ssr-chat><late-ssr-chat .stats="false"></late-ssr-chat></div>';
    const elements = [...container.querySelectorAll<StreamChatElement>('stream-chat, late-ssr-chat')];
    expect(elements.slice(0, 2).map((element) => element.stats), 'before Vue hydrates').to.deep.equal([true, true]);
    const app = host.mountTemplate(container, template, '', true);
    try {
      customElements.define('late-ssr-chat', class extends (customElements.get('stream-chat') as typeof StreamChatElement) {});
      expect([...container.querySelectorAll('stream-chat, late-ssr-chat')], 'hydrated, not made again').to.deep.equal(elements);
      await Promise.all(elements.map((element) => element.updateComplete));
      expect(elements.map((element) => element.stats)).to.deep.equal([false, false, true, false]);
    } finally {
      app.unmount();
      container.remove();
    }
  });
});
