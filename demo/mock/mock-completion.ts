/**
 * A mock chat endpoint that runs anywhere web streams do (Node 20, browsers, workers), so the demo
 * works with no key and offline. It speaks the three wire formats of `<stream-chat protocol>`, by
 * the request's path (see {@link MOCK_PATHS}), and answers every request with a paced, bursty SSE
 * stream, the way a real provider's bytes arrive.
 *
 * It answers in Markdown: an echo of the user's last message, then how streaming works here.
 * Words in that message switch what it streams:
 * - "reason" / "think" (or "فكّر", for the demo's chat in Arabic): reasoning deltas before the
 *   answer;
 * - "error": part of the answer, then an in-stream error event;
 * - "search" (Responses and Anthropic only): a web search the provider runs itself, then an
 *   answer that cites what it found (with Anthropic's wire, the turn pauses as the search starts,
 *   `pause_turn`, and the request that sends it back gets the rest); with chat-completions, a
 *   paragraph after the echo that says which protocols search.
 *
 * When the request declares tools named `time_in` or `roll_dice` (the demo page's), a question about
 * the time in a city or a dice roll gets a streamed call of that tool instead (both at once when it
 * asks for both); the request that carries their results gets an answer that uses them.
 */
import { chatRequestOf, wireFor, type MockCompletionRequest, type MockProtocol, type MockSource } from './mock-wire.js';

export type { MockCompletionRequest, MockProtocol } from './mock-wire.js';

/** Where the demo's dev and preview servers mount the mock, per protocol (see `vite-plugin.ts`). */
export const MOCK_PATHS: Record<MockProtocol, string> = {
  'openai-chat': '/api/mock/v1/chat/completions',
  'openai-responses': '/api/mock/v1/responses',
  anthropic: '/api/mock/v1/messages',
};

/** The chat-completions mock's path. */
export const MOCK_COMPLETIONS_PATH = MOCK_PATHS['openai-chat'];

/** The protocol a mock URL speaks, by the end of its path. */
export function mockProtocolOf(url: string): MockProtocol {
  const path = new URL(url, 'http://mock').pathname;
  return path.endsWith('/responses') ? 'openai-responses' : path.endsWith('/messages') ? 'anthropic' : 'openai-chat';
}

/** Mean delay per token before jitter and pauses: about 25 tokens per second overall, like a hosted model. */
const MS_PER_TOKEN = 20;
/** Delay before the first token, so the element's typing indicator can be seen. */
const FIRST_TOKEN_MS = 600;
const ECHO_LIMIT = 80;

interface Write {
  delay: number;
  bytes: Uint8Array;
}

/**
 * Streams the mock answer to `request` (in the chat-completions shape) as SSE bytes of `protocol`:
 * its start, reasoning and text (or tool calls), its end with usage. Aborting `signal` (or
 * cancelling the stream) closes it at once and clears its timers. `speed` divides every delay: the
 * same writes, sooner (tests).
 */
export function createMockCompletionStream(
  request: MockCompletionRequest,
  signal?: AbortSignal,
  protocol: MockProtocol = 'openai-chat',
  speed = 1,
): ReadableStream<Uint8Array> {
  const writes = planWrites(request, protocol);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let onAbort: (() => void) | undefined;

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    controller.close();
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (signal?.aborted) return finish(controller);
      onAbort = () => finish(controller);
      signal?.addEventListener('abort', onAbort, { once: true });
      let next = 0;
      const writeNext = () => {
        const write = writes[next++];
        if (!write) return finish(controller);
        timer = setTimeout(() => {
          controller.enqueue(write.bytes);
          writeNext();
        }, write.delay / speed);
      };
      writeNext();
    },
    cancel() {
      closed = true;
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    },
  });
}

/**
 * A `fetch` that answers like the mock's endpoints, for the element's `fetch` property where no
 * server runs the mock (a static page): the URL's path picks the protocol. POST only; the body must
 * be a JSON request of that protocol. At `speed` 10, the same answer streams ten times as fast.
 */
export function createMockFetch(speed = 1): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const signal = init?.signal ?? request?.signal ?? undefined;
    const protocol = mockProtocolOf(request?.url ?? String(input));
    if (signal?.aborted) throw signal.reason;
    if (method !== 'POST') {
      return errorResponse(protocol, 405, `Use POST for ${MOCK_PATHS[protocol]}, not ${method}.`, { allow: 'POST' });
    }
    const text = init?.body != null ? await new Response(init.body).text() : ((await request?.text()) ?? '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return errorResponse(protocol, 400, 'The request body is not valid JSON.');
    }
    const parsed = chatRequestOf(protocol, body);
    if (typeof parsed === 'string') return errorResponse(protocol, 400, parsed);
    return new Response(createMockCompletionStream(parsed, signal, protocol, speed), {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
    });
  };
}

