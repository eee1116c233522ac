/**
 * The chat as a floating widget: in a `<dialog>`, a popover or a panel the page hides with
 * `display: none`, opened from a button in a corner of the page.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import type { ChatMessage } from '../src/core/types.js';
import { mockEndpoint, streamingReply } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise(requestAnimationFrame);
};

type Kind = 'dialog' | 'popover' | 'panel';

/** A closed widget of `kind` holding `<stream-chat>`, and what opens and closes it. */
async function widget(kind: Kind, endpoint = '') {
  const box = await fixture<HTMLElement>(
    kind === 'dialog'
      ? html`<dialog><stream-chat endpoint=${endpoint} retries="0"></stream-chat></dialog>`
      : kind === 'popover'
        ? html`<div popover="auto"><stream-chat endpoint=${endpoint} retries="0"></stream-chat></div>`
        : html`<div style="display: none"><stream-chat endpoint=${endpoint} retries="0"></stream-chat></div>`,
  );
  const open = () => (box instanceof HTMLDialogElement ? box.showModal() : kind === 'popover' ? box.showPopover() : (box.style.display = ''));
  const isOpen = () => (box instanceof HTMLDialogElement ? box.open : kind === 'popover' ? box.matches(':popover-open') : box.style.display === '');
  return { el: box.querySelector('stream-chat')!, open, isOpen };
}

describe('<stream-chat> as a widget', () => {
  failOnUnhandledRejection();

  for (const kind of ['dialog', 'popover', 'panel'] as const) {
    it(`a long conversation given while its ${kind} is closed shows from its end as it opens, nothing below`, async () => {
      const { el, open } = await widget(kind);
      el.messages = Array.from({ length: 300 }, (_, i): ChatMessage => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i} `.repeat(1 + (i % 7) * 6) }));
      await el.updateComplete;
      await frames(2);
      open();
      await frames(4);
      const log = el.shadowRoot!.querySelector<HTMLElement>('[part~="log"]')!;
      expect(log.scrollHeight - log.scrollTop - log.clientHeight, 'at the end').to.be.below(2);
      expect(el.shadowRoot!.querySelector('[part~="jump"]'), 'no Jump to latest').to.equal(null);
    });
  }

  for (const kind of ['dialog', 'popover'] as const) {
    it(`in a ${kind}, the first Escape while an answer streams stops it and leaves the ${kind} open; the next closes it`, async () => {
      const { steps } = streamingReply(['Hel', 'lo ', 'there']);
      const endpoint = await mockEndpoint({ steps: [...steps.slice(0, 2), { hold: 'streaming' }, ...steps.slice(2)] });
      const { el, open, isOpen } = await widget(kind, endpoint.url);
      open();
      el.focus();
      const done = el.send('Hi');
      await waitUntil(() => el.conversation.draft?.message.content === 'Hel', 'the answer streams');
      await sendKeys({ press: 'Escape' });
      expect([(await done).aborted, isOpen()], 'one Escape: stopped, still open').to.deep.equal([true, true]);
      await endpoint.release('streaming');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !isOpen(), 'the next Escape closes it');
    });
  }
});
