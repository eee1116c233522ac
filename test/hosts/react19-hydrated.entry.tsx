// `stream-chat-element/react` in React 19 as Next.js renders a client component: its HTML from
// react-dom/server's renderToString (here in the page: the same renderer as on a server), then
// hydrated with hydrateRoot. Bundled as /__bundle/react19-hydrated.js. Importing the wrapper
// defines the element, so it is defined before React hydrates it.
import { version, type Ref } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { StreamChat } from '../../src/react.js';
import type { StreamChatElement } from '../../src/element/stream-chat.js';
import type { ChatBindings, MountedChat } from './host.js';

export { version };

/** The wrapper with the bindings (named as its props), and `key` set as an API key would be: React's own, never an attribute. */
const chat = (bindings: ChatBindings, ref?: Ref<StreamChatElement>) => <StreamChat key="sk-never-rendered" ref={ref} {...bindings} />;

/** The server's HTML for the bindings. */
export const serverHtml = (bindings: ChatBindings): string => renderToString(chat(bindings));

export function mount(container: HTMLElement, bindings: ChatBindings): Promise<MountedChat> {
  container.innerHTML = serverHtml(bindings);
  return new Promise((resolve) => {
    const ref = (element: StreamChatElement | null) => {
      if (element) resolve({ element, unmount: () => root.unmount(), rerender: () => root.render(chat(bindings, ref)) });
    };
    const root = hydrateRoot(container, chat(bindings, ref));
  });
}
