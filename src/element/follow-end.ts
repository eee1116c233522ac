import type { ReactiveController } from 'lit';
import { textOf } from '../core/protocol.js';
import type { ChatMessage } from '../core/types.js';
import { refit } from './composer.js';
import { focusLatest, room } from './message-actions.js';
import { holdScroller, letGoScrollers } from './renderers/markdown.js';
import type { StreamChatElement } from './stream-chat.js';

/**
 * Scroll anchoring keeps what is read in place as content above it changes: Safari has none (nor
 * jsdom, without `CSS`: undefined).
 */
const anchored = globalThis.CSS?.supports('overflow-anchor', 'auto');

/**
 * Keeps the element's log at its end while text arrives, until the reader scrolls up; following
 * resumes when they scroll back to the end, or when a new answer starts ({@link reset}). Whether
 * something arrived below while the reader was above ({@link behind}) is what its "jump to latest"
 * button shows on.
 */
export class FollowEnd implements ReactiveController {
  readonly #host: StreamChatElement;
  /** Whether the log was scrolled to its end, so new text keeps it there. */
  #atEnd = true;
  #behind = false;
  /** The log's scrollTop at its last scroll event, or where our own scroll to the end put it. */
  #scrollTop = 0;
  /** Until when a scroll up is the page's, not the reader's (see {@link keep}). */
  #kept = 0;
  /** The log was out of the page's rendering at its last look (see {@link #shown}). */
  #hidden = false;
  /**
   * Sizes that change with no write: groups of turns laid out once in view (a long history set,
   * Jump to latest), an image loaded, the element resized. At the end, the log stays there; an edit
   * box keeps its {@link room}; the error's message is a tab stop while it scrolls; a text area is
   * fitted to a new width ({@link refit}). (None where there is no layout to watch: jsdom, in a
   * host's unit tests.)
   */
  #resized?: ResizeObserver;
  /** What {@link #resized} observes. */
  readonly #watched = new Set<Element>();
  /**
   * After the first look, what the root was given since, of what is watched (see {@link #watch}): a
   * search of the whole root after each render took 24 ms at 3,000 turns.
   */
  #added?: MutationObserver;
  #found: Element[] = [];
  /** Where there is no scroll anchoring, puts the log back once groups waiting filled above (see {@link hostUpdate}). */
  #back?: () => void;
  /**
   * How many messages the last render showed, and the last of them (not the array, which a host may
   * change in place and set again); where the last question was, it and the message before it.
   */
  #seen: [count: number, last?: ChatMessage, asked?: number, question?: ChatMessage, before?: ChatMessage] = [0];
  /** A tool's arguments as they stream, and how tall they were at the last look (see {@link #keepEnds}). */
  #heights = new Map<HTMLElement, number>();
  /** Streaming arguments the reader's key, wheel or press (a scrollbar's) last reached, if any, and until when that holds them (see {@link #keepEnds}). */
  #touched?: Element | null;
  #until = 0;
  /** Whether an edit box is open, to keep its {@link room} (a search of the log, not for each frame text arrives in). */
  readonly #editing: () => unknown;

