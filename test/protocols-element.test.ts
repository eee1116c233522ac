/**
 * The `protocol` attribute end to end, against the real local SSE server: an unknown protocol, the
 * tools loop on the Responses and Anthropic APIs, retries and HTTP errors in each API's words, the
 * `chunk` event, `streamChat` headless, switching protocol mid-conversation, and the provider's own
 * tool runs and citations on screen (in order while they stream, and the same once complete, and
 * accessible in both colour schemes), and a request asked for going with the settings it was asked
 * with when the host switches provider right after.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../src/index.js';
import { StreamChatError } from '../src/core/errors.js';
import { streamChat } from '../src/core/stream.js';
import type { ChatMessage, ChunkDetail, Delta, Tool } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { heardWhile } from './helpers/element.js';
import { rejectionOf } from './helpers/rejection.js';
import { anthropicReply, chunkEvent, DONE, mockEndpoint, responsesReply, sse, streamingReply, type MockResponse, type MockStep } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { hasCdp, itWithCdp } from './helpers/cdp.js';

async function chat(scripts: MockResponse | MockResponse[], protocol: string, format = 'text') {
  const endpoint = await mockEndpoint(scripts);
  const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} protocol=${protocol} format=${format} retries="1"></stream-chat>`);
  el.conversation.options.retryDelay = 10;
  const ends: string[] = [];
  el.addEventListener('done', (event) => ends.push(`done${event.detail.aborted ? ' aborted' : ''}`));
  el.addEventListener('error', (event) => ends.push(`error ${event.detail.error.kind}`));
  return { el, endpoint, ends };
}

function parts(el: StreamChatElement, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}

const weather: Tool<{ city: string }> = {
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  execute: ({ city }) => ({ city, sky: 'clear', celsius: 21 }),
};

describe('the protocol attribute', () => {
  failOnUnhandledRejection();

  it('an unknown protocol fails send() with one protocol error that names the choices, and sends nothing', async () => {
    const { el, endpoint, ends } = await chat(streamingReply(['never']), 'openai-completions');
    const error = await rejectionOf(el.send('Hi'));
    expect(error).to.be.instanceOf(StreamChatError);
    expect((error as StreamChatError).kind).to.equal('protocol');
    expect((error as StreamChatError).message).to.equal('Unknown protocol "openai-completions": use "openai-chat", "openai-responses" or "anthropic".');
    expect(ends).to.deep.equal(['error protocol']);
    expect(await endpoint.requests()).to.have.length(0);
    await el.updateComplete;
    expect(parts(el, 'error')[0]?.textContent).to.include('Unknown protocol');
  });

  it('Responses: the tools loop runs the call and asks again with function_call and function_call_output items; one done', async () => {
    const { el, endpoint, ends } = await chat(
      [responsesReply(['Let me look.'], [{ id: 'call_Wx1', name: 'get_weather', args: '{"city":"Kraków"}' }]), responsesReply(['Clear, ', '21 °C.'])],
      'openai-responses',
    );
    el.tools = [weather];
    el.system = 'Be brief.';
    const calls: string[] = [];
    el.addEventListener('tool-call', (event) => calls.push(`${event.detail.call.id} ${JSON.stringify(event.detail.args)}`));
    const detail = await el.send('Weather in Kraków?');
    expect(detail.content).to.equal('Clear, 21 °C.');
    expect(detail.finishReason).to.equal('stop');
    expect(detail.steps.map((step) => step.finishReason)).to.deep.equal(['tool_calls', 'stop']);
    expect(detail.usage).to.deep.equal({ input_tokens: 10, output_tokens: 2, total_tokens: 12 });
    expect(ends).to.deep.equal(['done']);
    expect(calls).to.deep.equal(['call_Wx1 {"city":"Kraków"}']);
    const [first, second] = await endpoint.settled();
    expect(first!.body).to.deep.equal({
      input: [{ role: 'user', content: 'Weather in Kraków?' }],
      instructions: 'Be brief.',
      stream: true,
      tools: [{ type: 'function', name: 'get_weather', description: 'The weather in a city', parameters: weather.parameters, strict: false }],
    });
    expect((second!.body as { input: unknown[] }).input).to.deep.equal([
      { role: 'user', content: 'Weather in Kraków?' },
      { type: 'message', role: 'assistant', content: 'Let me look.' },
      { type: 'function_call', call_id: 'call_Wx1', name: 'get_weather', arguments: '{"city":"Kraków"}' },
      { type: 'function_call_output', call_id: 'call_Wx1', output: '{"city":"Kraków","sky":"clear","celsius":21}' },
    ]);
    await el.updateComplete;
    expect(parts(el, 'tool-call').map((card) => card.querySelector('[part~="tool-state"]')?.textContent)).to.deep.equal(['Done']);
  });

  it("Responses with a reasoning model: the tools loop sends the step's encrypted reasoning back before its call, and the next turn's request (chat-completions here) none of it", async () => {
    const reasoning = { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'The user wants the weather.' }], encrypted_content: 'gAAAAB' };
    const call = { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_Wx1', name: 'get_weather', arguments: '{"city":"Kraków"}' };
    const step: MockResponse = {
      steps: [
        { write: sse({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', store: false, output: [] } }) },
        { write: sse({ type: 'response.output_item.added', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } }) },
        { write: sse({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'The user wants the weather.' }) },
        { write: sse({ type: 'response.output_item.done', output_index: 0, item: reasoning }) },
        { write: sse({ type: 'response.output_item.added', output_index: 1, item: { ...call, status: 'in_progress', arguments: '' } }) },
        { write: sse({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: call.arguments }) },
        { write: sse({ type: 'response.output_item.done', output_index: 1, item: call }) },
        { write: sse({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', store: false, output: [reasoning, call] } }) },
      ],
    };
    const { el, endpoint, ends } = await chat([step, responsesReply(['Clear, ', '21 °C.']), streamingReply(['Bye.'])], 'openai-responses');
    el.tools = [weather];
    el.body = { store: false, include: ['reasoning.encrypted_content'] };
    expect((await el.send('Weather in Kraków?')).content).to.equal('Clear, 21 °C.');
    const { id: _id, ...kept } = reasoning;
    expect(el.messages[1]!.reasoning).to.equal('The user wants the weather.');
    expect(el.messages[1]!.reasoning_items).to.deep.equal([kept]);
    el.setAttribute('protocol', 'openai-chat');
    el.body = {};
    await el.send('Thanks');
    expect(ends).to.deep.equal(['done', 'done']);
    const [, second, third] = await endpoint.settled();
    expect((second!.body as { input: unknown[] }).input).to.deep.equal([
      { role: 'user', content: 'Weather in Kraków?' },
      kept,
      { type: 'function_call', call_id: 'call_Wx1', name: 'get_weather', arguments: '{"city":"Kraków"}' },
      { type: 'function_call_output', call_id: 'call_Wx1', output: '{"city":"Kraków","sky":"clear","celsius":21}' },
    ]);
    expect((third!.body as { messages: unknown[] }).messages.slice(0, 3)).to.deep.equal([
      { role: 'user', content: 'Weather in Kraków?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_Wx1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Kraków"}' } }] },
      { role: 'tool', tool_call_id: 'call_Wx1', content: '{"city":"Kraków","sky":"clear","celsius":21}' },
    ]);
  });

  it("Responses against llama.cpp's llama-server: a step with reasoning, text and a call goes back as items its converter takes, and so does the answer before a second question", async () => {
    // llama-server's events (tools/server/server-task.cpp, to_json_oaicompat_resp_stream): no
    // output_index, a reasoning item whose encrypted_content is "", each item again whole when done.
    const reply = (id: string, { reasoning, text, call }: { reasoning?: string; text: string; call?: { id: string; name: string; args: string } }): MockResponse => {
      const thought = reasoning && { id: `rs_${id}`, summary: [], type: 'reasoning', content: [{ text: reasoning, type: 'reasoning_text' }], encrypted_content: '' };
      const message = { type: 'message', status: 'completed', id: `msg_${id}`, content: [{ type: 'output_text', annotations: [], logprobs: [], text }], role: 'assistant' };
      const fc = call && { id: `fc_${call.id}`, type: 'function_call', status: 'completed', arguments: call.args, call_id: call.id, name: call.name };
      const output = [thought, message, fc].filter((item) => item);
      const events: object[] = [{ type: 'response.created', response: { id: `resp_${id}`, object: 'response', status: 'in_progress' } }];
      if (thought) {
        events.push({ type: 'response.output_item.added', item: { ...thought, content: [], status: 'in_progress' } });
        events.push({ type: 'response.reasoning_text.delta', delta: reasoning, item_id: thought.id });
      }
      events.push({ type: 'response.output_item.added', item: { ...message, content: [], status: 'in_progress' } });
      events.push({ type: 'response.output_text.delta', item_id: message.id, delta: text });
      if (fc) {
        events.push({ type: 'response.output_item.added', item: { ...fc, arguments: '', status: 'in_progress' } });
        events.push({ type: 'response.function_call_arguments.delta', delta: fc.arguments, item_id: fc.id });
      }
      for (const item of output) events.push({ type: 'response.output_item.done', item });
      events.push({ type: 'response.completed', response: { id: `resp_${id}`, object: 'response', status: 'completed', output, usage: { input_tokens: 9, output_tokens: 9, total_tokens: 18 } } });
      return { steps: events.map((data) => ({ write: sse(data, { event: (data as { type: string }).type }) })) };
    };
    const call = { id: 'call_Rk4mZ8qW', name: 'get_weather', args: '{"city":"Kraków"}' };
    const { el, endpoint, ends } = await chat(
      [
        reply('1', { reasoning: 'The user wants the weather.', text: 'Let me look.', call }),
        reply('2', { reasoning: 'It is clear.', text: 'Clear, 21 °C.' }),
        reply('3', { text: 'Clear too.' }),
      ],
      'openai-responses',
    );
    el.tools = [weather];
    expect((await el.send('Weather in Kraków?')).content).to.equal('Clear, 21 °C.');
    await el.send('And in Oslo?');
    expect(ends).to.deep.equal(['done', 'done']);
    const [, second, third] = await endpoint.settled();
    // server_chat_convert_responses_to_chatcmpl (tools/server/server-chat.cpp; server-common.cpp's
    // convert_responses_to_chatcmpl before) takes an assistant message only with `type: "message"`
    // (`item.at("type") == "message"`); without it no branch matches and it answers 400 "Cannot
    // determine type of 'item'" (ggml-org/llama.cpp#26394). Its reasoning item goes back as it came,
    // without its id: the converter wants `summary` and `content[0].text`, and makes it the assistant
    // message's reasoning_content, with the text and the call merged into it.
    const said = (content: string) => ({ type: 'message', role: 'assistant', content });
    const loop = [
      { role: 'user', content: 'Weather in Kraków?' },
      said('Let me look.'),
      { type: 'function_call', call_id: call.id, name: call.name, arguments: call.args },
      { type: 'function_call_output', call_id: call.id, output: '{"city":"Kraków","sky":"clear","celsius":21}' },
    ];
    expect((second!.body as { input: unknown[] }).input).to.deep.equal([
      loop[0],
      { summary: [], type: 'reasoning', content: [{ text: 'The user wants the weather.', type: 'reasoning_text' }], encrypted_content: '' },
      ...loop.slice(1),
    ]);
    expect((third!.body as { input: unknown[] }).input).to.deep.equal([...loop, said('Clear, 21 °C.'), { role: 'user', content: 'And in Oslo?' }]);
  });

  it('Anthropic: the tools loop runs both calls and asks again with tool_use blocks and one user turn of tool_result blocks; one done', async () => {
    const { el, endpoint, ends } = await chat(
      [
        anthropicReply(['Checking.'], [
          { id: 'toolu_01A', name: 'get_weather', args: '{"city":"Oslo"}' },
          { id: 'toolu_01B', name: 'get_weather', args: '{"city":"Lima"}' },
        ]),
        anthropicReply(['Both clear.']),
      ],
      'anthropic',
    );
    el.tools = [weather];
    el.key = 'sk-ant-test-key-123';
    const detail = await el.send('Oslo and Lima?');
    expect(detail.content).to.equal('Both clear.');
    expect(detail.steps.map((step) => step.finishReason)).to.deep.equal(['tool_calls', 'stop']);
    expect(detail.usage).to.deep.equal({ input_tokens: 10, output_tokens: 1 });
    expect(ends).to.deep.equal(['done']);
    const [first, second] = await endpoint.settled();
    expect(first!.headers).to.include({ 'x-api-key': 'sk-ant-test-key-123', 'anthropic-version': '2023-06-01', 'anthropic-dangerous-direct-browser-access': 'true' });
    expect(first!.headers).to.not.have.property('authorization');
    expect(first!.body).to.deep.equal({
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Oslo and Lima?' }] }],
      stream: true,
      tools: [{ name: 'get_weather', description: 'The weather in a city', input_schema: weather.parameters }],
    });
    expect((second!.body as { messages: unknown[] }).messages).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Oslo and Lima?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Oslo' } },
          { type: 'tool_use', id: 'toolu_01B', name: 'get_weather', input: { city: 'Lima' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_01A', content: '{"city":"Oslo","sky":"clear","celsius":21}' },
          { type: 'tool_result', tool_use_id: 'toolu_01B', content: '{"city":"Lima","sky":"clear","celsius":21}' },
        ],
      },
    ]);
  });

  it("chat-completions through LiteLLM with Claude's extended thinking: the tools loop sends the thinking blocks back whole, with reasoning_content", async () => {
    // LiteLLM turns them into the Anthropic turn's first blocks; without them Anthropic refuses the
    // request ("Expected `thinking` or `redacted_thinking`, but found `tool_use`").
    const piece = (thinking: string, signature = '') => chunkEvent({ reasoning_content: thinking, thinking_blocks: [{ type: 'thinking', thinking, signature }], content: '' });
    const call = { id: 'toolu_01L', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } } as const;
    const { el, endpoint, ends } = await chat(
      [
        { steps: [piece('Call '), piece('get_weather.'), piece('', 'EqQBsigLiteLLM'), chunkEvent({ tool_calls: [{ index: 0, ...call }] }), chunkEvent({}, { finishReason: 'tool_calls' }), DONE].map((write) => ({ write })) },
        streamingReply(['Clear in Oslo.']),
      ],
      'openai-chat',
    );
    el.tools = [weather];
    expect((await el.send('Weather in Oslo?')).content).to.equal('Clear in Oslo.');
    expect(ends).to.deep.equal(['done']);
    const [, second] = await endpoint.settled();
    expect((second!.body as { messages: unknown[] }).messages.slice(0, 2)).to.deep.equal([
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: null, reasoning_content: 'Call get_weather.', thinking_blocks: [{ type: 'thinking', thinking: 'Call get_weather.', signature: 'EqQBsigLiteLLM' }], tool_calls: [call] },
    ]);
  });

  it('chat-completions with MiniMax-M2: the tools loop sends the <think> the answer wrote back in its content, shown apart all the same', async () => {
    const call = { id: 'call_function_7q', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } } as const;
    const { el, endpoint, ends } = await chat(
      [
        { steps: [chunkEvent({ role: 'assistant', content: '<think>\nThe user asks' }), chunkEvent({ content: ' about Oslo.\n</think>\n\n' }), chunkEvent({ tool_calls: [{ index: 0, ...call }] }), chunkEvent({}, { finishReason: 'tool_calls' }), DONE].map((write) => ({ write })) },
        streamingReply(['Clear in Oslo.']),
      ],
      'openai-chat',
    );
    el.tools = [weather];
    const detail = await el.send('Weather in Oslo?');
    expect(detail.content).to.equal('Clear in Oslo.');
    expect(ends).to.deep.equal(['done']);
    expect(detail.steps[0]!.message.reasoning).to.equal('The user asks about Oslo.\n');
    await el.updateComplete;
    expect(parts(el, 'message').map((each) => each.textContent).join(''), 'the tags are never shown').to.not.include('think>');
    const [, second] = await endpoint.settled();
    expect((second!.body as { messages: unknown[] }).messages.slice(0, 2)).to.deep.equal([
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: '<think>\nThe user asks about Oslo.\n</think>\n\n', tool_calls: [call] },
    ]);
  });

  it('Anthropic with extended thinking: the tools loop sends the thinking blocks back unchanged before the tool_use block; a switch to chat-completions sends none', async () => {
    const thought = { type: 'thinking', thinking: 'The user asks about Bergen. I should call get_weather.', signature: 'EuYBCkQIBxgCIkBsignatureOfThisThought==' } as const;
    const redacted = { type: 'redacted_thinking', data: 'EmwKAhgBEgyOpaqueRedactedThinking+/==' } as const;
    const endpoint = await mockEndpoint([
      anthropicReply([], [{ id: 'toolu_01T', name: 'get_weather', args: '{"city":"Bergen"}' }], [thought, redacted]),
      anthropicReply(['Clear in Bergen.']),
      streamingReply(['Still clear.']),
    ]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} protocol="anthropic" format="text"></stream-chat>`);
    el.tools = [weather];
    el.body = { thinking: { type: 'enabled', budget_tokens: 2048 } };
    const detail = await el.send('Weather in Bergen?');
    expect(detail.content).to.equal('Clear in Bergen.');
    expect(detail.steps.map((step) => step.finishReason)).to.deep.equal(['tool_calls', 'stop']);
    const [first] = detail.steps;
    expect(first!.message.reasoning).to.equal(thought.thinking);
    expect(first!.message.thinking_blocks).to.deep.equal([thought, redacted]);
    await el.updateComplete;
    expect(el.shadowRoot!.textContent, 'the signature and the redacted data are never shown').to.not.include('EuYBCkQI').and.not.include('EmwKAhgB');

    const [, second] = await endpoint.settled();
    expect(second!.body).to.deep.include({ thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect((second!.body as { messages: unknown[] }).messages).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Bergen?' }] },
      {
        role: 'assistant',
        // Each block exactly as the stream gave it.
        content: [thought, redacted, { type: 'tool_use', id: 'toolu_01T', name: 'get_weather', input: { city: 'Bergen' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01T', content: '{"city":"Bergen","sky":"clear","celsius":21}' }] },
    ]);

    el.removeAttribute('protocol');
    el.body = {};
    await el.send('And tomorrow?');
    const [, , third] = await endpoint.settled();
    expect((third!.body as { messages: unknown[] }).messages).to.deep.equal([
      { role: 'user', content: 'Weather in Bergen?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_01T', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_01T', content: '{"city":"Bergen","sky":"clear","celsius":21}' },
      { role: 'assistant', content: 'Clear in Bergen.' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
  });

  it("Anthropic's 529 and the Responses API's 429 are retried before anything arrived; errors show each API's message", async () => {
    const overloaded = { status: 529, headers: { 'content-type': 'application/json' }, steps: [{ write: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' }] };
    const claude = await chat([overloaded, anthropicReply(['Back.'])], 'anthropic');
    expect((await claude.el.send('Hi')).content).to.equal('Back.');
    expect(await claude.endpoint.requests()).to.have.length(2);

    const limited = { status: 429, headers: { 'content-type': 'application/json', 'retry-after-ms': '20' }, steps: [{ write: '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}' }] };
    const openai = await chat([limited, responsesReply(['Back too.'])], 'openai-responses');
    expect((await openai.el.send('Hi')).content).to.equal('Back too.');

    const denied = { status: 401, headers: { 'content-type': 'application/json' }, steps: [{ write: '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}' }] };
    const refused = await chat(denied, 'anthropic');
    const error = (await rejectionOf(refused.el.send('Hi'))) as StreamChatError;
    expect([error.kind, error.status, error.message, error.code]).to.deep.equal(['http', 401, 'HTTP 401 Unauthorized: invalid x-api-key', 'authentication_error']);
    expect(await refused.endpoint.requests()).to.have.length(1);
  });

  it('an HTML page at the wrong URL names the API path of the protocol', async () => {
    const page = { headers: { 'content-type': 'text/html' }, steps: [{ write: '<!doctype html><title>Not here</title>' }] };
    const { el } = await chat(page, 'anthropic');
    const error = (await rejectionOf(el.send('Hi'))) as StreamChatError;
    expect(error.kind).to.equal('protocol');
    expect(error.message).to.include('…/v1/messages');
  });

  it('chunk fires once per parsed event: the event object, and the text it added', async () => {
    const { el } = await chat(anthropicReply(['Hel', 'lo']), 'anthropic');
    const seen: ChunkDetail[] = [];
    el.addEventListener('chunk', (event) => seen.push(event.detail));
    await el.send('Hi');
    expect(seen.map((detail) => (detail.chunk as { type?: string }).type)).to.deep.equal([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(seen.map((detail) => detail.delta)).to.deep.equal(['', '', 'Hel', 'lo', '', '', '']);
    expect(seen.at(-1)?.content).to.equal('Hello');
  });

  it('Responses: chunk fires once per parsed event: the event object, and the text it added', async () => {
    const { el } = await chat(responsesReply(['Hel', 'lo']), 'openai-responses');
    const seen: ChunkDetail[] = [];
    el.addEventListener('chunk', (event) => seen.push(event.detail));
    await el.send('Hi');
    expect(seen.map((detail) => (detail.chunk as { type?: string }).type)).to.deep.equal([
      'response.created',
      'response.output_item.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.completed',
    ]);
    expect(seen.map((detail) => detail.delta)).to.deep.equal(['', '', 'Hel', 'lo', '']);
    expect(seen.at(-1)?.content).to.equal('Hello');
  });

  it('streamChat speaks a protocol headless', async () => {
    const endpoint = await mockEndpoint(responsesReply(['a', 'b']));
    const deltas: Delta[] = [];
    for await (const delta of streamChat({ endpoint: endpoint.url, protocol: 'openai-responses', messages: [{ role: 'user', content: 'Hi' }] })) deltas.push(delta);
    expect(deltas).to.deep.equal([
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 } },
    ]);
  });

  it('one attribute switches protocol mid-conversation: the next request carries the same history in the new format', async () => {
    const endpoint = await mockEndpoint([streamingReply(['From chat-completions.']), anthropicReply(['From Claude.'])]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} format="text"></stream-chat>`);
    await el.send('First');
    el.setAttribute('protocol', 'anthropic');
    const detail = await el.send('Second');
    expect(detail.content).to.equal('From Claude.');
    expect(el.messages.map((message) => [message.role, message.content])).to.deep.equal([
      ['user', 'First'],
      ['assistant', 'From chat-completions.'],
      ['user', 'Second'],
      ['assistant', 'From Claude.'],
    ]);
    const [, second] = await endpoint.settled();
    expect((second!.body as { messages: unknown }).messages).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'First' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'From chat-completions.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Second' }] },
    ]);
  });
});

/**
 * An Anthropic answer: text, a web search, more text with citations (two cite one URL, one is not a safe link).
 * The search takes `pause` ms, or, given a name, until the test releases it (`endpoint.release(name)`).
 */
