import { StreamChatError, providerError } from '../errors.js';
import { beyondText, callInput, eventData, formatOf, isFailure, jsonRequest, numberIn, textOf, toolIds, type ChatProtocol, type Decoded, type ProtocolDecoder, type ServerSentEvent, type ToolIds } from '../protocol.js';
import type { ChatMessage, ContentPart, Delta, ToolCall, Usage } from '../types.js';

/**
 * Anthropic's Messages API (`POST …/v1/messages` with `stream: true`): the conversation as
 * alternating user and assistant messages of content blocks, and a stream of typed events
 * (`message_start`, `content_block_delta`, …, `message_stop`).
 */
export const anthropic: ChatProtocol = {
  buildRequest(options) {
    const headers: Record<string, string> = { 'anthropic-version': '2023-06-01' };
    if (options.key) {
      headers['x-api-key'] = options.key;
      // The key is in the page, so the page talks to the API itself: Anthropic asks for this header then.
      headers['anthropic-dangerous-direct-browser-access'] = 'true';
    }
    // A file of the Files API (a `file` source) is refused without its beta.
    if (options.messages.some(({ content }) => Array.isArray(content) && content.some((part) => part.type === 'file' && part.file?.file_id))) {
      headers['anthropic-beta'] = 'files-api-2025-04-14';
    }
    const system = [options.system];
    let messages: Array<{ role: string; content: Block[] }> = [];
    /** The turns that hold an answer's blocks as they came, which stay in their order. */
    const kept = new Set<object>();
    const ids = toolIds(options.messages);
    const refused = refusedTurns(options.messages);
    for (const message of options.messages) {
      if (refused.has(message)) continue;
      if (message.role === 'system') {
        system.push(textOf(message.content));
        continue;
      }
      // The API wants the first turn to be the user's: a greeting the page shows before the first
      // question (and anything else before it) is not sent.
      if (!messages.length && message.role !== 'user') continue;
      const blocks = blocksOf(message, ids);
      // The API wants user and assistant turns to alternate: tool results and the question after them are one user turn.
      const role = message.role === 'assistant' ? 'assistant' : 'user';
      let last = messages.at(-1);
      if (!blocks.length) continue;
      if (last?.role === role) last.content.push(...blocks);
      else messages.push((last = { role, content: blocks }));
      if (keptBlocks(message)) kept.add(last);
    }
    const last = messages.at(-1);
    const answered = new Set(messages.flatMap((turn) => turn.content.map((block) => block['tool_use_id'])));
    answered.delete(undefined);
    // The answer whose server tools the API runs now: the last, with the page's calls, followed by
    // their results alone (with a question too, the API refuses a server tool without its result).
    const [answer, results] = messages.slice(-2);
    const deferred = answer?.role === 'assistant' && results?.content.every((block) => block.type === 'tool_result') && answer;
    messages = messages.filter((turn) => {
      // Tool results first in their turn, as the API wants (a history may have put a question between a call and its result).
      if (turn.role !== 'assistant') {
        turn.content.sort((a, b) => +(b.type === 'tool_result') - +(a.type === 'tool_result'));
        return true;
      }
      // Merged answers: a turn's thinking blocks come first (sort is stable), unless blocks as they came are in it.
      if (!kept.has(turn)) turn.content.sort((a, b) => +/thinking/.test(b.type!) - +/thinking/.test(a.type!));
      // A server tool whose result never came (a stop cut the answer that was to bring it) is
      // refused, but where the API runs it: last in the turn to continue, or in the last answer
      // with the page's calls, before their results (it runs then, its result the next answer's first block).
      turn.content = turn.content.filter(
        (use, at, all) =>
          !/._tool_use$/.test(use.type!) ||
          answered.has(use['id']) ||
          (turn === last && at === all.length - 1) ||
          (turn === deferred && all.some((call) => call.type === 'tool_use')),
      );
      return turn.content.length;
    });
    // A last answer to continue (a stopped one, asked again with retry()) may not end with white space.
    const end = last?.content.at(-1);
    if (last?.role === 'assistant' && end?.type === 'text') last.content.push({ ...last.content.pop(), text: (end['text'] as string).trimEnd() });
    const prompt = system.filter(Boolean).join('\n\n');
    // The container code last ran in (code execution, skills), unless it expired: the code of this
    // request runs there, with the files written before; in a fresh one, they are gone. A turn that
    // goes on (the answer last, or its results alone after it) sends its own also past `expires_at`, a
    // shorter rolling time (the API restores a container for 30 days): code waiting on the results
    // is refused without it ("container_id is required when there are pending tool uses…"), but not
    // 30 days after it (made before `expires_at`, it is gone then).
    const live = (kept: ChatMessage['container'], after = 0) => typeof kept?.id == 'string' && !(Date.parse(kept.expires_at!) + after <= Date.now());
    const going = options.messages.findLast((message) => !refused.has(message) && !/^(tool|system)$/.test(message.role))?.container;
    const container = live(going, 2592e6) ? going : options.messages.findLast(({ container: kept }) => live(kept))?.container;
    const body: Record<string, unknown> = {
      ...(options.model && { model: options.model }),
      max_tokens: numberIn(options.maxTokens) ?? 4096,
      ...(prompt && { system: prompt }),
      messages,
      stream: true,
      temperature: numberIn(options.temperature),
      container: container?.id,
    };
    if (options.tools?.length) {
      body['tools'] = options.tools.map(({ name, description, parameters }) => ({ name, description, input_schema: parameters ?? { type: 'object', properties: {} } }));
    }
    // The page's skills (`container: { skills }`) load in that container, as its id: a container of its own wins.
    // Not `{ id }` alone, which the API refuses, nor the object on a paused turn's continuation (its
    // skills are in the container already): the id.
    const own = options.body?.['container'] as { id?: string; skills?: unknown } | undefined;
    const id = own?.id ?? container?.id;
    const mine = own?.skills && last?.role != 'assistant' ? { ...own, id } : id;
    return jsonRequest(container && own && typeof own == 'object' ? { ...options, body: { ...options.body, container: mine } } : options, headers, body);
  },
  createDecoder: anthropicDecoder,
  end: 'message_stop',
  path: '/v1/messages',
  event: 'a Messages API event',
};

