/**
 * The provider transcripts in test/fixtures/providers: loading them in the browser, cutting their
 * bytes at reproducible random points, and reducing what the streaming core or the element made of
 * one to the shape of its `.expected.json`.
 *
 * @example
 * const transcripts = await loadTranscripts();
 * const random = seededRandom(0x2f6a91c3);
 * const cuts = randomCuts(transcripts[0].bytes, 6, random);
 */
import { expect } from '@open-wc/testing';
import type { StreamChatError } from '../../src/core/errors.js';
import type { ProtocolName } from '../../src/core/protocol.js';
import type { ChatMessage, OutputItem, ReasoningDetail, ServerTool, Source, ThinkingBlock, ToolCall, Usage } from '../../src/core/types.js';
import type { MockResponse, MockStep } from './server.js';

/** What replaying a transcript must give: the contents of its `.expected.json`. */
export interface ExpectedResult {
  /** The answer; for a failed response, what had arrived before the failure. */
  content: string;
  reasoning?: string;
  toolCalls?: ToolCall[];
  refusal?: string;
  /** The provider's own tool runs and the cited links (the Responses and Anthropic protocols). */
  serverTools?: ServerTool[];
  sources?: Source[];
  /** Claude's thinking blocks, as they are to be sent back (the Anthropic protocol). */
  thinkingBlocks?: ThinkingBlock[];
  /** OpenRouter's reasoning blocks, merged, as they are to be sent back. */
  reasoningDetails?: ReasoningDetail[];
  /** Claude's answer as the content blocks it came in, when it ran server tools (the Anthropic protocol). */
  contentBlocks?: Array<Record<string, unknown>>;
  /** A reasoning model's step's encrypted reasoning items, without their ids (the Responses protocol). */
  reasoningItems?: Array<Record<string, unknown>>;
  /** The phase of the answer's last message, and the outline of its items when they go back in their own order (the Responses protocol). */
  phase?: string;
  outputItems?: OutputItem[];
  usage?: Usage;
  /** Set when the response ends normally. */
  finishReason?: string;
  /** Set when the response fails. */
  error?: { kind: StreamChatError['kind']; message: string; partialContent: string };
  /** The status line and headers, when the transcript is not a 200 event stream. */
  response?: { status: number; headers: Record<string, string> };
}

/** One recorded-style provider stream and what it must give. */
export interface Transcript {
  name: string;
  /** The wire format it is in (test/fixtures/protocols); chat-completions otherwise. */
  protocol: ProtocolName;
  /** The exact bytes the server sends. */
  bytes: Uint8Array;
  /** The same bytes decoded, for the server helpers that take text. */
  text: string;
  expected: ExpectedResult;
}

/** A replay's result, in the shape of {@link ExpectedResult} without `response`. */
export type Outcome = Omit<ExpectedResult, 'response'>;

/**
 * Every transcript listed in the index.json of a folder of test/fixtures (`providers`, or
 * `protocols`, whose entries also name their protocol), in its order.
 */
export async function loadTranscripts(folder = 'providers'): Promise<Transcript[]> {
  const FIXTURES = new URL(`../fixtures/${folder}/`, import.meta.url);
  const entries = (await fetchOk(new URL('index.json', FIXTURES)).then((r) => r.json())) as Array<string | { name: string; protocol: ProtocolName }>;
  return Promise.all(
    entries.map(async (entry) => {
      const { name, protocol } = typeof entry === 'string' ? { name: entry, protocol: 'openai-chat' as const } : entry;
      const bytes = new Uint8Array(await (await fetchOk(new URL(`${name}.sse`, FIXTURES))).arrayBuffer());
      // fatal: a fixture that is not valid UTF-8 would not survive the text round trip of the helpers.
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      const expected = (await (await fetchOk(new URL(`${name}.expected.json`, FIXTURES))).json()) as ExpectedResult;
      return { name, protocol, bytes, text, expected };
    }),
  );
}

/** Checks that every transcript says what its replay must give: the answer, and how it ends. */
export function expectExpectations(transcripts: readonly Transcript[]): void {
  for (const { name, expected } of transcripts) {
    expect(typeof expected.content, name).to.equal('string');
    expect(expected.error !== undefined || typeof expected.finishReason === 'string', name).to.equal(true);
  }
}

