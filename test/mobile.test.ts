import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
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

  it("a code block's language at 200% text on a 320 px phone (WCAG 1.4.4, 1.4.10) is whole, and its header keeps its height as Copy says Copied or Copy failed", async () => {
    await setViewport({ width: 320, height: 640 });
    document.documentElement.style.fontSize = '32px';
    const languages = ['js', 'python', 'typescript', 'tsx:src/app/components/Button.tsx', ''];
    // Copy's own label, and a longer one, on two lines there (as Firefox's Copy code is).
    for (const label of ['Copy code', 'In die Zwischenablage kopieren']) {
      const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
      el.labels = { copyCode: label };
      el.messages = [
        { role: 'user', content: 'How?' },
        { role: 'assistant', content: languages.map((language) => '```' + language + '\nlet a = 1;\n```').join('\n\n') },
      ];
      await el.updateComplete;
      const headers = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~=code-header]')];
      expect(headers.map((header) => header.querySelector('[part~=code-language]')!.textContent)).to.deep.equal(languages);
      for (const header of headers) {
        const [language, copy] = [header.querySelector<HTMLElement>('[part~=code-language]')!, header.querySelector<HTMLElement>('[part~=copy]')!];
        const name = `${label}, ${language.textContent || 'no language'}`;
        const box = header.getBoundingClientRect();
        // Before, Copy took the header, and "python" was cut to "p…", "js" to "…".
        expect([language.scrollWidth <= language.clientWidth, language.scrollHeight <= language.clientHeight], `${name}: whole`).to.deep.equal([true, true]);
        for (const rect of language.getClientRects()) expect(rect.right <= box.right + 0.5 && rect.left >= box.left - 0.5, `${name}: inside the header`).to.equal(true);
        expect(copy.scrollWidth, `${name}: Copy whole`).to.be.at.most(copy.clientWidth);
        expect(copy.getBoundingClientRect().right, `${name}: Copy inside the header`).to.be.at.most(box.right + 0.5);
        // Pressed, Copy says how it went (whichever way the clipboard goes here, in the label given):
        // the header keeps its height, and the code below stays where it was.
        const height = header.offsetHeight;
        for (const said of ['Copied', 'Copy failed']) {
          el.labels = { copyCode: label, copied: said, copyFailed: said };
          copy.click();
          await waitUntil(() => copy.textContent === said, `${name}: Copy says ${said}`);
          expect(header.offsetHeight, `${name}: ${said}`).to.equal(height);
        }
      }
    }
  });

  it("a code block's Copy keeps its own size as it says Copied in a page zoomed by CSS (zoom: 2 on the chat), not twice it", async () => {
    await setViewport({ width: 800, height: 640 });
    const el = await fixture<StreamChatElement>(html`<stream-chat style="zoom: 2"></stream-chat>`);
    el.labels = { copied: 'Copy code', copyFailed: 'Copy code' };
    el.messages = [
      { role: 'user', content: 'How?' },
      { role: 'assistant', content: '```js\nlet a = 1;\n```' },
    ];
    await el.updateComplete;
    const copy = el.shadowRoot!.querySelector<HTMLElement>('[part~=copy]')!;
    const before = [copy.offsetWidth, copy.offsetHeight];
    copy.click();
    await waitUntil(() => copy.style.minWidth, 'Copy says how it went');
    expect([copy.offsetWidth, copy.offsetHeight], 'its size, the same label').to.deep.equal(before);
  });
});
