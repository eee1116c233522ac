// What a TypeScript app gets from the published types: the tag name map, typed events, and the
// public classes and types of both entry points. Each `@ts-expect-error` line is misuse that must fail.
import { css, nothing, type PropertyValues } from 'lit';
import 'stream-chat-element';
import {
  StreamChatElement,
  StreamChatError,
  type ChatMessage,
  type ChunkDetail,
  type ChunkEvent,
  type CountLabel,
  type DoneDetail,
  type DoneEvent,
  type ErrorDetail,
  type Labels,
  type StreamChatErrorEvent,
  type StreamChatProperties,
  type Tool,
  type ToolCallDetail,
  type ToolCallEvent,
  type ToolState,
  type WarningDetail,
  type WarningEvent,
} from 'stream-chat-element';
import {
  Conversation,
  ErrorKind,
  Status,
  StreamChatError as CoreStreamChatError,
  streamChat,
  type ChatCompletionChunk,
  type Delta,
  type ProtocolName,
  type StreamOptions,
  type Usage,
} from 'stream-chat-element/core';
import { StreamChatElement as UndefinedElement, type CountLabel as ElementCountLabel } from 'stream-chat-element/element';
// The CDN file's types, for a page that loads dist/stream-chat.js and types what it gets from it.
import type {
  CountLabel as CdnCountLabel,
  Labels as CdnLabels,
  StreamChatElement as CdnElement,
  StreamChatProperties as CdnProperties,
} from 'stream-chat-element/stream-chat.js';

