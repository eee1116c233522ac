import { expect } from '@open-wc/testing';
import { spoken, withoutUi } from '../src/element/messages.js';
import { markdownRenderer } from '../src/element/renderers/markdown.js';
import { textBlocks } from '../src/element/renderers/text.js';

/** A body as the text renderer streams it, a line at a time. */
function textBody(text: string): HTMLElement {
  const body = textBlocks();
  for (const line of text.split(/(?<=\n)/)) body.appendData(line);
  return body.root;
}

describe('spoken: what the status region says of a rendered answer', () => {
  it('says each block on a line and table cells apart, without the code blocks’ header', () => {
    const root = markdownRenderer.render('# Title\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nlet x;\n```') as HTMLElement;
    expect(spoken(root, Infinity)).to.deep.equal({ text: 'Title\none\ntwo\na b \n1 2 \nlet x;', cut: false });
  });

  it('copies only the blocks that hold the limit, and says when it left some out, however the text shrinks as it is read', () => {
    // A blank line after each line: read out, the text is shorter than the raw text counted.
    const lines = Array.from({ length: 400 }, (_, i) => `Line ${String(i + 1).padStart(3, '0')} of a list of things to say.`);
    const root = textBody(lines.join('\n\n'));
    expect(root.textContent!.length, 'the answer').to.be.greaterThan(15000);
    const { text, cut } = spoken(root, 2000);
    // Before, the text read out was under the limit, and nothing said that something was left out.
    expect(cut).to.equal(true);
    // The blocks up to the limit, and the one that crosses it (the text renderer's blocks are about 1 KB).
    expect(text.length).to.be.within(1900, 4000);
    expect(lines.join('\n').startsWith(text)).to.equal(true);
    expect(spoken(root, 1e6)).to.deep.equal({ text: lines.join('\n'), cut: false });
  });

  it('goes into a Markdown answer’s groups of blocks: a few long paragraphs are not copied whole', () => {
    const paragraph = (n: number) => `Paragraph ${n} ${'goes on and on '.repeat(200)}`.trim();
    const root = markdownRenderer.render([1, 2, 3, 4, 5].map(paragraph).join('\n\n')) as HTMLElement;
    expect(root.textContent!.length, 'the answer').to.be.greaterThan(14000);
    const { text, cut } = spoken(root, 2000);
    expect(cut).to.equal(true);
    // The first paragraph whole (it crosses the limit); before, all five were copied.
    expect(text).to.equal(paragraph(1));
  });

  it('withoutUi leaves the copy of a whole answer with its content and without the code header', () => {
    const root = markdownRenderer.render('Text\n\n```sh\nls\n```') as HTMLElement;
    const copy = withoutUi(root.cloneNode(true) as HTMLElement);
    expect(copy.querySelector('[part~="code-header"]')).to.equal(null);
    expect(copy.textContent).to.equal('Textls\n');
  });
});
