/**
 * Experimental variants of src/, as find/replace patches applied to a copy by ./build.js.
 * Each one isolates one suspected cost so the benchmark can measure it in the same run.
 *
 * Variants whose change has since landed in src/ are gone (their patches no longer match):
 * `stretch` (assistant message full column width: 20k layout 45 -> 19 ms), `cvauto`
 * (`content-visibility: auto` on each turn: paced run with 500 messages 10.5 -> 5.0 ms/frame) and
 * `yieldslice` (parse reads in 16 KB slices, `scheduler.yield()` after 8 ms: no long tasks at 20k).
 */
const chunkDispatch = `    this.dispatchEvent(
      new CustomEvent<ChunkDetail>('chunk', {
        detail: { chunk, delta: step.content, content: accumulator.content },
        bubbles: true,
        composed: true,
      }),
    );
`;
const messageClip = `    background: var(--_bubble);
    overflow: hidden;
  }`;
const logBasis = `  [part~=log] {
    flex: 1 1 auto;`;
const logBasis0 = `  [part~=log] {
    flex: 1 1 0;`;

const logFlex = `    overscroll-behavior: contain;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    padding: var(--_pad);
  }
`;
const logBlock = `    overscroll-behavior: contain;
    padding: var(--_pad);
  }

  .turn + .turn {
    margin-top: var(--_gap);
  }
`;

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
    patches: [{ file: 'stream-chat.ts', find: chunkDispatch, replace: '' }],
  },  nobubble: {
    description: '`chunk` event with bubbles: false, composed: false (does the event path length matter?)',
    patches: [
      {
        file: 'stream-chat.ts',
        find: chunkDispatch,
        replace: chunkDispatch.replace('bubbles: true', 'bubbles: false').replace('composed: true', 'composed: false'),
      },
    ],
  },  noclip: {
    description: 'message without overflow: hidden (no rounded clip around the growing text)',
    patches: [{ file: 'stream-chat.styles.ts', find: messageClip, replace: '    background: var(--_bubble);\n  }' }],
  },  logblock: {
    // Measured: worse. Paced with 500 messages before, 4,510 ms main thread and 1,521 ms layout
    // against 3,078 and 160 for the flex column; without history 0.94x.
    description: 'the log lays out in block flow (margins between turns) instead of a flex column: less per-frame work for each earlier turn?',
    patches: [{ file: 'stream-chat.styles.ts', find: logFlex, replace: logBlock }],
  },  basis0: {
    description: "the log flexes from a zero basis (flex: 1 1 0), so the host's flex layout never measures the log's content",
    patches: [{ file: 'stream-chat.styles.ts', find: logBasis, replace: logBasis0 }],
  },};
