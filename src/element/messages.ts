import { html, nothing, type TemplateResult } from 'lit';
import type { Conversation } from '../core/conversation.js';
import type { ChatMessage, ContentPart, ToolCall, ToolState } from '../core/types.js';
import type { BodyRenderer } from './body-renderer.js';
import type { StreamedTurn } from './conversation-controller.js';

/** What the log's templates need besides the messages. */
export interface LogContext {
  readonly conversation: Conversation;
  readonly renderer: BodyRenderer;
  /** The streamed nodes of a message, when it has them. */
  nodesOf(message: ChatMessage): StreamedTurn | undefined;
  /** Answers restored from storage that the page went away from while they streamed. */
  readonly interrupted: WeakSet<ChatMessage>;
}

/**
 * Turns per group in the log. Each group skips layout and paint while out of view
 * (`content-visibility: auto`), and Chromium checks the visibility of each such box every frame:
 * one box per turn made 500 earlier messages cost a millisecond per streamed frame.
 */
const GROUP_SIZE = 25;

/**
 * The log's content: every message but system prompts and the tool results shown with their call,
 * then the answer streaming now, in groups of {@link GROUP_SIZE}.
 */
export function renderLog(context: LogContext): TemplateResult[] {
  const { conversation } = context;
  const messages = conversation.messages;
  const calls = new Set<string>();
  for (const message of messages) for (const call of message.tool_calls ?? []) calls.add(call.id);
  const draft = conversation.draft?.message;
  const failed = conversation.failure && messages.findLast((message) => message.role === 'user');
  const turns: TemplateResult[] = [];
  for (const message of messages) {
    if (message.role === 'user') turns.push(userTurn(message, message === failed));
    else if (message.role === 'assistant') turns.push(assistantTurn(message, context));
    else if (message.role === 'tool' && !(message.tool_call_id && calls.has(message.tool_call_id))) turns.push(html`<div class="turn assistant"><div part="tool-call" dir="auto">${resultDetails(message)}</div></div>`);
  }
  if (draft) turns.push(assistantTurn(draft, context));
  const groups: TemplateResult[] = [];
  for (let at = 0; at < turns.length; at += GROUP_SIZE) {
    groups.push(html`<div class="turns">${turns.slice(at, at + GROUP_SIZE)}</div>`);
  }
  return groups;
}

function userTurn(message: ChatMessage, failed: boolean): TemplateResult {
  return html`<div class="turn user">
    <span class="speaker">You:</span>
    <div part="message user" dir="auto">${content(message.content)}</div>
    ${failed ? html`<span part="marker failed">Answer failed</span>` : nothing}
  </div>`;
}

/**
 * One template for a streaming and a complete assistant turn, so that when the stream ends Lit
 * keeps the same nodes. Reasoning is open while the model thinks and folds away when the answer
 * starts; Lit only writes `open` when that changes, so a reader's own toggling is kept.
 */
function assistantTurn(message: ChatMessage, context: LogContext): TemplateResult {
  const { conversation } = context;
  const draft = conversation.draft;
  const streaming = draft?.message === message;
  const nodes = context.nodesOf(message);
  const text = textOf(message.content);
  const thinking = streaming && text === '';
  return html`<div class="turn assistant">
    <span class="speaker">Assistant:</span>
    ${message.reasoning
      ? html`<details part="reasoning" ?open=${thinking}>
          <summary>${thinking ? 'Thinking…' : 'Reasoning'}</summary>
          <div class="reasoning-text" dir="auto">${nodes?.reasoning.root ?? message.reasoning}</div>
        </details>`
      : nothing}
    ${streaming && !draft.arrived
      ? html`<div part="typing" role="status" aria-label="Assistant is typing"><span></span><span></span><span></span></div>`
      : nothing}
    <div part="message assistant" dir="auto" aria-busy=${streaming ? 'true' : nothing} ?hidden=${text === ''}>${nodes ? nodes.body.root : body(message, text, context.renderer)}</div>
    ${message.tool_calls?.map((call) => toolCall(call, conversation, nodes)) ?? nothing}
    ${message.refusal
      ? html`<div part="message assistant refusal" dir="auto">${nodes?.refusal.root ?? message.refusal}</div>`
      : nothing}
    ${conversation.wasStopped(message) ? html`<span part="marker stopped">Stopped</span>` : nothing}
    ${context.interrupted.has(message) ? html`<span part="marker interrupted">${INTERRUPTED}</span>` : nothing}
  </div>`;
}

/** The marker of an answer restored from storage that a reload or a closed page cut short. */
const INTERRUPTED = 'Interrupted';

const TOOL_STATES: Record<ToolState, string> = {
  streaming: 'Calling…',
  running: 'Running…',
  waiting: 'Waiting for a result',
  done: 'Done',
  error: 'Error',
};

/**
 * A tool call's card: the tool's name and state, its arguments (as they stream, then
 * pretty-printed), and its result folded away. The state is text: the log announces its changes.
 */
function toolCall(call: ToolCall, conversation: Conversation, nodes: StreamedTurn | undefined): TemplateResult {
  const state = conversation.toolState(call);
  const result = conversation.toolResult(call);
  const args = state === 'streaming' && nodes ? nodes.argumentsOf(call).root : pretty(call.function.arguments);
  // No whitespace between the nodes: the card's text is its name, state, arguments and result.
  return html`<div part="tool-call" class=${state ?? ''} dir="auto"
    ><div class="tool-head"
      ><span part="tool-name">${call.function.name}</span
      >${state ? html`<span part="tool-state">${TOOL_STATES[state]}</span>` : nothing}</div
    ><pre part="tool-arguments">${args}</pre
    >${result ? resultDetails(result) : nothing}</div
  >`;
}

function resultDetails(result: ChatMessage): TemplateResult {
  const text = result.content;
  return html`<details part="tool-result"><summary>Result</summary><pre>${typeof text === 'string' ? pretty(text) : content(text)}</pre></details>`;
}

/** JSON indented for reading; anything else as it is. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * The rendered body of a complete answer, kept per message: Lit re-renders the log's template on
 * every change, and a renderer that builds nodes (Markdown) must not rebuild each message each time.
 */
const bodies = new WeakMap<ChatMessage, { renderer: BodyRenderer; text: string; value: unknown }>();

function body(message: ChatMessage, text: string, renderer: BodyRenderer): unknown {
  let entry = bodies.get(message);
  if (entry?.renderer !== renderer || entry.text !== text) bodies.set(message, (entry = { renderer, text, value: renderer.render(text) }));
  return entry.value;
}

/** A message's content as nodes: text as text, images (http(s), `data:image/*`) as thumbnails. */
function content(value: ChatMessage['content']): unknown {
  if (!Array.isArray(value)) return value ?? '';
  return value.map((part: ContentPart) => {
    if (part.type === 'text') return part.text;
    if (part.type === 'image_url' && isImageUrl(part.image_url?.url)) {
      return html`<img part="image" src=${part.image_url.url} alt="Attached image" loading="lazy" />`;
    }
    return nothing;
  });
}

/** The text of a message's content: a string as it is, the text parts of an array joined (an answer's images are not shown). */
function textOf(value: ChatMessage['content']): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  let text = '';
  for (const part of value) if (part.type === 'text') text += part.text;
  return text;
}

function isImageUrl(url: unknown): url is string {
  return typeof url === 'string' && /^(https?:|data:image\/)/i.test(url.trim());
}
