/**
 * The scenarios every host test runs: `<stream-chat>` mounted through the host's framework takes
 * the properties bound there and reports to the handlers bound there. Call it inside `describe`.
 */
import { expect } from '@open-wc/testing';
import type { ChunkEvent, DoneEvent, StreamChatElement, StreamChatErrorEvent, ToolCallEvent, WarningEvent } from '../../src/element/stream-chat.js';
import type { ChatMessage, DoneDetail } from '../../src/core/types.js';
import { failOnUnhandledRejection } from '../helpers/unhandled-rejection.js';
import { DONE, chunkEvent, httpError, mockEndpoint, streamingReply, type MockResponse } from '../helpers/server.js';
import type { Host, MountedChat } from './host.js';

const history: ChatMessage[] = [
  { role: 'user', content: 'What is SSE?' },
  { role: 'assistant', content: 'Server-sent events.' },
];

const headers = { 'x-host-test': 'bound by the framework' };

/** A reply that sends one piece, then holds the response open long enough to unmount mid-stream. */
const heldReply: MockResponse = {
  steps: [
    { write: chunkEvent({ role: 'assistant', content: '' }) },
    { write: chunkEvent({ content: 'Hel' }) },
    { delay: 5000 },
    { write: chunkEvent({ content: 'lo' }, { finishReason: 'stop' }) },
    { write: DONE },
  ],
};

/** A mounted chat and the events its framework handlers received. */
interface HostedChat extends MountedChat {
  chunks: ChunkEvent[];
  dones: DoneEvent[];
  errors: StreamChatErrorEvent[];
  /** The tool-call handler answers each call with "12:00". */
  toolCalls: ToolCallEvent[];
  warnings: WarningEvent[];
  /** Resolves at the first event the chunk handler receives. */
  firstChunk: Promise<void>;
}

function renderedMessages(element: StreamChatElement): string[] {
  return [...element.shadowRoot!.querySelectorAll('[part~="message"]')].map((node) => node.textContent ?? '');
}

