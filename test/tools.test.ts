/**
 * The tool loop, headless: calls handed to `tool-call` listeners and to the tools' `execute`, their
 * results appended in call order, the next request going out by itself until an answer without
 * calls or `maxSteps`, waiting calls answered by `respond()`, and stop or send at every moment.
 * The network is a fake fetch and time a FakeClock (see helpers/conversation.ts); the element, its
 * cards and the real socket are in tools-element.test.ts.
 */
import { expect } from '@open-wc/testing';
import { Conversation, Status } from '../src/core/conversation.js';
import type { ChatMessage, Tool, ToolCallDetail, ToolCallDelta } from '../src/core/types.js';
import { answer, conversationFor, doneOf, endOf, errorOf, nextTask, runOut } from './helpers/conversation.js';
import { pdf, recording } from './helpers/history.js';
import { DONE, anthropicBlocks, chunkEvent, responsesReply, sse } from './helpers/server.js';
import { TestBody, fakeFetch, type FakeResponse } from './helpers/streaming.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

/** A response that calls tools: each call's id and name first, then its arguments in two pieces; finish_reason `tool_calls`. */
function calling(...calls: Array<{ id: string; name: string; args: string }>): string {
  const events = [chunkEvent({ role: 'assistant', content: null })];
  calls.forEach(({ id, name }, index) => events.push(chunkEvent({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] })));
  calls.forEach(({ args }, index) => {
    const half = Math.floor(args.length / 2);
    for (const piece of [args.slice(0, half), args.slice(half)]) events.push(chunkEvent({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(chunkEvent({}, { finishReason: 'tool_calls' }), DONE);
  return events.join('');
}

/** A response of raw tool-call deltas as a provider shaped them, then a finish_reason. */
function rawCalls(deltas: ToolCallDelta[][], finishReason = 'tool_calls'): string {
  return [...deltas.map((toolCalls) => chunkEvent({ tool_calls: toolCalls })), chunkEvent({}, { finishReason }), DONE].join('');
}

const weather: Tool<{ city: string }> = {
  name: 'weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  execute: ({ city }) => ({ city, sky: 'clear' }),
};

interface Body {
  messages: ChatMessage[];
  tools?: unknown;
}

function bodies(fetch: ReturnType<typeof fakeFetch>): Body[] {
  return fetch.requests.map(({ init }) => JSON.parse(init.body as string) as Body);
}

function setUp(responses: FakeResponse[], tools: Tool[], maxSteps?: number) {
  const fetch = fakeFetch(...responses);
  return conversationFor(fetch, maxSteps === undefined ? { tools } : { tools, maxSteps });
}

/** A promise the test settles, and whether `execute` saw its signal abort. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('Conversation: tools', () => {
  failOnUnhandledRejection();

  it('sends the tools in the OpenAI shape; body may set tool_choice and parallel_tool_calls', async () => {
    const fetch = fakeFetch({ body: answer('Hi') });
    const { conversation, clock, ends } = conversationFor(fetch, { tools: [weather], body: { tool_choice: 'auto', parallel_tool_calls: false } });
    await doneOf(conversation, conversation.send('Hello'), ends, clock);
    const [body] = bodies(fetch);
    expect(body).to.deep.include({
      tools: [{ type: 'function', function: { name: 'weather', description: 'The weather in a city', parameters: weather.parameters } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });
  });

  it('runs a call, appends its result, and asks again by itself: one done for the send, with both steps', async () => {
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'call_1', name: 'weather', args: '{"city":"Paris"}' }) }, { body: answer('Clear in Paris.') }], [weather]);
    const statuses: string[] = [];
    const chunks: string[] = [];
    conversation.addEventListener('change', () => statuses.push(conversation.status));
    conversation.addEventListener('chunk', (event) => chunks.push(event.detail.delta));
    const detail = await doneOf(conversation, conversation.send('Weather in Paris?'), ends, clock);

    expect(detail).to.deep.include({ content: 'Clear in Paris.', finishReason: 'stop', aborted: false });
    expect(detail.steps.map((step) => step.finishReason)).to.deep.equal(['tool_calls', 'stop']);
    const result = { role: 'tool', tool_call_id: 'call_1', content: '{"city":"Paris","sky":"clear"}' };
    expect(detail.steps[0]!.results).to.deep.equal([result]);
    expect(conversation.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool', 'assistant']);
    // The second request carries the assistant's calls (content null, as OpenAI sends it) and the result.
    const second = bodies(fetch)[1]!;
    expect(second.messages.slice(1)).to.deep.equal([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
      result,
    ]);
    expect(statuses).to.include.members([Status.streaming, Status.runningTools]);
    expect(statuses.indexOf(Status.runningTools)).to.be.greaterThan(statuses.indexOf(Status.streaming));
    expect(chunks.filter((text) => text !== '')).to.deep.equal(['Clear in Paris.']);
    expect(chunks.length, 'a chunk for every chunk of both steps').to.equal(5 + 3);
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!)).to.equal('done');
  });

  it("the next step sends back what the provider attached: Gemini 3's thought signature on the call, OpenRouter's reasoning details", async () => {
    const signature = { google: { thought_signature: 'CpUBAb4' } };
    const detail = (data: string) => ({ type: 'reasoning.encrypted', data, id: 'function-call-1', format: 'google-gemini-v1', index: 0 });
    const body = [
      chunkEvent({ role: 'assistant', reasoning: 'Look it up.', reasoning_details: [detail('CiQB')], tool_calls: [{ id: 'function-call-1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' }, extra_content: signature }] }),
      chunkEvent({ reasoning_details: [detail('jz1r')] }, { finishReason: 'tool_calls' }),
      DONE,
    ].join('');
    const { conversation, fetch, clock, ends } = setUp([{ body }, { body: answer('Clear in Oslo.') }], [weather]);
    await doneOf(conversation, conversation.send('Weather in Oslo?'), ends, clock);
    expect(bodies(fetch)[1]!.messages[1]).to.deep.equal({
      role: 'assistant',
      content: null,
      reasoning_details: [detail('CiQBjz1r')],
      tool_calls: [{ id: 'function-call-1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' }, extra_content: signature }],
    });
  });

  it('dispatches tool-call with the parsed arguments before execute runs, which gets the signal and the call', async () => {
    const seen: string[] = [];
    const tool: Tool = {
      name: 'weather',
      execute(args, { signal, call }) {
        seen.push(`execute ${JSON.stringify(args)} ${call.id} ${signal.aborted}`);
        return 'sunny';
      },
    };
    const { conversation, clock, ends } = setUp([{ body: calling({ id: 'c1', name: 'weather', args: '{"city":"Oslo"}' }) }, { body: answer('ok') }], [tool]);
    conversation.addEventListener('tool-call', (event) => {
      seen.push(`event ${JSON.stringify(event.detail.args)} ${event.detail.call.id} ${'error' in event.detail} ${conversation.status}`);
    });
    await doneOf(conversation, conversation.send('?'), ends, clock);
    expect(seen).to.deep.equal(['event {"city":"Oslo"} c1 false running-tools', 'execute {"city":"Oslo"} c1 false']);
    expect(conversation.messages[2]).to.deep.equal({ role: 'tool', tool_call_id: 'c1', content: 'sunny' });
  });

  it('runs parallel calls concurrently and appends their results in call order, whatever order they finish in', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const started: string[] = [];
    const tool: Tool<{ n: number }> = {
      name: 'slow',
      execute: ({ n }) => {
        started.push(`n${n}`);
        return n === 1 ? first.promise : second.promise;
      },
    };
    const { conversation, fetch, clock, ends } = setUp(
      [{ body: calling({ id: 'a', name: 'slow', args: '{"n":1}' }, { id: 'b', name: 'slow', args: '{"n":2}' }) }, { body: answer('both') }],
      [tool],
    );
    const sent = conversation.send('go');
    await runOut(clock);
    expect(started, 'both started before either finished').to.deep.equal(['n1', 'n2']);
    expect(conversation.status).to.equal(Status.runningTools);
    second.resolve('two');
    await nextTask();
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![1]!)).to.equal('done');
    expect(conversation.toolResult(conversation.messages[1]!.tool_calls![1]!)?.content).to.equal('two');
    expect(fetch.requests, 'no request before every result').to.have.length(1);
    first.resolve('one');
    const detail = await doneOf(conversation, sent, ends, clock);
    expect(detail.content).to.equal('both');
    expect(bodies(fetch)[1]!.messages.slice(2)).to.deep.equal([
      { role: 'tool', tool_call_id: 'a', content: 'one' },
      { role: 'tool', tool_call_id: 'b', content: 'two' },
    ]);
  });

  it('parallel calls a provider gave one id (DeepSeek, GLM) go back with ids of their own, each result with its call’s: the APIs refuse two results of one id', async () => {
    const city: Tool<{ n: string }> = { name: 'city', execute: ({ n }) => `for ${n}` };
    const { conversation, fetch, clock, ends } = setUp(
      [{ body: calling({ id: 'call_0', name: 'city', args: '{"n":"A"}' }, { id: 'call_0', name: 'city', args: '{"n":"B"}' }) }, { body: answer('Both.') }],
      [city],
    );
    await doneOf(conversation, conversation.send('Both cities?'), ends, clock);
    const [a, b] = conversation.messages[1]!.tool_calls!;
    expect([conversation.toolResult(a!)?.content, conversation.toolResult(b!)?.content]).to.deep.equal(['for A', 'for B']);
    const sent = bodies(fetch)[1]!.messages;
    const ids = sent[1]!.tool_calls!.map((call) => call.id);
    expect(ids[0], 'the first keeps the id the provider gave').to.equal('call_0');
    expect(new Set(ids).size, `ids sent: ${ids.join()}`).to.equal(2);
    expect(sent.slice(2).map((message) => [message.tool_call_id, message.content])).to.deep.equal([
      [ids[0], 'for A'],
      [ids[1], 'for B'],
    ]);
  });

  it('chunk’s content is the text so far of its step: the next step’s starts again from its own (README’s counter)', async () => {
    const first = [chunkEvent({ role: 'assistant', content: 'Checking.' }), chunkEvent({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] }), chunkEvent({}, { finishReason: 'tool_calls' }), DONE].join('');
    const { conversation, clock, ends } = setUp([{ body: first }, { body: answer('Clear', ' in Paris.') }], [weather]);
    const contents: string[] = [];
    conversation.addEventListener('chunk', (event) => event.detail.delta && contents.push(event.detail.content));
    await doneOf(conversation, conversation.send('Weather in Paris?'), ends, clock);
    expect(contents).to.deep.equal(['Checking.', 'Clear', 'Clear in Paris.']);
  });

  it('places calls without index (Mistral), whole calls in one chunk (Groq) and Gemini’s shape, and runs them', async () => {
    const shapes = {
      mistral: rawCalls([[{ id: 'm1', function: { name: 'weather', arguments: '{"city":' } }], [{ id: 'm1', function: { arguments: '"Rome"}' } }]]),
      groq: rawCalls([[
        { index: 0, id: 'g1', type: 'function', function: { name: 'weather', arguments: '{"city":"Lima"}' } },
        { index: 1, id: 'g2', type: 'function', function: { name: 'weather', arguments: '{"city":"Kyiv"}' } },
      ]]),
      // Gemini's OpenAI compatibility: a whole call without index, and finish_reason "stop".
      gemini: rawCalls([[{ id: '', type: 'function', function: { name: 'weather', arguments: '{"city":"Accra"}' } }]], 'stop'),
    };
    const expected = {
      mistral: ['{"city":"Rome","sky":"clear"}'],
      groq: ['{"city":"Lima","sky":"clear"}', '{"city":"Kyiv","sky":"clear"}'],
      gemini: ['{"city":"Accra","sky":"clear"}'],
    };
    for (const [provider, body] of Object.entries(shapes)) {
      const { conversation, fetch, clock, ends } = setUp([{ body }, { body: answer('done') }], [weather]);
      await doneOf(conversation, conversation.send('?'), ends, clock);
      const results = bodies(fetch)[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content);
      expect(results, provider).to.deep.equal(expected[provider as keyof typeof expected]);
    }
  });

  it('arguments that are not JSON: the event carries the error, the tool does not run, the result says what went wrong', async () => {
    let ran = false;
    const tool: Tool = { name: 'weather', execute: () => (ran = true) };
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'x', name: 'weather', args: '{"city": Paris' }) }, { body: answer('sorry') }], [tool]);
    const details: ToolCallDetail[] = [];
    conversation.addEventListener('tool-call', (event) => details.push(event.detail));
    await doneOf(conversation, conversation.send('?'), ends, clock);
    expect(ran).to.equal(false);
    expect(details[0]!.args).to.equal(undefined);
    expect(details[0]!.error?.message).to.include('not a JSON object');
    const result = bodies(fetch)[1]!.messages.at(-1)!;
    expect(result.role).to.equal('tool');
    expect(result.content).to.match(/^Error: The arguments of weather are not a JSON object/);
    expect(result.content).to.include('{"city": Paris');
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!)).to.equal('error');
  });

  describe('a call cut off at the length limit (max_tokens, max_output_tokens) is not run: the turn ends with the answer, which Regenerate asks again', () => {
    const cut = '{"city": "Kra';
    const written = (reply: { steps: object[] }) => reply.steps.map((step) => (step as { write: string }).write).join('');
    const responses = responsesReply(['Looking up '], [{ id: 'call_1', name: 'weather', args: cut }]);
    responses.steps[responses.steps.length - 1] = {
      write: `event: response.incomplete\ndata: ${JSON.stringify({ type: 'response.incomplete', response: { id: 'resp_test', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } })}\n\n`,
    };
    for (const [protocol, body] of [
      ['openai-chat', [chunkEvent({ role: 'assistant', content: 'Looking up ' }), chunkEvent({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: cut } }] }), chunkEvent({}, { finishReason: 'length' }), DONE].join('')],
      [
        'anthropic',
        written(
          anthropicBlocks(
            'max_tokens',
            [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Looking up ' }],
            [{ type: 'tool_use', id: 'call_1', name: 'weather', input: {} }, { type: 'input_json_delta', partial_json: cut }],
          ),
        ),
      ],
      ['openai-responses', written(responses)],
    ] as const) {
      it(protocol, async () => {
        let ran = 0;
        const fetch = fakeFetch({ body }, { body: answer('Again') });
        const { conversation, clock, ends } = conversationFor(fetch, { protocol, tools: [{ ...weather, execute: () => String(++ran) }] });
        const called: unknown[] = [];
        conversation.addEventListener('tool-call', (event) => called.push(event.detail.call));
        const detail = await doneOf(conversation, conversation.send('Weather in Kraków?'), ends, clock);
        // Before, the call ran (its arguments an error, or `{}` from Anthropic) and a second request went out.
        expect([ran, called.length, fetch.requests.length]).to.deep.equal([0, 0, 1]);
        expect(detail).to.deep.include({ content: 'Looking up ', finishReason: 'length', aborted: false });
        expect(detail.steps.map((step) => step.results.length)).to.deep.equal([0]);
        expect(conversation.messages.at(-1)).to.equal(detail.message);
        expect(detail.message.tool_calls?.map((call) => call.function.arguments)).to.deep.equal([cut]);
        conversation.options.protocol = 'openai-chat';
        expect((await doneOf(conversation, conversation.regenerate(), ends, clock, 1)).content).to.equal('Again');
        expect(bodies(fetch)[1]!.messages).to.deep.equal([{ role: 'user', content: 'Weather in Kraków?' }]);
      });
    }
  });

  it('a call cut off at the length limit, or by the content filter (with tool_calls, as Azure sends), shows as stopped, not run; a new question, or retry(), tells the model why it has no result', async () => {
    for (const [reason, args, why] of [
      ['length', '{"city": "Kra', 'Error: stopped by the length limit before the call was complete: it was not run.'],
      ['content_filter', '{"city": "Kraków"}', 'Error: stopped by the content filter before the call was run.'],
    ]) {
      const cut = [chunkEvent({ role: 'assistant', content: 'Looking up ' }), chunkEvent({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: args } }] }), chunkEvent({}, { finishReason: reason }), DONE].join('');
      for (const ask of ['send', 'retry'] as const) {
        const { conversation, fetch, clock, ends } = setUp([{ body: cut }, { body: answer('Sorry.') }], [weather]);
        await doneOf(conversation, conversation.send('Weather in Kraków?'), ends, clock);
        const [call] = conversation.messages[1]!.tool_calls!;
        // Before, no state: a card with neither a state nor a result, as a host's call waiting for it.
        expect(conversation.toolState(call!), reason).to.equal('stopped');
        await doneOf(conversation, ask === 'send' ? conversation.send('And?') : conversation.retry(), ends, clock, 1);
        // Before, "Error: no result was given.", and the card said Error.
        expect(bodies(fetch)[1]!.messages.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content])).to.deep.equal([['call_1', why]]);
        expect(conversation.toolState(call!), reason).to.equal('stopped');
      }
    }
  });

  it('stopped after the content filter ended the answer, before its stream closed: the turn ends as it would have, and its calls get the filter’s result, not the user’s stop', async () => {
    const event = (data: object) => sse(data, { event: (data as { type: string }).type });
    const started = { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 1, output_tokens: 1 } } };
    const sorry = anthropicBlocks('end_turn', [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Sorry.' }]).steps.map((step) => (step as { write: string }).write);
    for (const [protocol, events, next] of [
      [
        'anthropic',
        [
          event(started),
          event({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'call_1', name: 'weather', input: {} } }),
          event({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": "Kraków"}' } }),
          event({ type: 'content_block_stop', index: 0 }),
          event({ type: 'message_delta', delta: { stop_reason: 'refusal', stop_sequence: null }, usage: { output_tokens: 3 } }),
        ],
        sorry.join(''),
      ],
      ['openai-chat', [chunkEvent({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city": "Kraków"}' } }] }), chunkEvent({}, { finishReason: 'content_filter' })], answer('Sorry.')],
    ] as const) {
      const body = new TestBody();
      const { conversation, clock, ends } = conversationFor(fakeFetch({ body }, { body: next }), { protocol, tools: [weather] });
      let chunks = 0;
      conversation.addEventListener('chunk', () => chunks++);
      const sent = conversation.send('Weather in Kraków?');
      body.write(events.join(''));
      // (Not the clock: the finish reason's grace would end the stream. Its message_stop, or [DONE], is held.)
      while (chunks < events.length) await nextTask();
      conversation.stop();
      const detail = await doneOf(conversation, sent, ends, clock);
      expect([detail.finishReason, detail.aborted], protocol).to.deep.equal(['content_filter', false]);
      expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!), protocol).to.equal('stopped');
      await doneOf(conversation, conversation.send('And?'), ends, clock, 1);
      // Before, "Error: stopped by the user before the call was run.": the model read (and the card said) that the user stopped it.
      const results = conversation.messages.filter((m) => m.role === 'tool').map((m) => m.content);
      expect(results, protocol).to.deep.equal(['Error: stopped by the content filter before the call was run.']);
    }
  });

  it('a tool’s own error that says it was stopped by something is an error, not a stop of the user’s or the length limit’s', async () => {
    const tool: Tool = {
      name: 'weather',
      execute: () => {
        throw new Error('stopped by the firewall: api.weather.test is not allowed');
      },
    };
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'x', name: 'weather', args: '{}' }) }, { body: answer('sorry') }], [tool]);
    await doneOf(conversation, conversation.send('?'), ends, clock);
    expect(bodies(fetch)[1]!.messages.at(-1)!.content).to.equal('Error: stopped by the firewall: api.weather.test is not allowed');
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!)).to.equal('error');
  });

  it('arguments that are JSON but no object (null, a list): as arguments that are not JSON; the tool does not run', async () => {
    // Before, `execute` got null (and threw) or the list, and the call went back with `{}` beside a result for them.
    for (const args of ['null', '[1]', '"Paris"']) {
      const seen: unknown[] = [];
      const tool: Tool = { name: 'weather', execute: (input) => (seen.push(input), 'ran') };
      const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'x', name: 'weather', args }) }, { body: answer('sorry') }], [tool]);
      const details: ToolCallDetail[] = [];
      conversation.addEventListener('tool-call', (event) => details.push(event.detail));
      await doneOf(conversation, conversation.send('?'), ends, clock);
      expect(seen, args).to.deep.equal([]);
      expect(details[0]!.args, args).to.equal(undefined);
      expect(details[0]!.error?.message, args).to.include('not a JSON object');
      const sent = bodies(fetch)[1]!.messages;
      expect(sent[1]!.tool_calls![0]!.function.arguments, args).to.equal('{}');
      expect(sent[2]!.content, args).to.match(/^Error: The arguments of weather are not a JSON object/);
    }
  });

  it('arguments sent as an object, not as its JSON text (Hugging Face TGI, some llama.cpp builds), streamed or not: the tool runs with them', async () => {
    // Before, they were "[object Object]": the tool never ran, and every call failed quietly.
    const call = { id: 'g1', type: 'function', function: { name: 'weather', arguments: { city: 'Accra' } } };
    const streamed = [chunkEvent({ role: 'assistant', content: null, tool_calls: [{ index: 0, ...call }] } as never), chunkEvent({}, { finishReason: 'tool_calls' }), DONE].join('');
    const whole = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [call] }, finish_reason: 'tool_calls' }] });
    for (const response of [{ body: streamed }, { body: whole, headers: { 'content-type': 'application/json' } }]) {
      const seen: unknown[] = [];
      const tool: Tool = { name: 'weather', execute: (input) => (seen.push(input), 'sunny') };
      const { conversation, fetch, clock, ends } = setUp([response, { body: answer('It is sunny.') }], [tool]);
      await doneOf(conversation, conversation.send('?'), ends, clock);
      expect(seen).to.deep.equal([{ city: 'Accra' }]);
      expect(conversation.messages[1]!.tool_calls![0]!.function.arguments).to.equal('{"city":"Accra"}');
      expect(bodies(fetch)[1]!.messages[2]!.content).to.equal('sunny');
    }
  });

  it('a call id used again in a later turn (call_0) finds its own result, not the first one', () => {
    const conversation = new Conversation();
    const first = { id: 'call_0', type: 'function' as const, function: { name: 'a', arguments: '{}' } };
    const second = { ...first, function: { ...first.function } };
    conversation.messages = [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: null, tool_calls: [first] },
      { role: 'tool', tool_call_id: 'call_0', content: 'first result' },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: null, tool_calls: [second] },
      { role: 'tool', tool_call_id: 'call_0', content: 'second result' },
    ];
    expect(conversation.toolResult(first)?.content).to.equal('first result');
    expect(conversation.toolResult(second)?.content).to.equal('second result');
  });

  it('calls of one turn with the same id (a server that sends none) take their results in order', () => {
    const conversation = new Conversation();
    const call = (name: string) => ({ id: '', type: 'function' as const, function: { name, arguments: '{}' } });
    const [a, b] = [call('a'), call('b')];
    conversation.messages = [
      { role: 'user', content: 'both' },
      { role: 'assistant', content: null, tool_calls: [a, b] },
      { role: 'tool', tool_call_id: '', content: 'for a' },
      { role: 'tool', tool_call_id: '', content: 'for b' },
    ];
    expect(conversation.toolResult(a)?.content).to.equal('for a');
    expect(conversation.toolResult(b)?.content).to.equal('for b');
  });

  it('an answer with `tool_calls: []` (a host’s history, openai-node’s parse) between a call and its result leaves the call open to it', () => {
    const conversation = new Conversation();
    const calls: ChatMessage = { role: 'assistant', content: null, tool_calls: [{ id: '', type: 'function', function: { name: 'f', arguments: '{}' } }] };
    conversation.messages = [{ role: 'user', content: 'Q' }, calls, { role: 'assistant', content: 'x', tool_calls: [] }, { role: 'tool', tool_call_id: '', content: 'r' }];
    const call = conversation.messages[1]!.tool_calls![0]!;
    expect([conversation.toolResult(call)?.content, conversation.toolState(call)]).to.deep.equal(['r', 'done']);
  });

  it('the states of calls left without a result read the history once per change, not once per call', () => {
    // A restored history whose calls went unanswered (the host's own, or cut by the length limit):
    // before, each call's state looked for its message from the end, O(history × calls) a render.
    const conversation = new Conversation();
    const history: ChatMessage[] = [];
    for (let i = 0; i < 100; i++) {
      history.push({ role: 'user', content: `q${i}` }, { role: 'assistant', content: null, tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'f', arguments: '{}' } }] });
    }
    let reads = 0;
    conversation.messages = new Proxy(history, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const calls = history.flatMap((message) => message.tool_calls ?? []);
    reads = 0;
    for (let render = 0; render < 2; render++) expect(calls.map((call) => conversation.toolState(call))).to.deep.equal(calls.map(() => undefined));
    expect(reads, 'messages read').to.be.at.most(history.length);
  });

  it('empty arguments are {}', async () => {
    const args: unknown[] = [];
    const { conversation, clock, ends } = setUp([{ body: calling({ id: 'e', name: 'now', args: '' }) }, { body: answer('ok') }], [{ name: 'now', execute: (given) => (args.push(given), 'noon') }]);
    await doneOf(conversation, conversation.send('?'), ends, clock);
    expect(args).to.deep.equal([{}]);
  });

  it("a call that never got a name (LM Studio's, with id \"\", after the answer's text) is none: not run, not sent back in any later request; a named call beside it runs", async () => {
    const nameless = { index: 1, id: '', type: 'function' as const, function: { name: '', arguments: '' } };
    const { conversation, fetch, clock, ends } = setUp(
      [
        { body: [chunkEvent({ role: 'assistant', content: 'The program prints Hello.' }), chunkEvent({ tool_calls: [{ ...nameless, index: 0 }] }), chunkEvent({}, { finishReason: 'tool_calls' }), DONE].join('') },
        { body: rawCalls([[{ index: 0, id: '7', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }], [nameless]]) },
        { body: answer('Clear.') },
      ],
      [weather],
    );
    const calls: string[] = [];
    conversation.addEventListener('tool-call', (event) => calls.push(event.detail.call.function.name));
    const first = await doneOf(conversation, conversation.send('Build it.'), ends, clock);
    expect(first.content).to.equal('The program prints Hello.');
    expect(conversation.messages[1]).to.not.have.property('tool_calls');
    await doneOf(conversation, conversation.send('Weather in Oslo?'), ends, clock, 1);
    expect(calls).to.deep.equal(['weather']);
    const [, second, third] = bodies(fetch);
    expect(second!.messages.slice(1, 3)).to.deep.equal([{ role: 'assistant', content: 'The program prints Hello.' }, { role: 'user', content: 'Weather in Oslo?' }]);
    expect(third!.messages.slice(3).map((m) => [m.role, m.tool_calls?.map((call) => call.function.name) ?? m.content])).to.deep.equal([
      ['assistant', ['weather']],
      ['tool', '{"city":"Oslo","sky":"clear"}'],
    ]);
  });

  it('an unknown tool, a throwing tool and a rejecting one each become a result that says so; the loop goes on', async () => {
    const tools: Tool[] = [
      { name: 'throws', execute: () => { throw new Error('boom'); } },
      { name: 'rejects', execute: () => Promise.reject(new RangeError('out of range')) },
      { name: 'rejects-oddly', execute: () => Promise.reject('a string') },
    ];
    const { conversation, fetch, clock, ends } = setUp(
      [
        { body: calling({ id: '1', name: 'nope', args: '{}' }, { id: '2', name: 'throws', args: '{}' }, { id: '3', name: 'rejects', args: '{}' }, { id: '4', name: 'rejects-oddly', args: '{}' }) },
        { body: answer('recovered') },
      ],
      tools,
    );
    const detail = await doneOf(conversation, conversation.send('?'), ends, clock);
    expect(detail.content).to.equal('recovered');
    expect(bodies(fetch)[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content)).to.deep.equal([
      'Error: There is no tool named "nope". The tools are: throws, rejects, rejects-oddly.',
      'Error: boom',
      'Error: out of range',
      'Error: a string',
    ]);
    const calls = conversation.messages[1]!.tool_calls!;
    expect(calls.map((call) => conversation.toolState(call))).to.deep.equal(['error', 'error', 'error', 'error']);
  });

  it('tools a tool-call listener makes something else (a null among them, not a list, an execute that throws to read): the calls fail, the send still ends once', async () => {
    const getterThrows: Tool = {
      name: 'weather',
      get execute(): never {
        throw new Error('no execute here');
      },
    };
    for (const [what, junk] of [['a null among them', [null, weather]], ['not a list', 'weather'], ['an execute that throws to read', [getterThrows]]] as unknown as Array<[string, Tool[]]>) {
      const { conversation, ends, clock } = setUp([{ body: calling({ id: '1', name: 'weather', args: '{"city":"Oslo"}' }) }, { body: answer('after') }], [weather]);
      conversation.addEventListener('tool-call', () => (conversation.options.tools = junk), { once: true });
      // Before, an unhandled TypeError, the call running for ever, and neither done nor error.
      await endOf(conversation, conversation.send('?'), ends, clock);
      expect(conversation.status, what).to.equal(Status.idle);
      const result = conversation.messages.find((message) => message.role === 'tool');
      expect(String(result?.content), what).to.match(/^Error: /);
    }
  });

  it('a thrown value without a message says what it holds: an object as JSON, not "[object Object]"; one that cannot be made text still fails the call, with no unhandled rejection', async () => {
    const circular: Record<string, unknown> = { status: 500 };
    circular['self'] = circular;
    const tools: Tool[] = [
      { name: 'object', execute: () => { throw { status: 404, error: 'no such city' }; } },
      { name: 'bare', execute: () => Promise.reject(Object.create(null)) },
      { name: 'circular', execute: () => { throw circular; } },
      { name: 'string', execute: () => Promise.reject('offline') },
    ];
    const calls = tools.map((tool, at) => ({ id: String(at), name: tool.name, args: '{}' }));
    const { conversation, fetch, clock, ends } = setUp([{ body: calling(...calls) }, { body: answer('ok') }], tools);
    await doneOf(conversation, conversation.send('?'), ends, clock);
    expect(bodies(fetch)[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content)).to.deep.equal([
      'Error: {"status":404,"error":"no such city"}',
      'Error: {}',
      'Error: the tool failed without saying why.',
      'Error: offline',
    ]);
  });

  it('an error whose message cannot be read (its getter throws) still fails the call: thrown, rejected, resolved, responded, or thrown by toJSON', async () => {
    const unreadable = () =>
      Object.defineProperty(new Error(), 'message', {
        get(): never {
          throw new Error('no message here');
        },
      });
    const tools: Tool[] = [
      { name: 'throws', execute: () => { throw unreadable(); } },
      { name: 'rejects', execute: () => Promise.reject(unreadable()) },
      { name: 'resolves', execute: () => unreadable() },
      { name: 'to-json', execute: () => ({ toJSON: () => { throw null; } }) },
      { name: 'asks' },
      { name: 'to-json-empty', execute: () => ({ toJSON: () => { throw new Error(); } }) },
    ];
    const calls = tools.map((tool, at) => ({ id: String(at), name: tool.name, args: '{}' }));
    const { conversation, fetch, clock, ends } = setUp([{ body: calling(...calls) }, { body: answer('ok') }], tools);
    const sent = conversation.send('?');
    await runOut(clock);
    // Before, each escaped the loop (an unhandled rejection, or a throw from respond()): the call ran
    // for ever, and neither done nor error ended the send.
    expect(conversation.respond('4', unreadable())).to.equal(true);
    await doneOf(conversation, sent, ends, clock);
    const failed = 'Error: the tool failed without saying why.';
    const results = bodies(fetch)[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    // (A result whose toJSON threw nothing to say: no tool failed. Before, "(the tool failed without saying why.).")
    expect(results).to.deep.equal([failed, failed, failed, 'Error: the result is not JSON-serialisable (null).', failed, 'Error: the result is not JSON-serialisable (without saying why).']);
  });

  it('an Error of another realm (an iframe’s, its DOMException) or a thrown object with a message fails the call as one of this realm does', async () => {
    const frame = document.body.appendChild(document.createElement('iframe'));
    try {
      const realm = frame.contentWindow as unknown as { Error: ErrorConstructor; DOMException: typeof DOMException };
      const tools: Tool[] = [
        { name: 'throws', execute: () => { throw new realm.Error('boom'); } },
        { name: 'rejects', execute: () => Promise.reject(new realm.DOMException('denied', 'NotAllowedError')) },
        { name: 'resolves', execute: () => Promise.resolve(new realm.Error('resolved with an error')) },
        { name: 'object', execute: () => { throw { message: 'quota exceeded', code: 429 }; } },
        { name: 'asks' },
      ];
      const { conversation, fetch, clock, ends } = setUp(
        [
          {
            body: calling(
              { id: '1', name: 'throws', args: '{}' },
              { id: '2', name: 'rejects', args: '{}' },
              { id: '3', name: 'resolves', args: '{}' },
              { id: '4', name: 'object', args: '{}' },
              { id: '5', name: 'asks', args: '{}' },
            ),
          },
          { body: answer('ok') },
        ],
        tools,
      );
      const sent = conversation.send('?');
      await runOut(clock);
      conversation.respond('5', new realm.Error('declined'));
      await doneOf(conversation, sent, ends, clock);
      // Before, the first two read `Error: Error: boom`, the third and the fifth `{}` with the call done.
      expect(bodies(fetch)[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content)).to.deep.equal([
        'Error: boom',
        'Error: denied',
        'Error: resolved with an error',
        'Error: quota exceeded',
        'Error: declined',
      ]);
      expect(conversation.messages[1]!.tool_calls!.map((call) => conversation.toolState(call))).to.deep.equal(['error', 'error', 'error', 'error', 'error']);
    } finally {
      frame.remove();
    }
  });

  it('results that are not strings are JSON; one that is not serialisable is an error result', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const tools: Tool[] = [
      { name: 'number', execute: () => 42 },
      { name: 'nothing', execute: () => undefined },
      { name: 'cyclic', execute: () => cyclic },
    ];
    const { conversation, fetch, clock, ends } = setUp(
      [{ body: calling({ id: '1', name: 'number', args: '{}' }, { id: '2', name: 'nothing', args: '{}' }, { id: '3', name: 'cyclic', args: '{}' }) }, { body: answer('ok') }],
      tools,
    );
    await doneOf(conversation, conversation.send('?'), ends, clock);
    const contents = bodies(fetch)[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content as string);
    expect(contents.slice(0, 2)).to.deep.equal(['42', 'null']);
    expect(contents[2]).to.match(/^Error: the result is not JSON-serialisable/);
  });

  it('stops after maxSteps responses: the last step’s calls still get their results, no further request', async () => {
    let runs = 0;
    const tool: Tool = { name: 'again', execute: () => `run ${++runs}` };
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'r', name: 'again', args: '{}' }) }], [tool], 3);
    const detail = await doneOf(conversation, conversation.send('loop'), ends, clock);
    expect(fetch.requests).to.have.length(3);
    expect(runs).to.equal(3);
    expect(detail.steps).to.have.length(3);
    expect(detail).to.deep.include({ aborted: false, finishReason: 'tool_calls', content: '' });
    expect(conversation.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'tool']);
    expect(conversation.messages.at(-1)).to.deep.include({ content: 'run 3' });
  });

  it('maxSteps defaults to 5 and is at least 1', async () => {
    for (const [maxSteps, requests] of [[undefined, 5], [0, 1], [-3, 1], [0.5, 1], [1, 1], [Number.NaN, 5], [2.7, 2], [3, 3]] as const) {
      const fetch = fakeFetch({ body: calling({ id: 'r', name: 'again', args: '{}' }) });
      const { conversation, clock, ends } = conversationFor(fetch, { tools: [{ name: 'again', execute: () => 'x' }], maxSteps });
      await doneOf(conversation, conversation.send('loop'), ends, clock);
      expect(fetch.requests, `maxSteps ${maxSteps}`).to.have.length(requests);
    }
  });

  it('a tool-call listener that responds answers the call: execute does not run', async () => {
    let ran = false;
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'l', name: 'weather', args: '{"city":"Bern"}' }) }, { body: answer('ok') }], [{ ...weather, execute: () => (ran = true) }]);
    conversation.addEventListener('tool-call', (event) => {
      event.detail.respond({ from: 'listener' });
      event.detail.respond('a second answer is ignored');
    });
    await doneOf(conversation, conversation.send('?'), ends, clock);
    expect(ran).to.equal(false);
    expect(bodies(fetch)[1]!.messages.at(-1)).to.deep.equal({ role: 'tool', tool_call_id: 'l', content: '{"from":"listener"}' });
  });

  it('a listener may respond with a promise: the call runs until it settles, execute does not run, a rejection is an error', async () => {
    const confirmation = deferred<string>();
    let ran = false;
    const { conversation, fetch, clock, ends } = setUp(
      [{ body: calling({ id: 'p', name: 'weather', args: '{}' }, { id: 'q', name: 'weather', args: '{}' }) }, { body: answer('ok') }],
      [{ ...weather, execute: () => (ran = true) }],
    );
    conversation.addEventListener('tool-call', (event) => {
      event.detail.respond(event.detail.call.id === 'p' ? confirmation.promise : Promise.reject(new Error('declined')));
    });
    const sent = conversation.send('?');
    await runOut(clock);
    expect(conversation.status).to.equal(Status.runningTools);
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!)).to.equal('running');
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![1]!)).to.equal('error');
    confirmation.resolve('confirmed');
    await doneOf(conversation, sent, ends, clock);
    expect(ran).to.equal(false);
    expect(bodies(fetch)[1]!.messages.slice(2).map((m) => m.content)).to.deep.equal(['confirmed', 'Error: declined']);
  });

  it('a call whose tool has no execute waits; a late respond() goes on with the loop', async () => {
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'w', name: 'ask', args: '{"q":"colour?"}' }) }, { body: answer('Blue it is.') }], [{ name: 'ask' }]);
    const sent = conversation.send('?');
    await runOut(clock);
    expect(conversation.status).to.equal(Status.waiting);
    const call = conversation.messages[1]!.tool_calls![0]!;
    expect(conversation.toolState(call)).to.equal('waiting');
    expect(ends, 'no end while waiting').to.have.length(0);
    expect(conversation.respond('unknown-id', 'x')).to.equal(false);
    expect(conversation.respond('w', 'blue')).to.equal(true);
    expect(conversation.respond('w', 'again')).to.equal(false);
    const detail = await doneOf(conversation, sent, ends, clock);
    expect(detail.content).to.equal('Blue it is.');
    expect(bodies(fetch)[1]!.messages.at(-1)).to.deep.equal({ role: 'tool', tool_call_id: 'w', content: 'blue' });
    expect(conversation.respond('w', 'after the end')).to.equal(false);
  });

  it('respond() to a running tool with a promise: its answer counts, even when the tool settles first', async () => {
    const tool = deferred<string>();
    const page = deferred<string>();
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'j', name: 'job', args: '{}' }) }, { body: answer('ok') }], [{ name: 'job', execute: () => tool.promise }]);
    const sent = conversation.send('?');
    await runOut(clock);
    expect(conversation.respond('j', page.promise)).to.equal(true);
    tool.resolve('from the tool');
    await nextTask();
    expect(fetch.requests).to.have.length(1);
    page.resolve('from respond()');
    await doneOf(conversation, sent, ends, clock);
    expect(bodies(fetch)[1]!.messages.at(-1)!.content).to.equal('from respond()');
  });

  it('a tool that respond() answered for runs no longer than its turn: its signal aborts when the turn ends', async () => {
    // Before, it aborted only on a stop: work given the signal (a fetch) outlived a turn that ended well.
    let signal: AbortSignal | undefined;
    const slow: Tool = { name: 'slow', execute: (_args, context) => ((signal = context.signal), new Promise<string>(() => {})) };
    const { conversation, clock, ends } = setUp([{ body: calling({ id: 'c1', name: 'slow', args: '{}' }) }, { body: answer('fine') }], [slow]);
    const sent = conversation.send('?');
    await runOut(clock);
    expect(conversation.respond('c1', 'from the host')).to.equal(true);
    expect(signal?.aborted).to.equal(false);
    expect((await doneOf(conversation, sent, ends, clock)).content).to.equal('fine');
    expect(signal?.aborted).to.equal(true);
  });

  it('respond() with an Error is a failed result', async () => {
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'w', name: 'ask', args: '{}' }) }, { body: answer('ok') }], [{ name: 'ask' }]);
    const sent = conversation.send('?');
    await runOut(clock);
    conversation.respond('w', new Error('the user declined'));
    await doneOf(conversation, sent, ends, clock);
    expect(bodies(fetch)[1]!.messages.at(-1)!.content).to.equal('Error: the user declined');
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!)).to.equal('error');
  });

  it('stop() while a tool runs: its signal aborts, the turn ends once with aborted, every call has a result, no request after', async () => {
    const pending = deferred<string>();
    let signal: AbortSignal | undefined;
    const tools: Tool[] = [
      { name: 'fast', execute: () => 'quick' },
      { name: 'slow', execute: (_args, context) => ((signal = context.signal), pending.promise) },
    ];
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'f', name: 'fast', args: '{}' }, { id: 's', name: 'slow', args: '{}' }) }, { body: answer('never') }], tools);
    const sent = conversation.send('?');
    await runOut(clock);
    expect(conversation.status).to.equal(Status.runningTools);
    conversation.stop();
    expect(signal?.aborted).to.equal(true);
    pending.resolve('too late');
    const detail = await doneOf(conversation, sent, ends, clock);
    expect(detail.aborted).to.equal(true);
    expect(fetch.requests).to.have.length(1);
    expect(conversation.messages.slice(2)).to.deep.equal([
      { role: 'tool', tool_call_id: 'f', content: 'quick' },
      { role: 'tool', tool_call_id: 's', content: 'Error: stopped by the user before the tool returned a result.' },
    ]);
    expect(conversation.wasStopped(conversation.messages[1]!)).to.equal(true);
    // The call the stop cut is stopped, not failed; one a restored conversation has reads the same.
    const [fast, slow] = conversation.messages[1]!.tool_calls!;
    expect([conversation.toolState(fast!), conversation.toolState(slow!)]).to.deep.equal(['done', 'stopped']);
    conversation.messages = structuredClone(conversation.messages);
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![1]!)).to.equal('stopped');
  });

  it('stop() after the tools ran, before the next response brought anything: the turn ends on the calling response, marked stopped, with the stats', async () => {
    const next = new TestBody();
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'f', name: 'fast', args: '{}' }) }, { body: next }], [{ name: 'fast', execute: () => 'quick' }]);
    const sent = conversation.send('?');
    await runOut(clock);
    expect(fetch.requests).to.have.length(2);
    conversation.stop();
    const detail = await doneOf(conversation, sent, ends, clock);
    const caller = conversation.messages[1]!;
    // Before, the turn ended on an empty message that was not in messages: no marker, no stats.
    expect(detail.steps).to.have.length(1);
    expect(detail.message).to.equal(caller);
    expect(detail.finishReason).to.equal('tool_calls');
    expect(detail.aborted).to.equal(true);
    expect(conversation.wasStopped(caller)).to.equal(true);
    expect(conversation.statsOf(caller)).to.equal(detail.stats);
    expect(conversation.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool']);
  });

  it('a response that completes empty after the tools ran is a step of its own: done reports its finish and usage', async () => {
    const empty = [chunkEvent({ role: 'assistant', content: '' }), chunkEvent({}, { finishReason: 'stop', usage: { prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 } }), DONE].join('');
    const { conversation, clock, ends } = setUp([{ body: calling({ id: 'f', name: 'fast', args: '{}' }) }, { body: empty }], [{ name: 'fast', execute: () => 'quick' }]);
    const detail = await doneOf(conversation, conversation.send('?'), ends, clock);
    // Not the stopped case: the turn ends on the empty response, as every response of it is a step.
    expect([detail.finishReason, detail.steps.length, detail.usage?.completion_tokens, detail.aborted]).to.deep.equal(['stop', 2, 0, false]);
  });

  it('stop() while a call waits for respond() ends the turn the same way', async () => {
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'w', name: 'ask', args: '{}' }) }], [{ name: 'ask' }]);
    const sent = conversation.send('?');
    await runOut(clock);
    conversation.stop();
    expect((await doneOf(conversation, sent, ends, clock)).aborted).to.equal(true);
    expect(conversation.respond('w', 'late')).to.equal(false);
    expect(fetch.requests).to.have.length(1);
  });

  it('send() while a tool runs: the first turn ends aborted, its calls answered; the new question follows them', async () => {
    const pending = deferred<string>();
    let signal: AbortSignal | undefined;
    const { conversation, fetch, clock, ends } = setUp(
      [{ body: calling({ id: 's', name: 'slow', args: '{}' }) }, { body: answer('second answer') }],
      [{ name: 'slow', execute: (_args, context) => ((signal = context.signal), pending.promise) }],
    );
    const first = conversation.send('first');
    await runOut(clock);
    const second = conversation.send('second');
    expect(signal?.aborted).to.equal(true);
    expect((await first).aborted).to.equal(true);
    expect(ends.map((end) => end.type)).to.deep.equal(['done']);
    pending.resolve('late');
    expect((await doneOf(conversation, second, ends, clock, 1)).content).to.equal('second answer');
    expect(bodies(fetch)[1]!.messages.map((m) => `${m.role}:${typeof m.content === 'string' ? m.content : m.content}`)).to.deep.equal([
      'user:first',
      'assistant:null',
      'tool:Error: stopped by the user before the tool returned a result.',
      'user:second',
    ]);
  });

  it('a tool-call listener that stops the turn: no tool runs, one done', async () => {
    let ran = false;
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'a', name: 'weather', args: '{}' }) }], [{ ...weather, execute: () => (ran = true) }]);
    conversation.addEventListener('tool-call', () => conversation.stop());
    const detail = await doneOf(conversation, conversation.send('?'), ends, clock);
    expect(detail.aborted).to.equal(true);
    expect(ran).to.equal(false);
    expect(fetch.requests).to.have.length(1);
  });

  it('a tool whose execute stops the turn synchronously: one done, no next request', async () => {
    const holder: { conversation?: Conversation } = {};
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'a', name: 'halt', args: '{}' }, { id: 'b', name: 'halt', args: '{}' }) }], [{ name: 'halt', execute: () => (holder.conversation!.stop(), 'stopped') }]);
    holder.conversation = conversation;
    const detail = await doneOf(conversation, conversation.send('?'), ends, clock);
    expect(detail.aborted).to.equal(true);
    expect(fetch.requests).to.have.length(1);
  });

  it('setting messages while a tool runs ends the turn once; the new messages stand', async () => {
    const pending = deferred<string>();
    const { conversation, clock, ends } = setUp([{ body: calling({ id: 'a', name: 'slow', args: '{}' }) }], [{ name: 'slow', execute: () => pending.promise }]);
    const sent = conversation.send('?');
    await runOut(clock);
    conversation.messages = [{ role: 'user', content: 'fresh' }];
    const result = await sent;
    expect(result.aborted).to.equal(true);
    pending.resolve('late');
    await runOut(clock);
    expect(ends).to.have.length(1);
    expect(conversation.messages).to.deep.equal([{ role: 'user', content: 'fresh' }]);
  });

  it('a failure in a later step is the send’s one error; the steps before stay in messages and retry() goes on from them', async () => {
    const broken = new TestBody();
    const { conversation, fetch, clock, ends } = setUp([{ body: calling({ id: 'a', name: 'weather', args: '{"city":"Quito"}' }) }, { body: broken }, { body: answer('Clear in Quito.') }], [weather]);
    const sent = conversation.send('?');
    await runOut(clock);
    broken.write(chunkEvent({ content: 'Clear' }));
    broken.fail(new TypeError('network down'));
    const { error, content } = await errorOf(conversation, sent, ends, clock);
    expect(error.kind).to.equal('network');
    expect(content).to.equal('Clear');
    expect(conversation.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool', 'assistant']);
    const detail = await doneOf(conversation, conversation.retry(), ends, clock, 1);
    expect(detail.content).to.equal('Clear in Quito.');
    expect(bodies(fetch)[2]!.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool']);
  });

  it('a later step that fails before it brings anything: the error carries the text the turn had, as a stop does', async () => {
    // Before, its content was the failed response's: empty.
    const first = chunkEvent({ role: 'assistant', content: 'Let me check. ' }) + calling({ id: 'a', name: 'weather', args: '{"city":"Quito"}' });
    const refused = { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"bad"}}' };
    const { conversation, clock, ends } = setUp([{ body: first }, refused], [weather]);
    const { error, content } = await errorOf(conversation, conversation.send('?'), ends, clock);
    expect(error.kind).to.equal('http');
    expect(content).to.equal('Let me check. ');
    expect(conversation.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool']);
    expect(conversation.wasStopped(conversation.messages[1]!), 'failed, not stopped').to.equal(false);
  });

  it('without tools, an answer with calls ends the turn as before: no tool-call event, no result', async () => {
    const fetch = fakeFetch({ body: calling({ id: 'a', name: 'weather', args: '{}' }) });
    const { conversation, clock, ends } = conversationFor(fetch);
    let events = 0;
    conversation.addEventListener('tool-call', () => events++);
    const end = await endOf(conversation, conversation.send('?'), ends, clock);
    expect(end.type).to.equal('done');
    expect(events).to.equal(0);
    expect(fetch.requests).to.have.length(1);
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!)).to.equal(undefined);
  });

  it('without tools, retry() of an answer whose calls the host left unanswered gives them a result, as a new question does: else the provider refuses the request', async () => {
    const fetch = fakeFetch({ body: calling({ id: 'a', name: 'weather', args: '{}' }, { id: 'b', name: 'time', args: '{}' }) }, { body: answer('ok') });
    const { conversation, clock, ends } = conversationFor(fetch);
    await doneOf(conversation, conversation.send('?'), ends, clock);
    conversation.messages = [...conversation.messages, { role: 'tool', tool_call_id: 'b', content: '14:05' }];
    await doneOf(conversation, conversation.retry(), ends, clock, 1);
    expect(bodies(fetch)[1]!.messages.map((m) => [m.role, m.tool_call_id ?? m.content])).to.deep.equal([
      ['user', '?'],
      ['assistant', null],
      ['tool', 'b'],
      ['tool', 'a'],
    ]);
    expect(conversation.messages.map((m) => m.content)).to.deep.equal(['?', '', '14:05', 'Error: no result was given.', 'ok']);
  });

  it('without tools, a result the host pushed onto messages (after a view asked for the calls\' states) is the one retry() sends, not a second one', async () => {
    const fetch = fakeFetch({ body: calling({ id: 'a', name: 'weather', args: '{}' }) }, { body: answer('ok') });
    const { conversation, clock, ends } = conversationFor(fetch);
    await doneOf(conversation, conversation.send('?'), ends, clock);
    const [call] = conversation.messages[1]!.tool_calls!;
    expect(conversation.toolState(call!)).to.equal(undefined);
    // In place: \`messages\` is the array itself. Before, the results found for it before the push
    // were kept, and "no result was given" went too, a second result the provider refuses.
    conversation.messages.push({ role: 'tool', tool_call_id: 'a', content: 'Sunny' });
    expect(conversation.toolState(call!)).to.equal('done');
    await doneOf(conversation, conversation.retry(), ends, clock, 1);
    expect(bodies(fetch)[1]!.messages.map((m) => [m.role, m.content])).to.deep.equal([
      ['user', '?'],
      ['assistant', null],
      ['tool', 'Sunny'],
    ]);
  });

  it('without tools, a result the host replaced in place (the array as long as before) is not taken for one: the call gets its result, not none', async () => {
    const fetch = fakeFetch({ body: calling({ id: 'a', name: 'weather', args: '{}' }) }, { body: answer('ok') });
    const { conversation, clock, ends } = conversationFor(fetch);
    await doneOf(conversation, conversation.send('?'), ends, clock);
    conversation.messages.push({ role: 'tool', tool_call_id: 'a', content: 'Sunny' });
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!)).to.equal('done');
    // A review found the results kept for an array of the same length: the call went with none.
    conversation.messages[2] = { role: 'system', content: 'A note' };
    await doneOf(conversation, conversation.retry(), ends, clock, 1);
    expect(bodies(fetch)[1]!.messages.map((m) => [m.role, m.content])).to.deep.equal([
      ['user', '?'],
      ['assistant', null],
      ['system', 'A note'],
      ['tool', 'Error: no result was given.'],
    ]);
  });

  it('without tools, calls the host left unanswered get a result when a new question is asked: else every later request is refused', async () => {
    const fetch = fakeFetch({ body: calling({ id: 'a', name: 'weather', args: '{}' }, { id: 'b', name: 'time', args: '{}' }) }, { body: answer('ok') }, { body: answer('fine') });
    const { conversation, clock, ends } = conversationFor(fetch);
    await doneOf(conversation, conversation.send('?'), ends, clock);
    // The host answered one of them itself.
    conversation.messages = [...conversation.messages, { role: 'tool', tool_call_id: 'b', content: '14:05' }];
    await doneOf(conversation, conversation.send('Next'), ends, clock, 1);
    const sent = bodies(fetch)[1]!.messages;
    expect(sent.map((m) => [m.role, m.tool_call_id ?? m.content])).to.deep.equal([
      ['user', '?'],
      ['assistant', null],
      ['tool', 'b'],
      ['tool', 'a'],
      ['user', 'Next'],
    ]);
    expect(sent[3]!.content).to.equal('Error: no result was given.');
    expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!)).to.equal('error');
    // Calls of an earlier turn, answered or not, are left as they are.
    await doneOf(conversation, conversation.send('And?'), ends, clock, 2);
    expect(bodies(fetch)[2]!.messages.filter((m) => m.role === 'tool')).to.have.length(2);
  });

  // A call followed by a system message the page added still gets its result; one without an id
  // answered by a result without one (a server that sends no ids) is answered, as toolResult() reads it.
  const kept: Array<[string, ChatMessage[], string[]]> = [
    ['a system message after the call', [{ role: 'system', content: 'Be brief.' }], ['user', 'assistant', 'system', 'tool', 'user']],
    ['a result without an id for a call without one', [{ role: 'tool', content: 'sunny' }], ['user', 'assistant', 'tool', 'user']],
  ];
  for (const [name, after, roles] of kept) {
    it(`a new question after calls and ${name}: each call has one result`, async () => {
      const { conversation, fetch, clock, ends } = setUp([{ body: answer('ok') }], []);
      const id = name.includes('without an id') ? '' : 'a';
      conversation.messages = [{ role: 'user', content: '?' }, { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'weather', arguments: '{}' } }] }, ...after];
      await doneOf(conversation, conversation.send('Next'), ends, clock);
      expect(bodies(fetch)[0]!.messages.map((m) => m.role)).to.deep.equal(roles);
    });
  }

  it('stopped, or broken off, while a call streams: each call gets a result, so the next request is one providers take', async () => {
    // Without tools too: the host that runs calls itself cannot run one cut short, nor answer it
    // before a send() that replaces the turn builds its request.
    for (const [how, tools] of [['stop', [weather]], ['failure', [weather]], ['stop', []], ['failure', []]] as const) {
      const body = new TestBody();
      const { conversation, fetch, clock, ends } = setUp([{ body }, { body: answer('ok') }], [...tools]);
      const sent = conversation.send('?');
      body.write(chunkEvent({ tool_calls: [{ index: 0, id: 'half', type: 'function', function: { name: 'weather', arguments: '{"ci' } }] }));
      await runOut(clock);
      if (how === 'stop') conversation.stop();
      else body.fail(new TypeError('network down'));
      const end = await endOf(conversation, sent, ends, clock);
      expect(end.type, how).to.equal(how === 'stop' ? 'done' : 'error');
      const result = conversation.messages.at(-1)!;
      expect(result, how).to.deep.include({ role: 'tool', tool_call_id: 'half' });
      expect(result.content).to.match(how === 'stop' ? /^Error: stopped by the user/ : /^Error: the response broke off/);
      expect(conversation.toolState(conversation.messages[1]!.tool_calls![0]!)).to.equal(how === 'stop' ? 'stopped' : 'error');
      // A failure's retry goes without the cut message and its result; a stop's next question follows them.
      const next = how === 'stop' ? conversation.send('again') : conversation.retry();
      await doneOf(conversation, next, ends, clock, 1);
      expect(bodies(fetch)[1]!.messages.map((m) => m.role), how).to.deep.equal(how === 'stop' ? ['user', 'assistant', 'tool', 'user'] : ['user']);
    }
  });

  it('stopped, or broken off, after a call’s arguments came whole (its finish reason, its block or item ended, a JSON object in one piece): its result says it was not run, not that it was cut', async () => {
    const complete = 'Error: stopped by the user before the call was complete.';
    const run = 'Error: stopped by the user before the call was run.';
    const event = (data: object) => sse(data, { event: (data as { type: string }).type });
    const started = { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 1, output_tokens: 1 } } };
    const block = (index: number, id: string, json = '{"city":"Oslo"') => [
      event({ type: 'content_block_start', index, content_block: { type: 'tool_use', id, name: 'weather', input: {} } }),
      event({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json } }),
    ];
    const item = (index: number, id: string) => [
      event({ type: 'response.output_item.added', output_index: index, item: { id: `fc_${id}`, type: 'function_call', call_id: id, name: 'weather', arguments: '' } }),
      event({ type: 'response.function_call_arguments.delta', output_index: index, item_id: `fc_${id}`, delta: '{"city":"Oslo"' }),
    ];
    const whole = { type: 'function_call', id: 'fc_a', call_id: 'a', name: 'weather', arguments: '{"city":"Oslo"}' };
    for (const [protocol, events, said] of [
      ['openai-chat', [chunkEvent({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] }), chunkEvent({}, { finishReason: 'tool_calls' })], [run]],
      // (No finish reason: the first call's arguments came in one piece, a JSON object, as Gemini's do.)
      ['openai-chat', [0, 1].map((index) => chunkEvent({ tool_calls: [{ index, id: `${index}`, type: 'function', function: { name: 'weather', arguments: index ? '{"city":"Oslo"' : '{"city":"Oslo"}' } }] })), [run, complete]],
      ['anthropic', [event(started), ...block(0, 'a', '{"city":"Oslo"}'), event({ type: 'content_block_stop', index: 0 }), ...block(1, 'b')], [run, complete]],
      ['openai-responses', [...item(0, 'a'), event({ type: 'response.output_item.done', output_index: 0, item: whole }), ...item(1, 'b')], [run, complete]],
    ] as const) {
      for (const how of ['stop', 'failure']) {
        const body = new TestBody();
        const { conversation, clock, ends } = conversationFor(fakeFetch({ body }), { protocol, tools: [weather] });
        const sent = conversation.send('?');
        body.write(events.join(''));
        // (Not the clock: the finish reason's grace would end the stream, and the tools would run. The
        // protocol's module comes in a download first.)
        while (conversation.draft?.message.tool_calls?.at(said.length - 1)?.function.arguments !== '{"city":"Oslo"' + (said.length > 1 ? '' : '}')) await nextTask();
        if (how === 'stop') conversation.stop();
        // (After a finish reason, a stream cut is its end: a provider's error is a failure.)
        else if (protocol === 'openai-chat') body.write(sse({ error: { message: 'Boom.' } }));
        else body.fail(new TypeError('network down'));
        await endOf(conversation, sent, ends, clock);
        const calls = conversation.messages[1]!.tool_calls!;
        const results = how === 'stop' ? said : said.map((text) => text.replace('stopped by the user before the', 'the response broke off before this'));
        expect(calls.map((call) => conversation.toolResult(call)?.content), `${protocol} ${how}`).to.deep.equal(results);
        expect(calls.map((call) => conversation.toolState(call)), `${protocol} ${how}`).to.deep.equal(said.map(() => (how === 'stop' ? 'stopped' : 'error')));
      }
    }
  });

  it('a call streaming is `streaming`; the draft is gone while tools run', async () => {
    const body = new TestBody();
    const pending = deferred<string>();
    const { conversation, clock, ends } = setUp([{ body }, { body: answer('ok') }], [{ name: 'slow', execute: () => pending.promise }]);
    const sent = conversation.send('?');
    body.write(chunkEvent({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'slow', arguments: '{' } }] }));
    await runOut(clock);
    const call = conversation.draft!.message.tool_calls![0]!;
    expect(conversation.toolState(call)).to.equal('streaming');
    body.write(chunkEvent({ tool_calls: [{ index: 0, function: { arguments: '}' } }] }, { finishReason: 'tool_calls' }) + DONE);
    body.end();
    await runOut(clock);
    expect(conversation.draft).to.equal(undefined);
    expect(conversation.toolState(call)).to.equal('running');
    pending.resolve('fine');
    await doneOf(conversation, sent, ends, clock);
    expect(conversation.toolState(call)).to.equal('done');
  });
  it('respond() with a thenable whose then() throws: a failure for the call, not a throw from respond()', async () => {
    const fetch = fakeFetch({ body: calling({ id: 'a', name: 'ask', args: '{}' }) }, { body: answer('fine') });
    const { conversation, clock, ends } = conversationFor(fetch, { tools: [{ name: 'ask' }] });
    const sent = conversation.send('Q');
    await runOut(clock);
    expect(conversation.status).to.equal(Status.waiting);
    const broken = {
      then: () => {
        throw new Error('broken thenable');
      },
    };
    expect(conversation.respond('a', broken)).to.equal(true);
    const detail = await doneOf(conversation, sent, ends, clock);
    expect(detail.steps[0]!.results.map((result) => result.content)).to.deep.equal(['Error: broken thenable']);
    expect(detail.content).to.equal('fine');
  });

  it('respond() with a value whose then getter throws: a failure for the call, not a throw from respond()', async () => {
    const fetch = fakeFetch({ body: calling({ id: 'a', name: 'ask', args: '{}' }) }, { body: answer('fine') });
    const { conversation, clock, ends } = conversationFor(fetch, { tools: [{ name: 'ask' }] });
    const sent = conversation.send('Q');
    await runOut(clock);
    const broken = {
      get then(): never {
        throw new Error('broken getter');
      },
    };
    expect(conversation.respond('a', broken)).to.equal(true);
    const detail = await doneOf(conversation, sent, ends, clock);
    expect(detail.steps[0]!.results.map((result) => result.content)).to.deep.equal(['Error: broken getter']);
  });

  describe('a promise given as a result that no longer counts is let go: its rejection is not unhandled', () => {
    it('a second answer of a listener', async () => {
      const { conversation, clock, ends } = setUp([{ body: calling({ id: 'a', name: 'ask', args: '{}' }) }, { body: answer('ok') }], [{ name: 'ask' }]);
      conversation.addEventListener('tool-call', (event) => {
        event.detail.respond('yes');
        event.detail.respond(Promise.reject(new Error('a second answer, ignored')));
      });
      await doneOf(conversation, conversation.send('?'), ends, clock);
      await nextTask();
    });

    it('an answer after the turn was stopped (a dialog closed late)', async () => {
      const { conversation, clock, ends } = setUp([{ body: calling({ id: 'b', name: 'ask', args: '{}' }) }], [{ name: 'ask' }]);
      let later: ((value: unknown) => void) | undefined;
      conversation.addEventListener('tool-call', (event) => (later = event.detail.respond));
      const sent = conversation.send('?');
      await runOut(clock);
      conversation.stop();
      await doneOf(conversation, sent, ends, clock);
      later!(Promise.reject(new Error('dialog closed')));
      await nextTask();
    });

    it('one respond() refused (no call in flight has its id), the page ignoring the false', async () => {
      const { conversation, clock, ends } = setUp([{ body: calling({ id: 'w', name: 'ask', args: '{}' }) }], [{ name: 'ask' }]);
      // Before, each rejection was unhandled: the promise was left to a page that took it as answered.
      conversation.respond('w', Promise.reject(new Error('no turn yet')));
      const sent = conversation.send('?');
      await runOut(clock);
      expect(conversation.respond('unknown-id', Promise.reject(new Error('a wrong id')))).to.equal(false);
      conversation.stop();
      await doneOf(conversation, sent, ends, clock);
      expect(conversation.respond('w', Promise.reject(new Error('the turn ended')))).to.equal(false);
      // One of another realm, a tool's in an iframe, too (found in review: `instanceof` missed it).
      const frame = document.body.appendChild(document.createElement('iframe'));
      const other = frame.contentWindow as typeof window;
      const reasons: unknown[] = [];
      const record = (event: PromiseRejectionEvent) => void reasons.push(event.reason);
      for (const realm of [window, other]) realm.addEventListener('unhandledrejection', record);
      expect(conversation.respond('w', other.Promise.reject(new other.Error('an iframe’s')))).to.equal(false);
      await new Promise((resolve) => setTimeout(resolve, 0));
      window.removeEventListener('unhandledrejection', record);
      frame.remove();
      expect(reasons.map(String)).to.deep.equal([]);
    });

    it('an async tool that stops its turn, then fails', async () => {
      const holder: { conversation?: Conversation } = {};
      const halt: Tool = {
        name: 'halt',
        execute: async () => {
          holder.conversation!.stop();
          throw new Error('cancelled by the tool');
        },
      };
      const { conversation, clock, ends } = setUp([{ body: calling({ id: 'c', name: 'halt', args: '{}' }) }], [halt]);
      holder.conversation = conversation;
      expect((await doneOf(conversation, conversation.send('?'), ends, clock)).aborted).to.equal(true);
      await nextTask();
    });
  });

  it('toolResult() and toolState() read messages again when the same array is set, changed in place', () => {
    const { conversation } = conversationFor(fakeFetch({ body: answer('x') }));
    const call = { id: 'c1', type: 'function' as const, function: { name: 't', arguments: '{}' } };
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: '', tool_calls: [call] },
    ];
    conversation.messages = messages;
    expect(conversation.toolResult(call)).to.equal(undefined);
    messages.push({ role: 'tool', tool_call_id: 'c1', content: 'ok' });
    conversation.messages = messages;
    expect(conversation.toolResult(call)?.content).to.equal('ok');
    expect(conversation.toolState(call)).to.equal('done');
  });

  it('a result that is content parts with an image (a screenshot tool\'s) is the result\'s content as it is; parts without an image, or not parts, are JSON as before', async () => {
    const parts = [
      { type: 'text', text: 'The page:' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ];
    const fetch = fakeFetch(
      { body: calling({ id: 'a', name: 'shot', args: '{}' }, { id: 'b', name: 'said', args: '{}' }, { id: 'c', name: 'odd', args: '{}' }, { id: 'd', name: 'later', args: '{}' }) },
      { body: answer('ok') },
    );
    const { conversation, clock, ends } = conversationFor(fetch, {
      tools: [
        { name: 'shot', execute: () => parts },
        // Text parts alone, and a list with an image part that is not one (no URL): data, as JSON.
        { name: 'said', execute: () => [{ type: 'text', text: 'hi' }] },
        { name: 'odd', execute: () => [{ type: 'image_url' }, { type: 'image_url', image_url: { url: 'x.png' } }] },
        { name: 'later' },
      ],
    });
    conversation.addEventListener('tool-call', (event) => {
      const { call, respond } = (event as CustomEvent<ToolCallDetail>).detail;
      if (call.function.name === 'later') respond(Promise.resolve([{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }]));
    });
    const detail = await doneOf(conversation, conversation.send('Q'), ends, clock);
    const [shot, said, odd, later] = detail.steps[0]!.results.map((result) => result.content);
    expect(shot).to.deep.equal(parts);
    expect(shot, 'a copy: the tool keeps its own array').not.to.equal(parts);
    expect(said).to.equal('[{"type":"text","text":"hi"}]');
    expect(odd).to.equal('[{"type":"image_url"},{"type":"image_url","image_url":{"url":"x.png"}}]');
    expect(later).to.deep.equal([{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }]);
    // On chat-completions, the tool message keeps the text and the images follow in a user message.
    const sent = (JSON.parse(fetch.requests[1]!.init.body as string) as { messages: ChatMessage[] }).messages;
    expect(sent[2]).to.deep.equal({ role: 'tool', tool_call_id: 'a', content: 'The page:' });
    expect(sent.at(-1)!.role).to.equal('user');
    expect(JSON.stringify(sent.at(-1)!.content)).to.contain('iVBORw0KGgo=').and.contain('https://example.com/a.png');
  });

  it("a result that is content parts with a file (a PDF a tool printed) is parts, as one with an image: the file goes where images go; a file an API cannot take, and audio, are data, as JSON", async () => {
    const printed = [{ type: 'text', text: 'The page, printed:' }, pdf];
    const uploaded = [{ type: 'file', file: { file_id: 'file-abc123' } }];
    const junk = [
      [{ type: 'file' }],
      [{ type: 'file', file: { file_data: 'blob:https://example.com/4f1c', filename: 'a.pdf' } }],
      [{ type: 'file', file: { file_id: 'file-abc123', filename: 5 } }],
      // An empty id is none: kept, every later request was refused (Anthropic's not even built).
      [{ type: 'file', file: { file_id: '' } }],
      [{ type: 'text', text: 'Said:' }, recording],
    ];
    const results = [printed, uploaded, ...junk];
    const fetch = fakeFetch({ body: calling(...results.map((_, at) => ({ id: `r${at}`, name: `t${at}`, args: '{}' }))) }, { body: answer('ok') });
    const { conversation, clock, ends } = conversationFor(fetch, { tools: results.map((result, at) => ({ name: `t${at}`, execute: () => result })) });
    const detail = await doneOf(conversation, conversation.send('Q'), ends, clock);
    // Before: every one was JSON, and the model read a PDF's base64 as text.
    expect(detail.steps[0]!.results.map((result) => result.content)).to.deep.equal([printed, uploaded, ...junk.map((result) => JSON.stringify(result))]);
    // On chat-completions, the tool message keeps the text and the files follow in a user message, each after its call's name.
    const sent = (JSON.parse(fetch.requests[1]!.init.body as string) as { messages: ChatMessage[] }).messages;
    expect(sent.slice(2, 4)).to.deep.equal([
      { role: 'tool', tool_call_id: 'r0', content: 'The page, printed:' },
      { role: 'tool', tool_call_id: 'r1', content: '(attached after the tool results)' },
    ]);
    expect(sent.at(-1)).to.deep.equal({
      role: 'user',
      content: [{ type: 'text', text: 'Attached to the t0 result (r0):' }, pdf, { type: 'text', text: 'Attached to the t1 result (r1):' }, ...uploaded],
    });
  });

  it('parts a tool returns are read once, as JSON reads them: a getter that throws fails the call (no unhandled rejection, the turn ends), a hole is a null, one that changes its value gives the first', async () => {
    const image = { type: 'image_url', image_url: { url: 'https://example.com/a.png' } };
    const sparse: unknown[] = [];
    sparse[1] = image;
    let reads = 0;
    const fickle = { type: 'image_url', image_url: { get url() { return reads++ ? 42 : 'https://example.com/b.png'; } } };
    const fetch = fakeFetch({ body: calling({ id: 'a', name: 'throws', args: '{}' }, { id: 'b', name: 'sparse', args: '{}' }, { id: 'c', name: 'fickle', args: '{}' }) }, { body: answer('ok') });
    const { conversation, clock, ends } = conversationFor(fetch, {
      tools: [
        { name: 'throws', execute: () => [image, { type: 'text', get text(): string { throw new Error('no text'); } }] },
        { name: 'sparse', execute: () => sparse },
        { name: 'fickle', execute: () => [fickle] },
      ],
    });
    const detail = await doneOf(conversation, conversation.send('Q'), ends, clock);
    const [throws, holed, changing] = detail.steps[0]!.results.map((result) => result.content);
    expect(throws).to.equal('Error: the result is not JSON-serialisable (no text).');
    expect(holed).to.equal('[null,{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]');
    expect(changing).to.deep.equal([{ type: 'image_url', image_url: { url: 'https://example.com/b.png' } }]);
  });

  it('parts whose image is not one the card shows or an API takes (a blob: URL, a relative or empty one) are data, as JSON: kept as parts, every later request of the conversation was refused', async () => {
    const results = [
      [{ type: 'text', text: 'The page:' }, { type: 'image_url', image_url: { url: 'blob:https://example.com/4f1c' } }],
      [{ type: 'image_url', image_url: { url: 'shot.png' } }],
      [{ type: 'image_url', image_url: { url: '' } }],
      [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }, { type: 'image_url', image_url: { url: 'javascript:alert(1)' } }],
    ];
    const fetch = fakeFetch({ body: calling(...results.map((_, at) => ({ id: `r${at}`, name: `t${at}`, args: '{}' }))) }, { body: answer('ok') });
    const { conversation, clock, ends } = conversationFor(fetch, { tools: results.map((result, at) => ({ name: `t${at}`, execute: () => result })) });
    const detail = await doneOf(conversation, conversation.send('Q'), ends, clock);
    expect(detail.steps[0]!.results.map((result) => result.content)).to.deep.equal(results.map((result) => JSON.stringify(result)));
    const sent = (JSON.parse(fetch.requests[1]!.init.body as string) as { messages: ChatMessage[] }).messages;
    expect(sent.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'tool', 'tool', 'tool', 'tool']);
  });

  it('a result JSON has nothing for (a function) is a failure, never a tool message without content', async () => {
    const fetch = fakeFetch({ body: calling({ id: 'a', name: 't', args: '{}' }) }, { body: answer('ok') });
    const { conversation, clock, ends } = conversationFor(fetch, { tools: [{ name: 't', execute: () => () => 1 }] });
    const detail = await doneOf(conversation, conversation.send('Q'), ends, clock);
    expect(detail.steps[0]!.results[0]!.content).to.equal('Error: the result is not JSON-serialisable (a function).');
    const sent = (JSON.parse(fetch.requests[1]!.init.body as string) as { messages: ChatMessage[] }).messages[2]!;
    expect(sent.content).to.equal('Error: the result is not JSON-serialisable (a function).');
  });
});
