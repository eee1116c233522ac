/**
 * "ResizeObserver loop completed with undelivered notifications", which a page reports to its error
 * monitor: the element's renders and its observers' callbacks leave no size change for a frame's
 * observations to skip (one at a depth no deeper than the shallowest they were told of).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { withObserved } from './helpers/observed.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

async function frames(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await frame();
}

/**
 * The loop errors reported while `run` runs, kept from mocha's `onerror` (which would fail whichever
 * test runs then) and given to the test to check.
 */
async function loopsDuring(run: () => Promise<void>): Promise<string[]> {
  const loops: string[] = [];
  const mochas = window.onerror;
  window.onerror = (message, ...rest) => (/ResizeObserver loop/.test(String(message)) ? (loops.push(String(message)), true) : mochas?.call(window, message, ...rest));
  try {
    await run();
    // (Reported at the end of a frame's observations.)
    await frames(2);
  } finally {
    window.onerror = mochas;
  }
  return loops;
}

describe('<stream-chat> and ResizeObserver loops', () => {
  failOnUnhandledRejection();

  it('a render asked for in a page’s own ResizeObserver callback (a property set as its panel resizes) reports no loop', async () => {
    // The page's panel, deeper in the page than the chat's log.
    const page = await fixture<HTMLElement>(html`<div><stream-chat endpoint="/chat"></stream-chat><div><div><div><p>Panel</p></div></div></div></div>`);
    const el = page.querySelector<StreamChatElement>('stream-chat')!;
    el.messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello.' },
    ];
    await el.updateComplete;
    await frames(2);
    const panel = new ResizeObserver(() => (el.placeholder = 'Ask about this panel'));
    // Before, the element's render in that callback watched its log and groups anew: observations
    // made again report at once, and the log, no deeper than the panel, was skipped.
    const loops = await loopsDuring(async () => {
      panel.observe(page.querySelector('p')!);
      await frames(2);
      expect(el.shadowRoot!.querySelector('textarea')!.placeholder).to.equal('Ask about this panel');
    });
    panel.disconnect();
    expect(loops).to.deep.equal([]);
  });

  it('labels set while an edit fills a short log (its Save and Cancel on two rows then): the box keeps to what the log has for it, and no loop is reported', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint="/chat" style="--stream-chat-height: 15rem; width: 360px"></stream-chat>`);
    el.messages = [
      { role: 'user', content: Array.from({ length: 30 }, (_, i) => `Line ${i + 1} of the question`).join('\n') },
      { role: 'assistant', content: 'An answer.' },
    ];
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLElement>('[part~="edit"]')!.click();
    await waitUntil(() => el.shadowRoot!.activeElement?.matches('[part~="edit-input"]'), 'the edit box has focus');
    await frames(2);
    const log = el.shadowRoot!.querySelector<HTMLElement>('[part~="log"]')!;
    const form = el.shadowRoot!.querySelector<HTMLElement>('form.edit')!;
    const rows = () => new Set([...form.querySelectorAll('button')].map((button) => Math.round(button.getBoundingClientRect().top))).size;
    expect(rows(), 'Save and Cancel on a row').to.equal(1);
    // The observer is told of the form's group alone (the log's size is the same): kept to its room
    // only in its callback, the box resized that group again, which was skipped.
    const loops = await loopsDuring(async () => {
      el.labels = { save: 'Save the question as it is now', cancel: 'Cancel, and keep the question as it was' };
      await el.updateComplete;
      await frames(2);
      expect(rows(), 'on two rows').to.equal(2);
      // The form, with the box's focus ring (4 px) above it, fits in the log.
      expect(form.getBoundingClientRect().height + 4).to.be.at.most(log.clientHeight);
    });
    expect(loops).to.deep.equal([]);
  });

  it('groups of turns a render took out while the chat is hidden (0 × 0, never reported as they go) are no longer observed', async () => {
    // What the element's observers observe.
    await withObserved(async (observed) => {
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint="/chat" hidden></stream-chat>`);
      const conversation = (n: number) => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? ('assistant' as const) : ('user' as const), content: `Message ${i}` }));
      for (const n of [40, 60, 20]) {
        // As another tab's conversations come under storage-key while this one's panel is closed.
        el.messages = conversation(n);
        await el.updateComplete;
        await frames(2);
      }
      const log = el.shadowRoot!.querySelector('[part~="log"]')!;
      const gone = [...observed].filter((node) => !node.isConnected && node.classList.contains('turns'));
      // Before, every group of the two conversations before (let go only as they reported, which a
      // hidden one never does) was held for the element's life.
      expect(gone, 'groups taken out, still observed').to.have.length(0);
      expect([...log.children].every((group) => observed.has(group)), 'the groups shown observed').to.equal(true);
    });
  });
});
