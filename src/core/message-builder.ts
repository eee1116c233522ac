import type { ChatMessage, Delta, ServerTool, ToolCall, Usage } from './types.js';

/**
 * Whether a delta is part of the answer: text, reasoning, a refusal, a tool call or a provider's
 * own tool run (a retry would run it again). The one
 * definition of "something has arrived": retries stop once it is true, the typing indicator goes,
 * and a response that ends after it leaves a message.
 */
export function arrives(delta: Delta): boolean {
  // (Text, reasoning and a refusal are the deltas with `text`.)
  return delta.type === 'tool-call' || delta.type === 'server-tool' || !!(delta as { text?: string }).text;
}

/**
 * What a failed attempt at the response leaves on the message besides its text: gone when it starts
 * again. (Its last seven in the order of the fields chat-completions does not send, which gzip
 * matches.)
 */
const LEFT = ['thinking_blocks', 'reasoning_details', 'sources', 'content_blocks', 'reasoning_items', 'stop_details', 'phase', 'output_items', 'container'] as const;

/** The deltas that set a field of the message to a value of theirs, as it came (see `apply`). */
type KeptAsItCame = Extract<Delta, { type: 'content-blocks' | 'reasoning-items' | 'stop-details' | 'phase' | 'output-items' | 'container' }>;

/**
 * Merges the deltas of one response into the assistant message, whatever protocol decoded them.
 * `message` is one object, updated in place as deltas arrive: a view renders it while it streams,
 * and it is the message that joins the conversation at the end.
 */
export class MessageBuilder {
  readonly message: ChatMessage & { content: string } = { role: 'assistant', content: '' };
  /** Why the answer ended, or null before a `finish` delta. */
  finishReason: string | null = null;
  /** The last usage reported. */
  usage: Usage | undefined = undefined;
  /** True once any delta was part of the answer (see {@link arrives}). */
  arrived = false;
  readonly #calls = new Map<number, ToolCall>();
  readonly #serverTools = new Map<number, ServerTool>();
  /** A provider's tool ran since the last text. */
  #stretch = false;
  /** Per growing text (the answer, reasoning, a refusal, a call's arguments): see {@link #grow}. */
  readonly #ropes = new Map<unknown, { whole: string; joined: string; pieces: string[] }>();