/** The mock's `fetch` at the demo's pace: about 25 tokens per second. */
export const mockFetch = createMockFetch();

/** An error body as the protocol's API sends one. */
function errorResponse(protocol: MockProtocol, status: number, message: string, headers: Record<string, string> = {}): Response {
  const body = protocol === 'anthropic' ? { type: 'error', error: { type: 'invalid_request_error', message } } : { error: { message, type: 'invalid_request_error' } };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** What the mock's web search finds: it runs offline, so always these. */
const FOUND: MockSource[] = [
  { url: 'https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events/Using_server-sent_events', title: 'Using server-sent events – MDN' },
  { url: 'https://html.spec.whatwg.org/multipage/server-sent-events.html', title: 'HTML Standard: Server-sent events' },
];

/** The answer after the mock's search, a part per page it cites. */
const SEARCH_ANSWER = [
  '\n\nA server streams to a page with **server-sent events**: one HTTP response that stays open, each event a few `data:` lines the browser reads as they arrive.',
  ' The HTML Standard defines the format and `EventSource`; chat APIs use the same format over `fetch`, so that they can POST the conversation.',
];

/** Every write of the response, with the delay before it, decided up front. */
function planWrites(request: MockCompletionRequest, protocol: MockProtocol): Write[] {
  const lastUserText = lastUserMessage(request.messages);
  const wantsReasoning = /\b(reason|think)|فكّ?ر/i.test(lastUserText);
  const wantsError = /\berror/i.test(lastUserText) && !lastIsToolResult(request.messages);
  const asksSearch = /\bsearch/i.test(lastUserText) && !lastIsToolResult(request.messages);
  const wantsSearch = asksSearch && protocol !== 'openai-chat';
  const declared = declaredTools(request);
  const answer = answerTo(lastUserText, wantsError, declared.has('time_in') || declared.has('roll_dice'), asksSearch && !wantsSearch);
  const wire = wireFor(protocol);
  const promptTokens = Math.ceil(request.messages.reduce((sum, message) => sum + textOf(message.content).length, 0) / 4);

  const writes: Write[] = [];
  const encoder = new TextEncoder();
  const push = (delay: number, text: string) => writes.push(...splitAnywhere(delay, encoder.encode(text)));

  push(FIRST_TOKEN_MS / 3, wire.start(promptTokens));
  let completionTokens = 0;
  let firstBurst = true;
  const streamTokens = (tokens: string[], kind: 'text' | 'reasoning', pace: number) => {
    for (const burst of bursts(tokens)) {
      completionTokens += burst.length;
      const delay = firstBurst ? FIRST_TOKEN_MS : burstDelay(burst, pace);
      firstBurst = false;
      push(delay, burst.map((token) => wire[kind](token)).join(''));
    }
  };
  const end = (reason: 'stop' | 'tool_calls' | 'pause_turn') => push(MS_PER_TOKEN, wire.end(reason, { input: promptTokens, output: completionTokens }));

  const calls = toolCallsFor(request, lastUserText);
  if (calls.length > 0) {
    // Each call's id and name, then its arguments in pieces, as providers stream them.
    calls.forEach(({ name, args }, index) => {
      const id = `call_mock_${index}_${Math.random().toString(36).slice(2, 8)}`;
      push(index === 0 ? FIRST_TOKEN_MS : MS_PER_TOKEN, wire.call(index, id, name));
      for (const piece of tokenize(JSON.stringify(args))) {
        completionTokens++;
        push(MS_PER_TOKEN * 3, wire.args(index, piece));
      }
    });
    end('tool_calls');
    return writes;
  }
  if (wantsReasoning) streamTokens(tokenize(reasoningAbout(lastUserText)), 'reasoning', 0.6);
  if (wantsSearch) {
    const [started, done] = wire.search(echo(lastUserText), FOUND);
    // Claude's API pauses a turn its server tools run long (`pause_turn`), and the page sends the
    // paused answer back to go on: with Anthropic's wire, the mock pauses each search as it starts,
    // and its results come in the answer that goes on with it.
    const pauses = protocol === 'anthropic';
    if (!pauses || request.messages.at(-1)?.role !== 'assistant') {
      streamTokens(tokenize('I will search the web for that.'), 'text', 1);
      push(MS_PER_TOKEN, started);
      if (pauses) {
        end('pause_turn');
        return writes;
      }
    }
    // The provider searches meanwhile: its status line shows in the answer.
    push(1200, done);
    SEARCH_ANSWER.forEach((part, at) => {
      push(MS_PER_TOKEN, wire.cite(FOUND[at]!));
      streamTokens(tokenize(part), 'text', 1);
    });
    end('stop');
    return writes;
  }
  streamTokens(tokenize(lastIsToolResult(request.messages) ? answerFromResults(request.messages) : answer), 'text', 1);

  if (wantsError) {
    push(400, wire.error('The mock model failed mid-answer, as you asked.'));
    return writes;
  }
  end('stop');
  return writes;
}

/** Time zones of the cities a question may ask the time in. */
const TIME_ZONES: Record<string, string> = { Tokyo: 'Asia/Tokyo', Paris: 'Europe/Paris', London: 'Europe/London', 'New York': 'America/New_York', Sydney: 'Australia/Sydney' };

/** The names of the tools the request declares. */
function declaredTools(request: MockCompletionRequest): Set<unknown> {
  return new Set((request.tools ?? []).map((tool) => tool.function?.name));
}

/** The calls the question asks for, of the tools the request declares. */
function toolCallsFor(request: MockCompletionRequest, question: string): Array<{ name: string; args: object }> {
  if (lastIsToolResult(request.messages)) return [];
  const declared = declaredTools(request);
  const calls: Array<{ name: string; args: object }> = [];
  const city = /\btime\b.*?\bin ([A-Z][\p{L}'’ -]*[\p{L}])/u.exec(question);
  // The city, and its time zone for a page whose `time_in` takes one (README's).
  if (declared.has('time_in') && city) calls.push({ name: 'time_in', args: { city: city[1], ...(TIME_ZONES[city[1]!] && { timeZone: TIME_ZONES[city[1]!] }) } });
  if (declared.has('roll_dice') && /\b(dice|die|roll)\b/i.test(question)) {
    const count = Number(/\b([1-9]) (?:dice|die)\b/i.exec(question)?.[1] ?? 2);
    calls.push({ name: 'roll_dice', args: { count, sides: 6 } });
  }
  return calls;
}

function lastIsToolResult(messages: MockCompletionRequest['messages']): boolean {
  return messages.at(-1)?.role === 'tool';
}

/** An answer that uses the results of the calls the last assistant turn made. */
function answerFromResults(messages: MockCompletionRequest['messages']): string {
  const results: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role === 'tool'; i--) results.unshift(textOf(messages[i]?.content));
  const lines = results.map((result) => {
    let value: Record<string, unknown> | undefined;
    try {
      value = JSON.parse(result) as Record<string, unknown>;
    } catch {
      return `- The tool answered: ${echo(result)}`;
    }
    if (typeof value['time'] === 'string') return `- In **${String(value['city'])}** it is **${value['time']}** (${String(value['timeZone'])}).`;
    if (Array.isArray(value['rolls'])) return `- You rolled **${value['rolls'].join(' and ')}**: ${String(value['total'])} in all.`;
    return `- The tool answered \`${echo(result)}\`.`;
  });
  return `I called the page’s tools and got:\n\n${lines.join('\n')}\n\nThe page ran them, not the mock: open a card above to see each call’s arguments and result.`;
}

function lastUserMessage(messages: MockCompletionRequest['messages']): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return textOf(message.content).trim();
  }
  return '';
}

