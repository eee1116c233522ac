/**
 * The chat as a floating widget: in a `<dialog>`, a popover or a panel the page hides with
 * `display: none` (or `content-visibility: hidden`, as a tab panel), opened from a button in a
 * corner of the page. (Escape in a dialog or a popover: embedding.test.ts.)
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { ChatMessage } from '../src/core/types.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise(requestAnimationFrame);
};

type Kind = 'dialog' | 'popover' | 'panel' | 'content-visibility';

/** A closed widget of `kind` holding `<stream-chat>`, and what opens it. */
async function widget(kind: Kind) {
  const box = await fixture<HTMLElement>(
    kind === 'dialog'
      ? html`<dialog><stream-chat></stream-chat></dialog>`
      : kind === 'popover'
        ? html`<div popover="auto"><stream-chat></stream-chat></div>`
        : html`<div style=${kind === 'panel' ? 'display: none' : 'content-visibility: hidden'}><stream-chat></stream-chat></div>`,
  );
  const open = () => (box instanceof HTMLDialogElement ? box.showModal() : kind === 'popover' ? box.showPopover() : (box.style.cssText = ''));
  return { el: box.querySelector('stream-chat')!, open };
}

describe('<stream-chat> as a widget', () => {
  failOnUnhandledRejection();

  for (const kind of ['dialog', 'popover', 'panel', 'content-visibility'] as const) {
    it(`a long conversation given while its ${kind} is closed shows from its end as it opens, nothing below, the input one line`, async () => {
      const { el, open } = await widget(kind);
      el.messages = Array.from({ length: 300 }, (_, i): ChatMessage => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i} `.repeat(1 + (i % 7) * 6) }));
      await el.updateComplete;
      await frames(2);
      open();
      await frames(4);
      const log = el.shadowRoot!.querySelector<HTMLElement>('[part~="log"]')!;
      expect(log.scrollHeight - log.scrollTop - log.clientHeight, 'at the end').to.be.below(2);
      expect(el.shadowRoot!.querySelector('[part~="jump"]'), 'no Jump to latest').to.equal(null);
      expect(el.shadowRoot!.querySelector('[part~="input"]')!.getBoundingClientRect().height, 'the input one line').to.be.below(45);
    });
  }
});
