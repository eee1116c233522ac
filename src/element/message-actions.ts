import type { ReactiveElement } from 'lit';
import { beyondText } from '../core/protocol.js';
import type { ChatMessage } from '../core/types.js';
import { composing, entersSend, fit, ignore } from './composer.js';
import { aligned, copyText, type Said } from './copy.js';
import type { FollowEnd } from './follow-end.js';
import { labelsOf } from './labels.js';
import { copied, copiedTexts, inert, suggestionsOf, trimmed, withoutUi } from './messages.js';
import type { StreamChatElement } from './stream-chat.js';

/** What takes focus in a message: its links, code blocks' Copy, and the scrollers of code blocks and tables. */
const FOCUSABLE = 'a,button,[tabindex]';

/** Focus to the log, where the answer comes (Escape stops it there): the button pressed goes with the next render. */
export const focusLog = (host: ReactiveElement, options?: FocusOptions): void => host.renderRoot.querySelector<HTMLElement>('[part~=log]')?.focus(options);

/**
 * Focus to the latest turn (to the log when there is none), where Jump to latest took the reader:
 * Tab goes on from there, not from the log's first control at the top. Without scrolling: the log
 * is at its end. (A group named by its speaker, as every turn is: focused, a node is named by its
 * text otherwise, an answer read out whole, and again as it grows.)
 */
