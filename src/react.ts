'use client';

/**
 * `stream-chat-element/react`: `<stream-chat>` as a React component, made with `@lit/react`.
 * React 18 sets every prop of a custom element as a string attribute and cannot listen to custom
 * events; this component sets the element's properties (`messages`, `headers`, … as objects) and
 * listens through `onChunk`, `onDone`, `onError`, `onToolCall` and `onWarning`. It works the same on React 19, where the bare
 * tag works too (see {@link StreamChatElementProps}). Importing this module defines the element.
 *
 * @example
 * ```tsx
 * import { StreamChat } from 'stream-chat-element/react';
 *
 * <StreamChat endpoint="/api/chat" messages={history} onDone={(e) => save(e.detail.message)} />
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import './define.js';
import { StreamChatElement, type ChunkEvent, type DoneEvent, type StreamChatErrorEvent, type StreamChatProperties, type ToolCallEvent, type WarningEvent } from './element/stream-chat.js';

/**
 * The element's properties as props, each optional (not its methods or read-only state), and `key`
 * React's (it never reaches the element: set the API key through a ref).
 */
type ElementProps = Partial<Omit<StreamChatProperties, 'key'>>;

/**
 * Props of {@link StreamChat}. Spelled out with React's types alone (as are those of the tag), so
 * that an app without `@lit/react`, which only the wrapper needs at run time, type-checks its
 * declaration of the tag.
 */
export type StreamChatProps = Omit<React.HTMLAttributes<StreamChatElement>, keyof ElementProps | 'onError'> &
  ElementProps & {
    onChunk?: (event: ChunkEvent) => void;
    onDone?: (event: DoneEvent) => void;
    onError?: (event: StreamChatErrorEvent) => void;
    onToolCall?: (event: ToolCallEvent) => void;
    onWarning?: (event: WarningEvent) => void;
  } & React.RefAttributes<StreamChatElement>;

/**
 * `<stream-chat>` for React. Element properties are props (`endpoint`, `messages`, `headers`, …);
 * a `ref` gives the element, for `send()` and `stop()`. React keeps the prop `key` for itself:
 * set the API key through the ref, or better, keep it off the page (see the README).
 */
// (Asserted, not annotated: @lit/react types `key` as the element's API key, which React never passes on.)
export const StreamChat = createComponent({
  tagName: 'stream-chat',
  // The class registered under the tag, which is another copy's when one defined it first (the CDN
  // file): the wrapper takes for properties the names on its prototype, and this copy's class, never
  // registered, has none of Lit's, so React 18 would set `headers` or `tools` as attributes, lost.
  elementClass: (globalThis.customElements?.get('stream-chat') as typeof StreamChatElement | undefined) ?? StreamChatElement,
  react: React,
  events: {
    onChunk: 'chunk' as EventName<ChunkEvent>,
    onDone: 'done' as EventName<DoneEvent>,
    onError: 'error' as EventName<StreamChatErrorEvent>,
    onToolCall: 'tool-call' as EventName<ToolCallEvent>,
    onWarning: 'warning' as EventName<WarningEvent>,
  },
  displayName: 'StreamChat',
}) as React.ForwardRefExoticComponent<StreamChatProps>;

/**
 * Props of the bare `<stream-chat>` tag in React 19, which sets known element properties and
 * listens to a custom event through `on` + its exact, case-sensitive name: `onchunk`, `ondone`,
 * `onerror`. React's own `onError` is left out: React handles it and never sees this element's
 * `error`. Declare it once in your app:
 *
 * @example
 * ```ts
 * import type { StreamChatElementProps } from 'stream-chat-element/react';
 *
 * declare module 'react' {
 *   namespace JSX {
 *     interface IntrinsicElements {
 *       'stream-chat': StreamChatElementProps;
 *     }
 *   }
 * }
 * ```
 */
export type StreamChatElementProps = Omit<React.DetailedHTMLProps<React.HTMLAttributes<StreamChatElement>, StreamChatElement>, 'onError'> &
  ElementProps & {
    onchunk?: (event: ChunkEvent) => void;
    ondone?: (event: DoneEvent) => void;
    onerror?: (event: StreamChatErrorEvent) => void;
    'ontool-call'?: (event: ToolCallEvent) => void;
    onwarning?: (event: WarningEvent) => void;
  };
