import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { MessageBuilder, arrives } from '../src/core/message-builder.js';
import type { Delta } from '../src/core/types.js';
import { itWithCdp } from './helpers/cdp.js';

function build(deltas: readonly Delta[]): MessageBuilder {
  const builder = new MessageBuilder();
  for (const delta of deltas) builder.apply(delta);
  return builder;
}

describe('MessageBuilder', () => {
  it('a source title and a provider tool name that are not text are left out: a view renders them', () => {
    const builder = new MessageBuilder();
    builder.apply({ type: 'source', url: 'https://y.test/', title: { nodeType: 1 } as unknown as string });
    builder.apply({ type: 'server-tool', index: 0, name: { _$litType$: 1 } as unknown as string });
    expect(builder.message.sources).to.deep.equal([{ url: 'https://y.test/' }]);
    expect(builder.message.server_tools?.map((tool) => tool.name)).to.deep.equal(['']);
  });

  it('a new builder holds an empty assistant message, no finish, no usage, and nothing arrived', () => {
    const builder = new MessageBuilder();
    expect(builder.message).to.deep.equal({ role: 'assistant', content: '' });
    expect(builder.finishReason).to.equal(null);
    expect(builder.usage).to.equal(undefined);
    expect(builder.arrived).to.equal(false);
  });

  it('text concatenates into content; reasoning and refusal collect apart from it', () => {
    const builder = build([
      { type: 'reasoning', text: 'Think' },
      { type: 'reasoning', text: 'ing.' },
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'refusal', text: "I can't " },
      { type: 'refusal', text: 'say more.' },
    ]);
    expect(builder.message).to.deep.equal({ role: 'assistant', content: 'Hello', reasoning: 'Thinking.', refusal: "I can't say more." });
  });

  it('apply returns true only when the message changes shape: its first text, reasoning or refusal, a tool call\'s name (a call without one is not on the message)', () => {
    const builder = new MessageBuilder();
    const changes = (
      [
        { type: 'text', text: '' },
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
        { type: 'reasoning', text: 'r' },
        { type: 'reasoning', text: 's' },
        { type: 'refusal', text: 'no' },
        { type: 'refusal', text: '!' },
        { type: 'tool-call', index: 0, id: 'call_1' },
        { type: 'tool-call', index: 0, name: 'f' },
        { type: 'tool-call', index: 0, arguments: '{}' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { total_tokens: 1 } },
      ] satisfies Delta[]
    ).map((delta) => builder.apply(delta));
    expect(changes).to.deep.equal([false, true, false, true, false, true, false, false, true, false, false, false]);
  });

  it('thinking blocks are kept in order on the message as they came, apart from the reasoning shown; they change nothing on screen', () => {
    const builder = new MessageBuilder();
    const thought = { type: 'thinking', thinking: 'Weather first.', signature: 'EqQBsig' } as const;
    const redacted = { type: 'redacted_thinking', data: 'EmwKopaque' } as const;
    const changes = (
      [
        { type: 'reasoning', text: 'Weather first.' },
        { type: 'thinking-block', block: thought },
        { type: 'thinking-block', block: redacted },
        { type: 'tool-call', index: 2, id: 'toolu_1', name: 'get_weather', arguments: '{}' },
      ] satisfies Delta[]
    ).map((delta) => builder.apply(delta));
    expect(changes).to.deep.equal([true, false, false, true]);
    expect(builder.message.reasoning).to.equal('Weather first.');
    expect(builder.message.thinking_blocks).to.deep.equal([thought, redacted]);
  });

  it('a tool call name repeated on every fragment (some gateways) is kept once', () => {
    const builder = build([
      { type: 'tool-call', index: 0, id: 'call_1', name: 'search', arguments: '{"q":' },
      { type: 'tool-call', index: 0, name: 'search', arguments: '"x"}' },
    ]);
    expect(builder.message.tool_calls?.[0]?.function).to.deep.equal({ name: 'search', arguments: '{"q":"x"}' });
  });

  it('a tool call at index 1 after text, with no index 0, is kept', () => {
    const builder = build([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool-call', index: 1, id: 'call_9', name: 'lookup' },
      { type: 'tool-call', index: 1, arguments: '{"id":7}' },
    ]);
    expect(builder.message).to.deep.equal({
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{"id":7}' } }],
    });
  });

  it('tool calls are in index order, whatever order they started in', () => {
    const builder = build([
      { type: 'tool-call', index: 2, id: 'c', name: 'three' },
      { type: 'tool-call', index: 0, id: 'a', name: 'one' },
    ]);
    expect(builder.message.tool_calls?.map((call) => call.id)).to.deep.equal(['a', 'c']);
  });

  it('finish sets finishReason, and the last usage reported is kept', () => {
    const builder = build([
      { type: 'usage', usage: { total_tokens: 1 } },
      { type: 'finish', reason: 'length' },
      { type: 'usage', usage: { total_tokens: 2 } },
    ]);
    expect(builder.finishReason).to.equal('length');
    expect(builder.usage).to.deep.equal({ total_tokens: 2 });
  });

  it('the message is one live object, updated in place as deltas arrive', () => {
    const builder = new MessageBuilder();
    const { message } = builder;
    builder.apply({ type: 'text', text: 'Hi' });
    builder.apply({ type: 'tool-call', index: 0, id: 'call_1', name: 'f' });
    expect(builder.message).to.equal(message);
    expect(message.content).to.equal('Hi');
    expect(message.tool_calls).to.have.length(1);
  });
});

