/**
 * The mock model's three wire formats: what each of chat-completions, OpenAI's Responses API and
 * Anthropic's Messages API sends for the same answer, as SSE text, and each one's request read
 * back into the chat-completions shape the mock plans its answer from.
 */

/** The wire formats, as `<stream-chat protocol>` names them. */
export type MockProtocol = 'openai-chat' | 'openai-responses' | 'anthropic';

/** A request in the chat-completions shape: what the mock reads of it. */
export interface MockCompletionRequest {
  messages: ReadonlyArray<{ role?: unknown; content?: unknown; tool_call_id?: unknown; tool_calls?: unknown }>;
  tools?: ReadonlyArray<{ function?: { name?: unknown } }>;
}

/** A page a mock web search found. */
export interface MockSource {
  url: string;
  title: string;
}

/** The events of one answer, each as the SSE text of its wire format (empty where a format has no such thing). */
export interface Wire {
  start(inputTokens: number): string;
  text(token: string): string;
  reasoning(token: string): string;
  /** A tool call starts; `args` continue it. Calls come one after the other. */
  call(index: number, id: string, name: string): string;
  args(index: number, piece: string): string;
  /** A web search the provider runs itself: the text when it starts and when its results are in. */
  search(query: string, found: readonly MockSource[]): [start: string, done: string];
  /** A citation of the text that follows. */
  cite(source: MockSource): string;
  error(message: string): string;
  /** The answer ends: complete, with tool calls, or (Anthropic's) paused while its server tools run. */
  end(reason: 'stop' | 'tool_calls' | 'pause_turn', usage: { input: number; output: number }): string;
}

export function wireFor(protocol: MockProtocol): Wire {
  if (protocol === 'openai-responses') return responsesWire();
  if (protocol === 'anthropic') return anthropicWire();
  return chatWire();
}

const data = (value: object) => `data: ${JSON.stringify(value)}\n\n`;
/** An event of a typed stream: its type as the `event:` line and inside the data, as both APIs send it. */
const typed = (type: string, fields: object = {}) => `event: ${type}\n${data({ type, ...fields })}`;
const randomId = () => Math.random().toString(36).slice(2, 12);

