/**
 * A run of over 256 visible characters of ASCII, Latin-1 and Latin Extended (no space in it).
 * Chromium lays out such a run whose letters its font kerns (`AAAA…`, `TTTT…` or `ÄÄÄÄ…` in DejaVu
 * Sans) in time growing with the square of its length, 2 s for 20,000 characters, which a model can
 * be made to write (and a question pasted); cut into Text nodes of 256, in linear time. Not between
 * other characters: a cut there could part a letter from its marks, an Arabic word's letters or an
 * emoji's sequence. (Nor in a Markdown code block, which does not wrap.) A Cyrillic or Greek run
 * (`ДДДД…`, `ΑΑΑΑ…`, words without spaces) is laid out in time growing with the square of its
 * length too, but some 50 times faster (20-80 ms for 20,000 characters, 0.1-0.45 s for 40,000), and
 * cut into Text nodes of 256 it is laid out no faster: left whole (docs/performance.md has the
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

/**
 * Appends `s` as {@link text} does, with each long {@link RUN} of the Text node it goes on cut into
 * Text nodes of 256. Cut by the node's text alone (its runs before the last are 256 at most), so
 * text streamed into it is cut as the whole would be.
 */
export const words = <P extends ParentNode>(p: P, s: string): P => {
  // From the last run of the Text node it goes on (after an element, no length: from 0).
  RUN.lastIndex = ((p.lastChild as Text | null)?.length as number) - 256;
  text(p, s);
  for (let m; s && (m = RUN.exec((p.lastChild as Text).data)); RUN.lastIndex = 0) (p.lastChild as Text).splitText(m.index + 256);
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
    const cut = [];
    let rest = s;
    for (let at; (at = rest.search(RUN)) >= 0; rest = rest.slice(at + 256)) cut.push(rest.slice(0, at + 256));
    // (Four million characters at most: a host that sets an answer as it grows, or a long
    // conversation, is not held for long after it left the page.)
    if ((kept += s.length) > 4e6) made.clear(), (kept = s.length);
    made.set(s, (all = cut.length ? [...cut, rest] : s));
  }
  return all;
};
