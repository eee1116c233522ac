import type { ReactiveController } from 'lit';
import { pausedToGoOn, textOf } from '../core/protocol.js';
import type { ChatMessage, DoneDetail, ServerTool } from '../core/types.js';
import type { StreamedTurn } from './conversation-controller.js';
import type { KeepController } from './keep-controller.js';
import { labelsOf } from './labels.js';
import { counted, cutLabel, formatStats, knownLang, langOf, serverToolName, spoken, STOPPED, toolWords } from './messages.js';
import type { StreamChatElement } from './stream-chat.js';

/**
 * The characters of a turn's text that the status region says at its end, at most (about two
 * minutes of speech). A longer answer is said up to a word there, then `labels.rest`: read whole,
 * a long answer would keep the screen reader busy for an hour, and its text, laid out in the
 * region, took a 50 ms task at 100k tokens.
 */
const SPOKEN = 2000;

/**
 * What changes while a turn streams, outside the log's re-renders: the element's status region,
 * for screen readers (a turn starting, then its answer once whole: the parts that stream are
 * `aria-live="off"` meanwhile, as each frame would be read), and with `stats` the stats line of the
 * answer streaming, refreshed in place a few times a second.
 */
export class LiveStatus implements ReactiveController {
  /**
   * The answers of turns that `max-steps` ended: their tools ran (or Anthropic paused), and no
   * response went on (one that goes on from it takes it out). The element's KeepController's: with
   * `storage-key`, stored and restored.
   */
  readonly limited: WeakSet<ChatMessage>;
  /**
   * The last message (its question, or an answer of white space or calls) of each turn that ended
   * with no answer to show, by why its last response ended, or the question of one stopped before
   * any of its answer came (STOPPED; also one a send() left behind, not the last): the log marks it,
   * until a turn goes on from it. A model that returned nothing left the dots gone and nothing said.
   * The element's KeepController's, as {@link limited} is.
   */
  readonly empty: WeakMap<ChatMessage, string | null | typeof STOPPED>;
  readonly #host: StreamChatElement;
  readonly #nodesOf: (message: ChatMessage) => StreamedTurn | undefined;
  /** Whether the status region has said that the turn streaming now started. */
  #speaking = false;
  /** The last message when the turn streaming now started: gone at its end, `clear()` or new `messages` took the turn away. */
  #from: ChatMessage | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Watches `lang` where the element's language comes from (see {@link hostConnected}). */
  readonly #lang = new MutationObserver(() => this.#host.stats && this.#host.requestUpdate());
  /** The answers whose calls were said together (see {@link hostUpdated}). */
  readonly #batches = new WeakSet<ChatMessage>();
  /** The provider's tool runs said (each once). */
  readonly #said = new WeakSet<ServerTool>();
  /**
   * The turn that ended last, when the status region said it was empty: its last message, and the
   * one it went on from (its question, kept when a page replaces an answer of white space).
   */
  #empty: ChatMessage[] | false | undefined;
  /**
   * What the last turn's end said (then a line break), until the task it was said in is over: a
   * screen reader hears what the region holds then, so a turn started in that task (by a listener
   * of that end, or code that awaited it) says its start after it, not in its place.
   */
  #ended = '';
  /** The conversation's last message when the status region last said something: see the `change` listener. */
  #of: ChatMessage | undefined;
  /** What the last failure cut short, until it is marked interrupted. */
  #failed: ChatMessage | undefined;

