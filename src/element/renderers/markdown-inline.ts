/** A link reference definition: destination, title and, while streaming, the line it starts on. */
export interface Ref {
  h: string;
  t: string;
  l: number;
}
/** Finds the definition of a normalised label. */
export type Refs = (label: string) => Ref | undefined;

/** A parsed inline: text or an element (`em`, `strong`, `del`, `code`, `a`, `img`, `br`). */
export type Inline = string | Span;
export interface Span {
  t: string;
  c?: Inline[];
  h?: string;
  ti?: string;
  s?: string;
  /** A bare URL or email address, found in the text (it may yet grow where the stream has got to). */
  b?: 1;
}
/** A run of `*`, `_` or `~` that may open or close emphasis; `n` is what is left of it. */
interface Delim {
  d: string;
  n: number;
  on: number;
  o: boolean;
  cl: boolean;
  /** The elements it opens, innermost first, and how many it closes. */
  op: string[];
  cs: number;
  /** Where it is, and the characters around it (see {@link startsWord}). */
  i: number;
  by: [before: string, after: string];
  /** Inside a URL: emphasis only in a link's text. */
  u: boolean;
}
/** An unmatched `[` or `![`: `i` is where the `[` is, `db` the delimiter stack height then. */
interface Bracket {
  b: string;
  i: number;
  db: number;
  aft?: boolean;
}
/** While parsing, a delimiter run or bracket not yet matched is an item too. */
type Item = Inline | Delim | Bracket;

