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

/**
 * Parse slices yield with scheduler.yield() (ahead of rendering), but once `ms` have passed since
 * the last time they let rendering in, with setTimeout(0) (a normal task: a pending frame runs first).
 */
const frameGap = (ms) => [
  { file: 'core/sse.ts', find: 'const SLICE_BUDGET_MS = 8;\n', replace: `const SLICE_BUDGET_MS = 8;\nconst FRAME_GAP_MS = ${ms};\n` },
  { file: 'core/sse.ts', find: '  let sliceStart = 0;\n', replace: '  let sliceStart = 0;\n  let frameAt = performance.now();\n' },
  {
    file: 'core/sse.ts',
    find: '          await yieldToMain();\n          if (attempt.signal.aborted) throw attempt.failure(attempt.signal.reason, \'The response was stopped.\');\n          sliceStart = performance.now();\n',
    replace: '          const frame = performance.now() - frameAt > FRAME_GAP_MS;\n          await yieldToMain(frame);\n          if (attempt.signal.aborted) throw attempt.failure(attempt.signal.reason, \'The response was stopped.\');\n          sliceStart = performance.now();\n          if (frame) frameAt = sliceStart;\n',
  },
  { file: 'core/sse.ts', find: 'function yieldToMain(): Promise<void> {', replace: 'function yieldToMain(frame = false): Promise<void> {' },
  { file: 'core/sse.ts', find: "  if (typeof scheduler?.yield === 'function') return scheduler.yield();", replace: "  if (!frame && typeof scheduler?.yield === 'function') return scheduler.yield();" },
];

/**
 * Like frameGap, but the yield after `ms` waits for an animation frame to have run (rAF, then a
 * task): a frame is certain to come between two slices, not merely possible.
 */
const rafGap = (ms, first = ms) => [
  ...frameGap(ms).slice(0, 3).map((patch) => (patch.replace.includes('let frameAt') ? { ...patch, replace: `  let sliceStart = 0;\n  let frameAt = performance.now() - ${ms - first};\n` } : patch)),
  { file: 'core/sse.ts', find: 'function yieldToMain(): Promise<void> {', replace: "function yieldToMain(frame = false): Promise<void> {\n  if (frame && typeof requestAnimationFrame === 'function') return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));" },
];

/**
 * A scheduled write (a frame's) gives each target at most `chars` characters; the rest waits for the
 * next frame. Flushes at a turn's end still write everything.
 */
