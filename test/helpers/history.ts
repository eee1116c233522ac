/**
 * A conversation with every kind of message the protocols map: an image (a data URL and an http
 * one), an answer with calls, what is only displayed (reasoning, a server tool, sources) and
 * Claude's thinking blocks (one redacted), the calls' results (one as content parts), a refusal, and a turn that only calls a tool.
 */
import type { AudioPart, ChatMessage, FilePart } from '../../src/core/types.js';

export const history: ChatMessage[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'What is in this photo, and the weather there?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/kraków.jpg', detail: 'low' } },
    ],
  },
  {
    role: 'assistant',
    content: 'The Wawel castle, in Kraków. Let me check the weather.',
    reasoning: 'The photo shows…',
    server_tools: [{ name: 'web_search', detail: 'Wawel', at: 0 }],
    sources: [{ url: 'https://example.com/wawel' }],
    thinking_blocks: [
      { type: 'thinking', thinking: 'The photo shows…', signature: 'EqQBCgIYAhIMsig1' },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgyredacted1' },
    ],
    tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Kraków"}' } },
      { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
  { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '14:05' }] },
  { role: 'assistant', content: 'It is 21 °C at 14:05.' },
  { role: 'user', content: 'Write something hateful.' },
  { role: 'assistant', content: '', refusal: 'I can’t help with that.' },
  { role: 'user', content: 'Then the time in Oslo.' },
  { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'get_time', arguments: '{"city":"Oslo"}' } }] },
  { role: 'tool', tool_call_id: 'call_3', content: '15:05' },
];

/**
 * A tool result that carries images (a screenshot tool's, its result set by the host or restored
 * with the conversation): its text, a data URL and an http one; beside it, a result of text alone.
 */
export const screenshot: ChatMessage[] = [
  { role: 'user', content: 'What is on the page?' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'screenshot', arguments: '{}' } },
      { id: 'call_2', type: 'function', function: { name: 'page_url', arguments: '{}' } },
    ],
  },
  {
    role: 'tool',
    tool_call_id: 'call_1',
    content: [
      { type: 'text', text: 'The page, 1280×720:' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/shot.png', detail: 'high' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_2', content: 'https://example.com/' },
];

/** A PDF as chat-completions takes one: a data URL, and its name. */
export const pdf: FilePart = { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0xLjQK', filename: 'report.pdf' } };

/** A recording as chat-completions takes one: base64 WAV. */
export const recording: AudioPart = { type: 'input_audio', input_audio: { data: 'UklGRiQAAABXQVZF', format: 'wav' } };

/** The screenshot's results, the first a PDF the tool gave (a page printed) beside its text. */
export const printed: ChatMessage[] = [...screenshot.slice(0, 2), { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'The page, printed:' }, pdf] }, screenshot[3]!];

/** An answer calling `name` with the call id `id` (empty: a server that sends none). */
export const calling = (id: string, ...names: string[]): ChatMessage => ({
  role: 'assistant',
  content: null,
  tool_calls: names.map((name) => ({ id, type: 'function', function: { name, arguments: '{}' } })),
});

/** `question`, an answer calling `name` with the call id `id`, and its result: the name in capitals. */
export function calledOnce(question: string, id: string, name: string): ChatMessage[] {
  return [{ role: 'user', content: question }, calling(id, name), { role: 'tool', tool_call_id: id, content: name.toUpperCase() }];
}

/**
 * Tool call ids as another API gave them: calls without one (two in one answer), then the same
 * `call_0` in two turns. Each result's content is its call's name in capitals.
 */
export const foreignToolIds: ChatMessage[] = [
  { role: 'user', content: 'One' },
  calling('', 'a', 'b'),
  { role: 'tool', tool_call_id: '', content: 'A' },
  { role: 'tool', tool_call_id: '', content: 'B' },
  ...calledOnce('Two', 'call_0', 'c'),
  ...calledOnce('Three', 'call_0', 'd'),
];

/** Each call of `names` paired with its result, as {@link foreignToolIds} answers them: `[name, NAME]`. */
export const answeredByName = (...names: string[]): string[][] => names.map((name) => [name, name.toUpperCase()]);
