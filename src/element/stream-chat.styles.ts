import { unsafeCSS, type CSSResult } from 'lit';

/**
 * Lit's `css` for a stylesheet without interpolations: Lit's own checks that each value
 * interpolated is `css` too (with a long error message, 176 bytes of the bundle gzip), and there
 * are none here. The tag's name has "css" in it: that is how the build's minifier knows it is CSS.
 */
const staticCss = (strings: TemplateStringsArray): CSSResult => unsafeCSS(strings[0]);

/**
 * Every colour, font, radius and spacing comes from a `--stream-chat-*` custom property with a
 * default here, so a host themes the element without reaching into its shadow root. Defaults
 * follow the user's colour scheme through `light-dark()`. Inside `calc()`, `min()` and a `var()`'s
 * font list the spaces the minifier would keep are left out (`calc(var(--_gap)/3)`): it keeps
 * those that a value with a `var()` in it is written with.
 */
export const styles = staticCss`
  :host {
    --_fg: var(--stream-chat-color, light-dark(#1f2328, #e6edf3));
    --_muted: var(--stream-chat-muted-color, light-dark(#59636e, #9198a1));
    --_border: 1px solid var(--stream-chat-border-color, light-dark(#d1d9e0, #3d444d));
    --_accent: var(--stream-chat-accent-color, light-dark(#0969da, #4493f8));
    --_bubble: var(--stream-chat-assistant-background, light-dark(#f6f8fa, #161b22));
    --_error: var(--stream-chat-error-color, light-dark(#82071e, #ffa198));
    --_code: var(--stream-chat-code-background, light-dark(#eff2f5, #1c2128));
    --_mono: var(--stream-chat-code-font, ui-monospace,monospace);
    --_radius: var(--stream-chat-radius, 0.75rem);
    --_gap: var(--stream-chat-gap, 0.75rem);
    --_pad: var(--stream-chat-padding, 0.75rem);
    --_bg: var(--stream-chat-background, light-dark(#fff, #0d1117));
    color-scheme: light dark;
    display: flex;
    flex-direction: column;
    /* In a chat too short for the least heights of its parts, what does not fit is at its top (a
       header first, then the log's padding), not the composer's end: 220 × 160 with an error, Send
       ran 6 px past the end. */
    justify-content: flex-end;
    box-sizing: border-box;
    height: var(--stream-chat-height, 32rem);
    min-height: 0;
    overflow: hidden;
    contain: content;
    font: var(--stream-chat-font, 1rem/1.5 system-ui,sans-serif);
    /* Inherited text layout of the page's (a centred section) stops here; the font too, above. */
    text-align: start;
    text-indent: 0;
    white-space: normal;
    color: var(--_fg);
    background: var(--_bg);
    border: var(--_border);
    border-radius: var(--_radius);
  }

  :host([hidden]) {
    display: none;
  }

  /* Not inherited from the host: a page's reset (* { box-sizing: content-box }) wins over :host,
     and made the input 65 px high and Send 55. */
  * {
    box-sizing: border-box;
  }

  /* A group still to be rendered (a long conversation set whole: see renderLog) is never laid out.
     (Its specificity is above every .turns rule's: here, it gzips 6 bytes smaller than after them.) */
  .turns:empty {
    content-visibility: hidden;
  }

  /* A title in the header lines up with the messages (a control or a container is left as it is; the page's own styles win). */
  ::slotted(:is(h1, h2, h3, h4, h5, h6, p)[slot=header]) {
    padding-inline: var(--_pad);
  }

  /* Positioned: the hidden speakers' box, where no group of turns contains them (they scroll with the log).
     It gives way first (its shrink far above the error's), but keeps 4.5rem in a chat taller than
     22.5rem: a header and a grown composer left a long error's log 40 px, its padding and a sliver. */
  [part~=log] {
    position: relative;
    flex: 1 1e6 auto;
    min-height: clamp(0px,100% - 18rem,4.5rem);
    overflow-y: auto;
    /* Never sideways (what is wider scrolls in its own box): the groups' room past a page's inline
       padding of 0 on the log (see .turns), which --stream-chat-padding would have bounded, is cut. */
    overflow-x: hidden;
    overscroll-behavior: contain;
    /* No scroll anchoring while the log follows the end (the element turns it on when the reader scrolls up). */
    overflow-anchor: none;
    padding: var(--_pad);
    /* What takes focus is scrolled into view above where Jump to latest shows (its height and gap),
       and 4px under the log's top: a control scrolled in there had its focus ring's top cut. Its
       height as it is, 24 px or its line, padding and border at least (1.75rem alone, a page's root
       font of 10 px left a focused control under a 28 px Jump). (1.75rem where lh is unknown.) */
    --_jump-room: calc(1.75rem + var(--_gap) + var(--_pad));
    @supports (top:1lh) {
      --_jump-room: calc(max(1.75rem,24px,1lh + .2rem + 2px) + var(--_gap) + var(--_pad));
    }
    scroll-padding-block: 4px var(--_jump-room);
  }

  /* Scrollers draw their focus ring inside their box: outside, the host would cut the log's, a
     code block's frame a code block's (and its Copy's), and the answer a table's. In one :is(), the
     selectors take .markdown pre's specificity, still above the ring's own rule (below). */
  :is([part~=log], .markdown pre, [part~=table-wrap], [part~=copy]):focus-visible {
    outline-offset: -2px;
  }

  /* Who said it, and the status region (below), for assistive technology only. */
  [part~=speaker],
  .announce {
    position: absolute;
    clip-path: inset(50%);
  }

  /* Left out of text selected across messages and copied (Ctrl+C), as Copy leaves them out: the
     speakers (hidden), the buttons' names, a code block's language and the stats were pasted, each
     a line. (WebKit reads the prefixed property alone.) */
  [part~=speaker],
  .announce,
  button,
  [part~=code-header],
  [part~=stats] {
    -webkit-user-select: none;
    user-select: none;
  }

  /* Block flow, not a flex column, between groups: a frame's layout then visits far less of a long log. */
  /* The gap, with the groups' room around their turns (below) taken out of it. */
  .turns + .turns {
    margin-block-start: calc(var(--_gap) - 4px);
  }

  /* A group's turns, and what an empty log shows (its slot, the suggestions): a column. */
  .turns,
  .empty {
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
  }

  /*
   * A group clips what it paints to its box (content-visibility), as a Markdown answer does (it
   * scrolls): room around its turns or blocks, taken back by the margin, keeps the focus ring of a
   * button or a link at its edge whole. An answer's is no wider than its bubble's padding: past a
   * compact theme's (0), the bubble (overflow: hidden) scrolled, and cut the answer's end by 4 px.
   * A group's, at the sides, no wider than the log's padding: past a compact theme's (0), the log
   * scrolled sideways.
   */
  .turns {
    padding: 4px min(4px,var(--_pad));
    margin: -4px max(-4px,-1*var(--_pad));
  }

  .markdown {
    padding: min(4px,var(--_pad)*.75) min(4px,var(--_pad));
    margin: max(-4px,var(--_pad)*-.75) max(-4px,-1*var(--_pad));
  }

  /* Groups of turns out of view skip layout, so a long history does not slow each streamed frame.
     Their placeholder is a height only: as a width too, a chat that takes its content's (an
     inline-block) was 100rem wide under the fold, and the page scrolled sideways. */
  .turns {
    content-visibility: auto;
    contain-intrinsic-block-size: auto 100rem;
  }

  .turn {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: calc(var(--_gap)/3);
    min-width: 0;
  }

  .user {
    align-items: flex-end;
  }

  [part~=message],
  [part~=typing] {
    padding: calc(var(--_pad)*0.75) var(--_pad);
    border-radius: var(--_radius);
    background: var(--_bubble);
    overflow: hidden;
  }

  /* The status region screen readers hear a turn start and its answer from: read, not seen. */
  .announce {
    width: 1px;
    height: 1px;
    overflow: hidden;
    white-space: nowrap;
  }

  /* Hidden once said (the delay is the text's, see LiveStatus.say). */
  .announce span {
    animation: said 0s forwards;
  }

  @keyframes said {
    to {
      visibility: hidden;
    }
  }

  /* Streamed text, in blocks (see textBlocks): the line break between two blocks collapses here.
     Markdown (below) is block flow too. */
  .blocks,
  .lines,
  .markdown {
    white-space: normal;
  }

  .blocks > div,
  .lines > div {
    white-space: pre-wrap;
  }

  /* Markdown: block flow inside the bubble; only code keeps its white space. What is wider than
     the bubble (lists nested deeper than it has room for) scrolls inside it, as a code block and a
     table (in its wrapper) do. */
  .markdown,
  .markdown pre,
  [part~=table-wrap] {
    overflow-x: auto;
  }

  .markdown > :first-child > :first-child {
    margin-block-start: 0;
  }

  .markdown > :last-child > :last-child {
    margin-block-end: 0;
  }

  /* Groups of 32 finished blocks (see the Markdown renderer) skip layout out of view. */
  .markdown > .full {
    content-visibility: auto;
    contain-intrinsic-block-size: auto 60rem;
  }

  /* A long tool result's blocks of 200 lines (see lines() in messages.ts) skip layout out of view. */
  .lines > div {
    content-visibility: auto;
    contain-intrinsic-block-size: auto 300rem;
    contain-intrinsic-block-size: auto 200lh;
  }

  /* Made auto as their result opens, they are new to the browser then: Firefox laid out every block
     that was auto under a closed result (its content-visibility: hidden) as it opened, 1.0 to 2.2 s
     for 1.8 MB. Not hidden: find in page would not find their lines, nor open the result. */
  details:not([open]) .lines > div {
    content-visibility: visible;
  }

  /* Written while the page was hidden, laid out in the first frame back (see unseen in follow-end.ts),
     contained as when they skip (else margins inside collapse through them, and the size kept is less). */
  .unseen .full {
    content-visibility: visible;
    contain: content;
  }

  /*
   * Without scroll anchoring (Safari), a group taking its real height as it comes into view would
   * move the text being read: every group is laid out. (After the rules it overrides: before them,
   * an answer's groups of blocks went on skipping layout.)
   */
  @supports not (overflow-anchor: auto) {
    .turns,
    .markdown > .full,
    .lines > div {
      content-visibility: visible;
    }

    /* Laid out all along here: not contained while unseen either (its margins then did not collapse,
       and the log was 58 px taller for 200 paragraphs until the mark came off, two frames back). */
    .unseen .full {
      contain: none;
    }
  }

  .markdown :where(h1, h2, h3, h4, h5, h6, p, ul, ol, blockquote, [part~=code-block], [part~=table-wrap]) {
    margin-block: 0.6em;
  }

  /* Each paragraph, heading, item and cell reads in the direction of its own first letter (an
     Arabic answer may begin with a Latin name); lists, quotes and tables keep the message's. Not
     dir="auto" on each: the message's own dir="auto" would skip them all, and find no direction.
     Only in an answer with a right-to-left letter (class bidi): elsewhere every block reads left to
     right anyway, and isolated, a long paragraph lays out in about 0.6 of the time. */
  .markdown.bidi :is(h1, h2, h3, h4, h5, h6, p, li, th, td) {
    unicode-bidi: plaintext;
  }

  /* One with no letter (a number, an emoji, an image) is in the answer's direction, not
     plaintext's left to right: a right-to-left mark at its end, its first strong letter then (not
     after an item's blocks, where it would be a line of its own). Its alternative text is none, so
     the accessibility tree has no mark of it, where a browser knows the second declaration. */
  .markdown.bidi :is(h1, h2, h3, h4, h5, h6, p, li:not(:has(> :is(p, ul, ol, div, blockquote))), th, td):dir(rtl)::after {
    content: '\\200f';
    content: '\\200f' / '';
  }

  /* An item too, at its own start: Firefox's style sheet aligns it as its list (text-align: match-parent). */
  .markdown li {
    text-align: inherit;
  }

  .markdown :is(h1, h2, h3, h4, h5, h6) {
    font-size: 1em;
    line-height: 1.3;
  }

  .markdown h1 {
    font-size: 1.3em;
  }

  .markdown h2 {
    font-size: 1.15em;
  }

  .markdown :is(ul, ol) {
    padding-inline-start: 1.5em;
  }

  .markdown li > :is(p, ul, ol) {
    margin-block: 0.25em;
  }

  /* A task's box, drawn: the browser's disabled one is grey on grey (1.5:1), done hard to tell from
     to do (Firefox fills one to do). Done is filled, and its border thick: forced colours keep a
     border, not a background. In the text's font, so its em is the text's, its lh the line's. */
  .markdown [type=checkbox] {
    appearance: none;
    font: inherit;
    width: 1em;
    height: 1em;
    margin: 0 0.3em;
    border: 1px solid var(--_muted);
    background: none;
  }

  .markdown :checked {
    border: 0.4em solid var(--_accent);
    background: var(--_accent);
  }

  /* A task's box in place of its bullet, as on GitHub ("• ☐ to do" was both); a number stays. In
     the bullet's room: after an empty one, its text began 1.3em after a plain item's. Out of the
     line, on the list's side as a bullet is, as low as it sat in the line: in it, the box went where
     the words start, over the first letter of a task that reads the other way than its list. In
     the middle of its first line, as the text is: 0.3em down in the browser's 13 px font of a box,
     it stood over the line's top half in a 24 px font, at the top of a 32 px one. */
  .markdown ul > li:has(> [type=checkbox], > p > [type=checkbox]) {
    list-style: none;
    position: relative;
    > [type=checkbox],
    > p > [type=checkbox] {
      position: absolute;
      inset-inline-start: -1.3em;
      margin: calc(.5lh - .5em) 0 0;
    }
  }

  .markdown blockquote {
    margin-inline: 0;
    padding-inline-start: var(--_pad);
    border-inline-start: 3px solid var(--stream-chat-border-color, light-dark(#d1d9e0, #3d444d));
    color: var(--_muted);
  }

  /* Inline, set apart from the text around it (and left to right: see the tool's name). */
  .markdown code {
    font: 0.875em/1.45 var(--_mono);
    padding: 0.1em 0.3em;
    border-radius: 0.3em;
    background: var(--_code);
  }

  /* An image fits the answer's column, its aspect kept (as peers show one): wider, the whole answer
     scrolled sideways to show it, a phone's screen a strip of it at a time. Not in a table, which
     scrolls in its wrapper: there it shrank to its column's words, or to nothing without any. */
  .markdown img:not(table *) {
    max-width: 100%;
  }

  .markdown hr {
    border: 0;
    border-block-start: var(--_border);
  }

  .markdown a,
  [part~=sources] a {
    color: var(--_accent);
  }

  [part~=code-block] {
    border: var(--_border);
    border-radius: calc(var(--_radius)*0.75);
    overflow: hidden;
    background: var(--_code);
  }

  [part~=code-header] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    padding-block: 0.2em;
    padding-inline: var(--_pad) 0.5em;
    border-block-end: var(--_border);
    color: var(--_muted);
    font-size: 0.8em;
  }

  /* The language whole, Copy whole: where both do not fit on a line (200% text on a 320 px phone,
     cut to "p…" beside it), Copy goes under it, at its end; either, longer than the line, wraps
     (Copy code there is wider than the 167 px line). Not grown to the line: a page's badge on
     ::part(code-language) would be a bar. (Copy keeps its size as it says Copied: see
     message-actions.) The room is Copy's, on the side of the header's start: its own logical sides
     are its label's direction (dir="auto", an English Copy in a right-to-left answer), and as the
     language's, a page's margin on ::part(code-language) took it. */
  [part~=code-language] {
    overflow-wrap: anywhere;
  }

  [part~=code-header]:dir(ltr) > [part~=copy] {
    margin-left: auto;
  }

  [part~=code-header]:dir(rtl) > [part~=copy] {
    margin-right: auto;
  }

  /* 24 px: the smallest target WCAG 2.5.8 asks for (in px too: a page's root font of 10 px left it 23.7). */
  [part~=copy] {
    flex: none;
    max-width: 100%;
    min-height: max(1.5rem,24px);
    padding: 0.1em 0.6em;
    font-weight: 400;
  }

  .markdown pre {
    direction: ltr;
    margin: 0;
    padding: var(--_pad);
  }

  /* A block, so that its lines are its own height, also in the pieces an open one is in (see the renderer's chunks);
     as wide as its longest line, so that its size tells the renderer when its text widens in the same frame. */
  .markdown pre code {
    display: block;
    width: fit-content;
    padding: 0;
    background: none;
  }

  .markdown table {
    border-collapse: collapse;
  }

  /* Words whole in a cell: breaking them anywhere (the message's rule) let a wide table shrink to
     a letter a column instead of scrolling in its wrapper. */
  .markdown :is(th, td) {
    padding: 0.3em 0.6em;
    border: var(--_border);
    overflow-wrap: normal;
  }

  .markdown th {
    background: var(--_code);
    text-align: start;
  }

  .markdown .align-center {
    text-align: center;
  }

  /* GFM's :-- and --: name sides, not ends (as GitHub's align="right"): each cell there, whatever its own text's direction. */
  .markdown .align-left {
    text-align: left;
  }

  .markdown .align-right {
    text-align: right;
  }

  [part~=user] {
    background: var(--stream-chat-user-background, light-dark(#ddf4ff, #112d4e));
    color: var(--stream-chat-user-color, var(--_fg));
  }

  /* Full column width: a shrink-to-fit bubble re-measures its whole growing text every frame. */
  [part~=assistant] {
    color: var(--stream-chat-assistant-color, var(--_fg));
    align-self: stretch;
  }

  /* Secondary text; with the answer, the provider's own tool runs (web search, …) where they ran, and the links it cites, under it. */
  [part~=reasoning],
  [part~=tool-call],
  [part~=marker],
  [part~=server-tool],
  [part~=sources] {
    color: var(--_muted);
    font-size: 0.875em;
  }

  [part~=tool-call] :is(.blocks, .blocks > div) {
    display: inline;
  }

  /* A tool's head, and the suggestions: wrapped rows. */
  .tool-head,
  .suggestions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  [part~=tool-name] {
    color: var(--_fg);
    font-family: var(--_mono);
  }

  [part~=tool-name],
  [part~=server-tool-name] {
    font-weight: 600;
  }

  [part~=tool-state]::before {
    content: '';
    display: inline-block;
    width: 0.5em;
    height: 0.5em;
    margin-inline-end: 0.35em;
    border-radius: 50%;
    background: currentColor;
  }

  .error > .tool-head [part~=tool-state] {
    color: var(--_error);
  }

  /* A tool's arguments, and its result opened, at most 15 lines tall and half of one more, which
     shows there is more: a long one (thousands of lines of JSON) scrolls in its card, as peers show
     them, not the log past it. (Never as tall as its lines, it is resized as it starts to scroll and
     stops: the element makes it a tab stop then. Streaming, it is kept at its end by the element, as
     the log is, until the reader scrolls up in it.) A result's text, as a question's, reads in the
     direction of its first letter throughout: its browser's per-line direction (plaintext, for
     pre dir=auto) took Chromium 1.4 to 2.3 s to lay out a 480 KB line, 0.2 to 0.5 s isolated. */
  [part~=tool-call] pre {
    margin: 0.25rem 0 0;
    font: inherit;
    font-family: var(--_mono);
    white-space: pre-wrap;
    max-height: 15.5lh;
    overflow-y: auto;
    unicode-bidi: isolate;
  }

  [part~=image] {
    display: block;
    max-width: min(100%, 16rem);
    max-height: 16rem;
  }

  /* The Reasoning and Result toggles 24 px tall (WCAG 2.5.8), their line 21 px: as much padding as
     negative margin (none where the line is 24 px or more: a negative padding is 0; in px, as the
     target is: in rem, a page's root font of 10 px left them 21 px), so that their text and what is
     around them stay where they were (their details' box too: its own formatting context, the
     margins do not pass through it). */
  details {
    display: flow-root;
  }

  summary {
    cursor: pointer;
    width: fit-content;
    padding-block: calc(12px - .5lh);
    margin-block: min(0px,.5lh - 12px);
  }

  /* Its rule on the box around the text, in the element's direction: the text's own (dir="auto"),
     English reasoning put it at the left of a right-to-left page. */
  [part~=reasoning] > div {
    margin-block-start: 0.25rem;
    padding-inline-start: var(--_pad);
    border-inline-start: var(--_border);
  }

  /* Code reads left to right, in a right-to-left answer or page too: an answer's, and a tool's name and arguments (in the code font).
     (Here it gzips 7 bytes smaller than after the tool's head; no rule in between sets these two.) */
  .markdown code,
  [part~=tool-name],
  [part~=tool-arguments] {
    direction: ltr;
    unicode-bidi: isolate;
  }

  /* Full column width, as the answer's: shrink-to-fit, a card measured its whole streaming arguments
     every frame (150 KB, a file a tool writes: 170 to 270 ms a frame, against 30 to 50). */
  [part~=tool-call] {
    align-self: stretch;
    padding: 0.25rem var(--_pad);
    border: var(--_border);
    border-style: dashed;
    border-radius: var(--_radius);
  }

  /* Model text is plain text: keep its line breaks, never let a long word or a bidi override escape.
     (Here, after the card's rule, it gzips 7 bytes smaller; no rule sets these on them in between.) */
  [part~=message],
  [part~=tool-call],
  .reasoning-text {
    max-width: min(100%, 46rem);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
  }

  /* A message's actions: in the layout from the start (no shift when they show), visible on hover and focus, and on the last message. */
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    font-size: 0.8125em;
  }

  /* The row of an answer still streaming: the height its buttons will have (see theirs). */
  .actions.pending {
    min-block-size: max(1.75rem,24px);
  }

  /* At least 24 px (WCAG 2.5.8), also where a page's root font is 10 px: 1.75rem alone left its actions 23.5. */
  .actions button,
  [part~=jump],
  [part~=suggestion] {
    min-height: max(1.75rem,24px);
    padding: 0.1rem 0.6rem;
    font-weight: 400;
  }

  .actions button {
    border-color: transparent;
    color: var(--_muted);
  }

  /* A file of a question or a tool's result: its name in a chip of its own line (as wide as the name).
     (No rule before this one sets these on it: here, it gzips 5 bytes smaller than after the image's.) */
  [part~=file] {
    display: table;
    margin-block-start: 0.25rem;
    padding-inline: 0.3em;
    border: var(--_border);
    border-radius: 0.3em;
  }

  .actions button:hover {
    color: var(--_fg);
  }

  /* On touch screens there is no hover: the actions are always shown; so are the last message's. */
  @media not (pointer: coarse) {
    .turn:not(:hover, :focus-within) > .actions {
      opacity: 0;
    }
  }

  /* (A rule of its own: in the :not() above, this complex selector kept WebKit from restyling the
     row when :focus-within changed, so an earlier message's row stayed hidden with focus in it.) */
  .turns:last-of-type > :last-child > .actions {
    opacity: 1;
  }

  .edit {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 0.25rem;
    width: min(100%, 46rem);
  }

  /* Its box, and its Save and Cancel under it, scrolled into view go to the log's edge, not above the
     room kept for Jump to latest: a form in view stays where it is. */
  .edit > * {
    scroll-margin-block-end: calc(-1*var(--_jump-room));
  }

  /* While Jump shows, above it: that room is its. (Without :has, Firefox 120, the edge.) */
  [part~=log]:has(> [part~=jump]) .edit .actions {
    scroll-margin-block-end: 0;
  }

  /* As tall as its text (its height, not the column's flex, decides: see fit()), up to the input's
     most, and to what the log has for it (see room()) less its focus ring, whole at the log's top. */
  .edit textarea {
    flex: none;
    width: 100%;
    max-height: min(10rem,30vh,var(--_room,100vh) - 4px);
  }

  /* While Jump shows, less its room: Save and Cancel go above it. */
  [part~=log]:has(> [part~=jump]) .edit textarea {
    max-height: min(10rem,30vh,var(--_room,100vh) - 4px - var(--_jump-room));
  }

  /*
   * Its refreshes a few times a second change one text node inside it (contained: its layout and
   * paint are its own). It has no width of its own (it takes the turn's), and as many lines as its
   * text needs in it: a narrow chat or a larger text spacing wraps it, never cuts it. A line more,
   * when its numbers grow, moves only what is below it.
   */
  [part~=stats] {
    contain: inline-size layout paint style;
    align-self: stretch;
    min-block-size: 1lh;
    color: var(--_muted);
    font-size: 0.8125em;
    font-variant-numeric: tabular-nums;
    unicode-bidi: plaintext;
  }

  /* On a phone, room for two lines from the start: the line does not grow as its numbers come. (A
     media query: a container query on the log would take its content's width from a chat sized to
     fit it, in a dialog.) */
  @media (width < 30rem) {
    [part~=stats] {
      min-block-size: 2lh;
    }
  }

  [part~=jump] {
    position: sticky;
    inset-block-end: 0;
    display: block;
    margin: var(--_gap) auto 0;
    /* Where it sticks is the room the log's scroll padding keeps for it: not hidden, so that a focus
       (Tab) does not scroll the log down by that room, to its end at times, which took Jump away.
       Its box moved up by that room, not cut: WebKit takes a box cut past its top as its top edge. */
    scroll-margin-block: var(--_jump-room) calc(-1*var(--_jump-room));
    background: var(--_bg);
    box-shadow: 0 1px 4px light-dark(#0003, #0009);
  }

  /* A long word or link wraps: the log cuts what is wider. */
  [part~=suggestion] {
    border-radius: 999px;
    overflow-wrap: anywhere;
  }

  [part~=typing] {
    display: flex;
    gap: 0.3rem;
  }

  [part~=typing] span {
    width: 0.45rem;
    height: 0.45rem;
    border-radius: 50%;
    background: var(--_muted);
  }

  [part~=typing] span + span {
    animation-delay: 0.15s;
  }

  [part~=typing] span + span + span {
    animation-delay: 0.3s;
  }

  /* A wave in size, not in opacity: faded to a quarter, a dot made 1.4:1 against its bubble (WCAG
     1.4.11 asks 3:1 of what shows the state). */
  @keyframes pulse {
    0%,
    80% {
      transform: scale(0.6);
    }
    40% {
      transform: none;
    }
  }

  /* Only for readers who have not asked for less motion. */
  @media (prefers-reduced-motion: no-preference) {
    [part~=typing] span,
    .streaming [part~=tool-state]::before,
    .running [part~=tool-state]::before {
      animation: pulse 1.2s infinite both;
    }
  }

  /* Grids of a text (the message, the input) and its button, whose row is what the chat leaves
     them (see each), the button going under the text when the box is narrow (each a container,
     whose content gives it no width: 18rem is its own, or in a dialog an empty chat's input was
     34 px wide; at most 75% of the page's container or the viewport: in an inline-block or a
     table cell on a 320 px phone, the chat took 338 px). */
  [part~=error],
  [part~=form] {
    display: grid;
    /* The button at most half the row, or what leaves the text 12em, its label wrapping there (a
       translation's Stop on one line left a phone's input 26 px, a letter a line); more only for
       its longest word. */
    grid: auto/1fr fit-content(max(50%,100% - 12em));
    gap: var(--_gap);
    padding: var(--_pad);
    container-type: inline-size;
    contain-intrinsic-inline-size: min(18rem,75cqi);
  }

  [part~=error] {
    /* A long message in a short chat (a phone held sideways) scrolls, and leaves the log room: at
       most 30% of the chat, or what leaves the log and the composer 18rem in a taller one (at the
       default height, a phone's "Could not reach" a long URL shows whole; at 30%, its end was
       hidden), but a line of it and Retry under it. Retry counts as tall as it is, 2rem (24 px at
       least) or a line of its text and its border (2rem alone, a 24 px font's 38 px Retry left the
       message 3 whole lines of the 4 the box had room for). What Retry under it leaves is whole
       lines, the next one up (a chat 384 px high held a two-line message in 47 px of 48, a tab stop
       that scrolled 1 px, and a theme's larger line and padding in 35 px of 54, the log keeping
       177); the first max-height is for a browser without round() (Chrome before 125), the other in
       @supports: with var() in it, it is valid as parsed, and there it computed to none, not to the
       first (the error took 211 px of a 320 px chat, the log 30). A short one keeps its height: the
       log gives way first; a long one a line, when the log cannot. Only the message scrolls, in
       what Retry leaves it, centred beside Retry: in the box that scrolled, a phone's Retry was in
       its hidden end. The box itself scrolls only in a chat too short for a line and Retry (160 px
       high; 176 on a phone, Retry under the message, whose row gave way to a 5 px sliver before).
       Its least, a line, gives way in turn where the log's padding, its margin and the composer's
       least (see the form's) leave less: a 24 px font's line, its padding and the composer's took
       174 px of a 160 px chat, the composer 12.8 px past it. */
    align-items: center;
    min-height: min(1lh + 2*var(--_pad),100% - 5*var(--_pad) - 1px - max(2.5rem,1lh + .8rem + 2px));
    max-height: max(30%,100% - 18rem,1lh + max(2rem,24px,1lh + 2px) + var(--_gap) + 2*var(--_pad));
    @supports (top:round(1px,1px)) {
      max-height: calc(max(2rem,24px,1lh + 2px) + var(--_gap) + 2*var(--_pad) + max(1lh,round(up,max(30%,100% - 18rem) - max(2rem,24px,1lh + 2px) - var(--_gap) - 2*var(--_pad),1lh)));
    }
    overflow-y: auto;
    margin: 0 var(--_pad) var(--_pad);
    border-radius: var(--_radius);
    background: var(--stream-chat-error-background, light-dark(#ffebe9, #3c1618));
    color: var(--_error);
    overflow-wrap: anywhere;
    /* Whole lines beside Retry too: its row there is what the box leaves under Retry, whole lines,
       and Retry's height and the gap (three lines of 24 px had 68, the last cut by 4). */
    span {
      min-height: 1lh;
      max-height: 100%;
      max-height: round(down,100%,1lh);
      overflow-y: auto;
    }
  }

  /* On a phone (or with large text), Retry takes a row of its own: beside it, a long message was a
     column of seven lines (the message's 18rem, the gap and Retry are some 24em). */
  @container (width < 24em) {
    [part~=error] > * {
      grid-column: 1/-1;
    }
  }

  /* In a chat too short for the composer (160 px high), its row is what the log leaves it, and the
     input, stretched to it, scrolls, down to its one line (a flex row that wraps is as tall as its
     content: the input ran out of the host): a line of its own text, its padding and border, and
     at least its 2.5rem (in rem alone, a 24 px font on the element showed 31 px of a 36 px line).
     Narrower than 15em (large text on a phone), each takes a row: the input keeps the width, Send
     goes under it. The form is the container, not the host: a dialog takes the host's width from
     its content. The least height in lh is in @supports: with var() in it, it is valid as parsed,
     and a browser without lh (Chrome before 109, Firefox before 120) computed it to auto, not to
     the first: a 160 px chat's composer took the chat. */
  [part~=form] {
    min-height: calc(2.5rem + 2*var(--_pad) + 1px);
    @supports (top:1lh) {
      min-height: calc(max(2.5rem,1lh + .8rem + 2px) + 2*var(--_pad) + 1px);
    }
    border-block-start: var(--_border);
    button {
      align-self: end;
      margin-inline-start: auto;
    }
  }

  /* Send's and Stop's labels both, the other laid out in no height, unseen and unnamed: the
     button is as wide as the wider (Send was 3.6 px wider than Stop, and the input's edge moved
     by as much as a turn started and ended); a message's Copy as its widest of Copy, Copied and
     Copy failed, one a line (Copied took Regenerate to a line of its own). In a span of its own:
     the button's ::before and ::after are the page's (an icon in ::part(send)). A block of the
     label's line (at the top: no baseline under it) that takes the page's ellipsis on the button,
     which the line of a grid's item could not (::part(send) { text-overflow: ellipsis; overflow:
     hidden }). */
  button > span {
    display: inline-block;
    max-width: 100%;
    vertical-align: top;
    overflow: inherit;
    text-overflow: inherit;
    /* A page's underline on the button is not drawn into an inline block: the label's own. */
    text-decoration: inherit;
  }
  /* A message's Copy, as wide as "Copy failed": "Copy" at its start, in line with the stats above,
     the room left after it. */
  [part~=copy-message] > span {
    text-align: start;
  }
  button > span::after {
    content: attr(data-other);
    display: block;
    height: 0;
    overflow: hidden;
    visibility: hidden;
    white-space: pre-line;
  }

  @container (width < 15em) {
    [part~=form] > * {
      grid-column: 1/-1;
    }
  }

  /* Send under the input (the composer says so, see refit: the form's width is its children's query,
     not its own): the composer's least is both rows, and the error's what that leaves, which scrolls.
     With text at 200% on a phone held sideways, the form's least of one row and the error's of a
     line put Send over the input and past the chat's end. (2.5rem a row where lh is unknown: see the form's.) */
  .under {
    min-height: calc(5rem + var(--_gap) + 2*var(--_pad) + 1px);
    @supports (top:1lh) {
      min-height: calc(2*max(2.5rem,1lh + .8rem + 2px) + var(--_gap) + 2*var(--_pad) + 1px);
    }
  }

  [part~=error]:has(+ .under) {
    min-height: min(1lh + 2*var(--_pad),100% - 5*var(--_pad) - 1px - var(--_gap) - 2*max(2.5rem,1lh + .8rem + 2px));
  }

  /* The page's text spacing too (a reader's spacing tool, WCAG 1.4.12, reaches the host): the
     browser's own sheet sets a control's back to normal. */
  textarea,
  button {
    min-height: 2.5rem;
    padding: 0.4rem 0.75rem;
    font: inherit;
    letter-spacing: inherit;
    word-spacing: inherit;
    color: inherit;
    background: none;
    border: var(--_border);
    border-radius: calc(var(--_radius)*0.75);
  }

  /* Its border is all that shows where it is: 3:1 against the background (the frame's is fainter).
     Unkerned: a pasted run of letters its font kerns (AAAA… in DejaVu Sans), which its value keeps
     in one text (long-runs.ts cuts the log's), Chromium wraps in time growing with the square of its
     length, 0.3-0.8 s a layout at 20k-40k and 38-113 ms a keystroke; unkerned, 8-14 ms and 4-8 ms,
     wrapped at the same spaces (word-break: break-all halved it, and broke words at a line's end).
     Important, so a page's font on ::part(input), whose shorthand resets it, leaves it: an
     important declaration of the shadow root's beats the page's, a normal one loses. In the
     direction of its first letter throughout (see composer's directionOf), isolated unless it holds
     a right-to-left letter (below): per line (plaintext), 1 MB of prose took Chromium 16.7 s. */
  textarea {
    min-width: 0;
    max-height: min(10rem, 30vh);
    resize: none;
    field-sizing: content;
    border-color: var(--stream-chat-border-color, light-dark(#818b98, #656c76));
    font-kerning: none !important;
    unicode-bidi: isolate;
  }

  /* Each line in its own direction where the text holds a right-to-left letter (composer's bidiOf):
     isolated, an English line in an Arabic text read right to left, "?Hello, how are you". */
  textarea.bidi {
    unicode-bidi: plaintext;
  }

  /* Without field-sizing, an empty input keeps its one row: a placeholder too long for it is cut short, not in half. */
  @supports not (field-sizing: content) {
    textarea::placeholder {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    /* Firefox takes no overflow on a placeholder: its line ran out of the box, under a scroll bar. */
    textarea:placeholder-shown {
      overflow-x: hidden;
    }
    /* Its line height in px, its font's (1lh, of the parent, whose font it inherits; at least 1.2em, for
       a larger font a page sets on the input alone): fit() counts its rows by it, and a font set without
       one (--stream-chat-font: 16px Inter) has "normal", no number. */
    textarea {
      line-height: max(1lh,1.2em);
    }
  }

  button {
    padding-inline: 1rem;
    font-weight: 600;
    cursor: pointer;
  }

  [part~=send] {
    color: var(--stream-chat-accent-contrast, light-dark(#fff, #0d1117));
    background: var(--_accent);
    border-color: transparent;
  }

  [part~=retry] {
    justify-self: start;
    /* 2rem high (24 px at least, WCAG 2.5.8: a page's root font of 10 px and text of 14 px left it
       23), or a line of its text and its border (its padding made it 39 px): a line of the
       message and Retry under it, the least the error keeps, take less of a short chat. Its least
       height is its height, as the error counts it: at 2rem, the grid's row gave a 24 px font's
       38 px Retry 35 and the message 3 more, which scrolled the box. (2rem where lh is unknown.)
       Focused in a box that scrolls (a chat too short for both), its ring too is scrolled in. */
    min-height: 2rem;
    min-height: max(2rem,24px,1lh + 2px);
    color: var(--_error);
    border-color: currentColor;
    padding-block: 0;
    scroll-margin-block: 6px;
  }

  button:disabled,
  [aria-disabled=true] {
    cursor: default;
  }

  /* Send with nothing to send takes focus: dimmed as by opacity on it, but not its ring, which that
     dimmed too (a page's text colour #444 as its ring made 2.88:1). Its label (and a page's icon)
     are, and its fill (a page's too) and border under a veil of the background. */
  button:disabled,
  [aria-disabled=true] > *,
  [aria-disabled=true]::before,
  [aria-disabled=true]::after {
    opacity: 0.55;
  }

  /* Important: a page's own box-shadow on ::part(send) took the veil's place, its fill undimmed. */
  [aria-disabled=true] {
    --_veil: color-mix(in srgb,var(--_bg) 45%,transparent);
    border-color: var(--_veil);
    box-shadow: inset 0 0 0 100vmax var(--_veil) !important;
  }

  /* Empty, an input is in the element's direction, its caret where a right-to-left reader starts
     (also if a script emptied it with a direction left); its placeholder reads in its own. The
     edit box's placeholder is a blank, for this. */
  textarea:placeholder-shown {
    direction: inherit;
  }

  ::placeholder {
    color: var(--_muted);
    unicode-bidi: plaintext;
  }

  :focus-visible {
    outline: var(--stream-chat-focus-ring, 2px solid var(--_accent));
    outline-offset: 2px;
  }

  [part~=sources] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    max-width: min(100%, 46rem);
    margin: 0;
    padding: 0;
    list-style: none;
    overflow-wrap: anywhere;
  }

  /* On a touch screen, what is typed is 16 px at least: iOS Safari zooms into a smaller input as it
     takes focus (a page's root of 14 px), and does not zoom out. */
  @media (pointer: coarse) {
    textarea {
      font-size: max(16px,1em);
    }
  }

  /* Printed (or saved as PDF): the whole conversation, code wrapped, without the controls. In the
     light scheme, also where a page forces dark (important: a page's rule on the host beats :host):
     paper is white, and backgrounds are left out; Chromium printed the dark scheme's text grey. */
  @media print {
    :host {
      height: auto;
      color-scheme: light !important;
    }

    [part~=log],
    [part~=table-wrap] {
      overflow: visible;
    }

    [part~=tool-call] pre {
      max-height: none;
    }

    .turns,
    .markdown > .full,
    .lines > div {
      content-visibility: visible;
    }

    .markdown pre {
      white-space: pre-wrap;
    }

    /* A closed Reasoning or tool Result prints its text. A rule of its own: a browser without the
       pseudo-element (before Chrome 131, Firefox 143, Safari 18.4) drops the whole rule it is in.
       Not next to the rule above of the same declaration, which the minifier would join it to. */
    ::details-content {
      content-visibility: visible;
    }

    /* A wide table fits the page: a link and code break anywhere, and other words where they must.
       Not every word anywhere: the columns of long text took the width, and short words broke.
       But every word in a table of five columns or more: eight words of 22 letters took 1,600 px
       of 430, and a page holds about four columns of long words. */
    .markdown :is(th, td) {
      overflow-wrap: break-word;
    }

    .markdown :is(th, td) :is(a, code),
    .markdown table:has(th:nth-child(5)) :is(th, td) {
      overflow-wrap: anywhere;
    }

    [part~=form],
    [part~=actions],
    .suggestions,
    [part~=jump],
    [part~=retry],
    [part~=code-header] button {
      display: none;
    }
  }

  /* Forced colors drop backgrounds: bubbles and the error keep an edge, the typing dots a colour. */
  @media (forced-colors: active) {
    [part~=message],
    [part~=typing],
    [part~=error] {
      border: 1px solid CanvasText;
    }

    /* A question, its edge thick at its end: in a narrow chat it is as wide as an answer, and looked the same.
       The chat's end, not the question's own (dir="auto"): an English one's was at the right of an Arabic chat. */
    .user:dir(ltr) > [part~=user] {
      border-right-width: 4px;
    }
    .user:dir(rtl) > [part~=user] {
      border-left-width: 4px;
    }

    [part~=typing] span,
    [part~=tool-state]::before {
      background: CanvasText;
    }

    /* The system's GrayText says disabled; dimmed too, it was fainter than the system intends. Send
       with nothing to send (focusable, so aria-disabled) says it in the same colour. */
    button:disabled,
    [aria-disabled=true],
    [aria-disabled=true] > * {
      color: GrayText;
      opacity: 1;
    }
  }
`;
