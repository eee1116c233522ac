/**
 * Seeded benchmark content: token lists, the SSE bytes that carry them, and chat histories.
 * Plain Node ESM; everything here is deterministic for a given seed, so every variant of a case
 * receives the same bytes (apart from the per-event server timestamps, which have a fixed width).
 */

/** Small, fast, seeded PRNG (mulberry32): returns floats in [0, 1). */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'the', 'ing', 'str', 'eam', 'con', 'ent', 'ion', 'al', 're', 'de', 'com', 'pro', 'ver', 'ter',
  'ment', 'able', 'data', 'chat', 'word', 'to', 'of', 'and', 'in', 'is', 'for', 'that', 'with',
  'as', 'on', 'it', 'be', 'an', 'by', 'this', 'we', 'you', 'are', 'not', 'or', 'func', 'tion',
  'value', 'token', 'render', 'frame', 'model', 'ly', 'er', 'ed', 's', 'x', 'q', 'ou', 'ght',
];
const PUNCTUATION = [',', '.', ':', ';', '?', '!', '(', ')', ' -', '.\n', ' "', '"'];
// 4-byte emoji, some of them multi-code-point (skin tone, flag, ZWJ, VS16 on a 3-byte base).
const EMOJI = ['😀', '🚀', '👍🏽', '🎉', '🇯🇵', '❤️', '🧑‍💻', ' 🔥', '✅', '🙂'];
// 3-byte CJK (and Hangul, kana) pieces.
const CJK = [' 数据流', '中文', 'の', 'テスト', '한국어', '汉字', '。', '流式传输', '東京', '日本語'];
// 2-byte accented Latin pieces.
const ACCENTED = [' café', ' naïve', ' über', 'é', ' Ærø', ' señor', ' crème', ' déjà', 'ß', ' Ångström'];

function wordPiece(rnd, maxLength) {
  let piece = '';
  while (piece.length < maxLength && (piece === '' || rnd() < 0.55)) {
    piece += SYLLABLES[Math.floor(rnd() * SYLLABLES.length)];
  }
  return piece.slice(0, 1 + Math.floor(rnd() * maxLength));
}

/**
 * `count` realistic tokens: word pieces of 1–8 characters (most with a leading space), punctuation,
 * digits, and a newline every ~40 tokens. `charset: "mixed"` mixes in emoji (4-byte UTF-8), CJK
 * (3-byte) and accented (2-byte) text. Never `<`, `>` or `&`: the tutorial baseline writes with
 * `innerHTML +=`, and the benchmark measures its speed, not its injection bug.
 */
export function makeTokens(count, { seed = 1, charset = 'ascii' } = {}) {
  const rnd = random(seed);
  const tokens = [];
  let nextNewline = 30 + Math.floor(rnd() * 20);
  for (let i = 0; i < count; i++) {
    if (i === nextNewline) {
      tokens.push(rnd() < 0.5 ? '\n' : '\n\n');
      nextNewline = i + 30 + Math.floor(rnd() * 20);
      continue;
    }
    const r = rnd();
    if (charset === 'mixed' && r < 0.36) {
      const list = r < 0.12 ? EMOJI : r < 0.24 ? CJK : ACCENTED;
      tokens.push(list[Math.floor(rnd() * list.length)]);
    } else if (r < 0.78) {
      tokens.push(' ' + wordPiece(rnd, 7));
    } else if (r < 0.9) {
      tokens.push(wordPiece(rnd, 8));
    } else if (r < 0.97) {
      tokens.push(PUNCTUATION[Math.floor(rnd() * PUNCTUATION.length)]);
    } else {
      tokens.push(String(Math.floor(rnd() * 10000)));
    }
  }
  return tokens;
}

/** Width of the `"t"` field's value: ms since the epoch with one decimal, e.g. `1763757711123.4`. */
export const TIME_WIDTH = 15;
const TIME_PLACEHOLDER = '1000000000000.0';
const HEAD = 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","t":';

/**
 * The SSE body for `tokens`: a role event, one event per token, a finish event, `data: [DONE]`.
 * Every event carries a fixed-width `"t"` slot that the server fills with the time it writes the
 * event, so the page can compute arrival-to-paint. Returns the bytes, the byte offset of each
 * event's `t` slot and of each event's start, and the expected final text.
 */
export function buildStream(tokens) {
  const events = [`{"role":"assistant","content":""}`];
  for (const token of tokens) events.push(`{"content":${JSON.stringify(token)}}`);
  const pieces = [];
  const slots = [];
  const starts = [];
  let offset = 0;
  const headBytes = Buffer.byteLength(HEAD);
  const push = (text) => {
    pieces.push(text);
    offset += Buffer.byteLength(text);
  };
  const pushEvent = (delta, finish) => {
    starts.push(offset);
    slots.push(offset + headBytes);
    push(`${HEAD}${TIME_PLACEHOLDER},"choices":[{"index":0,"delta":${delta},"finish_reason":${finish}}]}\n\n`);
  };
  for (const delta of events) pushEvent(delta, 'null');
  pushEvent('{}', '"stop"');
  starts.push(offset);
  push('data: [DONE]\n\n');
  const bytes = Buffer.from(pieces.join(''));
  if (bytes.length !== offset) throw new Error('byte offsets out of step');
  // Cumulative UTF-16 length of the text after each token: what a page's Text node length reads.
  const ends = new Float64Array(tokens.length);
  let length = 0;
  tokens.forEach((token, i) => {
    length += token.length;
    ends[i] = length;
  });
  return { bytes, slots, starts, text: tokens.join(''), ends };
}

/** Writes `ms` (epoch ms) into the fixed-width slot at `offset`. */
export function writeTime(bytes, offset, ms) {
  bytes.write(ms.toFixed(1).padStart(TIME_WIDTH, '0').slice(0, TIME_WIDTH), offset, TIME_WIDTH, 'latin1');
}

/** `count` alternating user/assistant messages of realistic length, for the history case. */
export function makeHistory(count, seed = 7) {
  const rnd = random(seed);
  const messages = [];
  for (let i = 0; i < count; i++) {
    const user = i % 2 === 0;
    const tokens = makeTokens(user ? 8 + Math.floor(rnd() * 40) : 60 + Math.floor(rnd() * 400), {
      seed: seed * 1000 + i,
    });
    messages.push({ role: user ? 'user' : 'assistant', content: tokens.join('').trim() });
  }
  return messages;
}
