import type { BodyRenderer, StreamingBody } from '../body-renderer.js';
import { pieces, words } from '../long-runs.js';

/** A block holding at least this many characters ends at the next line break. */
const BLOCK_SIZE = 1024;
/**
 * What a block may not end with: a "\n" of its own, and CR and form feed, which at the end of a
 * block are placed differently and, alone on a line, take no room.
 */
const BREAKS = /[\n\r\f]/;

/**
 * Streamed text laid out in blocks of at least {@link BLOCK_SIZE} characters, each ending where a
 * line does, so that an append re-lays out only the last block: in one Text node, Chromium re-breaks
 * every line of the whole text at each append. A write ends the block at most once, at its last line
 * break: at full speed a block is about one frame's text, at reading speed about `BLOCK_SIZE`.
 *
 * Between two blocks (`div`s, `white-space: pre-wrap`) sits the "\n" that ended the first, as a Text
 * node of its own in `root`, which is `white-space: normal` (class `blocks`, see the styles): there
 * it renders nothing, `innerText` and copying make it the one line break between the blocks, and
 * `textContent` is the text exactly. No block but the last ends with a "\n", and the last is never
 * empty after a write: either would render or copy differently from the text in one Text node.
 */
export function textBlocks(): StreamingBody {
  const root = document.createElement('div');
  /** The last block, and the characters in it (its long runs are in several Text nodes). */
  let div: HTMLDivElement;
  let size: number;
  /** The block ends with a "\n" that ends the block as soon as more text follows. */
  let split = false;
  const block = () => {
    size = 0;
    (div = document.createElement('div')).append(new Text());
    return div;
  };
  const append = (data: string) => ((size += data.length), words(div, data));
  root.className = 'blocks';
  root.append(block());
  return {
    root,
    appendData(data) {
      if (split && data) {
        const text = div.lastChild as Text;
        split = false;
        text.deleteData(text.length - 1, 1);
        root.append('\n', block());
      }
      // The block ends at the "\n" that ends the last line of text in `data` (the blank lines after
      // it start the next block, which shows them as they are), once it holds enough. Nothing
      // follows that "\n" yet? Then the next write ends the block: an empty last block would drop
      // it from innerText.
      let at = data.lastIndexOf('\n');
      while (data[at - 1] === '\n') at--;
      if (
        at < 0 ||
        size + at < BLOCK_SIZE ||
        BREAKS.test(data[at - 1] ?? (div.lastChild as Text).data.at(-1)!) ||
        (split = at === data.length - 1)
      ) {
        append(data);
      } else {
        append(data.slice(0, at));
        root.append('\n', block());
        append(data.slice(at + 1));
      }
    },
  };
}

/**
 * Plain text: a complete message is a text node (several where it holds long runs: {@link pieces}),
 * a streamed one is {@link textBlocks}.
 */
export const textRenderer: BodyRenderer = {
  render: pieces,
  stream: textBlocks,
};
