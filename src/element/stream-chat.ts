import { LitElement, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { DEFAULT_MAX_STEPS, type Conversation, type Failure } from '../core/conversation.js';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT } from '../core/transport.js';
import type { ChatMessage, ChunkDetail, DoneDetail, ErrorDetail, Tool, ToolCallDetail, WarningDetail } from '../core/types.js';
import { ConversationController } from './conversation-controller.js';
import { FollowEnd } from './follow-end.js';
import { renderLog } from './messages.js';
import { Persistence } from './persistence.js';
import type { BodyRenderer } from './body-renderer.js';
import { copyCode } from './copy.js';
import { createMarkdownRenderer, markdownRenderer } from './renderers/markdown.js';
import { textRenderer } from './renderers/text.js';
import { styles } from './stream-chat.styles.js';

export type ChunkEvent = CustomEvent<ChunkDetail>;
export type DoneEvent = CustomEvent<DoneDetail>;
export type StreamChatErrorEvent = CustomEvent<ErrorDetail>;
export type ToolCallEvent = CustomEvent<ToolCallDetail>;
export type WarningEvent = CustomEvent<WarningDetail>;

/** The events `<stream-chat>` dispatches, by name. */
export interface StreamChatEventMap {
  chunk: ChunkEvent;
  done: DoneEvent;
  error: StreamChatErrorEvent;
  'tool-call': ToolCallEvent;
  warning: WarningEvent;
}

const DEFAULT_PLACEHOLDER = 'Send a message';
const markdownWithImages = createMarkdownRenderer({ images: true });

/**
 * @summary A chat that streams completions from any OpenAI-compatible endpoint.
 * @tagname stream-chat
 *
 * @event {CustomEvent<ChunkDetail>} chunk - Once per parsed chat-completion chunk.
 *   `detail: { chunk, delta, content }`.
 * @event {CustomEvent<DoneDetail>} done - Once per `send()` or retry that ends without error, after
 *   the last DOM write (with tools, after the last step). `detail: { content, message, finishReason, usage?, aborted, steps }`.
 * @event {CustomEvent<ToolCallDetail>} tool-call - Once per complete tool call when `tools` is set,
 *   before its tool runs. `detail: { call, args, error?, respond(result) }`: `respond` answers the
 *   call instead of the tool's `execute`.
 * @event {CustomEvent<ErrorDetail>} error - Once per `send()` or retry that fails; does not bubble.
 *   `detail: { error, content }`.
 * @event {CustomEvent<WarningDetail>} warning - At most once per element, when the conversation
 *   cannot be kept under `storage-key` (storage unavailable or full, or data there it cannot read):
 *   the chat works on, unsaved. `detail: { message }`.
 *
 * @csspart log - The message list (`role="log"`).
 * @csspart message - Each message; with `user` or `assistant`. Its text is exactly the message text.
 * @csspart user - A user message.
 * @csspart assistant - An assistant message.
 * @csspart reasoning - The collapsible reasoning of an assistant message.
 * @csspart tool-call - A tool call the assistant made: a card with its name, state, arguments and
 *   result. Its class is the state: `streaming`, `running`, `waiting`, `done` or `error`.
 * @csspart tool-name - The name of the tool called.
 * @csspart tool-state - The state of a tool call, as text: Calling…, Running…, Waiting for a result, Done, Error.
 * @csspart tool-arguments - The arguments of a tool call: as they stream, then pretty-printed JSON.
 * @csspart typing - The typing indicator shown before the first token.
 * @csspart error - The inline error, with its Retry button.
 * @csspart retry - The Retry button.
 * @csspart form - The composer.
 * @csspart input - The message input.
 * @csspart send - The Send button (while idle).
 * @csspart stop - The same button while streaming: Stop.
 * @csspart refusal - A refusal the model streamed, shown as an assistant message.
 * @csspart tool-result - The folded result of a tool call (`role: "tool"` message), inside its `tool-call`.
 * @csspart code-block - A code block of a Markdown answer: its header, then `pre > code`.
 * @csspart code-header - The header of a code block: its language and the Copy button.
 * @csspart code-language - The language of a code block, from its fence's info string (may be empty).
 * @csspart copy - The Copy button of a code block: copies its code.
 * @csspart table-wrap - The horizontal scroller around a Markdown table.
 * @csspart image - An image of a message's content (http(s) or `data:image/*` URLs only).
 * @csspart marker - A note under a message: `stopped` (an answer cut short), `interrupted` (an answer the page
 *   went away from while it streamed, restored from storage) or `failed` (the question whose answer failed).
 * @csspart stopped - The marker of an answer that was stopped.
 * @csspart interrupted - The marker of an answer restored from storage that a reload or a closed page cut short.
 * @csspart failed - The marker of the question whose answer failed.
 *
 * @cssproperty --stream-chat-height - Height of the element. Default 32rem.
 * @cssproperty --stream-chat-font - Font shorthand. Default system-ui, 1rem/1.5.
 * @cssproperty --stream-chat-background - Background.
 * @cssproperty --stream-chat-color - Text colour.
 * @cssproperty --stream-chat-muted-color - Secondary text (reasoning, tool calls, typing dots).
 * @cssproperty --stream-chat-border-color - Borders.
 * @cssproperty --stream-chat-accent-color - Buttons and the focus ring.
 * @cssproperty --stream-chat-accent-contrast - Text on the accent colour.
 * @cssproperty --stream-chat-user-background - User message background.
 * @cssproperty --stream-chat-user-color - User message text.
 * @cssproperty --stream-chat-assistant-background - Assistant message background.
 * @cssproperty --stream-chat-assistant-color - Assistant message text.
 * @cssproperty --stream-chat-code-background - Background of code, code blocks and table headers.
 * @cssproperty --stream-chat-code-font - Font family of code. Default ui-monospace, monospace.
 * @cssproperty --stream-chat-error-background - Inline error background.
 * @cssproperty --stream-chat-error-color - Inline error text.
 * @cssproperty --stream-chat-radius - Corner radius. Default 0.75rem.
 * @cssproperty --stream-chat-gap - Space between messages. Default 0.75rem.
 * @cssproperty --stream-chat-padding - Inner padding. Default 0.75rem.
 * @cssproperty --stream-chat-focus-ring - Focus outline. Default 2px solid the accent colour.
 *
 * @example
 * ```html
 * <script type="module" src="https://cdn.jsdelivr.net/npm/stream-chat-element/dist/stream-chat.js"></script>
 * <stream-chat endpoint="/api/chat" model="gpt-4o-mini" system="Be brief."></stream-chat>
 * ```
 */
