/**
 * README.md's code samples work when copied. The plain-HTML ones (```html) and the ones that import
 * `stream-chat-element` run as written in a page of their own (an iframe), with the CDN script and
 * the package swapped for this repository's build and sources and the endpoint for a local mock; the
 * headless ones (importing `stream-chat-element/core`) run as modules here. The framework samples
 * (React, Vue, Svelte, Angular, Preact, Solid, Astro; test/hosts/ covers React and Vue through the
 * same bindings) are checked for names they use but never define or import, and for imports the
 * package does not export; the Astro one for `<ClientRouter />` runs its script in a page that a
 * navigation keeping the element (`transition:persist`) loads again.
 */
import { expect, waitUntil } from '@open-wc/testing';
import * as core from '../src/core.js';
import { DEFAULT_LABELS } from '../src/element/labels.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import * as index from '../src/index.js';
import { anthropicReply, mockEndpoint, responsesReply, slowReply, streamingReply, type MockResponse } from './helpers/server.js';

/** One fenced code block of the README. */
interface Sample {
  lang: string;
  code: string;
  /** The heading it sits under. */
  section: string;
  /** Its opening fence's line number. */
  line: number;
}

function samplesOf(markdown: string): Sample[] {
  const lines = markdown.split('\n');
  const samples: Sample[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence) {
      const start = i + 1;
      const body: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++) body.push(lines[i] ?? '');
      samples.push({ lang: fence[1] ?? '', code: body.join('\n'), section, line: start });
    } else if (/^#{1,6} /.test(line)) {
      section = line.replace(/^#+ /, '');
    }
  }
  return samples;
}

const readme = await (await fetch('/README.md')).text();
const samples = samplesOf(readme);
const title = (sample: Sample) => `README.md:${sample.line} (${sample.section}, ${sample.lang})`;

const CDN_SCRIPT = 'https://cdn.jsdelivr.net/npm/stream-chat-element/dist/stream-chat.js';
/** The answer every sample's endpoint streams. */
const ANSWER = ['Hel', 'lo'];

/**
 * The sample as it runs here: the CDN build is dist/stream-chat.js (`npm run build`), the package's
 * modules are src/ (the test server transpiles them), and every endpoint is `endpoint`.
 */
