import { StreamChatError } from './errors.js';
import { MessageBuilder } from './message-builder.js';
import type { RequestOptions } from './protocol.js';
import { streamResponse, type StreamOptions } from './stream.js';
import type { TransportOptions } from './transport.js';
import type { ChatCompletionChunk, ChatMessage, ChunkDetail, DoneDetail, ErrorDetail, ToolCall } from './types.js';

/** What a {@link Conversation} is doing. */
export const Status = {
  idle: 'idle',
  /** A response is in flight. */
  streaming: 'streaming',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** The request and transport options of a {@link Conversation}, read again at every request. */
export interface ConversationOptions extends Partial<Omit<RequestOptions, 'messages'>>, Omit<TransportOptions, 'signal'> {}

/** The answer streaming now: its message, updated in place as deltas arrive. */
export interface Draft {
  readonly message: ChatMessage;
  /** Something of the answer (text, reasoning, a refusal, a tool call) has arrived. */
  readonly arrived: boolean;
  /** The tool call that the `tool-call` deltas with this `index` build. */
  toolCall(index: number): ToolCall | undefined;
}

/** The last request's failure, kept until the next one starts. */
export interface Failure {
  readonly error: StreamChatError;
  /** What arrived before the failure, which is in `messages`; {@link Conversation.retry} removes it. */
  readonly partial: ChatMessage | undefined;
}

/** The events a {@link Conversation} dispatches, by name. */
export interface ConversationEventMap {
  /** `messages`, `status`, `failure` or the draft's shape changed (not each streamed character). */
  change: Event;
  chunk: CustomEvent<ChunkDetail>;
  done: CustomEvent<DoneDetail>;
  error: CustomEvent<ErrorDetail>;
}

/** One response in flight: everything that belongs to it, so a stale one is recognised by identity. */
interface Active {
  readonly controller: AbortController;
  readonly builder: MessageBuilder;
  readonly resolve: (detail: DoneDetail) => void;
  readonly reject: (error: StreamChatError) => void;
}

/**
 * A chat conversation without a view: the messages, the one response in flight, and the events
 * that report it. `<stream-chat>` renders one; a host with its own UI, a worker or Node uses it
 * directly. Every state change is complete before any listener runs, so a listener may call any
 * method; exactly one `done` or `error` ends every {@link send} and {@link retry}.
 *
 * @example
 * const chat = new Conversation({ endpoint: '/api/chat', model: 'gpt-4o-mini' });
 * chat.addEventListener('chunk', (e) => process.stdout.write(e.detail.delta));
 * const { content } = await chat.send('Hello!');
 */
export class Conversation extends EventTarget {
  /** Read at every request, so changes apply from the next one. */
  options: ConversationOptions;
  #messages: ChatMessage[] = [];
  #active: Active | undefined;
  #failure: Failure | undefined;
  readonly #stopped = new WeakSet<ChatMessage>();

  constructor(options: ConversationOptions = {}) {
    super();
    this.options = options;
  }

  /** The conversation, without the system prompt. Setting it stops a response in flight. */
  get messages(): ChatMessage[] {
    return this.#messages;
  }

  set messages(messages: ChatMessage[]) {
    const announce = this.#settle(false);
    this.#messages = messages;
    this.#failure = undefined;
    this.#changed();
    announce?.();
  }

  /** {@link Status.streaming} while a response is in flight, otherwise {@link Status.idle}. */
  get status(): Status {
    return this.#active ? Status.streaming : Status.idle;
  }

  /** The answer streaming now, if any. */
  get draft(): Draft | undefined {
    return this.#active?.builder;
  }

  /** Why the last request failed; cleared when the next one starts. */
  get failure(): Failure | undefined {
    return this.#failure;
  }

  /** Whether `message` is an answer that {@link stop} (or a new request) cut short. */
  wasStopped(message: ChatMessage): boolean {
    return this.#stopped.has(message);
  }

  /**
   * Appends `{role: "user", content: text}` and streams the answer. Resolves with the `done` detail;
   * rejects with the `StreamChatError` of the `error` event. A response in flight is stopped first
   * (its `done` has `aborted: true`).
   */
  send(text: string): Promise<DoneDetail> {
    return this.#request((messages) => [...messages, { role: 'user', content: text }]);
  }

  /** Requests the answer again after a failure, without what the failed response left; otherwise the answer to `messages` as they are. */
  retry(): Promise<DoneDetail> {
    const partial = this.#failure?.partial;
    return this.#request((messages) => (partial && messages.at(-1) === partial ? messages.slice(0, -1) : messages));
  }

  /** Aborts the response in flight: what arrived stays in `messages`, and `done` fires with `aborted: true`. */
  stop(): void {
    const announce = this.#settle(false);
    if (!announce) return;
    this.#changed();
    announce();
  }

  #request(next: (messages: ChatMessage[]) => ChatMessage[]): Promise<DoneDetail> {
    const announce = this.#settle(false);
    this.#messages = next(this.#messages);
    this.#failure = undefined;
    const controller = new AbortController();
    const builder = new MessageBuilder();
    return new Promise<DoneDetail>((resolve, reject) => {
      const active: Active = { controller, builder, resolve, reject };
      this.#active = active;
      this.#changed();
      announce?.();
      // A listener may have stopped or replaced this response already: then it never goes out.
      if (this.#active !== active) return;
      const onEnd = (failed: boolean, reason?: unknown) => {
        if (this.#active !== active) return;
        const end = this.#settle(true, failed, reason);
        this.#changed();
        end!();
      };
      streamResponse(
        // The options as they are now (an element's properties are accessors, which a spread would
        // miss), with this request's own fields defined over them, never assigned through a setter.
        Object.create(this.options, {
          endpoint: { value: this.options.endpoint ?? '' },
          messages: { value: this.#messages },
          signal: { value: controller.signal },
        }) as StreamOptions,
        (raw, deltas) => {
          if (this.#active !== active) return;
          let text = '';
          let reshaped = false;
          for (const delta of deltas) {
            if (builder.apply(delta)) reshaped = true;
            if (delta.type === 'text') text += delta.text;
          }
          if (reshaped) this.#changed();
          if (this.#active !== active) return;
          const detail: ChunkDetail = { chunk: raw as ChatCompletionChunk, delta: text, content: builder.message.content, deltas };
          this.dispatch(new CustomEvent('chunk', { detail, bubbles: true, composed: true }));
        },
      ).then(
        () => onEnd(false),
        (reason: unknown) => onEnd(true, reason),
      );
    });
  }

  /**
   * Ends the response in flight, if any: it is aborted unless it `completed`, what arrived joins
   * `messages`, `failure` is set when it ended in `error`, and the state is idle. Dispatches nothing:
   * returns the function that then dispatches its `done` or `error` and settles its promise.
   */
  #settle(completed: boolean, failed = false, reason?: unknown): (() => void) | undefined {
    const active = this.#active;
    if (!active) return undefined;
    this.#active = undefined;
    if (!completed) active.controller.abort();
    const { builder } = active;
    const { message } = builder;
    let added: ChatMessage | undefined;
    if (builder.arrived) {
      added = message;
      if (!completed) this.#stopped.add(message);
      this.#messages = [...this.#messages, message];
    }
    if (failed) {
      const error =
        reason instanceof StreamChatError ? reason : new StreamChatError('network', reason instanceof Error ? reason.message : String(reason), { cause: reason });
      this.#failure = { error, partial: added };
      return () => {
        this.dispatch(new CustomEvent<ErrorDetail>('error', { detail: { error, content: message.content } }));
        active.reject(error);
      };
    }
    const detail: DoneDetail = { content: message.content, message, finishReason: builder.finishReason, aborted: !completed };
    if (builder.usage) detail.usage = builder.usage;
    return () => {
      this.dispatch(new CustomEvent<DoneDetail>('done', { detail, bubbles: true, composed: true }));
      active.resolve(detail);
    };
  }

  #changed(): void {
    this.dispatch(new Event('change'));
  }

  /**
   * Dispatches one of the conversation's events. `chunk` and `done` are made to bubble and cross
   * shadow roots, as a view that dispatches them from its own node wants them: the element
   * overrides this to update itself first, then dispatch them from the element, once.
   */
  protected dispatch(event: Event): void {
    this.dispatchEvent(event);
  }
}

// Typed listeners for the conversation's events.
export interface Conversation {
  addEventListener<K extends keyof ConversationEventMap>(
    type: K,
    listener: (this: Conversation, event: ConversationEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ConversationEventMap>(
    type: K,
    listener: (this: Conversation, event: ConversationEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}
