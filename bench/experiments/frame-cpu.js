#!/usr/bin/env node
/**
 * Per-frame main-thread CPU over an answer, from a DevTools trace: streams one case into one page
 * and prints, for each tenth of the run (by time), the thread time per animation frame of the rAF
 * callbacks, layout, style, paint and all tasks. The trace's thread time (`tdur`) is CPU time, which
 * the in-page per-frame update cost of bench/run.js (wall time) cannot give; tracing slows the page,
 * so this is for trends, not for the report's totals.
 *
 *   node bench/experiments/frame-cpu.js [--page stream-chat|marked|floor] [--format markdown|text]
 *                                       [--content markdown|text] [--n 20000] [--mode paced] [--rate 2000]
 */
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { chromiumLaunchOptions } from '../../test/chromium.js';
import { startServer } from '../server.js';

const { values: o } = parseArgs({
  options: {
    page: { type: 'string', default: 'stream-chat' },
    format: { type: 'string', default: '' },
    content: { type: 'string', default: 'markdown' },
    n: { type: 'string', default: '20000' },
    mode: { type: 'string', default: 'paced' },
    rate: { type: 'string', default: '2000' },
  },
});

const NAMES = ['FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'Paint', 'RunTask'];
const server = await startServer();
const browser = await puppeteer.launch({ ...chromiumLaunchOptions, defaultViewport: { width: 1280, height: 800 } });
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/pages/${o.page}.html${o.format ? `?format=${o.format}` : ''}`);
  await page.waitForFunction('window.ready === true');
  await page.evaluate(() => window.bench.prepare({ messages: null }));
  await page.tracing.start({ categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const url = `/sse?n=${o.n}&mode=${o.mode}&rate=${o.rate}&content=${o.content}&seed=1`;
  await page.evaluate((p) => window.bench.run(p), { url, init: { method: 'POST', body: '{}' } });
  const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString());
  const main = trace.traceEvents.find(
    (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && trace.traceEvents.some((x) => x.pid === e.pid && x.name === 'FireAnimationFrame'),
  );
  const events = trace.traceEvents.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
  // A frame is the task that runs its rAF callbacks (one FireAnimationFrame per callback).
  const tasks = events.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts);
  const callbacks = events.filter((e) => e.name === 'FireAnimationFrame').sort((a, b) => a.ts - b.ts);
  const frames = [];
  let t = 0;
  for (const c of callbacks) {
    while (t < tasks.length && tasks[t].ts + tasks[t].dur < c.ts) t++;
    if (t < tasks.length && tasks[t].ts <= c.ts && frames.at(-1) !== tasks[t]) frames.push(tasks[t]);
  }
  const t0 = frames[0].ts;
  const span = frames.at(-1).ts - t0 + 1;
  const tenth = (ts) => Math.min(9, Math.floor(((ts - t0) / span) * 10));
  const rows = Array.from({ length: 10 }, () => Object.fromEntries(NAMES.map((n) => [n, 0])));
  const count = Array(10).fill(0);
  for (const f of frames) count[tenth(f.ts)]++;
  for (const e of events) {
    if (NAMES.includes(e.name) && e.ts >= t0 && e.ts < t0 + span) rows[tenth(e.ts)][e.name] += (e.tdur ?? e.dur) / 1000;
  }
  console.log(`${o.page}${o.format ? ` (${o.format})` : ''}, ${o.n} tokens of ${o.content}, ${o.mode}${o.mode === 'paced' ? ` at ${o.rate}/s` : ''}: ${frames.length} frames`);
  console.log(`CPU ms per frame, by tenth of the run (frames bucketed by time)\ntenth  ${NAMES.join('  ')}`);
  rows.forEach((r, i) => console.log(`${String(i + 1).padStart(5)}  ${NAMES.map((n) => (r[n] / Math.max(1, count[i])).toFixed(2).padStart(n.length)).join('  ')}`));
  const total = (i) => rows[i].RunTask / Math.max(1, count[i]);
  console.log(`all tasks, last / first tenth: ${(total(9) / total(0)).toFixed(2)}`);
} finally {
  await browser.close();
  await server.close();
}