export class StreamChatElement extends LitElement {
  static override styles = styles;

  static override properties: PropertyDeclarations = {
    endpoint: { type: String },
    key: { type: String },
    model: { type: String },
    system: { type: String },
    temperature: { type: Number },
    maxTokens: { type: Number, attribute: 'max-tokens' },
    placeholder: { type: String },
    format: { type: String },
    images: { type: Boolean },
    retries: { type: Number },
    timeout: { type: Number },
    // An accessor of the conversation's messages; declared so a value set before the upgrade is kept.
    messages: { attribute: false },
    headers: { attribute: false },
    body: { attribute: false },
    fetch: { attribute: false },
    tools: { attribute: false },
    maxSteps: { type: Number, attribute: 'max-steps' },
    storageKey: { type: String, attribute: 'storage-key' },
  };

  /** URL the request is POSTed to: the full chat-completions URL, or a same-origin proxy such as `/api/chat`. */
  declare endpoint: string;
  /** Sent as `Authorization: Bearer <key>`; no Authorization header when empty. Never rendered or logged. */
  declare key: string;
  /** `model` in the request body; omitted when empty. */
  declare model: string;
  /** System prompt, sent first; omitted when empty. */
  declare system: string;
  /** Omitted when unset. */
  declare temperature: number | undefined;
  /** `max_tokens`; omitted when unset. */
  declare maxTokens: number | undefined;
  /** Placeholder of the input. */
  declare placeholder: string;
  /** How answers render: `"markdown"` (default) or `"text"`. Questions are always text. */
  declare format: 'markdown' | 'text';
  /** Markdown images (http(s) and `data:image/*` sources) are shown; otherwise their alt text. Default false. */
  declare images: boolean;
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
  /** Responses per `send()` when tools are called. Default 5. */
  declare maxSteps: number;
  /**
   * Keeps the conversation in `localStorage` under this key: restored on connect (over `messages` set
   * before), saved on every change and while an answer streams. Only messages are stored, never the
   * key or headers. Empty (default): not kept. See {@link clear}.
   */
  declare storageKey: string;

  readonly #controller: ConversationController;
  readonly #persistence: Persistence;
  readonly #follow = new FollowEnd(() => this.renderRoot?.querySelector<HTMLElement>('[part~="log"]'));

