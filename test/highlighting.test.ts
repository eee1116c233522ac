/**
 * <stream-chat highlight>: code blocks in answers highlighted once each is finished, end to end
 * against the real local SSE server. What the highlighter makes of code is tested in
 * highlight.test.ts; when the Markdown renderer hands a block over, in markdown-renderer.test.ts.
 * The CDN bundle loading its chunk is tested in test/node/cdn-highlight.test.js.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { copiedBy, streamedAndRestored } from './helpers/element.js';
import { frozenSheets } from './helpers/layout.js';
import { mockEndpoint, pausedReply, refusedUrl, streamingReply } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { hasCdp, itWithCdp } from './helpers/cdp.js';

// Every request of this page is recorded, the highlighter's module included (the default buffer
// keeps 250, fewer than a test page loads).
performance.setResourceTimingBufferSize(100_000);
const highlighterRequests = () => performance.getEntriesByType('resource').filter((entry) => /\/src\/element\/highlight\b/.test(entry.name));

async function chatFor(url = '', highlight = true): Promise<StreamChatElement> {
  const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${url} retries="0" ?highlight=${highlight}></stream-chat>`);
  await el.updateComplete;
  return el;
}

function answer(el: StreamChatElement): HTMLElement | undefined {
  const answers = el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="assistant"]');
  return answers[answers.length - 1];
}

const codes = (el: StreamChatElement) => [...(answer(el)?.querySelectorAll<HTMLElement>('pre > code') ?? [])];
const isHighlighted = (code: Element) => code.querySelector('span') !== null;

/**
 * Resolves once a block handed to the highlighter now is highlighted: it takes blocks in the order
 * they were handed over, so every block an element handed over before it has had its turn too.
 */
async function highlighterCaughtUp(): Promise<void> {
  const { queueHighlight } = await import('../src/element/highlight.js');
  const probe = document.createElement('code');
  probe.textContent = 'let probe = 1;';
  queueHighlight(probe, 'js');
  await waitUntil(() => isHighlighted(probe), 'the highlighter caught up');
}
const frames = (n: number) => new Promise<void>((resolve) => (n <= 0 ? resolve() : requestAnimationFrame(() => void frames(n - 1).then(resolve))));

const ANSWER = [
  'Here is a script:\n\n```js\n// greet\nconst name = "world";\nconsole.log(`hi ${name}`);\n```\n\n',
  'And the same in Python:\n\n```python\ndef greet(name):\n    return f"hi {name}"  # greet\n```\n\n',
  'Run it:\n\n```sh\nnode greet.js --name "world"\n```\n\n',
  'Config:\n\n```json\n{"name": "world", "times": 3, "loud": false}\n```\n',
];