  constructor(host: StreamChatElement, nodesOf: (message: ChatMessage) => StreamedTurn | undefined, { limited, empty, interrupted }: Pick<KeepController, 'limited' | 'empty' | 'interrupted'>) {
    (this.#host = host).addController(this);
    this.#nodesOf = nodesOf;
    this.limited = limited;
    this.empty = empty;
    // A turn's start is seen at its change, not at the next render: one that ends before that (a
    // second send() in the same task, a removal) is a turn of its own too, its question marked. Its
    // end is told at its `done` or `error` (see end()), not at its change: a turn that a listener of
    // that change starts is under way before it, as one a send() replaced.
    host.conversation.addEventListener('change', () => {
      // Once the task is over, what an end said in it has been heard. Timed here too, not only at the
      // end: before a timer that a page's listener of a turn's last change sets (before its `done`),
      // which ran first, and the turn it started said that end again.
      this.#forget();
      // What a failure cut short stays marked once the failure ends (the next request starts, or
      // `messages` are set), as it is stored: else, once its error went, it looked whole. So does an
      // answer whose tools ran before its next response failed (its turn never went on), until a
      // response goes on from it.
      const { failure, messages, draft } = host.conversation;
      const end = this.#last;
      const cut = failure && (failure.partial ?? (end?.role == 'assistant' ? end : undefined));
      if (this.#failed && this.#failed !== cut) interrupted.add(this.#failed);
      this.#failed = cut;
      // A question (restored interrupted) being answered, or that was, is no longer one cut off; nor is
      // an answer with calls, or one Anthropic paused (kept as its blocks: it came whole), that an
      // answer goes on from (`retry()`, also later, or the page's own in `messages`): its turn went on.
      let next = draft ? 'assistant' : '';
      for (let at = messages.length; at--; ) {
        const message = messages[at]!;
        if (message.role == 'tool') continue;
        if (next && (message.role == 'user' || ((message.tool_calls || message.content_blocks) && next == 'assistant'))) interrupted.delete(message);
        next = message.role;
      }
      // A conversation taken away (`clear()`, new `messages`, another `storage-key`) takes what the
      // region said of it: left there, browse mode and the root's text still met it. (Not as a turn
      // starts: a regenerate() or edit() that takes the answer away says its start after its end.) Not
      // a copy of it (a page's state set back, parsed, proxied, an id added): it said what is there.
      const of = this.#of;
      if (!host.streaming && of && !messages.includes(of) && !messages.some((message) => message.role == of.role && textOf(message.content) == textOf(of.content))) this.say((this.#ended = ''));
      if (!this.#speaking && (this.#speaking = host.streaming)) {
        this.#from = messages.at(-1);
        // A turn that goes on from an answer (retry()), or from a question (regenerate()): it no longer
        // ends a turn. (An answer with text stays in `empty`: one restored cut short, marked as a
        // finish reason marks one, whatever follows it.)
        const last = this.#last;
        this.limited.delete(last);
        if (last?.role != 'assistant' || !textOf(last.content).trim()) this.empty.delete(last);
        this.say(this.#ended + labelsOf(host).typing);
        this.#empty = undefined;
      }
    });
  }

  hostUpdated(): void {
    // One that started before the first render (`conversation.send()` as the element was put in the
    // page, or out of it) had no status region to say so in: it is said at that render.
    if (this.#speaking && !this.#host.hasUpdated) this.say(labelsOf(this.#host).typing);
    // A page that answers a turn that ended empty itself (in `messages`, at its `done` or later; also
    // in place of its answer of white space): its answer is said, as one streamed here is, not "Empty
    // answer", which the log no longer shows. (Not the last answer of a conversation `clear()` or new
    // `messages` put in that turn's place: its question gone.)
    const last = this.#last;
    const [ended, from] = this.#empty || [];
    if (ended && ended !== last) {
      if (last?.role === 'assistant' && this.#host.conversation.messages.includes(from!)) this.say(spokenAnswers([...this.#host.renderRoot.querySelectorAll('[part~=assistant]')].slice(-1), labelsOf(this.#host).rest));
      this.#empty = undefined;
    }
    // A provider's own tool run said once (the answer around it is said only at the turn's end): with
    // what it did, which OpenAI's Responses stream sends only at the item's end and Anthropic's can
    // in a later read than its name, or, when that never comes, once the answer goes on past it. Said
    // at its start too, a search was heard twice. Its line shows at once.
    const lines = this.#toolLines(this.#host.conversation.draft?.message);
    if (lines[0]) this.say(lines.join('\n'));
    // Calls made together (streamed here) are said once all have their results, each tool's name and
    // state once ("time_in Done, roll_dice Error"): their cards say only the first's start (see
    // toolCall). Also results the page gave (no tools), after a turn's end said in this task, and
    // before the start of one that goes on from them in it. Not stopped ones: the turn's end says so.
    const said = this.#batch();
    const list = this.#host.conversation.messages;
    if (said) this.say(this.#ended + said + (this.#speaking && list.indexOf(this.#from!) > list.indexOf(last) ? '\n' + labelsOf(this.#host).typing : ''));
    this.#refresh();
    const live = this.#host.stats && this.#host.streaming;
    // (While tools run, no answer streams: the log renders again, its last line with it.)
    if (live && !this.#timer) this.#timer = setInterval(() => (this.#host.conversation.draft ? this.#refresh() : this.#host.requestUpdate()), 250);
    else if (!live) this.#timer = void clearInterval(this.#timer);
  }

  hostConnected(): void {
    // The stats' numbers are written as the element's language writes them (its `lang`, or its
    // closest ancestor's, across shadow roots): one changed alone (a page switching its language)
    // renders them again. Each root from the element's up is watched, as `lang` crosses into them.
    // (A document has no `host`: the loop ends there.) One changed while it was out of the page, or
    // in the task it moved in (disconnected, the observer dropped it), is read at a render now.
    for (let node: Node = this.#host; node; node = (node as ShadowRoot).host) this.#lang.observe((node = node.getRootNode()), { subtree: true, attributeFilter: ['lang'] });
    this.#host.stats && this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#timer = void clearInterval(this.#timer);
    this.#lang.disconnect();
  }

  /**
   * A turn's end (while it streamed, the log did not announce it): the text of every response of
   * it once whole (a tool loop's too; up to {@link SPOKEN} characters), or after a failure what
   * arrived (after the steps before it); nothing, rather than a stale "typing", when nothing did. A
   * stopped answer says so after it, as its marker does (also one stopped before any of it came:
   * else a stop was not heard), and so do an answer the provider cut short and a turn `max-steps`
   * ended ({@link limited}). A turn that `clear()` or new `messages` took away says nothing: it is
   * no longer there.
   */
  end(event: Event): void {
    const from = this.#from;
    // A turn that replaced this one (a send() while it streamed, or one a listener of its last change
    // started) is under way already, from its question. Its change found this one speaking: its start
    // is said here, after this end (of two texts in one task, only the second is heard). One that a
    // listener of this end starts is seen to start at its change (see #ended).
    this.#from = (this.#speaking = this.#host.streaming) ? this.#host.conversation.messages.at(-1) : undefined;
    const list = this.#host.conversation.messages;
    if (from && !list.includes(from)) return this.#sayEnd('');
    const done = event.type === 'done' && (event as CustomEvent<DoneDetail>).detail;
    // After a failure, the turn's responses from its start: a tool loop's steps before it, then what arrived.
    const messages = done ? done.steps.map((step) => step.message) : from ? list.slice(list.indexOf(from) + 1) : [this.#host.conversation.failure?.partial];
    const labels = labelsOf(this.#host);
    // (A turn that ends, not stopped, on calls answered in it, or on a pause it would have gone on
    // with, made its `max-steps` responses.)
    if (done && !done.aborted && (pausedToGoOn(done.message, done.finishReason) || done.steps.at(-1)?.results.length)) this.limited.add(done.message);
    // No text shown (an image's Markdown has none to say), and no calls a host is to answer: nothing
    // on screen says the turn ended; its last message is marked. Nor does anything when it was stopped
    // before any of its answer came (none joined `messages`): its question is marked Stopped, as a
    // stopped answer is (one gone on with is marked already), also when a send() stopped it (a
    // question follows it), not when the turn that stopped it asks it again (a regenerate()).
    const empty =
      done &&
      (done.aborted
        ? from?.role == 'user' && from != this.#from && !list.includes(done.message)
        : !done.steps.some(({ message }) => textOf(message.content).trim() || message.refusal) && !this.limited.has(done.message) && !done.message.tool_calls);
    const marked = empty && (done.aborted ? from : this.#last);
    if ((this.#empty = marked && [marked, from!])) this.empty.set(marked, done.aborted ? STOPPED : done.finishReason);
    this.#sayEnd(
      [
        // A tool run not said yet (stopped or failed mid-search, whose query OpenAI's Responses stream
        // sends only at its end, or one that ended the turn with none) is said first, as at its start.
        ...messages.flatMap((message) => this.#toolLines(message, true)),
        spokenAnswers(
          messages.flatMap((message) => {
            const nodes = message && this.#nodesOf(message);
            return nodes ? [...nodes.bodies.map((body) => body.root), nodes.refusal.root] : [];
          }),
          labels.rest,
        ),
        // Calls made together that ended it (`max-steps`), before its marker.
        this.#batch(),
        // Then what its marker says, if it has one.
        done && (done.aborted ? labels.stopped : this.limited.has(done.message) ? labels.stepLimit : cutLabel(done.finishReason, labels) ?? (empty && labels.empty)),
      ]
        .filter(Boolean)
        .join('\n')
        // (A label of white space only says nothing, as its marker shows none.)
        .trim(),
    );
  }

  /** Says a turn's end, `text` (see {@link end}), then the start of the turn that replaced it, if one did. */
  #sayEnd(text: string): void {
    this.#ended = text && text + '\n';
    this.#forget();
    this.say(this.#speaking ? this.#ended + labelsOf(this.#host).typing : text);
  }

  /**
   * Forgets what the last turn's end said once the task it was said in is over: at the next task, or
   * at the next frame where that comes first (a busy machine), before a page's own callbacks of it.
   */
  #forget(): void {
    const forget = () => (this.#ended = '');
    setTimeout(forget);
    requestAnimationFrame(forget);
  }

  /**
   * What the status region says now (a turn's start and end; how a Copy went), until it has been
   * said: then it goes (at least 7 s, as React Aria's announcer; 0.1 s a character, slow
   * speech, for a long answer), or a reader in browse mode met the answer again after the log. By
   * an animation's delay (see the styles' `said`), not a timer an element out of the page would keep.
   */
  say(text: string): void {
    this.#of = this.#last;
    const said = document.createElement('span');
    said.textContent = text;
    said.style.animationDelay = 7000 + 100 * text.length + 'ms';
    // Then gone: hidden only, it came back (its animation anew) each time the element was shown again or moved.
    said.onanimationend = () => said.remove();
    // (None in an element never in the page, whose turn stopped as it started: it has no render root.)
    this.#host.renderRoot?.querySelector('.announce')?.replaceChildren(...(text ? [said] : []));
  }

  /** The last answer's calls made together, in words, once all have results (none stopped), once. */
  #batch(): string {
    const last = this.#last;
    const calls = last?.tool_calls ?? [];
    const states = calls[1] && this.#nodesOf(last) && !this.#batches.has(last) ? calls.map((call) => this.#host.conversation.toolState(call)) : [];
    if (!states[0] || !states.every((state) => state == 'done' || state == 'error' || state == 'stopped')) return '';
    this.#batches.add(last);
    const labels = labelsOf(this.#host);
    // Each tool and state once, with how many calls it holds where more than one: nineteen calls
    // said as two were two. (A blank state's words leave no space.)
    const lines = new Map<string, number>();
    for (const [at, call] of calls.entries()) {
      const line = [call.function.name, toolWords(states[at], labels)].filter((word) => /\S/.test(word!)).join(' ');
      lines.set(line, (lines.get(line) ?? 0) + 1);
    }
    // A list as the element's language writes one (its narrow conjunction: English's is commas alone),
    // else English's: Chromium has numbers but no lists for az, pa, sd, uz (alone, its own language's).
    const lang = knownLang(langOf(this.#host));
    return states.includes('stopped') ? '' : new Intl.ListFormat([lang ?? 'en', 'en'], { style: 'narrow' }).format([...lines].map(([line, n]) => (n > 1 ? `${line} ${counted(labels.calls, n, lang)}` : line)));
  }

  /** The conversation's last message but tool results: a turn's question, or the answer it ended on. */
  get #last(): ChatMessage {
    return this.#host.conversation.messages.findLast((message) => message.role !== 'tool')!;
  }

  /**
   * The lines of `message`'s provider tool runs to say now, each once: those whose query came, or
   * that the answer went on past (or all, at the turn's `end`).
   */
  #toolLines(message: ChatMessage | undefined, end?: boolean): string[] {
    const tools = message?.server_tools ?? [];
    return tools
      .filter((tool, at) => tool.name && !this.#said.has(tool) && (end || tool.detail || tools[at + 1] || message!.content!.length > tool.at))
      .map((tool) => this.#said.add(tool) && `${serverToolName(tool)} ${tool.detail}`.trim());
  }

  /** Writes the stats of the answer streaming now into its line, in place: no re-render. */
  #refresh(): void {
    const message = this.#host.stats && this.#host.conversation.draft?.message;
    const nodes = message && this.#nodesOf(message);
    const now = nodes && this.#host.conversation.statsOf(message);
    if (now) nodes.stats.data = formatStats(now, labelsOf(this.#host), langOf(this.#host));
  }
}

/**
 * What the status region says of rendered answers (their `roots`): their text, up to {@link SPOKEN}
 * characters, then `rest` (`labels.rest`) when some were left out.
 */
function spokenAnswers(roots: Node[], rest: string): string {
  let cut = false;
  let text = roots
    .map((root) => {
      const said = spoken(root, SPOKEN);
      cut ||= said.cut;
      return said.text;
    })
    .filter(Boolean)
    .join('\n');
  if (text.length > SPOKEN) {
    // At a space; in text without one, between two characters (not inside an emoji's pair).
    const space = text.lastIndexOf(' ', SPOKEN);
    text = space > SPOKEN / 2 ? text.slice(0, space) : text.slice(0, SPOKEN).replace(/[\uD800-\uDBFF]$/, '');
    cut = true;
  }
  return cut ? `${text}… ${rest}` : text;
}