const ESCAPABLE = /^[!-/:-@[-`{-~]$/;
/** Named character references: the common ones and those the spec's examples use (others stay as written). */
const NAMED = new Map(
  [...'amp&lt<gt>quot"apos\'nbsp\xa0copy\xa9reg\xaetrade\u2122hellip\u2026mdash\u2014ndash\u2013laquo\xabraquo\xbbdeg\xb0times\xd7euro\u20acouml\xf6auml\xe4AElig\xc6Dcaron\u010efrac34\xbeHilbertSpace\u210bDifferentialD\u2146ClockwiseContourIntegral\u2232ngE\u2267\u0338'.matchAll(
    /(\w+)(\W+)/g,
  )].map((m) => [m[1]!, m[2]!]),
);
/** A backslash escape or a character reference. */
const REF = '\\\\([!-/:-@[-`{-~])|&(#x[\\da-f]{1,6}|#\\d{1,7}|[a-z][a-z\\d]{1,31});';

let S = '';
let P = 0;
/** Where the last code span, link or autolink ended: a URL that starts before it is none (it starts inside one). */
let E = 0;
/**
 * The `[` openers below this height of the bracket stack are no link's: a link made is in none
 * (one mark, where marking each opener per link took time growing with their product).
 */
let D = 0;
/**
 * What the last parse left open that text after it could still close (see {@link settled}): `[`s
 * that may yet make a link, backtick runs, links whose destination or title ran to its end.
 */
let L = 0;
/** How many of {@link L}'s are `[`s, not images' (see {@link settled}'s `loose`). */
let N = 0;
/** Where what a frame adds after a link's text arriving starts (see {@link inline}'s `at`). */
let C = 0;
/**
 * 0 when the last pass of {@link emphasis} left no opener unmatched; else where the first delimiter
 * run after the last one that left none open is, plus one. The text before a point after it, cut
 * where a run there is flanked as in the whole (after a letter, or before white space), leaves one
 * open too, as its closers are taken as they were: it settles nowhere after that run (see
 * {@link settled}; `*a***a**…` leaves one open after each run, `**a*a*…` its `**`).
 */
export let unclosed = 0;
/**
 * Where each `[` whose `](` made no link (its destination or title not closed, or none) is, and its
 * `]`: emphasis opened between them is shown only once closed (see {@link inline}'s `open`).
 */
export let noLink: [number, number][] = [];
/**
 * Where each opener and the closer it matched are, in the last parse with `open` outside links:
 * emphasis across a `[` that may yet make a link, which would take it away (see {@link inline}'s `open`).
 */
export let matched: [number, number][] = [];
/**
 * A limit on hostile input, which a model may be made to write: quotes, lists and items nested
 * deeper than this are not opened (their markers stay text; markdown-it's CommonMark preset stops
 * at 20), and emphasis deeper goes in flat (its delimiters dropped). Past it, parsing a line cost a
 * frame and more, and a tree of emphasis built and rendered thousands deep overflowed the stack.
 */
export const MAX_NESTING = 32;
/**
 * The longest code span, its backticks with it: a run with no closer within it is text. While the
 * text after one is shorter, the paragraph does not settle past it (its closer may yet come); a
 * stray backtick counted open to the paragraph's end had it parsed from there per piece (12 KB in
 * pieces of 3: 96 M characters parsed, 7.4 s, against 76 K without it).
 */
export const MAX_SPAN = 1000;

/** The text of inline content, as an image's alt text has it. */
export const plain = (xs: Inline[]): string => xs.map((i) => (typeof i === 'string' ? i : i.t === 'br' ? '\n' : (i.s ?? plain(i.c!)))).join('');

/** The text a character reference stands for, or the reference itself when it names nothing. */
function entity(m: string, x: string): string {
  if (x[0] !== '#') return NAMED.get(x) ?? m;
  // `#x1F` reads as the number 0x1F, `#31` as 031: decimal, since Number() reads no octal.
  const n = +('0' + x.slice(1));
  return String.fromCodePoint(!n || n > 0x10ffff || (n >= 0xd800 && n < 0xe000) ? 0xfffd : n);
}

/** Backslash escapes and character references resolved, as in destinations, titles, info strings. */
export const unescape = (s: string) =>
  s.replace(new RegExp(REF, 'gi'), (m, e: string | undefined, x: string) => e ?? entity(m, x));

/** Percent-encodes what a URL may not hold as is, like commonmark.js (mdurl). */
const uri = (u: string) =>
  u.replace(/%(?![\da-f]{2})|[^\w;/?:@&=+$,.!~*'()#%-]/giu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%EF%BF%BD';
    }
  });

/** A reference label, case-folded and whitespace-collapsed. */
export const norm = (l: string) => l.trim().replace(/[ \t\r\n]+/g, ' ').toLowerCase().toUpperCase();

/**
 * Matches `re` (sticky) at P and moves past it. (By test() and a slice, which build no match array:
 * {@link inline} eats at every step.)
 */
function eat(re: RegExp): string | undefined {
  re.lastIndex = P;
  if (re.test(S)) return S.slice(P, (P = re.lastIndex));
}

const spnl = () => eat(/[ \t]*(?:\n[ \t]*)?/y);

/** The length of a link label at P (brackets included), 0 when there is none. */
function label(): number {
  const re = /\[(?:[^\\[\]]|\\[\s\S]){0,999}\]/y;
  re.lastIndex = P;
  return re.exec(S)?.[0].length ?? 0;
}

function dest(): string | undefined {
  const m = eat(/<(?:[^<>\n\\]|\\[\s\S])*>/y);
  if (m) return uri(unescape(m.slice(1, -1)));
  if (S[P] === '<') return;
  const b = P;
  let d = 0;
  let c;
  while ((c = S[P])) {
    // (Past the end, test() reads "undefined": no escape.)
    if (c === '\\' && ESCAPABLE.test(S[P + 1]!)) P += 2;
    else if (c === '(') {
      // Nesting is capped as in cmark: an unclosed `(` would otherwise scan on to the end at each `](`.
      if (++d > 32) return;
      P++;
    }
    else if (c === ')') {
      if (!d) break;
      P++, d--;
    } else if (c <= ' ') break;
    else P++;
  }
  if ((P === b && c !== ')') || d) return;
  return uri(unescape(S.slice(b, P)));
}

function title(): string | undefined {
  const m = eat(/"(?:\\[\s\S]|[^\\"])*"|'(?:\\[\s\S]|[^\\'])*'|\((?:\\[\s\S]|[^\\()])*\)/y);
  return m && unescape(m.slice(1, -1));
}

/**
 * Reads a link reference definition at the start of `s` into `add`; returns its length, 0 when
 * `s` does not start with one.
 */
export function refdef(s: string, add: (label: string, h: string, t: string) => void): number {
  S = s;
  P = 0;
  P = label();
  if (!P || S[P] !== ':') return 0;
  const raw = S.slice(1, P - 1);
  P++;
  spnl();
  const h = dest();
  if (h === undefined) return 0;
  const b = P;
  spnl();
  let t = P > b ? title() : undefined;
  const eol = /[ \t]*(?:\n|$)/y;
  // The title, then the line's end; else (no title, or more after it, an empty one too) the line's
  // end after the destination.
  if (t === undefined || eat(eol) === undefined) {
    t = '';
    P = b;
    if (eat(eol) === undefined) return 0;
  }
  const k = norm(raw);
  if (!k) return 0;
  add(k, h, t);
  return P;
}