/** The mock server's script that plays `steps` as the transcript's response (its status and headers when it has them). */
export function responseFor(transcript: Transcript, steps: MockStep[]): MockResponse {
  const { response } = transcript.expected;
  return response ? { status: response.status, headers: response.headers, steps } : { steps };
}

async function fetchOk(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return response;
}

/** What the replay must equal: the expected file without the response description. */
export function expectedOutcome(expected: ExpectedResult): Outcome {
  if (expected.error) return { content: expected.content, error: expected.error };
  const { response: _response, ...outcome } = expected;
  return outcome;
}

/** The outcome of a response that ended normally, from its assistant message (streamed: its content is text). */
export function finishedOutcome(
  message: ChatMessage & { content: string },
  usage: Usage | undefined,
  finishReason: string | null,
): Outcome {
  return withoutUndefined({
    content: message.content,
    reasoning: message.reasoning,
    toolCalls: message.tool_calls,
    refusal: message.refusal ?? undefined,
    serverTools: message.server_tools,
    sources: message.sources,
    thinkingBlocks: message.thinking_blocks,
    reasoningDetails: message.reasoning_details,
    contentBlocks: message.content_blocks,
    reasoningItems: message.reasoning_items,
    phase: message.phase,
    outputItems: message.output_items,
    usage,
    finishReason: finishReason ?? undefined,
  });
}

/** The outcome of a response that failed: the error and what had arrived before it. */
export function failedOutcome(error: unknown, partialContent: string): Outcome {
  const failure = error as Partial<StreamChatError>;
  return {
    content: partialContent,
    error: {
      kind: failure.kind ?? (`not a StreamChatError: ${String(error)}` as StreamChatError['kind']),
      message: failure.message ?? String(error),
      partialContent,
    },
  };
}

/** The object as JSON would carry it: undefined fields dropped, copies of nested values. */
function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** mulberry32: a small PRNG, so that a seed printed in a test name reproduces its cuts. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a name: a stable per-transcript base for its seeds. */
export function seedOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * `count` distinct byte offsets inside `bytes`, plus one that falls inside a multi-byte UTF-8
 * character and one between a CR and its LF, when the bytes have such places. Sorted. No offset
 * falls strictly inside an `avoid` range.
 */
export function randomCuts(
  bytes: Uint8Array,
  count: number,
  random: () => number,
  avoid: ReadonlyArray<readonly [start: number, end: number]> = [],
): number[] {
  const cuts = new Set<number>();
  const allowed = (offset: number) => !avoid.some(([start, end]) => offset > start && offset < end);
  const add = (offset: number) => {
    if (allowed(offset)) cuts.add(offset);
  };
  const pick = (candidates: readonly number[]) => {
    if (candidates.length > 0) add(candidates[Math.floor(random() * candidates.length)] as number);
  };
  const insideCharacters: number[] = [];
  const insideCrlf: number[] = [];
  for (let i = 1; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80 && byte <= 0xbf) insideCharacters.push(i);
    if (byte === 0x0a && bytes[i - 1] === 0x0d) insideCrlf.push(i);
  }
  pick(insideCharacters);
  pick(insideCrlf);
  for (let tries = 0; cuts.size < Math.min(count + 2, bytes.length - 1) && tries < 10_000; tries++) {
    add(1 + Math.floor(random() * (bytes.length - 1)));
  }
  return [...cuts].sort((a, b) => a - b);
}

/**
 * Byte ranges of lines with a field name SSE does not define (llama.cpp's legacy `error:` line).
 * eventsource-parser reports such a line through `onError` only when it arrives whole: a partial
 * line that cannot become a known field is dropped unbuffered (documented in its `ParserCallbacks`),
 * so a cut inside it cannot be detected by any conforming SSE client.
 */
export function unknownFieldLines(bytes: Uint8Array): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const text = new TextDecoder().decode(bytes);
  const encoder = new TextEncoder();
  let offset = 0;
  for (const line of text.split(/(?<=\n)/)) {
    const length = encoder.encode(line).length;
    if (/^error:/.test(line)) ranges.push([offset, offset + length]);
    offset += length;
  }
  return ranges;
}