/**
 * The messages of turns Claude's classifiers refused (see {@link ChatMessage.stop_details}), which
 * Anthropic asks to be left out (a request with them is refused again): each from its question (the
 * first of questions in a row) to the refused answer and the results of calls it made. A refused
 * answer no question follows keeps its question: asked again (`retry()`), that is what the request
 * asks, and what the answer after it answered.
 */
function refusedTurns(messages: readonly ChatMessage[]): Set<ChatMessage> {
  const refused = new Set<ChatMessage>();
  let question = 0;
  messages.forEach((message, at) => {
    if (message.role === 'user' && messages[at - 1]?.role !== 'user') question = at;
    if (message.role !== 'assistant' || (message.stop_details as Block | undefined)?.type !== 'refusal') return;
    let end = at + 1;
    // (Its calls' results come after a system message the page added after it, as the conversation gives them.)
    while (/^(tool|system)$/.test(messages[end]?.role as string)) end++;
    const turn = messages.slice(messages[end]?.role === 'user' ? question : at, end);
    for (const each of turn) if (each.role !== 'system') refused.add(each);
  });
  return refused;
}

/**
 * A message as content blocks: its thinking blocks as they came, then its text and images, each
 * tool call a `tool_use` block (its input the parsed arguments), a tool result a `tool_result`
 * block (its images in it; `is_error` when it reports a failure). What is only displayed
 * (reasoning, the provider's own tool runs, sources) stays here; the API refuses text blocks that
 * are empty or only white space. Thinking blocks go back only with the answer they led to: a turn
 * stopped while it still thought is left out whole. An answer kept as the blocks it came in (`content_blocks`: it ran
 * server tools) goes back as those, but text blocks that are only white space, its calls with their ids on the wire
 * (each block its own call's), a call no block is for as one made from it, and a tool_use that is no call left out.
 */
