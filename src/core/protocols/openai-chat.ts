import { StreamChatError, callError, providerError } from '../errors.js';
import { beyondText, callArguments, eventData, formatOf, jsonRequest, numberIn, textOf, toolIds, type ChatProtocol, type Decoded, type ProtocolDecoder, type ServerSentEvent } from '../protocol.js';
import type { ChatCompletionChunk, ChatMessage, ChunkContentPart, ChunkDelta, ContentPart, Delta, ReasoningDetail, ToolCallDelta, Usage } from '../types.js';

/** The chat-completions wire format (`POST …/chat/completions` with `stream: true`). */
export const openaiChat: ChatProtocol = {
  buildRequest(options) {
    // The conversation as given; `messages`, as it goes out.
    const history = options.messages;
    const messages: ChatMessage[] = [];
    if (options.system) messages.push({ role: 'system', content: options.system });
    // A turn (a question and what followed it) that called tools keeps its answers' `reasoning_content`.
    let turn = 0;
    const turns = history.map((message) => (message.role === 'user' ? ++turn : turn));
    const called = new Set(history.flatMap((message, at) => (message.tool_calls?.length ? [turns[at]] : [])));
    // (With a provider that sends it, every answer of such a turn has it, empty when its reasoning
    // came empty: DeepSeek refuses one without, 400 "Missing `reasoning_content` field".)
    const thinks = history.some((message) => message.reasoning_content);
    // Mistral (its API, and its models elsewhere: NIM, vLLM, OpenRouter; mistral, devstral, pixtral,
    // mixtral…) refuses a question right after tool results, 400 "Unexpected role 'user' after role
    // 'tool'", in every later request: an answer that says what happened goes between (an empty one
    // it refuses). Its tool message takes images. (Keyed on the model, not the host: the rules are
    // the model's, held by mistral_common, which vLLM runs for it, and by its chat templates, which
    // llama.cpp runs too: "Tool call IDs should be alphanumeric strings with length 9!". Ollama
    // takes both.)
    const mistral = /[sx]tral/i.test(options.model ?? '') || options.endpoint.includes('mistral.ai');
    // Every id a provider gave goes as it is, but a second in one answer; calls that came without one
    // get one, and their results the same. Mistral refuses an id but of 9 letters and digits (another
    // API's, `call_…`): those go as `call00000`, `call00001`…
    const ids = mistral ? toolIds(history, (id) => /^[a-zA-Z\d]{9}$/.test(id), (n) => `call${`${n}`.padStart(5, '0')}`) : toolIds(history, Boolean);
    // Other tool messages take text alone (OpenAI refuses an image there, "Image URLs are only
    // allowed for messages with role 'user'", or its newer models take it unseen): a result's images
    // (a screenshot tool's) go after the results, in a user message, each result's after its tool's
    // name, and the result keeps its text.
    let attached: ContentPart[] = [];
    const attach = () => {
      if (attached.length) messages.push({ role: 'user', content: attached });
      attached = [];
    };
    history.forEach((message, at) => {
      // (Files as Mistral's own parts on its API only, whose model names have no maker before a `/`:
      // a router, OpenRouter's `mistralai/…`, takes OpenAI's part, and reads a PDF for any model.
      // Ollama, vLLM and llama.cpp refuse a file part of either shape alike, a 400.)
      const wire = wireMessage(message, called.has(turns[at]), thinks, mistral && !/\//.test(options.model!));
      if (wire.role !== 'tool') attach();
      const last = messages.at(-1);
      if (wire.tool_calls?.length) wire.tool_calls = ids.calls(wire.tool_calls);
      if (wire.role === 'tool') {
        wire.tool_call_id = ids.result(wire.tool_call_id) || undefined;
        if (!mistral && beyondText(wire.content)) {
          const name = messages.findLast((each) => each.tool_calls)?.tool_calls!.find((call) => call.id === wire.tool_call_id)?.function.name ?? 'tool';
          // Named by its call too: two screenshots' images are told apart.
          const id = wire.tool_call_id ? ` (${wire.tool_call_id})` : '';
          attached.push({ type: 'text', text: `Attached to the ${name} result${id}:` }, ...wire.content.filter((part) => part.type !== 'text'));
          // (Of images or files alone, a text that says where they are: no empty result.)
          wire.content = textOf(wire.content) || '(attached after the tool results)';
        }
      }
      // An answer with nothing to send (it failed, was stopped before anything came, or came empty)
      // is left out, and the questions around it go as one: some providers refuse questions in a
      // row (DeepSeek's reasoner, Perplexity), others an empty answer.
      if (wire.role === 'assistant' && !wire.tool_calls?.length && !wire.refusal && !textOf(wire.content).trim()) return;
      if (mistral && wire.role === 'user' && last?.role === 'tool') messages.push({ role: 'assistant', content: '[response interrupted]' });
      if (wire.role === 'user' && last?.role === 'user') {
        last.content = typeof last.content == 'string' && typeof wire.content == 'string' ? `${last.content}\n\n${wire.content}` : [...parts(last.content), ...parts(wire.content)];
      } else messages.push(wire);
    });
    attach();

    const body: Record<string, unknown> = {
      ...(options.model && { model: options.model }),
      messages,
      stream: true,
      temperature: numberIn(options.temperature),
      // OpenAI's reasoning models refuse max_tokens: the o-series and GPT-5 and later (GPT-6 Astra,
      // Sol…), fine-tuned too (`ft:o4-mini-…`), named in any case (an Azure deployment's `GPT-5`).
      // Not Azure's GPT-3.5, `gpt-35-turbo`, which its older API versions refuse
      // max_completion_tokens for ("Unrecognized request argument").
      [/^(ft:)?(o\d|gpt-([5-9]|1\d))/i.test(options.model ?? '') ? 'max_completion_tokens' : 'max_tokens']: numberIn(options.maxTokens),
    };
    if (options.tools?.length) {
      // A tool without parameters takes none, as OpenAI reads a function without them; Mistral's
      // API and the servers that validate its schema (mistral_common in vLLM, TabbyAPI) refuse one
      // without the field, 422 "Field required".
      body['tools'] = options.tools.map(({ name, description, parameters }) => ({ type: 'function', function: { name, description, parameters: parameters ?? { type: 'object', properties: {} } } }));
    }
    return jsonRequest(options, options.key ? { Authorization: `Bearer ${options.key}` } : {}, body);
  },
  createDecoder: chatDecoder,
  end: '[DONE] or a finish_reason',
  event: 'a chat-completion chunk (with "choices")',
  path: '/v1/chat/completions',
};

/**
 * Providers reject fields they do not know, so what we only display (reasoning, the provider's own
 * tool runs, sources), Claude's content blocks and container, and the Responses API's reasoning
 * items, phase and order of items are not sent back, nor is `reasoning_content` but in a turn that
 * called tools (DeepSeek's and Kimi's thinking modes want it there, and only there, on every
 * answer: `""` when it came empty), with Claude's thinking blocks where they came beside it
 * (LiteLLM's; the Anthropic protocol's are for Anthropic only). In such a turn, reasoning the model wrote between
 * `<think>` tags goes back in the content, between its tags before the answer (MiniMax-M2 wants
 * it there). An assistant turn that only called tools has `content: null`, as OpenAI sends it, and
 * calls' arguments that are not a JSON object are `{}`. A file's data without a name goes named `file`
 * (to Mistral's API, `documents`, a file goes as its own parts).
 */
function wireMessage(source: ChatMessage, called: boolean, thinks: boolean, documents: boolean): ChatMessage {
  const message = { ...source };
  for (const field of ['reasoning', 'think', 'server_tools', 'sources', 'content_blocks', 'reasoning_items', 'stop_details', 'phase', 'output_items', 'container'] as const) delete message[field];
  const { think } = source;
  const calls = message.tool_calls;
  // (Only on an answer with something to send: one without is left out, see buildRequest.)
  if (called && think && (calls?.length || textOf(message.content).trim())) {
    message.content = `<think>\n${think}</think>\n\n${textOf(message.content)}`;
  }
  if (!called || message.reasoning_content == null) delete message.thinking_blocks;
  if (!called) delete message.reasoning_content;
  else if (thinks && message.role === 'assistant') message.reasoning_content ??= '';
  // OpenAI refuses a file's data without its name: it goes named as on Responses. Mistral refuses
  // OpenAI's file part: it reads a document from a `document_url` (data or a web address), one
  // uploaded to it by `file_id`.
  if (beyondText(message.content)) {
    message.content = message.content.map((part) =>
      part.type != 'file' ? part
      : documents ? ((part.file.file_data ? { type: 'document_url', document_url: part.file.file_data, document_name: part.file.filename } : { type: 'file', file_id: part.file.file_id }) as never)
      : part.file.file_data && !part.file.filename ? { ...part, file: { ...part.file, filename: 'file' } }
      : part,
    );
  }
  // An empty list (a host's history) goes as none: OpenAI refuses it, 400 "empty array", and Qwen.
  if (!calls?.length) delete message.tool_calls;
  else {
    if (message.content === '') message.content = null;
    message.tool_calls = calls.map((call) => ({ ...call, function: { ...call.function, arguments: callArguments(call.function.arguments) } }));
  }
  return message;
}

/** A message's content as parts. */
const parts = (content: ChatMessage['content']): ContentPart[] => (typeof content == 'string' ? [{ type: 'text', text: content }] : (content ?? []));

/**
 * The tags a model writes its reasoning between, ahead of its answer, on a server that leaves them
 * in the content: `<think>` (DeepSeek-R1, QwQ, Qwen3), `<thought>` (Gemini's thought summaries on
 * its OpenAI-compatible endpoint), `<reasoning>` (gpt-oss on Bedrock, a block per piece).
 */
const REASONING_TAG = /^\s*<(think|thought|reasoning)>/;

/**
 * Reads chat-completion chunks. Only choice `index` 0 is the answer: providers that honour `n > 1`
 * interleave the other choices in the same stream.
 */
function chatDecoder(): ProtocolDecoder {
  let done = false;
  /** Tool-call slots and their call's id; fragments without an `index` (Mistral) are placed by id and order. */
  const slots = new Map<number, string>();
  /** The slot a provider `index` fills now, when another call's took it (Ollama sends every parallel call at 0). */
  const moved = new Map<number, number>();
  /**
   * Each slot's arguments so far as scanned: brackets open outside strings, times 4 (2 in a string,
   * 3 after its `\`); and their shape (1 an object open, 2 one object closed, 3 anything else). Not
   * the text: the builder has it (a second copy, a rope of its pieces, held 3.5 times its length).
   * And its name.
   */
  const open = new Map<number, [depth: number, shape: number]>();
  const names = new Map<number, string>();
  let lastSlot: number | undefined;
  /**
   * Reasoning a model writes into the content between tags before its answer ({@link REASONING_TAG}):
   * 0 before any text, 1 just in it, 2 in it, 3 just after it, 4 the answer.
   */
  let think = 0;
  /** The tag that ends the reasoning open now. */
  let close = '';
  /**
   * Whether a `</think>` of its own may yet end reasoning the answer's text so far was: the
   * template opened `<think>` in the prompt (DeepSeek-R1's does). Not once reasoning came apart,
   * the answer wrote `<think>`, or a tag was taken.
   */
  let lone = true;
  /** The answer's text so far, while a `</think>` may end it (its last character, and whether a code block is open). */
  let said = '';
  /** The thinking of a block of Claude's (LiteLLM) so far, until its signature comes. */
  let thought = '';
  /** What the events were: 1, chat-completion chunks; 2, JSON of another shape; 3, both. */
  let shapes = 0;

  const decoder = {
    complete: false,
    /** Events of another API (Workers AI's `{"response": …}`, a native Ollama or Gemini stream, another protocol's): nothing would show. */
    foreign: false,

    decode(event: ServerSentEvent): Decoded {
      if (done) return { deltas: [] };
      if (event.data === '[DONE]') {
        done = true;
        // Ended as chat-completions end, and no event was a chunk: JSON of another shape is another API's.
        decoder.foreign ||= shapes === 2;
        return { deltas: [], done: true };
      }
      const chunk = eventData(event, 'a chat-completion chunk') as ChatCompletionChunk;
      const format = formatOf(chunk);
      shapes |= format === 'openai-chat' ? 1 : 2;
      decoder.foreign = !(shapes & 1) && (decoder.foreign || !!format);
      const failure = chunkError(chunk, event.data);
      // An error object alone is no chunk; text that came with the error (OpenRouter) is part of the
      // answer so far: it is delivered, then the stream fails.
      const decoded: Decoded =
        !failure || (Array.isArray(chunk.choices) && chunk.choices.length) ? { raw: chunk, deltas: deltasOf(chunk) } : { deltas: [] };
      if (failure) decoded.error = failure;
      return decoded;
    },

    fromJson(payload: unknown): Decoded {
      // Parsed JSON: a value of another type than an object has neither field (its own are undefined).
      const completion = payload as { error?: unknown; choices?: unknown } | null;
      const failure = chunkError(Object(payload));
      const choices = completion?.choices;
      // (As a stream's: the text that came with the error is delivered, then it fails.)
      if (failure && !(Array.isArray(choices) && choices.length)) throw failure;
      if (!Array.isArray(choices)) {
        throw new StreamChatError('protocol', 'The endpoint answered with JSON that is not a chat completion (no "choices").');
      }
      const chunk = completionAsChunk(completion as Record<string, unknown> & { choices: unknown[] });
      const decoded: Decoded = { raw: chunk, deltas: deltasOf(chunk), done: true };
      if (failure) decoded.error = failure;
      return decoded;
    },
  };

  function deltasOf(chunk: ChatCompletionChunk): Delta[] {
    const deltas: Delta[] = [];
    const usage = chunk.usage ?? (chunk['x_groq'] as { usage?: Usage } | undefined)?.usage;
    const choices = chunk.choices;
    if (Array.isArray(choices)) {
      for (const choice of choices) {
        if (choice == null) continue;
        if ((choice.index ?? 0) !== 0) continue;
        // Some servers send a finish_reason of "" until the end, Baidu Qianfan's "normal" on every
        // chunk, beside `is_end`, true on the last: the reason of none before it (an answer stopped
        // part-way has none).
        const reason = choice['is_end'] !== false && choice.finish_reason;
        if (reason) decoder.complete = true;
        const delta = choice.delta;
        // (A delta that is no object, `0` or `""` too, has none of the fields read.)
        if (delta) deltaOf(delta, deltas);
        // Mistral's `model_length` and Zhipu's `model_context_window_exceeded`: cut at the context
        // window, as `length` at max_tokens (Gemini's `MAX_TOKENS`). Zhipu's `sensitive`, and the
        // reasons Gemini's endpoint sends as its own enum names, in either case (`SAFETY`,
        // `recitation`, …): cut by a content filter. The end of the text or a stop string: Together's
        // `eos`, Hugging Face TGI's `stop_sequence` (and its `eos_token` before mid-2024), Qianfan's
        // `normal`, Gemini's `STOP`, as OpenAI says it; those alone (one like them may say cut).
        if (typeof reason == 'string') deltas.push({ type: 'finish', reason: /^(model_(length|context_window_exceeded)|max_tokens)$/i.test(reason) ? 'length' : /^(sensitive|(image_)?(safety|recitation|prohibited_content)|blocklist|spii)$/i.test(reason) ? 'content_filter' : /^(eos(_token)?|stop(_sequence)?|normal)$/i.test(reason) ? 'stop' : reason });
      }
    }
    // Perplexity's search results (or, without titles, its citations), Zhipu's web search (its
    // links in `link`) and Tencent Hunyuan's (in `search_info`), on the chunk itself.
    const results = chunk['search_results'] ?? chunk['citations'] ?? chunk['web_search'] ?? (chunk['search_info'] as { search_results?: unknown } | undefined)?.search_results;
    if (Array.isArray(results)) for (const result of results) source(typeof result === 'string' ? { url: result } : result, deltas);
    if (usage != null) deltas.push({ type: 'usage', usage });
    return deltas;
  }

  function deltaOf(delta: ChunkDelta, out: Delta[]): void {
    // (Not a list, it is none: a chunk of a shape nobody documents does not end the answer.)
    const details = Array.isArray(delta.reasoning_details) ? delta.reasoning_details.filter((detail) => detail?.type) : undefined;
    // (Either field may be empty beside the other. Reasoning that comes in reasoning_details alone,
    // MiniMax's and Novita's, is shown too: OpenRouter sends it beside them.)
    const reasoning = delta.reasoning_content || delta.reasoning || (details && thinkingText(details));
    if (typeof reasoning === 'string' && reasoning) {
      out.push({ type: 'reasoning', text: reasoning, ...(reasoning === delta.reasoning_content && { field: 'reasoning_content' as const }) });
      lone = false;
    }
    if (details?.length) out.push({ type: 'reasoning-details', details });
    // LiteLLM's Claude: each piece of a thinking block as a block of its own, its signature last
    // (beside reasoning_content, which has the text), a redacted block whole.
    if (Array.isArray(delta.thinking_blocks)) for (const block of delta.thinking_blocks) thinking(block, out);
    // An answer in audio (`modalities` with "audio") has its text in its transcript, its content
    // null; the audio is not played, and the transcript goes back as the content.
    const content = delta.content || (delta['audio'] as { transcript?: unknown } | null | undefined)?.transcript;
    if (typeof content === 'string') contentText(content, out);
    else if (Array.isArray(content)) {
      for (const part of content) contentPart(part, out);
      if (out.some((each) => each.type === 'reasoning')) lone = false;
    }
    if (typeof delta.refusal === 'string' && delta.refusal) out.push({ type: 'refusal', text: delta.refusal });
    // (One call not in a list: older Hugging Face TGI.)
    const calls = delta.tool_calls as ToolCallDelta[] | ToolCallDelta | null | undefined;
    if (calls) for (const call of Array.isArray(calls) ? calls : calls.function ? [calls] : []) if (call != null) out.push(toolCall(call));
    if (Array.isArray(delta.annotations)) for (const annotation of delta.annotations) if (annotation?.type === 'url_citation') source(annotation.url_citation, out);
  }

  /** A piece of one of Claude's thinking blocks (LiteLLM): the block is kept once its signature comes. */
  function thinking(block: NonNullable<ChunkDelta['thinking_blocks']>[number], out: Delta[]): void {
    if (block?.type === 'redacted_thinking') {
      if (typeof block.data == 'string') out.push({ type: 'thinking-block', block: { type: block.type, data: block.data }, field: 'reasoning_content' });
    } else if (block?.type === 'thinking') {
      if (typeof block.thinking == 'string') thought += block.thinking;
      if (typeof block.signature == 'string' && block.signature) {
        out.push({ type: 'thinking-block', block: { type: block.type, thinking: thought, signature: block.signature }, field: 'reasoning_content' });
        thought = '';
      }
    }
  }

  /** Content text: the answer's, or reasoning between tags ahead of it (see {@link think}). */
  function contentText(text: string, out: Delta[]): void {
    while (text) {
      // Right after a tag, whitespace is left out until text comes.
      if (think % 2) {
        text = text.trimStart();
        if (!text) break;
        if (think < 2) think = 2;
      }
      // Before the answer (at its start, or after a block of reasoning), a tag opens reasoning.
      if ((think === 0 || think === 3) && text.trim()) {
        const open = REASONING_TAG.exec(text);
        if (!open) think = 4;
        else {
          close = `</${open[1]}>`;
          text = text.slice(open[0].length);
          think = 1;
          lone = false;
          continue;
        }
      }
      if (think !== 2) {
        if (lone && endsReasoning(text)) {
          out.push({ type: 'text-was-reasoning' });
          close = '</think>';
          think = 2;
          continue;
        }
        out.push({ type: 'text', text });
        break;
      }
      const end = text.indexOf(close);
      // (Between <think> tags, where MiniMax wants it back.)
      if (end) out.push({ type: 'reasoning', text: end < 0 ? text : text.slice(0, end), ...(close === '</think>' && { field: 'think' }) });
      if (end < 0) break;
      text = text.slice(end + close.length);
      think = 3;
    }
  }

  /**
   * Whether `text`, the answer's, holds a `</think>` on a line of its own, outside a code block,
   * that ends the reasoning the answer so far was (see {@link lone}); keeps the answer otherwise.
   */
  function endsReasoning(text: string): boolean {
    if (text.includes('<think>')) return (lone = false);
    const end = text.indexOf('</think>');
    if (end >= 0) {
      const answer = said + text.slice(0, end);
      if (!answer.slice(-1).replace('\n', '') && !text.charAt(end + 8).trim() && !((answer.match(/^ {0,3}(?:```|~~~)/gm) ?? []).length % 2)) {
        lone = false;
        return true;
      }
    }
    said += text;
    return false;
  }

  function toolCall(call: ToolCallDelta): Delta {
    // (An object, as Hugging Face TGI and some llama.cpp builds send them, is taken as its JSON.)
    const args: unknown = call.function?.arguments;
    const text = typeof args == 'string' ? args : args ? JSON.stringify(args) : '';
    const index = (lastSlot = slotFor(call, text));
    const delta: Delta = { type: 'tool-call', index };
    if (call.id) delta.id = call.id;
    if (call.function?.name) delta.name = call.function.name;
    if (text) delta.arguments = text;
    let [o, shape] = open.get(index) ?? [0, 0];
    for (const c of text) {
      if (!o && /\S/.test(c)) shape = !shape && c == '{' ? 1 : 3;
      o = o & 1 ? o - 1 : o & 2 ? (c == '\\' ? o + 1 : c == '"' ? o - 2 : o) : c == '"' ? o + 2 : c == '{' || c == '[' ? o + 4 : c == '}' || c == ']' ? o - 4 : o;
      if (!o && shape == 1) shape = 2;
    }
    if (text) open.set(index, [o, shape]);
    if (delta.name) names.set(index, delta.name);
    if (call.extra_content != null) delta.extra = call.extra_content;
    return delta;
  }

  /**
   * The slot of a fragment: its `index` when the provider sends one, unless it starts a call (a
   * name) of another id than the one there (Ollama sends parallel calls all at `index` 0): then
   * that id's slot, or a new one, which the fragments after it at that index continue. Without an
   * index (Mistral), a fragment with a new `id` starts a call and one without continues the last.
   * A fragment with a name and arguments where a call is whole (its arguments a JSON object, which
   * nothing continues) starts another, of the same id or none: servers that give each parallel call
   * `call_0`, or "", at one index or none (before, one call of both names and both arguments).
   */
  function slotFor(call: ToolCallDelta, text: string): number {
    let index = call.index;
    const next = () => Math.max(-1, ...slots.keys()) + 1;
    // The slot of the last call with this fragment's id, else a new one past the highest (0, the first).
    const slotOf = () => {
      let found;
      for (const [slot, id] of slots) if (call.id && id === call.id) found = slot;
      return found ?? next();
    };
    // (Told by the scan, not parsed: parsing on each fragment of a gateway that repeats the name on
    // every one, or at each `}{` of a string (LaTeX's `\\frac{a}{b}`), was quadratic. A name alone
    // starts a call where it is another one.)
    const name = call.function?.name;
    const starts = (slot: number) =>
      !!name && (text.trim() ? text.trimStart()[0] == '{' : name !== names.get(slot)) && open.get(slot)?.[1] == 2;
    if (typeof index !== 'number') {
      if (!call.id && lastSlot !== undefined && !starts(lastSlot)) return lastSlot;
      index = slotOf();
      if (starts(index)) index = next();
    } else {
      const given = index;
      index = moved.get(given) ?? given;
      const id = slots.get(index);
      // A call starts with its name: an id that changes on a later fragment (Poolside) is the same call's.
      if (call.id && id && id !== call.id && call.function?.name) moved.set(given, (index = slotOf()));
      else if (starts(index)) moved.set(given, (index = next()));
    }
    if (call.id || !slots.has(index)) slots.set(index, call.id || '');
    return index;
  }

  return decoder;
}

/**
 * A part of a `delta.content` array (Mistral's reasoning models): plain strings and `text` parts are
 * the answer, `thinking` parts (their own array of text parts) are reasoning.
 */
function contentPart(part: ChunkContentPart | null, out: Delta[]): void {
  // (Any other value, `null` or a number, has neither type.)
  const thinking = typeof part != 'string' && part?.type === 'thinking';
  const text = thinking ? thinkingText(part.thinking) : typeof part === 'string' ? part : part?.type === 'text' ? part.text : undefined;
  if (typeof text === 'string' && text) out.push({ type: thinking ? 'reasoning' : 'text', text });
}

/** A cited link, when it has a URL (Zhipu's in `link`). */
function source(cited: { url?: unknown; link?: unknown; title?: unknown } | null | undefined, out: Delta[]): void {
  const url = cited?.url ?? cited?.link;
  if (typeof url === 'string') out.push({ type: 'source', url, title: cited!.title as string });
}

/** The text of a `thinking` part's parts, and of reasoning_details: strings, and each part's `text`. */
function thinkingText(parts: (ChunkContentPart | ReasoningDetail | null)[] | string | undefined): string {
  if (typeof parts === 'string') return parts;
  if (!Array.isArray(parts)) return '';
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    // (A part that is no object, `null` or a number, has no text.)
    else if (typeof part?.text === 'string') text += part.text;
  }
  return text;
}

/**
 * The error a chunk (or a whole JSON answer) carries, in the shapes providers use: a top-level
 * `error` (OpenAI, OpenRouter, vLLM), a bare error object `{"object": "error", "message": …}` (older
 * vLLM), DeepInfra's and Venice's `error_message` beside its `error_type` (a prompt over the context
 * window, in a 200), MiniMax's `base_resp` of a `status_code` other than 0 (a rate limit, a key refused: in a
 * 200, alone; its chunks carry one of 0), Baidu Qianfan v1's `{error_code, error_msg}` (in a 200,
 * as the body or an event: its answers are another API's, but its errors say why), or a choice 0
 * that ends with `finish_reason: "error"`, with or without its own `error` (OpenRouter), or Zhipu's
 * `"network_error"` (its inference failed), or DeepSeek's `"insufficient_system_resource"` (its
 * inference ran out of resources and cut the answer), or vLLM's `"abort"` (its engine aborted the
 * request: shut down, paused or scaled down, then sent [DONE] as if the answer were whole): the
 * reason is its code, which a retry before any text reads as the provider's side failing (z.ai's
 * GLM ends a stream so now and then, and the same request goes through again), but `abort`'s. A
 * call of the legacy `functions` API is one, coded `function_call`. MiniMax's is given Qianfan's
 * field names: a code there is read in its provider's own numbering (see `providerError`), where a
 * rate limit is tried again.
 */
function chunkError(chunk: ChatCompletionChunk, raw = ''): StreamChatError | undefined {
  if (chunk['error'] != null || chunk.object === 'error' || chunk['error_code'] || chunk['error_message']) return providerError(chunk, raw);
  const status = chunk['base_resp'] as { status_code?: unknown; status_msg?: unknown } | undefined;
  if (status?.status_code) return providerError({ error_msg: status.status_msg, error_code: status.status_code }, raw);
  const choices = chunk.choices;
  if (!Array.isArray(choices)) return undefined;
  for (const choice of choices) {
    if ((choice?.index ?? 0) !== 0) continue;
    // A call of the legacy `functions` API (a host's `functions` in `body`; its first fragment
    // names it), not one beside its `tool_calls` nor a `function_call: {}` placeholder: that
    // API's history (`role: "function"`) is not mapped, and sent back as tools a server of that
    // API alone refuses it; asked again, the model calls it again.
    const delta = choice?.delta ?? (choice?.['message'] as ChunkDelta | undefined);
    if ((delta?.['function_call'] as { name?: unknown } | null | undefined)?.name && !delta!.tool_calls?.length) return callError('function_call', 'a function of the legacy `functions` API', 'give the functions as `tools`');
    const reason = choice?.finish_reason;
    if (!/^((network_)?error|insufficient_system_resource|abort)$/.test(reason!)) continue;
    // (Our words when it sent none: English, not the provider's.)
    const error = choice!['error'];
    return providerError(error ?? { code: reason }, error ? raw : '', `The provider ended the answer with an error (finish_reason "${reason}").`);
  }
  return undefined;
}

/** A server that ignored `stream: true` sent the whole completion: read it as the one chunk of a stream. */
function completionAsChunk(completion: Record<string, unknown> & { choices: unknown[] }): ChatCompletionChunk {
  return {
    ...completion,
    object: 'chat.completion.chunk',
    choices: (completion.choices as Array<Record<string, unknown> | null>).map((choice) => {
      const message = (choice?.['message'] ?? {}) as Record<string, unknown>;
      const calls = message['tool_calls'];
      return {
        index: (choice?.['index'] as number | undefined) ?? 0,
        delta: { ...message, ...(Array.isArray(calls) && { tool_calls: calls.map((call: object, index) => ({ index, ...call })) }) },
        finish_reason: (choice?.['finish_reason'] as string | null | undefined) ?? 'stop',
      };
    }),
  };
}
