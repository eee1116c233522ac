import { expect } from '@open-wc/testing';
import { StreamChatError } from '../src/core/errors.js';
import { MessageBuilder } from '../src/core/message-builder.js';
import type { Decoded, ProtocolDecoder, RequestOptions } from '../src/core/protocol.js';
import { openaiChat } from '../src/core/protocols/openai-chat.js';
import type { ChatMessage, ChunkDelta, ThinkingBlock, ToolCallDelta } from '../src/core/types.js';
import { answeredByName, calledOnce, foreignToolIds, pdf, printed, recording, screenshot } from './helpers/history.js';
import { chunk } from './helpers/server.js';
import { accumulate } from './helpers/streaming.js';

function build(options: Partial<RequestOptions>) {
  const { url, init } = openaiChat.buildRequest({ endpoint: '/api/chat', messages: [{ role: 'user', content: 'Hi' }], ...options });
  return { url, init, headers: init.headers as Record<string, string>, body: JSON.parse(init.body as string) as Record<string, unknown> };
}

/**
 * A turn that called a tool (call `id`), then one that did not, each answer's reasoning also in
 * `field` as the model sent it (each line ending in `end`).
 */
function reasoningTurns(field: 'think' | 'reasoning_content', id: string, end = '') {
  const call = { id, type: 'function' as const, function: { name: 'f', arguments: '{}' } };
  const thought = (text: string) => ({ reasoning: text + end, [field]: text + end });
  const messages: ChatMessage[] = [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: '', ...thought('Call f.'), tool_calls: [call] },
    { role: 'tool', content: '42', tool_call_id: id },
    { role: 'assistant', content: 'It is 42.', ...thought('Say it.') },
    { role: 'user', content: 'Thanks' },
    { role: 'assistant', content: 'You are welcome.', ...thought('Be nice.') },
    { role: 'user', content: 'Bye' },
  ];
  return { call, messages };
}