function blocksOf(message: ChatMessage, ids: ToolIds): Block[] {
  const { content } = message;
  if (message.role === 'tool') {
    // A failure says so, which Claude reads as the call having failed, not as its output. No
    // output (a tool that only writes) is no content, which is optional: empty, it has been refused.
    // Images (a screenshot tool's) go in it as blocks, beside its text; text alone goes as text.
    const text = textOf(content);
    const parts = beyondText(content) && partBlocks(content, true);
    const result: Block = { type: 'tool_result', tool_use_id: ids.result(message.tool_call_id), ...((parts || text.trim()) && { content: parts || text }) };
    return [isFailure(message) ? { ...result, is_error: true } : result];
  }
  const calls = ids.calls(message.tool_calls);
  const kept = keptBlocks(message);
  if (kept) {
    // Each call's block goes with the id its call goes out with, which its result has: its own call's
    // (the first of its id not yet given: parallel calls may share one), else, where there are as many
    // blocks as calls, the next call left (a host gave its calls new ids). A tool_use without a name
    // is no call (see MessageBuilder): left out, as a second of an id or one without its result is refused.
    const left: Array<string | null> = message.tool_calls?.map(({ id = '' }) => id) ?? [];
    const uses = kept.filter((each) => each.type === 'tool_use' && each['name']);
    const callOf = new Map<Block, number>();
    for (const use of uses) {
      const call = left.indexOf((use['id'] as string | undefined) ?? '');
      if (call >= 0) left[call] = null;
      callOf.set(use, call);
    }
    for (const [use, call] of callOf) {
      if (call >= 0 || uses.length !== left.length) continue;
      const next = left.findIndex((id) => id !== null);
      left[next] = null;
      callOf.set(use, next);
    }
    // Not a block of a type the API takes back (one newer than this code): refused, in every request after.
    // A call no block is for (a page kept the answer's tool_calls, not their blocks) goes as one made
    // from it, last: without it, its result is of no tool_use, and the API refuses the request.
    const given = new Set(callOf.values());
    return [
      ...kept
        .filter((each) => SENT.test(each.type!) && (each.type !== 'text' || (each['text'] as string).trim()))
        .flatMap((each) => {
          if (each.type !== 'tool_use') return [each];
          const call = calls[callOf.get(each) ?? -1];
          return call ? [{ ...each, id: call.id }] : [];
        }),
      ...calls.filter((_, at) => !given.has(at)).map(toolUse),
    ];
  }
  const blocks: Block[] = [];
  if (Array.isArray(content)) blocks.push(...partBlocks(content));
  else {
    const text = content?.trim() ? content : message.refusal;
    if (text?.trim()) blocks.push({ type: 'text', text });
  }
  blocks.push(...calls.map(toolUse));
  return blocks.length ? [...(message.thinking_blocks ?? []), ...blocks] : blocks;
}

/** A call as a `tool_use` block: its input the parsed arguments, `{}` when they are not a JSON object. */
const toolUse = ({ id, function: call }: ToolCall): Block => ({ type: 'tool_use', id, name: call.name, input: callInput(call.arguments) ?? {} });

/** An answer's blocks as they came, when it has them: a list of blocks, each with its type (a host's or storage's junk is none). */
function keptBlocks({ role, content_blocks: blocks }: ChatMessage): Block[] | undefined {
  return role === 'assistant' && Array.isArray(blocks) && blocks.length && blocks.every((each) => typeof each?.['type'] === 'string' && (each['type'] !== 'text' || typeof each['text'] === 'string')) ? blocks : undefined;
}

/**
 * Content parts as blocks, but text that is only white space. A tool result's part the API does not
 * take is a text that tells the model so, as on Responses: thrown, it failed every later request, the
 * result staying. The error's words up to its last ": ", what the part was (a file's name may hold
 * one): not what a page may do about it (ask with another protocol), which the model cannot.
 */
const partBlocks = (parts: ContentPart[], result?: boolean): Block[] =>
  parts
    .filter((part) => part.type !== 'text' || part.text?.trim())
    .map((part) => {
      try {
        return block(part);
      } catch (error) {
        if (result) return { type: 'text', text: `(${(error as Error).message.replace(/: [^:]*$/, '')}, so it was left out)` };
        throw error;
      }
    });

