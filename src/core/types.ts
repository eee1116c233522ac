import type { StreamChatError } from './errors.js';

/** A tool call as the assistant streamed it: `arguments` is the concatenated JSON text. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /**
   * What the provider attached to the call, kept as it came and sent back with it on
   * chat-completions: Gemini 3's thought signature (`{ google: { thought_signature } }`), without
   * which Gemini refuses the next step of a tool loop.
   */
  extra_content?: unknown;
}

/** What a tool's `execute` is given besides its arguments. */
export interface ToolContext {
  /** Aborted when the turn is stopped (`stop()`, a new `send()`, the element removed). */
  signal: AbortSignal;
  /** The call being answered. */
  call: ToolCall;
}

/**
 * A function the model may call. `name`, `description` and `parameters` (a JSON Schema of the
 * arguments object) are sent with each request; `execute` runs in the page when the model calls
 * it, and what it returns (or resolves to) is the tool's result: a string as it is, content parts
 * that hold an image (a screenshot tool's) as parts, anything else as JSON. Without `execute`, a
 * `tool-call` listener or `respond()` answers the call.
 */
export interface Tool<Args = any> {
  /** The name the model calls it by (providers take `[a-zA-Z0-9_-]`, up to 64 characters). */
  name: string;
  /** What it does and when to use it, for the model. */
  description?: string;
  /** A JSON Schema of its arguments object. */
  parameters?: Record<string, unknown>;
  /** Runs it with the arguments the model sent: its return value (or what it resolves to) is the result. */
  execute?(args: Args, context: ToolContext): unknown;
}

/**
 * Where a tool call stands: its arguments arrive, it runs, it waits for `respond()`, or it has its
 * result (`stopped`: the one a stop gave it, which reads `Error: stopped by the user …`, or a call
 * the length limit or the content filter ended unrun).
 */
export type ToolState = 'streaming' | 'running' | 'waiting' | 'done' | 'error' | 'stopped';

/** `detail` of the `tool-call` event: once per complete call, before its tool runs. */
export interface ToolCallDetail {
  call: ToolCall;
  /** The arguments, parsed from the call's JSON (`{}` when it sent none); undefined when they are not JSON. */
  args: unknown;
  /** Why the arguments could not be parsed. */
  error?: Error;
  /**
   * Answers the call: the tool's `execute` then does not run. A string is the result as it is, an
   * `Error` a failure, content parts that hold an image as parts, a promise what it settles to,
   * anything else JSON. The first result counts.
   */
  respond(result: unknown): void;
}

/** One response of a turn: its message and, when it called tools, their results. */
export interface Step {
  message: ChatMessage;
  finishReason: string | null;
  usage?: Usage;
  /** The `role: "tool"` messages that answered the step's calls, in call order. */
  results: ChatMessage[];
}

/** A text part of a message's `content`. */
export interface TextPart {
  type: 'text';
  text: string;
}

/** An image part of a message's `content`: an http(s) URL or a `data:image/*` URL. */
export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/**
 * A file part of a message's `content`, in chat-completions' shape: a PDF (or a text file) as a
 * data URL in `file_data` (`data:application/pdf;base64,…`; OpenRouter's web address of one there
 * too), or `file_id`, a file uploaded to the Files API of the provider the request goes to.
 * Each protocol maps the part to its own shape; the element shows it by its `filename`.
 */
export interface FilePart {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string };
}

/**
 * An audio part of a message's `content`, in chat-completions' shape: base64 `data` of a `wav` or
 * `mp3` recording. Only chat-completions takes audio.
 */
export interface AudioPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' | (string & {}) };
}

/**
 * A part of a message's `content`, in the OpenAI shape. Parts of other types are sent to the
 * provider as they are and not shown.
 */
export type ContentPart = TextPart | ImagePart | FilePart | AudioPart;

