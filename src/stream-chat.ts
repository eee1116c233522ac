import { LitElement, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { Accumulator } from './accumulator.js';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT, streamChatCompletion } from './chat-stream.js';
import { StreamChatError } from './errors.js';
import { StreamBuffer } from './stream-buffer.js';
import { styles } from './stream-chat.styles.js';
import { textBlocks, type TextBlocks } from './text-blocks.js';
import type { ChatCompletionChunk, ChatMessage, ChunkDetail, DoneDetail } from './types.js';

/** `detail` of the `error` event. */
export interface ErrorDetail {
  error: StreamChatError;
  /** What had arrived before the failure. */
  content: string;
}

export type ChunkEvent = CustomEvent<ChunkDetail>;
export type DoneEvent = CustomEvent<DoneDetail>;
export type StreamChatErrorEvent = CustomEvent<ErrorDetail>;

/** The events `<stream-chat>` dispatches, by name. */
export interface StreamChatEventMap {
  chunk: ChunkEvent;
  done: DoneEvent;
  error: StreamChatErrorEvent;
}

/** One response in flight: everything that belongs to it, so a stale one is recognised by identity. */
interface ActiveResponse {
  readonly controller: AbortController;
  readonly accumulator: Accumulator;
  /** Stands for the answer in the log while it streams; `text` and `reasoning` carry the streamed text. */
  readonly message: ChatMessage;
  readonly text: TextBlocks;
  readonly reasoning: TextBlocks;
  readonly resolve: (detail: DoneDetail) => void;
  readonly reject: (error: StreamChatError) => void;
  /** Something visible (content, reasoning or a tool call) has arrived: the typing indicator goes. */
  started: boolean;
  hasContent: boolean;
  hasReasoning: boolean;
}

/**
 * The text nodes of the answer streaming now, or of the last one streamed: Lit renders that message
 * with the same nodes, so ending a stream rewrites nothing. Only one is kept, so messages a host
 * holds on to do not pin nodes.
 */
interface StreamedNodes {
  readonly message: ChatMessage;
  readonly text: TextBlocks;
  readonly reasoning: TextBlocks;
}

/** The failure shown inline, with what Retry needs. */
interface Failure {
  readonly error: StreamChatError;
  /** The partial answer the failed response left in `messages`, removed again on Retry. */
  readonly partial: ChatMessage | undefined;
}

const DEFAULT_PLACEHOLDER = 'Send a message';
/**
 * Turns per group in the log. Each group skips layout and paint while out of view
 * (`content-visibility: auto`), and Chromium checks the visibility of each such box every frame:
 * one box per turn made 500 earlier messages cost a millisecond per streamed frame.
 */
const GROUP_SIZE = 25;

