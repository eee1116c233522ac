import { expect } from '@open-wc/testing';
import { createChunkParser } from '../src/chunk-parser.js';
import { StreamChatError } from '../src/errors.js';
import type { ChatCompletionChunk } from '../src/types.js';
import { chunk } from './helpers/server.js';

interface Parsed {
  chunks: ChatCompletionChunk[];
  comments: string[];
  done: boolean;
  events: number;
}

/** Feeds the pieces one by one, then ends the body. */
function parse(pieces: readonly string[], { end = true } = {}): Parsed {
  const chunks: ChatCompletionChunk[] = [];
  const comments: string[] = [];
  const parser = createChunkParser({ onChunk: (c) => chunks.push(c), onComment: (c) => comments.push(c) });
  for (const piece of pieces) parser.feed(piece);
  if (end) parser.end();
  return { chunks, comments, done: parser.done, events: parser.events };
}

/** The error that feeding these pieces throws. */
function parseError(pieces: readonly string[]): StreamChatError {
  try {
    parse(pieces);
  } catch (error) {
    expect(error).to.be.instanceOf(StreamChatError);
    return error as StreamChatError;
  }
  throw new Error('expected the parser to throw');
}

const data = (value: ChatCompletionChunk) => `data: ${JSON.stringify(value)}`;

const expectedChunks: ChatCompletionChunk[] = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Hel' }),
  { choices: [{ index: 0, delta: { content: 'lo, wörld 😀' } }] },
  chunk({}, { finishReason: 'stop' }),
];

/** A stream with every SSE feature the providers use, lines ended by `eol`. */
function transcript(eol: string): string {
  return [
    ': keep-alive',
    '',
    'event: message',
    'id: 1',
    'retry: 3000',
    data(chunk({ role: 'assistant', content: '' })),
    '',
    data(chunk({ content: 'Hel' })),
    '',
    'data: {"choices":[{"index":0,',
    'data: "delta":{"content":"lo, wörld 😀"}}]}',
    '',
    ': still here',
    data(chunk({}, { finishReason: 'stop' })),
    '',
    'data: [DONE]',
    '',
    '',
  ].join(eol);
}

