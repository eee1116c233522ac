/**
 * The tool loop in the element, end to end against the real local SSE server: what the second
 * request carries, parallel calls running at once, text before and after the calls in order, the
 * card of each call through its states, listeners and late answers, stop, send and removal while a
 * tool runs, and the card's accessibility in every state in both colour schemes. The loop's every
 * branch, headless, is in tools.test.ts.
 */
import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../src/index.js';
import type { ChatMessage, DoneDetail, Tool } from '../src/core/types.js';
import { systemClock } from '../src/core/transport.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { printed, screenshot } from './helpers/history.js';
import { DONE, anthropicBlocks, callingReply, chunkEvent, httpError, mockEndpoint, responsesReply, sse, streamingReply, type MockResponse } from './helpers/server.js';
import { fakeFetch, TestBody } from './helpers/streaming.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { hasCdp, itWithCdp } from './helpers/cdp.js';

async function chatWith(scripts: MockResponse[], tools: Tool[]) {
  const endpoint = await mockEndpoint(scripts);
  const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
  el.tools = tools;
  return { el, endpoint };
}

function parts(el: StreamChatElement, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}

/** Each card as `name · state`. */
function cards(el: StreamChatElement): string[] {
  return parts(el, 'tool-call').map((card) => {
    const name = card.querySelector('[part~="tool-name"]')?.textContent;
    const state = card.querySelector('[part~="tool-state"]')?.textContent;
    return `${name} · ${state}`;
  });
}

/** Records every done and error of the element. */
function ends(el: StreamChatElement): string[] {
  const log: string[] = [];
  el.addEventListener('done', (event) => log.push(`done${event.detail.aborted ? ' aborted' : ''}`));
  el.addEventListener('error', (event) => log.push(`error ${event.detail.error.kind}`));
  return log;
}

/** The one text node of the log that reads `text` (the status region may say it too). */
function textNode(el: StreamChatElement, text: string): Text {
  const walker = document.createTreeWalker(parts(el, 'log')[0]!, NodeFilter.SHOW_TEXT);
  const found: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.textContent === text) found.push(node as Text);
  expect(found, `text nodes reading "${text}"`).to.have.length(1);
  return found[0]!;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

const clock: Tool<{ city: string }> = {
  name: 'time_in',
  description: 'The local time in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  execute: ({ city }) => ({ city, time: '14:05' }),
};

