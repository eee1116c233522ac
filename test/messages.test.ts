import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import type { ChatMessage } from '../src/core/types.js';
import { copied, spoken, withoutUi } from '../src/element/messages.js';
import { markdownRenderer } from '../src/element/renderers/markdown.js';
import { textBlocks } from '../src/element/renderers/text.js';
import { loadCommonmark } from './helpers/commonmark.js';
import { copiedBy } from './helpers/element.js';
import { RUNS, longRuns } from './helpers/long-runs.js';
import { DONE, chunkEvent, mockEndpoint } from './helpers/server.js';
import { fakeFetch, TestBody } from './helpers/streaming.js';

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

  it('says the text of a list item apart from a block inside it that follows the text: a nested list, code, a quote, a table', () => {
    const cases = [
      // Before, a tight item's text ran into its nested list: "Steps:a first".
      ['1. Steps:\n   - a first\n   - a second\n2. Done.', 'Steps:\na first\na second\nDone.'],
      ['- Run:\n  ```sh\n  ls\n  ```', 'Run:\nls'],
      ['- Said:\n  > a quote', 'Said:\na quote'],
      ['- Events:\n  | a | b |\n  |---|---|\n  | 1 | 2 |', 'Events:\na b \n1 2'],
      // A loose item's paragraph ended its line already: still one line break, no blank line or spaces.
      ['1. Steps:\n\n   - a first\n\n2. Done.', 'Steps:\na first\nDone.'],
      ['Some **bold** text and `code`.', 'Some bold text and code.'],
    ];
    for (const [markdown, text] of cases) expect(spoken(markdownRenderer.render(markdown!) as HTMLElement, Infinity).text, markdown).to.equal(text);
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

describe('the log: runs of over 256 letters with no space, in Text nodes of 256 (Chromium lays a longer one out in time growing with the square of its length)', () => {
  /** The text of each of the log's nodes that `selector` finds. */
  const texts = (el: StreamChatElement, selector: string) => [...el.shadowRoot!.querySelectorAll(selector)].map((node) => node.textContent);
  const json = (value: object) => JSON.stringify(value, null, 2);

  it('in questions (text, and a text part), the reasoning, an answer in text format, a refusal, tool calls’ arguments and results (JSON and not), set whole; Copy copies the text', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat format="text"></stream-chat>`);
    const call = (id: string, args: string) => ({ id, type: 'function' as const, function: { name: 'look', arguments: args } });
    const messages: ChatMessage[] = [
      { role: 'user', content: RUNS },
      { role: 'user', content: [{ type: 'text', text: RUNS }] },
      { role: 'assistant', content: RUNS, reasoning: RUNS, refusal: RUNS, tool_calls: [call('a', JSON.stringify({ k: RUNS })), call('b', RUNS)] },
      { role: 'tool', tool_call_id: 'a', content: JSON.stringify({ r: RUNS }) },
      { role: 'tool', tool_call_id: 'b', content: RUNS },
    ];
    el.messages = messages;
    await el.updateComplete;
    // And rendered again: Lit keeps the pieces.
    el.requestUpdate();
    await el.updateComplete;
    expect(longRuns(el.shadowRoot!)).to.deep.equal([]);
    expect(texts(el, '[part~=user]')).to.deep.equal([RUNS, RUNS]);
    expect(texts(el, '.reasoning-text')).to.deep.equal([RUNS]);
    expect(texts(el, '[part="message assistant"], [part~=refusal]')).to.deep.equal([RUNS, RUNS]);
    expect(texts(el, '[part=tool-arguments]')).to.deep.equal([json({ k: RUNS }), RUNS]);
    expect(texts(el, '[part=tool-result] pre')).to.deep.equal([json({ r: RUNS }), RUNS]);
    const copies = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=copy-message]');
    expect(await copiedBy(copies[0]!)).to.equal(RUNS.trim());
    // The answer's text, then its refusal, as shown.
    expect(await copiedBy(copies[2]!)).to.equal(`${RUNS.trim()}\n\n${RUNS.trim()}`);
  });

  it('in a provider tool’s name and detail, a source’s title and an untitled one’s URL, and a question’s file name', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const url = `https://x.test/${'T'.repeat(700)}`;
    el.messages = [
      { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'file', file: { filename: RUNS } }] },
      { role: 'assistant', content: 'Found', server_tools: [{ name: RUNS, detail: RUNS, at: 0 }], sources: [{ url: 'https://x.test/', title: RUNS }, { url }] },
    ];
    await el.updateComplete;
    expect(longRuns(el.shadowRoot!)).to.deep.equal([]);
    expect(texts(el, '[part~=file]')).to.deep.equal([RUNS]);
    expect(texts(el, '[part~=server-tool-name], [part~=server-tool-name] + span')).to.deep.equal([RUNS, RUNS]);
    expect(texts(el, '[part~=sources] a')).to.deep.equal([RUNS, url]);
  });

  it('in the reasoning, an answer in text format, a refusal and a tool call’s arguments, streamed', async () => {
    const at = (text: string) => text.match(/[^]{1,97}/g)!;
    const endpoint = await mockEndpoint({
      steps: [
        ...at(RUNS).map((piece) => ({ write: chunkEvent({ reasoning_content: piece }) })),
        ...at(RUNS).map((piece) => ({ write: chunkEvent({ content: piece }) })),
        ...at(RUNS).map((piece) => ({ write: chunkEvent({ refusal: piece }) })),
        { write: chunkEvent({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'look', arguments: '' } }] }) },
        ...at(RUNS).map((piece) => ({ write: chunkEvent({ tool_calls: [{ index: 0, function: { arguments: piece } }] }) })),
        { hold: 'checked' },
        { write: DONE },
      ],
    });
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" format="text"></stream-chat>`);
    void el.send('Go').catch(() => {});
    await waitUntil(() => texts(el, '[part=tool-arguments]')[0] === RUNS, 'the arguments stream', { timeout: 10_000 });
    expect(longRuns(el.shadowRoot!)).to.deep.equal([]);
    expect(texts(el, '.reasoning-text, [part="message assistant"], [part~=refusal]')).to.deep.equal([RUNS, RUNS, RUNS]);
    el.stop();
    await endpoint.release('checked');
  });
});

