/**
 * Keeps a scrolling log at its end while text arrives, until the reader scrolls up; following
 * resumes when they scroll back to the end, or when a new answer starts ({@link reset}).
 */
export class FollowEnd {
  /** Whether the log was scrolled to its end, so new text keeps it there. */
  #atEnd = true;
  /** The log's scrollTop at its last scroll event, or where our own scroll to the end put it. */
  #scrollTop = 0;
  readonly #log: () => HTMLElement | null | undefined;

  constructor(log: () => HTMLElement | null | undefined) {
    this.#log = log;
  }

  /** Scrolls the log to its end, unless the reader scrolled up. */
  follow(): void {
    if (!this.#atEnd) return;
    const log = this.#log();
    if (!log) return;
    // The reader may have scrolled up since the last scroll event: that event comes with the next
    // frame, after a write that would otherwise pull the log back to the end first.
    if (log.scrollTop < this.#scrollTop && !atEnd(log)) {
      this.#atEnd = false;
      return this.#anchor(log);
    }
    log.scrollTop = log.scrollHeight;
    this.#scrollTop = log.scrollTop;
  }

  /** Follows the end again from now on, wherever the log is. */
  reset(): void {
    this.#atEnd = true;
    this.#scrollTop = 0;
  }

  /**
   * The log's scroll listener. Only the reader scrolling up stops following: the scroll event of
   * our own scroll to the end can arrive after groups of turns came into view and changed the
   * height. While it follows, scroll anchoring is off, so those changes do not move it either.
   */
  readonly handleScroll = (event: Event): void => {
    const log = event.currentTarget as HTMLElement;
    const end = atEnd(log);
    if (end || log.scrollTop < this.#scrollTop) this.#atEnd = end;
    this.#scrollTop = log.scrollTop;
    this.#anchor(log);
  };

  /**
   * Scroll anchoring only while the reader reads above the end. Our own scroll to the end fires a
   * scroll event every streamed frame: write the style only when it changes.
   */
  #anchor(log: HTMLElement): void {
    const anchor = this.#atEnd ? '' : 'auto';
    if (log.style.overflowAnchor !== anchor) log.style.overflowAnchor = anchor;
  }
}

function atEnd(log: HTMLElement): boolean {
  return log.scrollHeight - log.scrollTop - log.clientHeight < 32;
}
