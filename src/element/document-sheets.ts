import type { CSSResult, LitElement, ReactiveController } from 'lit';
import { highlightSheet } from './renderer-for.js';

/**
 * The element's sheets and the highlighter's, in the document the element is in. A constructed
 * sheet works only in its own document: in another (a Document Picture-in-Picture window, a
 * same-origin frame), copies made there; moved there, the element had lost them, and Lit could not
 * give it them at all.
 */
export class DocumentSheets implements ReactiveController {
  readonly #host: LitElement;
  /** The document its sheets, the highlighter's with them, were last set for (see {@link adopt}). */
  #styled?: Document;

  constructor(host: LitElement) {
    (this.#host = host).addController(this);
  }

  /** Gives the host's shadow root its sheets for the host's document (assigned: before Chrome 99 the list is frozen). */
  adopt(root: ShadowRoot): ShadowRoot {
    const host = this.#host;
    const doc = host.ownerDocument;
    const View = doc.defaultView;
    this.#styled = highlightSheet && doc;
    if (View) {
      root.adoptedStyleSheets = [...(host.constructor as typeof LitElement).elementStyles, highlightSheet ?? []].flat().map((style) => {
        const sheet = (style as CSSResult).styleSheet ?? (style as CSSStyleSheet);
        if (doc === document) return sheet;
        const copy = new View.CSSStyleSheet();
        copy.replaceSync([...sheet.cssRules].map((rule) => rule.cssText).join(''));
        return copy;
      });
    }
    return root;
  }

  /** Code the highlighter coloured while the host did not show it: the sheet comes with it. */
  hostUpdated(): void {
    if (highlightSheet && this.#styled !== this.#host.ownerDocument) this.adopt(this.#host.renderRoot as ShadowRoot);
  }
}
