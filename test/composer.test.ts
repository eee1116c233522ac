/**
 * The composer's script sizing of text areas, where CSS cannot (no `field-sizing`: WebKit, Firefox
 * 140 ESR); Chromium is made such a browser here.
 */
import { expect } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { inHiddenPanel, withoutFieldSizing } from './helpers/observed.js';

describe('composer: fit', () => {
  it('edit boxes taken out while hidden (0 × 0, never reported as they go) are let go by the render that took them out', async () => {
    await withoutFieldSizing(async () => {
      // A closed panel, whose edit box goes as another tab's or the host's conversation replaces its messages.
      await inHiddenPanel(async (panel, observed, frames) => {
        const el = document.createElement('stream-chat') as StreamChatElement;
        panel.append(el);
        const boxes: Element[] = [];
        for (const question of ['One', 'Two', 'Three']) {
          el.messages = [{ role: 'user', content: question }];
          await el.updateComplete;
          el.shadowRoot!.querySelector<HTMLElement>('[part~="edit"]')!.click();
          await el.updateComplete;
          await frames();
          boxes.push(el.shadowRoot!.querySelector('[part~="edit-input"]')!);
        }
        // Before, the two taken out (let go only as they reported, which a hidden one never does) were
        // held for the page's life.
        expect(boxes.map((box) => observed.has(box))).to.deep.equal([false, false, true]);
        el.remove();
      });
    });
  });
});

describe('composer: a long text in the input', () => {
  it('reads in the direction of its first letter throughout, isolated, not each line in its own (which took seconds to lay out)', async () => {
    const el = document.createElement('stream-chat') as StreamChatElement;
    document.body.append(el);
    try {
      await el.updateComplete;
      const input = el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')!;
      const style = getComputedStyle(input);
      // Before, plaintext (a browser's own style for a text area with dir="auto"): a pasted 1 MB of
      // prose took Chromium 16.7 s to lay out, 330 KB 1.3 to 2.7 s (isolated, 0.07 s), as a tool
      // result's did (see its pre's styles).
      input.value = 'Lorem ipsum dolor sit amet.\nمرحبا';
      expect([style.direction, style.unicodeBidi]).to.deep.equal(['ltr', 'isolate']);
      // Its first letter still gives it its direction.
      input.value = 'مرحبا\nHello';
      expect([style.direction, style.unicodeBidi]).to.deep.equal(['rtl', 'isolate']);
    } finally {
      el.remove();
    }
  });
});