function searchingReply(pause: number | string): MockResponse {
  const delta = (index: number, delta: object) => sse({ type: 'content_block_delta', index, delta });
  const block = (index: number, content_block: object) => sse({ type: 'content_block_start', index, content_block });
  const stop = (index: number) => sse({ type: 'content_block_stop', index });
  const cite = (index: number, url: string, title: string) => delta(index, { type: 'citations_delta', citation: { type: 'web_search_result_location', url, title, cited_text: '…' } });
  return {
    steps: [
      { write: sse({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 9, output_tokens: 1 } } }) },
      { write: block(0, { type: 'text', text: '' }) + delta(0, { type: 'text_delta', text: "# Searching\n\nI'll look that up." }) + stop(0) },
      { write: block(1, { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} }) + delta(1, { type: 'input_json_delta', partial_json: '{"query": "Ørsted"}' }) + stop(1) },
      typeof pause === 'string' ? { hold: pause } : { delay: pause },
      { write: block(2, { type: 'web_search_tool_result', tool_use_id: 'srv_1', content: [] }) + stop(2) },
      {
        write:
          block(3, { type: 'text', text: '', citations: [] }) +
          cite(3, 'https://orsted.com/en', 'Ørsted') +
          cite(3, 'javascript:alert(1)', 'Not a link') +
          delta(3, { type: 'text_delta', text: 'It is **a Danish** energy company' }) +
          stop(3),
      },
      { write: block(4, { type: 'text', text: '', citations: [] }) + cite(4, 'https://orsted.com/en', 'Ørsted again') + cite(4, 'https://en.wikipedia.org/wiki/%C3%98rsted', 'Wikipedia') + delta(4, { type: 'text_delta', text: '.' }) + stop(4) },
      { write: sse({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 30 } }) + sse({ type: 'message_stop' }) },
    ],
  };
}

