/**
 * The CommonMark reference for the conformance test: the spec's examples (commonmark-spec), the
 * HTML commonmark.js renders for them, and one comparable form of a rendered tree.
 *
 * Both packages ship CommonJS that the test server cannot hand to the browser as modules (the spec
 * examples are read from spec.txt by Node's `fs`; commonmark.js's ES build imports the CommonJS
 * `entities` and `mdurl`), so the page reads spec.txt as text and runs commonmark.js's UMD build,
 * which defines `window.commonmark`. Checked in Node with commonmark 0.31.2 and commonmark-spec
 * 0.31.2: commonmark.js renders all 652 examples byte for byte as the spec expects, once the spec's
 * "→" is read back as a tab.
 */

/** One example of the spec. */
export interface SpecExample {
  /** Its number in the spec, as the spec's HTML edition shows it. */
  number: number;
  /** The heading it is under, e.g. `Links`. */
  section: string;
  markdown: string;
  /** The HTML the spec expects. */
  html: string;
}

/** The part of commonmark.js the reference uses. */
export interface CommonmarkJs {
  Parser: new () => { parse(markdown: string): CommonmarkNode };
  HtmlRenderer: new () => { render(document: CommonmarkNode): string };
}

export interface CommonmarkNode {
  readonly type: string;
  /** A link's or image's URL. */
  readonly destination: string | null;
  /** A text node's text. */
  readonly literal: string | null;
  readonly parent: CommonmarkNode | null;
  readonly next: CommonmarkNode | null;
  walker(): { next(): { entering: boolean; node: CommonmarkNode } | null };
}

/** The spec's examples, read as commonmark-spec's index.js reads them. */
export async function loadSpecExamples(): Promise<SpecExample[]> {
  const response = await fetch('/node_modules/commonmark-spec/spec.txt');
  if (!response.ok) throw new Error(`commonmark-spec/spec.txt: HTTP ${response.status}. Is commonmark-spec installed?`);
  const text = (await response.text()).replace(/\r\n?/g, '\n').replace(/^<!-- END TESTS -->[\s\S]*/m, '');
  // The spec writes a tab as "→" so that it shows; its own runner turns it back.
  const tabs = (source: string) => source.replace(/\u2192/g, '\t');
  const examples: SpecExample[] = [];
  let section = '';
  for (const match of text.matchAll(/^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$/gm)) {
    if (match[3] !== undefined) section = match[3];
    else examples.push({ number: examples.length + 1, section, markdown: tabs(match[1]!), html: tabs(match[2]!) });
  }
  return examples;
}

/** commonmark.js, from the UMD build it ships for browsers. */
export async function loadCommonmark(): Promise<CommonmarkJs> {
  const global = window as unknown as { commonmark?: CommonmarkJs };
  if (!global.commonmark) {
    const script = document.createElement('script');
    script.src = '/node_modules/commonmark/dist/commonmark.js';
    await new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = () => reject(new Error(`${script.src} did not load. Is commonmark installed?`));
      document.head.append(script);
    });
  }
  return global.commonmark!;
}

/** Link schemes the renderer makes links of; any other shows as text. */
const SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/**
 * Why the renderer cannot match the reference for a document, by design: raw HTML shows as text,
 * images are off by default, links of other schemes show as text, and a bare URL or email address
 * is a link (GFM's extended autolinks). Undefined when it can.
 */
