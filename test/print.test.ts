import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { hasCdp, itWithCdp } from './helpers/cdp.js';

describe('<stream-chat> printed', () => {
  failOnUnhandledRejection();

  afterEach(async () => {
    if (hasCdp) await emulateMedia({ media: 'screen', colorScheme: 'light' });
  });

  itWithCdp('prints in the light scheme’s colours, also where the page forces the dark one', async () => {
    // A dark page that forces the chat dark, as README says: `stream-chat { color-scheme: dark }`.
    await emulateMedia({ colorScheme: 'dark' });
    const el = await fixture<StreamChatElement>(html`<stream-chat style="color-scheme: dark"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'An answer with `code`.' },
    ];
    await el.updateComplete;
    const colours = () =>
      ['[part~="user"]', '[part~="assistant"]', '.markdown code'].map((selector) => getComputedStyle(el.shadowRoot!.querySelector(selector)!).color);
    const light = ['rgb(31, 35, 40)', 'rgb(31, 35, 40)', 'rgb(31, 35, 40)'];
    expect(colours(), 'on screen, dark').to.not.deep.equal(light);
    await emulateMedia({ media: 'print' });
    // Paper is white, and a browser leaves the backgrounds out: before, the dark scheme's light text
    // was printed, which Chromium darkens only to grey (#e6edf3 printed about 2.8:1 on white).
    expect(colours(), 'printed').to.deep.equal(light);
  });

  itWithCdp('an empty chat prints without its suggestions, as without the other controls', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.suggestions = ['Plan a trip', 'Explain a word'];
    await el.updateComplete;
    const shown = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="suggestion"]')].map((button) => button.getClientRects().length > 0);
    expect(shown(), 'on screen').to.deep.equal([true, true]);
    await emulateMedia({ media: 'print' });
    // Buttons on paper, which nothing can press (as the composer, Copy and Retry are left out).
    expect(shown(), 'printed').to.deep.equal([false, false]);
  });

  itWithCdp('a closed Reasoning and a tool call’s closed Result print open, their text on the paper', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: '', reasoning: 'Thought it through.', tool_calls: [{ id: 'a', type: 'function', function: { name: 'look', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'a', content: 'Found it.' },
      { role: 'assistant', content: 'A.' },
    ];
    await el.updateComplete;
    const shown = () => ['.reasoning-text', '[part~="tool-result"] pre'].map((selector) => el.shadowRoot!.querySelector(selector)!.checkVisibility());
    expect(shown(), 'on screen, closed').to.deep.equal([false, false]);
    await emulateMedia({ media: 'print' });
    // Before, a printout or PDF had their summaries alone (Chromium hides a closed <details>'s
    // content with content-visibility on its ::details-content).
    expect(shown(), 'printed').to.deep.equal([true, true]);
  });

  itWithCdp('a tool call’s long arguments, and its long Result opened, print whole: not cut at the lines they scroll in on screen', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'query', arguments: JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]))) } }] },
      { role: 'tool', tool_call_id: 'a', content: Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') },
    ];
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLDetailsElement>('[part~="tool-result"]')!.open = true;
    const cut = () => [...el.shadowRoot!.querySelectorAll('[part~="tool-call"] pre')].map((pre) => pre.scrollHeight > pre.clientHeight);
    expect(cut(), 'on screen, they scroll').to.deep.equal([true, true]);
    await emulateMedia({ media: 'print' });
    expect(cut(), 'printed').to.deep.equal([false, false]);
  });

  itWithCdp('a long tool Result prints every line: none of its blocks skips its layout on paper, as they do on screen', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const rows = Array.from({ length: 1500 }, (_, id) => ({ id, name: `row ${id}` }));
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'query', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'a', content: JSON.stringify(rows) },
    ];
    await el.updateComplete;
    const pre = el.shadowRoot!.querySelector('[part~="tool-result"] pre')!;
    const skipping = () => [...pre.querySelectorAll('*')].filter((box) => getComputedStyle(box).contentVisibility !== 'visible').length;
    const result = pre.parentElement as HTMLDetailsElement;
    result.open = true;
    // On screen, an open result's blocks of 200 lines out of view skip layout (a 2 MB result took seconds).
    expect(skipping(), 'on screen').to.be.above(10);
    await emulateMedia({ media: 'print' });
    expect(skipping(), 'printed').to.equal(0);
    result.open = false;
    expect(pre.checkVisibility(), 'closed, printed').to.equal(true);
  });

  itWithCdp('a table prints its short words whole, and a long link on the page', async () => {
    // About a page's width: its words fit, but not with the link in one piece.
    const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 560px"></stream-chat>`);
    const url = 'https://example.com/weather/reports/2026/12/07/reykjavik-iceland-hourly-observations.json';
    el.messages = [
      { role: 'user', content: 'Q' },
      {
        role: 'assistant',
        content: `| City | Temperature | Humidity | Notes |\n|---|---|---|---|\n| Reykjavik | 12 °C | 80 % | A windy, cool day with some showers in the afternoon and clear skies later at night. |\n| Source | ${url} | — | — |`,
      },
    ];
    await el.updateComplete;
    await emulateMedia({ media: 'print' });
    const table = el.shadowRoot!.querySelector('.markdown table')!;
    // The words (but the link's) that a line's end splits.
    const broken: string[] = [];
    for (const cell of table.querySelectorAll('th, td')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of node.textContent!.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, word.index);
          range.setEnd(node, word.index + word[0].length);
          if (new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1 && word[0] !== url) broken.push(word[0]);
        }
      }
    }
    // Before, every cell's words broke anywhere, and the columns of long text took the width from
    // those of short words: City, Humidity, Reykjavik and Source printed split over two lines.
    expect(broken).to.deep.equal([]);
    expect(table.getBoundingClientRect().right).to.be.at.most(el.getBoundingClientRect().right);
  });

  itWithCdp('a table with a long word in code prints on the page, as one with a long link', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 560px"></stream-chat>`);
    const path = '`usr.local.lib.node_modules.scope.some_long_package_name.dist.esm.internal.index_js_more_more`';
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: `| File | Size | Notes |\n|---|---|---|\n| ${path} | 12 kB | the entry point of the package |\n| ${path} | 3 kB | again |` },
    ];
    await el.updateComplete;
    await emulateMedia({ media: 'print' });
    // Before, code broke only where it would overflow, and a word longer than the page never does:
    // the table 983 px wide in a 568 px element.
    const table = el.shadowRoot!.querySelector('.markdown table')!;
    expect(table.getBoundingClientRect().right).to.be.at.most(el.getBoundingClientRect().right);
  });
});
