/**
 * Keeps a scrolling log at its end while text arrives, until the reader scrolls up; following
 * resumes when they scroll back to the end, or when a new answer starts ({@link reset}).
 */
export class FollowEnd {
  /** Whether the log was scrolled to its end, so new text keeps it there. */
  #atEnd = true;
  /** The log's scrollTop at its last scroll event. */
  #scrollTop = 0;
  readonly #log: () => HTMLElement | null | undefined;

  constructor(log: () => HTMLElement | null | undefined) {
    this.#log = log;
  }

  /** Scrolls the log to its end, unless the reader scrolled up. */
  follow(): void {
    if (!this.#atEnd) return;
    const log = this.#log();
    if (log) log.scrollTop = log.scrollHeight;
  }

  /** Follows the end again from now on. */
  reset(): void {
    this.#atEnd = true;
  }

  /**
   * The log's scroll listener. Only the reader scrolling up stops following: the scroll event of
   * our own scroll to the end can arrive after groups of turns came into view and changed the
   * height. While it follows, scroll anchoring is off, so those changes do not move it either.
   */
  readonly handleScroll = (event: Event): void => {
    const log = event.currentTarget as HTMLElement;
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 32;
    if (atEnd || log.scrollTop < this.#scrollTop) this.#atEnd = atEnd;
    this.#scrollTop = log.scrollTop;
    // Our own scroll to the end fires this every streamed frame: write the style only when it changes.
    const anchor = this.#atEnd ? '' : 'auto';
    if (log.style.overflowAnchor !== anchor) log.style.overflowAnchor = anchor;
  };
}
