import type { Labels } from './labels.js';

/**
 * Copies `text` (and `html`, when given and the platform takes it) to the clipboard for a Copy
 * `button`, and says on the button how it went, then shows its label again. The Clipboard API
 * needs a secure context; elsewhere the text is selected and copied with the older `execCommand`,
 * which browsers still honour for a click, and the button says when even that failed.
 */
export function copyText(button: Element, labelsNow: () => Labels, text: string, html?: string): void {
  // The labels as they are when it is said (the clipboard may answer after new labels were set).
  const say = (key: 'copied' | 'copyFailed') => {
    const label = (button.textContent = labelsNow()[key]);
    // A second copy within the time shows its own outcome for as long: one timer per button.
    clearTimeout(timers.get(button));
    // Unless the view has relabelled the button meanwhile (new labels).
    timers.set(button, setTimeout(() => button.textContent === label && (button.textContent = labelsNow().copy), 1500));
  };
  const clipboard = globalThis.navigator?.clipboard;
  if (clipboard && globalThis.isSecureContext) {
    const plain = () => clipboard.writeText(text);
    // A clipboard that refuses the rich copy (or has no ClipboardItem) may still take the text.
    const written =
      html !== undefined && typeof ClipboardItem === 'function'
        ? clipboard.write([new ClipboardItem({ 'text/plain': new Blob([text], { type: 'text/plain' }), 'text/html': new Blob([html], { type: 'text/html' }) })]).catch(plain)
        : plain();
    written.then(
      () => say('copied'),
      () => say('copyFailed'),
    );
    return;
  }
  say(copyBySelection(button, text) ? 'copied' : 'copyFailed');
}

/** The timer that shows a Copy button's label again. */
const timers = new WeakMap<Element, ReturnType<typeof setTimeout>>();

function copyBySelection(button: Element, text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  button.after(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  // Selecting took focus to the text area: back to the button, where the keyboard was.
  (button as HTMLElement).focus();
  return copied;
}