const isWs = (c: string) => /^\s$/u.test(c);
const isPunct = (c: string) => /^[\p{P}\p{S}]$/u.test(c);
/**
 * Chinese, Japanese or Korean as the CJK-friendly amendment to CommonMark's emphasis rules has it
 * (tats-u/markdown-cjk-friendly, which Streamdown and remark have): Hangul, or wide (East Asian
 * Width W, F or H: the blocks of CJK text, its punctuation, the long vowel mark `ー`, circled
 * ideographs; near enough, the rarest left out) and not emoji. Their punctuation counts as no
 * punctuation, and their text after a closer as space: `**注意：**この` is bold.
 */
const isCjk = (c: string) =>
  /[\p{sc=Hang}\p{sc=Han}\u2e80-\u303e\u3041-\ua4cf\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6b\uff01-\uff9f\uffe0-\uffee\u{1b000}-\u{1b2ff}\u{1f200}-\u{1f2ff}]/u.test(c) && !/\p{Emoji_Presentation}/u.test(c);
/** Punctuation, in the flanking rules: not CJK punctuation. */
const flanks = (c: string) => isPunct(c) && !isCjk(c);

/**
 * Parses the inline content of a block (the CommonMark algorithm: delimiter runs, brackets). With
 * `open`, adds the emphasis left open at its end that starts a word (not `2*3`, `*.js`, `"*"`; a
 * symbol, a link, code, a parenthesis, a quote or more emphasis may follow it: `**$5`, `**[`,
 * `**(optional)`, `**_`), each where it is and the run that would close it. With `at`, what starts
 * there (closers, then a `]`) a frame adds after a link's text arriving: a URL's runs before it are
 * the URL's, as they are if that text makes no link.
 */
