/**
 * A new user's audit of README's "Tools" section: each claim and sample tried as a host would, in
 * a page against the scripted SSE server, on each protocol where the section says tools work the same.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { ChatMessage, Tool } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { anthropicReply, callingReply, mockEndpoint, responsesReply, streamingReply, type MockResponse, type ReplyCall } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

async function chatWith(scripts: MockResponse[], tools: Tool[], attributes: { protocol?: string; maxSteps?: number } = {}) {
  const endpoint = await mockEndpoint(scripts);
  const el = await fixture<StreamChatElement>(
    html`<stream-chat endpoint=${endpoint.url} retries="0" protocol=${attributes.protocol ?? 'openai-chat'} max-steps=${attributes.maxSteps ?? 5}></stream-chat>`,
  );
  el.tools = tools;
  return { el, endpoint };
}

/** Each card as `name · state`. */
function cards(el: StreamChatElement): string[] {
  return [...el.shadowRoot!.querySelectorAll('[part~="tool-call"]')].map(
    (card) => `${card.querySelector('[part~="tool-name"]')?.textContent} · ${card.querySelector('[part~="tool-state"]')?.textContent ?? ''}`,
  );
}

const results = (el: StreamChatElement) => el.messages.filter((message) => message.role === 'tool').map((message) => message.content);

