/**
 * The element under the display settings people browse with (WCAG 2.2 AA): text spacing (1.4.12)
 * here; forced colours, reduced motion and reflow are tested with the parts they are about
 * (theming, tools-element, conversation-ux).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';

describe('display settings', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it("text spacing set on the page (WCAG 1.4.12) reaches the input and the buttons, and cuts none of them on a 320 px phone", async () => {
    await setViewport({ width: 320, height: 640 });
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    // A spacing tool's user style sheet on every element of the page: the host is the one it reaches.
    el.style.cssText = 'line-height: 1.5; letter-spacing: 0.12em; word-spacing: 0.16em';
    el.messages = [
      { role: 'user', content: 'How?' },
      { role: 'assistant', content: 'Like this:\n\n```javascript\nlet a = 1;\n```' },
    ];
    await el.updateComplete;
    const root = el.shadowRoot!;
    const controls = [...root.querySelectorAll<HTMLElement>('[part~=input], button')];
    expect(controls.map((control) => control.getAttribute('part'))).to.include.members(['input', 'send', 'copy', 'action copy-message', 'action regenerate']);
    const spacing = (node: Element) => [getComputedStyle(node).letterSpacing, getComputedStyle(node).wordSpacing];
    const text = root.querySelector('[part~=assistant] p')!;
    expect(spacing(text), "the answer's text").to.deep.equal(['1.92px', '2.56px']);
    for (const control of controls) {
      // Before, the browser's own style sheet set form controls' spacing back to normal.
      expect(spacing(control), control.getAttribute('part')!).to.deep.equal(spacing(text));
      expect(control.scrollWidth, `${control.getAttribute('part')}: its text fits`).to.be.at.most(control.clientWidth);
      expect(control.scrollHeight, `${control.getAttribute('part')}: its lines fit`).to.be.at.most(control.clientHeight);
    }
  });

  it('a suggestion with a long link, with text spacing on a 320 px phone (WCAG 1.4.10, 1.4.12): it wraps inside the log, none of it cut', async () => {
    await setViewport({ width: 320, height: 640 });
    const el = await fixture<StreamChatElement>(html`<stream-chat style="line-height: 1.5; letter-spacing: 0.12em; word-spacing: 0.16em"></stream-chat>`);
    el.suggestions = ['Summarise https://example.com/docs/getting-started/installation-and-configuration'];
    await el.updateComplete;
    const log = el.shadowRoot!.querySelector<HTMLElement>('[part~=log]')!;
    const suggestion = el.shadowRoot!.querySelector<HTMLElement>('[part~=suggestion]')!;
    // Before, the link ran 71 px past the log's edge, which cuts what is wider (it never scrolls sideways).
    expect(log.scrollWidth, 'the log').to.be.at.most(log.clientWidth);
    expect(suggestion.getBoundingClientRect().right, 'the suggestion').to.be.at.most(log.getBoundingClientRect().right);
  });

  it("a longer Stop label (a translation's), with text spacing on a 320 px phone (WCAG 1.4.10, 1.4.12): the input keeps room, the label wraps whole, Send inside the chat", async () => {
    await setViewport({ width: 320, height: 640 });
    for (const stop of ['Остановить генерацию', 'Generierung anhalten']) {
      const el = await fixture<StreamChatElement>(html`<stream-chat style="line-height: 1.5; letter-spacing: 0.12em; word-spacing: 0.16em"></stream-chat>`);
      el.labels = { stop };
      await el.updateComplete;
      await new Promise(requestAnimationFrame);
      const part = (name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~=${name}]`)!;
      const [form, input, send] = [part('form'), part('input'), part('send')];
      // Before, Send was as wide as the label's one line, 256 px, and left the input 26: a letter a line.
      expect(input.getBoundingClientRect().width, `${stop}: the input`).to.be.at.least(form.clientWidth / 4);
      expect(send.scrollWidth, `${stop}: Send's label whole`).to.be.at.most(send.clientWidth);
      expect(send.getBoundingClientRect().left, `${stop}: Send beside the input`).to.be.at.least(input.getBoundingClientRect().right);
      expect(send.getBoundingClientRect().right, `${stop}: Send inside the chat`).to.be.at.most(form.getBoundingClientRect().right);
    }
  });
});
