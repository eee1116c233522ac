import type { BodyRenderer, StreamingBody } from '../body-renderer.js';
import { text, words } from '../long-runs.js';
import { inline, matched, MAX_NESTING, MAX_SPAN, noLink, plain, refdef, settled, unclosed, unescape, type Inline, type Ref, type Refs } from './markdown-inline.js';

/** Options of {@link createMarkdownRenderer}. */
export interface MarkdownOptions {
  /**
   * Renders `![alt](src)` as an `img` when `src` is http(s) or a `data:image/` URL; otherwise, and
   * by default, as its alt text.
   * @defaultValue false
   */
  images?: boolean;
  /**
   * Called once with the `code` element of each finished code block that names a language (the first
   * word of its fence's info string), to highlight it. A block is finished when a later line closed
   * it (its closing fence, or the block after it) or the text ended; a code block inside a list or a
   * quote, when that list or quote is. The open block at the end of a streamed text is not.
   * @defaultValue none
   */
  highlight?: (code: HTMLElement, language: string) => void;
  /**
   * The text of a code block's Copy button.
   * @defaultValue "Copy code"
   */
  copy?: string;
  /**
   * The name of a code block without a language (one with a language is named by it), which a
   * screen reader says as its scroller takes focus.
   * @defaultValue "Code"
   */
  code?: string;
  /**
   * The name of a table whose header cells are all empty (one with a header is named by them), which a
   * screen reader says as its scroller takes focus.
   * @defaultValue "Table"
   */
  table?: string;
}

/** A streamed Markdown body: {@link MarkdownBody.end} settles it once the text is complete. */
export interface MarkdownBody extends StreamingBody {
  /** The text is complete: the last block is final and late reference definitions resolve. */
  end(): void;
}

/**
 * A list marker: its bullet (`*`, `+`, `-`) or, ordered, its delimiter (`.`, `)`), its start number
 * (1 for a bullet), and its item's content indent (columns).
 */
interface Marker {
  ch: string;
  st: number;
  w: number;
}

/**
 * A block of the CommonMark block tree: its type, children, lines (`l`), whether it is open, the
 * lines it starts and ends on, and per type: list `m`/`tight`, code fence char/length/indent and
 * info (`x`), heading level and text (`x`), table header cells and alignments.
 */
interface Block {
  t: string;
  p?: Block;
  c: Block[];
  l: string[];
  o: boolean;
  s: number;
  e: number;
  /** The line it was started on: a table starts on its delimiter row, after its first line. */
  n: number;
  m?: Marker;
  tight?: boolean;
  f?: string;
  fl?: number;
  fo?: number;
  x?: string;
  lv?: number;
  al?: string[];
  hd?: string[];
  /** A table whose header row was the last line of a paragraph: parsed alone, that line may differ. */
  sp?: boolean;
  /** A fenced code block closed by its closing fence: that fence's line. */
  cl?: number;
  /**
   * Its text ends where the stream's does, for now (a paragraph, a heading, a table's last row): 2
   * when white space ends the stream's text, 1 otherwise.
   */
  a?: number;
}

/** The result of {@link parse}: the document, each line's start offset, the complete lines. */
interface Parsed {
  doc: Block;
  ls: number[];
  done: number;
}

const isSp = (c: string | undefined) => c === ' ' || c === '\t';
/**
 * A limit on hostile input, which a model may be made to write (with {@link MAX_NESTING}): a table
 * wider than this is not one (as in md4c). Past it, rendering a table would cost a frame and more.
 */
const MAX_COLUMNS = 128;
/** A table's delimiter row, its trailing spaces and tabs taken off (two runs of them side by side backtracked with the square of the line). */
const DELIM_ROW = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?$/;

/** A table row's cells, split at unescaped pipes, `\|` unescaped. */
const cells = (row: string) =>
  row
    .trim()
    .replace(/^\||(?<!\\)\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.replace(/\\\|/g, '|').trim());

/**
 * Parses Markdown into blocks, line by line, as commonmark.js does: open containers are matched,
 * new blocks started, the rest of the line added to the deepest one. Definitions go to `defs`,
 * first one wins, each with the line its paragraph starts on.
 */
