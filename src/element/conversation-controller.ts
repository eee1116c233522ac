import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Conversation, type ConversationOptions } from '../core/conversation.js';
import type { ChatMessage, ChunkDetail, DoneDetail, ErrorDetail, ToolCall } from '../core/types.js';
import type { BodyRenderer, StreamingBody } from './body-renderer.js';
import { textBlocks } from './renderers/text.js';
import { StreamBuffer } from './stream-buffer.js';

/**
 * The nodes an answer streams into: its body, reasoning, refusal and each tool call's arguments.
 * They stay the nodes of the message once it is complete, so ending a stream rewrites nothing.
 */
export class StreamedTurn {
  readonly message: ChatMessage;
  readonly body: StreamingBody;
  readonly reasoning = textBlocks();
  readonly refusal = textBlocks();
  readonly #args = new Map<ToolCall, StreamingBody>();
  /** Characters of each streamed field handed to the buffer so far. */
  readonly #written = new Map<StreamingBody, number>();

  constructor(message: ChatMessage, renderer: BodyRenderer) {
    this.message = message;
    this.body = renderer.stream();
  }

  /** The nodes of a tool call's arguments. */
  argumentsOf(call: ToolCall): StreamingBody {
    let target = this.#args.get(call);
    if (!target) this.#args.set(call, (target = textBlocks()));
    return target;
  }

  /** Hands what the message gained since the last call to the buffer, to be written in the next frame. */
  sync(buffer: StreamBuffer): void {
    const { message } = this;
    this.#feed(buffer, this.body, message.content as string);
    if (message.reasoning) this.#feed(buffer, this.reasoning, message.reasoning);
    if (message.refusal) this.#feed(buffer, this.refusal, message.refusal);
    if (message.tool_calls) for (const call of message.tool_calls) this.#feed(buffer, this.argumentsOf(call), call.function.arguments);
  }

  #feed(buffer: StreamBuffer, target: StreamingBody, text: string): void {
    const written = this.#written.get(target) ?? 0;
    if (text.length === written) return;
    buffer.append(target, text.slice(written));
    this.#written.set(target, text.length);
  }
}

/**
 * Binds a {@link Conversation} to the element: re-renders on its changes, streams the answer's text
 * into the DOM at most once per frame, and dispatches its `chunk`, `done` and `error` events from
 * the element. Removed from the page, the element stops the response and dispatches nothing more.
 */
export class ConversationController implements ReactiveController {
  readonly conversation: Conversation;
  readonly buffer: StreamBuffer;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #renderer: () => BodyRenderer;
  /** The answer streaming now, or the last one streamed; only one, so old messages do not pin nodes. */
  #streamed: StreamedTurn | undefined;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    options: ConversationOptions,
    renderer: () => BodyRenderer,
    onWrite: () => void,
  ) {
    (this.#host = host).addController(this);
    this.conversation = new Conversation(options);
    this.#renderer = renderer;
    this.buffer = new StreamBuffer({ onWrite });
  }

  /** The streamed nodes of `message`, when it is the answer streaming now or the last one streamed. */
  nodesOf(message: ChatMessage): StreamedTurn | undefined {
    return this.#streamed?.message === message ? this.#streamed : undefined;
  }

  hostConnected(): void {
    const { conversation } = this;
    conversation.addEventListener('change', this.#handleChange);
    conversation.addEventListener('chunk', this.#handleChunk);
    conversation.addEventListener('done', this.#handleDone);
    conversation.addEventListener('error', this.#handleError);
  }

  hostDisconnected(): void {
    const { conversation } = this;
    conversation.removeEventListener('change', this.#handleChange);
    conversation.removeEventListener('chunk', this.#handleChunk);
    conversation.removeEventListener('done', this.#handleDone);
    conversation.removeEventListener('error', this.#handleError);
    // Removed from the page: abort on the wire, keep what arrived, dispatch neither event.
    conversation.stop();
    this.buffer.flush();
  }

  readonly #handleChange = (): void => {
    const draft = this.conversation.draft;
    if (draft && this.#streamed?.message !== draft.message) this.#streamed = new StreamedTurn(draft.message, this.#renderer());
    this.#host.requestUpdate();
  };

  readonly #handleChunk = (event: CustomEvent<ChunkDetail>): void => {
    this.#streamed?.sync(this.buffer);
    this.#host.dispatchEvent(new CustomEvent<ChunkDetail>('chunk', { detail: event.detail, bubbles: true, composed: true }));
  };

  readonly #handleDone = (event: CustomEvent<DoneDetail>): void => {
    this.buffer.flush();
    this.#host.dispatchEvent(new CustomEvent<DoneDetail>('done', { detail: event.detail, bubbles: true, composed: true }));
  };

  readonly #handleError = (event: CustomEvent<ErrorDetail>): void => {
    this.buffer.flush();
    this.#host.dispatchEvent(new CustomEvent<ErrorDetail>('error', { detail: event.detail }));
  };
}