/**
 * One message of the conversation, in the OpenAI chat-completions shape. `content` is a string, an
 * array of parts, or `null` (an assistant turn that only calls tools).
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | (string & {});
  content: string | ContentPart[] | null;
  /** Tool calls the assistant made, merged from streamed deltas by `index`. */
  tool_calls?: ToolCall[];
  /** For `role: "tool"` messages: the call this answers. */
  tool_call_id?: string;
  /** Reasoning the model streamed apart from its answer; shown, not sent back (but see {@link reasoning_content}). */
  reasoning?: string;
  /**
   * The reasoning as it came in the chunks' `reasoning_content` (DeepSeek, Kimi, Qwen): never shown
   * (`reasoning` has it), sent back on chat-completions with the answers of a turn that called
   * tools (and only then), which DeepSeek's and Kimi's thinking modes refuse to go on without.
   */
  reasoning_content?: string;
  /**
   * The reasoning as the model wrote it between `<think>` tags in the content (MiniMax-M2, Qwen3 or
   * DeepSeek-R1 on a server that leaves it there): never shown (`reasoning` has it), sent back on
   * chat-completions in the content, between its tags before the answer, with the answers of a
   * turn that called tools (and only then), as MiniMax's interleaved thinking wants.
   */
  think?: string;
  /** A refusal the model streamed instead of (or besides) content. */
  refusal?: string | null;
  /** Tools the provider ran on its side (web search, code execution, …), in order; shown, never sent back. */
  server_tools?: ServerTool[];
  /** The links the answer's citations point to, each once; shown under the answer, never sent back. */
  sources?: Source[];
  /**
   * Claude's thinking blocks, in order and exactly as they came (signatures included): never
   * shown (`reasoning` has their text), sent back to Anthropic, which wants them before the turn's
   * tool calls when it continues the turn with their results, and on chat-completions with the
   * answers of a turn that called tools when they came there (LiteLLM in front of Claude: they come
   * and go with `reasoning_content`).
   */
  thinking_blocks?: ThinkingBlock[];
  /**
   * OpenRouter's reasoning blocks, merged from the stream (encrypted ones and signatures included):
   * never shown (`reasoning` has their text), sent back on chat-completions, where OpenRouter
   * wants them to go on after tool calls (Gemini 3, Claude, OpenAI's reasoning models).
   */
  reasoning_details?: ReasoningDetail[];
  /**
   * Claude's answer as the content blocks it came in, when some of them (a server tool's use and
   * result, a compaction) cannot be made again from the rest, or it paused: never shown, sent back to Anthropic
   * only, in its place and unchanged, as the API wants to continue a turn its tools paused, but its
   * `tool_use` blocks: each goes with its call's id as the request gives it (a new one where the
   * provider's is used again or not of Claude's pattern, as its result's), and one that is none of
   * its calls (no name) is left out. The message itself is left as it is.
   */
  content_blocks?: Array<Record<string, unknown>>;
  /**
   * The reasoning items of a reasoning model's step with tool calls on the Responses API, encrypted
   * (the host asked for `reasoning.encrypted_content`) and without their ids: never shown
   * (`reasoning` has their summaries), sent back to the Responses API only, before the step's
   * calls (or between them, where they came) while its turn goes on, so that the model goes on
   * from its reasoning.
   */
  reasoning_items?: Array<Record<string, unknown>>;
  /**
   * Why Claude's classifiers refused the answer (`stop_reason: "refusal"`), as `stop_details` came
   * (`{ type: "refusal", category, explanation }`; `{ type: "refusal" }` when none came): never
   * sent back. Anthropic asks for the turn refused to be left out of later requests (each would be
   * refused too), so the Messages API's requests leave out the question and this answer.
   */
  stop_details?: Record<string, unknown>;
  /**
   * The `phase` of the answer's message on the Responses API (GPT-5.3-Codex and later):
   * `commentary`, a preamble to tool calls, or `final_answer`; of the last message item when a
   * response had more (see {@link output_items}). Sent back with the answer, as OpenAI asks:
   * without it, a preamble may be taken for an answer.
   */
  phase?: string;
  /**
   * The order of the answer's items on the Responses API, when one message between its reasoning
   * and its calls cannot give it back (a preamble and a final answer, each with its phase; reasoning
   * between calls): never shown, sent back to the Responses API only, each item as it came and in
   * its place. An outline, not the items: `content`, `tool_calls` and `reasoning_items` hold them,
   * in order.
   */
  output_items?: OutputItem[];
  /**
   * The container Claude's code execution (or skills) ran in, as the Messages API gave it: sent back
   * to Anthropic only, its `id` as the next request's `container` until it expires (a turn that goes
   * on, also up to 30 days after), so that code there finds the files written before (and a paused
   * turn goes on in it).
   */
  container?: { id: string; expires_at?: string };
}

/**
 * An output item of a Responses answer in {@link ChatMessage.output_items}: a message item as the
 * length of its text in `content` (each after the first follows a blank line there), where it
 * starts there (`at`: a message that came only in the response's last event follows those that
 * streamed; without it, as in outlines kept before `at` was, after the one before) and its
 * `phase`; a function call or a kept reasoning item (see {@link ChatMessage.reasoning_items}) as
 * its type.
 */
