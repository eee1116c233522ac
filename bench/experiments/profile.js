#!/usr/bin/env node
/**
 * Where does a variant's main-thread time go? Streams one case into one page under the V8 CPU
 * profiler and a DevTools timeline trace, and prints self time by function and by trace event.
 *
 *   node bench/experiments/profile.js [--page stream-chat|floor|tutorial|marked] [--bundle unminified]
 *                                     [--n 20000] [--mode full] [--rate 200] [--charset ascii]
 *                                     [--content text|markdown] [--format text|markdown] [--history 0] [--stats]
 */
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { chromiumLaunchOptions } from '../../test/chromium.js';
import { startServer } from '../server.js';
import { makeHistory } from '../text.js';

const { values: o } = parseArgs({
  options: {
    page: { type: 'string', default: 'stream-chat' },
    bundle: { type: 'string', default: '' },
    n: { type: 'string', default: '20000' },
    mode: { type: 'string', default: 'full' },
    rate: { type: 'string', default: '200' },
    content: { type: 'string', default: 'text' },
    format: { type: 'string', default: '' },
    charset: { type: 'string', default: 'ascii' },
    history: { type: 'string', default: '0' },
    top: { type: 'string', default: '25' },
    stats: { type: 'boolean', default: false },
  },
});

const server = await startServer();
const browser = await puppeteer.launch({
  ...chromiumLaunchOptions,
  defaultViewport: { width: 1280, height: 800 },
});
try {
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  const query = new URLSearchParams({ ...(o.bundle ? { bundle: o.bundle } : {}), ...(o.format ? { format: o.format } : {}), ...(o.stats ? { stats: '' } : {}) });
  await page.goto(`${server.origin}/pages/${o.page}.html${query.size ? `?${query}` : ''}`);
  await page.waitForFunction('window.ready === true');
  await page.evaluate((messages) => window.bench.prepare({ messages }), Number(o.history) ? makeHistory(Number(o.history)) : null);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  const url = `/sse?n=${o.n}&mode=${o.mode}&rate=${o.rate}&charset=${o.charset}&content=${o.content}&seed=1`;
  const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' };
  await page.tracing.start({ categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8'] });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await page.evaluate((p) => window.bench.run(p), { url, init });
  const { profile } = await cdp.send('Profiler.stop');
  const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString());
  console.log(`${o.page}${o.bundle ? ` (${o.bundle})` : ''}: ${Date.now() - t0} ms wall`);

  // CPU profile: self time per function (samples × interval).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\nCPU profile self time (ms), total ${total.toFixed(0)}:`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(o.top))) console.log(`${v.toFixed(1).padStart(8)}  ${k}`);

  // Trace: main-thread (CrRendererMain) complete events, self time by name.
  const main = trace.traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && trace.traceEvents.some((x) => x.pid === e.pid && x.name === 'FunctionCall'));
  const events = trace.traceEvents.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const stack = [];
  const selfByName = new Map();
  for (const e of events) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) parent.self -= e.dur;
    e.self = e.dur;
    stack.push(e);
  }
  for (const e of events) selfByName.set(e.name, (selfByName.get(e.name) ?? 0) + e.self / 1000);
  const tasks = events.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  console.log(`\nTrace, main thread: ${tasks.length} tasks, ${tasks.reduce((a, e) => a + e.dur, 0) / 1000 | 0} ms; longest ${Math.max(...tasks.map((e) => e.dur)) / 1000} ms`);
  for (const [k, v] of [...selfByName].sort((a, b) => b[1] - a[1]).slice(0, Number(o.top))) console.log(`${v.toFixed(1).padStart(8)}  ${k}`);
  const counts = new Map();
  for (const e of events) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  console.log('\ncounts:', ['FunctionCall', 'EventDispatch', 'Layout', 'UpdateLayoutTree', 'Paint', 'FireAnimationFrame', 'ParseHTML', 'v8.run'].map((n) => `${n} ${counts.get(n) ?? 0}`).join(', '));
  const timers = events.filter((e) => e.name === 'TimerFire');
  console.log(`TimerFire: ${timers.length} events, ${(timers.reduce((a, e) => a + e.dur, 0) / 1000).toFixed(1)} ms in all (with what they ran)`);
  const layouts = events.filter((e) => e.name === 'Layout');
  const dirty = layouts.map((e) => e.args?.beginData?.dirtyObjects ?? 0).sort((a, b) => a - b);
  const totalObjects = layouts.map((e) => e.args?.beginData?.totalObjects ?? 0).sort((a, b) => a - b);
  console.log(`Layout events: ${layouts.length}; dirty objects median ${dirty[dirty.length >> 1]}, max ${dirty.at(-1)}; total objects median ${totalObjects[totalObjects.length >> 1]}; median duration ${(layouts.map((e) => e.dur).sort((a, b) => a - b)[layouts.length >> 1] / 1000).toFixed(2)} ms`);
  const long = tasks.filter((e) => e.dur > 50000);
  for (const t of long) {
    const inner = events.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t);
    const agg = new Map();
    for (const e of inner) agg.set(e.name, (agg.get(e.name) ?? 0) + e.self / 1000);
    console.log(`long task ${(t.dur / 1000).toFixed(1)} ms:`, [...agg].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '));
    // The task's outline: events nested up to 3 deep, 2 ms or longer.
    const outline = (parent, depth) => {
      const children = inner.filter((e) => e.ts >= parent.ts && e.ts + e.dur <= parent.ts + parent.dur && e !== parent && !inner.some((m) => m !== parent && m !== e && m.ts <= e.ts && m.ts + m.dur >= e.ts + e.dur && m.ts >= parent.ts && m.ts + m.dur <= parent.ts + parent.dur && m.dur > e.dur));
      for (const c of children) {
        if (c.dur < 2000) continue;
        const detail = c.args?.data?.functionName || c.args?.data?.url?.split('/').pop() || c.args?.data?.type || '';
        console.log(`${'  '.repeat(depth)}${(c.dur / 1000).toFixed(1).padStart(6)} ${c.name} ${detail}`);
        if (depth < 4) outline(c, depth + 1);
      }
    };
    outline(t, 1);
    // JS self time inside this task, from the CPU profile (same clock as the trace).
    const within = new Map();
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      at += deltas[i] ?? 0;
      if (at < t.ts || at > t.ts + t.dur) return;
      const f = byId.get(id).callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
      within.set(key, (within.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
    });
    console.log('    JS:', [...within].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '));
  }
} finally {
  await browser.close();
  await server.close();
}
