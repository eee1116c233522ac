#!/usr/bin/env node
/**
 * The Markdown renderer alone, this tree's against one commit's or more, in one run: each side
 * bundled from its src/element/renderers/ and long-runs.ts (a commit's read with git show; one before
 * long-runs.ts has none), each run in a fresh
 * page, the sides alternating; medians of the page's main-thread CPU time (CDP's TaskDuration in
 * thread ticks, as bench/run.js measures: on a shared machine it moves much less than wall time).
 *
 *   node bench/experiments/markdown-renderer.js [--baseline ab43aa5[,HEAD…]] [--reps 7] [--only hostile,document]
 *
 * Cases: `hostile`, the test's "80k open brackets and links" streamed in pieces of 1 KB; `document`,
 * a Markdown answer of 70 KB (bench/markdown.js) rendered whole 20 times; `paragraph`, `item`,
 * `loose`, `quote`, `task`, `after` and `opener`, one paragraph of 40 KB (bench/markdown.js's
 * md-paragraph, a line break now and then) streamed in pieces of 130 characters: alone, in a tight
 * list item, in a loose one (a list's second item after a blank line), in a blockquote (its lines
 * indented under the marker), in a task item, in a tight item after a code block, and after an
 * emphasis opener that never closes (`An *aside `); `answer`, md-steady's answer (bench/markdown.js,
 * 20k tokens, about 78 KB) streamed in pieces of 130 characters, as it arrives a frame at a time;
 * `delimiters`, `a*b` 40k times (one word of 120 KB) streamed in pieces of 128; `umlauts`,
 * `underscores`, `cjk` and `singles` the same of `ä*b`, `é_x`, `中*文` and `a*`; `lone`, `mixed`,
 * `triples` and `strong` the same of 40 KB of words that settle nowhere: `_é`, `a*_`, `*a**`, and
 * `a*` after `**`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { chromiumLaunchOptions } from '../../test/chromium.js';
import { makeMarkdownTokens, makeParagraphTokens } from '../markdown.js';

const { values: o } = parseArgs({
  options: {
    baseline: { type: 'string', default: 'ab43aa5' },
    reps: { type: 'string', default: '7' },
    only: { type: 'string', default: 'hostile,document' },
  },
});

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'bench/results/experiments/renderer');
const FILES = ['renderers/markdown.ts', 'renderers/markdown-inline.ts', 'long-runs.ts'];

/** The renderer bundled as a script that sets `window.renderer`, from `read(file)` of each of FILES (under src/element/). */
async function bundle(name, read) {
  const dir = join(out, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'renderers'), { recursive: true });
  for (const f of FILES) {
    let text;
    try {
      text = read(f);
    } catch {
      continue;
    }
    await writeFile(join(dir, f), text);
  }
  const entry = join(dir, 'entry.ts');
  await writeFile(entry, "import { markdownRenderer } from './renderers/markdown.js';\n(window as any).renderer = markdownRenderer;\n");
  const r = await build({ entryPoints: [entry], bundle: true, format: 'iife', minify: true, write: false, target: 'es2022' });
  return r.outputFiles[0].text;
}

