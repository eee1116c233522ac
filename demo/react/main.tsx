/// <reference types="vite/client" />
// <stream-chat> as a bare tag in React 19: props that are element properties are set as
// properties, and `on` + the exact event name listens to it (`ondone`, not `onDone`). Its JSX
// types: stream-chat-jsx.d.ts. React 18 needs the wrapper from 'stream-chat-element/react'.
import { useRef, useState, version } from 'react';
import { createRoot } from 'react-dom/client';
import '../../src/index.js'; // in an app: import 'stream-chat-element';
import type { ChatMessage, StreamChatElement } from '../../src/index.js';
import { MOCK_COMPLETIONS_PATH, mockFetch } from '../mock/mock-completion.js';

// `npm start` serves the mock endpoint; the static build has no server, so there it runs in the page.
const mockInPage = import.meta.env.DEV ? undefined : mockFetch;

// Outside the component: a new array on every render would reset the conversation each time.
const greeting: ChatMessage[] = [{ role: 'assistant', content: 'Hi! I stream from a mock model.' }];

function App() {
  const chat = useRef<StreamChatElement>(null);
  const [status, setStatus] = useState('Ask something.');

  return (
    <>
      <h1>
        <code>&lt;stream-chat&gt;</code> in React {version}
      </h1>
      <stream-chat
        ref={chat}
        endpoint={MOCK_COMPLETIONS_PATH}
        fetch={mockInPage}
        messages={greeting}
        onchunk={(e) => setStatus(`${e.detail.content.length} characters…`)}
        ondone={(e) => setStatus(`Done: ${e.detail.content.length} characters.`)}
        onerror={(e) => setStatus(`Failed (${e.detail.error.kind}): ${e.detail.error.message}`)}
      />
      <p>{status}</p>
      {/* The error event reports a failure; the promise's rejection needs no handling here. */}
      <button type="button" onClick={() => chat.current?.send('How does streaming work?').catch(() => {})}>
        Ask how streaming works
      </button>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
