/**
 * The syntax highlighter: a module of its own, which an element with `highlight` imports the first
 * time it has a finished code block, so neither the CDN bundle nor a page without it loads this.
 *
 * sugar-high's lexer splits the code into typed tokens; each coloured token becomes a `span` whose
 * text is the token's, the rest stays text. Nothing is parsed as HTML, and the code's text content
 * stays exactly the code: a Copy reads it.
 */
import { SugarHigh, tokenize, type ParseOptions } from 'sugar-high/core';
import * as css from 'sugar-high/lang/css';
import * as html from 'sugar-high/lang/html';
import * as javascript from 'sugar-high/lang/javascript';
import * as json from 'sugar-high/lang/json';
import * as python from 'sugar-high/lang/python';
import * as shell from 'sugar-high/lang/shell';
import type { ReactiveElement } from 'lit';
import { highlightStyles } from './highlight.styles.js';

export { highlightStyles };

/** A language that is not JavaScript: no JSX, regular expressions or template strings in it. */
const notJs = (config: ParseOptions): ParseOptions => ({ ...config, jsx: false, regex: false, templateStrings: false });

/**
 * The JavaScript lexer's declared options are narrower than the core's `ParseOptions`, which it is
 * given: the same object at run time.
 */
const jsLike = (config: object) => config as ParseOptions;

const [STRING, SIGN, SPACE, BREAK, COMMENT, IDENTIFIER, CLASS, PROPERTY] = ['string', 'sign', 'space', 'break', 'comment', 'identifier', 'class', 'property'].map((type) => SugarHigh.TokenMap.get(type));

/**
 * JavaScript with a `,` added before a `/` a keyword an expression follows comes just before (its
 * space and tab between): sugar-high reads a regular expression after a sign (`return /re/`,
 * `return/re/`), after a word it divides (a property or private field of that name too: `a.return
 * / 2`, `this.#in / 2`). `of` too where it ends a for-of head, after a name or a pattern (`m of
 * /re/g`); as a name, no reserved word, it divides (`= of / 2`, `return of / 2`), as Prism and
 * highlight.js read it.
 * `await` and `yield` always, as Prism reads `yield` (as names, in sloppy code, they are rare).
 * Each comma's place in the new code is added to `added`.
 */
const signed = (code: string, added?: Set<number>) => {
  let n = 0;
  // (`of` after such a keyword is a name, taken with it and left: `return of / 2`. The word before
  // an `of` is looked for after it, not at every place: back over a line of spaces from each, it
  // took WebKit minutes.)
  return code.replace(/(?<![\w$.#])(?:(?:return|typeof|case|throw|yield|await|void|delete|in|else|do)([ \t]+of)?|of(?<=[\w$\]}][ \t]+of))[ \t]*(?=\/(?![/*]))/g, (m, of, at: number) => (of ? m : (added?.add(at + m.length + n++), `${m},`)));
};

/**
 * JavaScript, where sugar-high reads a `/` after `]` as a regular expression's start (`a[0] / 2 + b
 * / 3`: one to the next `/` on the line); after `]`, as after `)`, it divides. Each such `]` is
 * lexed again as a `)`, and so is one before that expression's closing `/` (`a[i] / b[j] / c`: its
 * text is code), until none is left: real code takes two passes. Three at most: quotes that each
 * pass pairs anew (`a] / ' / x '] / " / y "…`) hide one more each, a square of the block's length.
 * The tokens keep the code's text.
 */
function jsTokens(source: string, config: object): [number, string][] {
  // sugar-high ends a template literal's `${…}` at its first `}`, in a string too (`${ "}" }`): each
  // `}` in a string there, or closing an object literal's `{` (one deep: `${ {a: '}'}.a }`), is lexed
  // as a `)`. (A match holds no other `}`, and no backtick: from a `${` in a string, `"${" + `, its
  // closing quote would pair with the next one, past a template literal's `}`.)
  const added = new Set<number>();
  let code = signed(source, added).replace(/(?<!\\)(?:\\\\)*\$\{(?:[^{}"'`]|(["'])(?:\\.|(?!\1)[^\\\n`])*\1|\{(?:[^{}"'`]|(["'])(?:\\.|(?!\2)[^\\\n`])*\2)*\})*/g, (m) => m.replace(/}/g, ')'));
  let tokens: [number, string][];
  for (let again = true, passes = 3; again && passes--; ) {
    again = false;
    tokens = javascript.tokenize(code, config);
    let at = 0;
    let close = -1;
    // The rest of the line after such an expression, where its `/` may start a real one, was lexed
    // from inside it (`/ s.split(/`, then `[,;]/`): its `]` are read in the next pass. After a
    // name, a number or a bracket (`/ b[1] /`), that `/` divides: the rest is read now.
    let next = 0;
    // The code to lex next, up to `done`: built in one pass, not copied whole for each `]`. (Its
    // positions are this code's: each `]` becomes a `)`.)
    let lexed = '';
    let done = 0;
    for (const [type, value] of tokens) {
      if (close >= 0 && type == STRING && value[0] == '/' && at >= next) {
        lexed += `${code.slice(done, close)})${code.slice(close + 1, at)}${value.replace(/\](?=\s*\/)/g, ')')}`;
        done = at + value.length;
        again = true;
        next = /[\w$)\]]\s*\/[a-z]*$/.test(value) ? 0 : code.indexOf('\n', at) + 1 || code.length;
      }
      if (type != SPACE && type != BREAK) close = type == SIGN && value == ']' ? at : -1;
      at += value.length;
    }
    code = lexed + code.slice(done);
  }
  let at = 0;
  let end = 0;
  // Without the commas signed() added: a sign each, or in a comment's, a string's or JSX text's token.
  return tokens!.map(([type, value]) => {
    let length = 0;
    for (let i = value.length; i--; ) length += +!added.has(end++);
    return [type, source.slice(at, (at += length))];
  });
}

