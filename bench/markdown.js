/**
 * Seeded Markdown answers for the Markdown cases: what a model writes when asked to explain
 * something at length. Sections under `##`/`###` headings; prose paragraphs with **bold**, *em*,
 * `code` and [links](https://example.com/…); bullet and ordered lists nested 2–3 deep; fenced code
 * blocks in JavaScript and Python (5–30 lines); GFM tables (3–5 columns, 5–15 rows); block quotes.
 * Cut into tokens of about 4 characters, like a model's. No raw HTML and no `&`: the marked page
 * sets innerHTML, and the benchmark measures speed, not what marked lets through.
 * Plain ESM, deterministic for a given seed.
 */
import { random } from './text.js';

const WORDS = (
  'the a an of to in for on with as by from that this these it is are was be can will should may ' +
  'stream streaming response request answer model token tokens chunk chunks buffer frame frames ' +
  'render renders rendering browser element component server client event events parser message ' +
  'messages text layout paint style update updates cost time memory network socket header body ' +
  'block blocks list table code value values function callback promise state error retry timeout ' +
  'first last each every only once then when while because which where so but and or not also ' +
  'fast slow small large simple careful steady incremental whole open closed finished partial ' +
  'user users page pages data field fields option options default safe unsafe cache queue limit ' +
  'read write append parse commit measure keep drop send receive handle return start stop finish'
).split(' ');
const IDENTIFIERS = [
  'fetch()', 'maxTokens', 'AbortController', 'requestAnimationFrame', 'appendData', 'TextDecoderStream',
  'stream: true', 'onEvent', 'JSON.parse', 'retry-after', 'content-type', 'max_tokens', 'temperature',
  'el.send()', 'done', 'chunk', 'innerHTML', 'getReader()', 'finish_reason', 'response.body',
];
const TERMS = ['back-pressure', 'the open tail', 'one frame', 'the whole answer', 'every chunk', 'the event loop', 'a finished block', 'the parser'];
const PATHS = ['docs/streaming', 'guide/errors', 'api/stream-chat', 'blog/frames', 'spec/sse', 'faq'];

const JS_LINES = [
  'const response = await fetch(url, { method: "POST", body, signal });',
  'const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();',
  'let pending = "";',
  'while (true) {',
  '  const { done, value } = await reader.read();',
  '  if (done) break;',
  '  parser.feed(value);',
  '}',
  'function flush() {',
  '  frame = 0;',
  '  node.appendData(pending);',
  '  pending = "";',
  '}',
  'if (frame === 0) frame = requestAnimationFrame(flush);',
  'const controller = new AbortController();',
  'setTimeout(() => controller.abort(), 30_000);',
  'export function retryDelay(attempt, base = 500) {',
  '  return Math.min(base * 2 ** attempt, 8000) * (0.5 + Math.random() / 2);',
  '}',
  'for (const message of messages) total += message.content.length;',
  'const chunk = JSON.parse(event.data);',
  'const delta = chunk.choices[0]?.delta?.content ?? "";',
  '// Only the open tail is rendered again; finished blocks stay.',
  'el.addEventListener("done", (event) => console.log(event.detail.content));',
];
const PY_LINES = [
  'import json',
  'import httpx',
  'def stream_answer(client, messages, model="gpt-4o-mini"):',
  '    payload = {"model": model, "messages": messages, "stream": True}',
  '    with client.stream("POST", URL, json=payload, timeout=30) as response:',
  '        for line in response.iter_lines():',
  '            if not line.startswith("data: "):',
  '                continue',
  '            data = line[6:]',
  '            if data == "[DONE]":',
  '                break',
  '            chunk = json.loads(data)',
  '            yield chunk["choices"][0]["delta"].get("content", "")',
  '# Retry with exponential back-off on 429 and 5xx responses.',
  'for attempt in range(5):',
  '    delay = min(0.5 * 2 ** attempt, 8.0)',
  'total = sum(len(part) for part in parts)',
  'print(f"{total} characters in {elapsed:.2f} s")',
  'class Buffer:',
  '    def __init__(self):',
  '        self.pending = []',
  '    def flush(self):',
  '        text, self.pending = "".join(self.pending), []',
  '        return text',
];
const COLUMNS = ['Option', 'Default', 'Type', 'Effect', 'Since', 'Notes', 'Cost', 'Scope'];