export function inline(s: string, ref: Refs, open?: [number, string][], at = 1 / 0): Inline[] {
  S = s;
  C = at;
  P = E = D = L = 0;
  noLink = [];
  const out: Item[] = [];
  const ds: Delim[] = [];
  const bs: Bracket[] = [];
  /** Backtick run lengths with no closing run after them. */
  const noClose = new Set<number>();
  /** Those of them open: with fewer than {@link MAX_SPAN} characters after one. */
  const codeOpen = new Set<number>();
  /** The extended autolinks' URLs, and the next one not behind the scan: its `_`, `*` and `~` are text. */
  const links = urls(s);
  let l = 0;
  while (P < S.length) {
    let m: string | undefined;
    // Brackets first, then text: no other branch starts with `[`, `!`, `]` or a character of text,
    // and each regex tried before the one that matches costs (80k `[` and 11k links streamed took
    // 19% longer with four tried before a `[` and nine before text).
    if (S[P] === ']') {
      P++;
      closeBracket(out, ds, bs, ref);
    } else if ((m = eat(/!?\[/y))) {
      const b: Bracket = { b: m, i: P - 1, db: ds.length };
      if (bs.length) bs.at(-1)!.aft = true;
      bs.push(b);
      out.push(b);
    } else if ((m = eat(/[^\n`[\]\\!<&*_~]+/y))) {
      out.push(m);
    } else if (eat(/\n */y)) {
      const last = out.at(-1);
      if (typeof last === 'string') out[out.length - 1] = last.replace(/ +$/, '');
      // (An element or nothing before it reads as "[object Object]" or "undefined": no break.)
      out.push(/ {2}$/.test(last as string) ? { t: 'br' } : '\n');
    } else if (eat(/\\\n/y)) {
      out.push({ t: 'br' });
    } else if ((m = eat(/`+/y))) {
      const k = m.length;
      const re = new RegExp('(?<!`)`{' + k + '}(?!`)', 'g');
      re.lastIndex = P;
      // (Looked for in the MAX_SPAN characters from the opener and the one after them, which tells a
      // closer's end: unbounded, each run whose closer is too far read the text on to it.)
      const a = P - k;
      const e = noClose.has(k) ? null : re.exec(S.slice(0, a + MAX_SPAN + 1));
      if (!e && a + MAX_SPAN >= S.length) noClose.add(k), S.length - a < MAX_SPAN && codeOpen.add(k);
      if (e && e.index + k - a <= MAX_SPAN) {
        let code = S.slice(P, e.index).replace(/\n/g, ' ');
        // Tested by its ends: the regex /^ [^]*[^ ][^]* $/ backtracks quadratically on a long span.
        if (code[0] === ' ' && code.at(-1) === ' ' && /[^ ]/.test(code)) code = code.slice(1, -1);
        out.push({ t: 'code', s: code });
        P = E = e.index + k;
      } else out.push(m);
    } else if ((m = eat(/\*+|_+|~+/y))) {
      const c = m[0]!;
      const at = P - m.length;
      while (links[l] && (links[l]![0] + links[l]![1].length <= at || links[l]![0] < E)) l++;
      // Inside a URL, the URL's (not in a link's text, where no URL is a link: a `[` is open above
      // the mark, one that may yet make a link; if none does, the URL's after all, see below).
      const u = links[l]?.[0]! < at;
      if (u && bs.length <= D) {
        out.push(m);
        continue;
      }
      // The characters around the run, whole (an emoji is two UTF-16 units).
      const b = /[^]?$/u.exec(S.slice(Math.max(at - 2, 0), at))![0] || '\n';
      const a = String.fromCodePoint(S.codePointAt(P) ?? 10);
      const left = !isWs(a) && (!flanks(a) || isWs(b) || flanks(b) || isCjk(b));
      const right = !isWs(b) && (!flanks(b) || isWs(a) || flanks(a) || isCjk(a));
      const d: Delim = {
        d: c,
        n: m.length,
        on: m.length,
        o: c === '_' ? left && (!right || isPunct(b)) : left,
        cl: c === '_' ? right && (!left || isPunct(a)) : right,
        op: [],
        cs: 0,
        i: at,
        by: [b, a],
        u,
      };
      if ((d.o || d.cl) && (c !== '~' || d.n < 3)) ds.push(d), out.push(d);
      else out.push(m);
    } else if (eat(/<br *\/?>/iy)) {
      // The one tag that is not text: a line break (GPT's table cells have them), an element made, never parsed.
      out.push({ t: 'br' });
    } else if ((m = eat(/<(?:[a-z][a-z\d.+-]{1,31}:[^<>\x00-\x20]*|[\w.!#$%&'*+/=?^`{|}~-]+@[a-z\d-]+(?:\.[a-z\d-]+)*)>/iy))) {
      // A URI or an email address (which holds no `:`).
      const u = m.slice(1, -1);
      out.push({ t: 'a', h: (u.includes(':') ? '' : 'mailto:') + uri(u), c: [u] });
      E = P;
    } else if ((m = eat(new RegExp(REF, 'iy')))) {
      // An escape as a reference is: the character. (A backslash before anything else is text, as the
      // branch below takes it.)
      out.push(unescape(m));
    } else {
      // A character that starts no branch's match (`!`, `<`, `&`, `\` as themselves) is text.
      out.push(S[P++]!);
    }
  }
  // (Not a `[` below the mark: it is text whatever follows, `]` or not.)
  N = 0;
  L += codeOpen.size;
  bs.forEach((b, i) => (i >= D || b.b < '[') && (L++, b.b == '[' && N++));
  // (A URL's run that no link's text took is the URL's, as with no `[` before it: `[see www.x.test/*a*`
  // shows the URL as `see www.x.test/*a*` does, and the text after a `[` shown as text parses alone.)
  return autolinks(emphasis(out, ds.filter((d) => !d.u), 0, open));
}

/**
 * Whether the inline content of `s`, which ends a line or a word, is the same whatever text follows
 * it: no `[` left open that may yet make a link (one below {@link D} is text, and the text after it
 * parses as it would alone), no code span left open, no link whose destination or title runs to its
 * end, no emphasis opener unmatched. Then `s` and what follows parse apart as they do together.
 * With `x`, a letter that follows `s` ending in a delimiter run: also so with `x` after it (the run
 * then flanked as it is in the whole), and that parse is the one of `s` with `x` added as text.
 * With `loose`, a `[` left open is no bar: the caller parses what follows as the text after it
 * only while that holds no `]` to close it.
 */
export function settled(s: string, ref: Refs, x?: string | false, loose?: boolean): boolean {
  const open = () => L - (loose ? N : 0) || unclosed;
  // (With `x` first: a text that does not settle mostly fails there, parsed once.)
  const ys = x && inline(s + x, ref);
  if (x && open()) return false;
  const xs = inline(s, ref);
  if (!x || open()) return !open();
  // (`x` added as text: to the last text, or after the element that ends it.)
  const t = xs.at(-1);
  typeof t == 'string' ? (xs[xs.length - 1] = t + x) : xs.push(x);
  return JSON.stringify(xs) == JSON.stringify(ys);
}

/**
 * GFM's extended autolinks: `www.…`, `http://…`, `https://…` and email addresses in text (not in
 * a link or code) become links (see {@link urls}).
 */
function autolinks(xs: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const x of xs) {
    if (typeof x === 'string') {
      // Text arrives in runs cut at every special character: a URL is looked for in all of it.
      if (typeof out.at(-1) === 'string') out[out.length - 1] += x;
      else out.push(x);
    } else {
      if (x.c && x.t !== 'a' && x.t !== 'img') x.c = autolinks(x.c);
      out.push(x);
    }
  }
  return out.flatMap((x) => {
    if (typeof x !== 'string') return x;
    const parts: Inline[] = [];
    let at = 0;
    for (const [i, u] of urls(x)) {
      // (An address holds no `:`, a URL with a scheme does.)
      parts.push(x.slice(at, i), { t: 'a', h: (/^www\./i.test(u) ? 'http://' : u.includes(':') ? '' : 'mailto:') + uri(u), c: [u], b: 1 });
      at = i + u.length;
    }
    parts.push(x.slice(at));
    // (Without the empty texts around them: a link is an object, never falsy.)
    return parts.filter(Boolean);
  });
}

/**
 * The extended autolinks in `s`, each where it starts and its URL: `www.…` at a word's start (or
 * after `*`, `_`, `~` or `(`), `http(s)://…` where no letter is before it (after a quote, a colon
 * or CJK text too, as on GitHub), without trailing punctuation or quotes, an unbalanced `)` or `]`
 * or an entity-like `&x;` at the end, and with no `_` in its host's last two labels; and email
 * addresses, `name@host.tld`, not after a `/`, ending in a letter.
 * A domain's labels are bounded as DNS bounds them: unbounded, `_www.` repeated took time growing
 * with the square of its length. Only labels that start with `_` can come before the one the host
 * starts at (`[a-z\d-]`): backtracking over them finds a `_` where that label starts, so it never
 * matches more. Not taken at once by a lookahead and its capture: in JavaScriptCore (Safari) a
 * repeated group in a lookahead took 15 to 20 times as long, 4 s for a line of 50k of `_www.`.
 */
export const urls = (s: string) =>
  [...s.matchAll(/(?:(?<![a-z])https?:\/\/|(?<![^\s*_~(])www\.)(?:_[\w-]{0,62}\.){0,127}[a-z\d-][^\s<]*|(?<![\w.+/-])([\w.+-]+@(?:[\w-]+\.)+[\w-]+)/gi)].flatMap((m): [number, string][] => {
    const u = m[0];
    // (An address ends in a letter, as cmark-gfm has it: not `lodash@4.17.21`.)
    if (m[1]) return /[a-z]$/i.test(u) ? [[m.index, u]] : [];
    // Trimmed from the end in one pass (a pass per character cut took time growing with the square of the run).
    const unmatched = { ')': u.split(')').length - u.split('(').length, ']': u.split(']').length - u.split('[').length };
    let end = u.length;
    for (let entity; end; ) {
      const c = u[end - 1]!;
      if ('?!.,:*_~\'"'.includes(c)) end--;
      else if ((c === ')' || c === ']') && unmatched[c] > 0) end--, unmatched[c]--;
      // (An entity's name is short: looked for only that far back, `;;;…` is linear.)
      else if (c === ';') end -= (entity = /&[a-z\d]{1,31};$/i.exec(u.slice(Math.max(0, end - 34), end))) ? entity[0].length : 1;
      else break;
    }
    const url = u.slice(0, end);
    // A host name has no `_` in its last two labels (as cmark-gfm has it): `www.my_site.com` is text.
    return /^(?:https?:\/\/|www\.)[\w-]/i.test(url) && !url.replace(/^https?:\/\//i, '').split(/[^\w.-]/)[0]!.split('.').slice(-2).join().includes('_') ? [[m.index, url]] : [];
  });

/** At a `]`: a link or image when the last opener has a destination or a defined label. */
function closeBracket(out: Item[], ds: Delim[], bs: Bracket[], ref: Refs) {
  const o = bs.pop();
  // (A `[` below the mark is no link's; the mark never above the stack.)
  const dead = !o || (o.b === '[' && bs.length < D);
  D = Math.min(D, bs.length);
  if (dead) return out.push(']');
  const save = P;
  let h: string | undefined;
  let ti: string | undefined;
  let ok = false;
  if (S[P] === '(') {
    P++;
    spnl();
    if ((h = dest()) !== undefined) {
      spnl();
      if (isWs(S[P - 1]!)) ti = title();
      spnl();
      if (S[P] === ')') P++, (ok = true);
    }
    // (Stopped at the end, or at a title or `<` not closed before it: more text may close it.)
    if (!ok && '"\'(<'.includes(S[P] ?? '"')) L++;
    if (!ok) (P = save), noLink.push([o.i, save]);
  }
  if (!ok) {
    const n = label();
    const raw = n > 2 ? S.slice(P + 1, P + n - 1) : o.aft ? '' : S.slice(o.i + 1, save - 1);
    // No definition has an empty label, so an all-blank one finds none.
    const r = raw.length < 1000 && ref(norm(raw));
    if (r) (h = r.h), (ti = r.t), (ok = true), (P += n);
  }
  // Tencent Hunyuan's citation marker, `[1](@ref)` or `[2,5](@ref)`, is text as other citations
  // are (`[1]`), not a link to the page's `…/@ref`: the sources it cites are listed under the answer.
  if (!ok || h == '@ref') return out.push(']');
  if (save > C) ds.splice(o.db, ds.length, ...ds.slice(o.db).filter((d) => !d.u || d.i >= C));
  const kids = emphasis(out.splice(out.lastIndexOf(o) + 1), ds, o.db);
  out.pop();
  const img = o.b !== '[';
  // (An image's text is its alt text: kept flat, images in images nest no deeper.)
  out.push({ t: img ? 'img' : 'a', c: img ? [plain(kids)] : kids, h, ti });
  E = P;
  if (!img) D = bs.length;
}

/** Whether a run at `i` after `b` is after a quote or apostrophe ending a word (`l’**`, `x"**`; with `q`, any curly one). */
const quoted = (b: string, i: number, q?: boolean) => /["'”’»]/.test(b) && ((q && /[”’»]/.test(b)) || /[^\s\p{Ps}\p{Pi}\p{Pd}"'*_~]/u.test(S[i - 2] ?? ' '));

/** Whether `~`s and a closing quote follow the run `d` (`*~’`): a run after the quote is its closer's. */
const tildeQuote = (d: Delim) => ((TILDE_QUOTE.lastIndex = d.i + d.on), TILDE_QUOTE.test(S));
/** (One sticky expression for every run, not one made per call.) */
const TILDE_QUOTE = /~+[”’»]/y;

/**
 * Whether a delimiter run starts a word: before it no letter or digit, and no punctuation (but CJK
 * punctuation) other than an opening bracket or quote, a dash, a straight quote or another delimiter
 * (after a colon, a full stop, a closing bracket, or a quote ending a word (a non-space before it,
 * straight or curly: not ` ”**`; any curly one if `q`, that opener before a quote: `**« a »**b`)
 * with an opener of its kind before it (`after`; not `l’**été`, `»**gras`) that is not itself
 * after such a quote unless before one (`l’**été et l’**hiver`; not `l’**“a”**b`), it is a closer
 * that cannot close: `**Warning:**Do`, `**"quoted"**word`; not one that can, after a closing quote
 * before CJK text: `他说"好"**然后**`, `他说“好”**然后**`); after it no space, no `~`s and a
 * closing quote (`*~’`, as `*-’`), and no punctuation but a link's, code's or more emphasis's
 * opener, a parenthesis, or a quote or a CJK bracket after a space or CJK text (`"*"`, `'*'` and
 * `＂*＂` are quoted stars; `推荐**《三体` is bold).
 */
const startsWord = (d: Delim, after: boolean, q?: boolean, { by: [b, a], i, cl } = d) =>
  !/[a-z\d]/i.test(b) &&
  !(flanks(b) && /(?![\p{Ps}\p{Pi}\p{Pd}"'”’»*_])\p{P}/u.test(b)) &&
  !(!cl && after && quoted(b, i, q)) &&
  !isWs(a) &&
  !tildeQuote(d) &&
  (!/\p{P}/u.test(a) || '[(`*_~'.includes(a) || (('"\'“‘«„‚‹⹂＂＇'.includes(a) || (isCjk(a) && /\p{Ps}/u.test(a))) && (isWs(b) || (isCjk(b) && !'＂＇'.includes(b)))));

/**
 * The CommonMark "process emphasis" procedure over the delimiters from `bot` up: closers are taken
 * left to right against a stack of the openers before them (what the spec removes between an
 * opener and its closer is cut off the stack), matches recorded on the runs, then `arr` rebuilt
 * with the elements in one pass: linear, where splicing the array per match was quadratic.
 */
function emphasis(arr: Item[], ds: Delim[], bot: number, left?: [number, string][]): Inline[] {
  const st: Delim[] = [];
  /** Per kind of closer: the stack below this has no opener for it. */
  const lo: Record<string, number> = {};
  /** Where the first run after the last that left no opener open is (see {@link unclosed}). */
  let z = 0;
  const runs = ds.splice(bot);
  if (left) matched = [];
  for (const c of runs) {
    if (!st.length) z = c.i;
    if (c.cl) {
      const key = c.d + c.o + (c.on % 3);
      for (let oi = st.length; c.n && --oi >= (lo[key] ?? 0); ) {
        const o = st[oi]!;
        if (o.d !== c.d || !o.o || (c.d === '~' ? o.n !== c.n : (c.o || o.cl) && c.on % 3 && !((o.on + c.on) % 3))) continue;
        const u = c.d === '~' ? c.n : c.n > 1 && o.n > 1 ? 2 : 1;
        o.n -= u;
        c.n -= u;
        o.op.push(c.d === '~' ? 'del' : u > 1 ? 'strong' : 'em');
        c.cs++;
        if (left) matched.push([o.i, c.i]);
        st.length = oi = oi + +!!o.n;
        for (const k in lo) lo[k] = Math.min(lo[k]!, oi);
      }
      if (c.n) lo[key] = st.length;
    }
    if (c.n && c.o) st.push(c);
  }
  unclosed = st.length && z + 1;
  // The openers still open (not in a link's text, not cut off by a closer after them) that start a
  // word, and have no run of theirs after them that does not and cannot close (the closer meant
  // for them: they stay as written, also once a closer after it takes it for an opener, as the
  // end shows them: `**a”**b** c`; not `2*3`); an `_` only when it is the last (`_id` in prose is
  // no emphasis that runs to the end); a `~` only when doubled (one is "about": `~30%`).
  const stuck: Record<string, boolean> = {};
  /** Per kind: its first opener (one after it may be the closer meant for it). */
  const first: Record<string, Delim> = {};
  for (const o of st) first[o.d] ??= o;
  const on = new Set(st);
  const words = (left ? runs.reverse() : []).filter((d) => {
    const f = first[d.d];
    // (Before a quote, an opening bracket, a dash, or `~`s and a closing quote, a closing quote after
    // it is its closer's: `l’**“a”**b`, `(**»**a`, `**-”*bé`, `**~~”*bé`; shown before `~”` no more
    // than before `-”`: the run after it would take it away, and a closer show it again.)
    const q = !!f && (/[\p{Ps}\p{Pi}\p{Pf}\p{Pd}"']/u.test(f.by[1]) || tildeQuote(f));
    const w = () => startsWord(d, f !== d && (q || !quoted(f!.by[0], f!.i)), q);
    if (!on.has(d)) return void (stuck[d.d] ||= !!f && f.i < d.i && !d.cl && !w());
    return w() ? !stuck[d.d] : void (stuck[d.d] ||= !d.cl);
  }).reverse();
  for (const d of words) if (d.d === '~' ? d.n > 1 : d.d !== '_' || d === words.at(-1)) left!.push([d.i, d.d.repeat(d.n)]);
  const out: Inline[] = [];
  const open = [out];
  for (const x of arr) {
    if (typeof x !== 'object' || 't' in x) open.at(-1)!.push(x);
    else if ('b' in x) open.at(-1)!.push(x.b);
    else {
      open.length -= x.cs;
      if (x.n) open.at(-1)!.push(x.d.repeat(x.n));
      for (const t of x.op.reverse()) {
        const c: Inline[] = [];
        if (open.length > MAX_NESTING) open.push(open.at(-1)!);
        else open.at(-1)!.push({ t, c }), open.push(c);
      }
    }
  }
  return out;
}