/**
 * A content part as a block: an image as an `image` block; a file as a `document` block, titled by
 * its name: a PDF as base64, a text file (`text/*`) as its text, a web address as a `url` source,
 * an id of Anthropic's Files API as a `file` source (its beta header added, see buildRequest).
 * Audio and other files the API does not read are said before any request, not refused by it (in
 * a tool result, to the model: see partBlocks).
 */
function block(part: ContentPart): Block {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'input_audio') throw new TypeError('the Messages API takes no audio (an input_audio part): ask with protocol "openai-chat", or without it.');
  if (part.type === 'image_url') {
    const { url } = part.image_url;
    const data = dataUrl(url);
    const base64 = data && base64Of(data);
    // The type its first 3 bytes say (each the API reads starts with its own: JPEG FF D8 FF, PNG 89
    // "PN", GIF "GIF", WebP "RIF" of RIFF; a first letter of base64 is 6 bits alone, a JPEG XL's FF 0A
    // too), not the one its URL names: the API refuses an image that is not what its media_type says,
    // and `image/jpg` (a page that names it by its file's extension).
    const type = data && ({ '/9j/': 'jpeg', iVBO: 'png', R0lG: 'gif', UklG: 'webp' } as Record<string, string>)[base64!.slice(0, 4)];
    return { type: 'image', source: data ? { type: 'base64', media_type: type ? `image/${type}` : data[1], data: base64 } : { type: 'url', url } };
  }
  if (part.type !== 'file') return part;
  const { file_data: url = '', file_id, filename } = part.file;
  const data = dataUrl(url);
  const [, type = ''] = data ?? [];
  const source = file_id
    ? { type: 'file', file_id }
    : /^https?:/i.test(url)
      ? { type: 'url', url }
      : type === 'application/pdf'
        ? { type: 'base64', media_type: type, data: base64Of(data!, filename) }
        : /^text\//i.test(type) && { type: 'text', media_type: 'text/plain', data: textIn(data!, filename) };
  if (!source) throw new TypeError(`the Messages API reads PDFs and text files, not ${filename || type || 'this file'}: send it as one of those, or ask with protocol "openai-responses".`);
  return { type: 'document', source, title: filename || undefined };
}

/**
 * A data URL's bytes (a string of char codes below 256), as a browser's fetch reads them: its
 * letters as UTF-8, each escape as its byte (`%3D` an encoder wrote for base64's `=`; a `%` that
 * starts none, as in `100%`, stays as written), then base64 decoded (white space left out) if it is.
 * Base64 the browser's fetch fails on throws, naming the file (`name`, else its media type): not
 * atob's error, which names neither (and in a tool result the model read as "Failed to execute 'atob'").
 */
const bytesOf = ([, type, , base64, data]: RegExpExecArray, name?: string) => {
  // (Letters in runs, not the whole URL: a PDF's megabytes of base64 are none. Half a surrogate pair
  // is U+FFFD, as a URL's parser writes it: encodeURIComponent throws on it.)
  const bytes = data!.replace(/[^\0-\x7f]+/g, (letters) => unescape(encodeURIComponent(letters.replace(/\p{Cs}/gu, '\ufffd')))).replace(/%[\da-f]{2}/gi, unescape);
  try {
    return base64 ? atob(bytes) : bytes;
  } catch {
    throw new TypeError(`the data URL of ${name || type} is not valid base64: encode it as readAsDataURL() does.`);
  }
};

/**
 * A data URL's data as base64: as it is when it is clean base64 already (FileReader's: no escape or
 * white space, padded), not decoded and encoded again on every request (a PDF's megabytes), but its
 * last group, whose stray bits (YR== for YQ==) the browser drops and an API may refuse.
 */
const base64Of = (url: RegExpExecArray, name?: string) => {
  const data = url[4]!;
  return url[3] && !(data.length % 4) && !/[^\da-z+/=]|=[^=]|===/i.test(data) ? data.slice(0, -4) + btoa(atob(data.slice(-4))) : btoa(bytesOf(url, name));
};

