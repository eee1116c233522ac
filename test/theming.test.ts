import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { mockEndpoint, streamingReply } from './helpers/server.js';

function part(el: StreamChatElement, name: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

/** The element that has focus, looking through shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('<stream-chat> theming', () => {
  failOnUnhandledRejection();

  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('takes colours, font, radius and spacing from --stream-chat-* custom properties', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat
      style="
        --stream-chat-background: rgb(1, 2, 3);
        --stream-chat-color: rgb(4, 5, 6);
        --stream-chat-accent-color: rgb(7, 8, 9);
        --stream-chat-accent-contrast: rgb(10, 11, 12);
        --stream-chat-user-background: rgb(13, 14, 15);
        --stream-chat-assistant-background: rgb(16, 17, 18);
        --stream-chat-radius: 3px;
        --stream-chat-padding: 5px;
        --stream-chat-font: 400 13px/2 monospace;
        --stream-chat-height: 321px;
      "
    ></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'A' },
    ];
    await el.updateComplete;
    const host = getComputedStyle(el);
    expect(host.backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(host.color).to.equal('rgb(4, 5, 6)');
    expect(host.fontSize).to.equal('13px');
    expect(el.getBoundingClientRect().height).to.equal(321);
    const send = getComputedStyle(part(el, 'send'));
    expect(send.backgroundColor).to.equal('rgb(7, 8, 9)');
    expect(send.color).to.equal('rgb(10, 11, 12)');
    expect(getComputedStyle(part(el, 'user')).backgroundColor).to.equal('rgb(13, 14, 15)');
    const assistant = getComputedStyle(part(el, 'assistant'));
    expect(assistant.backgroundColor).to.equal('rgb(16, 17, 18)');
    expect(assistant.borderTopLeftRadius).to.equal('3px');
    expect(getComputedStyle(part(el, 'log')).paddingTop).to.equal('5px');
  });

  it('sets code in answers and tool cards in --stream-chat-code-font', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat style="--stream-chat-code-font: Courier"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'Run `ls`.', tool_calls: [{ id: 'c', type: 'function', function: { name: 'shell', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c', content: 'ok' },
    ];
    await el.updateComplete;
    expect(getComputedStyle(part(el, 'assistant').querySelector('code')!).fontFamily).to.equal('Courier');
    expect(getComputedStyle(part(el, 'tool-call')).fontFamily).to.equal('Courier');
  });

  it('follows prefers-color-scheme for its defaults', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    await emulateMedia({ colorScheme: 'light' });
    const light = getComputedStyle(el).backgroundColor;
    await emulateMedia({ colorScheme: 'dark' });
    const dark = getComputedStyle(el).backgroundColor;
    expect(light).to.equal('rgb(255, 255, 255)');
    expect(dark).not.to.equal(light);
  });

  it('takes a colour scheme a host forces with color-scheme', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat style="color-scheme: light"></stream-chat>`);
    await emulateMedia({ colorScheme: 'dark' });
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(255, 255, 255)');
    el.style.colorScheme = 'dark';
    expect(getComputedStyle(el).backgroundColor).not.to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'light' });
    expect(getComputedStyle(el).backgroundColor, 'dark, forced, in a light page').not.to.equal('rgb(255, 255, 255)');
  });

  it('can be styled through its parts', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const style = document.createElement('style');
    style.textContent = 'stream-chat.parted::part(input) { border-color: rgb(200, 0, 0); }';
    document.head.append(style);
    el.classList.add('parted');
    expect(getComputedStyle(part(el, 'input')).borderTopColor).to.equal('rgb(200, 0, 0)');
    style.remove();
  });
});

describe('<stream-chat> keyboard', () => {
  failOnUnhandledRejection();

  it('Tab moves through the log, a message’s actions, the input and the button, with a visible focus ring', async () => {
    const before = await fixture<HTMLButtonElement>(html`<button>before</button>`);
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ];
    await el.updateComplete;
    before.focus();
    const order: Array<string | null> = [];
    for (let i = 0; i < 7; i++) {
      await sendKeys({ press: 'Tab' });
      const active = deepActiveElement() as HTMLElement;
      order.push(active.getAttribute('part'));
      expect(getComputedStyle(active).outlineStyle, `${active.getAttribute('part')} focus ring`).not.to.equal('none');
    }
    expect(order).to.deep.equal(['log', 'action copy-message', 'action edit', 'action copy-message', 'action regenerate', 'input', 'send']);
  });

  it('the focus ring of a button at the edge of a group of turns is whole: inside what the group paints', async () => {
    const before = await fixture<HTMLButtonElement>(html`<button>before</button>`);
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ];
    await el.updateComplete;
    before.focus();
    for (let i = 0; i < 5; i++) await sendKeys({ press: 'Tab' });
    const button = deepActiveElement() as HTMLElement;
    expect(button.getAttribute('part')).to.equal('action regenerate');
    // A group paints only inside its box (content-visibility: auto contains its paint).
    const group = button.closest('.turns')!.getBoundingClientRect();
    const style = getComputedStyle(button);
    const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    const box = button.getBoundingClientRect();
    const outside = [group.left - (box.left - ring), box.right + ring - group.right, group.top - (box.top - ring), box.bottom + ring - group.bottom];
    expect(outside.map((px) => px > 0.5), 'left, right, top, bottom of the ring outside the group').to.deep.equal([false, false, false, false]);
  });

  it('keeps focus on the button while Send turns into Stop and back', async () => {
    const endpoint = await mockEndpoint(streamingReply(['A', 'B'], { gap: 200 }));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url}></stream-chat>`);
    const input = part(el, 'input') as HTMLTextAreaElement;
    input.focus();
    await sendKeys({ type: 'hi' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()?.getAttribute('part')).to.equal('send');
    const done = new Promise((resolve) => el.addEventListener('done', resolve));
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.streaming).to.equal(true);
    expect(deepActiveElement()?.getAttribute('part')).to.equal('stop');
    await done;
    await el.updateComplete;
    expect(deepActiveElement()?.getAttribute('part')).to.equal('send');
  });
});
