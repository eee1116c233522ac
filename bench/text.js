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
const chunk = (delta, finish) => [HEAD, `,"choices":[{"index":0,"delta":${delta},"finish_reason":${finish}}]}\n\n`];
/** An event of a typed stream, as the Responses and Messages APIs send them: `t` right after its type. */
const typed = (type, rest) => [`event: ${type}\ndata: {"type":"${type}","t":`, `${rest}}\n\n`];
/** The same event without a time slot, for a unit's other events. */
const untimed = (type, rest) => `event: ${type}\ndata: {"type":"${type}"${rest}}\n\n`;

/**
 * Each wire format's events for an answer: the start, one event per token, the end. Each is a
 * unit written at once in the paced mode, with one `t` slot (between the two halves of its first
 * event); `done` is what follows the end without a slot.
 */
const FORMATS = {
  'openai-chat': {
    start: () => chunk('{"role":"assistant","content":""}', 'null'),
    token: (token) => chunk(`{"content":${JSON.stringify(token)}}`, 'null'),
    end: () => chunk('{}', '"stop"'),
    done: 'data: [DONE]\n\n',
  },
  'openai-responses': {
    start: () => {
      const [before, after] = typed('response.created', ',"sequence_number":0,"response":{"id":"resp_bench","object":"response","status":"in_progress","model":"bench-model","output":[],"usage":null}');
      const item = untimed('response.output_item.added', ',"sequence_number":1,"output_index":0,"item":{"id":"msg_bench","type":"message","status":"in_progress","role":"assistant","content":[]}');
      const part = untimed('response.content_part.added', ',"sequence_number":2,"item_id":"msg_bench","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}');
      return [before, after + item + part];
    },
    token: (token, i) => typed('response.output_text.delta', `,"sequence_number":${i + 3},"item_id":"msg_bench","output_index":0,"content_index":0,"delta":${JSON.stringify(token)},"logprobs":[]`),
    // As the API ends: the whole text again in the done events and in the response's output.
    end: (text, n) => {
      const json = JSON.stringify(text);
      const message = `{"id":"msg_bench","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":${json}}]}`;
      const [before, after] = typed('response.output_text.done', `,"sequence_number":${n + 3},"item_id":"msg_bench","output_index":0,"content_index":0,"text":${json},"logprobs":[]`);
      const item = untimed('response.output_item.done', `,"sequence_number":${n + 4},"output_index":0,"item":${message}`);
      const usage = `{"input_tokens":12,"input_tokens_details":{"cached_tokens":0},"output_tokens":${n},"output_tokens_details":{"reasoning_tokens":0},"total_tokens":${n + 12}}`;
      const completed = untimed('response.completed', `,"sequence_number":${n + 5},"response":{"id":"resp_bench","object":"response","status":"completed","model":"bench-model","output":[${message}],"usage":${usage}}`);
      return [before, after + item + completed];
    },
    done: '',
  },
  anthropic: {
    start: () => {
      const [before, after] = typed('message_start', ',"message":{"id":"msg_bench","type":"message","role":"assistant","model":"bench-model","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}');
      return [before, after + untimed('content_block_start', ',"index":0,"content_block":{"type":"text","text":""}')];
    },
    token: (token) => typed('content_block_delta', `,"index":0,"delta":{"type":"text_delta","text":${JSON.stringify(token)}}`),
    end: (_text, n) => {
      const [before, after] = typed('content_block_stop', ',"index":0');
      return [before, after + untimed('message_delta', `,"delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":${n}}`) + untimed('message_stop', '')];
    },
    done: '',
  },
};

/**
 * The SSE body for `tokens` in a wire format (`openai-chat`: a role event, one event per token, a
 * finish event, `data: [DONE]`; `openai-responses` and `anthropic`: their own events for the same
 * answer). Every unit carries a fixed-width `"t"` slot that the server fills with the time it
 * writes it, so the page can compute arrival-to-paint. Returns the bytes, the byte offset of each
 * unit's `t` slot and of each unit's start, and the expected final text.
 */
export function buildStream(tokens, protocol = 'openai-chat') {
  const format = FORMATS[protocol];
  if (!format) throw new Error(`no wire format ${protocol}`);
  const text = tokens.join('');
  const pieces = [];
  const slots = [];
  const starts = [];
  let offset = 0;
  const push = (piece) => {
    pieces.push(piece);
    offset += Buffer.byteLength(piece);
  };
  const pushUnit = ([before, after]) => {
    starts.push(offset);
    push(before);
    slots.push(offset);
    push(TIME_PLACEHOLDER + after);
  };
  pushUnit(format.start());
  tokens.forEach((token, i) => pushUnit(format.token(token, i)));
  pushUnit(format.end(text, tokens.length));
  if (format.done) {
    starts.push(offset);
    push(format.done);
  }
  const bytes = Buffer.from(pieces.join(''));
  if (bytes.length !== offset) throw new Error('byte offsets out of step');
  // Cumulative UTF-16 length of the text after each token: what a page's Text node length reads.
  const ends = new Float64Array(tokens.length);
  let length = 0;
  tokens.forEach((token, i) => {
    length += token.length;
    ends[i] = length;
  });
  return { bytes, slots, starts, text, ends };
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
