/**
 * A run of over 256 visible characters of ASCII, Latin-1 and Latin Extended (no space in it).
 * Chromium lays out such a run whose letters its font kerns (`AAAA…`, `TTTT…` or `ÄÄÄÄ…` in DejaVu
 * Sans) in time growing with the square of its length, 2 s for 20,000 characters, which a model can
 * be made to write (and a question pasted); cut into Text nodes of 256, in linear time. Not between
 * other characters: a cut there could part a letter from its marks, an Arabic word's letters (which
 * WebKit does not join across Text nodes) or an emoji's sequence. (Nor in a Markdown code block,
 * which does not wrap.) A Cyrillic, Greek, Hebrew or Armenian run (`ДДДД…`, `ΑΑΑΑ…`, `שששש…`,
 * `ԱԱԱԱ…`, words without spaces) is laid out in time growing with the square of its length too, but
 * some 50 times faster (20-80 ms for 20,000 characters, 0.1-0.45 s for 40,000), and cut into Text
 * nodes of 256 it is laid out no faster (in WebKit, slower): left whole (docs/performance.md has the
 * numbers). Tried where a run starts only: tried at each character, every run of under 257 was
 * read again from each of its characters, and a paragraph of 100 KB of them (base64, long URLs)
 * streamed in 1.4-1.8 s, not 0.13.
 */
const RUN = /(?<![!-~\xa1-\u024f])[!-~\xa1-\u024f]{257}/g;

/** Appends `s` to `p`'s last Text node, or to a new one after an element (none for no text). */
export const text = <P extends ParentNode>(p: P, s: string): P => {
  const last = p.lastChild;
  if (s) last instanceof Text ? last.appendData(s) : p.append(s);
  return p;
};

/** `s` cut after 256 characters of each long {@link RUN}, looked for again from each cut. */
const cut = (s: string): string[] => {
  const all = [];
  for (let at; (at = s.search(RUN)) >= 0; s = s.slice(at + 256)) all.push(s.slice(0, at + 256));
  return [...all, s];
};

/**
 * Appends `s` as {@link text} does, with each long {@link RUN} of the Text node it goes on cut into
 * Text nodes of 256. Cut by the node's text alone (its runs before the last are 256 at most: the
 * last, if it goes on, is in its last 256 characters), so text streamed into it is cut as the whole
 * would be. Cut as a string, then appended: split off the node, each piece copied the rest of the
 * run, 6.8 ms for a run of 40k that an open line appended again at each piece.
 */
export const words = <P extends ParentNode>(p: P, s: string): P => {
  const last = p.lastChild;
  const end = last instanceof Text ? last.substringData(Math.max(0, last.length - 256), 256) : '';
  const [first, ...rest] = cut(end + s);
  // (No text: nothing, not even an empty node. The pieces appended one at a time, not as one call's
  // arguments: a run of 34 MB is 133k pieces, more than Chromium's stack holds, a RangeError.)
  if (s) text(p, first!.slice(end.length)), rest.forEach((x) => p.append(x));
  return p;
};

/**
 * What {@link pieces} made of the long texts it was given lately, by text (V8 keeps a string's hash
 * in it: the same text is found again in constant time). The log renders every message again at each
 * change, where Lit compares a string by identity: looking through them all for runs made a log of
 * 490 KB of questions and reasoning take 4.9 ms a render instead of 0.6.
 */
const made = new Map<string, string | string[]>();
/** The characters of the texts in {@link made}. */
let kept = 0;

/**
 * `s` as Lit is to render it: itself, or, where it holds a long {@link RUN}, its pieces cut as
 * {@link words} cuts them, which Lit renders as consecutive Text nodes.
 */
export const pieces = (s: string | null | undefined): string | string[] | null | undefined => {
  // (Shorter, or none: nothing to cut, nor to keep.)
  if (!s || s.length < 257) return s;
  let all = made.get(s);
  if (!all) {
    const some = cut(s);
    // (Four million characters at most: a host that sets an answer as it grows, or a long
    // conversation, is not held for long after it left the page.)
    if ((kept += s.length) > 4e6) made.clear(), (kept = s.length);
    // (What follows a cut is never empty: a run is cut 256 into its 257 or more.)
    made.set(s, (all = some[1] ? some : s));
  }
  return all;
};
