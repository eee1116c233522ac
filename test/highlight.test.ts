/**
 * The highlighter module (src/element/highlight.ts): which tokens become which spans, the code's
 * text kept exactly, hostile code kept as text, unknown languages and huge blocks left alone, its
 * colours added to a shadow root and never to the page, and the queue that spreads the work. When
 * the element calls it, and what a reader sees, is tested in highlighting.test.ts.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { highlight, queueHighlight } from '../src/element/highlight.js';
import { highlightStyles } from '../src/element/highlight.styles.js';
import { frozenSheets } from './helpers/layout.js';
import { seededRandom } from './helpers/transcripts.js';
import { itWithCdp } from './helpers/cdp.js';

function codeOf(text: string, parent?: Node): HTMLElement {
  const code = document.createElement('code');
  code.textContent = text;
  parent?.appendChild(code);
  return code;
}

/** The spans as `class:text`, in order. */
function tokens(code: HTMLElement): string[] {
  return [...code.children].map((span) => `${span.className}:${span.textContent}`);
}

/** How many characters the regular expressions `f` runs read, from where each starts to its match's end. */
function scanned(f: () => void): number {
  let n = 0;
  const exec = RegExp.prototype.exec;
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    const from = this.global || this.sticky ? this.lastIndex : 0;
    const match = exec.call(this, s);
    n += (match ? match.index + match[0].length : s.length) - from;
    return match;
  };
  try {
    f();
  } finally {
    RegExp.prototype.exec = exec;
  }
  return n;
}

/**
 * Runs `f` with the methods given counted: the sum of `count(this, arguments, result)` over their
 * calls.
 */
function tally<T>(f: () => void, ...spies: [proto: object, name: string, count: (self: T, args: number[], result: T) => number][]): number {
  let n = 0;
  const methods = spies.map(([proto, name]) => Reflect.get(proto, name) as (...args: unknown[]) => T);
  spies.forEach(([proto, name, count], i) =>
    Reflect.set(proto, name, function (this: T, ...args: number[]) {
      const result = methods[i]!.apply(this, args);
      n += count(this, args, result);
      return result;
    }),
  );
  try {
    f();
  } finally {
    spies.forEach(([proto, name], i) => Reflect.set(proto, name, methods[i]));
  }
  return n;
}

/** How many characters `f` copies with `slice`: the length of each string it cuts out. */
const sliced = (f: () => void) => tally<string>(f, [String.prototype, 'slice', (_, __, part) => part.length]);

/** How many array elements `f` moves or copies: those after each `splice`'s start, and each `slice`'s. */
const moved = (f: () => void) =>
  tally<unknown[]>(f, [Array.prototype, 'splice', (self, [start]) => self.length - start!], [Array.prototype, 'slice', (_, __, part) => part.length]);

function highlighted(text: string, language: string): HTMLElement {
  const code = codeOf(text);
  highlight(code, language);
  return code;
}

