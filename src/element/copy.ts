/**
 * Copies `text` to the clipboard for the Copy `button` of a code block, and says on the button how
 * it went. The Clipboard API needs a secure context; elsewhere the text is selected and copied
 * with the older `execCommand`, which browsers still honour for a click.
 */
export function copyCode(button: Element, text: string): void {
  const say = (label: string) => {
    button.textContent = label;
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  };
  const clipboard = globalThis.navigator?.clipboard;
  if (clipboard && globalThis.isSecureContext) {
    clipboard.writeText(text).then(
      () => say('Copied'),
      () => say('Copy failed'),
    );
    return;
  }
  say(copyBySelection(button, text) ? 'Copied' : 'Copy failed');
}

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
  return copied;
}
