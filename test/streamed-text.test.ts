/**
 * The streamed answer, end to end: the element writes it in blocks (see
 * src/element/renderers/text.ts) so that a frame re-lays out only the last one, and the answer still
 * reads, copies and looks exactly like the same text in one Text node; at most one DOM write reaches
 * the screen per frame, as plain text and as Markdown.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
// The benchmark's seeded Markdown answers: prose, nested lists, code blocks, tables and quotes.
import { makeMarkdownTokens } from '../bench/markdown.js';
import { afterBlocks, asInnerText, corpus, expectSameRendering, expectSameText, renderingOf } from './helpers/layout.js';
import { seededRandom as random } from './helpers/transcripts.js';
import { mockEndpoint, streamingReply, type MockResponse } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

async function chatFor(url: string, format = 'text'): Promise<StreamChatElement> {
  // The plain-text renderer's blocks are what these tests are about, but for the one on Markdown.
  return fixture<StreamChatElement>(html`<stream-chat endpoint=${url} retries="0" format=${format} style="width: 480px"></stream-chat>`);
}

function answer(el: StreamChatElement): HTMLElement {
  const answers = el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="message"][part~="assistant"]');
  return answers[answers.length - 1]!;
}

/** `text` as content deltas of 1 to 300 characters, a little apart, so that they span frames. */
function reply(text: string): MockResponse {
  const rnd = random(text.length);
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    let size = 1 + Math.floor(rnd() * 300);
    // Never cut a surrogate pair: a JSON string must hold whole characters.
    if (/[\uD800-\uDBFF]/.test(text[at + size - 1] ?? '')) size++;
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  return streamingReply(pieces, { gap: 3 });
}

/**
 * Counts the DOM writes of message text that reach the screen in each frame: a MutationObserver
 * callback per batch of writes made in one task, read in each rendering update (after the frame's
 * animation frame callbacks and layout) through a ResizeObserver on a marker resized every frame.
 */
function writesPerFrame(el: StreamChatElement): { frames: number[]; onTime(): number[]; stop(): void } {
  const frames: number[] = [];
  // Each frame's time since the one before: in one over 250 ms, the stream buffer's fallback timer
  // (for hidden tabs) may write before the frame does, as WebKitGTK's frames take under load.
  const gaps: number[] = [];
  let writes = 0;
  let last = performance.now();
  // Text in a message changes, or nodes are added below the message (not Lit rendering the message).
  const isMessageText = (record: MutationRecord) => Boolean(record.target.parentElement?.closest('[part~="message"]'));
  const mutations = new MutationObserver((records) => {
    if (records.some(isMessageText)) writes++;
  });
  mutations.observe(el.shadowRoot!, { characterData: true, childList: true, subtree: true });
  const marker = document.createElement('div');
  marker.style.cssText = 'position: absolute; width: 1px; height: 1px; contain: strict; visibility: hidden';
  document.body.append(marker);
  const resizes = new ResizeObserver(() => {
    frames.push(writes);
    gaps.push(performance.now() - last);
    last = performance.now();
    writes = 0;
  });
  resizes.observe(marker);
  let frame = requestAnimationFrame(function flip() {
    marker.style.width = marker.style.width === '1px' ? '2px' : '1px';
    frame = requestAnimationFrame(flip);
  });
  return {
    frames,
    /** The writes of each frame that came within the buffer's fallback delay. */
    onTime: () => frames.filter((_, at) => gaps[at]! < 250),
    stop() {
      cancelAnimationFrame(frame);
      resizes.disconnect();
      mutations.disconnect();
      marker.remove();
      frames.push(writes);
    },
  };
}