describe('Copy on a message', () => {
  /** What Copy wrote to the page's clipboard, by type. */
  let kept: Record<string, string>;
  const write = async ([item]: ClipboardItem[]) => {
    for (const type of item!.types) kept[type] = await (await item!.getType(type)).text();
  };
  // (Text alone, as Copy writes an answer in `format="text"`, which has no HTML.)
  const writeText = async (text: string) => void (kept['text/plain'] = text);
  // (On the navigator itself, the prototype's left as it is: deleted, it shows again.)
  beforeEach(() => void Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { write, writeText } }));
  afterEach(() => void delete (navigator as { clipboard?: unknown }).clipboard);

  /** Clicks `button`; resolves, once it says Copied, with the HTML it copied as a pasted document's body. */
  async function pasted(button: HTMLElement): Promise<HTMLElement> {
    kept = {};
    button.click();
    await waitUntil(() => button.textContent === 'Copied', 'the button says Copied');
    return new DOMParser().parseFromString(kept['text/html']!, 'text/html').body;
  }

  it('copies an answer’s HTML in the direction it is shown: a right-to-left one pasted into a document stays right to left, its code left to right', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = ['مرحبا **بك** `a = 1;`\n\n- أول\n- ثاني\n\n```js\nlet a = 1;\n```', 'Hello **there**.'].flatMap((content): ChatMessage[] => [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content },
    ]);
    await el.updateComplete;
    const copies = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=copy-message]');
    const rtl = await pasted(copies[1]!);
    // Before, the answer's own `dir="auto"` stayed behind with its part: pasted, its paragraphs and
    // list were laid out left to right, the list's bullets on the wrong side.
    expect(rtl.children).to.have.length(1);
    expect(rtl.firstElementChild!.getAttribute('dir')).to.equal('rtl');
    expect(rtl.querySelector('li')!.textContent).to.equal('أول');
    // As shown: in the box's direction, a block's lines were at its right, `let a = 1;` read `;let a = 1`.
    expect([...rtl.querySelectorAll('pre, code')].map((code) => [code.textContent, code.getAttribute('dir')])).to.deep.equal([
      ['a = 1;', 'ltr'],
      ['let a = 1;\n', 'ltr'],
      ['let a = 1;\n', 'ltr'],
    ]);
    const ltr = await pasted(copies[3]!);
    expect(ltr.firstElementChild!.getAttribute('dir')).to.equal('ltr');
    expect(ltr.querySelector('strong')!.textContent).to.equal('there');
  });

  it('copies each paragraph and heading in the direction it is shown, that of its own first letter: a Latin one in a right-to-left answer, an Arabic one in a left-to-right answer', async () => {
    /** Where `block`'s first letter is laid out: at its left or its right. */
    const side = (block: Element) => {
      const range = document.createRange();
      range.setStart(document.createTreeWalker(block, NodeFilter.SHOW_TEXT).nextNode()!, 0);
      range.setEnd(range.startContainer, 1);
      const [letter, box] = [range.getBoundingClientRect(), block.getBoundingClientRect()];
      return letter.left - box.left < box.right - letter.right ? 'left' : 'right';
    };
    const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 40rem"></stream-chat>`);
    el.messages = ['مرحبا بك في الموقع.\n\n# GPT-4 هو نموذج', 'Hello there.\n\nمرحبا بك في الموقع.'].flatMap((content): ChatMessage[] => [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content },
    ]);
    await el.updateComplete;
    const copies = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=copy-message]');
    const page = document.body.appendChild(document.createElement('div'));
    page.style.width = '40rem';
    for (const [index, shown] of [[1, ['right', 'left']], [3, ['left', 'right']]] as const) {
      const blocks = el.shadowRoot!.querySelectorAll('[part="message assistant"]')[index >> 1]!.querySelectorAll('p, h1');
      expect([...blocks].map(side)).to.deep.equal(shown);
      // Pasted into a document: before, both in the answer's direction (the box's), at its start.
      page.replaceChildren(...(await pasted(copies[index]!)).childNodes);
      expect([...page.querySelectorAll('p, h1')].map(side)).to.deep.equal(shown);
    }
    page.remove();
  });

  it('copies each line of a paragraph, and each item, in the direction it is shown, that of its own first letter: an English line after a hard break in a Hebrew paragraph, an English item in a Hebrew list', async () => {
    /** Each line of the paragraphs and items in `root` (a Text node each): its text, the side of its block its first letter is at, and which way it reads. */
    const laid = (root: ParentNode) =>
      [...root.querySelectorAll('p, li')].flatMap((block) => {
        const box = block.getBoundingClientRect();
        const range = document.createRange();
        const letter = (line: Text, at: number) => (range.setStart(line, at), range.setEnd(line, at + 1), range.getBoundingClientRect());
        return [...block.childNodes]
          .filter((line): line is Text => line instanceof Text && !!line.data.trim())
          .map((line) => {
            const [first, last] = [letter(line, line.data.search(/\S/)), letter(line, line.data.trimEnd().length - 1)];
            return [line.data.trim(), first.left - box.left < box.right - first.right ? 'left' : 'right', first.left < last.left ? 'ltr' : 'rtl'];
          });
      });
    const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 40rem"></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'שלום עולם.  \nHello world.\n\n- שלום.\n- Hi there.' }];
    await el.updateComplete;
    const shown = laid(el.shadowRoot!.querySelector('[part="message assistant"]')!);
    expect(shown.slice(0, 2)).to.deep.equal([
      ['שלום עולם.', 'right', 'rtl'],
      ['Hello world.', 'left', 'ltr'],
    ]);
    const page = document.body.appendChild(document.createElement('div'));
    page.style.width = '40rem';
    // Pasted into a document: before, the English line and item right to left, at the right, their
    // full stops at their start. (Found in review of b329ce7: in Firefox and WebKit, whose style
    // sheets align an item as its list, the English item, shown at its own start, was pasted at the
    // list's, at the right.)
    page.replaceChildren(...(await pasted(el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=copy-message]')[1]!)).childNodes);
    expect(laid(page)).to.deep.equal(shown);
    expect(shown.slice(2)).to.deep.equal([
      ['שלום.', 'right', 'rtl'],
      ['Hi there.', 'left', 'ltr'],
    ]);
    page.remove();
  });

  /** An element showing `answers`, each after a question, in `format`; its Copy buttons. */
  async function showing(answers: ChatMessage[][], format = 'markdown'): Promise<HTMLButtonElement[]> {
    const el = await fixture<StreamChatElement>(html`<stream-chat format=${format}></stream-chat>`);
    el.messages = answers.flatMap((answer): ChatMessage[] => [{ role: 'user', content: 'Q' }, ...answer]);
    await el.updateComplete;
    return [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=copy-message]')];
  }

  it('copies a refusal as it is shown: one alone has a Copy (before, none), one beside text comes after it (before, left out)', async () => {
    const copies = await showing([
      [{ role: 'assistant', content: null, refusal: 'I can’t help with <b>that</b>.' }],
      [{ role: 'assistant', content: 'Here is **some**.', refusal: 'But not the rest.' }],
    ]);
    expect(copies, 'a Copy on each question and each answer').to.have.length(4);
    const alone = await pasted(copies[1]!);
    // (Markdown's escapes: see the refusal of Markdown's marks below.)
    expect(kept['text/plain']).to.equal('I can’t help with \\<b>that\\</b>.');
    // As text, not markup (no `b` made of the model's words), and alone: no empty body before it.
    expect(alone.innerHTML).to.equal('<div dir="ltr"><p dir="auto">I can’t help with &lt;b&gt;that&lt;/b&gt;.</p></div>');
    const beside = await pasted(copies[3]!);
    expect(kept['text/plain']).to.equal('Here is **some**.\n\nBut not the rest.');
    expect([...beside.querySelectorAll('p')].map((p) => p.textContent)).to.deep.equal(['Here is some.', 'But not the rest.']);
  });

  it('copies no refusal of white space alone into the HTML, as none is in the text', async () => {
    // (Found in review of 1be6e66: trimmed, it was an empty paragraph after the answer's, pasted as a blank line.)
    const copies = await showing([[{ role: 'assistant', content: 'Some.', refusal: ' \n\n' }]]);
    const body = await pasted(copies[1]!);
    expect(kept['text/plain']).to.equal('Some.');
    expect(body.querySelectorAll('p')).to.have.length(1);
  });

  it('copies a refusal into the Markdown text escaped, as its sources’ titles are: pasted into an editor that reads Markdown, it is the text shown, no mark of it formatting', async () => {
    // (Found in review of e26f74d: its first line indented by four spaces, or a tab, was a code block
    // showing the escapes, `I won’t write \\*that\\*`.)
    const refusal = '    I won’t write *that*, _this_, `code` or [a link](https://x.test/) <b>here</b> & more.\n# Not a heading\n1. Nor a list\n  - nor this\n2) nor this\n+ nor this\n> Nor a quote\n| nor | a table |\n:-- | --:\n---';
    const copies = await showing([[{ role: 'assistant', content: 'Some.', refusal }]]);
    await pasted(copies[1]!);
    const [text, copiedRefusal] = kept['text/plain']!.split('\n\n');
    expect(text).to.equal('Some.');
    // Before, as sent: a heading, lists, a quote, emphasis, code and a link, and its last line made the one before it a heading.
    // (Found in review of e26f74d: escaped, its line of `:--` under one of `|` was still a table's.)
    const read = markdownRenderer.render(copiedRefusal!) as HTMLElement;
    // (Its address alone still a link, as GFM links any bare URL: the same text.)
    const marks = [...read.querySelectorAll('*')].filter((node) => !['div', 'p', 'br'].includes(node.localName) && !(node.localName == 'a' && node.textContent == node.getAttribute('href')));
    expect(marks.map((node) => node.localName)).to.deep.equal([]);
    expect(read.textContent!.replace(/\s+/g, ' ').trim()).to.equal(refusal.replace(/\s+/g, ' ').trim());
  });

  it('copies a refusal of lines on its lines, as shown, its blank lines too: hard breaks in the Markdown text, read by our renderer and by commonmark.js, and line breaks in the HTML', async () => {
    // (Found in review: its run of blank lines was copied as one paragraph break, a blank line.)
    const refusal = 'I can’t help with that.\nNot *this*,\n# nor this.\n\nAsk me another.\n\n\n\nOr this.';
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    // (The line breaks it ends with are not shown: none of them copied, nor a backslash for the last.)
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'Some.', refusal: `${refusal}\n\n` }];
    await el.updateComplete;
    /** The lines `root` shows, its blocks' line breaks as a browser lays them out. */
    const lines = (...nodes: Node[]) => {
      const page = document.body.appendChild(document.createElement('div'));
      page.append(...nodes);
      const text = page.innerText;
      page.remove();
      return text;
    };
    // (Shown as its text, its line breaks kept: `white-space: pre-wrap`.)
    const shown = el.shadowRoot!.querySelector('[part~=refusal]')!.textContent!.trimEnd();
    expect(shown).to.equal(refusal);
    const body = await pasted(el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=copy-message]')[1]!);
    const copied = kept['text/plain']!.split('\n\n').slice(1).join('\n\n');
    expect(copied).to.match(/Or this\.$/);
    // Before, one paragraph of its lines, in the text and in the HTML's `p`: "I can’t help with that. Not *this*, # nor this.".
    expect(lines(body.firstElementChild!.lastElementChild!)).to.equal(shown);
    expect(lines(markdownRenderer.render(copied) as HTMLElement)).to.equal(shown);
    const commonmark = await loadCommonmark();
    const read = new commonmark.HtmlRenderer().render(new commonmark.Parser().parse(copied));
    expect(lines(...new DOMParser().parseFromString(read, 'text/html').body.childNodes)).to.equal(shown);
  });

  it('copies a searched answer with no text of its own as Markdown too: its sources as Markdown links, its refusal escaped, and its HTML', async () => {
    const copies = await showing([
      [{ role: 'assistant', content: '', server_tools: [{ name: 'web_search', detail: 'cats', at: 0 }], sources: [{ url: 'https://x.test/', title: 'A *b*' }], refusal: '# No.' }],
      [{ role: 'assistant', content: '', sources: [{ url: 'https://y.test/' }] }],
    ]);
    const body = await pasted(copies[1]!);
    // (Found in review of e26f74d: the format was told by a Markdown body in the turn, which such an
    // answer has none of: it copied as `format="text"` does, `A *b* (https://x.test/)` and `# No.`.)
    expect(kept['text/plain']).to.equal('- [A \\*b\\*](https://x.test/)\n\n\\# No.');
    // Its HTML too, the list and the refusal shown (found in review: none went with it, as it had no Markdown body).
    expect(body.innerHTML).to.equal('<div dir="ltr"><ul><li><a dir="auto" href="https://x.test/">A *b*</a></li></ul><p dir="auto"># No.</p></div>');
    expect((await pasted(copies[3]!)).innerHTML).to.equal('<div dir="ltr"><ul><li><a dir="auto" href="https://y.test/">https://y.test/</a></li></ul></div>');
    // A question has no answer's box: its text alone, as before.
    await pasted(copies[0]!);
    expect(kept).to.deep.equal({ 'text/plain': 'Q' });
  });

  it('copies an answer’s sources after it, as shown (each URL once, unsafe ones left out; sources alone too): Markdown links in the text, a list of links in the HTML', async () => {
    const sources = [
      { url: 'https://example.com/a', title: 'A [draft] *page*' },
      { url: 'https://example.com/a', title: 'Again' },
      { url: 'javascript:alert(1)', title: 'Bad' },
      { url: 'https://example.com/b (1)' },
    ];
    const copies = await showing([
      [{ role: 'assistant', content: 'It is **so**.', sources }],
      [{ role: 'assistant', content: '', sources: [{ url: 'https://example.com/c' }] }],
    ]);
    // Sources alone are copied too (before, no Copy).
    expect(copies).to.have.length(4);
    await pasted(copies[3]!);
    expect(kept['text/plain']).to.equal('- [https://example.com/c](https://example.com/c)');
    const body = await pasted(copies[1]!);
    expect(kept['text/plain']).to.equal('It is **so**.\n\n- [A \\[draft\\] \\*page\\*](https://example.com/a)\n- [https://example.com/b (1)](https://example.com/b%20\\(1\\))');
    expect([...body.querySelectorAll('li > a')].map((a) => [a.textContent, a.getAttribute('href')])).to.deep.equal([
      ['A [draft] *page*', 'https://example.com/a'],
      ['https://example.com/b (1)', 'https://example.com/b (1)'],
    ]);
    // After the answer's body, in its box, without our attributes (its part, name, live region's off).
    expect([...body.firstElementChild!.children].map((node) => node.localName)).to.deep.equal(['div', 'ul']);
    expect([...body.querySelector('ul')!.attributes].map((attribute) => attribute.name)).to.deep.equal([]);
    // Pasted into Markdown, the links read as they are shown.
    const links = markdownRenderer.render(kept['text/plain']!) as HTMLElement;
    expect([...links.querySelectorAll('li > a')].map((a) => [a.textContent, a.getAttribute('href')])).to.deep.equal([
      ['A [draft] *page*', 'https://example.com/a'],
      ['https://example.com/b (1)', 'https://example.com/b%20(1)'],
    ]);
  });

  it('copies an answer in format="text" as the text it shows: its sources each as its title then its URL, not Markdown links; its refusal as sent', async () => {
    const sources = [
      { url: 'https://example.com/a', title: 'A [draft] *page*\nof lines' },
      { url: 'https://example.com/b (1)' },
      // (Found in review: a title that is its URL, as the list shows it once, was copied twice,
      // `https://example.com/c (https://example.com/c)`.)
      { url: 'https://example.com/c', title: 'https://example.com/c' },
    ];
    const copies = await showing([[{ role: 'assistant', content: 'It is *so*.', sources, refusal: '# Not *that*.' }]], 'text');
    await pasted(copies[1]!);
    // Before, the sources as Markdown (`- [A \\[draft\\] \\*page\\*](…)`), which a plain-text chat never showed.
    expect(kept).to.deep.equal({ 'text/plain': 'It is *so*.\n\nA [draft] *page* of lines (https://example.com/a)\nhttps://example.com/b%20(1)\nhttps://example.com/c\n\n# Not *that*.' });
  });

  it('shows and copies a source whose title is only white space, or invisible characters, by its URL, as one of no title', async () => {
    // (Found in review: one of characters that take no room, which `trim()` keeps, was a title.)
    const sources = [
      { url: 'https://example.com/a', title: ' \n\t ' },
      { url: 'https://example.com/b', title: '\u200b\u200c\u200d \u2060\u00ad\ufeff\u200e' },
    ];
    const urls = sources.map((source) => source.url);
    const [, markdown] = await showing([[{ role: 'assistant', content: '', sources }]]);
    // Before, a link of no width, its text the blank title, copied as `- [](https://example.com/a)`.
    const shown = (markdown!.getRootNode() as ShadowRoot).querySelectorAll('[part~=sources] a');
    expect([...shown].map((a) => a.textContent)).to.deep.equal(urls);
    const body = await pasted(markdown!);
    expect(kept['text/plain']).to.equal(urls.map((url) => `- [${url}](${url})`).join('\n'));
    expect([...body.querySelectorAll('a')].map((a) => a.textContent)).to.deep.equal(urls);
    // In format="text", its URL alone (before, a line of white space and it, `  \t  (https://example.com/a)`).
    await pasted((await showing([[{ role: 'assistant', content: '', sources }]], 'text'))[1]!);
    expect(kept).to.deep.equal({ 'text/plain': urls.join('\n') });
  });

  it('copies links into the HTML as plain links, in the answer and in its sources: an href (and a title the Markdown gave), none of our attributes', async () => {
    const sources = [{ url: 'https://example.com/a', title: 'A' }];
    const content = 'See [the docs](https://example.com/d "Docs"), <https://example.com/e> and [this](javascript:alert(1)).';
    const copies = await showing([[{ role: 'assistant', content, sources }]]);
    const body = await pasted(copies[1]!);
    // Before, each kept `target="_blank"` and `rel`: pasted into a document, links that open a new
    // window and send no referrer, which its author never asked for.
    expect([...body.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.getAttributeNames()])).to.deep.equal([
      ['https://example.com/d', ['href', 'title']],
      ['https://example.com/e', ['href']],
      ['https://example.com/a', ['dir', 'href']],
    ]);
    // A link to script is its text alone, as shown: no link above, and no script anywhere in the copy.
    expect(body.textContent).to.include(' and this.');
    expect(kept['text/html']).not.to.include('javascript');
  });

  it('copies into the HTML only the attributes that mean something in the document it is pasted in: none that only this page reads', async () => {
    const content = '- [x] done\n- [ ] to do\n\n3. three\n\n![A cat](https://example.com/c.png "Cat")\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```js\nlet a = 1;\n```';
    const el = await fixture<StreamChatElement>(html`<stream-chat images highlight></stream-chat>`);
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content, sources: [{ url: 'https://example.com/', title: 'Ex' }] }];
    await el.updateComplete;
    await waitUntil(() => el.shadowRoot!.querySelector('code span'), 'the code highlighted', { timeout: 10_000 });
    const body = await pasted(el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=copy-message]')[1]!);
    // Before, an image's `referrerpolicy`, a task's checkbox named for a screen reader here
    // (`aria-label`, which the item's text is in a document) and the highlighter's classes, which a
    // document's own styles may hold (`comment`, `string`).
    const attributes = [...body.querySelectorAll('[class],[role],[tabindex],[part],[referrerpolicy],[target],[rel],[loading],[decoding]')].map((node) => node.outerHTML);
    expect(attributes.concat([...body.querySelectorAll('*')].flatMap((node) => node.getAttributeNames().filter((name) => name.startsWith('aria-'))))).to.deep.equal([
      '<code class="language-js"><span>let</span> a = <span>1</span>;\n</code>',
    ]);
    // What means something stays: a task's state, a list's start, an image's source, text and title,
    // a cell's alignment, the code's language.
    expect([...body.querySelectorAll('input, ol, img, td, code')].map((node) => [node.localName, ...node.getAttributeNames().sort()])).to.deep.equal([
      ['input', 'checked', 'disabled', 'type'],
      ['input', 'disabled', 'type'],
      ['ol', 'start'],
      ['img', 'alt', 'src', 'title'],
      ['td', 'align', 'dir', 'style'],
      ['td', 'align', 'dir', 'style'],
      ['code', 'class'],
    ]);
  });

  it('copies sources as Markdown links that read as shown: a title or URL with an entity in it, a title of lines', async () => {
    const sources = [
      { url: 'https://example.com/a?b=1&amp;c=2', title: 'Q&amp;A &#42;' },
      { url: 'https://example.com/b', title: 'Two\n\nparagraphs' },
      { url: 'https://example.com/c', title: 'A line\n- and an item' },
    ];
    const copies = await showing([[{ role: 'assistant', content: 'See.', sources }]]);
    const body = await pasted(copies[1]!);
    const read = (root: Element) => [...root.querySelectorAll('li > a')].map((a) => [a.textContent!.replace(/\s+/g, ' '), decodeURI(a.getAttribute('href')!)]);
    expect(read(body)).to.deep.equal(sources.map(({ url, title }) => [title.replace(/\s+/g, ' '), url]));
    // Before, "&amp;" and "&#42;" read as "&" and "*" (the URL another), and a title's blank line or
    // its line that began "- " ended the link.
    expect(read(markdownRenderer.render(kept['text/plain']!) as HTMLElement)).to.deep.equal(read(body));
  });

  it('copies nothing of a step that only called tools: no empty box in the HTML between the texts around it', async () => {
    const call = { id: 't', type: 'function' as const, function: { name: 'now', arguments: '{}' } };
    const copies = await showing([
      [
        { role: 'assistant', content: 'Let me check.', tool_calls: [call] },
        { role: 'tool', tool_call_id: 't', content: '11:59' },
        { role: 'assistant', content: '\n\n', tool_calls: [{ ...call, id: 'u' }] },
        { role: 'tool', tool_call_id: 'u', content: '12:00' },
        { role: 'assistant', content: 'It is **noon**.' },
      ],
    ]);
    const body = await pasted(copies[1]!);
    expect(kept['text/plain']).to.equal('Let me check.\n\nIt is **noon**.');
    // Before, three boxes: the step's own empty between them.
    expect([...body.children].map((box) => box.textContent)).to.deep.equal(['Let me check.', 'It is noon.']);
  });

  it('gives an answer with a long run of white space inside it a Copy, and copies its text whole', async () => {
    // A model in JSON mode may write white space on and on (OpenAI's docs warn of it), then more.
    const content = `{"a":${' '.repeat(40_000)}1}\n \n`;
    const copies = await showing([[{ role: 'assistant', content }]]);
    // (Its cost is not asserted here: timed tests are noisy. Measured by hand in Chromium: with the
    // end trimmed by /\s+$/, tried at each of the run's spaces to its end, the Copy's condition took
    // 1.06 s a render of the log for each answer with such a run; with trimEnd, under a millisecond.)
    expect(copies, 'a Copy on the question and the answer').to.have.length(2);
    await pasted(copies[1]!);
    expect(kept['text/plain']).to.equal(content.trimEnd());
  });
});