describe('<stream-chat highlight>', () => {
  failOnUnhandledRejection();

  afterEach(async () => {
    if (hasCdp) await emulateMedia({ colorScheme: 'light' });
  });

  // First in this file: no other test of this page has loaded the highlighter yet.
  it('is off by default: code stays plain, and the highlighter is never requested', async () => {
    const el = await chatFor((await mockEndpoint(streamingReply(ANSWER))).url, false);
    expect(el.highlight).to.equal(false);
    await el.send('Code please');
    await el.updateComplete;
    await frames(5);
    // A request to the test server made after one the element would have made for the highlighter, served.
    await refusedUrl();
    expect(codes(el).length).to.equal(4);
    expect(codes(el).filter(isHighlighted)).to.deep.equal([]);
    expect(highlighterRequests().map((entry) => entry.name)).to.deep.equal([]);
  });

  it('highlights restored answers: the blocks finished before the highlighter arrived are highlighted when it does', async () => {
    const el = await chatFor();
    expect(el.hasAttribute('highlight') && el.highlight).to.equal(true);
    el.messages = [
      { role: 'user', content: 'Code please' },
      { role: 'assistant', content: ANSWER.join('') },
    ];
    await el.updateComplete;
    await waitUntil(() => codes(el).every(isHighlighted), 'every block highlighted');
    expect(highlighterRequests().length, 'the highlighter was loaded, on demand').to.be.greaterThan(0);
    const [js, python, sh, json] = codes(el).map((code) => [...code.querySelectorAll('span')].map((span) => `${span.className}:${span.textContent}`));
    expect(js).to.include.members(['comment:// greet\n', 'keyword:const', 'string:"world"']);
    expect(python).to.include.members(['keyword:def', 'keyword:return', 'comment:# greet\n']);
    expect(sh).to.include.members(['string:"world"']);
    expect(json).to.include.members(['property:"name"', 'literal:3', 'keyword:false']);
  });

  it('streams: the open block stays plain; a block is highlighted once its fence closes, while the answer goes on', async () => {
    // Loaded now, so an open block handed to it would be highlighted at once.
    await import('../src/element/highlight.js');
    const endpoint = await mockEndpoint(
      // Held after the closing fence: the answer goes on until the test has seen the block highlighted.
      pausedReply([['Intro.\n\n```ts\nconst a: number = 1;\n', 'let b = "two";\n'], ['```\n'], ['\nAfter the code.\n']], ['seen plain', 'seen highlighted']),
    );
    const el = await chatFor(endpoint.url);
    const sent = el.send('Code please');
    await waitUntil(() => codes(el)[0]?.textContent === 'const a: number = 1;\nlet b = "two";\n', 'the open fence shows as code');
    await frames(10);
    await highlighterCaughtUp();
    expect(isHighlighted(codes(el)[0]!), 'the open block stays plain').to.equal(false);
    await endpoint.release('seen plain');
    await waitUntil(() => codes(el)[0] && isHighlighted(codes(el)[0]!), 'highlighted once its fence closed', { timeout: 2500 });
    expect(el.streaming, 'before the answer ended').to.equal(true);
    await endpoint.release('seen highlighted');
    const code = codes(el)[0]!;
    await sent;
    await el.updateComplete;
    expect(codes(el)[0], 'the same node, never rebuilt').to.equal(code);
    expect(code.textContent, 'the text is exactly the code').to.equal('const a: number = 1;\nlet b = "two";\n');
    expect([...code.querySelectorAll('span')].map((span) => span.textContent)).to.include.members(['const', 'number', 'let', '"two"']);
  });

  it('Copy on a highlighted block copies its code as it was sent', async () => {
    const el = await chatFor();
    el.messages = [{ role: 'assistant', content: ANSWER[1]! }];
    await el.updateComplete;
    await waitUntil(() => codes(el).every(isHighlighted));
    const button = answer(el)!.querySelector<HTMLButtonElement>('[part~="copy"]')!;
    expect(await copiedBy(button)).to.equal('def greet(name):\n    return f"hi {name}"  # greet');
  });

  it('leaves a block in an unknown language, or in none, plain', async () => {
    const el = await chatFor();
    el.messages = [{ role: 'assistant', content: '```cobol\nDISPLAY "HI".\n```\n\n```\nplain "text"\n```\n\n    indented "code"\n\n```js\nlet known = 1;\n```' }];
    await el.updateComplete;
    // The known block is highlighted after the others were handed over: by then, they would be too.
    await waitUntil(() => isHighlighted(codes(el)[3]!));
    expect(codes(el).map(isHighlighted)).to.deep.equal([false, false, false, true]);
    expect(codes(el)[0]!.textContent).to.equal('DISPLAY "HI".\n');
  });

  it('keeps hostile code as text: only spans, nothing runs, the text unchanged', async () => {
    const hostile = [
      '<img src=x onerror="window.__pwnedByCode=1">',
      '</code></pre><script>window.__pwnedByCode=1</script>',
      '"><svg onload="window.__pwnedByCode=1"><a href="javascript:alert(1)">x</a>',
      '`</code>${alert(1)}` /* </style> */ <!-- --> &lt;b&gt;',
    ].join('\n');
    const languages = ['html', 'js', 'css', 'sh', 'python', 'json'];
    const endpoint = await mockEndpoint(streamingReply(languages.map((language) => `\`\`\`${language}\n${hostile}\n\`\`\`\n\n`)));
    const el = await chatFor(endpoint.url);
    await el.send('Hostile');
    await el.updateComplete;
    await waitUntil(() => codes(el).length === languages.length && codes(el).every(isHighlighted));
    for (const code of codes(el)) {
      expect(code.textContent).to.equal(`${hostile}\n`);
      for (const e of code.querySelectorAll('*')) {
        expect(e.localName).to.equal('span');
        expect([...e.attributes].map((a) => a.name)).to.deep.equal(['class']);
      }
    }
    expect(answer(el)!.querySelector('img, script, svg, a, style')).to.equal(null);
    expect((window as { __pwnedByCode?: number }).__pwnedByCode).to.equal(undefined);
  });

  it('a streamed answer ends as the same DOM as the same answer restored, highlighted alike', async () => {
    const text = ANSWER.join('') + '\n- a list\n\n  ```js\n  let inList = true;\n  ```\n\n```py\nunclosed = True\n';
    const [streamed, restored] = await streamedAndRestored(chatFor, text.match(/[\s\S]{1,9}/g)!);
    for (const el of [streamed, restored]) await waitUntil(() => codes(el).length === 6 && codes(el).every(isHighlighted));
    const one = answer(streamed)!.querySelector('.markdown')!;
    const two = answer(restored)!.querySelector('.markdown')!;
    expect(one.isEqualNode(two), `${one.innerHTML}\n!=\n${two.innerHTML}`).to.equal(true);
  });

  it('set later, highlights the answers already shown', async () => {
    const el = await chatFor('', false);
    el.messages = [{ role: 'assistant', content: ANSWER[0]! }];
    await el.updateComplete;
    expect(codes(el).some(isHighlighted)).to.equal(false);
    el.highlight = true;
    await el.updateComplete;
    await waitUntil(() => codes(el).every(isHighlighted));
  });

  it('a block highlighted while its answer was off screen (format switched away and back) is coloured once it shows', async () => {
    // The highlighter loaded already, as after an earlier answer: the block is highlighted as the
    // answer ends, while the element shows it as plain text.
    await import('../src/element/highlight.js');
    const endpoint = await mockEndpoint(pausedReply([['Intro\n\n```js\nconst a = 1;\n'], ['let b = "two";\n']], ['switched']));
    const el = await chatFor(endpoint.url);
    const sent = el.send('Go');
    await waitUntil(() => codes(el)[0]?.textContent === 'const a = 1;\n');
    el.format = 'text';
    // The rest comes once the answer shows as text.
    await el.updateComplete;
    await frames(2);
    await endpoint.release('switched');
    await sent;
    // Highlighted as the answer ended, off screen.
    await highlighterCaughtUp();
    el.format = 'markdown';
    await el.updateComplete;
    await waitUntil(() => codes(el).length === 1 && codes(el).every(isHighlighted));
    const keyword = answer(el)!.querySelector('.keyword')!;
    expect(getComputedStyle(keyword).color).to.not.equal(getComputedStyle(keyword.parentElement!).color);
  });

  it('an element that renders once the highlighter has loaded adds its colours to a frozen list of sheets (before Chrome 99)', async () => {
    const endpoint = await mockEndpoint(streamingReply([ANSWER[0]!]));
    const first = await chatFor(endpoint.url);
    await first.send('Go');
    await waitUntil(() => codes(first).length === 1 && codes(first).every(isHighlighted), 'the highlighter has loaded and coloured the first');
    const { highlightStyles } = await import('../src/element/highlight.styles.js');
    // Its shadow root made, its first render to come.
    const el = document.createElement('stream-chat');
    document.body.append(el);
    try {
      const sheets = frozenSheets(el.shadowRoot!);
      expect(sheets().includes(highlightStyles), 'not yet').to.equal(false);
      // Pushed, the sheet would throw from the update.
      await el.updateComplete;
      expect(sheets().includes(highlightStyles)).to.equal(true);
    } finally {
      el.remove();
    }
  });

  itWithCdp('colours tokens from --stream-chat-code-* properties, with light and dark defaults, and stays accessible', async () => {
    const el = await chatFor();
    el.messages = [{ role: 'assistant', content: ANSWER.join('') }];
    await el.updateComplete;
    await waitUntil(() => codes(el).every(isHighlighted));
    const keyword = answer(el)!.querySelector('.keyword')!;
    const light = getComputedStyle(keyword).color;
    expect(light).to.not.equal(getComputedStyle(keyword.parentElement!).color);
    await emulateMedia({ colorScheme: 'dark' });
    expect(getComputedStyle(keyword).color).to.not.equal(light);
    await expect(el).to.be.accessible();
    await emulateMedia({ colorScheme: 'light' });
    await expect(el).to.be.accessible();
    el.style.setProperty('--stream-chat-code-keyword', 'rgb(1, 2, 3)');
    el.style.setProperty('--stream-chat-code-string', 'rgb(4, 5, 6)');
    expect(getComputedStyle(keyword).color).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(answer(el)!.querySelector('.string')!).color).to.equal('rgb(4, 5, 6)');
  });
});