describe('highlight', () => {
  it('JavaScript and TypeScript: keywords, strings, comments, literals, properties', () => {
    const code = highlighted('const a = "x"; // note\nlet n = 42 + Math.max(a.length);\n', 'js');
    expect(tokens(code)).to.deep.equal(['keyword:const', 'string:"x"', 'comment:// note\n', 'keyword:let', 'literal:42', 'literal:Math', 'property:max', 'property:length']);
    expect(tokens(highlighted('interface A { b: string }', 'ts'))).to.deep.equal(['keyword:interface', 'literal:A', 'keyword:string']);
  });

  it('Python, shell, JSON, HTML and CSS', () => {
    expect(tokens(highlighted('def f(x):\n    return None  # done\n', 'python'))).to.deep.equal(['keyword:def', 'keyword:return', 'literal:None', 'comment:# done\n']);
    expect(tokens(highlighted('for f in *.txt; do echo "$f"; done # all\n', 'bash'))).to.deep.equal(['keyword:for', 'keyword:in', 'property:txt', 'keyword:do', 'string:"$f"', 'keyword:done', 'comment:# all\n']);
    expect(tokens(highlighted('{"a": "b", "n": 1, "ok": true}', 'json'))).to.deep.equal(['property:"a"', 'string:"b"', 'property:"n"', 'literal:1', 'property:"ok"', 'keyword:true']);
    expect(tokens(highlighted('<p class="x">hi</p> <!-- c -->', 'html'))).to.deep.equal(['tag:p', 'property:class', 'string:"x"', 'tag:p', 'comment:<!-- c -->']);
    expect(tokens(highlighted('a { color: #fff } /* c */', 'css'))).to.deep.equal(['property:color', 'string:#fff', 'comment:/* c */']);
  });

  // Before, a `/` after `]` started a regular expression, to the next `/` on the line (`/ 2 + b /`
  // a string): after `]`, as after `)`, a name or a number, it divides.
  it('JavaScript: a `/` after `]` divides, as after `)`; one after `[`, `,` or `(` starts a regular expression', () => {
    expect(tokens(highlighted('x = a[0] / 2 + b / 3, y = m[i][j]/n[k]/c', 'js'))).to.deep.equal(['literal:0', 'literal:2', 'literal:3']);
    expect(tokens(highlighted('t = `${a[0] / 2}` + "/"', 'ts'))).to.deep.equal(['string:`', 'literal:0', 'literal:2', 'string:`', 'string:"/"']);
    expect(tokens(highlighted('x = [/a/g, 1].map(f); s.split(/]/)', 'js'))).to.deep.equal(['string:/a/g', 'literal:1', 'property:split', 'string:/]/']);
  });

  // Found in review of 9cf0203: after a would-be regular expression (`/ s.split(/`), the rest of its
  // line was lexed from inside it, so the `]` of the real one's class, then a `/`, was taken for
  // one more such `]`: lexed again as `)`, the class had no end and the expression was no string.
  it('JavaScript: a regular expression’s class after a `/` that divides stays one', () => {
    expect(tokens(highlighted('n = a[0] / s.split(/[,;]/).length / 2', 'js'))).to.deep.equal(['literal:0', 'property:split', 'string:/[,;]/', 'literal:2']);
  });

  // Found in review of 790e5683: signed()'s look back for a word before `of` ran at every place of
  // a line, back over all the spaces before it: a block of one line of 29,000 spaces (a model that
  // ran on in blanks), under the size highlighted, took WebKit 128 s in one task (V8 of Node 20
  // 1.5 s; Chromium 156's none). No clock here (a shared machine's is noisy): in WebKit, the
  // quadratic look back runs past the test's timeout.
  it('JavaScript: a long run of spaces on one line is read once, not back from each of them', () => {
    const text = `x =${' '.repeat(29_000)}y / 2`;
    expect(highlighted(text, 'js').textContent).to.equal(text);
  });

  // Found in review of 9cf0203: each lexing again found one more `]` a quote had hidden (`] / '`
  // opened a regular expression, so the `'` after it opened the next string): one lexing each,
  // 500 lexings of this block (2 s), 2,500 of 30,000 characters (a minute, in one task).
  it('JavaScript: a block reads a `/` after `]` in a few lexings, not one for each `]` a quote hid', () => {
    let text = 'a';
    for (let i = 0; i < 500; i++) text += `] / ${'\'"'[i % 2]} / x ${'\'"'[i % 2]}\n`;
    let code!: HTMLElement;
    // One lexing of it scans about 10 characters for each.
    expect(scanned(() => (code = highlighted(text, 'js')))).to.be.below(40 * text.length);
    expect(code.textContent).to.equal(text);
  });

  // Before, sugar-high read a `/` after a keyword as dividing: `return /^\d+$/.test(s)` was no
  // string, and an apostrophe in one (`throw /b'/`) opened a string to the next quote.
  it('JavaScript: a `/` after `return`, `typeof`, `throw` and the like starts a regular expression', () => {
    expect(tokens(highlighted("if (a) return /^\\d+$/.test(s)\nx = typeof /a/; throw /b'/\nlet s = 'x'", 'js'))).to.deep.equal(['keyword:if', 'keyword:return', 'string:/^\\d+$/', 'keyword:typeof', 'string:/a/', 'keyword:throw', "string:/b'/", 'keyword:let', "string:'x'"]);
    // Not after a property of that name, which divides.
    expect(tokens(highlighted("n = a.return / 2 / b; s = 'x'", 'js'))).to.deep.equal(['literal:2', "string:'x'"]);
    // Nor after a private field of that name (`#in`, `#of`, `#delete` are names), which divides too.
    expect(tokens(highlighted("n = this.#in / 2 / b; s = 'x'", 'js'))).to.deep.equal(['keyword:this', 'keyword:in', 'literal:2', "string:'x'"]);
    // Nor after `of` as a name (no reserved word), as Prism and highlight.js read it.
    expect(tokens(highlighted("const half = of / 2; // it's half\nlet s = 'x'", 'js'))).to.deep.equal(['keyword:const', 'literal:2', "comment:// it's half\n", 'keyword:let', "string:'x'"]);
  });

  // Before, `of` after a word was read as a for-of head's, even where that word is a keyword an
  // expression follows: `return of / 2 / n` had the regular expression `/ 2 /`.
  it('JavaScript: `of` after `return`, `typeof` and the like is a name, and a `/` after it divides', () => {
    expect(tokens(highlighted("function f(of, n) { return of / 2 / n } // it's half\nlet s = 'x'", 'js'))).to.deep.equal(['keyword:function', 'keyword:return', 'literal:2', "comment:// it's half\n", 'keyword:let', "string:'x'"]);
    expect(tokens(highlighted("x = typeof of / 2; y = await of / 3 / n; // it's\nlet s = 'x'", 'js'))).to.deep.equal(['keyword:typeof', 'literal:2', 'keyword:await', 'literal:3', "comment:// it's\n", 'keyword:let', "string:'x'"]);
    // (A for-of head's `of` still starts one, after a name `of` too.)
    expect(tokens(highlighted("for (const of of /a'/g.exec(s));\nlet s = 'x'", 'js'))).to.deep.equal(['keyword:for', 'keyword:const', "string:/a'/g", 'keyword:let', "string:'x'"]);
  });

  // Before, only a keyword a space or tab followed did (`return/re/` divided, an apostrophe in it
  // opened a string that ran on), and never `of`.
  it('JavaScript: a `/` right after such a keyword, and after a for-of head’s `of`, starts a regular expression too', () => {
    expect(tokens(highlighted("if (a) return/b'/g.test(s)\nlet s = 'x'", 'js'))).to.deep.equal(['keyword:if', 'keyword:return', "string:/b'/g", 'keyword:let', "string:'x'"]);
    expect(tokens(highlighted("for (const m of /a'/g.exec(s)) n = m / 2 / b\nlet s = 'x'", 'ts'))).to.deep.equal(['keyword:for', 'keyword:const', "string:/a'/g", 'literal:2', 'keyword:let', "string:'x'"]);
    expect(tokens(highlighted("for (const [a, b] of /c'/.exec(s));\nx = await/d'/.x; yield/e'/\nlet s = 'x'", 'js'))).to.deep.equal(['keyword:for', 'keyword:const', "string:/c'/", 'keyword:await', "string:/d'/", 'keyword:yield', "string:/e'/", 'keyword:let', "string:'x'"]);
  });

  // Found in review of 0b3f8b9: a `,` signed() added before a `/` in a comment, a string or JSX text
  // (`// files in /var/log`) stayed in its token, and each token after it took one more character.
  it('JavaScript: a keyword and a `/` in a comment, a string or JSX text leave the tokens after it in place', () => {
    expect(tokens(highlighted("// files in /var/log\nlet s = 'x'", 'js'))).to.deep.equal(['comment:// files in /var/log\n', 'keyword:let', "string:'x'"]);
    expect(tokens(highlighted("const msg = 'saved in /tmp', n = 1 // do /x/\nlet t", 'ts'))).to.deep.equal(['keyword:const', "string:'saved in /tmp'", 'literal:1', 'comment:// do /x/\n', 'keyword:let']);
    expect(tokens(highlighted('const a = <p>Files in /tmp</p>; let n = 1', 'jsx')).slice(-2)).to.deep.equal(['keyword:let', 'literal:1']);
  });

  // Before, each lexing again read one such `/` a line (the rest of the line, lexed from inside the
  // would-be expression, waited for the next), and three were done: the fourth on a line, and those
  // after it, stayed strings. Where that expression ends at a `/` after a name, a number or a
  // bracket, the `/` divides and the rest of the line was lexed as it is: its own are read too.
  it('JavaScript: every `/` after `]` on a line divides, however many', () => {
    expect(tokens(highlighted('x = a[0] / b[1] / c[2] / d[3] / e[4] / f[5] / g[6] / 2', 'js'))).to.deep.equal(['literal:0', 'literal:1', 'literal:2', 'literal:3', 'literal:4', 'literal:5', 'literal:6', 'literal:2']);
    expect(tokens(highlighted("a[0] / 1; b[0] / 2; c[0] / 3; d[0] / 4; e[0] / 5; f[0] / 6; s = 'x'", 'js')).slice(-2)).to.deep.equal(['literal:6', 'string:\'x\'']);
  });

  // A line whose each would-be expression ends where a real one may start (`(/`) is read one such
  // `/` a lexing, and the lexings stay three, however many there are.
  it('JavaScript: a line of `/` after `]` that each hide the next is read in a few lexings', () => {
    const text = 'a[0] / (/ x[1] '.repeat(2_000);
    let code!: HTMLElement;
    expect(scanned(() => (code = highlighted(text, 'js')))).to.be.below(40 * text.length);
    expect(code.textContent).to.equal(text);
  });

  // Found in review of e871fd0: each `]` lexed again as a `)` copied the whole block (2,000 lines
  // of `x = a[0] / b /`, 30,000 characters, copied 60 million).
  it('JavaScript: a block with many `/` after `]` is lexed again without copying it for each', () => {
    for (const text of ['x = a[0] / b /\n'.repeat(2_000), 'a[i] / '.repeat(700)]) {
      let code!: HTMLElement;
      expect(sliced(() => (code = highlighted(text, 'js')))).to.be.below(10 * text.length);
      expect(code.textContent).to.equal(text);
    }
  });

  // Before, a `}` in a string in a template literal's `${…}` ended the substitution: the rest of the
  // template was code and the string's closing quote opened one that ran on over the code after it.
  it('JavaScript: a `}` in a string or an object literal in a template literal’s `${…}` does not end it', () => {
    expect(tokens(highlighted('s = `a${ "}" }b`; let n = 1', 'js'))).to.deep.equal(['string:`a', 'string:"}"', 'string:b`', 'keyword:let', 'literal:1']);
    expect(tokens(highlighted("s = `${f('{}', `${'}'}`)}`\nlet t = 'x'", 'ts'))).to.deep.equal(['string:`', "string:'{}'", 'string:`', "string:'}'", 'string:`', 'string:`', 'keyword:let', "string:'x'"]);
    // Nor an object literal's, strings in it too.
    expect(tokens(highlighted("s = `a${ {b: '}', c: 1}.c }d`; let n = 2", 'js'))).to.deep.equal(['string:`a', 'string:\'}\'', 'literal:1', 'string:d`', 'keyword:let', 'literal:2']);
    // An escaped `\${` opens none (found in review of 90f20eb: its `}` was taken for the end of one).
    expect(tokens(highlighted('x = `\\${${a.b}}`;', 'js'))).to.deep.equal(['string:`\\${', 'property:b', 'string:}`']);
  });

  // Before, a `${` in a string (no template's) was read on past the string's closing quote, pairing
  // it with the next one, over a template literal after it, whose `}` was then taken for none: the
  // template ran on to the block's end.
  it('JavaScript: a `${` in a string ends with it, not in a template literal after it', () => {
    expect(tokens(highlighted('x = "${" + `a${b}c` + "}"\nlet z = 1', 'js'))).to.deep.equal(['string:"${"', 'string:`a', 'string:c`', 'string:"}"', 'keyword:let', 'literal:1']);
    expect(tokens(highlighted("echo('${HOME' + `${dir}/x` + '}')\nlet z = 1", 'ts'))).to.deep.equal(["string:'${HOME'", 'string:`', 'string:/x`', "string:'}'", 'keyword:let', 'literal:1']);
  });

  // Before, sugar-high read `'''` as an empty string and a quote: an apostrophe inside it opened a
  // string that ran on, over the code after it, to the next quote.
  it('Python: a triple-quoted string is one string, its quotes inside it; the code after it is code', () => {
    expect(tokens(highlighted(`s = '''it's "ok"'''\nreturn s`, 'python'))).to.deep.equal([`string:'''it's "ok"'''`, 'keyword:return']);
    expect(tokens(highlighted('def f():\n    """A 5" screen, \\""" too."""\n    return 1', 'py'))).to.deep.equal(['keyword:def', 'string:"""A 5" screen, \\""" too."""', 'keyword:return', 'literal:1']);
    // A block that ends inside one: a string to its end, as Python reads it.
    expect(tokens(highlighted('x = """open\n', 'py'))).to.deep.equal(['string:"""open\n']);
  });

  // Before, an apostrophe in a heredoc's text, or an escaped quote, opened a string that ran on over
  // the code after it, to the next quote in the block.
  it('shell: a heredoc’s text is a string to its closing word, and an escaped quote opens none', () => {
    expect(tokens(highlighted('cat <<EOF > notes.md\nIt\'s "here"\nEOF\necho "done"', 'bash'))).to.deep.equal(['literal:EOF', 'property:md', 'string:It\'s "here"\n', 'literal:EOF', 'string:"done"']);
    expect(tokens(highlighted("cat <<-'END'\n\tdon't\n\tEND\necho \"x\"", 'sh'))).to.deep.equal(["string:'END'", "string:\tdon't\n\t", 'literal:END', 'string:"x"']);
    expect(tokens(highlighted("echo 'it'\\''s' it\\'s\necho \"done\"", 'sh'))).to.deep.equal(["string:'it'\\''s'", "string:\\'", 'string:"done"']);
    // A `<<` in arithmetic opens no heredoc: the code after it is code.
    expect(tokens(highlighted('echo $((1 << 2))\nif true; then :; fi', 'sh'))).to.deep.equal(['literal:1', 'literal:2', 'keyword:if', 'keyword:then', 'keyword:fi']);
  });

  // Found in review of 568e42b: the comment ended the opener's line (its newline and all), so the
  // heredoc was never looked for.
  it('shell: a heredoc whose opener line ends in a comment is a string to its closing word', () => {
    expect(tokens(highlighted('cat <<EOF > notes.md # write <<IT\nIt\'s\nEOF\necho "done"', 'bash'))).to.deep.equal(['literal:EOF', 'property:md', 'comment:# write <<IT\n', "string:It's\n", 'literal:EOF', 'string:"done"']);
  });

  // Found in review of 568e42b: only the first was read, so the second's text was code.
  it('shell: two heredocs on one line are read in order, one string to the second’s closing word', () => {
    expect(tokens(highlighted("paste <<A <<'B'\na's\nA\nb's\nB\necho \"x\"", 'bash'))).to.deep.equal(['literal:A', "string:'B'", "string:a's\nA\nb's\n", 'literal:B', 'string:"x"']);
  });

  // Found in review of 568e42b: a tab before the word closed a plain `<<EOF` too.
  it('shell: only `<<-` lets tabs come before the closing word', () => {
    expect(tokens(highlighted("cat <<EOF\n\tEOF\nIt's\nEOF\necho \"x\"", 'bash'))).to.deep.equal(['literal:EOF', "string:\tEOF\nIt's\n", 'literal:EOF', 'string:"x"']);
  });

  // Found in review of 568e42b: a `<<EOF` in a string opened a heredoc, which took the code after it.
  it('shell: a `<<` in a quoted string opens no heredoc', () => {
    expect(tokens(highlighted("echo \"ends at <<EOF\" '<<EOF'\nls 'a'\ncat <<EOF\nIt's\nEOF", 'bash'))).to.deep.equal(['string:"ends at <<EOF"', "string:'<<EOF'", "string:'a'", 'literal:EOF', "string:It's\n", 'literal:EOF']);
  });

  // Found in review of 568e42b: a shift in arithmetic opened a heredoc when a line held its number.
  it('shell: a `<<` in arithmetic opens no heredoc', () => {
    expect(tokens(highlighted("mask=$((1 << 4))\ncat <<EOF\n4\nIt's\nEOF", 'bash'))).to.deep.equal(['literal:1', 'literal:4', 'literal:EOF', "string:4\nIt's\n", 'literal:EOF']);
  });

  // Found in review of 568e42b: each line with a `<<` and no closing line looked for one to the
  // block's end, a square of the block's length for a script shifting on every line (in `$[…]`:
  // `$((…))` is passed over).
  it('shell: lines with a `<<` that no line closes read the block once, not once each', () => {
    const script = 'n=$[n << 1]\n'.repeat(2_300) + "cat <<EOF\nIt's\nEOF\n";
    let code: HTMLElement | undefined;
    expect(scanned(() => (code = highlighted(script, 'bash')))).to.be.below(10 * script.length);
    expect(tokens(code!).slice(-3)).to.deep.equal(['literal:EOF', "string:It's\n", 'literal:EOF']);
  });

  // Before, every `#` started a comment to the line's end: `${#arr[@]} items` was one.
  it('shell: a `#` starts a comment at a word’s start only, not in `${#arr[@]}`, `$#` or a URL', () => {
    expect(tokens(highlighted('echo ${#arr[@]} "items" $# a#b # count\nls;# x', 'bash'))).to.deep.equal(['string:"items"', 'comment:# count\n', 'comment:# x']);
  });

  // Before, HTML was lexed as JSX: in a script, `{` opened an expression where `don't` opened a
  // string that ran on over the rest of the block, and `a <b` read `<b` as a tag; so did `{{ it's }}`.
  it('HTML: a script’s body is JavaScript (JSON by its type), a style’s is CSS, to its end tag as a browser finds it; text between tags is text', () => {
    const page = [
      '<p class="x">{{ it\'s }}</p>',
      '<script type="module">',
      'function f() { // don\'t',
      '  return a <b && "</p>";',
      '}',
      '</script>',
      '<style media="print">a::before { content: "\'" }</style>',
      '<script type="application/json">{"n": 1}</script>',
      '<!-- <script> -->',
      '<script>let s = "</SCRIPT>"</script>',
    ].join('\n');
    const code = highlighted(page, 'html');
    expect(code.textContent).to.equal(page);
    expect(tokens(code)).to.deep.equal([
      'tag:p', 'property:class', 'string:"x"', 'tag:p',
      'tag:script', 'property:type', 'string:"module"',
      'keyword:function', "comment:// don't\n", 'keyword:return', 'string:"</p>"', 'tag:script',
      'tag:style', 'property:media', 'string:"print"', 'property:content', 'string:"\'"', 'tag:style',
      'tag:script', 'property:type', 'string:"application/json"', 'property:"n"', 'literal:1', 'tag:script',
      'comment:<!-- <script> -->',
      // A browser ends the script at `</script`, in a string too.
      'tag:script', 'keyword:let', 'string:"', 'tag:SCRIPT', 'tag:script',
    ]);
  });

  it('HTML: a doctype and an XML declaration are lexed as tags, not text', () => {
    expect(tokens(highlighted('<!DOCTYPE html>\n<html>', 'html'))).to.deep.equal(['literal:DOCTYPE', 'tag:html']);
    expect(tokens(highlighted('<?xml version="1.0"?>\n<svg/>', 'svg'))).to.deep.equal(['string:"1.0"', 'tag:svg']);
  });

  it('HTML: a self-closing script or style has no body', () => {
    expect(tokens(highlighted('<svg><script href="a.js"/><style/></svg>\n<!-- it\'s -->', 'svg'))).to.deep.equal(['tag:svg', 'tag:script', 'property:href', 'string:"a.js"', 'tag:style', 'tag:svg', "comment:<!-- it's -->"]);
  });

  // Before, `/>` after an unquoted value (`src=a.js/>`) was read as a self-closing tag: the `/` is
  // the value's, so the script's body follows, and was lexed as HTML.
  it('HTML: `/>` after an unquoted value does not close a script: its body follows', () => {
    expect(tokens(highlighted("<script src=a.js/>let it = 'a<b';</script><p>", 'html')).slice(-4)).to.deep.equal(['keyword:let', "string:'a<b'", 'tag:script', 'tag:p']);
    expect(tokens(highlighted("<script async/><p>it's</p>", 'html'))).to.deep.equal(['tag:script', 'property:async', 'tag:p', 'tag:p']);
  });

  it('HTML: a script of a type that is not JavaScript, JSON or a template is text', () => {
    for (const type of ['x-shader/x-vertex', 'text/plain', 'text/markdown']) {
      expect(tokens(highlighted(`<script type="${type}">a <b; don't</script><p>`, 'html')), type).to.deep.equal(['tag:script', 'property:type', `string:"${type}"`, 'tag:script', 'tag:p']);
    }
    expect(tokens(highlighted('<script type="text/x-template"><b>it</b></script>', 'html'))).to.deep.equal(['tag:script', 'property:type', 'string:"text/x-template"', 'tag:b', 'tag:b', 'tag:script']);
  });

  // Found in review of 368425f: HTML's rules went to types with `html` or `template` in them only,
  // so these, HTML's before it, were plain text.
  it("HTML: a script of a template library's own type is lexed as HTML", () => {
    for (const type of ['text/x-handlebars', 'text/x-tmpl', 'text/x-jquery-tmpl', 'x-tmpl-mustache']) {
      expect(tokens(highlighted(`<script type="${type}"><b>{{it}}</b></script>`, 'html')), type).to.deep.equal(['tag:script', 'property:type', `string:"${type}"`, 'tag:b', 'tag:b', 'tag:script']);
    }
  });

  it('XML: a CDATA section is text, its `<` no tag', () => {
    expect(tokens(highlighted('<data><![CDATA[a<b && it\'s]]></data>', 'xml'))).to.deep.equal(['tag:data', 'tag:data']);
  });

  // Before, HTML read it as XML does, as text to `]]>`: there a browser reads a bogus comment, which
  // ends at the first `>`, and the tags after it are tags. Not inside SVG or MathML, where it is one.
  it('HTML: a CDATA section is a comment to the first `>`, outside SVG and MathML', () => {
    expect(tokens(highlighted('<p><![CDATA[a<b>c</b>]]></p>', 'html'))).to.deep.equal(['tag:p', 'comment:<![CDATA[a<b>', 'tag:b', 'tag:p']);
    expect(tokens(highlighted('<svg><text><![CDATA[a<b>]]></text></svg><![CDATA[<i>]]>', 'html'))).to.deep.equal(['tag:svg', 'tag:text', 'tag:text', 'tag:svg', 'comment:<![CDATA[<i>']);
  });

  // Found in review of 4df81e8. A `</svg>` with no `<svg>` open (a snippet that shows a document's
  // end first) closes nothing, as a browser reads it: it counted one below none, so the next SVG
  // was not foreign, and its CDATA section a comment to its first `>`.
  it('HTML: an end tag of SVG with none open closes none: the next SVG’s CDATA section is one', () => {
    expect(tokens(highlighted('</svg>\n<svg><text><![CDATA[a<b>]]></text></svg>', 'html'))).to.deep.equal(['tag:svg', 'tag:svg', 'tag:text', 'tag:text', 'tag:svg']);
  });

  // Before, `<svg width=10/>` was read as a self-closing SVG: the `/` is the value's (`10/`), as a
  // browser reads it, so the SVG is open, and its CDATA section one.
  it('HTML: `/>` after an unquoted value does not close an SVG: its CDATA section is one', () => {
    expect(tokens(highlighted('<svg width=10/><text><![CDATA[a<b>]]></text></svg>', 'html')).slice(-3)).to.deep.equal(['tag:text', 'tag:text', 'tag:svg']);
  });

  // Found in review of 629e161: the part ran to the next `-->` or the block's end, and sugar-high's
  // rules, given it whole, ended the comment at `<!-->` and read the rest as JSX.
  it('HTML: a comment ends where a browser ends it, at `<!-->`, `<!--->` or `--!>`', () => {
    for (const comment of ['<!-->', '<!--->', '<!-- a --!>']) {
      expect(tokens(highlighted(`${comment}\n<p>{{ it's }}</p><script>a<b</script>`, 'html')), comment).to.deep.equal([`comment:${comment}`, 'tag:p', 'tag:p', 'tag:script', 'tag:script']);
    }
  });

  it('takes the names a fence gives a language, in any case', () => {
    for (const name of ['js', 'JavaScript', 'jsx', 'mjs', 'ts', 'TSX', 'py', 'Python3', 'sh', 'Bash', 'zsh', 'shell', 'json', 'jsonc', 'html', 'xml', 'svg', 'css']) {
      expect(highlighted('if (a) "b" <a>', name).children.length, name).to.be.greaterThan(0);
    }
  });

  it('merges a run of tokens of one kind into one span, and leaves the rest as one text node between spans', () => {
    const code = highlighted('x = """doc"""\ny = z', 'python');
    expect(tokens(code)).to.deep.equal(['string:"""doc"""']);
    expect([...code.childNodes].map((node) => node.nodeType)).to.deep.equal([Node.TEXT_NODE, Node.ELEMENT_NODE, Node.TEXT_NODE]);
  });

  it('leaves an unknown or empty language, and a block over the length limit, as they are', () => {
    for (const [text, language] of [
      ['print 1', 'brainfuck'],
      ['const a = 1', ''],
      ['const a = 1', 'language-js'],
      // Over the highlighter's limit of 30,000 characters.
      ['const a = 1;\n'.repeat(2308), 'js'],
    ] as const) {
      const code = codeOf(text);
      const node = code.firstChild;
      highlight(code, language);
      expect(code.childNodes.length, language).to.equal(1);
      expect(code.firstChild, language).to.equal(node);
    }
  });

  it('leaves plain a block the lexer would read again and again (a run of `a<a<…`: seconds of one task at 30,000 characters), not real code with its angle brackets', () => {
    // sugar-high reads ahead from each `<` while letters, spaces and `<` go on: quadratic in such a run.
    for (const language of ['ts', 'js', 'tsx']) {
      const code = codeOf('const x = ' + 'a<'.repeat(7000));
      const node = code.firstChild;
      highlight(code, language);
      expect(code.firstChild, language).to.equal(node);
    }
    // As long, with generics, comparisons, JSX and comments in prose: highlighted.
    const real = [
      'function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Pick<T, K> {',
      '  return Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;',
      '}',
      'const small = values.filter((n) => n < limit && n > 0);',
      'const view = <List<Item> items={items} render={(item) => <b>{item.name}</b>} />;',
      '// When a is less than b, and b < c, then a < c: that is what the order of Map<string, Set<number>> keys relies on, as the sort below assumes.',
    ].join('\n');
    const code = highlighted((real + '\n').repeat(Math.floor(14000 / real.length)), 'tsx');
    expect(code.querySelectorAll('span').length).to.be.above(1000);
  });

  it('leaves plain the other blocks the lexer reads again and again: a line of `/` a regular expression may start at (seconds of one task at 30,000 characters)', () => {
    // sugar-high's JavaScript reads a regular expression from each such `/` to the line's end when
    // none closes it.
    for (const [text, language] of [
      ['const a = 1;\n' + '/\\'.repeat(3_000), 'js'],
      ['const a = 1;\n' + '[/='.repeat(2_000), 'ts'],
      // After a keyword too: `return /`.
      ['const a = 1;\n' + 'return /['.repeat(3_000), 'js'],
    ] as const) {
      const code = codeOf(text);
      const node = code.firstChild;
      highlight(code, language);
      // (A boolean: chai's message for a failed node comparison, with this text in it, took minutes.)
      expect(code.firstChild === node, `${language} left plain`).to.equal(true);
    }
    // As long, with custom properties, separators in comments, divisions and regular expressions: highlighted.
    const css = ':root {\n  --color-primary-500: #0969da; /* ------------------------------ */\n}\n.a--b { margin: -1px calc(100% - 2px); }\n';
    const js = 'const ratio = (width / height) * 2, parts = path.split(/[\\/]/).map((p) => p.replace(/^\\s+|\\s+$/g, "")); // a / b\n';
    for (const [text, language] of [
      [css, 'css'],
      [js, 'js'],
    ] as const) expect(highlighted(text.repeat(Math.floor(28_000 / text.length)), language).querySelectorAll('span').length, language).to.be.above(1000);
  });

  // Found in review of c1076e9: CSS reads a run of `-` once now, as the other lexers always did, but
  // a block with a long one (a rule drawn in a comment) was still left plain.
  it('highlights a block with a long run of `-`: every lexer reads it once', () => {
    for (const [text, language, name] of [
      ['a { color: red }\n' + '-'.repeat(5_000), 'css', 'property'],
      [`// ${'-'.repeat(3_000)}\nlet a = 1`, 'js', 'keyword'],
      [`# ${'-'.repeat(3_000)}\nimport os`, 'py', 'keyword'],
    ] as const) {
      const code = highlighted(text, language);
      expect(code.querySelector(`.${name}`), language).to.not.equal(null);
      expect(code.textContent).to.equal(text);
    }
  });

  // Before, sugar-high rejoined each dashed name with a splice of the block's tokens: 30,000
  // characters of `a-b ` moved 100 million (0.6 to 1.6 s in one task).
  it('CSS: dashed names are rejoined in one pass, not a copy of the tokens for each', () => {
    expect(tokens(highlighted('.a-b { --x-y: 1; border-top-width: -1px } -c-', 'css'))).to.deep.equal(['property:a-b', 'property:--x-y', 'literal:1', 'property:border-top-width', 'literal:1px']);
    for (const unit of ['a-b ', '--x-y ', 'border-top-width ', '{a-b:c;']) {
      const text = unit.repeat(Math.floor(30_000 / unit.length));
      let code!: HTMLElement;
      expect(moved(() => (code = highlighted(text, 'css'))), unit).to.be.below(10 * text.length);
      expect(code.textContent).to.equal(text);
    }
  });

  // Before, these were highlighted, in one task of 1 to 3 s each at 30,000 characters: from each
  // property's `:` sugar-high reads on to a `;`, `{` or `}` outside the brackets opened after it,
  // so a bracket a declaration leaves open (or closes without opening) took it to the block's end.
  it('CSS: leaves plain a block whose declarations leave brackets open or close ones they did not open, not real CSS and SCSS', () => {
    for (const text of ['{a:('.repeat(7_500), 'x{a:)'.repeat(6_000), 'a{b:[;'.repeat(5_000), '.a{&:hover{b:('.repeat(2_000), '{a/**/:('.repeat(3_700)]) {
      const code = codeOf(text);
      const node = code.firstChild;
      highlight(code, 'css');
      expect(code.firstChild === node, `${text.slice(0, 16)} left plain`).to.equal(true);
    }
    const scss = '.a {\n  &:hover { color: rgb(0 0 0 / 50%); }\n  [data-x="("] { margin: calc((100% - 2px) / 2); background: url(data:image/png;base64,iVBO); }\n}\n';
    expect(highlighted(scss.repeat(Math.floor(28_000 / scss.length)), 'css').querySelectorAll('span').length).to.be.above(1000);
  });

  it('highlights a long line of `/` after a sign where no regular expression is read (minified JSON with URLs, CSS with url("/…"))', () => {
    // Only the JavaScript lexer reads a regular expression from a `/`: JSON's, CSS's and HTML's read
    // each once, so 28,000 characters of these on one line lex in a few ms.
    for (const [text, language] of [
      ['{"html_url":"https://github.com/o/r","api":"https://api.github.com/repos/o/r"},', 'json'],
      ['.i{background:url("/icons/a.svg") no-repeat}', 'css'],
      ['<a href="/docs/a">A</a>', 'html'],
    ] as const) expect(highlighted(text.repeat(Math.floor(28_000 / text.length)), language).querySelectorAll('span').length, language).to.be.above(1000);
  });

  it('keeps the text exactly, and makes only spans with a class, from hostile and random code', () => {
    const hostile = [
      '<img src=x onerror="window.__highlightPwned=1">',
      '</code></pre><script>window.__highlightPwned=1</script>',
      '"><svg onload=window.__highlightPwned=1>',
      '`${alert(1)}` /* </style><style>*{color:red}</style> */',
      "<!-- --><a href='javascript:alert(1)'>x</a>",
      '&lt;b&gt; &amp; &#x3c;',
      '\0\u202e\ud83d\ude00\r\n\t',
      '"unterminated\n\'also\n/* open\n<!-- open',
    ];
    const random = seededRandom(11);
    const alphabet = 'ab1 \n\t"\'`/\\*#<>!-{}$()[]:;.,=&\r\u00e9\ud83d\ude00';
    const samples = [...hostile];
    for (let i = 0; i < 300; i++) samples.push(Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    for (const language of ['js', 'ts', 'python', 'bash', 'console', 'json', 'html', 'css']) {
      for (const text of samples) {
        const code = highlighted(text, language);
        expect(code.textContent, `${language}: ${JSON.stringify(text)}`).to.equal(text);
        for (const e of code.querySelectorAll('*')) {
          expect(e.localName).to.equal('span');
          expect([...e.attributes].map((a) => a.name)).to.deep.equal(['class']);
          expect(e.children.length).to.equal(0);
        }
      }
    }
    expect((window as { __highlightPwned?: number }).__highlightPwned).to.equal(undefined);
  });

  it('adds its colours to the shadow root of the code, once, and never to the page', () => {
    const host = document.createElement('div');
    const shadow = host.attachShadow({ mode: 'open' });
    document.body.append(host);
    const before = document.adoptedStyleSheets.length;
    try {
      highlight(codeOf('let a', shadow), 'js');
      highlight(codeOf('let b', shadow), 'js');
      expect(shadow.adoptedStyleSheets).to.deep.equal([highlightStyles]);
      const inPage = codeOf('let c', document.body);
      highlight(inPage, 'js');
      inPage.remove();
      expect(document.adoptedStyleSheets.length).to.equal(before);
      expect(document.adoptedStyleSheets).to.not.include(highlightStyles);
    } finally {
      host.remove();
    }
  });
});

describe('highlight, in browsers before Chrome 99', () => {
  it('adds its colours to a shadow root whose list of sheets is frozen', () => {
    const host = document.createElement('div');
    const sheets = frozenSheets(host.attachShadow({ mode: 'open' }));
    document.body.append(host);
    try {
      // Pushed, the sheet would throw here: the list cannot grow.
      highlight(codeOf('let a', host.shadowRoot!), 'js');
      expect(sheets()).to.deep.equal([highlightStyles]);
    } finally {
      host.remove();
    }
  });
});

describe('queueHighlight', () => {
  it('highlights later, in order, spread over several tasks when there is much to do', async () => {
    const block = 'const a = "x"; // c\n'.repeat(1200);
    const codes = Array.from({ length: 12 }, () => codeOf(block));
    for (const code of codes) queueHighlight(code, 'js');
    expect(codes.some((code) => code.children.length > 0), 'nothing yet').to.equal(false);
    let seen = 0;
    const progress: number[] = [];
    await waitUntil(() => {
      const done = codes.map((code) => code.children.length > 0);
      const count = done.filter(Boolean).length;
      expect(done.slice(count).some(Boolean), `in order: ${done}`).to.equal(false);
      if (count !== seen) progress.push((seen = count));
      return count === codes.length;
    }, 'every block highlighted', { timeout: 10_000, interval: 0 });
    expect(progress.length, `blocks done at each look: ${progress.join(', ')}`).to.be.greaterThan(1);
    for (const code of codes) expect(code.textContent).to.equal(block);
  });

  itWithCdp('does not keep blocks nobody holds (a removed element’s) while they wait; a block held out of the page is still highlighted', async function () {
    this.timeout(60_000);
    // Seconds of work queued: blocks of an element removed at once, then one a renderer keeps.
    const block = 'const a = "x"; // c\n'.repeat(300);
    const refs = Array.from({ length: 3000 }, () => {
      const code = codeOf(block);
      queueHighlight(code, 'js');
      return new WeakRef(code);
    });
    const kept = codeOf('let b = 2;');
    queueHighlight(kept, 'js');
    await executeServerCommand('cdp-collect-garbage');
    // Before, the queue held every block it had not reached yet.
    expect(refs.filter((ref) => ref.deref()).length, 'blocks alive after a collection').to.equal(0);
    await waitUntil(() => kept.children.length > 0, 'the block held is highlighted', { timeout: 30_000 });
  });
});

describe('highlight: shell heredoc openers', () => {
  // Found in review of 1964882. A backslash quotes the word as its quotes do (`<<\EOF`, as git's
  // scripts write it): it was read as no opener, so the heredoc's text was code.
  it('a word quoted with a backslash opens a heredoc', () => {
    expect(tokens(highlighted("cat <<\\EOF\nIt's $HOME\nEOF\necho \"done\"", 'bash'))).to.deep.equal(['literal:EOF', "string:It's $HOME\n", 'literal:EOF', 'string:"done"']);
  });

  // Found in review of e96e6f8. In `$'…'` a backslash escapes a quote (`$'it\'s'`): read as `'it\'`
  // and a quote that opened a string to the next on the line, it took the heredoc's quoted word in.
  it('a `$\'…\'` string with an escaped quote before it takes no opener in', () => {
    expect(tokens(highlighted("echo $'it\\'s'; cat <<'EOF'\nIt's\nEOF\necho \"done\"", 'bash'))).to.deep.equal(["string:'it\\'s'", "string:'EOF'", "string:It's\n", 'literal:EOF', 'string:"done"']);
  });

  // A heredoc with no closing line was a string to the block's end, as the shell reads one (an
  // answer cut inside it); it is none now, as Prism reads it: see 'a `<<` no line closes…'.
  it('a shift in `$[…]` opens no heredoc', () => {
    expect(tokens(highlighted('n=$[n << 1]\nif true; then :; fi', 'bash'))).to.deep.equal(['literal:1', 'keyword:if', 'keyword:then', 'keyword:fi']);
  });

  // Before, a `<<` no line closes (C++'s `cout << x` in a block named bash, a transcript's `$ cat
  // <<EOF` closed by `> EOF`) read as a heredoc to the block's end: the rest of the block was one
  // string. A transcript's `> ` is the shell's prompt; elsewhere, as Prism reads it, no heredoc.
  it('a `<<` no line closes opens no heredoc: the rest of the block is code; a transcript’s heredoc ends at `> EOF`', () => {
    expect(tokens(highlighted('int main() {\n  std::cout << x << std::endl;\n  return 0;\n}', 'bash')).slice(-2)).to.deep.equal(['keyword:return', 'literal:0']);
    expect(tokens(highlighted("$ cat <<EOF > a.txt\n> it's\n> EOF\n$ echo \"done\"", 'console'))).to.deep.equal(['literal:EOF', 'property:txt', "string:> it's\n> ", 'literal:EOF', 'string:"done"']);
    // Of two on a line, the first, closed, is read; the second, which no line closes, is none.
    expect(tokens(highlighted("paste <<A <<B\na's\nA\necho \"x\"", 'bash'))).to.deep.equal(['literal:A', 'literal:B', "string:a's\n", 'literal:A', 'string:"x"']);
  });

  // Found in review of 7dd9174. A subscript is arithmetic too (`${a[1<<2]}`, `a[1<<2]=x`): its shift
  // opened a heredoc no line closes, and the rest of the block became its text.
  it('a shift in an array’s subscript opens no heredoc', () => {
    expect(tokens(highlighted("echo ${a[1<<2]}; a[1<<2]=x\nif true; then echo \"it's\"; fi", 'bash'))).to.deep.equal(['literal:1', 'literal:2', 'literal:1', 'literal:2', 'keyword:if', 'keyword:then', 'string:"it\'s"', 'keyword:fi']);
  });

  // Before, the text began on the line after the opener's, which a `\` at its end continues: that
  // line (`  > "out.txt"`), code, was read as the heredoc's text.
  it('an opener line continued with `\\` opens its heredoc after the line that ends it', () => {
    expect(tokens(highlighted("cat <<EOF \\\n  > \"out.txt\"\nIt's\nEOF\necho \"done\"", 'bash'))).to.deep.equal(['literal:EOF', 'string:"out.txt"', "string:It's\n", 'literal:EOF', 'string:"done"']);
    expect(tokens(highlighted("cat \\\n  <<EOF\nIt's\nEOF\necho \"done\"", 'bash'))).to.deep.equal(['literal:EOF', "string:It's\n", 'literal:EOF', 'string:"done"']);
  });

  // Found in review of 1964882. A word may hold a `-` (`<<'END-DATA'`, `<<END-DATA`): the opener was
  // read as no heredoc (quoted) or as `<<END`, which no line closes, so the heredoc's text was code.
  it('a word with a `-` in it opens a heredoc to its closing line', () => {
    for (const opener of ["<<'END-DATA'", '<<END-DATA']) {
      expect(tokens(highlighted(`cat ${opener}\nIt's\nEND-DATA\necho "done"`, 'bash')).slice(-4), opener).to.deep.equal(["string:It's\n", 'literal:END', 'literal:DATA', 'string:"done"']);
    }
  });
});

describe('highlight: shell transcripts', () => {
  // Before, a transcript was lexed as a script: an apostrophe in its output (`can't`) opened a string
  // that ran on over the commands after it; `shell-session` and `terminal` were no language.
  it('a prompt’s line and the `> ` lines after it are shell, the prompt and the other lines (output) plain', () => {
    const text = "$ node app.js 'a'\nError: can't find module\n> x\n$ for f in *; do\n> echo \"$f\"; done\nit's";
    for (const language of ['console', 'shell-session', 'terminal', 'bash', 'sh']) {
      expect(tokens(highlighted(text, language)), language).to.deep.equal(['property:js', "string:'a'", 'keyword:for', 'keyword:in', 'keyword:do', 'string:"$f"', 'keyword:done']);
    }
    // A root's `#` and zsh's `%`, after a user, host and path or not, are prompts in a transcript;
    // in a script, `#` starts a comment, and a script is a transcript only from a `$ ` on.
    expect(tokens(highlighted("# apt install 'a'\nroot@box:~# echo 'b'\n~/src% ls 'c'\nit's", 'console'))).to.deep.equal(["string:'a'", "string:'b'", "string:'c'"]);
    expect(tokens(highlighted("# it's\n$ echo 'a'", 'bash'))).to.deep.equal(["comment:# it's\n", "string:'a'"]);
    // A command a `\` at its line's end continues goes on over the next line, as Prism and
    // highlight.js read it, with no `> ` before it too.
    expect(tokens(highlighted('$ docker run \\\n  -e "A=1" \\\n  img\nit\'s "done"', 'console'))).to.deep.equal(['string:"A=1"']);
    // A script whose first line is an indented `$ …` is no transcript (found in review of e7e698f: all plain).
    expect(tokens(highlighted('  $ npm install "left-pad"\n  $ echo \'done\'', 'bash'))).to.deep.equal(['string:"left-pad"', "string:'done'"]);
    // Its text is the code's, whatever ends its lines.
    const crlf = "$ echo 'a'\r\n> 'b'\u2028\r\nout\r\n$ echo \\\r\n 'c'\r\nit's\r\n";
    expect(highlighted(crlf, 'console').textContent).to.equal(crlf);
    // (sugar-high's shell reads a `\r` as a string: its colour does not show.)
    expect(tokens(highlighted(crlf, 'console')).join()).to.contain("'c'").and.not.contain("it's");
  });
});

describe('highlight: shell line continuations', () => {
  // Before, any `\` ending the opener's line continued it, so the heredoc began a line late and its
  // first line was code: one in a comment continues nothing, and `\\` is an escaped backslash.
  it('a `\\` in a comment, or an escaped `\\\\`, ending an opener line does not continue it', () => {
    expect(tokens(highlighted("cat <<EOF # see \\\nIt's\nEOF\necho \"done\"", 'bash'))).to.deep.equal(['literal:EOF', 'comment:# see \\\n', "string:It's\n", 'literal:EOF', 'string:"done"']);
    expect(tokens(highlighted("cat <<EOF a\\\\\nIt's\nEOF\necho \"done\"", 'bash'))).to.deep.equal(['literal:EOF', "string:It's\n", 'literal:EOF', 'string:"done"']);
  });
});