/**
 * @summary A chat that streams completions from any OpenAI-compatible endpoint.
 * @tagname stream-chat
 *
 * @event {CustomEvent<ChunkDetail>} chunk - Once per parsed chat-completion chunk.
 *   `detail: { chunk, delta, content }`.
 * @event {CustomEvent<DoneDetail>} done - Once per response that ends without error, after the
 *   last DOM write. `detail: { content, message, finishReason, usage?, aborted }`.
 * @event {CustomEvent<ErrorDetail>} error - Once per response that fails; does not bubble.
 *   `detail: { error, content }`.
 *
 * @csspart log - The message list (`role="log"`).
 * @csspart message - Each message; with `user` or `assistant`. Its text is exactly the message text.
 * @csspart user - A user message.
 * @csspart assistant - An assistant message.
 * @csspart reasoning - The collapsible reasoning of an assistant message.
 * @csspart tool-call - A tool call the assistant made.
 * @csspart typing - The typing indicator shown before the first token.
 * @csspart error - The inline error, with its Retry button.
 * @csspart retry - The Retry button.
 * @csspart form - The composer.
 * @csspart input - The message input.
 * @csspart send - The Send button (while idle).
 * @csspart stop - The same button while streaming: Stop.
 * @csspart refusal - A refusal the model streamed, shown as an assistant message.
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
export class StreamChat extends LitElement {
  static override styles = styles;

  static override properties: PropertyDeclarations = {
    endpoint: { type: String },
    key: { type: String },
    model: { type: String },
    system: { type: String },
    temperature: { type: Number },
    maxTokens: { type: Number, attribute: 'max-tokens' },
    placeholder: { type: String },
    retries: { type: Number },
    timeout: { type: Number },
    messages: { attribute: false },
    headers: { attribute: false },
    body: { attribute: false },
    fetch: { attribute: false },
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
  /** Automatic retries of a request that failed before any content arrived. Default 2. */
  declare retries: number;
  /** Stall timeout in ms: no bytes for this long ends the response with a `timeout` error. 0 disables. Default 120000. */
  declare timeout: number;
  /** The conversation so far, without the system prompt. Set it to restore one. */
  declare messages: ChatMessage[];
  /** Extra request headers (e.g. Azure's `api-key`). */
  declare headers: Record<string, string>;
  /** Extra request body fields, merged last (e.g. `stream_options`, `top_p`). */
  declare body: Record<string, unknown>;
  /** The fetch to use (a proxy, tests, an in-page mock). Default: the global `fetch`. */
  declare fetch: typeof fetch | undefined;

  #active: ActiveResponse | undefined;
  #failure: Failure | undefined;
  #streamed: StreamedNodes | undefined;
  readonly #buffer = new StreamBuffer({ onWrite: () => this.#followEnd() });
  /** Whether the log was scrolled to its end, so new text keeps it there. */
  #atEnd = true;
  /** The log's scrollTop at its last scroll event. */
  #scrollTop = 0;

  constructor() {
    super();
    this.endpoint = '';
    this.key = '';
    this.model = '';
    this.system = '';
    this.temperature = undefined;
    this.maxTokens = undefined;
    this.placeholder = DEFAULT_PLACEHOLDER;
    this.retries = DEFAULT_RETRIES;
    this.timeout = DEFAULT_TIMEOUT;
    this.messages = [];
    this.headers = {};
    this.body = {};
    this.fetch = undefined;
  }

  /** True while a response is in flight. */
  get streaming(): boolean {
    return this.#active !== undefined;
  }

  /**
   * Appends `{role: "user", content: text}` and streams the reply. Resolves with the `done` detail;
   * rejects with the `StreamChatError` of the `error` event. A response already in flight is
   * stopped first (its `done` has `aborted: true`). See {@link stop}.
   */
  send(text: string): Promise<DoneDetail> {
    this.stop();
    this.messages = [...this.messages, { role: 'user', content: text }];
    return this.#respond();
  }

  /** Aborts the response in flight; its partial content stays, and `done` fires with `aborted: true`. */
  stop(): void {
    const active = this.#active;
    if (!active) return;
    active.controller.abort();
    this.#finish(active, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    const active = this.#active;
    if (!active) return;
    // Removed from the page: abort on the wire, keep what arrived, and dispatch neither event.
    active.controller.abort();
    active.resolve(this.#doneDetail(active, this.#settle(active), true));
  }

  #respond(): Promise<DoneDetail> {
    this.#failure = undefined;
    return new Promise<DoneDetail>((resolve, reject) => {
      const active: ActiveResponse = {
        controller: new AbortController(),
        accumulator: new Accumulator(),
        message: { role: 'assistant', content: '' },
        text: textBlocks(),
        reasoning: textBlocks(),
        resolve,
        reject,
        started: false,
        hasContent: false,
        hasReasoning: false,
      };
      this.#streamed = { message: active.message, text: active.text, reasoning: active.reasoning };
      this.#active = active;
      this.#atEnd = true;
      this.requestUpdate();
      streamChatCompletion(
        {
          endpoint: this.endpoint,
          key: this.key,
          model: this.model,
          system: this.system,
          messages: this.messages,
          temperature: this.temperature,
          maxTokens: this.maxTokens,
          headers: this.headers,
          body: this.body,
          fetch: this.fetch,
          retries: this.retries,
          timeout: this.timeout,
          signal: active.controller.signal,
        },
        (chunk) => this.#handleChunk(active, chunk),
      ).then(
        () => this.#finish(active, false),
        (error: unknown) => this.#fail(active, error),
      );
    });
  }

  #handleChunk(active: ActiveResponse, chunk: ChatCompletionChunk): void {
    if (this.#active !== active) return;
    const { accumulator } = active;
    const step = accumulator.push(chunk);
    if (step.content !== '') {
      this.#buffer.append(active.text, step.content);
      if (!active.hasContent) {
        active.hasContent = true;
        active.started = true;
        this.requestUpdate();
      }
    }
    if (step.reasoning !== '') {
      this.#buffer.append(active.reasoning, step.reasoning);
      if (!active.hasReasoning) {
        active.hasReasoning = true;
        active.started = true;
        this.requestUpdate();
      }
    }
    if (!active.started && accumulator.toolCallCount > 0) {
      active.started = true;
      this.requestUpdate();
    }
    this.dispatchEvent(
      new CustomEvent<ChunkDetail>('chunk', {
        detail: { chunk, delta: step.content, content: accumulator.content },
        bubbles: true,
        composed: true,
      }),
    );
  }

  #finish(active: ActiveResponse, aborted: boolean): void {
    if (this.#active !== active) return;
    const detail = this.#doneDetail(active, this.#settle(active), aborted);
    this.dispatchEvent(new CustomEvent<DoneDetail>('done', { detail, bubbles: true, composed: true }));
    active.resolve(detail);
  }

  #fail(active: ActiveResponse, reason: unknown): void {
    if (this.#active !== active) return;
    const partial = this.#settle(active);
    const error =
      reason instanceof StreamChatError
        ? reason
        : new StreamChatError('network', reason instanceof Error ? reason.message : String(reason), { cause: reason });
    this.#failure = { error, partial };
    this.dispatchEvent(new CustomEvent<ErrorDetail>('error', { detail: { error, content: active.accumulator.content } }));
    active.reject(error);
  }

  /**
   * Ends `active`: the last text is written, and what arrived joins `messages` rendered by the same
   * nodes. Returns the message added, if any arrived.
   */
  #settle(active: ActiveResponse): ChatMessage | undefined {
    this.#buffer.flush();
    this.#active = undefined;
    const { accumulator } = active;
    let message: ChatMessage | undefined;
    this.#streamed = undefined;
    if (accumulator.content !== '' || accumulator.reasoning !== '' || accumulator.toolCallCount > 0 || accumulator.refusal !== '') {
      message = accumulator.message;
      this.#streamed = { message, text: active.text, reasoning: active.reasoning };
      this.messages = [...this.messages, message];
    }
    this.requestUpdate();
    return message;
  }

  /** The `done` detail; its `message` is the very object added to `messages`, when one was. */
  #doneDetail(active: ActiveResponse, added: ChatMessage | undefined, aborted: boolean): DoneDetail {
    const { accumulator } = active;
    const detail: DoneDetail = {
      content: accumulator.content,
      message: added ?? accumulator.message,
      finishReason: accumulator.finishReason,
      aborted,
    };
    if (accumulator.usage) detail.usage = accumulator.usage;
    return detail;
  }

  /** Keeps the newest text in view while the reader has not scrolled up. */
  #followEnd(): void {
    if (!this.#atEnd) return;
    const log = this.renderRoot.querySelector<HTMLElement>('[part~="log"]');
    if (log) log.scrollTop = log.scrollHeight;
  }

  /**
   * Only the reader scrolling up stops the log following the end: the scroll event of our own scroll
   * to the end can arrive after groups of turns came into view and changed the height. While it
   * follows, scroll anchoring is off, so those changes do not move it either.
   */
  #handleLogScroll(event: Event): void {
    const log = event.currentTarget as HTMLElement;
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 32;
    if (atEnd || log.scrollTop < this.#scrollTop) this.#atEnd = atEnd;
    this.#scrollTop = log.scrollTop;
    // Our own scroll to the end fires this every streamed frame: write the style only when it changes.
    const anchor = this.#atEnd ? '' : 'auto';
    if (log.style.overflowAnchor !== anchor) log.style.overflowAnchor = anchor;
  }

  #handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.#submitInput();
  }

  #handleInputKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#submitInput();
    } else if (event.key === 'Escape' && this.streaming) {
      event.preventDefault();
      this.stop();
    }
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
    const failure = this.#failure;
    if (!failure || this.streaming) return;
    if (failure.partial && this.messages.at(-1) === failure.partial) this.messages = this.messages.slice(0, -1);
    // The failure is already reported through the error event; the UI has nothing to await.
    this.#respond().catch(() => {});
  }

  #submitInput(): void {
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('[part~="input"]');
    if (!input) return;
    const text = input.value;
    if (text.trim() === '') return;
    input.value = '';
    this.send(text).catch(() => {});
  }

  override updated(): void {
    this.#followEnd();
  }

  override render(): TemplateResult {
    const active = this.#active;
    const turns = active ? [...this.messages, active.message] : this.messages;
    return html`
      <div part="log" role="log" aria-label="Conversation" tabindex="0" @scroll=${this.#handleLogScroll}>
        ${groups(turns).map((group) => html`<div class="turns">${group.map((message) => this.#renderTurn(message, active))}</div>`)}
      </div>
      ${this.#failure ? this.#renderFailure(this.#failure) : nothing}
      <form part="form" @submit=${this.#handleSubmit}>
        <textarea
          part="input"
          rows="1"
          aria-label="Message"
          placeholder=${this.placeholder || DEFAULT_PLACEHOLDER}
          @keydown=${this.#handleInputKeydown}
        ></textarea>
        <button part=${active ? 'stop' : 'send'} type=${active ? 'button' : 'submit'} @click=${this.#handleButtonClick}
          >${active ? 'Stop' : 'Send'}</button
        >
      </form>
    `;
  }

  /**
   * One template for a streaming and a finished assistant turn, so that when the stream ends Lit
   * keeps the same nodes. Reasoning is open while the model thinks and folds away when the answer
   * starts; Lit only writes `open` when that changes, so a reader's own toggling is kept.
   */
  #renderTurn(message: ChatMessage, active: ActiveResponse | undefined): TemplateResult | typeof nothing {
    if (message.role === 'user') {
      return html`<div class="turn user"><div part="message user">${message.content}</div></div>`;
    }
    if (message.role !== 'assistant') return nothing;
    const streaming = active?.message === message;
    const nodes = this.#streamed?.message === message ? this.#streamed : undefined;
    const showReasoning = streaming ? active.hasReasoning : Boolean(message.reasoning);
    const hasContent = streaming ? active.hasContent : message.content !== '';
    return html`<div class="turn assistant">
      ${showReasoning
        ? html`<details part="reasoning" ?open=${streaming && !active.hasContent}>
            <summary>${streaming && !active.hasContent ? 'Thinking…' : 'Reasoning'}</summary>
            <div class="reasoning-text">${nodes?.reasoning.root ?? message.reasoning}</div>
          </details>`
        : nothing}
      ${streaming && !active.started
        ? html`<div part="typing" role="status" aria-label="Assistant is typing"><span></span><span></span><span></span></div>`
        : nothing}
      <div part="message assistant" aria-busy=${streaming ? 'true' : nothing} ?hidden=${!hasContent}>${nodes?.text.root ?? message.content}</div>
      ${message.tool_calls?.map((call) => html`<div part="tool-call">${call.function.name}(${call.function.arguments})</div>`) ?? nothing}
      ${message.refusal ? html`<div part="message assistant refusal">${message.refusal}</div>` : nothing}
    </div>`;
  }

  #renderFailure(failure: Failure): TemplateResult {
    return html`<div part="error" role="alert">
      <span class="error-text">${failure.error.message}</span>
      <button part="retry" type="button" ?disabled=${this.streaming} @click=${this.#handleRetryClick}>Retry</button>
    </div>`;
  }
}

function groups<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += GROUP_SIZE) out.push(items.slice(at, at + GROUP_SIZE));
  return out;
}

// Typed listeners for the element's own events; `error` needs this because the DOM already
// declares a global `error` event of another type.
export interface StreamChat {
  addEventListener<K extends keyof StreamChatEventMap>(
    type: K,
    listener: (this: StreamChat, event: StreamChatEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: StreamChat, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof StreamChatEventMap>(
    type: K,
    listener: (this: StreamChat, event: StreamChatEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: StreamChat, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'stream-chat': StreamChat;
  }
  interface HTMLElementEventMap {
    chunk: ChunkEvent;
    done: DoneEvent;
  }
}
