#!/usr/bin/env node
/** How does Chromium hand a response body to the page? Read count and sizes per case. */
import puppeteer from 'puppeteer-core';
import { chromiumLaunchOptions } from '../../test/chromium.js';
import { startServer } from '../server.js';

const server = await startServer();
const browser = await puppeteer.launch({
  ...chromiumLaunchOptions,
});
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/pages/floor.html`);
  for (const q of ['n=2000&mode=full', 'n=20000&mode=full', 'n=100000&mode=full', 'n=300&mode=paced', 'n=1000&mode=cuts&charset=mixed']) {
    const r = await page.evaluate(async (url) => {
      const sizes = [];
      const res = await fetch(url, { method: 'POST', body: '{}' });
      const reader = res.body.getReader();
      const t0 = performance.now();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        sizes.push(value.length);
      }
      const sorted = [...sizes].sort((a, b) => a - b);
      return { ms: performance.now() - t0, reads: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0), min: sorted[0], median: sorted[sorted.length >> 1], max: sorted.at(-1) };
    }, `/sse?${q}`);
    console.log(q.padEnd(32), JSON.stringify(r));
  }
} finally {
  await browser.close();
  await server.close();
}
