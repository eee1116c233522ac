import type { ReactiveController } from 'lit';
import { Conversation, type ConversationOptions, type Draft } from '../core/conversation.js';
import type { ChatMessage, ChunkDetail, Delta, DoneDetail, ToolCall } from '../core/types.js';
import type { BodyRenderer, StreamingBody } from './body-renderer.js';
import { directionOf } from './composer.js';
import { rendererFor } from './renderer-for.js';
import { textBlocks } from './renderers/text.js';
import { streamBuffer, type StreamBuffer } from './stream-buffer.js';
import type { StreamChatElement } from './stream-chat.js';

/** The nodes an answer streams into: see {@link streamedTurn}. */
export type StreamedTurn = ReturnType<typeof streamedTurn>;

/**
 * The nodes an answer streams into: its body, reasoning, refusal and each tool call's arguments.
 * They stay the nodes of the message once it is complete, so ending a stream rewrites nothing.
 * `shown` asks the view to render again when the answer's first text but white space comes, its
 * first letter, or a call's arguments are replaced.
 */
export function streamedTurn(draft: Draft, renderer: BodyRenderer, shown: () => void) {
  const message = draft.message;
  /** The body text goes into now: the last of `bodies`. */
  let current = renderer.stream();
  /** The server tools that started, by index; the text after a new one starts a new stretch. */
  const serverTools = new Set<number>();
  let split = false;
  /** Text has gone into the last body. */
  let written = false;
  /**
   * The answer's text is only white space so far (a model's "\n\n" before its text or its calls),
   * which the view shows as none (see `response()`): the text after it, which streams in with no
   * render, calls `shown` for one. (Not again after a `</think>`: the text after one starts with no
   * white space, and is its first, which renders.)
   */
  let blank = true;
  /** A letter has come in the answer's text (since it started again), which the view renders for: see messages.ts' dirOf. */
  let lettered = false;
  /** A letter came in the answer's text since, none on screen yet. */
  let held = false;
  const args = new Map<ToolCall, StreamingBody>();
  /** Characters of the answer's text, reasoning and refusal handed to the buffer. */
  const chars = { content: 0, reasoning: 0, refusal: 0 };

  const turn = {
    message,
    /**
     * The answer's text in stretches between the provider's own tool runs (web search, …), each
     * streamed into a body of its own; without them, one.
     */
    bodies: [current],
    /** What renders its bodies: the element's renderer when the answer started. */
    renderer,
    reasoning: textBlocks(),
    refusal: textBlocks(),
    /** The stats line under the answer, updated in place while it streams. */
    stats: new Text(),

    /**
     * Settles the body once the answer is complete (after the buffer's last write), once: the
     * controller lets the turn go as it ends it. What no chunk brought (a listener ended the turn on
     * the change before it) is written first.
     */
    end(): void {
      // Its text became reasoning on a change that ended the turn, before a chunk said so.
      if (String(message.content).length < chars.content) restart();
      for (const key of ['content', 'reasoning', 'refusal'] as const) {
        const rest = String(message[key] ?? '').slice(chars[key]);
        if (rest) (key == 'content' ? current : turn[key]).appendData(rest);
      }
      current.end?.();
    },

    /** A letter of the answer's text is on screen (the view's `dir="auto"` waits for it while it streams). */
    get lettered(): boolean {
      return lettered;
    },

    /**
     * After the buffer's write of a frame: where a letter came and none was on screen, renders once
     * one is, so that the message takes `dir="auto"` with the letter in it. WebKit's `dir="auto"`
     * misses a letter written later below its children (an answer "1. " then Arabic read left to
     * right until it ended); the renderer may hold a letter back (a table's header, a link's text).
     * (In the frame's write, not with a write of its own: one write of the answer per frame.)
     */
    wrote(): void {
      if (held && (lettered = !!directionOf(current.root.textContent!))) (held = false), shown();
    },

    /** The nodes of a tool call's arguments. */
    argumentsOf(call: ToolCall): StreamingBody {
      return args.get(call) ?? args.set(call, textBlocks()).get(call)!;
    },

    /**
     * Hands what a chunk added to the buffer, to be written in the next frame. From the deltas, not by
     * slicing the message's text: that would flatten the whole growing string on every chunk.
     */
    sync(buffer: StreamBuffer, deltas: readonly Delta[]): void {
      for (const delta of deltas) {
        if (delta.type === 'text') {
          if (split) {
            // Text after a server tool: the stretch before it is written and settled, and a new body starts.
            split = false;
            buffer.flush();
            current.end?.();
            turn.bodies.push((current = renderer.stream()));
          }
          written = true;
          if (blank && /\S/.test(delta.text)) (blank = false), shown();
          chars.content += delta.text.length;
          buffer.append(current, delta.text);
          // A letter came: once one is on screen (see `wrote`), the message renders with `dir="auto"`.
          held ||= !lettered && chars.content - delta.text.length < 1e3 && !!directionOf(delta.text);
        } else if (delta.type === 'text-was-reasoning') {
          // (None moves when nothing came before the tag.)
          buffer.append(turn.reasoning, (message.reasoning ?? '').slice(chars.reasoning, (chars.reasoning += chars.content)));
          restart();
        } else if (delta.type === 'reasoning' || delta.type === 'refusal') {
          chars[delta.type] += delta.text.length;
          buffer.append(turn[delta.type], delta.text);
        } else if (delta.type === 'tool-call' && (delta.whole || delta.arguments)) {
          const call = draft.toolCall(delta.index)!;
          // All its arguments in place of those so far: in nodes of their own, which the view renders
          // (what the buffer holds for the old ones goes to those, shown no more).
          if (delta.whole) args.set(call, textBlocks()), shown();
          buffer.append(turn.argumentsOf(call), delta.whole || delta.arguments!);
        } else if (delta.type === 'server-tool' && !serverTools.has(delta.index)) {
          serverTools.add(delta.index);
          split = written;
        }
      }
    },
  };

  /** The text so far was reasoning (it went there): the answer starts again in a new body. */
  function restart(): void {
    chars.content = 0;
    turn.bodies[0] = current = renderer.stream();
    written = lettered = held = false;
  }

  return turn;
}

