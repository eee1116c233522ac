import { html, nothing, type TemplateResult } from 'lit';
import type { FollowEnd } from './follow-end.js';
import type { Labels } from './labels.js';
import { RTL } from './renderers/markdown.js';
import type { StreamChatElement } from './stream-chat.js';

/**
 * A key an input method takes: while composing, or the key that ends the composition, which Safari
 * sends after it with `isComposing` false and the IME's keyCode, 229 (WebKit bug 165004).
 */
export const composing = (event: KeyboardEvent): boolean => event.isComposing || event.keyCode === 229;

/** For what the UI does not await: a turn's failure is reported through the `error` event. */
export const ignore = (): void => {};

/**
 * A text area as tall as its text, up to its max-height, where CSS cannot say so (no
 * `field-sizing`: WebKit, Firefox 140 ESR): as many rows as its lines, from what it would scroll
 * at one. Rows, not a height: its height stays its own, and the composer's grid row, whose least is
 * then the input's min-height, gives way to a chat too short for it (a height set on it was that
 * row's least: twelve lines typed in a chat 200 px high ran the input 58 px out of it).
 */
export const fit = (area: HTMLTextAreaElement): void => {
  // (Nor where there is no layout: jsdom, in a host's unit tests, has no `CSS`.)
  if (!globalThis.CSS || CSS.supports('field-sizing', 'content')) return;
  // Measured at one row, the box lets the log grow for a moment, and the browser pulls the log's
  // scroll back: it is put back where it was.
  const log = (area.getRootNode() as ShadowRoot).querySelector('[part~=log]');
  const top = log?.scrollTop;
  area.rows = 1;
  // (Its line height is px by the styles' 1lh; where that unit is unknown, Firefox before 120, a font
  // without one has `normal`, no number: one row, which scrolls.)
  area.rows = 1 + (Math.ceil((area.scrollHeight - area.clientHeight) / parseFloat(getComputedStyle(area).lineHeight)) || 0);
  if (log) log.scrollTop = top!;
};

/** The text areas {@link fitSoon} fits at the next frame. */
const fitting = new WeakSet<HTMLTextAreaElement>();

/**
 * {@link fit}s `area` at the next frame, once for the changes before it: at each, a layout of the
 * page was forced (a 1 MB set in WebKit: 5.8 s; keys that came faster than frames, as a long answer
 * streams, each laid the log out), and a script's `value =` and its `input` fitted twice.
 */
const fitSoon = (area: HTMLTextAreaElement): void =>
  void (fitting.has(area) || (fitting.add(area), requestAnimationFrame(() => (fitting.delete(area), fit(area)))));

/**
 * Fits the text areas among `entries` again, a frame later, when their width changed (their lines
 * wrap anew), not when their height did (their own fitting). The element's observer of its log
 * reports them (FollowEnd's): the one of their window, which a Picture-in-Picture window's need,
 * let go with the rest as they leave the page, and observed again as they come back.
 * The composer's input spans the composer when Send goes under it (the form's container query,
 * which the form's own styles cannot ask): the form is told so then, `under`, which keeps both rows
 * (see the styles). A frame later too: from the observer's callback, the log resized with it was
 * "ResizeObserver loop completed with undelivered notifications".
 */
export const refit = (entries: ResizeObserverEntry[]): void => {
  for (const { target, contentRect } of entries)
    if (target.localName == 'textarea' && widths.get(target) !== widths.set(target, contentRect.width).get(target))
      requestAnimationFrame(() => (target.parentElement!.classList.toggle('under', getComputedStyle(target).gridColumnStart != 'auto'), fit(target as HTMLTextAreaElement)));
};
/** The widths of the text areas {@link refit} was told of. */
const widths = new WeakMap<Element, number>();

/**
 * The direction of `text`'s first letter (or mark) among its first 1,000 characters, `''` (its
 * parent's: the element's) with none. The text areas' own, for `dir="auto"`, which Chromium finds
 * again over the whole text at each layout: 1 MB of code pasted took 10.8 to 23 s to lay out, and
 * as long a keystroke after it (1.8 s with a direction).
 */
export const directionOf = (text: string): string => {
  const letter = /[\p{L}\u200e\u200f]/u.exec(text.slice(0, 1000))?.[0];
  return letter ? (RTL.test(letter) ? 'rtl' : 'ltr') : '';
};

/**
 * Whether `text` holds a right-to-left letter: its text area then reads each line in its own
 * direction (class `bidi`, the styles' plaintext), as dir="auto" did, and an English line in an
 * Arabic text reads left to right; otherwise isolated, which lays out a long text in seconds less.
 */
export const bidiOf = (text: string): string => (RTL.test(text) ? 'bidi' : '');

/** Gives `area` the direction of `text`, and {@link bidiOf}'s class. */
const direct = (area: HTMLTextAreaElement, text: string, dir = directionOf(text)) => (area.dir != dir && (area.dir = dir), area.classList.toggle('bidi', !!bidiOf(text)));

/**
 * An `input` (and the input's `focus`) listener for a text area: the direction of its text, then
 * {@link fitSoon} (the layout it forces is then in that direction: a paste laid out once).
 */
export const fitTarget = (event: Event): void => {
  const area = event.target as HTMLTextAreaElement;
  direct(area, area.value);
  fitSoon(area);
};

