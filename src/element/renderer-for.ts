import type { BodyRenderer } from './body-renderer.js';
import { labelsOf, type Labels } from './labels.js';
import { createMarkdownRenderer } from './renderers/markdown.js';
import { textRenderer } from './renderers/text.js';

/**
 * The highlighter's colours, once it has loaded. It adds them to the shadow root of the code it
 * highlights; an element adds them too as it renders, for code highlighted while the element did
 * not show it (its `format` switched away and back as the answer ended).
 */
export let highlightSheet: CSSStyleSheet | undefined;

/**
 * Highlights a finished code block soon. The highlighter is a module of its own, loaded the first
 * time (from the CDN, the chunk next to this bundle); if it cannot load, code stays plain.
 */
const highlightLater = (code: HTMLElement, language: string) =>
  import('./highlight.js').then((m) => {
    highlightSheet = m.highlightStyles;
    m.queueHighlight(code, language);
  }, () => {});

/**
 * Each element's Markdown renderer, with the options it was made for (`images`, `highlight`, the
 * code blocks' and tables' labels): kept while they stay, so its answers keep their nodes; another when they change (and
 * again when they change back: its answers are rendered again from their text, the same DOM). Per
 * element, not shared: what is kept goes with the element, and no element's labels replace another's.
 */
const renderers = new WeakMap<object, { key: string; renderer: BodyRenderer }>();

/** The renderer of an element's answers, as its `format`, `images` and `highlight` say, with its code blocks' and tables' labels. */
export function rendererFor(element: { format: string; images: boolean; highlight: boolean; labels: Partial<Labels> }): BodyRenderer {
  if (element.format === 'text') return textRenderer;
  const { images, highlight } = element;
  const { copyCode: copy, code, table } = labelsOf(element);
  const key = JSON.stringify([images, highlight, copy, code, table]);
  let kept = renderers.get(element);
  // The labels as each block is built: an answer streaming as they change (its renderer the one it
  // started with) has them in the blocks after, and all of them once it ends, rendered again.
  const labels = () => labelsOf(element);
  if (kept?.key !== key)
    renderers.set(element, (kept = { key, renderer: createMarkdownRenderer({ images, get copy() { return labels().copyCode; }, get code() { return labels().code; }, get table() { return labels().table; }, ...(highlight && { highlight: highlightLater }) }) }));
  return kept.renderer;
}