export type OutputItem = { type: 'message'; length: number; at?: number; phase?: string } | { type: 'function_call' | 'reasoning' };

/**
 * One of OpenRouter's reasoning blocks (`reasoning.text`, `reasoning.summary`,
 * `reasoning.encrypted`): streamed in fragments that share `type` and `index`, whose `text`,
 * `summary` and `data` add up.
 */
export interface ReasoningDetail {
  type: string;
  index?: number;
  text?: string;
  summary?: string;
  data?: string;
  [field: string]: unknown;
}

/**
 * One of Claude's thinking blocks: its thinking and the signature that lets the API check it, or
 * one the API encrypted (`redacted_thinking`, its `data` opaque).
 */
export type ThinkingBlock = { type: 'thinking'; thinking: string; signature: string } | { type: 'redacted_thinking'; data: string };

/**
 * A tool the provider ran on its own side (OpenAI Responses' `web_search_call`, Anthropic's
 * `server_tool_use`, …): never run in the page, shown as a status line where it happened.
 */
export interface ServerTool {
  /** The provider's name for it: `web_search`, `file_search`, `code_interpreter`, an MCP tool's name, … */
  name: string;
  /** What it did, when the provider said: the search query, the code's first line. */
  detail: string;
  /** Where in the answer it happened: the length of `content` when it started. */
  at: number;
}

/** A link an answer cites (a web search result, a page). */
export interface Source {
  url: string;
  title?: string;
}

/** Token counts, as the provider reported them. Extra provider fields are kept. */
export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  [field: string]: unknown;
}

/**
 * What one event of a stream added, whatever the wire format: the protocols decode their events
 * into these, and the message builder merges them into the assistant message.
 */
export type Delta =
  | { type: 'text'; text: string }
  /**
   * Reasoning; `field` when it came in the chunk's `reasoning_content` or between `<think>` tags in
   * its content, where some providers want it back (see {@link ChatMessage.reasoning_content}, {@link ChatMessage.think}).
   */
  | { type: 'reasoning'; text: string; field?: 'reasoning_content' | 'think' }
  | { type: 'refusal'; text: string }
  /**
   * A tool call starts (`id`, `name`) or continues (`arguments`): fragments of one call share `index`;
   * `whole`, all its arguments in place of those so far (a final word that disagrees with its fragments).
   */
  | { type: 'tool-call'; index: number; id?: string; name?: string; arguments?: string; whole?: string; extra?: unknown }
  /** A provider-side tool starts (`name`) or says what it does (`detail`): fragments of one share `index`. */
  | { type: 'server-tool'; index: number; name?: string; detail?: string }
  /** A citation's link; the message lists each URL once. */
  | { type: 'source'; url: string; title?: string }
  /**
   * A whole thinking block, once it ended, to send back as it is (see {@link ChatMessage.thinking_blocks});
   * `field` when it came in a chunk beside `reasoning_content` (LiteLLM), where it goes back with it.
   */
  | { type: 'thinking-block'; block: ThinkingBlock; field?: 'reasoning_content' }
  /**
   * The answer's text so far was reasoning: a `</think>` ended it whose `<think>` was in the prompt
   * (DeepSeek-R1's template on a server that leaves the reasoning in the content).
   */
  | { type: 'text-was-reasoning' }
  /** Fragments of OpenRouter's reasoning blocks, to send back (see {@link ChatMessage.reasoning_details}). */
  | { type: 'reasoning-details'; details: ReasoningDetail[] }
  /** The answer's content blocks as they came, to send back (see {@link ChatMessage.content_blocks}). */
  | { type: 'content-blocks'; blocks: Array<Record<string, unknown>> }
  /** A step's encrypted reasoning items, to send back (see {@link ChatMessage.reasoning_items}). */
  | { type: 'reasoning-items'; items: Array<Record<string, unknown>> }
  /** Why the answer was refused, to leave the turn out of later requests (see {@link ChatMessage.stop_details}). */
  | { type: 'stop-details'; details: Record<string, unknown> }
  /** The phase of the answer's message, to send back (see {@link ChatMessage.phase}). */
  | { type: 'phase'; phase: string }
  /** The order of the answer's items, to send them back in it (see {@link ChatMessage.output_items}). */
  | { type: 'output-items'; items: OutputItem[] }
  /** The container the answer's code ran in, to send back (see {@link ChatMessage.container}). */
  | { type: 'container'; container: NonNullable<ChatMessage['container']> }
  /** Why the answer ended, in chat-completions words (`stop`, `length`, `tool_calls`, …). */
  | { type: 'finish'; reason: string }
  | { type: 'usage'; usage: Usage };