/**
 * An answer with a web search in the middle, in `protocol`'s stream: text, the search (its query,
 * if any, as OpenAI's Responses stream sends it, only with its item's end; Anthropic's as its input,
 * after its name), then text after it. It pauses where `holds` name, until the test releases
 * them: `searching` (the search started), `search shown` (it ended), `rest` (midway the text after).
 */
function searchReply(protocol: 'anthropic' | 'openai-responses', query: string, holds: string[]): MockResponse {
  const hold = (name: string): MockStep[] => (holds.includes(name) ? [{ hold: name }] : []);
  if (protocol === 'anthropic') {
    const delta = (index: number, d: object) => sse({ type: 'content_block_delta', index, delta: d });
    const block = (index: number, b: object) => sse({ type: 'content_block_start', index, content_block: b });
    const stop = (index: number) => sse({ type: 'content_block_stop', index });
    return {
      steps: [
        { write: sse({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 9, output_tokens: 1 } } }) },
        { write: block(0, { type: 'text', text: '' }) + delta(0, { type: 'text_delta', text: "I'll look that up." }) + stop(0) },
        { write: block(1, { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} }) },
        ...hold('searching'),
        { write: (query ? delta(1, { type: 'input_json_delta', partial_json: JSON.stringify({ query }) }) : '') + stop(1) },
        { write: block(2, { type: 'web_search_tool_result', tool_use_id: 'srv_1', content: [] }) + stop(2) },
        ...hold('search shown'),
        { write: block(3, { type: 'text', text: '' }) + delta(3, { type: 'text_delta', text: 'Based on the results, ' }) },
        ...hold('rest'),
        { write: delta(3, { type: 'text_delta', text: 'it is Danish.' }) + stop(3) },
        { write: sse({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 30 } }) + sse({ type: 'message_stop' }) },
      ],
    };
  }
  const ev = (e: { type: string; [k: string]: unknown }) => sse(e, { event: e.type });
  const text = (delta: string) => ev({ type: 'response.output_text.delta', item_id: 'msg_2', output_index: 2, content_index: 0, delta });
  const search = { id: 'ws_1', type: 'web_search_call' };
  return {
    steps: [
      { write: ev({ type: 'response.created', response: { id: 'r', status: 'in_progress', output: [] } }) },
      { write: ev({ type: 'response.output_item.added', output_index: 0, item: { id: 'msg_0', type: 'message', role: 'assistant', content: [] } }) },
      { write: ev({ type: 'response.output_text.delta', item_id: 'msg_0', output_index: 0, content_index: 0, delta: "I'll look that up." }) },
      { write: ev({ type: 'response.output_item.added', output_index: 1, item: { ...search, status: 'in_progress' } }) },
      ...hold('searching'),
      { write: ev({ type: 'response.output_item.done', output_index: 1, item: { ...search, status: 'completed', ...(query && { action: { type: 'search', query } }) } }) },
      ...hold('search shown'),
      { write: ev({ type: 'response.output_item.added', output_index: 2, item: { id: 'msg_2', type: 'message', role: 'assistant', content: [] } }) },
      { write: text('Based on the results, ') },
      ...hold('rest'),
      { write: text('it is Danish.') },
      { write: ev({ type: 'response.completed', response: { id: 'r', status: 'completed', usage: { input_tokens: 1, output_tokens: 2 } } }) },
    ],
  };
}