describe('openaiChat.buildRequest', () => {
  it('POSTs JSON to the endpoint as given, relative or absolute', () => {
    expect(build({}).url).to.equal('/api/chat');
    expect(build({}).init.method).to.equal('POST');
    expect(build({ endpoint: 'https://api.example.com/v1/chat/completions' }).url).to.equal('https://api.example.com/v1/chat/completions');
  });

  it('without a key: exactly Content-Type and Accept, no Authorization', () => {
    expect(build({}).headers).to.deep.equal({ 'Content-Type': 'application/json', Accept: 'text/event-stream' });
    expect(build({ key: '' }).headers).to.not.have.property('Authorization');
  });

  it('a key is sent as a Bearer Authorization header', () => {
    expect(build({ key: 'sk-test' }).headers).to.deep.equal({
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      Authorization: 'Bearer sk-test',
    });
  });

  it('extra headers override whatever their case (header names are case-insensitive): one header, not two values joined', () => {
    // Before: { Accept: 'text/event-stream', accept: … } and the same for Authorization, which
    // fetch sends as one header of both values ("Bearer sk-test, Basic x").
    const { headers } = build({ key: 'sk-test', headers: { accept: 'application/json', authorization: 'Basic x', 'content-TYPE': 'application/json; charset=utf-8' } });
    expect(headers).to.deep.equal({ accept: 'application/json', authorization: 'Basic x', 'content-TYPE': 'application/json; charset=utf-8' });
  });

  it('headers set to null (from plain JavaScript, a framework prop cleared) are none: the request is built', () => {
    // Before: "Cannot convert undefined or null to object", every request failed to be built.
    expect(build({ key: 'sk-test', headers: null as unknown as undefined }).headers).to.deep.equal({ 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: 'Bearer sk-test' });
  });

  it('extra headers are applied last, so they can add and override', () => {
    const { headers } = build({ key: 'sk-test', headers: { 'api-key': 'azure-key', Accept: 'application/json', Authorization: 'Basic x' } });
    expect(headers).to.deep.equal({
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: 'Basic x',
      'api-key': 'azure-key',
    });
  });

  it('the minimal body: messages and stream: true, model omitted when empty', () => {
    expect(build({}).body).to.deep.equal({ messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(build({ model: '' }).body).to.not.have.property('model');
  });

  it('model comes first and the system prompt is the first message', () => {
    const { body } = build({
      model: 'gpt-4o-mini',
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ],
    });
    expect(body).to.deep.equal({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ],
      stream: true,
    });
    expect(Object.keys(body)).to.deep.equal(['model', 'messages', 'stream']);
  });

  it('an empty system prompt sends no system message', () => {
    expect(build({ system: '' }).body['messages']).to.deep.equal([{ role: 'user', content: 'Hi' }]);
  });

  it('temperature and max_tokens are sent only when set, 0 included', () => {
    expect(build({ temperature: 0, maxTokens: 256 }).body).to.deep.include({ temperature: 0, max_tokens: 256 });
    const unset = build({ temperature: null, maxTokens: undefined }).body;
    expect(unset).to.not.have.property('temperature');
    expect(unset).to.not.have.property('max_tokens');
    expect(build({ temperature: Number.NaN }).body).to.not.have.property('temperature');
  });

  it('extra body fields are merged last and can override', () => {
    const { body } = build({
      temperature: 1,
      body: { stream_options: { include_usage: true }, top_p: 0.9, temperature: 0.2 },
    });
    expect(body).to.deep.equal({
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      temperature: 0.2,
      stream_options: { include_usage: true },
      top_p: 0.9,
    });
  });

  it("reasoning, server tools, sources and Claude's stop details and container, a Responses phase and order of items are not sent back; tool calls and tool answers are", () => {
    const toolCall = { id: 'call_1', type: 'function' as const, function: { name: 'f', arguments: '{}' } };
    const { body } = build({
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: 'Hello',
          reasoning: 'The user greeted me.',
          server_tools: [{ name: 'web_search', detail: 'greetings', at: 0 }],
          sources: [{ url: 'https://example.com' }],
          stop_details: { type: 'refusal', category: 'cyber' },
          phase: 'commentary',
          output_items: [{ type: 'function_call' }, { type: 'message', length: 5, phase: 'commentary' }],
          container: { id: 'container_1', expires_at: '2999-01-01T00:00:00Z' },
          tool_calls: [toolCall],
        },
        { role: 'tool', content: '42', tool_call_id: 'call_1' },
      ],
    });
    expect(body['messages']).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello', tool_calls: [toolCall] },
      { role: 'tool', content: '42', tool_call_id: 'call_1' },
    ]);
  });

  it("what a provider needs to go on after tool calls is sent back: Gemini 3's thought signature on a call, OpenRouter's reasoning details", () => {
    // Without them, Gemini answers the next step of a tool loop with a 400 ("Function call is
    // missing a thought_signature", "… require OpenRouter reasoning details to be preserved").
    const call = { id: 'function-call-1', type: 'function' as const, function: { name: 'f', arguments: '{}' }, extra_content: { google: { thought_signature: 'CpUB' } } };
    const details = [
      { type: 'reasoning.text', text: 'Call f.', format: 'google-gemini-v1', index: 0 },
      { type: 'reasoning.encrypted', data: 'CiQB', id: 'function-call-1', format: 'google-gemini-v1', index: 1 },
    ];
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '', reasoning: 'Call f.', reasoning_details: details, tool_calls: [call] },
      { role: 'tool', content: '42', tool_call_id: 'function-call-1' },
    ];
    expect(build({ messages }).body['messages']).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: null, reasoning_details: details, tool_calls: [call] },
      { role: 'tool', content: '42', tool_call_id: 'function-call-1' },
    ]);
  });

  it("Claude's thinking blocks that came beside reasoning_content (LiteLLM) go back with the answers of a turn that called tools, as they came; a turn's without calls do not, nor do the Anthropic protocol's", () => {
    // Without them LiteLLM's Anthropic request is refused: "Expected `thinking` or
    // `redacted_thinking`, but found `tool_use`" (a tool loop with extended thinking).
    const blocks: ThinkingBlock[] = [
      { type: 'thinking', thinking: 'Call f.', signature: 'EqQBsig' },
      { type: 'redacted_thinking', data: 'EmwKredacted' },
    ];
    const call = { id: 'toolu_01', type: 'function' as const, function: { name: 'f', arguments: '{}' } };
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '', reasoning: 'Call f.', reasoning_content: 'Call f.', thinking_blocks: blocks, tool_calls: [call] },
      { role: 'tool', content: '42', tool_call_id: 'toolu_01' },
      { role: 'assistant', content: 'It is 42.' },
      { role: 'user', content: 'Thanks' },
      { role: 'assistant', content: 'You are welcome.', reasoning: 'Be nice.', reasoning_content: 'Be nice.', thinking_blocks: [{ type: 'thinking', thinking: 'Be nice.', signature: 'EqQBnice' }] },
      { role: 'user', content: 'Bye' },
    ];
    expect(build({ messages }).body['messages']).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: null, reasoning_content: 'Call f.', thinking_blocks: blocks, tool_calls: [call] },
      { role: 'tool', content: '42', tool_call_id: 'toolu_01' },
      { role: 'assistant', content: 'It is 42.', reasoning_content: '' },
      { role: 'user', content: 'Thanks' },
      { role: 'assistant', content: 'You are welcome.' },
      { role: 'user', content: 'Bye' },
    ]);
    // Blocks without reasoning_content came from the Anthropic protocol: another provider may refuse them.
    const anthropic = messages.map(({ reasoning_content: _c, ...message }) => message);
    expect((build({ messages: anthropic }).body['messages'] as ChatMessage[]).some((message) => 'thinking_blocks' in message)).to.equal(false);
  });

  it("reasoning the model wrote between <think> tags in the content (MiniMax-M2) goes back there, before the answer, with the answers of a turn that called tools; a turn's without calls and other tags' do not", () => {
    // MiniMax: "the content field will contain <think> tag content, which must be preserved
    // completely" in a tool loop; without it the model loses its chain of thought between calls.
    const { call, messages } = reasoningTurns('think', 'call_function_1', '\n');
    expect(build({ messages }).body['messages']).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '<think>\nCall f.\n</think>\n\n', tool_calls: [call] },
      { role: 'tool', content: '42', tool_call_id: 'call_function_1' },
      { role: 'assistant', content: '<think>\nSay it.\n</think>\n\nIt is 42.' },
      { role: 'user', content: 'Thanks' },
      { role: 'assistant', content: 'You are welcome.' },
      { role: 'user', content: 'Bye' },
    ]);
    // An answer that only thought (stopped before more came) is still left out.
    const stopped: ChatMessage[] = [...messages.slice(0, 3), { role: 'assistant', content: '', reasoning: 'Hmm', think: 'Hmm' }, { role: 'user', content: 'Go on' }];
    expect((build({ messages: stopped }).body['messages'] as ChatMessage[]).map((message) => message.role)).to.deep.equal(['user', 'assistant', 'tool', 'user']);
    // Reasoning that came any other way (a field, <thought>, <reasoning>) never goes in the content.
    const apart = messages.map(({ think: _t, ...message }) => message);
    expect((build({ messages: apart }).body['messages'] as ChatMessage[]).map((message) => message.content)).to.deep.equal(['Hi', null, '42', 'It is 42.', 'Thanks', 'You are welcome.', 'Bye']);
  });

  it("DeepSeek's and Kimi's thinking modes: the answers of a turn that called tools send their reasoning_content back, every later request; a turn's without calls do not", () => {
    // Without it: 400 "The reasoning_content in the thinking mode must be passed back to the API."
    const { call, messages } = reasoningTurns('reasoning_content', 'call_0');
    expect(build({ messages }).body['messages']).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: null, reasoning_content: 'Call f.', tool_calls: [call] },
      { role: 'tool', content: '42', tool_call_id: 'call_0' },
      { role: 'assistant', content: 'It is 42.', reasoning_content: 'Say it.' },
      { role: 'user', content: 'Thanks' },
      { role: 'assistant', content: 'You are welcome.' },
      { role: 'user', content: 'Bye' },
    ]);
  });

  it('DeepSeek: an answer of such a turn whose reasoning came empty sends reasoning_content "" (a conversation with reasoning_content); other providers get none', () => {
    // Before, it sent none: 400 "Missing `reasoning_content` field in the assistant message at message index 1".
    const call = { id: 'call_0', type: 'function' as const, function: { name: 'f', arguments: '{}' } };
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '', tool_calls: [call] },
      { role: 'tool', content: '42', tool_call_id: 'call_0' },
      { role: 'assistant', content: 'It is 42.', reasoning: 'Say it.', reasoning_content: 'Say it.' },
      { role: 'user', content: 'Thanks' },
      { role: 'assistant', content: 'You are welcome.' },
      { role: 'user', content: 'Bye' },
    ];
    expect(build({ messages }).body['messages']).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: null, reasoning_content: '', tool_calls: [call] },
      { role: 'tool', content: '42', tool_call_id: 'call_0' },
      { role: 'assistant', content: 'It is 42.', reasoning_content: 'Say it.' },
      { role: 'user', content: 'Thanks' },
      { role: 'assistant', content: 'You are welcome.' },
      { role: 'user', content: 'Bye' },
    ]);
    // A conversation without reasoning_content (OpenAI, most providers): no field to refuse.
    const plain = messages.map(({ reasoning: _r, reasoning_content: _c, ...message }) => message);
    expect((build({ messages: plain }).body['messages'] as ChatMessage[]).some((message) => 'reasoning_content' in message)).to.equal(false);
  });

  it('an answer with `tool_calls: []` (a host’s history, openai-node’s parse) goes without it: OpenAI refuses an empty list; an empty one of nothing else is left out', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'x', tool_calls: [] }, { role: 'user', content: 'R' }, { role: 'assistant', content: '', tool_calls: [] }, { role: 'user', content: 'S' }];
    const sent = build({ messages }).body['messages'] as ChatMessage[];
    expect(sent).to.deep.equal([{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'x' }, { role: 'user', content: 'R\n\nS' }]);
    expect(messages[1]!.tool_calls, 'the messages passed in are not changed').to.deep.equal([]);
  });

  it('arguments that are not a JSON object (cut short, malformed, empty) are sent back as {}', () => {
    // vLLM parses every call's arguments in the history and refuses the request when one is not
    // JSON, so a call cut short would fail every later turn. The call's result tells the model.
    const call = (id: string, args: string) => ({ id, type: 'function' as const, function: { name: 'f', arguments: args } });
    const calls = [call('a', '{"city": "Par'), call('b', ''), call('c', '[1]'), call('d', '{"city": "Paris"}')];
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: null, tool_calls: calls },
      ...calls.map(({ id }): ChatMessage => ({ role: 'tool', content: 'Error', tool_call_id: id })),
    ];
    const copy = structuredClone(messages);
    const sent = build({ messages }).body['messages'] as ChatMessage[];
    expect(sent[1]!.tool_calls!.map((c) => c.function.arguments)).to.deep.equal(['{}', '{}', '{}', '{"city": "Paris"}']);
    expect(messages, 'the messages passed in are not changed').to.deep.equal(copy);
  });

  it('GPT-5 and later and the o-series by their names get max_completion_tokens (OpenAI refuses max_tokens for them), fine-tuned too; other models max_tokens', () => {
    for (const model of ['gpt-5', 'gpt-5.2-mini', 'o3', 'o4-mini', 'o1', 'gpt-6-astra', 'gpt-6.1-sol', 'gpt-10', 'GPT-5-mini', 'ft:o4-mini-2025-04-16:acme::abc123', 'ft:gpt-5-mini-2025-08-07:acme::x']) {
      const { body } = build({ model, maxTokens: 256 });
      expect(body, model).to.include({ max_completion_tokens: 256 }).and.not.have.property('max_tokens');
    }
    // (Azure's GPT-3.5 is gpt-35-turbo, and its older API versions refuse max_completion_tokens.)
    for (const model of ['gpt-4o', 'gpt-4.1', 'gpt-3.5-turbo', 'gpt-35-turbo', 'GPT-35-Turbo-16k', 'gpt-35-turbo-0613.ft-abc', 'ft:gpt-4o-mini-2024-07-18:acme::x', 'gpt-oss-120b', 'openai/gpt-5', 'ollama3', 'deepseek-reasoner', '']) expect(build({ model, maxTokens: 256 }).body, model).to.include({ max_tokens: 256 });
  });

  it('a tool without parameters is sent with an empty object schema (Mistral refuses a function without them, 422 "Field required"); one with them as given', () => {
    const weather = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const { body } = build({ model: 'mistral-large-latest', tools: [{ name: 'now', description: 'The time' }, { name: 'weather', parameters: weather }] });
    expect(body['tools']).to.deep.equal([
      { type: 'function', function: { name: 'now', description: 'The time', parameters: { type: 'object', properties: {} } } },
      { type: 'function', function: { name: 'weather', parameters: weather } },
    ]);
  });

  it('questions in a row (one whose answer failed, was stopped before anything came, or came empty) go as one: DeepSeek’s reasoner and Perplexity refuse two', () => {
    const { body } = build({
      messages: [
        { role: 'user', content: 'One' },
        { role: 'assistant', content: '', reasoning: 'Thought, then cut at the limit.' },
        { role: 'user', content: 'Two' },
        { role: 'user', content: [{ type: 'text', text: 'Three' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
        { role: 'assistant', content: 'Answer.' },
        { role: 'user', content: 'Four' },
      ],
    });
    expect(body['messages']).to.deep.equal([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'One\n\nTwo' },
          { type: 'text', text: 'Three' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        ],
      },
      { role: 'assistant', content: 'Answer.' },
      { role: 'user', content: 'Four' },
    ]);
    expect(build({ messages: [{ role: 'user', content: 'One' }, { role: 'user', content: 'Two' }] }).body['messages']).to.deep.equal([{ role: 'user', content: 'One\n\nTwo' }]);
  });

  it("a tool result's images go in a user message after the results (a tool message takes text only: OpenAI refuses an image there), each result's after its tool's name; the result keeps its text", () => {
    const [question, answer] = screenshot;
    const attached = [
      { type: 'text', text: 'Attached to the screenshot result (call_1):' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/shot.png', detail: 'high' } },
    ];
    const results = [
      { role: 'tool', tool_call_id: 'call_1', content: 'The page, 1280×720:' },
      { role: 'tool', tool_call_id: 'call_2', content: 'https://example.com/' },
    ];
    expect(build({ messages: screenshot }).body['messages']).to.deep.equal([question, answer, ...results, { role: 'user', content: attached }]);
    // Before the answer to them; with the question that follows them in one message.
    const { body } = build({ messages: [...screenshot, { role: 'assistant', content: 'A page.' }, { role: 'user', content: 'And now?' }] });
    expect((body['messages'] as ChatMessage[]).slice(4)).to.deep.equal([{ role: 'user', content: attached }, { role: 'assistant', content: 'A page.' }, { role: 'user', content: 'And now?' }]);
    const asked = build({ messages: [...screenshot, { role: 'user', content: 'And now?' }] }).body['messages'] as ChatMessage[];
    expect(asked.slice(4)).to.deep.equal([{ role: 'user', content: [...attached, { type: 'text', text: 'And now?' }] }]);
  });

  it("a question's file and audio go as they are (chat-completions' own shape); a tool result's file goes where its images go, after the results", () => {
    const question: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'Compare.' }, pdf, recording] };
    expect(build({ messages: [question] }).body['messages']).to.deep.equal([question]);
    expect((build({ messages: printed }).body['messages'] as ChatMessage[]).slice(2)).to.deep.equal([
      { role: 'tool', tool_call_id: 'call_1', content: 'The page, printed:' },
      { role: 'tool', tool_call_id: 'call_2', content: 'https://example.com/' },
      { role: 'user', content: [{ type: 'text', text: 'Attached to the screenshot result (call_1):' }, pdf] },
    ]);
  });

  it("a file's data without a name (in a question or a tool result) goes named `file`, as OpenAI wants one; the messages stay as the page set them", () => {
    const data = 'data:text/plain;base64,SGk=';
    const unnamed = { type: 'file', file: { file_data: data } } as const;
    const named = { type: 'file', file: { file_data: data, filename: 'file' } } as const;
    const uploaded = { type: 'file', file: { file_id: 'file-abc123' } } as const;
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'Read these.' }, unnamed, { type: 'file', file: { file_data: data, filename: '' } }, uploaded, pdf] },
      ...printed.slice(1, 2),
      { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'Printed:' }, unnamed] },
    ];
    const copy = structuredClone(messages);
    // Before: each went without a name, and OpenAI refused the request.
    const sent = build({ messages }).body['messages'] as ChatMessage[];
    expect(sent[0]!.content).to.deep.equal([{ type: 'text', text: 'Read these.' }, named, named, uploaded, pdf]);
    expect(sent.at(-1)!.content).to.deep.equal([{ type: 'text', text: 'Attached to the screenshot result (call_1):' }, named]);
    expect(messages).to.deep.equal(copy);
  });

  it("two results of one tool (two screenshots): each one's images after a line that names its call, not the same line twice", () => {
    const image = (n: number) => ({ type: 'image_url' as const, image_url: { url: `https://example.com/${n}.png` } });
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Compare the two pages.' },
      { role: 'assistant', content: null, tool_calls: ['call_a', 'call_b'].map((id) => ({ id, type: 'function' as const, function: { name: 'screenshot', arguments: '{}' } })) },
      { role: 'tool', tool_call_id: 'call_a', content: [{ type: 'text', text: 'First:' }, image(1)] },
      { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: 'Second:' }, image(2)] },
    ];
    expect((build({ messages }).body['messages'] as ChatMessage[]).at(-1)).to.deep.equal({
      role: 'user',
      content: [{ type: 'text', text: 'Attached to the screenshot result (call_a):' }, image(1), { type: 'text', text: 'Attached to the screenshot result (call_b):' }, image(2)],
    });
  });

  it('a result of images alone says so in its tool message, not an empty text (the images follow the results)', () => {
    const image = { type: 'image_url' as const, image_url: { url: 'https://example.com/1.png' } };
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Look.' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'screenshot', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_a', content: [image] },
    ];
    expect((build({ messages }).body['messages'] as ChatMessage[]).slice(2)).to.deep.equal([
      { role: 'tool', tool_call_id: 'call_a', content: '(attached after the tool results)' },
      { role: 'user', content: [{ type: 'text', text: 'Attached to the screenshot result (call_a):' }, image] },
    ]);
  });

  describe('Mistral: a question never right after tool results (400 "Unexpected role \'user\' after role \'tool\'")', () => {
    const bridge = { role: 'assistant', content: '[response interrupted]' };
    // (Call ids as Mistral gives them: 9 letters and digits.)
    const call = { id: 'Kx82mQpZa', type: 'function' as const, function: { name: 'search', arguments: '{}' } };
    /** A turn whose calls got `result` and no answer after it, then a new question. */
    const unanswered = (result: string): ChatMessage[] => [
      { role: 'user', content: 'Find it.' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: 'Kx82mQpZa', content: result },
      { role: 'user', content: 'Something else.' },
    ];
    const sent = (options: Partial<RequestOptions>) => build(options).body['messages'] as ChatMessage[];

    it('a turn stopped during its tools, then a new question: an answer goes between, for Mistral models by name and on its API', () => {
      const messages = unanswered('Error: stopped by the user before the tool returned a result.');
      const [question, calls, result, next] = messages;
      for (const model of ['mistral-large-latest', 'magistral-medium-2509', 'devstral-small-2507', 'codestral-latest', 'ministral-8b-latest', 'pixtral-large-latest', 'open-mixtral-8x22b', 'mistralai/Mistral-Small-3.2-24B-Instruct-2506']) {
        expect(sent({ model, messages }), model).to.deep.equal([question, calls, result, bridge, next]);
      }
      expect(sent({ endpoint: 'https://api.mistral.ai/v1/chat/completions', messages })).to.deep.equal([question, calls, result, bridge, next]);
      // Other providers take a question after the results, and some refuse a made-up answer.
      for (const model of ['gpt-4o', 'deepseek-chat', 'claude-sonnet-4-5', '']) expect(sent({ model, messages }), model).to.deep.equal(messages);
      expect(sent({ endpoint: 'https://australiaeast.models.ai.azure.com/chat/completions', model: 'Llama-3.3-70B', messages })).to.deep.equal(messages);
    });

    it('a turn cut at max-steps (its last calls answered, no answer after them), then a new question: an answer goes between', () => {
      const messages = unanswered('{"hits":3}');
      const [question, calls, result, next] = messages;
      expect(sent({ model: 'mistral-small-latest', messages })).to.deep.equal([question, calls, result, bridge, next]);
      // An answer that came empty is left out: the results are then right before the question too.
      const empty: ChatMessage[] = [...messages.slice(0, 3), { role: 'assistant', content: '' }, next!];
      expect(sent({ model: 'mistral-small-latest', messages: empty })).to.deep.equal([question, calls, result, bridge, next]);
      // A turn that went on to an answer, and a step that goes on from the results, are as they were.
      const answered: ChatMessage[] = [...messages.slice(0, 3), { role: 'assistant', content: 'Three.' }, next!];
      expect(sent({ model: 'mistral-small-latest', messages: answered })).to.deep.equal(answered);
      expect(sent({ model: 'mistral-small-latest', messages: messages.slice(0, 3) })).to.deep.equal(messages.slice(0, 3));
    });

    it("a tool result's images stay in its tool message (Mistral's takes image chunks), so no user message follows the results", () => {
      const shown = JSON.parse(JSON.stringify(screenshot).replaceAll('call_', 'callShot')) as ChatMessage[];
      const [question, answer, shot, url] = shown;
      expect(sent({ model: 'mistral-medium-latest', messages: shown })).to.deep.equal([question, answer, shot, url]);
      const asked = sent({ model: 'mistral-medium-latest', messages: [...shown, { role: 'user', content: 'And now?' }] });
      expect(asked).to.deep.equal([question, answer, shot, url, bridge, { role: 'user', content: 'And now?' }]);
    });

    it("files go as Mistral's parts: data or a web address as a `document_url` named by its `filename`, an uploaded file by its `file_id`", () => {
      // Mistral refuses OpenAI's file part (422); it reads a PDF from a `document_url` (a data URL
      // or a web address) and a file uploaded to it as `{type: "file", file_id}`.
      const data = 'data:application/pdf;base64,JVBERi0=';
      const messages: ChatMessage[] = [
        { role: 'user', content: [{ type: 'text', text: 'Read these.' }, { type: 'file', file: { file_data: data, filename: 'q3.pdf' } }, { type: 'file', file: { file_data: 'https://example.com/a.pdf' } }, { type: 'file', file: { file_id: '9f3c2a1e-1b2d' } }] },
      ];
      const copy = structuredClone(messages);
      expect(sent({ model: 'mistral-medium-latest', messages })[0]!.content).to.deep.equal([
        { type: 'text', text: 'Read these.' },
        { type: 'document_url', document_url: data, document_name: 'q3.pdf' },
        { type: 'document_url', document_url: 'https://example.com/a.pdf' },
        { type: 'file', file_id: '9f3c2a1e-1b2d' },
      ]);
      // In a tool result too (which stays in its tool message for Mistral).
      const printed: ChatMessage[] = [{ role: 'user', content: 'Print it.' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'Kx82mQpZa', content: [{ type: 'text', text: 'Printed:' }, { type: 'file', file: { file_data: data, filename: 'page.pdf' } }] }];
      expect(sent({ model: 'mistral-medium-latest', messages: printed })[2]!.content).to.deep.equal([{ type: 'text', text: 'Printed:' }, { type: 'document_url', document_url: data, document_name: 'page.pdf' }]);
      expect(messages).to.deep.equal(copy);
      // Others get OpenAI's part.
      expect(sent({ model: 'gpt-4o', messages })[0]!.content).to.deep.equal([...(copy[0]!.content as object[]).slice(0, 2), { type: 'file', file: { file_data: 'https://example.com/a.pdf', filename: 'file' } }, copy[0]!.content![3]]);
    });

    it('files to a Mistral model through a router (OpenRouter’s mistralai/…, which reads PDFs for any model) go as OpenAI’s part', () => {
      // OpenRouter takes only OpenAI's file part, and parses the PDF itself for a model without files.
      const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Read it.' }, { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'q3.pdf' } }] }];
      for (const model of ['mistralai/mistral-medium-3.1', 'mistralai/Mistral-Small-3.2-24B-Instruct-2506']) {
        expect(sent({ endpoint: 'https://openrouter.ai/api/v1/chat/completions', model, messages })[0]!.content, model).to.deep.equal(messages[0]!.content);
      }
    });

    it("call ids of another API (OpenAI's call_…, none, call_0 in every turn) go as Mistral's 9 letters and digits, each result with its call's; Mistral's own are kept", () => {
      // Mistral refuses any other: 400 "Tool call id was call_0 but must be a-z, A-Z, 0-9, with a length of 9."
      const messages = [...foreignToolIds, ...calledOnce('Four', 'call_DnLd8HnYq3kGOs6yYpVp0T2x', 'e'), ...calledOnce('Five', 'D681PevKs', 'f')];
      const wire = sent({ model: 'mistral-large-latest', messages });
      const calls = wire.flatMap((message) => message.tool_calls ?? []);
      expect(calls.map((each) => each.id).filter((id) => !/^[a-zA-Z0-9]{9}$/.test(id)), 'not as Mistral wants').to.deep.equal([]);
      expect(new Set(calls.map((each) => each.id)).size, 'unique').to.equal(6);
      expect(calls.at(-1)!.id).to.equal('D681PevKs');
      const nameOf = new Map(calls.map((each) => [each.id, each.function.name]));
      const pairs = wire.filter((message) => message.role === 'tool').map((message) => [nameOf.get(message.tool_call_id!), message.content]);
      expect(pairs).to.deep.equal(answeredByName('a', 'b', 'c', 'd', 'e', 'f'));
      // Other providers get the ids they gave.
      const others = sent({ model: 'gpt-4o', messages }).flatMap((message) => message.tool_calls ?? []);
      expect(others.slice(-2).map((each) => each.id)).to.deep.equal(['call_DnLd8HnYq3kGOs6yYpVp0T2x', 'D681PevKs']);
    });
  });

  it('calls that came without an id get one, and their results the same, in order: an empty id is refused', () => {
    const call = (name: string) => ({ id: '', type: 'function' as const, function: { name, arguments: '{}' } });
    const { body } = build({
      messages: [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: null, tool_calls: [call('a'), call('b')] },
        { role: 'tool', tool_call_id: '', content: 'A' },
        { role: 'tool', content: 'B' },
        { role: 'assistant', content: null, tool_calls: [call('c')] },
        { role: 'tool', tool_call_id: '', content: 'C' },
      ],
    });
    const sent = body['messages'] as ChatMessage[];
    const ids = [sent[1]!.tool_calls![0]!.id, sent[1]!.tool_calls![1]!.id, sent[4]!.tool_calls![0]!.id];
    expect(new Set(ids).size, ids.join()).to.equal(3);
    expect(ids.every((id) => /^call_\w+$/.test(id))).to.equal(true);
    expect([sent[2]!.tool_call_id, sent[3]!.tool_call_id, sent[5]!.tool_call_id]).to.deep.equal(ids);
    // Never an id a call has already.
    const mixed = build({ messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: null, tool_calls: [{ ...call('a'), id: 'call_0' }, call('b')] }] }).body['messages'] as ChatMessage[];
    expect(mixed[1]!.tool_calls!.map((each) => each.id)).to.deep.equal(['call_0', 'call_1']);
  });

  it('the messages passed in are not changed', () => {
    const messages: ChatMessage[] = [{ role: 'assistant', content: 'x', reasoning: 'r' }];
    build({ messages });
    expect(messages).to.deep.equal([{ role: 'assistant', content: 'x', reasoning: 'r' }]);
  });
});