/**
 * A literal sugar-high's lexer does not know, at `at`: its length, 0 where none starts (sticky: each
 * costs its own length).
 */
const literal = (pattern: RegExp) => (_: string, at: number, code: string) => ((pattern.lastIndex = at), pattern.exec(code)?.[0].length ?? 0);

/**
 * The lines of the last shell block with a `<<` that may close a heredoc, a word alone (tabs before
 * it or not), by word: where each word starts, in order. Read in one pass, not from each `<<` to the
 * block's end, which a script with a `<<` and no closing line on every line (`$[n << 1]`) made a
 * square of its length.
 */
let closers: [code: string, lines: Map<string, [start: number, tabbed: boolean][]>] = ['', new Map()];

/**
 * Whether the shell line ending at `end` (its newline) goes on to the next: it ends in a `\` no `\`
 * escapes, outside a comment and quotes.
 */
const continues = (code: string, end: number) => /^(?:\\.|"(?:\\.|[^"\\])*"|'[^']*'|[^\\"'#]|(?<=[^\s;|&()])#)*\\$/.test(code.slice(code.lastIndexOf('\n', end - 1) + 1, end));

/**
 * Shell's quotes that open no string, read by sugar-high as opening one that ran on over the rest of
 * the block: a quote escaped outside quotes (`'it'\''s'`), and the text of a heredoc (`It's`), from
 * the start of the line after the one that opens it (after the lines a `\` at its end continues it
 * on; it may end in a comment, which takes its newline) to its closing word's line (with two
 * heredocs on the line, the second's; after a transcript's `> ` too). None without that line.
 */
