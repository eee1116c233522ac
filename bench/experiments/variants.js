/**
 * Experimental variants of src/, as find/replace patches applied to a copy by ./build.js.
 * Each one isolates one suspected cost so the benchmark can measure it in the same run.
 *
 * Variants whose change has since landed in src/ are gone (their patches no longer match):
 * `stretch` (assistant message full column width: 20k layout 45 -> 19 ms), `cvauto`
 * (`content-visibility: auto` on each turn: paced run with 500 messages 10.5 -> 5.0 ms/frame) and
 * `yieldslice` (parse reads in 16 KB slices, `scheduler.yield()` after 8 ms: no long tasks at 20k),
 * `directchunk` (the element took each chunk from its Conversation by a direct call instead of a
 * second chunk event: 20k main thread 147 -> 99 ms; it landed as Conversation's protected dispatch()),
 * and `groupsblock` (turns in groups of 25 with `content-visibility: auto`, in a block-flow log:
 * paced with 500 messages before, 3.39 ms per frame against 3.99 for groups in a flex column and
 * 4.51 for one `content-visibility` box per turn). `logblock` (block flow with one box per turn) was
 * worse: 7.5 ms per frame. `nospeak` (the status region not given the whole answer at its end: 20k
 * main thread 100 -> 88 ms, layout 19 -> 10; 100k 398 -> 345, layout 101 -> 55) landed as a limit of
 * 2,000 characters on what the region says.
 */
const chunkDispatch = '    if (this.#connected) host.dispatchEvent(event);';
const chunkEvent = "this.dispatch(new CustomEvent('chunk', { detail, bubbles: true, composed: true }));";const messageClip = `    background: var(--_bubble);
    overflow: hidden;
  }`;
const logBasis = `  [part~=log] {
    flex: 1 1 auto;`;
const logBasis0 = `  [part~=log] {
    flex: 1 1 0;`;

export const variants = {
  baseline: {
    description: 'src/ as is, bundled by this script (to check the experiment build matches dist/)',
    patches: [],
  },  unminified: {
    description: 'src/ as is, not minified (readable CPU profiles)',
    minify: false,
    patches: [],
  },  nodispatch: {
    description: 'no `chunk` event at all (what the per-chunk CustomEvent costs; not shippable as is)',
    patches: [{ file: 'element/conversation-controller.ts', find: chunkDispatch, replace: "    if (this.#connected && event.type !== 'chunk') host.dispatchEvent(event);" }],
  },  nobubble: {
    description: '`chunk` event with bubbles: false, composed: false (does the event path length matter?)',
    patches: [
      {
        file: 'core/conversation.ts',
        find: chunkEvent,
        replace: chunkEvent.replace('bubbles: true', 'bubbles: false').replace('composed: true', 'composed: false'),
      },
    ],
  },  noclip: {
    description: 'message without overflow: hidden (no rounded clip around the growing text)',
    patches: [{ file: 'element/stream-chat.styles.ts', find: messageClip, replace: '    background: var(--_bubble);\n  }' }],
  },  group10: {
    // Measured (paced, 500 messages before): 4.65 ms/frame against 4.30 for 25; groups of 5, 5.25.
    description: 'groups of 10 turns in the log instead of 25',
    patches: [{ file: 'element/messages.ts', find: 'const GROUP_SIZE = 25;', replace: 'const GROUP_SIZE = 10;' }],
  },  group5: {
    description: 'groups of 5 turns in the log instead of 25',
    patches: [{ file: 'element/messages.ts', find: 'const GROUP_SIZE = 25;', replace: 'const GROUP_SIZE = 5;' }],
  },  basis0: {
    description: "the log flexes from a zero basis (flex: 1 1 0), so the host's flex layout never measures the log's content",
    patches: [{ file: 'element/stream-chat.styles.ts', find: logBasis, replace: logBasis0 }],
  },  noresize: {
    description: 'no ResizeObserver keeping the log at its end when sizes change with nothing written (its cost while streaming)',
    patches: [{ file: 'element/follow-end.ts', find: 'new ResizeObserver(() => this.follow(false))', replace: 'new ResizeObserver(() => {})' }],
  },  nolive: {
    // Measured (2k, 9 repetitions): 25 ms main thread against 24 for baseline and 21 for before: not where 2k's extra goes.
    description: 'no status region updates and no stats refresh: what the element\'s live status costs per turn',
    patches: [
      { file: 'element/live-status.ts', find: '  hostUpdated(): void {\n', replace: '  hostUpdated(): void {\n    return;\n' },
      { file: 'element/live-status.ts', find: '  end(event: Event): void {\n', replace: '  end(event: Event): void {\n    return;\n' },
    ],
  },  noactions: {
    // Measured with nolive: 24 ms, as baseline.
    description: 'no actions row under messages (what Copy, Edit and Regenerate cost per turn)',
    patches: [{ file: 'element/messages.ts', find: 'function actions(index: number, labels: Labels, copy: boolean, more: TemplateResult | typeof nothing): TemplateResult {\n', replace: 'function actions(index: number, labels: Labels, copy: boolean, more: TemplateResult | typeof nothing): TemplateResult {\n  if (index > -2) return html``;\n' }],
  },};
