/**
 * The composer's script sizing of text areas, where CSS cannot (no `field-sizing`: WebKit, Firefox
 * 140 ESR); Chromium is made such a browser here.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { sendKeys } from '@web/test-runner-commands';
import { chord, typed } from './helpers/element.js';
import { mockEndpoint, slowReply, streamingReply, type MockResponse } from './helpers/server.js';
import { inHiddenPanel, withoutFieldSizing } from './helpers/observed.js';
import { rulesWithout } from './helpers/layout.js';

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

describe('composer: a text a page sets', () => {
  it('grows the input to its lines where a script sizes it, as typing does (a page’s “Ask about this” set no `input`)', async () => {
    await withoutFieldSizing(async () => {
      const { el, input } = await sizedByScript();
      const text = 'Explain this:\n> line one\n> line two\n> line three';
      input.value = text;
      await frame();
      // Before, one row: three of its four lines scrolled until the reader typed or focused it.
      expect([input.rows, input.scrollHeight <= input.clientHeight + 0.5]).to.deep.equal([4, true]);
      input.value = '';
      await frame();
      expect(input.rows, 'emptied').to.equal(1);
      // Set while hidden (laid out at 0 × 0), then shown: fitted as it is shown.
      el.style.display = 'none';
      input.value = text;
      await frame();
      el.style.display = '';
      await waitUntil(() => input.rows == 4, 'shown: its four rows');
      expect(input.scrollHeight <= input.clientHeight + 0.5, 'shown: all its lines').to.equal(true);
    });
  });

  it('is fitted once a frame, not as each set: three sets in one task lay it out once, after them', async () => {
    await withoutFieldSizing(async () => {
      const { input } = await sizedByScript();
      // Each fit reads the input's scrollHeight (a layout forced, 5.8 s for 1 MB in WebKit).
      const { get } = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight')!;
      let fits = 0;
      Object.defineProperty(input, 'scrollHeight', { get: () => (fits++, get!.call(input)), configurable: true });
      input.value = 'One';
      input.value = 'One\nTwo';
      input.value = 'One\nTwo\nThree';
      // Before, three, in the setter.
      expect(fits, 'in the setter').to.equal(0);
      await frame();
      expect([fits, input.rows], 'the next frame').to.deep.equal([1, 3]);
    });
  });

  it('typed or pasted, is measured in its new direction: the layout its fit forces is the one the frame keeps', async () => {
    await withoutFieldSizing(async () => {
      const { input } = await sizedByScript();
      const { set } = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!;
      const { get: height } = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight')!;
      const measured: string[] = [];
      Object.defineProperty(input, 'scrollHeight', { get: () => (measured.push(input.dir), height!.call(input)), configurable: true });
      // A Hebrew text pasted into the empty input (the element's direction): as the browser puts it, no setter of ours.
      set!.call(input, 'שלום\nעולם');
      input.dispatchEvent(new Event('input'));
      await frame();
      // Before, measured left to right, then made right to left: laid out again (a large paste, twice).
      expect([measured, input.dir]).to.deep.equal([['rtl'], 'rtl']);
    });
  });
});

describe('composer: typing', () => {
  it('fits the input once a frame, not at each `input`: keys that come before a frame (typed while a long answer streams), or a script’s `value =` and its `input`, lay it out once, after them', async () => {
    await withoutFieldSizing(async () => {
      const { input } = await sizedByScript();
      const { set } = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!;
      const { get } = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight')!;
      // Each fit reads the input's scrollHeight: a layout of the page forced, the log's with it.
      let fits = 0;
      Object.defineProperty(input, 'scrollHeight', { get: () => (fits++, get!.call(input)), configurable: true });
      // Three keys, as the browser puts them (no setter of ours), before the next frame.
      for (const text of ['O', 'On', 'One\n']) set!.call(input, text), input.dispatchEvent(new InputEvent('input', { inputType: 'insertText' }));
      // Before, three, one at each `input`.
      expect(fits, 'at each input').to.equal(0);
      await frame();
      expect([fits, input.rows], 'the next frame').to.deep.equal([1, 2]);
      // Before, twice: in the `input`, and at the frame the setter asked for.
      typed(input, 'One\nTwo\nThree');
      await frame();
      expect([fits, input.rows], 'a script’s set and its `input`').to.deep.equal([2, 3]);
    });
  });
});

/** A chat in Chromium made a browser without field-sizing: the element's rules for one (WebKit's). */
async function sizedByScript() {
  const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 360px"></stream-chat>`);
  const fixed = new CSSStyleSheet();
  fixed.replaceSync(`textarea { field-sizing: fixed !important }${rulesWithout(el, 'field-sizing:content')}`);
  el.shadowRoot!.adoptedStyleSheets = [...el.shadowRoot!.adoptedStyleSheets, fixed];
  return { el, input: el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')! };
}

/** The next frame, after the callbacks asked for before it. */
const frame = () => new Promise(requestAnimationFrame);

/** A chat in the page whose question `content` is being edited: its input and its edit box. */
async function editing(content: string) {
  const el = document.createElement('stream-chat') as StreamChatElement;
  el.messages = [{ role: 'user', content }, { role: 'assistant', content: 'A' }];
  document.body.append(el);
  await el.updateComplete;
  el.shadowRoot!.querySelector<HTMLElement>('[part~="edit"]')!.click();
  await el.updateComplete;
  const box = el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="edit-input"]')!;
  return { el, input: el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')!, box };
}

describe('composer: a long text in the input', () => {
  it('reads in the direction of its first letter throughout, isolated (each line in its own took seconds to lay out), unless it holds a right-to-left letter', async () => {
    const { el, input, box } = await editing('مرحبا، كيف حالك؟\nHello, how are you?');
    try {
      const read = (area: HTMLTextAreaElement) => [getComputedStyle(area).direction, getComputedStyle(area).unicodeBidi];
      // An Arabic question with an English line, as edited: each line in its own direction, as
      // dir="auto" gave. Before, isolated: the English line right-aligned, "?Hello, how are you".
      expect(read(box), 'the edit box').to.deep.equal(['rtl', 'plaintext']);
      // Set by a page's script (no \`input\`), then typed.
      input.value = 'Lorem ipsum dolor sit amet.\nI use \`npm i\` (v2).';
      expect(read(input), 'English only').to.deep.equal(['ltr', 'isolate']);
      input.value = 'مرحبا\nI use \`npm i\` (v2).';
      expect(read(input), 'Arabic, then English').to.deep.equal(['rtl', 'plaintext']);
      for (const area of [input, box]) {
        typed(area, 'Hello\nمرحبا');
        expect(read(area), 'typed: English, then Arabic').to.deep.equal(['ltr', 'plaintext']);
        typed(area, 'Lorem ipsum dolor sit amet.');
        // A pasted 1 MB of prose took Chromium 16.7 s to lay out per line (plaintext), 0.9 s isolated.
        expect(read(area), 'typed: English only').to.deep.equal(['ltr', 'isolate']);
      }
    } finally {
      el.remove();
    }
  });
});

describe('composer: the direction of the input and the edit box', () => {
  // As typing changes a text area: its value, then `input`.
  const type = (area: HTMLTextAreaElement, value: string) => (typed(area, value), getComputedStyle(area).direction);

  it('is that of the first letter, found in the text as it changes, not by dir="auto" (Chromium took 10.8 to 23 s to lay out 1 MB of code pasted, and as long a keystroke after it)', async () => {
    const { el, input, box } = await editing('ما هذا؟');
    try {
      // Before, both dir="auto", which Chromium finds again over the whole text at each layout.
      expect([input.getAttribute('dir'), box.getAttribute('dir')]).to.not.include('auto');
      expect(getComputedStyle(box).direction, 'an Arabic question edited').to.equal('rtl');
      for (const area of [input, box]) {
        expect(type(area, 'ع'), 'an Arabic letter typed').to.equal('rtl');
        expect(type(area, 'Hello مرحبا'), 'a mixed text: its first letter').to.equal('ltr');
        expect(type(area, '1. «مرحبا» Hello'), 'after digits and marks').to.equal('rtl');
        expect(type(area, ''), 'empty: the element’s').to.equal('ltr');
        el.dir = 'rtl';
        expect(getComputedStyle(area).direction, 'empty: the element’s').to.equal('rtl');
        expect(type(area, '42'), 'no letter: the element’s').to.equal('rtl');
        el.dir = '';
      }
      // Set by script, with no `input` (a page's own "Ask about this"), and cleared as it is sent.
      input.value = 'שלום';
      expect(getComputedStyle(input).direction, 'set by a page').to.equal('rtl');
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="send"]')!.click();
      el.dir = 'rtl';
      expect([input.value, getComputedStyle(input).direction], 'sent: empty, the element’s').to.deep.equal(['', 'rtl']);
    } finally {
      el.remove();
    }
  });

  it('writes the direction only when it changes: typing in one direction leaves the `dir` attribute alone', async () => {
    const { el, input, box } = await editing('Hello');
    try {
      const { set } = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!;
      for (const area of [input, box]) {
        const writes = new MutationObserver(() => {});
        writes.observe(area, { attributeFilter: ['dir', 'class'] });
        // Keys as the browser puts them (no setter of ours): one English text growing, then an Arabic one.
        for (const text of ['O', 'On', 'One', 'One ', 'One t', 'ع', 'عر']) set!.call(area, text), area.dispatchEvent(new InputEvent('input', { inputType: 'insertText' }));
        const records = writes.takeRecords().map((r) => `${r.attributeName}:${area.getAttribute(r.attributeName!) ?? ''}`);
        writes.disconnect();
        // Before, a write of `dir` at each key (7), the same value (each a mutation).
        expect(records.filter((r) => r.startsWith('dir')).length, area.part.value).to.be.at.most(2);
        expect(getComputedStyle(area).direction).to.equal('rtl');
      }
    } finally {
      el.remove();
    }
  });

  it('follows a text set with no `input` by the prototype’s setter or setRangeText once the input is focused; `value` stays redefinable', async () => {
    const el = document.createElement('stream-chat') as StreamChatElement;
    document.body.append(el);
    try {
      await el.updateComplete;
      const input = el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')!;
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(input, 'שלום');
      input.focus();
      expect(getComputedStyle(input).direction, 'the prototype’s setter').to.equal('rtl');
      input.blur();
      input.value = '';
      input.setRangeText('שלום');
      input.focus();
      expect([getComputedStyle(input).direction, getComputedStyle(input).unicodeBidi], 'setRangeText').to.deep.equal(['rtl', 'plaintext']);
      // As testing-library's user-event does, to intercept the input's value.
      expect(() => Object.defineProperty(input, 'value', { configurable: true, value: 'x' })).to.not.throw();
    } finally {
      el.remove();
    }
  });
});

