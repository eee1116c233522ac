import type { TextTarget } from './stream-buffer.js';

/** A body being streamed: the stream buffer (`streamBuffer()`) appends the text as it arrives; the view renders `root`. */
export interface StreamingBody extends TextTarget {
  readonly root: HTMLElement;
  /** The answer is complete: settle what depended on text that might still have come. */
  end?(): void;
}

/**
 * How the body of an assistant message renders: whole, for a message that is already complete, or
 * streamed, for the answer arriving now. Both give the same result for the same text.
 */
export interface BodyRenderer {
  /** The body of a complete message, as a value Lit renders (a string renders as one text node). */
  render(text: string): unknown;
  /** A body to stream into. */
  stream(): StreamingBody;
}
