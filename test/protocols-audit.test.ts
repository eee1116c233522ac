/**
 * README's "Protocols: the Responses API and Claude", read as a host switching `protocol`: what each
 * protocol sends and shows, and a conversation carried from one protocol to another.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { ChatMessage, Tool } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { anthropicBlocks, anthropicReply, mockEndpoint, responsesReply, sse, streamingReply, type MockResponse } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

async function chat(scripts: MockResponse | MockResponse[], protocol: string) {
  const endpoint = await mockEndpoint(scripts);
  const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} protocol=${protocol} format="text" retries="0"></stream-chat>`);
  return { el, endpoint };
}

const bodies = async (endpoint: { settled(): Promise<Array<{ body: unknown }>> }) => (await endpoint.settled()).map((request) => request.body as Record<string, unknown>);

const weather: Tool<{ city: string }> = {
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
  execute: ({ city }) => `${city}: clear`,
};

describe('README Protocols, audited', () => {
  failOnUnhandledRejection();

  it('max-tokens: Responses sends max_output_tokens, 16 for 1 to 15; Anthropic max_tokens, 4096 unset', async () => {
    const { el, endpoint } = await chat([responsesReply(['a']), responsesReply(['b']), anthropicReply(['c']), anthropicReply(['d'])], 'openai-responses');
    el.maxTokens = 5;
    await el.send('1');
    el.maxTokens = 300;
    await el.send('2');
    el.protocol = 'anthropic';
    el.maxTokens = undefined;
    await el.send('3');
    el.maxTokens = 7;
    await el.send('4');
    const sent = await bodies(endpoint);
    expect(sent.map((body) => body['max_output_tokens'] ?? body['max_tokens'])).to.deep.equal([16, 300, 4096, 7]);
  });

  it("tools in body go with the element's, one of the same name in its place, on Responses and Anthropic", async () => {
    const { el, endpoint } = await chat([responsesReply(['a']), anthropicReply(['b'])], 'openai-responses');
    el.tools = [weather, { ...weather, name: 'other' }];
    el.body = { tools: [{ type: 'web_search' }, { type: 'function', name: 'get_weather', parameters: {}, strict: true }] };
    await el.send('1');
    el.protocol = 'anthropic';
    el.body = { tools: [{ type: 'web_search_20250305', name: 'web_search' }, { name: 'get_weather', input_schema: {}, cache_control: { type: 'ephemeral' } }] };
    await el.send('2');
    const [first, second] = await bodies(endpoint);
    expect((first!['tools'] as Array<Record<string, unknown>>).map((tool) => [tool['name'], tool['strict']])).to.deep.equal([['other', false], [undefined, undefined], ['get_weather', true]]);
    expect((second!['tools'] as Array<Record<string, unknown>>).map((tool) => [tool['name'], 'cache_control' in tool])).to.deep.equal([['other', false], ['web_search', false], ['get_weather', true]]);
  });

  it("Anthropic: a greeting before the first question is left out, system messages join the system prompt", async () => {
    const { el, endpoint } = await chat([anthropicReply(['Hi'])], 'anthropic');
    el.system = 'Be brief.';
    el.messages = [{ role: 'assistant', content: 'Hello! Ask me anything.' }, { role: 'system', content: 'Answer in French.' }];
    await el.send('Q');
    const [first] = await bodies(endpoint);
    expect(first!['system']).to.equal('Be brief.\n\nAnswer in French.');
    expect(first!['messages']).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'Q' }] }]);
  });

  it("a tool loop with Claude's thinking, then the Responses API, then chat-completions: calls and results in each shape, no thinking blocks", async () => {
    const thought = { type: 'thinking' as const, thinking: 'Look it up.', signature: 'sig' };
    const { el, endpoint } = await chat(
      [anthropicReply(['Checking.'], [{ id: 'toolu_01', name: 'get_weather', args: '{"city":"Oslo"}' }], [thought]), anthropicReply(['Clear.']), responsesReply(['Yes.']), streamingReply(['Ok.'])],
      'anthropic',
    );
    el.tools = [weather];
    await el.send('Oslo?');
    el.protocol = 'openai-responses';
    await el.send('Sure?');
    el.protocol = 'openai-chat';
    await el.send('Thanks');
    const [, , third, fourth] = await bodies(endpoint);
    expect(third!['input']).to.deep.equal([
      { role: 'user', content: 'Oslo?' },
      { type: 'message', role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'toolu_01', output: 'Oslo: clear' },
      { type: 'message', role: 'assistant', content: 'Clear.' },
      { role: 'user', content: 'Sure?' },
    ]);
    expect((fourth!['messages'] as unknown[]).slice(0, 4)).to.deep.equal([
      { role: 'user', content: 'Oslo?' },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_01', content: 'Oslo: clear' },
      { role: 'assistant', content: 'Clear.' },
    ]);
  });

  it('a Claude answer with a web search, kept with storage-key, reloaded under the Responses API: its text goes, its blocks do not', async () => {
    localStorage.removeItem('protocols-audit');
    const search = { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'Ørsted' } };
    const found = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://orsted.com', title: 'Ørsted', encrypted_content: 'Eq' }] };
    const endpoint = await mockEndpoint([
      anthropicBlocks('end_turn', [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Looking.' }], [search], [found], [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Danish.' }]),
      responsesReply(['Yes.']),
    ]);
    const first = await fixture<StreamChatElement>(html`<stream-chat storage-key="protocols-audit" endpoint=${endpoint.url} protocol="anthropic" retries="0"></stream-chat>`);
    await first.send('Ørsted?');
    expect(first.messages[1]!.content_blocks).to.have.length(4);
    first.remove();
    const second = await fixture<StreamChatElement>(html`<stream-chat storage-key="protocols-audit" endpoint=${endpoint.url} protocol="openai-responses" retries="0"></stream-chat>`);
    await waitUntil(() => second.messages.length === 2);
    expect(second.messages.map((message: ChatMessage) => message.content)).to.deep.equal(['Ørsted?', 'Looking.Danish.']);
    await second.send('Sure?');
    const [, sent] = await bodies(endpoint);
    expect(sent!['input']).to.deep.equal([
      { role: 'user', content: 'Ørsted?' },
      { type: 'message', role: 'assistant', content: 'Looking.Danish.' },
      { role: 'user', content: 'Sure?' },
    ]);
    localStorage.removeItem('protocols-audit');
  });

  it("done's usage and stats per protocol: Responses' final usage, Anthropic's message_start usage under message_delta's", async () => {
    const { el } = await chat([responsesReply(['a', 'b']), anthropicReply(['c', 'd'])], 'openai-responses');
    const first = await el.send('1');
    el.protocol = 'anthropic';
    const second = await el.send('2');
    expect(first.usage).to.deep.equal({ input_tokens: 10, output_tokens: 2, total_tokens: 12 });
    expect(second.usage).to.deep.equal({ input_tokens: 10, output_tokens: 2 });
    expect([first.stats.completionTokens, first.stats.estimated, second.stats.completionTokens, second.stats.estimated]).to.deep.equal([2, false, 2, false]);
  });
  it('Anthropic: an answer stopped mid-stream and asked again with retry() goes last, without white space at its end', async () => {
    const held = anthropicReply(['Hello ', 'world']);
    held.steps.splice(3, 0, { hold: 'mid' });
    const { el, endpoint } = await chat([held, anthropicReply(['there.'])], 'anthropic');
    const sent = el.send('Greet');
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Hello'));
    el.stop();
    await sent;
    await endpoint.release('mid');
    await el.retry();
    const [, second] = await bodies(endpoint);
    expect(second!['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Greet' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
    ]);
  });

  it('Responses: a refusal is the answer\'s refusal in done and on screen', async () => {
    const ev = (e: { type: string; [k: string]: unknown }) => ({ write: sse(e, { event: e.type }) });
    const { el } = await chat(
      {
        steps: [
          ev({ type: 'response.created', response: { id: 'r', status: 'in_progress', output: [] } }),
          ev({ type: 'response.output_item.added', output_index: 0, item: { id: 'msg_0', type: 'message', role: 'assistant', content: [] } }),
          ev({ type: 'response.refusal.delta', item_id: 'msg_0', output_index: 0, content_index: 0, delta: 'I cannot help ' }),
          ev({ type: 'response.refusal.delta', item_id: 'msg_0', output_index: 0, content_index: 0, delta: 'with that.' }),
          ev({ type: 'response.completed', response: { id: 'r', status: 'completed', usage: { input_tokens: 1, output_tokens: 2 } } }),
        ],
      },
      'openai-responses',
    );
    const detail = await el.send('Bad');
    expect([detail.message.refusal, detail.finishReason]).to.deep.equal(['I cannot help with that.', 'stop']);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="refusal"]')?.textContent).to.include('I cannot help with that.');
  });
});
