/**
 * The benchmark's loopback server: the bench pages, the built bundle, eventsource-parser for the
 * floor page, and a seeded SSE endpoint that plays the same bytes to every variant.
 *
 * Routes:
 *   GET  /pages/*                         bench/pages/ (`/pages/stream-chat.html?bundle=<name>` loads
 *                                         bench/results/experiments/<name>.js instead of dist/stream-chat.js;
 *                                         /pages/experiments/* is bench/experiments/, for experimental pages)
 *   GET  /dist/*                          dist/
 *   GET  /node_modules/eventsource-parser/*, /node_modules/marked/*
 *   GET  /experiments/*                   bench/results/experiments/ (experimental bundles)
 *   GET  /clock                           { t } server time, for the page's clock offset
 *   GET  /payload?n=&charset=&seed=       the raw SSE bytes of a case (parser throughput)
 *   ANY  /sse?rid=&n=&charset=&seed=&content=text|markdown&protocol=&mode=full|paced|cuts&rate=
 *        content: `text` (text.js, the default), `markdown` (markdown.js: a Markdown answer), `table`, `list`, `nested`, `paragraph`, `words`, `bracket`, `code` or `run` (markdown.js: one long table, list, list item, paragraph, paragraph of plain words, the same after an unclosed `[`, code block, or run of letters with no space)
 *        protocol: the wire format, `openai-chat` (the default), `openai-responses` or `anthropic`
 *        full:  as fast as possible, seeded 4–16 KB writes (cut anywhere)
 *        paced: `rate` tokens/s, exactly one event per write
 *        cuts:  seeded cuts, half of them inside multi-byte characters, 1 ms pause after each write
 *   Each event's (or unit of events') `"t"` carries the server time of the write that sent it (epoch ms, like the page's
 *   `performance.timeOrigin + performance.now()`); the log of a request is kept under `rid`.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { makeCodeTokens, makeListTokens, makeMarkdownTokens, makeNestedTokens, makeParagraphTokens, makeRunTokens, makeTableTokens, makeWordsTokens } from './markdown.js';
import { buildStream, makeTokens, random, writeTime } from './text.js';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..');

const STATIC = [
  ['/pages/experiments/', join(here, 'experiments')],
  ['/pages/', join(here, 'pages')],
  ['/dist/', join(root, 'dist')],
  ['/node_modules/eventsource-parser/', join(root, 'node_modules/eventsource-parser')],
  // marked's browser build, for the re-parse-all page (pages/marked.html).
  ['/node_modules/marked/', join(root, 'node_modules/marked')],
  ['/experiments/', join(here, 'results/experiments')],
  // The seeded content generator, for pages that need its PRNG (plain ESM, no Node imports).
  ['/text.js', join(here, 'text.js')],
];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Server time on the same scale as a page's `performance.timeOrigin + performance.now()`. */
export const now = () => performance.timeOrigin + performance.now();

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export function startServer() {
  /** Plans by `n:charset:seed:content:protocol`: the token list and the SSE bytes built from it. */
  const plans = new Map();
  /** Per-request logs by `rid`: the time each event was written. */
  const logs = new Map();

  function plan({ n, charset, seed, content = 'text', protocol = 'openai-chat' }) {
    const key = `${n}:${charset}:${seed}:${content}:${protocol}`;
    let found = plans.get(key);
    if (!found) {
      const make = { markdown: makeMarkdownTokens, table: makeTableTokens, list: makeListTokens, nested: makeNestedTokens, paragraph: makeParagraphTokens, words: makeWordsTokens, bracket: (n, o) => makeWordsTokens(n, { ...o, bracket: true }), code: makeCodeTokens, run: makeRunTokens }[content];
      const tokens = make ? make(n, { seed }) : makeTokens(n, { seed, charset });
      found = { key, tokens, ...buildStream(tokens, protocol), busy: false };
      plans.set(key, found);
    }
    return found;
  }

  async function serveSse(req, res, params) {
    req.resume();
    const p = plan(params);
    // The bytes are patched in place (the t slots); a second concurrent request gets a copy.
    const bytes = p.busy ? Buffer.from(p.bytes) : p.bytes;
    const own = !p.busy;
    p.busy = true;
    const log = {
      rid: params.rid,
      mode: params.mode,
      received: now(),
      times: new Float64Array(p.slots.length),
      writes: 0,
      cutsInsideChar: 0,
      ended: 0,
      aborted: false,
    };
    if (params.rid) logs.set(params.rid, log);
    res.socket?.setNoDelay(true);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    res.flushHeaders();
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    let slot = 0;
    const write = async (start, end) => {
      const t = now();
      while (slot < p.slots.length && p.slots[slot] < end) {
        writeTime(bytes, p.slots[slot], t);
        log.times[slot++] = t;
      }
      log.writes++;
      if (!res.write(bytes.subarray(start, end)) && !closed) {
        await new Promise((resume) => {
          const go = () => {
            res.off('drain', go);
            res.off('close', go);
            resume();
          };
          res.on('drain', go);
          res.on('close', go);
        });
      }
    };
    try {
      if (params.mode === 'paced') {
        const interval = 1000 / params.rate;
        const first = now();
        // The role event, then one token every `interval` ms, each event its own write.
        for (let e = 0; e < p.starts.length && !closed; e++) {
          const due = first + Math.min(e, p.tokens.length) * interval;
          const wait = due - now();
          if (wait > 0.5) await sleep(wait);
          await write(p.starts[e], p.starts[e + 1] ?? bytes.length);
        }
      } else if (params.mode === 'cuts') {
        const rnd = random(params.seed ^ 0x5eed);
        for (let pos = 0; pos < bytes.length && !closed; ) {
          let end = Math.min(bytes.length, pos + 1 + Math.floor(rnd() * 240));
          if (rnd() < 0.5) {
            // Move the cut inside the next multi-byte character: before a continuation byte.
            let c = end;
            while (c < bytes.length && c - end < 4096 && (bytes[c] & 0xc0) !== 0x80) c++;
            if (c < bytes.length && (bytes[c] & 0xc0) === 0x80) end = c;
          }
          if (end < bytes.length && (bytes[end] & 0xc0) === 0x80) log.cutsInsideChar++;
          await write(pos, end);
          pos = end;
          await sleep(1);
        }
      } else {
        const rnd = random(params.seed ^ 0xf00d);
        for (let pos = 0; pos < bytes.length && !closed; ) {
          const end = Math.min(bytes.length, pos + 4096 + Math.floor(rnd() * 12289));
          await write(pos, end);
          pos = end;
        }
      }
    } finally {
      if (own) p.busy = false;
      log.ended = now();
      log.aborted = closed && !res.writableFinished;
      if (!closed) res.end();
    }
  }

  async function serveStatic(res, path, query) {
    for (const [prefix, dir] of STATIC) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(dir, decodeURIComponent(path.slice(prefix.length))));
      if (!file.startsWith(dir)) break;
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) break;
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      const bundle = query.get('bundle');
      if (path === '/pages/stream-chat.html' && bundle) {
        if (!/^[\w-]+$/.test(bundle)) break;
        const html = (await readFile(file, 'utf8')).replace('/dist/stream-chat.js', `/experiments/${bundle}.js`);
        res.writeHead(200, headers).end(html);
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': info.size });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  const server = createServer({ noDelay: true }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    const q = url.searchParams;
    const params = {
      rid: q.get('rid') ?? '',
      n: Number(q.get('n') ?? 2000),
      charset: q.get('charset') ?? 'ascii',
      seed: Number(q.get('seed') ?? 1),
      content: q.get('content') ?? 'text',
      protocol: q.get('protocol') ?? 'openai-chat',
      mode: q.get('mode') ?? 'full',
      rate: Number(q.get('rate') ?? 200),
    };
    if (url.pathname === '/sse') {
      serveSse(req, res, params).catch((error) => {
        console.error('sse:', error);
        res.destroy();
      });
    } else if (url.pathname === '/clock') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ t: now() }));
    } else if (url.pathname === '/payload') {
      const { bytes } = plan(params);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': bytes.length });
      res.end(bytes);
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      serveStatic(res, url.pathname, q).catch((error) => {
        console.error('static:', error);
        res.destroy();
      });
    }
  });

  return new Promise((done) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      done({
        origin: `http://127.0.0.1:${port}`,
        plan,
        log: (rid) => logs.get(rid),
        forget: (rid) => logs.delete(rid),
        close: () => new Promise((closed) => server.close(closed)),
      });
    });
  });
}