describe('README Tools, as a new user reads it', () => {
  failOnUnhandledRejection();

  it('execute returning a string, an object, a promise, undefined: the string as it is, the rest as JSON; each card Done', async () => {
    const tools: Tool[] = [
      { name: 'text', execute: () => 'plain' },
      { name: 'object', execute: () => ({ a: 1 }) },
      { name: 'later', execute: async () => [1, 2] },
      { name: 'nothing', execute: () => undefined },
    ];
    const { el } = await chatWith(
      [callingReply(tools.map(({ name }, i) => ({ id: `c${i}`, name, args: '{}' }))), streamingReply(['ok'])],
      tools,
    );
    await el.send('go');
    expect(results(el)).to.deep.equal(['plain', '{"a":1}', '[1,2]', 'null']);
    expect(cards(el)).to.deep.equal(['text · Done', 'object · Done', 'later · Done', 'nothing · Done']);
  });

  it('a throw, a rejection with a string and with nothing: each result says what went wrong (`Error: …`), each card Error', async () => {
    const tools: Tool[] = [
      { name: 'throws', execute: () => { throw new TypeError('bad input'); } },
      { name: 'string', execute: () => Promise.reject('quota exceeded') },
      { name: 'nothing', execute: () => Promise.reject(undefined) },
    ];
    const { el } = await chatWith([callingReply(tools.map(({ name }, i) => ({ id: `c${i}`, name, args: '{}' }))), streamingReply(['ok'])], tools);
    await el.send('go');
    const got = results(el) as string[];
    expect(got[0]).to.equal('Error: bad input');
    expect(got[1]).to.equal('Error: quota exceeded');
    expect(got[2]).to.match(/^Error: /);
    expect(cards(el)).to.deep.equal(['throws · Error', 'string · Error', 'nothing · Error']);
  });

  for (const [protocol, reply, next] of [
    ['openai-chat', (calls: ReplyCall[]) => callingReply(calls), streamingReply(['ok'])],
    ['openai-responses', (calls: ReplyCall[]) => responsesReply([], calls), responsesReply(['ok'])],
    ['anthropic', (calls: ReplyCall[]) => anthropicReply([], calls), anthropicReply(['ok'])],
  ] as const) {
    it(`${protocol}: a tool without parameters goes with an empty object schema; an unknown tool and bad JSON each get an error result; parallel calls run at once`, async () => {
      let running = 0;
      let most = 0;
      const slow = async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running--;
        return 'fine';
      };
      const tools: Tool[] = [{ name: 'a', execute: slow }, { name: 'b', description: 'B', execute: slow }];
      const { el, endpoint } = await chatWith(
        [
          reply([
            { id: 'c1', name: 'a', args: '{}' },
            { id: 'c2', name: 'b', args: '{"x":1}' },
            { id: 'c3', name: 'nope', args: '{}' },
            { id: 'c4', name: 'a', args: '{"x":' },
          ]),
          next,
        ],
        tools,
        { protocol },
      );
      await el.send('go');
      expect(most).to.equal(2);
      expect(cards(el)).to.deep.equal(['a · Done', 'b · Done', 'nope · Error', 'a · Error']);
      const [first, second] = await endpoint.settled();
      expect(JSON.stringify((first!.body as { tools: unknown }).tools)).to.include('{"type":"object","properties":{}}');
      const got = results(el) as string[];
      expect(got[2]).to.match(/^Error: There is no tool named "nope"/);
      expect(got[3]).to.match(/^Error: The arguments of a are not a JSON object/);
      // The call whose arguments are not JSON keeps them in messages, and goes back with {}.
      expect(el.messages.find((message) => message.tool_calls)?.tool_calls?.[3]?.function.arguments).to.equal('{"x":');
      const sent = JSON.stringify((second!.body as { messages?: unknown; input?: unknown }).messages ?? (second!.body as { input: unknown }).input);
      expect(sent).to.include(protocol === 'anthropic' ? '"id":"c4","name":"a","input":{}' : protocol === 'openai-chat' ? '"name":"a","arguments":"{}"}}]' : '"call_id":"c4","name":"a","arguments":"{}"');
    });

    it(`${protocol}: Stop while a tool runs aborts its signal; its card says Stopped and the model is told it was stopped`, async () => {
      let signal: AbortSignal | undefined;
      const tools: Tool[] = [{ name: 'slow', execute: (_args, context) => new Promise((resolve) => { signal = context.signal; setTimeout(() => resolve('late'), 20000); }) }];
      const { el, endpoint } = await chatWith([reply([{ id: 'c1', name: 'slow', args: '{}' }]), next], tools, { protocol });
      const sent = el.send('go');
      await waitUntil(() => signal, 'the tool runs');
      expect(cards(el)).to.deep.equal(['slow · Running…']);
      el.stop();
      const detail = await sent;
      expect(detail.aborted).to.equal(true);
      expect(signal!.aborted).to.equal(true);
      expect(cards(el)).to.deep.equal(['slow · Stopped']);
      expect(results(el)).to.deep.equal(['Error: stopped by the user before the tool returned a result.']);
      expect(await endpoint.settled()).to.have.length(1);
    });
  }

  it('a tool without execute waits; respond() answers it once: a second answer, or an unknown id, is false', async () => {
    const tools: Tool[] = [{ name: 'confirm' }];
    const { el } = await chatWith([callingReply([{ id: 'c1', name: 'confirm', args: '{}' }]), streamingReply(['ok'])], tools);
    const sent = el.send('go');
    await waitUntil(() => el.conversation.status === 'waiting', 'waiting');
    expect(cards(el)).to.deep.equal(['confirm · Waiting for a result']);
    expect(el.conversation.respond('other', 'x')).to.equal(false);
    expect(el.conversation.respond('c1', 'yes')).to.equal(true);
    expect(el.conversation.respond('c1', 'again')).to.equal(false);
    await sent;
    expect(results(el)).to.deep.equal(['yes']);
  });

  it('tools set to one tool, not an array, fails send() with a protocol error and sends nothing', async () => {
    const { el, endpoint } = await chatWith([streamingReply(['ok'])], []);
    (el as unknown as { tools: unknown }).tools = { name: 'one', execute: () => 'x' };
    const error = await el.send('go').then(() => undefined, (reason: unknown) => reason as { kind: string; message: string });
    expect(error?.kind).to.equal('protocol');
    expect(error?.message).to.include('tools must be an array of tools');
    expect(await endpoint.requests()).to.have.length(0);
  });

  it('max-steps runs out: the last step’s calls get their results, the answer is marked at the step limit, no request after', async () => {
    const tools: Tool[] = [{ name: 'again', execute: () => 'more' }];
    const { el, endpoint } = await chatWith([callingReply([{ id: 'c1', name: 'again', args: '{}' }])], tools, { maxSteps: 2 });
    const detail = await el.send('go');
    expect(detail.steps).to.have.length(2);
    expect(results(el)).to.deep.equal(['more', 'more']);
    expect(await endpoint.settled()).to.have.length(2);
    const marker = el.shadowRoot!.querySelector('[part~="marker"][part~="cut"]');
    expect(marker?.textContent).to.include('Stopped at the step limit');
  });

  it('the README sample: time_in runs with its arguments; a time zone that does not exist is an error the model reads', async () => {
    const tools: Tool<{ timeZone: string }>[] = [
      {
        name: 'time_in',
        description: 'The current local time in a time zone.',
        parameters: { type: 'object', properties: { timeZone: { type: 'string' } }, required: ['timeZone'] },
        execute: ({ timeZone }) => new Date().toLocaleTimeString('en-GB', { timeZone }),
      },
    ];
    const { el } = await chatWith(
      [callingReply([{ id: 'c1', name: 'time_in', args: '{"timeZone":"Asia/Tokyo"}' }, { id: 'c2', name: 'time_in', args: '{"timeZone":"Mars/Olympus"}' }]), streamingReply(['ok'])],
      tools as Tool[],
    );
    await el.send('go');
    const got = results(el) as string[];
    expect(got[0]).to.match(/^\d\d:\d\d:\d\d$/);
    expect(got[1]).to.match(/^Error: /);
    expect((el.messages as ChatMessage[]).at(-1)?.content).to.equal('ok');
  });
  it('arguments that are JSON but not what the tool’s parameters say go to execute as they are; a tool that checks them and throws tells the model why', async () => {
    const seen: unknown[] = [];
    const tools: Tool[] = [
      {
        name: 'time_in',
        parameters: { type: 'object', properties: { timeZone: { type: 'string' } }, required: ['timeZone'], additionalProperties: false },
        execute: (args) => {
          seen.push(args);
          if (typeof (args as { timeZone?: unknown }).timeZone !== 'string') throw new Error('timeZone (a string) is required.');
          return 'ok';
        },
      },
    ];
    const { el, endpoint } = await chatWith([callingReply([{ id: 'c1', name: 'time_in', args: '{"zone":5}' }]), streamingReply(['ok'])], tools);
    const errors: unknown[] = [];
    el.addEventListener('tool-call', (event) => errors.push(event.detail.error));
    await el.send('go');
    expect(seen).to.deep.equal([{ zone: 5 }]);
    expect(errors).to.deep.equal([undefined]);
    const [, second] = await endpoint.settled();
    expect((second!.body as { messages: ChatMessage[] }).messages.at(-1)).to.deep.equal({ role: 'tool', tool_call_id: 'c1', content: 'Error: timeZone (a string) is required.' });
  });

  it('the tool-call event reaches the page’s document (it bubbles and is composed), its args parsed', async () => {
    const tools: Tool[] = [{ name: 't', execute: () => 'x' }];
    const { el } = await chatWith([callingReply([{ id: 'c1', name: 't', args: '{"a":1}' }]), streamingReply(['ok'])], tools);
    const seen: unknown[] = [];
    const listener = (event: Event) => seen.push((event as CustomEvent).detail.args);
    document.addEventListener('tool-call', listener);
    await el.send('go');
    document.removeEventListener('tool-call', listener);
    expect(seen).to.deep.equal([{ a: 1 }]);
  });

  it('anthropic: a result that is empty goes without content, a failure with is_error', async () => {
    const tools: Tool[] = [{ name: 'quiet', execute: () => '' }, { name: 'bad', execute: () => { throw new Error('x'); } }];
    const { el, endpoint } = await chatWith([anthropicReply([], [{ id: 'c1', name: 'quiet', args: '{}' }, { id: 'c2', name: 'bad', args: '{}' }]), anthropicReply(['ok'])], tools, { protocol: 'anthropic' });
    await el.send('go');
    const [, second] = await endpoint.settled();
    const last = (second!.body as { messages: Array<{ content: unknown }> }).messages.at(-1);
    expect(last!.content).to.deep.equal([{ type: 'tool_result', tool_use_id: 'c1' }, { type: 'tool_result', tool_use_id: 'c2', content: 'Error: x', is_error: true }]);
  });

  it('Stop while a call waits for respond(), beside one running: each card says Stopped, the waiting one’s result that it was not answered; the next question goes with them', async () => {
    const tools: Tool[] = [{ name: 'confirm' }, { name: 'slow', execute: () => new Promise(() => {}) }];
    const { el, endpoint } = await chatWith([callingReply([{ id: 'c1', name: 'confirm', args: '{}' }, { id: 'c2', name: 'slow', args: '{}' }]), streamingReply(['ok'])], tools);
    const sent = el.send('go');
    await waitUntil(() => cards(el).join() === 'confirm · Waiting for a result,slow · Running…', 'waiting and running');
    el.stop();
    await sent;
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['confirm · Stopped', 'slow · Stopped']);
    // Before, the waiting call's said "…before the tool returned a result." though no tool ran.
    expect(results(el)).to.deep.equal(['Error: stopped by the user before the call was answered.', 'Error: stopped by the user before the tool returned a result.']);
    await el.send('again');
    const requests = await endpoint.settled();
    expect(requests).to.have.length(2);
    const msgs = (requests[1]!.body as { messages: ChatMessage[] }).messages;
    expect(msgs.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool', 'tool', 'user']);
    // A conversation saved before, its waiting call's result in the old words, still reads Stopped.
    el.messages = [msgs[0]!, msgs[1]!, { role: 'tool', tool_call_id: 'c1', content: 'Error: stopped by the user before the tool returned a result.' }, msgs[3]!];
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['confirm · Stopped', 'slow · Stopped']);
  });

  it('a new send() while a call waits: the first turn ends aborted, its call answered as stopped; the question follows', async () => {
    const tools: Tool[] = [{ name: 'confirm' }];
    const { el, endpoint } = await chatWith([callingReply([{ id: 'c1', name: 'confirm', args: '{}' }]), streamingReply(['ok'])], tools);
    const first = el.send('go');
    await waitUntil(() => el.conversation.status === 'waiting', 'waiting');
    const second = el.send('never mind');
    expect((await first).aborted).to.equal(true);
    await second;
    const requests = await endpoint.settled();
    const msgs = (requests[1]!.body as { messages: ChatMessage[] }).messages;
    expect(msgs.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool', 'user']);
    expect(cards(el)).to.deep.equal(['confirm · Stopped']);
  });

  it('in a right-to-left page the card is right to left, its arguments and a JSON result left to right', async () => {
    const tools: Tool[] = [{ name: 't', execute: () => ({ city: 'Lima' }) }];
    const endpoint = await mockEndpoint([callingReply([{ id: 'c1', name: 't', args: '{"city":"Lima"}' }]), streamingReply(['ok'])]);
    const el = await fixture<StreamChatElement>(html`<stream-chat dir="rtl" endpoint=${endpoint.url} retries="0"></stream-chat>`);
    el.tools = tools;
    await el.send('go');
    const args = el.shadowRoot!.querySelector('[part~="tool-arguments"]')!;
    const result = el.shadowRoot!.querySelector('[part~="tool-result"] pre')!;
    expect(getComputedStyle(args).direction).to.equal('ltr');
    expect(getComputedStyle(result).direction).to.equal('ltr');
    const card = el.shadowRoot!.querySelector('[part~="tool-call"]')!;
    expect(getComputedStyle(card).direction).to.equal('rtl');
  });

  it('a tool that fails with an empty message, or rejects with nothing, says it failed without saying why: not `Error: ` nor `Error: undefined`', async () => {
    const tools: Tool[] = [{ name: 'a', execute: () => { throw new Error(); } }, { name: 'b', execute: () => Promise.reject() }];
    const { el } = await chatWith([callingReply([{ id: 'c1', name: 'a', args: '{}' }, { id: 'c2', name: 'b', args: '{}' }]), streamingReply(['ok'])], tools);
    await el.send('go');
    expect(results(el)).to.deep.equal(['Error: the tool failed without saying why.', 'Error: the tool failed without saying why.']);
    expect(cards(el)).to.deep.equal(['a · Error', 'b · Error']);
  });

  it('review of the empty case: a thrown \'\' or blank message, an AggregateError with no message, a rejection with 0 or false; a tool stopped with an AbortError reads stopped', async () => {
    const failing: Tool[] = [
      { name: 'empty', execute: () => { throw ''; } },
      { name: 'blank', execute: () => { throw new Error('  '); } },
      { name: 'many', execute: () => Promise.reject(new AggregateError([new Error('a timed out'), new Error('b gave 404')])) },
      { name: 'zero', execute: () => Promise.reject(0) },
      { name: 'no', execute: () => Promise.reject(false) },
    ];
    const { el } = await chatWith([callingReply(failing.map(({ name }, i) => ({ id: `c${i}`, name, args: '{}' }))), streamingReply(['ok'])], failing);
    await el.send('go');
    const why = 'Error: the tool failed without saying why.';
    expect(results(el)).to.deep.equal([why, why, why, 'Error: 0', 'Error: false']);
    expect(cards(el)).to.deep.equal(failing.map(({ name }) => `${name} · Error`));
    let aborted: Promise<unknown> | undefined;
    const fetching: Tool[] = [{ name: 'fetch', execute: (_args, { signal }) => (aborted = new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new DOMException('', 'AbortError'))))) }];
    const { el: stopped } = await chatWith([callingReply([{ id: 'c1', name: 'fetch', args: '{}' }])], fetching);
    const sent = stopped.send('go');
    await waitUntil(() => stopped.conversation.status === 'running-tools', 'the tool runs');
    stopped.stop();
    await sent;
    // (Its rejection comes after the stop: the element took it first, and it did not count.)
    await aborted!.catch(() => {});
    await stopped.updateComplete;
    expect(results(stopped)).to.deep.equal(['Error: stopped by the user before the tool returned a result.']);
    expect(cards(stopped)).to.deep.equal(['fetch · Stopped']);
  });

  it('openai-responses: a result of content parts with an image goes in the function_call_output as input parts', async () => {
    const tools: Tool[] = [{ name: 'shot', execute: () => [{ type: 'text', text: 'The page:' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }];
    const { el, endpoint } = await chatWith([responsesReply([], [{ id: 'c1', name: 'shot', args: '{}' }]), responsesReply(['ok'])], tools, { protocol: 'openai-responses' });
    await el.send('go');
    const [, second] = await endpoint.settled();
    expect((second!.body as { input: unknown[] }).input.at(-1)).to.deep.equal({
      type: 'function_call_output',
      call_id: 'c1',
      output: [
        { type: 'input_text', text: 'The page:' },
        { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' },
      ],
    });
  });
  it('without tools, as README tells a host: the calls are in done’s message, the card has no state; a result added to messages shows at once and retry() goes on with it', async () => {
    const { el, endpoint } = await chatWith([callingReply([{ id: 'c1', name: 'lookup', args: '{"q":"x"}' }]), streamingReply(['answer'])], []);
    el.tools = undefined as unknown as Tool[];
    const detail = await el.send('go');
    expect(detail.message.tool_calls?.map((call) => call.id)).to.deep.equal(['c1']);
    const card = el.shadowRoot!.querySelector('[part~="tool-call"]')!;
    expect(card.className).to.equal('');
    expect(card.querySelector('[part~="tool-state"]')).to.equal(null);
    el.messages = [...el.messages, { role: 'tool', tool_call_id: 'c1', content: 'found it' }];
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['lookup · Done']);
    expect(el.shadowRoot!.querySelector('[part~="tool-result"]')?.textContent).to.include('found it');
    const again = await el.retry();
    expect(again.content).to.equal('answer');
    const requests = await endpoint.settled();
    expect((requests[1]!.body as { messages: ChatMessage[] }).messages.at(-1)).to.deep.equal({ role: 'tool', tool_call_id: 'c1', content: 'found it' });
    expect(el.messages.at(-1)?.content).to.equal('answer');
  });

  it('a call waiting beside one running: Waiting for a result and Running…, status running-tools, then waiting; respond() with an Error fails it', async () => {
    let finish!: (v: string) => void;
    const tools: Tool[] = [{ name: 'ask' }, { name: 'run', execute: () => new Promise<string>((r) => (finish = r)) }];
    const { el } = await chatWith([callingReply([{ id: 'c1', name: 'ask', args: '{}' }, { id: 'c2', name: 'run', args: '{}' }]), streamingReply(['ok'])], tools);
    const sent = el.send('go');
    await waitUntil(() => finish, 'runs');
    await el.updateComplete;
    expect(el.conversation.status).to.equal('running-tools');
    expect(cards(el)).to.deep.equal(['ask · Waiting for a result', 'run · Running…']);
    finish('r');
    await waitUntil(() => el.conversation.status === 'waiting', 'waiting');
    await el.updateComplete;
    expect(cards(el)).to.deep.equal(['ask · Waiting for a result', 'run · Done']);
    el.conversation.respond('c1', new Error('declined'));
    await sent;
    expect(cards(el)).to.deep.equal(['ask · Error', 'run · Done']);
    expect(results(el)).to.deep.equal(['Error: declined', 'r']);
  });

  it('anthropic: Stop while a call waits, then a new question: the call goes back with its stopped result, is_error, before the question', async () => {
    const tools: Tool[] = [{ name: 'ask' }];
    const { el, endpoint } = await chatWith([anthropicReply(['Let me ask.'], [{ id: 'c1', name: 'ask', args: '{"q":1}' }]), anthropicReply(['ok'])], tools, { protocol: 'anthropic' });
    const sent = el.send('go');
    await waitUntil(() => el.conversation.status === 'waiting', 'waiting');
    el.stop();
    await sent;
    await el.send('next');
    const [, second] = await endpoint.settled();
    const msgs = (second!.body as { messages: Array<{ role: string; content: unknown }> }).messages;
    expect(msgs.at(-1)).to.deep.equal({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'c1', content: 'Error: stopped by the user before the call was answered.', is_error: true },
        { type: 'text', text: 'next' },
      ],
    });
  });

  it('openai-responses: tool-call gives the call in the chat-completions shape and its args; respond() from the listener answers it, execute does not run', async () => {
    let ran = false;
    const tools: Tool[] = [{ name: 'ask', execute: () => ((ran = true), 'not me') }];
    const { el, endpoint } = await chatWith([responsesReply(['Hm.'], [{ id: 'c1', name: 'ask', args: '{"q":1}' }]), responsesReply(['ok'])], tools, { protocol: 'openai-responses' });
    const details: unknown[] = [];
    el.addEventListener('tool-call', (e) => { details.push({ call: e.detail.call, args: e.detail.args, error: e.detail.error }); e.detail.respond('from listener'); });
    await el.send('go');
    expect(details).to.deep.equal([{ call: { id: 'c1', type: 'function', function: { name: 'ask', arguments: '{"q":1}' } }, args: { q: 1 }, error: undefined }]);
    expect(ran).to.equal(false);
    const [, second] = await endpoint.settled();
    expect((second!.body as { input: unknown[] }).input.at(-1)).to.deep.equal({ type: 'function_call_output', call_id: 'c1', output: 'from listener' });
  });
});