describe('<stream-chat> tools', () => {
  failOnUnhandledRejection();

  afterEach(async () => {
    if (hasCdp) await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  });

  it('runs a call and asks again by itself: the second request holds the calls and the results in order; one done', async () => {
    const { el, endpoint } = await chatWith(
      [
        callingReply([
          { id: 'call_a', name: 'time_in', args: '{"city":"Lima"}' },
          { id: 'call_b', name: 'time_in', args: '{"city":"Oslo"}' },
        ]),
        streamingReply(['It is 14:05 ', 'in both.']),
      ],
      [clock],
    );
    const log = ends(el);
    const toolEvents: string[] = [];
    el.addEventListener('tool-call', (event) => toolEvents.push(`${event.detail.call.id} ${JSON.stringify(event.detail.args)}`));
    const detail = await el.send('Time in Lima and Oslo?');
    expect(detail.content).to.equal('It is 14:05 in both.');
    expect(detail.steps).to.have.length(2);
    expect(log).to.deep.equal(['done']);
    expect(toolEvents).to.deep.equal(['call_a {"city":"Lima"}', 'call_b {"city":"Oslo"}']);
    const [first, second] = await endpoint.settled();
    expect((first!.body as { tools: unknown }).tools).to.deep.equal([
      { type: 'function', function: { name: 'time_in', description: 'The local time in a city', parameters: clock.parameters } },
    ]);
    const messages = (second!.body as { messages: ChatMessage[] }).messages;
    expect(messages).to.deep.equal([
      { role: 'user', content: 'Time in Lima and Oslo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'time_in', arguments: '{"city":"Lima"}' } },
          { id: 'call_b', type: 'function', function: { name: 'time_in', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"city":"Lima","time":"14:05"}' },
      { role: 'tool', tool_call_id: 'call_b', content: '{"city":"Oslo","time":"14:05"}' },
    ]);
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['time_in · Done', 'time_in · Done']);
    const [card] = parts(el, 'tool-call');
    expect(card!.querySelector('[part~="tool-arguments"]')!.textContent).to.equal('{\n  "city": "Lima"\n}');
    const result = card!.querySelector<HTMLDetailsElement>('[part~="tool-result"]')!;
    expect(result.open).to.equal(false);
    expect(result.textContent).to.include('"time": "14:05"');
    // The answer after the calls renders after them.
    const order = [...el.shadowRoot!.querySelectorAll('[part~="tool-call"], [part~="assistant"]:not([hidden])')].map((node) => node.getAttribute('part'));
    expect(order).to.deep.equal(['tool-call', 'tool-call', 'message assistant']);
  });

  it('a call cut off at the length limit is not run: its answer is marked cut off at the length limit, and the status region says so; Regenerate is there', async () => {
    const cut: MockResponse = {
      steps: [
        { write: chunkEvent({ role: 'assistant', content: 'Looking up ' }) },
        { write: chunkEvent({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city": "Kra' } }] }) },
        { write: chunkEvent({}, { finishReason: 'length' }) },
        { write: DONE },
      ],
    };
    let ran = 0;
    const { el } = await chatWith([cut, streamingReply(['Again'])], [{ name: 'weather', execute: () => String(++ran) }]);
    const log = ends(el);
    await el.send('Weather in Kraków?');
    await el.updateComplete;
    // Before, the call failed on its card ("not a JSON object") and a second request went out.
    expect([ran, log, el.messages.length]).to.deep.equal([0, ['done'], 2]);
    expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal(['Cut off at the length limit']);
    // Not run, and said so: before, its card had no state.
    expect(cards(el)).to.deep.equal(['weather · Stopped']);
    expect(el.shadowRoot!.querySelector('.announce')!.textContent).to.equal('Looking up\nCut off at the length limit');
    expect(parts(el, 'regenerate')).to.have.length(1);
  });

  it('parallel calls run concurrently: both tools start before either settles; their results go back in call order, not the order they finished in', async () => {
    const lima = deferred<string>();
    const oslo = deferred<string>();
    const started: string[] = [];
    const { el, endpoint } = await chatWith(
      [
        callingReply([
          { id: 'call_lima', name: 'lima_time', args: '{}' },
          { id: 'call_oslo', name: 'oslo_time', args: '{}' },
        ]),
        streamingReply(['Both known.']),
      ],
      [
        { name: 'lima_time', execute: () => (started.push('lima'), lima.promise) },
        { name: 'oslo_time', execute: () => (started.push('oslo'), oslo.promise) },
      ],
    );
    const log = ends(el);
    const sent = el.send('Lima and Oslo?');
    await waitUntil(() => started.length === 2, 'both tools run at once, neither having settled');
    expect(started).to.deep.equal(['lima', 'oslo']);
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['lima_time · Running…', 'oslo_time · Running…']);
    // The second call finishes first.
    oslo.resolve('09:05 in Oslo');
    await waitUntil(() => cards(el)[1] === 'oslo_time · Done', 'the second card done');
    expect(cards(el)[0]).to.equal('lima_time · Running…');
    expect(await endpoint.requests(), 'no request before every call has its result').to.have.length(1);
    lima.resolve('03:05 in Lima');
    expect((await sent).content).to.equal('Both known.');
    const [, second] = await endpoint.settled();
    expect((second!.body as { messages: ChatMessage[] }).messages.slice(-2)).to.deep.equal([
      { role: 'tool', tool_call_id: 'call_lima', content: '03:05 in Lima' },
      { role: 'tool', tool_call_id: 'call_oslo', content: '09:05 in Oslo' },
    ]);
    expect(log).to.deep.equal(['done']);
  });

  it('text before and after the calls renders in order: the first text, then the cards, then the answer of the next step', async () => {
    const { el } = await chatWith(
      [
        {
          steps: [
            { write: chunkEvent({ role: 'assistant', content: '' }) },
            { write: chunkEvent({ content: 'Let me check the clocks.' }) },
            { write: chunkEvent({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'time_in', arguments: '{"city":"Lima"}' } }] }) },
            { write: chunkEvent({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'time_in', arguments: '{"city":"Oslo"}' } }] }) },
            { write: chunkEvent({}, { finishReason: 'tool_calls' }) },
            { write: DONE },
          ],
        },
        streamingReply(['It is 14:05 in both.']),
      ],
      [clock],
    );
    const detail = await el.send('Time in Lima and Oslo?');
    expect(detail.steps.map((step) => step.message.content)).to.deep.equal(['Let me check the clocks.', 'It is 14:05 in both.']);
    await el.updateComplete;
    const before = textNode(el, 'Let me check the clocks.');
    const after = textNode(el, 'It is 14:05 in both.');
    const [first, second] = parts(el, 'tool-call');
    expect(cards(el)).to.deep.equal(['time_in · Done', 'time_in · Done']);
    const follows = (a: Node, b: Node) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    expect(follows(before, first!), 'the first card after the text before the calls').to.equal(true);
    expect(follows(first!, second!), 'the cards in call order').to.equal(true);
    expect(follows(second!, after), 'the answer of the next step after the cards').to.equal(true);
    expect(second!.contains(after), 'the answer is not inside a card').to.equal(false);
  });

  itWithCdp('the card shows each state as it happens: calling, running, done; Stop stays up until the loop ends', async () => {
    const running = deferred<string>();
    // The arguments' second half held until the test has seen the first.
    const { el, endpoint } = await chatWith([callingReply([{ id: 'c', name: 'slow', args: '{"n":1}' }], 'half seen'), streamingReply(['Finished.'])], [{ name: 'slow', execute: () => running.promise }]);
    const sent = el.send('go');
    await waitUntil(() => cards(el)[0] === 'slow · Calling…', 'the call shows while its arguments stream', { timeout: 3000 });
    expect(parts(el, 'tool-arguments')[0]!.textContent).to.equal('{"n');
    await endpoint.release('half seen');
    await waitUntil(() => cards(el)[0] === 'slow · Running…', 'running once complete', { timeout: 4000 });
    expect(el.conversation.status).to.equal('running-tools');
    expect(parts(el, 'stop')).to.have.length(1);
    running.resolve('ok');
    await sent;
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['slow · Done']);
    expect(parts(el, 'send')).to.have.length(1);
    const spoken = (await executeServerCommand<string[]>('cdp-spoken-text')).join(' | ');
    expect(spoken).to.include('slow | Done');
  });

  itWithCdp('a running call’s dot and the typing dots pulse, unless the reader asked for reduced motion', async () => {
    const running = deferred<string>();
    const { el, endpoint } = await chatWith(
      // Nothing of the answer until the test has seen the typing dots.
      [{ steps: [{ hold: 'typing seen' }, ...callingReply([{ id: 'c', name: 'slow', args: '{}' }]).steps!] }, streamingReply(['Finished.'])],
      [{ name: 'slow', execute: () => running.promise }],
    );
    const sent = el.send('go');
    const animations = () => {
      const typing = parts(el, 'typing')[0]?.querySelector('span');
      const state = parts(el, 'tool-state')[0];
      return [typing && getComputedStyle(typing).animationName, state && getComputedStyle(state, '::before').animationName];
    };
    await waitUntil(() => parts(el, 'typing').length === 1, 'the typing indicator');
    expect(animations()[0]).to.equal('pulse');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(animations()[0]).to.equal('none');
    await endpoint.release('typing seen');
    await waitUntil(() => cards(el)[0] === 'slow · Running…', 'the tool runs', { timeout: 4000 });
    expect(animations()[1]).to.equal('none');
    await emulateMedia({ reducedMotion: 'no-preference' });
    expect(animations()[1]).to.equal('pulse');
    running.resolve('ok');
    await sent;
  });

  it('errors: invalid JSON, an unknown tool and a throwing tool show as errors on their cards, and the loop goes on; one done', async () => {
    const { el, endpoint } = await chatWith(
      [
        callingReply([
          { id: '1', name: 'time_in', args: '{"city": Lima' },
          { id: '2', name: 'nope', args: '{}' },
          { id: '3', name: 'boom', args: '{}' },
        ]),
        streamingReply(['Sorry.']),
      ],
      [clock, { name: 'boom', execute: () => Promise.reject(new Error('kaput')) }],
    );
    const log = ends(el);
    const detail = await el.send('?');
    expect(detail.content).to.equal('Sorry.');
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['time_in · Error', 'nope · Error', 'boom · Error']);
    expect(parts(el, 'tool-call')[2]!.querySelector('[part~="tool-result"]')!.textContent).to.include('Error: kaput');
    const [, second] = await endpoint.settled();
    const results = (second!.body as { messages: ChatMessage[] }).messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
    expect(results[0]).to.match(/^Error: The arguments of time_in are not a JSON object/);
    expect(results[1]).to.match(/^Error: There is no tool named "nope"/);
    expect(results[2]).to.equal('Error: kaput');
    expect(log).to.deep.equal(['done']);
  });

  // Tool calls as providers stream them, played by the real server: every shape runs and answers.
  const shapes: Record<string, { steps: string[]; results: string[] }> = {
    'Mistral (no index, the id on every fragment)': {
      steps: [
        chunkEvent({ tool_calls: [{ id: 'm1', function: { name: 'time_in', arguments: '{"city":' } }] }),
        chunkEvent({ tool_calls: [{ id: 'm1', function: { arguments: '"Rome"}' } }] }),
        chunkEvent({ tool_calls: [{ id: 'm2', function: { name: 'time_in', arguments: '{"city":"Oslo"}' } }] }, { finishReason: 'tool_calls' }),
      ],
      results: ['{"city":"Rome","time":"14:05"}', '{"city":"Oslo","time":"14:05"}'],
    },
    'Groq (whole calls in one chunk)': {
      steps: [
        chunkEvent(
          {
            tool_calls: [
              { index: 0, id: 'g1', type: 'function', function: { name: 'time_in', arguments: '{"city":"Lima"}' } },
              { index: 1, id: 'g2', type: 'function', function: { name: 'time_in', arguments: '{"city":"Kyiv"}' } },
            ],
          },
          { finishReason: 'tool_calls' },
        ),
      ],
      results: ['{"city":"Lima","time":"14:05"}', '{"city":"Kyiv","time":"14:05"}'],
    },
    'Gemini (a whole call without index, finish_reason stop)': {
      steps: [chunkEvent({ role: 'assistant', tool_calls: [{ id: '', type: 'function', function: { name: 'time_in', arguments: '{"city":"Accra"}' } }] }, { finishReason: 'stop' })],
      results: ['{"city":"Accra","time":"14:05"}'],
    },
  };
  for (const [provider, { steps, results }] of Object.entries(shapes)) {
    it(`runs the calls of ${provider}`, async () => {
      const { el, endpoint } = await chatWith([{ steps: [...steps, DONE].map((write) => ({ write })) }, streamingReply(['ok'])], [clock]);
      const log = ends(el);
      await el.send('?');
      const [, second] = await endpoint.settled();
      const sent = (second!.body as { messages: ChatMessage[] }).messages.filter((m) => m.role === 'tool').map((m) => m.content);
      expect(sent).to.deep.equal(results);
      expect(log).to.deep.equal(['done']);
    });
  }

  it('a tool that throws: its card shows the error, the loop goes on; one done', async () => {
    const { el, endpoint } = await chatWith(
      [callingReply([{ id: 't', name: 'throws', args: '{}' }]), streamingReply(['recovered'])],
      [{ name: 'throws', execute: () => { throw new TypeError('bad input'); } }],
    );
    const log = ends(el);
    expect((await el.send('?')).content).to.equal('recovered');
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['throws · Error']);
    const [, second] = await endpoint.settled();
    expect((second!.body as { messages: ChatMessage[] }).messages.at(-1)!.content).to.equal('Error: bad input');
    expect(log).to.deep.equal(['done']);
  });

  it('a failure in the second request is the send’s one error; the first step stays', async () => {
    const { el } = await chatWith([callingReply([{ id: 'a', name: 'time_in', args: '{"city":"Rome"}' }]), { status: 500, headers: { 'content-type': 'application/json' }, steps: [{ write: '{"error":{"message":"down"}}' }] }], [clock]);
    const log = ends(el);
    const error = await el.send('?').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).to.have.property('kind', 'http');
    expect(log).to.deep.equal(['error http']);
    expect(el.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool']);
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['time_in · Done']);
    expect(parts(el, 'error')).to.have.length(1);
  });

  it('a card’s arguments and result are indented once, not at every render of the log', async () => {
    const call = callingReply([{ id: 'r', name: 'time_in', args: '{"city":"Rome"}' }]);
    const { el } = await chatWith([call, streamingReply(['It is 14:05.'])], [clock]);
    await el.send('Time?');
    await el.updateComplete;
    const { parse } = JSON;
    const parsed: string[] = [];
    JSON.parse = ((text: string, ...rest: []) => (parsed.push(text), parse(text, ...rest))) as typeof JSON.parse;
    try {
      for (let i = 0; i < 3; i++) {
        el.requestUpdate();
        await el.updateComplete;
      }
    } finally {
      JSON.parse = parse;
    }
    // Before, both parsed again at each render: a 50-step loop of 30 KB results took 15 ms a render.
    expect(parsed.filter((text) => text.includes('Rome'))).to.deep.equal([]);
    expect(parts(el, 'tool-arguments')[0]!.textContent).to.equal('{\n  "city": "Rome"\n}');
  });

  it('a card shows the numbers of its arguments and its result as they were sent where their value would change: an id past 2^53, 1e400 are not rounded or made null (1.50 beside them kept too)', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Where is my order?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'get_order', arguments: '{"id":12345678901234567890,"price":1.50,"far":1e400}' } }] },
      { role: 'tool', tool_call_id: 'c', content: '{"id":9007199254740993,"total":[10.0,-0]}' },
    ];
    await el.updateComplete;
    // Before, parsed and written again: 12345678901234567000, 1.5 and null, 9007199254740992 and 10,
    // which the model never sent, nor the tool returned.
    expect(parts(el, 'tool-arguments')[0]!.textContent).to.equal('{\n  "id": 12345678901234567890,\n  "price": 1.50,\n  "far": 1e400\n}');
    expect(el.shadowRoot!.querySelector('[part~="tool-result"] pre')!.textContent).to.equal('{\n  "id": 9007199254740993,\n  "total": [\n    10.0,\n    -0\n  ]\n}');
    // A decimal of 17 digits, which parsing rounds (0.12345678901234566), kept too.
    el.messages = [...el.messages, { role: 'assistant', content: null, tool_calls: [{ id: 'd', type: 'function', function: { name: 'get_order', arguments: '{"price":1.50,"n":0.12345678901234567}' } }] }];
    await el.updateComplete;
    expect(parts(el, 'tool-arguments')[1]!.textContent).to.equal('{\n  "price": 1.50,\n  "n": 0.12345678901234567\n}');
    // Without an exponent or 16 digits, parsed without the reviver, which made a parse 6 to 30 times
    // slower: 1.50 as 1.5, the same value (with the reviver at every parse, 1.50).
    el.messages = [...el.messages, { role: 'assistant', content: null, tool_calls: [{ id: 'e', type: 'function', function: { name: 'get_order', arguments: '{"price":1.50}' } }] }];
    await el.updateComplete;
    expect(parts(el, 'tool-arguments')[2]!.textContent).to.equal('{\n  "price": 1.5\n}');
  });

  it('arguments and a result nested deep (`[[[…]]]`, a model looping on a bracket) show as they were sent, not indented to the square of their depth; nested some levels, indented', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const deep = '['.repeat(1000) + ']'.repeat(1000);
    const nested = '{"a":'.repeat(12) + '[1,2]' + '}'.repeat(12);
    el.messages = [
      { role: 'user', content: 'Q' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'f', arguments: deep } },
          { id: 'b', type: 'function', function: { name: 'f', arguments: nested } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: deep },
      { role: 'tool', tool_call_id: 'b', content: 'ok' },
    ];
    await el.updateComplete;
    // Before, indented: 2,000 characters were 2 MB of spaces (8 KB were 32 MB, which Chromium took
    // 26 s to lay out, the page frozen).
    for (const shown of [parts(el, 'tool-arguments')[0]!, el.shadowRoot!.querySelector('[part~="tool-result"] pre')!]) {
      expect(shown.textContent).to.have.length(deep.length).and.equal(deep);
    }
    expect(parts(el, 'tool-arguments')[1]!.textContent).to.equal(JSON.stringify(JSON.parse(nested), null, 2));
  });

  it('a card is as wide as the answer, from the first piece of its arguments to its result, as the answer is: not as wide as what it holds', async () => {
    const { el, endpoint } = await chatWith([callingReply([{ id: 'w', name: 'write_file', args: '{"path":"a.txt"}' }], 'half'), streamingReply(['Written.'])], [{ name: 'write_file', execute: () => 'ok' }]);
    el.style.cssText = 'display: block; width: 600px';
    const sent = el.send('Write it');
    await waitUntil(() => parts(el, 'tool-arguments')[0]?.textContent === '{"path":', 'the first half of the arguments', { timeout: 2000 });
    const widths = () => {
      const card = parts(el, 'tool-call')[0]!;
      return [card.getBoundingClientRect().width, card.closest('.turn')!.getBoundingClientRect().width];
    };
    const [streaming, column] = widths();
    // Before, shrink-to-fit (192 px here): as the arguments streamed, the card measured all of them
    // again every frame, which at 150 KB (a file a tool writes) took 170 to 270 ms a frame, against
    // 30 to 50 as wide as the column (the answer is, for that reason: see the styles).
    expect(streaming).to.be.closeTo(column!, 1);
    await endpoint.release('half');
    await sent;
    await el.updateComplete;
    expect(widths()[0], 'done, its result folded').to.be.closeTo(column!, 1);
  });

  it('a call whose final word disagrees with its streamed arguments (Responses: a proxy changed a fragment) shows the final ones as they come, not at the end of the response', async () => {
    const at = { item_id: 'fc_1', output_index: 0 };
    const call = { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'time_in', arguments: '{"city":"Kraków"}' };
    const step: MockResponse = {
      steps: [
        { write: sse({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [] } }) },
        { write: sse({ type: 'response.output_item.added', output_index: 0, item: { ...call, status: 'in_progress', arguments: '' } }) },
        { write: sse({ type: 'response.function_call_arguments.delta', ...at, delta: '{"city":"Krak' }) },
        { write: sse({ type: 'response.function_call_arguments.delta', ...at, delta: 'ow"}' }) },
        { hold: 'streamed' },
        { write: sse({ type: 'response.function_call_arguments.done', ...at, arguments: call.arguments }) },
        { hold: 'whole' },
        { write: sse({ type: 'response.output_item.done', output_index: 0, item: { ...call, status: 'completed' } }) },
        { write: sse({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', output: [call] } }) },
      ],
    };
    const { el, endpoint } = await chatWith([step, responsesReply(['14:05.'])], [clock]);
    el.setAttribute('protocol', 'openai-responses');
    const sent = el.send('Time in Kraków?');
    const shown = () => parts(el, 'tool-arguments')[0]?.textContent;
    await waitUntil(() => shown() === '{"city":"Krakow"}', 'the streamed arguments', { timeout: 2000 });
    await endpoint.release('streamed');
    // Before, the streamed ones stayed until the response ended.
    await waitUntil(() => shown() === call.arguments, `the final arguments while the response streams (shown: ${shown()})`, { timeout: 2000 }).catch(() => {});
    expect(shown()).to.equal(call.arguments);
    expect(el.streaming).to.equal(true);
    await endpoint.release('whole');
    expect((await sent).content).to.equal('14:05.');
    expect(shown()).to.equal(JSON.stringify(JSON.parse(call.arguments), null, 2));
  });

  for (const [name, deep] of [
    // (Unindented, pretty() gave none, and the result's <pre> took dir=auto, as a text's: an Arabic
    // string first laid the JSON out right to left.)
    ['', '["مرحبا",' + '['.repeat(1000) + ']'.repeat(1000) + ']'],
    // (Found in review of e522f16: the reviver for such texts overflows on JSON 20,000 deep in Chromium
    // and Firefox, where JSON.parse alone reads it; caught, no pretty text, and dir=auto again.)
    [', with a number-like text (a hash’s `9e1…`),', '["مرحبا","9e107d9d372bb682",' + '['.repeat(20000) + ']'.repeat(20000) + ']'],
  ])
    it(`a result in JSON nested too deep to indent${name} is still code: left to right, as an indented one, not in the direction of its first letter`, async () => {
      const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
      el.messages = [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'a', content: deep! },
      ];
      await el.updateComplete;
      const pre = el.shadowRoot!.querySelector<HTMLElement>('[part~="tool-result"] pre')!;
      expect(pre.textContent).to.equal(deep);
      expect(pre.dir).to.equal('ltr');
    });

  it('long arguments scroll in their card, some lines tall: as they stream their end shows, and the scroller is a tab stop described by its tool’s name; a page lifts the cap', async () => {
    // (A 2,000-item array, some 88 KB, made a card 168,140 px tall: a reader scrolled past all of it.)
    const args = JSON.stringify({ items: Array.from({ length: 300 }, (_, id) => ({ id, name: `item ${id}`, tags: ['a', 'b'] })) });
    const { el, endpoint } = await chatWith([callingReply([{ id: 'big', name: 'store', args }], 'half'), streamingReply(['Stored.'])], [{ name: 'store', execute: () => 'ok' }]);
    const sent = el.send('Store them');
    const pre = () => parts(el, 'tool-arguments')[0]!;
    await waitUntil(() => pre()?.textContent!.length > 2000, 'some of the arguments streamed', { timeout: 4000 });
    const line = parseFloat(getComputedStyle(pre()).lineHeight);
    const { top, bottom } = pre().getBoundingClientRect();
    expect(bottom - top, 'the arguments as they stream').to.be.within(10 * line, 17 * line);
    await waitUntil(() => pre().tabIndex === 0, 'a stop while it streams');
    expect([pre().getAttribute('role'), el.shadowRoot!.getElementById(pre().getAttribute('aria-describedby')!)?.textContent]).to.deep.equal(['group', 'store']);
    // The latest text shows, at the scroller's end, as the log shows the end of what streams.
    const streamed = document.createRange();
    streamed.selectNodeContents(pre());
    expect(streamed.getBoundingClientRect().bottom, 'the end of the arguments so far').to.be.within(bottom - 2 * line, bottom);
    await endpoint.release('half');
    expect((await sent).content).to.equal('Stored.');
    await el.updateComplete;
    const card = parts(el, 'tool-call')[0]!;
    expect(card.getBoundingClientRect().height, 'the card once they are pretty-printed').to.be.below(20 * line);
    expect(pre().scrollHeight, 'the whole arguments, to scroll through').to.be.above(300 * line);
    // Pretty-printed, they show from their start.
    const whole = document.createRange();
    whole.selectNodeContents(pre());
    expect(whole.getBoundingClientRect().top).to.be.within(pre().getBoundingClientRect().top - 1, pre().getBoundingClientRect().top + line);
    await waitUntil(() => pre().tabIndex === 0, 'a stop while it scrolls');
    const style = document.head.appendChild(document.createElement('style'));
    try {
      style.textContent = 'stream-chat::part(tool-arguments) { max-height: none }';
      await waitUntil(() => pre().tabIndex === -1, 'no stop once the page lifts the cap: it does not scroll');
      expect(card.getBoundingClientRect().height).to.be.above(300 * line);
    } finally {
      style.remove();
    }
    // A stop again as it scrolls again: the waits for one above pass on the template's tabindex="0"
    // alone, this one on the observer's (found in review).
    await waitUntil(() => pre().tabIndex === 0, 'a stop again once capped');
  });

  /**
   * A call whose arguments stream into their card, 40 lines at a time from a body the test writes
   * (`more(from)`, then waits until they are there and the view is still), already at their end;
   * where the reader is in them, from their start and from their end (in px).
   */
  async function streamingArguments() {
    const lines = (from: number) => Array.from({ length: 40 }, (_, i) => `"k${from + i}": ${from + i},\n`).join('');
    const body = new TestBody(chunkEvent({ role: 'assistant', content: null }), chunkEvent({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'store', arguments: '{\n' + lines(0) } }] }));
    const write = (from: number) => body.write(chunkEvent({ tool_calls: [{ index: 0, function: { arguments: lines(from) } }] }));
    const more = async (from: number, written = false) => {
      written || write(from);
      await waitUntil(() => pre().textContent!.includes(`k${from + 39}`), 'more arguments');
      // Until the view stops moving (the scroll, if under way, ends): still for 200 ms, which a
      // smooth scroll's easing never is (in a frame or two, Firefox's moved 2 px more after).
      for (let was = NaN, since = 0; !(fromStart() === was && performance.now() - since > 200); await nextFrame())
        if (fromStart() !== was) (was = fromStart()), (since = performance.now());
    };
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint="https://api.example.com/v1/chat/completions" retries="0"></stream-chat>`);
    el.tools = [{ name: 'store', execute: () => 'ok' }];
    el.fetch = fakeFetch({ body }, { body: chunkEvent({ content: 'Stored.' }) + chunkEvent({}, { finishReason: 'stop' }) + DONE });
    const sent = el.send('Store them');
    const pre = () => parts(el, 'tool-arguments')[0]!;
    const line = () => parseFloat(getComputedStyle(pre()).lineHeight);
    const text = () => {
      const range = document.createRange();
      range.selectNodeContents(pre());
      return range.getBoundingClientRect();
    };
    const fromStart = () => pre().getBoundingClientRect().top - text().top;
    const fromEnd = () => text().bottom - pre().getBoundingClientRect().bottom;
    await waitUntil(() => pre()?.textContent!.includes('k39') && fromStart() > 10 * line() && fromEnd() < line(), 'the arguments so far, at their end');
    const end = async () => {
      body.write(chunkEvent({ tool_calls: [{ index: 0, function: { arguments: '"end": 1}' } }] }) + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE);
      body.end();
      expect((await sent).content).to.equal('Stored.');
    };
    return { pre, line, write, more, fromStart, fromEnd, end };
  }

  // (A scroller in reverse kept them at their end: more during a key's scroll took Chromium's to the
  // top, and during a smooth scroll's Firefox's down by all that came, as WebKit's, with no scroll
  // anchoring, went down every time.)
  for (const [how, up] of [
    ['a key', (pre: HTMLElement) => (pre.focus(), sendKeys({ press: 'PageUp' }))],
    ['a smooth scroll', (pre: HTMLElement) => pre.scrollBy({ top: -100, behavior: 'smooth' })],
  ] as const)
    it(`a reader who scrolls up in streaming arguments (${how}) reads on where they were as more arrive, also during the scroll; scrolled back to the end, it follows the end again`, async () => {
      const { pre, line, more, fromStart, fromEnd, end: ended } = await streamingArguments();
      const end = fromStart();
      await up(pre());
      await waitUntil(() => fromStart() < end, 'the scroll up under way');
      await more(40);
      const read = fromStart();
      expect(read, 'where the reader scrolled up to, as more arrived').to.be.within(end - pre().clientHeight - line(), end - line());
      expect(fromEnd(), 'the end, below').to.be.above(40 * line());
      await more(80);
      expect(fromStart(), 'what the reader scrolled up to, as more arrived after').to.be.closeTo(read, 1);
      pre().scrollBy({ top: pre().scrollHeight, behavior: 'instant' });
      await nextFrame();
      await more(120);
      expect(fromEnd(), 'followed again').to.be.below(line());
      await ended();
    });

  // More that came as the reader's scroll began, before it moved the view, was written into a box
  // still at its end, which kept it there: scrolled to the end, the scroll under way was cancelled.
  // (A wheel's smooth scroll is a wheel event, then the scroll: a script's scrollBy here.)
  for (const [how, up] of [
    ['a key', (pre: HTMLElement, write: () => void) => (pre.focus(), pre.addEventListener('keydown', write, { once: true }), sendKeys({ press: 'PageUp' }))],
    ['a wheel', (pre: HTMLElement, write: () => void) => (pre.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, bubbles: true, composed: true })), pre.scrollBy({ top: -100, behavior: 'smooth' }), write())],
  ] as const)
    it(`a reader’s scroll up in streaming arguments (${how}) that more arrive with, before it has moved them, is not cancelled`, async () => {
      const { pre, line, write, more, fromStart, fromEnd, end: ended } = await streamingArguments();
      const end = fromStart();
      await up(pre(), () => write(40));
      await more(40, true);
      expect(fromStart(), 'where the reader scrolled up to').to.be.below(end - line());
      expect(fromEnd(), 'the end, below').to.be.above(40 * line());
      await ended();
    });

  it('a result opened scrolls in its card, some lines tall, a tab stop while it scrolls; short arguments and a short result are as they were: no stop, nothing to scroll', async () => {
    const long = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    const { el } = await chatWith(
      [
        callingReply([
          { id: 'a', name: 'short', args: '{"n":1}' },
          { id: 'b', name: 'long', args: '{"n":2}' },
        ]),
        streamingReply(['Both.']),
      ],
      [
        { name: 'short', execute: () => 'fine' },
        { name: 'long', execute: () => long },
      ],
    );
    await el.send('Go');
    await el.updateComplete;
    const results = parts(el, 'tool-result') as HTMLDetailsElement[];
    results.forEach((result) => (result.open = true));
    const [short, tall] = results.map((result) => result.querySelector('pre')!);
    const line = parseFloat(getComputedStyle(tall!).lineHeight);
    await waitUntil(() => tall!.tabIndex === 0, 'the long result a stop once opened');
    expect(tall!.getBoundingClientRect().height).to.be.within(10 * line, 17 * line);
    expect(tall!.scrollHeight).to.be.above(400 * line);
    expect([tall!.getAttribute('role'), el.shadowRoot!.getElementById(tall!.getAttribute('aria-describedby')!)?.textContent]).to.deep.equal(['group', 'Result']);
    const fits = [...parts(el, 'tool-arguments'), short!];
    await waitUntil(() => fits.every((pre) => pre.tabIndex === -1), 'no stop where nothing scrolls');
    for (const pre of fits) expect(pre.scrollHeight, pre.textContent!).to.equal(pre.clientHeight);
    expect(parts(el, 'tool-arguments')[0]!.getBoundingClientRect().height).to.be.within(2.5 * line, 3.5 * line);
  });

  it('a large result opened lays out the lines in view, not all of them (a 2 MB one froze the page for seconds): its text, its copy and its scrolling as before', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    // Every tenth name long enough to wrap: a block laid out is taller than its placeholder.
    const rows = Array.from({ length: 1500 }, (_, id) => ({ id, name: id % 10 ? `row ${id}` : `row ${id} `.padEnd(300, 'x '), tags: ['a', 'b'] }));
    const indented = JSON.stringify(rows, null, 2);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'big', type: 'function', function: { name: 'query', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'big', content: JSON.stringify(rows) },
    ];
    await el.updateComplete;
    // Shown closed first, as the reader sees it before opening it.
    await nextFrame();
    await nextFrame();
    // Which boxes skip laying out their content, as the browser says (content-visibility: auto).
    const skipped = new Map<EventTarget, boolean>();
    el.shadowRoot!.addEventListener('contentvisibilityautostatechange', (event) => skipped.set(event.target!, (event as Event & { skipped: boolean }).skipped), true);
    const result = parts(el, 'tool-result')[0] as HTMLDetailsElement;
    result.open = true;
    const pre = result.querySelector('pre')!;
    await waitUntil(() => pre.tabIndex === 0, 'a stop once opened: it scrolls');
    await nextFrame();
    await nextFrame();
    // The lines of text in boxes laid out: no box between the text and the result skips its content.
    let laidOut = 0;
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let box = node.parentElement;
      while (box !== pre && !skipped.get(box!)) box = box!.parentElement;
      if (box === pre) laidOut += node.textContent!.split('\n').length - 1;
    }
    // Before, all 12,002 of them at once (2.16 MB, 160k lines: 3.1 s of layout in Chromium). Not in
    // WebKit, which has no scroll anchoring: a block taller than its estimate (lines that wrap) would
    // move the text as it comes into view, so every block is laid out there.
    // Nor were the others laid out meanwhile (a block once laid out keeps its height, `auto`): Firefox
    // laid out every block as a closed result opened (1.0 to 2.2 s for 1.8 MB), then skipped them.
    const placeholder = 200 * parseFloat(getComputedStyle(pre.querySelector('.lines > div')!).lineHeight);
    const sized = [...pre.querySelectorAll('.lines > div')].filter((block) => Math.abs(block.getBoundingClientRect().height - placeholder) > 1);
    if (CSS.supports('overflow-anchor: auto')) {
      expect(laidOut, 'lines laid out').to.be.below(1000);
      expect(sized.length, 'blocks laid out since it opened').to.be.below(3);
    } else expect(laidOut, 'lines laid out (WebKit)').to.equal(12001);
    expect(pre.textContent, 'the text').to.equal(indented);
    const selection = getSelection()!;
    selection.selectAllChildren(pre);
    // (A selected block is laid out for the copy, as the reader's Ctrl+C comes: Firefox's selection
    // reads no block that skips its layout.)
    await nextFrame();
    await nextFrame();
    const copied = selection.toString();
    selection.removeAllRanges();
    // (WebKit's selection ends a block with a line break when anything rendered follows it.)
    expect(copied.replace(/\n$/, ''), 'the copy').to.equal(indented);
    pre.scrollTop = pre.scrollHeight;
    await nextFrame();
    await nextFrame();
    pre.scrollTop = pre.scrollHeight;
    await nextFrame();
    // Scrolled to the end, its last line is there to read.
    const texts = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    let text = texts.nextNode() as Text;
    for (let node = text; node; node = texts.nextNode() as Text) text = node;
    const end = document.createRange();
    end.setStart(text, text.length - 1);
    end.setEnd(text, text.length);
    const last = end.getBoundingClientRect();
    const box = pre.getBoundingClientRect();
    expect(last.bottom, 'the end in view').to.be.within(box.top, box.bottom + 1);
  });

  it('a large text result with a blank line where a block of 200 lines ends shows that blank line, as a short one does', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    // 400 lines of 60 characters (24 KB: in blocks), the 200th blank: the first block ends with it.
    const text = Array.from({ length: 400 }, (_, i) => (i === 199 ? '' : `line ${i} `.padEnd(60, '.'))).join('\n');
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'log', type: 'function', function: { name: 'read', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'log', content: text },
    ];
    await el.updateComplete;
    const result = parts(el, 'tool-result')[0] as HTMLDetailsElement;
    result.open = true;
    const pre = result.querySelector('pre')!;
    await nextFrame();
    // Where a line starts on screen, by its text.
    const top = (line: string) => {
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        const at = node.data.indexOf(line);
        if (at < 0) continue;
        node.parentElement!.scrollIntoView({ block: 'nearest' });
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + line.length);
        return range.getBoundingClientRect().top - pre.getBoundingClientRect().top + pre.scrollTop;
      }
      throw new Error(`no ${line}`);
    };
    const line = top('line 198 ') - top('line 197 ');
    expect(line).to.be.above(0);
    // Before, one line from line 198 to line 200: the blank line between them not shown.
    expect(top('line 200 ') - top('line 198 '), 'from line 198 to line 200').to.be.closeTo(2 * line, 1);
  });

  it('a page that puts one message object in `messages` twice: each card’s scrollers are described by that card’s own name and summary, and keep their ids as the log renders again', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const question: ChatMessage = { role: 'user', content: 'Weather?' };
    const calling: ChatMessage = { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] };
    const result: ChatMessage = { role: 'tool', tool_call_id: 'a', content: '21' };
    // A result whose call is in no message is shown on its own: twice here too.
    const alone: ChatMessage = { role: 'tool', tool_call_id: 'gone', content: 'late' };
    el.messages = [question, calling, result, alone, question, calling, result, alone];
    await el.updateComplete;
    const root = el.shadowRoot!;
    const described = [...root.querySelectorAll('[part~=tool-call] pre')];
    expect(described).to.have.length(6);
    // Before, both of a card's twins had the same id: every description pointed at the first card.
    const ids = [...root.querySelectorAll('[id]')].map((node) => node.id);
    expect(new Set(ids).size, ids.join(' ')).to.equal(ids.length);
    for (const pre of described) expect(pre.closest('[part~=tool-call]')!.contains(root.getElementById(pre.getAttribute('aria-describedby')!))).to.equal(true);
    // Rendered again (as each frame of a stream does), nothing of them is written again.
    const written: string[] = [];
    const observer = new MutationObserver((records) => written.push(...records.map((record) => record.attributeName!)));
    observer.observe(root, { subtree: true, attributeFilter: ['id', 'aria-describedby'] });
    el.requestUpdate();
    await el.updateComplete;
    await nextFrame();
    observer.disconnect();
    expect(written).to.deep.equal([]);
  });

  it('the status region says a turn started, then its answers once the loop ends: a tool call does not empty it', async () => {
    const call = callingReply([{ id: 'r', name: 'time_in', args: '{"city":"Rome"}' }]);
    const { el } = await chatWith([call, call, streamingReply(['It is 14:05.'])], [clock]);
    const status = el.shadowRoot!.querySelector('.announce')!;
    const said: string[] = [];
    new MutationObserver(() => said.push(status.textContent!)).observe(status, { childList: true, characterData: true, subtree: true });
    await el.send('Time?');
    await el.updateComplete;
    // Before, "" at each call: the region emptied while the tools ran.
    expect(said).to.deep.equal(['Assistant is typing', 'It is 14:05.']);
  });

  it('max-steps: the attribute caps the responses of one send; one done', async () => {
    const call = callingReply([{ id: 'r', name: 'time_in', args: '{"city":"Rome"}' }]);
    const { el, endpoint } = await chatWith([call, call, streamingReply(['Noted.'])], [clock]);
    el.setAttribute('max-steps', '2');
    const log = ends(el);
    const detail = await el.send('loop');
    expect(detail.steps).to.have.length(2);
    expect(await endpoint.settled()).to.have.length(2);
    expect(el.maxSteps).to.equal(2);
    expect(log).to.deep.equal(['done']);
    // The turn's end says why it ended there, on screen and in the status region (before, nothing
    // said it: two cards, then no answer); not under the step before it.
    await el.updateComplete;
    const markers = parts(el, 'marker');
    expect(markers.map((marker) => marker.textContent)).to.deep.equal(['Stopped at the step limit']);
    expect(markers[0]!.closest('.turn')).to.equal(parts(el, 'tool-call')[1]!.closest('.turn'));
    await waitUntil(() => el.shadowRoot!.querySelector('.announce')!.textContent!.endsWith('Stopped at the step limit'), 'the status region says it');
    // A question after it leaves it where it was.
    await el.send('ok');
    await el.updateComplete;
    expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal(['Stopped at the step limit']);
  });

  it('max-steps: the answer it stopped has Retry, which goes on from its tools’ results (Regenerate would run them again)', async () => {
    const call = callingReply([{ id: 'r', name: 'time_in', args: '{"city":"Rome"}' }]);
    const { el, endpoint } = await chatWith([call, streamingReply(['It is 14:05.'])], [clock]);
    el.maxSteps = 1;
    await el.send('Time?');
    await el.updateComplete;
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="action"][part~="retry"]');
    expect(retry?.textContent, 'Retry, on the answer the limit stopped').to.equal('Retry');
    const done = new Promise((resolve) => el.addEventListener('done', resolve, { once: true }));
    retry!.click();
    await done;
    const [, second] = await endpoint.settled();
    expect((second!.body as { messages: ChatMessage[] }).messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool']);
    expect(el.messages.at(-1)!.content).to.equal('It is 14:05.');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="action"][part~="retry"]'), 'gone once the turn went on').to.equal(null);
  });

  for (const when of ['after its tools ran', 'while one of its tools runs, another having run'] as const) {
    it(`a stop between steps, ${when}: the stopped answer has Retry, which goes on from the results, no tool run again; Regenerate stays`, async () => {
      let sent = 0;
      const calls = [{ id: 'e', name: 'send_email', args: '{"to":"ana@example.com"}' }];
      const tools: Tool[] = [{ name: 'send_email', execute: () => `sent ${++sent}` }];
      if (when !== 'after its tools ran') calls.push({ id: 's', name: 'slow', args: '{}' }), tools.push({ name: 'slow', execute: () => new Promise<string>(() => {}) });
      const awaited: MockResponse[] = when === 'after its tools ran' ? [{ steps: [{ hold: 'asked' }] }] : [];
      const { el, endpoint } = await chatWith([callingReply(calls), ...awaited, streamingReply(['Sent it.'])], tools);
      const turn = el.send('Email Ana');
      if (when === 'after its tools ran') await waitUntil(async () => (await endpoint.requests()).length === 2, 'the next response is asked for');
      else await waitUntil(() => sent === 1 && el.conversation.status === 'running-tools', 'the email sent, the other tool runs');
      el.stop();
      expect((await turn).aborted).to.equal(true);
      await el.updateComplete;
      const actions = () => parts(el, 'action').map((button) => button.dataset['action']);
      // Before, Regenerate alone: it asks again, and the email goes again.
      expect(actions()).to.deep.equal(['copy', 'edit', 'retry', 'regenerate']);
      const done = new Promise((resolve) => el.addEventListener('done', resolve, { once: true }));
      parts(el, 'retry')[0]!.click();
      await done;
      const requests = await endpoint.requests();
      const results = (requests.at(-1)!.body as { messages: ChatMessage[] }).messages.filter((message) => message.role === 'tool').map((message) => message.content);
      expect(results).to.deep.equal(when === 'after its tools ran' ? ['sent 1'] : ['sent 1', 'Error: stopped by the user before the tool returned a result.']);
      expect(sent, 'the email went once').to.equal(1);
      expect(el.messages.at(-1)!.content).to.equal('Sent it.');
      await el.updateComplete;
      expect(actions()).to.deep.equal(['copy', 'edit', 'copy', 'regenerate']);
      expect(parts(el, 'stopped')).to.have.length(0);
    });
  }

  it('a stop while the response that goes on with a turn Anthropic paused is awaited: the paused answer has Retry, which goes on with its blocks', async () => {
    const { el, endpoint } = await chatWith(
      [
        anthropicBlocks('pause_turn', [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Searching.' }], [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'Ørsted' } }]),
        { steps: [{ hold: 'asked' }] },
        anthropicBlocks('end_turn', [{ type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }], [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Found it.' }]),
      ],
      [],
    );
    el.protocol = 'anthropic';
    const turn = el.send('Who is Ørsted?');
    // (The Anthropic protocol's module loads first.)
    await waitUntil(async () => (await endpoint.requests()).length === 2, 'the response that goes on is asked for', { timeout: 5000 });
    el.stop();
    await turn;
    await el.updateComplete;
    const actions = () => parts(el, 'action').map((button) => button.dataset['action']);
    // Before, Regenerate alone: the search asked for again.
    expect(actions()).to.deep.equal(['copy', 'edit', 'copy', 'retry', 'regenerate']);
    parts(el, 'retry')[0]!.click();
    await waitUntil(() => el.messages.at(-1)?.content === 'Found it.', 'the turn goes on');
    const blocks = ((await endpoint.requests())[2]!.body as { messages: Array<{ content: Array<{ type: string }> }> }).messages.at(-1)!.content;
    expect(blocks.map((block) => block.type)).to.deep.equal(['text', 'server_tool_use']);
  });

  it('a stop while the only tool of an answer that ran a server tool (its blocks kept) runs: none ran, Regenerate alone', async () => {
    const { el } = await chatWith(
      [
        anthropicBlocks(
          'tool_use',
          [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'Ørsted' } }],
          [{ type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }],
          [{ type: 'tool_use', id: 'toolu_1', name: 'slow', input: {} }, { type: 'input_json_delta', partial_json: '{}' }],
        ),
      ],
      [{ name: 'slow', execute: () => new Promise<string>(() => {}) }],
    );
    el.protocol = 'anthropic';
    const turn = el.send('Who is Ørsted?');
    await waitUntil(() => el.conversation.status === 'running-tools', 'the tool runs', { timeout: 5000 });
    expect(el.conversation.messages.at(-1)!.content_blocks, 'kept as its blocks (it ran a server tool)').to.be.an('array');
    el.stop();
    await turn;
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['slow · Stopped']);
    // No tool of it ran: Retry would send the stop's result as if it went on.
    expect(parts(el, 'action').map((button) => button.dataset['action'])).to.deep.equal(['copy', 'edit', 'regenerate']);
  });

  it('max-steps: the marker goes by the calls that ended the turn, not by finish_reason; a failed turn has none', async () => {
    // A call with finish_reason "stop" (Gemini's) at the limit: before, no marker.
    const geminiCall = callingReply([{ id: 'g', name: 'time_in', args: '{"city":"Rome"}' }]);
    geminiCall.steps!.splice(-2, 1, { write: chunkEvent({}, { finishReason: 'stop' }) });
    // An answer without calls whose finish_reason says tool_calls: before, marked.
    const odd: MockResponse = { steps: [{ write: chunkEvent({ role: 'assistant', content: 'Hello there.' }) }, { write: chunkEvent({}, { finishReason: 'tool_calls' }) }, { write: DONE }] };
    const { el } = await chatWith([geminiCall, odd, callingReply([{ id: 'h', name: 'time_in', args: '{"city":"Oslo"}' }]), httpError(500, 'down')], [clock]);
    el.maxSteps = 1;
    await el.send('Time in Rome?');
    await el.updateComplete;
    expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal(['Stopped at the step limit']);
    await el.send('Hi');
    await el.updateComplete;
    expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal(['Stopped at the step limit']);
    // A turn whose next step failed: its failure is marked, not a step limit (before, both).
    el.maxSteps = 5;
    await el.send('Time in Oslo?').catch(() => {});
    await el.updateComplete;
    expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal(['Stopped at the step limit', 'Answer failed']);
  });

  it('max-steps: the marker shows when the page takes its tools away while the last step’s call runs (it went by the tools set at the end)', async () => {
    let release!: (result: string) => void;
    const wait = { name: 'wait', execute: () => new Promise<string>((resolve) => (release = resolve)) };
    const { el } = await chatWith([callingReply([{ id: 'w', name: 'wait', args: '{}' }])], [wait]);
    el.maxSteps = 1;
    const sent = el.send('Wait for it');
    await waitUntil(() => el.conversation.status === 'running-tools', 'the call runs');
    el.tools = [];
    release('done');
    await sent;
    await el.updateComplete;
    expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal(['Stopped at the step limit']);
  });

  it('max-steps: a turn without tools that ends with calls (the host runs them) has no step-limit marker', async () => {
    const { el } = await chatWith([callingReply([{ id: 'r', name: 'time_in', args: '{"city":"Rome"}' }])], []);
    await el.send('What time is it in Rome?');
    await el.updateComplete;
    expect(parts(el, 'marker')).to.deep.equal([]);
    // Its card, which the page has not answered, has no state: no `tool-state`, an empty class.
    expect(parts(el, 'tool-call').map((card) => [card.className, card.querySelector('[part~="tool-state"]')])).to.deep.equal([['', null]]);
    // So has one without a result in `messages` a page set, also with `tools` set: none runs it.
    el.tools = [{ name: 'time_in', execute: () => '12:00' }];
    el.messages = [el.messages[0]!, el.messages[1]!];
    await el.updateComplete;
    expect(parts(el, 'tool-call').map((card) => [card.className, card.querySelector('[part~="tool-state"]')])).to.deep.equal([['', null]]);
  });

  it('a tool without execute waits, the card says so; a late conversation.respond() carries on; one done', async () => {
    const { el, endpoint } = await chatWith([callingReply([{ id: 'ask_1', name: 'ask_user', args: '{"q":"Which city?"}' }]), streamingReply(['Paris, then.'])], [{ name: 'ask_user' }]);
    const log = ends(el);
    const sent = el.send('Plan a trip');
    await waitUntil(() => cards(el)[0] === 'ask_user · Waiting for a result', 'the call waits');
    expect(el.conversation.status).to.equal('waiting');
    expect(log, 'no end while the call waits').to.deep.equal([]);
    expect(el.conversation.respond('ask_1', 'Paris')).to.equal(true);
    expect((await sent).content).to.equal('Paris, then.');
    const [, second] = await endpoint.settled();
    expect((second!.body as { messages: ChatMessage[] }).messages.at(-1)).to.deep.equal({ role: 'tool', tool_call_id: 'ask_1', content: 'Paris' });
    expect(log).to.deep.equal(['done']);
  });

  it('a tool-call listener on the element answers with respond(): execute does not run; one done', async () => {
    let ran = false;
    const { el, endpoint } = await chatWith([callingReply([{ id: 'x', name: 'time_in', args: '{"city":"Baku"}' }]), streamingReply(['ok'])], [{ ...clock, execute: () => (ran = true) }]);
    const log = ends(el);
    el.addEventListener('tool-call', (event) => event.detail.respond('from the page'));
    await el.send('?');
    expect(ran).to.equal(false);
    const [, second] = await endpoint.settled();
    expect((second!.body as { messages: ChatMessage[] }).messages.at(-1)!.content).to.equal('from the page');
    expect(log).to.deep.equal(['done']);
  });

  for (const how of ['the Stop button', 'Escape', 'send()', 'removal'] as const) {
    it(`${how} while a tool runs: its signal aborts, one done with aborted, no request after it`, async () => {
      let signal: AbortSignal | undefined;
      const never = new Promise<string>(() => {});
      const { el, endpoint } = await chatWith(
        [callingReply([{ id: 's', name: 'slow', args: '{}' }]), streamingReply(['second answer'])],
        [{ name: 'slow', execute: (_args, context) => ((signal = context.signal), never) }],
      );
      const log = ends(el);
      const first = el.send('first');
      await waitUntil(() => signal !== undefined, 'the tool runs');
      await el.updateComplete;
      let second: Promise<DoneDetail> | undefined;
      if (how === 'the Stop button') parts(el, 'stop')[0]!.click();
      else if (how === 'Escape') {
        parts(el, 'log')[0]!.focus();
        await sendKeys({ press: 'Escape' });
      } else if (how === 'send()') second = el.send('second');
      // (Removed, at the next microtask: a move puts it back before then.)
      else el.remove(), await Promise.resolve();
      expect(signal!.aborted).to.equal(true);
      if (how === 'removal') {
        // Removed, the element dispatches nothing; its send still settles.
        expect((await first).aborted).to.equal(true);
        expect(log).to.deep.equal([]);
        expect(await endpoint.settled()).to.have.length(1);
        return;
      }
      expect((await first).aborted).to.equal(true);
      if (second) {
        expect((await second).content).to.equal('second answer');
        expect(log).to.deep.equal(['done aborted', 'done']);
        expect(await endpoint.settled()).to.have.length(2);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(log).to.deep.equal(['done aborted']);
        expect(await endpoint.settled()).to.have.length(1);
        await el.updateComplete;
        // Stopped, not failed: a red Error read as if the tool broke.
        expect(cards(el)).to.deep.equal(['slow · Stopped']);
        expect(parts(el, 'stopped')).to.have.length(1);
        // None ran: Regenerate alone, as after a stop mid-answer.
        expect(parts(el, 'retry')).to.have.length(0);
      }
    });
  }

  it('parallel calls from a server that sends no ids: each card shows its own result, none is shown again on its own', async () => {
    const { el } = await chatWith(
      [
        callingReply([
          { id: '', name: 'lima_time', args: '{}' },
          { id: '', name: 'oslo_time', args: '{}' },
        ]),
        streamingReply(['Both known.']),
      ],
      [
        { name: 'lima_time', execute: () => 'in Lima' },
        { name: 'oslo_time', execute: () => 'in Oslo' },
      ],
    );
    await el.send('Times?');
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['lima_time · Done', 'oslo_time · Done']);
    expect(parts(el, 'tool-call').map((card) => card.querySelector('[part~="tool-result"] pre')?.textContent)).to.deep.equal(['in Lima', 'in Oslo']);
    // The question, and one answer: its cards and its text (a tool loop is one answer on screen).
    expect(el.shadowRoot!.querySelectorAll('.turn')).to.have.length(2);
  });

  it('a tool loop is one answer: one group and speaker, its stats line kept while the tools run, one row at its end', async () => {
    let finish!: (result: string) => void;
    const { el } = await chatWith(
      [callingReply([{ id: 'a', name: 'slow', args: '{}' }], 100), streamingReply(['It is *done*.'], { gap: 100 })],
      [{ name: 'slow', execute: () => new Promise<string>((resolve) => (finish = resolve)) }],
    );
    el.stats = true;
    const sent = el.send('Go');
    await waitUntil(() => el.conversation.status === 'running-tools', 'the tool runs');
    await el.updateComplete;
    // Before, the line went while the tool ran, and came back under a second answer.
    expect(parts(el, 'stats'), 'the line while the tool runs').to.have.length(1);
    finish('ok');
    await sent;
    await el.updateComplete;
    const answers = el.shadowRoot!.querySelectorAll('.turn.assistant');
    expect(answers, 'one answer').to.have.length(1);
    expect(parts(el, 'speaker').map((speaker) => speaker.textContent)).to.deep.equal(['You:', 'Assistant:']);
    expect(answers[0]!.querySelectorAll('[part~="tool-call"]')).to.have.length(1);
    expect(parts(el, 'stats')).to.have.length(1);
    expect(answers[0]!.querySelectorAll(':scope > .actions')).to.have.length(1);
    expect(parts(el, 'stats')[0]!.nextElementSibling, 'the line at its end, above its row').to.equal(answers[0]!.querySelector(':scope > .actions'));
  });

  it('the stats line kept while the tools run goes on counting the turn’s time, as it did while the step streamed: it stood still for the run, then jumped', async () => {
    let finish!: (result: string) => void;
    const { el } = await chatWith(
      [callingReply([{ id: 'a', name: 'slow', args: '{}' }], 100), streamingReply(['Done.'])],
      [{ name: 'slow', execute: () => new Promise<string>((resolve) => (finish = resolve)) }],
    );
    el.stats = true;
    // The turn's time on a clock the test moves on instead of waiting for it.
    let ahead = 0;
    el.conversation.options.clock = { ...systemClock, now: () => systemClock.now() + ahead };
    const sent = el.send('Go');
    await waitUntil(() => el.conversation.status === 'running-tools', 'the tool runs');
    await el.updateComplete;
    const line = () => parts(el, 'stats')[0]?.textContent;
    const before = line();
    // The line says the turn's seconds to a tenth, and is refreshed a few times a second while it streams.
    ahead = 1200;
    await waitUntil(() => line() !== before, 'the line refreshed', { timeout: 1200 });
    const step = el.conversation.messages.at(-1)!;
    expect(el.conversation.statsOf(step)!.totalMs, 'the live stats').to.be.above(1200);
    expect(line(), 'the line 1.2 s into the run').to.not.equal(before);
    finish('ok');
    await sent;
  });

  it('focus on the Copy of a tool loop’s text while its tool runs stays in the answer when the next step streams: its row went, and focus with it to the log', async () => {
    let finish!: (result: string) => void;
    const calling: MockResponse = {
      steps: [
        { write: chunkEvent({ role: 'assistant', content: 'Let me check.' }) },
        { write: chunkEvent({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'slow', arguments: '{}' } }] }) },
        { write: chunkEvent({}, { finishReason: 'tool_calls' }) },
        { write: DONE },
      ],
    };
    // The next step held after its first piece until the test has looked.
    const { steps } = streamingReply(['It is ', 'done', '.']);
    const { el, endpoint } = await chatWith([calling, { steps: [...steps.slice(0, 2), { hold: 'looked' }, ...steps.slice(2)] }], [{ name: 'slow', execute: () => new Promise<string>((resolve) => (finish = resolve)) }]);
    const sent = el.send('Go');
    await waitUntil(() => el.conversation.status === 'running-tools', 'the tool runs');
    await el.updateComplete;
    // The reader tabs to the step's Copy (shown: the last answer's row) while the tool runs.
    const copy = parts(el, 'copy-message').at(-1)!;
    expect(copy.closest('.turn')!.matches('.assistant'), 'the answer’s Copy').to.equal(true);
    copy.focus();
    finish('ok');
    await waitUntil(() => el.conversation.draft?.arrived, 'the next step streams');
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const focused = el.shadowRoot!.activeElement;
    expect(focused?.getAttribute('part'), 'where focus is').to.not.equal('log');
    expect(!!focused?.closest('.turn.assistant'), 'focus in the answer').to.equal(true);
    await endpoint.release('looked');
    await sent;
  });

  it('hostile tool names, arguments and results stay text', async () => {
    const payload = '<img src=x onerror="window.__toolHostile=1">';
    const { el } = await chatWith([callingReply([{ id: 'h', name: payload, args: JSON.stringify({ html: payload }) }]), streamingReply(['ok'])], [{ name: payload, execute: () => payload }]);
    await el.send('?');
    await el.updateComplete;
    const [card] = parts(el, 'tool-call');
    expect(card!.querySelector('img')).to.equal(null);
    expect(card!.querySelector('[part~="tool-name"]')!.textContent).to.equal(payload);
    expect(card!.querySelector('[part~="tool-result"]')!.textContent).to.include(payload);
    expect((window as { __toolHostile?: number }).__toolHostile).to.equal(undefined);
  });

  it("a text result reads in its first letter's direction throughout, as a question does: not each line in its own, which took Chromium seconds to lay out on a line of 480 KB", async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const call = (id: string) => ({ id, type: 'function', function: { name: 'read', arguments: '{}' } }) as const;
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: null, tool_calls: [call('he'), call('en')] },
      { role: 'tool', tool_call_id: 'he', content: 'שלום עולם\nHello world.\nעוד שורה' },
      { role: 'tool', tool_call_id: 'en', content: 'Hello world.\nשלום עולם' },
    ];
    await el.updateComplete;
    const results = [...el.shadowRoot!.querySelectorAll<HTMLDetailsElement>('[part~="tool-result"]')];
    for (const result of results) result.open = true;
    const [hebrew, english] = results.map((result) => result.querySelector('pre')!) as [HTMLPreElement, HTMLPreElement];
    // Before, unicode-bidi: plaintext (the browser's for pre dir=auto): in Chromium, its cost grows
    // faster than its text.
    expect([hebrew, english].map((pre) => getComputedStyle(pre).unicodeBidi)).to.deep.equal(['isolate', 'isolate']);
    expect([hebrew, english].map((pre) => getComputedStyle(pre).direction)).to.deep.equal(['rtl', 'ltr']);
    // Its English line, in the Hebrew result, right to left too: its full stop at its left end, as in a
    // question, where each line was its own before (the card is as wide as its longest line).
    const text = document.createTreeWalker(hebrew, NodeFilter.SHOW_TEXT, (node) => (node.textContent!.includes('Hello') ? 1 : 3)).nextNode() as Text;
    const at = (offset: number) => {
      const range = document.createRange();
      range.setStart(text, offset);
      range.setEnd(text, offset + 1);
      return range.getBoundingClientRect().left;
    };
    expect(at(text.data.indexOf('.')), 'the full stop').to.be.below(at(text.data.indexOf('H')));
  });

  it("a result with images (a screenshot tool's, set by the page) shows them in its card as thumbnails, after its text", async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = screenshot;
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['screenshot · Done', 'page_url · Done']);
    const result = parts(el, 'tool-call')[0]!.querySelector('[part~="tool-result"]')!;
    expect(result.textContent).to.include('The page, 1280×720:');
    const images = [...result.querySelectorAll<HTMLImageElement>('img[part~="image"]')];
    expect(images.map((image) => image.getAttribute('src'))).to.deep.equal(['data:image/png;base64,iVBORw0KGgo=', 'https://example.com/shot.png']);
  });

  it("a result with a file (a page a tool printed) shows it in its card by its name, after its text", async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = printed;
    await el.updateComplete;
    const result = parts(el, 'tool-call')[0]!.querySelector('[part~="tool-result"]')!;
    expect([...result.querySelectorAll('[part~="file"]')].map((chip) => chip.textContent)).to.deep.equal(['report.pdf']);
    expect(result.textContent!.trim(), 'after its text').to.match(/The page, printed:\s*report\.pdf$/);
  });

  it("a call set without its arguments (a host's own history; types aside) shows its card, the chat usable: before, every render threw", async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: null, tool_calls: [{ id: '1', type: 'function', function: { name: 'now' } as never }] },
      { role: 'tool', tool_call_id: '1', content: '12:00' },
      { role: 'assistant', content: 'Noon.' },
    ];
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['now · Done']);
    el.messages = [...el.messages, { role: 'user', content: 'Thanks' }];
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('Thanks');
  });

  for (const scheme of ['light', 'dark'] as const) {
    itWithCdp(`restored cards, done and failed, are accessible (axe) in the ${scheme} scheme`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
      el.tools = [{ name: 'ask' }];
      el.messages = [
        { role: 'user', content: 'Q' },
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [
            { id: '1', type: 'function', function: { name: 'ok_tool', arguments: '{"a":1}' } },
            { id: '2', type: 'function', function: { name: 'failing_tool', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: '1', content: '{"b":2}' },
        { role: 'tool', tool_call_id: '2', content: 'Error: nope' },
        { role: 'assistant', content: 'Done.' },
      ];
      await el.updateComplete;
      await expect(el).to.be.accessible();
      // A result that reads `Error: …` is a failure, also in a conversation restored or set.
      expect(cards(el)).to.deep.equal(['ok_tool · Done', 'failing_tool · Error']);
      // A state change is announced with the tool's name: the head (name and state) is atomic in
      // the log. Before, a screen reader said a bare "Done" or "Error".
      expect(parts(el, 'tool-call').map((card) => card.querySelector('[aria-atomic="true"]')?.textContent)).to.deep.equal(['ok_toolDone', 'failing_toolError']);
    });
  }

  for (const scheme of ['light', 'dark'] as const) {
    itWithCdp(`cards calling, running, waiting for a result and failed are accessible (axe) in the ${scheme} scheme`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const running = deferred<string>();
      const { el, endpoint } = await chatWith(
        [
          {
            steps: [
              { write: chunkEvent({ role: 'assistant', content: 'Let me see.' }) },
              { write: chunkEvent({ tool_calls: [{ index: 0, id: 'c_slow', type: 'function', function: { name: 'slow', arguments: '{"n' } }] }) },
              // Time for axe while the arguments stream: the rest comes once it is done.
              { hold: 'axe' },
              { write: chunkEvent({ tool_calls: [{ index: 0, function: { arguments: '":1}' } }] }) },
              { write: chunkEvent({ tool_calls: [{ index: 1, id: 'c_ask', type: 'function', function: { name: 'ask', arguments: '{"q":"Which?"}' } }] }) },
              { write: chunkEvent({ tool_calls: [{ index: 2, id: 'c_boom', type: 'function', function: { name: 'boom', arguments: '{}' } }] }) },
              { write: chunkEvent({}, { finishReason: 'tool_calls' }) },
              { write: DONE },
            ],
          },
          streamingReply(['Done.']),
        ],
        [
          { name: 'slow', execute: () => running.promise },
          { name: 'ask' },
          { name: 'boom', execute: () => Promise.reject(new Error('kaput')) },
        ],
      );
      const log = ends(el);
      const sent = el.send('Go');
      await waitUntil(() => cards(el)[0] === 'slow · Calling…', 'the call shows while its arguments stream', { timeout: 2000 });
      await expect(el).to.be.accessible();
      expect(cards(el), 'still calling once axe is done').to.deep.equal(['slow · Calling…']);
      await endpoint.release('axe');
      const handedOut = ['slow · Running…', 'ask · Waiting for a result', 'boom · Error'];
      await waitUntil(() => cards(el).join() === handedOut.join(), 'running, waiting and failed', { timeout: 4000 });
      await expect(el).to.be.accessible();
      expect(cards(el), 'the same states once axe is done').to.deep.equal(handedOut);
      running.resolve('ok');
      expect(el.conversation.respond('c_ask', 'This one')).to.equal(true);
      expect((await sent).content).to.equal('Done.');
      expect(log).to.deep.equal(['done']);
    });
  }
});
