import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import type { Conversation } from '../core/conversation.js';
import { beyondText, isImageUrl, textOf } from '../core/protocol.js';
import type { ChatMessage, ContentPart, ServerTool, Source, Stats, ToolCall, ToolState } from '../core/types.js';
import type { BodyRenderer } from './body-renderer.js';
import { bidiOf, directionOf, fitTarget } from './composer.js';
import type { StreamedTurn } from './conversation-controller.js';
import type { Said } from './copy.js';
import { DEFAULT_LABELS, type CountLabel, type Labels } from './labels.js';
import { pieces } from './long-runs.js';

/** What the log's templates need besides the messages. */
export interface LogContext {
  readonly conversation: Conversation;
  readonly renderer: BodyRenderer;
  readonly labels: Labels;
  /** Stats under each answer. */
  readonly stats: boolean;
  /** The language the element is in (its `lang`, or its closest ancestor's), for the stats' numbers. */
  readonly lang: string | undefined;
  /** The question being edited, if any. */
  readonly editing: ChatMessage | undefined;
  /** What a message's Copy says: its label, or for a moment after a copy how it went. */
  said(message: ChatMessage): 'copy' | Said;
  /** Starter prompts shown while the conversation is empty. */
  readonly suggestions: readonly string[];
  /** The streamed nodes of a message, when it has them. */
  nodesOf(message: ChatMessage): StreamedTurn | undefined;
  /** Answers a failure cut short, once it ended, and those restored from storage that the page went away from while they streamed. */
  readonly interrupted: WeakSet<ChatMessage>;
  /** Answers restored from storage that were stopped (the conversation knows only its own stops). */
  readonly stopped: WeakSet<ChatMessage> | undefined;
  /** Answers of turns that `max-steps` ended (see LiveStatus), also restored ones. */
  readonly limited: WeakSet<ChatMessage>;
  /** The last messages of turns that ended with no answer to show, by why (see LiveStatus). */
  readonly empty: WeakMap<ChatMessage, string | null | typeof STOPPED>;
  /** The element's rendered answers, kept by message ({@link RenderedAnswers}). */
  readonly rendered: RenderedAnswers;
  /**
   * Groups may wait (see {@link FRESH}): the reader is at the log's end, which stays in view as
   * groups above fill (not so while reading above it: every group comes in one render).
   */
  readonly defer: boolean;
  /** Some groups wait: the log is to be rendered again in a later task. */
  later(): void;
}

/**
 * The rendered body of a complete answer (or its stretches around a provider's tools), kept per
 * message: Lit re-renders the log's template on every change, and a renderer that builds nodes
 * (Markdown) must not rebuild each message each time. Each element keeps its own: nodes are in one
 * place at a time, and an element's nodes must not keep it alive through the page's messages.
 */
export type RenderedAnswers = WeakMap<ChatMessage, { renderer: BodyRenderer; text: string; tools: ServerTool[] | undefined; value: unknown }>;

/**
 * Messages per group in the log (at least: a group ends with the turn that fills it; the responses
 * of an answer in several count each, its tool results not). Each group skips layout and paint
 * while out of view (`content-visibility: auto`), and Chromium checks the visibility of each such
 * box every frame: one box per turn made 500 earlier messages cost a millisecond per streamed frame.
 */
const GROUP_SIZE = 25;

/**
 * Answers rendered for the first time in one update, at most (but a group's own, up to 25): a
 * conversation restored or set whole shows its last groups at once, and those before them come in
 * later tasks, this many answers at a time (each a few tenths of a millisecond of Markdown), so a
 * long one never holds the page.
 */
const FRESH = 12;

/**
 * The log's content: every message but system prompts and the tool results shown with their call,
 * then the answer streaming now, in groups of {@link GROUP_SIZE}; with none of them, the empty
 * state (one template, not a list of groups).
 */
