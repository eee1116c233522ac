import { expect } from '@open-wc/testing';
import { Accumulator } from '../src/accumulator.js';
import type { ChatCompletionChunk, ToolCallDelta } from '../src/types.js';
import { chunk } from './helpers/server.js';

function accumulate(chunks: readonly ChatCompletionChunk[]): Accumulator {
  const acc = new Accumulator();
  for (const c of chunks) acc.push(c);
  return acc;
}

const toolChunk = (calls: ToolCallDelta[]) => chunk({ tool_calls: calls });

describe('Accumulator', () => {
  it('concatenates content deltas and returns what each chunk added', () => {
    const acc = new Accumulator();
    expect(acc.push(chunk({ role: 'assistant', content: '' }))).to.deep.equal({ content: '', reasoning: '' });
    expect(acc.push(chunk({ content: 'Hel' }))).to.deep.equal({ content: 'Hel', reasoning: '' });
    expect(acc.push(chunk({ content: 'lo' }))).to.deep.equal({ content: 'lo', reasoning: '' });
    expect(acc.content).to.equal('Hello');
    expect(acc.message).to.deep.equal({ role: 'assistant', content: 'Hello' });
  });

  it('a new accumulator holds an empty assistant message and no finish', () => {
    const acc = new Accumulator();
    expect(acc.message).to.deep.equal({ role: 'assistant', content: '' });
    expect(acc.finishReason).to.equal(null);
    expect(acc.finished).to.equal(false);
    expect(acc.usage).to.equal(undefined);
  });

  it('content: null and a missing delta add nothing', () => {
    const acc = accumulate([
      chunk({ content: 'a' }),
      chunk({ content: null }),
      { choices: [{ index: 0, delta: null }] },
      { choices: [{ index: 0 }] },
      chunk({ content: 'b' }),
    ]);
    expect(acc.content).to.equal('ab');
  });

  it('reasoning_content deltas (DeepSeek) collect apart from the answer', () => {
    const acc = new Accumulator();
    expect(acc.push(chunk({ reasoning_content: 'Think', content: null }))).to.deep.equal({ content: '', reasoning: 'Think' });
    acc.push(chunk({ reasoning_content: 'ing.' }));
    acc.push(chunk({ reasoning_content: null, content: 'Answer' }));
    expect(acc.message).to.deep.equal({ role: 'assistant', content: 'Answer', reasoning: 'Thinking.' });
  });

  it('reasoning deltas (OpenRouter, Ollama) collect apart from the answer', () => {
    const acc = accumulate([chunk({ reasoning: 'Step 1. ' }), chunk({ reasoning: 'Step 2.' }), chunk({ content: '42' })]);
    expect(acc.reasoning).to.equal('Step 1. Step 2.');
    expect(acc.content).to.equal('42');
  });

  it('refusal deltas collect into message.refusal', () => {
    const acc = accumulate([chunk({ refusal: "I can't " }), chunk({ refusal: 'help with that.' }), chunk({ refusal: null })]);
    expect(acc.message).to.deep.equal({ role: 'assistant', content: '', refusal: "I can't help with that." });
  });

  it('tool_calls fragments merge by index: id and name once, arguments concatenated', () => {
    const acc = accumulate([
      toolChunk([{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }]),
      toolChunk([{ index: 0, function: { arguments: '{"city":' } }]),
      toolChunk([{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }]),
      toolChunk([{ index: 0, function: { arguments: '"Paris"}' } }]),
      chunk({}, { finishReason: 'tool_calls' }),
    ]);
    expect(acc.message.tool_calls).to.deep.equal([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    expect(acc.finishReason).to.equal('tool_calls');
  });

  it('a name repeated on every fragment (some gateways) is kept once', () => {
    const acc = accumulate([
      toolChunk([{ index: 0, id: 'call_1', function: { name: 'search', arguments: '{"q":' } }]),
      toolChunk([{ index: 0, function: { name: 'search', arguments: '"x"}' } }]),
    ]);
    expect(acc.message.tool_calls?.[0]?.function).to.deep.equal({ name: 'search', arguments: '{"q":"x"}' });
  });

  it('tool calls without index (Mistral) start at each new id and continue without one', () => {
    const acc = accumulate([
      toolChunk([{ id: 'abc123', function: { name: 'add', arguments: '{"a":' } }]),
      toolChunk([{ function: { arguments: '1}' } }]),
      toolChunk([{ id: 'def456', function: { name: 'mul', arguments: '{"b":2}' } }]),
      toolChunk([{ id: 'abc123', function: { arguments: '' } }]),
    ]);
    expect(acc.message.tool_calls).to.deep.equal([
      { id: 'abc123', type: 'function', function: { name: 'add', arguments: '{"a":1}' } },
      { id: 'def456', type: 'function', function: { name: 'mul', arguments: '{"b":2}' } },
    ]);
  });

  it('a tool call at index 1 after text, with no index 0, is kept', () => {
    const acc = accumulate([
      chunk({ content: 'Let me check.' }),
      toolChunk([{ index: 1, id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '' } }]),
      toolChunk([{ index: 1, function: { arguments: '{"id":7}' } }]),
    ]);
    expect(acc.message).to.deep.equal({
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{"id":7}' } }],
    });
  });

  it('whole tool calls in one chunk (Gemini, Ollama) are kept in order', () => {
    const acc = accumulate([
      toolChunk([
        { index: 0, id: 'a', type: 'function', function: { name: 'one', arguments: '{"x":1}' } },
        { index: 1, id: 'b', type: 'function', function: { name: 'two', arguments: '{"y":2}' } },
      ]),
    ]);
    expect(acc.message.tool_calls?.map((call) => [call.id, call.function.name, call.function.arguments])).to.deep.equal([
      ['a', 'one', '{"x":1}'],
      ['b', 'two', '{"y":2}'],
    ]);
  });

  it('message returns copies: changing one does not change the next', () => {
    const acc = accumulate([toolChunk([{ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }])]);
    const first = acc.message;
    first.tool_calls![0]!.function.arguments = 'changed';
    expect(acc.message.tool_calls?.[0]?.function.arguments).to.equal('{}');
  });

  it('usage on the final chunk with the finish_reason is kept', () => {
    const usage = { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 };
    const acc = accumulate([chunk({ content: 'Hi' }), chunk({}, { finishReason: 'stop', usage })]);
    expect(acc.usage).to.deep.equal(usage);
    expect(acc.finishReason).to.equal('stop');
  });

  it('usage on a chunk with choices: [] (OpenAI stream_options) is kept', () => {
    const usage = { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11, prompt_tokens_details: { cached_tokens: 0 } };
    const acc = accumulate([chunk({ content: 'Hi' }), chunk({}, { finishReason: 'stop' }), { choices: [], usage }]);
    expect(acc.usage).to.deep.equal(usage);
    expect(acc.content).to.equal('Hi');
  });

  it('usage on a chunk with choices: null is kept', () => {
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    const acc = accumulate([chunk({ content: 'Hi' }), { choices: null, usage }]);
    expect(acc.usage).to.deep.equal(usage);
  });

  it('usage: null on later chunks does not erase the usage already seen', () => {
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    const acc = accumulate([chunk({}, { usage }), chunk({ content: 'x' }, { usage: null })]);
    expect(acc.usage).to.deep.equal(usage);
  });

  it('finish_reason sets finishReason and finished', () => {
    const acc = accumulate([chunk({ content: 'cut' }), chunk({}, { finishReason: 'length' })]);
    expect(acc.finishReason).to.equal('length');
    expect(acc.finished).to.equal(true);
  });

  it('only choice index 0 is rendered when n > 1 interleaves choices', () => {
    const acc = new Accumulator();
    acc.push(chunk({ content: 'A1 ' }));
    expect(acc.push(chunk({ content: 'B1 ' }, { index: 1 }))).to.deep.equal({ content: '', reasoning: '' });
    acc.push(chunk({ content: 'A2' }));
    acc.push(chunk({ content: 'B2', tool_calls: [{ index: 0, id: 'x', function: { name: 'f', arguments: '' } }] }, { index: 1 }));
    acc.push(chunk({}, { index: 1, finishReason: 'length' }));
    expect(acc.content).to.equal('A1 A2');
    expect(acc.message.tool_calls).to.equal(undefined);
    expect(acc.finishReason).to.equal(null);
    acc.push(chunk({}, { finishReason: 'stop' }));
    expect(acc.finishReason).to.equal('stop');
  });

  it('a finish_reason on another choice marks the response finished', () => {
    const acc = accumulate([chunk({ content: 'A' }), chunk({}, { index: 1, finishReason: 'stop' })]);
    expect(acc.finished).to.equal(true);
  });

  it('a choice without index counts as choice 0', () => {
    const acc = accumulate([{ choices: [{ delta: { content: 'no index' } }] }]);
    expect(acc.content).to.equal('no index');
  });
});
