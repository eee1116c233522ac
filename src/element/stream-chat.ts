import { LitElement, html, nothing, type CSSResultGroup, type PropertyDeclaration, type PropertyDeclarations, type PropertyValues } from 'lit';
import { DEFAULT_MAX_STEPS, type Conversation } from '../core/conversation.js';
// The imports' order is the bundle's: the Markdown renderer next to the core gzips 164 bytes smaller
// than after the element's other modules (imported here for that order: the controllers use it).
import './renderer-for.js';
import { cut, written, type StreamChatError } from '../core/errors.js';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT } from '../core/transport.js';
import type { ChatMessage, ChunkDetail, DoneDetail, ErrorDetail, Tool, ToolCallDetail, WarningDetail } from '../core/types.js';
import { ConversationController } from './conversation-controller.js';
import { FollowEnd } from './follow-end.js';
import { KeepController } from './keep-controller.js';
import { LiveStatus } from './live-status.js';
import { MessageActions } from './message-actions.js';
import { Composer, composing, directed, ignore } from './composer.js';
import { DocumentSheets } from './document-sheets.js';
import { labelsOf, type Labels } from './labels.js';
import { Log } from './log.js';
import { pieces } from './long-runs.js';
import { styles } from './stream-chat.styles.js';

/** `chunk`: once per event parsed from the stream. */
export type ChunkEvent = CustomEvent<ChunkDetail>;
/** `done`: once per `send()` (or `regenerate()`, `edit()`, retry) that ends without error. */
export type DoneEvent = CustomEvent<DoneDetail>;
/** `error`: once per `send()` (or retry) that fails; it does not bubble. */
export type StreamChatErrorEvent = CustomEvent<ErrorDetail>;
/** `tool-call`: once per complete tool call, before its tool runs. */
export type ToolCallEvent = CustomEvent<ToolCallDetail>;
/** `warning`: at most once per element, when the conversation cannot be kept under `storage-key`. */
export type WarningEvent = CustomEvent<WarningDetail>;

/** The element's properties: `static properties` has each, and nothing else (test/stream-chat.test.ts). */
type PropertyName =
  | 'endpoint'
  | 'protocol'
  | 'key'
  | 'model'
  | 'system'
  | 'temperature'
  | 'maxTokens'
  | 'placeholder'
  | 'format'
  | 'images'
  | 'highlight'
  | 'stats'
  | 'retries'
  | 'timeout'
  | 'messages'
  | 'headers'
  | 'body'
  | 'fetch'
  | 'tools'
  | 'labels'
  | 'suggestions'
  | 'maxSteps'
  | 'storageKey';

/**
 * The element's properties, each of the type it takes (`messages`: read-only arrays and `null`
 * too): what a framework may set. Not its methods, read-only state or Lit's lifecycle.
 */
export type StreamChatProperties = Omit<Pick<StreamChatElement, PropertyName>, 'messages'> & {
  messages: readonly ChatMessage[] | null | undefined;
};

/** The events `<stream-chat>` dispatches, by name. */
export interface StreamChatEventMap {
  chunk: ChunkEvent;
  done: DoneEvent;
  error: StreamChatErrorEvent;
  'tool-call': ToolCallEvent;
  warning: WarningEvent;
}

const DEFAULT_PLACEHOLDER = 'Send a message';

/**
 * For options read only when a request is made: setting one renders nothing (a React host sets
 * `headers={{…}}` on every render). The value is kept all the same.
 */
const unseen = (): boolean => false;

/** For `labels` and `suggestions`, whose changes `requestUpdate` tells apart (see there). */
const told = (): boolean => true;

/** A number attribute; blank (`max-tokens=""`, a template's empty value) is unset, not 0. */
const numberAttribute = (value: string | null): number | undefined => (value?.trim() ? Number(value) : undefined);