export function byDesign(document: CommonmarkNode): string | undefined {
  const walker = document.walker();
  for (let event = walker.next(); event; event = walker.next()) {
    const { node } = event;
    if (node.type === 'html_block' || node.type === 'html_inline') return 'raw HTML';
    if (node.type === 'image') return 'an image';
    const scheme = node.type === 'link' ? /^([a-z][a-z0-9+.-]*):/i.exec(node.destination ?? '')?.[1] : undefined;
    if (scheme && !SCHEMES.has(scheme.toLowerCase())) return `a link of scheme ${scheme}:`;
    // GFM's extended autolinks: a bare URL or email address in text is a link (CommonMark's reference leaves it text).
    // (Not the text of a link: an autolink's own text is its URL.)
    // (Text nodes in a row read together: an escape, `foo\+@bar.example.com`, is a node of its own.)
    let run = '';
    for (let text: CommonmarkNode | null = node; text?.type === 'text'; text = text.next) run += text.literal;
    if (node.parent?.type !== 'link' && /(?<![a-z])https?:\/\/[\w-]|(?:^|[\s*_~(])www\.[\w-]|[\w.+-]@[\w-]+\.[\w-]/i.test(run)) return 'a bare URL or address (a GFM autolink)';
  }
  return undefined;
}

/**
 * The body our renderer built, without what it adds around the standard elements: the code-block
 * header (the `pre` stays, without its `tabindex`, `role` and `aria-label`: a scroller a group named
 * by its language), the table scroller, and the `rel` and `target` of links.
 */
export function withoutOurUi(root: HTMLElement): DocumentFragment {
  const fragment = document.createDocumentFragment();
  // The blocks, out of the renderer's groups (div.group: layout containment, not Markdown).
  fragment.append(...[...root.cloneNode(true).childNodes].flatMap((group) => [...group.childNodes]));
  for (const header of fragment.querySelectorAll('[part~="code-header"]')) header.remove();
  for (const wrapper of fragment.querySelectorAll('[part~="code-block"], [part~="table-wrap"]')) {
    wrapper.replaceWith(...wrapper.childNodes);
  }
  for (const pre of fragment.querySelectorAll('pre')) for (const name of ['tabindex', 'role', 'aria-label']) pre.removeAttribute(name);
  for (const link of fragment.querySelectorAll('a')) {
    link.removeAttribute('rel');
    link.removeAttribute('target');
  }
  return fragment;
}

/** HTML as the browser parses it, inert (a template's content runs nothing and loads nothing). */
export function parsedHtml(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

const BLOCKS = new Set([
  'P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'PRE', 'HR', 'DIV',
  'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD',
]);

/** A child as compared: an element, or the text of adjacent text nodes together. */
type Child = Element | string;

const isBlock = (child: Child | undefined) => child instanceof Element && BLOCKS.has(child.tagName);

/**
 * A tree as comparable text, one node a line, indented by depth: element names, attributes sorted
 * by name, text as JSON strings. How text is split into nodes does not show. The line breaks
 * commonmark.js writes between blocks are not content: whitespace-only text between blocks (or
 * between a block and its container's edge) is left out, and so are the line breaks where text
 * meets a block (`<li>foo\n<ul>`); a "\n" inside inline text stays. `href` and `src` are compared
 * percent-decoded: the same URL encoded more or less is the same link once the browser resolves it.
 */
export function comparable(tree: ParentNode): string {
  const lines: string[] = [];
  const visit = (parent: ParentNode, depth: number) => {
    const indent = '  '.repeat(depth);
    const preformatted = parent instanceof Element && (parent.tagName === 'PRE' || parent.tagName === 'CODE');
    const children = childrenOf(parent);
    children.forEach((child, index) => {
      if (child instanceof Element) {
        const attributes = [...child.attributes]
          .map(({ name, value }) => ` ${name}=${visible(name === 'href' || name === 'src' ? percentDecoded(value) : value)}`)
          .sort();
        lines.push(`${indent}${child.localName}${attributes.join('')}`);
        visit(child, depth + 1);
        return;
      }
      let text = child;
      if (!preformatted) {
        const before = children[index - 1];
        const after = children[index + 1];
        if (/^\s*$/.test(text) && (before === undefined || isBlock(before)) && (after === undefined || isBlock(after))) return;
        if (isBlock(before)) text = text.replace(/^\n+/, '');
        if (isBlock(after)) text = text.replace(/\n+$/, '');
      }
      if (text) lines.push(`${indent}${visible(text)}`);
    });
  };
  visit(tree, 0);
  return lines.join('\n');
}

function childrenOf(parent: ParentNode): Child[] {
  const children: Child[] = [];
  for (const node of parent.childNodes) {
    if (node instanceof Element) children.push(node);
    else if (node instanceof CharacterData) {
      // A comment (raw HTML in the reference) counts as its markup, the way our renderer shows it.
      const text = node instanceof Comment ? `<!--${node.data}-->` : node.data;
      const last = children.at(-1);
      if (typeof last === 'string') children[children.length - 1] = last + text;
      else children.push(text);
    }
  }
  return children;
}

/** Text as a JSON string, with characters that do not show (a no-break space, say) escaped too. */
function visible(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u00a0\u00ad\u2000-\u200f\u2028-\u202f\u205f-\u206f\ufeff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A URL with every valid UTF-8 percent-escape decoded; invalid ones stay as they are. */
function percentDecoded(url: string): string {
  return url.replace(/(?:%[0-9a-f]{2})+/gi, (escapes) => {
    try {
      return decodeURIComponent(escapes);
    } catch {
      return escapes;
    }
  });
}