export function renderLog(context: LogContext): unknown[] | TemplateResult {
  const { conversation, labels } = context;
  const messages = conversation.messages;
  const draft = conversation.draft?.message;
  // The results a call's card shows; any other is shown on its own.
  const answers = new Set(messages.flatMap((message) => message.tool_calls?.map((call) => conversation.toolResult(call))));
  // Regenerate is on the answer to the last question only, or on that question when a stop left it
  // unanswered; not when the turn's first response failed: the error's Retry asks the same again
  // (after earlier steps, Retry keeps them and Regenerate does not).
  // (None without a question: a greeting alone has nothing to ask again.)
  const question = messages.findLastIndex((message) => message.role === 'user');
  const last =
    conversation.status === 'idle' &&
    // (Not when the turn's first response failed: no answer after the question but the failed
    // response's partial one; its tools' results, a system message the page put after it.)
    !(conversation.failure && messages.slice(question + 1).every((message) => message.role !== 'assistant' || message === conversation.failure!.partial)) &&
    question >= 0
      ? // (A question or an answer: not a tool result, nor a system message the page put after it.)
        messages.findLastIndex((message) => message.role === 'user' || message.role === 'assistant')
      : -1;
  const failed = conversation.failure && messages[question];
  // Each turn's messages, and its template to come, made only for the groups rendered now.
  const turns: Array<[Answer, () => TemplateResult]> = [];
  // An answer after another goes on with it (after its tools' results, shown in its cards; Anthropic
  // paused the turn; a retry() went on from a stopped one): one answer on screen, as peers show a
  // tool loop, with one speaker and one row.
  let answer: Answer | undefined;
  // (The answer streaming now last, at index `messages.length`.)
  (draft ? [...messages, draft] : messages).forEach((message, index) => {
    if (message.role === 'user') {
      answer = undefined;
      turns.push([[[message, index]], () => userTurn(message, index, context, message === failed, index === last)]);
    } else if (message.role === 'assistant') {
      if (answer) answer.push([message, index]);
      else {
        const parts: Answer = (answer = [[message, index]]);
        turns.push([parts, () => assistantTurn(parts, context, last)]);
      }
    } else if (message.role === 'tool' && !answers.has(message)) {
      answer = undefined;
      turns.push([
        [[message, index]],
        () => html`<div class="turn assistant" role="group" aria-label=${named(labels, 'assistant')}><span part="speaker" aria-live="off">${labels.assistant}</span><div part="tool-call">${resultDetails(message, labels, `tool-${index}`)}</div></div>`,
      ]);
    }
  });
  // Nothing shown (system prompts alone are sent, not shown): the empty state. (Actions find a
  // suggestion by its index, `data-index`.) The suggestions are not read out by the log as they
  // come (set later, a clear()), as no button that comes is; the page's empty message is.
  if (!turns.length) {
    return html`<div class="empty"
      ><slot name="empty"></slot
      >${context.suggestions?.length
        ? html`<div class="suggestions" role="group" aria-live="off" aria-label=${labels.suggestions}
            >${context.suggestions.map((text, index) => html`<button part="suggestion" dir="auto" data-action="suggest" data-index=${index}>${text}</button>`)}</div
          >`
        : nothing}</div
    >`;
  }
  // Into groups from the start, so that a group keeps its turns as more come.
  const chunks: Array<typeof turns> = [];
  let size = GROUP_SIZE;
  for (const turn of turns) {
    if (size >= GROUP_SIZE) chunks.push([]), (size = 0);
    chunks.at(-1)!.push(turn);
    size += turn[0].length;
  }
  // What a group's templates read besides its messages, and of each message what they show of it: a
  // group builds its templates again only when one of those changed (a render built every turn's,
  // and Lit compared them all: milliseconds at 1,000 turns, each render while an answer streams).
  // The answer streaming now, which changes with no render, is built at each.
  const { editing, limited, empty, interrupted } = context;
  const shared = [context.renderer, JSON.stringify(labels), context.stats, context.lang];
  const reads = ([message, index]: Answer[number]) => [
    // (The values it holds: a page may change any in place before a render, its text, a call's
    // arguments, a source, an image, a tool line.)
    ...held(message),
    index,
    message === draft && {},
    index === last,
    message === failed,
    message === editing,
    context.said(message),
    stoppedOf(message, context),
    interrupted.has(message),
    limited.has(message),
    empty.get(message),
    (limited.has(message) || empty.has(message) || stoppedOf(message, context)) && ends(conversation, index),
    conversation.finishReasonOf(message),
    conversation.statsOf(message),
    context.nodesOf(message),
    // (Its calls' results too, shown in their cards.)
    ...(message.tool_calls?.flatMap((call) => [conversation.toolState(call), ...held(conversation.toolResult(call))]) ?? []),
  ];
  const groups: unknown[] = [];
  // From the end: a group whose answers not rendered yet (or with another renderer: `format`,
  // `highlight` changed) would make more than FRESH with those after
  // it waits, empty, as do the groups before it (each keeps its index, so Lit keeps the nodes of
  // the others). The first group with such answers is always rendered: each update brings one more.
  let fresh = 0;
  for (let at = chunks.length; at--; ) {
    const group = chunks[at]!;
    const before = fresh;
    fresh += group
      .flatMap(([answer]) => answer)
      .filter(([message]) => message.role === 'assistant' && context.rendered.get(message)?.renderer !== context.renderer && context.nodesOf(message)?.renderer !== context.renderer).length;
    const waits = context.defer && before && fresh > FRESH;
    if (waits) context.later();
    groups[at] = guard([waits, ...shared, ...group.flatMap(([answer]) => answer.flatMap(reads))], () => html`<div class="turns">${waits ? nothing : group.map(([, turn]) => turn())}</div>`);
  }
  return groups;
}

/**
 * `value` and the values it holds, four deep (a message's, for the log's groups: its calls'
 * arguments, its parts' image addresses are four deep). Not further: a page's own field of a message
 * may hold a cycle (which no request reads), and followed, it took the log down.
 */
const held = (value: unknown, into: unknown[] = [], depth = 4): unknown[] => {
  into.push(value);
  if (value && typeof value == 'object' && depth) for (const each of Object.values(value)) held(each, into, depth - 1);
  return into;
};

/**
 * A question; the last one, unanswered (its answer stopped before any of it came), has Regenerate too.
 * Each turn is a group named by its speaker: a screen reader says whose message a button is in as
 * focus moves into it (twenty messages' Copy otherwise said "Copy, button" alike).
 */
function userTurn(message: ChatMessage, index: number, context: LogContext, failed: boolean, last: boolean): TemplateResult {
  const { labels } = context;
  const text = textOf(message.content).trim();
  // A message's actions (an answer's too), shown on hover and focus (always on touch); `data-index`
  // is the message's index. Their buttons, as the log's others, need no `type="button"`: they are in
  // no form (a page's form does not reach into the shadow root); the edit form's Cancel is the one that does.
  return html`<div class="turn user" role="group" aria-label=${named(labels, 'you')} aria-live="off">
    <span part="speaker">${labels.you}</span
    >${context.editing === message
      ? html`<form class="edit" data-index=${index}>
          <textarea part="edit-input" class=${bidiOf(text)} dir=${directionOf(text)} placeholder=" " aria-label=${labels.edit} .value=${textOf(message.content)} @input=${fitTarget}></textarea>
          <div part="actions" class="actions">
            <button type="button" part="action cancel" data-action="cancel">${labels.cancel}</button>
            <button part="action save">${labels.save}</button>
          </div>
        </form>`
      : // Of no text but white space, and nothing else, no bubble; of no such text, no Copy (it copied
        // nothing, or white space), as an answer of none.
        html`<div part="message user" dir=${dirOf(text)} ?hidden=${!text && !beyondText(message.content)}>${content(message.content, labels)}</div>
          ${failed ? marker('failed', labels.failed) : nothing}${emptyMarker(message, index, context)}
          ${context.interrupted.has(message) ? marker('interrupted', labels.interrupted) : nothing}
          <div part="actions" class="actions" aria-live="off"
            >${text ? copyButton(message, index, context) : nothing}<button part="action edit" data-action="edit" data-index=${index}>${labels.edit}</button
            >${last ? html`<button part="action regenerate" data-action="regenerate">${labels.regenerate}</button>` : nothing}</div
          >`}
  </div>`;
}

