import { StreamChatError } from './errors.js';
import { MessageBuilder } from './message-builder.js';
import { beyondText, callInput, isFailure, isImageUrl, isRecord, notMessages, pausedToGoOn, textOf, type RequestOptions } from './protocol.js';
import { streamResponse, type StreamOptions } from './stream.js';
import { countOr, systemClock, type TransportOptions } from './transport.js';
import type { ChatCompletionChunk, ChatMessage, ChunkDetail, ContentPart, DoneDetail, ErrorDetail, Stats, Step, Tool, ToolCall, ToolCallDetail, ToolState } from './types.js';

/** What a {@link Conversation} is doing. */
export const Status = {
  idle: 'idle',
  /** A response is in flight. */
  streaming: 'streaming',
  /** The model called tools, and at least one of them is running. */
  runningTools: 'running-tools',
  /** Every call still open waits for {@link Conversation.respond}. */
  waiting: 'waiting',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** The request and transport options of a {@link Conversation}, read again at every request. */
export interface ConversationOptions extends Partial<Omit<RequestOptions, 'messages'>>, Omit<TransportOptions, 'signal'> {
  /** Responses per {@link Conversation.send} when tools are called or Anthropic pauses a turn (default 5, also for `Infinity`; at least 1). */
  maxSteps?: number | undefined;
}

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
  /** The model called a tool: once per complete call, before the tool runs. */
  'tool-call': CustomEvent<ToolCallDetail>;
}

/** A tool call of the step being answered. */
interface ToolRun {
  readonly call: ToolCall;
  /** The promise its result comes from (its tool's `execute`, or `respond()`'s), while it runs. */
  running?: PromiseLike<unknown> | undefined;
  /** The `role: "tool"` message that answers it, once it has one. */
  result?: ChatMessage;
}

/**
 * One turn in flight (a `send()` until its `done` or `error`): everything that belongs to it, so a
 * stale one is recognised by identity. A turn is one response, or several when tools are called
 * (or Anthropic pauses it).
 */
interface Turn {
  /** Aborts the request in flight and the signal of the tools running. */
  readonly controller: AbortController;
  readonly resolve: (detail: DoneDetail) => void;
  readonly reject: (error: StreamChatError) => void;
  /** The turn's completed responses. */
  readonly steps: Step[];
  /** The response streaming now, or while its tools run, the response that called them. */
  builder: MessageBuilder;
  /** The calls of the last response while they are answered; undefined while a response streams. */
  runs?: ToolRun[] | undefined;
  /** True while the calls are handed out (`tool-call` events, `execute`): results wait until all have been. */
  dispatching?: boolean;
  readonly meter: Meter;
  /** The messages as they were when the turn started (after the one it replaced ended). */
  readonly from: ChatMessage[];
}

/** What {@link Stats} are computed from, counted as the turn goes. */
interface Meter {
  readonly started: number;
  firstAt?: number | undefined;
  /** When the response streaming now brought its first part. */
  from?: number | undefined;
  /** Ms the turn's finished responses streamed, each from its first part to its end: not the time its tools ran. */
  streamed: number;
  chunks: number;
  /**
   * Characters (one of {@link CJK} as four) of answer, reasoning, refusal and tool arguments that
   * came after the reads that brought their response's first part (what they brought came at one
   * moment: no speed): the estimate when usage is missing, and the share of the reported tokens
   * that streamed.
   */
  chars: number;
  /** Characters of every part, counted as {@link chars} are. */
  all: number;
  /**
   * While the reads that brought the first part of the response streaming now are parsed: 1 in the
   * read of that part, 2 once it is out, until a timer's task (reads already queued come before it);
   * unset, or 0, otherwise.
   */
  opening?: number;
  /**
   * When the reads of the first part were out: 50 ms on, the opening is over, the timer's task or
   * not (a hidden tab runs it up to a second late, when a short answer had come whole).
   */
  opened?: number;
  /** Completion tokens the responses so far reported; NaN once one did not. */
  tokens: number;
  /** Of those, reasoning tokens of responses that streamed no reasoning (OpenAI's hidden reasoning). */
  hidden: number;
}

/** The characters of scripts whose tokens are about one a character (Han, kana, Hangul). */
const CJK = /[\p{sc=Han}\p{sc=Hira}\p{sc=Kana}\p{sc=Hang}]/gu;

/** Responses per `send()` when tools are called (or Anthropic pauses a turn), unless `maxSteps` says otherwise. */
export const DEFAULT_MAX_STEPS = 5;

/** How the result a stop, the length limit or the content filter gives a call begins (the model reads it; {@link Conversation.toolState} tells it from a failure). */
const STOPPED = 'Error: stopped by the ';
/** Such a result, as {@link Conversation.toolState} reads it: not a tool's own error, "stopped by the firewall". */
const STOPPED_BY = /^Error: stopped by the (user|length limit|content filter) before /;