const sides = {};
for (const commit of o.baseline.split(',')) {
  sides[commit] = await bundle(commit, (f) => execFileSync('git', ['show', `${commit}:src/element/${f}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}
sides['this tree'] = await bundle('tree', (f) => readFileSync(join(root, 'src/element', f), 'utf8'));

const doc = makeMarkdownTokens(18_000).join('');
const paragraph = makeParagraphTokens(8000).join('');
/** The paragraph after `head`, its lines after the first indented by `indent`, in pieces of 130 characters. */
const open = (head, indent) => ({
  text: head + paragraph.replaceAll('\n', '\n' + indent),
  run: (text) => {
    const body = window.renderer.stream();
    for (let at = 0; at < text.length; at += 130) body.appendData(text.slice(at, at + 130));
    body.end();
    return body.root.textContent.length;
  },
});
/** One word of `unit` repeated to `n` characters (120 KB) after `head`, streamed in pieces of 128 characters. */
const word = (unit, n = 120_000, head = '') => ({
  text: head + unit.repeat(n / unit.length),
  run: (text) => {
    const body = window.renderer.stream();
    for (let at = 0; at < text.length; at += 128) body.appendData(text.slice(at, at + 128));
    body.end();
    return body.root.textContent.length;
  },
});
const cases = {
  hostile: {
    text: '['.repeat(80_000) + '[a](b) '.repeat(11_000),
    run: (text) => {
      const body = window.renderer.stream();
      for (let at = 0; at < text.length; at += 1024) body.appendData(text.slice(at, at + 1024));
      body.end();
      return body.root.textContent.length;
    },
  },
  document: {
    text: doc,
    run: (text) => {
      let n = 0;
      for (let i = 0; i < 20; i++) n += window.renderer.render(text).textContent.length;
      return n;
    },
  },
  answer: {
    text: makeMarkdownTokens(20_000).join(''),
    run: (text) => {
      const body = window.renderer.stream();
      for (let at = 0; at < text.length; at += 130) body.appendData(text.slice(at, at + 130));
      body.end();
      return body.root.textContent.length;
    },
  },
  // One word of 120 KB of emphasis closing and opening, `a*ba*b…`, in pieces of 128 characters; and
  // so of letters not ASCII, of `_` in a word (no emphasis), of CJK, of runs of one letter.
  delimiters: word('a*b'),
  umlauts: word('ä*b'),
  underscores: word('é_x'),
  cjk: word('中*文'),
  singles: word('a*'),
  // And 40 KB of one that settles nowhere, an opener at its start left unmatched: `_é_é…`, `a*_a*_…`,
  // `*a***a**…` (each run opens what the next closes), `**a*a*…`.
  lone: word('_é', 40_000),
  mixed: word('a*_', 39_999),
  triples: word('*a**', 40_000),
  strong: word('a*', 40_000, '**'),
  paragraph: open('', ''),
  item: open('- ', '  '),
  loose: open('- First.\n\n- ', '  '),
  quote: open('> ', '> '),
  task: open('- [ ] ', '  '),
  after: open('- Intro:\n  ```\n  code\n  ```\n  ', '  '),
  opener: open('An *aside ', ''),
};

const browser = await puppeteer.launch(chromiumLaunchOptions);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
try {
  for (const name of o.only.split(',')) {
    const c = cases[name];
    const times = Object.fromEntries(Object.keys(sides).map((s) => [s, []]));
    const lengths = new Set();
    // A warm-up round, discarded, then the sides alternating.
    for (let rep = -1; rep < Number(o.reps); rep++) {
      for (const [side, script] of rep % 2 ? Object.entries(sides) : Object.entries(sides).reverse()) {
        const page = await browser.newPage();
        const cdp = await page.createCDPSession();
        await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
        // An http(s) page, as the element's and the tests' are: on about:blank a relative link is none,
        // and the hostile case's 11k links would be text (joined into one Text node a piece at a time).
        await page.setContent('<base href="http://x.test/">');
        await page.addScriptTag({ content: script });
        await page.evaluate((text) => void (window.text = text), c.text);
        const task = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
        const t0 = await task();
        const length = await page.evaluate((run) => (0, eval)(`(${run})`)(window.text), c.run.toString());
        const ms = ((await task()) - t0) * 1000;
        await page.close();
        lengths.add(length);
        if (rep >= 0) times[side].push(ms);
      }
    }
    // (Every side renders the same text: a difference would be a change of behaviour.)
    if (lengths.size > 1) console.log(`${name}: the sides' text differs (${[...lengths].join(' / ')} characters)`);
    const tree = median(times['this tree']);
    const line = ([s, xs]) => `${s} ${median(xs).toFixed(0)} ms [${xs.map((x) => x.toFixed(0)).join(' ')}]`;
    const against = ([s, xs]) => `${((tree / median(xs) - 1) * 100).toFixed(1)}% against ${s}`;
    const bases = Object.entries(times).slice(0, -1);
    console.log(`${name}: ${Object.entries(times).map(line).join(', ')}; this tree ${bases.map(against).join(', ')}`);
  }
} finally {
  await browser.close();
}