/** Whether `message` was stopped: by this conversation, or restored in storage's `stopped` list. */
const stoppedOf = (message: ChatMessage, { conversation, stopped }: LogContext): boolean => conversation.wasStopped(message) || !!stopped?.has(message);

/**
 * Whether the last answer has Retry: restored from a reload that cut its turn short after its tools
 * ran (or after Anthropic paused it: its blocks came whole), stopped there (a tool of it ran;
 * restored too), or that `max-steps` stopped: it goes on from their results (Regenerate asks again,
 * and the tools run again: an email sent twice).
 */
const goesOn = (message: ChatMessage, context: LogContext): unknown =>
  ((message.tool_calls || message.content_blocks) && context.interrupted.has(message)) ||
  context.limited.has(message) ||
  (stoppedOf(message, context) &&
    (message.tool_calls?.length ? message.tool_calls.some((call) => context.conversation.toolState(call) != 'stopped') : message.content_blocks));

/**
 * A message's Copy, by the message's index: as wide as the widest of what it says (its labels
 * reserved as Send's are): "Copied", wider than "Copy", took Regenerate to a line of its own.
 */
const copyButton = (message: ChatMessage, index: number | undefined, { labels, said }: LogContext): TemplateResult =>
  html`<button part="action copy-message" data-action="copy" data-index=${index}><span data-other=${`${labels.copied}\n${labels.copyFailed}`}>${labels[said(message)]}</span></button>`;

/**
 * A message's `dir`: its first letter's (`auto`) where it has one, or while a refusal streams (no
 * render comes with a letter that streams in later; an answer's renders again: see the controller's
 * `lettered`); else none, the element's: `auto` read a `42` or a `👍` with no letter left to right,
 * at the left of a right-to-left chat.
 */
const dirOf = (text: string, streaming?: boolean) => (streaming || directionOf(text) ? 'auto' : nothing);

/**
 * A turn's group is named by its speaker without the colon its spoken text ends with, and any space (that text is
 * read before the message): "You, group", not "You:, group"; French writes "Vous :", Chinese "你：".
 * A speaker a page blanked (an avatar in its place) names its groups by its default.
 */
const named = (labels: Labels, speaker: 'you' | 'assistant'): string => (/\S/.test(labels[speaker]) ? labels[speaker] : DEFAULT_LABELS[speaker]).replace(/\s*[:：]?\s*$/, '');

/** The responses of one answer on screen, each with its index in `messages` (the draft's, its length). */
export type Answer = Array<[message: ChatMessage, index: number]>;

/**
 * An answer's turn: its responses, then one row of actions (Copy copies them all, by the last's
 * index; Regenerate and Retry are on the last answer). `last` is the last answer's index.
 */
function assistantTurn(answer: Answer, context: LogContext, last: number): TemplateResult {
  const { labels } = context;
  const end = answer.at(-1)![0];
  // While a response streams, the row is the responses' before it (the same Copy: one focused in a
  // tool loop keeps focus as the next step streams), or empty: its buttons come without moving anything.
  const done = end === context.conversation.draft?.message ? answer.slice(0, -1) : answer;
  const [message, index] = done.at(-1) ?? [];
  if (message) copied.set(message, done);
  return html`<div class="turn assistant" role="group" aria-label=${named(labels, 'assistant')}>
    <span part="speaker" aria-live="off">${labels.assistant}</span>
    ${answer.map(([each, at]) => response(each, context, at, each === end))}
    ${message
      ? html`<div part="actions" class="actions" aria-live="off"
          >${done.some(([each]) => copiedTexts(each).length) ? copyButton(message, index, context) : nothing}${index === last && goesOn(message, context)
            ? html`<button part="action retry" data-action="retry">${labels.retry}</button>`
            : nothing}${index === last ? html`<button part="action regenerate" data-action="regenerate">${labels.regenerate}</button>` : nothing}</div
        >`
      : html`<div class="actions pending" aria-live="off"></div>`}
  </div>`;
}

/** The responses each answer's Copy copies, by the last one's message: those its group shows (see {@link renderLog}). */
export const copied = new WeakMap<ChatMessage, Answer>();

/**
 * What Copy copies of one response, as it is shown: its stretches (split where a provider's tool
 * ran), its sources and its refusal; with `markdown`, the sources as a list of Markdown links, the
 * refusal escaped (the text it is), and otherwise, as a plain-text chat shows them, each source as
 * its title then its URL (its URL alone where that is all it shows: no title, or its URL as one),
 * the refusal as sent. Those of only white space, not shown, are left out (a model's "\n\n" before
 * its calls came first: a step that only called tools copies nothing), and so are the blank lines
 * each starts with (not its first line's indent: an indented code block) and the white space it
 * ends with.
 */