/**
 * A text file's data URL as text, in the charset it names (as XMLHttpRequest reads it): UTF-8 when
 * it names none or one TextDecoder does not know, its bytes that are not UTF-8 as U+FFFD then. A
 * byte-order mark names it first, and is left out (the Encoding standard's decode, as browsers read).
 */
const textIn = (data: RegExpExecArray, name?: string) => {
  const bytes = bytesOf(data, name);
  let decoder;
  try {
    decoder = new TextDecoder(/^\xef\xbb\xbf/.test(bytes) ? 'utf-8' : /^\xfe\xff/.test(bytes) ? 'utf-16be' : /^\xff\xfe/.test(bytes) ? 'utf-16le' : /charset="?([^;"]*)/i.exec(data[2]!)?.[1]);
  } catch {
    decoder = new TextDecoder();
  }
  return decoder.decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
};

/** A data URL's media type, parameters, whether it is base64, and its data. */
const dataUrl = (url: string) => /^data:([^;,]*)([^,]*?)(;base64)?,(.*)$/is.exec(url);

type Block = Record<string, unknown> & { type?: string };

/** The types of an answer's blocks that the API takes back: text, thinking, tools of every kind and their results, compaction, a file a container got. */
const SENT = /^(?:text|thinking|redacted_thinking|tool_use|compaction|container_upload)$|._tool_(?:use|result)$/;

/** The fields of a block that its deltas add to: text, thinking, a signature, a compaction's content. */
const PIECES = ['text', 'thinking', 'signature', 'content'];

