import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

function part(el: StreamChatElement, name: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

/** A page stylesheet, removed after the test. */
async function pageStyle(css: string): Promise<HTMLStyleElement> {
  const style = Object.assign(document.createElement('style'), { textContent: css });
  document.head.append(style);
  await new Promise(requestAnimationFrame);
  return style;
}

describe('<stream-chat> styling, as README\'s Styling section has it', () => {
  failOnUnhandledRejection();

  it('a page\'s aggressive resets (* { box-sizing: content-box; margin: 0 }, button { all: unset }) do not reach the composer', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }];
    await el.updateComplete;
    // Heights, and Send's width: the page's margin: 0 on its body widens the element and the input.
    const sizes = () => ['input', 'send', 'form'].map((name) => {
      const { width, height } = part(el, name).getBoundingClientRect();
      return `${name} ${name === 'send' ? `${width.toFixed(1)} × ` : ''}${height.toFixed(1)} high`;
    });
    const own = sizes();
    const page = await pageStyle('* { box-sizing: content-box; margin: 0 } button, textarea { all: unset }');
    try {
      expect(sizes()).to.deep.equal(own);
    } finally {
      page.remove();
    }
  });
});