/** A decoder, and what it made of each data line: a chunk (as JSON) or raw text such as `[DONE]`. */
function decodeEach(lines: ReadonlyArray<object | string>): { decoder: ProtocolDecoder; decoded: Decoded[] } {
  const decoder = openaiChat.createDecoder();
  const decoded = lines.map((line) => decoder.decode({ data: typeof line === 'string' ? line : JSON.stringify(line) }));
  return { decoder, decoded };
}

/** The StreamChatError that decoding this event throws. */
function decodeError(data: string, event?: string): StreamChatError {
  try {
    openaiChat.createDecoder().decode({ event, data });
  } catch (error) {
    expect(error).to.be.instanceOf(StreamChatError);
    return error as StreamChatError;
  }
  throw new Error('expected the decoder to throw');
}

const toolChunk = (calls: ToolCallDelta[]) => chunk({ tool_calls: calls });

describe('openaiChat decoder: chunks to deltas', () => {
  it("each chunk's content is a text delta, an empty one gives none, and the chunk is the raw event", () => {
    const chunks = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' })];
    const { decoded } = decodeEach(chunks);
    expect(decoded).to.deep.equal([
      { raw: chunks[0], deltas: [] },
      { raw: chunks[1], deltas: [{ type: 'text', text: 'Hel' }] },
      { raw: chunks[2], deltas: [{ type: 'text', text: 'lo' }] },
    ]);
    expect(accumulate(chunks).message).to.deep.equal({ role: 'assistant', content: 'Hello' });
  });

  it('content: null and a missing delta add nothing', () => {
    const builder = accumulate([
      chunk({ content: 'a' }),
      chunk({ content: null }),
      { choices: [{ index: 0, delta: null }] },
      { choices: [{ index: 0 }] },
      chunk({ content: 'b' }),
    ]);
    expect(builder.message.content).to.equal('ab');
  });

  it('reasoning_content deltas (DeepSeek) are reasoning, apart from the answer', () => {
    const chunks = [chunk({ reasoning_content: 'Think', content: null }), chunk({ reasoning_content: 'ing.' }), chunk({ reasoning_content: null, content: 'Answer' })];
    expect(decodeEach(chunks).decoded[0]?.deltas).to.deep.equal([{ type: 'reasoning', text: 'Think', field: 'reasoning_content' }]);
    // Also as it came, to go back in a turn that calls tools (DeepSeek, Kimi).
    expect(accumulate(chunks).message).to.deep.equal({ role: 'assistant', content: 'Answer', reasoning: 'Thinking.', reasoning_content: 'Thinking.' });
  });

  it('reasoning deltas (OpenRouter, Ollama) are reasoning, apart from the answer', () => {
    const { message } = accumulate([chunk({ reasoning: 'Step 1. ' }), chunk({ reasoning: 'Step 2.' }), chunk({ content: '42' })]);
    expect(message.reasoning).to.equal('Step 1. Step 2.');
    expect(message.content).to.equal('42');
  });

  it("an answer in audio (`modalities: [\"text\", \"audio\"]`: gpt-4o-audio-preview, gpt-audio) is its transcript, streamed or whole; the next turn sends it back as text", () => {
    // (Before, its content was null throughout: an empty answer, left out of the next request.)
    const streamed = accumulate([
      chunk({ role: 'assistant', content: null, refusal: null }),
      chunk({ audio: { id: 'audio_1', transcript: 'Hello' } }),
      chunk({ audio: { transcript: ' there.' } }),
      chunk({ audio: { data: 'UklGRg==' } }),
      chunk({ audio: { id: 'audio_1', expires_at: 1700003600 } }),
      chunk({}, { finishReason: 'stop' }),
    ]).message;
    expect(streamed).to.deep.equal({ role: 'assistant', content: 'Hello there.' });
    const completion = { choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, audio: { id: 'audio_2', expires_at: 1700003600, data: 'UklGRg==', transcript: 'Hello there.' } }, finish_reason: 'stop' }] };
    const whole = openaiChat.createDecoder().fromJson(completion).deltas;
    expect(whole.filter((delta) => delta.type === 'text')).to.deep.equal([{ type: 'text', text: 'Hello there.' }]);
    // As text, not `audio: {id}`, which the API keeps only until its `expires_at`: a conversation kept longer would be refused.
    expect(build({ messages: [{ role: 'user', content: 'Hi' }, streamed, { role: 'user', content: 'Again' }] }).body['messages']).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello there.' },
      { role: 'user', content: 'Again' },
    ]);
  });

  it('reasoning written into the content as <think>…</think> before the answer (DeepSeek-R1, QwQ, Qwen3 on a server that leaves it there) is reasoning', () => {
    const pieces = ['<think>', '\n', 'Okay', ', the user asks.\n', '</think>', '\n\n', 'The answer', '.'];
    // Before, the tags and the reasoning were the answer's first lines.
    expect(accumulate(pieces.map((content) => chunk({ content }))).message).to.deep.equal({ role: 'assistant', content: 'The answer.', reasoning: 'Okay, the user asks.\n', think: 'Okay, the user asks.\n' });
    // In one piece, and from a server that ignored `stream: true`.
    const whole = '<think>\nOkay.\n</think>\n\nThe answer.';
    expect(accumulate([chunk({ content: whole })]).message).to.deep.equal({ role: 'assistant', content: 'The answer.', reasoning: 'Okay.\n', think: 'Okay.\n' });
    const decoded = openaiChat.createDecoder().fromJson({ choices: [{ index: 0, message: { role: 'assistant', content: whole }, finish_reason: 'stop' }] });
    expect(decoded.deltas.filter((delta) => delta.type === 'text' || delta.type === 'reasoning')).to.deep.equal([
      { type: 'reasoning', text: 'Okay.\n', field: 'think' },
      { type: 'text', text: 'The answer.' },
    ]);
    // Qwen3 without thinking: an empty pair, then the answer.
    expect(accumulate(['<think>\n\n</think>\n\n', 'Hi'].map((content) => chunk({ content }))).message).to.deep.equal({ role: 'assistant', content: 'Hi' });
    // A reasoning that never ends (the answer stopped inside it) stays reasoning.
    expect(accumulate(['<think>', 'Hmm'].map((content) => chunk({ content }))).message).to.deep.equal({ role: 'assistant', content: '', reasoning: 'Hmm', think: 'Hmm' });
  });

  it('reasoning between <think> tags in the content is kept to go back there (MiniMax-M2), also where only </think> came; <thought> and <reasoning> are not', () => {
    const calling = accumulate([
      ...['<think>\n', 'Call f', '.\n</think>\n\n'].map((content) => chunk({ content })),
      toolChunk([{ index: 0, id: 'call_function_1', type: 'function', function: { name: 'f', arguments: '{}' } }]),
      chunk({}, { finishReason: 'tool_calls' }),
    ]);
    expect([calling.message.content, calling.message.reasoning, calling.message.think]).to.deep.equal(['', 'Call f.\n', 'Call f.\n']);
    // MiniMax-M2.7 and DeepSeek-R1's template: no <think>, a </think> of its own.
    const lone = accumulate(['Call f.\n', '</think>', '\n\nDone.'].map((content) => chunk({ content })));
    expect([lone.message.content, lone.message.reasoning, lone.message.think]).to.deep.equal(['Done.', 'Call f.\n', 'Call f.\n']);
    for (const tag of ['thought', 'reasoning']) {
      expect(accumulate([chunk({ content: `<${tag}>Hmm.</${tag}>Done.` })]).message, tag).to.not.have.property('think');
    }
  });

  it("<thought> (Gemini's thought summaries) and <reasoning> (gpt-oss on Bedrock, a block per piece) before the answer are reasoning too", () => {
    const thought = ['<thought>**Plan**\n\nCompare both.', '</thought>Use the second.'];
    expect(accumulate(thought.map((content) => chunk({ content }))).message).to.deep.equal({ role: 'assistant', content: 'Use the second.', reasoning: '**Plan**\n\nCompare both.' });
    // Blocks one after another, in one piece or many, whitespace between them left out.
    for (const pieces of [['<reasoning>One, </reasoning>', '<reasoning>two.</reasoning>', 'Answer.'], ['<reasoning>One, </reasoning>\n<reasoning>two.</reasoning>\n\nAnswer.']]) {
      expect(accumulate(pieces.map((content) => chunk({ content }))).message).to.deep.equal({ role: 'assistant', content: 'Answer.', reasoning: 'One, two.' });
    }
    // A block is closed by its own tag only; after the answer began, a tag is its text.
    expect(accumulate([chunk({ content: '<thought>a</think>b</thought>Answer <reasoning>x</reasoning>' })]).message).to.deep.equal({
      role: 'assistant',
      content: 'Answer <reasoning>x</reasoning>',
      reasoning: 'a</think>b',
    });
  });

  it("OpenRouter's reasoning details: fragments of a block (its type and index) add up, a field a fragment leaves null stays, blocks without an index stay apart", () => {
    const details = (...each: Array<{ type: string; [field: string]: unknown }>) => chunk({ reasoning_details: each });
    const { message } = accumulate([
      details({ type: 'reasoning.text', text: 'Ab', signature: null, index: 0 }),
      details({ type: 'reasoning.text', text: null, signature: 'SIG', index: 0 }),
      details({ type: 'reasoning.text', text: 'c', signature: null, index: 0 }),
      details({ type: 'reasoning.encrypted', data: 'AAA', id: 'c1' }, { type: 'reasoning.encrypted', data: 'BBB', id: 'c2' }),
    ]);
    expect(message.reasoning_details).to.deep.equal([
      { type: 'reasoning.text', text: 'Abc', signature: 'SIG', index: 0 },
      { type: 'reasoning.encrypted', data: 'AAA', id: 'c1' },
      { type: 'reasoning.encrypted', data: 'BBB', id: 'c2' },
    ]);
  });

  it('reasoning_details that is not a list (a string, an object) is none: the answer goes on', () => {
    // Before, a string or an object there threw (".filter is not a function"): the turn ended in an error.
    for (const odd of ['Think.', { type: 'reasoning.text', text: 'Think.' }]) {
      expect(accumulate([chunk({ reasoning_details: odd as never }), chunk({ content: 'Hi' })]).message, JSON.stringify(odd)).to.deep.equal({ role: 'assistant', content: 'Hi' });
    }
  });

  it('reasoning in either field, when the other is empty (reasoning_content: "" beside reasoning)', () => {
    expect(accumulate([chunk({ reasoning_content: '', reasoning: 'Think.' }), chunk({ content: 'Hi' })]).message).to.deep.equal({ role: 'assistant', content: 'Hi', reasoning: 'Think.' });
  });

  it('citations become sources: url_citation annotations (OpenAI search models, OpenRouter web search), Perplexity search results or citations', () => {
    const annotation = (url: string, title?: string) => ({ type: 'url_citation', url_citation: { url, title, start_index: 0, end_index: 3 } });
    const cited = accumulate([chunk({ content: 'Yes.' }), chunk({ annotations: [annotation('https://a.example/', 'A'), annotation('https://b.example/'), { type: 'file_citation' }, null] })]);
    expect(cited.message.sources).to.deep.equal([{ url: 'https://a.example/', title: 'A' }, { url: 'https://b.example/' }]);
    const searched = { ...chunk({ content: 'Yes[1].' }), search_results: [{ title: 'A', url: 'https://a.example/', date: null }, { url: 'https://b.example/' }], citations: ['https://a.example/', 'https://b.example/'] };
    expect(accumulate([searched, searched]).message.sources, 'on every chunk, listed once').to.deep.equal([{ url: 'https://a.example/', title: 'A' }, { url: 'https://b.example/' }]);
    expect(accumulate([{ ...chunk({ content: 'Yes[1].' }), citations: ['https://c.example/', 42] }]).message.sources).to.deep.equal([{ url: 'https://c.example/' }]);
  });

  it('search_info.search_results become sources: Tencent Hunyuan’s web search (with search_info: true in the body)', () => {
    const searched = { ...chunk({ content: '晴[1](@ref)。' }), search_info: { search_results: [{ index: 1, title: '天气预报', url: 'https://a.example/' }, { index: 2, url: 'https://b.example/' }] } };
    expect(accumulate([searched, searched]).message.sources, 'on every chunk, listed once').to.deep.equal([{ url: 'https://a.example/', title: '天气预报' }, { url: 'https://b.example/' }]);
  });

  it('<think> anywhere but at the start of the content, and a </think> after the answer began, are the answer’s text', () => {
    for (const pieces of [['Use ', '<think>', ' tags'], ['The tag <think>x</think> wraps', ' reasoning'], ['Hi', '</think>'], ['Close it with `', '</think>', '`.'], ['a <think>\n', 'b\n</think>\n']]) {
      expect(accumulate(pieces.map((content) => chunk({ content }))).message).to.deep.equal({ role: 'assistant', content: pieces.join('') });
    }
    // In a code block (an answer that shows such output) it is text; after one closed, in the reasoning, it ends it.
    const shown = ['The raw output:\n\n```\nOkay.\n', '</think>', '\n\nHi\n```\n'];
    expect(accumulate(shown.map((content) => chunk({ content }))).message).to.deep.equal({ role: 'assistant', content: shown.join('') });
    expect(accumulate(['Check:\n```js\nx\n```\n', '</think>', '\n\nAnswer'].map((content) => chunk({ content }))).message).to.deep.equal({
      role: 'assistant',
      content: 'Answer',
      reasoning: 'Check:\n```js\nx\n```\n',
      think: 'Check:\n```js\nx\n```\n',
    });
    // Not on a line of its own: in a sentence, or with the next piece still to say what follows.
    for (const pieces of [['Split the output on ', '</think>', '.'], ['Take the text after </think> and trim it.\n\nDone.']]) {
      expect(accumulate(pieces.map((content) => chunk({ content }))).message).to.deep.equal({ role: 'assistant', content: pieces.join('') });
    }
    // Reasoning that came apart (a field, reasoning_details, Mistral's thinking parts): a </think> in the content is text.
    expect(accumulate([chunk({ reasoning_content: 'Hmm.' }), chunk({ content: 'Hi\n</think>\n' })]).message).to.deep.equal({
      role: 'assistant',
      content: 'Hi\n</think>\n',
      reasoning: 'Hmm.',
      reasoning_content: 'Hmm.',
    });
    const thinking = { type: 'thinking', thinking: [{ type: 'text', text: 'Hmm.' }] };
    expect(accumulate([chunk({ content: [thinking] }), chunk({ content: 'Use\n</think>\nnow' })]).message).to.deep.equal({ role: 'assistant', content: 'Use\n</think>\nnow', reasoning: 'Hmm.' });
    const details = [{ type: 'reasoning.text', index: 0, text: 'Hmm.' }];
    expect(accumulate([chunk({ reasoning_details: details }), chunk({ content: 'Hi\n</think>\n' })]).message).to.deep.equal({
      role: 'assistant',
      content: 'Hi\n</think>\n',
      reasoning: 'Hmm.',
      reasoning_details: details,
    });
  });

  it('a </think> of its own whose <think> was in the prompt (DeepSeek-R1’s template) makes the text before it reasoning', () => {
    const pieces = ['Okay', ', a haiku.\n', '</think>', '\n\n', 'Maple', ' leaves.'];
    const { decoded } = decodeEach(pieces.map((content) => chunk({ content })));
    expect(decoded[2]?.deltas, 'the text so far moves').to.deep.equal([{ type: 'text-was-reasoning' }]);
    const reasoned = { role: 'assistant', content: 'Maple leaves.', reasoning: 'Okay, a haiku.\n', think: 'Okay, a haiku.\n' };
    expect(accumulate(pieces.map((content) => chunk({ content }))).message).to.deep.equal(reasoned);
    // In one piece, also from a server that ignored `stream: true`; and with no reasoning at all.
    expect(accumulate([chunk({ content: pieces.join('') })]).message).to.deep.equal(reasoned);
    const whole = openaiChat.createDecoder().fromJson({ choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: 'stop' }] });
    expect(whole.deltas.filter((delta) => delta.type !== 'finish')).to.deep.equal([{ type: 'text-was-reasoning' }, { type: 'reasoning', text: 'Okay, a haiku.\n', field: 'think' }, { type: 'text', text: 'Maple leaves.' }]);
    expect(accumulate(['</think>', '\n\nHi'].map((content) => chunk({ content }))).message).to.deep.equal({ role: 'assistant', content: 'Hi' });
  });

  it("content-part arrays (Mistral's reasoning models): thinking parts are reasoning, text parts and plain strings the answer", () => {
    const content = [{ type: 'thinking', thinking: [{ type: 'text', text: 'Add 300 and 91.' }] }, { type: 'text', text: '3' }, '91'];
    const { decoded } = decodeEach([chunk({ content })]);
    expect(decoded[0]?.deltas).to.deep.equal([
      { type: 'reasoning', text: 'Add 300 and 91.' },
      { type: 'text', text: '3' },
      { type: 'text', text: '91' },
    ]);
    expect(accumulate([chunk({ content })]).message).to.deep.equal({ role: 'assistant', content: '391', reasoning: 'Add 300 and 91.' });
  });

  it('refusal deltas collect into message.refusal', () => {
    const builder = accumulate([chunk({ refusal: "I can't " }), chunk({ refusal: 'help with that.' }), chunk({ refusal: null })]);
    expect(builder.message).to.deep.equal({ role: 'assistant', content: '', refusal: "I can't help with that." });
  });

  it('tool_calls fragments merge by index: id and name once, arguments concatenated', () => {
    const builder = accumulate([
      toolChunk([{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }]),
      toolChunk([{ index: 0, function: { arguments: '{"city":' } }]),
      toolChunk([{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }]),
      toolChunk([{ index: 0, function: { arguments: '"Paris"}' } }]),
      chunk({}, { finishReason: 'tool_calls' }),
    ]);
    expect(builder.message.tool_calls).to.deep.equal([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    expect(builder.finishReason).to.equal('tool_calls');
  });

  it('reasoning that came as reasoning_content is kept to go back there; reasoning that came as reasoning is not', () => {
    const thinking = (field: string) => [chunk({ [field]: 'Call ' } as ChunkDelta), chunk({ [field]: 'f.' } as ChunkDelta)];
    const calling = accumulate([...thinking('reasoning_content'), toolChunk([{ index: 0, id: 'call_0', type: 'function', function: { name: 'f', arguments: '{}' } }]), chunk({}, { finishReason: 'tool_calls' })]);
    expect([calling.message.reasoning, calling.message.reasoning_content]).to.deep.equal(['Call f.', 'Call f.']);
    const other = accumulate([...thinking('reasoning'), toolChunk([{ index: 0, id: 'call_0', type: 'function', function: { name: 'f', arguments: '{}' } }]), chunk({}, { finishReason: 'tool_calls' })]);
    expect(other.message.reasoning).to.equal('Call f.');
    expect(other.message).to.not.have.property('reasoning_content');
  });

  it("Claude's thinking blocks through LiteLLM: a block's pieces add up to it, its signature (a piece of its own) ends it, a redacted one is whole; the reasoning counts once", () => {
    // LiteLLM sends each thinking_delta as a block of that piece and the signature_delta as a block
    // with no thinking, beside reasoning_content with the same text.
    const piece = (thinking: string, signature = '') => chunk({ reasoning_content: thinking, thinking_blocks: [{ type: 'thinking', thinking, signature }] });
    const { message } = accumulate([
      chunk({ role: 'assistant', content: '', reasoning_content: 'Call ', thinking_blocks: [{ type: 'thinking', thinking: 'Call ', signature: '' }] }),
      piece('f.'),
      piece('', 'EqQBsig'),
      chunk({ thinking_blocks: [{ type: 'redacted_thinking', data: 'EmwKredacted' }] }),
      toolChunk([{ index: 0, id: 'toolu_01', type: 'function', function: { name: 'f', arguments: '{}' } }]),
      chunk({}, { finishReason: 'tool_calls' }),
    ]);
    expect(message.thinking_blocks).to.deep.equal([
      { type: 'thinking', thinking: 'Call f.', signature: 'EqQBsig' },
      { type: 'redacted_thinking', data: 'EmwKredacted' },
    ]);
    expect([message.reasoning, message.reasoning_content]).to.deep.equal(['Call f.', 'Call f.']);
    // A block whose signature never came (the answer was cut inside it) is none: the API would refuse it.
    expect(accumulate([piece('Hmm')]).message).to.not.have.property('thinking_blocks');
    // Blocks without text (redacted, or only a signature) still go back with reasoning_content, "".
    const bare = accumulate([chunk({ thinking_blocks: [{ type: 'redacted_thinking', data: 'EmwK' }] }), piece('', 'EqQBonly'), chunk({ content: 'Hi' })]);
    expect(bare.message).to.deep.equal({
      role: 'assistant',
      content: 'Hi',
      reasoning_content: '',
      thinking_blocks: [
        { type: 'redacted_thinking', data: 'EmwK' },
        { type: 'thinking', thinking: '', signature: 'EqQBonly' },
      ],
    });
    // A whole completion (a server that ignored stream: true) has them whole.
    const whole = openaiChat.createDecoder().fromJson({
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi', reasoning_content: 'Greet.', thinking_blocks: [{ type: 'thinking', thinking: 'Greet.', signature: 'EqQBhi' }] }, finish_reason: 'stop' }],
    });
    expect(whole.deltas.filter((delta) => delta.type === 'thinking-block')).to.deep.equal([
      { type: 'thinking-block', block: { type: 'thinking', thinking: 'Greet.', signature: 'EqQBhi' }, field: 'reasoning_content' },
    ]);
  });

  it('tool calls without index (Mistral) start at each new id and continue without one', () => {
    const builder = accumulate([
      toolChunk([{ id: 'abc123', function: { name: 'add', arguments: '{"a":' } }]),
      toolChunk([{ function: { arguments: '1}' } }]),
      toolChunk([{ id: 'def456', function: { name: 'mul', arguments: '{"b":2}' } }]),
      toolChunk([{ id: 'abc123', function: { arguments: '' } }]),
    ]);
    expect(builder.message.tool_calls).to.deep.equal([
      { id: 'abc123', type: 'function', function: { name: 'add', arguments: '{"a":1}' } },
      { id: 'def456', type: 'function', function: { name: 'mul', arguments: '{"b":2}' } },
    ]);
  });

  it('parallel calls that all come at index 0 (Ollama) are calls of their own, each continued at that index', () => {
    const builder = accumulate([
      toolChunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'write_file', arguments: '{"path":' } }]),
      toolChunk([{ index: 0, function: { arguments: '"a.py"}' } }]),
      toolChunk([{ index: 0, id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.py"}' } }]),
      toolChunk([{ index: 0, id: 'call_c', type: 'function', function: { name: 'read_file', arguments: '{"path":' } }]),
      toolChunk([{ index: 0, function: { arguments: '"c.py"}' } }]),
      // A provider that repeats the id and name on every fragment continues its call.
      toolChunk([{ index: 0, id: 'call_c', type: 'function', function: { name: 'read_file', arguments: '' } }]),
    ]);
    expect(builder.message.tool_calls).to.deep.equal([
      { id: 'call_a', type: 'function', function: { name: 'write_file', arguments: '{"path":"a.py"}' } },
      { id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.py"}' } },
      { id: 'call_c', type: 'function', function: { name: 'read_file', arguments: '{"path":"c.py"}' } },
    ]);
  });

  it('parallel calls of one id, or of none ("call_0" or "" for each), at one index or none, are calls of their own: a call that starts where one is whole', () => {
    const whole = (call: Partial<ToolCallDelta>, name: string, args: string) => toolChunk([{ ...call, type: 'function', function: { name, arguments: args } }]);
    const calls = (...at: Array<Partial<ToolCallDelta>>) =>
      accumulate([whole(at[0]!, 'f', '{"a":1}'), whole(at[1]!, 'g', '{"b":2}'), whole(at[1]!, 'g', '')]).message.tool_calls?.map((call) => [call.id, call.function.name, call.function.arguments]);
    // Before, one call: `fg` with `{"a":1}{"b":2}`, an unknown tool, and arguments that are not JSON.
    expect(calls({ id: 'call_0' }, { id: 'call_0' })).to.deep.equal([['call_0', 'f', '{"a":1}'], ['call_0', 'g', '{"b":2}']]);
    expect(calls({ id: '' }, { id: '' })).to.deep.equal([['', 'f', '{"a":1}'], ['', 'g', '{"b":2}']]);
    expect(calls({ index: 0, id: 'call_0' }, { index: 0, id: 'call_0' })).to.deep.equal([['call_0', 'f', '{"a":1}'], ['call_0', 'g', '{"b":2}']]);
    expect(calls({ index: 0, id: '' }, { index: 0 })).to.deep.equal([['', 'f', '{"a":1}'], ['', 'g', '{"b":2}']]);
  });

  it('a call of a server giving each parallel call "call_0", whose name comes with empty arguments before them, is a call of its own', () => {
    const calls = (at: Partial<ToolCallDelta>, next: Partial<ToolCallDelta>) =>
      accumulate([
        toolChunk([{ ...at, type: 'function', function: { name: 'f', arguments: '' } }]),
        toolChunk([{ ...next, function: { arguments: '{"a":1}' } }]),
        toolChunk([{ ...at, type: 'function', function: { name: 'g', arguments: '' } }]),
        toolChunk([{ ...next, function: { arguments: '{"b":2}' } }]),
      ]).message.tool_calls?.map((call) => [call.id, call.function.name, call.function.arguments]);
    expect(calls({ index: 0, id: 'call_0' }, { index: 0 })).to.deep.equal([['call_0', 'f', '{"a":1}'], ['call_0', 'g', '{"b":2}']]);
    expect(calls({ id: 'call_0' }, {})).to.deep.equal([['call_0', 'f', '{"a":1}'], ['call_0', 'g', '{"b":2}']]);
  });

  /**
   * `text` as one call's arguments a character a fragment, from a gateway that repeats the call's id
   * and name on every one: the arguments built, the characters JSON.parse read, the events' length.
   */
  const repeatedName = (text: string) => {
    const events = [...text].map((piece) => JSON.stringify(toolChunk([{ index: 0, id: 'call_1', type: 'function', function: { name: 'write', arguments: piece } }])));
    const decoder = openaiChat.createDecoder();
    const builder = new MessageBuilder();
    const parse = JSON.parse;
    let parsed = 0;
    JSON.parse = (json: string, reviver?: Parameters<typeof parse>[1]) => ((parsed += json.length), parse(json, reviver));
    try {
      for (const data of events) for (const delta of decoder.decode({ data }).deltas) builder.apply(delta);
    } finally {
      JSON.parse = parse;
    }
    return { args: builder.message.tool_calls?.map((call) => call.function.arguments), parsed, length: events.join('').length };
  };

  it('a long call whose gateway repeats its id and name on every fragment is read in linear time: no JSON.parse of its arguments per fragment', () => {
    const text = `{"code":"${'function f() { return {a: 1}; }\\n'.repeat(300)}"}`;
    const { args, parsed, length } = repeatedName(text);
    expect(args).to.deep.equal([text]);
    // The events themselves, and a few of the arguments: not each fragment's arguments so far (2 × 10⁷ characters).
    expect(parsed).to.be.below(length * 2);
  });

  it('a call whose string holds `}{` (LaTeX), from a gateway repeating its id and name on every fragment, is read in linear time too', () => {
    // (Each `}` fragment then `{` fragment parsed the arguments so far: 31 KB, 39 M characters.)
    const text = `{"path":"a.tex","content":"${'\\\\frac{a}{b} + \\\\binom{n}{k}\\\\n'.repeat(1000)}"}`;
    const { args, parsed, length } = repeatedName(text);
    expect(args).to.deep.equal([text]);
    expect(parsed).to.be.below(length * 2);
  });

  it('an id that changes on later fragments of one call (Poolside), or comes on every fragment, is the same call', () => {
    const changing = accumulate([
      toolChunk([{ index: 0, id: 'call_A', type: 'function', function: { name: 'get_weather', arguments: '' } }]),
      toolChunk([{ index: 0, id: 'call_B', function: { arguments: '{"city":' } }]),
      toolChunk([{ index: 0, id: 'call_C', function: { arguments: '"Rome"}' } }]),
    ]);
    expect(changing.message.tool_calls).to.deep.equal([{ id: 'call_C', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }]);
    // Two calls at their own indexes, and a later fragment of the first with its id again after the second's.
    const parallel = accumulate([
      toolChunk([{ index: 0, id: 'a', type: 'function', function: { name: 'one', arguments: '{"x":' } }]),
      toolChunk([{ index: 1, id: 'b', type: 'function', function: { name: 'two', arguments: '{}' } }]),
      toolChunk([{ index: 0, id: 'a', function: { arguments: '1}' } }]),
    ]);
    expect(parallel.message.tool_calls?.map((call) => [call.id, call.function.name, call.function.arguments])).to.deep.equal([
      ['a', 'one', '{"x":1}'],
      ['b', 'two', '{}'],
    ]);
  });

  it('whole tool calls in one chunk (Gemini, Ollama) are kept in order', () => {
    const builder = accumulate([
      toolChunk([
        { index: 0, id: 'a', type: 'function', function: { name: 'one', arguments: '{"x":1}' } },
        { index: 1, id: 'b', type: 'function', function: { name: 'two', arguments: '{"y":2}' } },
      ]),
    ]);
    expect(builder.message.tool_calls?.map((call) => [call.id, call.function.name, call.function.arguments])).to.deep.equal([
      ['a', 'one', '{"x":1}'],
      ['b', 'two', '{"y":2}'],
    ]);
  });

  it('reasoning that comes only in reasoning_details (MiniMax, Novita) is shown as reasoning too; beside reasoning (OpenRouter), not twice', () => {
    const detail = (text: string) => chunk({ reasoning_details: [{ type: 'reasoning.text', index: 0, text }] });
    expect(accumulate([detail('The user'), detail(' greets.'), chunk({ content: 'Hi!' })]).message.reasoning).to.equal('The user greets.');
    const both = chunk({ reasoning: 'Think.', reasoning_details: [{ type: 'reasoning.text', index: 0, text: 'Think.' }] });
    expect(accumulate([both]).message.reasoning).to.equal('Think.');
  });

  it('tool_calls sent as one object, not a list (older Hugging Face TGI), is a call', () => {
    const one = (call: ToolCallDelta) => chunk({ tool_calls: call as unknown as ToolCallDelta[] });
    const calls = [one({ index: 0, id: '', type: 'function', function: { name: 'get_weather', arguments: '' } }), one({ index: 0, function: { arguments: '{"city":"Oslo"}' } })];
    expect(accumulate(calls).message.tool_calls).to.deep.equal([{ id: '', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
    // Anything else there is no call.
    for (const junk of [{}, '', false, 0, 'x']) expect(accumulate([chunk({ content: 'hi', tool_calls: junk as unknown as ToolCallDelta[] })]).message.tool_calls, JSON.stringify(junk)).to.equal(undefined);
  });

  it('usage on the final chunk with the finish_reason is kept', () => {
    const usage = { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 };
    const builder = accumulate([chunk({ content: 'Hi' }), chunk({}, { finishReason: 'stop', usage })]);
    expect(builder.usage).to.deep.equal(usage);
    expect(builder.finishReason).to.equal('stop');
  });

  it('usage on a chunk with choices: [] (OpenAI stream_options) is kept', () => {
    const usage = { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11, prompt_tokens_details: { cached_tokens: 0 } };
    const builder = accumulate([chunk({ content: 'Hi' }), chunk({}, { finishReason: 'stop' }), { choices: [], usage }]);
    expect(builder.usage).to.deep.equal(usage);
    expect(builder.message.content).to.equal('Hi');
  });

  it('usage on a chunk with choices: null is kept', () => {
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    expect(accumulate([chunk({ content: 'Hi' }), { choices: null, usage }]).usage).to.deep.equal(usage);
  });

  it('usage only inside x_groq (Groq) is kept', () => {
    const usage = { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5, queue_time: 0.02 };
    const builder = accumulate([chunk({ content: 'Hi' }), { ...chunk({}, { finishReason: 'stop' }), x_groq: { id: 'req_1', usage } }]);
    expect(builder.usage).to.deep.equal(usage);
  });

  it('usage: null on later chunks does not erase the usage already seen', () => {
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    expect(accumulate([chunk({}, { usage }), chunk({ content: 'x' }, { usage: null })]).usage).to.deep.equal(usage);
  });

  it('a finish_reason is a finish delta and makes the response complete', () => {
    const { decoder } = decodeEach([chunk({ content: 'cut' })]);
    expect(decoder.complete).to.equal(false);
    expect(decoder.decode({ data: JSON.stringify(chunk({}, { finishReason: 'length' })) }).deltas).to.deep.equal([{ type: 'finish', reason: 'length' }]);
    // Mistral's, at the context window: the answer was cut as at max_tokens.
    expect(openaiChat.createDecoder().decode({ data: JSON.stringify(chunk({}, { finishReason: 'model_length' })) }).deltas).to.deep.equal([{ type: 'finish', reason: 'length' }]);
    // The model's end of text or a stop string, in other words: Together's `eos`, Hugging Face
    // TGI's `stop_sequence` (router/src/lib.rs, FinishReason::format; `eos_token` before its #2344).
    for (const reason of ['eos', 'eos_token', 'stop_sequence']) {
      expect(openaiChat.createDecoder().decode({ data: JSON.stringify(chunk({}, { finishReason: reason })) }).deltas, reason).to.deep.equal([{ type: 'finish', reason: 'stop' }]);
    }
    // Those alone: a reason that only looks like them may say the answer was cut, and goes on as it came.
    for (const reason of ['stop_sequence_limit', 'max_seq_len', 'eos_but_truncated']) {
      expect(openaiChat.createDecoder().decode({ data: JSON.stringify(chunk({}, { finishReason: reason })) }).deltas, reason).to.deep.equal([{ type: 'finish', reason }]);
    }
    expect(decoder.complete).to.equal(true);
    // One that is not text (a broken server's) is no reason: `finishReason` is a string or null, and
    // a stored conversation's empty mark keeps it (before, `5` and `{}` went on as they came).
    for (const reason of [5, {}, true]) {
      const other = openaiChat.createDecoder();
      expect(other.decode({ data: JSON.stringify(chunk({ content: 'x' }, { finishReason: reason as never })) }).deltas).to.deep.equal([{ type: 'text', text: 'x' }]);
      expect(other.complete).to.equal(true);
    }
  });

  it("Gemini's safety and recitation finishes (its enum's names, in either case) are the content filter's; MAX_TOKENS the length limit's", () => {
    // Gemini's FinishReason: SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII and IMAGE_SAFETY
    // stop a flagged answer; its OpenAI-compatible endpoint sends them as they are, or in lower case.
    const finish = (reason: string) => openaiChat.createDecoder().decode({ data: JSON.stringify(chunk({ content: 'Half an' }, { finishReason: reason })) }).deltas.at(-1);
    for (const reason of ['SAFETY', 'safety', 'RECITATION', 'recitation', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']) {
      expect(finish(reason), reason).to.deep.equal({ type: 'finish', reason: 'content_filter' });
    }
    expect(finish('MAX_TOKENS')).to.deep.equal({ type: 'finish', reason: 'length' });
    // (And its natural end: a gateway that passes the enum's names on sends STOP for every answer.)
    expect(finish('STOP')).to.deep.equal({ type: 'finish', reason: 'stop' });
    // Those that say neither go on as they came.
    for (const reason of ['OTHER', 'MALFORMED_FUNCTION_CALL', 'LANGUAGE']) expect(finish(reason), reason).to.deep.equal({ type: 'finish', reason });
  });

  it('only choice index 0 is the answer when n > 1 interleaves choices', () => {
    const { decoded } = decodeEach([chunk({ content: 'B1 ' }, { index: 1 })]);
    expect(decoded[0]?.deltas).to.deep.equal([]);
    const chunks = [
      chunk({ content: 'A1 ' }),
      chunk({ content: 'B1 ' }, { index: 1 }),
      chunk({ content: 'A2' }),
      chunk({ content: 'B2', tool_calls: [{ index: 0, id: 'x', function: { name: 'f', arguments: '' } }] }, { index: 1 }),
      chunk({}, { index: 1, finishReason: 'length' }),
    ];
    const builder = accumulate(chunks);
    expect(builder.message.content).to.equal('A1 A2');
    expect(builder.message.tool_calls).to.equal(undefined);
    expect(builder.finishReason).to.equal(null);
    expect(accumulate([...chunks, chunk({}, { finishReason: 'stop' })]).finishReason).to.equal('stop');
  });

  it('only the answer’s own finish_reason makes the response complete, not another choice’s (n > 1)', () => {
    // A body cut after choice 1 ended, choice 0 still streaming, is a cut answer, not a done one.
    const { decoder } = decodeEach([chunk({ content: 'A' }), chunk({}, { index: 1, finishReason: 'stop' })]);
    expect(decoder.complete).to.equal(false);
    decoder.decode({ data: JSON.stringify(chunk({}, { finishReason: 'stop' })) });
    expect(decoder.complete).to.equal(true);
  });

  it('a choice that says is_end: false (Baidu Qianfan, whose every chunk may say finish_reason "normal") is not the end: a body cut after it is a cut answer', () => {
    const qianfan = (end: boolean) => ({ choices: [{ index: 0, delta: { content: 'x' }, is_end: end, finish_reason: 'normal' }] });
    const { decoder, decoded } = decodeEach([qianfan(false)]);
    expect(decoder.complete).to.equal(false);
    // Nor its reason the answer's: one stopped part-way ended for none (found in review: 'stop').
    expect(decoded[0]!.deltas.filter((delta) => delta.type == 'finish')).to.deep.equal([]);
    expect(decoder.decode({ data: JSON.stringify(qianfan(true)) }).deltas).to.deep.include({ type: 'finish', reason: 'stop' });
    expect(decoder.complete).to.equal(true);
  });

  it('a choice without index counts as choice 0', () => {
    expect(accumulate([{ choices: [{ delta: { content: 'no index' } }] }]).message.content).to.equal('no index');
  });
});

describe('openaiChat decoder: the end and errors of a stream', () => {
  it('events of another API, none a chat-completion chunk (Workers AI\'s {"response": …}), make the stream foreign: a protocol error at its end (streamResponse), not an empty answer', () => {
    const decoder = openaiChat.createDecoder();
    decoder.decode({ data: '{"response":"Hello"}' });
    // (JSON of no protocol's shape says so only once the stream ended as chat-completions do: a
    // gateway's status before a cut is no sign of another API.)
    expect(decoder.foreign, 'before [DONE]').to.equal(false);
    decoder.decode({ data: '[DONE]' });
    expect(decoder.foreign).to.equal(true);
    // Another protocol's event says so at once.
    expect(decodeEach(['{"type":"message_start","message":{}}']).decoder.foreign).to.equal(true);
    // One chunk among them is enough; nothing at all before [DONE] is no error either.
    expect(decodeEach(['{"response":"x"}', chunk({ content: 'a' }), '[DONE]']).decoder.foreign).to.equal(false);
    expect(openaiChat.createDecoder().foreign).to.equal(false);
  });

  it('[DONE] ends the stream, and the events after it are ignored, even invalid ones', () => {
    const { decoded } = decodeEach([chunk({ content: 'a' }), '[DONE]', chunk({ content: 'late' }), 'not json', '{"error":{"message":"late"}}']);
    expect(decoded.slice(1)).to.deep.equal([{ deltas: [], done: true }, { deltas: [] }, { deltas: [] }, { deltas: [] }]);
  });

  it('a chunk does not end the stream: only [DONE] does', () => {
    expect(decodeEach([chunk({ content: 'a' }, { finishReason: 'stop' })]).decoded[0]?.done).to.equal(undefined);
  });

  it('a data line that is not JSON is a protocol error that quotes it', () => {
    const error = decodeError('{"choices": [');
    expect(error.kind).to.equal('protocol');
    expect(error.message).to.contain('{\\"choices\\": [');
  });

  it('JSON data that is not an object is a protocol error', () => {
    expect(decodeError('42').kind).to.equal('protocol');
    expect(decodeError('[{"choices":[]}]').kind).to.equal('protocol');
    expect(decodeError('null').kind).to.equal('protocol');
  });

  it('{"error":{…}} data is a provider error with the provider message and code', () => {
    const { decoded } = decodeEach(['{"error":{"message":"Rate limit reached for gpt-4o","type":"requests","code":"rate_limit_exceeded"}}']);
    const error = decoded[0]?.error as StreamChatError;
    expect(error).to.be.instanceOf(StreamChatError);
    expect(error.kind).to.equal('provider');
    expect(error.message).to.equal('Rate limit reached for gpt-4o');
    expect(error.code).to.equal('rate_limit_exceeded');
    expect(decoded[0]?.raw, 'an error object alone is no chunk').to.equal(undefined);
  });

  it('{"error":"…"} data is a provider error with that string', () => {
    const error = decodeEach(['{"error":"Upstream model overloaded"}']).decoded[0]?.error as StreamChatError;
    expect(error.kind).to.equal('provider');
    expect(error.message).to.equal('Upstream model overloaded');
  });

  it('a bare error object (older vLLM) is a provider error', () => {
    const error = decodeEach(['{"object":"error","message":"This model\'s maximum context length is 4096 tokens","code":400}']).decoded[0]?.error as StreamChatError;
    expect(error.kind).to.equal('provider');
    expect(error.message).to.equal("This model's maximum context length is 4096 tokens");
    expect(error.code).to.equal('400');
  });

  it('a chunk with text and an error (OpenRouter): the text is delivered, then the provider error', () => {
    const failing = { choices: [{ index: 0, delta: { content: 'half an ans' }, finish_reason: 'error', error: { message: 'Provider disconnected', code: 502 } }] };
    const { decoded } = decodeEach([failing]);
    expect(decoded[0]?.deltas).to.deep.equal([
      { type: 'text', text: 'half an ans' },
      { type: 'finish', reason: 'error' },
    ]);
    expect((decoded[0]?.error as StreamChatError).message).to.equal('Provider disconnected');
    expect((decoded[0]?.error as StreamChatError).kind).to.equal('provider');
    expect(decoded[0]?.raw, 'the chunk with its text is delivered').to.deep.equal(failing);
    const withoutError = decodeEach([{ choices: [{ index: 0, delta: {}, finish_reason: 'error' }] }]).decoded[0]?.error as StreamChatError;
    expect(withoutError.kind).to.equal('provider');
  });

  it("Zhipu's finish_reason network_error (its inference failed) is a provider error coded so, to be tried again before any text; a plain error finish has no code", () => {
    const error = decodeEach([{ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'network_error' }] }]).decoded[0]?.error as StreamChatError;
    expect([error.kind, error.code, error.message]).to.deep.equal(['provider', 'network_error', 'The provider ended the answer with an error (finish_reason "network_error").']);
    expect(decodeEach([{ choices: [{ index: 0, delta: {}, finish_reason: 'error' }] }]).decoded[0]?.error).to.not.have.property('code');
  });

  it("DeepSeek's finish_reason insufficient_system_resource (its inference ran out of resources) is a provider error coded so, the text kept", () => {
    const cut = { choices: [{ index: 0, delta: { content: 'Half an' }, finish_reason: 'insufficient_system_resource' }] };
    const { decoded } = decodeEach([cut]);
    expect(decoded[0]?.deltas[0]).to.deep.equal({ type: 'text', text: 'Half an' });
    const error = decoded[0]?.error as StreamChatError;
    expect([error?.kind, error?.code, error?.message]).to.deep.equal(['provider', 'insufficient_system_resource', 'The provider ended the answer with an error (finish_reason "insufficient_system_resource").']);
  });

  it("vLLM's finish_reason abort (the engine aborted the request: shut down, paused, scaled down) is a provider error, the text kept", () => {
    // vllm-project/vllm#57082: such a stream ends with "abort" and [DONE], as if it were complete.
    const { decoded } = decodeEach([chunk({ content: 'Half an' }), chunk({}, { finishReason: 'abort' })]);
    expect(decoded[0]?.deltas).to.deep.equal([{ type: 'text', text: 'Half an' }]);
    const error = decoded[1]?.error as StreamChatError;
    expect([error?.kind, error?.code, error?.message]).to.deep.equal(['provider', 'abort', 'The provider ended the answer with an error (finish_reason "abort").']);
  });

  it("a call of the legacy `functions` API (a body's `functions`: `delta.function_call`) is a provider error that says to use `tools`, the text before it kept", () => {
    const legacy = [
      chunk({ role: 'assistant', content: 'Let me look.' }),
      chunk({ function_call: { name: 'get_weather', arguments: '' } }),
      chunk({ function_call: { arguments: '{"city":"Oslo"}' } }),
      chunk({}, { finishReason: 'function_call' }),
    ];
    const { decoded } = decodeEach(legacy);
    expect(decoded[0]?.deltas).to.deep.equal([{ type: 'text', text: 'Let me look.' }]);
    const error = decoded[1]?.error as StreamChatError;
    const words = 'The model called a function of the legacy `functions` API, which is not supported: give the functions as `tools`.';
    expect([error?.kind, error?.code, error?.message]).to.deep.equal(['provider', 'function_call', words]);
    // A server that ignored `stream: true`: the whole answer, its text kept too.
    const completion = { choices: [{ index: 0, message: { role: 'assistant', content: 'Let me look.', function_call: { name: 'get_weather', arguments: '{}' } }, finish_reason: 'function_call' }] };
    const whole = openaiChat.createDecoder().fromJson(completion);
    expect([whole.deltas[0], (whole.error as StreamChatError | undefined)?.message]).to.deep.equal([{ type: 'text', text: 'Let me look.' }, words]);
    // Empty placeholders and a call beside its tool_calls are none.
    for (const function_call of [null, {}, { name: '', arguments: '' }]) expect(decodeEach([chunk({ content: 'Hi', function_call })]).decoded[0]?.error).to.equal(undefined);
    expect(decodeEach([chunk({ function_call: { name: 'f' }, tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{}' } }] })]).decoded[0]?.error).to.equal(undefined);
  });

  // Found in review of dddfffae: a server that sends `tool_calls: []` on every delta (and in its
  // JSON answer's message, as vLLM's schema has it) had its legacy call dropped as before, "Empty answer".
  it('a call of the legacy `functions` API beside an empty `tool_calls: []` is that error too, streamed or whole', () => {
    const words = 'The model called a function of the legacy `functions` API, which is not supported: give the functions as `tools`.';
    const streamed = decodeEach([chunk({ function_call: { name: 'get_weather', arguments: '' }, tool_calls: [] })]).decoded[0]?.error as StreamChatError | undefined;
    expect([streamed?.code, streamed?.message]).to.deep.equal(['function_call', words]);
    const completion = { choices: [{ index: 0, message: { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{}' }, tool_calls: [] }, finish_reason: 'function_call' }] };
    expect((openaiChat.createDecoder().fromJson(completion).error as StreamChatError | undefined)?.message).to.equal(words);
  });

  it("MiniMax's base_resp with status_code 0, on its last chunk, is no error (one of another status is: test/fixtures/providers)", () => {
    // (That chunk repeats the whole message, which is no delta.)
    const last = { choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hi' } }], object: 'chat.completion', base_resp: { status_code: 0, status_msg: '' } };
    expect(decodeEach([last]).decoded[0]).to.deep.equal({ raw: last, deltas: [{ type: 'finish', reason: 'stop' }] });
  });

  it('"error": null inside a chunk is not an error', () => {
    const { decoded } = decodeEach(['{"choices":[{"index":0,"delta":{"content":"x"}}],"error":null}']);
    expect(decoded[0]).to.deep.equal({ raw: { choices: [{ index: 0, delta: { content: 'x' } }], error: null }, deltas: [{ type: 'text', text: 'x' }] });
  });

  it('event: error with JSON data is a provider error with its message', () => {
    const error = decodeError('{"type":"error","message":"Overloaded"}', 'error');
    expect(error.kind).to.equal('provider');
    expect(error.message).to.equal('Overloaded');
  });

  it('event: error with plain-text data is a provider error with that text', () => {
    const error = decodeError('upstream connect error', 'error');
    expect(error.kind).to.equal('provider');
    expect(error.message).to.equal('upstream connect error');
  });
});

describe('openaiChat decoder: a whole JSON completion (a server that ignored stream: true)', () => {
  it('becomes one chunk with the whole message, finish reason and usage, and ends the stream', () => {
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'test-model',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'The whole answer at once.',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 6, total_tokens: 9 },
    };
    const decoded = openaiChat.createDecoder().fromJson(completion);
    expect(decoded.done).to.equal(true);
    expect(decoded.raw).to.deep.include({ id: 'chatcmpl-1', object: 'chat.completion.chunk' });
    const builder = new MessageBuilder();
    for (const delta of decoded.deltas) builder.apply(delta);
    expect(builder.message).to.deep.equal({
      role: 'assistant',
      content: 'The whole answer at once.',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }],
    });
    expect(builder.finishReason).to.equal('tool_calls');
    expect(builder.usage).to.deep.equal(completion.usage);
  });

  it('an error body is a provider error with its message, code and the request id', () => {
    const fromJson = () => openaiChat.createDecoder().fromJson({ error: { message: 'The model is overloaded', code: 'overloaded' }, request_id: 'req_7' });
    expect(fromJson).to.throw(StreamChatError, 'The model is overloaded').with.property('kind', 'provider');
    expect(fromJson).to.throw(StreamChatError).with.property('code', 'overloaded');
    expect(fromJson).to.throw(StreamChatError).with.property('requestId', 'req_7');
  });

  it("MiniMax's base_resp with a status_code other than 0 is a provider error with its status_msg", () => {
    const fromJson = () => openaiChat.createDecoder().fromJson({ base_resp: { status_code: 1004, status_msg: 'login fail' } });
    expect(fromJson).to.throw(StreamChatError, 'login fail').with.property('kind', 'provider');
    expect(fromJson).to.throw(StreamChatError).with.property('code', '1004');
  });

  it("Baidu Qianfan v1's {error_code, error_msg} is a provider error with its message, coded with the number as a string", () => {
    const fromJson = () => openaiChat.createDecoder().fromJson({ error_code: 110, error_msg: 'Access token invalid or no longer valid' });
    expect(fromJson).to.throw(StreamChatError, 'Access token invalid or no longer valid').with.property('kind', 'provider');
    expect(fromJson).to.throw(StreamChatError).with.property('code', '110');
  });

  it('JSON that is not a completion is a protocol error', () => {
    expect(() => openaiChat.createDecoder().fromJson({ data: [] }))
      .to.throw(StreamChatError)
      .with.property('kind', 'protocol');
  });
});
