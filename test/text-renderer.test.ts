import { expect } from '@open-wc/testing';
import { styles } from '../src/element/stream-chat.styles.js';
import type { StreamingBody } from '../src/element/body-renderer.js';
import { render } from 'lit';
import { textBlocks, textRenderer } from '../src/element/renderers/text.js';
import { asInnerText, corpus, expectSameRendering, expectSameText, renderingOf } from './helpers/layout.js';
import { RUNS, longRuns } from './helpers/long-runs.js';
import { seededRandom as random } from './helpers/transcripts.js';

/** Ways the same text arrives in writes. */
const FEEDS: Record<string, (text: string) => string[]> = {
  'in one write': (text) => [text],
  'in random pieces of 1 to 40 characters': (text) => {
    const rnd = random(text.length);
    const chars = [...text];
    const pieces: string[] = [];
    for (let at = 0; at < chars.length; ) {
      const size = 1 + Math.floor(rnd() * 40);
      pieces.push(chars.slice(at, at + size).join(''));
      at += size;
    }
    return pieces;
  },
  'a line per write, each ending with its newline': (text) => text.split(/(?<=\n)/),
  'every newline a write of its own': (text) => text.split(/(\n)/).filter((piece) => piece !== ''),
  'a character per write': (text) => [...text],
};

describe('textBlocks', () => {
  let host: HTMLElement;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    // The element's own styles, so that both messages are laid out exactly as in <stream-chat>.
    host.attachShadow({ mode: 'open' }).adoptedStyleSheets = [styles.styleSheet!];
    host.shadowRoot!.innerHTML = '<div style="width: 360px"></div>';
  });

  afterEach(() => host.remove());

  /** A message as the element renders it: `part="message assistant"`, holding `content`. */
  function message(content: Node): HTMLElement {
    const div = document.createElement('div');
    div.setAttribute('part', 'message assistant');
    div.append(content);
    host.shadowRoot!.firstElementChild!.append(div);
    return div;
  }

  function blocksOf(blocks: StreamingBody): string[] {
    return [...blocks.root.children].map((block) => block.textContent!);
  }

  for (const [name, text] of Object.entries(corpus())) {
    describe(name, () => {
      for (const [feed, split] of Object.entries(FEEDS)) {
        it(`${feed}: the same text, innerText, copy, line breaks and height as one Text node`, function () {
          // Thousands of layouts of 18,000 characters: 3–4 s in Chromium and Firefox, 12 s in WebKit
          // (its whole suite, not CI's smoke files, timed out here at 10 s).
          this.timeout(40_000);
          const single = new Text(text);
          const expected = renderingOf(message(single));
          const blocks = textBlocks();
          const streamed = message(blocks.root);
          const pieces = split(text);
          let sent = '';
          pieces.forEach((piece, index) => {
            blocks.appendData(piece);
            sent += piece;
            expectSameText(streamed.textContent, sent, `textContent after write ${index + 1} of ${pieces.length}`);
            // innerText lays the message out: only now and then.
            if (index % 25 === 0) {
              single.data = sent;
              expectSameText(streamed.innerText, single.parentElement!.innerText, `innerText after write ${index + 1}`);
            }
          });
          single.data = text;
          expectSameRendering(renderingOf(streamed), expected);
          expectSameText(streamed.innerText, asInnerText(text), 'innerText');
        });
      }
    });
  }

  it('a long answer of many paragraphs is laid out in blocks of about 1 KB or more', () => {
    const text = Object.values(corpus()).join('\n\n');
    const blocks = textBlocks();
    message(blocks.root);
    for (const piece of FEEDS['in random pieces of 1 to 40 characters']!(text)) blocks.appendData(piece);
    const sizes = blocksOf(blocks).map((block) => block.length);
    expect(sizes.length, 'blocks').to.be.above(text.length / 4096);
    expect(Math.min(...sizes.slice(0, -1)), 'the smallest block but the last').to.be.at.least(1024);
  });

  it('ends a block at the line break after 1 KB, and keeps a blank line after it in the next block', () => {
    const blocks = textBlocks();
    message(blocks.root);
    const line = `${'x'.repeat(99)}\n`;
    blocks.appendData(line.repeat(10));
    expect(blocksOf(blocks)).to.have.length(1);
    blocks.appendData(`${line}\n\nnext`);
    expect(blocksOf(blocks)).to.deep.equal([line.repeat(11).slice(0, -1), '\n\nnext']);
    // The "\n" between the two blocks is a Text node of the root of its own.
    expect([...blocks.root.childNodes].map((node) => node.nodeName)).to.deep.equal(['DIV', '#text', 'DIV']);
  });

  it('a write that ends with the line break that ends a block keeps it in the block until more text follows', () => {
    const blocks = textBlocks();
    const streamed = message(blocks.root);
    blocks.appendData(`${'x'.repeat(1100)}\n`);
    expect(blocksOf(blocks)).to.deep.equal([`${'x'.repeat(1100)}\n`]);
    expect(streamed.innerText).to.equal(`${'x'.repeat(1100)}\n`);
    blocks.appendData('y');
    expect(blocksOf(blocks)).to.deep.equal(['x'.repeat(1100), 'y']);
    expect(streamed.textContent).to.equal(`${'x'.repeat(1100)}\ny`);
  });

  for (const [feed, split] of Object.entries(FEEDS)) {
    it(`runs of over 256 letters with no space ${feed}: in Text nodes of 256 (Chromium lays a longer one out in time growing with the square of its length), laid out as the whole message is, with the text, innerText and copy of one Text node`, () => {
      const one = renderingOf(message(new Text(RUNS)));
      const whole = message(new DocumentFragment());
      render(textRenderer.render(RUNS), whole);
      const expected = renderingOf(whole);
      const blocks = textBlocks();
      const streamed = message(blocks.root);
      for (const piece of split(RUNS)) blocks.appendData(piece);
      for (const body of [whole, streamed]) {
        expect(longRuns(body)).to.deep.equal([]);
        expect(body.textContent).to.equal(RUNS);
        // (Not where one Text node draws each letter: no kerning across a cut.)
        const { innerText, copied } = renderingOf(body);
        expect([innerText, copied]).to.deep.equal([one.innerText, one.copied]);
      }
      expectSameRendering(renderingOf(streamed), expected);
    });
  }

  it('a block that holds a run cut into Text nodes ends at the line break after 1 KB', () => {
    const blocks = textBlocks();
    message(blocks.root);
    blocks.appendData('A'.repeat(1100));
    blocks.appendData('\ny');
    expect(blocksOf(blocks)).to.deep.equal(['A'.repeat(1100), 'y']);
    expect(longRuns(blocks.root)).to.deep.equal([]);
  });
});
