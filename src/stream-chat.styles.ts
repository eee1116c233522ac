import { css } from 'lit';

/**
 * Every colour, font, radius and spacing comes from a `--stream-chat-*` custom property with a
 * default here, so a host themes the element without reaching into its shadow root.
 */
export const styles = css`
  :host {
    --_bg: var(--stream-chat-background, #ffffff);
    --_fg: var(--stream-chat-color, #1f2328);
    --_muted: var(--stream-chat-muted-color, #59636e);
    --_border: var(--stream-chat-border-color, #d1d9e0);
    --_accent: var(--stream-chat-accent-color, #0969da);
    --_accent-fg: var(--stream-chat-accent-contrast, #ffffff);
    --_user-bg: var(--stream-chat-user-background, #ddf4ff);
    --_user-fg: var(--stream-chat-user-color, var(--_fg));
    --_assistant-bg: var(--stream-chat-assistant-background, #f6f8fa);
    --_assistant-fg: var(--stream-chat-assistant-color, var(--_fg));
    --_error-bg: var(--stream-chat-error-background, #ffebe9);
    --_error-fg: var(--stream-chat-error-color, #82071e);
    --_radius: var(--stream-chat-radius, 0.75rem);
    --_gap: var(--stream-chat-gap, 0.75rem);
    --_pad: var(--stream-chat-padding, 0.75rem);
    --_focus: var(--stream-chat-focus-ring, 2px solid var(--_accent));

    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: var(--stream-chat-height, 32rem);
    min-height: 0;
    overflow: hidden;
    contain: content;
    font: var(--stream-chat-font, 400 1rem/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif);
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--stream-chat-background, #0d1117);
      --_fg: var(--stream-chat-color, #e6edf3);
      --_muted: var(--stream-chat-muted-color, #9198a1);
      --_border: var(--stream-chat-border-color, #3d444d);
      --_accent: var(--stream-chat-accent-color, #4493f8);
      --_accent-fg: var(--stream-chat-accent-contrast, #0d1117);
      --_user-bg: var(--stream-chat-user-background, #112d4e);
      --_assistant-bg: var(--stream-chat-assistant-background, #161b22);
      --_error-bg: var(--stream-chat-error-background, #3c1618);
      --_error-fg: var(--stream-chat-error-color, #ffa198);
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  [part~='log'] {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    padding: var(--_pad);
  }

  /* Turns out of view skip layout, so a long history does not slow each streamed frame. */
  .turn {
    content-visibility: auto;
    contain-intrinsic-size: auto 6rem;
    display: flex;
    flex-direction: column;
    gap: calc(var(--_gap) / 3);
    max-width: 100%;
    min-width: 0;
  }

  .turn.user {
    align-items: flex-end;
  }

  [part~='message'] {
    max-width: min(100%, 46rem);
    padding: calc(var(--_pad) * 0.75) var(--_pad);
    border-radius: var(--_radius);
    /* Model text is plain text: keep its line breaks, never let a long word or a bidi override escape. */
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
    overflow: hidden;
  }

  /* Streamed text, in blocks (see textBlocks): the line break between two blocks collapses here. */
  .blocks {
    white-space: normal;
  }

  .blocks > div {
    white-space: pre-wrap;
  }

  [part~='user'] {
    background: var(--_user-bg);
    color: var(--_user-fg);
  }

  /* Full column width: a shrink-to-fit bubble re-measures its whole growing text every frame. */
  [part~='assistant'] {
    background: var(--_assistant-bg);
    color: var(--_assistant-fg);
    align-self: stretch;
  }

  [part~='reasoning'] {
    align-self: flex-start;
    max-width: min(100%, 46rem);
    color: var(--_muted);
    font-size: 0.875em;
  }

  [part~='reasoning'] > summary {
    cursor: pointer;
    width: fit-content;
    border-radius: calc(var(--_radius) / 2);
  }

  .reasoning-text {
    margin: 0.25rem 0 0;
    padding-inline-start: var(--_pad);
    border-inline-start: 2px solid var(--_border);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
  }

  [part~='tool-call'] {
    align-self: flex-start;
    max-width: min(100%, 46rem);
    padding: 0.25rem var(--_pad);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    color: var(--_muted);
    font: 0.85em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
  }

  [part~='typing'] {
    align-self: flex-start;
    display: inline-flex;
    gap: 0.3rem;
    padding: calc(var(--_pad) * 0.9) var(--_pad);
    border-radius: var(--_radius);
    background: var(--_assistant-bg);
  }

  [part~='typing'] span {
    width: 0.45rem;
    height: 0.45rem;
    border-radius: 50%;
    background: var(--_muted);
    animation: blink 1.2s infinite ease-in-out both;
  }

  [part~='typing'] span:nth-child(2) {
    animation-delay: 0.15s;
  }

  [part~='typing'] span:nth-child(3) {
    animation-delay: 0.3s;
  }

  @keyframes blink {
    0%,
    80%,
    100% {
      opacity: 0.25;
    }
    40% {
      opacity: 1;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    [part~='typing'] span {
      animation: none;
      opacity: 0.6;
    }
  }

  [part~='error'] {
    display: flex;
    align-items: center;
    gap: var(--_gap);
    margin: 0 var(--_pad) var(--_pad);
    padding: calc(var(--_pad) * 0.75) var(--_pad);
    border-radius: var(--_radius);
    background: var(--_error-bg);
    color: var(--_error-fg);
    overflow-wrap: anywhere;
  }

  [part~='error'] .error-text {
    flex: 1 1 auto;
    min-width: 0;
  }

  [part~='form'] {
    display: flex;
    align-items: flex-end;
    gap: calc(var(--_gap) * 0.66);
    padding: var(--_pad);
    border-top: 1px solid var(--_border);
  }

  [part~='input'] {
    flex: 1 1 auto;
    min-width: 0;
    min-height: 2.5rem;
    max-height: 10rem;
    resize: none;
    field-sizing: content;
    padding: 0.5rem 0.75rem;
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
  }

  button {
    flex: none;
    min-height: 2.5rem;
    padding: 0.4rem 1rem;
    font: inherit;
    font-weight: 600;
    color: var(--_accent-fg);
    background: var(--_accent);
    border: 1px solid transparent;
    border-radius: calc(var(--_radius) * 0.75);
    cursor: pointer;
  }

  button[part~='stop'] {
    color: var(--_fg);
    background: transparent;
    border-color: var(--_border);
  }

  button[part~='retry'] {
    min-height: 2rem;
    padding: 0.2rem 0.75rem;
    color: var(--_error-fg);
    background: transparent;
    border-color: currentColor;
  }

  button:disabled {
    cursor: default;
    opacity: 0.55;
  }

  button:focus-visible,
  [part~='input']:focus-visible,
  summary:focus-visible,
  [part~='log']:focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }
`;