/**
 * `<stream-chat>`: a chat that streams completions from any OpenAI-compatible endpoint (or OpenAI's
 * Responses API, or Anthropic's Messages API) into the page.
 *
 * @summary A chat that streams completions from any OpenAI-compatible endpoint.
 * @tagname stream-chat
 *
 * @event {CustomEvent<ChunkDetail>} chunk - Once per event parsed from the stream (a chat-completion
 *   chunk, or a Responses or Anthropic event). `detail: { chunk, delta, content, deltas }`.
 * @event {CustomEvent<DoneDetail>} done - Once per `send()` or retry that ends without error, after
 *   the last DOM write (with tools, after the last step). `detail: { content, message, finishReason, usage?, aborted, steps, stats }`.
 * @event {CustomEvent<ToolCallDetail>} tool-call - Once per complete tool call when `tools` is set,
 *   before its tool runs. `detail: { call, args, error?, respond(result) }`: `respond` answers the
 *   call instead of the tool's `execute`.
 * @event {CustomEvent<ErrorDetail>} error - Once per `send()` or retry that fails; does not bubble.
 *   `detail: { error, content }`.
 * @event {CustomEvent<WarningDetail>} warning - At most once per element, when the conversation
 *   cannot be kept under `storage-key` (storage unavailable or full, data there it cannot read, or
 *   its module could not load): the chat works on, unsaved. `detail: { message }`.
 *
 * @csspart log - The message list (`role="log"`).
 * @csspart message - Each message; with `user` or `assistant`. Its text is exactly the message text for a question
 *   and with `format="text"`; a Markdown answer holds the rendered Markdown.
 * @csspart user - A user message.
 * @csspart assistant - An assistant message.
 * @csspart reasoning - The collapsible reasoning of an assistant message.
 * @csspart tool-call - A tool call the assistant made: a card with its name, state, arguments and
 *   result. Its class is the state: `streaming`, `running`, `waiting`, `done` or `error`.
 * @csspart tool-name - The name of the tool called.
 * @csspart tool-state - The state of a tool call, as text: Calling…, Running…, Waiting for a result, Done, Error, Stopped.
 * @csspart tool-arguments - The arguments of a tool call: as they stream, then pretty-printed JSON.
 * @csspart typing - The typing indicator shown before the first token.
 * @csspart error - The inline error (its message an alert), with its Retry button.
 * @csspart retry - The Retry button.
 * @csspart form - The composer.
 * @csspart input - The message input.
 * @csspart send - The Send button (while idle); `aria-disabled="true"`, dimmed, with nothing to send.
 * @csspart stop - The same button while streaming: Stop.
 * @csspart refusal - A refusal the model streamed, shown as an assistant message.
 * @csspart tool-result - The folded result of a tool call (`role: "tool"` message), inside its `tool-call`.
 * @csspart code-block - A code block of a Markdown answer: its header, then `pre > code`.
 * @csspart code-header - The header of a code block: its language and the Copy button.
 * @csspart code-language - The language of a code block, from its fence's info string (may be empty).
 * @csspart copy - The Copy button of a code block: copies its code.
 * @csspart table-wrap - The horizontal scroller around a Markdown table.
 * @csspart image - An image of a message's content (http(s) or `data:image/*` URLs only).
 * @csspart file - A file of a message's content, as its name (`labels.file` without one), or its audio (`labels.audio`).
 * @csspart speaker - Who said a message (`You:`, `Assistant:`, from `labels`); visually hidden unless styled.
 * @csspart actions - The row of a message's action buttons, shown on hover and focus (always on touch).
 * @csspart action - A message's action button; with `copy-message`, `edit`, `regenerate`, `retry` (on an answer whose tools ran, or that Claude paused, before a reload or a stop cut its turn short, or whose turn `max-steps` ended: goes on from their results), `save` or `cancel`.
 * @csspart copy-message - Copy on a message: a question's text, an answer's Markdown (and its HTML).
 * @csspart edit - Edit on a question: it becomes a text area with Save and Cancel.
 * @csspart edit-input - The text area of a question being edited.
 * @csspart regenerate - Regenerate on the last answer, and on the last question when it has no answer (one
 *   stopped before any of it came, or a conversation set or restored that ends with a question).
 * @csspart save - Save of a question being edited: sends it, and what followed it goes.
 * @csspart cancel - Cancel of a question being edited.
 * @csspart stats - With `stats`: time, time to first token and tokens per second under an answer.
 * @csspart jump - "Jump to latest": shown when text arrived below while the reader was reading above.
 * @csspart suggestion - A starter prompt of `suggestions`, shown while the conversation is empty; a click sends it.
 * @slot header - Above the log: a title, a model picker.
 * @slot empty - In the log while the conversation is empty, above the suggestions.
 * @csspart server-tool - A tool the provider ran on its side (web search, code execution, …): a status
 *   line in the answer where it ran, with its name and what it did (the search query).
 * @csspart server-tool-name - The name of a provider's tool in its status line.
 * @csspart sources - The links an answer cites (a list under it, each URL once; http(s), mailto and tel only).
 * @csspart marker - A note under a message: `stopped` (an answer stopped, or the question whose answer was
 *   stopped before any of it came), `cut` (an answer the provider cut
 *   short: at its length limit, or by its content filter), `interrupted` (an answer, or a
 *   question, the page went away from while it streamed, or whose turn failed, restored from storage;
 *   a failed answer also once the next request starts, or `messages` are set),
 *   `failed` (the question whose answer failed) or `empty` (the last message of a turn that ended with
 *   no answer to show).
 * @csspart stopped - The marker of an answer that was stopped, until a response goes on from it (of its question, when none of it came).
 * @csspart cut - The marker of an answer the provider cut short (finish reason `length` or `content_filter`).
 * @csspart interrupted - The marker of an answer (or a question not yet answered) restored from storage that a
 *   reload or a closed page cut short, or a failure ended (a failed answer, or one whose tools ran, also once the
 *   next request starts, or `messages` are set, also without storage).
 * @csspart failed - The marker of the question whose answer failed.
 * @csspart empty - The marker of a turn that ended with no answer to show (none came, or white space, reasoning or
 *   calls only), under its question or that answer: `labels.empty`, or the `cut` words of the provider's
 *   length limit or content filter.
 *
 * @cssproperty --stream-chat-height - Height of the element. Default 32rem.
 * @cssproperty --stream-chat-font - Font shorthand. Default 1rem/1.5 system-ui, sans-serif.
 * @cssproperty --stream-chat-background - Background.
 * @cssproperty --stream-chat-color - Text colour.
 * @cssproperty --stream-chat-muted-color - Secondary text (reasoning, tool calls, typing dots).
 * @cssproperty --stream-chat-border-color - Borders (by default the input's is darker: 3:1 against the background).
 * @cssproperty --stream-chat-accent-color - Buttons and the focus ring.
 * @cssproperty --stream-chat-accent-contrast - Text on the accent colour.
 * @cssproperty --stream-chat-user-background - User message background.
 * @cssproperty --stream-chat-user-color - User message text.
 * @cssproperty --stream-chat-assistant-background - Assistant message background.
 * @cssproperty --stream-chat-assistant-color - Assistant message text.
 * @cssproperty --stream-chat-code-background - Background of code, code blocks and table headers.
 * @cssproperty --stream-chat-code-font - Font family of code. Default ui-monospace, monospace.
 * @cssproperty --stream-chat-code-keyword - Keywords in highlighted code (`highlight`).
 * @cssproperty --stream-chat-code-string - Strings in highlighted code.
 * @cssproperty --stream-chat-code-comment - Comments in highlighted code. Default the muted colour.
 * @cssproperty --stream-chat-code-literal - Numbers, constants and capitalised (type) names in highlighted code.
 * @cssproperty --stream-chat-code-property - Properties, object and JSON keys, attributes in highlighted code.
 * @cssproperty --stream-chat-code-tag - HTML and JSX tag names in highlighted code.
 * @cssproperty --stream-chat-error-background - Inline error background.
 * @cssproperty --stream-chat-error-color - Inline error text.
 * @cssproperty --stream-chat-radius - Corner radius. Default 0.75rem.
 * @cssproperty --stream-chat-gap - Space between messages. Default 0.75rem (a length: `0px`, not `0`).
 * @cssproperty --stream-chat-padding - Inner padding. Default 0.75rem (a length: `0px`, not `0`).
 * @cssproperty --stream-chat-focus-ring - Focus outline. Default 2px solid the accent colour.
 *
 * @example
 * ```html
 * <script type="module" src="https://cdn.jsdelivr.net/npm/stream-chat-element/dist/stream-chat.js"></script>
 * <stream-chat endpoint="/api/chat" model="gpt-4o-mini" system="Be brief."></stream-chat>
 * ```
 */
