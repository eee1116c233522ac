// `<stream-chat>` in a Vue 3 template, bundled as /__bundle/vue.js. The full build compiles the
// template at runtime, as in demo/vue (its types: demo/vue/vue-full-build.d.ts).
import { createApp, onMounted, ref, version } from 'vue/dist/vue.esm-bundler.js';
import '../../src/index.js';
import type { StreamChatElement } from '../../src/element/stream-chat.js';
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
        ></stream-chat>`,
    });
    app.config.compilerOptions.isCustomElement = (tag) => tag === 'stream-chat';
    app.mount(container);
  });
}
