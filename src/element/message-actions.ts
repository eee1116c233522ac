import type { ReactiveElement } from 'lit';
import { textOf } from '../core/protocol.js';
import type { ChatMessage } from '../core/types.js';
import { composing, entersSend, fit } from './composer.js';
import { copyText } from './copy.js';
import type { FollowEnd } from './follow-end.js';
import { labelsOf, type Labels } from './labels.js';
import { withoutUi } from './messages.js';
import type { StreamChatElement } from './stream-chat.js';

/** The UI has nothing to await: a failure is reported through the `error` event. */
const ignore = () => {};

/** Focus to the log, where the answer comes (Escape stops it there): the button pressed goes with the next render. */
export const focusLog = (host: ReactiveElement): void => host.renderRoot.querySelector<HTMLElement>('[part~="log"]')?.focus();

/**
 * What the log's buttons do: Copy on a code block, the messages' actions (Copy, Edit with its
 * Save and Cancel, Regenerate), the suggestions and Jump to latest; and the inline error's Retry.
 * One listener each for clicks, submits and keys on the log, wherever they came from in it.
 */
export class MessageActions {
  readonly #host: StreamChatElement;
  readonly #follow: FollowEnd;
  /** The question being edited: the message itself, so that a conversation that changed edits nothing else. */
  #editing: ChatMessage | undefined;

  constructor(host: StreamChatElement, follow: FollowEnd) {
    this.#host = host;
    this.#follow = follow;
  }

  /** The question being edited, if any. */
  get editing(): ChatMessage | undefined {
    return this.#editing;
  }

  /** An edit saved from code (`edit()`) closes the form. */
  close(): void {
    this.#editing = undefined;
  }

  /** A click in the log or on the inline error; on a page's own button (the `empty` slot's), nothing. */
  readonly handleClick = (event: MouseEvent): void => {
    const button = (event.target as Element).closest('button');
    if (button?.getRootNode() !== this.#host.renderRoot) return;
    const host = this.#host;
    // Read when the copy is done, which may be after new labels were set.
    const labels = () => labelsOf(host);
    const code = button.matches('[part~="copy"]') && button.closest('[part~="code-block"]')?.querySelector('code');
    if (code) return copyText(button, labels, code.textContent ?? '');
    const index = Number(button.dataset['index']);
    const message = host.messages[index];
    switch (button.dataset['action']) {
      case 'copy':
        return message && copyMessage(button, message, labels);
      case 'edit':
        this.#editing = message;
        return this.#focusAfter(`[part~="edit-input"]`);
      case 'cancel':
        return this.#cancel();
      case 'regenerate':
        focusLog(host);
        return void host.regenerate().catch(ignore);
      case 'retry':
        focusLog(host);
        return void host.retry().catch(ignore);
      case 'suggest':
        focusLog(host);
        return void host.send(host.suggestions[index] ?? '').catch(ignore);
      case 'jump':
        this.#follow.reset();
        this.#follow.follow();
        return focusLog(host);
    }
  };

  /** Save of a question being edited (a form of the page's, in the `empty` slot, is left alone). */
  readonly handleSubmit = (event: SubmitEvent): void => {
    const form = event.target as HTMLFormElement;
    if (!form.matches('.edit') || form.getRootNode() !== this.#host.renderRoot) return;
    event.preventDefault();
    const text = form.querySelector('textarea')?.value ?? '';
    if (text.trim() === '') return;
    focusLog(this.#host);
    this.#host.edit(Number(form.dataset['index']), text).catch(ignore);
  };

  /** In a question being edited, Enter saves, Shift+Enter is a newline and Escape cancels. */
  readonly handleKeydown = (event: KeyboardEvent): void => {
    const area = event.target as HTMLElement;
    if (!area.matches('[part~="edit-input"]') || composing(event)) return;
    if (event.key === 'Escape') {
      // One Escape does one thing: a dialog around the element stays open.
      event.preventDefault();
      event.stopPropagation();
      this.#cancel();
    } else if (entersSend(event)) {
      event.preventDefault();
      area.closest('form')?.requestSubmit();
    }
  };

  /** Back to the Edit button the reader came from. */
  #cancel(): void {
    const index = this.#host.messages.indexOf(this.#editing!);
    this.#editing = undefined;
    this.#focusAfter(`[part~="edit"][data-index="${index}"]`);
  }

  /** Renders, then focuses what matches `selector`. */
  #focusAfter(selector: string): void {
    const host = this.#host;
    host.requestUpdate();
    void host.updateComplete.then(() => {
      const target = host.renderRoot.querySelector<HTMLElement>(selector);
      // The question's text in the edit box, all of it.
      if (target?.localName === 'textarea') fit(target as HTMLTextAreaElement);
      target?.focus();
    }, ignore);
  }
}

/** Copy on a message: its text; an answer's Markdown source, with its rendered HTML where the clipboard takes it. */
function copyMessage(button: HTMLElement, message: ChatMessage, labels: () => Labels): void {
  const rendered = button.closest('.turn')?.querySelector('[part~="message"]');
  // The answer as rendered, every stretch of it, without the UI inside it.
  const markup = rendered?.querySelector('.markdown') ? withoutUi(rendered.cloneNode(true) as Element).innerHTML : undefined;
  copyText(button, labels, textOf(message.content), markup);
}