describe('the log renders again only the groups that changed', () => {
  it('a render with 500 messages before builds the templates of the groups that changed, not every answer’s', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint="/chat" format="text"></stream-chat>`);
    el.messages = Array.from({ length: 500 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i}` }));
    await el.updateComplete;
    const before = el.shadowRoot!.querySelector('[part~=log]')!.innerHTML;
    // Each answer's template, as it is built, keeps what its Copy copies (its responses, by its last).
    const built: ChatMessage[] = [];
    const { set } = copied;
    copied.set = (message, answer) => (built.push(message), set.call(copied, message, answer));
    try {
      el.requestUpdate();
      await el.updateComplete;
      expect(built, 'a render that changed nothing').to.have.length(0);
      expect(el.shadowRoot!.querySelector('[part~=log]')!.innerHTML).to.equal(before);
      const body = new TestBody(chunkEvent({ role: 'assistant', content: 'an answer' }, { finishReason: 'stop' }) + DONE);
      body.end();
      el.fetch = fakeFetch({ body });
      await el.send('one more');
      // The last group's (its turns, 25 messages at most), at each of the turn's renders.
      expect(built.length, 'a turn').to.be.above(0).and.below(40);
      expect(built.at(-1)!.content).to.equal('an answer');
    } finally {
      copied.set = set;
    }
  });
});

