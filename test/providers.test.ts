/**
 * The provider conformance corpus (test/fixtures/providers, see its README): every transcript is
 * played by the real local HTTP server, whole, one byte per write, and cut at seeded random byte
 * offsets (inside multi-byte characters and CRLF pairs too), through the streaming core and
 * once through `<stream-chat>`. Each replay must give exactly its `.expected.json`.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import { MessageBuilder } from '../src/core/message-builder.js';
import { streamResponse } from '../src/core/stream.js';
import type { DoneDetail, ErrorDetail } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { byteWrites, mockEndpoint, splitBytes, type MockResponse } from './helpers/server.js';
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
  unknownFieldLines,
  type Outcome,
} from './helpers/transcripts.js';

const transcripts = await loadTranscripts();

/** Seeds per transcript for the random cuts, and cuts per seed (plus the forced ones). */
const SEEDS = 5;
const CUTS = 6;
/** Ms between the writes of a cut body: enough for each piece to arrive as its own read. */
const CUT_GAP = 3;

/** Streams the scripted response through `streamResponse` (and so the openai-chat decoder) into a `MessageBuilder`. */
async function replayHeadless(script: MockResponse): Promise<Outcome> {
  const endpoint = await mockEndpoint(script);
  const builder = new MessageBuilder();
  try {
    await streamResponse({ endpoint: endpoint.url, messages: [{ role: 'user', content: 'hi' }], retries: 0, timeout: 15_000 }, (_raw, deltas) => {
      for (const delta of deltas) builder.apply(delta);
    });
  } catch (error) {
    return failedOutcome(error, builder.message.content);
  }
  return finishedOutcome(builder.message, builder.usage, builder.finishReason);
}

function hex(seed: number): string {
  return `0x${seed.toString(16).padStart(8, '0')}`;
}

describe('provider transcripts', () => {
  failOnUnhandledRejection();

  it('the corpus is loaded and every transcript has an expectation', () => {
    expect(transcripts.length).to.be.greaterThan(25);
    expectExpectations(transcripts);
  });

  it('README counts the corpus as it is: its streams, and the other protocols’', async () => {
    const readme = await (await fetch('/README.md')).text();
    const protocols = (await (await fetch('/test/fixtures/protocols/index.json')).json()) as string[];
    const said = /Tested\s+against\s+(\d+)\s+chat-completions\s+streams\s[\s\S]{0,400}?\sand\s+(\d+)\s+of\s+the\s+Responses\s+and\s+Messages/.exec(readme);
    expect(said?.slice(1).map(Number), 'README: "Tested against N chat-completions streams … and M of the Responses and Messages …"').to.deep.equal([transcripts.length, protocols.length]);
  });

  it('README counts the Responses and Messages transcripts the same everywhere it counts them', async () => {
    const readme = await (await fetch('/README.md')).text();
    const protocols = (await (await fetch('/test/fixtures/protocols/index.json')).json()) as string[];
    const counts = [...readme.matchAll(/Tested\s+against\s+(\d+)\s+transcripts\s+of\s+our\s+own/g)].map((match) => Number(match[1]));
    expect(counts, 'README: "Tested against N transcripts of our own"').to.deep.equal([protocols.length]);
  });

  for (const transcript of transcripts) {
    const { name, text, bytes, expected } = transcript;
    const want = expectedOutcome(expected);

    describe(name, () => {
      it('whole body in one write, through the streaming core', async () => {
        expect(await replayHeadless(responseFor(transcript, [{ write: text }]))).to.deep.equal(want);
      });

      // A line with a field SSE does not define is written whole (see unknownFieldLines).
      it('one byte per write, through the streaming core', async function () {
        this.timeout(30_000);
        const whole = unknownFieldLines(bytes);
        const steps =
          whole.length === 0
            ? byteWrites(text, { gap: 0 })
            : splitBytes(
                text,
                Array.from({ length: bytes.length - 1 }, (_, i) => i + 1).filter((cut) => !whole.some(([start, end]) => cut > start && cut < end)),
                { gap: 0 },
              );
        expect(await replayHeadless(responseFor(transcript, steps))).to.deep.equal(want);
      });

      for (let k = 0; k < SEEDS; k++) {
        const seed = (seedOf(name) + Math.imul(k, 0x9e3779b9)) >>> 0;
        it(`cut at random byte offsets (seed ${hex(seed)}), through the streaming core`, async () => {
          const cuts = randomCuts(bytes, CUTS, seededRandom(seed), unknownFieldLines(bytes));
          const outcome = await replayHeadless(responseFor(transcript, splitBytes(text, cuts, { gap: CUT_GAP })));
          expect(outcome, `cut at bytes ${cuts.join(', ')}`).to.deep.equal(want);
        });
      }

      it('through <stream-chat>: the done or error detail and the rendered answer', async () => {
        const endpoint = await mockEndpoint(responseFor(transcript, [{ write: text }]));
        // Plain text: the rendered answer is compared with the transcript's text exactly.
        const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" format="text"></stream-chat>`);
        const dones: DoneDetail[] = [];
        const errors: ErrorDetail[] = [];
        el.addEventListener('done', (event) => dones.push(event.detail));
        el.addEventListener('error', (event) => errors.push(event.detail));

        let outcome: Outcome;
        try {
          const detail = await el.send('hi');
          expect(detail.aborted).to.equal(false);
          expect(detail.content).to.equal(detail.message.content);
          outcome = finishedOutcome({ ...detail.message, content: detail.content }, detail.usage, detail.finishReason);
        } catch (error) {
          expect(errors.length, 'error events').to.equal(1);
          expect(errors[0]!.error).to.equal(error);
          outcome = failedOutcome(errors[0]!.error, errors[0]!.content);
        }
        expect(outcome).to.deep.equal(want);
        expect(dones.length + errors.length, 'done and error events').to.equal(1);

        await el.updateComplete;
        const assistant = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="assistant"]')];
        const answer = assistant.filter((part) => !part.part.contains('refusal')).at(-1);
        expect(answer?.textContent ?? '', 'rendered answer').to.equal(expected.content);
        const refusal = assistant.find((part) => part.part.contains('refusal'));
        expect(refusal?.textContent, 'rendered refusal').to.equal(expected.error ? undefined : expected.refusal);
      });
    });
  }

  // The expectations compare an error's kind and message: its code, which a page reads, is checked here.
  it('DeepInfra’s error chunk is a provider error whose code is its error_type', async () => {
    const transcript = transcripts.find(({ name }) => name === 'deepinfra-error-type-message')!;
    const endpoint = await mockEndpoint(responseFor(transcript, [{ write: transcript.text }]));
    const error = await streamResponse({ endpoint: endpoint.url, messages: [{ role: 'user', content: 'hi' }], retries: 0 }, () => {}).catch((reason: unknown) => reason);
    expect(error).to.include({ kind: 'provider', code: 'BadRequestError' });
  });
});