describe('composer: a page’s ellipsis on Send', () => {
  it('cuts a long label with an ellipsis where the page asks (a Send of 10em at most), Send and Stop still one width', async () => {
    const style = document.createElement('style');
    style.textContent = 'stream-chat::part(send) { max-width: 10em; text-overflow: ellipsis; overflow: hidden; white-space: nowrap }';
    document.head.append(style);
    const chat = async (labels: { send: string; stop: string }, width: string) => {
      const el = document.createElement('stream-chat') as StreamChatElement;
      el.style.width = width;
      el.labels = labels;
      document.body.append(el);
      await el.updateComplete;
      return { el, send: el.shadowRoot!.querySelector<HTMLElement>('[part~="send"]')! };
    };
    const els: StreamChatElement[] = [];
    try {
      const narrow = await chat({ send: 'Send this message to the assistant now', stop: 'Stop' }, '480px');
      els.push(narrow.el);
      // The box of the label's line: the one a browser ends with an ellipsis, in the button.
      const line = narrow.send.firstChild as HTMLElement;
      const { overflowX, textOverflow } = getComputedStyle(line);
      const [box, button] = [line.getBoundingClientRect(), narrow.send.getBoundingClientRect()];
      // Before, ['visible', 'clip', false, false]: the label a grid's item, cut by the button, no ellipsis.
      expect([overflowX, textOverflow, line.scrollWidth > line.clientWidth, box.right <= button.right && box.left >= button.left]).to.deep.equal([
        'hidden',
        'ellipsis',
        true,
        true,
      ]);
      // Still as wide as the wider label, idle or streaming (its other label the wider here).
      const widths = [];
      for (const labels of [{ send: 'Go', stop: 'Stop the answer now' }, { send: 'Stop the answer now', stop: 'Go' }]) {
        const { el, send } = await chat(labels, '480px');
        els.push(el);
        widths.push(send.getBoundingClientRect().width);
      }
      expect(widths[0]).to.equal(widths[1]);
    } finally {
      for (const el of els) el.remove();
      style.remove();
    }
  });
});

