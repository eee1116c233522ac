/**
 * What each host test hands to the shared scenarios in host-contract.ts: a way to mount
 * `<stream-chat>` through one framework. Each test/hosts/<name>.entry.tsx implements it with that
 * framework's own bindings; test/server/bundle-plugin.js serves it bundled as /__bundle/<name>.js.
 */
import type { ChunkEvent, DoneEvent, StreamChatElement, StreamChatErrorEvent, ToolCallEvent, WarningEvent } from '../../src/element/stream-chat.js';
import type { ChatMessage } from '../../src/core/types.js';

/** What a host binds on the element, each through its framework's own syntax. */
export interface ChatBindings {
  endpoint: string;
  messages: ChatMessage[];
  headers: Record<string, string>;
  retries: number;
  onChunk: (event: ChunkEvent) => void;
  onDone: (event: DoneEvent) => void;
  onError: (event: StreamChatErrorEvent) => void;
  onToolCall: (event: ToolCallEvent) => void;
  onWarning: (event: WarningEvent) => void;
}

/** `<stream-chat>` as a framework mounted it. */
export interface MountedChat {
  /** The element, as the framework's ref handed it over. */
  element: StreamChatElement;
  /** Unmounts through the framework. */
  unmount(): void;
  /** Renders again with the same bindings, as a state change of the page's does (React). */
  rerender?(): void;
}

export interface Host {
  /** Mounts one `<stream-chat>` into `container`, resolving once the framework's ref has it. */
  mount(container: HTMLElement, bindings: ChatBindings): Promise<MountedChat>;
}

/**
 * test/hosts/<name>.entry.tsx (or .ts) as test/server/bundle-plugin.js bundles it. The caller
 * names the entry's type: `importBundle<typeof import('./react19.entry.js')>('react19')`.
 */
export async function importBundle<Entry>(name: string): Promise<Entry> {
  return (await import(`/__bundle/${name}.js`)) as Entry;
}
