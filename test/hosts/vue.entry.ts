// `<stream-chat>` in a Vue 3 template, bundled as /__bundle/vue.js. The full build compiles the
// template at runtime, as in demo/vue (its types: demo/vue/vue-full-build.d.ts).
import { createApp, createSSRApp, nextTick, onMounted, ref, shallowRef, version } from 'vue/dist/vue.esm-bundler.js';
import '../../src/index.js';
import type { StreamChatElement } from '../../src/element/stream-chat.js';
import type { ChatMessage } from '../../src/core/types.js';
import type { ChatBindings, MountedChat } from './host.js';

export { version };

export function mount(container: HTMLElement, bindings: ChatBindings): Promise<MountedChat> {
  return new Promise((resolve) => {
    const app = createApp({
      setup() {
        const chat = ref<StreamChatElement | null>(null);
        onMounted(() => {
          if (chat.value) resolve({ element: chat.value, unmount: () => app.unmount() });
        });
        return { chat, ...bindings };
      },
      template: `
        <stream-chat
          ref="chat"
          :endpoint="endpoint"
          :messages.prop="messages"
          :headers.prop="headers"
          :retries="retries"
          @chunk="onChunk"
          @done="onDone"
          @error="onError"
          @tool-call="onToolCall"
          @warning="onWarning"
        ></stream-chat>`,
    });
    app.config.compilerOptions.isCustomElement = (tag) => tag === 'stream-chat';
    app.mount(container);
  });
}

/**
 * The conversation kept in the app's state as README's Vue section advises: a `shallowRef` (a deep
 * `ref` would hand the element proxies of its own messages), set from `done` and `error`.
 */
export function mountMirrored(container: HTMLElement, endpoint: string): Promise<{ element: StreamChatElement; state: () => ChatMessage[] }> {
  return new Promise((resolve) => {
    const app = createApp({
      setup() {
        const chat = ref<StreamChatElement | null>(null);
        const messages = shallowRef<ChatMessage[]>([]);
        const mirror = () => (messages.value = chat.value!.messages);
        onMounted(() => resolve({ element: chat.value!, state: () => messages.value }));
        return { chat, messages, mirror, endpoint };
      },
      template: `<stream-chat ref="chat" :endpoint="endpoint" retries="0" stats :messages.prop="messages" @done="mirror" @error="mirror"></stream-chat>`,
    });
    app.config.compilerOptions.isCustomElement = (tag) => tag === 'stream-chat';
    app.mount(container);
  });
}

/**
 * `template` mounted as the app's, with `setup()`'s bindings and `shown` (a ref the test flips);
 * `<chat-view>` is a component whose template is `<stream-chat :endpoint="endpoint">`, for
 * `<KeepAlive>`. Tags with a dash are custom elements, defined or not. `hydrate`: the container
 * holds the server's HTML, which the app hydrates.
 */
export function mountTemplate(container: HTMLElement, template: string, endpoint = '', hydrate = false): { show(shown: boolean): Promise<void>; unmount(): void } {
  const shown = ref(true);
  const app = (hydrate ? createSSRApp : createApp)({
    components: { ChatView: { props: ['endpoint'], template: '<stream-chat :endpoint="endpoint"></stream-chat>' } },
    setup: () => ({ shown, endpoint }),
    template,
  });
  app.config.compilerOptions.isCustomElement = (tag) => tag.includes('-') && tag !== 'chat-view';
  app.mount(container);
  return {
    show: (value) => ((shown.value = value), nextTick()),
    unmount: () => app.unmount(),
  };
}
