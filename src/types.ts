/** A tool call as the assistant streamed it: `arguments` is the concatenated JSON text. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One message of the conversation, in the OpenAI chat-completions shape. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | (string & {});
  content: string;
  /** Tool calls the assistant made, merged from streamed deltas by `index`. */
  tool_calls?: ToolCall[];
  /** Reasoning text (`reasoning_content` or `reasoning` deltas), kept apart from `content`. */
  reasoning?: string;
  /** A refusal the model streamed instead of (or besides) content. */
  refusal?: string;
  /** For `role: "tool"` messages: the call this answers. */
  tool_call_id?: string;
}

/** Token counts, as the provider reported them. Extra provider fields are kept. */
export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  [field: string]: unknown;
}

/** A tool call fragment inside a chunk's delta. Some providers omit `index`, `id` or `type`. */
export interface ToolCallDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string | null; arguments?: string | null };
}

/** What one chunk adds to a choice. Every field may be missing or null. */
export interface ChunkDelta {
  role?: string | null;
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCallDelta[] | null;
  [field: string]: unknown;
}

export interface ChunkChoice {
  index?: number;
  delta?: ChunkDelta | null;
  finish_reason?: string | null;
  [field: string]: unknown;
}

/**
 * One parsed `data:` event of a chat-completions stream. Providers add fields of their own
 * (`x_groq`, `timings`, `obfuscation`, `prompt_filter_results`); they are kept as parsed.
 */
export interface ChatCompletionChunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices?: ChunkChoice[] | null;
  usage?: Usage | null;
  [field: string]: unknown;
}

/** `detail` of the `chunk` event. */
export interface ChunkDetail {
  /** The chunk exactly as parsed. */
  chunk: ChatCompletionChunk;
  /** The text this chunk added to the answer ("" if none). */
  delta: string;
  /** The answer so far. */
  content: string;
}

/** `detail` of the `done` event, and what `send()` resolves with. */
export interface DoneDetail {
  content: string;
  message: ChatMessage;
  finishReason: string | null;
  usage?: Usage;
  /** True when {@link StreamChat.stop} (or a new `send()`) ended the response early. */
  aborted: boolean;
}