export class StreamChatElement extends LitElement {
  static override styles: CSSResultGroup = styles;

  // `type` only where it is read: Lit's default converter takes String when none is given, and a
  // property with a `converter` of its own reads its attribute with that (none reflects).
  static override properties: PropertyDeclarations = {
    endpoint: { hasChanged: unseen },
    protocol: { hasChanged: unseen },
    key: { hasChanged: unseen },
    model: { hasChanged: unseen },
    system: { hasChanged: unseen },
    temperature: { converter: numberAttribute, hasChanged: unseen },
    maxTokens: { attribute: 'max-tokens', converter: numberAttribute, hasChanged: unseen },
    placeholder: {},
    format: {},
    images: { type: Boolean },
    highlight: { type: Boolean },
    stats: { type: Boolean },
    retries: { converter: numberAttribute, hasChanged: unseen },
    timeout: { converter: numberAttribute, hasChanged: unseen },
    // An accessor of the conversation's messages; declared so a value set before the upgrade is kept.
    messages: { attribute: false },
    headers: { attribute: false, hasChanged: unseen },
    body: { attribute: false, hasChanged: unseen },
    fetch: { attribute: false, hasChanged: unseen },
    tools: { attribute: false, hasChanged: unseen },
    labels: { attribute: false, hasChanged: told },
    suggestions: { attribute: false, hasChanged: told },
    maxSteps: { attribute: 'max-steps', converter: numberAttribute, hasChanged: unseen },
    storageKey: { attribute: 'storage-key' },
  };