describe('createChunkParser', () => {
  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    it(`${name} line endings: fed whole, the transcript gives its chunks, comments and [DONE]`, () => {
      const whole = parse([transcript(eol)]);
      expect(whole.chunks).to.deep.equal(expectedChunks);
      expect(whole.comments).to.deep.equal(['keep-alive', 'still here']);
      expect(whole.done).to.equal(true);
    });

    it(`${name} line endings split across reads at every position give the same chunks`, () => {
      const text = transcript(eol);
      for (let at = 0; at <= text.length; at++) {
        const split = parse([text.slice(0, at), text.slice(at)]);
        expect(split.chunks, `split at ${at}`).to.deep.equal(expectedChunks);
        expect(split.comments, `split at ${at}`).to.deep.equal(['keep-alive', 'still here']);
        expect(split.done, `split at ${at}`).to.equal(true);
      }
    });

    it(`${name} line endings fed one character at a time give the same chunks`, () => {
      const result = parse([...transcript(eol)]);
      expect(result.chunks).to.deep.equal(expectedChunks);
      expect(result.done).to.equal(true);
    });
  }

  it('a CRLF cut between CR and LF inside a multi-line event keeps it one event', () => {
    const result = parse(['data: {"choices":[{"index":0,\r', '\ndata: "delta":{"content":"ab"}}]}\r\n\r\n']);
    expect(result.chunks).to.deep.equal([{ choices: [{ index: 0, delta: { content: 'ab' } }] }]);
  });

  it('multi-line data is joined with line feeds before it is parsed as JSON', () => {
    const result = parse(['data: {\ndata: "choices": []\ndata: }\n\n']);
    expect(result.chunks).to.deep.equal([{ choices: [] }]);
  });

  it('comments reach onComment and produce no chunk', () => {
    const result = parse([': OPENROUTER PROCESSING\n\n', ':\n\n', data(chunk({ content: 'x' })), '\n\n']);
    expect(result.comments).to.deep.equal(['OPENROUTER PROCESSING', '']);
    expect(result.chunks).to.deep.equal([chunk({ content: 'x' })]);
  });

  it('comments are ignored when there is no onComment', () => {
    const chunks: ChatCompletionChunk[] = [];
    const parser = createChunkParser({ onChunk: (c) => chunks.push(c) });
    parser.feed(': ping\n\n');
    parser.feed(`${data(chunk({ content: 'x' }))}\n\n`);
    expect(chunks).to.deep.equal([chunk({ content: 'x' })]);
  });

  it('event:, id:, retry: and unknown fields do not disturb the chunk they come with', () => {
    const result = parse([`event: completion\nid: 42\nretry: 1000\nretry: soon\nx-custom: 1\n${data(chunk({ content: 'x' }))}\n\n`]);
    expect(result.chunks).to.deep.equal([chunk({ content: 'x' })]);
  });

  it('an event without its trailing blank line is delivered by end()', () => {
    const noNewline = parse([data(chunk({ content: 'last' }))], { end: false });
    expect(noNewline.chunks).to.deep.equal([]);
    expect(parse([data(chunk({ content: 'last' }))]).chunks).to.deep.equal([chunk({ content: 'last' })]);
    expect(parse([`${data(chunk({ content: 'last' }))}\n`]).chunks).to.deep.equal([chunk({ content: 'last' })]);
    expect(parse([`${data(chunk({ content: 'last' }))}\r`]).chunks).to.deep.equal([chunk({ content: 'last' })]);
  });

  it('end() after complete events delivers nothing more', () => {
    const result = parse([`${data(chunk({ content: 'a' }))}\n\n`]);
    expect(result.chunks).to.have.length(1);
    expect(result.events).to.equal(1);
  });

  it('[DONE] sets done and the events after it are ignored, even invalid ones', () => {
    const result = parse([
      `${data(chunk({ content: 'a' }))}\n\ndata: [DONE]\n\n`,
      `${data(chunk({ content: 'late' }))}\n\ndata: not json\n\ndata: {"error":{"message":"late"}}\n\n`,
    ]);
    expect(result.chunks).to.deep.equal([chunk({ content: 'a' })]);
    expect(result.done).to.equal(true);
  });

  it('done stays false until [DONE] arrives', () => {
    expect(parse([`${data(chunk({ content: 'a' }))}\n\n`]).done).to.equal(false);
  });

  it('a data line that is not JSON is a protocol error that quotes it', () => {
    const error = parseError([`${data(chunk({ content: 'a' }))}\n\n`, 'data: {"choices": [\n\n']);
    expect(error.kind).to.equal('protocol');
    expect(error.message).to.contain('{\\"choices\\": [');
  });

  it('JSON data that is not an object is a protocol error', () => {
    expect(parseError(['data: 42\n\n']).kind).to.equal('protocol');
    expect(parseError(['data: [{"choices":[]}]\n\n']).kind).to.equal('protocol');
    expect(parseError(['data: null\n\n']).kind).to.equal('protocol');
  });

  it('{"error":{…}} data is a provider error with the provider message and code', () => {
    const error = parseError([
      `${data(chunk({ content: 'a' }))}\n\n`,
      'data: {"error":{"message":"Rate limit reached for gpt-4o","type":"requests","code":"rate_limit_exceeded"}}\n\n',
    ]);
    expect(error.kind).to.equal('provider');
    expect(error.message).to.equal('Rate limit reached for gpt-4o');
    expect(error.code).to.equal('rate_limit_exceeded');
  });

  it('{"error":"…"} data is a provider error with that string', () => {
    const error = parseError(['data: {"error":"Upstream model overloaded"}\n\n']);
    expect(error.kind).to.equal('provider');
    expect(error.message).to.equal('Upstream model overloaded');
  });

  it('"error": null inside a chunk is not an error', () => {
    const result = parse(['data: {"choices":[{"index":0,"delta":{"content":"x"}}],"error":null}\n\n']);
    expect(result.chunks).to.deep.equal([{ choices: [{ index: 0, delta: { content: 'x' } }], error: null }]);
  });

  it('event: error with JSON data is a provider error with its message', () => {
    const error = parseError(['event: error\ndata: {"type":"error","message":"Overloaded"}\n\n']);
    expect(error.kind).to.equal('provider');
    expect(error.message).to.equal('Overloaded');
  });

  it('event: error with plain-text data is a provider error with that text', () => {
    const error = parseError(['event: error\ndata: upstream connect error\n\n']);
    expect(error.kind).to.equal('provider');
    expect(error.message).to.equal('upstream connect error');
  });

  it('counts every event, chunk or not', () => {
    expect(parse([`${data(chunk({ content: 'a' }))}\n\ndata: [DONE]\n\n`]).events).to.equal(2);
  });
});
