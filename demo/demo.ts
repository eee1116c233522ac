/// <reference types="vite/client" />
import '../src/index.js';
import type { DoneEvent, Labels, ProtocolName, StreamChatElement, StreamChatErrorEvent, Tool, ToolCallEvent, Usage } from '../src/index.js';
import { MOCK_PATHS, mockFetch } from './mock/mock-completion.js';
import { tools } from './tools.js';

/**
 * `npm start` serves the mock over HTTP from the dev server. The built demo (`npm run build:demo`)
 * is static files that any host or CDN serves as they are, with no backend to answer the mock's
 * URL: there the same mock runs in the page, as the element's `fetch`.
 */
const mockInPage = !import.meta.env.DEV;

const chat = required(document.querySelector<StreamChatElement>('stream-chat:not(.themed)'));
const themed = required(document.querySelector<StreamChatElement>('stream-chat.themed'));
themed.fetch = mockInPage ? mockFetch : undefined;
// The second language: every string the element writes, from its labels (`satisfies` checks that none is missing).
themed.labels = {
  log: 'المحادثة',
  input: 'الرسالة',
  send: 'إرسال',
  stop: 'إيقاف',
  retry: 'إعادة المحاولة',
  you: 'أنت:',
  assistant: 'المساعد:',
  typing: 'المساعد يكتب',
  thinking: 'يفكّر…',
  reasoning: 'التفكير',
  stopped: 'أُوقف',
  failed: 'فشل الرد',
  interrupted: 'انقطع',
  lengthLimit: 'انقطع عند حدّ الطول',
  contentFilter: 'أوقفه مرشّح المحتوى',
  stepLimit: 'توقّف عند حدّ الخطوات',
  empty: 'رد فارغ',
  copy: 'نسخ',
  copyCode: 'نسخ الشيفرة',
  code: 'شيفرة',
  table: 'جدول',
  copied: 'نُسخ',
  copyFailed: 'تعذّر النسخ',
  regenerate: 'إعادة التوليد',
  edit: 'تعديل',
  save: 'حفظ',
  cancel: 'إلغاء',
  jump: 'انتقل إلى الأحدث',
  suggestions: 'اقتراحات',
  seconds: 'ث',
  milliseconds: 'مللي ث',
  firstToken: 'أول رمز',
  tokensPerSecond: 'رمز/ث',
  estimated: '(تقدير)',
  toolStreaming: 'يستدعي…',
  toolRunning: 'قيد التشغيل…',
  toolWaiting: 'بانتظار نتيجة',
  toolDone: 'تم',
  toolError: 'خطأ',
  toolStopped: 'أُوقف',
  calls: { two: '({n} استدعاءان)', few: '({n} استدعاءات)', other: '({n} استدعاء)' },
  result: 'النتيجة',
  sources: 'المصادر',
  image: 'صورة مرفقة',
  file: 'ملف مرفق',
  audio: 'تسجيل صوتي مرفق',
  rest: 'بقية الرد في المحادثة.',
} satisfies Labels;
// In the element's language, as everything in it ("Think it through: why stream at all?" streams reasoning).
themed.suggestions = ['ما الذي يفعله هذا العنصر؟', 'فكّر في الأمر: لماذا البث أصلًا؟'];
chat.suggestions = ['How does streaming work here?', 'What time is it in Tokyo? And roll 2 dice.'];
const settings = required(document.querySelector<HTMLFormElement>('#settings'));
const protocolPicker = required(document.querySelector<HTMLSelectElement>('#protocol'));
const protocolHint = required(document.querySelector('#protocol-hint'));
const endpointField = required(settings.querySelector<HTMLInputElement>('[name="endpoint"]'));
endpointField.addEventListener('input', () => endpointField.setCustomValidity(''));
const status = required(document.querySelector('#status'));
const eventLog = required(document.querySelector<HTMLOListElement>('#event-log'));

function required<T>(element: T | null): T {
  if (!element) throw new Error('demo/index.html is missing an element demo.ts needs');
  return element;
}

chat.tools = tools;

/** What the settings suggest for each protocol: its provider's URL and a model. */
const EXAMPLES: Record<ProtocolName, { endpoint: string; model: string; name: string }> = {
  'openai-chat': { endpoint: 'https://api.openai.com/v1/chat/completions', model: 'gpt-4o-mini', name: 'chat completions' },
  'openai-responses': { endpoint: 'https://api.openai.com/v1/responses', model: 'gpt-4.1-mini', name: 'the Responses API' },
  anthropic: { endpoint: 'https://api.anthropic.com/v1/messages', model: 'claude-sonnet-4-5', name: 'the Anthropic Messages API' },
};
let usingMock = true;
/** Where the protocol picked is kept, as the conversation is (storage-key): one had with Claude goes on with Claude after a reload. */
const PROTOCOL_KEY = 'stream-chat-demo-protocol';

// One attribute switches the wire format: with the mock, to its endpoint for that format.
protocolPicker.addEventListener('change', () => {
  chat.protocol = protocolPicker.value as ProtocolName;
  try {
    localStorage.setItem(PROTOCOL_KEY, chat.protocol);
  } catch {}
  // The hint said Chat Completions' whatever was picked, also one restored on reload.
  protocolHint.textContent = protocolPicker.selectedOptions[0]!.dataset['hint']!;
  const example = EXAMPLES[chat.protocol];
  endpointField.placeholder = example.endpoint;
  settings.querySelector<HTMLInputElement>('[name="model"]')!.placeholder = example.model;
  if (usingMock) useMock();
  else sayEndpoint();
});