function localized(code: string, endpoint: string): string {
  return code
    .replaceAll(CDN_SCRIPT, '/dist/stream-chat.js')
    .replace(/(['"])stream-chat-element\/core\1/g, `'${new URL('/src/core.ts', location.href).href}'`)
    .replace(/(['"])stream-chat-element\1/g, `'${new URL('/src/index.ts', location.href).href}'`)
    .replace(/(\bendpoint\s*[=:]\s*)(['"])[^'"]*\2/g, `$1$2${endpoint}$2`);
}

/** The answer a sample's endpoint streams, in the wire format its `protocol` names. */
function replyFor(sample: Sample): MockResponse {
  const protocol = /\bprotocol(?:="|:\s*')([\w-]+)/.exec(sample.code)?.[1];
  return protocol === 'anthropic' ? anthropicReply(ANSWER) : protocol === 'openai-responses' ? responsesReply(ANSWER) : streamingReply(ANSWER);
}

const importsElement = (sample: Sample) => /from\s+'stream-chat-element'|import\s+'stream-chat-element'/.test(sample.code);
const importsCore = (sample: Sample) => /from\s+'stream-chat-element\/core'/.test(sample.code);

/** A sample that is a page, or a script of one: the plain-HTML samples and the JS ones that import the element. */
const pageSamples = samples.filter((s) => s.lang === 'html' || (s.lang === 'js' && importsElement(s)));
/** The JS samples of the headless core. */
const headlessSamples = samples.filter((s) => s.lang === 'js' && importsCore(s) && !importsElement(s));

/**
 * Recorded in the sample's page before its own scripts run: what it throws (its event listeners'
 * errors too), scripts that fail to load, and promise rejections nobody handled.
 */
const problemRecorder = `<script>
  window.sampleProblems = [];
  addEventListener('error', (e) => sampleProblems.push(e.target === window ? String(e.error ?? e.message) : 'failed to load ' + (e.target.src ?? e.target.href)), true);
  addEventListener('unhandledrejection', (e) => sampleProblems.push('unhandled rejection: ' + String(e.reason)));
</script>`;

type SampleWindow = Window & typeof globalThis & { sampleProblems: string[] };

async function openPage(html: string): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html>${problemRecorder}\n${html}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  // A document's load event waits for its module scripts (and what they import) to have run.
  await loaded;
  return frame;
}

/** Lets an error reported after the last await (a rejection is reported from a task) be recorded. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('README.md samples', () => {
  it('documents every key of labels with its default', () => {
    for (const [key, text] of Object.entries(DEFAULT_LABELS)) {
      const row = new RegExp(`\\| \`${key}\` \\| ${text.replace(/[()./]/g, '\\$&')}[ |]`);
      expect(row.test(readme), `README's labels table: | \`${key}\` | ${text}`).to.equal(true);
    }
  });

  it('no sample, nor demo page, writes a live region on every chunk: a screen reader would read it out hundreds of times an answer', async () => {
    const pages = ['demo/plain/index.html', 'demo/react/main.tsx', 'demo/vue/main.ts'];
    const sources = [...samples.map((sample) => [`README.md:${sample.line}`, sample.code]), ...(await Promise.all(pages.map(async (page) => [page, await (await fetch(`/${page}`)).text()])))];
    const chunky = sources.filter(([, code]) => /chunk/i.test(code!));
    expect(chunky.length, 'samples and pages with a chunk listener').to.be.at.least(6);
    for (const [where, code] of chunky) expect(code, where).to.not.match(/role="(?:status|log|alert)"|aria-live="(?:polite|assertive)"/);
  });

  /** The Solid samples: the component (it imports solid-js) and the tag's declarations. */
  const solidSamples = samples.filter((s) => /from 'solid-js'|declare module '(?:solid-js|@solidjs\/web)'/.test(s.code));

  it('the Solid samples use no namespace Solid 2 removed: its compiler refuses `on:done`', () => {
    expect(solidSamples.length, 'Solid samples').to.be.at.least(2);
    for (const sample of solidSamples) expect(sample.code, title(sample)).to.not.match(/['\s](?:on|oncapture|attr|bool|use):[\w-]+/);
  });

  it('Solid 1.9 and Solid 2 each have a declaration that imports the module it adds to and types every listener the Solid sample sets', () => {
    const tag = solidSamples.map((s) => /<stream-chat\b[\s\S]*?\n\s*\/>/.exec(s.code)?.[0]).find(Boolean) ?? '';
    const listeners = [...tag.matchAll(/\s(on[A-Z][\w-]*)=/g)].map(([, name]) => name!);
    expect(listeners, 'listeners of the sample’s <stream-chat>').to.not.be.empty;
    // Solid 2's JSX is @solidjs/web's, 1.9's solid-js's.
    for (const module of ['solid-js', '@solidjs/web']) {
      const declaration = solidSamples.find((s) => s.code.includes(`declare module '${module}'`));
      expect(declaration, `a declaration in '${module}'`).to.exist;
      // Only an import puts a module in tsc's program: one no other file imports (a component
      // that imports only solid-js) is, for the declaration, not found (TS2664).
      expect(declaration!.code, `${title(declaration!)} imports the module it adds to`).to.include(`import type {} from '${module}';`);
      const undeclared = listeners.filter((name) => !new RegExp(`['\\s]${name}'?\\?:`).test(declaration!.code));
      expect(undeclared, `listeners ${title(declaration!)} does not type`).to.deep.equal([]);
    }
  });

  it('the Astro sample for <ClientRouter /> keeps a transition:persist element, its answer and its conversation, across a navigation', async () => {
    const sample = samples.find((s) => s.lang === 'astro' && s.code.includes('astro:page-load'));
    expect(sample, 'an Astro sample that works on astro:page-load').to.exist;
    const script = /<script>([\s\S]*?)<\/script>/.exec(sample!.code)?.[1] ?? '';
    const endpoint = await mockEndpoint(slowReply('Hel', 'navigated'));
    // What Astro renders: the page's data as JSON in an attribute.
    const greeting = [{ role: 'assistant', content: 'Hi' }];
    const element = `<stream-chat endpoint="${endpoint.url}" data-messages='${JSON.stringify(greeting)}' data-astro-transition-persist="chat"></stream-chat>`;
    const frame = await openPage(`${element}
<script type="module">${localized(script, endpoint.url)}</script>`);
    try {
      const page = frame.contentWindow as SampleWindow;
      const kept: string[] = [];
      const { fetch } = page;
      page.fetch = (input, init) => (String(input).endsWith('/api/history') ? (kept.push(String(init?.body)), Promise.resolve(new Response(null, { status: 204 }))) : fetch(input, init));
      const pageLoad = () => page.document.dispatchEvent(new page.Event('astro:page-load'));
      pageLoad();
      const chat = page.document.querySelector('stream-chat') as StreamChatElement;
      expect(chat.messages, 'the greeting set on the first page').to.deep.equal(greeting);
      let streamed = '';
      chat.addEventListener('chunk', (e) => (streamed = e.detail.content));
      const answer = chat.send('hi');
      await waitUntil(() => streamed === 'Hel', 'the answer streams');
      // A navigation to a page with the element marked transition:persist, as Astro's swap does it:
      // the new page's body replaces the old one, then the kept element replaces the new page's own.
      const body = page.document.createElement('body');
      body.innerHTML = `<h1>Another page</h1>${element}`;
      page.document.body.replaceWith(body);
      body.querySelector('stream-chat')!.replaceWith(chat);
      pageLoad();
      expect(page.document.querySelector('stream-chat'), 'the kept element, in the new body').to.equal(chat);
      await endpoint.release('navigated');
      const detail = await answer;
      expect(detail.aborted, 'the answer stopped by the navigation').to.equal(false);
      expect(chat.messages.map((m) => m.content)).to.deep.equal(['Hi', 'hi', 'Hel and the rest']);
      await nextTask();
      expect(kept.length, 'the conversation sent back once per done').to.equal(1);
      expect(page.sampleProblems, 'errors in the sample’s page').to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });

  it('has plain-HTML and headless samples to run', () => {
    expect(samples.filter((s) => s.lang === 'html'), 'html samples').to.not.be.empty;
    // Conversation and streamChat.
    expect(headlessSamples.length, 'headless samples').to.be.at.least(2);
  });

  for (const sample of pageSamples) {
    it(`${title(sample)} runs as written and streams an answer`, async () => {
      const endpoint = await mockEndpoint(replyFor(sample));
      const code = localized(sample.code, endpoint.url);
      const frame = await openPage(sample.lang === 'html' ? code : `<script type="module">\n${code}\n</script>`);
      try {
        const page = frame.contentWindow as SampleWindow;
        const problems = () => page.sampleProblems;
        const chat = page.document.querySelector('stream-chat');
        expect(chat, `the sample shows a <stream-chat>; problems: ${problems().join('; ')}`).to.exist;
        const defined = page.customElements.get('stream-chat');
        expect(defined && chat instanceof defined, 'the element is upgraded').to.equal(true);
        const element = chat as StreamChatElement;

        // A message the sample sends itself ends first.
        await waitUntil(() => !element.streaming, 'the sample’s own message ends');
        const detail = await element.send('hi');
        expect(detail.content).to.equal(ANSWER.join(''));
        const answers = element.shadowRoot!.querySelectorAll('[part~="assistant"]');
        expect(answers[answers.length - 1]?.textContent).to.equal(ANSWER.join(''));
        expect((await endpoint.requests()).length, 'requests to the sample’s endpoint').to.be.at.least(1);

        await nextTask();
        expect(problems(), 'errors in the sample’s page').to.deep.equal([]);
      } finally {
        frame.remove();
        // The samples that save the conversation do it in this origin's storage.
        localStorage.clear();
      }
    });
  }

  for (const sample of headlessSamples) {
    it(`${title(sample)} runs as written and logs the answer`, async () => {
      const endpoint = await mockEndpoint(replyFor(sample));
      const module = URL.createObjectURL(new Blob([localized(sample.code, endpoint.url)], { type: 'text/javascript' }));
      const logged: string[] = [];
      // The Node samples read their key from the environment, as Node has it.
      const shimmed = !('process' in globalThis);
      if (shimmed) Object.assign(globalThis, { process: { env: {} } });
      const { log } = console;
      console.log = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
      try {
        // Resolves once the module has run to its end, top-level awaits included.
        await import(module);
      } finally {
        console.log = log;
        if (shimmed) delete (globalThis as { process?: unknown }).process;
        URL.revokeObjectURL(module);
      }
      expect(logged, 'what the sample logged').to.include(ANSWER.join(''));
      expect((await endpoint.requests()).length, 'requests to the sample’s endpoint').to.equal(1);
      await nextTask();
    });
  }

  /** Names README samples have used without defining: each must be declared or imported where it is used. */
  const mustBeDefined = [
    'save',
    'report',
    'runTools',
    'askForKey',
    'setLength',
    'sessionId',
    'history',
    'counter',
    'status',
    'chat',
    'useRef',
    'useState',
    'HTMLAttributes',
  ];
  /** Names a declaration may use unimported, merged in from the namespace it adds to. */
  const mergedIn: Record<string, RegExp> = {
    // Solid's JSX has its own (1.9's in solid-js, 2's in @solidjs/web); Preact 11's has none (10's
    // had), so its declaration imports it from 'preact'.
    HTMLAttributes: /declare module '(?:solid-js|@solidjs\/web)'/,
  };

  for (const sample of samples.filter((s) => ['html', 'js', 'ts', 'tsx', 'vue', 'svelte', 'astro'].includes(s.lang))) {
    it(`${title(sample)} defines or imports every name it uses`, () => {
      const undefinedNames = mustBeDefined.filter((name) => uses(sample.code, name) && !defines(sample.code, name) && !mergedIn[name]?.test(sample.code));
      expect(undefinedNames).to.deep.equal([]);
    });

    it(`${title(sample)} imports only what the package exports`, () => {
      const missing = importsOf(sample.code).filter(({ from, name, type }) => {
        if (removed.includes(name)) return true;
        if (name === 'StreamChat') return from !== 'stream-chat-element/react';
        // Types are gone at run time, and the React wrapper needs React: the rest is checked by value.
        const entry = from === 'stream-chat-element' ? index : from === 'stream-chat-element/core' ? core : undefined;
        return !type && entry !== undefined && !(name in entry);
      });
      expect(missing.map(({ from, name }) => `${name} from ${from}`)).to.deep.equal([]);
    });
  }
});

/** Exports the package no longer has. */
const removed = ['Accumulator', 'streamChatCompletion', 'createChunkParser', 'buildChatRequest', 'StreamBuffer', 'parseRetryAfter', 'ChatStreamOptions'];

function uses(code: string, name: string): boolean {
  // Not a property (`.name`), an object key (`name:`), or part of a string, tag or path (`'name'`, `x-name`, `/name/`).
  return new RegExp(String.raw`(?<![\w$.'"/-])${name}\b(?![\w$'"/-]|\s*:)`).test(code);
}

function defines(code: string, name: string): boolean {
  const declared = String.raw`\b(?:const|let|var|function|class)\s+(?:${name}\b|[{[][^=]*\b${name}\b[^=]*=)`;
  const imported = String.raw`\bimport\s+(?:type\s+)?(?:${name}\b|\{[^}]*\b${name}\b[^}]*\})`;
  // A class's method or field with its modifier (the Angular sample's component), on a line of its own.
  const member = String.raw`^\s*(?:(?:public|protected|private|readonly|static)\s+)+${name}\s*[(:=]`;
  return new RegExp(`${declared}|${imported}|${member}`, 'm').test(code);
}

/** The named imports from the package's entries: `import { a, type B } from 'stream-chat-element/…'`. */
function importsOf(code: string): { from: string; name: string; type: boolean }[] {
  const found: { from: string; name: string; type: boolean }[] = [];
  for (const [, typeOnly, names, from] of code.matchAll(/\bimport\s+(type\s+)?\{([^}]*)\}\s*from\s*'(stream-chat-element[^']*)'/g)) {
    for (const specifier of (names ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const [, typeMark, name] = /^(type\s+)?([\w$]+)/.exec(specifier) ?? [];
      if (name && from) found.push({ from, name, type: Boolean(typeOnly || typeMark) });
    }
  }
  return found;
}
