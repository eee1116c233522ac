/**
 * The colours of highlighted code, part of the highlighter's own module: the element's stylesheet,
 * in the base bundle, carries none of it. The highlighter adds this sheet to the shadow root of the
 * code it highlights, and an element adds it as it renders once the highlighter has loaded. Each
 * colour is a `--stream-chat-code-*` custom property with a light and a dark default
 * (`light-dark()`, as the element's others), each at least 4.5:1 against the default code background.
 */
export const highlightStyles = new CSSStyleSheet();

highlightStyles.replaceSync(`
.keyword { color: var(--stream-chat-code-keyword, light-dark(#cf222e, #ff7b72)) }
.string { color: var(--stream-chat-code-string, light-dark(#0a3069, #a5d6ff)) }
.comment { color: var(--stream-chat-code-comment, var(--_muted)) }
.literal { color: var(--stream-chat-code-literal, light-dark(#0550ae, #79c0ff)) }
.property { color: var(--stream-chat-code-property, light-dark(#953800, #ffa657)) }
.tag { color: var(--stream-chat-code-tag, light-dark(#116329, #7ee787)) }
`);