describe('a group of the log shows what changed in it, more than 25 messages before the end', () => {
  /** A chat showing `first`, then 60 messages after it: `first`'s group is not the last. */
  async function early(first: ChatMessage[]): Promise<StreamChatElement> {
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint="/chat" format="text"></stream-chat>`);
    el.messages = [...first, ...Array.from({ length: 60 }, (_, i): ChatMessage => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i}` }))];
    await el.updateComplete;
    return el;
  }

  it('a tool result the page changed in place, as it may change a call’s arguments', async () => {
    const result: ChatMessage = { role: 'tool', tool_call_id: 'c', content: 'an old result' };
    const el = await early([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c', type: 'function', function: { name: 'look', arguments: '{}' } }] },
      result,
      { role: 'assistant', content: 'a' },
    ]);
    const shown = () => el.shadowRoot!.querySelector('[part~=tool-result] pre')!.textContent;
    expect(shown()).to.equal('an old result');
    result.content = 'a new result';
    el.requestUpdate();
    await el.updateComplete;
    expect(shown()).to.equal('a new result');
  });

  it('sources the page changed in place', async () => {
    const sources = [{ url: 'https://a.example/', title: 'A' }];
    const el = await early([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', sources }]);
    const shown = () => [...el.shadowRoot!.querySelectorAll('[part~=sources] a')].map((a) => a.textContent);
    expect(shown()).to.deep.equal(['A']);
    sources[0]!.title = 'A again';
    sources.push({ url: 'https://b.example/', title: 'B' });
    el.requestUpdate();
    await el.updateComplete;
    expect(shown()).to.deep.equal(['A again', 'B']);
  });

  it('an image the page changed in place', async () => {
    const part = { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,AA==' } };
    const el = await early([{ role: 'user', content: [{ type: 'text', text: 'q' }, part] }, { role: 'assistant', content: 'a' }]);
    part.image_url.url = 'data:image/png;base64,AB==';
    el.requestUpdate();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~=image]')!.getAttribute('src')).to.equal('data:image/png;base64,AB==');
  });

  it('a provider’s tool line the page changed in place', async () => {
    const server_tools = [{ at: 2, name: 'web_search', detail: 'x' }];
    const el = await early([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a. b.', server_tools }]);
    server_tools[0]!.detail = 'y';
    el.requestUpdate();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~=server-tool]')!.textContent).to.equal('web search y');
  });

  it('what the element changes in it: labels, an edit opened and closed, a Copy’s word', async () => {
    const el = await early([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }]);
    const root = el.shadowRoot!;
    const first = (selector: string) => root.querySelector<HTMLElement>(`[part~=log] ${selector}`);
    el.labels = { copy: 'Kopieren' };
    await el.updateComplete;
    expect(first('[part~=copy-message]')!.textContent).to.equal('Kopieren');
    first('[part~=edit]')!.click();
    await el.updateComplete;
    expect(first('[part~=edit-input]'), 'the first question’s edit box').to.exist;
    first('[part~=cancel]')!.click();
    await el.updateComplete;
    expect(first('[part~=edit-input]')).to.equal(null);
    const copy = root.querySelectorAll<HTMLElement>('[part~=copy-message]')[1]!;
    copy.click();
    await waitUntil(() => copy.textContent !== 'Kopieren', 'the first answer’s Copy says how it went');
  });

  it('a message that holds a cycle of the page’s own (a field no request reads) is shown', async () => {
    const own: Record<string, unknown> = {};
    own['self'] = own;
    const el = await early([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'an answer', own } as ChatMessage]);
    expect(el.shadowRoot!.querySelector('[part~=assistant]')?.textContent).to.equal('an answer');
  });
});
