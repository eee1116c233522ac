import { StreamChatError, callError, providerError } from '../errors.js';
import { beyondText, callArguments, eventData, formatOf, jsonRequest, numberIn, textOf, toolIds, type ChatProtocol, type Decoded, type ProtocolDecoder, type ServerSentEvent, type ToolIds } from '../protocol.js';
import type { ChatMessage, ContentPart, Delta, OutputItem, Usage } from '../types.js';

/**
 * OpenAI's Responses API (`POST …/v1/responses` with `stream: true`): the conversation as input
 * items, and a stream of typed events (`response.output_text.delta`, …, `response.completed`).
 */
export const openaiResponses: ChatProtocol = {
  buildRequest(options) {
    const ids = toolIds(options.messages);
    const question = options.messages.findLastIndex((message) => message.role === 'user');
    const tokens = numberIn(options.maxTokens);
    const body: Record<string, unknown> = {
      ...(options.model && { model: options.model }),
      input: options.messages.flatMap((message, at) => inputItems(message, ids, at > question)),
      ...(options.system && { instructions: options.system }),
      stream: true,
      temperature: numberIn(options.temperature),
      // At least 16, the least the API takes: below, it refuses the request (chat-completions takes it).
      // Not 0 or less, sent as set as chat-completions sends it: refused with a 400 that says why, or
      // a server's "no limit" (-1), not an answer cut at 16 tokens.
      max_output_tokens: tokens! > 0 && tokens! < 16 ? 16 : tokens,
    };
    if (options.tools?.length) {
      // `strict: false` as chat-completions has it: left out, the Responses API makes a schema strict
      // where it can, and optional parameters become required ones.
      body['tools'] = options.tools.map(({ name, description, parameters }) => ({
        type: 'function',
        name,
        description,
        parameters: parameters ?? { type: 'object', properties: {} },
        strict: false,
      }));
    }
    return jsonRequest(options, options.key ? { Authorization: `Bearer ${options.key}` } : {}, body);
  },
  createDecoder: responsesDecoder,
  end: 'response.completed',
  event: 'a Responses API event',
  path: '/v1/responses',
};

/**
 * A message as input items: its text (and images) as a message item (an answer's with its
 * `phase`), each tool call as a `function_call` item, a tool result as a `function_call_output`
 * (its images in it); in a step of the turn under way (`going`), its reasoning items first. An
 * answer whose items came in another order has them back in it (see {@link inOrder}). What is only
 * displayed (reasoning, the provider's own tool runs, sources) and Claude's thinking blocks stay
 * here.
 */
function inputItems(message: ChatMessage, ids: ToolIds, going: boolean): object[] {
  const { role, content } = message;
  if (role === 'tool') {
    // Images (a screenshot tool's) go in its output, as input_image items beside its text; text alone goes as text.
    // A part the API does not take is a text that tells the model so, as on Anthropic (see its partBlocks): thrown,
    // it failed every later request, the result staying.
    const output = beyondText(content)
      ? content.map((part) => {
          try {
            return inputPart(part);
          } catch (error) {
            return { type: 'input_text', text: `(${(error as Error).message.replace(/: [^:]*$/, '')}, so it was left out)` };
          }
        })
      : textOf(content);
    return [{ type: 'function_call_output', call_id: ids.result(message.tool_call_id), output }];
  }
  const reasoning = going ? reasoningItems(message) : [];
  const calls = ids.calls(message.tool_calls).map(({ id, function: call }) => ({ type: 'function_call', call_id: id, name: call.name, arguments: callArguments(call.arguments) }));
  const ordered = role === 'assistant' && inOrder(message, reasoning, calls);
  if (ordered) return ordered;
  const items: object[] = [...reasoning];
  if (Array.isArray(content) && role !== 'assistant') {
    items.push({ role, content: content.map(inputPart) });
  } else {
    const text = textOf(content) || message.refusal;
    if (text) items.push(said(role, text, message.phase));
  }
  return [...items, ...calls];
}