export const focusLatest = (host: ReactiveElement): void => {
  const turn = host.renderRoot.querySelector<HTMLElement>('.turns:last-of-type>:last-child');
  if (!turn) return focusLog(host);
  turn.tabIndex = -1;
  turn.focus({ preventScroll: true });
};

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
  /**
   * What a Copy says for 1.5 s after a copy, with its timer: by message for a message's Copy (the
   * view renders it, so another message in its place says Copy), by button for a code block's.
   */
  readonly #said = new WeakMap<object, [Said, ReturnType<typeof setTimeout>]>();
  /** The host's next render, not the later ones a long conversation's groups wait for. */
  readonly #rendered: () => Promise<unknown>;
  /** Says a text in the host's status region. */
  readonly #say: (text: string) => void;
  /** What had focus in the element last: the node, the message it is in, and its place among that message's focusable nodes (null outside one). */
  #focused: [node: Element, message: Element | null, at: number | null] | undefined;

  constructor(host: StreamChatElement, follow: FollowEnd, rendered: () => Promise<unknown>, say: (text: string) => void) {
    this.#host = host;
    this.#follow = follow;
    this.#rendered = rendered;
    this.#say = say;
  }

  /**
   * The question being edited, if any: none once it is not in `messages` (cleared, or replaced by
   * the page), its box gone with it. The log's resizes stop looking for that box, and the same
   * question set again comes back without it.
   */
  get editing(): ChatMessage | undefined {
    return this.#host.messages.includes(this.#editing!) ? this.#editing : (this.#editing = undefined);
  }

  /** What a message's Copy (or a code block's) says: the key of its label. */
  readonly said = (of: object): 'copy' | Said => this.#said.get(of)?.[0] ?? 'copy';

  /** An edit saved from code (`edit()`) closes the form. */
  close(): void {
    this.#editing = undefined;
  }

  /**
   * Focus in the element's own parts, remembered (see {@link keepFocus}); focus the reader takes
   * away (to another control, or to the page's body with a click on its text), forgotten.
   */
  readonly handleFocus = (event: FocusEvent): void => {
    const node = event.composedPath()[0] as Element;
    if (event.type === 'focusout') {
      // Still in the page and no longer focused: the reader took focus away. (Not a node a write or
      // a render took out; not a switch to another tab or window, after which it is focused still.)
      return queueMicrotask(() => node.isConnected && (node.getRootNode() as ShadowRoot).activeElement !== node && this.#focused?.[0] === node && (this.#focused = undefined));
    }
    if (node.getRootNode() !== this.#host.renderRoot) return;
    const message = node.closest('[part~=message]');
    this.#focused = [node, message, message && [...message.querySelectorAll(FOCUSABLE)].indexOf(node)];
  };

  /**
   * Focus on a node that a write or a render took out (a block of the streaming answer built again
   * as it grew or ended, a message cleared) goes to the node that took its place (the one at its
   * place among its message's links and buttons), or else to the log: not to the page's body, where
   * Escape no longer stopped the answer and Tab started from the top of the page. Without scrolling:
   * the reader may have scrolled away from it.
   */
  keepFocus(): void {
    const focused = this.#focused;
    if (!focused || focused[0].isConnected) return;
    this.#focused = undefined;
    const { activeElement, body } = this.#host.ownerDocument;
    // Unless the reader has gone on to something else since.
    if (activeElement && activeElement !== body) return;
    const [, message, at] = focused;
    const next = message?.isConnected && message.querySelectorAll<HTMLElement>(FOCUSABLE)[at!];
    if (next) {
      next.focus({ preventScroll: true });
      // (In a window without focus, no focusin says so.)
      this.#focused = [next, message, at];
    } else focusLog(this.#host, { preventScroll: true });
  }

  /** A click in the log or on the inline error; on a page's own button (the `empty` slot's), nothing. */
  readonly handleClick = (event: MouseEvent): void => {
    const button = (event.target as Element).closest('button');
    if (button?.getRootNode() !== this.#host.renderRoot) return;
    const host = this.#host;
    const code = button.matches('[part~=copy]') && button.closest('[part~=code-block]')?.querySelector('code');
    // (Without its last line break, as peers copy it: pasted into a terminal, a command ran at once.)
    if (code) return this.#copy(button, button, code.textContent!.replace(/\n$/, ''));
    const index = Number(button.dataset['index']);
    const message = host.messages[index];
    switch (button.dataset['action']) {
      case 'copy':
        return message && this.#copy(message, button, ...copiedOf(button, message, host.format != 'text'));
      case 'edit':
        this.#editing = message;
        return this.#focusAfter(`[part~=edit-input]`);
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
        return void host.send(suggestionsOf(host.suggestions)[index] ?? '').catch(ignore);
      case 'jump':
        this.#follow.reset();
        this.#follow.follow();
        return focusLatest(host);
    }
  };

  /** Save of a question being edited (a form of the page's, in the `empty` slot, is left alone). */
  readonly handleSubmit = (event: SubmitEvent): void => {
    const form = event.target as HTMLFormElement;
    if (!form.matches('.edit') || form.getRootNode() !== this.#host.renderRoot) return;
    event.preventDefault();
    const text = form.querySelector('textarea')!.value;
    // Blank, the question is what else it has: a picture alone is one (as the conversation takes it).
    if (!text.trim() && !beyondText(this.#editing!.content)) return;
    focusLog(this.#host);
    this.#host.edit(Number(form.dataset['index']), text).catch(ignore);
  };

  /**
   * In a question being edited, Enter saves, Shift+Enter is a newline and Escape cancels: on its
   * Save and Cancel too (it stopped an answer streaming instead, and left the form open). Only in
   * the element's own form: a page's control in the `empty` slot keeps its Escape, also one with
   * part `save` or `cancel` (a page's component exposing it).
   */
  readonly handleKeydown = (event: KeyboardEvent): void => {
    const area = event.target as HTMLElement;
    if (area.getRootNode() != this.#host.renderRoot || !area.closest('.edit') || composing(event)) return;
    if (event.key === 'Escape') {
      // One Escape does one thing: a dialog around the element stays open.
      event.preventDefault();
      event.stopPropagation();
      this.#cancel();
    } else if (area.localName == 'textarea' && entersSend(event)) {
      event.preventDefault();
      area.closest('form')?.requestSubmit();
    }
  };

  /** Copies, then says on Copy how it went for 1.5 s (a second copy, for 1.5 s after it), in the labels of that moment. */
  #copy(of: object, button: HTMLElement, text: string, html?: string | null): void {
    // (A code block's Copy is written here, not rendered: its label back is Copy code's.) At least
    // its size while it says how it went: "Copied", narrower, went back beside a language its width
    // had put it under (or took a line where its label took two), and the code moved up, then down.
    const show = () => {
      if (of !== button) return this.#host.requestUpdate();
      const said = this.#said.get(of)?.[0];
      const style = button.style;
      if (!said) style.minWidth = style.minHeight = '';
      else if (!style.minWidth) {
        // Its used size, in its own px (a rect is the page's: twice it under a page's zoom: 2).
        const { width, height } = getComputedStyle(button);
        [style.minWidth, style.minHeight] = [width, height];
      }
      button.textContent = labelsOf(this.#host)[said ?? 'copyCode'];
    };
    void copyText(button, text, html).then((copied) => {
      const said = copied ? 'copied' : 'copyFailed';
      clearTimeout(this.#said.get(of)?.[1]);
      this.#said.set(of, [
        said,
        setTimeout(() => {
          this.#said.delete(of);
          show();
        }, 1500),
      ]);
      show();
      // Said by the status region too: a focused button's new name is not read out by every screen reader.
      this.#say(labelsOf(this.#host)[said]);
    });
  }

  /** Back to the Edit button the reader came from. */
  #cancel(): void {
    const index = this.#host.messages.indexOf(this.#editing!);
    this.#editing = undefined;
    this.#focusAfter(`[part~=edit][data-index="${index}"]`);
  }

  /** Renders, then focuses what matches `selector` (not the log, as the button pressed goes first). */
  #focusAfter(selector: string): void {
    this.#focused = undefined;
    this.#host.requestUpdate();
    void this.#rendered().then(() => {
      const target = this.#host.renderRoot.querySelector<HTMLElement>(selector);
      if (!target) return;
      if (target.matches('textarea')) {
        // (Then kept as the log resizes, by FollowEnd's observer of it.)
        room(target.closest('[part~=log]')!);
        // The question's text in the edit box, all of it.
        fit(target as HTMLTextAreaElement);
      }
      // Focused without its own scroll, which Firefox takes to the caret (above the room the log
      // keeps for Jump to latest: the top of a box that fills a short log went out of it), and which
      // leaves a box it shows in part where it is: the edit box, in a question's place whose top was
      // scrolled out of the log, kept its top lines out of view. Shown after what follows it: the
      // box's Save and Cancel, which a box that fills a short log left under its edge (an Edit
      // button's Regenerate, in its row). (Not before them: WebKit takes their scroll margin, which
      // is taller than they are, as none at their top, and scrolled a form that fits 24 px down,
      // the box's top out.) Then the box shown from its end, where the caret is; not before either:
      // WebKit took a box scrolled inside to the log's very top, its scroll margin left out.
      target.focus({ preventScroll: true });
      for (const node of [target.nextElementSibling, target]) node?.scrollIntoView({ block: 'nearest' });
      target.scrollTop = target.scrollHeight;
    }, ignore);
  }
}

/**
 * The most the log's edit box, if there is one, may take (`--_room`, in its max-height): what the
 * log shows less the rest of its form (the gap, Save and Cancel, on as many rows as they take), so
 * that in a log shorter than the form all of it shows, the box scrolling inside.
 */
export const room = (log: Element): void => {
  const area = log.querySelector<HTMLElement>('[part~=edit-input]');
  area?.style.setProperty('--_room', `${log.clientHeight - area.parentElement!.offsetHeight + area.offsetHeight}px`);
};

/**
 * What Copy on message `of` copies: its text; an answer's Markdown source (with the responses its
 * group shows: see renderLog), with its rendered HTML for the clipboards that take it. What each
 * response shows ({@link copiedTexts}) and the responses are apart as shown, a blank line between:
 * "Welcome!" glued to "- Ask…" lost the list. A response that shows nothing (a step that only called
 * tools) copies nothing: it left an empty box in the HTML. The text is Markdown with `markdown`, the
 * element's format, not told by a Markdown body in the turn: an answer of a search and no text of
 * its own has none, and its sources and refusal were copied as `format="text"` has them.
 */
function copiedOf(button: HTMLElement, of: ChatMessage, markdown: boolean): [text: string, html: string | null] {
  const turn = button.closest('.turn')!;
  const shown = turn.querySelectorAll<HTMLElement>('[part="message assistant"]');
  const parts = (copied.get(of) ?? [[of]]).map(([message], at) => [copiedTexts(message, markdown), shown[at]!, message] as const).filter(([texts]) => texts.length);
  // The answer as rendered, every stretch of it, without the UI inside it; each response in a box
  // of the direction it is shown in, which its `dir="auto"` gave it: pasted without, a right-to-left
  // answer was laid out left to right (its list's bullets on the wrong side). Its code then left to
  // right, as shown (by our styles, which the document has not); each paragraph, heading and cell in
  // the direction of its own first letter, as our styles show it (not an item: its bullet would
  // move); and each line of one, and each item (its bullet kept where it is), in that of its own,
  // with our style's `unicode-bidi`, for a document that reads styles (a Hebrew line's English one
  // after a hard break was laid out right to left, an English item in a Hebrew list too: its full
  // stop at its start), and at its own start, as our `text-align` has it (Firefox's and WebKit's
  // style sheets align an item as its list: an English one was at a Hebrew list's right). Not the
  // refusal's: shown in that of its first letter (as a source's title is, by its link's dir).
  // Its sources after it, then its refusal, as shown; the refusal as text: a paragraph of the
  // model's words, never markup, its lines apart (innerText makes each line break a `<br>`: a paste
  // keeps no `white-space`, and a paragraph of lines was one), trimmed as its Markdown is, and none
  // of white space alone, as in the Markdown (an empty paragraph, pasted as a blank line). In
  // Markdown format, for an answer of sources or a refusal alone too, which has no Markdown body;
  // not for a question, which has no answer's box (it copies its text alone).
  return [
    parts.flatMap(([texts]) => texts).join('\n\n'),
    markdown && shown[0]
      ? parts
          .map(([, each, { refusal }]) => {
            const into = inert();
            const box = into.createElement('div');
            const list = each.nextElementSibling!;
            // (Not its body where that is hidden, as a refusal alone leaves it: an empty box.)
            box.append(...(each.hidden ? [] : into.importNode(each, true).childNodes), ...(list.matches('[part~=sources]') ? [into.importNode(list, true)] : []));
            if (refusal?.trim()) box.appendChild(into.createElement('p')).innerText = trimmed(refusal);
            // (Before our classes go: the answer's body's, as our styles find them.)
            for (const block of box.querySelectorAll<HTMLElement>('.markdown :is(p,li)')) block.style.cssText = 'unicode-bidi:plaintext;text-align:start';
            withoutUi(aligned(box));
            if ((box.dir = getComputedStyle(each).direction) == 'rtl') for (const code of box.querySelectorAll<HTMLElement>('pre,code')) code.dir = 'ltr';
            for (const block of box.querySelectorAll<HTMLElement>('h1,h2,h3,h4,h5,h6,p,th,td')) block.dir = 'auto';
            return box.outerHTML;
          })
          .join('')
      : null,
  ];
}
