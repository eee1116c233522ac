/** Options of {@link streamBuffer}. */
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

/** Where {@link streamBuffer} writes: a `Text` node, or anything else that appends text the same way. */
export interface TextTarget {
  appendData(data: string): void;
}

/** What {@link streamBuffer} makes. */
export type StreamBuffer = ReturnType<typeof streamBuffer>;

/**
 * Coalesces streamed text and writes it into `Text` nodes (or other {@link TextTarget}s) at most
 * once per animation frame. It appends (`Text.appendData`) rather than rewriting: Chromium then
 * shapes only the new text, several times cheaper than setting the whole text each frame.
 *
 * @example
 * const buffer = streamBuffer();
 * buffer.append(textNode, delta); // any number of times per frame
 * buffer.flush();                 // at the end: write what is pending now
 */
export function streamBuffer({ onWrite, fallbackDelay = 250 }: StreamBufferOptions = {}) {
  const pending = new Map<TextTarget, string>();
  let frame: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Writes everything pending now, synchronously. A target that throws is not given the same text
   * again, and the others are written: then the first error is thrown.
   */
  const flush = (): void => {
    if (frame) cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = timer = undefined;
    if (!pending.size) return;
    const written = [...pending];
    pending.clear();
    let failure: [unknown] | undefined;
    for (const [target, text] of written) {
      try {
        target.appendData(text);
      } catch (error) {
        failure ??= [error];
      }
    }
    onWrite?.();
    if (failure) throw failure[0];
  };

  return {
    /** Queues `text` to be appended to `target` in the next frame. */
    append(target: TextTarget, text: string): void {
      if (!text) return;
      pending.set(target, (pending.get(target) ?? '') + text);
      // (A frame is asked for only with its fallback timer, whose handle is never 0: the HTML standard
      // counts them from 1.)
      if (timer) return;
      if (typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(flush);
      timer = setTimeout(flush, fallbackDelay);
    },
    flush,
  };
}
