/**
 * The Responses protocol alone: the request it builds, field by field, and what its decoder makes
 * of single events. Whole streams, cut anywhere and played by the real server, are in
 * protocols.test.ts.
 */
import { expect } from '@open-wc/testing';
import { StreamChatError } from '../src/core/errors.js';
import { MessageBuilder } from '../src/core/message-builder.js';
import type { RequestOptions } from '../src/core/protocol.js';
import { openaiResponses } from '../src/core/protocols/openai-responses.js';
import type { ChatMessage, Delta } from '../src/core/types.js';
import { answeredByName, calling, foreignToolIds, history, pdf, printed, recording, screenshot } from './helpers/history.js';
import { thrownBy } from './helpers/rejection.js';

function build(options: Partial<RequestOptions>) {
  const { url, init } = openaiResponses.buildRequest({ endpoint: '/api/responses', messages: [{ role: 'user', content: 'Hi' }], ...options });
  return { url, init, headers: init.headers as Record<string, string>, body: JSON.parse(init.body as string) as Record<string, unknown> };
}

describe('openaiResponses.buildRequest', () => {
  it('POSTs JSON to the endpoint as given, asking for an event stream, with the key as a Bearer token', () => {
    const { url, init, headers } = build({ key: 'sk-test' });
    expect(url).to.equal('/api/responses');
    expect(init.method).to.equal('POST');
    expect(headers).to.deep.equal({ 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: 'Bearer sk-test' });
    expect(build({}).headers).to.not.have.property('Authorization');
  });

  it('the body: model, input, instructions from the system prompt, stream, temperature, max_output_tokens, tools as Responses functions', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } } };
    const { body } = build({
      model: 'gpt-4.1',
      system: 'Be brief.',
      temperature: 0,
      maxTokens: 256,
      tools: [{ name: 'get_weather', description: 'Weather in a city', parameters, execute: () => 'sunny' }],
    });
    expect(body).to.deep.equal({
      model: 'gpt-4.1',
      input: [{ role: 'user', content: 'Hi' }],
      instructions: 'Be brief.',
      stream: true,
      temperature: 0,
      max_output_tokens: 256,
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather in a city', parameters, strict: false }],
    });
    // Without parameters, an empty object schema, as the API wants one.
    expect(build({ tools: [{ name: 'now' }] }).body['tools']).to.deep.equal([
      { type: 'function', name: 'now', parameters: { type: 'object', properties: {} }, strict: false },
    ]);
  });

  it('leaves out what is unset; headers and body given are applied last', () => {
    const { body, headers } = build({ model: '', system: '', temperature: null, maxTokens: Number.NaN, headers: { 'OpenAI-Beta': 'x', Accept: 'application/json' }, body: { reasoning: { summary: 'auto' }, stream: false } });
    expect(body).to.deep.equal({ input: [{ role: 'user', content: 'Hi' }], stream: false, reasoning: { summary: 'auto' } });
    expect(headers).to.deep.equal({ 'Content-Type': 'application/json', Accept: 'application/json', 'OpenAI-Beta': 'x' });
  });

  it("max-tokens below 16 asks for 16, the least the API takes (it refuses a request with fewer: \"integer below minimum value\"); 16 and more as set", () => {
    expect([1, 10, 15.5, 16, 256].map((maxTokens) => build({ maxTokens }).body['max_output_tokens'])).to.deep.equal([16, 16, 16, 16, 256]);
  });

  it('max-tokens of 0 or below goes as set, as chat-completions sends it: not an answer cut at 16 tokens', () => {
    // (Found in review of 326cac8: -1, which some servers read as no limit and the API refuses with
    // a 400 that says why, asked for 16, an answer cut short; 0 went as set.)
    expect([-1, -20, 0].map((maxTokens) => build({ maxTokens }).body['max_output_tokens'])).to.deep.equal([-1, -20, 0]);
  });

  it('tools in `body` (the API’s own web search) are added to the page’s, in every protocol: before, they replaced them', async () => {
    const { anthropic } = await import('../src/core/protocols/anthropic.js');
    const { openaiChat } = await import('../src/core/protocols/openai-chat.js');
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: {} } }];
    for (const [protocol, hosted] of [
      [openaiResponses, { type: 'web_search' }],
      [anthropic, { type: 'web_search_20250305', name: 'web_search' }],
      [openaiChat, { type: 'function', function: { name: 'page_run' } }],
    ] as const) {
      const request = protocol.buildRequest({ endpoint: '/x', messages: [{ role: 'user', content: 'Hi' }], tools, body: { tools: [hosted] } });
      const sent = (JSON.parse(request.init.body as string) as { tools: object[] }).tools;
      expect(sent.length, protocol.path).to.equal(2);
      expect(sent[1], protocol.path).to.deep.equal(hosted);
    }
    // Without the page's tools, or with tools in `body` that are not a list, `body` decides as before.
    expect(build({ body: { tools: [{ type: 'web_search' }] } }).body['tools']).to.deep.equal([{ type: 'web_search' }]);
    expect(build({ tools, body: { tools: null } }).body['tools']).to.equal(null);
    // One of a page's tools given again in `body` (strict, cached) is that tool, once, as `body` has it.
    const strict = { type: 'function', name: 'get_weather', strict: true, parameters: { type: 'object', properties: {} } };
    expect(build({ tools: [...tools, { name: 'now' }], body: { tools: [strict] } }).body['tools']).to.deep.equal([
      { type: 'function', name: 'now', parameters: { type: 'object', properties: {} }, strict: false },
      strict,
    ]);
    const chat = openaiChat.buildRequest({ endpoint: '/x', messages: [{ role: 'user', content: 'Hi' }], tools, body: { tools: [{ type: 'function', function: { name: 'get_weather', strict: true } }] } });
    expect((JSON.parse(chat.init.body as string) as { tools: object[] }).tools).to.deep.equal([{ type: 'function', function: { name: 'get_weather', strict: true } }]);
  });

  it('arguments that are not a JSON object (cut short, malformed, empty) are sent back as {}', () => {
    // vLLM's Responses endpoint parses them too, and refuses the request when one is not JSON.
    const call = (id: string, args: string) => ({ id, type: 'function' as const, function: { name: 'f', arguments: args } });
    const calls = [call('a', '{"city": "Par'), call('b', ''), call('c', 'null'), call('d', '{"city":"Paris"}')];
    const { body } = build({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: null, tool_calls: calls },
        ...calls.map(({ id }): ChatMessage => ({ role: 'tool', content: 'Error', tool_call_id: id })),
      ],
    });
    const items = (body['input'] as { type?: string; arguments?: string }[]).filter((item) => item.type === 'function_call');
    expect(items.map((item) => item.arguments)).to.deep.equal(['{}', '{}', '{}', '{"city":"Paris"}']);
  });

  it('call ids of another API (none, the same in every turn) are made unique; each output keeps its call', () => {
    // The API refuses a call_id given twice ("Duplicate function_call_output"), and an empty one.
    const { body } = build({ messages: foreignToolIds });
    type Item = { type?: string; call_id?: string; name?: string; output?: string };
    const items = body['input'] as Item[];
    const calls = items.filter((item) => item.type === 'function_call');
    expect(new Set(calls.map((item) => item.call_id)).size, 'unique').to.equal(4);
    expect(calls.every((item) => item.call_id), 'none empty').to.equal(true);
    const nameOf = new Map(calls.map((item) => [item.call_id, item.name]));
    const pairs = items.filter((item) => item.type === 'function_call_output').map((item) => [nameOf.get(item.call_id), item.output]);
    expect(pairs).to.deep.equal(answeredByName('a', 'b', 'c', 'd'));
  });

  it('a result after a question keeps the call_id its call went out with (one without an id, from another API)', () => {
    // Before, the question between them made the output go with its own call_id, "": refused.
    const { body } = build({ messages: [{ role: 'user', content: 'Q' }, calling('', 'f'), { role: 'user', content: 'Also this.' }, { role: 'tool', tool_call_id: '', content: 'ok' }] });
    const [, call, , output] = body['input'] as Array<{ call_id?: string }>;
    expect([call!.call_id, output!.call_id]).to.deep.equal(['call_0', 'call_0']);
  });

  it('a result after an answer with `tool_calls: []` keeps the call_id its call went out with, as after a question', () => {
    // Before, the empty list closed the call: its output went with its own call_id, "", refused.
    const { body } = build({ messages: [{ role: 'user', content: 'Q' }, calling('', 'f'), { role: 'assistant', content: 'x', tool_calls: [] }, { role: 'tool', tool_call_id: '', content: 'r' }] });
    const items = body['input'] as Array<{ type?: string; call_id?: string }>;
    expect(items.filter((item) => item.call_id !== undefined).map((item) => [item.type, item.call_id])).to.deep.equal([['function_call', 'call_0'], ['function_call_output', 'call_0']]);
  });

  it("maps a multi-turn history to input items: images, calls by call_id, results, a refusal; nothing displayed only, nor Claude's thinking blocks, is sent", () => {
    const { body } = build({ messages: history });
    expect(body['input']).to.deep.equal([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is in this photo, and the weather there?' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' },
          { type: 'input_image', image_url: 'https://example.com/kraków.jpg', detail: 'low' },
        ],
      },
      { type: 'message', role: 'assistant', content: 'The Wawel castle, in Kraków. Let me check the weather.' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Kraków"}' },
      { type: 'function_call', call_id: 'call_2', name: 'get_time', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temp":21}' },
      { type: 'function_call_output', call_id: 'call_2', output: '14:05' },
      { type: 'message', role: 'assistant', content: 'It is 21 °C at 14:05.' },
      { role: 'user', content: 'Write something hateful.' },
      { type: 'message', role: 'assistant', content: 'I can’t help with that.' },
      { role: 'user', content: 'Then the time in Oslo.' },
      { type: 'function_call', call_id: 'call_3', name: 'get_time', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_3', output: '15:05' },
    ]);
  });

  it("a tool result's images go in its function_call_output, as input_image items beside its input_text; one of text alone stays text", () => {
    const { body } = build({ messages: screenshot });
    expect((body['input'] as object[]).slice(3)).to.deep.equal([
      {
        type: 'function_call_output',
        call_id: 'call_1',
        output: [
          { type: 'input_text', text: 'The page, 1280×720:' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' },
          { type: 'input_image', image_url: 'https://example.com/shot.png', detail: 'high' },
        ],
      },
      { type: 'function_call_output', call_id: 'call_2', output: 'https://example.com/' },
    ]);
  });

  it('a file part goes as an input_file of one source: a data URL as file_data with its filename, an id of the Files API as file_id, a web address as file_url, the last two without a name', () => {
    const files = [
      pdf,
      { type: 'file', file: { file_id: 'file-abc123', filename: 'kept.pdf' } },
      { type: 'file', file: { file_data: 'https://example.com/paper.pdf', filename: 'paper.pdf' } },
      // Both an id and data: the id, as the Messages API takes it.
      { type: 'file', file: { file_id: 'file-def456', file_data: 'data:application/pdf;base64,JVBERi0xLjQK', filename: 'both.pdf' } },
      // No name: data goes with one, which the API wants.
      { type: 'file', file: { file_data: 'data:text/plain;base64,SGk=' } },
    ] as const;
    const { body } = build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Compare them.' }, ...files] }] });
    // Before: the API refused an input_file with a file_id or file_url and a filename ("Mutually
    // exclusive parameters"), one with both file_id and file_data, and file_data without a filename
    // ("Missing required parameter").
    expect(body['input']).to.deep.equal([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Compare them.' },
          { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0xLjQK', filename: 'report.pdf' },
          { type: 'input_file', file_id: 'file-abc123' },
          { type: 'input_file', file_url: 'https://example.com/paper.pdf' },
          { type: 'input_file', file_id: 'file-def456' },
          { type: 'input_file', file_data: 'data:text/plain;base64,SGk=', filename: 'file' },
        ],
      },
    ]);
  });

  it("a tool result's file goes in its function_call_output, as an input_file beside its input_text", () => {
    const { body } = build({ messages: printed });
    expect((body['input'] as object[])[3]).to.deep.equal({
      type: 'function_call_output',
      call_id: 'call_1',
      output: [
        { type: 'input_text', text: 'The page, printed:' },
        { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0xLjQK', filename: 'report.pdf' },
      ],
    });
  });

  it('audio, which the Responses API does not take, throws (one protocol error, no request) and names the part', () => {
    // Before: the part went as it is, and the API refused the request.
    const error = thrownBy(() => build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is said?' }, recording] }] })) as Error;
    expect(error.message).to.equal('the Responses API takes no audio (an input_audio part): ask with protocol "openai-chat", or without it.');
  });

  it("a tool result's audio (a page's) goes as a text that tells the model so, in its output: the request is built", () => {
    const heard: ChatMessage[] = [...printed.slice(0, 2), { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'Recorded:' }, recording] }];
    // Before, it threw, for this request and every later one of the conversation: the result stays in it.
    const { body } = build({ messages: heard });
    expect((body['input'] as object[]).at(-1)).to.deep.equal({
      type: 'function_call_output',
      call_id: 'call_1',
      output: [
        { type: 'input_text', text: 'Recorded:' },
        // Before, what a page's developer may do ("ask with protocol …"), which the model cannot.
        { type: 'input_text', text: '(the Responses API takes no audio (an input_audio part), so it was left out)' },
      ],
    });
  });

  it("an answer goes back with its phase, as OpenAI asks of GPT-5.4 and later (a question never has one)", () => {
    const call = { id: 'call_a', type: 'function' as const, function: { name: 'f', arguments: '{}' } };
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather?', phase: 'final_answer' },
      { role: 'assistant', content: 'Let me check.', phase: 'commentary', tool_calls: [call] },
      { role: 'tool', tool_call_id: 'call_a', content: 'sunny' },
      { role: 'assistant', content: 'Sunny.', phase: 'final_answer' },
      { role: 'user', content: 'Thanks' },
      { role: 'assistant', content: 'You are welcome.' },
    ];
    expect(build({ messages }).body['input']).to.deep.equal([
      { role: 'user', content: 'Weather?' },
      { type: 'message', role: 'assistant', content: 'Let me check.', phase: 'commentary' },
      { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_a', output: 'sunny' },
      { type: 'message', role: 'assistant', content: 'Sunny.', phase: 'final_answer' },
      { role: 'user', content: 'Thanks' },
      { type: 'message', role: 'assistant', content: 'You are welcome.' },
    ]);
  });

  it("a reasoning model's step of the turn under way has its encrypted reasoning items before its calls; an earlier turn's none", () => {
    const reasoning = { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Call f.' }], encrypted_content: 'gAAAA' };
    const step = (id: string, text = ''): ChatMessage => ({
      role: 'assistant',
      content: text,
      reasoning: 'Call f.',
      tool_calls: [{ id, type: 'function', function: { name: 'f', arguments: '{}' } }],
      reasoning_items: [reasoning],
    });
    const messages: ChatMessage[] = [
      { role: 'user', content: 'One' },
      step('call_a'),
      { role: 'tool', tool_call_id: 'call_a', content: '1' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'Two' },
      step('call_b', 'Let me see.'),
      { role: 'tool', tool_call_id: 'call_b', content: '2' },
      step('call_c'),
      { role: 'tool', tool_call_id: 'call_c', content: '3' },
    ];
    const copy = structuredClone(messages);
    expect(build({ messages }).body['input']).to.deep.equal([
      { role: 'user', content: 'One' },
      { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_a', output: '1' },
      { type: 'message', role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'Two' },
      reasoning,
      { type: 'message', role: 'assistant', content: 'Let me see.' },
      { type: 'function_call', call_id: 'call_b', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_b', output: '2' },
      reasoning,
      { type: 'function_call', call_id: 'call_c', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_c', output: '3' },
    ]);
    expect(messages).to.deep.equal(copy);
  });

  it("an answer with an outline of its response's items goes back item by item as they came: each message with its own phase, the calls between them", () => {
    const call = (id: string) => ({ id, type: 'function' as const, function: { name: 'f', arguments: '{}' } });
    const sent = (id: string) => ({ type: 'function_call', call_id: id, name: 'f', arguments: '{}' });
    const messages: ChatMessage[] = [
      { role: 'user', content: 'One' },
      {
        role: 'assistant',
        content: 'Searching.\n\nFound it.',
        phase: 'final_answer',
        output_items: [
          { type: 'message', length: 10, phase: 'commentary' },
          { type: 'message', length: 9, phase: 'final_answer' },
        ],
      },
      { role: 'user', content: 'Two' },
      {
        role: 'assistant',
        content: 'Oslo first.\n\nNow Lima.',
        phase: 'commentary',
        tool_calls: [call('call_a'), call('call_b')],
        output_items: [{ type: 'message', length: 11, phase: 'commentary' }, { type: 'function_call' }, { type: 'message', length: 9, phase: 'commentary' }, { type: 'function_call' }],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '1' },
      { role: 'tool', tool_call_id: 'call_b', content: '2' },
    ];
    const copy = structuredClone(messages);
    expect(build({ messages }).body['input']).to.deep.equal([
      { role: 'user', content: 'One' },
      { type: 'message', role: 'assistant', content: 'Searching.', phase: 'commentary' },
      { type: 'message', role: 'assistant', content: 'Found it.', phase: 'final_answer' },
      { role: 'user', content: 'Two' },
      { type: 'message', role: 'assistant', content: 'Oslo first.', phase: 'commentary' },
      sent('call_a'),
      { type: 'message', role: 'assistant', content: 'Now Lima.', phase: 'commentary' },
      sent('call_b'),
      { type: 'function_call_output', call_id: 'call_a', output: '1' },
      { type: 'function_call_output', call_id: 'call_b', output: '2' },
    ]);
    expect(messages).to.deep.equal(copy);
  });

  it('an outline that does not fit its answer (the text or calls changed since, or not an outline) is not used: the answer goes back as any other', () => {
    const calls = [{ id: 'call_a', type: 'function' as const, function: { name: 'f', arguments: '{}' } }];
    const outline = [{ type: 'message', length: 2, phase: 'commentary' }, { type: 'function_call' }, { type: 'message', length: 3, phase: 'final_answer' }];
    const plain = (content: string) => [
      { role: 'user', content: 'Hi' },
      { type: 'message', role: 'assistant', content, phase: 'final_answer' },
      { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' },
    ];
    const answer = (content: string, items: unknown, tool_calls = calls) => ({ role: 'assistant', content, phase: 'final_answer', tool_calls, output_items: items }) as unknown as ChatMessage;
    const input = (message: ChatMessage) => build({ messages: [{ role: 'user', content: 'Hi' }, message] }).body['input'];
    expect(input(answer('A.\n\nBc.', outline))).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { type: 'message', role: 'assistant', content: 'A.', phase: 'commentary' },
      { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' },
      { type: 'message', role: 'assistant', content: 'Bc.', phase: 'final_answer' },
    ]);
    for (const content of ['A.\n\nBcd.', 'A. Bc.', 'A.  Bc.', 'A.\n\nB']) expect(input(answer(content, outline)), content).to.deep.equal(plain(content));
    expect(input(answer('A.\n\nBc.', outline, [...calls, { ...calls[0]!, id: 'call_b' }])), 'a call more').to.deep.equal([...plain('A.\n\nBc.'), { type: 'function_call', call_id: 'call_b', name: 'f', arguments: '{}' }]);
    const junk = [null, 'items', [null], [{ type: 'message', length: '2' }, { type: 'function_call' }, { type: 'message', length: 3 }], [...outline, { type: 'web_search_call' }], [{ type: 'message', length: 0 }, ...outline]];
    for (const items of junk) expect(input(answer('A.\n\nBc.', items)), JSON.stringify(items)).to.deep.equal(plain('A.\n\nBc.'));
  });

  it("an outline whose messages' starts overlap or leave text out (a host's edit) is not used: the answer goes back as one message", () => {
    const calls = ['call_a', 'call_b'].map((id) => ({ id, type: 'function' as const, function: { name: 'f', arguments: '{}' } }));
    const f = { type: 'function_call' as const };
    const input = (output_items: ChatMessage['output_items']) =>
      build({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Oslo.\n\nLima.', phase: 'final_answer', tool_calls: calls, output_items }] }).body['input'];
    const plain = [
      { role: 'user', content: 'Hi' },
      { type: 'message', role: 'assistant', content: 'Oslo.\n\nLima.', phase: 'final_answer' },
      { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' },
      { type: 'function_call', call_id: 'call_b', name: 'f', arguments: '{}' },
    ];
    const outline = (first: number, at: number, second: number) => [{ type: 'message' as const, length: first, at: 0, phase: 'commentary' }, f, { type: 'message' as const, length: second, at, phase: 'final_answer' }, f];
    // Lengths that add up to the text's: before, 'Oslo.' went twice and 'Lima.' not at all; the
    // first's '.' and its blank line were left out, the second running past the text's end. A start
    // not after a blank line; 'Oslo.' twice beside 'Lima.'.
    const twice = [...outline(5, 0, 5), { type: 'message' as const, length: 5, at: 7 }];
    for (const items of [outline(5, 0, 5), outline(4, 7, 6), outline(5, 6, 5), twice]) expect(input(items), JSON.stringify(items)).to.deep.equal(plain);
    // A start far past the text's end: refused at once (before, a sparse array of a billion places
    // was read through, seconds of a frozen page).
    expect(input(outline(5, 1e9, 5))).to.deep.equal(plain);
  });

  it("a step's reasoning items that came between its calls go back there while the turn goes on; an earlier turn's not at all", () => {
    const call = (id: string) => ({ id, type: 'function' as const, function: { name: 'f', arguments: '{}' } });
    const sent = (id: string) => ({ type: 'function_call', call_id: id, name: 'f', arguments: '{}' });
    const [first, second] = ['gAAAA', 'gBBBB'].map((encrypted_content) => ({ type: 'reasoning', summary: [], encrypted_content }));
    const step = (content: string, ids: string[], output_items: ChatMessage['output_items']): ChatMessage => ({
      role: 'assistant',
      content,
      tool_calls: ids.map(call),
      reasoning_items: [first!, second!],
      output_items,
    });
    const [r, f] = [{ type: 'reasoning' as const }, { type: 'function_call' as const }];
    const messages: ChatMessage[] = [
      { role: 'user', content: 'One' },
      step('', ['call_a', 'call_b'], [r, f, r, f]),
      { role: 'tool', tool_call_id: 'call_a', content: '1' },
      { role: 'tool', tool_call_id: 'call_b', content: '2' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'Two' },
      { ...step('Let me check.', ['call_c', 'call_d'], [r, { type: 'message', length: 13, phase: 'commentary' }, f, r, f]), phase: 'commentary' },
      { role: 'tool', tool_call_id: 'call_c', content: '3' },
      { role: 'tool', tool_call_id: 'call_d', content: '4' },
    ];
    const copy = structuredClone(messages);
    expect(build({ messages }).body['input']).to.deep.equal([
      { role: 'user', content: 'One' },
      sent('call_a'),
      sent('call_b'),
      { type: 'function_call_output', call_id: 'call_a', output: '1' },
      { type: 'function_call_output', call_id: 'call_b', output: '2' },
      { type: 'message', role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'Two' },
      first,
      { type: 'message', role: 'assistant', content: 'Let me check.', phase: 'commentary' },
      sent('call_c'),
      second,
      sent('call_d'),
      { type: 'function_call_output', call_id: 'call_c', output: '3' },
      { type: 'function_call_output', call_id: 'call_d', output: '4' },
    ]);
    expect(messages).to.deep.equal(copy);
    // An outline whose places for reasoning do not match its reasoning items: those go first, as without one.
    for (const items of [[r, f, f], [f, f, r, r, r]]) {
      const input = build({ messages: [{ role: 'user', content: 'Hi' }, step('', ['call_a', 'call_b'], items)] }).body['input'];
      expect(input, JSON.stringify(items)).to.deep.equal([{ role: 'user', content: 'Hi' }, first, second, sent('call_a'), sent('call_b')]);
    }
  });

  it('reasoning items that are not a list of reasoning items, or on a question, are not sent', () => {
    const calls = [{ id: 'call_a', type: 'function' as const, function: { name: 'f', arguments: '{}' } }];
    const plain = [
      { role: 'user', content: 'Hi' },
      { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' },
    ];
    for (const items of [[{ type: 'message', role: 'assistant', content: 'x' }], [{ type: 'reasoning', encrypted_content: 'e' }, null], 'items', {}]) {
      const answer = { role: 'assistant', content: '', tool_calls: calls, reasoning_items: items } as unknown as ChatMessage;
      expect(build({ messages: [{ role: 'user', content: 'Hi' }, answer] }).body['input'], JSON.stringify(items)).to.deep.equal(plain);
    }
    const question = { role: 'user', content: 'Hi', reasoning_items: [{ type: 'reasoning', encrypted_content: 'e' }] } as ChatMessage;
    expect(build({ messages: [question] }).body['input']).to.deep.equal([{ role: 'user', content: 'Hi' }]);
  });

  it('a system message inside the conversation stays an input item of its own; the messages passed in are not changed', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hi' },
    ];
    const copy = structuredClone(messages);
    expect(build({ messages }).body['input']).to.deep.equal([
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(messages).to.deep.equal(copy);
  });
});

/** The deltas of each event, fed in order through one decoder. */
function decode(...events: object[]): Delta[] {
  const decoder = openaiResponses.createDecoder();
  return events.flatMap((event) => decoder.decode({ data: JSON.stringify(event) }).deltas);
}

function message(...events: object[]): MessageBuilder {
  const builder = new MessageBuilder();
  for (const delta of decode(...events)) builder.apply(delta);
  return builder;
}

const completed = (response: object = {}) => ({ type: 'response.completed', response: { status: 'completed', output: [], ...response } });

describe('openaiResponses decoder', () => {
  it('the finish reason: completed is stop, or tool_calls with a function call; incomplete says why; other statuses pass through', () => {
    const finish = (...events: object[]) => message(...events).finishReason;
    expect(finish(completed())).to.equal('stop');
    expect(finish(completed({ output: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }] }))).to.equal('tool_calls');
    expect(finish({ type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', call_id: 'c', name: 'f' } }, completed())).to.equal('tool_calls');
    const incomplete = (reason: string) => ({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason } } });
    expect(finish(incomplete('max_output_tokens'))).to.equal('length');
    expect(finish(incomplete('content_filter'))).to.equal('content_filter');
    expect(finish(incomplete('max_tool_calls'))).to.equal('max_tool_calls');
    expect(finish({ type: 'response.completed', response: { status: 'cancelled' } })).to.equal('cancelled');
    // Incomplete with no reason (vLLM's before vllm-project/vllm#24561, its one cause the length
    // limit): cut at the length limit, with its marker, not an answer that looks whole.
    expect(finish({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: null } })).to.equal('length');
    expect(finish({ type: 'response.incomplete', response: { status: 'incomplete' } })).to.equal('length');
    // A reason or status that is not text (a broken server's) is none: `finishReason` is a string or
    // null. An incomplete answer still says it was cut short; a status is then the event's.
    expect(finish({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 5 } } })).to.equal('length');
    expect(finish({ type: 'response.completed', response: { status: 7, output: [] } })).to.equal('stop');
    expect(finish({ type: 'response.incomplete', response: { status: {}, incomplete_details: { reason: true } } })).to.equal('length');
  });

  it('the terminal event ends the stream; what follows it, [DONE] included, is ignored', () => {
    const decoder = openaiResponses.createDecoder();
    expect(decoder.decode({ data: JSON.stringify(completed()) }).done).to.equal(true);
    expect(decoder.complete).to.equal(true);
    expect(decoder.decode({ data: '[DONE]' })).to.deep.equal({ deltas: [] });
    expect(decoder.decode({ data: JSON.stringify({ type: 'response.output_text.delta', output_index: 0, delta: 'late' }) })).to.deep.equal({ deltas: [] });
  });

  it('an error event, flat or nested, and response.failed are provider errors with the provider message and code', () => {
    const failure = (data: string, event?: string) => thrownBy(() => openaiResponses.createDecoder().decode({ data, event })) as StreamChatError;
    const flat = failure('{"type":"error","code":"rate_limit_exceeded","message":"Slow down.","param":null}', 'error');
    expect([flat.kind, flat.message, flat.code]).to.deep.equal(['provider', 'Slow down.', 'rate_limit_exceeded']);
    const nested = failure('{"type":"error","error":{"type":"server_error","code":"server_error","message":"Try again."}}');
    expect([nested.kind, nested.message, nested.code]).to.deep.equal(['provider', 'Try again.', 'server_error']);
    const failed = failure(JSON.stringify({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'Boom.' } } }));
    expect([failed.kind, failed.message, failed.code]).to.deep.equal(['provider', 'Boom.', 'server_error']);
    // A status that is not text is the event's: failed (before, the answer ended with finishReason 3).
    expect(failure(JSON.stringify({ type: 'response.failed', response: { status: 3, error: { message: 'Boom.' } } })).message).to.equal('Boom.');
    expect(failure('not json').kind).to.equal('protocol');
    // `code` is null when the error has none: no code, not the event's type.
    expect(failure('{"type":"error","code":null,"message":"boom","param":null}')).to.not.have.property('code');
  });

  it('an error event nested as the live API sends it: the code is its code, else its type (a busy service’s code is null)', () => {
    const failure = (error: object) => thrownBy(() => openaiResponses.createDecoder().decode({ data: JSON.stringify({ type: 'error', sequence_number: 2, error }) })) as StreamChatError;
    // openai/openai-dotnet#881, a rate limit mid-stream.
    expect(failure({ type: 'too_many_requests', code: 'too_many_requests', message: 'Too Many Requests', param: null }).code).to.equal('too_many_requests');
    // vercel/ai#20022, as OpenAI sent it.
    const busy = failure({ type: 'service_unavailable_error', code: null, message: 'Unable to verify model access right now. Please retry.', param: null });
    expect([busy.message, busy.code]).to.deep.equal(['Unable to verify model access right now. Please retry.', 'service_unavailable_error']);
  });

  it("a response.error event (OpenRouter's Responses API sends it beside response.failed and error), its error nested, is a provider error with its message and code", () => {
    const decoder = openaiResponses.createDecoder();
    expect(decoder.decode({ data: '{"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"Part"}' }).deltas).to.deep.equal([{ type: 'text', text: 'Part' }]);
    const error = thrownBy(() => decoder.decode({ data: '{"type":"response.error","sequence_number":3,"error":{"code":"server_error","message":"Provider returned error"}}' })) as StreamChatError;
    expect([error.kind, error.message, error.code]).to.deep.equal(['provider', 'Provider returned error', 'server_error']);
  });

  it('server tools: name and detail from the item, an MCP call by its tool name', () => {
    const item = (output_index: number, item: object) => ({ type: 'response.output_item.done', output_index, item });
    const { message: answer } = message(
      item(0, { type: 'file_search_call', queries: ['refund policy', 'returns'] }),
      item(1, { type: 'code_interpreter_call', code: 'import math\nprint(math.pi)' }),
      item(2, { type: 'mcp_call', name: 'search_issues', server_label: 'github' }),
      item(3, { type: 'web_search_call', action: { type: 'open_page', url: 'https://example.com' } }),
    );
    expect(answer.server_tools).to.deep.equal([
      { name: 'file_search', detail: 'refund policy, returns', at: 0 },
      { name: 'code_interpreter', detail: 'import math', at: 0 },
      { name: 'search_issues', detail: 'github', at: 0 },
      { name: 'web_search', detail: 'https://example.com', at: 0 },
    ]);
    expect(answer.tool_calls).to.equal(undefined);
  });

  it("a client-side call of another kind than a function (a custom tool's, the computer's, a shell's, apply_patch's) is a provider error that names it, the text before it kept; a hosted shell's, with its output, or one beside a function call is none", () => {
    const words = (type: string) => `The model called a tool by a \`${type}\` item, which is not supported: the page's \`tools\` run \`function\` tools only.`;
    const custom = { type: 'custom_tool_call', call_id: 'c1', name: 'run_sql', input: 'SELECT 1' };
    const streamed = openaiResponses.createDecoder();
    const decoded = [
      { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'Let me look.' },
      { type: 'response.output_item.added', output_index: 1, item: { ...custom, input: '' } },
      { type: 'response.custom_tool_call_input.delta', output_index: 1, item_id: 'ctc_1', delta: 'SELECT 1' },
      { type: 'response.custom_tool_call_input.done', output_index: 1, item_id: 'ctc_1', input: 'SELECT 1' },
      { type: 'response.output_item.done', output_index: 1, item: custom },
      // (Its terminal event without the call, as test/fixtures/protocols' has a shell call: the item done is it.)
      completed({ output: [{ type: 'message', content: [{ type: 'output_text', text: 'Let me look.' }] }] }),
    ].map((event) => streamed.decode({ data: JSON.stringify(event) }));
    expect(decoded.flatMap(({ deltas }) => deltas).filter((delta) => delta.type === 'text')).to.deep.equal([{ type: 'text', text: 'Let me look.' }]);
    const error = decoded.at(-1)?.error as StreamChatError | undefined;
    expect([error?.kind, error?.code, error?.message]).to.deep.equal(['provider', 'custom_tool_call', words('custom_tool_call')]);
    // Each kind, in a JSON answer (or a terminal event alone), its text kept.
    for (const type of ['computer_call', 'local_shell_call', 'shell_call', 'apply_patch_call']) {
      const whole = openaiResponses.createDecoder().fromJson({ status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: 'On it.' }] }, { type, call_id: 'c' }] });
      expect([whole.deltas[0], (whole.error as StreamChatError | undefined)?.code, whole.error?.message], type).to.deep.equal([{ type: 'text', text: 'On it.' }, type, words(type)]);
    }
    // A shell the provider ran (a hosted container: its output in the response) is no call for the page.
    const hosted = openaiResponses.createDecoder().fromJson({ status: 'completed', output: [{ type: 'shell_call', call_id: 's' }, { type: 'shell_call_output', call_id: 's' }, { type: 'message', content: [{ type: 'output_text', text: 'Done.' }] }] });
    expect([hosted.error, hosted.deltas.find((delta) => delta.type === 'finish')]).to.deep.equal([undefined, { type: 'finish', reason: 'stop' }]);
    // Beside a function call, the page runs that (as a legacy `functions` call beside tool_calls on chat-completions).
    const beside = openaiResponses.createDecoder().fromJson({ status: 'completed', output: [custom, { type: 'function_call', call_id: 'f', name: 'f', arguments: '{}' }] });
    expect([beside.error, beside.deltas.find((delta) => delta.type === 'finish')]).to.deep.equal([undefined, { type: 'finish', reason: 'tool_calls' }]);
  });

  // Found in review of 4bd8dba: xAI's Responses API runs its X search itself and streams it as a
  // `custom_tool_call` (x_keyword_search, x_semantic_search; no output item), then the answer.
  it("xAI's X search, a custom_tool_call it ran with the answer after it, is no error, streamed or whole", () => {
    const search = { type: 'custom_tool_call', id: 'ctc_1_xs_call_1', call_id: 'xs_call_1', name: 'x_keyword_search', input: '{"query":"GPT-5","limit":10}', status: 'completed' };
    const message = { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'On X, people say…', annotations: [] }] };
    const streamed = openaiResponses.createDecoder();
    const decoded = [
      { type: 'response.output_item.added', output_index: 0, item: { ...search, input: '', status: 'in_progress' } },
      { type: 'response.custom_tool_call_input.delta', output_index: 0, item_id: search.id, delta: search.input },
      { type: 'response.custom_tool_call_input.done', output_index: 0, item_id: search.id, input: search.input },
      { type: 'response.output_item.done', output_index: 0, item: search },
      { type: 'response.output_item.added', output_index: 1, item: { ...message, content: [] } },
      { type: 'response.output_text.delta', output_index: 1, content_index: 0, delta: 'On X, people say…' },
      { type: 'response.output_item.done', output_index: 1, item: message },
      completed({ output: [search, message] }),
    ].map((event) => streamed.decode({ data: JSON.stringify(event) }));
    expect([decoded.at(-1)?.error, decoded.at(-1)?.deltas.find((delta) => delta.type === 'finish')]).to.deep.equal([undefined, { type: 'finish', reason: 'stop' }]);
    const whole = openaiResponses.createDecoder().fromJson({ status: 'completed', output: [search, message] });
    expect([whole.error, whole.deltas.find((delta) => delta.type === 'finish')]).to.deep.equal([undefined, { type: 'finish', reason: 'stop' }]);
    // Cut short after its search, before the answer: the length's end, not a call nothing runs.
    const cut = openaiResponses.createDecoder().fromJson({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [search] });
    expect([cut.error, cut.deltas.find((delta) => delta.type === 'finish')]).to.deep.equal([undefined, { type: 'finish', reason: 'length' }]);
  });

  // An MCP server in `body.tools` without `require_approval: "never"` (OpenAI's default): the
  // response ends with its request for approval, which the page cannot give.
  it("an MCP tool's request for approval, none after it, is a provider error that names the server and tool, the text kept; one a message follows or a response cut short is none", () => {
    const words = 'The model called the `create_issue` tool of the MCP server `github`, asking for approval, which is not supported: set `require_approval: "never"` for that server in `body.tools` (the page cannot approve a call).';
    const tools = { type: 'mcp_list_tools', id: 'mcpl_1', server_label: 'github', tools: [{ name: 'create_issue', input_schema: { type: 'object' } }] };
    const approval = { type: 'mcp_approval_request', id: 'mcpr_1', server_label: 'github', name: 'create_issue', arguments: '{"title":"Bug"}' };
    const message = { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'I will file it.', annotations: [] }] };
    const streamed = openaiResponses.createDecoder();
    const decoded = [
      { type: 'response.output_item.added', output_index: 0, item: { ...tools, tools: [] } },
      { type: 'response.mcp_list_tools.completed', output_index: 0, item_id: tools.id },
      { type: 'response.output_item.done', output_index: 0, item: tools },
      { type: 'response.output_item.added', output_index: 1, item: { ...message, content: [] } },
      { type: 'response.output_text.delta', output_index: 1, content_index: 0, delta: 'I will file it.' },
      { type: 'response.output_item.done', output_index: 1, item: message },
      { type: 'response.output_item.added', output_index: 2, item: approval },
      { type: 'response.output_item.done', output_index: 2, item: approval },
      completed({ output: [tools, message, approval] }),
    ].map((event) => streamed.decode({ data: JSON.stringify(event) }));
    expect(decoded.flatMap(({ deltas }) => deltas).filter((delta) => delta.type === 'text')).to.deep.equal([{ type: 'text', text: 'I will file it.' }]);
    const error = decoded.at(-1)?.error as StreamChatError | undefined;
    expect([error?.kind, error?.code, error?.message]).to.deep.equal(['provider', 'mcp_approval_request', words]);
    const whole = openaiResponses.createDecoder().fromJson({ status: 'completed', output: [tools, approval] });
    expect([(whole.error as StreamChatError | undefined)?.code, whole.error?.message]).to.deep.equal(['mcp_approval_request', words]);
    const answered = openaiResponses.createDecoder().fromJson({ status: 'completed', output: [tools, approval, message] });
    expect([answered.error, answered.deltas.find((delta) => delta.type === 'finish')]).to.deep.equal([undefined, { type: 'finish', reason: 'stop' }]);
    const cut = openaiResponses.createDecoder().fromJson({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [tools, approval] });
    expect([cut.error, cut.deltas.find((delta) => delta.type === 'finish')]).to.deep.equal([undefined, { type: 'finish', reason: 'length' }]);
  });

  it("an MCP tool's request for approval without its name or server's label says no `undefined`", () => {
    const bare = openaiResponses.createDecoder().fromJson({ status: 'completed', output: [{ type: 'mcp_approval_request', id: 'mcpr_1', arguments: '{}' }] });
    expect((bare.error as StreamChatError | undefined)?.code).to.equal('mcp_approval_request');
    expect(bare.error?.message).not.to.include('undefined');
  });

  it('items that came only in the terminal event (a gateway that fakes a stream with response.completed alone) are the answer: its text, its calls, its server tools', () => {
    const output = [
      { type: 'web_search_call', action: { type: 'search', query: 'weather Oslo' } },
      { type: 'message', content: [{ type: 'output_text', text: 'Checking.', annotations: [{ type: 'url_citation', url: 'https://yr.no', title: 'Yr' }] }] },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
    ];
    const built = message({ type: 'response.created', response: { status: 'in_progress', output: [] } }, completed({ output }));
    // Before: an empty answer finished as tool_calls, with no call to run.
    expect([built.message.content, built.message.tool_calls, built.message.sources, built.message.server_tools?.length, built.finishReason]).to.deep.equal([
      'Checking.',
      [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
      [{ url: 'https://yr.no', title: 'Yr' }],
      1,
      'tool_calls',
    ]);
    // Items that streamed are not taken twice from it.
    const streamed = message(
      { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'Hi.' },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'message', content: [{ type: 'output_text', text: 'Hi.' }] } },
      completed({ output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hi.' }] }] }),
    );
    expect(streamed.message.content).to.equal('Hi.');
    // Nor a message whose text streamed and whose item's done event did not come.
    const delta = { type: 'response.output_text.delta', output_index: 1, content_index: 0, delta: 'Hi.' };
    expect(message(delta, completed({ output: [{ type: 'reasoning', summary: [] }, { type: 'message', content: [{ type: 'output_text', text: 'Hi.' }] }] })).message.content).to.equal('Hi.');
  });

  it('items of which some came through their own events and others only in the terminal event (a gateway that drops some) are each taken once: by output index, or, where another type is there, as the first left of its type', () => {
    const reasoning = { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Check the weather.' }] };
    const search = { type: 'web_search_call', action: { type: 'search', query: 'weather Oslo' } };
    const said = { type: 'message', content: [{ type: 'output_text', text: 'Checking.', annotations: [{ type: 'url_citation', url: 'https://yr.no', title: 'Yr' }] }] };
    const call = { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' };
    const done = (output_index: number, item: object | null) => ({ type: 'response.output_item.done', output_index, item });
    // The reasoning and the search whole in their `done` events, the message streamed, the call
    // (between them) only at the end: taken only when none came, the call was lost (finished as
    // tool_calls with none to run); taken again, the reasoning was said twice.
    const built = message(
      done(0, reasoning),
      done(2, search),
      { type: 'response.output_text.delta', output_index: 3, content_index: 0, delta: 'Checking.' },
      done(3, said),
      completed({ output: [reasoning, call, search, said] }),
    );
    const { message: answer } = built;
    expect([answer.reasoning, answer.content, answer.tool_calls, answer.sources, answer.server_tools?.length, built.finishReason]).to.deep.equal([
      'Check the weather.',
      'Checking.',
      [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
      [{ url: 'https://yr.no', title: 'Yr' }],
      1,
      'tool_calls',
    ]);
    // A `done` event without its item: the item is the terminal event's.
    expect(message(done(0, reasoning), done(1, null), completed({ output: [reasoning, call] })).message.tool_calls).to.deep.equal(answer.tool_calls);
  });

  it('a call whose arguments came only with its item’s start (output_item.added), and none after, keeps them', () => {
    const added = { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', call_id: 'c', name: 'f', arguments: '{"n":1}' } };
    const done = { type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', call_id: 'c', name: 'f', arguments: '' } };
    expect(message(added, done, completed()).message.tool_calls).to.deep.equal([{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"n":1}' } }]);
  });

  it('a call whose start (output_item.added) gives arguments that its deltas then give again has them once', () => {
    // llama-cpp-python's server (before its PR #2285) put the first fragment in the item it announced.
    const added = (start: string) => ({ type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', call_id: 'c', name: 'f', arguments: start } });
    const delta = (text: string) => ({ type: 'response.function_call_arguments.delta', output_index: 0, delta: text });
    const done = { type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', call_id: 'c', name: 'f', arguments: '{"n":1}' } };
    const args = (...events: object[]) => message(...events, completed()).message.tool_calls?.[0]?.function.arguments;
    expect(args(added('{"n"'), delta('{"n"'), delta(':1}'), done)).to.equal('{"n":1}');
    // Whole at its start, then in deltas, and no done after.
    expect(args(added('{"n":1}'), delta('{"n"'), delta(':1}'))).to.equal('{"n":1}');
    // Only at its start, and nothing of the call after: kept (as when its done is empty, above).
    expect(args(added('{"n":1}'))).to.equal('{"n":1}');
    // A start that is the arguments' beginning, and deltas that go on from it: both, in order.
    expect(args(added('{"n"'), delta(':1}'))).to.equal('{"n":1}');
  });

  it('a call whose deltas disagree with its whole arguments (a proxy dropped or doubled a delta) has the whole ones: of function_call_arguments.done, else of its item’s done', () => {
    const added = { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', call_id: 'c', name: 'f', arguments: '' } };
    const delta = (text: string) => ({ type: 'response.function_call_arguments.delta', output_index: 0, delta: text });
    const argumentsDone = { type: 'response.function_call_arguments.done', output_index: 0, arguments: '{"n":1}' };
    const itemDone = { type: 'response.output_item.done', output_index: 0, item: { ...added.item, arguments: '{"n":1}' } };
    const args = (...events: object[]) => message(added, ...events, completed()).message.tool_calls?.[0]?.function.arguments;
    // Before, the deltas won: `{"n"{"n":1}` (doubled) and `{"n"}` (dropped), not JSON, and the tool not run.
    expect(args(delta('{"n"'), delta('{"n"'), delta(':1}'), argumentsDone, itemDone)).to.equal('{"n":1}');
    expect(args(delta('{"n"'), delta('}'), itemDone)).to.equal('{"n":1}');
  });

  it("a call's start sent again after it is done (by output index, or by id without one) is the same call, not a second: only another item added where one is done goes after it", () => {
    const item = { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '' };
    const whole = { ...item, arguments: '{"n":1}', status: 'completed' };
    const events = (at: object) => [
      { type: 'response.output_item.added', ...at, item },
      { type: 'response.function_call_arguments.delta', ...at, item_id: 'fc_1', delta: '{"n":1}' },
      { type: 'response.output_item.done', ...at, item: whole },
      { type: 'response.output_item.added', ...at, item },
      { type: 'response.output_item.done', ...at, item: whole },
      completed({ output: [whole] }),
    ];
    const once = [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"n":1}' } }];
    // (Moved after the items done, as Ollama's next call at that index is, it was a second call of
    // the same id, run twice.)
    expect(message(...events({ output_index: 0 })).message.tool_calls).to.deep.equal(once);
    expect(message(...events({})).message.tool_calls, 'no output_index (llama.cpp)').to.deep.equal(once);
  });

  it("two calls given the same output index (Ollama's), their arguments' deltas told by item_id alone: each streams at its own call's index, the second's not at an index of none", () => {
    const call = (id: string, name: string, args = '') => ({ type: 'function_call', id, call_id: `call_${id}`, name, arguments: args });
    const events = ['a', 'b'].flatMap((id, n) => [
      { type: 'response.output_item.added', output_index: 0, item: call(id, 'fg'[n]!) },
      { type: 'response.function_call_arguments.delta', item_id: id, delta: `{"n":${n}}` },
      { type: 'response.output_item.done', output_index: 0, item: call(id, 'fg'[n]!, `{"n":${n}}`) },
    ]);
    const decoder = openaiResponses.createDecoder();
    const deltas = events.flatMap((event) => decoder.decode({ data: JSON.stringify(event) }).deltas);
    // Before, the second call's arguments went to index 2 (the item id's index, counted among the
    // indexes moved), a call of no name its card showed nothing of until the call was done.
    expect(deltas.flatMap((each) => (each.type === 'tool-call' && !each.name ? [each.index] : []))).to.deep.equal([0, 1]);
    expect(message(...events, completed()).message.tool_calls?.map((each) => [each.function.name, each.function.arguments])).to.deep.equal([
      ['f', '{"n":0}'],
      ['g', '{"n":1}'],
    ]);
  });

  it('a refusal sent only whole (response.refusal.done, its text in `refusal`) is the refusal', () => {
    const built = message(
      { type: 'response.content_part.added', output_index: 0, content_index: 0, part: { type: 'refusal', refusal: '' } },
      { type: 'response.refusal.done', output_index: 0, content_index: 0, refusal: 'I can’t help with that.' },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'message', content: [{ type: 'refusal', refusal: 'I can’t help with that.' }] } },
      completed(),
    );
    expect(built.message.refusal).to.equal('I can’t help with that.');
  });

  it('a function_call with empty arguments ("" when done, no deltas) is a call with arguments "{}", once', () => {
    const added = { type: 'response.output_item.added', output_index: 0, item: { id: 'fc_0', type: 'function_call', call_id: 'call_now', name: 'now', arguments: '' } };
    const argumentsDone = { type: 'response.function_call_arguments.done', item_id: 'fc_0', output_index: 0, arguments: '' };
    const itemDone = { type: 'response.output_item.done', output_index: 0, item: { ...added.item, status: 'completed' } };
    const call = [{ id: 'call_now', type: 'function', function: { name: 'now', arguments: '{}' } }];
    const both = message(added, argumentsDone, itemDone, completed());
    expect(both.message.tool_calls).to.deep.equal(call);
    expect(both.finishReason).to.equal('tool_calls');
    // A server that sends only the item when it is done.
    expect(message(added, itemDone, completed()).message.tool_calls).to.deep.equal(call);
  });

  it("two message items in one response (GPT-5's commentary, then its answer) are two paragraphs, streamed or whole", () => {
    const text = (output_index: number, delta: string) => ({ type: 'response.output_text.delta', output_index, content_index: 0, delta });
    const reasoning = { type: 'response.output_item.done', output_index: 1, item: { type: 'reasoning', summary: [] } };
    expect(message(text(0, 'Let me check '), text(0, 'the numbers.'), reasoning, text(2, 'The total '), text(2, 'is 42.'), completed()).message.content).to.equal('Let me check the numbers.\n\nThe total is 42.');
    const whole = (output_index: number, said: string) => ({ type: 'response.output_item.done', output_index, item: { type: 'message', content: [{ type: 'output_text', text: said }] } });
    expect(message(whole(0, 'Checking.'), whole(2, 'It is 42.'), completed()).message.content).to.equal('Checking.\n\nIt is 42.');
    expect(openaiResponses.createDecoder().fromJson({ status: 'completed', output: [whole(0, 'A.').item, whole(1, 'B.').item] }).deltas.filter((each) => each.type === 'text')).to.deep.equal([
      { type: 'text', text: 'A.' },
      { type: 'text', text: '\n\nB.' },
    ]);
  });

  it('reasoning_text parts are reasoning too, a new part after a blank line', () => {
    const delta = (content_index: number, text: string) => ({ type: 'response.reasoning_text.delta', output_index: 0, content_index, delta: text });
    expect(message(delta(0, 'First'), delta(0, ' part.'), delta(1, 'Second.')).message.reasoning).to.equal('First part.\n\nSecond.');
  });

  it("a message's phase (GPT-5.4's commentary or final_answer) is kept, the last message's when a response had more", () => {
    const said = (output_index: number, phase: string | undefined, text: string) => ({
      type: 'response.output_item.done',
      output_index,
      item: { type: 'message', role: 'assistant', status: 'completed', ...(phase && { phase }), content: [{ type: 'output_text', text, annotations: [] }] },
    });
    const call = { type: 'response.output_item.done', output_index: 1, item: { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' } };
    expect(message(said(0, 'commentary', 'Let me check.'), call, completed()).message).to.deep.include({ content: 'Let me check.', phase: 'commentary' });
    expect(message(said(0, 'commentary', 'Searching.'), said(2, 'final_answer', 'Found it.'), completed()).message).to.deep.include({ content: 'Searching.\n\nFound it.', phase: 'final_answer' });
    expect(message(said(0, undefined, 'Hi'), completed()).message.phase).to.equal(undefined);
    expect(openaiResponses.createDecoder().fromJson({ status: 'completed', output: [said(0, 'final_answer', 'Hi').item] }).deltas).to.deep.include({ type: 'phase', phase: 'final_answer' });
  });

  it("a reasoning model's step with calls keeps its reasoning items when they came encrypted, without their ids", () => {
    const reasoning = { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Call f.' }], encrypted_content: 'gAAAA' };
    const kept = { type: 'reasoning', summary: reasoning.summary, encrypted_content: 'gAAAA' };
    const call = { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_a', name: 'f', arguments: '{}' };
    const done = (output_index: number, item: object | null) => ({ type: 'response.output_item.done', output_index, item });
    const items = (...events: object[]) => message(...events).message.reasoning_items;
    expect(items(done(0, reasoning), done(1, call), completed())).to.deep.equal([kept]);
    // From the response's output when it has one, else from the items' `done` events; a JSON response likewise.
    expect(items(completed({ output: [reasoning, { ...reasoning, id: 'rs_2', encrypted_content: 'gBBBB' }, call] }))).to.deep.equal([kept, { ...kept, encrypted_content: 'gBBBB' }]);
    expect(openaiResponses.createDecoder().fromJson({ status: 'completed', output: [reasoning, call] }).deltas).to.deep.include({ type: 'reasoning-items', items: [kept] });
    // Not encrypted (the host did not ask for `reasoning.encrypted_content`), not all of them: none, also when stored (nothing is looked up by id).
    const plain = { id: 'rs_1', type: 'reasoning', summary: [] };
    expect(items(done(0, plain), done(1, call), completed({ store: true }))).to.equal(undefined);
    expect(items(done(0, reasoning), done(1, plain), done(2, call), completed())).to.equal(undefined);
    // Not a step with calls, or a response cut short.
    expect(items(done(0, reasoning), completed())).to.equal(undefined);
    const incomplete = { type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } };
    expect(items(done(0, reasoning), done(1, call), incomplete)).to.equal(undefined);
    expect(items(done(0, null), done(1, call), completed())).to.equal(undefined);
  });

  it("a response's items that one message before its calls cannot give back in order are outlined (each message's text length and phase, the calls), and go back as they came", () => {
    const said = (output_index: number, phase: string, text: string) => ({
      type: 'response.output_item.done',
      output_index,
      item: { id: `msg_${output_index}`, type: 'message', role: 'assistant', status: 'completed', phase, content: [{ type: 'output_text', text, annotations: [] }] },
    });
    const done = (output_index: number, item: object) => ({ type: 'response.output_item.done', output_index, item });
    const call = (output_index: number, call_id: string) => done(output_index, { id: `fc_${output_index}`, type: 'function_call', status: 'completed', call_id, name: 'f', arguments: '{}' });
    const search = done(1, { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'weather' } });
    // A preamble, the provider's search, the answer: streamed, or whole in a JSON response.
    const delta = (output_index: number, text: string) => ({ type: 'response.output_text.delta', output_index, content_index: 0, delta: text });
    const searched = message(delta(0, 'Search'), delta(0, 'ing.'), said(0, 'commentary', 'Searching.'), search, delta(2, 'Found it.'), said(2, 'final_answer', 'Found it.'), completed()).message;
    const messages = [{ type: 'message', length: 10, at: 0, phase: 'commentary' }, { type: 'message', length: 9, at: 12, phase: 'final_answer' }];
    expect(searched).to.deep.include({ content: 'Searching.\n\nFound it.', phase: 'final_answer', output_items: messages });
    const whole = openaiResponses.createDecoder().fromJson({ status: 'completed', output: [said(0, 'commentary', 'Searching.').item, search.item, said(2, 'final_answer', 'Found it.').item] });
    expect(whole.deltas).to.deep.include({ type: 'output-items', items: messages });
    const items = (...events: object[]) => message(...events).message.output_items;
    expect(items(call(0, 'call_a'), said(1, 'commentary', 'Next: '), call(2, 'call_b'), completed())).to.deep.equal([{ type: 'function_call' }, { type: 'message', length: 6, at: 0, phase: 'commentary' }, { type: 'function_call' }]);
    // One message before its calls goes back as it came without one.
    expect(items(said(0, 'commentary', 'Next: '), call(1, 'call_a'), call(2, 'call_b'), completed())).to.equal(undefined);
    expect(items(said(0, 'final_answer', 'Done.'), completed())).to.equal(undefined);

    const steps = message(said(0, 'commentary', 'Oslo first.'), call(1, 'call_a'), said(2, 'commentary', 'Now Lima.'), call(3, 'call_b'), completed()).message;
    expect(build({ messages: [{ role: 'user', content: 'Hi' }, searched, { role: 'user', content: 'Weather?' }, steps] }).body['input']).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { type: 'message', role: 'assistant', content: 'Searching.', phase: 'commentary' },
      { type: 'message', role: 'assistant', content: 'Found it.', phase: 'final_answer' },
      { role: 'user', content: 'Weather?' },
      { type: 'message', role: 'assistant', content: 'Oslo first.', phase: 'commentary' },
      { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' },
      { type: 'message', role: 'assistant', content: 'Now Lima.', phase: 'commentary' },
      { type: 'function_call', call_id: 'call_b', name: 'f', arguments: '{}' },
    ]);
  });

  it('a message that came only in the terminal event, before one that streamed, goes back in its place', () => {
    const done = (output_index: number, item: object) => ({ type: 'response.output_item.done', output_index, item });
    const said = (phase: string, text: string) => ({ type: 'message', role: 'assistant', status: 'completed', phase, content: [{ type: 'output_text', text, annotations: [] }] });
    const call = (call_id: string) => ({ type: 'function_call', status: 'completed', call_id, name: 'f', arguments: '{}' });
    const output = [said('commentary', 'Oslo first.'), call('call_a'), said('commentary', 'Now Lima.'), call('call_b')];
    // A gateway that dropped the first message's events: its text comes last.
    const step = message(done(1, output[1]!), { type: 'response.output_text.delta', output_index: 2, content_index: 0, delta: 'Now Lima.' }, done(2, output[2]!), done(3, output[3]!), completed({ output })).message;
    // On screen in the order it came (the streamed text is shown already); outlined where each starts.
    expect(step.content).to.equal('Now Lima.\n\nOslo first.');
    expect(step.output_items).to.deep.equal([
      { type: 'message', length: 11, at: 11, phase: 'commentary' },
      { type: 'function_call' },
      { type: 'message', length: 9, at: 0, phase: 'commentary' },
      { type: 'function_call' },
    ]);
    expect(build({ messages: [{ role: 'user', content: 'Weather?' }, step] }).body['input']).to.deep.equal([
      { role: 'user', content: 'Weather?' },
      { type: 'message', role: 'assistant', content: 'Oslo first.', phase: 'commentary' },
      { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' },
      { type: 'message', role: 'assistant', content: 'Now Lima.', phase: 'commentary' },
      { type: 'function_call', call_id: 'call_b', name: 'f', arguments: '{}' },
    ]);
    // Texts of one length: before, each went back with the other's phase.
    const same = [said('commentary', 'Oslo.'), call('call_a'), said('final_answer', 'Lima.'), call('call_b')];
    const swapped = message({ type: 'response.output_text.delta', output_index: 2, content_index: 0, delta: 'Lima.' }, done(2, same[2]!), completed({ output: same })).message;
    expect((build({ messages: [{ role: 'user', content: 'Weather?' }, swapped] }).body['input'] as object[]).filter((item) => 'role' in item && item.role === 'assistant')).to.deep.equal([
      { type: 'message', role: 'assistant', content: 'Oslo.', phase: 'commentary' },
      { type: 'message', role: 'assistant', content: 'Lima.', phase: 'final_answer' },
    ]);
  });

  it("a step's encrypted reasoning items between its calls are outlined in their places, and go back there", () => {
    const done = (output_index: number, item: object) => ({ type: 'response.output_item.done', output_index, item });
    const call = (output_index: number, call_id: string) => done(output_index, { id: `fc_${output_index}`, type: 'function_call', status: 'completed', call_id, name: 'f', arguments: '{}' });
    const reasoning = (output_index: number, encrypted_content?: string) => done(output_index, { id: `rs_${output_index}`, type: 'reasoning', summary: [], ...(encrypted_content && { encrypted_content }) });
    const said = done(1, { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', phase: 'commentary', content: [{ type: 'output_text', text: 'Next: ' }] });
    const items = (...events: object[]) => message(...events).message.output_items;
    const [r, f] = [{ type: 'reasoning' }, { type: 'function_call' }];
    expect(items(reasoning(0, 'gA'), call(1, 'call_a'), reasoning(2, 'gB'), call(3, 'call_b'), completed())).to.deep.equal([r, f, r, f]);
    // Reasoning before the calls (and a message before them) goes back as it came without one; reasoning not kept has no place.
    expect(items(reasoning(0, 'gA'), said, call(2, 'call_a'), call(3, 'call_b'), completed())).to.equal(undefined);
    expect(items(reasoning(0), call(1, 'call_a'), reasoning(2), call(3, 'call_b'), completed())).to.equal(undefined);

    const step = message(reasoning(0, 'gA'), said, call(2, 'call_a'), reasoning(3, 'gB'), call(4, 'call_b'), completed()).message;
    const [gA, gB] = step.reasoning_items!;
    expect(build({ messages: [{ role: 'user', content: 'Weather?' }, step] }).body['input']).to.deep.equal([
      { role: 'user', content: 'Weather?' },
      gA,
      { type: 'message', role: 'assistant', content: 'Next: ', phase: 'commentary' },
      { type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{}' },
      gB,
      { type: 'function_call', call_id: 'call_b', name: 'f', arguments: '{}' },
    ]);
  });

  it('a JSON body that is an error, or not a response, fails', () => {
    const fromJson = (payload: unknown) => () => openaiResponses.createDecoder().fromJson(payload);
    expect(fromJson({ error: { message: 'Bad key', code: 'invalid_api_key' } }))
      .to.throw(StreamChatError, 'Bad key')
      .with.property('kind', 'provider');
    expect(fromJson({ status: 'failed', output: [], error: { message: 'It failed.' } })).to.throw(StreamChatError, 'It failed.');
    expect(fromJson({ choices: [] })).to.throw(StreamChatError).with.property('kind', 'protocol');
    for (const junk of [null, 'text', 3, [{ output: [] }]]) expect(fromJson(junk)).to.throw(StreamChatError).with.property('kind', 'protocol');
  });
});