  /** URL the request is POSTed to: the provider's full URL (e.g. …/v1/chat/completions), or a same-origin proxy such as `/api/chat`. */
  declare endpoint: string;
  /**
   * The wire format of the request and its stream: `"openai-chat"` (chat-completions, default),
   * `"openai-responses"` (OpenAI's Responses API) or `"anthropic"` (Anthropic's Messages API). The
   * events, messages and UI are the same for all three; another value fails `send()` with a `protocol` error.
   */
  declare protocol: 'openai-chat' | 'openai-responses' | 'anthropic';
  /**
   * The API key: `Authorization: Bearer <key>`, or with `protocol="anthropic"` `x-api-key`; no such
   * header when empty. Never rendered or logged.
   */
  declare key: string;
  /** `model` in the request body; omitted when empty. */
  declare model: string;
  /** System prompt, sent first (Responses: `instructions`; Anthropic: `system`); omitted when empty. */
  declare system: string;
  /** Omitted when unset. */
  declare temperature: number | undefined;
  /**
   * `max_tokens` (Responses: `max_output_tokens`); omitted when unset, except by Anthropic, which
   * requires it (4096 then).
   */
  declare maxTokens: number | undefined;
  /**
   * Placeholder of the input; empty, unset or null is the default (Vue and Preact set a property bound to
   * `undefined` or `null` to `''`); a blank one (`placeholder=" "`) shows none. Default: `"Send a message"`.
   */
  declare placeholder: string;
  /** How answers render: `"markdown"` (default) or `"text"`. Questions are always text. */
  declare format: 'markdown' | 'text';
  /** Markdown images (http(s) and `data:image/*` sources) are shown; otherwise their alt text. Default false. */
  declare images: boolean;
  /**
   * Code blocks in answers are syntax highlighted, each once, when it is finished (its closing fence
   * arrived, or the answer ended): JavaScript, TypeScript, Python, shell, JSON, HTML and CSS; other
   * languages stay plain. The highlighter is a module of its own, loaded on first use. Default false.
   */
  declare highlight: boolean;
  /** Automatic retries of a request that failed before any of the answer arrived. Default 2. */
  declare retries: number;
  /** Stall timeout in ms: no bytes for this long ends the response with a `timeout` error. 0 disables. Default 120000. */
  declare timeout: number;
  /** Extra request headers (e.g. Azure's `api-key`). */
  declare headers: Record<string, string>;
  /** Extra request body fields, merged last (e.g. `stream_options`, `top_p`). */
  declare body: Record<string, unknown>;
  /** The fetch to use (a proxy, tests, an in-page mock). Default: the global `fetch`. */
  declare fetch: typeof fetch | undefined;
  /**
   * Functions the model may call: `{ name, description?, parameters?, execute?(args, { signal, call }) }`.
   * When set, the element runs each call, appends its result, and asks the model again by itself.
   */
  declare tools: Tool[];
  /** Responses per `send()` when tools are called or Anthropic pauses a turn. Default 5. */
  declare maxSteps: number;
  /** Shows time, time to first token and tokens per second under each answer, live while it streams. Default false. */
  declare stats: boolean;
  /** The UI's strings, any subset of them (another language, other words); the rest keep their English defaults. */
  declare labels: Partial<Labels>;
  /** Starter prompts, shown as buttons while the conversation is empty; a click sends one. */
  declare suggestions: string[];