function generator(rnd) {
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const words = (lo, hi) => Array.from({ length: int(lo, hi) }, () => pick(WORDS)).join(' ');
  const cap = (s) => s[0].toUpperCase() + s.slice(1);

  function inlineSpan() {
    const r = rnd();
    if (r < 0.3) return `**${words(1, 3)}**`;
    if (r < 0.55) return `*${words(1, 3)}*`;
    if (r < 0.85) return `\`${pick(IDENTIFIERS)}\``;
    return `[${words(1, 4)}](https://example.com/${pick(PATHS)}#${pick(WORDS)})`;
  }
  function sentence() {
    const parts = [cap(words(2, 6))];
    const spans = int(0, 2);
    for (let i = 0; i < spans; i++) parts.push(rnd() < 0.3 ? pick(TERMS) : inlineSpan(), words(1, 6));
    return `${parts.join(' ')}${pick(['.', '.', '.', '.', ':', '?', '!'])}`.replace(/:$/, '.');
  }
  const paragraph = () => Array.from({ length: int(2, 6) }, sentence).join(' ');

  /** A list nested up to `depth` levels below this one; ordered lists number from 1 (or a later start). */
  function list(depth, indent = '') {
    const ordered = rnd() < 0.4;
    let n = ordered && rnd() < 0.2 ? int(2, 9) : 1;
    const lines = [];
    for (let i = int(2, 5); i > 0; i--) {
      const marker = ordered ? `${n++}. ` : '- ';
      lines.push(`${indent}${marker}${rnd() < 0.4 ? `${inlineSpan()} ${words(2, 8)}` : sentence()}`);
      if (depth > 0 && rnd() < 0.45) lines.push(list(depth - 1, indent + ' '.repeat(marker.length)));
    }
    return lines.join('\n');
  }
  function code() {
    const [lang, source] = rnd() < 0.55 ? ['js', JS_LINES] : ['python', PY_LINES];
    const starts = source.flatMap((line, i) => (line.startsWith(' ') ? [] : [i]));
    const start = pick(starts);
    const lines = Array.from({ length: int(5, 30) }, (_, i) => source[(start + i) % source.length]);
    return `\`\`\`${lang}\n${lines.join('\n')}\n\`\`\``;
  }
  function table() {
    const columns = int(3, 5);
    const head = COLUMNS.slice(0, columns);
    const align = head.map(() => pick(['---', '---', ':---', '---:', ':---:']));
    const rows = [`| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`];
    for (let r = int(5, 15); r > 0; r--) {
      const cells = head.map((_, c) => (c === 0 ? `\`${pick(IDENTIFIERS)}\`` : rnd() < 0.3 ? String(int(0, 5000)) : words(1, 4)));
      rows.push(`| ${cells.join(' | ')} |`);
    }
    return rows.join('\n');
  }
  const quote = () => Array.from({ length: int(1, 3) }, sentence).map((s) => `> ${s}`).join('\n>\n');

  /** The next block of the answer, with its leading blank line (none before the first). */
  let count = 0;
  return function next() {
    const first = count++ === 0;
    let block;
    if (first) block = `# ${cap(words(3, 6))}\n\n${paragraph()}`;
    else if (count % 9 === 0) block = `## ${cap(words(2, 5))}`;
    else if (count % 9 === 5) block = `### ${cap(words(2, 5))}`;
    else {
      const r = rnd();
      if (r < 0.38) block = paragraph();
      else if (r < 0.56) block = list(int(1, 2));
      else if (r < 0.74) block = code();
      else if (r < 0.88) block = table();
      else block = quote();
    }
    return first ? block : `\n\n${block}`;
  };
}

/**
 * Cuts text into model-like tokens: a word with its leading space and up to two closing marks
 * (long words in pieces of 3–7 characters), a number, a run of spaces, of newlines, of punctuation
 * (at most 4).
 */
function tokenize(text, rnd, tokens) {
  for (const [piece] of text.matchAll(/ ?[*`[(]{0,2}[A-Za-z_]+[.,:;!?)*`\]]{0,2}| ?\d+| +|\n+|[^\sA-Za-z_\d]{1,4}/g)) {
    for (let at = 0; at < piece.length; ) {
      const size = piece.length - at <= 8 ? piece.length - at : 3 + Math.floor(rnd() * 5);
      tokens.push(piece.slice(at, at + size));
      at += size;
    }
  }
}

/**
 * A Markdown answer of about `count` tokens (whole blocks: it ends at the end of the block that
 * reaches `count`), as its token list. Tokens average about 4 characters.
 */
export function makeMarkdownTokens(count, { seed = 1 } = {}) {
  const rnd = random(seed ^ 0x3d3d);
  const next = generator(rnd);
  const tokens = [];
  while (tokens.length < count) tokenize(next(), rnd, tokens);
  tokens.push('\n');
  return tokens;
}

/** Picks from `rnd`: one of a list, or 1 to `n` of the words. */
function picker(rnd) {
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  return { pick, words: (n) => Array.from({ length: 1 + Math.floor(rnd() * n) }, () => pick(WORDS)).join(' ') };
}