/**
 * The element's conversation: its events are the element's. Each one updates the view first, then
 * `chunk`, `done` and `error` are dispatched from the element (once: a second dispatch per chunk
 * cost a third of the element's time at full speed), and `change` from the conversation.
 */
class ElementConversation extends Conversation {
  readonly #view: ConversationController;

  constructor(options: ConversationOptions, view: ConversationController) {
    super(options);
    this.#view = view;
  }

  protected override dispatch(event: Event): void {
    // A view that throws is the page's error, as a listener's is: the turn's lifecycle goes on.
    try {
      this.#view.handleEvent(event);
    } catch (error) {
      reportError(error);
    }
    if (event.type === 'change') super.dispatch(event);
  }
}

/**
 * Whether the page is going (a reload, a link followed; not into the back/forward cache, whence it
 * comes back): the connections the browser cuts then are no error, and the elements dispatch none.
 * Set by this module's listener, captured, before the page's own listeners (but those of a script
 * loaded before it): Chromium cuts the requests as the page goes, and reads their failures as soon
 * as the first listener has run. Until the next task, which a page that goes never runs. (Firefox
 * and Safari cut them before: see {@link HOLD_MS}; an error read before this listener, a script's
 * being first, is held the same, a `beforeunload` having come before the `pagehide`.)
 */
let going = false;
if (typeof addEventListener == 'function') {
  addEventListener('pagehide', (event) => event.isTrusted && !(event as PageTransitionEvent).persisted && ((going = true), setTimeout(() => (going = false))), true);
}