/** The result of a call its answer's finish reason ended with the turn, not run (see `#next`); undefined for any other reason. */
const notRun = (reason: string | null | undefined) =>
  reason == 'length' ? `${STOPPED}length limit before the call was complete: it was not run.` : reason == 'content_filter' ? `${STOPPED}content filter before the call was run.` : undefined;

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
  #active: Turn | undefined;
  /**
   * The `done` or `error` of turns that ended, to be dispatched once the change that ended them is
   * told: in the order they ended, even when a `change` listener ends the next turn first.
   */
  readonly #ends: Array<() => void> = [];
  #announcing = false;
  #failure: Failure | undefined;
  readonly #stopped = new WeakSet<ChatMessage>();
  readonly #finish = new WeakMap<ChatMessage, string | null>();
  /** The stats of each turn, by the message that ended it. */
  readonly #stats = new WeakMap<ChatMessage, Stats>();
  /** Tool results by call id, for the messages they were found in (and their length: a host may push a result onto them). */
  #results: { messages: ChatMessage[]; length: number; byCall: Map<ToolCall, ChatMessage>; holder: Map<ToolCall, ChatMessage> } | undefined;

  constructor(options?: ConversationOptions) {
    super();
    // (`null` too, from plain JavaScript: its first send() threw reading it, no error dispatched.)
    this.options = options ?? {};
  }

  /**
   * The conversation, without the system prompt. Setting it stops a response in flight; `null` or
   * `undefined` (nothing stored yet) is an empty conversation; what is not an array of messages
   * (a `role`; `content` text, parts or none; `tool_calls` a list of calls) throws a `TypeError`
   * and changes nothing.
   */
  get messages(): ChatMessage[] {
    return this.#messages;
  }

  set messages(messages: readonly ChatMessage[] | null | undefined) {
    messages ??= [];
    const why = notMessages(messages);
    if (why) throw new TypeError(why);
    this.#settle(false);
    // Kept as it is (read-only too): every change makes a new array.
    this.#messages = messages as ChatMessage[];
    // The same array, changed in place, is read again.
    this.#results = undefined;
    this.#failure = undefined;
    this.#announce();
  }

  /**
   * {@link Status.streaming} while a response is in flight; {@link Status.runningTools} or
   * {@link Status.waiting} while the tools it called are answered; otherwise {@link Status.idle}.
   */
  get status(): Status {
    const turn = this.#active;
    if (!turn) return Status.idle;
    if (!turn.runs) return Status.streaming;
    return turn.dispatching || turn.runs.some((run) => run.running) ? Status.runningTools : Status.waiting;
  }

  /** The answer streaming now, if any. */
  get draft(): Draft | undefined {
    const turn = this.#active;
    return turn && !turn.runs ? turn.builder : undefined;
  }

  /** Why the last request failed; cleared when the next one starts. */
  get failure(): Failure | undefined {
    return this.#failure;
  }

  /**
   * The stats of the turn that `message` ended (what `done` reported, or until it failed), or live,
   * of the answer streaming now or whose tools run (a view's line stays while they run). Undefined
   * for other messages (questions, answers restored from elsewhere).
   */
  statsOf(message: ChatMessage): Stats | undefined {
    const turn = this.#active;
    // (With none in flight, not undefined's: an empty conversation's last message.)
    if (turn && turn.builder.message === message) return this.#measure(turn);
    return this.#stats.get(message);
  }

  /** Whether `message` is an answer that {@link stop} (or a new request) cut short. */
  wasStopped(message: ChatMessage): boolean {
    return this.#stopped.has(message);
  }

  /**
   * Why the response that streamed `message` ended, in chat-completions words (`stop`,
   * `tool_calls`, `length`, `content_filter`, …; null when it was stopped or broke off); undefined
   * for a message this conversation did not stream (set, or restored).
   */
  finishReasonOf(message: ChatMessage): string | null | undefined {
    return this.#finish.get(message);
  }

  /**
   * Where a tool call of the conversation stands: `streaming` while its arguments arrive, `running`
   * while its tool runs, `waiting` for {@link respond}, then `done`, or `error` when its result
   * reads `Error: …` (a failure, also in a restored conversation), `stopped` when that is the one a
   * stop gave it (a stop is no failure), or that of a call the length limit or the content filter
   * cut (never run, with or without a result). Undefined for a call that has no result and is not
   * being answered (no `tools` were set).
   */
  toolState(call: ToolCall): ToolState | undefined {
    if (this.draft?.message.tool_calls?.includes(call)) return 'streaming';
    const run = this.#runOf(call);
    if (run && !run.result) return run.running || this.#active!.dispatching ? 'running' : 'waiting';
    const result = this.toolResult(call);
    // A call of an answer the length limit or the content filter cut is not run (see #next): stopped, as its result will say.
    if (!result) return notRun(this.#finish.get(this.#calls().holder.get(call)!)) && 'stopped';
    return isFailure(result) ? (STOPPED_BY.test(result.content as string) ? 'stopped' : 'error') : 'done';
  }

  /** The `role: "tool"` message that answers a call, as soon as it has one. */
  toolResult(call: ToolCall): ChatMessage | undefined {
    const run = this.#runOf(call);
    if (run) return run.result;
    return this.#calls().byCall.get(call);
  }

  /** Each call's result and the message that holds it, read again when `messages` changes. */
  #calls(): { byCall: Map<ToolCall, ChatMessage>; holder: Map<ToolCall, ChatMessage> } {
    const messages = this.#messages;
    if (this.#results?.messages !== messages || this.#results.length !== messages.length) {
      // A result answers the first call of that id still unanswered in the turn before it: providers
      // that number their calls (`call_0`) use an id again in every turn, and a server that sends
      // no ids gives every call the same, "".
      const byCall = new Map<ToolCall, ChatMessage>();
      const holder = new Map<ToolCall, ChatMessage>();
      let open: ToolCall[] = [];
      for (const message of messages) {
        // (An answer with `tool_calls: []` has none: the calls before stay open, as on chat-completions.)
        if (message.tool_calls?.length) {
          open = [...message.tool_calls];
          for (const call of open) holder.set(call, message);
        }
        const at = message.role === 'tool' ? open.findIndex((each) => each.id === (message.tool_call_id ?? '')) : -1;
        if (at >= 0) byCall.set(open.splice(at, 1)[0]!, message);
      }
      this.#results = { messages, length: messages.length, byCall, holder };
    }
    return this.#results;
  }

  /** The run of a call of the step being answered, if it is one. */
  #runOf(call: ToolCall): ToolRun | undefined {
    return this.#active?.runs?.find((each) => each.call === call);
  }

  /**
   * Answers a tool call that is being handled: one that waits (its tool has no `execute`), or one
   * still running (its tool's result is then ignored). A string is the result as it is, an `Error`
   * a failure, content parts that hold an image as parts, a promise what it settles to, anything
   * else JSON (what JSON cannot hold, a failure).
   * Returns false when no call in flight has this id without a result: a promise then stays the
   * page's, observed so that its rejection is not reported unhandled (its own handlers still run).
   */
  respond(callId: string, result: unknown): boolean {
    const turn = this.#active;
    const run = turn?.runs?.find((each) => each.call.id === callId && !each.result);
    if (run) this.#answer(turn!, run, result);
    // Observed, not consumed: a page that ignored the `false` left its rejection unhandled. (Not any
    // thenable: a lazy one, a query builder, would run on its `then`. A promise by its tag, as an
    // `Error` is known: one of another realm, a tool's in an iframe, is no `instanceof Promise`.)
    else if (Object.prototype.toString.call(result) == '[object Promise]') (result as Promise<unknown>).then(undefined, () => {});
    return !!run;
  }

  /**
   * Results for the calls of the last answer that nothing answered (a host without `tools` that did
   * not run them, a step refused before its calls ran): a history with a call without its result is
   * one every provider refuses, this request and every later one. (A system message the page added
   * after the calls is not the answer that made them.)
   */
  #unanswered(messages: ChatMessage[]): ChatMessage[] {
    // Found again: a host may have changed them in place (a result replaced; the array as long).
    this.#results = undefined;
    const answer = messages.findLast((message) => message.role !== 'tool' && message.role !== 'system');
    return (answer?.tool_calls ?? [])
      .filter((call) => !this.toolResult(call))
      .map((call) => resultOf(call, notRun(this.#finish.get(answer!)) ?? 'Error: no result was given.'));
  }

  /**
   * Appends `{role: "user", content: text}` and streams the answer. Resolves with the `done` detail;
   * rejects with the `StreamChatError` of the `error` event. A response in flight is stopped first
   * (its `done` has `aborted: true`); calls of the last answer without a result get one that says
   * so. Rejects with a `RangeError` (and dispatches nothing) when `text` is empty or white space,
   * which providers refuse or Claude reads as its own turn, and with a `TypeError` when it is not a string.
   */
  send(text: string): Promise<DoneDetail> {
    return unaskable(text) ?? this.#request((messages) => [...messages, ...this.#unanswered(messages), { role: 'user', content: text }]);
  }

  /**
   * Requests the answer again after a failure, without what the failed response left; otherwise the
   * answer to `messages` as they are (calls of the last answer without a result get one that says
   * so, as with {@link send}). Rejects with a `RangeError` (and dispatches nothing) when
   * `messages` is empty.
   */
  retry(): Promise<DoneDetail> {
    // Nothing to send: every provider refuses an empty conversation.
    if (!this.#messages.length) return refuse('There is nothing to ask: the conversation is empty.');
    const partial = this.#failure?.partial;
    // Without what the failed response left: its message, and the results its cut calls were given.
    return this.#request((messages) => {
      const at = partial ? messages.indexOf(partial) : -1;
      const kept = at < 0 || messages.slice(at + 1).some((message) => message.role !== 'tool') ? messages : messages.slice(0, at);
      return [...kept, ...this.#unanswered(kept)];
    });
  }

  /**
   * Asks for the last answer again: the conversation up to the last question is sent again, and the
   * new answer replaces what followed it (the answer, its tool calls and results). Rejects with a
   * `RangeError` (and dispatches nothing) when `messages` has no question.
   */
  regenerate(): Promise<DoneDetail> {
    const question = (messages: ChatMessage[]) => messages.findLastIndex((message) => message.role === 'user') + 1;
    if (!question(this.#messages)) return refuse('There is no question to answer again.');
    // (Up to the last question when the stop that starts this leaves one; a listener may clear it.)
    return this.#request((messages) => messages.slice(0, question(messages) || messages.length));
  }

  /**
   * Replaces the text of the user message at `index` and asks again from there: everything after it
   * goes. A message of content parts keeps its images, files and audio where they are, the text in
   * its first text part's place (first when it has none; none when `text` is blank). Rejects as
   * {@link send} does for the question it makes (blank text alone, with no picture, file or audio
   * kept, is none), and with a `RangeError` (dispatching nothing) when `messages[index]` is not a user message.
   */
  edit(index: number, text: string): Promise<DoneDetail> {
    const message = this.#messages[index];
    if (message?.role !== 'user') return refuse(`messages[${index}] is not a user message.`);
    // (Content parts given, as send() takes them, are the question whole.)
    let asked: ChatMessage['content'] = text;
    if (Array.isArray(message.content) && typeof text == 'string') {
      // In the first text part's place: a picture before its caption stays before it. No text is
      // none: the picture alone is the question, as send() of it is (not beside an empty text part).
      asked = message.content.filter((part) => part.type !== 'text');
      if (text.trim()) asked.splice(Math.max(message.content.findIndex((part) => part.type === 'text'), 0), 0, { type: 'text', text });
    }
    return unaskable(asked) ?? this.#request((messages) => [...messages.slice(0, index), { ...message, content: asked }]);
  }

  /** Starts a new conversation: a response in flight is stopped, and messages and failure are emptied. */
  clear(): void {
    this.messages = [];
  }

  /**
   * Aborts the response in flight: what arrived stays in `messages`, and `done` fires with `aborted:
   * true`; an answer that said it was finished (with no tool call, or calls the length limit or the
   * content filter kept from running) ends whole, not aborted.
   */
  stop(): void {
    if (!this.#settle(false)) return;
    this.#announce();
  }

  #request(next: (messages: ChatMessage[]) => ChatMessage[]): Promise<DoneDetail> {
    this.#settle(false);
    const from = this.#messages;
    this.#messages = next(from);
    this.#failure = undefined;
    return new Promise<DoneDetail>((resolve, reject) => {
      const turn: Turn = {
        controller: new AbortController(),
        resolve,
        reject,
        steps: [],
        builder: new MessageBuilder(),
        meter: { started: this.#now(), streamed: 0, chunks: 0, chars: 0, all: 0, tokens: 0, hidden: 0 },
        from,
      };
      this.#active = turn;
      this.#respondTo(turn);
    });
  }

  /** Sends the request of the turn's current response and streams it into its builder. */
  #respondTo(turn: Turn): void {
    const { builder, meter } = turn;
    const paused = this.#pausedBefore();
    const live = () => this.#active === turn && turn.builder === builder;
    // The change, and the end of the turn this one replaced, told now.
    this.#announce();
    // A listener may have stopped or replaced this response already: then it never goes out.
    if (!live()) return;
    const onEnd = (failed: boolean, reason?: unknown) => {
      if (!live()) return;
      const next = !failed && this.#next(builder);
      if (next) return this.#runTools(turn, next);
      this.#settle(true, failed, reason);
      this.#announce();
    };
    const { options } = this;
    // What the request is built from is read now (an element's properties are accessors, which a
    // spread would miss): the Responses and Anthropic protocols build it once their module is in (a
    // download on first use, microtasks after), and a host that switched provider meanwhile (a model
    // picker; Vue sets props a microtask later) sent its key, model and headers to this endpoint.
    // (In a try: an option whose getter throws fails the request, as it did where the request was
    // built, where it left the turn streaming for good.)
    try {
      // This request's own fields over the options: a literal's fields are defined, never assigned
      // through the options' setters.
      const request = {
        __proto__: options,
        ...Object.fromEntries('key model system temperature maxTokens tools headers body fetch'.split(' ').map((name) => [name, options[name as 'key']])),
        endpoint: `${options.endpoint || ''}`,
        messages: this.#messages,
        signal: turn.controller.signal,
      };
      streamResponse(
        request as unknown as StreamOptions,
        (raw, deltas) => {
          if (!live()) return;
          let text = '';
          let reshaped = false;
          let chars = 0;
          meter.chunks++;
          for (const delta of deltas) {
            // (apply() first: every delta is merged, whatever the ones before did.)
            reshaped = builder.apply(delta) || reshaped;
            if (delta.type === 'text') text += delta.text;
            // (Text, reasoning and a refusal are the deltas with `text`; a tool call's, with `arguments`.)
            const piece = (delta as { text?: string }).text ?? (delta as { arguments?: string }).arguments ?? '';
            // A Chinese, Japanese or Korean character is about a token, as four other characters are.
            chars += piece.length + 3 * (piece.match(CJK)?.length ?? 0);
          }
          meter.all += chars;
          if (meter.from === undefined && builder.arrived) {
            meter.from = this.#now();
            meter.firstAt ??= meter.from;
            // What a proxy held back comes with the first part: the rest of its read (a long one
            // in slices, yielding between them), and the reads queued after it, before a timer's task.
            meter.opening = 1;
          } else if (!meter.opening || (meter.opening > 1 && this.#now() - meter.opened! > 50)) meter.chars += chars;
          if (reshaped) this.#changed();
          if (!live()) return;
          this.dispatch(event<ChunkDetail>('chunk', { chunk: raw as ChatCompletionChunk, delta: text, content: paused + builder.message.content, deltas }));
        },
        () => builder.restart(),
        () => {
          // (Its own response's opening: one that ran late, after the tools, would end the next one's.)
          if (meter.opening === 1) (this.options.clock ?? systemClock).setTimeout(() => live() && (meter.opening = 0), 0), (meter.opening = 2), (meter.opened = this.#now());
        },
      ).then(
        () => onEnd(false),
        (reason: unknown) => onEnd(true, reason),
      );
    } catch (reason) {
      onEnd(true, reason);
    }
  }

  /**
   * What follows a response that ended: its calls, for the tools to answer; none (`[]`), when
   * Anthropic paused a turn its server tools ran long (the next response goes on with it, the
   * paused answer last in its request, as the blocks it came in); undefined when the turn ends
   * with it: also the calls of a response a content filter ended (Claude's refusal) or its length
   * limit cut (a call cut there is half its arguments: run, it acted on them or failed, and the loop
   * went on without the answer), and a paused one's calls that no tools answer (they are the
   * host's, and a request with a call and no result is refused).
   */
  #next({ message, finishReason }: MessageBuilder): ToolCall[] | undefined {
    const calls = message.tool_calls;
    if (calls?.length && this.options.tools?.length && !notRun(finishReason)) return calls;
    if (pausedToGoOn(message, finishReason)) return [];
  }

  /**
   * The response ended with tool calls: it joins `messages`, each call gets its `tool-call` event,
   * then the tools of the calls no listener answered run, all at once. A call with neither waits.
   * Without calls (a paused turn), the next response is asked for at once.
   */
  #runTools(turn: Turn, calls: ToolCall[]): void {
    this.#messages = [...this.#messages, turn.builder.message];
    this.#step(turn);
    const runs: ToolRun[] = (turn.runs = calls.map((call) => ({ call })));
    turn.dispatching = true;
    // (A paused turn's next step, without calls, never shows as running tools.)
    if (calls.length) this.#changed();
    const starts = runs.map((run) => {
      const { call } = run;
      const json = call.function.arguments;
      let args: unknown;
      let error: Error | undefined;
      try {
        args = json.trim() ? JSON.parse(json) : {};
        // (`null`, `[1]` or `"x"`: not what a tool's parameters are, and `{}` goes back in the history.)
        if (!isRecord(args)) throw new Error('not an object');
      } catch (cause) {
        args = undefined;
        error = new Error(`The arguments of ${call.function.name || 'the call'} are not a JSON object (${(cause as Error).message}): ${json.slice(0, 200)}`);
      }
      if (this.#active === turn) {
        this.dispatch(event<ToolCallDetail>('tool-call', { call, args, respond: (result) => this.#answer(turn, run, result), ...(error && { error }) }));
      }
      // Its tool started once every call was handed out, with the tools as they are then.
      return (tools: readonly Tool[]) => {
        if (run.result || run.running || this.#active !== turn) return;
        // (Also what throws finding the tool: `tools` a listener or the page made something else
        // meanwhile, a `null` among them, an `execute` getter that throws. Before, the turn never ended.)
        try {
          const tool = tools.find((each) => each.name === call.function.name);
          if (!tool) return this.#answer(turn, run, new Error(`There is no tool named "${call.function.name}". The tools are: ${tools.map((each) => each.name).join(', ')}.`));
          if (error) return this.#answer(turn, run, error);
          if (!tool.execute) return;
          // Its result as a promise, however it came: #answer waits for it, the call running until then.
          this.#answer(turn, run, Promise.resolve(tool.execute(args, { signal: turn.controller.signal, call })));
        } catch (reason) {
          this.#answer(turn, run, toError(reason));
        }
      };
    });
    const tools = this.options.tools ?? [];
    starts.forEach((start) => start(tools));
    turn.dispatching = false;
    this.#advance(turn);
  }

  /**
   * Records a call's result: a string as it is, an `Error` as a failure, content parts with an
   * image or a file (a screenshot tool's, a printed page's) as parts, anything else as JSON; a
   * promise's, once it settles (a rejection is a failure). The first result counts.
   */
  #answer(turn: Turn, run: ToolRun, value: unknown): void {
    let then: unknown;
    try {
      then = (value as PromiseLike<unknown> | null)?.then;
    } catch (reason) {
      // A `then` getter that throws: a failure, not a throw from respond().
      value = toError(reason);
    }
    const counts = this.#active === turn && !run.result;
    if (typeof then === 'function') {
      // An answer to come (a listener's dialog, a fetch): the call runs until it settles. Only the
      // latest counts: `respond()` to a running tool replaces its result. One that does not count
      // (the turn ended, the call has its result) is let go, its rejection too.
      if (counts) run.running = value as PromiseLike<unknown>;
      const take = (result: unknown) => run.running === value && this.#answer(turn, run, result);
      // Through a promise: a thenable whose `then` throws is a rejection, not a throw from respond().
      Promise.resolve(value).then(take, (reason: unknown) => take(toError(reason)));
      if (counts && !turn.dispatching) this.#changed();
      return;
    }
    if (!counts) return;
    let content: ChatMessage['content'];
    if (typeof value === 'string') content = value;
    else if (isError(value)) content = `Error: ${toError(value).message}`;
    else {
      try {
        content = JSON.stringify(value ?? null);
        // A function or a symbol, which JSON has nothing for, is not a result either.
        if (content === undefined) throw new Error(`a ${typeof value}`);
        // Parts with an image or a file are checked and kept as JSON read them: once (a getter that
        // throws fails the call), a copy, a hole a null.
        let parts: unknown;
        if (Array.isArray(value) && isMediaParts((parts = JSON.parse(content)))) content = parts;
      } catch (cause) {
        content = `Error: the result is not JSON-serialisable (${toError(cause, 'without saying why').message}).`;
      }
    }
    run.result = resultOf(run.call, content);
    run.running = undefined;
    if (!turn.dispatching) this.#advance(turn);
  }

  /**
   * Once every call of the step has its result: the results join `messages` in call order, and the
   * next response is requested, unless the turn made its `maxSteps` responses.
   */
  #advance(turn: Turn): void {
    const runs = turn.runs;
    if (this.#active !== turn || !runs) return;
    if (!runs.every((run) => run.result)) return this.#changed();
    // Unless the next response would be one past `maxSteps` (so a fraction is its whole part, and
    // less than 1 is 1: this one was the first). Infinity is the default: a model that kept calling
    // tools was never cut off.
    if (turn.steps.length + 1 > countOr(this.options.maxSteps, DEFAULT_MAX_STEPS)) {
      this.#settle(true);
      return this.#announce();
    }
    this.#addResults(turn, runs.map((run) => run.result!));
    turn.builder = new MessageBuilder();
    turn.runs = undefined;
    this.#respondTo(turn);
  }

  /**
   * Ends the turn in flight, if any: it is aborted unless it `completed` (a response or a tool still
   * running is cancelled), what arrived joins `messages`, `failure` is set when it ended in `error`,
   * and the state is idle. Dispatches nothing: queues what dispatches its `done` or `error` and
   * settles its promise (see {@link #announce}). False when nothing was in flight.
   */
  #settle(completed: boolean, failed?: boolean, reason?: unknown): boolean {
    const turn = this.#active;
    if (!turn) return false;
    this.#active = undefined;
    // Also when it completed: a tool that respond() answered for may still run, with this signal.
    turn.controller.abort();
    const { builder, runs, steps } = turn;
    // A response that said it was finished, with nothing to follow it, is whole: stopped while its
    // stream closes (a usage chunk, the terminator to come), the turn ends as it would have. (Not
    // one with calls, also the page's own: a stop is what keeps them from running; unless the
    // length limit or the content filter did, whose result they get, as at the stream's end.)
    completed ||= !runs && !!builder.finishReason && !this.#next(builder) && (!builder.message.tool_calls?.length || !!notRun(builder.finishReason));
    let { message } = builder;
    let added: ChatMessage | undefined;
    // Ended short: stopped, or failed (a response broke off or was refused).
    const cut = !completed || failed;
    if (runs) {
      // The step's calls join `messages` with their results. Stopped while its tools ran, every call
      // still gets one, so that the history stays one a provider accepts and the model learns what happened
      // (one that waited for respond() ran no tool).
      this.#addResults(
        turn,
        runs.map((run) => run.result ?? resultOf(run.call, `${STOPPED}user before ${run.running ? 'the tool returned a result' : 'the call was answered'}.`)),
      );
      if (!completed) this.#stopped.add(message);
    } else if (cut && !builder.arrived && steps.length) {
      // Stopped, broken off or failed before the next response brought anything: the turn ends on
      // the one before it, whose calls ran, and its text is the event's. (A response that completed
      // empty is a step of its own.) (A step's message is its builder's: its content is text.)
      message = steps.at(-1)!.message as typeof message;
      if (!completed) this.#stopped.add(message);
    } else {
      this.#step(turn);
      if (builder.arrived) {
        added = message;
        if (!completed) this.#stopped.add(message);
        this.#messages = [...this.#messages, message];
        // Calls cut short while they streamed get a result too (also without tools: a host that
        // runs calls itself cannot run these): a history with a call and no result is one every
        // provider refuses.
        if (cut && message.tool_calls?.length) {
          this.#addResults(
            turn,
            message.tool_calls.map((call) => {
              // (Run, not complete, for a call whose arguments came whole: after the finish reason, or
              // a JSON object, which fragments still to come could only break.)
              const state = builder.finishReason || callInput(call.function.arguments) ? 'run' : 'complete';
              return resultOf(call, failed ? `Error: the response broke off before this call was ${state}.` : `${STOPPED}user before the call was ${state}.`);
            }),
          );
        }
      }
    }
    // (An answer that failed keeps its stats too: its line stays, as it was when it broke off.)
    const stats = this.#measure(turn);
    this.#stats.set(message, stats);
    // (The message is the last step's; a retry() goes on with the answer paused before it, in `messages`.)
    const at = this.#messages.lastIndexOf(message);
    const content = this.#pausedBefore(at < 0 ? undefined : at) + message.content;
    if (failed) {
      const error =
        reason instanceof StreamChatError ? reason : new StreamChatError('network', reason instanceof Error ? reason.message : String(reason), { cause: reason });
      this.#failure = { error, partial: added };
      this.#ends.push(() => {
        this.dispatch(event<ErrorDetail>('error', { error, content }, false));
        turn.reject(error);
      });
    } else {
      const { finishReason, usage } = steps.at(-1)!;
      const detail: DoneDetail = { content, message, finishReason, aborted: !completed, steps, stats, ...(usage && { usage }) };
      this.#ends.push(() => {
        this.dispatch(event('done', detail));
        turn.resolve(detail);
      });
    }
    return true;
  }

  /** Results join `messages` after the calls they answer, those of the turn's last step. */
  #addResults(turn: Turn, results: ChatMessage[]): void {
    this.#messages = [...this.#messages, ...results];
    turn.steps.at(-1)!.results = results;
  }

  /** Dispatches `change`, then the `done` or `error` of the turns that ended, first ended first (see {@link #ends}). */
  #announce(): void {
    this.#changed();
    // Once: a listener's turn that ends meanwhile is announced by the loop already running, after those before it.
    if (this.#announcing) return;
    this.#announcing = true;
    try {
      for (let end; (end = this.#ends.shift()); ) end();
    } finally {
      this.#announcing = false;
    }
  }

  /**
   * The text of the answers Anthropic paused right before `at` in `messages` (see {@link pausedToGoOn}),
   * that the response there goes on with (in this turn, or one `retry()` went on with): one answer,
   * whose `content` is all of its text (a tool loop's next step, after results, starts again).
   */
  #pausedBefore(at = this.#messages.length): string {
    let text = '';
    for (let message = this.#messages[--at]; message && pausedToGoOn(message, this.#finish.get(message)); message = this.#messages[--at]) {
      text = textOf(message.content) + text;
    }
    return text;
  }

  /** Records the response that just ended as a step of its turn. */
  #step(turn: Turn): void {
    const {
      builder: { message, finishReason, usage },
      meter,
    } = turn;
    turn.steps.push({ message, finishReason, results: [], ...(usage && { usage }) });
    this.#finish.set(message, finishReason);
    // Chat-completions counts `completion_tokens`; the Responses and Messages APIs, `output_tokens`.
    // Only a response that finished has its count: Anthropic reports a first one as it starts.
    const tokens = usage?.completion_tokens ?? usage?.['output_tokens'];
    meter.tokens += finishReason !== null && typeof tokens === 'number' ? tokens : Number.NaN;
    // Reasoning counted but never streamed came before the first part, in no streamed text's time.
    const details = (usage?.['completion_tokens_details'] ?? usage?.['output_tokens_details']) as { reasoning_tokens?: unknown } | undefined;
    const reasoning = details?.reasoning_tokens;
    // (Not those counted beside the completion, as xAI does: its total is prompt + completion + reasoning.)
    const beside = usage?.total_tokens === (usage?.prompt_tokens ?? (usage?.['input_tokens'] as number)) + (tokens as number) + (reasoning as number);
    if (!message.reasoning && typeof reasoning == 'number' && !beside) meter.hidden += reasoning;
    if (meter.from !== undefined) meter.streamed += this.#now() - meter.from;
    meter.from = undefined;
  }

  /**
   * The stats of a turn as it stands now. Tokens are the reported ones once the turn has ended and
   * every response reported usage; otherwise (live, or a provider without usage) estimated from text.
   */
  #measure(turn: Turn): Stats {
    const { meter } = turn;
    const now = this.#now();
    const reported = this.#active !== turn && !isNaN(meter.tokens);
    // Reported, the share of the tokens that streamed: of 310, 300 came in one read after a step.
    const count = reported ? ((meter.tokens - meter.hidden) * meter.chars) / meter.all : Math.round(meter.chars / 4);
    // While responses streamed: the time the tools ran between them is no one's tokens. Under 100 ms,
    // the time is the network's (an answer in one read, a burst), not the model's.
    const generating = meter.streamed + (meter.from === undefined ? 0 : now - meter.from);
    return {
      firstTokenMs: meter.firstAt === undefined ? null : meter.firstAt - meter.started,
      totalMs: now - meter.started,
      chunks: meter.chunks,
      tokensPerSecond: generating >= 100 && count > 0 ? Math.round((count * 10_000) / generating) / 10 : null,
      estimated: !reported,
      ...(reported && { completionTokens: meter.tokens }),
    };
  }

  #now(): number {
    return (this.options.clock ?? systemClock).now();
  }

  #changed(): void {
    this.dispatch(new Event('change'));
  }

  /**
   * While a turn is in flight, the messages as they were when it started (after the turn it replaced
   * ended, if any); for a view that tells an app's copy of them from another conversation.
   */
  protected get turnStart(): readonly ChatMessage[] | undefined {
    return this.#active?.from;
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

/**
 * A `CustomEvent` with `detail`, bubbling and composed unless told not to; where a runtime has no
 * `CustomEvent` (Next.js's Edge runtime), an `Event` with the same `detail`.
 */
export function event<T>(type: string, detail: T, bubbles = true): CustomEvent<T> {
  const init = { detail, bubbles, composed: bubbles };
  return typeof CustomEvent === 'function' ? new CustomEvent(type, init) : (Object.assign(new Event(type, init), { detail }) as CustomEvent<T>);
}

/**
 * An `Error`, also one of another realm (a tool in an iframe, a `DOMException` it threw): known by
 * its tag, as `instanceof` does not cross realms.
 */
function isError(value: unknown): value is Error {
  return value instanceof Error || /^\[object (Error|DOMException)\]$/.test(Object.prototype.toString.call(value));
}

/**
 * Whether a tool's result (as JSON read it) is content parts that hold an image or a file, which
 * the model is to see: each a text part, an `image_url` one whose URL is a string the card shows
 * and the APIs take, http(s) or `data:image/*` (a `blob:` one is neither: kept, it was refused in
 * every later request), or a `file` one with its `file_id` (not empty: an empty one is none), or a
 * `data:` or http(s) URL as its `file_data`, and a name that is text or none. Parts of text alone
 * (or with audio) are data, as JSON.
 */
function isMediaParts(parts: unknown): parts is ContentPart[] {
  return (
    Array.isArray(parts) &&
    parts.some((part) => part?.type !== 'text') &&
    parts.every((part) =>
      part?.type === 'text'
        ? typeof part.text == 'string'
        : part?.type === 'file'
          ? ((typeof part.file?.file_id == 'string' && part.file.file_id) || /^(https?|data):/i.test(part.file?.file_data)) && typeof (part.file.filename ?? '') == 'string'
          : isImageUrl(part?.image_url?.url),
    )
  );
}

/** The `role: "tool"` message that answers `call` with `content`. */
const resultOf = (call: ToolCall, content: ChatMessage['content']): ChatMessage => ({ role: 'tool', tool_call_id: call.id, content });

/** A call that cannot ask anything: it rejects with a `RangeError`, and nothing is dispatched. */
function refuse(why: string): Promise<never> {
  return Promise.reject(new RangeError(why));
}

/**
 * Why `text` cannot be asked, as the rejection: empty, white space or none, also as content parts
 * with nothing else (a `RangeError`: a request Anthropic had no message left in), or neither a
 * string nor content parts (a `TypeError`: a number or an object went as the content, shown as
 * "[object Object]", and stayed in `messages` to fail every later request).
 */
function unaskable(text: unknown): Promise<never> | undefined {
  if (typeof text != 'string' && notMessages([{ role: 'user', content: text as string }])) return Promise.reject(new TypeError('The question must be a string.'));
  if (!beyondText(text as string) && !textOf(text as string).trim()) return refuse('The question is empty.');
}

/**
 * What a tool threw or rejected with, as an `Error` of its own: a thrown object's `message`, else
 * its JSON (`{ status: 404 }`, not "[object Object]"), or the value as text. A value with no text
 * (one without a prototype threw here, and the turn never ended) still fails the call, as does an
 * error whose `message` getter throws (read where the result is recorded, it escaped the loop). An
 * empty message (`new Error(response.statusText)` under HTTP/2) or none (`reject()`) says the tool
 * failed without saying why: "Error: " or "Error: undefined" told the model nothing.
 */
function toError(reason: unknown, none = 'the tool failed without saying why.'): Error {
  let text: string | undefined;
  try {
    const message = (reason as { message?: unknown } | null)?.message;
    text = typeof message === 'string' ? message : reason && typeof reason == 'object' ? JSON.stringify(reason) : String(reason);
  } catch {}
  return new Error(reason !== undefined && text?.trim() ? text : none);
}

// Typed listeners for the conversation's events. The other types are read off `EventTarget`, which
// Node's types have too: a project for Node alone (no DOM lib) type-checks these declarations.
type Listener = Parameters<EventTarget['addEventListener']>[1];
type AddOptions = Parameters<EventTarget['addEventListener']>[2];
type RemoveOptions = Parameters<EventTarget['removeEventListener']>[2];

export interface Conversation {
  addEventListener<K extends keyof ConversationEventMap>(
    type: K,
    listener: (this: Conversation, event: ConversationEventMap[K]) => unknown,
    options?: AddOptions,
  ): void;
  addEventListener(type: string, listener: Listener, options?: AddOptions): void;
  removeEventListener<K extends keyof ConversationEventMap>(
    type: K,
    listener: (this: Conversation, event: ConversationEventMap[K]) => unknown,
    options?: RemoveOptions,
  ): void;
  removeEventListener(type: string, listener: Listener, options?: RemoveOptions): void;
}