/** Message content is a string, or (OpenAI's multimodal shape) an array of `{type, text}` parts. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown } | null) => (typeof part?.text === 'string' ? part.text : '')).join(' ');
}

function echo(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > ECHO_LIMIT ? `${oneLine.slice(0, ECHO_LIMIT)}…` : oneLine;
}

function answerTo(userText: string, failing: boolean, tools: boolean, searchElsewhere: boolean): string {
  const said = echo(userText);
  // One full stop: a question that ends with its own goes without another after the quote, in any
  // script (؟ 。 ！ । …: Unicode's sentence terminals, and Greek's question mark, ;), also before
  // closing brackets or quotes (German's „…“ and »…« close with an initial quote's mark), spaced
  // too (French's « pourquoi ? »).
  const opening = userText
    ? `You wrote: “${said}”${/[\p{STerm};…][ \p{Pe}\p{Pf}\p{Pi}"']*$/u.test(said) ? '' : '.'} I am the mock model built into this demo, so I cannot really answer that, but I can show you how an answer streams in.`
    : 'I am the mock model built into this demo. Send me a message and I will show you how an answer streams in.';
  if (failing) {
    return `${opening}\n\nYou asked for an **error**, so this answer will break off in the middle of its second paragraph, the way a provider fails when it is overloaded. What arrived before the failure stays on the page, and the element reports`;
  }
  // Said first: the usual answer says it only in its last line, about 15 s later.
  const search = searchElsewhere ? `${NO_SEARCH}\n\n` : '';
  return `${opening}\n\n${search}${HOW_STREAMING_WORKS}\n\n${tryIt(tools)}`;
}

/** To a search asked for on chat-completions, whose wire has no search a provider runs itself. */
const NO_SEARCH = 'Chat Completions has no web search of its own: pick **OpenAI Responses** or **Anthropic Messages** as the protocol, then ask again.';