/** The answer's nodes in order: each server-tool line as `[tool] text`, each stretch of Markdown by its HTML. */
function answerShape(el: StreamChatElement): string[] {
  const answer = parts(el, 'assistant').at(-1)!;
  return [...answer.children].map((node) => (node.matches('[part~="server-tool"]') ? `[tool] ${node.textContent}` : node.innerHTML.replace(/<!--[^]*?-->/g, '')));
}

describe("the provider's own tools and its sources on screen", () => {
  failOnUnhandledRejection();

  afterEach(async () => {
    if (hasCdp) await emulateMedia({ colorScheme: 'light' });
  });

  /** A paused turn's responses: blocks of text, a search and its result, each a write. */
  const block = (index: number, content_block: object) => sse({ type: 'content_block_start', index, content_block }) + sse({ type: 'content_block_stop', index });
  const text = (index: number, words: string) =>
    sse({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }) +
    sse({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: words } }) +
    sse({ type: 'content_block_stop', index });
  const reply = (stop_reason: string, ...blocks: string[]): MockResponse & { steps: MockStep[] } => ({
    steps: [
      { write: sse({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 9, output_tokens: 1 } } }) },
      ...blocks.map((write) => ({ write })),
      { write: sse({ type: 'message_delta', delta: { stop_reason }, usage: { output_tokens: 30 } }) + sse({ type: 'message_stop' }) },
    ],
  });
  const search = { type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_search', input: { query: 'Ørsted CEO' } };
  const found = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_2', content: [{ type: 'web_search_result', url: 'https://orsted.com', title: 'Ørsted', encrypted_content: 'Eq' }] };

  it('a turn Anthropic paused (pause_turn) goes on by itself: both responses on screen in order, one done; the next question sends them as one turn, as they came', async () => {
    const { el, endpoint, ends } = await chat(
      [reply('pause_turn', text(0, 'Let me **search**.'), block(1, search)), reply('end_turn', block(0, found), text(1, 'Its CEO is *Rasmus*.')), anthropicReply(['Yes.'])],
      'anthropic',
      'markdown',
    );
    const detail = await el.send('Who leads Ørsted?');
    await el.updateComplete;
    expect(ends).to.deep.equal(['done']);
    expect(detail.steps.map((step) => step.finishReason)).to.deep.equal(['pause_turn', 'stop']);
    const answers = parts(el, 'assistant').map((answer) => answer.innerHTML.replace(/<!--[^]*?-->/g, ''));
    expect(answers).to.have.length(2);
    expect(answers[0]).to.include('<strong>search</strong>').and.include('web search');
    expect(answers[1]).to.include('<em>Rasmus</em>');
    // One line for the search: the result that comes first in the next response has none.
    expect(parts(el, 'server-tool').map((line) => line.textContent)).to.deep.equal(['web search Ørsted CEO']);
    expect(parts(el, 'marker')).to.have.length(0);
    expect(parts(el, 'regenerate')).to.have.length(1);

    await el.send('Sure?');
    const [, second, third] = await endpoint.settled();
    const blocks = [{ type: 'text', text: 'Let me **search**.' }, search];
    expect((second!.body as { messages: unknown[] }).messages.at(-1)).to.deep.equal({ role: 'assistant', content: blocks });
    expect((third!.body as { messages: unknown[] }).messages).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Who leads Ørsted?' }] },
      { role: 'assistant', content: [...blocks, found, { type: 'text', text: 'Its CEO is *Rasmus*.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Sure?' }] },
    ]);
  });

  it('a paused turn is one answer on screen, as the API takes it: one group and speaker, the next response streaming in it, one row whose Copy copies all of it', async () => {
    const going = reply('end_turn', block(0, found), text(1, 'Its CEO is *Rasmus*.'));
    // Time to look while the next response streams, after the search's result: until the test has looked.
    going.steps.splice(2, 0, { hold: 'looked' });
    const { el, endpoint } = await chat([reply('pause_turn', text(0, 'Let me **search**.'), block(1, search)), going], 'anthropic', 'markdown');
    el.stats = true;
    const answers = () => el.shadowRoot!.querySelectorAll('.turn.assistant');
    let paused: HTMLElement | undefined;
    const heard = await heardWhile(el, async () => {
      const sent = el.send('Who leads Ørsted?');
      await waitUntil(() => el.messages.length === 2 && el.conversation.draft, 'the next response streams');
      await el.updateComplete;
      // Before, under a second speaker, and the paused part had its own row meanwhile. One row: its
      // Copy copies what came, the same button as the answer ends (the question has its own).
      expect(answers()).to.have.length(1);
      [paused] = parts(el, 'assistant');
      expect(answers()[0]!.querySelectorAll(':scope > .actions')).to.have.length(1);
      expect(parts(el, 'copy-message')).to.have.length(2);
      await endpoint.release('looked');
      await sent;
    });
    await el.updateComplete;
    expect(answers()).to.have.length(1);
    expect(parts(el, 'assistant')[0], 'the paused part kept its nodes').to.equal(paused);
    expect(parts(el, 'assistant').map((answer) => answer.textContent)).to.deep.equal(['Let me search.web search Ørsted CEO', 'Its CEO is Rasmus.']);
    expect(parts(el, 'speaker').map((speaker) => speaker.textContent)).to.deep.equal(['You:', 'Assistant:']);
    expect(parts(el, 'stats')).to.have.length(1);
    expect(heard).to.deep.equal([
      ['status', 'Assistant is typing'],
      ['status', 'web search Ørsted CEO'],
      ['status', 'Let me search.\nIts CEO is Rasmus.'],
    ]);
    const actions = answers()[0]!.querySelectorAll('[part~="action"]');
    expect([...actions].map((button) => button.textContent)).to.deep.equal(['Copy', 'Regenerate']);
    const written: Record<string, string> = {};
    const clipboard = {
      write: async ([item]: ClipboardItem[]) => {
        for (const type of item!.types) written[type] = await (await item!.getType(type)).text();
      },
    };
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: clipboard });
    try {
      (actions[0] as HTMLElement).click();
      await waitUntil(() => actions[0]!.textContent === 'Copied', 'Copy says it copied');
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
    }
    // The whole answer, its parts apart as they are shown.
    expect(written['text/plain']).to.equal('Let me **search**.\n\nIts CEO is *Rasmus*.');
    expect(written['text/html']).to.include('<strong>search</strong>').and.include('<em>Rasmus</em>').and.not.include('web search');

    // Restored, the same: one answer.
    const again = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    again.messages = structuredClone(el.messages);
    await again.updateComplete;
    expect(again.shadowRoot!.querySelectorAll('.turn.assistant')).to.have.length(1);
    expect(parts(again, 'copy-message')).to.have.length(2);
  });

  it('a paused turn that max-steps ended is marked so, and retry() goes on with it', async () => {
    const text = (words: string) =>
      sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
      sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: words } }) +
      sse({ type: 'content_block_stop', index: 0 });
    const reply = (stop_reason: string, words: string): MockResponse => ({
      steps: [
        { write: sse({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 9, output_tokens: 1 } } }) },
        { write: text(words) },
        { write: sse({ type: 'message_delta', delta: { stop_reason }, usage: { output_tokens: 3 } }) + sse({ type: 'message_stop' }) },
      ],
    });
    const { el } = await chat([reply('pause_turn', 'Searching.'), reply('end_turn', 'Found it.')], 'anthropic', 'text');
    el.maxSteps = 1;
    expect((await el.send('Find it')).finishReason).to.equal('pause_turn');
    await el.updateComplete;
    expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal(['Stopped at the step limit']);
    expect((await el.retry()).content).to.equal('Searching.Found it.');
    await el.updateComplete;
    expect(parts(el, 'marker')).to.have.length(0);
  });

  it('a paused turn that ended on calls for the page (no tools to run them) is not marked as stopped at the step limit: the page answers them', async () => {
    const call = { type: 'tool_use', id: 'toolu_9', name: 'lookup', input: { q: 'x' } };
    const { el } = await chat(reply('pause_turn', text(0, 'Searching.'), block(1, search), block(2, call)), 'anthropic', 'text');
    const detail = await el.send('Find it');
    expect([detail.finishReason, detail.message.tool_calls?.map((each) => each.id)]).to.deep.equal(['pause_turn', ['toolu_9']]);
    await el.updateComplete;
    // Before, 'Stopped at the step limit': every pause was taken for one max-steps ended.
    expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal([]);
  });

  it('a paused turn with no content at all ends there, at step 1 of 5: marked as an empty answer, not stopped at the step limit', async () => {
    const { el } = await chat(reply('pause_turn'), 'anthropic', 'text');
    const detail = await el.send('Find it');
    expect([detail.finishReason, detail.steps.length, el.maxSteps]).to.deep.equal(['pause_turn', 1, 5]);
    await el.updateComplete;
    const status = el.shadowRoot!.querySelector('[role="status"]')!;
    await waitUntil(() => status.textContent, 'the status region says how it ended');
    // Before, the status region said 'Stopped at the step limit' at step 1 of 5, and no marker showed.
    expect([status.textContent, parts(el, 'marker').map((marker) => marker.textContent)]).to.deep.equal(['Empty answer', ['Empty answer']]);
    // At max-steps 1 too: no response would have gone on with it (it has no blocks to send back).
    const one = (await chat(reply('pause_turn'), 'anthropic', 'text')).el;
    one.maxSteps = 1;
    await one.send('Find it');
    await one.updateComplete;
    expect(parts(one, 'marker').map((marker) => marker.textContent)).to.deep.equal(['Empty answer']);
  });

  it('a server tool shows as a status line where it ran, while the answer streams and once it is complete, rendered as a whole answer would be', async () => {
    const { el, endpoint } = await chat(searchingReply('searched'), 'anthropic', 'markdown');
    const sent = el.send('Who is Ørsted?');
    await waitUntil(() => parts(el, 'server-tool')[0]?.textContent === 'web search Ørsted', 'the status line with its query', { timeout: 4000 });
    // The line renders with the change; the text before it is written in the next frame.
    await waitUntil(() => answerShape(el)[0]?.includes('<h1>Searching</h1>'), 'the text before the line', { timeout: 4000 });
    expect(parts(el, 'assistant').at(-1)!.getAttribute('aria-busy')).to.equal('true');
    const streaming = answerShape(el);
    expect(streaming).to.have.length(2);
    expect(streaming[0]).to.include('<h1>Searching</h1>');
    expect(streaming[1]).to.equal('[tool] web search Ørsted');
    await endpoint.release('searched');
    const detail = await sent;
    expect(detail.content).to.equal("# Searching\n\nI'll look that up.It is **a Danish** energy company.");
    expect(detail.message.server_tools).to.deep.equal([{ name: 'web_search', detail: 'Ørsted', at: "# Searching\n\nI'll look that up.".length }]);
    await el.updateComplete;
    const streamed = answerShape(el);
    expect(streamed).to.have.length(3);
    expect(streamed[2]).to.include('<strong>a Danish</strong>');

    // The same message restored into another element renders the same nodes.
    const again = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    again.messages = structuredClone(el.messages);
    await again.updateComplete;
    expect(answerShape(again)).to.deep.equal(streamed);
  });

  it('a server tool is said with its query as its line shows (the answer streams unread until its end, and a search can take seconds)', async () => {
    const { el } = await chat(searchingReply(300), 'anthropic', 'markdown');
    const heard = await heardWhile(el, () => el.send('Who is Ørsted?'));
    expect(heard).to.deep.equal([
      ['status', 'Assistant is typing'],
      ['status', 'web search Ørsted'],
      ['status', "Searching\nI'll look that up.\nIt is a Danish energy company."],
    ]);
  });

  describe('a server tool is said once, with its query however late that comes, and its line shows at once', () => {
    // OpenAI's Responses stream sends a search's query only with its item's end (after the search);
    // Anthropic's, as the tool's input, which can come in a later read than its name.
    const cases: Array<[string, string, MockResponse, string]> = [
      ['openai-responses', 'its query at its end', searchReply('openai-responses', 'Orsted', ['searching']), 'web search Orsted'],
      ['anthropic', 'its query in a later read', searchReply('anthropic', 'Orsted', ['searching']), 'web search Orsted'],
      // One that never says what it did is said as the answer goes on past it.
      ['openai-responses', 'no query', searchReply('openai-responses', '', ['searching']), 'web search'],
      ['anthropic', 'no query', searchReply('anthropic', '', ['searching']), 'web search'],
    ];
    for (const [protocol, what, reply, line] of cases) {
      it(`${protocol}, ${what}`, async () => {
        const { el, endpoint } = await chat(reply, protocol, 'markdown');
        const heard = await heardWhile(el, async () => {
          const sent = el.send('Who?');
          await waitUntil(() => parts(el, 'server-tool')[0]?.textContent === 'web search', 'the line shows while it searches', { timeout: 4000 });
          await el.updateComplete;
          await endpoint.release('searching');
          await sent;
        });
        expect(parts(el, 'server-tool').map((each) => each.textContent)).to.deep.equal([line]);
        expect(heard).to.deep.equal([
          ['status', 'Assistant is typing'],
          ['status', line],
          ['status', "I'll look that up.\nBased on the results, it is Danish."],
        ]);
      });
    }

    it('one the turn ends in before its query comes (stopped mid-search) is said at its end, before the answer', async () => {
      // Found in review: OpenAI's Responses stream sends the query only at the search's end, so a search
      // stopped (or failed) midway, or one that ended the turn with none, was never said.
      const { el } = await chat(searchReply('openai-responses', 'Orsted', ['searching']), 'openai-responses', 'markdown');
      const heard = await heardWhile(el, async () => {
        const sent = el.send('Who?');
        await waitUntil(() => parts(el, 'server-tool')[0]?.textContent === 'web search', 'the line shows while it searches', { timeout: 4000 });
        await el.updateComplete;
        el.stop();
        await sent;
      });
      expect(heard).to.deep.equal([
        ['status', 'Assistant is typing'],
        ['status', "web search\nI'll look that up.\nStopped"],
      ]);
    });
  });

  it('a server tool is said again in the turn after: one that replaced a turn mid-search, or a later step, searching the same', async () => {
    // The line last said was kept from the turn before (and while tools ran), so the same search was never said.
    const { el } = await chat([searchingReply(3000), searchingReply(300)], 'anthropic', 'markdown');
    const heard = await heardWhile(el, async () => {
      const first = el.send('Who is Ørsted?');
      await waitUntil(() => el.conversation.draft?.message.server_tools?.[0]?.detail === 'Ørsted', 'searching');
      await el.updateComplete;
      const second = el.send('Who is Ørsted?');
      await first;
      await second;
    });
    expect(heard.filter(([, text]) => text === 'web search Ørsted')).to.have.length(2);
  });

  describe('the text after a server tool shows while it streams, before anything else changes', () => {
    for (const protocol of ['anthropic', 'openai-responses'] as const) {
      it(protocol, async () => {
        const { el, endpoint } = await chat(searchReply(protocol, 'Orsted', ['search shown', 'rest']), protocol);
        const shown = () =>
          [...(parts(el, 'assistant').at(-1)?.children ?? [])].map((node) => (node.matches('[part~="server-tool"]') ? `[tool] ${node.textContent}` : (node.textContent ?? '').trim()));
        const sent = el.send('Who?');
        // The search shown before the text after it comes.
        await waitUntil(() => shown()[1] === '[tool] web search Orsted', 'the search shows', { timeout: 4000 });
        await endpoint.release('search shown');
        await waitUntil(() => String(el.conversation.draft?.message.content).includes('Based on'), 'the text after the search arrived', { timeout: 4000 });
        // Written in the next frame, well before the rest comes (once the test releases it).
        await waitUntil(() => shown()[2] === 'Based on the results,', 'the text after the search shows', { timeout: 1000 });
        const midway = shown();
        const still = String(el.conversation.draft?.message.content).endsWith('results, ');
        await endpoint.release('rest');
        await sent;
        expect(midway).to.deep.equal(["I'll look that up.", '[tool] web search Orsted', 'Based on the results,']);
        expect(still, 'while the rest had not come').to.equal(true);
      });
    }
  });

  it('sources restored with a URL twice list it once', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a', sources: [{ url: 'https://a.example/' }, { url: 'https://a.example/', title: 'A' }] },
    ];
    await el.updateComplete;
    expect([...el.shadowRoot!.querySelectorAll('[part~="sources"] a')].map((a) => a.textContent)).to.deep.equal(['https://a.example/']);
  });

  it('sources: a list of the cited links under the answer, each URL once, safe ones only, opening apart from the page', async () => {
    const { el } = await chat(searchingReply(0), 'anthropic', 'markdown');
    const { message } = await el.send('Who is Ørsted?');
    expect(message.sources).to.deep.equal([
      { url: 'https://orsted.com/en', title: 'Ørsted' },
      { url: 'javascript:alert(1)', title: 'Not a link' },
      { url: 'https://en.wikipedia.org/wiki/%C3%98rsted', title: 'Wikipedia' },
    ]);
    await el.updateComplete;
    const [list] = parts(el, 'sources');
    expect(list?.getAttribute('aria-label')).to.equal('Sources');
    const links = [...list!.querySelectorAll('a')];
    expect(links.map((link) => [link.getAttribute('href'), link.textContent, link.rel, link.target])).to.deep.equal([
      ['https://orsted.com/en', 'Ørsted', 'noopener noreferrer', '_blank'],
      ['https://en.wikipedia.org/wiki/%C3%98rsted', 'Wikipedia', 'noopener noreferrer', '_blank'],
    ]);
    expect(list!.previousElementSibling?.matches('[part~="assistant"]'), 'under the answer').to.equal(true);
  });

  for (const scheme of ['light', 'dark'] as const) {
    itWithCdp(`an answer with a server-tool status line and a sources list is accessible (axe) in the ${scheme} scheme`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const { el } = await chat(searchingReply(0), 'anthropic', 'markdown');
      await el.send('Who is Ørsted?');
      await el.updateComplete;
      expect(parts(el, 'server-tool').map((line) => line.textContent)).to.deep.equal(['web search Ørsted']);
      expect(parts(el, 'sources')[0]?.querySelectorAll('a')).to.have.length(2);
      await expect(el).to.be.accessible();
    });
  }

  it('restored history: unsafe or relative source URLs never become links, an untitled one shows its URL, and nothing of it is sent back', async () => {
    const endpoint = await mockEndpoint(streamingReply(['ok']));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url}></stream-chat>`);
    const restored: ChatMessage[] = [
      { role: 'user', content: 'Links?' },
      {
        role: 'assistant',
        content: 'Here.',
        server_tools: [{ name: 'web_search', detail: '', at: 5 }],
        sources: [
          { url: ' javascript:alert(1)' },
          { url: 'JaVaScRiPt:alert(2)' },
          { url: 'data:text/html,<b>x</b>' },
          { url: '/relative/path' },
          { url: 'vbscript:x' },
          // Shown as its text (it has no title), it would read as https://example.com/png.exe.
          { url: 'https://example.com/\u202Eexe.gnp' },
          { url: 'mailto:team@example.com' },
          { url: 'HTTPS://EXAMPLE.COM/ü' },
        ],
      },
    ];
    el.messages = restored;
    await el.updateComplete;
    expect([...el.shadowRoot!.querySelectorAll('[part~="sources"] a')].map((link) => [link.getAttribute('href'), link.textContent])).to.deep.equal([
      ['mailto:team@example.com', 'mailto:team@example.com'],
      ['HTTPS://EXAMPLE.COM/ü', 'HTTPS://EXAMPLE.COM/ü'],
    ]);
    expect(answerShape(el).at(-1)).to.equal('[tool] web search');
    await el.send('More?');
    const [request] = await endpoint.settled();
    expect((request!.body as { messages: ChatMessage[] }).messages[1]).to.deep.equal({ role: 'assistant', content: 'Here.' });
  });
});

describe('a provider switched right after send()', () => {
  failOnUnhandledRejection();

  it('an Anthropic request asked before a model picker switched to OpenAI carries neither the OpenAI key nor its model', async () => {
    const claude = await mockEndpoint(anthropicReply(['Hi from Claude']));
    const openai = await mockEndpoint(streamingReply(['Hi from GPT']));
    const el = await fixture<StreamChatElement>(
      html`<stream-chat endpoint=${claude.url} protocol="anthropic" key="sk-ant-CLAUDE-KEY" model="claude-sonnet-4-5"></stream-chat>`,
    );
    const sent = el.send('Hello');
    // The user picks GPT-4o while the first answer is on its way (the protocol's module loading).
    el.protocol = 'openai-chat';
    el.endpoint = openai.url;
    el.key = 'sk-OPENAI-KEY';
    el.model = 'gpt-4o';
    await sent;
    const [request] = await claude.settled();
    expect(JSON.stringify(request!.headers)).to.not.include('sk-OPENAI-KEY');
    expect(request!.headers['x-api-key']).to.equal('sk-ant-CLAUDE-KEY');
    expect((request!.body as { model?: string }).model).to.equal('claude-sonnet-4-5');
    expect(await openai.settled(), 'nothing went to the other endpoint').to.have.length(0);
  });

  it('the same a task later, while the Responses module loads', async () => {
    const first = await mockEndpoint(responsesReply(['Hi']));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${first.url} protocol="openai-responses" key="sk-FIRST-KEY" model="gpt-5"></stream-chat>`);
    const sent = el.send('Hello');
    await new Promise((resolve) => setTimeout(resolve));
    el.protocol = 'openai-chat';
    el.endpoint = 'https://api.example.test/v1/chat/completions';
    el.key = 'sk-SECOND-KEY';
    await sent;
    const [request] = await first.settled();
    expect(request!.headers['authorization']).to.equal('Bearer sk-FIRST-KEY');
  });

  for (const [protocol, reply] of [
    ['anthropic', anthropicReply(['ok'])],
    ['openai-responses', responsesReply(['ok'])],
  ] as const) {
    it(`${protocol}, its module loaded: a key, headers or a body set a microtask after send() (as Vue sets props) go with the next request only`, async () => {
      const endpoint = await mockEndpoint([reply, reply, reply]);
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} protocol=${protocol} key="sk-FIRST-KEY-1"></stream-chat>`);
      await el.send('warm up');
      const sent = el.send('Hello');
      await Promise.resolve();
      el.key = 'sk-OTHER-KEY-2';
      el.headers = { 'x-tenant': 'other' };
      el.body = { metadata: { tenant: 'other' } };
      await sent;
      await el.send('Next');
      const requests = await endpoint.settled();
      expect(JSON.stringify(requests[1]!.headers)).to.not.include('sk-OTHER-KEY-2');
      expect(requests[1]!.headers['x-tenant']).to.equal(undefined);
      expect(requests[1]!.body).to.not.have.property('metadata');
      expect(JSON.stringify(requests[2]!.headers), 'the next request').to.include('sk-OTHER-KEY-2');
      expect(requests[2]!.headers['x-tenant']).to.equal('other');
    });
  }
});
