// The bare `<stream-chat>` tag in React 19, bundled as /__bundle/react19.js. React 19 sets the
// element's known properties from props and listens to `on` + the exact event name. Its JSX
// types are declared in demo/react/stream-chat-jsx.d.ts.
import { version } from 'react';
import { createRoot } from 'react-dom/client';
import '../../src/index.js';
import type { ChatBindings, MountedChat } from './host.js';

export { version };

export function mount(container: HTMLElement, bindings: ChatBindings): Promise<MountedChat> {
  const root = createRoot(container);
  return new Promise((resolve) => {
    const draw = () =>
      root.render(
        <stream-chat
          ref={(element) => {
            if (element) resolve({ element, unmount: () => root.unmount(), rerender: draw });
          }}
          endpoint={bindings.endpoint}
          messages={bindings.messages}
          headers={bindings.headers}
          retries={bindings.retries}
          onchunk={bindings.onChunk}
          ondone={bindings.onDone}
          onerror={bindings.onError}
          ontool-call={bindings.onToolCall}
          onwarning={bindings.onWarning}
        />,
      );
    draw();
  });
}
