import type { ChatCompletionChunk, ChatMessage, ChunkDelta, ToolCall, ToolCallDelta, Usage } from './types.js';

/** What one chunk added to choice 0; empty strings when it added nothing of that kind. */
export interface AccumulatorStep {
  content: string;
  reasoning: string;
}

/**
 * Merges streamed chunks into the assistant message. Only choice `index` 0 is taken: providers that
 * honour `n > 1` interleave the other choices in the same stream.
 *
 * @example
 * const acc = new Accumulator();
 * for await (const chunk of streamChat(options)) acc.push(chunk);
 * acc.message; // { role: 'assistant', content: '…' }
 */
export class Accumulator {
  /** The answer so far. */
  content = '';
  /** Reasoning text so far (`reasoning_content` or `reasoning` deltas). */
  reasoning = '';
  refusal = '';
  /** The last finish_reason seen on choice 0, or null. */
  finishReason: string | null = null;
  /**
   * The last non-null usage seen. Providers send it on the final chunk, on every chunk, in a chunk
   * with no choices, or (Groq) only inside `x_groq`.
   */
  usage: Usage | undefined = undefined;
  /** True once any choice carried a finish_reason: the response ended normally even without `[DONE]`. */
  finished = false;
  readonly #toolCalls: ToolCall[] = [];
  /** Tool call slot per provider `index`, so that sparse indices (a call at 1 after text) work. */
  readonly #toolSlots = new Map<number, ToolCall>();
  #lastToolCall: ToolCall | undefined;

  /** Merges one chunk; returns the text it added to choice 0. */
  push(chunk: ChatCompletionChunk): AccumulatorStep {
    const usage = chunk.usage ?? (chunk['x_groq'] as { usage?: Usage } | undefined)?.usage;
    if (usage != null) this.usage = usage;
    let content = '';
    let reasoning = '';
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return { content, reasoning };
    for (const choice of choices) {
      if (choice == null) continue;
      if (choice.finish_reason != null) this.finished = true;
      if ((choice.index ?? 0) !== 0) continue;
      if (choice.finish_reason != null) this.finishReason = choice.finish_reason;
      const delta = choice.delta;
      if (delta == null) continue;
      if (typeof delta.content === 'string' && delta.content !== '') {
        content = delta.content;
        this.content += content;
      }
      reasoning = reasoningOf(delta);
      if (reasoning !== '') this.reasoning += reasoning;
      if (typeof delta.refusal === 'string') this.refusal += delta.refusal;
      if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) this.#mergeToolCall(call);
    }
    return { content, reasoning };
  }

  /** How many tool calls have started so far. */
  get toolCallCount(): number {
    return this.#toolCalls.length;
  }

  /** The assistant message as it stands. */
  get message(): ChatMessage {
    const message: ChatMessage = { role: 'assistant', content: this.content };
    if (this.#toolCalls.length > 0) {
      message.tool_calls = [...this.#toolSlots.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, call]) => ({ ...call, function: { ...call.function } }));
    }
    if (this.reasoning !== '') message.reasoning = this.reasoning;
    if (this.refusal !== '') message.refusal = this.refusal;
    return message;
  }

  #mergeToolCall(delta: ToolCallDelta | null): void {
    if (delta == null) return;
    const call = this.#slotFor(delta);
    if (delta.id) call.id = delta.id;
    const fn = delta.function;
    if (fn != null) {
      // Most providers send the name once; some gateways repeat it on every fragment.
      if (fn.name && fn.name !== call.function.name) call.function.name += fn.name;
      if (fn.arguments) call.function.arguments += fn.arguments;
    }
    this.#lastToolCall = call;
  }

  /**
   * Finds the call a fragment belongs to: by `index` when the provider sends one; without it
   * (Mistral), a fragment with a new `id` starts a call and one without continues the last.
   */
  #slotFor(delta: ToolCallDelta): ToolCall {
    let index = delta.index;
    if (typeof index !== 'number') {
      const byId = delta.id ? this.#toolCalls.find((call) => call.id === delta.id) : undefined;
      if (byId) return byId;
      if (!delta.id && this.#lastToolCall) return this.#lastToolCall;
      index = this.#toolSlots.size === 0 ? 0 : Math.max(...this.#toolSlots.keys()) + 1;
    }
    let call = this.#toolSlots.get(index);
    if (!call) {
      call = { id: '', type: 'function', function: { name: '', arguments: '' } };
      this.#toolSlots.set(index, call);
      this.#toolCalls.push(call);
    }
    return call;
  }
}

function reasoningOf(delta: ChunkDelta): string {
  const text = delta.reasoning_content ?? delta.reasoning;
  return typeof text === 'string' ? text : '';
}