function shellLiteral(c: string, at: number, code: string): number {
  if (c == '\\') return /['"]/.test(code[at + 1]!) ? 2 : 0;
  // The line before, with those it continues: its heredocs start here. None where it goes on.
  let start = at - 1;
  if (code[at - 1] == '\n' && !continues(code, at - 1)) do start = code.lastIndexOf('\n', start - 1); while (start > 0 && continues(code, start));
  const line = start < at - 1 ? code.slice(start + 1, at - 1) : '';
  if (line.includes('<<') && closers[0] !== code) {
    const lines: (typeof closers)[1] = new Map();
    for (const { index, 0: all, 1: tabs, 2: word } of code.matchAll(/(?<=\n)(?:> )?(\t*)([\w-]+)(?![^\n])/g)) {
      lines.set(word!, lines.get(word!) ?? []).get(word!)!.push([index + all.length - word!.length, !!tabs]);
    }
    closers = [code, lines];
  }
  let end = at - 1;
  let length = 0;
  // Each heredoc the line opens (`paste <<A <<B`), in order, not in a comment, a string (`$'…'` with
  // its escapes) or arithmetic (`$((1 << 4))`, `$[n << 1]`, a subscript: `${a[1<<2]}`): one string
  // to the last closing word.
  for (const [, tabs, , word] of line.matchAll(/(?:^|[\s;|&()])#.*|"(?:\\.|[^"\\])*"|\$'(?:\\.|[^'\\])*'|'[^']*'|\(\(.*?\)\)|\[.*?]|(?<!<)<<(-?)\s*\\?(['"]?)([\w-]+)\2/g)) {
    if (!word) continue;
    // Tabs before the closing word with `<<-` only.
    const close = closers[1].get(word)?.find(([start, tabbed]) => start > end && (tabs || !tabbed))?.[0];
    // None: not a heredoc (C++'s `cout << x`, a transcript), as Prism reads it; the shell would read
    // one to the end, which made the rest of such a block one string.
    if (!close) break;
    (length = close - at), (end = close + word.length);
  }
  return length;
}

/**
 * CSS as sugar-high's CSS lexer reads it, each dashed name (`a-b`, `--x-y`) one token, and a declaration's
 * property one: rejoined into new arrays, in one pass each, where its splice for each made a square
 * of the block's length (30,000 characters of `a-b ` took 0.6 to 1.6 s).
 */
function cssTokens(code: string, config: ParseOptions): [number, string][] {
  const tokens = tokenize(code, { ...config, tokenize: undefined });
  const is = (list: [number, string][], at: number, type: number | undefined, value?: string) => list[at]?.[0] === type && (!value || list[at]![1] == value);
  const name = (at: number) => is(tokens, at, IDENTIFIER) || is(tokens, at, CLASS) || is(tokens, at, PROPERTY);
  const joined = (list: [number, string][], from: number, to: number) => list.slice(from, to).map(([, value]) => value).join('');
  const merged: [number, string][] = [];
  for (let i = 0; i < tokens.length; ) {
    let end = i;
    while (is(tokens, end, SIGN, '-')) end++;
    const first = end++;
    // Not a name after them: each of these starts none.
    if (!name(first) || /^\d/.test(tokens[first]![1])) {
      merged.push(...tokens.slice(i, end));
      i = end;
      continue;
    }
    for (let dash; is(tokens, end, SIGN, '-'); end++) {
      for (dash = end; is(tokens, end, SIGN, '-'); ) end++;
      if (!name(end)) {
        end = dash;
        break;
      }
    }
    merged.push(end > i + 1 ? [tokens[first]![0], joined(tokens, i, end)] : tokens[i]!);
    i = end;
  }
  const out: [number, string][] = [];
  let depth = 0;
  let declaration = false;
  const ignored = (at: number) => is(merged, at, SPACE) || is(merged, at, BREAK) || is(merged, at, COMMENT);
  for (let i = 0; i < merged.length; ) {
    let token = merged[i]!;
    let next = i + 1;
    if (token[0] == SIGN && '{};'.includes(token[1])) {
      depth += +(token[1] == '{') - +(token[1] == '}');
      declaration = token[1] == '{' || (token[1] == ';' && depth > 0);
    } else if (declaration && !ignored(i)) {
      let end = i;
      while (is(merged, end, IDENTIFIER) || is(merged, end, CLASS) || is(merged, end, SIGN, '-')) end++;
      let colon = end;
      while (ignored(colon)) colon++;
      // A property, unless the `:` is a nested rule's selector's (`&:hover {`).
      let opens = false;
      if (end > i && is(merged, colon, SIGN, ':')) {
        for (let at = colon + 1, round = 0, square = 0, c; at < merged.length; at++) {
          if (merged[at]![0] != SIGN) continue;
          c = merged[at]![1];
          round += +(c == '(') - +(c == ')');
          square += +(c == '[') - +(c == ']');
          if (!round && !square && '{;}'.includes(c)) {
            opens = c == '{';
            break;
          }
        }
        if (!opens) (token = [PROPERTY!, joined(merged, i, end)]), (next = end);
      }
      declaration = false;
    }
    out.push(token);
    i = next;
  }
  return out;
}

/**
 * A part of HTML: a comment (to where a browser ends it: `<!-->` and `<!--->` are whole, `--!>`
 * ends one too), a tag (its name; a doctype's, `<!DOCTYPE`, and an XML declaration's,
 * `<?xml`, lexed alike), both lexed by HTML's rules, or text (the second group): up to the next `<`,
 * or a CDATA section, whose `<` opens no tag (in `xml`, and in HTML's SVG and MathML).
 */
const HTML_PART = /<!--(?:-?>|[^]*?(?:--!?>|$))|<[/!?]?([a-z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>?|([^<]+|<!\[CDATA\[[^]*?(?:]]>|$)|<)/gi;

/** Whether a tag ends in `/>`: not after an unquoted value, whose `/` it is (`src=a.js/>`, `width=10/>`). */
const selfClosing = (tag: string) => /(?<!=\s*[^\s"'>]+)\/>$/.test(tag);

/**
 * HTML, which sugar-high lexes as JSX (`{` opened an expression, where `{{ it's }}` or a script's
 * `// don't` opened a string that ran on over the rest of the block; `a <b` in a script was a tag):
 * each tag lexed alone, comments whole, text as text; a script's body with JavaScript's rules
 * (JSON's by its type, HTML's for a template's type, none for another: a shader, `text/plain`), a style's
 * with CSS's, to the first `</script` or `</style`, as a browser ends them, in a string too.
 * `xml` (XML, SVG, XHTML): a CDATA section is one everywhere.
 */
function htmlTokens(source: string, xml?: boolean): [number, string][] {
  const tokens: [number, string][] = [];
  const part = new RegExp(HTML_PART);
  /** Inside SVG or MathML (HTML's foreign content), where a CDATA section is one. */
  let foreign = 0;
  for (let m; (m = part.exec(source)); ) {
    let [text, name = '', plain] = m;
    // (An end tag with none open closes none.)
    if (/^(svg|math)$/i.test(name)) foreign += text[1] == '/' ? -(foreign > 0) : +!selfClosing(text);
    // Elsewhere in HTML, a bogus comment, which a browser ends at the first `>`.
    if (!xml && foreign < 1 && plain?.startsWith('<![')) {
      tokens.push([COMMENT!, (text = text.slice(0, text.indexOf('>') + 1 || undefined))]);
      part.lastIndex = m.index + text.length;
      continue;
    }
    tokens.push(...(plain ? [[0, text] as [number, string]] : html.tokenize(text, html)));
    // A self-closing script or style has no body (in SVG and XML; HTML reads a body after it, but
    // code that writes `<script src="a.js"/>` in HTML means none).
    if (text[1] == '/' || selfClosing(text) || !/^(script|style)$/i.test(name)) continue;
    const end = new RegExp(`</${name}(?![^\\s/>])`, 'gi');
    end.lastIndex = part.lastIndex;
    const body = source.slice(part.lastIndex, end.exec(source)?.index ?? source.length);
    const type = /\stype\s*=\s*["']?([^"'\s>]*)/i.exec(text)?.[1] ?? '';
    const config = LANGUAGES.get(/^style$/i.test(name) ? 'css' : /json|importmap|rules/i.test(type) ? 'json' : /^$|module|script|babel|jsx/i.test(type) ? 'js' : /html|te?mpl|handlebars|mustache/i.test(type) ? 'html' : '');
    tokens.push(...(!config || readAhead(body, config) > MAX_READ_AHEAD ? [[0, body] as [number, string]] : tokenize(body, config)));
    part.lastIndex += body.length;
  }
  return tokens;
}

/** Shell: a `#` starts a comment at a word's start only, not in `${#arr[@]}`, `$#` or `a#b`. */
const SHELL: ParseOptions = { ...notJs(shell), onLiteral: shellLiteral, onCommentStart: (c: string, _: string, at: number, code: string) => +(c == '#' && /^[\s;|&()]?$/.test(code[at - 1] ?? '')) };

/**
 * A shell transcript: a line that starts with one of `prompts` and a space (after a user, host and
 * path, as Prism reads one: `root@box:~# `, `~/src% `), with the lines a `\` ending one continues
 * and the `> ` lines that go on with it, is shell, each command lexed alone; the prompt and the
 * other lines, its output (`can't`), are text.
 */
const transcript = (source: string, prompts: string) =>
  [...source.matchAll(RegExp(`^((?:[^\\s@]+@[^\\s:]+(?::\\S*)?|[/~.]\\S*)?[${prompts}] )((?:[^\\\\\\n]|\\\\\\r?[^]|\\n> )*\\n?)|[^\\n]*\\n?`, 'gm'))].flatMap(([line, prompt, command]): [number, string][] => (prompt ? [[0, prompt], ...tokenize(command!, SHELL)] : [[0, line]]));

/** The lexer's options per language, under the names a fence's info string gives it. */
const LANGUAGES = new Map<string, ParseOptions>();
for (const [config, names] of [
  [{ tokenize: jsTokens }, 'js javascript jsx mjs cjs node'],
  // (sugar-high's TypeScript is its JavaScript told so.)
  [jsLike({ typescript: true, tokenize: jsTokens }), 'ts typescript tsx mts cts'],
  // A triple-quoted string, to its end or the block's: read as an empty string and a quote, an
  // apostrophe in it opened a string that ran on over the code after it.
  [{ ...notJs(python), onLiteral: literal(/("""|''')(?:\\[^]|[^\\])*?(?:\1|$)/y) }, 'py python python3'],
  // A script, or a transcript from a `$ ` on.
  [{ ...SHELL, tokenize: (source: string) => (/^\s*?(?<![^\n])\$ /.test(source) ? transcript(source, '$') : tokenize(source, SHELL)) }, 'sh bash shell zsh shellscript'],
  [{ ...SHELL, tokenize: (source: string) => transcript(source, '$#%') }, 'console shell-session terminal'],
  [notJs(json), 'json jsonc'],
  [{ ...jsLike(html), tokenize: (source: string) => htmlTokens(source) }, 'html htm'],
  [{ ...jsLike(html), tokenize: (source: string) => htmlTokens(source, true) }, 'xml svg xhtml'],
  // (Its parts, not the module: its own tokenize is left out of the chunk.)
  [notJs({ keywords: css.keywords, onCommentStart: css.onCommentStart, onCommentEnd: css.onCommentEnd, onLiteral: css.onLiteral, tokenize: cssTokens }), 'css'],
] as const) {
  for (const name of names.split(' ')) LANGUAGES.set(name, config);
}

/**
 * The class of each token type that gets a colour (its type's name, unless another is given);
 * identifiers, punctuation, white space and the text between HTML tags stay plain text (half the
 * tokens: fewer nodes to lay out).
 */
const CLASSES = new Map(
  [
    ['keyword'],
    ['string'],
    ['comment'],
    // Numbers, constants and capitalised names (types, classes).
    ['class', 'literal'],
    ['property'],
    // HTML and JSX tag names.
    ['entity', 'tag'],
  ].map(([type, name = type]) => [SugarHigh.TokenMap.get(type!), name]),
);

/**
 * Blocks longer than this stay plain: lexing and laying out 30,000 characters of code takes about
 * 30 ms in Chromium, and a longer block would be a long task of its own.
 */
const MAX_LENGTH = 30_000;

/**
 * How far sugar-high's lexer may read: from each `<` (a generic's parameters?) it reads on while
 * letters, white space, `,.=?:|&[]` and brackets go on, so a run of `a<a<…` costs its length for
 * each `<` in it (15,000 characters of it took 0.6 s, 30,000 took 2 to 3 s, in one task). This
 * counts it, a run at a time; real code breaks runs at every digit, quote, parenthesis and brace.
 * Others are counted alike: its CSS reads from a property's `:` past a bracket left open to the
 * end (30,000 of `{a:(` took 1 to 3 s); and its JavaScript reads from each `/` after a sign, a
 * keyword (`return`) or a line's start to the line's end when no `/` closes it (a line of `/\`
 * took 1 to 2 s). Code as written stays far below the limit; a minified line full of regular
 * expressions may not.
 */
function readAhead(source: string, { regex, tokenize: lex }: ParseOptions): number {
  let steps = 0;
  for (const [run] of source.matchAll(/[\p{L}_$\s,.=?:|&[\]<>]+/gu)) steps += run.length * (run.split('<').length - 1);
  if (lex == cssTokens) {
    // From a property's `:` after a `{` or `;`, its CSS reads tokens on to a `;`, `{` or `}` outside
    // the brackets opened after it: to the end past one left open (`{a:(`). Counted here in one
    // pass, outside strings and comments, from every `{` and `;` to the next stop at its brackets'
    // depth: at most the block's length for each depth, a few in real CSS, thousands in `{a:(…`.
    // A token read there costs about four characters read by a regular expression.
    const waiting = new Map<string, number>();
    let read = 0;
    let round = 0;
    let square = 0;
    for (const { 0: c, index } of source.matchAll(/\/\*[^]*?(?:\*\/|$)|(["'])(?:\\[^]|(?!\1)[^\\])*\1?|[()[\]{};]/g)) {
      const depth = `${(round += +(c == '(') - +(c == ')'))} ${(square += +(c == '[') - +(c == ']'))}`;
      if (!/^[{};]$/.test(c)) continue;
      read += index - (waiting.get(depth) ?? index);
      if (c == '}') waiting.delete(depth);
      else waiting.set(depth, index);
    }
    for (const from of waiting.values()) read += source.length - from;
    steps += 4 * read;
  }
  // (Not where it reads no regular expression: minified JSON with URLs, or CSS with url("/…"), is lexed in a few ms.)
  if (regex ?? 1) for (const line of signed(source).split('\n')) steps += line.length * (line.match(/(?:^|[^\w$)\s])\s*\/(?![/*])/g)?.length ?? 0);
  return steps;
}

/** Over this many characters read ahead (about 20 ms of lexing), a block stays plain. */
const MAX_READ_AHEAD = 4_000_000;

/**
 * Highlights the `code` element of a finished code block in `language` (a fence's first word, any
 * case): its text becomes spans of class `keyword`, `string`, `comment`, `literal`, `property` or
 * `tag`, and text, coloured by {@link highlightStyles} in its shadow root. A language it does not
 * know, and a block over {@link MAX_LENGTH}, stay as they are.
 */
export function highlight(code: HTMLElement, language: string): void {
  const config = LANGUAGES.get(language.toLowerCase());
  const source = code.textContent ?? '';
  if (!config || source.length > MAX_LENGTH || readAhead(source, config) > MAX_READ_AHEAD) return;
  const out = document.createDocumentFragment();
  let span: HTMLElement | undefined;
  for (const [type, value] of tokenize(source, config)) {
    if (!value) continue;
    const name = CLASSES.get(type);
    if (!name) {
      const last = out.lastChild;
      if (last instanceof Text) last.appendData(value);
      else out.append(value);
      span = undefined;
    } else if (span?.className === name) {
      (span.firstChild as Text).appendData(value);
    } else {
      span = document.createElement('span');
      span.className = name;
      span.textContent = value;
      out.append(span);
    }
  }
  code.replaceChildren(out);
  // In the element's shadow root only: never in a page's document, whose own classes these may be.
  // (In another document, the sheet cannot be used: the element adds its copy as it renders.)
  const root = code.getRootNode();
  if (root instanceof ShadowRoot && !root.adoptedStyleSheets.includes(highlightStyles)) {
    if (code.ownerDocument === document) root.adoptedStyleSheets = [...root.adoptedStyleSheets, highlightStyles];
    else (root.host as Partial<ReactiveElement>).requestUpdate?.();
  }
}

/**
 * Code blocks waiting for their turn, with their language. Held weakly: a block an element's
 * answer keeps out of view (its format switched away) is still highlighted, but the queue does not
 * keep a removed element alive, a second or a background tab's minute, for blocks nobody will see.
 */
const queue: [code: WeakRef<HTMLElement>, language: string][] = [];

/** The time one turn of the queue may take, in ms. */
const SLICE = 8;

/**
 * Highlights a block soon, in order: queued blocks are highlighted a few milliseconds' worth at a
 * time, between the page's frames, so a streamed frame never waits for one, and a restored
 * conversation with many blocks makes no long task.
 */
export function queueHighlight(code: HTMLElement, language: string): void {
  if (queue.push([new WeakRef(code), language]) === 1) setTimeout(run);
}

function run(): void {
  const end = performance.now() + SLICE;
  while (queue.length && performance.now() < end) {
    // One block that fails stays plain; the queue goes on.
    const [code, language] = queue.shift()!;
    try {
      const block = code.deref();
      if (block) highlight(block, language);
    } catch {
      /* left as it is */
    }
  }
  if (queue.length) setTimeout(run);
}
