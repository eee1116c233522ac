import type { BodyRenderer } from './body-renderer.js';
import { createMarkdownRenderer, markdownRenderer } from './renderers/markdown.js';
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
 * The Markdown renderers, by `images`, `highlight` and the Copy label: elements with the same
 * options share one. At most {@link KEPT_RENDERERS}: all are let go when one more is needed.
 */
const markdownRenderers = new Map<string, BodyRenderer>([['00Copy', markdownRenderer]]);
const KEPT_RENDERERS = 32;

/** The renderer of answers, as the element's `format`, `images` and `highlight` say, with its code blocks' Copy label. */
export function rendererFor({ format, images, highlight }: { format: string; images: boolean; highlight: boolean }, copy: string): BodyRenderer {
  if (format === 'text') return textRenderer;
  const key = `${+images}${+highlight}${copy}`;
  let renderer = markdownRenderers.get(key);
  if (!renderer) {
    // A page that keeps changing its labels does not keep a renderer for each.
    if (markdownRenderers.size >= KEPT_RENDERERS) markdownRenderers.clear();
    markdownRenderers.set(key, (renderer = createMarkdownRenderer({ images, copy, ...(highlight && { highlight: highlightLater }) })));
  }
  return renderer;
}
