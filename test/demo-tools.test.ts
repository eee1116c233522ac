/**
 * The demo's mock model (demo/mock) with the demo page's tools, `time_in` and `roll_dice`: the
 * question the demo suggests gets both calls streamed in each of the three wire formats, the
 * headless conversation runs the tools, and the request with their results gets an answer that
 * uses them. The mock answers as the built demo's in-page `fetch` does, with the same writes (bursts,
 * splits inside characters, stalls) ten times as fast as the demo paces them. And the demo's default
 * answer, streamed into the element, renders as the Markdown it is written in.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { MOCK_PATHS, createMockFetch } from '../demo/mock/mock-completion.js';
import { tools } from '../demo/tools.js';
import { Conversation } from '../src/core/conversation.js';
import type { ProtocolName } from '../src/core/protocol.js';
import { recordEnds } from './helpers/conversation.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

/** The demo's mock, ten times its pace. */
const mockFetch = createMockFetch(10);

/** The mock's fetch, keeping each request's body. */
function recordingMock() {
  const bodies: Array<Record<string, unknown>> = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    return mockFetch(input, init);
  };
  return { fetch, bodies };
}

/** The tool results a request carries, as `id → output`, in each protocol's shape. */
function resultsIn(protocol: ProtocolName, body: Record<string, unknown>): Array<[string, string]> {
  if (protocol === 'openai-responses') {
    const input = body['input'] as Array<{ type?: string; call_id?: string; output?: string }>;
    return input.filter((item) => item.type === 'function_call_output').map((item) => [item.call_id!, item.output!]);
  }
  const messages = body['messages'] as Array<{ role: string; content: unknown; tool_call_id?: string }>;
  if (protocol === 'anthropic') {
    const blocks = messages.flatMap((message) => (Array.isArray(message.content) ? (message.content as Array<{ type: string; tool_use_id?: string; content?: string }>) : []));
    return blocks.filter((block) => block.type === 'tool_result').map((block) => [block.tool_use_id!, block.content!]);
  }
  return messages.filter((message) => message.role === 'tool').map((message) => [message.tool_call_id!, message.content as string]);
}

describe("the demo's mock model with the demo's tools", () => {
  failOnUnhandledRejection();

  for (const protocol of ['openai-chat', 'openai-responses', 'anthropic'] as const) {
    it(`${protocol}: "What time is it in Tokyo? And roll 2 dice." calls both tools, sends their results back, and answers with them; one done`, async function () {
      this.timeout(10_000);
      const { fetch, bodies } = recordingMock();
      const conversation = new Conversation({ protocol, endpoint: MOCK_PATHS[protocol], fetch, tools, retries: 0 });
      const ends = recordEnds(conversation);
      const detail = await conversation.send('What time is it in Tokyo? And roll 2 dice.');

      expect(ends.map((end) => end.type)).to.deep.equal(['done']);
      expect(detail.steps.map((step) => step.finishReason)).to.deep.equal(['tool_calls', 'stop']);
      const [first] = detail.steps;
      const calls = first!.message.tool_calls!;
      expect(calls.map((call) => [call.function.name, JSON.parse(call.function.arguments)])).to.deep.equal([
        // Its time zone too, for README's `time_in`, which takes one.
        ['time_in', { city: 'Tokyo', timeZone: 'Asia/Tokyo' }],
        ['roll_dice', { count: 2, sides: 6 }],
      ]);
      const results = first!.results.map((result) => String(result.content));
      expect(results[0], 'no error from time_in').to.not.match(/^Error:/);
      expect(results[1], 'no error from roll_dice').to.not.match(/^Error:/);
      const time = JSON.parse(results[0]!) as { city: string; time: string; timeZone: string };
      const dice = JSON.parse(results[1]!) as { rolls: number[]; total: number };
      expect(time).to.include({ city: 'Tokyo', timeZone: 'Asia/Tokyo' });
      expect(dice.rolls).to.have.length(2);

      expect(bodies).to.have.length(2);
      expect(resultsIn(protocol, bodies[0]!), 'no result in the first request').to.deep.equal([]);
      expect(resultsIn(protocol, bodies[1]!), 'the results in the second request, in call order').to.deep.equal([
        [calls[0]!.id, results[0]],
        [calls[1]!.id, results[1]],
      ]);

      expect(detail.content).to.include(`In **Tokyo** it is **${time.time}** (Asia/Tokyo).`);
      expect(detail.content).to.include(`You rolled **${dice.rolls.join(' and ')}**: ${dice.total} in all.`);
      expect(conversation.messages.at(-1)).to.deep.include({ role: 'assistant', content: detail.content });
    });
  }
});

