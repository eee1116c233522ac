/**
 * The Responses and Anthropic transcripts (test/fixtures/protocols, see its README): each is played
 * by the real local HTTP server whole, cut at every byte offset of its first events (inside
 * multi-byte characters too), and cut at seeded random offsets, through the streaming core with
 * its `protocol`; and once through `<stream-chat protocol=…>`, whose done or error detail and
 * rendered answer, server-tool lines and sources must match the transcript's `.expected.json`.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import { MessageBuilder } from '../src/core/message-builder.js';
import { streamResponse } from '../src/core/stream.js';
import type { DoneDetail, ErrorDetail } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { mockEndpoint, splitBytes, type MockStep } from './helpers/server.js';
import {
  expectExpectations,
  expectedOutcome,
  failedOutcome,
  finishedOutcome,
  loadTranscripts,
  randomCuts,
  responseFor,
  seedOf,
  seededRandom,
  type Outcome,
  type Transcript,
} from './helpers/transcripts.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const transcripts = await loadTranscripts('protocols');

/** Requests that share the cuts of the first events between them, played at once. */
const LANES = 6;
const SEEDS = 3;
const CUTS = 8;
/** Ms between the writes of a cut body: enough for each piece to arrive as its own read. */
const CUT_GAP = 2;

/**
 * Where the first events end: after the third event, or after the first one holding a multi-byte
 * character if that comes later (at most 4 KB in). A body that is not a stream: all of it.
 */
function firstEventsEnd({ bytes, text }: Transcript): number {
  const events = [...text.matchAll(/\n\n/g)].map((match) => new TextEncoder().encode(text.slice(0, match.index + 2)).length);
  if (events.length === 0) return Math.min(4096, bytes.length - 1);
  const wide = bytes.findIndex((byte) => byte >= 0x80);
  const third = events[Math.min(2, events.length - 1)]!;
  const withWide = wide < 0 ? third : (events.find((end) => end > wide) ?? third);
  return Math.min(Math.max(third, withWide), 4096, bytes.length - 1);
}

/** Streams a scripted response through `streamResponse` with the transcript's protocol into a `MessageBuilder`. */
async function replayHeadless(transcript: Transcript, steps: MockStep[]): Promise<Outcome> {
  const endpoint = await mockEndpoint(responseFor(transcript, steps));
  const builder = new MessageBuilder();
  try {
    await streamResponse(
      { endpoint: endpoint.url, protocol: transcript.protocol, messages: [{ role: 'user', content: 'hi' }], retries: 0, timeout: 15_000 },
      (_raw, deltas) => {
        for (const delta of deltas) builder.apply(delta);
      },
    );
  } catch (error) {
    return failedOutcome(error, builder.message.content);
  }
  return finishedOutcome(builder.message, builder.usage, builder.finishReason);
}

describe('Responses and Anthropic transcripts', () => {
  failOnUnhandledRejection();

  it('the corpus is loaded: both protocols, each transcript with an expectation', () => {
    expect(transcripts.filter((t) => t.protocol === 'openai-responses').length).to.be.greaterThan(8);
    expect(transcripts.filter((t) => t.protocol === 'anthropic').length).to.be.greaterThan(8);
    expectExpectations(transcripts);
  });

  for (const transcript of transcripts) {
    const { name, text, bytes, expected } = transcript;
    const want = expectedOutcome(expected);

    describe(name, () => {
      it('whole body in one write, through the streaming core', async () => {
        expect(await replayHeadless(transcript, [{ write: text }])).to.deep.equal(want);
      });

      it('cut at every byte offset of its first events, through the streaming core', async function () {
        this.timeout(30_000);
        const end = firstEventsEnd(transcript);
        if (bytes.some((byte) => byte >= 0x80)) {
          expect(bytes.slice(0, end).some((byte) => byte >= 0x80), 'the first events hold a multi-byte character').to.equal(true);
        }
        // Lane i cuts at offsets i + 1, i + 1 + LANES, …: together the lanes cut at every offset up to `end`.
        const lanes = Array.from({ length: LANES }, (_, lane) => {
          const cuts: number[] = [];
          for (let at = lane + 1; at <= end; at += LANES) cuts.push(at);
          return replayHeadless(transcript, splitBytes(text, cuts, { gap: CUT_GAP })).then((outcome) => ({ cuts, outcome }));
        });
        for (const { cuts, outcome } of await Promise.all(lanes)) {
          expect(outcome, `cut at bytes ${cuts[0]}, ${cuts[1]}, … ${cuts.at(-1)}`).to.deep.equal(want);
        }
      });

      for (let k = 0; k < SEEDS; k++) {
        const seed = (seedOf(name) + Math.imul(k, 0x9e3779b9)) >>> 0;
        it(`cut at random byte offsets (seed 0x${seed.toString(16).padStart(8, '0')}), through the streaming core`, async () => {
          const cuts = randomCuts(bytes, CUTS, seededRandom(seed));
          expect(await replayHeadless(transcript, splitBytes(text, cuts, { gap: CUT_GAP })), `cut at bytes ${cuts.join(', ')}`).to.deep.equal(want);
        });
      }

      it('through <stream-chat>: the done or error detail, the rendered answer, its server-tool lines and sources', async () => {
        const endpoint = await mockEndpoint(responseFor(transcript, [{ write: text }]));
        // Plain text: the rendered answer is compared with the transcript's text exactly.
        const el = await fixture<StreamChatElement>(
          html`<stream-chat endpoint=${endpoint.url} protocol=${transcript.protocol} retries="0" format="text"></stream-chat>`,
        );
        const dones: DoneDetail[] = [];
        const errors: ErrorDetail[] = [];
        el.addEventListener('done', (event) => dones.push(event.detail));
        el.addEventListener('error', (event) => errors.push(event.detail));
        let outcome: Outcome;
        try {
          const detail = await el.send('hi');
          expect(detail.aborted).to.equal(false);
          outcome = finishedOutcome({ ...detail.message, content: detail.content }, detail.usage, detail.finishReason);
        } catch (error) {
          expect(errors[0]?.error).to.equal(error);
          outcome = failedOutcome(errors[0]!.error, errors[0]!.content);
        }
        expect(outcome).to.deep.equal(want);
        expect(dones.length + errors.length, 'done and error events').to.equal(1);

        await el.updateComplete;
        const answer = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="assistant"]:not([part~="refusal"])')].at(-1);
        const lines = [...(answer?.querySelectorAll('[part~="server-tool"]') ?? [])];
        const body = answer?.cloneNode(true) as HTMLElement | undefined;
        for (const line of body?.querySelectorAll('[part~="server-tool"]') ?? []) line.remove();
        expect(body?.textContent ?? '', 'rendered answer').to.equal(expected.content);
        const tools = expected.error ? [] : (expected.serverTools ?? []);
        expect(
          lines.map((line) => line.textContent),
          'server-tool lines',
        ).to.deep.equal(tools.map((tool) => (tool.detail ? `${tool.name.replaceAll('_', ' ')} ${tool.detail}` : tool.name.replaceAll('_', ' '))));
        const links = [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('[part~="sources"] a')];
        expect(links.map((link) => [link.getAttribute('href'), link.textContent])).to.deep.equal(
          (expected.error ? [] : (expected.sources ?? [])).map((source) => [source.url, source.title ?? source.url]),
        );
        const refusal = el.shadowRoot!.querySelector('[part~="refusal"]');
        expect(refusal?.textContent, 'rendered refusal').to.equal(expected.error ? undefined : expected.refusal);
      });
    });
  }
});
