/** What a Copy button says for a moment after a copy: the key of its label. */
export type Said = 'copied' | 'copyFailed';

/**
 * A copy of rendered Markdown with its table cells aligned as the document it is pasted in shows
 * them: our `align-*` classes, which our styles read, mean nothing there (Google Docs, Word, a mail).
 * The `align` attribute, as GFM's own renderer writes it, which Markdown converters read (turndown's
 * tables read nothing else) and mail clients keep; and the `text-align` style, which Google Docs
 * writes on what it copies.
 */
export function aligned<T extends ParentNode>(copy: T): T {
  for (const cell of copy.querySelectorAll<HTMLTableCellElement>('[class^=align-]')) (cell.style.textAlign = cell.align = cell.className.slice(6)), cell.removeAttribute('class');
  return copy;
}

/**
 * Copies `text` (and `html`, when given and the platform takes it) to the clipboard for a Copy
 * `button`, and resolves to whether it did. The Clipboard API needs a secure context and a page its
 * permissions policy lets write; elsewhere, or when it refuses, the text is selected and copied with
 * the older `execCommand` (the HTML too, by its `copy` event), which browsers still honour for a
 * click.
 */
export async function copyText(button: HTMLElement, text: string, html?: string | null): Promise<boolean> {
  const clipboard = globalThis.navigator?.clipboard;
  if (clipboard && globalThis.isSecureContext) {
    const plain = () => clipboard.writeText(text);
    try {
      // A clipboard that refuses the rich copy (or has no ClipboardItem) may still take the text.
      await (html != null && typeof ClipboardItem === 'function'
        ? clipboard.write([new ClipboardItem({ 'text/plain': new Blob([text], { type: 'text/plain' }), 'text/html': new Blob([html], { type: 'text/html' }) })]).catch(plain)
        : plain());
      return true;
    } catch {
      // Refused (a cross-origin iframe without `allow="clipboard-write"`): the click's user
      // activation still lets the older way copy.
    }
  }
  return copyBySelection(button, text, html);
}

function copyBySelection(button: HTMLElement, text: string, html?: string | null): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.readOnly = true;
  area.style.cssText = 'position:fixed;opacity:0';
  // The copy takes the HTML too, as the Clipboard API's does: the selection is the text alone.
  if (html != null)
    area.oncopy = (event) => {
      const data = event.clipboardData!;
      data.setData('text/plain', text);
      data.setData('text/html', html);
      event.preventDefault();
    };
  // What had focus (the button, or where a click leaves it: Safari's does not focus a button) and
  // the page's selection, which the text area takes: given back after.
  let focused = document.activeElement as HTMLElement | null;
  while (focused?.shadowRoot?.activeElement) focused = focused.shadowRoot.activeElement as HTMLElement;
  const selection = getSelection()!;
  // As composed: words selected in the chat are the host's alone in the document's ranges (WebKit's
  // one is collapsed there, and the reader's selection was lost).
  const ranges: AbstractRange[] = selection.getComposedRanges?.({ shadowRoots: [button.getRootNode() as ShadowRoot] }) ?? [...Array(selection.rangeCount)].map((_, at) => selection.getRangeAt(at));
  button.after(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    // Not copied: still false.
  }
  area.remove();
  selection.removeAllRanges();
  // (The first as WebKit takes one in a shadow root, not by addRange; Firefox's others after it.)
  ranges.forEach(({ startContainer, startOffset, endContainer, endOffset }, at) => {
    if (!at) return selection.setBaseAndExtent(startContainer, startOffset, endContainer, endOffset);
    const range = new Range();
    range.setStart(startContainer, startOffset);
    range.setEnd(endContainer, endOffset);
    selection.addRange(range);
  });
  // (After: a text box focused takes its own selection back.) Where that does not take it (the host
  // of a closed shadow root, all the page sees of an input in it; the body), the button, as before.
  focused?.focus();
  if (!focused?.matches(':focus')) button.focus();
  return copied;
}
