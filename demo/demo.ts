/// <reference types="vite/client" />
import '../src/index.js';
import type { DoneEvent, StreamChatElement, StreamChatErrorEvent, Usage } from '../src/index.js';
import { MOCK_COMPLETIONS_PATH, mockFetch } from './mock/mock-completion.js';

/**
 * `npm start` serves the mock over HTTP from the dev server. The built demo (`npm run build:demo`)
 * is static files that any host or CDN serves as they are, with no backend to answer the mock's
 * URL: there the same mock runs in the page, as the element's `fetch`.
 */
const mockInPage = !import.meta.env.DEV;

const chat = required(document.querySelector<StreamChatElement>('stream-chat:not(.themed)'));
const themed = required(document.querySelector<StreamChatElement>('stream-chat.themed'));
themed.fetch = mockInPage ? mockFetch : undefined;
const settings = required(document.querySelector<HTMLFormElement>('#settings'));
const status = required(document.querySelector('#status'));
const eventLog = required(document.querySelector<HTMLOListElement>('#event-log'));

function required<T>(element: T | null): T {
  if (!element) throw new Error('demo/index.html is missing an element demo.ts needs');
  return element;
}

settings.addEventListener('submit', (event) => {
  event.preventDefault();
  const field = (name: string) => String(new FormData(settings).get(name) ?? '').trim();
  // The key lives in the input and the element property only: never stored, never logged.
  chat.endpoint = field('endpoint');
  chat.key = field('key');
  chat.model = field('model');
  // A real endpoint goes over the network: the global fetch.
  chat.fetch = undefined;
  const model = chat.model ? `, model ${chat.model}` : '';
  status.textContent = `Using ${chat.endpoint}${model}${chat.key ? ', with a key' : ', no key'}.`;
});

settings.addEventListener('reset', useMock);
useMock();

function useMock(): void {
  chat.endpoint = MOCK_COMPLETIONS_PATH;
  chat.key = '';
  chat.model = '';
  chat.fetch = mockInPage ? mockFetch : undefined;
  status.textContent = mockInPage ? 'Using the built-in mock, running in this page.' : 'Using the built-in mock.';
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-message]')) {
  button.addEventListener('click', () => {
    // A failure is reported by the element and by the error event in the log.
    chat.send(button.dataset['message'] ?? '').catch(() => {});
  });
}

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
  const { finishReason, usage, aborted } = event.detail;
  const parts = [`finishReason: ${finishReason ?? 'null'}`, formatUsage(usage)];
  if (aborted) parts.push('aborted');
  logEvent('done', document.createTextNode(parts.join(' · ')));
});

chat.addEventListener('error', (event: StreamChatErrorEvent) => {
  chunkEntry = undefined;
  const { error } = event.detail;
  logEvent('error', document.createTextNode(`${error.kind}: ${error.message}`));
});

function formatUsage(usage: Usage | undefined): string {
  if (!usage) return 'no usage';
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = usage;
  if (prompt === undefined || completion === undefined) return `usage: ${JSON.stringify(usage)}`;
  return `usage: ${prompt} prompt + ${completion} completion = ${total ?? prompt + completion} tokens`;
}

function logEvent(name: 'chunk' | 'done' | 'error', detail: Text): void {
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
