import type { ReactiveController } from 'lit';
import { event } from '../core/conversation.js';
import type { ChatMessage, DoneDetail } from '../core/types.js';
import type { Persistence } from './persistence.js';
import type { StreamChatElement } from './stream-chat.js';

/**
 * Loads what keeps the conversation under `storageKey` (persistence.ts, a module of its own) the
 * first time a key is set, and makes the element wait for it: once loaded, it restores the
 * conversation stored under the key, and keeps it from then on. If it cannot load, the chat works
 * unsaved and says so with a `warning`.
 */
export class KeepController implements ReactiveController {
  readonly #host: StreamChatElement;
  /** Null when its module could not load. */
  #persistence: Persistence | null | undefined;
  /** Settles when that module has loaded (and restored the conversation) or failed to load. */
  #restoring: Promise<void> | undefined;
  /**
   * Until then, an element that had its key from the start shows nothing in its log: not the empty
   * state, nor a greeting, of a conversation about to come back. (A key set later leaves what is shown.)
   */
  #restored = false;
  /** `clear()` was called before then. */
  #cleared = false;
  /**
   * The answers of turns that `max-steps` ended, as LiveStatus tells them at each turn's end (its
   * `limited`): stored with the conversation, and those of a conversation restored added.
   */
  readonly limited = new WeakSet<ChatMessage>();
  /**
   * What a failure cut short, marked once the failure ends (the next request, `messages` set):
   * LiveStatus adds it, as {@link limited}, and takes away what a turn went on from; with
   * `storage-key`, stored, and those restored added.
   */
  readonly interrupted = new WeakSet<ChatMessage>();
  /** The last message of each turn that ended with no answer to show, by its finish reason, or its question by a stop (LiveStatus's `empty`): kept as {@link limited}. */
  readonly empty = new WeakMap<ChatMessage, string | null | true>();

  /** The host's next render, not the later ones a long conversation's groups wait for. */
  readonly #rendered: () => Promise<unknown>;
  /** The host's update, now (Lit's `performUpdate`). */
  readonly #update: () => void;

  constructor(host: StreamChatElement, rendered: () => Promise<unknown>, update: () => void) {
    (this.#host = host).addController(this);
    this.#rendered = rendered;
    this.#update = update;
  }

  /** The log waits for the conversation to be restored. */
  get hidden(): boolean {
    return !this.#restored && !!this.#restoring;
  }

  /** Settles once the conversation stored under the key is restored (or could not be). */
  get restoring(): Promise<void> | undefined {
    return this.#restoring;
  }

  /** What keeps the conversation, once loaded (null when its module could not load). */
  get persistence(): Persistence | null | undefined {
    return this.#persistence;
  }

  /** Starts a new conversation, and removes the one stored (once restored, if it is not yet). */
  clear(): void {
    const host = this.#host;
    if (this.#persistence) return this.#persistence.clear();
    host.conversation.clear();
    // Before the stored conversation is restored: once it is, it goes too. (Without a key, a key
    // set later restores what it holds.)
    this.#cleared ||= !!host.storageKey;
  }

  /**
   * Starts a turn. While the conversation stored under a new key is to be restored (its module is
   * loading, or the key is not applied yet), the turn waits for it: the restore would otherwise
   * replace the conversation under it. Out of the page, it waits for the end of the task (a
   * template's `ref` callback runs before its fragment is put in the page); still out of it then (or
   * removed meanwhile), the turn stops as it starts, before its request goes out, as one in flight
   * would have when the element was removed.
   */
  ask(turn: () => Promise<DoneDetail>, waited?: boolean): Promise<DoneDetail> {
    const host = this.#host;
    // Before the first update, the properties a page set before the element was defined (a key
    // among them) are not applied yet (Lit applies them then): the turn goes with them.
    if (!waited && !host.hasUpdated && host.isConnected) {
      try {
        this.#update();
      } catch (error) {
        // A render that throws (bad input) is reported as Lit's own would be, not thrown from send().
        reportError(error);
      }
    }
    if (!host.isConnected) {
      if (!waited) return new Promise((resolve) => setTimeout(resolve)).then(() => this.ask(turn, true));
      const stop = () => host.stop();
      host.conversation.addEventListener('change', stop, { once: true });
      const sent = turn();
      host.conversation.removeEventListener('change', stop);
      return sent;
    }
    if (!host.storageKey || this.#persistence === null || this.#persistence?.key === host.storageKey) return turn();
    // The update that starts the restore, then the restore.
    return this.#rendered()
      .then(() => this.#restoring)
      .then(() => this.ask(turn, true));
  }

  /** The first update with a key loads the module, which restores the conversation under it; one that cannot load says so. */
  hostUpdate(): void {
    const host = this.#host;
    if (this.#restoring || !host.storageKey) return;
    this.#restored = host.hasUpdated;
    this.#restoring = import('./persistence.js')
      .then(
        // Added after the conversation's controller: removed from the page, the answer it stops is saved stopped.
        (module) => {
          this.#persistence = module.persistence(host, host.conversation, this);
          if (this.#cleared) this.#persistence.clear();
        },
        (error) => {
          this.#persistence = null;
          host.dispatchEvent(event('warning', { message: `Not saved under "${host.storageKey}": ${error}` }));
        },
      )
      .finally(() => {
        this.#restored = true;
        host.requestUpdate();
      });
  }
}
