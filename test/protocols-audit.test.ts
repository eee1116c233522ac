/**
 * README's "Protocols: the Responses API and Claude", read as a host switching `protocol`: what each
 * protocol sends and shows, and a conversation carried from one protocol to another.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { ChatMessage, Tool } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { anthropicBlocks, anthropicReply, mockEndpoint, responsesReply, sse, streamingReply, type MockResponse, type MockStep } from './helpers/server.js';
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

  it("README's PDF sample as written, then an image question, in each protocol: each API's own parts, the file shown by its name", async () => {
    const pdf = 'data:application/pdf;base64,JVBERi0xLjQK';
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const scripts = [anthropicReply(['A']), responsesReply(['B']), streamingReply(['C'])];
    const { el, endpoint } = await chat([...scripts, ...scripts], 'anthropic');
    // As README's sample does: the question added to messages, then retry().
    const ask = (part: ChatMessage['content']) => {
      el.messages = [...el.messages, { role: 'user', content: part }];
      return el.retry();
    };
    const questions = [
      [{ type: 'text' as const, text: 'What does this say?' }, { type: 'file' as const, file: { file_data: pdf, filename: 'report.pdf' } }],
      [{ type: 'text' as const, text: 'What is this?' }, { type: 'image_url' as const, image_url: { url: png } }, { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png' } }],
    ];
    for (const question of questions) {
      for (const protocol of ['anthropic', 'openai-responses', 'openai-chat'] as const) {
        el.protocol = protocol;
        el.messages = [];
        await ask(question);
      }
    }
    await el.updateComplete;
    el.messages = [{ role: 'user', content: questions[0]! }];
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="user"]')!.textContent).to.include('report.pdf');
    const sent = (await bodies(endpoint)).map((body) => ((body['messages'] ?? body['input']) as Array<{ content: unknown }>)[0]!.content);
    expect(sent).to.deep.equal([
      [{ type: 'text', text: 'What does this say?' }, { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' }, title: 'report.pdf' }],
      [{ type: 'input_text', text: 'What does this say?' }, { type: 'input_file', file_data: pdf, filename: 'report.pdf' }],
      questions[0],
      [
        { type: 'text', text: 'What is this?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
      ],
      [
        { type: 'input_text', text: 'What is this?' },
        { type: 'input_image', image_url: png, detail: 'auto' },
        { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'auto' },
      ],
      questions[1],
    ]);
  });

  it("Anthropic: a refused turn (its calls not run, its explanation shown) is left out of later requests: its question until retry() answered it, then the refused answer alone", async () => {
    let ran = 0;
    const refused = anthropicReply(['Let me '], [{ id: 'toolu_r', name: 'get_weather', args: '{"city":"Oslo"}' }]);
    refused.steps[refused.steps.length - 2] = {
      write: sse({ type: 'message_delta', delta: { stop_reason: 'refusal', stop_sequence: null, stop_details: { type: 'refusal', category: 'cyber', explanation: 'This looks harmful.' } }, usage: { output_tokens: 3 } }),
    };
    const { el, endpoint } = await chat([anthropicReply(['Hi.']), refused, anthropicReply(['Fine.']), anthropicReply(['Ok.']), refused, anthropicReply(['Sure.']), refused, anthropicReply(['Again.'])], 'anthropic');
    el.tools = [{ ...weather, execute: () => `${++ran}` }];
    await el.send('Hello');
    const detail = await el.send('Bad');
    await el.updateComplete;
    expect([ran, detail.finishReason, detail.message.refusal]).to.deep.equal([0, 'content_filter', 'This looks harmful.']);
    expect(el.shadowRoot!.querySelector('[part~="marker"]')?.textContent).to.equal('Cut off by the content filter');
    await el.retry();
    await el.send('Next');
    await el.send('Bad again');
    await el.send('Other');
    await el.send('Bad once more');
    await el.regenerate();
    const text = (turn: { content: Array<{ text?: string }> }) => turn.content.map((block) => block.text).join('');
    const sent = (await bodies(endpoint)).map((body) => (body['messages'] as Array<{ content: Array<{ text?: string }> }>).map(text));
    expect(sent.slice(2)).to.deep.equal([
      ['Hello', 'Hi.', 'Bad'],
      ['Hello', 'Hi.', 'Bad', 'Fine.', 'Next'],
      ['Hello', 'Hi.', 'Bad', 'Fine.', 'Next', 'Ok.', 'Bad again'],
      ['Hello', 'Hi.', 'Bad', 'Fine.', 'Next', 'Ok.', 'Other'],
      ['Hello', 'Hi.', 'Bad', 'Fine.', 'Next', 'Ok.', 'Other', 'Sure.', 'Bad once more'],
      ['Hello', 'Hi.', 'Bad', 'Fine.', 'Next', 'Ok.', 'Other', 'Sure.', 'Bad once more'],
    ]);
  });

  it('regenerate() and edit() in each protocol send the history before the question asked again, and a paused turn goes whole', async () => {
    const search = { type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_search', input: { query: 'q' } };
    const found = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_2', content: [] };
    const paused = anthropicBlocks('pause_turn', [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Searching.' }], [search]);
    const went = anthropicBlocks('end_turn', [found], [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Found.' }]);
    const { el, endpoint } = await chat(
      [responsesReply(['A1']), responsesReply(['A2']), responsesReply(['A2b']), responsesReply(['A1e']), paused, went, paused, went, anthropicReply(['B0']), responsesReply(['R'])],
      'openai-responses',
    );
    await el.send('Q1');
    await el.send('Q2');
    await el.regenerate();
    await el.edit(0, 'Q1e');
    el.protocol = 'anthropic';
    await el.send('Find');
    await el.regenerate();
    await el.edit(2, 'Find again');
    el.protocol = 'openai-responses';
    await el.regenerate();
    const text = (turn: { content: string | Array<{ text?: string; type: string }> }) => (typeof turn.content === 'string' ? turn.content : turn.content.map((block) => block.text ?? block.type).join('+'));
    const sent = (await bodies(endpoint)).map((body) => ((body['input'] ?? body['messages']) as Array<{ content: string | Array<{ text?: string; type: string }> }>).map(text));
    expect(sent).to.deep.equal([
      ['Q1'],
      ['Q1', 'A1', 'Q2'],
      ['Q1', 'A1', 'Q2'],
      ['Q1e'],
      ['Q1e', 'A1e', 'Find'],
      ['Q1e', 'A1e', 'Find', 'Searching.+server_tool_use'],
      ['Q1e', 'A1e', 'Find'],
      ['Q1e', 'A1e', 'Find', 'Searching.+server_tool_use'],
      ['Q1e', 'A1e', 'Find again'],
      ['Q1e', 'A1e', 'Find again'],
    ]);
    expect(el.messages.map((message) => message.content)).to.deep.equal(['Q1e', 'A1e', 'Find again', 'R']);
  });

  it("a Responses step's reasoning items go only on Responses and only in their turn: not to Claude answering its calls, nor in a later turn", async () => {
    const reasoning = { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Wants weather.' }], encrypted_content: 'gAAAAB' };
    const call = { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_Wx1', name: 'get_weather', arguments: '{"city":"Oslo"}' };
    const ev = (e: { type: string; [k: string]: unknown }) => ({ write: sse(e, { event: e.type }) });
    const step: MockResponse = {
      steps: [
        ev({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [] } }),
        ev({ type: 'response.output_item.added', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } }),
        ev({ type: 'response.output_item.done', output_index: 0, item: reasoning }),
        ev({ type: 'response.output_item.added', output_index: 1, item: { ...call, arguments: '' } }),
        ev({ type: 'response.output_item.done', output_index: 1, item: call }),
        ev({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', output: [reasoning, call] } }),
      ],
    };
    const { el, endpoint } = await chat([step, anthropicReply(['Clear.']), responsesReply(['Yes.'])], 'openai-responses');
    el.body = { include: ['reasoning.encrypted_content'] };
    // No tools: the page answers the call itself, under Claude.
    await el.send('Weather in Oslo?');
    el.messages = [...el.messages, { role: 'tool', tool_call_id: 'call_Wx1', content: 'clear' }];
    el.protocol = 'anthropic';
    el.body = {};
    await el.retry();
    el.protocol = 'openai-responses';
    await el.send('Sure?');
    const [, second, third] = await bodies(endpoint);
    expect(second!['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_Wx1', name: 'get_weather', input: { city: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_Wx1', content: 'clear' }] },
    ]);
    expect(third!['input']).to.deep.equal([
      { role: 'user', content: 'Weather in Oslo?' },
      { type: 'function_call', call_id: 'call_Wx1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_Wx1', output: 'clear' },
      { type: 'message', role: 'assistant', content: 'Clear.' },
      { role: 'user', content: 'Sure?' },
    ]);
  });

  it("Claude's container: a paused turn goes on in it (skills in body as its id), later questions too, a container of the page's wins; expired, only a turn that goes on sends it", async () => {
    const later = new Date(Date.now() + 3600e3).toISOString();
    const run = { type: 'server_tool_use', id: 'srvtoolu_c', name: 'code_execution', input: { code: 'open("a.txt","w")' } };
    const paused = anthropicBlocks('pause_turn', [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Running.' }], [run]);
    const at = paused.steps.length - 2;
    paused.steps[at] = { write: sse({ type: 'message_delta', delta: { stop_reason: 'pause_turn', stop_sequence: null, container: { id: 'container_1', expires_at: later } }, usage: { output_tokens: 2 } }) };
    const result = { type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_c', content: { type: 'code_execution_result', stdout: '', stderr: '', return_code: 0, content: [] } };
    const went = anthropicBlocks('end_turn', [result], [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Done.' }]);
    const { el, endpoint } = await chat([paused, went, anthropicReply(['Yes.'])], 'anthropic');
    const skills = [{ type: 'anthropic', skill_id: 'xlsx', version: 'latest' }];
    el.body = { container: { skills } };
    await el.send('Write a file');
    expect(el.messages[1]!.container).to.deep.equal({ id: 'container_1', expires_at: later });
    await el.send('Is it there?');
    el.body = { container: { id: 'container_mine', skills } };
    await el.send('Mine?');
    el.body = {};
    const ago = (ms: number) => ({ id: 'container_1', expires_at: new Date(Date.now() - ms).toISOString() });
    // Expired an hour ago: a new question goes without it, an answer stopped and asked again with it; 31 days ago, neither.
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'Part', container: ago(3600e3) }, { role: 'user', content: 'New?' }];
    await el.retry();
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'Part', container: ago(3600e3) }];
    await el.retry();
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'Part', container: ago(31 * 864e5) }];
    await el.retry();
    const sent = await bodies(endpoint);
    expect(sent.map((body) => body['container'] ?? null)).to.deep.equal([{ skills }, 'container_1', { skills, id: 'container_1' }, { id: 'container_mine', skills }, null, 'container_1', null]);
  });

  it('web search and citations in each protocol: a status line where it ran, the cited links under the answer, none sent back', async () => {
    const ev = (e: { type: string; [k: string]: unknown }) => ({ write: sse(e, { event: e.type }) });
    const annotation = (annotation_index: number, url: string, title: string) =>
      ev({ type: 'response.output_text.annotation.added', item_id: 'msg_1', output_index: 1, content_index: 0, annotation_index, annotation: { type: 'url_citation', url, title, start_index: 0, end_index: 7 } });
    const responses: MockResponse = {
      steps: [
        ev({ type: 'response.created', response: { id: 'r', status: 'in_progress', output: [] } }),
        ev({ type: 'response.output_item.added', output_index: 0, item: { id: 'ws_1', type: 'web_search_call', status: 'in_progress' } }),
        ev({ type: 'response.output_item.done', output_index: 0, item: { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'Ørsted' } } }),
        ev({ type: 'response.output_item.added', output_index: 1, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } }),
        ev({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'Danish.' }),
        annotation(0, 'https://orsted.com/', 'Ørsted'),
        annotation(1, 'javascript:alert(1)', 'X'),
        ev({ type: 'response.completed', response: { id: 'r', status: 'completed', usage: { input_tokens: 1, output_tokens: 2 } } }),
      ],
    };
    const cite = { type: 'web_search_result_location', url: 'https://en.wikipedia.org/wiki/Ørsted', title: '\u200b', cited_text: '…', encrypted_index: 'x' };
    const claude = anthropicBlocks(
      'end_turn',
      [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'Ørsted CEO' } }],
      [{ type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }],
      [{ type: 'text', text: '', citations: [] }, { type: 'citations_delta', citation: cite }],
      [{ type: 'text', text: 'Energy.' }],
    );
    const { el, endpoint } = await chat([responses, claude, streamingReply(['ok']), responsesReply(['ok'])], 'openai-responses');
    const one = await el.send('Who?');
    el.protocol = 'anthropic';
    const two = await el.send('Sure?');
    expect([one.message.sources, two.message.sources]).to.deep.equal([
      [{ url: 'https://orsted.com/', title: 'Ørsted' }, { url: 'javascript:alert(1)', title: 'X' }],
      [{ url: 'https://en.wikipedia.org/wiki/Ørsted', title: '\u200b' }],
    ]);
    await el.updateComplete;
    const shadow = el.shadowRoot!;
    expect([...shadow.querySelectorAll('[part~="server-tool"]')].map((line) => line.textContent)).to.deep.equal(['web search Ørsted', 'web search Ørsted CEO']);
    expect([...shadow.querySelectorAll('[part~="sources"]')].map((list) => [list.previousElementSibling!.matches('[part~="assistant"]'), [...list.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent])])).to.deep.equal([
      [true, [['https://orsted.com/', 'Ørsted']]],
      [true, [['https://en.wikipedia.org/wiki/Ørsted', 'https://en.wikipedia.org/wiki/Ørsted']]],
    ]);
    el.protocol = 'openai-chat';
    await el.send('c');
    el.protocol = 'openai-responses';
    await el.send('d');
    const [, , third, fourth] = await bodies(endpoint);
    expect(third!['messages']).to.deep.equal([
      { role: 'user', content: 'Who?' },
      { role: 'assistant', content: 'Danish.' },
      { role: 'user', content: 'Sure?' },
      { role: 'assistant', content: 'Energy.' },
      { role: 'user', content: 'c' },
    ]);
    expect(JSON.stringify(fourth!['input'])).not.to.match(/orsted\.com|wikipedia|web_search/);
  });
});