/**
 * About `count` tokens: `head`, then what `step(n)` says for n = 1, 2, … until there are enough,
 * drawn from a generator seeded by `seed ^ salt` (`pick`, `words`, `rnd`; `say` tokenizes a text).
 */
function grown(count, seed, salt, head, step) {
  const rnd = random(seed ^ salt);
  const tokens = [];
  const say = (text) => tokenize(text, rnd, tokens);
  const draw = { ...picker(rnd), rnd, say };
  say(head);
  for (let n = 1; tokens.length < count; n++) step(n, draw);
  return tokens;
}

/**
 * One long table of about `count` tokens, a row per option (the `md-table` case: an open table
 * grows for the whole answer, where the other answers' tables have 5–15 rows).
 */
export function makeTableTokens(count, { seed = 1 } = {}) {
  return grown(count, seed, 0x7ab1, '| Option | Default | Effect | Notes |\n|---|---:|---|:---:|\n', (_, { pick, words, rnd, say }) =>
    say(`| \`${pick(IDENTIFIERS)}\` | ${Math.floor(rnd() * 5000)} | ${words(5)} | *${words(2)}* |\n`),
  );
}

/**
 * One long numbered list of about `count` tokens, a step per item, some with two nested bullets
 * (the `md-list` case: an open list grows for the whole answer, as a long "steps" answer does).
 */
export function makeListTokens(count, { seed = 1 } = {}) {
  return grown(count, seed, 0x1157, 'Steps:\n\n', (n, { pick, words, rnd, say }) => {
    say(`${n}. **${words(3)}**: ${words(12)} \`${pick(IDENTIFIERS)}\` ${words(8)}.\n`);
    const indent = ' '.repeat(String(n).length + 2);
    if (rnd() < 0.3) say(`${indent}- ${words(8)}\n${indent}- ${words(8)}\n`);
  });
}

/**
 * One list item that holds the whole answer, about `count` tokens: steps as nested items, some with
 * bullets of their own or a quote (the `md-nested` case: one top-level block open for the whole
 * answer, as an outline or "1. Plan" answer has it, where only the part at its end grows).
 */
export function makeNestedTokens(count, { seed = 1 } = {}) {
  return grown(count, seed, 0x4e57, '1. **Plan**\n\n', (_, { pick, words, rnd, say }) => {
    say(`   - **${words(3)}**: ${words(12)} \`${pick(IDENTIFIERS)}\` ${words(8)}.\n`);
    if (rnd() < 0.3) say(`     - ${words(8)}\n     - ${words(8)}\n`);
    else if (rnd() < 0.15) say(`     > ${words(10)}\n     > ${words(10)}\n`);
  });
}

/**
 * One paragraph of about `count` tokens: sentences with bold, emphasis, code and links, a line
 * break now and then, never a blank line (the `md-paragraph` case: a wall of text, or a model
 * repeating itself to its token limit, one paragraph open for the whole answer).
 */
export function makeParagraphTokens(count, { seed = 1 } = {}) {
  return grown(count, seed, 0x9a7a, 'Notes: ', (_, { pick, words, rnd, say }) =>
    say(`**${words(2)}** ${words(10)} \`${pick(IDENTIFIERS)}\` *${words(3)}* [${words(2)}](https://example.com/${pick(PATHS)}) ${words(8)}.${rnd() < 0.2 ? '\n' : ' '}`),
  );
}

/**
 * One paragraph of about `count` tokens of plain words, no emphasis, code, link or line break (the
 * `md-words` case); with `bracket`, an early `[` that never closes, as prose has it, `see [1 and …`
 * (the `md-bracket` case: until a `]` may close it, its text is a link's that may yet be made).
 */
export function makeWordsTokens(count, { seed = 1, bracket = false } = {}) {
  return grown(count, seed, 0x3a7d, bracket ? 'Notes: see [1 and ' : 'Notes: see 1 and ', (_, { words, say }) => say(`${words(12)}. `));
}

/**
 * One fenced code block of about `count` tokens, a source file's lines one after another (the
 * `md-code` case: a model writing a whole file, one code block open for the whole answer).
 */
export function makeCodeTokens(count, { seed = 1 } = {}) {
  return grown(count, seed, 0xc0de, 'Here is the file:\n\n```js\n', (n, { say }) => say(`${JS_LINES[n % JS_LINES.length]}\n`));
}

/**
 * A run of `4 × count` letters with no space, in tokens of 4 (the `md-run` case: a model made to
 * write `AAAA…`, whose letters DejaVu Sans kerns: Chromium lays such a run out in one Text node in
 * time growing with the square of its length).
 */
export function makeRunTokens(count) {
  return ['Run: ', ...Array(count).fill('AAAA')];
}