/**
 * A message item: an answer's with `type: "message"` and its phase (a question never has one).
 * llama.cpp's llama-server takes an answer only with its type (tools/server/server-chat.cpp,
 * server_chat_convert_responses_to_chatcmpl: `item.at("type") == "message"`; else every later
 * request is a 400, "Cannot determine type of 'item'"); to OpenAI's API and vLLM's it is optional.
 */
function said(role: string, content: string, phase: unknown): object {
  return role === 'assistant' ? { type: 'message', role, content, ...(typeof phase === 'string' && { phase }) } : { role, content };
}

/**
 * An answer's items in the order its response gave them, by its outline (see
 * {@link ChatMessage.output_items}): each message item with its own text and phase, the calls and
 * the reasoning items to send in their places. None when the outline does not fit the answer (not
 * one, or its text or calls changed since): the answer then goes as any other.
 */
function inOrder({ content, output_items: outline }: ChatMessage, reasoning: object[], calls: object[]): object[] | undefined {
  if (!Array.isArray(outline)) return;
  const text = textOf(content);
  const items: object[] = [];
  /** Each message's text at its start. */
  const texts: string[] = [];
  let at = 0;
  let sum = 0;
  let call = 0;
  let thought = 0;
  for (const entry of outline) {
    const { type, length, at: from, phase } = (entry ?? {}) as Partial<Record<'type' | 'phase', unknown> & Record<'length' | 'at', number>>;
    if (type === 'message') {
      // Each message's text after the first follows a blank line (see responsesDecoder's answerText), at
      // `at` (an outline kept before `at` was has none: after the message before it).
      const start = typeof from == 'number' ? from : at && at + 2;
      // (A start past the text's end would make `texts` a sparse array that long.)
      if (typeof length != 'number' || length < 1 || !(start <= text.length)) return;
      items.push(said('assistant', (texts[start] = text.slice(start, (at = start + length))), phase));
      sum += (sum && 2) + length;
    } else if (type === 'reasoning') {
      // (An earlier turn's, or none that can go: nothing in its place.)
      const item = reasoning[thought++];
      if (item) items.push(item);
    } else if (type === 'function_call' && call < calls.length) items.push(calls[call++]!);
    else return;
  }
  // The texts in the order of their starts make up the answer's, and their lengths add up to its (a
  // message at another's start replaces it in `texts` but adds its length): none overlaps another or
  // leaves text out, as a host's edit of the outline could make them.
  return sum === text.length && texts.flat().join('\n\n') === text && call === calls.length && (!reasoning.length || thought === reasoning.length) ? items : undefined;
}

/**
 * The encrypted reasoning items of a step of the turn under way (see
 * {@link ChatMessage.reasoning_items}), to go back with its calls; an earlier turn's are not sent
 * (the model does not use an earlier turn's reasoning). Not a list of reasoning items: none.
 */
function reasoningItems({ role, reasoning_items: items }: ChatMessage): object[] {
  return role === 'assistant' && Array.isArray(items) && items.every((item) => item?.['type'] === 'reasoning') ? items : [];
}

/**
 * A content part as the API takes it: a file as an `input_file` of one source, as the API wants:
 * its `file_id`, else a web address in `file_data` (as OpenRouter takes one) as `file_url`, else
 * its `file_data` with its `filename` (`file` without one: the API refuses data without a name,
 * and a name beside an id or a web address). The API takes no audio: said before any request (in a
 * tool result, to the model: see inputItems).
 */
function inputPart(part: ContentPart): object {
  if (part.type === 'text') return { type: 'input_text', text: part.text };
  if (part.type === 'image_url') return { type: 'input_image', image_url: part.image_url.url, detail: part.image_url.detail ?? 'auto' };
  if (part.type === 'file') {
    const { file_data: data, file_id, filename } = part.file;
    return { type: 'input_file', ...(file_id ? { file_id } : /^https?:/i.test(data!) ? { file_url: data } : { file_data: data, filename: filename || 'file' }) };
  }
  if (part.type === 'input_audio') throw new TypeError('the Responses API takes no audio (an input_audio part): ask with protocol "openai-chat", or without it.');
  return part;
}