/** Compile-time equality: `Expect<Equal<A, B>>` is an error unless A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

// The tag name map: querySelector and createElement know the element.
const found = document.querySelector('stream-chat');
type _Found = Expect<Equal<typeof found, StreamChatElement | null>>;
const created = document.createElement('stream-chat');
type _Created = Expect<Equal<typeof created, StreamChatElement>>;
// @ts-expect-error: may be null
document.querySelector('stream-chat').send('hi');

const chat: StreamChatElement = created;

// Attributes and properties, with their types.
chat.endpoint = '/api/chat';
chat.key = '';
chat.model = 'gpt-4o-mini';
chat.system = 'Be brief.';
chat.temperature = 0.2;
chat.maxTokens = undefined;
chat.retries = 2;
chat.timeout = 0;
chat.headers = { 'api-key': 'k' };
chat.body = { stream_options: { include_usage: true } };
chat.fetch = (input, init) => fetch(input, init);
chat.messages = [{ role: 'user', content: 'Hi' }];
// A conversation kept read-only, and none (README: `null` is an empty conversation).
const kept: readonly ChatMessage[] = [{ role: 'user', content: 'Hi' }];
chat.messages = kept;
chat.messages = null;
conversationOf(chat).messages = kept;
// @ts-expect-error: messages, not a number
chat.messages = 42;
const streaming: boolean = chat.streaming;
// @ts-expect-error: read-only
chat.streaming = true;
// @ts-expect-error: a number, not a string
chat.timeout = '120000';
// @ts-expect-error: headers are strings
chat.headers = { retries: 2 };

// Methods.
const reply: Promise<DoneDetail> = chat.send('Hello');
chat.stop();
chat.clear();
chat.storageKey = 'support-chat';
// @ts-expect-error: the key is a string
chat.storageKey = true;
// @ts-expect-error: send takes the text
void chat.send();

// Events on the element: `done` and `chunk` carry their details.
chat.addEventListener('done', (e) => {
  type _Event = Expect<Equal<typeof e, DoneEvent>>;
  const content: string = e.detail.content;
  const message: ChatMessage = e.detail.message;
  const finishReason: string | null = e.detail.finishReason;
  const usage: Usage | undefined = e.detail.usage;
  const aborted: boolean = e.detail.aborted;
  // @ts-expect-error: content is a string
  const n: number = e.detail.content;
  // @ts-expect-error: no such field
  void e.detail.text;
  void [content, message, finishReason, usage, aborted, n];
});
chat.addEventListener('chunk', (e) => {
  type _Detail = Expect<Equal<typeof e.detail, ChunkDetail>>;
  const chunk: ChatCompletionChunk = e.detail.chunk;
  const delta: string = e.detail.delta;
  const content: string = e.detail.content;
  void [chunk, delta, content];
});

// `error` on the element is the element's error event, not the DOM's ErrorEvent.
chat.addEventListener('error', (e) => {
  type _Event = Expect<Equal<typeof e, StreamChatErrorEvent>>;
  type _Detail = Expect<Equal<typeof e.detail, ErrorDetail>>;
  type _Kind = Expect<Equal<typeof e.detail.error.kind, 'http' | 'network' | 'timeout' | 'protocol' | 'provider'>>;
  const error: StreamChatError = e.detail.error;
  const partial: string = e.detail.content;
  const status: number | undefined = error.status;
  switch (error.kind) {
    case 'http':
    case 'network':
    case 'timeout':
    case 'protocol':
    case 'provider':
      break;
    default: {
      const unreachable: never = error.kind;
      void unreachable;
    }
  }
  // @ts-expect-error: not one of the kinds
  const wrong: typeof error.kind = 'abort';
  // @ts-expect-error: ErrorEvent's fields are not there
  void e.message;
  void [partial, status, wrong];
});

// A listener for one event does not fit another.
const onDone = (e: DoneEvent) => e.detail.content;
// @ts-expect-error: chunk events are not done events
chat.addEventListener('chunk', onDone);
chat.removeEventListener('done', onDone);

// `chunk` and `done` are in HTMLElementEventMap: typed on any element they bubble to.
document.body.addEventListener('done', (e) => {
  const content: string = e.detail.content;
  void content;
});
document.body.addEventListener('chunk', (e: ChunkEvent) => void e.detail.delta);
// And on the document and the window, where they bubble too (they are composed).
document.addEventListener('done', (e) => void (e.detail.content satisfies string));
window.addEventListener('chunk', (e) => void (e.detail.delta satisfies string));
// `warning` too: it bubbles from the element with a message.
document.body.addEventListener('warning', (e) => {
  type _Event = Expect<Equal<typeof e, WarningEvent>>;
  type _Detail = Expect<Equal<typeof e.detail, WarningDetail>>;
  const message: string = e.detail.message;
  void message;
});

// Tools: functions the model may call, run in the page with their parsed arguments.
const timeIn: Tool<{ city: string }> = {
  name: 'time_in',
  description: 'The local time in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  execute(args, { signal, call }) {
    type _Args = Expect<Equal<typeof args, { city: string }>>;
    const aborted: boolean = signal.aborted;
    const id: string = call.id;
    const name: string = call.function.name;
    const json: string = call.function.arguments;
    return { city: args.city, time: '14:05', aborted, id, name, json };
  },
};
// Without `execute`, a listener or `respond()` answers; any result goes (a string, JSON, a promise).
chat.tools = [timeIn, { name: 'ask_user' }, { name: 'roll', execute: async (_args, { signal }) => (signal.aborted ? 0 : 4) }];
const tools: Tool[] = chat.tools;
chat.maxSteps = 3;
const maxSteps: number = chat.maxSteps;
// @ts-expect-error: a tool has a name
chat.tools = [{ description: 'x' }];
// @ts-expect-error: one tool is not a list
chat.tools = timeIn;
// @ts-expect-error: a number of responses
chat.maxSteps = '3';
const wrongArgs: Tool<{ city: string }> = {
  name: 'time_in',
  // @ts-expect-error: the arguments have no such field
  execute: ({ town }) => town,
};
// @ts-expect-error: the context has the signal and the call only
const wrongContext: Tool = { name: 'x', execute: (_args, { signal, call, respond }) => [signal, call, respond] };
chat.addEventListener('tool-call', (e) => {
  type _Event = Expect<Equal<typeof e, ToolCallEvent>>;
  type _Detail = Expect<Equal<typeof e.detail, ToolCallDetail>>;
  const name: string = e.detail.call.function.name;
  const args: unknown = e.detail.args;
  const parseError: Error | undefined = e.detail.error;
  if (name === 'ask_user') e.detail.respond(Promise.resolve('Paris'));
  else e.detail.respond(new Error('not here'));
  // @ts-expect-error: the arguments are unknown until checked
  void e.detail.args.city;
  // @ts-expect-error: respond takes the result
  e.detail.respond();
  void [args, parseError];
});
// A call that waits (its tool has no execute), answered later; where each call stands, and its result.
const answeredLate: boolean = chat.conversation.respond('call_1', { city: 'Paris' });
// @ts-expect-error: by the call's id
chat.conversation.respond({ id: 'call_1' }, 'Paris');
const lastCall = chat.messages.at(-1)?.tool_calls?.[0];
if (lastCall) {
  const state = chat.conversation.toolState(lastCall);
  type _State = Expect<Equal<typeof state, ToolState | undefined>>;
  type _States = Expect<Equal<ToolState, 'streaming' | 'running' | 'waiting' | 'done' | 'error' | 'stopped'>>;
  const result: ChatMessage | undefined = chat.conversation.toolResult(lastCall);
  // @ts-expect-error: by the call, not its id
  chat.conversation.toolState(lastCall.id);
  void [state, result];
}

// The headless core: the same error class, and its kinds as a const object.
type _SameError = Expect<Equal<typeof CoreStreamChatError, typeof StreamChatError>>;
const kind: ErrorKind = ErrorKind.timeout;
const options: StreamOptions = { endpoint: '/api/chat', messages: [{ role: 'user', content: 'Hi' }] };
async function headless(): Promise<string> {
  let text = '';
  for await (const delta of streamChat(options)) {
    type _Delta = Expect<Equal<typeof delta, Delta>>;
    if (delta.type === 'text') text += delta.text;
    // @ts-expect-error: only text, reasoning and refusal deltas carry text
    else if (delta.type === 'usage') text += delta.text;
  }
  return text;
}
// @ts-expect-error: endpoint is required
streamChat({ messages: [] });
// The wire format: one of three, for the element, the conversation and streamChat alike.
chat.protocol = 'anthropic';
// @ts-expect-error: not a protocol
chat.protocol = 'openai';
const claude = new Conversation({ protocol: 'anthropic', endpoint: 'https://api.anthropic.com/v1/messages', key: 'sk-ant-…', model: 'claude-sonnet-4-5' });
streamChat({ ...options, protocol: 'openai-responses' });
const protocolName: ProtocolName = chat.protocol;
// Only shown, never sent back: the provider's own tool runs and the links it cites.
const searched: ChatMessage = { role: 'assistant', content: 'Found.', server_tools: [{ name: 'web_search', detail: 'q', at: 0 }], sources: [{ url: 'https://example.com' }] };

// The conversation without a view, and the element's own.
const conversation = new Conversation({ endpoint: '/api/chat', model: 'gpt-4o-mini', retries: 1 });
const status: Status = conversation.status;
conversation.addEventListener('chunk', (e) => void (e.detail.delta satisfies string));
conversation.addEventListener('done', (e) => void (e.detail satisfies DoneDetail));
conversation.addEventListener('error', (e) => void (e.detail.error satisfies StreamChatError));
const answered: Promise<DoneDetail> = conversation.send('Hi');
// The tool loop without a view: the same tools, steps and events.
const withTools = new Conversation({ endpoint: '/api/chat', tools: [timeIn], maxSteps: 2 });
withTools.addEventListener('tool-call', (e) => {
  type _Detail = Expect<Equal<typeof e.detail, ToolCallDetail>>;
  e.detail.respond('14:05');
});
withTools.addEventListener('done', (e) => void (e.detail.steps.map((step) => step.results) satisfies ChatMessage[][]));
// @ts-expect-error: the element's conversation is read-only
chat.conversation = conversation;
const fromElement: Conversation = chat.conversation;
// Content in the OpenAI shapes.
const parts: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'This:' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] };
const attached: ChatMessage = {
  role: 'user',
  content: [
    { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0xLjQK', filename: 'report.pdf' } },
    { type: 'file', file: { file_id: 'file-abc123' } },
    { type: 'input_audio', input_audio: { data: 'UklGRiQAAABXQVZF', format: 'wav' } },
  ],
};
const toolTurn: ChatMessage = { role: 'assistant', content: null, tool_calls: [] };
// The class without its definition, for a tag of the app's own, extended as a Lit element is.
customElements.define('my-chat', class extends UndefinedElement {});
class SupportChat extends UndefinedElement {
  static override styles = [UndefinedElement.styles, css`:host { --stream-chat-height: 20rem; }`];
  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
  }
  protected override render() {
    return this.endpoint ? super.render() : nothing;
  }
}
customElements.define('support-chat', SupportChat);
// With reactive properties of its own: Lit merges them with the element's.
class GreetingChat extends UndefinedElement {
  static override properties = { greeting: { type: String } };
  declare greeting: string;
}
customElements.define('greeting-chat', GreetingChat);
type _SameClass = Expect<Equal<UndefinedElement, StreamChatElement>>;

void [status, answered, fromElement, parts, attached, toolTurn];

function conversationOf(element: StreamChatElement): Conversation {
  return element.conversation;
}
void [tools, maxSteps, wrongArgs, wrongContext, answeredLate];
void [streaming, reply, kind, headless, claude, protocolName, searched];

// README types `labels` as `Partial<Labels>`: the type is exported, and is the property's.
const german: Partial<Labels> = { send: 'Senden', stop: 'Stopp' };
document.createElement('stream-chat').labels = german;
// @ts-expect-error: no such label.
const unknownLabel: Partial<Labels> = { sendNow: 'Now' };
// A stats label with its plural forms, typed apart (a translation table's value): the type is exported.
const tokens: CountLabel = { one: '{n} token/s', few: '{n} tokeny/s', many: '{n} tokenów/s', other: '{n} tokena/s' };
const polish: Partial<Labels> = { tokensPerSecond: tokens, estimated: '{n} (szacunkowo)' };
// (One Expect each: `Expect<Equal<A, B> & Equal<C, D>>` passes when either is false, `true & false` being never.)
type _CountLabelIsTheLabels = Expect<Equal<CountLabel, Labels['tokensPerSecond']>>;
type _CountLabelOfElement = Expect<Equal<ElementCountLabel, CountLabel>>;
// @ts-expect-error: forms without `other`, for the categories a language does not name.
const noOther: CountLabel = { one: '{n} token/s' };
void [polish, noOther];
// The CDN file exports the element's types as the other entry points do.
type _CdnElement = Expect<Equal<CdnElement, StreamChatElement>>;
type _CdnLabels = Expect<Equal<CdnLabels, Labels>>;
type _CdnCountLabel = Expect<Equal<CdnCountLabel, CountLabel>>;
type _CdnProperties = Expect<Equal<CdnProperties, StreamChatProperties>>;