function chatWire(): Wire {
  const id = `chatcmpl-mock-${randomId()}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finishReason: string | null = null, usage?: object) =>
    data({ id, object: 'chat.completion.chunk', created, model: 'mock', choices: [{ index: 0, delta, finish_reason: finishReason }], ...(usage ? { usage } : {}) });
  return {
    start: () => chunk({ role: 'assistant', content: '' }),
    text: (content) => chunk({ content }),
    reasoning: (reasoning_content) => chunk({ reasoning_content }),
    call: (index, callId, name) => chunk({ tool_calls: [{ index, id: callId, type: 'function', function: { name, arguments: '' } }] }),
    args: (index, piece) => chunk({ tool_calls: [{ index, function: { arguments: piece } }] }),
    // Chat-completions has no provider-side tools or citations.
    search: () => ['', ''],
    cite: () => '',
    error: (message) => data({ error: { message, type: 'server_error', code: 'mock_error' } }),
    end: (reason, { input, output }) => chunk({}, reason, { prompt_tokens: input, completion_tokens: output, total_tokens: input + output }) + 'data: [DONE]\n\n',
  };
}

function responsesWire(): Wire {
  const response = { id: `resp_mock_${randomId()}`, object: 'response', model: 'mock' };
  /** The output item open now: a message or reasoning being streamed. */
  let open: { kind: 'message' | 'reasoning'; id: string; index: number; text: string } | undefined;
  let outputs = 0;
  const calls = new Map<number, { index: number; id: string; callId: string; name: string; args: string }>();
  const close = () => {
    if (!open) return '';
    const { kind, id, index, text } = open;
    open = undefined;
    const item =
      kind === 'message'
        ? { id, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }
        : { id, type: 'reasoning', summary: [{ type: 'summary_text', text }] };
    return typed('response.output_item.done', { output_index: index, item });
  };
  const ensure = (kind: 'message' | 'reasoning') => {
    if (open?.kind === kind) return '';
    const closed = close();
    const index = outputs++;
    const id = `${kind === 'message' ? 'msg' : 'rs'}_mock_${index}`;
    open = { kind, id, index, text: '' };
    if (kind === 'reasoning') {
      return `${closed}${typed('response.output_item.added', { output_index: index, item: { id, type: 'reasoning', summary: [] } })}${typed('response.reasoning_summary_part.added', { item_id: id, output_index: index, summary_index: 0, part: { type: 'summary_text', text: '' } })}`;
    }
    return `${closed}${typed('response.output_item.added', { output_index: index, item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] } })}${typed('response.content_part.added', { item_id: id, output_index: index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } })}`;
  };
  return {
    start: () => typed('response.created', { response: { ...response, status: 'in_progress', output: [] } }),
    text(delta) {
      const opened = ensure('message');
      open!.text += delta;
      return opened + typed('response.output_text.delta', { item_id: open!.id, output_index: open!.index, content_index: 0, delta });
    },
    reasoning(delta) {
      const opened = ensure('reasoning');
      open!.text += delta;
      return opened + typed('response.reasoning_summary_text.delta', { item_id: open!.id, output_index: open!.index, summary_index: 0, delta });
    },
    call(key, callId, name) {
      const call = { index: outputs++, id: `fc_mock_${key}`, callId, name, args: '' };
      calls.set(key, call);
      return close() + typed('response.output_item.added', { output_index: call.index, item: { id: call.id, type: 'function_call', status: 'in_progress', call_id: callId, name, arguments: '' } });
    },
    args(key, delta) {
      const call = calls.get(key)!;
      call.args += delta;
      return typed('response.function_call_arguments.delta', { item_id: call.id, output_index: call.index, delta });
    },
    search(query) {
      const index = outputs++;
      const id = `ws_mock_${index}`;
      const started = close() + typed('response.output_item.added', { output_index: index, item: { id, type: 'web_search_call', status: 'in_progress' } }) + typed('response.web_search_call.searching', { output_index: index, item_id: id });
      const done = typed('response.web_search_call.completed', { output_index: index, item_id: id }) + typed('response.output_item.done', { output_index: index, item: { id, type: 'web_search_call', status: 'completed', action: { type: 'search', query } } });
      return [started, done];
    },
    cite({ url, title }) {
      const opened = ensure('message');
      const at = open!.text.length;
      return opened + typed('response.output_text.annotation.added', { item_id: open!.id, output_index: open!.index, content_index: 0, annotation: { type: 'url_citation', url, title, start_index: at, end_index: at } });
    },
    error: (message) => typed('error', { code: 'server_error', message, param: null }),
    end(_reason, { input, output }) {
      let text = close();
      for (const { index, id, callId, name, args } of calls.values()) {
        text += typed('response.function_call_arguments.done', { item_id: id, output_index: index, arguments: args });
        text += typed('response.output_item.done', { output_index: index, item: { id, type: 'function_call', status: 'completed', call_id: callId, name, arguments: args } });
      }
      return text + typed('response.completed', { response: { ...response, status: 'completed', usage: { input_tokens: input, output_tokens: output, total_tokens: input + output } } });
    },
  };
}

function anthropicWire(): Wire {
  let index = -1;
  let open: string | undefined;
  const block = (content_block: { type: string; [field: string]: unknown }) => {
    const closed = close();
    open = content_block.type;
    return closed + typed('content_block_start', { index: ++index, content_block });
  };
  const delta = (value: object) => typed('content_block_delta', { index, delta: value });
  function close(): string {
    if (open === undefined) return '';
    // A thinking block ends with its signature, which a later request would send back.
    const signature = open === 'thinking' ? delta({ type: 'signature_delta', signature: `mock-signature-${randomId()}` }) : '';
    open = undefined;
    return signature + typed('content_block_stop', { index });
  }
  return {
    start: (input) =>
      typed('message_start', { message: { id: `msg_mock_${randomId()}`, type: 'message', role: 'assistant', model: 'mock', content: [], stop_reason: null, usage: { input_tokens: input, output_tokens: 1 } } }),
    text: (text) => (open === 'text' ? '' : block({ type: 'text', text: '' })) + delta({ type: 'text_delta', text }),
    reasoning: (thinking) => (open === 'thinking' ? '' : block({ type: 'thinking', thinking: '', signature: '' })) + delta({ type: 'thinking_delta', thinking }),
    call: (_index, id, name) => block({ type: 'tool_use', id, name, input: {} }),
    args: (_index, partial_json) => delta({ type: 'input_json_delta', partial_json }),
    search(query, found) {
      const id = `srvtoolu_mock_${randomId()}`;
      const started = block({ type: 'server_tool_use', id, name: 'web_search', input: {} }) + delta({ type: 'input_json_delta', partial_json: JSON.stringify({ query }) }) + close();
      const results = found.map(({ url, title }) => ({ type: 'web_search_result', url, title, encrypted_content: 'mock', page_age: null }));
      return [started, block({ type: 'web_search_tool_result', tool_use_id: id, content: results }) + close()];
    },
    // Cited text is a text block of its own, its citations first.
    cite: ({ url, title }) =>
      block({ type: 'text', text: '', citations: [] }) + delta({ type: 'citations_delta', citation: { type: 'web_search_result_location', url, title, cited_text: title, encrypted_index: 'mock' } }),
    error: (message) => `event: error\n${data({ type: 'error', error: { type: 'overloaded_error', message } })}`,
    end: (reason, { output }) =>
      close() +
      typed('message_delta', { delta: { stop_reason: reason === 'tool_calls' ? 'tool_use' : reason === 'stop' ? 'end_turn' : reason, stop_sequence: null }, usage: { output_tokens: output } }) +
      typed('message_stop'),
  };
}

/** The request body in the chat-completions shape, or why it is not a request of `protocol`. */
export function chatRequestOf(protocol: MockProtocol, body: unknown): MockCompletionRequest | string {
  const record = (body ?? {}) as Record<string, unknown>;
  if (body === null || typeof body !== 'object') return 'The request body must be a JSON object.';
  const tools = Array.isArray(record['tools']) ? (record['tools'] as Array<{ name?: unknown; function?: { name?: unknown } }>) : [];
  const named = tools.map((tool) => ({ function: { name: tool.function?.name ?? tool.name } }));
  if (protocol === 'openai-responses') {
    const input = typeof record['input'] === 'string' ? [{ role: 'user', content: record['input'] }] : record['input'];
    if (!Array.isArray(input)) return 'The request body must have an "input": a string or an array of items.';
    const messages = (input as Array<Record<string, unknown>>).map((item) => {
      if (item['type'] === 'function_call_output') return { role: 'tool', content: item['output'], tool_call_id: item['call_id'] };
      if (item['type'] === 'function_call') return { role: 'assistant', content: null, tool_calls: [{ id: item['call_id'] }] };
      return { role: item['role'], content: item['content'] };
    });
    return { messages, tools: named };
  }
  if (!Array.isArray(record['messages'])) return 'The request body must have a "messages" array.';
  if (protocol === 'openai-chat') return { messages: record['messages'] as MockCompletionRequest['messages'], tools: named };
  const messages = (record['messages'] as Array<{ role?: unknown; content?: unknown }>).flatMap(({ role, content }) => {
    if (!Array.isArray(content)) return [{ role, content }];
    // Tool results are messages of their own in the chat shape; the rest of the turn, one message.
    const blocks = content as Array<{ type?: unknown; text?: unknown; content?: unknown; tool_use_id?: unknown }>;
    const results = blocks.filter((each) => each.type === 'tool_result').map((each) => ({ role: 'tool', content: each.content, tool_call_id: each.tool_use_id }));
    const rest = blocks.filter((each) => each.type !== 'tool_result');
    return [...results, ...(rest.length ? [{ role, content: rest }] : [])];
  });
  return { messages, tools: named };
}
