// README's Vue declaration: vue-tsc types <stream-chat>'s bindings and listeners in templates from
// Vue's GlobalComponents (checked here with Vue's own types; vue-tsc itself by hand).
import type { EmitFn, GlobalComponents, HTMLAttributes } from 'vue';
import type { ChatMessage, DoneEvent, StreamChatElement, StreamChatEventMap, StreamChatProperties } from 'stream-chat-element';

// At the element's own listener, the event's target is the element: `$event.target.messages`.
type Listener<E> = (event: E & { target: StreamChatElement; currentTarget: StreamChatElement }) => void;

declare module 'vue' {
  interface GlobalComponents {
    'stream-chat': new () => StreamChatElement & {
      $props: Omit<HTMLAttributes, 'onError' | keyof StreamChatProperties> & Partial<StreamChatProperties>;
      $emit: EmitFn<{ [K in keyof StreamChatEventMap]: Listener<StreamChatEventMap[K]> }>;
    };
  }
}

type Chat = InstanceType<GlobalComponents['stream-chat']>;
const kept: readonly ChatMessage[] = [];
const props: Chat['$props'] = { endpoint: '/api/chat', messages: kept, stats: false, storageKey: 'chat', class: 'chat' };
// @ts-expect-error: messages, not a number
const wrongMessages: Chat['$props'] = { messages: 42 };
// @ts-expect-error: a read-only property
const readOnly: Chat['$props'] = { streaming: true };
declare const chat: Chat;
declare const done: DoneEvent & { target: StreamChatElement; currentTarget: StreamChatElement };
chat.$emit('done', done);
// @ts-expect-error: an error event is not a done event
chat.$emit('error', done);
const element: StreamChatElement = chat;
void [props, wrongMessages, readOnly, element];
