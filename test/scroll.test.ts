/**
 * The log follows the streamed answer while the reader is at its end, and stays put once they
 * scroll up, with and without a long history (whose turns skip layout out of view, in groups that
 * change height as they come into view).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import type { ChatMessage, DoneDetail } from '../src/core/types.js';
import { itWithCdp } from './helpers/cdp.js';
import { contentArrives, heardWhile } from './helpers/element.js';
import { rulesWithout } from './helpers/layout.js';
import { chunkEvent, DONE, mockEndpoint, streamingReply, type MockEndpoint, type MockResponse } from './helpers/server.js';
import { fakeFetch, TestBody } from './helpers/streaming.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

async function frames(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await frame();
}

/** Messages of varied length, so that groups out of view are far from their placeholder height. */
function history(count: number): ChatMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: `message ${i} `.repeat(1 + (i % 7) * 6),
  }));
}

/** 80 lines of about 40 characters, a line per event, a few ms apart: a couple of seconds of streaming. */
function longReply() {
  const lines = Array.from({ length: 80 }, (_, i) => `line ${i} of a reply that keeps on growing\n`);
  return { lines, text: lines.join(''), reply: streamingReply(lines, { gap: 25 }) };
}

/**
 * Sends "go" (by `send`: the element's, or another way to ask) and answers it as {@link longReply}
 * does, a line every 25 ms, from a body the test writes (the element's `fetch`), until `end()`:
 * however slow the browser's frames (WebKitGTK's in Xvfb take over 100 ms each in a long log), the
 * answer outlasts a test's steps. `hold()` keeps its next lines back until `hold(false)`.
 */
function answerUntilEnded(el: StreamChatElement, send = (text: string) => el.send(text)): { lines(): number; hold(on?: boolean): void; end(): Promise<DoneDetail> } {
  const body = new TestBody(chunkEvent({ role: 'assistant', content: '' }));
  const start = performance.now();
  let line = 0;
  let held = false;
  // A line per 25 ms since the start, however late the timer comes (its tasks wait for long frames).
  const timer = setInterval(() => {
    try {
      for (; !held && line < (performance.now() - start) / 25; line++) body.write(chunkEvent({ content: `line ${line} of a reply that keeps on growing\n` }));
    } catch {
      // The answer was stopped (the element taken out of the page at the test's end).
      clearInterval(timer);
    }
  }, 25);
  el.fetch = fakeFetch({ body });
  const done = send('go');
  return {
    lines: () => String(el.conversation.draft?.message.content ?? '').split('\n').length - 1,
    hold: (on = true) => void (held = on),
    end() {
      clearInterval(timer);
      body.write(chunkEvent({}, { finishReason: 'stop' }));
      body.write(DONE);
      body.end();
      return done;
    },
  };
}

/** The elements each search (`querySelectorAll`, from an element or from a root) goes through while `run` runs. */
async function searchedWhile(run: () => Promise<unknown>): Promise<number[]> {
  const searched: number[] = [];
  const spied = [Element.prototype, DocumentFragment.prototype] as Array<{ querySelectorAll: Element['querySelectorAll'] }>;
  const originals = spied.map(({ querySelectorAll }) => querySelectorAll);
  spied.forEach((prototype, at) => {
    prototype.querySelectorAll = function (this: Element, selectors: string) {
      searched.push(originals[at]!.call(this, '*').length);
      return originals[at]!.call(this, selectors);
    } as Element['querySelectorAll'];
  });
  try {
    await run();
  } finally {
    spied.forEach((prototype, at) => (prototype.querySelectorAll = originals[at]!));
  }
  return searched;
}

/** An element on a mock endpoint that answers `reply` (or on `reply`, an endpoint), with `count` messages already in its log. */
async function chatWithHistory(reply: MockResponse | MockEndpoint, count: number): Promise<StreamChatElement> {
  const endpoint = 'url' in reply ? reply : await mockEndpoint(reply);
  const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
  el.messages = history(count);
  await el.updateComplete;
  await frames(3);
  return el;
}

function log(el: StreamChatElement): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>('[part~="log"]')!;
}

/** The log's last turn: the answer streaming, or the last message. */
const latestTurn = (el: StreamChatElement) => [...el.shadowRoot!.querySelectorAll('.turn')].at(-1);

/** How many Jump to latest buttons the log shows (0 or 1). */
function jumps(el: StreamChatElement): number {
  return el.shadowRoot!.querySelectorAll('[part~="jump"]').length;
}

function distanceFromEnd(el: StreamChatElement): number {
  const box = log(el);
  return box.scrollHeight - box.scrollTop - box.clientHeight;
}

/** Whether the bottom of the streamed answer is inside the log's box. */
function answerBottomInView(el: StreamChatElement): boolean {
  const answer = el.shadowRoot!.querySelector('[part~="assistant"][aria-busy="true"]');
  if (!answer) return false;
  const box = log(el).getBoundingClientRect();
  const bottom = answer.getBoundingClientRect().bottom;
  return bottom <= box.bottom + 1 && bottom >= box.top;
}

