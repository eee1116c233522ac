/** Options of {@link StreamBuffer}. */
export interface StreamBufferOptions {
  /**
   * Called after each write (once per frame at most), e.g. to keep the view scrolled to the end.
   * Default: none.
   */
  onWrite?: (() => void) | undefined;
  /**
   * How long a scheduled write may wait for an animation frame before a timer does it instead, in
   * ms. Animation frames do not run in a hidden tab; this keeps the text moving there. Default: 250.
   */
  fallbackDelay?: number | undefined;
}

/** Where {@link StreamBuffer} writes: a `Text` node, or anything else that appends text the same way. */
export interface TextTarget {
  appendData(data: string): void;
}

/**
 * Coalesces streamed text and writes it into `Text` nodes (or other {@link TextTarget}s) at most
 * once per animation frame. It appends (`Text.appendData`) rather than rewriting: Chromium then
 * shapes only the new text, several times cheaper than setting the whole text each frame.
 *
 * @example
 * const buffer = new StreamBuffer();
 * buffer.append(textNode, delta); // any number of times per frame
 * buffer.flush();                 // at the end: write what is pending now
 */
export class StreamBuffer {
  readonly #pending = new Map<TextTarget, string>();
  #frame: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onWrite: (() => void) | undefined;
  readonly #fallbackDelay: number;
  readonly #runFlush = () => this.flush();

  constructor(options: StreamBufferOptions = {}) {
    this.#onWrite = options.onWrite;
    this.#fallbackDelay = options.fallbackDelay ?? 250;
  }

  /** Queues `text` to be appended to `target` in the next frame. */
  append(target: TextTarget, text: string): void {
    if (!text) return;
    this.#pending.set(target, (this.#pending.get(target) ?? '') + text);
    // (A frame is asked for only with its fallback timer, whose handle is never 0: the HTML standard
    // counts them from 1.)
    if (this.#timer) return;
    if (typeof requestAnimationFrame === 'function') this.#frame = requestAnimationFrame(this.#runFlush);
    this.#timer = setTimeout(this.#runFlush, this.#fallbackDelay);
  }

  /**
   * Writes everything pending now, synchronously. A target that throws is not given the same text
   * again, and the others are written: then the first error is thrown.
   */
  flush(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#frame = this.#timer = undefined;
    if (!this.#pending.size) return;
    const pending = [...this.#pending];
    this.#pending.clear();
    let failure: [unknown] | undefined;
    for (const [target, text] of pending) {
      try {
        target.appendData(text);
      } catch (error) {
        failure ??= [error];
      }
    }
    this.#onWrite?.();
    if (failure) throw failure[0];
  }
}