/** A chat in the page (a fixture: removed after the test) on a scripted endpoint, with its input. */
async function chatFor(script: MockResponse) {
  const endpoint = await mockEndpoint(script);
  const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url}></stream-chat>`);
  return { el, endpoint, input: el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')! };
}

describe('composer: Send with nothing to send', () => {
  it('is unavailable (aria-disabled, still focusable, dimmed) while the input is empty or white space, and not as Stop', async () => {
    const { el, endpoint, input } = await chatFor(slowReply('Hi', 'look'));
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="send"]')!;
    const state = async () => (await el.updateComplete, [button.getAttribute('aria-disabled'), button.disabled, getComputedStyle(button.querySelector('span')!).opacity]);
    // Before, [null, false, '1'] throughout: Send looked the same with nothing to send, and did nothing.
    // (Its label dimmed: the button's opacity dimmed its focus ring too.)
    expect(await state(), 'empty').to.deep.equal(['true', false, '0.55']);
    typed(input, ' \n ');
    expect(await state(), 'white space').to.deep.equal(['true', false, '0.55']);
    typed(input, 'Hi');
    expect(await state(), 'a question').to.deep.equal([null, false, '1']);
    input.value = '';
    expect(await state(), 'emptied by a page').to.deep.equal(['true', false, '0.55']);
    input.value = 'Ask about this';
    expect(await state(), 'set by a page').to.deep.equal([null, false, '1']);
    button.click();
    expect(await state(), 'sent: empty again, and Stop').to.deep.equal([null, false, '1']);
    expect(button.matches('[part~="stop"]')).to.equal(true);
    await endpoint.release('look');
    await waitUntil(() => !el.streaming, 'the answer ends');
    expect(await state(), 'Send again, empty').to.deep.equal(['true', false, '0.55']);
    button.focus();
    expect(el.shadowRoot!.activeElement, 'focusable').to.equal(button);
    button.click();
    await el.updateComplete;
    expect([el.messages.length, el.streaming], 'nothing sent').to.deep.equal([2, false]);
    // Inserted by a page with no `input` (setRangeText, the prototype's setter): known as it takes focus.
    input.setRangeText('Hi');
    input.focus();
    expect(await state(), 'inserted by a page').to.deep.equal([null, false, '1']);
  });
});

describe('composer: undo after Send', () => {
  it('Ctrl+Z in the input brings back the question just sent, as it would text deleted', async () => {
    const { el, input } = await chatFor(streamingReply(['ok']));
    input.focus();
    await sendKeys({ type: 'Hello there' });
    const done = new Promise((resolve) => el.addEventListener('done', resolve, { once: true }));
    await sendKeys({ press: 'Enter' });
    await done;
    expect(input.value, 'sent').to.equal('');
    // WebKitGTK's driver binds no Ctrl+Z (it undid nothing, typed text neither): its Edit menu's undo.
    if (/Linux.*AppleWebKit/.test(navigator.userAgent) && !navigator.userAgent.includes('Chrome/')) document.execCommand('undo');
    else await chord('z');
    // Before, '': setting `value` to empty it wiped the input's undo history.
    expect(input.value, 'undone').to.equal('Hello there');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('button')!.getAttribute('aria-disabled'), 'Send available').to.equal(null);
  });
});