describe('<stream-chat> scrolling', () => {
  failOnUnhandledRejection();

  for (const count of [0, 300]) {
    it(`keeps the end of the streamed answer in view (${count} messages before)`, async () => {
      const { lines, text, reply } = longReply();
      const el = await chatWithHistory(reply, count);
      const midway = contentArrives(el, lines.slice(0, 40).join(''));
      const done = el.send('go');
      await midway;
      await frames(2);
      expect(answerBottomInView(el), 'midway, the newest text is in view').to.equal(true);
      expect(distanceFromEnd(el)).to.be.below(32);
      expect((await done).content).to.equal(text);
      await frames(2);
      expect(distanceFromEnd(el), 'at the end').to.be.below(32);
    });
  }

  for (const where of ['details', 'until-found'] as const) {
    it(`shown mid-answer from a closed ${where === 'details' ? '<details>' : 'hidden="until-found"'}: the log follows the end (its placeholder sizes settling were taken for the reader scrolling up)`, async () => {
      // Paragraphs: 32 of them fill a group of blocks, sized by a placeholder while not rendered.
      const lines = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} of an answer that keeps on growing.\n\n`);
      const text = lines.join('');
      const endpoint = await mockEndpoint(streamingReply(lines, { gap: 25 }));
      const box = await fixture<HTMLElement>(
        where === 'details'
          ? html`<details><summary>Chat</summary><stream-chat endpoint=${endpoint.url} retries="0"></stream-chat></details>`
          : html`<div hidden="until-found"><stream-chat endpoint=${endpoint.url} retries="0"></stream-chat></div>`,
      );
      const el = box.querySelector('stream-chat')!;
      const midway = contentArrives(el, lines.slice(0, 40).join(''));
      const done = el.send('go');
      await midway;
      await frames(2);
      if (box instanceof HTMLDetailsElement) box.open = true;
      else box.hidden = false;
      expect((await done).content).to.equal(text);
      await frames(3);
      expect(distanceFromEnd(el), 'at the end').to.be.below(32);
      expect(jumps(el), 'no Jump to latest').to.equal(0);
    });
  }

  /** {@link longReply} streaming after 300 messages, once its first lines arrived, the reader scrolled 600 px up. */
  /**
   * A log of 300 messages streaming {@link longReply}'s lines, scrolled up 600 px once 10 arrived;
   * then one more line comes, and the answer is held there until `finish()` lets the rest come.
   */
  async function scrolledUpWhileStreaming() {
    const { lines } = longReply();
    const { steps } = streamingReply(lines);
    const endpoint = await mockEndpoint({ steps: [...steps.slice(0, 11), { hold: 'scrolled up' }, steps[11]!, { hold: 'finish' }, ...steps.slice(12)] });
    const el = await chatWithHistory(endpoint, 300);
    const early = contentArrives(el, lines.slice(0, 10).join(''));
    const done = el.send('go');
    await early;
    await frames(2);
    const box = log(el);
    box.scrollTop = box.scrollTop - 600;
    // The scroll seen first: the line after it is text that arrives while the reader is scrolled up.
    await frames(2);
    await endpoint.release('scrolled up');
    const finish = async () => {
      await endpoint.release('finish');
      return done;
    };
    return { el, finish, box, lines };
  }

  it('stays where the reader scrolled up to, and follows again once they are back at the end', async function () {
    // In WebKitGTK, rendering the 300 takes 2 to 4 s and each frame streaming after them is long
    // (below): 5 to 19 s in all at a load of 10 to 13 on 2 cores.
    this.timeout(30_000);
    const el = await chatWithHistory(streamingReply(['unused']), 300);
    const answer = answerUntilEnded(el);
    await waitUntil(() => answer.lines() >= 10, 'the first lines', { timeout: 4000 });
    // Held while the reader scrolls up, then until the log shows more lines, not for a count of
    // frames: WebKitGTK's here, streaming after 300 messages, take 150 to 500 ms each under load
    // (16 ms with nothing written), and 20 of them took the test past its limit.
    answer.hold();
    await frames(2);
    const box = log(el);
    box.scrollTop -= 600;
    await frames(2);
    const readingAt = box.scrollTop;
    const shown = () => el.shadowRoot!.querySelector('[part~="assistant"][aria-busy="true"]')!.textContent!.split('\n').length;
    const before = shown();
    answer.hold(false);
    await waitUntil(() => shown() >= before + 10, 'text arrived', { timeout: 4000 });
    await frames(2);
    expect(Math.abs(box.scrollTop - readingAt), 'the log did not move while text arrived').to.be.below(2);
    expect(distanceFromEnd(el)).to.be.above(300);

    // The reader's scroll reaches the log before more text does, as when frames come faster than
    // the text: WebKitGTK's here can take 300 ms, and the stream buffer writes on a timer then.
    answer.hold();
    await frames(2);
    box.scrollTop = box.scrollHeight;
    await frames(2);
    answer.hold(false);
    const back = answer.lines();
    await waitUntil(() => answer.lines() >= back + 40, 'more text', { timeout: 4000 });
    await frames(2);
    expect(answerBottomInView(el), 'following again').to.equal(true);
    await answer.end();
  });

  it('Jump to latest is not read out by the log as it comes (a control for the eyes: the answer is read once whole)', async () => {
    const { lines } = longReply();
    const { steps } = streamingReply(lines);
    // Held after ten lines until the reader's scroll up was seen: the rest comes while they are up.
    const endpoint = await mockEndpoint({ steps: [...steps.slice(0, 11), { hold: 'scrolled up' }, ...steps.slice(11)] });
    const el = await chatWithHistory(endpoint, 300);
    const early = contentArrives(el, lines.slice(0, 10).join(''));
    let done!: Promise<unknown>;
    const heard = await heardWhile(el, async () => {
      done = el.send('go');
      await early;
      await frames(2);
      log(el).scrollTop -= 600;
      await frames(2);
      await endpoint.release('scrolled up');
      await waitUntil(() => jumps(el) === 1, 'Jump to latest shows');
    });
    expect(heard.filter(([, text]) => text.includes('Jump to latest'))).to.deep.equal([]);
    await done;
  });

  it('a call refused (an empty question) leaves the reader where they scrolled up to, Jump to latest shown', async () => {
    const { el, finish, box } = await scrolledUpWhileStreaming();
    await waitUntil(() => jumps(el) === 1, 'Jump to latest shows');
    const readingAt = box.scrollTop;
    expect(await el.send('  ').catch((reason: unknown) => reason)).to.be.instanceOf(RangeError);
    await frames(4);
    expect(Math.abs(box.scrollTop - readingAt), 'the log did not move').to.be.below(2);
    expect(jumps(el)).to.equal(1);
    await finish();
  });

  it('taken out of the page and put back: the log shows its end again, or where the reader had scrolled up to', async () => {
    const el = await chatWithHistory(streamingReply(['unused']), 300);
    const parent = el.parentElement!;
    expect(distanceFromEnd(el), 'at the end').to.be.below(2);
    el.remove();
    parent.append(el);
    await frames(3);
    expect(distanceFromEnd(el), 'back at the end').to.be.below(2);
    const box = log(el);
    box.scrollTop -= 800;
    await frames(2);
    const readingAt = box.scrollTop;
    el.remove();
    parent.append(el);
    await frames(3);
    expect(Math.abs(box.scrollTop - readingAt), 'where the reader was').to.be.below(2);
  });

  it('a question whose turn a change listener stops at once still brings the log to the end', async () => {
    const { el, finish, box } = await scrolledUpWhileStreaming();
    await finish();
    await frames(2);
    expect(distanceFromEnd(el)).to.be.above(300);
    el.conversation.addEventListener('change', () => el.stop(), { once: true });
    await el.send('stopped at once');
    await frames(3);
    expect(distanceFromEnd(el), `the end (scrollTop ${box.scrollTop})`).to.be.below(2);
  });

  /** A 300 px log streaming {@link answerUntilEnded}, once `chars` characters of it arrived. */
  async function streamingInto300px(chars: number) {
    const el = await chatWithHistory(streamingReply(['unused']), 0);
    el.style.setProperty('--stream-chat-height', '300px');
    const { end } = answerUntilEnded(el);
    await waitUntil(() => String(el.conversation.draft?.message.content ?? '').length > chars, 'the answer fills the log', { timeout: 5000 });
    return { el, end, box: log(el) };
  }

  it('a scroll up of a few pixels stops following too (a key, a trackpad), and content shrinking under the end does not', async () => {
    const { el, end, box } = await streamingInto300px(1000);
    await frames(2);
    // Content that shrinks at the end clamps the scroll position down: the log is still at its end.
    const spacer = box.appendChild(Object.assign(document.createElement('div'), { style: 'height: 200px' }));
    await frames(2);
    spacer.remove();
    await frames(3);
    expect(distanceFromEnd(el), 'following after the content shrank').to.be.below(2);
    // A reader's scroll up by 20 px, from a task as input comes: before, the next write pulled it back.
    await new Promise((resolve) => setTimeout(resolve));
    box.scrollTop -= 20;
    await frames(15);
    expect(distanceFromEnd(el), 'px from the end, 15 frames after scrolling up 20').to.be.at.least(20);
    await waitUntil(() => jumps(el) === 1, 'Jump to latest shows', { timeout: 4000 });
    await end();
  });

  it('typing lines into the input and deleting them while the answer streams keeps the log at its end', async () => {
    // A Markdown answer (headings, a table, code, lists) in 4-character pieces a few ms apart.
    const markdown = [
      'Intro paragraph that is long enough to wrap over a couple of lines in a narrow log, then more words.\n\n',
      'Title\n=====\n\n| Name | Value | Notes |\n|---|---:|:---:|\n| alpha | 1 | first |\n| beta | 22 | second row |\n\n',
      '```js\nfunction f(x) {\n  return x * 2;\n}\n```\n\n1. one\n2. two\n   - nested a\n   - nested b\n3. three\n\n> A quote\n> over two lines\n\n',
    ].join('').repeat(4);
    const endpoint = await mockEndpoint(streamingReply(markdown.match(/[^]{1,4}/g)!, { gap: 6 }));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="--stream-chat-height: 400px; width: 400px"></stream-chat>`);
    el.messages = Array.from({ length: 20 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `history ${i} `.repeat(1 + (i % 5) * 8) }));
    await el.updateComplete;
    const done = el.send('go');
    let ended = false;
    void done.finally(() => (ended = true));
    el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')!.focus();
    let jumped = false;
    while (!ended) {
      // The input grows by two lines and shrinks back: the log shrinks and grows with it.
      await sendKeys({ type: 'a' });
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Shift' });
      await sendKeys({ type: 'b' });
      for (let i = 0; i < 4; i++) await sendKeys({ press: 'Backspace' });
      jumped ||= jumps(el) > 0;
    }
    await frames(3);
    // Before, the scroll position the shrinking log moved down looked like the reader scrolling up.
    expect({ jumped, atEnd: distanceFromEnd(el) < 2, following: log(el).style.overflowAnchor }).to.deep.equal({ jumped: false, atEnd: true, following: '' });
  });

  // Also in a page whose root font is 10 px (62.5%), with the chat's text at 10 px and at 16 px (a
  // host's --stream-chat-font): the room the log kept for Jump to latest counted 1.75rem, 17.5 px
  // there, and Jump is 24 px tall, its least, and 28, its line of 24, padding and border: a control
  // focused there was 3 px under it (Chromium, WebKit; Firefox scrolls it to the log's middle).
  it('a control focused under Jump to latest is scrolled out from under it (WCAG 2.4.11, focus not obscured)', async function () {
    // Three chats of 300 messages: WebKitGTK takes 10 s or more for them.
    this.timeout(30_000);
    try {
      for (const [root, text] of [['', ''], ['62.5%', ''], ['62.5%', '16px']] as const) {
        document.documentElement.style.fontSize = root;
        document.documentElement.style.setProperty('--stream-chat-font', text && `${text}/1.5 system-ui,sans-serif`);
        const { el, finish, box } = await scrolledUpWhileStreaming();
        await waitUntil(() => jumps(el) === 1, 'Jump to latest shows');
        const jump = el.shadowRoot!.querySelector<HTMLElement>('[part~="jump"]')!;
        const rows = (node: Element) => {
          const { top, bottom } = node.getBoundingClientRect();
          return { top, bottom, middle: (top + bottom) / 2 };
        };
        // A message's Copy above the button, scrolled to the button's height, as a reader's scroll
        // may leave it (the button sits at the middle of the log's width, over whatever is there).
        const target = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="copy-message"]')].findLast((button) => rows(button).bottom < rows(jump).top)!;
        box.scrollTop -= rows(jump).middle - rows(target).middle;
        await frames(2);
        expect(rows(target).top, `at the button’s height before it takes focus, root font ${root || 'the default'}, text ${text || 'the default'}`).to.be.within(rows(jump).top - 1, rows(jump).bottom);
        target.focus();
        await frames(2);
        expect(jumps(el), 'Jump to latest still shown').to.equal(1);
        expect(rows(target).bottom, `above the button once focused, root font ${root || 'the default'}, text ${text || 'the default'}`).to.be.at.most(rows(jump).top);
        await finish();
      }
    } finally {
      document.documentElement.style.fontSize = '';
      document.documentElement.style.removeProperty('--stream-chat-font');
    }
  });

  it('Jump to latest focused when the reader scrolls back to the end: it goes, and focus stays in the element, on the log', async () => {
    const { el, end, box } = await streamingInto300px(800);
    box.scrollTop = 0;
    await waitUntil(() => jumps(el) === 1, 'Jump to latest shows', { timeout: 4000 });
    el.shadowRoot!.querySelector<HTMLElement>('[part~="jump"]')!.focus();
    box.scrollTop = box.scrollHeight;
    await waitUntil(() => jumps(el) === 0, 'Jump to latest goes');
    // Before, focus fell to <body>: Escape no longer stopped the answer.
    expect([document.activeElement === el, el.shadowRoot!.activeElement === latestTurn(el)]).to.deep.equal([true, true]);
    await end();
  });

  /**
   * An element of 300 px whose answer, ended, the reader scrolled up from: Jump to latest shows,
   * focused. Under `key` (another tab's changes), when given.
   */
  async function scrolledUpFromAnAnswer(key?: string) {
    const { el, end, box } = await streamingInto300px(800);
    if (key) {
      localStorage.removeItem(key);
      el.storageKey = key;
      await el.updateComplete;
    }
    box.scrollTop = 0;
    await waitUntil(() => jumps(el) === 1, 'Jump to latest shows', { timeout: 4000 });
    await end();
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLElement>('[part~="jump"]')!.focus();
    return { el, box };
  }

  /**
   * What a host sets on the conversation (not the element's `messages` or `clear()`, which follow the
   * end again themselves), or another tab stores under `key`, made of the messages shown now.
   */
  async function changeConversation(el: StreamChatElement, key: string, by: 'host' | 'other tab', next: (messages: ChatMessage[]) => ChatMessage[]) {
    const messages = next(structuredClone(el.conversation.messages));
    if (by === 'host') el.conversation.messages = messages;
    else {
      localStorage.setItem(key, JSON.stringify({ v: 1, messages, interrupted: [] }));
      window.dispatchEvent(new StorageEvent('storage', { key, storageArea: localStorage }));
    }
    await el.updateComplete;
    await frames(2);
    return messages;
  }

  for (const by of ['host', 'other tab'] as const) {
    for (const [what, next] of [
      ['emptied', () => []],
      // The log shows no turn for a system message: as empty.
      ['emptied to a system message', () => [{ role: 'system', content: 'Be brief.' }]],
      ['replaced by another conversation', () => history(20)],
      // As every conversation that starts with a greeting does.
      ['replaced by another conversation that begins with the same message', (messages: ChatMessage[]) => [messages[0]!, ...history(19)]],
      // Its own answer to that question, then more: not that question's answer regenerated.
      ['replaced by another conversation that begins with the same question, its own answer after it', (messages: ChatMessage[]) => [messages[0]!, { role: 'assistant', content: 'Another answer. '.repeat(30) }, ...history(18)]],
      // A question that begins with the one seen is another (a regenerated answer's is the same).
      ['replaced by another conversation whose question begins with the one seen', (messages: ChatMessage[]) => [{ role: 'user', content: `${messages[0]!.content as string} And why?` }, { role: 'assistant', content: 'Another answer. '.repeat(30) }]],
    ] as const) {
      it(`a chat ${what} while the reader is scrolled up (by ${by === 'host' ? 'a host, through conversation' : 'another tab, under storage-key'}): Jump to latest goes, focus on it goes to the latest turn (the log when none), the log is at its end, and the next answer is followed`, async () => {
        const key = 'stream-chat-scroll-test';
        const { el } = await scrolledUpFromAnAnswer(by === 'other tab' ? key : undefined);
        const messages = await changeConversation(el, key, by, next);
        expect([el.shadowRoot!.querySelectorAll('.turn').length, jumps(el), el.shadowRoot!.activeElement === (latestTurn(el) ?? log(el)), distanceFromEnd(el) < 32], what).to.deep.equal([messages.filter((message) => message.role !== 'system').length, 0, true, true]);
        // The host's next question, asked through the conversation (not the element's send(), which follows the end itself).
        const answer = answerUntilEnded(el, (text) => el.conversation.send(text));
        await waitUntil(() => String(el.conversation.draft?.message.content ?? '').length > 800, 'the answer fills the log', { timeout: 5000 });
        await frames(2);
        expect([jumps(el), distanceFromEnd(el) < 32], 'the next answer').to.deep.equal([0, true]);
        await answer.end();
        localStorage.removeItem(key);
      });
    }

    it(`a chat whose last answer grows while the reader is scrolled up (by ${by === 'host' ? 'a host, through conversation, as new objects' : 'another tab, under storage-key, saved as it streams'}) keeps the reader where they were, and Jump to latest`, async () => {
      const key = 'stream-chat-scroll-test';
      const { el, box } = await scrolledUpFromAnAnswer(by === 'other tab' ? key : undefined);
      const top = box.scrollTop;
      const before = structuredClone(el.conversation.messages);
      const seen = [];
      for (const text of ['Hel', 'Hello, wor', 'Hello, world. '.repeat(40)]) {
        await changeConversation(el, key, by, () => [...structuredClone(before), { role: 'user', content: 'And?' }, { role: 'assistant', content: text }]);
        seen.push([jumps(el), Math.abs(box.scrollTop - top) < 2]);
      }
      // Before, from its second save (the answer at the index last seen saying more): at the end, no Jump.
      expect(seen).to.deep.equal([[1, true], [1, true], [1, true]]);
      localStorage.removeItem(key);
    });

    it(`a chat whose last answer is regenerated, or whose last question is edited, while the reader is scrolled up (by ${by === 'host' ? 'a host, through conversation' : 'another tab, under storage-key, saved as it streams'}) keeps the reader where they were, and shows Jump to latest`, async () => {
      const key = 'stream-chat-scroll-test';
      const { el, box } = await scrolledUpFromAnAnswer(by === 'other tab' ? key : undefined);
      // Scrolled to the end and up again: nothing arrived below since, no Jump to latest.
      box.scrollTop = box.scrollHeight;
      await waitUntil(() => jumps(el) === 0, 'Jump to latest goes at the end');
      box.scrollTop = 0;
      await frames(2);
      const [question, answer] = structuredClone(el.conversation.messages) as [ChatMessage, ChatMessage];
      const asked = (text: string, ...answers: string[]) => [question, answer, { role: 'user', content: text }, ...answers.map((content) => ({ role: 'assistant', content }))] as ChatMessage[];
      const seen = [];
      for (const next of [
        // A question and its answer more.
        asked('And?', 'More.'),
        // That answer regenerated: gone, then the new one as it streams.
        asked('And?'),
        asked('And?', 'Another'),
        asked('And?', 'Another answer. '.repeat(20)),
        // That question edited: gone with its answer, then the new one.
        asked('And then?'),
        asked('And then?', 'Then this.'),
      ]) {
        await changeConversation(el, key, by, () => next);
        seen.push([jumps(el), box.scrollTop]);
      }
      // Before, taken to the end, no Jump to latest: the answer (or question) last seen said something else.
      expect(seen).to.deep.equal(Array(6).fill([1, 0]));
      localStorage.removeItem(key);
    });

    it(`a chat whose last message says nothing (a tool's empty result) replaced by another conversation while the reader is scrolled up (by ${by === 'host' ? 'a host, through conversation' : 'another tab, under storage-key'}): shown from its end, no Jump to latest`, async () => {
      const key = 'stream-chat-scroll-test';
      const { el } = await scrolledUpFromAnAnswer(by === 'other tab' ? key : undefined);
      const call = { id: 'c1', type: 'function' as const, function: { name: 'f', arguments: '{}' } };
      await changeConversation(el, key, by, (messages) => [...messages, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'c1', content: '' }]);
      expect([jumps(el), distanceFromEnd(el) < 32], 'grown: where they were').to.deep.equal([1, false]);
      await changeConversation(el, key, by, () => history(30));
      // Before, any text "said more" than the empty result's: the reader stayed, Jump to latest too.
      expect([jumps(el), distanceFromEnd(el) < 32], 'another conversation').to.deep.equal([0, true]);
      localStorage.removeItem(key);
    });

    it(`a chat that grows by an answer while the reader is scrolled up (by ${by === 'host' ? 'a host, through conversation' : 'another tab, under storage-key'}) keeps the reader where they were, and Jump to latest`, async () => {
      const key = 'stream-chat-scroll-test';
      const { el, box } = await scrolledUpFromAnAnswer(by === 'other tab' ? key : undefined);
      const top = box.scrollTop;
      await changeConversation(el, key, by, (messages) => [...messages, { role: 'user', content: 'And?' }, { role: 'assistant', content: 'More.' }]);
      expect([el.shadowRoot!.querySelectorAll('.turn').length, jumps(el), Math.abs(box.scrollTop - top) < 2]).to.deep.equal([4, 1, true]);
      localStorage.removeItem(key);
    });
  }

  it('a chat a host empties in place while the reader is scrolled up (the conversation’s array spliced, and set again): Jump to latest goes, focus on it to the log', async () => {
    const { el } = await scrolledUpFromAnAnswer();
    const messages = el.conversation.messages;
    messages.splice(0);
    el.conversation.messages = messages;
    await el.updateComplete;
    await frames(2);
    expect([jumps(el), el.shadowRoot!.activeElement === log(el)]).to.deep.equal([0, true]);
  });

  it('a host that sets its conversation again as new objects whose parts JSON cannot hold (a BigInt) keeps the reader where they were, and renders', async () => {
    const { el, box } = await scrolledUpFromAnAnswer();
    const top = box.scrollTop;
    const messages = el.conversation.messages;
    const copy = () => messages.map((message) => ({ ...message, content: [{ type: 'text', text: String(message.content), tokens: 7n }] as unknown as ChatMessage['content'] }));
    const rejections: unknown[] = [];
    const rejected = (event: PromiseRejectionEvent) => rejections.push(event.reason);
    window.addEventListener('unhandledrejection', rejected);
    el.conversation.messages = copy();
    await el.updateComplete;
    // Again, new objects: the messages last seen are compared with them.
    el.conversation.messages = copy();
    await el.updateComplete;
    await frames(2);
    window.removeEventListener('unhandledrejection', rejected);
    expect([rejections.map(String), jumps(el), Math.abs(box.scrollTop - top) < 2]).to.deep.equal([[], 1, true]);
  });

  it('an empty chat the reader scrolled up in (a tall welcome in its empty slot) stays there as it renders again (a placeholder set), and shows a conversation set into it from its end', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat style="--stream-chat-height: 300px"><div slot="empty" style="height: 1000px">Welcome</div></stream-chat>`);
    const box = log(el);
    box.scrollTop = box.scrollHeight;
    await frames(2);
    box.scrollTop = 100;
    await frames(2);
    el.placeholder = 'Ask away';
    await el.updateComplete;
    await frames(2);
    expect(box.scrollTop, 'where the reader scrolled up to').to.equal(100);
    // As a host's, or another tab's: not through the element's messages, which follow the end themselves.
    el.conversation.messages = history(20);
    await el.updateComplete;
    await frames(2);
    expect(distanceFromEnd(el), 'px from the end').to.be.below(32);
  });

  it('Tab onto Jump to latest while the answer streams: the log does not move, and Jump stays, focused, until pressed', async () => {
    const { el, end, box } = await streamingInto300px(800);
    await frames(2);
    // Before, a focus of Jump scrolled the log down by the room its scroll padding keeps for Jump
    // (over 100 px); close to the end, to the end: Jump went with focus on it, focus fell to the log,
    // and the next Tab went to the conversation's first control.
    box.scrollTop -= 120;
    await waitUntil(() => jumps(el) === 1, 'Jump to latest shows', { timeout: 4000 });
    // (From the question's Edit, the control before it, without moving the log.)
    [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="edit"]')].at(-1)!.focus({ preventScroll: true });
    const readingAt = box.scrollTop;
    await sendKeys({ press: 'Tab' });
    const focused = () => el.shadowRoot!.activeElement?.getAttribute('part');
    expect([focused(), box.scrollTop], 'on Jump, the log where it was').to.deep.equal(['jump', readingAt]);
    await frames(10);
    expect([jumps(el), focused(), box.scrollTop], '10 frames later').to.deep.equal([1, 'jump', readingAt]);
    await sendKeys({ press: 'Enter' });
    await frames(2);
    expect([jumps(el), el.shadowRoot!.activeElement === latestTurn(el), distanceFromEnd(el) < 2], 'pressed: at the end, focus on the answer').to.deep.equal([0, true, true]);
    // Named by its speaker: a focused node is named by its text otherwise, the answer read out whole, and again as it grows.
    expect([latestTurn(el)!.getAttribute('role'), latestTurn(el)!.getAttribute('aria-label')]).to.deep.equal(['group', 'Assistant']);
    // Tab goes on from the answer (its actions come when it ends) to the input, the log left at its
    // end: from the log, it went to the conversation's first control, at the top.
    await sendKeys({ press: 'Tab' });
    await frames(2);
    expect([focused(), distanceFromEnd(el) < 2, jumps(el)], 'Tab').to.deep.equal(['input', true, 0]);
    await end();
  });

  it('a streamed frame, and the resize reports it brings, look for what they need in the answer, not through the whole conversation', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint="/chat" format="text" style="height: 300px"></stream-chat>`);
    el.messages = history(500);
    await el.updateComplete;
    const body = new TestBody(chunkEvent({ role: 'assistant', content: 'first\n' }));
    el.fetch = fakeFetch({ body });
    const done = el.send('go');
    await waitUntil(() => el.shadowRoot!.querySelector('[aria-busy=true][part~=message]')?.textContent?.includes('first'), 'the answer shows');
    // Each frame follows the end, and the answer's group, resized, is reported.
    const searched = await searchedWhile(async () => {
      for (let i = 0; i < 5; i++) {
        body.write(chunkEvent({ content: `line ${i}\n` }));
        await frames(2);
      }
    });
    body.write(chunkEvent({}, { finishReason: 'stop' }) + DONE);
    body.end();
    await done;
    const log = el.shadowRoot!.querySelector('[part~=log]')!;
    expect(searched.length, 'frames followed the end').to.be.above(0);
    expect(Math.max(...searched), `of ${log.getElementsByTagName('*').length} in the log`).to.be.below(200);
  });

  it('a render looks for what to watch among what it added, not through the whole conversation', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint="/chat" format="text" style="height: 300px"></stream-chat>`);
    el.messages = history(500);
    await el.updateComplete;
    const searched = await searchedWhile(async () => {
      const body = new TestBody(chunkEvent({ role: 'assistant', content: 'an answer' }, { finishReason: 'stop' }) + DONE);
      body.end();
      el.fetch = fakeFetch({ body });
      await el.send('one more');
      el.requestUpdate();
      await el.updateComplete;
    });
    const log = el.shadowRoot!.querySelector('[part~=log]')!;
    expect(searched.length, 'renders searched').to.be.above(0);
    expect(Math.max(...searched), `of ${log.getElementsByTagName('*').length} in the log`).to.be.below(200);
  });

  it('what a render adds is watched after the element is moved, taken out a while and put back, and its messages replaced whole', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint="/chat" format="text" style="height: 300px"></stream-chat>`);
    /** A history of `count` messages, then a question and a tool card of short arguments, in view at the end. */
    const carded = (count: number, name: string): ChatMessage[] => [
      ...history(count),
      { role: 'user', content: name },
      { role: 'assistant', content: null, tool_calls: [{ id: name, type: 'function', function: { name, arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: name, content: 'ok' },
    ];
    // Each card's arguments, short: no tab stop once watched (a stop until laid out, as in the template).
    const watched = (why: string) => waitUntil(() => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~=tool-arguments]')].every((pre) => pre.tabIndex === -1), why);
    el.messages = carded(60, 'first');
    await el.updateComplete;
    await watched('at the first look');
    const parent = el.parentNode!;
    el.remove();
    parent.append(el);
    el.messages = carded(10, 'moved');
    await el.updateComplete;
    await watched('moved');
    el.remove();
    await new Promise((resolve) => setTimeout(resolve, 50));
    el.messages = carded(31, 'away');
    await el.updateComplete;
    parent.append(el);
    await watched('rendered while out of the page, then put back');
    el.messages = carded(41, 'whole');
    await el.updateComplete;
    await watched('replaced whole');
    expect(el.shadowRoot!.querySelector('[part~=tool-name]')!.textContent).to.equal('whole');
  });

  describe('sizes that change with nothing written keep a log at its end there', () => {
    const lines = (n: number, text = 'Line') => Array.from({ length: n }, (_, i) => `${text} ${i}\n`);
    const answering = (el: StreamChatElement, n: number) =>
      waitUntil(() => String(el.conversation.draft?.message.content ?? '').length > n, 'the answer streams', { timeout: 4000 });
    async function short(reply: MockResponse | MockEndpoint = streamingReply(['ok'])): Promise<StreamChatElement> {
      const endpoint = 'url' in reply ? reply : await mockEndpoint(reply);
      return fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="--stream-chat-height: 300px"></stream-chat>`);
    }

    /** The next task: after a render (a microtask away), and after the task it asked for the log's next groups in, if any. */
    const nextTask = () => new Promise((resolve) => setTimeout(resolve));

    /** A short element given 1,000 messages whole, after its first render of them. */
    async function givenWhole(): Promise<StreamChatElement> {
      const el = await short();
      el.messages = history(1000);
      await nextTask();
      return el;
    }

    /** The same, once all of them are rendered and laid out. */
    async function shownWhole(): Promise<StreamChatElement> {
      const el = await givenWhole();
      await el.updateComplete;
      await frames(3);
      return el;
    }

    /** The log's groups of turns, and how many are rendered (not waiting, empty). */
    const groupsOf = (el: StreamChatElement) => [...el.shadowRoot!.querySelectorAll('.turns')];
    const filledOf = (el: StreamChatElement) => groupsOf(el).filter((group) => group.children.length).length;

    /** The first turn at the top of the log `box`, as the reader reads it: how far it has moved since. */
    function readAtTop(el: StreamChatElement, box: HTMLElement): () => number {
      const top = box.getBoundingClientRect().top;
      const read = [...el.shadowRoot!.querySelectorAll('.turn')].find((turn) => turn.getBoundingClientRect().top >= top)!;
      const at = read.getBoundingClientRect().top;
      return () => read.getBoundingClientRect().top - at;
    }

    // Groups out of view take their real height as they come into view, and scroll anchoring keeps
    // the text being read in place. Safari has no scroll anchoring: there the text jumped (about
    // 1,600 px at a time in WebKitGTK 2.50, scrolling up through 150 turns), so under
    // `@supports not (overflow-anchor: auto)` every group is laid out. Chromium keeps the text in
    // place even with anchoring off, so it cannot show the jump: it shows what the fallback does
    // (its rules, the condition taken as true). WebKit shows the fallback itself.
    it('where the browser has no scroll anchoring (Safari), no group of turns skips layout', async () => {
      const el = await short();
      el.messages = history(300);
      await el.updateComplete;
      await frames(6);
      const root = el.shadowRoot!;
      const groups = () => [...root.querySelectorAll<HTMLElement>('.turns')];
      // The size of a group that skips layout: one still to be rendered (empty) is never laid out.
      const probe = log(el).appendChild(Object.assign(document.createElement('div'), { className: 'turns' }));
      const placeholder = probe.offsetHeight;
      probe.remove();
      if (CSS.supports('overflow-anchor', 'auto')) {
        expect(groups().filter((group) => group.offsetHeight === placeholder), 'with anchoring, groups out of view wait at their placeholder size').to.have.length.above(5);
        const without = new CSSStyleSheet();
        without.replaceSync(rulesWithout(el, 'overflow-anchor:auto'));
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, without];
        await frames(3);
      }
      expect(groups().map((group) => getComputedStyle(group).contentVisibility)).to.deep.equal(groups().map(() => 'visible'));
      expect(groups().filter((group) => group.offsetHeight === placeholder), 'each group its real size').to.deep.equal([]);
      // Groups that skip layout hold the speakers' hidden labels; laid out, the log must: else
      // they overflow the host, which a screen reader's or a search's scroll then moves.
      expect([el.scrollHeight, distanceFromEnd(el)], 'the host does not overflow; the log at its end').to.deep.equal([el.clientHeight, 0]);
      root.querySelector<HTMLElement>('[part~="speaker"]')!.scrollIntoView();
      expect(el.scrollTop, 'a speaker brought into view scrolls the log, not the host').to.equal(0);
      const full = document.createElement('div');
      root.querySelector('.markdown')!.append(full);
      full.className = 'full';
      expect(getComputedStyle(full).contentVisibility, "a long answer's groups of blocks too").to.equal('visible');
    });

    it('a long history set through messages, its groups of turns laid out as they come into view, shows its end', async () => {
      const el = await short();
      el.messages = history(300);
      await el.updateComplete;
      await frames(6);
      expect(distanceFromEnd(el)).to.be.below(32);
    });

    it('a long conversation set whole shows its end in the first render and its earlier groups in later tasks, none laid out meanwhile; updateComplete waits for all', async () => {
      // After the first render, before the task it asked for the next groups in.
      const el = await givenWhole();
      const root = el.shadowRoot!;
      const log = root.querySelector('[part~="log"]')!;
      const groups = () => groupsOf(el);
      const filled = () => filledOf(el);
      expect(groups()).to.have.length(40);
      // Before, all 1,000 turns were rendered in that one task (about 0.3 s, here of Markdown).
      expect(filled(), 'the last groups').to.be.within(1, 3);
      expect(groups().at(-1)!.children, 'the end of the conversation').to.have.length(25);
      expect(log.getAttribute('aria-busy'), 'the log busy while its groups come').to.equal('true');
      expect(getComputedStyle(groups()[0]!).contentVisibility, 'a group to come is never laid out').to.equal('hidden');
      await el.updateComplete;
      expect([filled(), root.querySelectorAll('[part~="message"]').length, log.hasAttribute('aria-busy')]).to.deep.equal([40, 1000, false]);
      // (Without scroll anchoring, laid out: see above.)
      expect(getComputedStyle(groups()[0]!).contentVisibility).to.equal(CSS.supports('overflow-anchor', 'auto') ? 'auto' : 'visible');
      await frames(3);
      expect(distanceFromEnd(el)).to.be.below(32);
    });

    it('a long conversation of tool loops set whole renders a bounded number of answers in its first update: a loop is one turn, and its steps were counted as one answer', async () => {
      // 100 questions, each answered by a loop of 10 steps (a call, its result) and a last answer.
      const messages: ChatMessage[] = [];
      for (let q = 0; q < 100; q++) {
        messages.push({ role: 'user', content: `question ${q}` });
        for (let step = 0; step < 10; step++) {
          const id = `c${q}-${step}`;
          messages.push({ role: 'assistant', content: `Step ${step}, *looking*.`, tool_calls: [{ id, type: 'function', function: { name: 'look', arguments: '{}' } }] });
          messages.push({ role: 'tool', tool_call_id: id, content: 'ok' });
        }
        messages.push({ role: 'assistant', content: `Answer ${q}.` });
      }
      const el = await short();
      el.messages = messages;
      await nextTask();
      const rendered = el.shadowRoot!.querySelectorAll('.markdown').length;
      // At most FRESH (12) answers rendered for the first time in one update, but a group's own: 25
      // messages, or the turn that passes them (here 33: three questions and their loops).
      expect(rendered, 'Markdown bodies rendered in the first update').to.be.at.most(35);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('.markdown').length).to.equal(1100);
    });

    it('every answer of a long conversation rendered again (format, highlight): its end first, its earlier groups in later tasks', async function () {
      // Four times 40 groups, each in a task and most with a frame after it: WebKitGTK's frames in
      // Xvfb, a few hundred ms with 1,000 messages laid out, make that over 10 s on a busy machine.
      this.timeout(30_000);
      const el = await shownWhole();
      const root = el.shadowRoot!;
      const groups = () => groupsOf(el);
      const filled = () => filledOf(el);
      for (const change of [() => (el.format = 'text'), () => (el.format = 'markdown'), () => (el.highlight = true)]) {
        change();
        await nextTask();
        // Before, every answer was rendered again in that one task (about 0.3 s of Markdown for 500).
        expect(filled(), String(change)).to.be.within(1, 3);
        expect(groups().at(-1)!.children).to.have.length(25);
        await el.updateComplete;
        expect([filled(), root.querySelectorAll('[part~="message"]').length]).to.deep.equal([40, 1000]);
      }
      expect(root.querySelectorAll('.markdown').length, 'in the last format').to.equal(500);
      expect(root.querySelector('[part~="log"]')!.hasAttribute('aria-busy')).to.equal(false);
    });

    it('while the groups of a long conversation come, Edit on the last question focuses its form at once, not after all of them', async () => {
      const el = await givenWhole();
      const root = el.shadowRoot!;
      // Read as the focus comes: focused, the form scrolls into view, and a log scrolled up from its
      // end renders the groups still to come at once in the next task (which a check after it raced).
      let busy: string | null | undefined;
      root.addEventListener('focusin', () => (busy ??= root.querySelector('[part~="log"]')!.getAttribute('aria-busy')));
      [...root.querySelectorAll<HTMLButtonElement>('[part~="edit"]')].at(-1)!.click();
      await nextTask();
      expect(root.activeElement?.getAttribute('part')).to.equal('edit-input');
      expect(busy, 'groups still to come').to.equal('true');
      await el.updateComplete;
    });

    it('while the groups of a long conversation come, the log shows its end in every frame, with scroll anchoring or without', async () => {
      const el = await givenWhole();
      // Read as each frame is painted, after the element's own observer (made first) has seen the groups fill.
      const away: number[] = [];
      const painted = new ResizeObserver(() => away.push(distanceFromEnd(el)));
      for (const group of groupsOf(el)) painted.observe(group);
      await el.updateComplete;
      await frames(3);
      painted.disconnect();
      expect(away.length, 'frames seen').to.be.above(0);
      // Without anchoring (Safari), the groups filled above moved the end away until a later frame.
      expect(away.filter((distance) => distance > 1)).to.deep.equal([]);
    });

    it('a reader who scrolls up while the groups of a long conversation come keeps what they read as the rest fill above, with scroll anchoring or without', async () => {
      const el = await givenWhole();
      const box = log(el);
      // Before the log's scroll event, which comes with the next frame: the next groups are rendered first.
      box.scrollTop -= 150;
      const moved = readAtTop(el, box);
      await el.updateComplete;
      await frames(3);
      // Without anchoring (Safari), each group filled above moved it down by its height.
      expect(moved(), 'what was read, moved by').to.be.within(-1, 1);
      expect(filledOf(el)).to.equal(40);
    });

    it('a reader who scrolled up while the groups of a long conversation come keeps what they read when the log renders for another reason before their next task, with scroll anchoring or without', async () => {
      const el = await givenWhole();
      const box = log(el);
      box.scrollTop -= 150;
      // Its scroll event, as a frame between two of the groups' tasks brings it (WebKitGTK's, of a
      // few hundred ms, often come there); then, in that frame, a render of the element's own: an
      // answer streaming shows Jump to latest (its first write after the scroll), Copy says Copied.
      box.dispatchEvent(new Event('scroll'));
      const moved = readAtTop(el, box);
      el.requestUpdate();
      await el.updateComplete;
      await frames(3);
      // Without anchoring (Safari), that render filled every group waiting above it, and nothing put the log back.
      expect(moved(), 'what was read, moved by').to.be.within(-1, 1);
      expect(filledOf(el)).to.equal(40);
    });

    it('a reader who scrolled up keeps what they read when the conversation comes again from elsewhere (another tab): nothing waits then', async () => {
      const el = await shownWhole();
      const root = el.shadowRoot!;
      const log = root.querySelector<HTMLElement>('[part~="log"]')!;
      log.scrollTop = log.scrollHeight / 2;
      await frames(3);
      // As storage-key's sync from another tab sets it: the same messages, new objects, none rendered yet.
      el.conversation.messages = structuredClone(el.conversation.messages);
      await nextTask();
      // Before, every group but the last was emptied for a few tasks, under the reader too.
      expect([...root.querySelectorAll('.turns')].filter((group) => !group.children.length)).to.have.length(0);
      expect(log.hasAttribute('aria-busy')).to.equal(false);
    });

    it('Jump to latest after the answer ended, in a long history, lands at the end', async () => {
      const { steps } = streamingReply(lines(120, 'A long answer, line'));
      // Held after 20 lines until the reader's scroll up was seen: the other 100 come while they are up.
      const endpoint = await mockEndpoint({ steps: [...steps.slice(0, 21), { hold: 'scrolled up' }, ...steps.slice(21)] });
      const el = await short(endpoint);
      el.messages = history(100);
      await el.updateComplete;
      await frames(3);
      const sent = el.send('Go');
      await answering(el, 200);
      log(el).scrollTop = 2000;
      await frames(2);
      await endpoint.release('scrolled up');
      await sent;
      await el.updateComplete;
      await frames(3);
      el.shadowRoot!.querySelector<HTMLElement>('[part~="jump"]')!.click();
      await el.updateComplete;
      await frames(6);
      expect(distanceFromEnd(el)).to.be.below(32);
    });

    it('the mark an answer written in a hidden tab puts on the log (unseen) leaves its height as it was: in WebKit, which lays every group out, too', async function () {
      // Before, in WebKit: 18,447 px marked, 18,389 not (contained groups' margins did not collapse),
      // the log shrinking under a reader two frames after the tab came back. (Where groups skip
      // their layout, Chromium and Firefox, the mark is meant to lay them out: a group scrolled
      // past too fast under load is still at its estimate unmarked.)
      if (CSS.supports('overflow-anchor', 'auto')) this.skip();
      this.timeout(60_000);
      const paragraphs = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} ${'of an answer that goes on. '.repeat(1 + (i % 5) * 4)}\n\n`);
      const endpoint = await mockEndpoint(streamingReply(paragraphs));
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" style="--stream-chat-height: 300px"></stream-chat>`);
      await el.send('Go');
      const log = el.shadowRoot!.querySelector<HTMLElement>('[part~=log]')!;
      for (let top = log.scrollHeight; top >= 0; top -= log.clientHeight) {
        log.scrollTop = top;
        await frame();
        await frame();
      }
      const off = log.scrollHeight;
      log.classList.add('unseen');
      await frame();
      await frame();
      expect(log.scrollHeight).to.equal(off);
    });

    itWithCdp('an answer that streamed in a hidden tab: back, the log keeps its height as the reader scrolls up through it', async () => {
      // Paragraphs of one to five lines: 32 fill a group of blocks, sized by a placeholder while not laid out.
      const paragraphs = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} ${'of an answer that goes on. '.repeat(1 + (i % 5) * 4)}\n\n`);
      const el = await short(streamingReply(paragraphs));
      await executeServerCommand('cdp-hidden', { hidden: true });
      try {
        expect(document.visibilityState).to.equal('hidden');
        await el.send('Go');
      } finally {
        await executeServerCommand('cdp-hidden', { hidden: false });
      }
      await frames(3);
      const box = log(el);
      const back = box.scrollHeight;
      expect(distanceFromEnd(el), 'back, at the end').to.be.below(32);
      for (let top = box.scrollTop; top > 0; top -= box.clientHeight) {
        box.scrollTop = top;
        await frames(2);
      }
      // Before, its groups above the end kept their placeholder's height until scrolled to (14,454 px
      // back, 18,447 once scrolled through), the scrollbar's thumb shrinking as the reader read up.
      expect(box.scrollHeight, 'the height once scrolled through').to.equal(back);
    });

    it('the element made shorter: the end stays in view', async () => {
      const el = await short();
      el.messages = history(12);
      await el.updateComplete;
      await frames(4);
      const before = distanceFromEnd(el);
      el.style.setProperty('--stream-chat-height', '200px');
      await frames(4);
      expect({ before, after: distanceFromEnd(el) }).to.deep.equal({ before: 0, after: 0 });
    });

    it('an image in the last answer that loads after it ended: the end stays in view', async () => {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="400"><rect width="200" height="400"/></svg>';
      const image = await mockEndpoint({ headers: { 'content-type': 'image/svg+xml' }, headersDelay: 800, steps: [{ write: svg }] });
      const el = await short(streamingReply(['Here:\n\n', `![pic](${image.url})`, '\n\nThe end.']));
      el.images = true;
      el.messages = history(12);
      await el.updateComplete;
      await el.send('Go');
      await el.updateComplete;
      await frames(3);
      const img = el.shadowRoot!.querySelector('img')!;
      await new Promise<void>((resolve) => (img.complete && img.naturalHeight > 0 ? resolve() : img.addEventListener('load', () => resolve(), { once: true })));
      await frames(3);
      expect(distanceFromEnd(el)).to.be.below(32);
    });

    for (const [what, change] of [
      ['clear()', (el: StreamChatElement) => el.clear()],
      ['another conversation through messages', (el: StreamChatElement) => (el.messages = history(80))],
    ] as const) {
      it(`${what} while the reader is scrolled up: no Jump to latest, and the log at the end`, async () => {
        const el = await short(streamingReply(lines(60), { gap: 40 }));
        el.messages = history(60);
        await el.updateComplete;
        await frames(3);
        const sent = el.send('Go');
        await answering(el, 40);
        log(el).scrollTop = 0;
        await waitUntil(() => jumps(el) === 1, 'Jump to latest shows', { timeout: 4000 });
        change(el);
        await sent;
        await el.updateComplete;
        await frames(5);
        expect({ jump: jumps(el), atEnd: distanceFromEnd(el) < 32 }).to.deep.equal({ jump: 0, atEnd: true });
      });
    }
  });
});

describe('<stream-chat> scrolling, an edit opened while Jump to latest shows', () => {
  failOnUnhandledRejection();

  it('Edit scrolls its Save and Cancel above Jump to latest, not under it', async () => {
    const el = await chatWithHistory(streamingReply(['unused']), 40);
    // A phone's width: Jump to latest, in the middle, reaches over the form's buttons at the inline end.
    el.style.width = '360px';
    const answer = answerUntilEnded(el);
    await waitUntil(() => answer.lines() >= 10, 'the first lines', { timeout: 4000 });
    await frames(2);
    const box = log(el);
    box.scrollTop -= 900;
    await waitUntil(() => jumps(el) === 1, 'Jump to latest shows', { timeout: 4000 });
    await answer.end();
    await el.updateComplete;
    // The reader, still above the end (Jump to latest shown), edits a question at the bottom of the log.
    const questions = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="message"][part~="user"]')];
    const bottom = () => box.getBoundingClientRect().bottom;
    const question = questions.findLast((each) => each.getBoundingClientRect().bottom < bottom() - 80)!;
    box.scrollTop += question.getBoundingClientRect().bottom - (bottom() - 60);
    await frames(2);
    el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="edit"]')[questions.indexOf(question)]!.click();
    await waitUntil(() => el.shadowRoot!.activeElement?.matches('[part~="edit-input"]'), 'the edit box has focus');
    await frames(2);
    expect(jumps(el), 'Jump to latest still shown').to.equal(1);
    const jump = el.shadowRoot!.querySelector('[part~="jump"]')!.getBoundingClientRect();
    const actions = el.shadowRoot!.querySelector('.edit .actions')!.getBoundingClientRect();
    // Before, the row went to the log's edge, the room kept for Jump to latest given up: Cancel under it.
    expect(actions.bottom, 'Save and Cancel above Jump to latest').to.be.at.most(jump.top);
    expect(actions.top, 'and in the log').to.be.at.least(box.getBoundingClientRect().top);
  });
});