  /**
   * `text` and `piece`, as one text that keeps about its length: an engine keeps `text + piece`
   * as a rope of the pieces until something reads it whole (V8: some 25 bytes beside each piece's
   * own; a 2 MB answer in 200,000 pieces held 6 times its text to its end). Each 64 pieces are
   * joined into one, once: no piece is copied twice. (`text` not the last given here, as when a
   * delta set it whole, starts anew.)
   */
  #grow(key: unknown, text: string, piece: string): string {
    let rope = this.#ropes.get(key);
    if (rope?.whole !== text) this.#ropes.set(key, (rope = { whole: text, joined: text, pieces: [] }));
    rope.pieces.push(piece);
    return (rope.whole = rope.pieces.length < 64 ? text + piece : (rope.joined += rope.pieces.splice(0).join('')));
  }

  /**
   * Merges one delta. Returns true when the message changed shape (its first text, reasoning or
   * refusal, a tool call's name, a server tool or what it did, a new source), which a view
   * shows by re-rendering, not by appending.
   */
  apply(delta: Delta): boolean {
    const message = this.message;
    if (!this.arrived) this.arrived = arrives(delta);
    switch (delta.type) {
      case 'text': {
        // Whether it was empty before, asked of the text before it grows: a long answer is a rope
        // of pieces that a comparison with the whole could flatten. Text after a provider's tool
        // run starts a new stretch of the answer, a change of shape too.
        const first = !message.content || this.#stretch;
        message.content = this.#grow('content', message.content, delta.text);
        if (!delta.text) return false;
        this.#stretch = false;
        return first;
      }
      case 'reasoning':
      case 'refusal': {
        if (!delta.text) return false;
        // (Either is text once set, never empty.)
        const first = !message[delta.type];
        message[delta.type] = this.#grow(delta.type, message[delta.type] ?? '', delta.text);
        // Reasoning that came in `reasoning_content`, or between `<think>` tags, goes back there
        // (see ChatMessage.reasoning_content and .think).
        if (delta.type === 'reasoning' && delta.field) message[delta.field] = message.reasoning;
        return first;
      }
      case 'tool-call': {
        let call = this.#calls.get(delta.index);
        if (!call) this.#calls.set(delta.index, (call = { id: '', type: 'function', function: { name: '', arguments: '' } }));
        if (delta.id) call.id = delta.id;
        if (delta.extra !== undefined) call.extra_content = delta.extra;
        if (delta.arguments) call.function.arguments = this.#grow(call, call.function.arguments, delta.arguments);
        if (delta.whole) call.function.arguments = delta.whole;
        // Most providers send the name once; some gateways repeat it on every fragment.
        if (!delta.name || delta.name === call.function.name) return false;
        call.function.name += delta.name;
        // Calls in index order, whatever order their first fragments came in. A call that never gets
        // a name (LM Studio's, id "" too) is none: run, it failed, and sent back it failed every later request.
        message.tool_calls = [...this.#calls].sort(([a], [b]) => a - b).map(([, each]) => each).filter((each) => each.function.name);
        return true;
      }
      case 'server-tool': {
        let tool = this.#serverTools.get(delta.index);
        if (!tool) {
          this.#serverTools.set(delta.index, (tool = { name: '', detail: '', at: message.content.length }));
          (message.server_tools ??= []).push(tool);
        }
        // (Text only, as a provider's JSON may hold anything: an object a view renders can break it.)
        if (typeof delta.name == 'string' && delta.name) tool.name = delta.name;
        if (delta.detail) tool.detail = delta.detail;
        this.#stretch = true;
        return true;
      }
      case 'source': {
        const sources = (message.sources ??= []);
        if (sources.some((source) => source.url === delta.url)) return false;
        sources.push({ url: delta.url, ...(typeof delta.title == 'string' && delta.title && { title: delta.title }) });
        return true;
      }
      case 'thinking-block':
        (message.thinking_blocks ??= []).push(delta.block);
        // Blocks that came beside reasoning_content (LiteLLM's) go back with it, "" when none came.
        if (delta.field) message.reasoning_content ??= '';
        break;
      case 'text-was-reasoning':
        if (!message.content) return false;
        // (Reasoning a `</think>` ended, written in the content.)
        message.think = message.reasoning = (message.reasoning ?? '') + message.content;
        message.content = '';
        return true;
      case 'reasoning-details': {
        const details = (message.reasoning_details ??= []);
        for (const detail of delta.details) {
          // Fragments of one block share its type and index: their text adds up, a field they leave empty stays.
          const block = detail.index != null && details.find((each) => each.type === detail.type && each.index === detail.index);
          if (!block) details.push({ ...detail });
          else {
            for (const [key, value] of Object.entries(detail)) {
              if (value != null) block[key] = key === 'text' || key === 'summary' || key === 'data' ? ((block[key] as string | null | undefined) ?? '') + value : value;
            }
          }
        }
        break;
      }
      case 'finish':
        this.finishReason = delta.reason;
        break;
      case 'usage':
        this.usage = delta.usage;
        break;
      // The others are a field that goes back (or is kept) as it came, whole (and gone in a retry:
      // see LEFT), named as the delta is, its value the delta's field of the name's last word:
      // `content-blocks` sets `content_blocks` to its `blocks`, `phase` sets `phase` to its `phase`.
      // (Checked to be one of these: a delta type added later that reaches here fails to compile.)
      default:
        (message as unknown as Record<string, unknown>)[(delta satisfies KeptAsItCame).type.replace('-', '_')] = (delta as unknown as Record<string, unknown>)[delta.type.split('-').pop()!];
    }
    // (What is kept or counted, not shown as it streams: no change of shape.)
    return false;
  }

  /**
   * A new attempt at the response (a retry, before any of the answer arrived): what the failed one
   * left (sources, thinking blocks, its finish and usage) goes.
   */
  restart(): void {
    for (const field of LEFT) delete this.message[field];
    this.finishReason = null;
    this.usage = undefined;
  }

  /** The tool call that the `tool-call` deltas with this `index` build. */
  toolCall(index: number): ToolCall | undefined {
    return this.#calls.get(index);
  }
}