describe('arrives', () => {
  it('text, reasoning and refusal with text, and tool calls are part of the answer; empty text, a thinking block (its text came as reasoning), finish and usage are not', () => {
    const answer: Delta[] = [
      { type: 'text', text: 'a' },
      { type: 'reasoning', text: 'r' },
      { type: 'refusal', text: 'no' },
      { type: 'tool-call', index: 0 },
    ];
    const notAnswer: Delta[] = [
      { type: 'text', text: '' },
      { type: 'reasoning', text: '' },
      { type: 'refusal', text: '' },
      { type: 'thinking-block', block: { type: 'redacted_thinking', data: 'EmwK' } },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: {} },
    ];
    expect(answer.map(arrives)).to.deep.equal([true, true, true, true]);
    expect(notAnswer.map(arrives)).to.deep.equal([false, false, false, false, false, false]);
    expect(build(notAnswer).arrived).to.equal(false);
    expect(build([...notAnswer, { type: 'text', text: 'a' }]).arrived).to.equal(true);
  });
});

describe('MessageBuilder: memory', () => {
  itWithCdp('a long answer, its reasoning and a call’s arguments in short pieces are kept as about their length, not as their pieces', async function () {
    this.timeout(60_000);
    const heap = async () => (await executeServerCommand<{ usedSize: number }, undefined>('cdp-heap-usage')).usedSize;
    const before = await heap();
    const builder = new MessageBuilder();
    // 3 × 600 KB in 60,000 pieces each of 10 characters, each a string of its own as JSON.parse
    // gives a delta's: each piece added to the whole (a rope in V8) was kept, some 40 bytes
    // beside its 10 characters, until something read the whole.
    builder.apply({ type: 'tool-call', index: 0, name: 'write' });
    for (let i = 0; i < 60_000; i++) {
      const piece = `${i}`.padStart(9, '-') + ' ';
      builder.apply({ type: 'text', text: piece });
      builder.apply({ type: 'reasoning', text: piece.toUpperCase() });
      builder.apply({ type: 'tool-call', index: 0, arguments: piece.replace('-', '.') });
    }
    const kept = (await heap()) - before;
    const { content, reasoning, tool_calls } = builder.message;
    const length = content.length + reasoning!.length + tool_calls![0]!.function.arguments.length;
    expect(length).to.equal(1_800_000);
    expect(kept / length, `${(kept / 1e6).toFixed(2)} MB kept for ${length / 1e6} MB of text`).to.be.below(1.5);
    expect(content.slice(-20)).to.equal('----59998 ----59999 ');
  });
});