/** A tool call fragment inside a chunk's delta. Some providers omit `index`, `id` or `type`. */
export interface ToolCallDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string | null; arguments?: string | null };
  extra_content?: unknown;
}

/** What one chunk adds to a choice. Every field may be missing or null. */
export interface ChunkDelta {
  role?: string | null;
  /** Text, or (Mistral's reasoning models) an array of typed parts: `text` and `thinking`. */
  content?: string | ChunkContentPart[] | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCallDelta[] | null;
  reasoning_details?: ReasoningDetail[] | null;
  /** Pieces of Claude's thinking blocks (LiteLLM): a piece of the thinking, or a signature, or a redacted block. */
  thinking_blocks?: Array<{ type?: string; thinking?: string; signature?: string; data?: string } | null> | null;
  /** Citations (OpenAI's search models, OpenRouter's web search): `{ type: "url_citation", url_citation: { url, title } }`. */
  annotations?: Array<{ type?: string; url_citation?: { url?: string; title?: string } } | null> | null;
  [field: string]: unknown;
}

/** A typed part of a streamed `delta.content` array; plain strings may be mixed in. */
export type ChunkContentPart = string | { type: string; text?: string; thinking?: ChunkContentPart[] | string; [field: string]: unknown };

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
  /**
   * The event exactly as parsed: a chat-completion chunk, or with another `protocol` its event
   * object (`{type: "response.output_text.delta", …}`, `{type: "content_block_delta", …}`).
   */
  chunk: ChatCompletionChunk;
  /** The text this chunk added to the answer ("" if none). */
  delta: string;
  /**
   * The answer so far, of this response: a tool loop's next step starts again, its answer a message
   * of its own (not one that goes on with a response Claude paused: one answer). It starts again too when a `</think>` whose `<think>` was in the prompt makes
   * the text before it reasoning (a `text-was-reasoning` delta): take it, rather than adding up `delta`s.
   */
  content: string;
  /** What the chunk carried, protocol-neutral: text, reasoning, refusal, tool-call and server-tool fragments, sources, thinking blocks, reasoning details, what goes back as it came (content blocks, reasoning items, a phase, the order of the answer's items), a refusal's details, finish, usage. */
  deltas: Delta[];
}

/** How fast a turn went, measured on the page: from `send()` to its first token and to its end. */
export interface Stats {
  /** Ms from the request to the first part of the answer; null when nothing arrived. */
  firstTokenMs: number | null;
  /** Ms from the request to the end (of the last response, with tools). */
  totalMs: number;
  /** Chunks (parsed events) received, over every response of the turn. */
  chunks: number;
  /** From the provider's `usage`, when every response of the turn reported it. */
  completionTokens?: number;
  /**
   * Tokens per second while the answer streamed, from each response's first part to its end (the
   * time tools ran between responses is not counted), of the text after the reads that brought each
   * first part (reported tokens in the share that text is of all);
   * null until the answer has streamed for 100 ms: a rate over less is the network's (an answer in
   * one read, a burst at the start), not the model's.
   */
  tokensPerSecond: number | null;
  /** True when the tokens are estimated from the characters streamed (text, reasoning, refusal, tool calls' arguments; about 4 a token; a Chinese, Japanese or Korean character, one), not reported. */
  estimated: boolean;
}

/** `detail` of the `done` event, and what `send()` resolves with. */
export interface DoneDetail {
  /** The answer's text: the last response's, with those Claude paused that it went on with (one answer). */
  content: string;
  /** The assistant message: the very object added to `messages` when anything arrived. */
  message: ChatMessage;
  finishReason: string | null;
  usage?: Usage;
  /** True when `stop()` (or a new `send()`) ended the response early. */
  aborted: boolean;
  /** Every response of the turn in order: one, or more when tools were called (the last is this detail's `message`). */
  steps: Step[];
  /** Time to first token, total time, chunks and tokens per second of the turn. */
  stats: Stats;
}

/** `detail` of the `error` event. */
export interface ErrorDetail {
  error: StreamChatError;
  /** What had arrived before the failure. */
  content: string;
}

/** `detail` of the `warning` event: something went wrong that the chat works around (storage unavailable, corrupt or full). */
export interface WarningDetail {
  /** What happened and what the element does instead, in a sentence. */
  message: string;
}