function parse(src: string, defs: Map<string, Ref>): Parsed {
  let no = -1;
  const mk = (t: string, s: number): Block => ({ t, c: [], l: [], o: true, s, e: s, n: no });
  const doc = mk('doc', 0);
  let tip = doc;
  let oldtip = doc;
  let matched = doc;
  let ln = '';
  let off = 0;
  let col = 0;
  let nns = 0;
  /** The line from {@link nns} on. */
  let rest = '';
  let nnc = 0;
  let ind = 0;
  let blank = false;
  let ptab = false;
  /** The container being matched is {@link MAX_NESTING} deep: no quote or list opens in it. */
  let deep = false;

  const next = () => {
    let i = off;
    let c = col;
    let ch;
    while (isSp((ch = ln[i]))) (c += ch === ' ' ? 1 : 4 - (c % 4)), i++;
    blank = !ch;
    nns = i;
    rest = ln.slice(i);
    nnc = c;
    ind = c - col;
  };
  const adv = (n: number, cols?: boolean) => {
    let ch;
    while (n > 0 && (ch = ln[off])) {
      if (ch === '\t') {
        const t = 4 - (col % 4);
        ptab = !!cols && t > n;
        col += ptab ? n : t;
        off += +!ptab;
        n -= cols ? t : 1;
      } else (ptab = false), off++, col++, n--;
    }
  };
  const toNext = () => {
    off = nns;
    col = nnc;
    ptab = false;
  };
  const toEnd = () => (off = ln.length);
  /** Strips the definitions at the start of a paragraph's text; returns what is left. */
  const stripDefs = (b: Block) => {
    let s = b.l.join('\n');
    let n;
    while (s[0] === '[' && (n = refdef(s, (k, h, t) => defs.has(k) || defs.set(k, { h, t, l: b.s })))) s = s.slice(n);
    return s;
  };
  const fin = (b: Block, n: number) => {
    const p = b.p!;
    b.o = false;
    b.e = n;
    if (b.t === 'p') {
      b.x = stripDefs(b);
      // Only definitions: gone, but in a list item still a block (the item goes on after a blank
      // line, and one between it and another block makes the list loose), which renders nothing.
      if (!/\S/.test(b.x)) p.t === 'li' ? (b.t = 'def') : p.c.splice(p.c.indexOf(b), 1);
    } else if (b.t === 'code') {
      if (b.f) b.x = unescape(b.l.shift()!.trim());
      else {
        while (!/\S/.test(b.l.at(-1)!)) b.l.pop();
        // Its last line is its last with text: the blank ones after it separate it from what follows.
        b.e = b.s + b.l.length - 1;
      }
    } else if (b.t === 'li') b.e = b.c.at(-1)?.e ?? b.s;
    else if (b.t === 'list') {
      // Tight: no blank line between two items, or between two blocks of an item.
      b.tight = ![b.c, ...b.c.map((it) => it.c)].some((xs) => xs.some((x, i) => xs[i + 1] && x.e !== xs[i + 1]!.s - 1));
      b.e = b.c.at(-1)!.e;
    }
    tip = p;
  };
  const close = () => {
    for (; oldtip !== matched; oldtip = oldtip.p!) fin(oldtip, no - 1);
  };
  const add = (t: string, s = no) => {
    close();
    while (tip.t === 'list' ? t !== 'li' : tip.t !== 'doc' && tip.t !== 'quote' && tip.t !== 'li') fin(tip, no - 1);
    const b = mk(t, s);
    b.p = tip;
    tip.c.push(b);
    return (tip = b);
  };
  const addLine = () => {
    let t = '';
    if (ptab) off++, (t = ' '.repeat(4 - (col % 4)));
    if (tip.t !== 'table' || off < ln.length) tip.l.push(t + ln.slice(off));
  };
  /** Block starts, in CommonMark order (tables before setext headings): 1 container, 2 leaf. */
  const starts: ((c: Block) => number | undefined)[] = [
    () => {
      if (ind > 3 || rest[0] !== '>' || deep) return;
      toNext();
      adv(1);
      if (isSp(ln[off])) adv(1, true);
      add('quote');
      return 1;
    },
    () => {
      const m = ind < 4 && /^#{1,6}(?:[ \t]+|$)/.exec(rest);
      if (!m) return;
      toNext();
      adv(m[0].length);
      // The closing `#`s: the whole rest (the spaces after the opening ones are consumed), or after a
      // space (one matched: the others are trimmed as it renders; matching them all took a pass each).
      Object.assign(add('h'), { lv: m[0].trim().length, x: ln.slice(off).replace(/(?:^|[ \t])#+[ \t]*$/, '') });
      toEnd();
      return 2;
    },
    () => {
      // (No backtick after a backtick fence's: looked for once, where a lookahead scanned the line per backtick.)
      const m = ind < 4 && /^(?:`{3,}|~{3,})/.exec(rest);
      if (!m || (m[0][0] === '`' && rest.includes('`', m[0].length))) return;
      const b = add('code');
      b.f = m[0][0];
      b.fl = m[0].length;
      b.fo = ind;
      toNext();
      adv(b.fl);
      return 2;
    },
    (c) => {
      const r = rest;
      // (GFM's spaces only, as cmark-gfm's: a row that ends in another blank, a no-break space, is none.)
      let e = r.length;
      while (e && ' \t\v\f'.includes(r[e - 1]!)) e--;
      if (ind > 3 || c.t !== 'p' || !r.includes('|') || !DELIM_ROW.test(r.slice(0, e))) return;
      const al = cells(r).map((x) => (x[0] === ':' ? (x.at(-1) === ':' ? 'center' : 'left') : x.at(-1) === ':' ? 'right' : ''));
      const hd = cells(c.l.at(-1)!);
      if (hd.length !== al.length || hd.length > MAX_COLUMNS) return;
      close();
      c.l.pop();
      const sp = c.l.length > 0;
      if (sp) fin(c, no - 2);
      else c.p!.c.pop(), (tip = c.p!);
      Object.assign(add('table', no - 1), { sp, al, hd });
      toEnd();
      return 2;
    },
    (c) => {
      const m = ind < 4 && c.t === 'p' && /^(?:=+|-+)[ \t]*$/.exec(rest);
      if (!m) return;
      close();
      const x = stripDefs(c);
      c.l = x ? x.split('\n') : [];
      if (!x) return;
      c.t = 'h';
      c.lv = m[0][0] === '=' ? 1 : 2;
      c.x = x;
      toEnd();
      return 2;
    },
    () => {
      // (Its blanks taken out first: a group repeated for each character took JavaScriptCore 2 s on a line of 40k `- `.)
      if (ind > 3 || !/^([-*_])\1\1+$/.test(rest.replace(/[ \t]/g, ''))) return;
      add('hr');
      toEnd();
      return 2;
    },
    (c) => {
      // A list marker at the next non-space, consumed with the spaces after it (after it a space or
      // a tab, or the line's end).
      const m = ind < 4 && !deep && /^(?:[*+-]|(\d{1,9})[.)])(?![^ \t])/.exec(rest);
      if (!m) return;
      const st = +(m[1] ?? 1);
      const k = m[0].length;
      // (In a paragraph, only a bullet or a 1, and with text after it.)
      if (c.t === 'p' && (st !== 1 || !/\S/.test(rest.slice(k)))) return;
      const d: Marker = { ch: m[0].at(-1)!, st, w: ind };
      toNext();
      adv(k, true);
      const sc = col;
      const so = off;
      do adv(1, true);
      while (col - sc < 5 && isSp(ln[off]));
      const n = col - sc;
      if (n > 4 || n < 1 || off >= ln.length) {
        d.w += k + 1;
        col = sc;
        off = so;
        if (isSp(ln[off])) adv(1, true);
      } else d.w += k + n;
      close();
      // A list goes on with items of the same bullet or delimiter (so also ordered or not).
      if (tip.t !== 'list' || tip.m!.ch !== d.ch) add('list').m = d;
      add('li').m = d;
      return 1;
    },
    () => {
      if (ind < 4 || tip.t === 'p' || blank) return;
      adv(4, true);
      add('code');
      return 2;
    },
  ];
  /** Whether an open block goes on with this line: 0 yes, 1 no, 2 the line is used up. */
  const goesOn = (b: Block) => {
    switch (b.t) {
      case 'quote':
        if (ind > 3 || rest[0] !== '>') return 1;
        toNext();
        adv(1);
        if (isSp(ln[off])) adv(1, true);
        return 0;
      case 'li':
        if (blank) {
          if (!b.c.length) return 1;
          toNext();
        } else if (ind >= b.m!.w) adv(b.m!.w, true);
        else return 1;
        return 0;
      case 'code':
        if (b.f) {
          const m = ind < 4 && rest[0] === b.f && /^(`{3,}|~{3,})[ \t]*$/.exec(rest);
          if (m && m[1]!.length >= b.fl!) return fin(b, no), (b.cl = no), 2;
          for (let i = b.fo!; i && isSp(ln[off]); i--) adv(1, true);
        } else if (ind > 3) adv(4, true);
        else if (blank) toNext();
        else return 1;
        return 0;
      case 'p':
      case 'table':
        return +blank;
      case 'list':
        return 0;
    }
    return 1;
  };
  const line = (s: string) => {
    ln = s.replace(/\0/g, '\ufffd');
    no++;
    off = col = 0;
    ptab = false;
    let c = doc;
    let last;
    oldtip = tip;
    while ((last = c.c.at(-1))?.o) {
      c = last;
      next();
      const r = goesOn(c);
      if (r === 2) return;
      if (r) {
        c = c.p!;
        break;
      }
    }
    const allClosed = c === oldtip;
    matched = c;
    let leaf = c.t === 'code';
    while (!leaf) {
      next();
      let r;
      if (ind < 4 && !/^[#`~*+_=<>\d|:-]/.test(rest)) break;
      let depth = 0;
      for (let b = c; (b = b.p!); ) depth++;
      deep = depth >= MAX_NESTING;
      for (const f of starts) if ((r = f(c))) break;
      if (!r) break;
      c = tip;
      leaf = r > 1;
    }
    if (!leaf) toNext();
    if (!allClosed && !blank && tip.t === 'p') addLine();
    else {
      close();
      if (c.t === 'code' || c.t === 'p' || c.t === 'table') addLine();
      else if (off < ln.length && !blank) add('p'), toNext(), addLine();
    }
  };
  const ls: number[] = [];
  const re = /\r\n?|\n/g;
  let a = 0;
  for (let m; (m = re.exec(src)); a = re.lastIndex) ls.push(a), line(src.slice(a, m.index));
  const done = ls.length;
  if (a < src.length) ls.push(a), line(src.slice(a));
  while (tip !== doc) fin(tip, no);
  return { doc, ls, done };
}

/** A GFM task's marker, which starts a list item's first paragraph. */
const TASK = /^\[([ xX])\](?=[ \t\n])/;

/** A paragraph's or heading's text without the spaces and tabs around it: a full-width or no-break space it starts with stays (Japanese paragraphs start with one). */
const edges = (s: string) => s.replace(/^[ \t]+/, '').trimEnd();

/** An element with fixed attributes (a null or undefined value leaves one out), appended to `parent`. */
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, parent?: ParentNode | 0, attrs: Record<string, string | null | undefined> = {}) => {
  const e = document.createElement(tag);
  for (const k in attrs) if (attrs[k] != null) e.setAttribute(k, attrs[k]!);
  if (parent) parent.append(e);
  return e;
};
/**
 * A scroller (a code block's `pre`, a table's wrap) takes focus, so that a keyboard scrolls a line
 * wider than the answer: a finished one only while it scrolls (-1 otherwise: a click or script still
 * focuses it), once it is laid out and as its size changes (a narrower window), and no longer once out
 * of the page. Twenty answers with a code block and a table that fit made forty stops, each a
 * focusable without a name. Until it is laid out it is one: under `content-visibility: auto`, out of
 * view, it may not be before Tab reaches it, and one that scrolls must be reached (those that fit
 * are left as stops there). One still streaming is one: what it holds may yet grow wider, which its
 * size does not tell. So is every one where nothing is laid out: jsdom has no ResizeObserver.
 * Watched by the observer of its window: one of another's (a Picture-in-Picture window, a frame)
 * reported a loop error every frame once that document was gone. One out of the page is let go as
 * it reports, or, taken out at 0 × 0 (a hidden chat's answers replaced by another tab's or the
 * host's), which it never reports, at the next report of any, as one observed since is reported,
 * or as its element leaves the page ({@link letGoScrollers}; it was held with its answer for the
 * page's life): a tab stop again, as one not laid out is, so that put back (the element moved), no
 * longer watched, it is one while it may scroll, until its element observes it again.
 */
const fit: ResizeObserverCallback = (all, observer) => {
  letGoScrollers();
  for (const { target } of all) {
    // Its content (a code block's `code`, a table) is observed too, once the scroller has reported:
    // its text may widen in the same box (a web font arriving, a theme's wider letters), which the
    // scroller's size does not tell. Either reporting sets the scroller's stop.
    const t = (target.hasAttribute('tabindex') ? target : target.parentElement) as HTMLElement;
    const Observer = t.isConnected && t.ownerDocument.defaultView?.ResizeObserver;
    if (Observer && observer instanceof Observer) (t.tabIndex = t.scrollWidth > t.clientWidth ? 0 : -1), t === target && observer.observe(t.firstChild as Element);
    else observer.unobserve(t), observer.unobserve(t.firstChild as Element), held.delete(t), abroad.get(t)?.disconnect(), Observer && abroad.set(t, new Observer(fit)).get(t)!.observe(t);
  }
};
let sized: ResizeObserver | undefined;
/**
 * The observer of its own window a scroller shown in another window was handed to, the one it has:
 * its chat put back there is held again (FollowEnd's `hostConnected`) and handed over again, and each
 * time one more observed it.
 */
const abroad = new WeakMap<Element, ResizeObserver>();
/**
 * What {@link sized} observes. Not one another window's observer took (its document may go with its
 * nodes still in it, connected there).
 */
const held = new Set<HTMLElement>();
/** Unobserves the scrollers out of the page (see {@link fit}). */
export const letGoScrollers = (): void => {
  for (const s of held) if (!s.isConnected) sized!.unobserve(s), sized!.unobserve(s.firstChild as Element), held.delete(s), (s.tabIndex = 0);
};
/** Observes a scroller (see {@link fit}), also one let go and shown again (see FollowEnd's `hostConnected`). */
export const holdScroller = (s: HTMLElement): void => void (globalThis.ResizeObserver && ((sized ??= new ResizeObserver(fit)).observe(s), held.add(s)));
const scroller = <T extends HTMLElement>(s: T, final: boolean) => {
  s.tabIndex = 0;
  if (final) holdScroller(s);
  return s;
};
/**
 * The URL with controls and spaces removed, and also with its ASCII percent-escapes decoded (a
 * scheme is ASCII; other escapes, even undecodable ones, cannot make one): what a browser may see.
 */
const seen = (u: string) =>
  [u, u.replace(/%([0-7][\da-f])/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))].map((x) => x.replace(/[\x00-\x20\x7f]+/g, ''));
/**
 * A link: to an http(s), mailto or tel URL, or a relative one on an http(s) page (it takes the page's
 * scheme: on a `file:` page, an Electron app's, `//host/share` opens a file share); not one holding
 * a bidi embedding, override or isolate (percent-encoded here), which an autolink shows as its text,
 * reordered: `https://x.test/\u202Eexe.gnp` reads as "https://x.test/png.exe".
 */
const linkOk = (u: string) =>
  !/%E2%80%A[A-E]|%E2%81%A[6-9]/i.test(u) && seen(u).every((x) => /^(?:https?|mailto|tel):/i.test(/^[a-z][a-z\d+.-]*:/i.test(x) ? x : document.baseURI));
const imageOk = (u: string) => seen(u).every((x) => /^(?:https?:|data:image\/)/i.test(x));

/**
 * A streamed paragraph's text without what may yet be something else at its end: an entity, an
 * escape, a tag or an autolink begun (`&nbs`, `\`, `<br`, `<htt`; not `\&` nor `\\`, escapes
 * whole, and before `\\&nbs` the whole escape stays) wait; an autolink shows its address without
 * its `<`; openers with nothing after them yet, `**`, `[`, `**[`, `[*` or `![` (not `2*`, nor `!`
 * alone; but a backtick run after anything but a backslash, `` don` `` or `` 2*` ``, which showed
 * a code span of a space) wait: a run of them with no `!` but an image's, or one that may yet be
 * (its last, after another: `` `! `` showed a code span that went at `[`). (The run is one class: a
 * group repeated, `(?:[*_~`[]|!\[)+`, JavaScriptCore (Safari) backtracked over 80k `[` in 0.4 s,
 * each frame. A backtick run is tried from its first backtick only: from each, a line of 40k
 * backticks and words took seconds a piece.)
 */
const begun = (s: string) =>
  s
    .replace(/(?<!\\)((?:\\\\)*)(?:&#?\w{0,31}|\\)$|<(?:[\w.+-]*|br ?\/?)$/i, '$1')
    .replace(/<(?=(?:https?|mailto):[^\s<>]*$|[\w.+-]+@[^\s<>]*$)/i, '')
    .replace(/(^|[^\w*_~`\\[!])[*_~`[!]+$/, (m, b: string) => (/!(?=[^[])/.test(m) || m == b + '!' ? m : b))
    // (A `[` after a word, `arr[`, and what follows it with no letter, digit or space yet, a footnote's
    // `[^`, `row['`, `env["`, too: a letter after them hides the `[`. Bounded, it is matched from the
    // end: unbounded, V8 tried it from each character of the tail, each frame.)
    .replace(/(?<!\\)\[[^\p{L}\p{N}\s[\]`]{0,31}$/u, '')
    .replace(/(?<![\\`])`+$/, '')
    .trimEnd();
/**
 * Whether the word that ends at `k` in `s` (after its last space or line break before `k`) is taken
 * for a URL: it holds `www.` or `://` (see {@link ending}).
 */
const urlWord = (s: string, k: number) => /www\.|:\/\//.test(s.slice(Math.max(s.lastIndexOf('\n', k), s.lastIndexOf(' ', k)) + 1, k));
/** What shows of a streamed paragraph's text: what {@link begun} and a URL's last `*` leave. */
const ending = (s: string) => {
  s = begun(s);
  // A URL's last `*`, `_` or `~` (and what it ends in after it that is no URL's: `*)`, `*;`)
  // waits: more of the URL after it makes it the URL's, a space a closer, and shown as either it was
  // emphasis shown, taken away and shown again (`a*www.x*`, `a*www.x*q`, `a*www.x*q*`). A word with
  // `www.` or `://` in it is taken for a URL (looking for them as GFM has them took WebKit 0.3 s a
  // frame on a line of 50k `_www.`; what waits for nothing shows a character later), a word as a
  // paragraph's settled part ends, at a space or a line break: the words after it are parsed alone.
  // What is left waits as any text so far does: `my\_` ends in an escape begun, and the hold looks
  // past what waits at the end, `*&`, as a `&` may yet be the URL's, and past an entity, `*&amp;`,
  // which a URL does not end in either. Not in a link's destination, where it is the destination's
  // (`[a](https://x.test/a*)` was a link only a character later).
  let k = s.length;
  while (/[?!.,:;*_~'")\]]/.test(s[k - 1]!)) k -= /&\w+;$/.exec(s.slice(Math.max(0, k - 33), k))?.[0].length ?? 1;
  const t = k + s.slice(k).search(/[*_~]/);
  return t >= k && urlWord(s, k) && !DEST.test(s.slice(0, t)) ? begun(s.slice(0, t)) : s;
};
/**
 * The backtick run of a code span still open at the end of `s`: the first with none as long after
 * it (```` ``a ` b ```` is one span, closed by what its half closer lacks), or none. As
 * {@link inline} has it, a run with no closer within {@link MAX_SPAN} characters is text.
 */
const openCode = (s: string) => {
  const rs = [...s.matchAll(/`+/g)];
  /** Per run, the next as long (-1: none); per length, the first of them after the one looked at. */
  const next: number[] = [];
  const first: Record<string, number> = {};
  for (let i = rs.length; i--; ) (next[i] = first[rs[i]![0]] ?? -1), (first[rs[i]![0]] = i);
  for (let i = 0; i < rs.length; i++) {
    const j = next[i]!;
    if ((j < 0 ? s.length : rs[j]!.index + rs[j]![0].length) - rs[i]!.index <= MAX_SPAN - +(j < 0)) {
      if (j < 0) return rs[i]![0];
      i = j;
    }
  }
  return '';
};
/**
 * A link's destination, `<…>` or holding pairs of parentheses, `Foo_(bar)`, maybe still open. Its
 * characters between pairs as one class, not a group repeated for each: JavaScriptCore took 0.3 s a
 * frame on an image's data URL of 100k arriving.
 */
const TO = String.raw`(?:<[^<>\n\\]*>?|(?:[^\s()<]|\([^\s()]*\))[^\s()]*(?:\([^\s()]*\)[^\s()]*)*(?:\([^\s()]*)?)`;
/** A link's destination arriving at the end of the text, maybe then a title; or a title alone. */
const DEST = new RegExp(String.raw`\]\(\s*(?:${TO}(?:\s+(?:"[^"]*"?|'[^']*'?|\([^()]*\)?))?|(?:"[^"]*"?|'[^']*'?|\([^()]*\)?))?$`);
/**
 * A link's text arriving at the end of the text (`[`, its text or a citation, `[1]`, maybe its `]`).
 * (No code span nor escape in a citation: `` [[`1` `` showed `[[1`, then `[1]` as its span closed.)
 */
const TEXT = /(?:^|[^\\])\[([^\][]*|\[[^\p{L}\][\n\\`]*\]?)(\]?)$/u;
/** One that runs over the end of the text, where {@link DEST} may go on with the text after it. */
const DEST_ON = new RegExp(String.raw`\]\(\s*(?:${TO}\s+)?(?:"[^"]*|'[^']*|\([^()]*)?$`);
/**
 * Whether a streamed paragraph's text `s` (ending in a line break, a space or a word cut inside)
 * shows the same whatever follows it, so that what follows can be built alone after its nodes:
 * {@link settled}, and nothing the stream's end is looked for in reaches into it (a code span as
 * {@link openCode} counts it, a destination or title running on or, cut inside a word, arriving, a
 * `[` with no bracket after it, a `<br` tag's spaces).
 */
const stays = (s: string, ref: Refs, x?: string | false, loose?: boolean) => {
  // With `loose` (no `]` after it yet), a `[` shown already, no link's text as span
  // has it, over 100 characters or a line back and not after a URL's word, is no bar (see fixed's `r`).
  const o = /(?:^|[^\\])\[([^\][]*)$/.exec(s);
  const shown = !!loose && !!o && long(o[1]!) && !urlWord(s, o.index + o[0].length - o[1]!.length - 1);
  return settled(s, ref, x, shown) && !openCode(s) && !DEST_ON.test(s) && !DEST.test(s) && (shown || !o) && !/<br *$/i.test(s);
};

/**
 * Whether the text after an open `[` is shown as text while it streams, not held as a link's text
 * arriving: over 100 characters, or with text on a line after it (see the link's hold in
 * {@link renderer}); {@link stays} lets a paragraph settle past such a `[` for the same reason.
 */
const long = (text: string) => text.length > 100 || /\n\s*\S/.test(text);

/** Renders one parse of the text: blocks to DOM, inline content through `ref`; `final` blocks are finished. */
function renderer(opts: MarkdownOptions, ref: Refs, final = true) {
  const inl = (p: ParentNode, xs: Inline[]) => {
    for (const x of xs) {
      if (typeof x === 'string') words(p, x);
      else if (x.t === 'br') el('br', p), text(p, '\n');
      else if (x.t === 'code') words(el('code', p), x.s!);
      else if (x.t === 'img') {
        const alt = plain(x.c!);
        // (No Referer: the page's address is not the image server's to know.)
        if (opts.images && imageOk(x.h!)) el('img', p, { referrerpolicy: 'no-referrer', src: x.h, alt, title: x.ti || null });
        else words(p, alt);
      } else if (x.t === 'a') {
        inl(linkOk(x.h!) ? el('a', p, { href: x.h, title: x.ti || null, rel: 'noopener noreferrer', target: '_blank' }) : p, x.c!);
      } else inl(el(x.t as 'em', p), x.c!);
    }
    return p;
  };
  /**
   * Inline content (`s` trimmed). With `a` (the text ends where the stream does, for now), what is
   * open there closes there for the frame: a link or image whose destination is arriving shows its
   * text (an image its alt text), not its markup nor a link to half an address; a code span and
   * emphasis show as they will be, not as backticks and asterisks that go. Only when every closer
   * added closed something (else the text shows as written).
   */
  const span = (p: ParentNode, s: string, a?: boolean | number) => {
    let t = s;
    let link;
    let hold;
    let parsed: [string, Inline[]] | undefined;
    /** Where what the frame adds for a link arriving starts. */
    let f;
    if (a) {
      s = begun(s);
      // (White space after it, last or before what waits: its last run's role is decided, below, and
      // its last word is whole, a URL in it too: the URL's last `*` or `.` waits only before that, and
      // the URL shows linked, see unlink below. The text comes trimmed: `www.x.test ` was unlinked,
      // `www.x.test/a* ` without its `*`, until the next word came.)
      const w = s === t ? a === 2 : /\s/.test(t[s.length]!);
      if (!w) s = ending(t);
      // (In a code span, only its closer: what looks like a link's or bold's opener there is its text.)
      const code = openCode(s);
      // (A citation marker arriving, `[1](@re`, shows as it will, `[1]` (Hunyuan's: see closeBracket
      // in markdown-inline.ts): no letter in its text, and its destination may yet be `@ref`.)
      const cite = !code && /(?:^|[^\\])\[[^\p{L}\][\n]*\](\((?:@(?:r(?:ef?)?)?)?)$/u.exec(s);
      if (cite) s = s.slice(0, -cite[1]!.length);
      // (The backticks it ends with, counted back: `/`*$/` tried the run from each of its backticks, a
      // time its length squared, and Firefox threw "too much recursion" on a run of 40k.)
      let n = s.length;
      while (s[n - 1] === '`') n--;
      // (Arriving in the whole text too: `[a](u ![` is none, though with its `![` waiting it looks so.
      // Looked for there only once found in what is shown: the whole text is longer.)
      const d = !code && DEST.exec(s);
      const dest = d && (s === t || DEST.test(t)) && d;
      // (Or whose text is arriving, `[the do` or `[the docs]`, when it holds a letter: `[1]` may be a
      // citation; or a citation, `[[1]]`, a link's text as models write it, `[[1]](https://…)`, whose
      // outer brackets showed until its `(`, its `[` the outer one. In the whole text too: `[a a]![`,
      // its `![` waiting, is none.)
      // (Not a `[` in a code span, which is its text: `[`, then an address, had `]()` after it.)
      const x = !dest && TEXT.exec(code ? s.slice(0, s.lastIndexOf('`') + 1) : s);
      const j = x && !code ? x.index + x[0].length - x[1]!.length - x[2]!.length - 1 : s.lastIndexOf('[');
      let text = !dest && !openCode(s.slice(0, j)) && x;
      // (With no letter, or a code span open in it, right after a URL's word, which it ends if it
      // makes a link, it still holds the URL unlinked: `www.x.test[ ` showed `www.x.test[` linked,
      // `www.x.test[ a` not; `` www.x[`a `` linked, `` www.x[`a`1 `` not. With a code span open, as
      // a text of none: a `]` after its opener may be the span's, and `` http://x[`]! `` showed the URL
      // linked, `` http://x[`] `` and `` http://x[`]![ `` not. Before the whole text is looked at:
      // `[1, 2](`, its `(` waiting as a citation's, held nothing. Nor one over 100 characters, longer
      // than 99.6% of 128k links' texts in 1,274 Markdown files, or with text on a line after it:
      // `[a, b) is` or `foo[bar` in prose, no link, showed no `[` until the paragraph ended. A link's
      // text that long, or wrapped, shows its `[` and loses it at its `](`: rarer.)
      if (text && (code || !/[\p{L}[]/u.test(text[1]!) || long(text[1]!))) (hold = urlWord(s, j)), (text = null);
      if (text && s !== t && TEXT.exec(t)?.index !== text.index) text = null;
      // (Nor one whose text holds a pair of brackets, a `[` of which is in the URL's word, which it
      // held as a text of none: `http://x[[]\n]` showed the URL linked, then not at `(`, then again.)
      hold ||= !text && !dest && !code && /(?:^|[^\\])\[[^\][]*(?:\[[^\][]*\][^\][]*){1,50}\]?$/.test(s) && urlWord(s, j);
      link = dest || text;
      a = !w;
      // (Its destination and title go for the frame: `[text]()` is a link, shown as its text. A code
      // span gets what its closer lacks, or, as its text, a space after its opener last and its
      // closer after the backticks it ends with that cannot be one, which wait: shown as written, the
      // span went for a frame, `` `\n`` with `![` waiting after it, `` `w`` `` after `` `w` ``. Half a
      // closer, `**Step 1*` or `~~old~`, waits for its other half; an escaped `\*` is no half.)
      const r = s.length - n - code.length;
      t = dest ? s.slice(0, dest.index) + ']()' : code ? (r < 0 ? s + code.slice(r) : (r ? s.slice(0, n) : s + ' ') + code) : s.slice(0, s.length - (text ? text[2]!.length : 0));
      if (dest) f = dest.index;
      const half = dest || code ? t : t.replace(/([^\s*_~\\]|\\[*_~])[*_~]+$/, '$1');
      // (Emphasis still open closes: in the link text arriving, there. The last 8 at most: a line of
      // `_www.` had thousands, nested as deep.) A run last that no closer is added for waits too, as
      // written: the next character may change what it closes (`)**a*` closed italics, `)**a*w`
      // none, `)**a*w*` closed them again; `]*]w*`, `]*]w**`, `]*]w***` the same). Not once white
      // space follows it (not in a link's text, where `]()` is added after it): `snake_case_ ` shows
      // its `_`, as what follows cannot change it.
      let open: [number, string][] = [];
      if (/[*_~]/.test(half)) parsed = [half, inline(half, ref, open, f)];
      // Nor a link's text whose `[` emphasis opened before it closes after: made, the link would take
      // it away, and it came back at the end (`*a [b c` italics, `*a [b c* d` none). As no link's: its
      // `[` shows.
      if (text && parsed && matched.some(([a, b]) => a < j && j < b)) (hold = urlWord(s, j)), (link = text = null);
      // Not one in a link's text whose `](` made no link: the link may yet be made (`t[_x](`, where
      // it shows none), or not (`t[_x](u [`): shown only once closed, it is not shown, taken away
      // and shown again.
      if ((open = open.slice(-8).filter(([i]) => !noLink.some(([a, b]) => a < i && i < b))).length) t = half;
      else if (half !== t && (!w || text)) t = s = half;
      const at = text ? j : t.length;
      const closers = (inner: boolean) => open.filter(([i]) => i > at === inner).reverse().map(([, d]) => d).join('');
      // (Those in it before the white space it ends in, if any, where a closer closes nothing: `[*a\n]`
      // showed `*a` as written between frames with italics.)
      const e = t.trimEnd();
      if (text) f = e.length;
      t = e + closers(true) + t.slice(e.length) + (text ? ']()' : '') + closers(false);
    }
    // With closers, parsed as written only when one closed nothing (it would be the text's end),
    // then with no link arriving: a bare URL last in it still waits (`f(x)](https://x.te` was
    // linked as it grew). (Nothing added to what was parsed to find them: that parse is the one.)
    let xs = parsed?.[0] === t ? parsed[1] : inline(t, ref, undefined, f);
    if (t !== s && typeof xs.at(-1) !== 'object') (xs = inline(s, ref)), (link = 0);
    // The link (last in the text, maybe in bold) shows its text alone; so does a URL or an email
    // address bare in the last word, which may yet grow (`https://x.test/do` → `/docs`), unless the
    // word is whole: `www.x\n![` showed it unlinked, the `![` waiting, between frames linking it.
    // One right before the link's text may yet run on into it, white space or not, until the link is
    // made or is none: `www.x[w` showed `www.x` linked, the `[w` a link's text, then none at
    // `www.x[w[`, the URL's; `www.x[a a` showed `www.x` linked, `www.x[a a]b` then `www.x[a`.
    if (hold) unlink(xs, 2);
    if (link || a) unlink(xs, +!link);
    return inl(p, xs);
  };
  /**
   * Replaces the last link or image in `xs` before `to` (maybe in bold, before more of its word) with
   * its text, and then a bare address right before it, out of the emphasis it is in too (`http://x<*[a`
   * showed the URL linked, not at `]a`, the link none); with `bare` 1, only a bare address; with 2,
   * the bare one holding the last `[`, past white space and code spans after it (not past that `[`:
   * one before it in the text is another's).
   */
  const unlink = (xs: Inline[], bare: number, to = xs.length): unknown => {
    for (let i = to, r; i--; ) {
      const z = xs[i]!;
      if (typeof z !== 'object') {
        if (bare < 2 ? /\s/.test(z) : z.includes('[')) return 1;
      } else if ((z.t === 'a' || z.t === 'img') && (!bare || (z.b && (bare < 2 || plain(z.c!).includes('['))))) return xs.splice(i, 1, ...(z.t === 'a' ? z.c! : [plain(z.c!)])), !!bare || unlink(xs, 1, i) || 2;
      // (A link made ends the word a bare one is looked for in: `http://x[a](u)` was unlinked for a frame.)
      else if (!z.c || (bare == 1 && (z.t === 'a' || z.t === 'img')) ? bare < 2 : (r = unlink(z.c, bare))) return r === 2 ? unlink(xs, 1, i) || 2 : 1;
    }
  };
  const block = (b: Block, tight?: boolean, li?: HTMLElement | boolean): Node => {
    const kids = (e: HTMLElement) => (b.c.filter((x) => x.t !== 'def').forEach((x, i) => e.append(block(x, x.t === 'li' ? b.tight : b.t === 'li' && tight, x.t === 'li' ? el('li') : b.t === 'li' && !i))), e);
    switch (b.t) {
      case 'p': {
        // In a list item, a GFM task marker starts its first paragraph; a tight item holds no `p`.
        const task = li && TASK.exec(b.x!);
        const p = tight ? document.createDocumentFragment() : el('p');
        const box = task && el('input', p, { type: 'checkbox', disabled: '', checked: task[1] !== ' ' ? '' : null });
        span(p, task ? b.x!.slice(3).trimEnd() : edges(b.x!), b.a);
        // Named by its item's text, as a checkbox must be (what it marks done).
        if (box) box.setAttribute('aria-label', p.textContent!.trim());
        return p;
      }
      case 'h':
        return span(el(('h' + b.lv) as 'h1'), edges(b.x!), b.a);
      case 'hr':
        return el('hr');
      case 'quote':
        return kids(el('blockquote'));
      case 'li':
        return kids(li as HTMLElement);
      case 'list':
        return kids(el('.)'.includes(b.m!.ch) ? 'ol' : 'ul', 0, { start: b.m!.st !== 1 ? '' + b.m!.st : null }));
      case 'code': {
        const wrap = el('div', 0, { part: 'code-block' });
        const head = el('div', wrap, { part: 'code-header' });
        const lang = b.x?.split(/\s+/)[0] ?? '';
        const language = text(el('span', head, { part: 'code-language' }), lang);
        // (Its own direction: the message's dir="auto" skips it, and takes no direction from its label.)
        const copy = text(el('button', head, { part: 'copy', type: 'button', dir: 'auto' }), opts.copy ?? 'Copy code');
        // Described by the language, which tells one block's Copy from another's, as a screen reader
        // lists or meets them (by reference, not an id: a block is built again as it streams).
        if (lang) copy.ariaDescribedByElements = [language];
        // A group named by its language, as its header shows it: what a screen reader says as the
        // scroller takes focus (a generic with no name before); with none, by the word for code (a
        // bare "group" before, which says nothing of what takes focus). Not a region, as a table's
        // is not (below).
        const code = el('code', scroller(el('pre', wrap, { role: 'group', 'aria-label': lang || (opts.code ?? 'Code') }), final), { class: lang ? 'language-' + lang : null });
        if (final) text(code, codeText(b));
        else for (const lines of chunks(b)) text(el('div', code), lines);
        if (final && lang) opts.highlight?.(code, lang);
        return wrap;
      }
    }
    const wrap = scroller(el('div', 0, { part: 'table-wrap', role: 'group' }), final);
    const table = el('table', wrap);
    const head = el('thead', table);
    // (Out of the table when it has no rows.)
    const body = el('tbody', b.l.length && table);
    // The header row, then the others; the last while the stream is in it has its last cell where the
    // text has got to, as a paragraph's end (white space after it too), unless a pipe closed it.
    const a = !/(?<!\\)\|\s*$/.test(b.l.at(-1)!) && b.a;
    [b.hd!, ...b.l.map(cells)].forEach((cs, r) => {
      const tr = el('tr', r ? body : head);
      b.al!.forEach((al, i) => span(el(r ? 'td' : 'th', tr, { class: al ? 'align-' + al : null }), cs[i] ?? '', r && r === b.l.length && i === cs.length - 1 && a));
    });
    // A group named by its header row: what a screen reader says as the scroller takes focus (a
    // generic with no name before). Not a region: a landmark each, two tables with one header row
    // failed axe's landmark-unique, and a long conversation's landmarks would be its tables. Its
    // empty cells left out (a timetable's corner: ", Mon, Tue" before); all empty, by the word for a
    // table, as a code block without a language is named (a bare "group" before).
    wrap.setAttribute('aria-label', [...head.querySelectorAll('th')].map((th) => th.textContent).filter(Boolean).join(', ') || (opts.table ?? 'Table'));
    return wrap;
  };
  return Object.assign(block as (b: Block) => HTMLElement, { span });
}

/**
 * Makes `n`'s nodes from its `o`th on the nodes `now`: those equal kept, and the text it changed in
 * grown (a paragraph of words is one): extended, as the text renderer's is, not put in again whole,
 * a paragraph's length written and laid out a piece; the rest replaced.
 */
function grow(n: Element, now: Node[], o = 0): void {
  const kids = n.childNodes;
  let k = o;
  while (kids[k]?.isEqualNode(now[k - o]!)) k++;
  const t = kids[k];
  const x = now[k - o];
  if (t instanceof Text && x instanceof Text && x.data.startsWith(t.data)) t.appendData(x.data.slice(t.length)), k++;
  while (kids.length > k) n.lastChild!.remove();
  n.append(...now.slice(k - o));
}

const rootDiv = () => el('div', 0, { class: 'markdown' });
/**
 * A right-to-left letter or mark, or a character reference that may be one: only an answer with one
 * gives each block the direction of its own first letter (class `bidi`, `unicode-bidi: plaintext`),
 * which Chromium lays out in 1.6 to 2 times an isolated block's time (a long paragraph, each frame).
 */
export const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067\ud802\ud803\ud83a\ud83b]|&#|&rlm/;
/** Marks `root` for {@link RTL} in `text`. */
const bidi = (root: HTMLElement, text: string) => RTL.test(text) && root.classList.add('bidi');

/**
 * Top-level blocks per group. A full group skips layout and paint while out of view
 * (`content-visibility: auto`, class `full` in the element's styles), so the frames of a long answer
 * do not grow with it; the same grouping one-piece and streamed keeps the two DOMs equal.
 */
const GROUP = 32;

/** Places `node` as top-level block number `index` of `root`, in group `index / GROUP`. */
function place(root: HTMLElement, index: number, node: HTMLElement): HTMLElement {
  const group = (root.children[(index / GROUP) | 0] as HTMLElement | undefined) ?? el('div', root, { class: 'group' });
  group.append(node);
  if (group.childElementCount === GROUP) group.className = 'group full';
  return node;
}

/** Takes a placed block out again: its group is no longer full, or goes when it is empty. */
function unplace(node: HTMLElement): void {
  const group = node.parentElement!;
  node.remove();
  if (group.firstChild) group.className = 'group';
  else group.remove();
}

/**
 * Makes `was`, an open block's node, what `now`, that block built finished, is, keeping the nodes of
 * `was` that are the same: what differs is replaced by `now`'s. False when `was` itself differs. A
 * scroller kept is watched for its tab stop in place of `now`'s (let go: its content is `was`'s now).
 */
const adopt = (was: Node, now: Node): boolean => {
  // (A code block's `code` whole: the one the highlighter was given.)
  if (!was.cloneNode().isEqualNode(now.cloneNode()) || was.childNodes.length !== now.childNodes.length || was.parentNode?.nodeName === 'PRE') return false;
  const kids = [...now.childNodes];
  was.childNodes.forEach((k, i) => adopt(k, kids[i]!) || k.replaceWith(kids[i]!));
  if (was instanceof HTMLElement && was.hasAttribute('tabindex')) {
    if (held.delete(now as HTMLElement)) sized!.unobserve(now as Element);
    holdScroller(was);
  }
  return true;
};

/** A code block's text: each line ended by a newline (an indented block's, the last one too, even with no lines). */
const codeText = (b: Block) => (b.f && !b.l.length ? '' : b.l.join('\n') + '\n');
/**
 * An open code block's text in pieces of 64 lines, each a block of its own (a `div`), so that a line
 * added lays out its piece again, not the whole block: one text of 78 KB took 12–17 ms a line to lay
 * out. A finished one is one text, as the highlighter wants it.
 */
const chunks = (b: Block) => codeText(b).match(/(?:[^\n]*\n){1,64}/g) ?? [];
/** Everything a block renders from: two blocks with the same one render the same. */
const key = (b: Block): unknown[] => [b.t, b.lv, b.f, b.x, b.hd, b.al, b.m, b.tight, b.a, b.l, b.c.map(key)];
/** {@link key} as one string, made once: nested strings would be escaped again at every level. */
const sig = (b: Block) => JSON.stringify(key(b));

/** A Markdown body renderer: CommonMark with GFM tables, strikethrough and task lists, built as DOM. */
export function createMarkdownRenderer(options: MarkdownOptions): BodyRenderer {
  return {
    render(src) {
      const defs = new Map<string, Ref>();
      const root = rootDiv();
      bidi(root, src);
      const block = renderer(options, (k) => defs.get(k));
      parse(src, defs).doc.c.forEach((b, i) => place(root, i, block(b)));
      return root;
    },
    stream: (): MarkdownBody => {
      const root = rootDiv();
      /** Definitions in committed blocks: final, since later ones never override them. */
      const defs = new Map<string, Ref>();
      /**
       * Committed blocks: their tree, node, and the labels they looked up that were not among the
       * committed definitions then (not defined yet, or only in the tail, where they may still grow
       * or stop being definitions), each with the destination and title it found then.
       */
      const done: { b: Block; n: HTMLElement; m: Map<string, string | undefined> }[] = [];
      /** The labels the block being rendered looks up beyond {@link defs}. */
      let missed = new Map<string, string | undefined>();
      const found = (r?: Ref) => r && r.h + '\0' + r.t;
      /**
       * The tail's blocks as shown: each one's tree, node and {@link sig}, and the definitions they were
       * rendered with (`tailRefs`): unchanged blocks are kept.
       */
      let shown: { b: Block; n: HTMLElement; s: string }[] = [];
      let tailRefs = '';
      /**
       * The open paragraph's lines (and words of its last line) that stay as they are whatever follows
       * them (see stays), once found: its block as last shown (`b`), where its nodes start in its node
       * (`z`: a tight item's paragraph after its other parts is that item's nodes after theirs), their
       * text (up to a line break or a space), how many of its node's nodes they end (all but their
       * last text, `c`; after a task's checkbox) and the last of those (`at`: gone when they were
       * drawn again). A piece then parses and builds the text after them alone: one paragraph of tens
       * of kilobytes was parsed and built again whole per frame, and one long line with no break
       * still was (80k `[` then 11k links in 1 KB pieces: 5.3 to 6.9 s, now 0.7). Where the cuts
       * inside its last word last failed (`u`, see unclosed), and the length of its text they wait for
       * (`w`). Past a `[` that may yet make a link, as it was before it (`r`): a `]` after it may close
       * it, and has the text parsed from there again (a 16 KB paragraph with one early, `see [1 and …`,
       * was parsed from its `[` per piece, four times: 7.9 s in pieces of 3, 0.9 without it; a URL or
       * address after it, parsed as alone unless a link is made, did so too, for good: 10–13 s).
       */
      type Fixed = { b?: Block; z: number; s: string; k: number; at?: Node; c: string; u?: number; w?: number; r?: Fixed };
      let fixed: Fixed | undefined;
      /** The text from the first block not committed: the only text parsed again. */
      let tail = '';
      /** The last line committed (the one before the tail): a table's row or not. */
      let last = '';
      const settle = (end?: boolean) => {
        let local = new Map<string, Ref>();
        // A line begun that may yet be a marker (`-` of an item or a heading's underline, `#`, `1.`, a
        // fence, a table's delimiter row), also after an item's or a quote's (`- 1.`, `1. *`), is left
        // out until it is not one or ends: for a frame it would make another block (the line before it
        // an h2, an empty heading or item, a rule). So is a link definition begun (`[1]: https://x "Ti`
        // is none until its title closes: the links using it would turn back to text, it to a paragraph),
        // and so is a line begun after a definition's that may be its title (`"Docs` was a paragraph).
        // A fence's line waits for its end, or a backtick that makes it none (its language showed a letter
        // at a time; ```` ```npm i``` ```` was a code block for a frame). A task's marker (`- [x] `) waits
        // for its text too. A table's header row (a line begun with `|` after one that is not) waits for its
        // delimiter row: a paragraph of pipes for a frame or twenty otherwise.
        /** Where a line starts: after the last break at or before `i` (with no `i`, the last line). */
        const start = (i?: number) => Math.max(tail.lastIndexOf('\n', i), tail.lastIndexOf('\r', i)) + 1;
        const line = start();
        /** Where the line before the one at `i` (> 0) starts: after its `\n`, `\r\n` or `\r`. */
        const up = (i: number) => {
          const j = i - 2 - +(tail[i - 1] === '\n' && tail[i - 2] === '\r');
          return j < 0 ? 0 : start(j);
        };
        /**
         * A table's row (after its containers' markers). (Blanks and `>` between markers as one class:
         * a group repeated for each took JavaScriptCore 0.1 s a frame on a line of 80k spaces.)
         */
        const row = (s: string) => /^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t][ \t>]*)*\|/.test(s);
        /** The line before the one at `i` is a row: in the tail, or the last line committed. */
        const after = (i: number) => row(i ? tail.slice(up(i), i) : last);
        let src =
          !end &&
          (/^(?:[-=*_+#`~|: \t]*|`{3,}[^`]*|~{3,}.*|\d{1,9}[.)]?[ \t]*|\[[^\]]*(?:\](?::.*|[ \t]*))?)$/.test(tail.slice(line).replace(/^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t][ \t>]*)*/, '')) ||
            (row(tail.slice(line)) && !after(line)) ||
            /^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t][ \t>]*)*\[[^\]]*\]:.*[\r\n]+[ \t>]*["'(]/.test(tail.slice(up(line))))
            ? tail.slice(0, line && after(line) && !after(up(line)) ? up(line) : line)
            : tail;
        let parsed = parse(src, local);
        const deepest = () => {
          let b = parsed.doc.c.at(-1);
          while (b?.c.length) b = b.c.at(-1);
          return b;
        };
        // A row left out in an open fence is code (an ASCII tree, a table in a Markdown sample): shown
        // at once, unless it closed the fence (one in an item, by a line less indented).
        const fence = deepest();
        if (src !== tail && row(tail.slice(src.length)) && fence?.f && !fence.cl) {
          const was = [parsed, local] as const;
          const rows = row(tail.slice(line)) ? tail : tail.slice(0, line);
          parsed = parse(rows, (local = new Map()));
          if (deepest()?.f) src = rows;
          else [parsed, local] = was;
        }
        const { ls, done: complete } = parsed;
        // The block the text ends in, while it may yet grow (a paragraph, a heading, a table's last row): what is open there shows as it will be (see span).
        // At a line's end, a paragraph only: its next line may go on with it (`**bold` then a line break
        // showed its asterisks for a frame), a heading's or a row's cannot.
        if (!end) {
          const b = deepest();
          // (Not a paragraph before a definition the text ends in: that one is done.)
          if (b && ('\n\r'.includes(src.slice(-1)) ? 'p' : 'ph table').includes(b.t) && b.e === ls.length - 1) b.a = /\s$/.test(src) ? 2 : 1;
        }
        const ref: Refs = (k) => defs.get(k) ?? (missed.set(k, found(local.get(k))), local.get(k));
        const block = renderer(options, ref);
        const bs = parsed.doc.c;
        // A block is final once a later one is started by a complete line: that line closed it.
        let j = end ? bs.length : bs.findLastIndex((b) => b.n < complete);
        while (bs[j]?.sp) j--;
        // So is a fence closed by a complete line: nothing after it changes it (undefined < n is false),
        // unless a table follows whose header line is a paragraph's (of definitions, gone) after it.
        if (bs[j]?.cl! < complete && !bs[j + 1]?.sp) j++;
        // The open blocks: an unchanged one keeps its nodes, an open list its unchanged items and an
        // open code block the pieces of its text that did not change, so that a long list or code
        // block is not built and laid out again every frame. Only when nothing was committed and the
        // definitions are the same (those in the tail may still be growing: `[r]: ht` becomes `[r]: https://…`).
        const refs = defs.size + JSON.stringify([...local]);
        // Not the last block's: it is the one that grows (a long list's would be made again every frame).
        const sigs = bs.map((b, i) => (i < bs.length - 1 ? sig(b) : ''));
        const view = renderer(options, ref, false);
        const open = view as unknown as (b: Block, tight?: boolean, li?: HTMLElement | boolean) => Node;
        /**
         * Keeps `n`, the node of the open block `was`, showing `b`, the same block grown (`tight`: of
         * an item, its list's; `first`: an item's first part): a list's, a quote's or an item's closed
         * parts as they were (those that span the same lines of it), the one that was last patched in
         * turn; a table's unchanged rows; a code block's pieces that changed; a paragraph's nodes up
         * to where it changed. So a long list, quote, table, code block or paragraph, or all of an
         * answer nested in one item, is not built and laid out again every frame. False when it cannot be.
         */
        const patch = (n: Element, b: Block, was: Block, tight?: boolean, first?: boolean): boolean => {
          if (b.t !== was.t) return false;
          // (A leaf, or a list, quote or item with nothing in it yet: as a leaf, it is kept or built again.)
          if (!b.c.length) {
            // (Built whole every frame and laid out again whole, one of 20,000 characters took 13 ms
            // a frame: a model repeating itself writes one to its token limit. A tight item's is its
            // text, `n` its item's; a task's is its text after its checkbox, named again by all of it.
            // Not compared by its signature first: one of 160 KB took 3.5 ms a frame to write twice.)
            if (b.t === 'p') {
              const task = first && TASK.test(b.x!) ? 1 : 0;
              const s = task ? b.x!.slice(3).trimEnd() : edges(b.x!);
              const kids = n.childNodes;
              // (Its item's nodes before it: all but as many as it made, counted once.)
              const z = fixed?.b === was ? fixed.z : kids.length - open(was, tight, first).childNodes.length;
              // Its lines that stay as they are (see fixed): built once, their nodes not compared again.
              // Not while its start changes (`[x]` became a task's as a line followed): built whole then.
              const f = (fixed =
                was.x!.slice(0, 4) !== b.x!.slice(0, 4)
                  ? undefined
                  : fixed?.b === was && kids[fixed.k - 1] === fixed.at && s.startsWith(fixed.s)
                    ? fixed
                    : { z, s: '', k: z + task, at: kids[z + task - 1], c: '' });
              const loose = !s.slice(f?.s.length).includes(']');
              if (f?.r && !loose) Object.assign(f, f.r, { r: undefined });
              /** The nodes of the lines found to stay now (all but their last text, `c`). */
              let add: Node[] = [];
              let m = '';
              let c = f?.c ?? '';
              // Lines ended after them, or the words of the last ended by a space: do they stay too?
              let e = Math.max(s.lastIndexOf('\n'), s.lastIndexOf(' ')) + 1;
              // Or the last word cut after a delimiter run between two letters or digits of any script
              // (`a*ba*b…`, `ä*b…`, `中*文…`, `a*a*…`, `é_x…`: one word of 120 KB was parsed and built
              // whole per piece, 20,000 `em`s), when the text before the cut parses with the letter
              // after it as it does alone, that letter added as text (see settled in markdown-inline.ts):
              // its last run is then flanked and matched as in the whole, and the text after the cut,
              // which starts with a letter, parses alone as it does there. Not in an address: the run's
              // last character or one after it is none of an address's (a `*` or `~`, a letter not ASCII;
              // not a `*` before a `_`, `ab*_cd@x.test` is an address from the `_`; `a_b_c` is cut
              // nowhere, as an `@` may yet make it one). Nor in a URL: none begun before it in the word,
              // nor a `<`, nor an `@` or a `]` (a bare address in the last word shows unlinked while a
              // link's text arrives, and a destination arriving, `](x*y`, as written). The last three cuts
              // are tried: emphasis closed at the last run or the one before, and a `_` in a word, text,
              // may be between them (`a*ba*b…`, `a_bé*c…`).
              const w = s.slice((e = Math.max(e, f?.s.length ?? 0)));
              const v = w.slice(0, (w.search(/[<@\]]|www\.|:\/\//i) + 1 || w.length + 1) - 1);
              const by = e + 1 + v.search(/[^\w.+-][\w.+-]*$/);
              const cuts = [...v.matchAll(/[\p{L}\p{N}][*_~]+(?=[\p{L}\p{N}])/gu)].map((c) => e + c.index + c[0].length).filter((c) => c <= by);
              // (Not when what `ending` cuts is all that follows them: the text so far would end in them.
              // Nor after an opener a longer one left unmatched, which that text leaves so too: each such
              // was parsed, four parses a piece of a word that settles nowhere, `_é_é…`, `**a*a*…`.)
              // A word that settles nowhere after a point (`**` then `a*a*…`) has the cuts after it tried
              // again once the text after it is twice as long, not each piece: it was one parse more a
              // piece. By length, not pieces: counted in pieces, bold a character at a time then pieces of
              // 1 KB parsed it whole for as many pieces after it closed.
              let u = s.length < f?.w! ? f!.u! : 1 / 0;
              const wait = u < 1 / 0;
              if (f && [...cuts.slice(-3).reverse(), e].some((e) => e > f.s.length && e < u && ending(s.slice(e)) && (stays((m = s.slice(f.s.length, e)), ref, /[*_~]$/.test(m) && [...s.slice(e, e + 2)][0], loose) || void (unclosed && (u = f.s.length + unclosed)))))
                (add = [...view.span(text(el('p'), c), m).childNodes]), (c = add.at(-1) instanceof Text ? (add.pop() as Text).data : '');
              else m = '';
              if (f && !wait && !m && u < 1 / 0) (f.w = 2 * s.length - u), (f.u = u);
              const r = s.slice(f ? f.s.length + m.length : 0);
              // The rest alone after them, unless the stream is in it and what `ending` cuts is all of it: the
              // paragraph would end before their last line break.
              const apart = f && (!b.a || ending(r));
              const o = apart ? f.k : z;
              const now = [...(apart ? [...add, ...view.span(text(el('p'), c), r, b.a).childNodes] : open(b, tight, first).childNodes)];
              grow(n, now, o);
              if (apart && m) Object.assign(f, { s: f.s + m, k: o + add.length, at: kids[o + add.length - 1], c, r: f.r ?? (/(?:^|[^\\])\[[^\][]*$/.test(m) ? { ...f } : undefined) });
              if (f) f.b = b;
              if (task) (kids[0] as Element).setAttribute('aria-label', n.textContent!.trim());
              return true;
            }
            if (sig(b) === sig(was)) return true;
            if (b.t === 'table' && sig({ ...b, l: [], a: undefined }) === sig({ ...was, l: [], a: undefined })) {
              // Its last row as it was while the stream is in it (white space after it or not), or out of it, as it was then.
              let k = 0;
              const streamed = (x: Block) => (k === x.l.length - 1 && x.a) || 0;
              while (k < b.l.length && b.l[k] === was.l[k] && streamed(b) === streamed(was)) k++;
              const body = n.querySelector('tbody');
              while (body && body.children.length > k + 1) body.lastElementChild!.remove();
              if (!b.l.length) body?.remove();
              const rows = (open({ ...b, l: b.l.slice(k) }) as Element).querySelector('tbody');
              // The row it changed in (the last, growing) kept, its cells grown as a paragraph is: built
              // again each piece, text selected in it went.
              const row = body?.children[k];
              const fresh = rows?.firstElementChild;
              if (row && fresh) {
                [...fresh.children].forEach((c, i) => grow(row.children[i]!, [...c.childNodes]));
                fresh.remove();
              } else row?.remove();
              if (rows) body ? body.append(...rows.children) : n.firstChild!.appendChild(rows);
              return true;
            }
            if (b.t === 'code' && b.f === was.f && b.x === was.x) {
              const code = n.querySelector('code')!;
              const shown = code.children;
              const now = chunks(b);
              now.forEach((lines, i) => (shown[i] ? shown[i].textContent !== lines && (shown[i].firstChild as Text).replaceData(0, 1e9, lines) : text(el('div', code), lines)));
              while (shown.length > now.length) code.lastChild!.remove();
              return true;
            }
            return false;
          }
          if (sig({ ...b, c: [] }) !== sig({ ...was, c: [] })) return false;
          const kids = b.c.filter((x) => x.t !== 'def');
          const had = was.c.filter((x) => x.t !== 'def');
          const last = had.length - 1;
          // (No signature per part per frame: a commit before the block moves its lines, not theirs in it.)
          const same = (x: Block, y: Block) => x.s - b.s === y.s - was.s && x.e - b.s === y.e - was.s;
          /** A part's `tight` (an item's, its list's; a paragraph's, whether its item is). */
          const inner = (x: Block) => (x.t === 'li' ? b.tight : b.t === 'li' && tight);
          let k = 0;
          while (k < last && k < kids.length && same(kids[k]!, had[k]!)) k++;
          // Its parts before the last as they were; the last, its last node, kept, patched, or built
          // again (a tight item's paragraph is its text, not a node: patched on the item, its nodes
          // the item's last, or the item built again).
          if (k < last) return false;
          const x = kids[k];
          const y = had[k];
          if (y) {
            const text = b.t === 'li' && tight && y.t === 'p';
            if (x && patch(text ? n : n.lastElementChild!, x, y, inner(x), b.t === 'li' && !k)) k++;
            else if (text) return false;
            else n.lastElementChild!.remove();
          }
          kids.forEach((x, i) => i >= k && n.append(open(x, inner(x), x.t === 'li' ? el('li') : b.t === 'li' && !i)));
          return true;
        };
        let keep = 0;
        /** A definition was committed (final: an earlier one wins). */
        let grew;
        if (j <= 0 && !end && refs === tailRefs) {
          while (keep < bs.length - 1 && sigs[keep] === shown[keep]?.s) keep++;
          const s = shown[keep];
          if (s && bs[keep] && patch(s.n, bs[keep]!, s.b)) keep++;
        }
        const gone = shown.splice(keep);
        let built: typeof done = [];
        if (j > 0 || end) {
          // The text from the first block left open, or after that fence (a line begun may start one).
          const cut = bs[j]?.s ?? (bs[j - 1]?.cl ?? Infinity) + 1;
          for (const [k, r] of local) if (r.l < cut && !defs.has(k)) defs.set(k, (grew = r));
          built = bs.slice(0, j).map((b) => ((missed = new Map()), { b, n: block(b), m: missed }));
          // The tail's lookups are not a committed block's.
          missed = new Map();
          const at = ls[cut] ?? src.length;
          last = tail.slice(up(at), at);
          tail = tail.slice(at);
        }
        // Blank lines before any block change nothing: dropped, or a run of them is parsed again per piece.
        else if (!bs.length && /^[ \t\r\n]*$/.test(tail.slice(0, ls[complete]))) (tail = tail.slice(ls[complete] ?? src.length)), (last = '');
        // Committed blocks shown as they are built finished keep their nodes where they are, so that
        // text selected in one stays selected (it went as the next block started, and at the end); a
        // table and a block with a code block in it too, but what differs: an open code block's
        // pieces (a list of steps with code in them was built again, its selection and scroll lost).
        let same = 0;
        for (let d; (d = built[same]) && gone[same] && adopt(gone[same]!.n, d.n); ) d.n = gone[same++]!.n;
        for (const s of gone.splice(same).reverse()) unplace(s.n);
        for (const d of built) done.push(d), d.n.parentNode || place(root, done.length - 1, d.n);
        const first = Math.max(j, 0);
        // The kept blocks (all that is left in `shown`) keep their nodes; the others are placed after them.
        shown = bs.slice(first).map((b, i) => ({ b, n: shown[i]?.n ?? place(root, done.length + i, open(b) as HTMLElement), s: sigs[first + i]! }));
        tailRefs = refs;
        // A label a block looked up that resolves otherwise once defined after it (when that definition
        // is committed), or at the end (what looked like its definition was not one): render that block
        // again. Its code blocks, which no label changes, stay as they were (highlighted once).
        if (end || grew) {
          const again = renderer({ ...options, highlight: undefined }, ref);
          for (const d of done) {
            if (![...d.m].some(([k, v]) => (end || defs.has(k)) && found(defs.get(k)) !== v)) continue;
            missed = d.m = new Map();
            const n = again(d.b);
            const codes = d.n.querySelectorAll('[part~=code-block]');
            n.querySelectorAll('[part~=code-block]').forEach((c, i) => c.replaceWith(codes[i]!));
            d.n.replaceWith((d.n = n));
          }
          // The open blocks' lookups from here are not that block's: it would go again once they are defined.
          missed = new Map();
        }
      };
      return {
        root,
        appendData(data) {
          tail += data;
          // (With the characters before it: a reference cut in two, `&` then `#1488;`.)
          bidi(root, tail.slice(-data.length - 4));
          settle();
        },
        end() {
          settle(true);
          // Nothing changes after the end: the parse goes, the nodes stay (a view keeps this body for them).
          done.length = 0;
          shown = [];
          fixed = undefined;
          defs.clear();
        },
      };
    },
  };
}

/** Markdown without images: each shows as its alt text. */
export const markdownRenderer = createMarkdownRenderer({});
