/// <reference types="vite/client" />
// <stream-chat> in a Vue 3 template: `.prop` binds objects as properties, `@done` listens to the
// element's events. The template is compiled in the browser by Vue's full build, so this page needs
// no Vue plugin; with @vitejs/plugin-vue and .vue files, set `isCustomElement` in its options instead.
import { createApp, ref, version } from 'vue/dist/vue.esm-bundler.js';
import '../../src/index.js'; // in an app: import 'stream-chat-element';
import type { ChatMessage, ChunkEvent, DoneEvent, StreamChatElement, StreamChatErrorEvent } from '../../src/index.js';
import { MOCK_COMPLETIONS_PATH, mockFetch } from '../mock/mock-completion.js';

// `npm start` serves the mock endpoint; the static build has no server, so there it runs in the page.
const mockInPage = import.meta.env.DEV ? undefined : mockFetch;

const greeting: ChatMessage[] = [{ role: 'assistant', content: 'Hi! I stream from a mock model.' }];

const app = createApp({
  setup() {
    const chat = ref<StreamChatElement | null>(null);
    const status = ref('Ask something.');
    return {
      chat,
      status,
      version,
      endpoint: MOCK_COMPLETIONS_PATH,
      mockInPage,
      greeting,
      onChunk: (e: ChunkEvent) => (status.value = `${e.detail.content.length} characters…`),
      onDone: (e: DoneEvent) => (status.value = `Done: ${e.detail.content.length} characters.`),
      onError: (e: StreamChatErrorEvent) => (status.value = `Failed (${e.detail.error.kind}): ${e.detail.error.message}`),
      // The error event reports a failure; the promise's rejection needs no handling here.
      ask: () => chat.value?.send('How does streaming work?').catch(() => {}),
    };
  },
  template: `
    <h1><code>&lt;stream-chat&gt;</code> in Vue {{ version }}</h1>
    <stream-chat
      ref="chat"
      :endpoint="endpoint"
      :fetch.prop="mockInPage"
      :messages.prop="greeting"
      @chunk="onChunk"
      @done="onDone"
      @error="onError"
    ></stream-chat>
    <p>{{ status }}</p>
    <button type="button" @click="ask">Ask how streaming works</button>
  `,
});
// Without this, Vue would try to resolve <stream-chat> as a Vue component and warn.
app.config.compilerOptions.isCustomElement = (tag) => tag === 'stream-chat';
app.mount('#app');
