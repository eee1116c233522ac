// `stream-chat-element/react` (the @lit/react wrapper) in React 18, bundled as /__bundle/react18.js
// with React aliased to the test/react18 workspace (see test/server/bundle-plugin.js).
import { version } from 'react';
import { createRoot } from 'react-dom/client';
import { StreamChat } from '../../src/react.js';
import type { ChatBindings, MountedChat } from './host.js';

export { version };

export function mount(container: HTMLElement, bindings: ChatBindings): Promise<MountedChat> {
  const root = createRoot(container);
  return new Promise((resolve) => {
    const draw = () =>
      root.render(
        <StreamChat
          ref={(element) => {
            if (element) resolve({ element, unmount: () => root.unmount(), rerender: draw });
          }}
          endpoint={bindings.endpoint}
          messages={bindings.messages}
          headers={bindings.headers}
          retries={bindings.retries}
          onChunk={bindings.onChunk}
          onDone={bindings.onDone}
          onError={bindings.onError}
          onToolCall={bindings.onToolCall}
          onWarning={bindings.onWarning}
        />,
      );
    draw();
  });
}