export function copiedTexts(message: ChatMessage, markdown?: boolean): string[] {
  const text = textOf(message.content);
  const texts: string[] = [];
  let from = 0;
  for (const tool of message.server_tools ?? []) texts.push(text.slice(from, (from = tool.at)));
  // A link's text and URL escaped where Markdown would read them otherwise: a title's brackets ended
  // the link, its stars were emphasis, its "&amp;" was "&", its blank line or a line of "- " ended
  // it (its lines are shown as one); a URL's space ended it (a browser sends it as %20 too; in
  // plain text, a space ends a URL that a chat or a mail links).
  const refusal = message.refusal ?? '';
  texts.push(
    text.slice(from),
    linksOf(message)
      ?.map(({ url, title }) => {
        const shown = title.replace(/[\n\r]/g, ' ');
        const href = url.replace(/\s/g, encodeURI);
        return markdown ? `- [${escaped(shown)}](${href.replace(/[\\()&]/g, '\\$&')})` : title != url ? `${shown} (${href})` : href;
      })
      .join('\n') ?? '',
    // (Pasted as sent, the model's words were a heading, a list, emphasis, a link.) Trimmed first:
    // escaped, each line break it ends with was a hard break, and the last one a backslash shown.
    markdown ? escaped(trimmed(refusal)) : refusal,
  );
  return texts.filter((text) => text.trim()).map(trimmed);
}

/**
 * Text without the blank lines it starts with and the white space it ends with. (trimEnd, not
 * /\s+$/, which tried each space of a run up to its end: a render took 1 s for an answer with a run
 * of 40,000 inside it, as the Copy's condition runs this at each.)
 */
export const trimmed = (text: string): string => text.replace(/^\s*\n/, '').trimEnd();

/**
 * Text escaped where Markdown would read it as marks: a star emphasis, a bracket a link, `<b>` or
 * `&amp;` HTML, and where a line starts "# " a heading, "- " or "1. " a list, "> " a quote, a line of
 * "---" the one above a heading, one of ":--" (or "|", "-") under one of "|" a table. The spaces and
 * tabs a line starts with left out, as Markdown shows none of them: four, or a tab, made the line a
 * code block that showed the escapes. (Spaces and tabs, not `\s`: from each of a run of line breaks,
 * `\s*` tried every one after it.) Each line break is a hard one, as each line is shown on its own,
 * a blank one too (a line of a backslash alone): a single line break joined the lines into one, and
 * a run of blank lines was one paragraph break. (No line breaks at its end: see copiedTexts.)
 */
