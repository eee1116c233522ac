import { expect, waitUntil } from '@open-wc/testing';
import type { ServerSentEvent } from '../src/core/protocol.js';
import { readEvents, type SseEnd } from '../src/core/sse.js';
import type { ChatCompletionChunk } from '../src/core/types.js';
import { chunk, sse } from './helpers/server.js';
import { rejectionOf } from './helpers/rejection.js';
import { TestBody, attemptOf } from './helpers/streaming.js';

interface Read {
  events: ServerSentEvent[];
  end: SseEnd;
}

/** Reads a body made of these pieces (each its own read), to its end. */
async function read(pieces: ReadonlyArray<string | Uint8Array>, { until }: { until?: (event: ServerSentEvent) => boolean } = {}): Promise<Read> {
  const body = new TestBody(...pieces);
  body.end();
  const events: ServerSentEvent[] = [];
  const end = await readEvents(attemptOf(body), (event) => {
    events.push({ event: event.event, data: event.data });
    return until?.(event) ?? false;
  });
  return { events, end };
}

const encoder = new TextEncoder();
const json = (value: ChatCompletionChunk) => JSON.stringify(value);
const data = (value: ChatCompletionChunk) => `data: ${json(value)}`;

/** The events of {@link transcript}. */
const expectedEvents: ServerSentEvent[] = [
  { event: 'message', data: json(chunk({ role: 'assistant', content: '' })) },
  { event: undefined, data: json(chunk({ content: 'Hel' })) },
  { event: undefined, data: '{"choices":[{"index":0,\n"delta":{"content":"lo, wörld 😀"}}]}' },
  { event: undefined, data: json(chunk({}, { finishReason: 'stop' })) },
  { event: undefined, data: '[DONE]' },
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

describe('readEvents', () => {
  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    it(`${name} line endings: read whole, the transcript gives its events and no comments`, async () => {
      const { events, end } = await read([transcript(eol)]);
      expect(events).to.deep.equal(expectedEvents);
      expect(end).to.deep.equal({ done: false, events: 5, text: true, page: false });
    });

    it(`${name} line endings split across reads at every byte position give the same events`, async () => {
      const bytes = encoder.encode(transcript(eol));
      for (let at = 0; at <= bytes.length; at++) {
        const { events } = await read([bytes.slice(0, at), bytes.slice(at)]);
        expect(events, `split at byte ${at}`).to.deep.equal(expectedEvents);
      }
    });

    it(`${name} line endings read one byte at a time give the same events`, async () => {
      const bytes = encoder.encode(transcript(eol));
      const { events } = await read(Array.from(bytes, (byte) => Uint8Array.of(byte)));
      expect(events).to.deep.equal(expectedEvents);
    });
  }

  it('a CRLF cut between CR and LF inside a multi-line event keeps it one event', async () => {
    const { events } = await read(['data: {"choices":[{"index":0,\r', '\ndata: "delta":{"content":"ab"}}]}\r\n\r\n']);
    expect(events).to.deep.equal([{ event: undefined, data: '{"choices":[{"index":0,\n"delta":{"content":"ab"}}]}' }]);
  });

  it('multi-line data is joined with line feeds', async () => {
    const { events } = await read(['data: {\ndata: "choices": []\ndata: }\n\n']);
    expect(events).to.deep.equal([{ event: undefined, data: '{\n"choices": []\n}' }]);
  });

  it('comments give no event', async () => {
    const { events } = await read([': OPENROUTER PROCESSING\n\n', ':\n\n', `${data(chunk({ content: 'x' }))}\n\n`]);
    expect(events).to.deep.equal([{ event: undefined, data: json(chunk({ content: 'x' })) }]);
  });

  it('event:, id:, retry: and unknown fields do not disturb the data they come with', async () => {
    const { events } = await read([`event: completion\nid: 42\nretry: 1000\nretry: soon\nx-custom: 1\n${data(chunk({ content: 'x' }))}\n\n`]);
    expect(events).to.deep.equal([{ event: 'completion', data: json(chunk({ content: 'x' })) }]);
  });

  it("llama.cpp's error: line is delivered as an error event", async () => {
    const { events } = await read([`${data(chunk({ content: 'a' }))}\n\nerror: {"code":500,"message":"context full"}\n\n`]);
    expect(events).to.deep.equal([
      { event: undefined, data: json(chunk({ content: 'a' })) },
      { event: 'error', data: '{"code":500,"message":"context full"}' },
    ]);
  });

  it('a last event without its blank line is delivered when the body ends, not before', async () => {
    for (const ending of ['', '\n', '\r']) {
      const { events } = await read([`${data(chunk({ content: 'last' }))}${ending}`]);
      expect(events, JSON.stringify(ending)).to.deep.equal([{ event: undefined, data: json(chunk({ content: 'last' })) }]);
    }
    const body = new TestBody(`data: first\n\n${data(chunk({ content: 'last' }))}`);
    const events: string[] = [];
    const reading = readEvents(attemptOf(body), (event) => {
      events.push(event.data);
      return false;
    });
    await waitUntil(() => events.length > 0, 'the first event');
    expect(events).to.deep.equal(['first']);
    body.end();
    await reading;
    expect(events).to.deep.equal(['first', json(chunk({ content: 'last' }))]);
  });

  it('events counts every event, and the end of the body adds none after complete events', async () => {
    expect((await read([`${data(chunk({ content: 'a' }))}\n\n`])).end.events).to.equal(1);
    expect((await read([`${data(chunk({ content: 'a' }))}\n\ndata: [DONE]\n\n`])).end.events).to.equal(2);
  });

  it('once onEvent says the stream is done, later events are not delivered', async () => {
    const { events, end } = await read([`${data(chunk({ content: 'a' }))}\n\ndata: [DONE]\n\n${data(chunk({ content: 'b' }))}\n\ndata: not json\n\n`], {
      until: (event) => event.data === '[DONE]',
    });
    expect(events.map((event) => event.data)).to.deep.equal([json(chunk({ content: 'a' })), '[DONE]']);
    expect(end.done).to.equal(true);
  });

  it('page: a body that opens as an HTML page, past an `<?xml …?>` and comments, read a character at a time; not XML, nor text that opens with `<`', async () => {
    const pages = ['\n<!doctype html><html>', '<!-- proxy -->\n<!---->\n<html><body>', '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" ""><html>', '<title>Sign in</title>', '<meta charset="utf-8">\n<title>Sign in</title>', '<h1>Sign in</h1>'];
    const others = ['<unknown>', '<3 limits exceeded', '<?xml version="1.0"?>\n<!-- S3 -->\n<Error><Message>Please reduce your request rate.</Message></Error>'];
    for (const body of [...pages, ...others]) expect((await read([...body])).end.page, body).to.equal(pages.includes(body));
  });

  it('a signal already aborted when it starts cancels the body: a read that would wait for ever is not', async () => {
    const body = new TestBody();
    const error = rejectionOf(readEvents({ ...attemptOf(body), signal: AbortSignal.abort(new Error('stopped')) }, () => false));
    // Before, the listener added to the aborted signal never ran, and the read waited on the open body.
    await waitUntil(() => body.cancelled, 'the body cancelled', { timeout: 1000 });
    expect(((await error) as Error).message).to.equal('The response was stopped');
  });

  it('an empty body reads as no events and no text', async () => {
    expect((await read([])).end).to.deep.equal({ done: false, events: 0, text: false, page: false });
  });
});

describe('readEvents: bytes to text', () => {
  // 2-byte Latin, 3-byte CJK, a 4-byte emoji and an emoji ZWJ sequence.
  const text = 'é中😀👩‍💻';
  const event = sse({ choices: [{ index: 0, delta: { content: `<${text}>` } }] });
  const bytes = encoder.encode(event);
  const firstByte = encoder.encode(event.slice(0, event.indexOf('<') + 1)).length;
  const lastByte = firstByte + encoder.encode(text).length;
  const expected = [{ event: undefined, data: JSON.stringify({ choices: [{ index: 0, delta: { content: `<${text}>` } }] }) }];

  it('multi-byte characters split across reads at every byte position arrive intact', async () => {
    for (let at = firstByte; at <= lastByte; at++) {
      const { events } = await read([bytes.slice(0, at), bytes.slice(at)]);
      expect(events, `split at byte ${at}`).to.deep.equal(expected);
    }
  });

  it('one byte per read arrives intact', async () => {
    const { events } = await read(Array.from(bytes, (byte) => Uint8Array.of(byte)));
    expect(events).to.deep.equal(expected);
  });
});