describe("the demo's default answer", () => {
  failOnUnhandledRejection();

  it('renders as Markdown in the element: headings, nested lists, a link, code in two languages, a table, a quote', async function () {
    // About 600 tokens at 2 ms each (the demo's 20 ms, ten times as fast).
    this.timeout(10_000);
    const el = await fixture<StreamChatElement>(html`<stream-chat .fetch=${mockFetch} endpoint=${MOCK_PATHS['openai-chat']} retries="0"></stream-chat>`);
    const detail = await el.send('How does streaming work?');
    expect(detail.aborted).to.equal(false);
    await el.updateComplete;
    const answer = el.shadowRoot!.querySelector('[part~="assistant"] .markdown')!;
    expect([...answer.querySelectorAll('h2')].map((h) => h.textContent)).to.deep.equal(['How a reply gets here', 'From your own code']);
    expect(answer.querySelector('ol > li ul > li')?.textContent).to.include('typing indicator');
    expect(answer.querySelector('a')?.getAttribute('href')).to.equal('https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events');
    expect([...answer.querySelectorAll('pre code')].map((code) => code.className)).to.deep.equal(['language-js', 'language-python']);
    expect([...answer.querySelectorAll('table th')].map((th) => th.textContent)).to.deep.equal(['Event', 'When']);
    expect(answer.querySelectorAll('table tbody tr')).to.have.length(3);
    expect(answer.querySelector('blockquote strong')?.textContent).to.equal('Try it:');
    expect(answer.textContent, 'characters split across writes arrive intact').to.include('日本語, Ελληνικά, עברית, 🚀✨');
  });

  it('names the questions that call the page’s tools only to a page that has them (README’s Quick start against the mock has none)', async function () {
    this.timeout(10_000);
    const endpoint = MOCK_PATHS['openai-chat'];
    const without = await new Conversation({ endpoint, fetch: mockFetch, retries: 0 }).send('Hi');
    expect(without.content).to.include('**Try it:**').and.not.include('Roll 2 dice');
    const offered = await new Conversation({ endpoint, fetch: mockFetch, tools, retries: 0 }).send('Hi');
    expect(offered.content).to.include('“What time is it in Tokyo?” or “Roll 2 dice” calls the page’s tools;');
  });
});

describe("the demo's mock model's answer", () => {
  it('quotes the question with one full stop after it: before, "…halfway through.”." had two, and one in any script "كيف حالك؟”." too', async () => {
    const said = async (question: string) => (await new Conversation({ endpoint: MOCK_PATHS['openai-chat'], fetch: mockFetch, retries: 0 }).send(question)).content;
    expect(await said('Tell me a story.')).to.match(/^You wrote: “Tell me a story\.” I am/);
    expect(await said('Hi')).to.match(/^You wrote: “Hi”\. I am/);
    // Ending in a sentence's own punctuation, of any script, or in it and a closing bracket or quote: no stop added.
    const ended = ['كيف حالك؟', 'ٹھیک ہے۔', '你好吗？', '好的。', '太好了！', 'Wait…', 'क्या हाल है।', 'Τι κάνεις;', 'Բարեւ։', 'ሰላም።', '(Really?)', 'She asked “why?”', 'Sie fragte „warum?“', 'Er fragte »warum?«', 'Il a demandé « pourquoi ? »'];
    // A comma or a colon ends no sentence (Unicode's terminal punctuation has them, its sentence terminals not).
    const unended = ['مرحبا', '你好', 'Say “hi”', 'Translate this:', 'Hello,', 'مرحبا،', 'Il a dit « bonjour »'];
    const answers = await Promise.all([...ended, ...unended].map(said));
    expect(answers.map((answer) => answer.slice(0, answer.indexOf(' I am')))).to.deep.equal([...ended.map((q) => `You wrote: “${q}”`), ...unended.map((q) => `You wrote: “${q}”.`)]);
  });

  it('to a search on chat-completions, says at once which protocols search: before, the demo’s “Search the web” gave the usual answer', async () => {
    const said = async (protocol: ProtocolName) => (await new Conversation({ protocol, endpoint: MOCK_PATHS[protocol], fetch: mockFetch, retries: 0 }).send('Search the web: how do servers stream to a page?')).content;
    const [opening, next] = (await said('openai-chat')).split('\n\n');
    expect(opening).to.match(/^You wrote: “Search the web: how do servers stream to a page\?”/);
    expect(next).to.equal('Chat Completions has no web search of its own: pick **OpenAI Responses** or **Anthropic Messages** as the protocol, then ask again.');
    expect(await said('openai-responses')).to.not.include('Chat Completions has no web search');
  });
});
