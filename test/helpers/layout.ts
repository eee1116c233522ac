import { expect } from '@open-wc/testing';
import { seededRandom as random } from './transcripts.js';

/**
 * What a reader gets from a message, to compare two renderings of the same text: its height, where
 * every character is drawn (relative to the message's box), `innerText`, and the text a copy of the
 * whole message puts on the clipboard.
 */
export interface Rendering {
  height: number;
  /** One entry per character but "\n": the character and its box, `"x 12,0 8"` (left,top width). */
  glyphs: string[];
  innerText: string;
  copied: string;
}

export function renderingOf(message: HTMLElement): Rendering {
  const box = message.getBoundingClientRect();
  const round = (n: number) => Math.round(n * 64) / 64;
  const glyphs: string[] = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(message, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    for (let at = 0; at < node.length; ) {
      const char = String.fromCodePoint(node.data.codePointAt(at)!);
      if (char !== '\n') {
        range.setStart(node, at);
        range.setEnd(node, at + char.length);
        // Its own box: WebKit adds, for the first character of a line after a "\n", an empty box at
        // the end of the line before, which the bounding box would take in.
        const rects = range.getClientRects();
        const rect = rects[rects.length - 1] ?? range.getBoundingClientRect();
        glyphs.push(`${char} ${round(rect.left - box.left)},${round(rect.top - box.top)} ${round(rect.width)}`);
      }
      at += char.length;
    }
  }
  const selection = getSelection()!;
  selection.selectAllChildren(message);
  const copied = selection.toString();
  selection.removeAllRanges();
  return { height: box.height, glyphs, innerText: message.innerText, copied };
}

/** Shows where two strings part, rather than printing both whole. */
function firstDifference(actual: string, expected: string): string {
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, at - 20), at + 20));
  return `differ at ${at} of ${expected.length}: ${around(actual)} instead of ${around(expected)}`;
}

/** `actual` looks, reads and copies the same as `expected`. */
export function expectSameRendering(actual: Rendering, expected: Rendering): void {
  expect(actual.height, 'height').to.equal(expected.height);
  expect(actual.glyphs.length, 'characters drawn').to.equal(expected.glyphs.length);
  const moved = actual.glyphs.findIndex((glyph, i) => glyph !== expected.glyphs[i]);
  if (moved !== -1) expect.fail(`character ${moved} is drawn at ${actual.glyphs[moved]}, not ${expected.glyphs[moved]}`);
  if (actual.innerText !== expected.innerText) expect.fail(`innerText: ${firstDifference(actual.innerText, expected.innerText)}`);
  if (actual.copied !== expected.copied) expect.fail(`copied text: ${firstDifference(actual.copied, expected.copied)}`);
}

/**
 * `text` as this browser's `innerText` gives it back: Firefox's leaves out the bidi formatting
 * characters (U+202A–U+202E, U+2066–U+2069), also of a single Text node, where Chromium keeps them.
 */
export const asInnerText = (() => {
  const probe = document.createElement('div');
  probe.textContent = 'a\u2067b';
  document.body.append(probe);
  const kept = probe.innerText.includes('\u2067');
  probe.remove();
  return (text: string): string => (kept ? text : text.replace(/[\u202A-\u202E\u2066-\u2069]/g, ''));
})();

/**
 * What `innerText` and a selection's `toString()` (`copied`) give after `text` laid out in blocks
 * (`div`s) in `message`, past what they give of the same text in one Text node: nothing in Chromium
 * and Firefox; in WebKit a "\n" when the text does not end with one and anything rendered follows
 * `message` in its tree, even out of the range read (its TextIterator ends a block with a line
 * break unless no renderer comes after it; innerText loses it from WebKit bug 311808 on). Measured
 * with one block in `message`'s place. A reader's copy is the same either way: what they select ends
 * in the text, or past the message, which then ends with a line break in both.
 */
export function afterBlocks(message: HTMLElement, text: string): Pick<Rendering, 'innerText' | 'copied'> {
  const probe = message.cloneNode() as HTMLElement;
  probe.append(document.createElement('div'));
  probe.firstChild!.textContent = 'x';
  message.after(probe);
  const { innerText, copied } = renderingOf(probe);
  probe.remove();
  const after = (read: string) => (read === 'x\n' && !text.endsWith('\n') ? '\n' : '');
  return { innerText: after(innerText), copied: after(copied) };
}