export function hostContract(host: Host): void {
  failOnUnhandledRejection();

  const mounted = new Set<HostedChat>();

  /** Mounts one element, in a container of its own, bound to `endpoint` and the shared history. */
  async function mount(endpoint: string): Promise<HostedChat> {
    const container = document.createElement('div');
    document.body.append(container);
    const chunks: ChunkEvent[] = [];
    const dones: DoneEvent[] = [];
    const errors: StreamChatErrorEvent[] = [];
    const toolCalls: ToolCallEvent[] = [];
    const warnings: WarningEvent[] = [];
    let chunkArrived = () => {};
    const firstChunk = new Promise<void>((resolve) => (chunkArrived = resolve));
    const chat = await host.mount(container, {
      endpoint,
      messages: history,
      headers,
      retries: 0,
      onChunk: (event) => {
        chunks.push(event);
        chunkArrived();
      },
      onDone: (event) => dones.push(event),
      onError: (event) => errors.push(event),
      onToolCall: (event) => {
        toolCalls.push(event);
        event.detail.respond('12:00');
      },
      onWarning: (event) => warnings.push(event),
    });
    await chat.element.updateComplete;
    const hosted: HostedChat = {
      ...chat,
      unmount() {
        mounted.delete(hosted);
        chat.unmount();
        // The container once the removal is seen (at the next microtask: a move puts an element
        // back before then). An iframe's document, the plain host's, runs no more code once the
        // iframe goes: taken out with it in one task, the element would never settle its send().
        queueMicrotask(() => container.remove());
      },
      chunks,
      dones,
      errors,
      toolCalls,
      warnings,
      firstChunk,
    };
    mounted.add(hosted);
    return hosted;
  }

  afterEach(() => {
    for (const chat of mounted) chat.unmount();
  });

  it('renders the messages bound through the framework', async () => {
    const { element } = await mount((await mockEndpoint(streamingReply(['unused']))).url);
    expect(renderedMessages(element)).to.deep.equal(['What is SSE?', 'Server-sent events.']);
  });

  it('sends the bound headers and history, and the chunk and done handlers get the answer', async () => {
    const endpoint = await mockEndpoint(streamingReply(['Hel', 'lo']));
    const chat = await mount(endpoint.url);

    await chat.element.send('And WebSockets?');

    const [request] = await endpoint.requests();
    expect(request?.headers['x-host-test']).to.equal('bound by the framework');
    expect((request?.body as { messages: unknown }).messages).to.deep.equal([...history, { role: 'user', content: 'And WebSockets?' }]);
    expect(chat.chunks.map((event) => event.detail.delta).join('')).to.equal('Hello');
    expect(chat.dones).to.have.length(1);
    expect(chat.dones[0]!.detail.content).to.equal('Hello');
    expect(chat.errors).to.have.length(0);
    await chat.element.updateComplete;
    expect(renderedMessages(chat.element)).to.deep.equal([...history.map((message) => message.content), 'And WebSockets?', 'Hello']);
  });

  it('renders of the page with the same bindings (a state set in the chunk handler) neither stop the answer nor reset the conversation', async () => {
    const endpoint = await mockEndpoint({
      steps: [{ write: chunkEvent({ content: 'Hel' }) }, { delay: 200 }, { write: chunkEvent({ content: 'lo' }, { finishReason: 'stop' }) }, { write: DONE }],
    });
    const chat = await mount(endpoint.url);
    const sent = chat.element.send('And WebSockets?');
    await chat.firstChunk;
    chat.rerender?.();
    const detail = await sent;
    chat.rerender?.();
    await chat.element.updateComplete;
    expect({ aborted: detail.aborted, content: detail.content }).to.deep.equal({ aborted: false, content: 'Hello' });
    expect(renderedMessages(chat.element)).to.deep.equal(['What is SSE?', 'Server-sent events.', 'And WebSockets?', 'Hello']);
  });

  it('the tool-call handler answers a call, and the warning handler hears that storage cannot be used', async () => {
    const endpoint = await mockEndpoint([
      {
        steps: [
          { write: chunkEvent({ role: 'assistant', content: null }) },
          { write: chunkEvent({ tool_calls: [{ index: 0, id: 'call_now', type: 'function', function: { name: 'now', arguments: '{}' } }] }, { finishReason: 'tool_calls' }) },
          { write: DONE },
        ],
      },
      streamingReply(['It is noon.']),
    ]);
    const chat = await mount(endpoint.url);
    chat.element.tools = [{ name: 'now', description: 'The time.' }];
    expect((await chat.element.send('What time is it?')).content).to.equal('It is noon.');
    expect(chat.toolCalls.map((event) => event.detail.call.function.name)).to.deep.equal(['now']);
    const [, second] = await endpoint.requests();
    expect((second!.body as { messages: ChatMessage[] }).messages.at(-1)).to.deep.equal({ role: 'tool', tool_call_id: 'call_now', content: '12:00' });
    // Data under the key that is not a conversation: the chat works on, unsaved, and says so.
    localStorage.setItem('host-contract', 'not a conversation');
    try {
      chat.element.storageKey = 'host-contract';
      await chat.element.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(chat.warnings.map((event) => event.detail.message)).to.deep.equal([
        'Not saved under "host-contract": what is stored there is not a conversation, and is left as it is.',
      ]);
    } finally {
      localStorage.removeItem('host-contract');
    }
  });

  it("a second element's error reaches its own error handler, as an http error", async () => {
    const first = await mount((await mockEndpoint(streamingReply(['fine']))).url);
    const second = await mount((await mockEndpoint(httpError(500, 'boom'))).url);

    const rejection: unknown = await second.element.send('hi').then(
      () => expect.fail('send() resolved although the response failed'),
      (error: unknown) => error,
    );

    expect(second.errors).to.have.length(1);
    const { error } = second.errors[0]!.detail;
    expect(error).to.equal(rejection);
    expect(error.kind).to.equal('http');
    expect(error.status).to.equal(500);
    expect(second.dones).to.have.length(0);
    expect(first.errors).to.have.length(0);
  });

  it('unmounting through the framework mid-stream aborts the request and dispatches neither done nor error', async () => {
    const endpoint = await mockEndpoint(heldReply);
    const chat = await mount(endpoint.url);
    const sent = chat.element.send('hi');
    await chat.firstChunk;

    chat.unmount();

    expect((await endpoint.settled())[0]?.aborted).to.equal(true);
    // Awaited through then(): the host's page (an iframe here) is gone, and Firefox runs no await
    // of a promise of its realm then (a then() callback of ours it does run).
    expect((await new Promise<DoneDetail>((resolve, reject) => void sent.then(resolve, reject))).aborted).to.equal(true);
    expect(chat.dones).to.have.length(0);
    expect(chat.errors).to.have.length(0);
  });
}