const escaped = (text: string): string => text.replace(/[\\`*_~[\]<&]/g, '\\$&').replace(/^[ \t]+/gm, '').replace(/^\d*(?=[#>+:=|.)-])/gm, '$&\\').replace(/\r?\n/g, '\\$&');

/**
 * The links a response cites, each once: http(s), mailto and tel only, as in Markdown, and none
 * holding a bidi control, which would show an untitled one's URL as another. Each URL once (a
 * restored message may hold one twice): the first, with the title it shows, its own or, where it
 * has none or one of white space and characters that take no room alone (a zero-width space, a bidi
 * mark: Unicode's default ignorable ones, which `trim()` keeps), its URL (such a title showed a link
 * of no width, and was copied as `[](url)`).
 */
const linksOf = (message: ChatMessage): Required<Source>[] | undefined =>
  message.sources
    ?.filter((source, at, all) => /^(?:https?|mailto|tel):[^\u202a-\u202e\u2066-\u2069]*$/i.test(source.url) && all.findIndex((each) => each.url === source.url) === at)
    .map(({ url, title }) => ({ url, title: title?.match(/[^\s\p{DI}]/u) ? title : url }));

/**
 * One template for a streaming and a complete response, so that when the stream ends Lit keeps
 * the same nodes. Reasoning is open while the model thinks and folds away when the answer starts
 * (not when a turn ends in it: cut, stopped or failed, it is all there is); Lit only writes `open`
 * when that changes, so a reader's own toggling is kept. Only the `end` of
 * an answer has its stats line (a stopped answer gone on with had a line between its parts).
 */
function response(message: ChatMessage, context: LogContext, index: number, end: boolean): TemplateResult {
  const { conversation, labels } = context;
  const streaming = conversation.draft?.message === message;
  const nodes = context.nodesOf(message);
  const text = textOf(message.content);
  // Text of only white space (a model's "\n\n" before its calls or its text) is none yet: no
  // bubble, and while it streams, the reasoning open or the typing dots. (Once text after it comes,
  // the controller renders again: that text streams into the nodes with no render.) A call ends
  // the thinking too, and a refusal. Reasoning stays open while nothing follows it, so an answer
  // cut while its model thinks keeps it open (or as its reader left it).
  const said = text.trim();
  const open = !said && !message.tool_calls && !message.refusal;
  const thinking = streaming && open;
  const stats = end && context.stats && conversation.statsOf(message);
  // What streams is not read out as it grows (each frame would be), nor once whole: the element's
  // status region says the answer then. `aria-busy` alone does not hold a live region's descendants.
  // (When the off went with the last frame, the log read the blocks that frame built again, twice.)
  // Nor its speaker (the status region says a turn started; a conversation set whole was read as
  // "Assistant:" once per answer), nor the reasoning's summary as it changes.
  const busy = streaming ? 'true' : nothing;
  // The marker of an answer cut short: by the provider, or by `max-steps` while no answer goes on
  // from it (none after its tool results, none coming). (Restored, an answer with nothing to show
  // has its finish reason in `empty` alone: marked as it was shown.)
  const cut = context.limited.has(message) && ends(conversation, index) ? labels.stepLimit : cutLabel(conversation.finishReasonOf(message) ?? context.empty.get(message), labels);
  // The links it cites, under it. (A title or URL cut as the answer's text is, {@link pieces}: a run
  // of 20,000 letters in one took Chromium seconds to lay out.)
  const links = linksOf(message);
  return html`${message.reasoning
      ? html`<details part="reasoning" ?open=${open} aria-live="off">
          <summary>${thinking ? labels.thinking : labels.reasoning}</summary>
          <div><div class="reasoning-text" dir="auto">${nodes?.reasoning.root ?? pieces(message.reasoning)}</div></div>
        </details>`
      : nothing}
    ${thinking && !(message.reasoning || message.refusal || message.server_tools)
      ? html`<div part="typing" aria-hidden="true"><span></span><span></span><span></span></div>`
      : nothing}
    <div part="message assistant" dir=${streaming && !nodes?.lettered ? nothing : dirOf(text)} aria-busy=${busy} aria-live="off" ?hidden=${!said && !message.server_tools}>${answer(message, text, nodes, context, streaming)}</div>
    ${links?.length
      ? // (Not read out as it grows, as the answer is not: the log read its titles before the answer.)
        // (In the element's direction, as the row of actions: dir="auto" on the list put them in the order its first title reads.)
        html`<ul part="sources" aria-label=${labels.sources} aria-live="off">${links.map(
          (source) => html`<li><a href=${source.url} dir="auto" target="_blank" rel="noopener noreferrer">${pieces(source.title)}</a></li>`,
        )}</ul>`
      : nothing}
    ${message.tool_calls?.map((call, at, calls) => toolCall(call, conversation, nodes, labels, `tool-${index}-${at}`, !at, !calls[1]))}
    ${message.refusal
      ? html`<div part="message assistant refusal" dir=${dirOf(message.refusal, streaming)} aria-live="off">${nodes?.refusal.root ?? pieces(message.refusal)}</div>`
      : nothing}
    ${stoppedOf(message, context) && ends(conversation, index) ? stoppedMarker(labels) : nothing}
    ${cut
      ? // (Not read out by the log: the status region says it, after the answer.)
        marker('cut', cut)
      : emptyMarker(message, index, context)}
    ${context.interrupted.has(message) ? marker('interrupted', labels.interrupted) : nothing}
    ${stats ? html`<div part="stats" aria-busy=${busy} aria-live="off">${streaming && nodes ? nodes.stats : formatStats(stats, labels, context.lang)}</div>` : nothing}`;
}

/**
 * Whether the turn still ends at the message at `index`: no answer goes on from it, none after it
 * (after its tools' results) and none streaming from it (a retry or a regenerate under way).
 */
const ends = ({ messages, status }: Conversation, index: number): boolean => {
  const next = messages.slice(index + 1).find((each) => each.role !== 'tool');
  return next ? next.role !== 'assistant' : status === 'idle';
};

/**
 * The marker of a turn that ended with no answer to show, under its last message (at `index`): why
 * the provider cut it short (its length limit, its content filter), or that it was empty. (Said by
 * the status region, as `cut`.) Not once an answer follows it (after its tools' results): a page's
 * own, set in `messages`; nor while one streams from it.
 */
function emptyMarker(message: ChatMessage, index: number, { conversation, empty, labels }: LogContext): unknown {
  const why = empty.get(message);
  return empty.has(message) && ends(conversation, index)
    ? why === STOPPED
      ? stoppedMarker(labels)
      : marker('empty', cutLabel(why, labels) ?? labels.empty)
    : nothing;
}

/**
 * Why a turn ended with no answer to show, in `empty` (LiveStatus's), when it was stopped before any
 * of its answer came: a value no finish reason can be (a provider's is text, or none; this was
 * "aborted", which a provider's could be). With `storage-key`, stored in the list of stopped answers.
 */
export const STOPPED = true;

/** The marker of an answer stopped, or of a question whose answer was stopped before any of it came. */
const stoppedMarker = (labels: Labels) => marker('stopped', labels.stopped);

/**
 * A note under a message, its part `marker` and `kind`; none when the page blanked its text (an empty
 * span was a box a page's `::part(marker)` border or padding drew). Not read out by the log.
 */
const marker = (kind: string, text: string) => (/\S/.test(text) ? html`<span part="marker ${kind}" aria-live="off">${text}</span>` : nothing);

/** A tool call's state in words: its label is its name after `tool` (`running`: `toolRunning`). */
export const toolWords = (state: ToolState | undefined, labels: Labels): string | undefined =>
  state && labels[`tool${state[0]!.toUpperCase()}${state.slice(1)}` as `tool${Capitalize<ToolState>}`];

/** Each streamed card's state, its words and whether its head was live, at its last render. */
const heads = new WeakMap<ToolCall, [state: ToolState | undefined, words: string | undefined, live: boolean]>();

/**
 * A tool call's card: the tool's name and state, its arguments (as they stream, then
 * pretty-printed), and its result folded away. The state is text: the log announces its changes,
 * with the tool's name (the head is atomic: "time_in Done", not a bare "Done"), on an answer
 * streamed here (it has `nodes`); not the cards of a conversation set or restored whole, nor a
 * stop (or a cut), which the status region says once: "Stopped" was heard from each card too; nor
 * its words changed alone (see {@link heads}).
 *
 * The arguments and the result are scrollers some lines tall (see the styles), groups described,
 * not named, by the tool's name and the result's summary: the text just before each, which a
 * name would have a screen reader say twice, entering them as it reads. They are
 * watched by FollowEnd, which makes one a tab stop while what it holds is taller than it, so that a
 * keyboard scrolls it, and not otherwise. Until it is laid out it is one, as a code block is (see the
 * Markdown renderer): under `content-visibility: auto`, Tab may reach it first.
 *
 * Its `id` (the name's; the result's summary's is `id` and "-result") is made of the call's place,
 * its message's index and its own: unique in the element's root, where a page that put one message
 * object in `messages` twice had two cards of one id (the second's scrollers described by the
 * first's name), and the same at each render, so that Lit writes it once, not at each frame.
 */
function toolCall(call: ToolCall, conversation: Conversation, nodes: StreamedTurn | undefined, labels: Labels, id: string, first: boolean, alone: boolean): TemplateResult {
  const state = conversation.toolState(call);
  const result = conversation.toolResult(call);
  // No whitespace between the nodes: the card's text is its name, state, arguments and result.
  // The card in the page's direction (not its name's); its name and arguments are code (see the styles).
  const words = toolWords(state, labels);
  // Live from a change of state until its words change alone (labels set later, a page switching
  // its language), which the log read again for every card. Of calls made together, only the first
  // as it streams: the status region says them all once they have their results (twenty parallel
  // calls were 60 announcements).
  const seen = nodes && heads.get(call);
  const live = !!nodes && state != 'stopped' && (alone || state == 'waiting' || (first && state == 'streaming')) && (!seen || seen[0] != state || (seen[1] == words && seen[2]));
  if (nodes) heads.set(call, [state, words, live]);
  return html`<div part="tool-call" class=${state ?? ''}
    ><div class="tool-head" aria-atomic="true" aria-live=${live ? nothing : 'off'}
      ><span part="tool-name" id=${id}>${call.function.name}</span
      >${state ? html`<span part="tool-state">${words}</span>` : nothing}</div
    ><pre part="tool-arguments" aria-live="off" tabindex="0" role="group" aria-describedby=${id}
      >${state === 'streaming' && nodes ? nodes.argumentsOf(call).root : pieces(pretty(call, call.function.arguments) ?? call.function.arguments)}</pre
    >${result ? resultDetails(result, labels, `${id}-result`, id) : nothing}</div
  >`;
}

/**
 * A result, folded away; `id` is its summary's (see {@link toolCall}), described by its tool's name
 * (the element of id `name`), so that ten Result toggles are not ten alike as focus meets them.
 */
function resultDetails(result: ChatMessage, labels: Labels, id: string, name?: string): TemplateResult {
  const text = result.content;
  // JSON is code, left to right as the arguments are; text takes its own direction.
  const json = typeof text === 'string' && pretty(result, text);
  return html`<details part="tool-result" aria-live="off"><summary id=${id} aria-describedby=${name ?? nothing}>${labels.result}</summary><pre dir=${json ? 'ltr' : 'auto'} tabindex="0" role="group" aria-describedby=${id}>${typeof text == 'string' ? lines(result, json || text) : content(text, labels)}</pre></details>`;
}

/** What {@link lines} made of a result's text, by result. */
const blocked = new WeakMap<object, [text: string, made: unknown]>();

/**
 * What `make` makes of `text`, once per text of `of` (a call, a result), kept in `cache`: the log
 * renders again several times a step. (None made where the text and the one kept both are none.)
 */
const once = <T>(cache: WeakMap<object, [text: string, made: T]>, of: object, text: string, make: (text: string) => T): T | undefined => {
  let made = cache.get(of);
  if (made?.[0] !== text) cache.set(of, (made = [text, make(text)]));
  return made?.[1];
};

/**
 * A result's text: over 20,000 characters, in blocks of 200 lines (`div`s, class `lines`, between
 * them the "\n" that ended each, as renderers/text.ts's textBlocks has them: copied, the text), which
 * skip layout out of view (`content-visibility: auto`): a 1.8 MB result of 160k lines took Chromium
 * 1.4 to 3 s to lay out as it opened, its blocks 40 to 90 ms. Once per text of the result: the log
 * renders it again at each change.
 */
function lines(of: object, text: string): unknown {
  if (text.length <= 2e4) return pieces(text);
  return once(blocked, of, text, () => {
    const all = text.split('\n');
    const blocks = [];
    // (A block ends on a line of text: a blank last line, a "\n" that ends its block, would not show.)
    for (let at = 0, end = 0; at < all.length; at = end) {
      for (end = at + 200; end < all.length && !all[end - 1]; ) end++;
      if (at) blocks.push('\n');
      blocks.push(html`<div>${pieces(all.slice(at, end).join('\n'))}</div>`);
    }
    return html`<div class="lines">${blocks}</div>`;
  });
}

/**
 * Takes the UI inside a copy of rendered message content out of it (code headers and their Copy
 * buttons, a provider's tool lines, our attributes, Lit's comment markers): what Copy
 * takes as HTML and a screen reader is told.
 */
export function withoutUi<T extends Node & ParentNode>(copy: T): T {
  for (const ui of copy.querySelectorAll('[part~=code-header],[part~=server-tool]')) ui.remove();
  // Our attributes, not the answer's markup: a scroller's tab stop and its group ("js") in the
  // document it is pasted in, the parts our styles find, the classes of our divs (the root and its
  // groups of blocks) and of the highlighter's spans (a document's own styles may hold `comment`), the
  // sources' name and live region, a task's checkbox's name (its item's text), a link's new tab and
  // its `rel` and an image's `referrerpolicy` (plain in the document it is pasted in, as its author's
  // own are). What the Markdown means stays: a code block's language class, on its `code`; a link's
  // address and title, an image's too, a task's state, a list's start. (Table cells are aligned
  // first: see `aligned`.)
  for (const node of copy.querySelectorAll(':not(code)')) for (const name of 'part role aria-label aria-live tabindex class target rel referrerpolicy'.split(' ')) node.removeAttribute(name);
  // (128: NodeFilter.SHOW_COMMENT, a number as Lit writes its own filters; the name cost 18 bytes of gzip.)
  const comments = document.createNodeIterator(copy, 128);
  for (let comment; (comment = comments.nextNode()); ) (comment as Comment).remove();
  return copy;
}

/**
 * A document with no window, to build copies of rendered content in: nothing loads there. An image
 * copied in the page's own was fetched again where it was not kept (one that failed), and without
 * its `referrerpolicy` (withoutUi takes it off), with the page's address as its Referer.
 */
export const inert = (): Document => document.implementation.createHTMLDocument('');

/**
 * Rendered message content as text to be read out: each block on a line, table cells apart. Only
 * about its first `limit` characters are copied (whole children while they fit, then the one that
 * does not, the same way), so a long answer costs no more than a short one; `cut` says whether
 * some were left out.
 */
export function spoken(root: Node, limit: number): { text: string; cut: boolean } {
  let cut = false;
  const into = inert();
  const copy = (node: Node, budget: number): Node => {
    const clone = into.importNode(node);
    for (const child of node.childNodes) {
      if (budget <= 0) {
        cut = true;
        break;
      }
      const length = child.textContent!.length;
      clone.appendChild(length > budget ? copy(child, budget) : into.importNode(child, true));
      budget -= length;
    }
    return clone;
  };
  const blocks = withoutUi(copy(root, limit) as Element);
  // A block starts a line too: a tight list item's text ran into the list nested in it. A cell ends
  // with a space, and an image (with `images`) is said by its alt text, as it shows without.
  for (const block of blocks.querySelectorAll('h1,h2,h3,h4,h5,h6,p,li,th,td,pre,tr,div,img')) block.matches('th,td,img') ? block.append((block as HTMLImageElement).alt ?? ' ') : (block.append('\n'), block.prepend('\n'));
  return { text: blocks.textContent!.replace(/\n\s*\n/g, '\n').trim(), cut };
}

/** The language `element` is in: its `lang`, or its closest ancestor's, across shadow roots as `lang` is inherited. */
export function langOf(element: Element | undefined): string | undefined {
  for (; element; element = (element.getRootNode() as ShadowRoot).host) {
    const lang = element.closest('[lang]')?.getAttribute('lang');
    if (lang != null) return lang;
  }
}

/** `text` where `label` says `{n}`, else after it (`first`) or before it, a space between; alone where the label is blank. */
const put = (label: string, text: string, first?: unknown) => (label.includes('{n}') ? label.split('{n}').join(text) : !/\S/.test(label) ? text : first ? `${label} ${text}` : `${text} ${label}`);

/**
 * `value` said with `label` (see {@link put}), as `lang` writes it, in the form the label has for
 * its plural category in `lang` (`5 tokenów/s`, `2 tokeny/s`; `1.0` is "seconds" in English).
 */
export function counted(label: CountLabel, value: number, lang: string | undefined, digits = 0): string {
  const known = knownLang(lang);
  const options = { minimumFractionDigits: digits, maximumFractionDigits: digits };
  // A page's forms without `other` in plain JS: the number alone, not a failed render.
  const form = typeof label == 'string' ? label : (label[new Intl.PluralRules(known ?? 'en', options).select(value)] ?? label.other ?? '{n}');
  return put(form, known ? value.toLocaleString(known, options) : value.toFixed(digits));
}

/**
 * `lang` where the page says its language and the browser knows it, else none: the browser's own
 * would write `1,4 s` among English labels. (A tag that is no language throws.)
 */
export function knownLang(lang: string | undefined): string | undefined {
  try {
    if (lang && Intl.NumberFormat.supportedLocalesOf(lang).length) return lang;
  } catch {}
}

/**
 * The stats under an answer: `1.4 s · first token 320 ms · 41 tokens/s (estimated)`, each number
 * {@link counted}; the tokens/s go where `estimated` says `{n}` (`{n}（推定）`), else it follows
 * them after a space.
 */
export function formatStats(stats: Stats, labels: Labels, lang: string | undefined): string {
  return [
    counted(labels.seconds, stats.totalMs / 1000, lang, 1),
    stats.firstTokenMs != null && put(labels.firstToken, counted(labels.milliseconds, stats.firstTokenMs, lang), 1),
    stats.tokensPerSecond != null && put(stats.estimated ? labels.estimated : '{n}', counted(labels.tokensPerSecond, stats.tokensPerSecond, lang)),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** `JSON.rawJSON`, which writes a number as its source text (current Chrome, Firefox and Safari have it). */
const raw = (JSON as { rawJSON?: (text: string) => unknown }).rawJSON;
/**
 * A number whose value parsing would change (an exponent, 1e400 made null; 16 digits or more,
 * rounded), or text that looks like one: a reviver makes the parse 6 to 30 times slower (a 0.8 MB
 * result of numbers, 40 to 80 ms, took 400 to 700 in Chromium), so it is used only then.
 */
const LOSSY = /\d[eE]|(\d\.?){16}/;

/** What {@link pretty} made of a call's arguments or a result's text, by call or result (JSON, or none). */
const indented = new WeakMap<object, [text: string, pretty: string | undefined]>();

/**
 * JSON indented for reading (never empty), as it came where the indent would add over 8 times its
 * length and 10,000 characters (see {@link indentOf}); anything else, none. Once per text of `of` (a
 * call, a result): the log is rendered again several times a step, and a loop of 50 steps with 30 KB
 * arguments spent 19 s of its 27 in parsing and indenting them again. In a text where a number's
 * value would change (see {@link LOSSY}), every number as it was written, if the browser has
 * `JSON.rawJSON`: parsed, an id past 2^53 showed rounded (a digit the model never sent), `1e400` as
 * `null`; elsewhere parsed as before (`1.50` as `1.5`, `-0` as `0`: the same values).
 */
function pretty(of: object, text: string): string | undefined {
  return once(indented, of, text, () => {
    try {
      const value = JSON.parse(text, raw && LOSSY.test(text) ? (_, value, context?: { source: string }) => (typeof value == 'number' ? raw(context!.source) : value) : undefined);
      return indentOf(text) <= 8 * text.length + 1e4 ? JSON.stringify(value, null, 2) : text;
    } catch (error) {
      // JSON deeper than the reviver's recursion goes (JSON.parse alone reads it; a RangeError, in
      // Firefox an InternalError): too deep to indent. Not JSON is a SyntaxError.
      return error instanceof SyntaxError ? undefined : text;
    }
  });
}

/**
 * The spaces an indent of 2 adds to JSON `text`, about (an empty `[]` adds none, not a line): each
 * bracket and comma starts a line as deep as it is. It grows with the square of the depth: nested
 * thousands deep (`[[[…]]]`, a model looping on a bracket), 8 KB of arguments were 32 MB indented,
 * which froze the page for 26 s as Chromium laid them out; JSON as deep as that shows as it was sent.
 */
function indentOf(text: string): number {
  let depth = 0;
  let spaces = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    // (A string's brackets and commas are its text. Valid JSON: each string ends.)
    if (char == '"') while (text[++at] != '"') text[at] == '\\' && at++;
    else if (char == '[' || char == '{') spaces += ++depth;
    else if (char == ']' || char == '}') spaces += --depth;
    else if (char == ',') spaces += depth;
  }
  return 2 * spaces;
}

/**
 * `suggestions` as a list: one string (a framework's prop given one) is a list of one. Blank ones
 * (a list split from text that ends with its separator) are left out: a button with no name.
 */
export const suggestionsOf = (suggestions: readonly string[] | string): readonly string[] => (typeof suggestions == 'string' ? [suggestions] : suggestions)?.filter((text) => /\S/.test(text));

/**
 * A message's content as nodes: text as text (its long runs cut: {@link pieces}), images (http(s),
 * `data:image/*`) as thumbnails, a file as its name (one without, and audio, as their labels), as
 * text cut the same way (a name of 20,000 letters took Chromium seconds to lay out).
 */
function content(value: ChatMessage['content'], labels: Labels): unknown {
  if (!Array.isArray(value)) return pieces(value);
  return value.map((part: ContentPart) => {
    if (part.type === 'text') return pieces(part.text);
    if (part.type === 'image_url' && isImageUrl(part.image_url?.url)) {
      return html`<img part="image" src=${part.image_url.url} alt=${labels.image} loading="lazy" referrerpolicy="no-referrer" />`;
    }
    if (part.type === 'file' || part.type === 'input_audio') {
      // (Storage keeps a name only as text: see persistence's isMessage.) Of its own direction, as
      // the question's is its text's, not a name's before it.
      return html`<span part="file" dir="auto">${pieces((part.type === 'file' ? part.file?.filename : labels.audio) || labels.file)}</span>`;
    }
    return nothing;
  });
}

/**
 * An answer's body. With the provider's own tool runs (web search, code execution, …), its text in
 * stretches, each a body of its own, with a status line (`part="server-tool"`) where each tool ran.
 */
function answer(message: ChatMessage, text: string, streamed: StreamedTurn | undefined, { renderer, rendered }: LogContext, streaming: boolean): unknown {
  const tools = message.server_tools;
  // Once streamed, with another renderer since (`format`, `images`, `highlight`, labels): rendered again.
  const nodes = streaming || streamed?.renderer === renderer ? streamed : undefined;
  // Rendered once per message, text, provider's tools and renderer.
  const kept = <T>(render: () => T): T => {
    let entry = rendered.get(message);
    if (entry?.renderer !== renderer || entry.text !== text || entry.tools !== tools) rendered.set(message, (entry = { renderer, text, tools, value: render() }));
    return entry.value as T;
  };
  if (!tools) return nodes ? nodes.bodies[0]!.root : kept(() => renderer.render(text));
  const items: Array<ServerTool | [from: number, to: number]> = [];
  let from = 0;
  for (const tool of [...tools, { at: text.length }]) {
    if (tool.at > from) items.push([from, (from = tool.at)]);
    if ('name' in tool) items.push(tool);
  }
  const bodies = nodes ? nodes.bodies.map((each) => each.root) : kept(() => items.flatMap((item) => (Array.isArray(item) ? [renderer.render(text.slice(...item))] : [])));
  let stretch = 0;
  // The name and the query each in its own direction, which the message's dir="auto" skips: the
  // answer's words give it its direction (the English name, "web search", was an Arabic answer's
  // first letter: its lists were left to right).
  // (The space between a tool's name and its detail is an expression's: the CDN build's minifier
  // takes one at a template's start.) Both cut as the answer's text is ({@link pieces}): a name or
  // a detail (a search query) of 20,000 letters took Chromium seconds to lay out.
  return items.map((item) =>
    Array.isArray(item)
      ? bodies[stretch++]
      : html`<div part="server-tool"><span part="server-tool-name" dir="auto">${pieces(serverToolName(item))}</span>${item.detail ? html`${' '}<span dir="auto">${pieces(item.detail)}</span>` : nothing}</div>`,
  );
}

/** A provider's tool as its line names it: `web_search` is "web search". */
export const serverToolName = (tool: ServerTool): string => tool.name.replaceAll('_', ' ');

/**
 * What an answer the provider cut short says of it: at its length limit, or by its content filter
 * (blank, if the page blanked it: said in place of the empty answer's marker all the same);
 * otherwise `undefined`.
 */
export function cutLabel(reason: string | null | typeof STOPPED | undefined, labels: Labels): string | undefined {
  return reason === 'length' ? labels.lengthLimit : reason === 'content_filter' ? labels.contentFilter : undefined;
}
