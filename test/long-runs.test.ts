import { expect } from '@open-wc/testing';
import { pieces, words } from '../src/element/long-runs.js';
import { RUNS } from './helpers/long-runs.js';
import { seededRandom } from './helpers/transcripts.js';
import { itWithCdp } from './helpers/cdp.js';

describe('long runs: pieces() and words()', () => {
  it('pieces() gives text without a run of over 256 back as it is', () => {
    const text = `${'A'.repeat(256)} ${'word '.repeat(500)}${'Ä'.repeat(256)}`;
    expect(pieces(text)).to.equal(text);
  });

  it('pieces() gives the same text the same pieces, not looked through again (the log renders every text at each change)', () => {
    const text = `${'A'.repeat(300)} ${Math.random()}`;
    expect(pieces(text)).to.equal(pieces(text.slice(0, 150) + text.slice(150)));
  });

  it('pieces() keeps what it made of a long conversation (1,001 texts of 300), not emptied at each pass, nor more than 4 million characters', () => {
    const texts = Array.from({ length: 1001 }, (_, i) => `${'A'.repeat(290)} ${i} ${Math.random()}`);
    const first = texts.map(pieces);
    // Before, a thousand texts at most: the second pass looked through them all again, as each pass.
    expect(texts.map(pieces).filter((made, i) => made !== first[i])).to.have.length(0);
    // A host setting an answer as it grows to 240 KB: its earlier versions are not all held.
    const grown = Array.from({ length: 60 }, (_, i) => 'A'.repeat(300) + ' x'.repeat(2000 * (i + 1)));
    const made = grown.map(pieces);
    expect(grown.map(pieces).filter((again, i) => again === made[i]).length).to.be.below(60);
  });

  it('pieces() cuts each run of over 256 after 256 characters, a mark kept with its letter', () => {
    const all = pieces(RUNS) as string[];
    expect(all.join('')).to.equal(RUNS);
    expect(all.map((piece) => piece.length)).to.deep.equal([258, 256, 602, 301, 256, 264, 256, 196]);
    for (const piece of all) expect(/[!-~\xa1-\u024f]{257}/.test(piece), piece).to.equal(false);
    expect(all.some((piece) => piece.startsWith('\u0308'))).to.equal(false);
  });

  it('words() cuts as pieces() does, whole and in 50 random cuttings, and goes on a Text node after an element', () => {
    const whole = words(document.createElement('p'), RUNS);
    expect([...whole.childNodes].map((node) => node.textContent)).to.deep.equal(pieces(RUNS));
    const random = seededRandom(5);
    for (let n = 0; n < 50; n++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 40) }, () => Math.floor(random() * RUNS.length)).sort((a, b) => a - b);
      const streamed = document.createElement('p');
      [...cuts, RUNS.length].forEach((at, i, all) => words(streamed, RUNS.slice(i ? all[i - 1] : 0, at)));
      expect(streamed.isEqualNode(whole), `cuts ${cuts.join(',')}`).to.equal(true);
    }
    const after = document.createElement('p');
    words(after, 'A'.repeat(300)).append(document.createElement('b'));
    words(words(after, ''), 'A'.repeat(300));
    expect([...after.childNodes].map((node) => node.textContent!.length)).to.deep.equal([256, 44, 0, 256, 44]);
    // (From the start, wherever a words() of no text left the search.)
    expect(pieces('A'.repeat(300))).to.deep.equal(['A'.repeat(256), 'A'.repeat(44)]);
  });

  // (In Chromium only: WebKit appends 133k Text nodes to one element in time growing with the square
  // of their number, 51-85 s, in one call or in many. cut() is not the cost there: 0.5-0.8 s for
  // the 34 MB, as in Chromium. See docs/performance.md.)
  itWithCdp('words() appends a run of 34 MB, 133k Text nodes of 256 (found in review: as one call’s arguments, a RangeError)', () => {
    const p = words(document.createElement('p'), 'x ' + 'A'.repeat(34e6));
    expect(p.childNodes.length).to.equal(Math.ceil(34e6 / 256));
    expect((p.lastChild as Text).length).to.equal(34e6 % 256);
  });
});