  /**
   * Keeps the conversation in `localStorage` under this key: restored on connect (over `messages` set
   * before), saved on every change and while an answer streams. Only messages are stored, never the
   * key or headers. Empty (default): not kept. See {@link clear}.
   */
  declare storageKey: string;

  /** `labels` and `suggestions` as JSON when this element last rendered (see `requestUpdate`). */
  readonly #given: { labels?: string; suggestions?: string } = {};
  /** Binds the conversation to the view: re-renders, streams the answer's text, dispatches its events. */
  readonly #controller: ConversationController;
  /** The next render done, not the later ones a long conversation's groups wait for (see `getUpdateComplete`). */
  readonly #nextRender = () => super.getUpdateComplete();
  /** Loads what keeps the conversation under {@link storageKey}; a turn goes after the first update and the restore. */
  readonly #keep = new KeepController(this, this.#nextRender, () => this.performUpdate());
  readonly #follow = new FollowEnd(this, () => this.#actions.editing);
  /** What the log's buttons, the edit form and the inline error's Retry do. */
  readonly #actions = new MessageActions(this, this.#follow, this.#nextRender, (text) => this.#live.say(text));
  readonly #composer = new Composer(this, this.#follow);
  /** Its sheets, in another document too. */
  readonly #sheets = new DocumentSheets(this);
  /** The status region screen readers hear, and the live stats line. */
  readonly #live: LiveStatus;
  /** The log's content: the conversation, with what the parts above say of its messages. */
  readonly #log: Log;

