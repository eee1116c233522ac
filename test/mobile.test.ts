import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { hasCdp, itWithCdp } from './helpers/cdp.js';

describe('<stream-chat> on a phone', () => {
  failOnUnhandledRejection();

  afterEach(async () => {
    document.documentElement.style.fontSize = '';
    if (hasCdp) await executeServerCommand('cdp-touch', { enabled: false });
  });

  itWithCdp('on a touch screen, the input and the edit box are 16 px at least, on a page whose root font is smaller', async () => {
    // iOS Safari zooms into an input under 16 px as it takes focus, and does not zoom out again.
    document.documentElement.style.fontSize = '14px';
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'A' },
    ];
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLElement>('[part~="edit"]')!.click();
    await el.updateComplete;
    const sizes = () => ['input', 'edit-input'].map((name) => getComputedStyle(el.shadowRoot!.querySelector(`[part~="${name}"]`)!).fontSize);
    expect(sizes(), 'with a mouse, the root’s size').to.deep.equal(['14px', '14px']);
    await executeServerCommand('cdp-touch', { enabled: true });
    expect(matchMedia('(pointer: coarse)').matches, 'the emulated touch screen').to.equal(true);
    expect(sizes(), 'on a touch screen').to.deep.equal(['16px', '16px']);
    // A larger font stays as it is.
    document.documentElement.style.fontSize = '20px';
    expect(sizes()).to.deep.equal(['20px', '20px']);
  });

  itWithCdp('the touch keyboard’s Enter key says Send where Enter sends (a fine pointer), not on a touch screen, where it is a newline', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const input = el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')!;
    expect(input.enterKeyHint, 'with a mouse').to.equal('send');
    await executeServerCommand('cdp-touch', { enabled: true });
    el.placeholder = 'Ask';
    await el.updateComplete;
    expect(input.enterKeyHint, 'on a touch screen').to.equal('');
  });
});