/**
 * How long (ms) the `error` of a turn that failed after a `beforeunload` waits to see whether the
 * page goes. Firefox and WebKit (Safari's engine) cut the requests after `beforeunload`, as the
 * next page is asked for, before the `pagehide` when it comes; also for a navigation that leaves
 * the page where it is (a download, a 204). A page that goes runs no task again: its held error is
 * never dispatched. One that stays dispatches it this much later, or at once when the conversation
 * changes (a turn, `clear()`, `messages` set) or the element is removed. A next page slower than
 * that to send its first byte still sees the error go out.
 */
const HOLD_MS = 3000;

/**
 * Binds a {@link Conversation} to the element: re-renders on its changes, streams the answer's text
 * into the DOM at most once per frame, and dispatches its `chunk`, `done` and `error` events from
 * the element. Removed from the page, the element stops the response and dispatches nothing more.
 */
export class ConversationController implements ReactiveController {
  readonly conversation: ElementConversation;
  readonly #buffer: StreamBuffer;
  readonly #host: StreamChatElement;
  /** The view's part in a turn's end, before its `done` or `error` goes to anyone else. */
  readonly #onEnd: (event: Event) => void;
  /** Removed from the page, the element dispatches nothing. */
  #connected = false;
  /** The messages as the conversation last changed to (a copy: an array changed in place since is another). */
  #seen: ChatMessage[] = [];
  /** What `messages` was last set to, and a copy of it as it was then. */
  #given: [last: unknown, copy: ChatMessage[]] = [undefined, []];
  /** The answer streaming now, until it ends. */
  #streamed: StreamedTurn | undefined;
  /** The conversation's `change` events so far: a call that changed nothing was refused. */
  #changes = 0;
  /** A `beforeunload` came while a turn was in flight: the page may be going. */
  #leaving = false;
  /** Dispatches the turn's `error` held while the page may be going (see {@link HOLD_MS}); not shown meanwhile. */
  held: (() => void) | undefined;
  /**
   * The nodes of each answer streamed here that is in the conversation, by its message (the others
   * map to none): complete, it keeps them (they are what rendering its text gives), so that its
   * finished blocks are never built again. An answer that leaves the conversation lets them go.
   */
  #turns = new Map<ChatMessage, StreamedTurn | undefined>();