const writeCap = (chars) => [
  { file: 'element/stream-buffer.ts', find: '  readonly #runFlush = () => this.flush();', replace: `  readonly #runFlush = () => this.flush(${chars});` },
  { file: 'element/stream-buffer.ts', find: '  flush(): void {', replace: '  flush(cap = Infinity): void {' },
  {
    file: 'element/stream-buffer.ts',
    find: '      try {\n        target.appendData(text);',
    replace: '      try {\n        if (text.length > cap) this.#pending.set(target, text.slice(cap));\n        target.appendData(text.length > cap ? text.slice(0, cap) : text);',
  },
  { file: 'element/stream-buffer.ts', find: '    this.#onWrite?.();\n', replace: '    this.#onWrite?.();\n    if (this.#pending.size) this.#schedule();\n' },
];

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
  },
  yieldtask: {
    // md-100k long tasks: each one is a frame's rendering update (rAF write of ~20 KB of Markdown,
    // its forced layout in follow(), then style/layout/paint), because frames come only every
    // ~130 ms: scheduler.yield() continuations run ahead of rendering until Chromium's rendering
    // starvation guard (~100 ms) lets a frame in, so each frame carries ~100 ms of parsed text.
    description: 'parse slices yield with scheduler.postTask (user-visible, a normal task) instead of scheduler.yield(): a pending frame runs between slices',
    patches: [{ file: 'core/sse.ts', find: "  if (typeof scheduler?.yield === 'function') return scheduler.yield();", replace: "  if (typeof scheduler?.postTask === 'function') return scheduler.postTask(() => {}, { priority: 'user-visible' });" }, { file: 'core/sse.ts', find: 'scheduler?: { yield?: () => Promise<void> }', replace: 'scheduler?: { yield?: () => Promise<void>; postTask?: (f: () => void, o: object) => Promise<void> }' }],
  },
  yieldtimeout: {
    // Measured with yieldtask (md-100k, 3 reps): 74-118 frames instead of 10, main thread 1.6-1.7x
    // (1911 / 1958 vs 1164 ms), layout+style 464 vs 114 ms, and still long tasks (max 3 / 1).
    description: 'parse slices yield with setTimeout(0) (the non-Chromium fallback) instead of scheduler.yield()',
    patches: [{ file: 'core/sse.ts', find: "  if (typeof scheduler?.yield === 'function') return scheduler.yield();\n", replace: '' }],
  },
  // Measured (md-100k, 5 reps): gap33 23 frames, main 1.34x, long tasks max 1; gap50 14 frames, main
  // 1.0x, 0 long tasks in 5/5 runs, but in a second run (load 2.7) 0 (max 3) with main 1.16x, layout
  // 168 vs 90 ms; md-20k main 1.21x, still 1 (max 2) long tasks there (the first frame's). Not adopted.
  gap33: {
    description: 'parse slices let a frame in (setTimeout) every 33 ms, scheduler.yield() between',
    patches: frameGap(33),
  },
  // Measured: rafgap50f16 (with a 100 ms timeout for hidden pages, as src/core/sse.ts, against the
  // same bundle without, 7 reps, quiet machine): md-20k 0 long tasks against 1, but main thread 1.18x
  // (338 vs 287 ms); md-100k 1 (max 1) against 0 (max 1), main 1.21x (1151 vs 954), layout+style
  // 149 vs 94 ms, 15 frames against 10; plain text unchanged (20k 1.03x, 100k 1.06x). Under load
  // (a first run) both had long tasks. Not adopted: more, smaller frames cost more than they save.
  // Measured (7 reps, against the element as it is): the first frame's update 21.0 against 42.9 ms at
  // md-20k and 20.2 against 40.9 at md-100k, main thread 0.91x and 0.87x (within noise), but md-100k's
  // long tasks stay, 1 (max 2) against 1 (max 3): they are later frames'. Not adopted for that alone.
  rafgapfirst: { description: 'parse slices wait for one animation frame, 16 ms after reading began, and only then', patches: rafGap(1e9, 16) },
  rafgap50: { description: 'parse slices wait for an animation frame every 50 ms, scheduler.yield() between', patches: rafGap(50) },
  rafgap33: { description: 'parse slices wait for an animation frame every 33 ms', patches: rafGap(33) },
  rafgap50f16: { description: 'rafgap50, the first frame after 16 ms', patches: rafGap(50, 16) },
  gap50: {
    description: 'parse slices let a frame in (setTimeout) every 50 ms, scheduler.yield() between',
    patches: frameGap(50),
  },
  // Measured (md-100k and md-20k, 5 reps, with the element as it is in the same run): the first
  // frame's update 40.6 -> 23.9 ms (8k) and 19.6 ms (4k), main thread 0.99x and 1.02x, but a long
  // task in every md-100k run (60-119 ms, at 700-880 ms) against 0 (max 1): the text held back piles
  // up and the turn's end, which must write it all before `done`, writes it in one task. Not adopted.
  writecap8k: { description: 'a frame writes at most 8,000 characters into each target; the rest the next frame', patches: writeCap(8000) },
  // Measured (md-paced, md-steady, paced-history, 3 reps, two runs): main thread per frame within the
  // spread of the same code built twice, not below it (docs/performance.md). Not adopted: moved work.
  novisible: {
    description: "FollowEnd's #shown(log) never calls checkVisibility() (the log taken as rendered): what the per-frame check costs (upper bound of any skip)",
    patches: [{ file: 'element/follow-end.ts', find: 'const shown = log.checkVisibility?.() !== false;', replace: 'const shown = true;' }],
  },
  writecap4k: { description: 'a frame writes at most 4,000 characters into each target; the rest the next frame', patches: writeCap(4000) },
};