settings.addEventListener('submit', (event) => {
  event.preventDefault();
  const field = (name: string) => String(new FormData(settings).get(name) ?? '').trim();
  // Spaces pass the field's `required`: say so there, not in the next send's error.
  if (!field('endpoint')) {
    endpointField.setCustomValidity('Enter the endpoint’s URL.');
    endpointField.reportValidity();
    return;
  }
  // The key lives in the input and the element property only: never stored, never logged.
  chat.endpoint = field('endpoint');
  chat.key = field('key');
  chat.model = field('model');
  // A real endpoint goes over the network: the global fetch.
  chat.fetch = undefined;
  usingMock = false;
  sayEndpoint();
});

/** The real endpoint in use, and its protocol's name when the URL's path is plainly another protocol's. */
function sayEndpoint(): void {
  const model = chat.model ? `, model ${chat.model}` : '';
  // Its path, without a query or a fragment (the string: a URL the field takes may not parse).
  const path = /\/(chat\/completions|responses|messages)\/?$/.exec(chat.endpoint.split(/[?#]/)[0]!)?.[1];
  const other = Object.values(EXAMPLES).find((example) => example.endpoint.endsWith(`/${path}`) && example !== EXAMPLES[chat.protocol]);
  const note = other ? ` Its path, /${path}, is that of ${other.name}: pick that protocol, or another URL.` : '';
  status.textContent = `Using ${chat.endpoint} with ${EXAMPLES[chat.protocol].name}${model}${chat.key ? ', with a key' : ', no key'}.${note}`;
}

settings.addEventListener('reset', useMock);
try {
  const kept = localStorage.getItem(PROTOCOL_KEY);
  if (kept && kept in EXAMPLES) {
    protocolPicker.value = kept;
    protocolPicker.dispatchEvent(new Event('change'));
  }
} catch {}
useMock();

function useMock(): void {
  usingMock = true;
  chat.endpoint = MOCK_PATHS[chat.protocol];
  chat.key = '';
  chat.model = '';
  chat.fetch = mockInPage ? mockFetch : undefined;
  const speaking = `speaking ${EXAMPLES[chat.protocol].name}`;
  status.textContent = mockInPage ? `Using the built-in mock, running in this page, ${speaking}.` : `Using the built-in mock, ${speaking}.`;
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-message]')) {
  button.addEventListener('click', () => {
    // A failure is reported by the element and by the error event in the log.
    chat.send(button.dataset['message'] ?? '').catch(() => {});
  });
}

// The conversation is kept in localStorage (storage-key): a reload shows it again; this starts over.
required(document.querySelector('#new-conversation')).addEventListener('click', () => chat.clear());

required(document.querySelector('#clear-events')).addEventListener('click', () => {
  eventLog.replaceChildren();
  chunkEntry = undefined;
});

/** The log line counting the current response's chunks: one line per response, not one per chunk. */
let chunkEntry: { count: number; text: Text } | undefined;

chat.addEventListener('chunk', () => {
  if (!chunkEntry) {
    const text = document.createTextNode('');
    chunkEntry = { count: 0, text };
    logEvent('chunk', text);
  }
  chunkEntry.count++;
  chunkEntry.text.data = `× ${chunkEntry.count}`;
});

chat.addEventListener('done', (event: DoneEvent) => {
  chunkEntry = undefined;
  const { finishReason, usage, aborted, steps } = event.detail;
  const parts = [`finishReason: ${finishReason ?? 'null'}`, formatUsage(usage)];
  if (steps.length > 1) parts.push(`${steps.length} steps`);
  if (aborted) parts.push('aborted');
  logEvent('done', document.createTextNode(parts.join(' · ')));
});

chat.addEventListener('tool-call', (event: ToolCallEvent) => {
  chunkEntry = undefined;
  const { call, error } = event.detail;
  logEvent('tool-call', document.createTextNode(`${call.function.name}(${call.function.arguments})${error ? ` · ${error.message}` : ''}`));
});

chat.addEventListener('error', (event: StreamChatErrorEvent) => {
  chunkEntry = undefined;
  const { error } = event.detail;
  logEvent('error', document.createTextNode(`${error.kind}: ${error.message}`));
});

function formatUsage(usage: Usage | undefined): string {
  if (!usage) return 'no usage';
  // Chat-completions counts prompt and completion tokens; the Responses and Messages APIs, input and output tokens.
  const { prompt_tokens: prompt = usage['input_tokens'], completion_tokens: completion = usage['output_tokens'], total_tokens: total } = usage;
  if (typeof prompt !== 'number' || typeof completion !== 'number') return `usage: ${JSON.stringify(usage)}`;
  return `usage: ${prompt} prompt + ${completion} completion = ${total ?? prompt + completion} tokens`;
}

function logEvent(name: 'chunk' | 'done' | 'error' | 'tool-call', detail: Text): void {
  const entry = document.createElement('li');
  entry.className = `event event-${name}`;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  const label = document.createElement('span');
  label.className = 'event-name';
  label.textContent = name;
  const body = document.createElement('span');
  body.className = 'event-detail';
  body.append(detail);
  entry.append(time, label, body);
  eventLog.append(entry);
  eventLog.scrollTop = eventLog.scrollHeight;
}