/** The output items the provider runs itself (their type, `…_call`), shown as status lines; never run in the page. */
const SERVER_TOOLS = /^(web_search|file_search|code_interpreter|mcp|image_generation)_call$/;

/**
 * Calls of other kinds than a function, for the client to run (a shell's is the provider's where its
 * output follows: a hosted one), and an MCP tool's call for the client to approve.
 */
const CLIENT_CALLS = /^((custom_tool|computer|(local_)?shell|apply_patch)_call|mcp_approval_request)$/;

type Item = Record<string, unknown> & { type?: string };
type Part = { type?: string; text?: string; refusal?: string; annotations?: unknown };

/**
 * Reads the events of one response. Items are keyed by `output_index` (some providers change an
 * item's id on every event), or, where a server sends none (llama.cpp's llama-server), by their id
 * in the order they came; the text deltas win over a final text that disagrees with them (a call's
 * whole arguments over its deltas), and a text, refusal or call's arguments sent only whole (in its
 * `done` event) is taken from there.
 */
function responsesDecoder(): ProtocolDecoder {
  /** An event of this protocol came. */
  let known = false;
  /** Text and refusal parts that streamed, as `output_index * 1024 + content_index`. */
  const parts = new Set<number>();
  /** The arguments streamed per function call, by output index. */
  const args = new Map<number, string>();
  /**
   * The arguments a call's start gave, by output index: taken when no fragment and no whole text
   * follow, or as the beginning of its fragments when the first does not begin them again
   * (llama-cpp-python's server gave its first fragment there, then in its deltas again).
   */
  const started = new Map<number, string>();
  /** The reasoning part last streamed (a part of another item or summary gets a blank line before it). */
  let thought: string | undefined;
  /** Output indexes of reasoning items that streamed. */
  const reasoned = new Set<number>();
  let called = false;
  /** The output index of the message item whose text came last. */
  let said: number | undefined;
  /** The length of each message item's text in the answer, by output index, in the order their text came. */
  const lengths = new Map<number, number>();
  /** Each output item whole, as its `output_item.done` gave it, at its output index. */
  const doneItems: Item[] = [];
  /** Each item done, in the order they came (see end). */
  const dones: Item[] = [];
  /** The output index given to each item id, where events come without one (see decode). */
  const byId = new Map<unknown, number>();
  /** Where an output index a server gave to a second item points now (see decode). */
  const moved = new Map<number, number>();

  const decoder = {
    complete: false,
    foreign: false,

    decode(event: ServerSentEvent): Decoded {
      if (decoder.complete) return { deltas: [] };
      // Gateways that end every stream the chat-completions way.
      if (event.data === '[DONE]') return { deltas: [] };
      const data = eventData(event, 'a Responses event');
      // An error nested in an event of another type than `error` (eventData throws that one):
      // OpenRouter's `response.error`, and LiteLLM's proxy's `{"error": {…}}` with no type: its
      // provider's message and code (LiteLLM's, before, ignored: the stream ended as cut short, a
      // network error, and was tried again).
      if (data['error'] != null) throw providerError(data, '');
      const deltas: Delta[] = [];
      let index = data['output_index'] as number;
      // (A call's item without an id, from older llama-servers, is known by its call_id, which its
      // argument deltas give as their item_id.)
      const item = data['item'] as Item | undefined;
      const id = data['item_id'] ?? item?.['id'] ?? item?.['call_id'];
      if (index == null && id != null) byId.set(id, (index = byId.get(id) ?? byId.size));
      // The type is in the data; the `event:` line repeats it, and some servers leave that out.
      const type = (data['type'] ?? event.event) as string;
      // Ollama gives a call that came in a later chunk than the one before it the same output index:
      // an item added where one of another id is done already goes after the items done, and with it
      // the events after it at that index. An item's start sent again is that item (moved, a call's
      // was a second call of its call_id, run twice).
      const at = index;
      index = moved.get(at) ?? at;
      if (type === 'response.output_item.added' && doneItems[index] && doneItems[index]!['id'] !== item?.['id']) moved.set(at, (index = doneItems.length));
      const part = index * 1024 + ((data['content_index'] as number) ?? 0);
      const format = formatOf(data, type);
      decoder.foreign = !(known ||= format === 'openai-responses') && (decoder.foreign || !!format);
      switch (type) {
        case 'response.output_text.delta':
          parts.add(part);
          answerText(deltas, index, data['delta']);
          break;
        case 'response.refusal.delta':
          parts.add(part);
          refusal(deltas, data['delta']);
          break;
        case 'response.output_text.done':
          donePart(deltas, part, data as Part);
          break;
        case 'response.refusal.done':
          donePart(deltas, part, { type: 'refusal', refusal: data['refusal'] as string });
          break;
        case 'response.output_text.annotation.added':
          source(deltas, data['annotation']);
          break;
        case 'response.function_call_arguments.delta':
          addArguments(deltas, index, data['delta']);
          break;
        case 'response.function_call_arguments.done':
          addArguments(deltas, index, data['arguments'], true);
          break;
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          reasoned.add(index);
          reasoningText(deltas, `${type}${index}:${data['summary_index'] ?? data['content_index']}`, data['delta']);
          break;
        case 'response.output_item.added':
          outputItem(deltas, index, item, false);
          break;
        case 'response.output_item.done':
          doneItems[index] = item!;
          dones.push(item!);
          outputItem(deltas, index, item, true);
          break;
        case 'response.completed':
        case 'response.incomplete':
        case 'response.failed':
          return { raw: data, deltas, done: true, error: end(deltas, (data['response'] ?? {}) as Item, type.slice(9)) };
      }
      return { raw: data, deltas };
    },

    fromJson(payload: unknown): Decoded {
      const response = payload as Item | null;
      if (response?.['error'] != null) throw providerError(payload, '');
      // (Parsed JSON of another type than an object, a string or a number, has no `output` either.)
      if (!Array.isArray(response?.['output'])) {
        throw new StreamChatError('protocol', 'The endpoint answered with JSON that is not a response (no "output").');
      }
      const deltas: Delta[] = [];
      return { raw: response, deltas, done: true, error: end(deltas, response, 'completed') };
    },
  };

  /** An output item starts (`done` false) or is complete: its calls, server tools, and what did not stream of it. */
  function outputItem(deltas: Delta[], index: number, item: Item | undefined, done: boolean): void {
    const type = item?.type ?? '';
    if (type === 'function_call') {
      called = true;
      const call: Delta = { type: 'tool-call', index };
      if (item!['call_id']) call.id = item!['call_id'] as string;
      if (item!['name']) call.name = item!['name'] as string;
      deltas.push(call);
      if (done) addArguments(deltas, index, item!['arguments'], true);
      else if (typeof item!['arguments'] == 'string') started.set(index, item!['arguments']);
    } else if (SERVER_TOOLS.test(type)) {
      const action = (item!['action'] ?? {}) as Item;
      const detail = action['query'] ?? action['url'] ?? (item!['queries'] as string[] | undefined)?.join(', ') ?? item!['code'] ?? item!['server_label'];
      const tool: Delta = { type: 'server-tool', index, name: type === 'mcp_call' ? (item!['name'] as string) : type.slice(0, -5) };
      if (typeof detail === 'string' && detail) tool.detail = detail.trim().split('\n')[0]!;
      deltas.push(tool);
    } else if (done && type === 'message') {
      (item!['content'] as Part[] | undefined)?.forEach((part, at) => donePart(deltas, index * 1024 + at, part));
    } else if (done && type === 'reasoning' && !reasoned.has(index)) {
      for (const [at, part] of [...((item!['summary'] as Part[]) ?? []), ...((item!['content'] as Part[]) ?? [])].entries()) {
        reasoningText(deltas, `${index}:${at}`, part.text);
      }
    }
  }

  /** A complete text or refusal part: its text unless it streamed already, and its citations. */
  function donePart(deltas: Delta[], key: number, part: Part): void {
    if (!parts.has(key)) {
      parts.add(key);
      if (part.type === 'refusal') refusal(deltas, part.refusal);
      else answerText(deltas, key >> 10, part.text);
    }
    if (Array.isArray(part.annotations)) for (const annotation of part.annotations) source(deltas, annotation);
  }

  /**
   * Arguments of a function call: a fragment, or (`whole`) all of them, of which only what did not
   * stream is new; all of them in place of those streamed where these are not their beginning (a
   * proxy that dropped or doubled a fragment), as the API's final word.
   */
  function addArguments(deltas: Delta[], index: number, value: unknown, whole?: boolean): void {
    const sent = args.get(index) ?? '';
    let added = typeof value === 'string' ? value : '';
    const start = started.get(index) ?? '';
    if (whole && sent && added && !added.startsWith(sent)) {
      args.set(index, added);
      deltas.push({ type: 'tool-call', index, whole: added });
      return;
    }
    if (!sent && !whole && !added.startsWith(start) && !start.startsWith(added)) added = start + added;
    if (whole) added = sent ? added.slice(sent.length) : added || start || '{}';
    if (!added) return;
    args.set(index, sent + added);
    deltas.push({ type: 'tool-call', index, arguments: added });
  }

  /**
   * Answer text; another message item's after a blank line (GPT-5 may say what it does next in one
   * message, then answer in another, in one response).
   */
  function answerText(deltas: Delta[], index: number, value: unknown): void {
    if (typeof value !== 'string' || !value) return;
    deltas.push({ type: 'text', text: said === undefined || said === index ? value : `\n\n${value}` });
    said = index;
    lengths.set(index, (lengths.get(index) ?? 0) + value.length);
  }

  /** Reasoning text; a new part after earlier reasoning starts after a blank line. */
  function reasoningText(deltas: Delta[], part: string, value: unknown): void {
    if (typeof value !== 'string' || !value) return;
    deltas.push({ type: 'reasoning', text: thought === undefined || thought === part ? value : `\n\n${value}` });
    thought = part;
  }

  /**
   * The terminal event: its finish reason in chat-completions words and its usage, or its failure;
   * returned, the error of a call the page cannot run.
   */
  function end(deltas: Delta[], response: Item, type: string): StreamChatError | undefined {
    decoder.complete = true;
    // A status that is not text (a broken server's) is the event's, as a missing one; so is a reason
    // that is not text, below: `finishReason` is a string.
    const status = typeof response['status'] == 'string' ? response['status'] : type;
    if (status === 'failed') throw providerError(response['error'], '', 'The response failed.');
    const output = Array.isArray(response['output']) ? (response['output'] as Item[]) : [];
    // Items whose events never came (a gateway that fakes a stream with this event alone, or drops
    // some) are taken from it, as from JSON. An item done is the one at its output index, when that
    // is of its type, else the first left of its type: a gateway may number them otherwise (LiteLLM's
    // bridge gives its reasoning and its message both 0 and its calls 1 on, then lists reasoning,
    // message, calls: by index alone, its text was taken twice, or its call, and run twice).
    const left = new Set(dones);
    const own = output.map((item, index) => doneItems[index]?.type === item?.type && left.delete(doneItems[index]!));
    output.forEach((item, index) => {
      const same = own[index] || [...left].find((each) => each?.type === item?.type);
      if (!same) outputItem(deltas, index, item, true);
      else left.delete(same as Item);
    });
    // A call that ended with none of its items done: its arguments are those of its start.
    for (const [index, start] of started) if (start && !args.has(index)) addArguments(deltas, index, start, true);
    const calls = called || output.some((item) => item?.type === 'function_call');
    // A reasoning model's step with calls: its reasoning goes back with them while the turn goes on,
    // when it came encrypted (then nothing is looked up by id: such items are not kept by every
    // server, nor for ever).
    const items = output.length ? output : doneItems;
    // A call of another kind than a function left to the client (no output of it in the response),
    // and no function call the page runs beside it: nothing runs it, and the answer would end empty,
    // its call dropped. (The items done too: a terminal event may list fewer.) One a message follows
    // was run by the server: xAI's X search is a `custom_tool_call`, its answer after it. One in a
    // response cut short (`incomplete`) is its length's end. An MCP server's request for approval
    // (its tool without `require_approval: "never"`) is one too: the page cannot give it.
    const lists = [output, dones];
    const other =
      status === 'completed' &&
      !calls &&
      lists
        .flatMap((list) => list.slice(list.findLastIndex((item) => item?.type === 'message') + 1))
        .find((item) => CLIENT_CALLS.test(item?.type!) && !lists.some((list) => list.some((each) => each?.type === `${item.type}_output`)));
    if (other) {
      const { type: kind, name, server_label: server } = other as Item & { type: string };
      return kind === 'mcp_approval_request'
        ? callError(kind, `${typeof name == 'string' ? `the \`${name}\` tool` : 'a tool'} of ${typeof server == 'string' ? `the MCP server \`${server}\`` : 'an MCP server'}, asking for approval`, 'set `require_approval: "never"` for that server in `body.tools` (the page cannot approve a call)')
        : callError(kind, `a tool by a \`${kind}\` item`, "the page's `tools` run `function` tools only");
    }
    const reasoning = items.filter((item) => item?.type === 'reasoning');
    const kept = status === 'completed' && calls && reasoning.length && reasoning.every((item) => typeof item['encrypted_content'] === 'string');
    if (kept) deltas.push({ type: 'reasoning-items', items: reasoning.map(({ id: _id, ...item }) => item) });
    const phase = items.findLast((item) => item?.type === 'message' && typeof item['phase'] === 'string')?.['phase'];
    if (phase) deltas.push({ type: 'phase', phase: phase as string });
    // Where each message's text starts in the answer: a message that came only in this event follows
    // those that streamed, whatever its place.
    let at = 0;
    const starts: number[] = [];
    for (const [index, length] of lengths) (starts[index] = at), (at += length + 2);
    // The order of the items that go back, when one message between its reasoning and its calls would
    // not give it (two messages, reasoning between calls): `r`easoning kept, `m`essages, `f`unction calls.
    const outline = items.flatMap((item, index): OutputItem[] => {
      const type = item?.type;
      const length = lengths.get(index);
      if (type === 'message') return length ? [{ type, length, at: starts[index]!, ...(typeof item['phase'] === 'string' && { phase: item['phase'] }) }] : [];
      return type === 'function_call' || (type === 'reasoning' && kept) ? [{ type }] : [];
    });
    if (!/^r*m?f*$/.test(outline.map(({ type }) => type[0]).join(''))) deltas.push({ type: 'output-items', items: outline });
    const reason = (response['incomplete_details'] as { reason?: unknown } | null)?.reason;
    // (Incomplete with no reason, vLLM's before vllm-project/vllm#24561: its one cause, the length limit.)
    deltas.push({
      type: 'finish',
      reason: status === 'completed' ? (calls ? 'tool_calls' : 'stop') : reason === 'max_output_tokens' || (status === 'incomplete' && typeof reason != 'string') ? 'length' : typeof reason == 'string' ? reason : status,
    });
    if (response['usage'] != null) deltas.push({ type: 'usage', usage: response['usage'] as Usage });
  }

  return decoder;
}

function refusal(deltas: Delta[], value: unknown): void {
  if (typeof value === 'string' && value) deltas.push({ type: 'refusal', text: value });
}

/** A `url_citation` annotation's link. */
function source(deltas: Delta[], annotation: unknown): void {
  const { type, url, title } = (annotation ?? {}) as { type?: string; url?: unknown; title?: unknown };
  if (type === 'url_citation' && typeof url === 'string') deltas.push({ type: 'source', url, ...(typeof title === 'string' && title && { title }) });
}
