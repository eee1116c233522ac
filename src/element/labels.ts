/**
 * Every string the element writes into its UI, with its English default. A page sets the
 * element's `labels` property to any subset of them (another language, other words); the rest
 * keep their defaults.
 */
export const DEFAULT_LABELS = {
  /** The accessible name of the message list. */
  log: 'Conversation',
  /** The accessible name of the input. */
  input: 'Message',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  /**
   * Before each question, for assistive technology (shown through `::part(speaker)`); without its
   * trailing colon (`:`, `：`, and a space before it), the name of the question's group.
   */
  you: 'You:',
  /** Before each answer, for assistive technology; without its colon, the name of the answer's group. */
  assistant: 'Assistant:',
  /** The typing indicator's announcement. */
  typing: 'Assistant is typing',
  /** Said after the first 2,000 characters of a long answer, where the status region stops reading it. */
  rest: 'The rest of the answer is in the conversation.',
  /** The reasoning's summary while the model thinks, and once the answer started. */
  thinking: 'Thinking…',
  reasoning: 'Reasoning',
  /** Markers under an answer stopped, the question whose answer failed, an answer (or a question) a reload or a failure cut short. */
  stopped: 'Stopped',
  failed: 'Answer failed',
  interrupted: 'Interrupted',
  /** Markers under an answer the provider cut short: at its length limit (`max-tokens`), by its content filter. */
  lengthLimit: 'Cut off at the length limit',
  contentFilter: 'Cut off by the content filter',
  /** Marker under a turn `max-steps` ended: its tools ran (or Anthropic paused it), and no response went on with it. */
  stepLimit: 'Stopped at the step limit',
  /**
   * Marker under a turn that ended with no answer to show (none came, only white space, or only
   * its reasoning), and what the status region says of it.
   */
  empty: 'Empty answer',
  /** A tool call's states, and its folded result. */
  toolStreaming: 'Calling…',
  toolRunning: 'Running…',
  toolWaiting: 'Waiting for a result',
  toolDone: 'Done',
  toolError: 'Error',
  toolStopped: 'Stopped',
  /** How many calls made together of one tool are in one state, said after it (see {@link CountLabel}). */
  calls: '({n} calls)',
  result: 'Result',
  /** Message actions, and what Copy says when it is done. */
  copy: 'Copy',
  /** A code block's Copy (named apart from its message's Copy, which a screen reader says beside it). */
  copyCode: 'Copy code',
  /** The name of a code block without a language (one with a language is named by it), said as it takes focus. */
  code: 'Code',
  /** The name of a table whose header cells are all empty (one with a header is named by it), said as it takes focus. */
  table: 'Table',
  copied: 'Copied',
  copyFailed: 'Copy failed',
  regenerate: 'Regenerate',
  edit: 'Edit',
  save: 'Save',
  cancel: 'Cancel',
  /** The button that scrolls back to the answer arriving. */
  jump: 'Jump to latest',
  /** The accessible name of the suggestions' group. */
  suggestions: 'Suggestions',
  /** The accessible name of the links an answer cites. */
  sources: 'Sources',
  /** The alternative text of an image in a message. */
  image: 'Attached image',
  /** What a question shows for a file without a name. */
  file: 'Attached file',
  /** What a question shows for its audio. */
  audio: 'Attached audio',
  /**
   * The stats under an answer: `1.4 s · first token 320 ms · 41 tokens/s (estimated)`. A number
   * goes where its label says `{n}` (`{n}秒`; `firstToken`'s is the time, with its unit); without
   * one, before its label (after `firstToken`), a space between. Plural forms: {@link CountLabel}.
   * `estimated` follows the tokens/s after a space, or has them where it says `{n}` (`{n}（推定）`).
   */
  seconds: 's',
  milliseconds: 'ms',
  firstToken: 'first token',
  tokensPerSecond: 'tokens/s',
  estimated: '(estimated)',
};

/**
 * A label said with a number (`seconds`, `milliseconds`, `tokensPerSecond`, `calls`): one text, or one per
 * plural category of the element's language (`Intl.PluralRules`: Polish `{ one: '{n} token/s', few:
 * '{n} tokeny/s', many: '{n} tokenów/s', other: '{n} tokena/s' }`), `other` for a category left out.
 */
export type CountLabel = string | ({ other: string } & { [category in Intl.LDMLPluralRule]?: string });

/** The element's UI strings, by key; see {@link DEFAULT_LABELS}. */
export type Labels = { [K in keyof typeof DEFAULT_LABELS]: K extends 'seconds' | 'milliseconds' | 'tokensPerSecond' | 'calls' ? CountLabel : string };

/**
 * The labels a page may blank on purpose, used as given when empty: announcements (the status
 * region then says nothing), markers and tool states, the speakers' text (an avatar in its place;
 * their groups keep their names), the words of the stats and of `calls`. Every other label names
 * something a screen reader says (a control, the log, a group or list, a summary, a focusable
 * block, an image's alt text, a question's file or audio, their only text): blank, it is its default.
 */
const BLANKABLE = /^(you|assistant|typing|rest|stopped|failed|interrupted|lengthLimit|contentFilter|stepLimit|empty|toolStreaming|toolRunning|toolWaiting|toolDone|toolError|toolStopped|seconds|milliseconds|firstToken|tokensPerSecond|estimated|calls)$/;

/**
 * An element's UI strings: its `labels` over the defaults. A label left `undefined` (a translation
 * still missing) is the default, and so is one that names something, empty or of white space only
 * (see {@link BLANKABLE}).
 */
export function labelsOf(element: { labels: Partial<Labels> }): Labels {
  const labels: Labels = { ...DEFAULT_LABELS };
  for (const [key, label] of Object.entries(element.labels ?? {})) if (label != null && (typeof label == 'object' || BLANKABLE.test(key) || /\S/.test(label))) (labels as Record<string, unknown>)[key] = label;
  return labels;
}