/**
 * Gives `area` the direction of its text, and {@link fitSoon}s it, also as a script sets it (a page's, or Send's that empties it): no `input` then.
 * Redefinable (testing-library's user-event intercepts `value` so). A text changed otherwise with no `input` (the
 * prototype's setter, setRangeText) takes its direction as the input is focused ({@link fitTarget} on `focus`).
 */
export const directed = (area: HTMLTextAreaElement, changed: (area: HTMLTextAreaElement) => void = ignore): void => {
  const { get, set } = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!;
  Object.defineProperty(area, 'value', {
    get,
    set: (text: string) => (set!.call(area, text), direct(area, text), fitSoon(area), changed(area)),
    configurable: true,
  });
};

/**
 * Enter sends, unless with Shift, for an input method, or on a touch keyboard (coarse pointer), where
 * Enter is a newline and the button sends; Ctrl+Enter or Cmd+Enter sends there too (a tablet's keyboard).
 * (Without `matchMedia`, as in jsdom, a keyboard's.)
 */
export const entersSend = (event: KeyboardEvent): boolean =>
  event.key === 'Enter' && !event.shiftKey && !composing(event) && (event.ctrlKey || event.metaKey || !coarse());

/**
 * A touch screen's: Enter is a newline there ({@link entersSend}); elsewhere the input's touch
 * keyboard's Enter key says Send (`enterkeyhint`, as each render finds the pointer).
 */
const coarse = (): boolean | undefined => globalThis.matchMedia?.('(pointer: coarse)').matches;

/** A click (or tap) on Send or Stop leaves focus where it was, the caret in the input: the next question is typed at once. */
const keepFocus = (event: Event): void => event.preventDefault();

/**
 * The composer: the input, and one button that is Send and, while an answer streams, Stop. Enter
 * sends and Shift+Enter is a newline; while an answer streams, Enter leaves the text alone (Stop,
 * or Escape, stops it). With nothing to send (an empty input, or white space), Send is
 * `aria-disabled`: shown unavailable, still focusable (a focused `disabled` button loses focus).
 */
export class Composer {
  readonly #host: StreamChatElement;
  readonly #follow: FollowEnd;
  /** Whether the input holds nothing to send. */
  #empty = true;

  constructor(host: StreamChatElement, follow: FollowEnd) {
    this.#host = host;
    this.#follow = follow;
  }

  render(labels: Labels, placeholder: string): TemplateResult {
    const streaming = this.#host.streaming;
    // One button, the same node, so focus stays on it when it changes: as Send it is the form's
    // submit button; as Stop its click stops. It lays out its other label too, unseen (see the
    // styles), so that it keeps its width, and the input its edge, as a turn starts and ends.
    return html`<form part="form" @submit=${this.#handleSubmit}>
      <textarea
        part="input"
        rows="1"
        aria-label=${labels.input}
        placeholder=${placeholder}
        enterkeyhint=${coarse() ? nothing : 'send'}
        @keydown=${this.#handleKeydown}
        @input=${this.#handleInput}
        @focus=${this.#handleInput}
      ></textarea>
      <button part=${streaming ? 'stop' : 'send'} aria-disabled=${streaming || !this.#empty ? nothing : 'true'} type=${streaming ? 'button' : 'submit'} @mousedown=${keepFocus} @click=${this.#handleButtonClick}><span data-other=${streaming ? labels.send : labels.stop}>${streaming ? labels.stop : labels.send}</span></button>
    </form>`;
  }

  readonly #handleKeydown = (event: KeyboardEvent): void => {
    if (!entersSend(event)) return;
    event.preventDefault();
    this.#send();
  };

  /**
   * Typing resizes the input, and with it the log: that moves no reader away from the end. (Also as
   * it takes focus: a text set with no `input`, see {@link directed}.)
   */
  readonly #handleInput = (event: Event): void => {
    fitTarget(event);
    this.changed(event.target as HTMLTextAreaElement);
    this.#follow.keep();
  };

  /** The input's text changed (typed, or set by a script: {@link directed}'s): Send is available or not. */
  readonly changed = (input: HTMLTextAreaElement): void => {
    if (this.#empty !== (this.#empty = !input.value.trim())) this.#host.requestUpdate();
  };

  readonly #handleSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.#send();
  };

  /**
   * Stop's click stops. The second click of a double click (or tap) does nothing: the button changed
   * under it, Send to Stop (it would stop the answer it started) or Stop to Send (it would send the draft).
   */
  readonly #handleButtonClick = (event: MouseEvent): void => {
    if (event.detail < 2 && !this.#host.streaming) return;
    event.preventDefault();
    if (event.detail < 2) this.#host.stop();
  };

  /** Sends the input's text, unless an answer streams or there is none. */
  #send(): void {
    const input = this.#host.renderRoot.querySelector<HTMLTextAreaElement>('[part~=input]');
    if (this.#host.streaming || !input?.value.trim()) return;
    const text = input.value;
    // Emptied as a deletion where it has focus, which Ctrl+Z undoes (setting `value` wipes its undo
    // history); past 20,000 characters (pasted: the clipboard has them) by `value`, as deleting 1 MB
    // took Chromium 150 ms (50 by `value`) and WebKit 0.2 to 0.5 s (12 ms).
    if (!(text.length <= 2e4 && (this.#host.renderRoot as ShadowRoot).activeElement === input && (input.select(), document.execCommand('delete')))) input.value = '';
    this.#host.send(text).catch(ignore);
  }
}