/** Whether the computed `::placeholder` style of a field shows `property: value` set there. */
function placeholderReads(property: 'color' | 'unicodeBidi', css: string, value: string): boolean {
  const host = document.createElement('div');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>::placeholder { ${css} }</style><input placeholder="x">`;
  document.body.append(host);
  const read = getComputedStyle(root.querySelector('input')!, '::placeholder')[property] === value;
  host.remove();
  return read;
}

/**
 * Whether `getComputedStyle(field, '::placeholder')` gives the placeholder's style: WebKit gives
 * the field's own, though it paints the placeholder by the `::placeholder` rules.
 */
export const readsPlaceholderStyle = placeholderReads('color', 'color: rgb(1, 2, 3)', 'rgb(1, 2, 3)');

/**
 * Whether a placeholder takes `unicode-bidi` (and shows it): Firefox takes only the properties of
 * `::first-line` there, and a placeholder reads in its field's direction.
 */
export const placeholderTakesBidi = readsPlaceholderStyle && placeholderReads('unicodeBidi', 'unicode-bidi: plaintext', 'plaintext');

/** `actual === expected`, reported without printing kilobytes of text when it fails. */
export function expectSameText(actual: string | null | undefined, expected: string, what: string): void {
  if (actual !== expected) expect.fail(`${what}: ${firstDifference(actual ?? '', expected)}`);
}


/**
 * Texts whose layout a block split could change: blank lines, leading and trailing newlines,
 * whitespace-only lines, paragraphs longer than a block, CRLF, CJK, emoji, right-to-left text and
 * an unterminated bidi override. Each is several KB, so that it spans several blocks.
 */
export function corpus(): Record<string, string> {
  const rnd = random(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const words = ['stream', 'chat', 'token', 'the', 'of', 'render', 'a', 'frame', 'paragraph', 'layout', 'x', 'value,', 'line.'];
  const sentence = (count: number, list: readonly string[] = words) => Array.from({ length: count }, () => pick(list)).join(' ');
  /** `count` paragraphs of `size()` words (20 to 80 by default), with `separator()` between two. */
  const paragraphs = (count: number, separator: () => string, list?: readonly string[], size = () => 20 + Math.floor(rnd() * 60)) =>
    Array.from({ length: count }, () => sentence(size(), list)).reduce((text, p) => text + separator() + p);
  const cjk = ['数据流', '中文', 'の', 'テスト', '한국어', '汉字。', '流式传输', '東京', '日本語', '👍🏽', '🎉', '🇯🇵', '❤️', '🧑‍💻', 'café', 'naïve'];
  const rtl = ['שלום', 'עולם', 'مرحبا', 'بالعالم', 'abc', '123', 'עברית', 'العربية'];
  return {
    'paragraphs and blank lines': paragraphs(14, () => '\n\n'),
    'single newlines only': paragraphs(60, () => '\n'),
    'runs of 1 to 5 newlines': paragraphs(30, () => '\n'.repeat(1 + Math.floor(rnd() * 5))),
    'leading and trailing newlines': `\n\n\n${paragraphs(12, () => '\n\n')}\n`,
    'several trailing newlines': `${paragraphs(12, () => '\n')}\n\n\n`,
    'whitespace-only lines and indented lines': paragraphs(24, () => pick(['\n   \n', '\n\t\n  ', '\n \n\n  ', '  \n', '\n    '])),
    'paragraphs longer than a block': paragraphs(5, () => pick(['\n', '\n\n']), words, () => 300 + Math.floor(rnd() * 300)),
    'CRLF line endings': paragraphs(30, () => pick(['\r\n', '\r\n\r\n'])),
    'CJK and emoji': paragraphs(30, () => pick(['\n', '\n\n']), cjk),
    'right-to-left text and an unterminated override': paragraphs(30, () => pick(['\n', '\n\u202e', '\n\n\u2067']), rtl),
    'newlines only': '\n'.repeat(40),
  };
}

/**
 * The rules `el` keeps for a browser without a feature (its `@supports not (<condition>)` blocks,
 * `condition` written without spaces, e.g. `overflow-anchor:auto`), as CSS text: to apply them in
 * Chromium, which has the feature, and see what they do.
 */
export function rulesWithout(el: Element, condition: string): string {
  return el
    .shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules])
    .filter((rule): rule is CSSSupportsRule => rule instanceof CSSSupportsRule && rule.conditionText.replace(/\s/g, '') === `not(${condition})`)
    .flatMap((rule) => [...rule.cssRules].map((inner) => inner.cssText))
    .join('');
}

/**
 * A shadow root whose list of adopted sheets is frozen, as it was before Chrome 99 (a FrozenArray:
 * only a new list can be assigned); returns the list as it stands.
 */
export function frozenSheets(root: ShadowRoot): () => readonly CSSStyleSheet[] {
  let sheets: readonly CSSStyleSheet[] = Object.freeze([...root.adoptedStyleSheets]);
  Object.defineProperty(root, 'adoptedStyleSheets', { get: () => sheets, set: (list: CSSStyleSheet[]) => (sheets = Object.freeze([...list])) });
  return () => sheets;
}
