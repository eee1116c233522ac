// README's React 19 sample: the bare tag, typed by a declaration of `StreamChatElementProps`.
import { useRef } from 'react';
import type { ChatMessage, StreamChatElement } from 'stream-chat-element';
import { StreamChat, type StreamChatElementProps } from 'stream-chat-element/react';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'stream-chat': StreamChatElementProps;
    }
  }
}

const greeting: ChatMessage[] = [{ role: 'assistant', content: 'Hi! Ask me anything.' }];

export function Chat() {
  const chat = useRef<StreamChatElement>(null);
  return (
    <>
      <stream-chat
        ref={chat}
        endpoint="/api/chat"
        maxSteps={3}
        messages={greeting}
        className="chat"
        aria-label="Assistant"
        ondone={(e) => e.detail.message.content}
        onerror={(e) => e.detail.error.kind}
        onchunk={(e) => e.detail.deltas}
        ontool-call={(e) => e.detail.respond('ok')}
        onwarning={(e) => e.detail.message}
      />
      {/* React's own `key`, a number too: not the element's API key, which React never passes on. */}
      <stream-chat key={1} />
      <StreamChat key={2} />
      {/* @ts-expect-error a property of the wrong type */}
      <stream-chat maxSteps="nope" />
      {/* @ts-expect-error a misspelled property */}
      <stream-chat endpont="/api/chat" />
      {/* @ts-expect-error a listener given the wrong event's detail */}
      <stream-chat ondone={(e: CustomEvent<{ nothing: true }>) => e.detail.nothing} />
      {/* A conversation kept read-only, or none. */}
      <stream-chat messages={greeting as readonly ChatMessage[]} />
      <stream-chat messages={null} />
      {/* Only the element's properties are props. Set, a read-only one threw ("has only a getter") and unmounted the tree; a method was replaced. */}
      {/* @ts-expect-error a read-only property */}
      <stream-chat streaming={true} />
      {/* @ts-expect-error a method */}
      <stream-chat send={() => Promise.resolve()} />
      {/* @ts-expect-error Lit's lifecycle */}
      <stream-chat requestUpdate={() => {}} />
      {/* @ts-expect-error the conversation, which is the element's */}
      <stream-chat conversation={undefined} />
      {/* The React 18 wrapper: its props are typed without @lit/react too. */}
      <StreamChat
        ref={chat}
        endpoint="/api/chat"
        messages={greeting}
        className="chat"
        onDone={(e) => e.detail.message.content}
        onError={(e) => e.detail.error.kind}
        onChunk={(e) => e.detail.deltas}
        onToolCall={(e) => e.detail.respond('ok')}
        onWarning={(e) => e.detail.message}
      />
      {/* @ts-expect-error a property of the wrong type */}
      <StreamChat maxSteps="nope" />
      {/* @ts-expect-error a misspelled property */}
      <StreamChat endpont="/api/chat" />
      {/* @ts-expect-error a read-only property */}
      <StreamChat streaming={true} />
      {/* @ts-expect-error a method */}
      <StreamChat stop={() => {}} />
    </>
  );
}