  constructor() {
    super();
    this.endpoint = '';
    this.key = '';
    this.model = '';
    this.system = '';
    this.temperature = undefined;
    this.maxTokens = undefined;
    this.placeholder = DEFAULT_PLACEHOLDER;
    this.format = 'markdown';
    this.images = false;
    this.retries = DEFAULT_RETRIES;
    this.timeout = DEFAULT_TIMEOUT;
    this.headers = {};
    this.body = {};
    this.fetch = undefined;
    this.tools = [];
    this.maxSteps = DEFAULT_MAX_STEPS;
    // The element is its conversation's options: they are read at every request.
    this.#controller = new ConversationController(this, this, () => this.#renderer, () => this.#follow.follow());
    this.storageKey = '';
    // After the conversation's controller: removed from the page, the answer it stops is saved stopped.
    this.#persistence = new Persistence(this, this.conversation);
    this.addEventListener('keydown', this.#handleKeydown);
  }

  /**
   * The conversation this element renders: its messages, status, draft and methods. Its `chunk`,
   * `done` and `error` events are dispatched from the element (listen there); `change` from it.
   */
  get conversation(): Conversation {
    return this.#controller.conversation;
  }

  /** The conversation so far, without the system prompt. Set it to restore one (a response in flight is stopped). */
  get messages(): ChatMessage[] {
    return this.conversation.messages;
  }

  set messages(messages: ChatMessage[]) {
    this.conversation.messages = messages;
  }

  /** True while a response is in flight or the tools it called are answered. */
  get streaming(): boolean {
    return this.conversation.status !== 'idle';
  }

  /**
   * Appends `{role: "user", content: text}` and streams the reply. Resolves with the `done` detail;
   * rejects with the `StreamChatError` of the `error` event. A response already in flight is
   * stopped first (its `done` has `aborted: true`). See {@link stop}.
   */
  send(text: string): Promise<DoneDetail> {
    this.#follow.reset();
    return this.conversation.send(text);
  }

  /** Aborts the response in flight; its partial content stays, and `done` fires with `aborted: true`. */
  stop(): void {
    this.conversation.stop();
  }

  /**
   * Starts a new conversation: stops a response in flight (its `done` has `aborted: true`), empties
   * `messages` and the error, and removes the conversation stored under {@link storageKey}.
   */
  clear(): void {
    this.#persistence.clear();
  }

  /** The renderer of answers, as `format` and `images` say. */
  get #renderer(): BodyRenderer {
    return this.format === 'text' ? textRenderer : this.images ? markdownWithImages : markdownRenderer;
  }

  /** Copy on a code block copies its code. */
  #handleLogClick(event: MouseEvent): void {
    const button = (event.target as Element).closest('[part~="copy"]');
    const code = button?.closest('[part~="code-block"]')?.querySelector('code');
    if (code) copyCode(button!, code.textContent ?? '');
  }

  /** Escape stops the answer from anywhere in the element. */
  readonly #handleKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.streaming) return;
    event.preventDefault();
    this.stop();
  };

  /** Enter sends and Shift+Enter is a newline; while an answer streams, Enter leaves the text alone. */
  #handleInputKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    if (!this.streaming) this.#submitInput();
  }

  #handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.streaming) this.#submitInput();
  }

  /**
   * One button is Send and, while streaming, Stop: the same node, so focus stays on it when it
   * changes. As Send it is the form's submit button; as Stop its click stops.
   */
  #handleButtonClick(event: MouseEvent): void {
    if (!this.streaming) return;
    event.preventDefault();
    this.stop();
  }

  #handleRetryClick(): void {
    this.#follow.reset();
    // The failure is already reported through the error event; the UI has nothing to await.
    this.conversation.retry().catch(() => {});
  }

  #submitInput(): void {
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('[part~="input"]');
    if (!input || input.value.trim() === '') return;
    const text = input.value;
    input.value = '';
    this.send(text).catch(() => {});
  }

  override updated(): void {
    this.#follow.follow();
  }

  override render(): TemplateResult {
    const streaming = this.streaming;
    const failure = this.conversation.failure;
    return html`
      <div part="log" role="log" aria-label="Conversation" tabindex="0" @scroll=${this.#follow.handleScroll} @click=${this.#handleLogClick}>
        ${renderLog({ conversation: this.conversation, renderer: this.#renderer, nodesOf: (message) => this.#controller.nodesOf(message), interrupted: this.#persistence.interrupted })}
      </div>
      ${failure ? this.#renderFailure(failure) : nothing}
      <form part="form" @submit=${this.#handleSubmit}>
        <textarea
          part="input"
          rows="1"
          aria-label="Message"
          placeholder=${this.placeholder || DEFAULT_PLACEHOLDER}
          @keydown=${this.#handleInputKeydown}
        ></textarea>
        <button part=${streaming ? 'stop' : 'send'} type=${streaming ? 'button' : 'submit'} @click=${this.#handleButtonClick}
          >${streaming ? 'Stop' : 'Send'}</button
        >
      </form>
    `;
  }

  #renderFailure(failure: Failure): TemplateResult {
    return html`<div part="error" role="alert">
      <span class="error-text">${failure.error.message}</span>
      <button part="retry" type="button" ?disabled=${this.streaming} @click=${this.#handleRetryClick}>Retry</button>
    </div>`;
  }
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
  interface HTMLElementEventMap {
    chunk: ChunkEvent;
    done: DoneEvent;
    'tool-call': ToolCallEvent;
    warning: WarningEvent;
  }
}