  constructor() {
    super();
    this.endpoint = '';
    this.protocol = 'openai-chat';
    this.key = '';
    this.model = '';
    this.system = '';
    this.temperature = undefined;
    this.maxTokens = undefined;
    this.placeholder = DEFAULT_PLACEHOLDER;
    this.format = 'markdown';
    this.images = false;
    this.highlight = false;
    this.retries = DEFAULT_RETRIES;
    this.timeout = DEFAULT_TIMEOUT;
    this.headers = {};
    this.body = {};
    this.fetch = undefined;
    this.tools = [];
    this.maxSteps = DEFAULT_MAX_STEPS;
    this.stats = false;
    this.labels = {};
    this.suggestions = [];
    // The element is its conversation's options: they are read at every request.
    this.#controller = new ConversationController(
      this,
      this,
      () => {
        this.#follow.follow();
        this.#actions.keepFocus();
      },
      (event) => this.#live.end(event),
    );
    this.#live = new LiveStatus(this, this.#controller.nodesOf, this.#keep);
    this.#log = new Log(this, this.#controller, this.#keep, this.#actions, this.#follow);
    this.storageKey = '';
    // Escape stops the answer from anywhere in the element's own parts. The page's controls in a slot
    // keep theirs (a dialog, a popover or a search field there), as does a key a handler took.
    this.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.target !== this || event.defaultPrevented || composing(event) || !this.streaming) return;
      event.preventDefault();
      this.stop();
    });
  }

  /**
   * The conversation this element renders: its messages, status, draft and methods. Its `chunk`,
   * `done`, `error` and `tool-call` events are dispatched from the element (listen there); `change` from it.
   */
  get conversation(): Conversation {
    return this.#controller.conversation;
  }

  /**
   * The conversation so far, without the system prompt. Set it to restore one (a response in flight
   * is stopped). What a framework mirrors changes nothing: the array it was last set to (a React
   * wrapper sets every property on every render), the messages it holds, and while an answer
   * streams the messages it held before that turn (state set from `done`, rendered as the next turn
   * started; an empty array while the first answer streams, as `saved ?? []` renders). To roll back
   * to those while an answer streams, `stop()` first, or `clear()`.
   */
  get messages(): ChatMessage[] {
    return this.conversation.messages;
  }

  set messages(messages: readonly ChatMessage[] | null | undefined) {
    // Under a new key not applied yet, they go with that key.
    this.#keep.persistence?.before();
    // Another conversation: shown from its end.
    if (this.#controller.take(messages)) this.#follow.reset();
  }

  /** True while a response is in flight or the tools it called are answered. */
  get streaming(): boolean {
    return this.conversation.status !== 'idle';
  }

  /**
   * Appends `{role: "user", content: text}` and streams the reply. Resolves with the `done` detail;
   * rejects with the `StreamChatError` of the `error` event. A response already in flight is
   * stopped first (its `done` has `aborted: true`). See {@link stop}. With a {@link storageKey}
   * whose conversation is still being restored, it goes after it.
   */
  send(text: string): Promise<DoneDetail> {
    return this.#ask(() => this.conversation.send(text));
  }

  /**
   * Aborts the response in flight; its partial content stays, and `done` fires with `aborted: true`
   * (not for an answer that said it was finished, with no tool call: it ends whole).
   */
  stop(): void {
    this.conversation.stop();
  }

  /** Puts focus in the input, as a native control's `focus()` does (the element itself takes none). */
  override focus(options?: FocusOptions): void {
    // Added and not rendered yet (a dialog's code appends, then focuses): once it is, a microtask
    // later. None out of the page: a native control's focus() does nothing there, and does not throw.
    if (this.isConnected && !this.hasUpdated) this.updateComplete.then(() => this.focus(options), ignore);
    else this.renderRoot?.querySelector<HTMLElement>('[part~=input]')?.focus(options);
  }

  /**
   * Starts a new conversation: stops a response in flight (its `done` has `aborted: true`), empties
   * `messages` and the error, and removes the conversation stored under {@link storageKey}.
   */
  clear(): void {
    this.#follow.reset();
    this.#keep.clear();
  }

  /**
   * After a failure, asks again without what the failed response left (the inline error's Retry
   * does this); otherwise asks for the answer to `messages` as they are. One `done` or `error`.
   */
  retry(): Promise<DoneDetail> {
    return this.#ask(() => this.conversation.retry());
  }

  /** Asks for the last answer again; the new answer replaces it. Like `send()`, one `done` or `error`. */
  regenerate(): Promise<DoneDetail> {
    return this.#ask(() => this.conversation.regenerate());
  }

  /** Replaces the question at `index` of `messages` with `text`, drops what followed it, and streams a new answer. */
  edit(index: number, text: string): Promise<DoneDetail> {
    // Asked (not refused), it closes the question being edited.
    return this.#ask(
      () => this.conversation.edit(index, text),
      () => this.#actions.close(),
    );
  }

  /**
   * Starts a turn (see {@link KeepController.ask}). One that started follows the log's end again and
   * calls `started`; one refused leaves the reader's scroll.
   */
  #ask(turn: () => Promise<DoneDetail>, started?: () => void): Promise<DoneDetail> {
    return this.#keep.ask(() =>
      this.#controller.ask(turn, () => {
        this.#follow.reset();
        started?.();
      }),
    );
  }

  /**
   * `labels` or `suggestions` equal (as JSON) to those this element last rendered, as they were
   * then, are no change. A framework's inline `labels={{…}}` is a new object on every render, and
   * each rendered the whole log again (16 ms at 500 messages). Not as they are now: a page may change
   * them in place and set them, or a copy, again; nor as another element was given them: the chats
   * of a page may share them (before, the first one set took the change for all).
   */
  override requestUpdate(name?: PropertyKey, old?: unknown, options?: PropertyDeclaration, useNewValue?: boolean, newValue?: unknown): void {
    if ((name == 'labels' || name == 'suggestions') && JSON.stringify(useNewValue ? newValue : this[name]) == this.#given[name]) return;
    super.requestUpdate(name, old, options, useNewValue, newValue);
  }

  /**
   * As rendered, not as set: any render (a `requestUpdate()`, another property's) shows them as they
   * are then, changed in place or not. Here, not in `willUpdate`: a controller's `hostUpdate`, which
   * runs between the two, may set them, and this render shows what it set.
   */
  protected override update(changed: PropertyValues<this>): void {
    for (const name of ['labels', 'suggestions'] as const) this.#given[name] = JSON.stringify(this[name]);
    super.update(changed);
  }

  /** Also waits for a conversation stored under {@link storageKey} to be restored and rendered. */
  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await this.#keep.restoring;
    // And the groups of a long conversation that wait for later tasks (awaited only then: each await is a tick later).
    if (this.#log.waiting) await this.#log.settled(this.#nextRender);
    return super.getUpdateComplete();
  }

  protected override firstUpdated(): void {
    directed(this.renderRoot.querySelector('[part~=input]')!, this.#composer.changed);
  }

  protected override updated(_changed: PropertyValues<this>): void {
    this.#follow.updated();
    this.#actions.keepFocus();
  }

  adoptedCallback(): void {
    if (this.shadowRoot) this.#sheets.adopt(this.shadowRoot);
  }

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = this.ownerDocument === document ? super.createRenderRoot() : this.#sheets.adopt(this.shadowRoot ?? this.attachShadow((this.constructor as typeof LitElement).shadowRootOptions));
    // Focus is followed on the root, not on the host: focus that moves between the element's own
    // parts (Tab from a button to a link) is no focusin or focusout of the host's (retargeted, the
    // node that lost it and the one that took it are both the host), and would go unseen.
    for (const type of ['focusin', 'focusout']) root.addEventListener(type, this.#actions.handleFocus as EventListener);
    return root;
  }

  /**
   * Moved with `moveBefore()`, the element stays connected: an answer in flight goes on. (Moved with
   * `append()`, it is taken out and put back at once, and goes on too.) A lifecycle callback, as
   * `connectedCallback` is.
   * @internal
   */
  connectedMoveCallback(): void {}

  protected override render(): unknown {
    const failure = !this.#controller.held && this.conversation.failure;
    const labels = labelsOf(this);
    const log = this.#keep.hidden ? nothing : this.#log.render(labels);
    // The log is a tab stop so that a keyboard scrolls it; empty (its groups none, system prompts
    // alone are not shown), it has nothing to read or scroll (its suggestions are tab stops of their
    // own), and takes focus only from script (focusLog).
    return html`
      <slot name="header"></slot>
      <div
        part="log"
        role="log"
        aria-label=${labels.log}
        aria-busy=${this.#log.waiting ? 'true' : nothing}
        tabindex=${Array.isArray(log) ? 0 : -1}
        @scroll=${this.#follow.handleScroll}
        @click=${this.#actions.handleClick}
        @submit=${this.#actions.handleSubmit}
        @keydown=${this.#actions.handleKeydown}
      >
        ${log}
        ${this.#follow.behind ? html`<button part="jump" data-action="jump" aria-live="off">${labels.jump}</button>` : nothing}
      </div>
      <div class="announce" role="status"></div>
      ${failure
        ? html`<div part="error" @click=${this.#actions.handleClick}>
            <span class="error-text" role="alert" dir="auto"><div>${
              // Cut (the detail has it whole): a provider's message may quote a whole request, and a
              // run of letters without a space took Chromium seconds to lay out at 100k characters;
              // its long runs in pieces, as an answer's (a run of 2,000 took up to 0.19 s). In a
              // block of its own, which follow-end watches: its height is the text's, and changes as
              // a web font arrives, where the box that scrolls it keeps its height. Our words are
              // English, said so (`lang`); a provider's, or a page's own message, the page's.
              split(failure.error).map((text, i) => (i % 2 ? pieces(text) : text && html`<span lang="en">${pieces(text)}</span>`))
            }</div></span>
            <button part="retry" data-action="retry" ?disabled=${this.streaming}>${labels.retry}</button>
          </div>`
        : nothing}
      ${this.#composer.render(labels, this.placeholder || DEFAULT_PLACEHOLDER)}
    `;
  }
}

/**
 * An error's message cut after 2,000 characters, in pieces: ours (English), the provider's words, ours;
 * a message the page set, its own alone.
 */
function split(error: StreamChatError): string[] {
  // (Where they start is kept: an http error's body may repeat its status text, "HTTP 429 Too Many Requests: Too Many Requests".)
  const [made, theirs = '', from = 0] = written.get(error) ?? [];
  const shown = cut(error.message, 2000);
  const to = from + theirs.length;
  return made === error.message ? [shown.slice(0, from), shown.slice(from, to), shown.slice(to)] : ['', shown];
}

// Typed listeners for the element's own events; `error` needs this because the DOM already
// declares a global `error` event of another type.
export interface StreamChatElement {
  addEventListener<K extends keyof StreamChatEventMap>(
    type: K,
    listener: (this: StreamChatElement, event: StreamChatEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: StreamChatElement, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof StreamChatEventMap>(
    type: K,
    listener: (this: StreamChatElement, event: StreamChatEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: StreamChatElement, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'stream-chat': StreamChatElement;
  }
  // Every element's, the document's and the window's: the events bubble and are composed.
  interface GlobalEventHandlersEventMap {
    chunk: ChunkEvent;
    done: DoneEvent;
    'tool-call': ToolCallEvent;
    warning: WarningEvent;
  }
}
