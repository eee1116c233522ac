/**
 * An audit of README's Markdown section, read as a host whose model writes heavy Markdown: each
 * claim tried as written, streamed a character at a time and cut at every point, with a
 * MutationObserver on the answer to see what changes once shown.
 */
import { expect } from '@open-wc/testing';
import { markdownRenderer, type MarkdownBody } from '../src/element/renderers/markdown.js';

const stream = () => markdownRenderer.stream() as MarkdownBody;

describe('markdown audit: a finished block keeps the nodes it had while open', () => {
  it('a table, once a block after it starts: the same nodes, text selected in a cell still selected (it was built again, finished)', () => {
    const body = stream();
    document.body.append(body.root);
    try {
      for (const c of '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n') body.appendData(c);
      const wrap = body.root.querySelector('[part~=table-wrap]')!;
      const cell = body.root.querySelector('td')!;
      getSelection()!.selectAllChildren(cell);
      for (const c of '\nAfter the table.\n\nMore.\n') body.appendData(c);
      body.end();
      expect(body.root.querySelector('[part~=table-wrap]'), 'the same table').to.equal(wrap);
      expect(getSelection()!.toString(), 'still selected').to.equal('1');
    } finally {
      getSelection()!.removeAllRanges();
      body.root.remove();
    }
  });

  it('a list with a code block in an item, as models write steps: its items and the code block\'s scroller stay once the list is finished', async () => {
    const text = '1. Install it:\n   ```bash\n   npm i stream-chat-element\n   ```\n2. Run it.\n\nDone.\n';
    const body = stream();
    document.body.append(body.root);
    try {
      const at = text.indexOf('Done.');
      for (const c of text.slice(0, at)) body.appendData(c);
      const [item, pre] = [body.root.querySelector('li')!, body.root.querySelector('pre')!];
      const words = document.createRange();
      words.selectNodeContents(item.firstChild!);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(words);
      for (const c of text.slice(at)) body.appendData(c);
      body.end();
      expect(body.root.querySelector('li'), 'the same item').to.equal(item);
      expect(body.root.querySelector('pre'), 'the same scroller').to.equal(pre);
      expect(getSelection()!.toString(), 'still selected').to.equal('Install it:');
      expect(body.root.isEqualNode(markdownRenderer.render(text) as HTMLElement), 'as in one piece').to.equal(true);
      // Watched for its tab stop as a finished one is: none, as its line fits.
      for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(pre.tabIndex, 'a tab stop though nothing scrolls').to.equal(-1);
    } finally {
      getSelection()!.removeAllRanges();
      body.root.remove();
    }
  });
});