  constructor(host: StreamChatElement, editing: () => unknown) {
    (this.#host = host).addController(this);
    this.#editing = editing;
  }

  /** Something was written below while the reader was reading above the end. */
  get behind(): boolean {
    return this.#behind;
  }

  /** The log is kept at its end: the reader has not scrolled up from it. */
  get atEnd(): boolean {
    return this.#atEnd;
  }

  /**
   * Scrolls the log to its end, unless the reader scrolled up; then, if something `arrived` (a
   * streamed write, a render while an answer streams), the reader is {@link behind}.
   */
  follow(arrived = true): void {
    const log = this.#host.renderRoot?.querySelector<HTMLElement>('[part~=log]');
    // A tool's arguments as they stream follow their own end, whether or not the log follows its.
    if (log) this.#keepEnds(log), unseen(log);
    if (!this.#atEnd) return void (arrived && this.#setBehind(true));
    if (!log || !this.#shown(log)) return;
    // The reader may have scrolled up since the last scroll event: that event comes with the next
    // frame, after a write that would otherwise pull the log back to the end first. Not when the log
    // is at its end now (its content shrank under it), nor while the input resizes it (see keep).
    if (log.scrollTop < this.#scrollTop && performance.now() >= this.#kept && !atEnd(log, 2)) {
      this.#atEnd = false;
      return this.#anchor(log);
    }
    log.scrollTop = log.scrollHeight;
    this.#scrollTop = log.scrollTop;
  }

  /**
   * The page changes the log's height now (the input grows or shrinks as the reader types): for a
   * moment, a scroll up is that, not the reader, however the frames fall.
   */
  keep(): void {
    this.#kept = performance.now() + 250;
  }

  /**
   * Whether the log is rendered. In a closed `<details>` or under `content-visibility: hidden`, its
   * sizes are placeholders, and shown again it settles into its own, moving its scroll position up:
   * for a moment then, that is the page's, not the reader's (see {@link keep}).
   */
  #shown(log: HTMLElement): boolean {
    const shown = log.checkVisibility?.() !== false;
    if (shown && this.#hidden) this.keep();
    this.#hidden = !shown;
    return shown;
  }

  /**
   * Watches the log, its groups of turns, the error's message and the text areas, and those a render
   * added; `false`: stops. Only those not watched yet: a node observed again is reported at the next
   * look, resized or not (by the specification; no engine does so today when its box is the same),
   * and in a render from a page's own observer's callback (a property set there) the log, no deeper
   * than what that observer was told of, was then skipped: "ResizeObserver loop completed with
   * undelivered notifications", in the page's error monitor. Those a render took out are let go (one
   * hidden, 0 × 0, is never reported as it goes, and would be held for the element's life). An edit
   * box a render changed the form of (labels set) is kept to its room now: from the callback, told
   * of its group only, that would resize the group again, then skipped.
   */
  #watch(on = true): void {
    const log = this.#host.renderRoot?.querySelector<HTMLElement>('[part~=log]');
    for (const node of this.#watched) if (!on || !node.isConnected) this.#resized?.unobserve(node), this.#watched.delete(node);
    if (!on) this.#added?.disconnect(), (this.#added = undefined), (this.#found = []);
    if (!on || !log) return;
    // (One of the log's window: one of another document's misses its changes, and says so as an error.
    // Moved there, the element was taken out of the page first, which let go all it watched.)
    const Observer = log.ownerDocument.defaultView?.ResizeObserver;
    // (The only `pre`s watched are a tool card's: a code block's is not. Its size tells when it starts
    // or stops scrolling: at most 15 and a half lines (see the styles), it is never as tall as its lines.)
    if (Observer && !(this.#resized instanceof Observer))
      this.#resized = new Observer((entries) => (this.#editing() && room(log), this.follow(false), [...errorText(log), ...entries.flatMap(({ target }) => target.closest('pre') ?? [])].forEach(scrolls), refit(entries)));
    this.#editing() && room(log);
    const root = log.parentNode!;
    const found = this.#added ? (this.#see(this.#added.takeRecords()), this.#found.splice(0)) : root.querySelectorAll(WATCHED);
    if (!this.#added) (this.#added = new MutationObserver((records) => this.#see(records))).observe(root, { childList: true, subtree: true });
    for (const node of [log, ...log.children, ...found]) this.#resized && node.isConnected && !this.#watched.has(node) && (this.#resized.observe(node), this.#watched.add(node));
  }

  /** Keeps, of the nodes `records` added, those to watch (see {@link #watch}). */
  #see(records: MutationRecord[]): void {
    for (const { addedNodes } of records) for (const node of addedNodes as NodeListOf<Element>) if (node.nodeType == 1) this.#found.push(...(node.matches(WATCHED) ? [node] : []), ...node.querySelectorAll(WATCHED));
  }

  /**
   * Back in the page, whose layout the log lost with its scroll position: it goes back where the
   * reader had scrolled up to, or (following) to its end when its sizes are observed again. Its
   * scrollers, let go if it was out of the page longer than a task (a tab framework, a kept-alive
   * view), are observed again: a code block was otherwise a stop for good.
   */
  hostConnected(): void {
    const root = this.#host.renderRoot;
    const log = root.querySelector<HTMLElement>('[part~=log]');
    if (log && !this.#atEnd) log.scrollTop = this.#scrollTop;
    else this.#scrollTop = 0;
    this.#watch();
    root.querySelectorAll<HTMLElement>('.markdown pre,[part~=table-wrap]').forEach(holdScroller);
    // (Passive: a wheel listener that is not keeps the compositor waiting on this thread to scroll.)
    for (const type of ['keydown', 'wheel', 'pointerdown']) root.addEventListener(type, this.#handleInput, { passive: true });
  }

  /** The reader's input in the element's root: in streaming arguments, it holds them a moment (see {@link #keepEnds}). */
  readonly #handleInput = (event: Event): void => void ((this.#touched = (event.target as Element).closest('.streaming>pre')), (this.#until = performance.now() + 500));

  /**
   * Out of the page: its nodes are watched no more, also a hidden one's, which never reports as it
   * goes; its scrollers a task later, so that one put back meanwhile (`remove()`, then `append()`)
   * keeps them.
   */
  hostDisconnected(): void {
    this.#watch(false);
    setTimeout(letGoScrollers);
  }

  /**
   * Before a render, while groups of turns wait (empty) to fill above: where there is no scroll
   * anchoring (Safari), what puts the log back at its distance from the end once it is rendered,
   * so what is read stays in place (at the end: the end). Any render: a reader who scrolled up
   * gets every group waiting in the next one, the groups' own or another.
   */
  hostUpdate(): void {
    const log = anchored ? undefined : this.#host.renderRoot?.querySelector<HTMLElement>('[part~=log]');
    this.#back = undefined;
    if (!log?.querySelector('.turns:empty')) return;
    const fromEnd = log.scrollHeight - log.scrollTop;
    this.#back = () => void (log.scrollTop = log.scrollHeight - fromEnd);
  }

  /**
   * After each render, called from the host's `updated()`: after every controller's `hostUpdated`
   * (the stats line written), so the log has the render's height. The log follows its end, is put
   * back where groups filled above it, and what the render added to it is watched.
   */
  updated(): void {
    // Another conversation (a host's, another tab's; emptied, or to a system prompt alone, which
    // shows no turn): shown from its end, nothing below, the next answer followed. Not one that grew
    // (a turn, another tab's answer), whose message last seen is there, the same or saying the same
    // or, if it said anything, more (another tab's are new objects, and its answer is saved as it
    // streams: their text, which is read only when they are, and which any message has, where JSON
    // throws on a BigInt or a cycle; a call's or an image's says nothing, and any text more than
    // that), nor a render that changed no message (an empty chat scrolled stays). Nor one whose last
    // answer was regenerated (its question is there, then nothing or an answer) or whose last question
    // was edited (the message before it is there, then a question), another tab's as it streams: the
    // reader stays where they were reading, above what changed.
    const messages = this.#host.messages;
    const [count, then, asked = -1, question, before] = this.#seen;
    const now = messages.at(count - 1);
    // The last question where it was, no question after it (another conversation that begins with the
    // same question has its own after), saying the same, as the message before it: neither streams.
    // (`was` was seen at `at`, unless `at` is below 0, where `messages` has none either.)
    const last = messages.findLastIndex((message) => message.role == 'user');
    const kept = (at: number, was?: ChatMessage) => !!messages[at] && textOf(messages[at]!.content) == textOf(was!.content);
    const grew = now == then || (!!now && !!then && saysAsMuch(now, then));
    if (!grew && !(last == asked && (kept(asked, question) || kept(asked - 1, before)))) this.reset();
    this.#seen = [messages.length, messages.at(-1), last, messages[last], messages[last - 1]];
    // A render while nothing streams (an edit form opened, labels set) has brought nothing new, unless
    // the conversation changed below a reader who stays above.
    this.follow(this.#host.streaming || messages.length != count || (now != then && !saysAsMuch(then!, now!)));
    this.#back?.();
    // Not after a removal: the stop it makes renders once more.
    this.#watch(this.#host.isConnected);
  }

  /** Follows the end again from now on, wherever the log is. */
  reset(): void {
    this.#atEnd = true;
    this.#scrollTop = 0;
    this.#setBehind(false);
  }

  /**
   * The log's scroll listener. Only the reader scrolling up stops following, by any distance (a
   * key's or a trackpad's few pixels too); a log left exactly at its end is one whose content
   * shrank under it. The scroll event of our own scroll to the end can arrive after groups of
   * turns came into view and changed the height. While it follows, scroll anchoring is off, so
   * those changes do not move it either. Scrolled back down near the end, it follows again.
   */
  readonly handleScroll = (event: Event): void => {
    // (A scroll event does not bubble: its target is the log, which listens.)
    const log = event.target as HTMLElement;
    if (!this.#shown(log)) return;
    const end = atEnd(log);
    if (log.scrollTop < this.#scrollTop) this.#atEnd = (this.#atEnd && performance.now() < this.#kept) || atEnd(log, 2);
    else if (end) this.#atEnd = true;
    if (end) this.#setBehind(false);
    this.#scrollTop = log.scrollTop;
    this.#anchor(log);
  };

  #setBehind(behind: boolean): void {
    if (this.#behind === behind) return;
    this.#behind = behind;
    // Jump to latest goes once the reader is back at the end: focus on it stays in the element.
    if ((this.#host.renderRoot as ShadowRoot).activeElement?.matches('[part~=jump]')) focusLatest(this.#host);
    // After the update in progress, if any: the log's scroll position is read as it ends.
    queueMicrotask(() => this.#host.requestUpdate());
  }

  /**
   * Keeps a tool's arguments as they stream at their end if they were there at the last look (a
   * frame's write, a render), as the log is kept at its: a reader who scrolled up in them (a key, a
   * wheel) reads on where they were, and back at the end follows it again. Complete, pretty-printed,
   * they show from their start. (A scroller in reverse, which starts at its end, moved what the
   * reader read as more came: all of it in WebKit, which has no scroll anchoring, and during a smooth
   * scroll in Chromium and Firefox.) The slack is a fraction of a pixel's rounding. A scroll the
   * reader begins (a key, a wheel) moves nothing for a frame or two: written into then, still at
   * their end, they were kept there, which cancelled it. For half a second after the reader's input
   * (two of WebKitGTK's slow frames here, 250 to 300 ms each), as the log is for a moment after the
   * page's change ({@link keep}), they are not, and are told at the next look by their height from
   * before it: scrolled up from that end, they stay; a key that scrolled nothing, they follow on.
   */
  #keepEnds(log: HTMLElement): void {
    const heights = this.#heights;
    this.#heights = new Map();
    // The answer streams in the log's last group (Jump to latest is after it): a frame looks through
    // its few turns, not the whole conversation (a search of the log took 2 ms a frame at 3,000 turns).
    const last = log.lastElementChild;
    for (const pre of (last?.localName == 'div' ? last : last?.previousElementSibling)?.querySelectorAll<HTMLElement>('.streaming>pre') ?? []) {
      const was = heights.get(pre) ?? 0;
      const held = pre == this.#touched && performance.now() < this.#until;
      if (!held && pre.scrollTop + pre.clientHeight > was - 2) pre.scrollTop = pre.scrollHeight;
      this.#heights.set(pre, held ? was : pre.scrollHeight);
      heights.delete(pre);
    }
    for (const [pre] of heights) pre.scrollTop = 0;
  }

  /**
   * Scroll anchoring only while the reader reads above the end. Our own scroll to the end fires a
   * scroll event every streamed frame: write the style only when it changes.
   */
  #anchor(log: HTMLElement): void {
    const anchor = this.#atEnd ? '' : 'auto';
    if (log.style.overflowAnchor !== anchor) log.style.overflowAnchor = anchor;
  }
}

/**
 * Written in a hidden page (a tab behind another), which renders no frame, an answer's groups of
 * blocks, which skip layout out of view, had no size of their own to keep: back in front, those above kept their placeholder's until scrolled to, and the log's height and its
 * scrollbar moved as the reader read up. They are laid out in the first frame back (class `unseen`
 * in the styles), and keep that size.
 */
function unseen(log: HTMLElement): void {
  const { hidden, defaultView: view } = log.ownerDocument;
  if (!hidden || log.classList.contains('unseen')) return;
  log.classList.add('unseen');
  view!.requestAnimationFrame(() => view!.requestAnimationFrame(() => log.classList.remove('unseen')));
}

/** What {@link FollowEnd} watches besides the log and its groups: the error's message, the text areas, a tool card's scrollers. */
const WATCHED = '.error-text,.error-text>div,textarea,[part~=tool-call] pre';

/**
 * The inline error's message, if there is one: in the error part, beside the log. Its siblings are
 * looked at, not the root searched: this runs at each resize report, each frame an answer streams.
 */
const errorText = (log: HTMLElement) => [...log.parentNode!.children].flatMap((node) => (node.matches('[part~=error]') ? [node.firstElementChild as HTMLElement] : []));

/**
 * The error's message, and a tool's arguments or result, is a tab stop while it scrolls, so that a
 * keyboard scrolls it (where a browser does not focus a scroller by itself: Safari), and not
 * otherwise: a stop with nothing to scroll.
 */
const scrolls = (text: HTMLElement) => (text.tabIndex = text.scrollHeight > text.clientHeight ? 0 : -1);

/** Whether message `now` says what `then` said or more; or, when `then` said nothing, nothing too. */
const saysAsMuch = (now: ChatMessage, then: ChatMessage, was = textOf(then.content)) => (was ? textOf(now.content).startsWith(was) : !textOf(now.content));

/** Whether the log is within `slack` pixels of its end. */
function atEnd(log: HTMLElement, slack = 32): boolean {
  return log.scrollHeight - log.scrollTop - log.clientHeight < slack;
}
