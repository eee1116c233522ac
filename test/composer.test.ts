/**
 * The composer's script sizing of text areas, where CSS cannot (no `field-sizing`: WebKit, Firefox
 * 140 ESR); Chromium is made such a browser here.
 */
import { expect } from '@open-wc/testing';
import { fit } from '../src/element/composer.js';
import { inHiddenPanel } from './helpers/observed.js';

describe('composer: fit', () => {
  it('text areas taken out while hidden (0 × 0, never reported as they go) are let go once another is fitted', async () => {
    const supports = CSS.supports;
    CSS.supports = ((...args: string[]) => !args[0]!.includes('field-sizing') && (Reflect.apply(supports, CSS, args) as boolean)) as typeof CSS.supports;
    try {
      // A closed panel, whose edit box goes as another tab's or the host's conversation replaces its messages.
      await inHiddenPanel(async (panel, observed, frames) => {
        const boxes = Array.from({ length: 3 }, () => document.createElement('textarea'));
        for (const box of boxes) {
          panel.replaceChildren(box);
          fit(box);
          await frames();
        }
        // Before, the two taken out (let go only as they reported, which a hidden one never does) were
        // held for the page's life.
        expect(boxes.map((box) => observed.has(box))).to.deep.equal([false, false, true]);
      });
    } finally {
      CSS.supports = supports;
    }
  });
});
