import type { TemplateResult } from 'lit';
import type { ConversationController } from './conversation-controller.js';
import type { FollowEnd } from './follow-end.js';
import type { KeepController } from './keep-controller.js';
import type { Labels } from './labels.js';
import type { MessageActions } from './message-actions.js';
import { langOf, renderLog, suggestionsOf, type RenderedAnswers } from './messages.js';
import { rendererFor } from './renderer-for.js';
import type { StreamChatElement } from './stream-chat.js';

/** The element's parts whose state the log shows, and what it reads of each. */
type Parts = [
  controller: Pick<ConversationController, 'nodesOf'>,
  keep: Pick<KeepController, 'persistence' | 'limited' | 'empty' | 'interrupted'>,
  actions: Pick<MessageActions, 'editing' | 'said'>,
  follow: Pick<FollowEnd, 'atEnd'>,
];

/**
 * The log's content, as an element renders it at each update ({@link renderLog}): its conversation,
 * with what the element's parts say of its messages. It keeps the answers rendered, by message, and
 * asks for the render, in a later task, that the groups of a long conversation wait for.
 */
export class Log {
  readonly #host: StreamChatElement;
  readonly #parts: Parts;
  /** The answers this element rendered, by message. */
  readonly #rendered: RenderedAnswers = new WeakMap();
  /** The render to come in a later task while groups of the log wait for it. */
  #later: Promise<void> | undefined;

  constructor(host: StreamChatElement, ...parts: Parts) {
    this.#host = host;
    this.#parts = parts;
  }

  /** Groups wait for a later render. */
  get waiting(): boolean {
    return !!this.#later;
  }

  /** Settles once no group waits: after each later render, `rendered` (the host's render, not the later ones). */
  async settled(rendered: () => Promise<unknown>): Promise<void> {
    while (this.#later) {
      await this.#later;
      await rendered();
    }
  }

  render(labels: Labels): unknown[] | TemplateResult {
    const host = this.#host;
    const [controller, keep, actions, follow] = this.#parts;
    return renderLog({
      conversation: host.conversation,
      renderer: rendererFor(host),
      labels,
      stats: host.stats,
      lang: langOf(host),
      editing: actions.editing,
      said: actions.said,
      interrupted: keep.interrupted,
      stopped: keep.persistence?.stopped,
      limited: keep.limited,
      empty: keep.empty,
      suggestions: suggestionsOf(host.suggestions),
      nodesOf: controller.nodesOf,
      rendered: this.#rendered,
      defer: follow.atEnd,
      // That render asked for, once, in a task of its own.
      later: () => {
        this.#later ??= new Promise((resolve) =>
          setTimeout(() => {
            this.#later = undefined;
            host.requestUpdate();
            resolve();
          }),
        );
      },
    });
  }
}
