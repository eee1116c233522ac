import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import '../src/index.js';
import type { ChatMessage } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { readsPlaceholderStyle, rulesWithout } from './helpers/layout.js';
import { httpError, mockEndpoint, pausedReply, refusedUrl, slowReply, streamingReply } from './helpers/server.js';
import { hasCdp, itWithCdp } from './helpers/cdp.js';
import { typed } from './helpers/element.js';

function part(el: StreamChatElement, name: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

/**
 * The element's rules as a browser without a CSS feature keeps them: its `@supports` blocks
 * (`supports`) left out, and the feature (`feature`) written as something that browser does not know
 * (`unknown`); then a frame for the styles to apply.
 */
async function withoutFeature(el: StreamChatElement, supports: RegExp, feature: string, unknown: string): Promise<void> {
  const root = el.shadowRoot!;
  const rules = root.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join('\n');
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(rules.replace(supports, '').replaceAll(feature, unknown));
  root.adoptedStyleSheets = [sheet];
  await new Promise(requestAnimationFrame);
}

/** Asks, and its answer fails (its endpoint's error); then five lines are typed in the composer. */
async function failsWithFiveLinesTyped(el: StreamChatElement): Promise<void> {
  await el.send('Again?').catch(() => {});
  await el.updateComplete;
  const input = part(el, 'input') as HTMLTextAreaElement;
  input.value = 'one\ntwo\nthree\nfour\nfive';
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
}

/** A chat of `style` with a conversation, whose next answer fails with `message` (a 503). */
async function failedChat(message: string, style: string): Promise<StreamChatElement> {
  const endpoint = await mockEndpoint(httpError(503, message));
  const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style=${style}></stream-chat>`);
  el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(30) }];
  await el.send('Again?').catch(() => {});
  await el.updateComplete;
  return el;
}

/** The contrast ratio of two opaque `rgb(…)` colours, as WCAG defines it. */
function contrast(one: string, other: string): number {
  const luminance = (color: string) => {
    const [r, g, b] = color.match(/[\d.]+/g)!.slice(0, 3).map((channel) => {
      const c = Number(channel) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

/** The element that has focus, looking through shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('<stream-chat> theming', () => {
  failOnUnhandledRejection();

  afterEach(async () => {
    if (hasCdp) await emulateMedia({ colorScheme: 'light' });
  });

  it('a full-height chat on a phone held sideways (320 × 256): with an error and five lines typed, the log keeps room and the composer stays whole (WCAG 1.4.10)', async () => {
    await setViewport({ width: 320, height: 256 });
    try {
      const endpoint = await mockEndpoint(httpError(503, 'The service is overloaded right now; please try again in a little while, or contact support if it persists.'));
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="--stream-chat-height: 100vh"></stream-chat>`);
      el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(30) }];
      await failsWithFiveLinesTyped(el);
      const host = el.getBoundingClientRect();
      expect(part(el, 'log').getBoundingClientRect().height, 'the log').to.be.above(48);
      expect(part(el, 'form').getBoundingClientRect().bottom, 'the composer').to.be.at.most(host.bottom + 0.5);
      expect(part(el, 'error').getBoundingClientRect().height, 'the error').to.be.above(0);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  // WebKit too, whose input is sized by script (no `field-sizing`): before, by a height set on it,
  // which the grid's row did not go under; at 200 px with an error the input ran 58 px out of the host.
  for (const style of ['height: 200px', 'height: 160px', 'height: 200px; width: 220px', 'height: 160px; width: 220px']) {
    it(`a very short chat (${style}): with twelve lines typed, and an error, the composer stays whole inside it`, async () => {
      const endpoint = await mockEndpoint(httpError(503, 'The service is overloaded.'));
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style=${style}></stream-chat>`);
      el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(30) }];
      // In the narrow one 160 px high, Send's row, the log's padding and the error's least and margin
      // are more than the chat: before, the composer ran 19 px past its end, Send 6 px (all three);
      // now what does not fit is at the top, the log's padding.
      for (const error of [false, true]) {
        if (error) await el.send('Again?').catch(() => {});
        typed(part(el, 'input') as HTMLTextAreaElement, 'A line\n'.repeat(12));
        await el.updateComplete;
        // (Send goes under the input a frame after it is laid out: see refit.)
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const host = el.getBoundingClientRect();
        const input = part(el, 'input').getBoundingClientRect();
        // Before, at 200 px the composer ran 10 px past the host's bottom; with the error, the input
        // 58 px, and Send was wholly below it (at 160 px, the input too without one).
        for (const name of ['form', 'input', 'send']) {
          const box = part(el, name).getBoundingClientRect();
          expect([box.top, box.bottom], `${style}${error ? ', an error' : ''}: ${name}`).to.satisfy(([top, bottom]: number[]) => top! >= host.top - 0.5 && bottom! <= host.bottom + 0.5);
        }
        // Send beside the input, or in a narrow chat on a row of its own below it: not over it.
        const send = part(el, 'send').getBoundingClientRect();
        expect(send.left >= input.right - 0.5 || send.top >= input.bottom - 0.5, `${style}: Send clear of the input`).to.be.true;
        if (error) expect(part(el, 'error').getBoundingClientRect().bottom, `${style}: the error`).to.be.at.most(part(el, 'form').getBoundingClientRect().top + 0.5);
      }
    });
  }

  it('a chat at the default height with twelve lines typed: the input keeps its most (10rem, or 30vh of a short window), the log gives way', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    typed(part(el, 'input') as HTMLTextAreaElement, 'A line\n'.repeat(12));
    await el.updateComplete;
    // (Fitted at the next frame where a script sizes it.)
    await new Promise(requestAnimationFrame);
    expect(part(el, 'input').getBoundingClientRect().height).to.equal(Math.min(160, innerHeight * 0.3));
  });

  // Before, the composer's min-height 0 let the flex column squeeze the form under its input (2.5rem)
  // and padding before the error gave way, which it can (its least is a line): the input ended 13 px
  // into the form's 12 px padding, past the form and into the chat's end, its focus ring cut, in
  // Chromium, Firefox 153 and WebKitGTK alike (by hand, a page 480 px wide: the error 78 px, the form
  // 44, and typed into by a keyboard the chat itself scrolled 9 px, the log's top hidden). Now the
  // form keeps a line and its padding: the error 57 px.
  it('a very short chat (160 px high) with a long error and twelve lines typed: the input stays inside the composer, and the chat unscrolled', async () => {
    const endpoint = await mockEndpoint([httpError(400, 'The model does not exist or you do not have access to it. '.repeat(8))]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="height: 160px; width: 480px"></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(30) }];
    await el.send('Again?').catch(() => {});
    const input = part(el, 'input') as HTMLTextAreaElement;
    input.focus();
    input.value = 'A line\n'.repeat(12);
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    await new Promise(requestAnimationFrame);
    const text = el.shadowRoot!.querySelector('.error-text')!;
    expect(text.scrollHeight, 'the message scrolls').to.be.above(text.clientHeight);
    // Its padding under it too (12 px): the focus ring is drawn there.
    const form = part(el, 'form').getBoundingClientRect();
    const box = input.getBoundingClientRect();
    expect(box.bottom, 'the input inside the composer, its padding under it').to.be.at.most(form.bottom - parseFloat(getComputedStyle(part(el, 'form')).paddingBottom) + 0.5);
    expect(el.scrollTop, 'the chat itself not scrolled').to.equal(0);
  });

  it('a short chat (200 px high) with a larger font on the element (24 px), an error and five lines typed: the input keeps a line of its own text', async () => {
    const endpoint = await mockEndpoint(httpError(400, 'The model does not exist or you do not have access to it. '.repeat(8)));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="height: 200px; width: 480px; font-size: 24px"></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(30) }];
    await failsWithFiveLinesTyped(el);
    await new Promise(requestAnimationFrame);
    const input = part(el, 'input');
    const style = getComputedStyle(input);
    // Before, the composer's least height was a line at the root's font size (2.5rem): the input
    // showed 31 px of its 36 px lines.
    const shown = input.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    expect(shown, 'a line of the input shown').to.be.at.least(parseFloat(style.lineHeight) - 0.5);
    expect(part(el, 'form').getBoundingClientRect().bottom, 'the composer inside the chat').to.be.at.most(el.getBoundingClientRect().bottom + 0.5);
  });

  it('a very short chat (160 px high) with a larger font on the element (24 px) and an error: the composer stays whole inside it, the error giving way below its line', async () => {
    const el = await failedChat('The model does not exist or you do not have access to it. '.repeat(8), 'height: 160px; width: 480px; font-size: 24px');
    for (const typed of ['', 'A line\n'.repeat(12)]) {
      const input = part(el, 'input') as HTMLTextAreaElement;
      input.value = typed;
      input.dispatchEvent(new Event('input'));
      await el.updateComplete;
      await new Promise(requestAnimationFrame);
      const host = el.getBoundingClientRect();
      // Before, the log's padding (24 px), the error's least (a line and its padding, 60, and its
      // margin) and the composer's (a line of the input and its padding, 76) took 174 px: the
      // composer ran 12.8 px past the chat, the input 0.8 px and its padding under it.
      for (const name of ['form', 'input', 'send']) expect(part(el, name).getBoundingClientRect().bottom, `${typed ? 'twelve lines typed' : 'empty'}: ${name}`).to.be.at.most(host.bottom - 1 + 0.5);
      expect(part(el, 'error').getBoundingClientRect().bottom, 'the error above the composer').to.be.at.most(part(el, 'form').getBoundingClientRect().top + 0.5);
      expect(part(el, 'error').getBoundingClientRect().height, 'the error').to.be.above(24);
    }
  });

  it('a short chat on a phone (320 × 176) with an error: a line of its message shows above Retry, the box scrolling, not a sliver of it', async () => {
    const endpoint = await mockEndpoint(httpError(500, 'The server had an error while processing your request.'));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 320px; height: 176px"></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer.' }];
    await el.send('Again?').catch(() => {});
    await el.updateComplete;
    const text = el.shadowRoot!.querySelector<HTMLElement>('.error-text')!;
    // Before, 5 px of it: the grid's row of the message gave way to Retry's under it, and the box
    // showed Retry alone.
    expect(text.clientHeight, 'the message shown').to.be.at.least(parseFloat(getComputedStyle(text).lineHeight) - 0.5);
    const form = part(el, 'form').getBoundingClientRect();
    expect(part(el, 'error').getBoundingClientRect().bottom, 'the error above the composer').to.be.at.most(form.top + 0.5);
    expect(form.bottom, 'the composer inside the chat').to.be.at.most(el.getBoundingClientRect().bottom + 0.5);
  });

  it('a chat 384 px high on a phone (360 wide), the default font and the demo’s theme: a two-line error shows whole above Retry, no tab stop, the log giving way; a longer one scrolls in whole lines', async () => {
    const long = 'The service is overloaded right now; please try again in a little while.';
    const endpoint = await mockEndpoint(['Please try again.', 'Please try again.', long].map((message) => httpError(500, message)));
    const theme = '--stream-chat-font: 400 1.05rem/1.6 Georgia, serif; --stream-chat-gap: 1rem; --stream-chat-padding: 1rem';
    for (const [style, lines] of [['', 2], [theme, 2], ['', 4]] as const) {
      const name = `${style ? 'the theme' : 'default'}, ${lines} lines`;
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 328px; height: 384px; ${style}"></stream-chat>`);
      el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(40) }];
      await el.send('Again?').catch(() => {});
      await el.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const text = el.shadowRoot!.querySelector<HTMLElement>('.error-text')!;
      const line = parseFloat(getComputedStyle(text).lineHeight);
      expect(Math.round(text.scrollHeight / line), name).to.equal(lines);
      // Before, the box's 30% of the chat (115 px) held the message and Retry under it: two lines
      // in 47 px of 48 (a tab stop), and in the theme's larger line and padding 35 px of 54, while
      // the log kept 177 px; a long one showed a line and 23 px of the next.
      // (A line's own height: WebKit's are whole pixels, 26 of the theme's 26.88.)
      expect(text.clientHeight / (text.scrollHeight / lines), `${name}: whole lines shown`).to.be.closeTo(Math.min(lines, 2), 0.01);
      expect(text.tabIndex, `${name}: a tab stop while it scrolls`).to.equal(lines > 2 ? 0 : -1);
      expect(part(el, 'log').getBoundingClientRect().height, `${name}: the log`).to.be.above(4.5 * 16);
    }
  });

  it('an error beside Retry in a wider chat, of any height and width: its message shows whole lines, its last one not cut by a few px', async () => {
    const message = 'The service is overloaded right now; please try again in a little while, or contact support. '.repeat(3);
    const theme = '--stream-chat-font: 400 1.05rem/1.6 Georgia, serif; --stream-chat-gap: 1rem; --stream-chat-padding: 1rem';
    const endpoint = await mockEndpoint([httpError(503, message), httpError(503, message)]);
    for (const style of ['', theme]) {
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style=${style}></stream-chat>`);
      await el.send('Again?').catch(() => {});
      await el.updateComplete;
      const text = el.shadowRoot!.querySelector<HTMLElement>('.error-text')!;
      const line = parseFloat(getComputedStyle(text).lineHeight);
      for (const height of [256, 320, 384, 512]) {
        for (let width = 400; width <= 900; width += 10) {
          el.style.width = `${width}px`;
          el.style.height = `${height}px`;
          const name = `${style ? 'the theme' : 'default'}, ${width} × ${height}`;
          if (part(el, 'retry').getBoundingClientRect().top >= text.getBoundingClientRect().bottom - 1) continue;
          // Before, beside Retry the message had what the box leaves under Retry (whole lines) and
          // Retry's row too, 2rem and the gap: 68 px of three lines of 24 px, the last cut by 4.
          // (A line's own height: WebKit's are whole pixels, 26 of the theme's 26.88.)
          const lines = text.clientHeight / (text.scrollHeight / Math.round(text.scrollHeight / line));
          expect(Math.abs(lines - Math.round(lines)), `${name}: whole lines shown (${lines.toFixed(3)})`).to.be.below(0.03);
        }
      }
    }
  });

  it('a larger font on the element (24 px), Retry under the message: the error counts Retry as tall as it is, and shows as many whole lines as fit', async () => {
    const message = 'The service is overloaded right now; please try again in a little while, or contact support. '.repeat(6);
    const el = await failedChat(message, 'width: 480px; font-size: 24px');
    const error = part(el, 'error');
    const text = el.shadowRoot!.querySelector<HTMLElement>('.error-text')!;
    const line = parseFloat(getComputedStyle(text).lineHeight);
    for (const height of [320, 480, 640]) {
      el.style.height = `${height}px`;
      await new Promise(requestAnimationFrame);
      const style = getComputedStyle(error);
      const room = error.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom) - parseFloat(style.rowGap) - part(el, 'retry').offsetHeight;
      // Before, the box counted 2rem for Retry, which a line of its 24 px text makes 38 px high: at
      // 320 px the box scrolled 6 px (Retry in it), and at 480 it left the message 3 lines (108 px)
      // of the 4 it was sized for (138 px, 30 empty under it).
      expect(error.scrollHeight, `${height}: the box, not scrolled`).to.be.at.most(error.clientHeight);
      // (Its row, too: at its least height of 2rem, the grid gave it 35 px, the message's 3 more.)
      expect(part(el, 'retry').getBoundingClientRect().bottom, `${height}: Retry in the box, above its padding`).to.be.at.most(error.getBoundingClientRect().bottom - parseFloat(style.paddingBottom) + 0.5);
      expect(room - text.clientHeight, `${height}: no room for a part of a line left under it`).to.be.below(1);
      expect(text.clientHeight / line, `${height}: whole lines`).to.be.closeTo(Math.round(text.clientHeight / line), 0.01);
    }
  });

  it('an error in a browser without round() (Chrome before 125): its box keeps the first max-height, 30% of a chat 320 px high, not all it needs (found in review)', async () => {
    const message = 'The service is overloaded right now; please try again in a little while, or contact support. '.repeat(6);
    const el = await failedChat(message, 'width: 480px; height: 320px');
    // Its rules as such a browser keeps them: those in an @supports of round() left out, and round()
    // a function it does not know. (Before, the declaration with round() in it, which has var() in it
    // too, was kept as parsed and computed to none: the error took 211 px, the log 30.)
    await withoutFeature(el, /@supports \([^)]*round\([^{]*\{[^{}]*\}/g, 'round(', 'unknown(');
    expect(getComputedStyle(part(el, 'error')).maxHeight, 'the first max-height').to.match(/^max\(/);
    expect(part(el, 'error').getBoundingClientRect().height, 'the error: at most 30% of the chat').to.be.at.most(0.3 * 320 + 0.5);
  });

  it('the composer in a browser without lh (Chrome before 109, Firefox before 120): a 160 px chat with five lines typed keeps its log, the composer its least height in rem (found in review)', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 480px; height: 160px"></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(30) }];
    await el.updateComplete;
    const input = part(el, 'input') as HTMLTextAreaElement;
    input.value = 'one\ntwo\nthree\nfour\nfive';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    // Its rules as such a browser keeps them: those in an @supports of lh left out, and lh a unit it
    // does not know. (Before, the least height in lh, which has var() in it too, was kept as parsed
    // and computed to auto: the composer grew to the whole chat, 160 px, the log none.)
    await withoutFeature(el, /@supports \(top: ?1lh\) \{[^{}]*\}/g, '1lh', '1xlh');
    expect(getComputedStyle(part(el, 'form')).minHeight, 'the first min-height: 2.5rem, its padding and border').to.equal('65px');
    expect(part(el, 'form').offsetHeight, 'the composer').to.be.below(140);
  });

  // Before, Send (63 px high) was in a row of its min-height (2.5rem), all the grid gave it when the
  // chat squeezed the form, aligned at its end: 10 px over the input, 2 px past the chat's end; the
  // error kept its floor (a line and 2rem for Retry, 130 px) and the form its own, one row (88 px).
  // The log's padding (24), a line of the error and Retry under it (146 with its margin) and a
  // composer of a line and Send (163) are 333 px of 254: the error must give way, but only where
  // Send is under the input (a composer of five lines typed at the normal size gives way first),
  // which only the form's children know (@container): the host is no container (a dialog sizes the
  // chat by its content). Now the composer tells the form (`under`, see refit), whose least height
  // is then both rows, and the error's what that leaves: here 55 px, which scrolls.
  it('text at 200% in a phone held sideways (320 × 256) with an error: Send, under the input, stays clear of it and inside the chat', async () => {
    const endpoint = (await refusedUrl()).replace('/v1/', '/an/endpoint/with/a/rather/long/path/that/never/breaks/v1/');
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint} retries="0" style="width: 320px; height: 256px; font-size: 200%"></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(30) }];
    await el.send('What is the weather like?').catch(() => {});
    await el.updateComplete;
    // The form is told a frame after the observer reports its input's width (see refit), which may
    // be after a wait of two frames: in WebKit, 3 runs of 4 of this test alone found Send over the input.
    const told = () => waitUntil(() => part(el, 'form').classList.contains('under') == (getComputedStyle(part(el, 'input')).gridColumnStart != 'auto'), 'the form told where Send is');
    await told();
    const input = part(el, 'input').getBoundingClientRect();
    const send = part(el, 'send').getBoundingClientRect();
    expect(send.top, 'Send under the input').to.be.at.least(input.bottom - 0.5);
    expect(send.bottom, 'Send inside the chat').to.be.at.most(el.getBoundingClientRect().bottom + 0.5);
    const style = getComputedStyle(part(el, 'input'));
    const shown = input.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom) - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
    expect(shown, 'a line of the input shown').to.be.at.least(parseFloat(style.lineHeight) - 0.5);
    const error = part(el, 'error');
    expect(error.getBoundingClientRect().bottom, 'the error above the composer').to.be.at.most(part(el, 'form').getBoundingClientRect().top + 0.5);
    expect(error.clientHeight, 'the error shown, scrolling to its Retry').to.be.above(0).and.below(error.scrollHeight);
    // Wider, Send beside the input: the composer's least is its one row again.
    el.style.width = '800px';
    await told();
    const beside = part(el, 'send').getBoundingClientRect();
    expect(beside.top, '800 px: Send beside the input').to.be.below(part(el, 'input').getBoundingClientRect().bottom);
    expect(part(el, 'form').getBoundingClientRect().height, '800 px: the composer one row').to.be.below(2 * beside.height);
  });

  it('text at 200% on a 320 px phone (WCAG 1.4.4): the input keeps a usable width and every action shows whole', async () => {
    await setViewport({ width: 320, height: 568 });
    document.documentElement.style.fontSize = '200%';
    try {
      const el = await fixture<StreamChatElement>(html`<stream-chat style="--stream-chat-height: 100vh"></stream-chat>`);
      el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }];
      await el.updateComplete;
      const input = part(el, 'input').getBoundingClientRect();
      const form = part(el, 'form').getBoundingClientRect();
      // Before, the input was 90 px, two characters a line, its placeholder a letter a line.
      expect(input.width, 'the input').to.be.above(form.width / 2);
      expect(part(el, 'send').getBoundingClientRect().right, 'Send').to.be.at.most(form.right);
      const turn = part(el, 'regenerate').closest('.turn')!.getBoundingClientRect();
      for (const button of el.shadowRoot!.querySelectorAll('[part~="action"]')) {
        const box = button.getBoundingClientRect();
        // Before, the row did not wrap and Regenerate was cut at the log's edge.
        expect(box.right, button.textContent!).to.be.at.most(turn.right + 0.5);
      }
    } finally {
      document.documentElement.style.fontSize = '';
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('in a dialog that takes its content’s width, an empty chat is as wide as its composer needs (on a phone, as the dialog allows): the input and Send whole', async () => {
    for (const width of [800, 320]) {
      await setViewport({ width, height: 600 });
      const dialog = await fixture<HTMLDialogElement>(html`<dialog><stream-chat></stream-chat></dialog>`);
      const el = dialog.querySelector('stream-chat') as StreamChatElement;
      dialog.showModal();
      await el.updateComplete;
      const send = part(el, 'send').getBoundingClientRect();
      // Before, the composer a container (30e0dc2) gave the dialog no width: an input 34 px wide.
      expect(part(el, 'input').getBoundingClientRect().width, `${width}: the input`).to.be.above(100);
      expect(send.right, `${width}: Send inside the chat`).to.be.at.most(el.getBoundingClientRect().right + 0.5);
      expect(el.getBoundingClientRect().right, `${width}: the chat inside the dialog`).to.be.at.most(dialog.getBoundingClientRect().right);
      dialog.close();
    }
    await setViewport({ width: 800, height: 600 });
  });

  it('in an inline-block or a table cell that takes its content’s width, on a 320 px phone or in a page’s narrow container: the chat shrinks to what the page leaves it, nothing scrolled sideways', async () => {
    await setViewport({ width: 320, height: 600 });
    try {
      const boxes = {
        'an inline-block': html`<div style="display: inline-block; padding: 16px"><stream-chat></stream-chat></div>`,
        'a table cell': html`<table><tr><td style="padding: 16px"><stream-chat></stream-chat></td></tr></table>`,
        'a container': html`<div style="container-type: inline-size; width: 300px"><div style="display: inline-block; padding: 16px"><stream-chat></stream-chat></div></div>`,
      };
      for (const [name, box] of Object.entries(boxes)) {
        if (name === 'a container') await setViewport({ width: 800, height: 600 });
        const page = await fixture<HTMLElement>(box);
        const el = page.querySelector('stream-chat') as StreamChatElement;
        await el.updateComplete;
        // (The page's width, not 320: WebKit's window does not get as narrow.) Before, the composer's
        // own width (18rem, its padding and the chat's border: 314 px) was the least the chat took:
        // 338 px of a 320 px page, which scrolled 34 px sideways, or of a container of 300.
        const right = name === 'a container' ? page.getBoundingClientRect().right : document.documentElement.clientWidth;
        expect(el.getBoundingClientRect().right, `${name}: the chat inside`).to.be.at.most(right);
        expect(document.documentElement.scrollWidth, `${name}: the page`).to.be.at.most(innerWidth);
        expect(part(el, 'input').getBoundingClientRect().width, `${name}: the input`).to.be.above(100);
        expect(part(el, 'send').getBoundingClientRect().right, `${name}: Send inside the chat`).to.be.at.most(el.getBoundingClientRect().right + 0.5);
        page.remove();
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  // --stream-chat-padding below 4px, 0px and 0 too, or a page’s ::part(log) { padding-inline: 0 }.
  for (const [padding, flush] of [['0', ''], ['0px', ''], ['2px', ''], ['0.75rem', 'flush']] as const) {
    const page = flush ? ', and a page’s ::part(log) { padding-inline: 0 }' : '';
    it(`a compact chat (--stream-chat-padding: ${padding}${page}) with a conversation: its log does not scroll sideways, nor an answer in its bubble`, async () => {
      const style = document.createElement('style');
      style.textContent = 'stream-chat.flush::part(log) { padding-inline: 0 }';
      document.head.append(style);
      try {
        const el = await fixture<StreamChatElement>(html`<stream-chat class=${flush} style="--stream-chat-padding: ${padding}; --stream-chat-gap: ${padding}; width: 320px"></stream-chat>`);
        el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(40) }, { role: 'user', content: 'More?' }, { role: 'assistant', content: 'More. '.repeat(100) }];
        await el.updateComplete;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const log = part(el, 'log');
        const bubble = part(el, 'assistant');
        // What README writes (0px): the formulas that add it to a length hold. A bare 0, a number,
        // drops them (auto: Jump's room and the composer's least height gone), as README says.
        if (padding !== '0') {
          const lengths = [getComputedStyle(log).scrollPaddingBlockEnd, getComputedStyle(part(el, 'form')).minHeight];
          expect(lengths.filter((value) => !value.endsWith('px')), `the log's scroll padding and the form's least height at ${padding}`).to.deep.equal([]);
        }
        // Before, 322 and 320 px of 318: the groups' room around their turns (4px, for a focus ring)
        // reached past a log's padding of less, and the conversation moved sideways under a swipe.
        if (!flush) expect(log.scrollWidth, `a padding of ${padding}`).to.be.at.most(log.clientWidth);
        // A page's padding-inline of 0 on the log, which the room cannot know, left it 322 of 318:
        // the arrow keys moved it sideways (by 4 px), as a swipe did. Up first, to know the keys
        // reach it, until its (smooth) scroll ends: at `scrollend` where the browser has it, else
        // once it is up (over 1 s in a loaded WebKit); then right, and ten frames for it to show.
        const end = log.scrollTop;
        const up = () => log.scrollTop <= end - 20;
        let ended = !('onscrollend' in log);
        const scrollEnd = () => (ended = up());
        log.addEventListener('scrollend', scrollEnd);
        log.focus();
        await sendKeys({ press: 'ArrowUp' });
        await waitUntil(() => ended && up(), `${padding} ${flush}: the log scrolled up`, { timeout: 5000 });
        log.removeEventListener('scrollend', scrollEnd);
        await sendKeys({ press: 'ArrowRight' });
        for (let frame = 0; frame < 10 && !log.scrollLeft; frame++) await new Promise(requestAnimationFrame);
        expect(log.scrollLeft, `${padding} ${flush}: not sideways`).to.equal(0);
        // Before, at 0, the answer's room (4px) reached past its bubble: the bubble, a scroller
        // (overflow: hidden), was 322 × 340 px inside 318 × 336, the answer's end cut by 4 px.
        expect([bubble.scrollWidth, bubble.scrollHeight], `the answer in its bubble at ${padding} ${flush}`).to.deep.equal([bubble.clientWidth, bubble.clientHeight]);
      } finally {
        style.remove();
      }
    });
  }

  it('in an inline-block under the fold, with a conversation: the chat is no wider than the page, not its groups’ placeholder width', async () => {
    const page = await fixture<HTMLElement>(html`<div><div style="height: 150vh"></div><div style="display: inline-block"><stream-chat></stream-chat></div></div>`);
    const el = page.querySelector('stream-chat') as StreamChatElement;
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A short answer.' }];
    await el.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    // Before, 1,624 px and the log's padding: the groups of turns out of view (content-visibility)
    // took their placeholder's 100rem as their width too, and the page scrolled sideways.
    expect(el.getBoundingClientRect().width, 'the chat').to.be.at.most(innerWidth);
    expect(document.documentElement.scrollWidth, 'the page').to.be.at.most(innerWidth);
  });

  it('in a dialog that takes its content’s width, the chat is as wide as its answers need', async () => {
    const dialog = await fixture<HTMLDialogElement>(html`<dialog><stream-chat></stream-chat></dialog>`);
    const el = dialog.querySelector('stream-chat') as StreamChatElement;
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A long answer that would fill a line of its own. '.repeat(8) }];
    dialog.showModal();
    await el.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    expect(el.getBoundingClientRect().width).to.be.above(500);
    dialog.close();
  });

  it('in a chat of the default size with a long conversation, an error shows whole: the log gives it room', async () => {
    const endpoint = await mockEndpoint(httpError(503, 'The service is overloaded right now; please try again in a little while, or contact support if it persists.'));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 480px"></stream-chat>`);
    el.messages = Array.from({ length: 20 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: 'A message. '.repeat(20) }) as const);
    await el.send('Again?').catch(() => {});
    await el.updateComplete;
    const error = part(el, 'error');
    expect(error.scrollHeight, 'its message and Retry').to.be.at.most(error.clientHeight);
  });

  it('on a phone (360 × 640), a server that cannot be reached at a long path is said whole, Retry under it: no hidden end', async () => {
    await setViewport({ width: 360, height: 640 });
    try {
      const endpoint = (await refusedUrl()).replace('/v1/', '/an/endpoint/with/a/rather/long/path/that/never/breaks/v1/');
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint} retries="0"></stream-chat>`);
      await el.send('What is the weather like?').catch(() => {});
      await el.updateComplete;
      const error = part(el, 'error');
      // Beside Retry, a column of 7 lines in a box of 5: it stopped at "(down, or blocked by", nothing said more came.
      expect(error.querySelector('span')!.textContent).to.match(/^Could not reach .* \(down, or blocked by CORS\?\): /);
      expect(error.scrollHeight, 'its message and Retry').to.be.at.most(error.clientHeight);
      expect(part(el, 'retry').getBoundingClientRect().top, 'Retry under it').to.be.at.least(error.querySelector('span')!.getBoundingClientRect().bottom);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('on a phone (360 × 640), in the demo\'s chat (28rem high) or a shorter one, a long "Could not reach" scrolls and Retry stays in view under it', async () => {
    await setViewport({ width: 360, height: 640 });
    try {
      const endpoint = (await refusedUrl()).replace('/v1/', '/an/endpoint/with/a/rather/long/path/that/never/breaks/v1/');
      for (const height of ['28rem', '20rem', '200px']) {
        const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint} retries="0" style="--stream-chat-height: ${height}"></stream-chat>`);
        el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(20) }];
        await el.send('What is the weather like?').catch(() => {});
        await el.updateComplete;
        const error = part(el, 'error');
        const text = error.querySelector('span')!;
        const retry = part(el, 'retry').getBoundingClientRect();
        // Before, Retry was in the box that scrolled: at 28rem the box showed 158 px of 219, Retry in the rest.
        expect(error.scrollHeight, `${height}: the box, not scrolled`).to.be.at.most(error.clientHeight);
        expect(retry.bottom, `${height}: Retry within what the box shows`).to.be.at.most(error.getBoundingClientRect().bottom + 0.5);
        expect(retry.top, `${height}: Retry under the message`).to.be.at.least(text.getBoundingClientRect().bottom);
        expect(text.clientHeight, `${height}: a line of the message at least`).to.be.at.least(parseFloat(getComputedStyle(text).lineHeight) - 0.5);
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('a long error whose message scrolls beside or above Retry is a tab stop, so it scrolls from the keyboard too (axe); a short one, or one the chat grew to show whole, is none', async () => {
    /** What Shift+Tab from Retry focuses: the message, if it is a tab stop. */
    const beforeRetry = async (el: StreamChatElement) => {
      part(el, 'retry').focus();
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      return deepActiveElement();
    };
    const far = (await refusedUrl()).replace('/v1/', '/an/endpoint/with/a/rather/long/path/that/never/breaks/v1/');
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${far} retries="0" style="width: 320px; --stream-chat-height: 200px"></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }];
    await el.send('What is the weather like?').catch(() => {});
    await el.updateComplete;
    const text = part(el, 'error').querySelector('span')!;
    expect(text.scrollHeight, 'it scrolls').to.be.above(text.clientHeight);
    // axe's scrollable-region-focusable (serious): the message scrolls alone since 9e5656a, Retry
    // outside it, and where a browser does not focus a scroller by itself (Safari) no key reached
    // its end. The message is a tab stop while it scrolls, as a code block is.
    await waitUntil(() => text.tabIndex === 0, 'the long message is a tab stop');
    expect(await beforeRetry(el), 'Shift+Tab from Retry').to.equal(text);
    await expect(el).to.be.accessible();
    // Before, a stop with nothing to scroll, between the log's last control and Retry.
    el.style.setProperty('--stream-chat-height', '40rem');
    await waitUntil(() => text.scrollHeight <= text.clientHeight && text.tabIndex < 0, 'shown whole, the message is no tab stop');
    expect(await beforeRetry(el), 'Shift+Tab from Retry, the chat taller').not.to.equal(text);
    const endpoint = await mockEndpoint(httpError(503, 'The service is overloaded.'));
    const short = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    short.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }];
    await short.send('Again?').catch(() => {});
    await short.updateComplete;
    const fits = part(short, 'error').querySelector('span')!;
    expect(fits.scrollHeight, 'a short one fits').to.be.at.most(fits.clientHeight);
    await waitUntil(() => fits.tabIndex < 0, 'the short message is no tab stop');
    expect(await beforeRetry(short), 'Shift+Tab from Retry, a short one').not.to.equal(fits);
    await expect(short).to.be.accessible();
  });

  it('an error that fits its box and then does not, the box the same (a web font arriving, a theme’s wider letters on it): its message becomes a tab stop', async () => {
    const endpoint = await mockEndpoint(httpError(500, 'Please try again.'));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 328px; height: 384px"></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }];
    await el.send('Again?').catch(() => {});
    await el.updateComplete;
    const text = el.shadowRoot!.querySelector<HTMLElement>('.error-text')!;
    // (The frames in which its observer first reports the boxes it watches.)
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    expect(text.scrollHeight, 'two lines, shown whole').to.be.at.most(text.clientHeight);
    expect(text.tabIndex, 'no tab stop').to.equal(-1);
    const box = text.clientHeight;
    // Only the error's text: where the log's or the input's boxes resize too, it is set again then.
    const style = document.createElement('style');
    style.textContent = 'stream-chat::part(error) { letter-spacing: 0.3em }';
    document.head.append(style);
    try {
      await waitUntil(() => text.scrollHeight > text.clientHeight, 'wider, it scrolls');
      expect(text.clientHeight, 'in the same box (its two lines, the most Retry leaves it)').to.equal(box);
      // Before, its tab stop was set as the observed boxes resized, and none did: none until the
      // next render, so a keyboard could not scroll to its last line.
      await waitUntil(() => text.tabIndex === 0, 'the message a tab stop');
    } finally {
      style.remove();
    }
  });

  it('a chat of the default size with a header, a long error and five lines typed: the log keeps room', async () => {
    const message = `This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens (130000 in the messages, 1072 in the functions). Please reduce the length of the messages or functions. `.repeat(2);
    const endpoint = await mockEndpoint(httpError(400, message));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 360px"><h2 slot="header">Support</h2></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(60) }];
    await failsWithFiveLinesTyped(el);
    // Before, the error took all but 18rem, which the composer and the header took nearly whole: a log of 40 px, its padding and a sliver of a line.
    expect(part(el, 'log').getBoundingClientRect().height, 'the log').to.be.above(48);
    expect(part(el, 'form').getBoundingClientRect().bottom, 'the composer').to.be.at.most(el.getBoundingClientRect().bottom + 0.5);
    expect(part(el, 'error').getBoundingClientRect().height, 'the error').to.be.above(part(el, 'log').getBoundingClientRect().height);
  });

  it('an error too long for its box starts where its scroller starts, and with large text on a phone Retry takes a row of its own', async () => {
    const message = `This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens (130000 in the messages, 1072 in the functions). Please reduce the length of the messages or functions. `.repeat(2);
    const endpoint = await mockEndpoint([httpError(400, message), httpError(400, message)]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 360px; --stream-chat-height: 320px"></stream-chat>`);
    await el.send('hello').catch(() => {});
    await el.updateComplete;
    const error = part(el, 'error');
    const text = error.querySelector('span')!;
    expect(text.scrollHeight, 'it scrolls').to.be.above(text.clientHeight);
    // Centred, its first lines were above the scroller's start, where no scrolling reaches.
    expect(text.getBoundingClientRect().top, 'its first line').to.be.at.least(error.getBoundingClientRect().top);
    el.style.width = '320px';
    el.style.fontSize = '200%';
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const retry = part(el, 'retry');
    // On one row, the text was a column of a letter or two and Retry broke in two ("Ret / ry").
    expect(text.getBoundingClientRect().width, 'the text as wide as the box').to.be.above(200);
    expect(retry.getBoundingClientRect().height, 'Retry on one line').to.be.below(parseFloat(getComputedStyle(retry).lineHeight) * 2);
  });

  it('the page’s text layout around the element does not reach into it: a centred, unwrapped, indented section', async () => {
    const section = await fixture<HTMLElement>(html`<section style="text-align: center; white-space: nowrap; text-indent: 3em">
      <stream-chat></stream-chat>
    </section>`);
    const el = section.querySelector('stream-chat') as StreamChatElement;
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer long enough to wrap. '.repeat(20) }];
    await el.updateComplete;
    const paragraph = part(el, 'assistant').querySelector('p')!;
    const style = getComputedStyle(paragraph);
    expect([style.textAlign, style.whiteSpace, style.textIndent]).to.deep.equal(['start', 'normal', '0px']);
    expect(paragraph.scrollWidth).to.be.at.most(paragraph.clientWidth);
  });

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

  it('takes the rest of the Styling table: muted, border, message, error and code colours, the gap and the focus ring', async () => {
    const endpoint = await mockEndpoint(httpError(503, 'Down.'));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"
      style="
        --stream-chat-muted-color: rgb(1, 2, 3);
        --stream-chat-border-color: rgb(4, 5, 6);
        --stream-chat-user-color: rgb(7, 8, 9);
        --stream-chat-assistant-color: rgb(10, 11, 12);
        --stream-chat-error-background: rgb(13, 14, 15);
        --stream-chat-error-color: rgb(16, 17, 18);
        --stream-chat-code-background: rgb(19, 20, 21);
        --stream-chat-gap: 7px;
        --stream-chat-focus-ring: 3px dashed rgb(22, 23, 24);
      "
    ></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: '```\nls\n```', reasoning: 'Hm.', tool_calls: [{ id: 'c', type: 'function', function: { name: 'shell', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c', content: 'ok' },
    ];
    await el.updateComplete;
    // Measured while both turns show: a group of turns out of view is not laid out.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const [user, assistant] = [part(el, 'user'), part(el, 'assistant')].map((node) => node.closest('.turn')!.getBoundingClientRect());
    expect(assistant!.top - user!.bottom, 'between turns').to.be.closeTo(7, 0.5);
    await el.send('Again?').catch(() => {});
    await el.updateComplete;
    for (const name of ['reasoning', 'tool-call']) expect(getComputedStyle(part(el, name)).color, name).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(el).borderTopColor, 'the frame').to.equal('rgb(4, 5, 6)');
    expect(getComputedStyle(part(el, 'input')).borderTopColor, 'the input').to.equal('rgb(4, 5, 6)');
    expect(getComputedStyle(part(el, 'user')).color).to.equal('rgb(7, 8, 9)');
    expect(getComputedStyle(part(el, 'assistant')).color).to.equal('rgb(10, 11, 12)');
    const error = getComputedStyle(part(el, 'error'));
    expect([error.backgroundColor, error.color], 'the error').to.deep.equal(['rgb(13, 14, 15)', 'rgb(16, 17, 18)']);
    expect(getComputedStyle(part(el, 'code-block')).backgroundColor, 'a code block').to.equal('rgb(19, 20, 21)');
    part(el, 'input').focus();
    await sendKeys({ press: 'Tab' });
    const ring = getComputedStyle(deepActiveElement()!);
    expect([ring.outlineWidth, ring.outlineStyle, ring.outlineColor], 'the focus ring').to.deep.equal(['3px', 'dashed', 'rgb(22, 23, 24)']);
  });

  it('README’s recipes: a page’s stream-chat { font: inherit } takes its container’s font, input and Send too; a centred column of 48rem', async () => {
    const style = document.createElement('style');
    style.textContent = `stream-chat.recipe { font: inherit }
      stream-chat.recipe::part(log), stream-chat.recipe::part(form) { padding-inline: max(0.75rem, 50% - 24rem); }`;
    document.head.append(style);
    await setViewport({ width: 1400, height: 600 });
    try {
      const page = await fixture<HTMLElement>(html`<div style="font: 14px/1.25 Georgia, serif"><stream-chat class="recipe"></stream-chat></div>`);
      const el = page.querySelector('stream-chat') as StreamChatElement;
      el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'An answer. '.repeat(100) }];
      await el.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      // By default, 16px system-ui: a container's font is not taken.
      for (const node of [el, part(el, 'input'), part(el, 'send'), part(el, 'assistant').querySelector('p')!]) {
        const font = getComputedStyle(node);
        expect([font.fontSize, font.lineHeight, font.fontFamily], node.localName).to.deep.equal(['14px', '17.5px', 'Georgia, serif']);
      }
      const chat = el.getBoundingClientRect();
      const [question, input, send] = ['user', 'input', 'send'].map((name) => part(el, name).getBoundingClientRect());
      expect(send!.right - input!.left, 'the composer').to.be.closeTo(48 * 16, 1);
      expect(input!.left - chat.left, 'centred').to.be.closeTo(chat.right - send!.right, 1);
      // (Firefox's scroll bar takes its width from the log's column, on the right.)
      expect(question!.right, 'a question').to.be.within(send!.right - 16, send!.right + 0.5);
      el.style.width = '320px';
      expect(part(el, 'input').getBoundingClientRect().left - el.getBoundingClientRect().left, 'narrow: the padding').to.be.closeTo(1 + 12, 1);
    } finally {
      style.remove();
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('sets code in answers and a tool card’s name, arguments and result in --stream-chat-code-font', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat style="--stream-chat-code-font: Courier"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'Run `ls`.', tool_calls: [{ id: 'c', type: 'function', function: { name: 'shell', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c', content: 'ok' },
    ];
    await el.updateComplete;
    expect(getComputedStyle(part(el, 'assistant').querySelector('code')!).fontFamily).to.equal('Courier');
    for (const name of ['tool-name', 'tool-arguments']) expect(getComputedStyle(part(el, name)).fontFamily, name).to.equal('Courier');
    expect(getComputedStyle(part(el, 'tool-result').querySelector('pre')!).fontFamily, 'the result').to.equal('Courier');
  });

  itWithCdp('follows prefers-color-scheme for its defaults', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    await emulateMedia({ colorScheme: 'light' });
    const light = getComputedStyle(el).backgroundColor;
    await emulateMedia({ colorScheme: 'dark' });
    const dark = getComputedStyle(el).backgroundColor;
    expect(light).to.equal('rgb(255, 255, 255)');
    expect(dark).not.to.equal(light);
  });

  itWithCdp('the input’s border, all that shows where it is (it has no fill), has 3:1 against the background in both schemes (WCAG 1.4.11)', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const ratios: Record<string, number> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      await emulateMedia({ colorScheme });
      const input = getComputedStyle(part(el, 'input'));
      expect(input.backgroundColor, 'no fill of its own').to.equal('rgba(0, 0, 0, 0)');
      ratios[colorScheme] = contrast(input.borderTopColor, getComputedStyle(el).backgroundColor);
    }
    // Before, the frame's border colour: 1.43 and 1.92.
    expect(ratios['light'], 'light').to.be.at.least(3);
    expect(ratios['dark'], 'dark').to.be.at.least(3);
  });

  itWithCdp('takes a colour scheme a host forces with color-scheme', async () => {
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

  /** A question and its answer, with focus on a button of the page just before the element. */
  async function questionAndAnswerAfterAButton(): Promise<StreamChatElement> {
    const before = await fixture<HTMLButtonElement>(html`<button>before</button>`);
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ];
    await el.updateComplete;
    before.focus();
    return el;
  }

  it('Tab moves through the log, a message’s actions, the input and the button, with a visible focus ring', async () => {
    const el = await questionAndAnswerAfterAButton();
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
    const el = await questionAndAnswerAfterAButton();
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

  it('Tab to a button the log shows in part, cut at its top: its focus ring is whole inside the log', async () => {
    const before = await fixture<HTMLButtonElement>(html`<button>before</button>`);
    const el = await fixture<StreamChatElement>(html`<stream-chat style="--stream-chat-height: 20rem"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'A line of the answer.\n\n'.repeat(20) },
    ];
    await el.updateComplete;
    const log = part(el, 'log');
    // What the log shows: inside its border.
    const top = () => log.getBoundingClientRect().top + log.clientTop;
    const copy = el.shadowRoot!.querySelector<HTMLElement>('[part~=copy-message]')!;
    // Its top 10 px above the log's: a browser scrolls a control shown in part only as far as its edge.
    log.scrollTop += copy.getBoundingClientRect().top - top() + 10;
    before.focus();
    // The log, then the question's Copy.
    for (let i = 0; i < 2; i++) await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(copy);
    const style = getComputedStyle(copy);
    const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    // Before, its top 4 px were cut: the button was scrolled in to the log's very edge.
    expect(copy.getBoundingClientRect().top - ring, 'the ring’s top against the log’s').to.be.at.least(top() - 0.5);
  });

  it('Tab to Send with nothing to send (dimmed, aria-disabled): its focus ring has its undimmed colour\'s contrast, light, dark and in a page\'s #444 (WCAG 1.4.11); the button, a page\'s colours too, still dimmed', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    // A colour as a canvas paints it: [r, g, b, a], a in 0–255.
    const canvas = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true })!;
    const paint = (layers: [string, number][], under?: HTMLCanvasElement, alpha = 1): number[] => {
      canvas.clearRect(0, 0, 1, 1);
      for (const [color, opacity] of layers) {
        canvas.globalAlpha = opacity;
        canvas.fillStyle = color;
        canvas.fillRect(0, 0, 1, 1);
      }
      if (under) {
        canvas.globalAlpha = alpha;
        canvas.drawImage(under, 0, 0);
      }
      canvas.globalAlpha = 1;
      return [...canvas.getImageData(0, 0, 1, 1).data];
    };
    const rgb = (color: number[]) => `rgb(${color.slice(0, 3).join(', ')})`;
    /**
     * What Send paints, from its computed styles: its fill (its background, under an inset shadow's
     * colour), its label over it, and its ring, each in the opacities of the button and its label.
     */
    const painted = (send: HTMLElement) => {
      const style = getComputedStyle(send);
      const label = getComputedStyle(send.querySelector('span')!);
      const host = getComputedStyle(el).backgroundColor;
      const veil = style.boxShadow.includes('inset') ? style.boxShadow.match(/^\w+\([^)]*\)/)![0] : 'transparent';
      const own = Object.assign(document.createElement('canvas'), { width: 1, height: 1 });
      const draw = (layers: [string, number][]) => {
        paint(layers);
        own.getContext('2d')!.clearRect(0, 0, 1, 1);
        own.getContext('2d')!.drawImage(canvas.canvas, 0, 0);
        return paint([[host, 1]], own, Number(style.opacity));
      };
      const fill = draw([[style.backgroundColor, 1], [veil, 1]]);
      return {
        fill,
        label: draw([[style.backgroundColor, 1], [veil, 1], [label.color, Number(label.opacity)]]),
        ring: paint([[host, 1], [style.outlineColor, Number(style.opacity)]]),
        undimmed: { fill: paint([[host, 1], [style.backgroundColor, 1]]), label: paint([[host, 1], [style.backgroundColor, 1], [label.color, 1]]) },
        host,
      };
    };
    const ratios: Record<string, number> = {};
    for (const [name, scheme, color] of [['light', 'light', ''], ['dark', 'dark', ''], ['#444', 'light', '#444']] as const) {
      el.style.colorScheme = scheme;
      el.style.setProperty('--stream-chat-color', color);
      part(el, 'input').focus();
      await sendKeys({ press: 'Tab' });
      const send = deepActiveElement() as HTMLElement;
      expect([send.getAttribute('part'), send.getAttribute('aria-disabled')], name).to.deep.equal(['send', 'true']);
      const { outlineColor, outlineStyle } = getComputedStyle(send);
      expect(outlineStyle, `${name}: a ring`).not.to.equal('none');
      const { ring, host } = painted(send);
      ratios[name] = contrast(rgb(ring), host);
      expect(ratios[name], `${name}: the ring as its own colour`).to.be.closeTo(contrast(outlineColor, host), 0.05);
    }
    // Before, the accent dimmed with the button: 2.35 and 2.65; then the text's colour, dimmed: #444 2.88.
    expect(ratios['light'], 'light').to.be.at.least(3);
    expect(ratios['dark'], 'dark').to.be.at.least(3);
    expect(ratios['#444'], 'a page\'s #444').to.be.at.least(3);
    // Still dimmed, as by the opacity of 0.55 it had: its fill half way to the background, and its
    // label fainter on it. So are a page's own colours on ::part(send), under its own box-shadow
    // too (found in review of c646fcc: it took the veil's place).
    el.style.colorScheme = 'light';
    const page = document.createElement('style');
    page.textContent = '.paged::part(send) { background: rgb(200, 0, 0); color: rgb(255, 255, 0); box-shadow: 0 1px 2px rgb(0 0 0 / 0.3) }';
    for (const paged of [false, true]) {
      if (paged) document.head.append(page), el.classList.add('paged');
      const send = part(el, 'send');
      const { fill, label, undimmed, host } = painted(send);
      const half = paint([[host, 1], [rgb(undimmed.fill), 0.55]]);
      const name = paged ? 'a page\'s colours' : 'its own';
      expect(fill.slice(0, 3).every((c, i) => Math.abs(c - half[i]!) <= 2), `${name}: its fill ${rgb(fill)}, dimmed as ${rgb(half)}`).to.equal(true);
      expect(contrast(rgb(label), rgb(fill)), `${name}: its label`).to.be.below(contrast(rgb(undimmed.label), rgb(undimmed.fill)) * 0.6);
    }
    page.remove();
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

/** Layout and rendering faults a designer's review found, each checked where it showed. */
describe('<stream-chat> layout', () => {
  failOnUnhandledRejection();

  async function answered(content: string, style = ''): Promise<StreamChatElement> {
    const el = await fixture<StreamChatElement>(html`<stream-chat style=${style}></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content },
    ];
    await el.updateComplete;
    return el;
  }

  // `field-sizing: content` grows a text area with its text; a browser without it (Firefox 140 ESR,
  // Safari before 26.2, WebKitGTK 2.50) gets the same from script. The second case makes Chromium
  // such a browser; in one without it, both cases are the script's. The third, a font without a
  // line height (`--stream-chat-font: 16px sans-serif`, the shorthand's own `normal`): there the
  // script's rows were one, which scrolled (no number to count lines by).
  /**
   * Makes Chromium a browser without field-sizing for `el`: its input fixed, the rules the element
   * keeps for such a browser, and CSS.supports saying no to field-sizing (`supports`, the real one,
   * is for the test to put back).
   */
  const sizeByScript = (el: StreamChatElement, supports: typeof CSS.supports): void => {
    const fixed = new CSSStyleSheet();
    fixed.replaceSync(`textarea { field-sizing: fixed !important }${rulesWithout(el, 'field-sizing:content')}`);
    el.shadowRoot!.adoptedStyleSheets = [...el.shadowRoot!.adoptedStyleSheets, fixed];
    CSS.supports = ((...args: string[]) => !args[0]!.includes('field-sizing') && (Reflect.apply(supports, CSS, args) as boolean)) as typeof CSS.supports;
  };

  // Before, the input's line height without field-sizing was 1lh (1edaa40), its parent's, 24 px,
  // also where a page sets a larger font on the input alone: 28 px text in 24 px lines, their
  // descenders on the next line's letters, in WebKitGTK where Chromium and Firefox give it 42. Now
  // at least 1.2em: 33.6 px (the font without a line height's 19.2 px, the default's 24).
  it('where a script sizes the input, text a page enlarges there (::part(input)) keeps lines at least as tall as its font', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 360px"></stream-chat>`);
    const page = document.createElement('style');
    page.textContent = 'stream-chat::part(input) { font-size: 28px }';
    document.head.append(page);
    const supports = CSS.supports;
    // (In a browser without field-sizing, the element's own rules.)
    if (CSS.supports('field-sizing', 'content')) sizeByScript(el, supports);
    try {
      const input = part(el, 'input') as HTMLTextAreaElement;
      input.value = Array.from({ length: 4 }, (_, i) => `line ${i} gjpq`).join('\n');
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      // (Fitted at the next frame.)
      await new Promise(requestAnimationFrame);
      expect(parseFloat(getComputedStyle(input).lineHeight), 'its line height').to.be.at.least(28);
      expect(input.scrollHeight, 'four lines shown').to.be.at.most(input.clientHeight + 0.5);
    } finally {
      CSS.supports = supports;
      page.remove();
    }
  });

  for (const [sizing, font = ''] of [['field-sizing'], ['script'], ['script', '16px sans-serif']]) {
    it(`the input and the edit box grow with their text up to a limit, and the input shrinks back once sent (${sizing}${font && ', a font without a line height'})`, async () => {
      const endpoint = await mockEndpoint(streamingReply(['ok']));
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 360px; --stream-chat-font: ${font || 'initial'}"></stream-chat>`);
      const supports = CSS.supports;
      const scripted = sizing === 'script' || !CSS.supports('field-sizing', 'content');
      if (sizing === 'script') sizeByScript(el, supports);
      try {
        const input = part(el, 'input') as HTMLTextAreaElement;
        // Typed, then the frame that fits it.
        const type = (area: HTMLTextAreaElement, text: string) => {
          area.value = text;
          area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
          return new Promise(requestAnimationFrame);
        };
        const one = input.offsetHeight;
        // A log at its end stays there as the input grows line by line (measuring the box at one
        // row must not move it).
        el.messages = Array.from({ length: 30 }, (_, i): ChatMessage => ({ role: i % 2 ? 'assistant' : 'user', content: `Message ${i}` }));
        await el.updateComplete;
        const log = part(el, 'log');
        const fromEnd = () => log.scrollHeight - log.scrollTop - log.clientHeight;
        await waitUntil(() => fromEnd() < 2, 'the log at its end');
        for (const lines of [1, 2, 3, 4, 4, 5, 5]) {
          await type(input, Array.from({ length: lines }, (_, i) => `line ${i}`).join('\n') + '.'.repeat(input.value.length % 3));
          // A frame or a few, as the browser follows the end; a log left short of it stays there.
          await waitUntil(() => fromEnd() < 2, `the log at its end with ${lines} lines typed`, { timeout: 1000 });
        }
        await type(input, '');
        el.messages = [];
        await el.updateComplete;
        // A placeholder wider than the input: grown with it (field-sizing), or on one line, cut short (by "…" where the browser takes it).
        input.placeholder = 'A placeholder much longer than the input is wide, as a translation may be';
        const placeholder = getComputedStyle(input, '::placeholder');
        // What the empty box would scroll is its placeholder: on one line, nothing. (WebKit's
        // getComputedStyle does not read ::placeholder; there a placeholder in two lines scrolls.)
        if (scripted) {
          expect([input.offsetHeight, input.scrollHeight <= input.clientHeight]).to.deep.equal([one, true]);
          if (readsPlaceholderStyle) expect(placeholder.whiteSpace).to.equal('nowrap');
        } else expect(input.offsetHeight, 'the placeholder in full').to.be.greaterThan(one);
        input.placeholder = '';
        await type(input, 'one\ntwo\nthree\nfour');
        const four = input.offsetHeight;
        expect(four, 'four lines: taller').to.be.greaterThan(one * 2);
        expect(input.scrollHeight, 'four lines: all of them shown').to.be.at.most(input.clientHeight);
        await type(input, 'line\n'.repeat(40));
        expect(input.offsetHeight, 'forty lines: up to its limit, then it scrolls').to.be.lessThan(window.innerHeight * 0.31);
        expect(input.scrollHeight).to.be.greaterThan(input.clientHeight);
        // Made narrower, its lines wrap anew: still every line shown.
        await type(input, 'a line of text that wraps once narrower');
        el.style.width = '280px';
        await waitUntil(() => input.scrollHeight <= input.clientHeight, 'narrower: every line shown', { timeout: 1000 });
        el.style.width = '360px';
        await type(input, 'one\ntwo\nthree\nfour');
        part(el, 'send').click();
        await waitUntil(() => el.messages.length === 2 && !el.streaming, 'the answer');
        // Send's emptying is fitted at the next frame (see directed), which in WebKit the answer can
        // come before: read there, the input was still four lines (1 run in 3), fitted before paint.
        await new Promise(requestAnimationFrame);
        expect([input.value, input.offsetHeight], 'sent: one line again').to.deep.equal(['', one]);
        part(el, 'edit').click();
        await el.updateComplete;
        await waitUntil(() => el.shadowRoot!.activeElement?.matches('[part~="edit-input"]'), 'the edit box has focus');
        const area = part(el, 'edit-input') as HTMLTextAreaElement;
        expect(area.scrollHeight, 'the question in the edit box: every line shown').to.be.at.most(area.clientHeight);
        await type(area, 'one\ntwo\nthree\nfour\nfive\nsix');
        expect(area.scrollHeight, 'typed in the edit box: every line shown').to.be.at.most(area.clientHeight);
      } finally {
        CSS.supports = supports;
      }
    });
  }

  it('a table wider than its bubble scrolls in its wrapper, its words whole (they broke a letter a column)', async () => {
    const el = await answered('| Temperature | Humidity | Visibility | Conditions |\n|---|---|---|---|\n| twenty-one | seventy | excellent | overcast |', 'width: 320px');
    const wrap = part(el, 'table-wrap');
    expect(wrap.scrollWidth, 'the wrapper scrolls').to.be.greaterThan(wrap.clientWidth);
    const th = wrap.querySelector('th')!;
    const range = document.createRange();
    range.selectNodeContents(th);
    expect(range.getClientRects().length, '"Temperature" on one line').to.equal(1);
  });

  it('a code block\'s header on a 320 px phone: Copy whole on one line, a long language whole on lines of the header\'s width (before, "Co/py", and a 120-character info word a letter a line)', async () => {
    const el = await answered('```tsx:src/app/components/dashboard/AnalyticsPanel.tsx\nx\n```\n\n```' + 'a'.repeat(120) + '\ny\n```', 'width: 320px');
    el.labels = { copy: 'In die Zwischenablage kopieren' };
    await el.updateComplete;
    const lines = (node: Node) => {
      const range = document.createRange();
      range.selectNodeContents(node);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    };
    for (const header of el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="code-header"]')) {
      const [language, copy] = [header.querySelector('[part~="code-language"]')!, header.querySelector('[part~="copy"]')!];
      expect(lines(copy), copy.textContent!).to.equal(1);
      // Whole (it was cut short with "…" on one line beside Copy), Copy under it: 5 lines at most
      // for the 120 letters (some 900 px of them in a header of some 250).
      expect([language.scrollWidth <= language.clientWidth, lines(language) <= 5], language.textContent!).to.deep.equal([true, true]);
      expect(copy.getBoundingClientRect().right, 'Copy inside the header').to.be.at.most(header.getBoundingClientRect().right + 0.5);
    }
  });

  describe('printed', () => {
    afterEach(async () => {
      if (hasCdp) await emulateMedia({ media: 'screen' });
    });

    itWithCdp('prints the whole conversation: the element as tall as its messages, code wrapped, no controls', async () => {
      // Three groups of turns, and in the middle an answer of 70 blocks (two groups of 32 blocks and
      // the rest): the groups out of view skip layout, unless printed.
      const long = Array.from({ length: 60 }, (_, i): ChatMessage =>
        i % 2
          ? { role: 'assistant', content: `Answer ${i}: ${'words to read '.repeat(30)}\n\n\`\`\`js\nconst line = "${'wide '.repeat(40)}";\n\`\`\`\n\n| ${'column | '.repeat(8)}\n|${'---|'.repeat(8)}\n| ${'a_long_value_in_a_cell | '.repeat(8)}` }
          : { role: 'user', content: `Question ${i}?` },
      );
      long.splice(30, 0, { role: 'user', content: 'And a long one?' }, { role: 'assistant', content: Array.from({ length: 70 }, (_, i) => `Paragraph ${i}.`).join('\n\n') });
      const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 480px" .messages=${long}></stream-chat>`);
      await el.updateComplete;
      const log = part(el, 'log');
      expect(log.scrollHeight, 'on screen, the log scrolls').to.be.greaterThan(log.clientHeight);
      await emulateMedia({ media: 'print' });
      const hidden = ['form', 'actions', 'copy'].filter((name) => part(el, name).getClientRects().length > 0);
      // What a group or a long answer's finished blocks skip is not printed: each turn laid out.
      const turns = [...el.shadowRoot!.querySelectorAll('.turn')];
      const blocks = [...el.shadowRoot!.querySelectorAll('.markdown > .full')];
      expect(blocks.length, 'groups of blocks').to.be.at.least(2);
      const skipped = [...turns.map((turn) => turn.querySelector('[part~="message"]')!), ...blocks.map((group) => group.lastElementChild!)].filter(
        (node) => !node.checkVisibility({ contentVisibilityAuto: true }),
      );
      const pre = el.shadowRoot!.querySelector('pre')!;
      const table = el.shadowRoot!.querySelector<HTMLElement>('[part~="table-wrap"]')!;
      expect({
        scrolls: log.scrollHeight > log.clientHeight,
        hostFitsLog: el.getBoundingClientRect().bottom >= log.getBoundingClientRect().bottom,
        shown: hidden,
        skipped: skipped.length,
        codeScrolls: pre.scrollWidth > pre.clientWidth,
        tableFits: table.querySelector('table')!.getBoundingClientRect().right <= table.getBoundingClientRect().right,
      }).to.deep.equal({ scrolls: false, hostFitsLog: true, shown: [], skipped: 0, codeScrolls: false, tableFits: true });
      expect(el.getBoundingClientRect().height, 'taller than its screen height').to.be.greaterThan(1000);
    });
  });

  it('the edit form is not styled as the composer: no rule above it, no padding', async () => {
    const el = await answered('A');
    part(el, 'edit').click();
    await el.updateComplete;
    const form = el.shadowRoot!.querySelector('form.edit')!;
    const style = getComputedStyle(form);
    expect([style.borderTopStyle, style.paddingTop, style.paddingInlineStart]).to.deep.equal(['none', '0px', '0px']);
  });

  it('a link at the very start of an answer has its whole focus ring inside what the answer paints', async () => {
    const el = await answered('[Start](https://example.test/) of the answer.');
    const link = el.shadowRoot!.querySelector<HTMLElement>('.markdown a')!;
    link.focus();
    const style = getComputedStyle(link);
    const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    const box = link.getBoundingClientRect();
    const clip = link.closest('.markdown')!;
    const inner = clip.getBoundingClientRect();
    // .markdown clips (it scrolls what is too wide): before, the ring's top and start were cut.
    expect([box.top - ring >= inner.top, box.left - ring >= inner.left]).to.deep.equal([true, true]);
  });

  it('a code block and a table wider than the answer take focus and scroll from the keyboard (axe)', async () => {
    const el = await answered(
      '```js\nconst aVeryLongVariableName = someFunction(withArguments, andMoreArguments, andEvenMoreArguments);\n```\n\n| Temperature | Humidity | Visibility | Conditions |\n|---|---|---|---|\n| twenty-one | seventy | excellent | overcast |',
      'width: 320px',
    );
    const pre = el.shadowRoot!.querySelector('pre')!;
    const wrap = part(el, 'table-wrap');
    expect([pre.scrollWidth > pre.clientWidth, wrap.scrollWidth > wrap.clientWidth], 'both scroll').to.deep.equal([true, true]);
    // Before, axe's scrollable-region-focusable (serious) flagged both: Safari does not focus a scroller by itself.
    await expect(el).to.be.accessible();
    for (const [scroller, clip] of [
      [pre, part(el, 'code-block')],
      [wrap, wrap.closest('.markdown')!],
    ] as const) {
      scroller.focus();
      expect(deepActiveElement()).to.equal(scroller);
      await sendKeys({ press: 'ArrowRight' });
      await waitUntil(() => scroller.scrollLeft > 0, 'the arrow key scrolls it');
      // Its focus ring whole: the code block's frame and the answer clip what overflows them.
      expect(scroller.matches(':focus-visible'), 'focused from the keyboard').to.equal(true);
      const style = getComputedStyle(scroller);
      const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
      const [box, inner] = [scroller.getBoundingClientRect(), clip.getBoundingClientRect()];
      // Before, the code block's ring was cut to a line along its top.
      expect([box.top - ring >= inner.top, box.left - ring >= inner.left, box.right + ring <= inner.right, box.bottom + ring <= inner.bottom]).to.deep.equal([true, true, true, true]);
    }
  });

  it('a code block’s Copy has its whole focus ring inside the block’s frame, and is 24 px tall (WCAG 2.5.8)', async () => {
    const el = await answered('```js\nlet a = 1;\n```');
    el.shadowRoot!.querySelector('pre')!.focus();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    const copy = part(el, 'copy');
    expect(deepActiveElement(), 'Copy, from the keyboard').to.equal(copy);
    const style = getComputedStyle(copy);
    const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    const [box, frame] = [copy.getBoundingClientRect(), part(el, 'code-block').getBoundingClientRect()];
    // Before, the frame (it clips) cut all but half a pixel of the ring's top.
    expect([box.top - ring >= frame.top, box.right + ring <= frame.right]).to.deep.equal([true, true]);
    expect(box.height, 'its height').to.be.at.least(24);
  });

  it('a task list’s checkboxes are not dimmed as disabled buttons are, and are named by their item (axe); the placeholder is the muted colour', async () => {
    const el = await answered('- [x] done\n- [ ] to **do**', '--stream-chat-muted-color: rgb(1, 2, 3)');
    expect(getComputedStyle(el.shadowRoot!.querySelector('input[type="checkbox"]')!).opacity).to.equal('1');
    expect([...el.shadowRoot!.querySelectorAll('input[type="checkbox"]')].map((box) => box.getAttribute('aria-label'))).to.deep.equal(['done', 'to do']);
    // Before, axe's `label` rule (critical): a checkbox without a name.
    await expect(el).to.be.accessible();
    // Before, the browser's own grey: 4.1:1 on the dark background. (Not read in WebKit, which
    // paints it so: see readsPlaceholderStyle.)
    if (readsPlaceholderStyle) expect(getComputedStyle(part(el, 'input'), '::placeholder').color).to.equal('rgb(1, 2, 3)');
  });

  it('a task list’s checkboxes are drawn at 3:1 against the answer (WCAG 1.4.11), a done one filled with the accent, in light and dark', async () => {
    for (const scheme of ['light', 'dark']) {
      const el = await answered('- [x] done\n- [ ] to do', `color-scheme: ${scheme}`);
      const [done, todo] = [...el.shadowRoot!.querySelectorAll('input[type="checkbox"]')].map((box) => getComputedStyle(box));
      const answer = getComputedStyle(part(el, 'assistant')).backgroundColor;
      // Before, the browser's disabled checkbox: a grey edge and a grey check, 1.48:1 on the light
      // bubble (measured on a screenshot), so done and to do were hard to tell apart.
      expect([todo!.borderTopStyle, contrast(todo!.borderTopColor, answer) >= 3], `${scheme}: a box to do, its edge`).to.deep.equal(['solid', true]);
      expect([done!.borderTopColor, contrast(done!.borderTopColor, answer) >= 3], `${scheme}: a box done`).to.deep.equal([getComputedStyle(part(el, 'send')).backgroundColor, true]);
      // Filled, and in forced colours (which keep a border, not a background) thick-edged.
      expect(done!.backgroundColor, `${scheme}: a box done is filled`).to.equal(done!.borderTopColor);
      expect(parseFloat(done!.borderTopWidth), `${scheme}: a box done's edge`).to.be.at.least(4 * parseFloat(todo!.borderTopWidth));
      // Empty, to do: Firefox filled a disabled one (white at half, a lighter grey in the dark).
      expect(todo!.backgroundColor, `${scheme}: a box to do is empty`).to.equal('rgba(0, 0, 0, 0)');
    }
  });

  it('a task item shows its checkbox without a bullet, as GitHub does; an ordered one keeps its number, an item holding tasks its bullet', async () => {
    const el = await answered('- [ ] to do\n- [x] done\n\n---\n\n- [ ] loose\n\n  more\n\n---\n\n1. [ ] first\n\n---\n\n- parent\n  - [ ] child');
    const items = [...el.shadowRoot!.querySelectorAll('li')];
    expect(items.map((li) => li.textContent!.trim())).to.deep.equal(['to do', 'done', 'loosemore', 'first', 'parent child', 'child']);
    // Before, "• ☐ to do": a bullet and a box.
    expect(items.map((li) => getComputedStyle(li).listStyleType)).to.deep.equal(['none', 'none', 'none', 'decimal', 'disc', 'none']);
  });

  it("a task item's box is where a bullet is, its words where a plain item's start and its wrapped lines under them, also right to left", async () => {
    for (const [content, dir] of [
      ['- plain\n- [ ] to do, an item long enough to wrap onto a second line in a narrow chat\n- [x] done\n\n---\n\n- plain\n\n- [ ] loose', 'ltr'],
      ['- פריט\n- [ ] משימה ארוכה מספיק כדי לעבור לשורה שנייה בצ׳אט צר שכזה', 'rtl'],
    ]) {
      const el = await answered(content!, 'width: 360px');
      /** Where each line of an item's own text starts: its first character drawn that is not a space. */
      const lines = (li: Element) => {
        const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
        const starts: number[] = [];
        let top = -Infinity;
        for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
          for (let at = 0; at < node.length; at++) {
            if (!node.data[at]!.trim()) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + 1);
            const box = range.getBoundingClientRect();
            if (box.top > top + 1) (starts.push(dir === 'ltr' ? box.left : box.right), (top = box.top));
          }
        }
        return starts;
      };
      for (const list of el.shadowRoot!.querySelectorAll('.markdown ul')) {
        const [plain, ...tasks] = list.children;
        for (const task of tasks) {
          const li = task.getBoundingClientRect();
          const box = task.querySelector('[type=checkbox]')!.getBoundingClientRect();
          const [first, ...wrapped] = lines(task);
          // Before, a bullet's room stood empty and the box was where a plain item's text starts, its
          // text after it; then the box's end margin and the space after it put the words 5 px further.
          expect(first, `${dir}: the words of ${task.textContent!.trim()}`).to.be.closeTo(lines(plain!)[0]!, 1.5);
          for (const line of wrapped) expect(line, `${dir}: a wrapped line of ${task.textContent!.trim()}`).to.be.closeTo(first!, 1.5);
          expect(dir === 'ltr' ? box.right <= li.left : box.left >= li.right, `${dir}: the box of ${task.textContent!.trim()} in the bullet's room`).to.equal(true);
        }
      }
      expect(lines(el.shadowRoot!.querySelector('.markdown ul > li + li')!).length, `${dir}: the long task's lines`).to.be.above(1);
    }
  });

  it("an item that reads the other way than its list is at its own start, a task's box still where the list's bullets are, on its first line", async () => {
    const list = (items: string[]) => `${items.map((item) => `- ${item}`).join('\n')}\n\n---\n\n- ${items[2]}\n\n  ${items[0]}`;
    const chats = [await answered(list(['פריט', 'English item', '[ ] English task']), 'width: 600px'), await answered(list(['item', 'פריט עברי', '[ ] משימה עברית']), 'width: 600px')];
    const rows = chats.map((chat) =>
      [...chat.shadowRoot!.querySelectorAll('.markdown li')].map((li) => {
        const text = document.createTreeWalker(li, NodeFilter.SHOW_TEXT, (node) => (/\p{L}/u.test(node.textContent!) ? 1 : 3)).nextNode() as Text;
        const at = text.data.search(/\p{L}/u);
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + 1);
        const [item, letter, box] = [li.getBoundingClientRect(), range.getBoundingClientRect(), li.querySelector('input')?.getBoundingClientRect()];
        const side = letter.left - item.left < item.right - letter.right ? 'left' : 'right';
        const rtl = getComputedStyle(li).direction === 'rtl';
        const bullet = !box ? 'no box' : (rtl ? box.left >= item.right : box.right <= item.left) && box.top >= letter.top - 1 && box.bottom <= letter.bottom + 1 ? "in the bullet's room" : 'elsewhere';
        return [text.data.trim(), side, bullet];
      }),
    );
    // Before, a task's box was where its words start, whichever the side: in Chromium and Firefox
    // it covered the first letter of an English task in a Hebrew list (its space after the box a
    // negative margin on the list's side), in WebKit it stood outside the item at the left; a
    // Hebrew task in an English list had it over its first letter in all three.
    expect(rows).to.deep.equal([
      [
        ['פריט', 'right', 'no box'],
        ['English item', 'left', 'no box'],
        ['English task', 'left', "in the bullet's room"],
        ['English task', 'left', "in the bullet's room"],
      ],
      [
        ['item', 'left', 'no box'],
        ['פריט עברי', 'right', 'no box'],
        ['משימה עברית', 'right', "in the bullet's room"],
        ['משימה עברית', 'right', "in the bullet's room"],
      ],
    ]);
  });

  it('a paragraph, heading, item or cell with no letter (a number, an emoji, an image) is at the start of a right-to-left answer, as its Arabic neighbours', async () => {
    const image = 'data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%20width=%2240%22%20height=%2220%22/%3E';
    const content = `## 2026\n\nمرحبا.\n\n👍\n\n2 + 2 = 4\n\n![صورة](${image})\n\n- عنصر\n- 42\n\n| المدينة | السكان |\n|---|---|\n| القاهرة | 10,000,000 |\n\nEnglish, at the left.`;
    const el = await fixture<StreamChatElement>(html`<stream-chat images style="width: 600px"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'سؤال' },
      { role: 'assistant', content },
    ];
    await el.updateComplete;
    await waitUntil(() => el.shadowRoot!.querySelector('.markdown img')?.getBoundingClientRect().width, 'the image is laid out');
    const sides = [...el.shadowRoot!.querySelectorAll('.markdown :is(h2, p, li, th, td)')].map((block) => {
      const range = document.createRange();
      range.selectNodeContents(block);
      const [box, content] = [block.getBoundingClientRect(), range.getBoundingClientRect()];
      return [block.textContent || 'the image', content.left - box.left < box.right - content.right ? 'left' : 'right'];
    });
    // Before, each of these read left to right (unicode-bidi: plaintext finds no letter), at the left.
    expect(sides).to.deep.equal([
      ['2026', 'right'],
      ['مرحبا.', 'right'],
      ['👍', 'right'],
      ['2 + 2 = 4', 'right'],
      ['the image', 'right'],
      ['عنصر', 'right'],
      ['42', 'right'],
      ['المدينة', 'right'],
      ['السكان', 'right'],
      ['القاهرة', 'right'],
      ['10,000,000', 'right'],
      ['English, at the left.', 'left'],
    ]);
    // An item's blocks (a nested list, a loose item's paragraphs) end it: no line after them.
    el.messages = [
      { role: 'user', content: 'سؤال' },
      { role: 'assistant', content: '- عنصر\n  - 42\n\n---\n\n- فقرة\n\n  12\n- ثانية' },
    ];
    await el.updateComplete;
    const ends = [...el.shadowRoot!.querySelectorAll('.markdown li:has(> :is(ul, p))')].map((li) => Math.round(li.getBoundingClientRect().bottom - li.lastElementChild!.getBoundingClientRect().bottom));
    expect(ends).to.deep.equal([0, 0, 0]);
  });

  it("a task's box is in the middle of its first line at 12, 16 and 24 px and at 200% text, also in a loose list and right to left", async () => {
    for (const style of ['--stream-chat-font: 12px/1.5 sans-serif', '', '--stream-chat-font: 24px/1.5 sans-serif', 'font-size: 200%']) {
      const el = await answered('- [ ] to do, long enough to wrap onto more lines in a narrow chat\n\n---\n\n- [ ] loose\n\n- [x] done\n\n---\n\n- [ ] משימה', `width: 320px; ${style}`);
      for (const box of el.shadowRoot!.querySelectorAll('.markdown li [type=checkbox]')) {
        const text = box.nextSibling as Text;
        const range = document.createRange();
        range.setStart(text, 1);
        range.setEnd(text, 2);
        const [letter, drawn] = [range.getBoundingClientRect(), box.getBoundingClientRect()];
        // Before, 0.3em of the browser's 13 px font down from the line's top: in the middle of a 16 px
        // font's letters, 7 px above theirs in a 24 px font, 13 px above in a 32 px one (all three).
        expect(Math.abs(drawn.top + drawn.bottom - letter.top - letter.bottom) / 2, `${style || '16px'}: ${text.data}`).to.be.below(letter.height * 0.1);
      }
    }
  });

  it("an answer's image fits its column, its aspect kept: a wide one, a tall one, one in a task", async () => {
    const image = (alt: string, width: number, height: number) => `![${alt}](data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"/>`)})`;
    const el = await fixture<StreamChatElement>(html`<stream-chat images style="width: 375px"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: `${image('wide', 3000, 200)}\n\n${image('tall', 400, 3000)}\n\n- [ ] ${image('in a task', 3000, 200)} to do` },
    ];
    await el.updateComplete;
    const message = el.shadowRoot!.querySelector<HTMLElement>('[part~=assistant]')!;
    const markdown = message.querySelector<HTMLElement>('.markdown')!;
    const images = [...message.querySelectorAll('img')];
    expect(images.length, 'the images').to.equal(3);
    for (const [img, aspect] of images.map((img, i) => [img, [15, 0.13, 15][i]!] as const)) {
      await img.decode();
      const [box, bubble] = [img.getBoundingClientRect(), message.getBoundingClientRect()];
      // Before, at their own width: the answer scrolled sideways, the bubble a strip of each.
      expect(box.left >= bubble.left && box.right <= bubble.right, `${img.alt}: within the bubble`).to.equal(true);
      expect(box.width / box.height, `${img.alt}: its aspect`).to.be.closeTo(aspect, aspect / 10);
    }
    expect(markdown.scrollWidth, 'the answer does not scroll sideways').to.equal(markdown.clientWidth);
  });

  it("an image in a table keeps its size, the table scrolling in its wrapper: not shrunk to its column's words, or to nothing", async () => {
    const image = (alt: string, width: number, height: number) => `![${alt}](data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"/>`)})`;
    const el = await fixture<StreamChatElement>(html`<stream-chat images style="width: 375px"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: `| | Photo | Name | Description |\n|---|---|---|---|\n| [${image('linked', 300, 200)}](https://example.com) | ${image('wide', 600, 300)} | Supercalifragilistic | Incomprehensibilities |` },
    ];
    await el.updateComplete;
    const images = [...el.shadowRoot!.querySelectorAll('img')];
    for (const img of images) await img.decode();
    // Before, at most as wide as its cell, whose least width does not count it: the linked one,
    // under no header, 0 × 0; the other as wide as "Photo", though the table scrolled anyway.
    expect(images.map((img) => [img.alt, img.getBoundingClientRect().width, img.getBoundingClientRect().height])).to.deep.equal([
      ['linked', 300, 200],
      ['wide', 600, 300],
    ]);
    const wrap = el.shadowRoot!.querySelector<HTMLElement>('[part~=table-wrap]')!;
    expect(wrap.scrollWidth, 'the table scrolls in its wrapper').to.be.above(wrap.clientWidth);
  });

  it('the typing dots keep 3:1 against their bubble all through their animation, light and dark (WCAG 1.4.11)', async () => {
    const endpoint = await mockEndpoint({ steps: [{ hold: 'look' }, { write: 'data: [DONE]\n\n' }] });
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url}></stream-chat>`);
    const sent = el.send('Hi').catch(() => {});
    await el.updateComplete;
    const typing = part(el, 'typing');
    const dots = [...typing.querySelectorAll('span')];
    const animations = dots.flatMap((dot) => dot.getAnimations());
    expect(animations.length, 'the dots are animated').to.equal(3);
    const least: Record<string, number> = {};
    for (const scheme of ['light', 'dark']) {
      el.style.colorScheme = scheme;
      const bubble = getComputedStyle(typing).backgroundColor.match(/[\d.]+/g)!.map(Number);
      least[scheme] = Infinity;
      // Each dot, every 50 ms of its 1.2 s: its colour at its opacity over the bubble.
      for (const animation of animations) {
        animation.pause();
        for (let time = 0; time <= 1200; time += 50) {
          animation.currentTime = time;
          const style = getComputedStyle((animation.effect as KeyframeEffect).target!);
          const opacity = Number(style.opacity);
          const dot = style.backgroundColor.match(/[\d.]+/g)!.slice(0, 3).map((c, i) => opacity * Number(c) + (1 - opacity) * bubble[i]!);
          least[scheme] = Math.min(least[scheme]!, contrast(`rgb(${dot.join(', ')})`, `rgb(${bubble.slice(0, 3).join(', ')})`));
        }
      }
    }
    // Before, faded to a quarter: 1.4:1 light, 1.3:1 dark.
    expect(least['light'], 'light').to.be.at.least(3);
    expect(least['dark'], 'dark').to.be.at.least(3);
    el.style.colorScheme = '';
    await endpoint.release('look');
    await sent;
  });

  itWithCdp('forced colors (high contrast): bubbles, the typing dots and a tool card\'s state dot keep an edge and a colour', async () => {
    const endpoint = await mockEndpoint({ ...streamingReply(['x']), headersDelay: 5000 });
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }];
    const sent = el.send('Again').catch(() => {});
    await el.updateComplete;
    await executeServerCommand('cdp-forced-colors', { active: true });
    try {
      expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
      const dot = getComputedStyle(part(el, 'typing').querySelector('span')!);
      expect(dot.backgroundColor, 'a dot').not.to.equal('rgba(0, 0, 0, 0)');
      expect(getComputedStyle(part(el, 'user')).borderTopStyle, 'a bubble').to.equal('solid');
      // A tool card's state dot in the text's colour: before, forced to the background (Canvas), gone.
      el.stop();
      await sent;
      el.messages = [
        { role: 'user', content: 'Time?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'clock', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c', content: '14:05' },
      ];
      await el.updateComplete;
      const state = part(el, 'tool-state');
      expect(getComputedStyle(state, '::before').backgroundColor, 'the state dot').to.equal(getComputedStyle(state).color);
      // A disabled button is the system's GrayText, not dimmed on top of it; so is Send with nothing to
      // send (aria-disabled: before, the forced button text dimmed, not the system's word for unavailable).
      const button = part(el, 'send');
      button.setAttribute('disabled', '');
      const gray = getComputedStyle(button).color;
      expect(getComputedStyle(button).opacity, 'a disabled button').to.equal('1');
      button.removeAttribute('disabled');
      expect(button.getAttribute('aria-disabled'), 'Send, the input empty').to.equal('true');
      expect([getComputedStyle(button).opacity, getComputedStyle(button).color], 'Send, nothing to send').to.deep.equal(['1', gray]);
      expect(getComputedStyle(button.querySelector('span')!).opacity, 'its label').to.equal('1');
    } finally {
      await executeServerCommand('cdp-forced-colors', { active: false });
      el.stop();
      await sent;
    }
  });

  itWithCdp('forced colors (high contrast): a question and an answer as wide as each other (a narrow chat) are still told apart, backgrounds gone', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 320px"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'How does the element stream an answer, step by step?' },
      { role: 'assistant', content: 'It reads the response as it arrives and renders it once a frame.' },
    ];
    await el.updateComplete;
    await executeServerCommand('cdp-forced-colors', { active: true });
    try {
      const [question, answer] = [part(el, 'user'), part(el, 'assistant')];
      expect(question.getBoundingClientRect().width, 'as wide').to.equal(answer.getBoundingClientRect().width);
      const edges = (bubble: HTMLElement) => `${getComputedStyle(bubble).borderWidth} ${getComputedStyle(bubble).borderStyle}`;
      // Before, the same 1px frame each, the same text and background: one could not tell whose it was.
      expect(edges(question)).not.to.equal(edges(answer));
    } finally {
      await executeServerCommand('cdp-forced-colors', { active: false });
    }
  });

  itWithCdp("a question's file chips on a 320 px phone: a very long name wraps inside its bubble (no sideways scroll of the log), each chip at the line's start, right to left too; an edge in forced colors and in the dark", async () => {
    const long = `${'quarterly_report_final_v2_'.repeat(8)}.pdf`;
    // (The bubble takes its direction from its text: an Arabic question's chips start at the right.)
    for (const [dir, text] of [['ltr', 'Compare.'], ['rtl', 'قارن بينهما.']] as const) {
      const el = await fixture<StreamChatElement>(html`<stream-chat dir=${dir} style="width: 320px"></stream-chat>`);
      el.messages = [{ role: 'user', content: [{ type: 'text', text }, { type: 'file', file: { file_id: 'file-a', filename: long } }, { type: 'file', file: { file_id: 'file-b', filename: 'a.pdf' } }] }];
      await el.updateComplete;
      const log = part(el, 'log');
      const bubble = part(el, 'user').getBoundingClientRect();
      const chips = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="file"]')];
      expect(log.scrollWidth, `${dir}: the log does not scroll sideways`).to.be.at.most(log.clientWidth);
      for (const chip of chips) {
        const box = chip.getBoundingClientRect();
        expect([box.left >= bubble.left - 0.5, box.right <= bubble.right + 0.5], `${dir}: ${chip.textContent!.slice(0, 20)} inside its bubble`).to.deep.equal([true, true]);
      }
      const [first, second] = chips.map((chip) => chip.getBoundingClientRect());
      // Each on a line of its own, at the start (left, or right to left the right), as wide as its name.
      expect(second!.top, `${dir}: below`).to.be.at.least(first!.bottom);
      expect(second!.width, `${dir}: as wide as its name`).to.be.below(first!.width);
      if (dir === 'ltr') expect(Math.round(second!.left), 'at the left').to.equal(Math.round(first!.left));
      else expect(Math.round(second!.right), 'at the right').to.equal(Math.round(first!.right));
      for (const colorScheme of ['light', 'dark'] as const) {
        await emulateMedia({ colorScheme });
        const style = getComputedStyle(chips[1]!);
        expect(style.borderTopColor, `${dir}, ${colorScheme}: an edge`).not.to.equal(getComputedStyle(part(el, 'user')).backgroundColor);
        expect(contrast(style.color, getComputedStyle(part(el, 'user')).backgroundColor), `${dir}, ${colorScheme}: its name reads`).to.be.at.least(4.5);
      }
      await emulateMedia({ colorScheme: 'light' });
      await executeServerCommand('cdp-forced-colors', { active: true });
      try {
        expect(getComputedStyle(chips[1]!).borderTopStyle, `${dir}: an edge in forced colors`).to.equal('solid');
      } finally {
        await executeServerCommand('cdp-forced-colors', { active: false });
      }
      await expect(el).to.be.accessible();
    }
  });

  it("a question takes its direction from its text, not from a file's name before it; a name takes its own", async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    // A document before the question, as Anthropic advises.
    el.messages = [
      { role: 'user', content: [{ type: 'file', file: { file_id: 'file-a', filename: 'report.pdf' } }, { type: 'text', text: 'قارن بينهما.' }] },
      { role: 'assistant', content: 'OK' },
      { role: 'user', content: [{ type: 'text', text: 'Compare.' }, { type: 'file', file: { file_id: 'file-b', filename: 'تقرير 2024.pdf' } }] },
    ];
    await el.updateComplete;
    const direction = (node: Element) => getComputedStyle(node).direction;
    const [arabic, english] = [...el.shadowRoot!.querySelectorAll('[part~="user"]')];
    // Before, the Arabic question read left to right, from report.pdf.
    expect([arabic, english].map((bubble) => direction(bubble!)), 'the questions').to.deep.equal(['rtl', 'ltr']);
    expect([...el.shadowRoot!.querySelectorAll('[part~="file"]')].map(direction), 'the names').to.deep.equal(['ltr', 'rtl']);
  });

  it('Send and Stop take the same width, the wider label whole, so the input does not move as a turn starts and ends (English, German, a long Stop, a long Send, Arabic)', async () => {
    const languages: Array<{ send?: string; stop?: string }> = [
      {},
      { send: 'Senden', stop: 'Anhalten' },
      { send: 'Go', stop: 'Stop the answer now' },
      { send: 'Send this message now', stop: 'Stop' },
      { send: 'إرسال', stop: 'إيقاف' },
    ];
    for (const labels of languages) {
      const endpoint = await mockEndpoint(slowReply('Hi', 'looked'));
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 480px"></stream-chat>`);
      el.labels = labels;
      await el.updateComplete;
      const name = JSON.stringify(labels);
      const input = part(el, 'input');
      const measure = async (which: 'send' | 'stop') => {
        const button = part(el, which);
        // The label whole: not cut, not wrapped onto a second line.
        expect(button.scrollWidth, `${name}: ${which}'s label fits`).to.be.at.most(button.clientWidth);
        expect(button.getBoundingClientRect().height, `${name}: ${which} on one line`).to.be.below(45);
        // Named by its own label alone.
        const label = labels[which] ?? { send: 'Send', stop: 'Stop' }[which];
        if (hasCdp) expect((await executeServerCommand<string[], { role: string }>('cdp-names', { role: 'button' })).filter((n) => n.includes(label)), `${name}: ${which}'s name`).to.deep.equal([label]);
        return [Math.round(button.getBoundingClientRect().width * 10) / 10, Math.round(input.getBoundingClientRect().width * 10) / 10];
      };
      const before = await measure('send');
      const sent = el.send('Q');
      await waitUntil(() => el.conversation.draft?.message.content === 'Hi', 'the first words');
      await el.updateComplete;
      // Before, English's Send was 3-4 px wider than Stop, and the input's edge jumped by as much.
      expect(await measure('stop'), `${name}: Stop while the turn streams`).to.deep.equal(before);
      await endpoint.release('looked');
      await sent;
      await el.updateComplete;
      expect(await measure('send'), `${name}: Send again`).to.deep.equal(before);
    }
  });

  it("a page's icon on Send in its ::part(send)::after shows, after the label: the other label's room is the element's own (found in review of 8f84efd)", async () => {
    const page = await fixture<HTMLElement>(html`<div>
      <style>
        .icon::part(send)::after {
          content: '➤';
          margin-inline-start: 0.5em;
        }
      </style>
      <stream-chat style="width: 480px"></stream-chat>
      <stream-chat class="icon" style="width: 480px"></stream-chat>
    </div>`);
    const [plain, icon] = [...page.querySelectorAll('stream-chat')].map((el) => part(el, 'send'));
    await (page.querySelector('stream-chat') as StreamChatElement).updateComplete;
    const after = getComputedStyle(icon!, '::after');
    // Before, the element's rule for its other label hid the page's icon in a box of no height.
    expect([after.visibility, after.display], 'the icon shown').to.deep.equal(['visible', 'inline']);
    expect(icon!.getBoundingClientRect().width - plain!.getBoundingClientRect().width, 'the icon beside the label').to.be.above(10);
    expect(icon!.textContent, 'its text the label alone').to.equal('Send');
  });

  // Found in review of 61122d3: Copy's label went into an inline-block span (its other labels'
  // room), and a text decoration is not drawn into an inline block: a page's underline on its
  // actions showed under Edit and Regenerate, not under Copy.
  it("a page's text-decoration on ::part(action) and ::part(send) is on Copy's and Send's labels too", async () => {
    const page = await fixture<HTMLElement>(html`<div>
      <style>
        .linked::part(action),
        .linked::part(send) {
          text-decoration: underline;
        }
      </style>
      <stream-chat class="linked" style="width: 480px" .messages=${[{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }]}></stream-chat>
    </div>`);
    const el = page.querySelector('stream-chat') as StreamChatElement;
    await el.updateComplete;
    // What draws each label: the button, or the inline block that holds its text (a decoration is
    // not drawn into one: it needs its own).
    const drawn = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~=action], [part~=send]')].map((button) => {
      const holder = [...button.children].find((child) => getComputedStyle(child).display === 'inline-block') ?? button;
      return [button.getAttribute('part'), getComputedStyle(holder).textDecorationLine];
    });
    expect(drawn).to.deep.equal([
      ['action copy-message', 'underline'],
      ['action edit', 'underline'],
      ['action copy-message', 'underline'],
      ['action regenerate', 'underline'],
      ['send', 'underline'],
    ]);
  });

  it("a question or an answer with no letter (a number, an emoji) takes the element's direction; a streamed one's is decided at its first letter", async () => {
    const direction = (node: Element) => getComputedStyle(node).direction;
    const bubbles = (el: StreamChatElement) => [...el.shadowRoot!.querySelectorAll('[part~="message"]')];
    const el = await fixture<StreamChatElement>(html`<stream-chat dir="rtl" style="width: 600px"></stream-chat>`);
    el.messages = [
      { role: 'user', content: '42' },
      { role: 'assistant', content: '👍' },
      { role: 'user', content: 'Why?' },
      { role: 'assistant', content: '2 + 2 = 4' },
    ];
    await el.updateComplete;
    // Before, `dir="auto"` found no letter in three of them and read them left to right, at the left.
    expect(bubbles(el).map(direction), 'right to left').to.deep.equal(['rtl', 'rtl', 'ltr', 'rtl']);
    const sides = [...el.shadowRoot!.querySelectorAll('[part~="assistant"]')].map((bubble) => {
      const range = document.createRange();
      range.selectNode(document.createTreeWalker(bubble, NodeFilter.SHOW_TEXT).nextNode()!);
      const [box, words] = [bubble.getBoundingClientRect(), range.getBoundingClientRect()];
      return words.left - box.left < box.right - words.right ? 'left' : 'right';
    });
    expect(sides, 'the answers at the right').to.deep.equal(['right', 'right']);
    // An answer starting "1. " and then Arabic, in a left-to-right element: right to left from its
    // first letter on, while it streams (no render comes with that letter), and after.
    const endpoint = await mockEndpoint(pausedReply([['1. '], ['مرحبا'], []], ['letter', 'end']));
    const ltr = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 600px"></stream-chat>`);
    const sent = ltr.send('Q');
    await waitUntil(() => ltr.conversation.draft?.message.content === '1. ', 'the number');
    await ltr.updateComplete;
    await new Promise(requestAnimationFrame);
    const answer = part(ltr, 'assistant');
    expect(direction(answer), 'the number alone').to.equal('ltr');
    await endpoint.release('letter');
    await waitUntil(() => answer.textContent!.includes('مرحبا'), 'the letter');
    // (Before, not in WebKit, whose `dir="auto"` misses text added below the message's own children:
    // there it was right to left only once the answer ended.)
    expect(direction(answer), 'from the first letter').to.equal('rtl');
    await endpoint.release('end');
    await sent;
    await ltr.updateComplete;
    expect(direction(part(ltr, 'assistant')), 'ended').to.equal('rtl');
    // In a right-to-left element, the number alone is in the element's direction, as a complete
    // one's is (before, `dir="auto"` while it streamed: left to right).
    const numbers = await mockEndpoint(pausedReply([['1. '], []], ['end']));
    el.endpoint = numbers.url;
    const asked = el.send('Q');
    await waitUntil(() => el.conversation.draft?.message.content === '1. ', 'the number, right to left');
    await el.updateComplete;
    expect(direction(bubbles(el).at(-1)!), 'the number alone, right to left').to.equal('rtl');
    await numbers.release('end');
    await asked;
  });

  it('an answer whose first letter comes in a block the renderer holds back (a table\'s header, a link\'s text) is right to left once it shows, while it streams', async () => {
    // (Found in review of bd79526: `dir="auto"` came with the letter in the text, not on screen, so
    // WebKit decided it with none and kept it left to right until the answer ended.)
    for (const [first, rest] of [
      ['| عمود | عمود |\n', '|---|---|\n| ١ | ٢ |\n\nمرحبا بكم'],
      ['[مرحبا', '](https://example.com) نص'],
    ]) {
      const endpoint = await mockEndpoint(pausedReply([[first!], [rest!], []], ['more', 'end']));
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="width: 600px"></stream-chat>`);
      const sent = el.send('Q');
      await waitUntil(() => el.conversation.draft?.message.content === first, 'the held letter');
      await el.updateComplete;
      await new Promise(requestAnimationFrame);
      await endpoint.release('more');
      const answer = part(el, 'assistant');
      await waitUntil(() => answer.textContent!.includes(rest!.at(-1)!), 'the rest');
      await el.updateComplete;
      expect(getComputedStyle(answer).direction, first).to.equal('rtl');
      await endpoint.release('end');
      await sent;
    }
  });

  it('the stats line takes its direction from its text: English stats in a right-to-left element read left to right', async () => {
    const endpoint = await mockEndpoint(streamingReply(['Hi']));
    const el = await fixture<StreamChatElement>(html`<stream-chat dir="rtl" stats endpoint=${endpoint.url} retries="0"></stream-chat>`);
    await el.send('Q');
    await el.updateComplete;
    // Before, "1.0 s · first token …" laid out right to left read "s · first token … 1.0".
    expect([getComputedStyle(part(el, 'stats')).direction, getComputedStyle(part(el, 'stats')).unicodeBidi]).to.deep.equal(['rtl', 'plaintext']);
  });
});