/** The body of the default answer: Markdown that uses most of what the element renders. */
const HOW_STREAMING_WORKS = [
  '## How a reply gets here',
  '',
  '1. `<stream-chat>` POSTs the conversation to its `endpoint`, here the mock.',
  '2. The mock answers with [server-sent events](https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events), like a real provider:',
  '   - a pause while the typing indicator shows;',
  '   - deltas of a few tokens, with irregular gaps;',
  '   - a last event with `usage`, then the end of the stream.',
  '3. The element appends the text **at most once per animation frame**, rendering Markdown as it goes.',
  '',
  'Worth knowing:',
  '',
  '- *Stop* ends the answer early and keeps what arrived.',
  '- Text split inside a character still arrives intact: 日本語, Ελληνικά, עברית, 🚀✨.',
  '',
  '## From your own code',
  '',
  '```js',
  "chat.addEventListener('chunk', (e) => console.log(e.detail.delta));",
  "const { content } = await chat.send('Hi');",
  '```',
  '',
  'While `npm start` runs, any client can read the stream:',
  '',
  '```python',
  'import json, urllib.request',
  '',
  'url = "http://localhost:5173/api/mock/v1/chat/completions"  # the address npm start printed',
  'body = json.dumps({"messages": [{"role": "user", "content": "Hi"}]})',
  'for line in urllib.request.urlopen(url, body.encode()):',
  '    if line.startswith(b"data: {"):',
  '        delta = json.loads(line[6:])["choices"][0]["delta"]',
  '        print(delta.get("content", ""), end="")',
  '```',
  '',
  '| Event | When |',
  '| --- | --- |',
  '| `chunk` | each piece |',
  '| `done` | complete or stopped |',
  '| `error` | the request or stream failed |',
].join('\n');

/**
 * The answer's last line: what else to ask. The tools' questions only where the request declares
 * the tools (the demo's first page does; README's Quick start against the mock does not, and there
 * they got this answer again).
 */
function tryIt(tools: boolean): string {
  return `> **Try it:** a message with “reason” streams reasoning first; one with “error” fails mid-stream;${tools ? ' “What time is it in Tokyo?” or “Roll 2 dice” calls the page’s tools;' : ''} with the Responses or Anthropic protocol, one with “search” runs a web search and cites it.`;
}

function reasoningAbout(userText: string): string {
  return `The user asked me to think about “${echo(userText)}”. A real reasoning model streams its thinking first, and the element keeps it apart from the answer. I will keep it short and then answer.`;
}

/** Splits text roughly like a BPE tokenizer: a word, with its leading space, in pieces of up to 5 characters. */
function tokenize(text: string): string[] {
  return text.match(/\s*\S{1,5}|\s+/gu) ?? [];
}

/** Groups tokens into network writes of 1 to 6 tokens, most of them small. */
function bursts(tokens: string[]): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i < tokens.length; ) {
    const size = 1 + Math.floor(Math.random() ** 2 * 6);
    groups.push(tokens.slice(i, i + size));
    i += size;
  }
  return groups;
}

/** The gap before a write: proportional to its tokens, jittered, longer at paragraph breaks, sometimes a stall. */
function burstDelay(burst: string[], pace: number): number {
  const base = burst.length * MS_PER_TOKEN * pace * (0.4 + Math.random() * 1.4);
  const paragraph = burst.some((token) => token.includes('\n\n')) ? 250 : 0;
  const stall = Math.random() < 0.05 ? 150 + Math.random() * 250 : 0;
  return Math.round(base + paragraph + stall);
}

/** Like the network, sometimes splits a write in two at an arbitrary byte, even inside a character. */
function splitAnywhere(delay: number, bytes: Uint8Array): Write[] {
  if (bytes.length < 2 || Math.random() >= 0.25) return [{ delay, bytes }];
  const at = 1 + Math.floor(Math.random() * (bytes.length - 1));
  return [
    { delay, bytes: bytes.subarray(0, at) },
    { delay: 5, bytes: bytes.subarray(at) },
  ];
}