  constructor(
    host: StreamChatElement,
    options: ConversationOptions,
    onWrite: () => void,
    onEnd: (event: Event) => void,
  ) {
    (this.#host = host).addController(this);
    this.conversation = new ElementConversation(options, this);
    this.#onEnd = onEnd;
    this.#buffer = streamBuffer({ onWrite: () => (this.#streamed?.wrote(), onWrite()) });
  }

  /**
   * Sets the conversation's messages, unless they are what a framework mirrors: the same objects,
   * in order, as the array last set was then (changed in place, it is read again), as the
   * conversation last changed to, or, while a turn is in flight, as when it started (state set from
   * `done`, rendered as the next turn started). True when it set them.
   */
  take(messages: readonly ChatMessage[] | null | undefined): boolean {
    const list = Array.isArray(messages) && messages;
    const same = (seen: readonly ChatMessage[] | undefined) =>
      seen && list && list.length === seen.length && list.every((message, index) => message === seen[index]);
    // (An empty array too, while the first answer streams: a framework rendering `saved ?? []`.
    // turnStart is protected, for a view of the conversation: this controller is that view.)
    const mirrored = (messages === this.#given[0] && (!list || same(this.#given[1]))) || same(this.#seen) || same(this.conversation['turnStart']);
    if (!mirrored) this.conversation.messages = messages;
    this.#given = [messages, list ? [...list] : []];
    return !mirrored;
  }

  /** Starts a turn, and calls `started` once it has: a call refused changed nothing. */
  ask(turn: () => Promise<DoneDetail>, started: () => void): Promise<DoneDetail> {
    const changes = this.#changes;
    const sent = turn();
    if (this.#changes !== changes) started();
    return sent;
  }

  /** The streamed nodes of `message`, when it is an answer streamed here (bound: the log and the status region take it as it is). */
  readonly nodesOf = (message: ChatMessage): StreamedTurn | undefined => this.#turns.get(message);

  hostConnected(): void {
    this.#connected = true;
  }

  hostDisconnected(): void {
    this.held?.();
    // Removed from the page: abort on the wire, keep what arrived, dispatch neither event. Not moved:
    // `append()` or `insertBefore()` takes it out and puts it back at once (into a dialog, a
    // framework reordering), and `moveBefore()` does not take it out (see `connectedMoveCallback`).
    this.#connected = false;
    queueMicrotask(() => {
      if (this.#connected) return;
      this.conversation.stop();
      this.#buffer.flush();
    });
  }

  /** Each event of the conversation: re-render on a change; stream the text; dispatch the rest from the element. */
  handleEvent(event: Event): void {
    const type = event.type;
    if (type === 'beforeunload') return void (this.#leaving = event.isTrusted);
    if (type === 'change') {
      // A held error goes out before any change after it (a turn, `clear()`, `messages` set): it is
      // of the conversation as it was, and the page is staying. (No change comes between a turn's
      // end and its error.)
      this.held?.();
      this.#changes++;
      const { draft, messages, status } = this.conversation;
      // (Only then: Firefox keeps a page with a `beforeunload` listener out of its back/forward cache.)
      (status === 'idle' ? removeEventListener : addEventListener)('beforeunload', this);
      this.#seen = [...messages];
      const turns = this.#turns;
      const streamed = this.#streamed;
      this.#turns = new Map(messages.map((message) => [message, turns.get(message)]));
      // (Bound, not an arrow: one here shares this scope, whose `turns` it kept, and with it every
      // answer before, those regenerated or edited away too, to `clear()`.)
      if (draft) this.#turns.set(draft.message, turns.get(draft.message) ?? (this.#streamed = streamedTurn(draft, rendererFor(this.#host), this.#host.requestUpdate.bind(this.#host))));
      this.#host.requestUpdate();
      // An answer no longer streaming (ended, replaced, or its tools run) is settled, its last text
      // written: a turn's change comes before its done or error, which find it on screen. Last, and
      // settled even when writing throws, so that a renderer's error leaves the view up to date.
      if (streamed && streamed.message !== draft?.message) {
        try {
          this.#buffer.flush();
        } finally {
          // Ended once: its nodes are the conversation's now (in #turns while it has the message).
          if (this.#streamed === streamed) this.#streamed = undefined;
          streamed.end();
        }
      }
      return;
    }
    const ends = type === 'done' || type === 'error';
    if (ends && this.#leaving) {
      this.#leaving = false;
      if (type === 'error') {
        const timer = setTimeout(
          (this.held = () => {
            this.held = undefined;
            clearTimeout(timer);
            this.#host.requestUpdate();
            this.handleEvent(event);
          }),
          HOLD_MS,
        );
        return;
      }
    }
    // Removed, the element dispatches nothing; as the page goes, no error of the connection cut.
    const cut = going && type === 'error';
    const heard = this.#connected && !cut;
    try {
      if (type === 'chunk') this.#streamed?.sync(this.#buffer, (event as CustomEvent<ChunkDetail>).detail.deltas);
      // (Not a `tool-call`: the status region took it for a failure and was emptied at each one.)
      // Also out of the page: one the page puts back (a host that re-parents it on the turn's last
      // change) shows the turn's end as it would have, its marks (the step limit) with it.
      else if (ends && !cut) this.#onEnd(event);
    } finally {
      // Also when the view's part threw (reported by the dispatch that called this): the event is the page's.
      if (heard) this.#host.dispatchEvent(event);
    }
  }
}
