/**
 * The element's text areas (the composer's input, the edit box) given a pasted run of letters with
 * no space: a text area's value is one text, which long-runs.ts cannot cut into Text nodes.
 */
import { expect } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';

describe('text areas: a long run of letters', () => {
  it('the input and the edit box lay a run of 20,000 letters out unkerned, wrapped, with no sideways scroll', async () => {
    const el = document.createElement('stream-chat') as StreamChatElement;
    el.style.width = '480px';
    el.messages = [{ role: 'user', content: 'A'.repeat(20000) }];
    document.body.append(el);
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLElement>('[part~="edit"]')!.click();
    await el.updateComplete;
    const areas = ['input', 'edit-input'].map((part) => el.shadowRoot!.querySelector<HTMLTextAreaElement>(`[part~="${part}"]`)!);
    areas[0]!.value = 'A'.repeat(20000);
    expect(areas.map((area) => area.value.length)).to.deep.equal([20000, 20000]);
    for (const area of areas) {
      // Kerned (AAAA… in DejaVu Sans), Chromium wrapped it in time growing with the square of its
      // length: 0.3-0.8 s a layout, 30-110 ms a keystroke after it.
      expect(getComputedStyle(area).fontKerning, area.part.value).to.equal('none');
      expect(area.scrollWidth, area.part.value).to.be.at.most(area.clientWidth);
    }
    el.remove();
  });

  it('a page’s font on the input or the edit box (the font shorthand, which resets font-kerning) leaves them unkerned', async () => {
    const style = document.createElement('style');
    style.textContent = 'stream-chat::part(input), stream-chat::part(edit-input) { font: 20px/1.4 serif }';
    document.head.append(style);
    const el = document.createElement('stream-chat') as StreamChatElement;
    el.messages = [{ role: 'user', content: 'A question' }];
    document.body.append(el);
    try {
      await el.updateComplete;
      el.shadowRoot!.querySelector<HTMLElement>('[part~="edit"]')!.click();
      await el.updateComplete;
      for (const part of ['input', 'edit-input']) {
        const area = el.shadowRoot!.querySelector<HTMLTextAreaElement>(`[part~="${part}"]`)!;
        expect(getComputedStyle(area).fontSize, `${part}: the page's font`).to.equal('20px');
        // Before, the page's rule, which beats the element's own unless that is important, set it
        // back to auto: a pasted run of letters was wrapped in time growing with the square of its length.
        expect(getComputedStyle(area).fontKerning, part).to.equal('none');
      }
    } finally {
      el.remove();
      style.remove();
    }
  });
});