describe('<stream-chat> streamed text', () => {
  failOnUnhandledRejection();

  for (const [name, text] of Object.entries(corpus())) {
    it(`${name}: reads, copies and looks the same as the text in one Text node`, async () => {
      const el = await chatFor((await mockEndpoint(reply(text))).url);
      const { content } = await el.send('go');
      expectSameText(content, text, 'done content');
      // innerText needs the answer laid out: its group of turns skips rendering (content-visibility:
      // auto) until a frame has found it on screen, which a loaded machine may not have run yet.
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const streamed = answer(el);
      expectSameText(streamed.textContent, text, 'textContent');
      expectSameText(streamed.innerText, asInnerText(text) + afterBlocks(streamed, text).innerText, 'innerText');
      // The same text the old way: one Text node in a message with the same attributes and place.
      const single = streamed.cloneNode() as HTMLElement;
      single.append(text);
      streamed.after(single);
      const expected = renderingOf(single);
      const after = afterBlocks(streamed, text);
      expectSameRendering(renderingOf(streamed), { ...expected, innerText: expected.innerText + after.innerText, copied: expected.copied + after.copied });
    });
  }

  it('a long answer of many paragraphs streams into blocks, which stay on screen when it ends', async () => {
    const text = Object.values(corpus()).join('\n\n');
    const el = await chatFor((await mockEndpoint(reply(text))).url);
    const counter = writesPerFrame(el);
    const sent = el.send('go');
    await new Promise((resolve) => el.addEventListener('chunk', resolve, { once: true }));
    const blocks = answer(el).querySelector('.blocks');
    expect(blocks, 'the streaming message holds text blocks').to.not.equal(null);
    try {
      await sent;
    } finally {
      counter.stop();
    }
    expect(answer(el).querySelector('.blocks'), 'the same nodes after the end').to.equal(blocks);
    // At full speed a block is about one frame's text (text.ts): in Chromium 60 frames a second
    // make blocks of 1–4 KB; WebKitGTK (Xvfb) lays the visible answer out in 60–130 ms a frame, and
    // its 15–20 frames make one block each, of 4–5 KB.
    const frames = counter.frames.filter((writes) => writes > 0).length;
    expect(blocks!.children.length, `blocks, in ${frames} frames with a write`).to.be.above(Math.min(text.length / 4096, frames / 2));
    expectSameText(answer(el).textContent, text, 'textContent');
  });

  it('at most one DOM write of message text reaches the screen per frame, also when writes add blocks', async () => {
    const text = Object.values(corpus()).join('\n\n');
    const el = await chatFor((await mockEndpoint(reply(text))).url);
    const counter = writesPerFrame(el);
    try {
      await el.send('go');
    } finally {
      counter.stop();
    }
    expect(answer(el).querySelectorAll('.blocks > div').length, 'blocks').to.be.above(3);
    expect(counter.frames.filter((writes) => writes > 0).length, 'frames with a write').to.be.above(3);
    expect(Math.max(...counter.onTime()), 'most writes in one frame').to.equal(1);
  });

  it('Markdown too: at most one DOM write of the answer reaches the screen per frame, while blocks are committed and the tail re-rendered', async () => {
    // About 50 KB in events 3 ms apart: several events a frame, over more than a second, so that
    // WebKitGTK (Xvfb), which lays the answer out in about 100 ms a frame, writes in more than 3
    // frames too (12 KB: in 2 or 3 there, 18 in Chromium).
    const text = makeMarkdownTokens(12_000).join('');
    const el = await chatFor((await mockEndpoint(reply(text))).url, 'markdown');
    const counter = writesPerFrame(el);
    try {
      await el.send('go');
    } finally {
      counter.stop();
    }
    const body = answer(el);
    for (const selector of ['h2', 'ul ul', 'pre > code', 'table', 'blockquote']) expect(body.querySelector(selector), selector).to.not.equal(null);
    expect(counter.frames.filter((writes) => writes > 0).length, 'frames with a write').to.be.above(3);
    expect(Math.max(...counter.onTime()), 'most writes in one frame').to.equal(1);
  });

  it('messages restored through the messages property render as plain text', async () => {
    const text = Object.values(corpus()).join('\n\n');
    const el = await chatFor('/unused');
    el.messages = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: text },
    ];
    await el.updateComplete;
    expect(answer(el).querySelector('*'), 'no element inside').to.equal(null);
    expectSameText(answer(el).textContent, text, 'textContent');
  });
});