/** How Anthropic's stop reasons read in chat-completions words; others (`pause_turn`, …) pass through. */
const STOP_REASONS: Record<string, string | null> = {
  // No prototype: a reason named as one of its fields (`toString`, `constructor`) is none of these.
  __proto__: null,
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/**
 * Reads the events of one message. Blocks are keyed by their `index`: text and thinking deltas go
 * to the answer and the reasoning, a thinking block (its text and `signature_delta`s) or a
 * `redacted_thinking` one is kept whole once it ends, a `tool_use` block is a tool call (its arguments the
 * `input_json_delta`s, not the `input: {}` its start carries), a server tool (`server_tool_use`,
 * `mcp_tool_use`) a status line, and citations with a URL are sources.
 */
function anthropicDecoder(): ProtocolDecoder {
  /** An event of this protocol came. */
  let known = false;
  /** Each block's type, the JSON of its input so far, the block as it came, its deltas laid on it, and whether it ended. */
  const blocks = new Map<number, { type: string; json: string; whole: Block; done?: boolean }>();
  /** The usage of `message_start`, which `message_delta`'s non-null fields complete. */
  let usage: Usage = {};
  /** The thinking block last streamed (another one starts after a blank line). */
  let thought: number | undefined;
  /**
   * A block came that only the blocks as they came can send back (a server tool's, a compaction), or
   * thinking after another block (interleaved thinking), whose order the API wants back unchanged.
   */
  let kept = false;
  /** A block that is not thinking came. */
  let other = false;
  /** The message as `message_start` gave it. */
  let first: Block = {};
  /** `message_delta` came. */
  let ended = false;

  const decoder = {
    complete: false,
    foreign: false,

    decode(event: ServerSentEvent): Decoded {
      if (decoder.complete || event.data === '[DONE]') return { deltas: [] };
      const data = eventData(event, 'a Messages API event');
      // LiteLLM's proxy ends a stream that failed with `{"error": {…}}`, without a type or an
      // `event:` line (before, ignored: the stream ended as cut short, a network error, and was
      // tried again).
      if (data['error'] != null) throw providerError(data, '');
      const deltas: Delta[] = [];
      const index = data['index'] as number;
      // The type is in the data; the `event:` line repeats it, and some servers leave that out.
      const type = data['type'] ?? event.event;
      const format = formatOf(data, type);
      decoder.foreign = !(known ||= format === 'anthropic') && (decoder.foreign || !!format);
      switch (type) {
        case 'content_block_delta':
          blockDelta(deltas, index, (data['delta'] ?? {}) as Block);
          break;
        case 'content_block_start':
          start(deltas, index, (data['content_block'] ?? {}) as Block);
          break;
        case 'content_block_stop':
          stop(deltas, index);
          break;
        case 'message_start':
          startMessage(deltas, (data['message'] ?? {}) as Block);
          break;
        case 'message_delta':
          end(deltas, (data['delta'] ?? {}) as Block, data['usage']);
          break;
        case 'message_stop':
          // No message_delta came: the stop reason (and the blocks to keep) of message_start.
          if (!ended) end(deltas, first);
          decoder.complete = true;
          return { raw: data, deltas, done: true };
      }
      return { raw: data, deltas };
    },

    fromJson(payload: unknown): Decoded {
      const message = payload as Block | null;
      if (message?.type === 'error' || message?.['error'] != null) throw providerError(payload, '');
      // (Parsed JSON of another type than an object, a string or a number, has no `content` either.)
      if (!Array.isArray(message?.['content'])) {
        throw new StreamChatError('protocol', 'The endpoint answered with JSON that is not a message (no "content").');
      }
      const deltas: Delta[] = [];
      startMessage(deltas, message);
      end(deltas, message);
      decoder.complete = true;
      return { raw: message, deltas, done: true };
    },
  };

  /**
   * A message starts (or comes whole): its usage, and the blocks it already carries (a turn that
   * code the API ran called the page's tools in: its run's result and the calls, no block events).
   */
  function startMessage(deltas: Delta[], message: Block): void {
    first = message;
    container(deltas, message);
    if (message['usage'] != null) deltas.push({ type: 'usage', usage: (usage = message['usage'] as Usage) });
    const content = message['content'];
    if (Array.isArray(content)) {
      content.forEach((block: Block, index) => {
        start(deltas, index, block ?? {});
        stop(deltas, index);
      });
    }
  }

  /** A block starts; a whole one (a JSON message, a provider that sends no deltas) carries its text or thinking. */
  function start(deltas: Delta[], index: number, block: Block): void {
    const type = block.type ?? '';
    // Text and thinking are laid on it by blockDelta, as the deltas that follow are.
    const text = type === 'text' || type === 'thinking';
    blocks.set(index, { type, json: '', whole: text ? { type } : { ...block } });
    if (text) blockDelta(deltas, index, block);
    if (!/thinking/.test(type)) other = true;
    else if (other) kept = true;
    if (type === 'tool_use') {
      deltas.push({ type: 'tool-call', index, id: block['id'] as string, name: block['name'] as string });
      return;
    }
    if (type !== 'redacted_thinking' && !text) kept = true;
    // A result shows nothing: its call's line says what ran, also when the call paused the answer before.
    if (type.endsWith('_tool_use')) serverTool(deltas, index, block['name'], block['input']);
  }

  /**
   * A delta of a block (or a whole block's start): text, thinking or its signature, a tool's input
   * JSON, a citation. The block to send back gets each piece (a compaction's `content` too).
   */
  function blockDelta(deltas: Delta[], index: number, delta: Block): void {
    const { text, thinking, partial_json: json, citation } = delta;
    const block = blocks.get(index);
    const whole: Block = block?.whole ?? {};
    // Kept exactly: empty pieces too, and a signature whole however it came.
    for (const key of PIECES) if (typeof delta[key] === 'string') whole[key] = ((whole[key] as string | undefined) ?? '') + (delta[key] as string);
    if (typeof text === 'string' && text) deltas.push({ type: 'text', text });
    else if (typeof thinking === 'string' && thinking) {
      deltas.push({ type: 'reasoning', text: thought === undefined || thought === index ? thinking : `\n\n${thinking}` });
      thought = index;
    } else if (typeof json === 'string') {
      if (!block) return;
      block.json += json;
      if (block.type === 'tool_use' && json) deltas.push({ type: 'tool-call', index, arguments: json });
    }
    const citations = citation ? [citation] : delta['citations'];
    if (Array.isArray(citations)) {
      for (const each of citations) {
        ((whole['citations'] ??= []) as unknown[]).push(each);
        source(deltas, each);
      }
    }
  }

  /**
   * A block ends (once): a thinking block is whole; a call that streamed no arguments gets the
   * input its start carried (`{}` when empty); a server tool says what it did.
   */
  function stop(deltas: Delta[], index: number): void {
    const block = blocks.get(index);
    if (!block || block.done) return;
    block.done = true;
    const { type, json, whole } = block;
    if (json) {
      try {
        whole['input'] = JSON.parse(json);
      } catch {
        // Cut short: the input its start carried.
      }
    }
    if (type === 'thinking') {
      deltas.push({ type: 'thinking-block', block: { type, thinking: (whole['thinking'] as string | undefined) ?? '', signature: (whole['signature'] as string | undefined) ?? '' } });
    } else if (type === 'redacted_thinking' && typeof whole['data'] === 'string') {
      deltas.push({ type: 'thinking-block', block: { type, data: whole['data'] } });
    } else if (type === 'tool_use' && !json) {
      deltas.push({ type: 'tool-call', index, arguments: JSON.stringify(whole['input'] ?? {}) });
    } else if (type.endsWith('_tool_use') && json) {
      serverTool(deltas, index, undefined, whole['input']);
    }
  }

  /** The container the message's code ran in (`{ id, expires_at }`), in message_start's message or message_delta's delta. */
  function container(deltas: Delta[], { container }: Block): void {
    if (container) deltas.push({ type: 'container', container: container as { id: string } });
  }

  function serverTool(deltas: Delta[], index: number, name: unknown, input: unknown): void {
    const { query, url, command, code } = (input ?? {}) as Record<string, unknown>;
    const detail = query ?? url ?? command ?? code;
    deltas.push({ type: 'server-tool', index, ...(typeof name === 'string' && { name }), ...(typeof detail === 'string' && detail && { detail: detail.trim().split('\n')[0]! }) });
  }

  /** `message_delta` (or a whole message): the stop reason, and the usage with the non-null fields it updates. */
  function end(deltas: Delta[], delta: Block, update?: unknown): void {
    ended = true;
    container(deltas, delta);
    // Blocks the message ends in end as their content_block_stop would end them: some servers
    // leave stops out (Kimi's Anthropic endpoint, between blocks: xemantic/anthropic-sdk-kotlin#147),
    // and a call whose input came whole in its start had none, a thinking block was not kept.
    for (const index of blocks.keys()) stop(deltas, index);
    const reason = delta['stop_reason'];
    if (reason === 'refusal') {
      const details = delta['stop_details'] as Block | null | undefined;
      const explanation = details?.['explanation'];
      // "No refusal message is included": its explanation, when one came, is what the reader sees.
      if (typeof explanation === 'string') deltas.push({ type: 'refusal', text: explanation });
      deltas.push({ type: 'stop-details', details: details?.type === 'refusal' ? details : { type: 'refusal' } });
    }
    // (A paused answer goes back as it came, to go on, also one of text alone.)
    if (kept || (reason === 'pause_turn' && blocks.size)) deltas.push({ type: 'content-blocks', blocks: [...blocks.values()].map((block) => block.whole) });
    if (typeof reason === 'string') deltas.push({ type: 'finish', reason: STOP_REASONS[reason] ?? reason });
    if (update === null || typeof update !== 'object') return;
    // Defined, not assigned: a field named `__proto__` stays a field and sets no prototype.
    deltas.push({ type: 'usage', usage: (usage = { ...usage, ...Object.fromEntries(Object.entries(update).filter(([, value]) => value != null)) }) });
  }

  return decoder;
}

/** A citation's link: a web search result's, or a search result's source the page gave when it is a web address; citations of documents have none. */
function source(deltas: Delta[], citation: unknown): void {
  const { source, title, url = /^https?:/i.test(source as string) ? source : undefined } = (citation ?? {}) as { source?: unknown; title?: unknown; url?: unknown };
  if (typeof url === 'string') deltas.push({ type: 'source', url, ...(typeof title === 'string' && title && { title }) });
}
