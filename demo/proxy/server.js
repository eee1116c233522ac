/**
 * A same-origin proxy for <stream-chat>: serves a static folder (the built demo by default) and
 * forwards API paths to providers, adding each one's API key on the server: `POST /api/chat` to a
 * chat-completions endpoint, and as configured `/api/responses` to OpenAI's Responses API and
 * `/api/messages` to Anthropic's Messages API. The page sets `endpoint="/api/chat"` (with its
 * `protocol`) and no key. Node 20+, no dependencies.
 *
 *   UPSTREAM_URL=https://api.openai.com/v1/chat/completions UPSTREAM_API_KEY=sk-… node demo/proxy/server.js
 *   ANTHROPIC_API_KEY=sk-ant-… RESPONSES_API_KEY=sk-… node demo/proxy/server.js
 *
 * See README.md next to this file for the settings and what to add before production.
 */
import { createReadStream, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { networkInterfaces } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Request bodies larger than this get 413: a long conversation fits, an abuse of the key does not. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** An upstream error body is read whole (to redact the key from it) up to this size. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * @typedef {'openai-chat' | 'openai-responses' | 'anthropic'} Protocol
 * @typedef {object} Upstream
 * @property {string} url The provider's full URL (…/v1/chat/completions, …/v1/responses, …/v1/messages).
 * @property {string} [apiKey] Sent upstream, never to the browser: `Authorization: Bearer <key>`, or for
 *   `anthropic` `x-api-key` (with `anthropic-version`). Default: none.
 * @property {string} [model] Forces `model` in every request body. Default: the browser's choice.
 * @property {Protocol} [protocol] The provider's wire format, which says how the key is sent. Default `openai-chat`.
 *
 * @typedef {object} ProxyOptions
 * @property {Record<string, Upstream>} [routes] Each API path and where it goes, e.g.
 *   `{ '/api/chat': { url, apiKey }, '/api/messages': { url, apiKey, protocol: 'anthropic' } }`.
 * @property {string} [upstreamUrl] One chat-completions upstream at `apiPath` (with `upstreamApiKey`,
 *   `upstreamModel`): the same as a route of its own.
 * @property {string} [upstreamApiKey]
 * @property {string} [upstreamModel]
 * @property {string} [apiPath] Where `upstreamUrl` is served. Default `/api/chat`.
 * @property {string} [staticDir] A folder served at `/` (GET and HEAD). Default: none, only the API.
 * @property {number} [maxBodyBytes] Larger request bodies get 413. Default {@link DEFAULT_MAX_BODY_BYTES}.
 * @property {string[] | true} [allowedHosts] The host names (the request's `Host`, without its port)
 *   the routes answer: `chat.example.com`, or `.example.com` for it and its subdomains; `true` for
 *   any. Default: `localhost`, `*.localhost` and IP addresses, as Vite's dev server has it.
 */

/** What the browser may tell Anthropic's API through the proxy, besides the body. */
const ANTHROPIC_HEADERS = ['anthropic-version', 'anthropic-beta'];

/**
 * An `http.Server` (not yet listening) that forwards `POST` on each route upstream with its key
 * added, streaming the answer through as it arrives, and serves `staticDir`.
 *
 * @param {ProxyOptions} options
 * @returns {import('node:http').Server}
 */
export function createProxyServer(options) {
  const { staticDir, apiPath = '/api/chat' } = options;
  /** @type {Map<string, Upstream>} */
  const routes = new Map(Object.entries(options.routes ?? {}));
  if (options.upstreamUrl) routes.set(apiPath, { url: options.upstreamUrl, apiKey: options.upstreamApiKey, model: options.upstreamModel });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (routes.size === 0) throw new TypeError("createProxyServer: give `routes` (or `upstreamUrl`): the providers' URLs to forward to.");
  for (const [path, upstream] of routes) {
    if (!upstream?.url) throw new TypeError(`createProxyServer: the route ${path} needs a \`url\`: the provider's full URL.`);
    // Without its scheme, `api.openai.com/v1/…` is no URL, and `localhost:8080/v1/…` one of scheme `localhost:`.
    // (Said without its query or a `user:key@` before its host: either can carry a key. A `/`, `?`
    // or `#` written raw in a key ends the host before it, `https://user:pa/ss@host/…` is no URL:
    // it is said from its last `@`, where a URL is what was meant. One that parses (with `https://`
    // before it where it has no `//`) has its `user:key@` before its first `/`: an `@` in its path,
    // as in `…/workers-ai/@cf/…`, is no key. But after a host no server is named, with no dot, not
    // localhost nor an IP address, it ends a key that parses: `https://sk-abc/def@…`, `user:123/…@`,
    // when a host follows it (such a name, or one with its port): `http://gateway/…/@cf/…` is a path.)
    const url = URL.parse(upstream.url);
    const parses = upstream.url.includes('//') ? url : URL.parse(`https://${upstream.url}`);
    const [, host, rest] = /^(?:[^/?#]*\/\/)?([^/?#]*)([^]*)/.exec(upstream.url);
    const server = /\.|^localhost(:|$)|^\[/i;
    // (In one that parses, after the first `@`, as no key has one, and not in the query: no key has
    // a `?`, and `?user=a@b.com` is an email. But a `?` right after the host, with no path, is a
    // key's: `https://sk-secret?1@…`.)
    const after = rest.replace(parses ? /^\??[^@?]*@|[/?#][^]*/g : /^[^]*@|[/?#][^]*/g, '');
    const hosted = server.test(after) || /:\d+$/.test(after);
    // (A host with its port may be a user and a key of digits, `https://first.last:123/secret@…`,
    // but not before a query: `https://host:8443?user=a@b.com` is an email. One before a host and
    // its path, `user:123?secret@api.host/v1`, is a key's.)
    const keyed = parses && rest.includes('@') && (/:\d+$/.test(host) ? rest[0] != '?' || /^\?[^@/\\?#]*@[^/\\?#]*[/\\]/.test(rest) : !server.test(host)) && hosted;
    // (One that does not parse whose host comes first, dotted, localhost or an address, then its
    // path or query, as `https://api.example.com:99999/v1?user=a@b.com`, has no key before it: the
    // `@` is an email's. Only one in the query: a key with a `/` looks like a path. As
    // src/core/transport.ts's hostFirst reads it.)
    const first = /^([a-z][\w+.-]*:)?[\\/]*(([\w-]+\.)+[\w-]+|localhost|\[[\w:.]*\])(:\d*)?([\\/][^@?#]*)?([?#]|$)/i;
    const meant = !parses && first.test(upstream.url) ? upstream.url : upstream.url.replace(parses && !keyed ? /^([^/?#]*\/\/)?[^/?#]*@/ : keyed ? /^([^/?#]*\/\/)?[^/?#]*[^@]*@/ : hosted ? /^([^/?#]*\/\/)?[^]*@/ : /^([^/?#]*\/\/)?\S*@/, '$1');
    const shown = meant.split(/[?#]/)[0];
    // (Where no host follows its `@`, a key has no space: one in the host is what keeps such a URL
    // from parsing. Before a host, a pasted `Bearer sk-…` may have one.)
    if (!parses && /^([^/?#]*\/\/)?[^/?#]*\s/.test(meant)) throw new TypeError(`createProxyServer: the route ${path}'s url ${shown} has a space in its host name: write it without.`);
    // fetch refuses such a URL, and its error names it whole.
    if (url?.username || url?.password || keyed || (!url && /^https?:$/.test(URL.parse(meant)?.protocol))) throw new TypeError(`createProxyServer: the route ${path}'s url ${shown} has a user or key before its host, which is not sent: give the key as its apiKey (UPSTREAM_API_KEY, RESPONSES_API_KEY or ANTHROPIC_API_KEY)${keyed ? ', or if that `@` is in its path, write it %40' : ''}.`);
    // (One written whole that does not parse: its port out of range or not digits, or a character
    // no host may have.)
    const port = !url && /^https?:\/\/(\[[^\]]*\]|[^/:[]*):([^/\\]*)/i.exec(shown)?.[2];
    if (port && !(port <= 65535 && /^\d+$/.test(port))) throw new TypeError(`createProxyServer: the route ${path}'s url ${shown} has the port ${port}, which is no port (0 to 65535).`);
    if (!/^https?:$/.test(url?.protocol)) {
      throw new TypeError(`createProxyServer: the route ${path}'s url ${shown} ${/^https?:\/\//i.test(shown) ? 'is not a valid URL: check its host name' : 'is not an http(s) URL: write it whole, https://… or http://…'}.`);
    }
  }
  if (!(maxBodyBytes > 0)) throw new TypeError('createProxyServer: `maxBodyBytes` must be a positive number.');
  const { allowedHosts = [] } = options;
  const root = staticDir === undefined ? undefined : resolve(staticDir);
  // This server's own name in Via: another such proxy in a chain before or after it is no loop.
  const via = `1.1 stream-chat-proxy-${crypto.randomUUID().slice(0, 8)}`;
  /** The origins whose preflight the log told of: each once, and at most 10 (a client can make them up). */
  const preflighted = new Set();

  return createServer((req, res) => {
    // A request target Node's parser takes but URL does not (`GET http://a:99999/`) is a client's
    // error, not the process's: thrown here, it would end the proxy.
    const pathname = URL.parse(req.url ?? '/', 'http://localhost')?.pathname;
    if (pathname === undefined) return void sendError(res, 400, 'Malformed URL.');
    const upstream = routes.get(pathname);
    // A POST to a path that is no route (one not configured, a typo) is an endpoint to fix, not a
    // static file's wrong method: "Not found" is what the element adds its "Check that …" to.
    const handling = upstream
      ? forward(req, res, pathname, upstream)
      : root === undefined || (req.method !== 'GET' && req.method !== 'HEAD')
          ? Promise.resolve(sendError(res, 404, `Not found: no API route here; this proxy forwards POST on ${[...routes.keys()].join(', ')}`))
          : serveFile(req, res, root, pathname);
    handling.catch((error) => {
      // Never the request or its headers: they may carry secrets.
      console.error(`${req.method} ${pathname} failed: ${error?.message ?? error}`);
      if (!res.headersSent) sendError(res, 500, 'The proxy failed.');
      else res.destroy();
    });
  });

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {string} path @param {Upstream} upstream
   */
  async function forward(req, res, path, { url: upstreamUrl, apiKey: upstreamApiKey = '', model: upstreamModel = '', protocol = 'openai-chat' }) {
    // The key as fetch sends it: trimmed (a secret mounted from a file ends in a line break). Under 8
    // characters (a local server's placeholder: `x`, vLLM's `EMPTY`, `ollama`) it is no secret, as
    // the element's own redaction has it, and replacing it garbled the answer (`a` in `data:`).
    const sent = upstreamApiKey.trim().replace(/^.{0,7}$/s, '');
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS' && origin && preflighted.size < 10 && !preflighted.has(origin)) {
      // The browser shows the page no word of this answer: only its "blocked by CORS policy".
      preflighted.add(origin);
      console.error(`${path}: a page of ${JSON.stringify(origin.slice(0, 100))} asked to POST here (a CORS preflight), which this proxy answers only for its own site's pages: serve the page from STATIC_DIR, or at the same origin (a dev server that forwards ${path} here).`);
    }
    if (req.method !== 'POST') return sendError(res, 405, `Use POST for ${path}.`, { allow: 'POST' });
    // The incoming Via's entries of such proxies: what a loop is seen by, and all of it that goes
    // on (not the names a corporate proxy gives its own hosts).
    const vias = (req.headers.via ?? '').split(',').map((entry) => entry.trim()).filter((entry) => /^\S+\s+stream-chat-proxy-/.test(entry));
    // Its own request back (a route's URL that is the proxy's): it would go round without end. Also
    // one that went through five such proxies, no chain's length: back through a balancer, each
    // hop at another instance of the deployment, none of which saw it before.
    if (vias.includes(via) || vias.length >= 5) {
      console.error(`${path}: a route's URL is this proxy itself: set it to the provider's URL.`);
      return sendError(res, 508, `The proxy's URL for ${path} leads to the proxy itself (a setting of the server).`);
    }
    // Another site's page (a simple POST needs no CORS) would spend the key: a browser says where
    // its request comes from, and the element's own are same-origin.
    const site = req.headers['sec-fetch-site'];
    if (site && site !== 'same-origin' && site !== 'none') return sendError(res, 403, `${path} answers its own site's pages only.`);
    // Nor a page of a name that another site's DNS turned to this machine (DNS rebinding: to the
    // browser it is that site's own origin), where the proxy runs on a developer's loopback.
    const host = hostOf(req.headers.host);
    if (host !== undefined && !hostAllowed(host, allowedHosts)) {
      console.error(`${path}: refused a request for the host ${JSON.stringify(host.slice(0, 100))}; to serve it, add it to ALLOWED_HOSTS (allowedHosts).`);
      return sendError(res, 403, `${path} does not answer for this host name: the proxy's allowedHosts (ALLOWED_HOSTS) does not list it.`);
    }
    if (Number(req.headers['content-length']) > maxBodyBytes) return refuseBody(req, res, maxBodyBytes);
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too large') return refuseBody(req, res, maxBodyBytes);
    if (body === 'aborted' || res.destroyed) return;

    let upstreamBody = body;
    if (upstreamModel) {
      let json;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return sendError(res, 400, 'The request body is not JSON.');
      }
      if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        return sendError(res, 400, 'The request body must be a JSON object.');
      }
      upstreamBody = JSON.stringify({ ...json, model: upstreamModel });
    }

    // The browser went away (or the answer ended, when aborting does nothing): stop the upstream
    // request, so the provider stops generating and billing.
    const upstreamRequest = new AbortController();
    res.on('close', () => upstreamRequest.abort());

    /** @type {Response} */
    let upstream;
    try {
      upstream = await fetch(upstreamUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: req.headers.accept || 'text/event-stream',
          // A compressed stream could be held back by a compressor upstream.
          'accept-encoding': 'identity',
          // After those it came through (HTTP's rule), so that a loop through them comes back here too.
          via: [...vias, via].join(', '),
          ...keyHeaders(protocol, upstreamApiKey, req.headers),
        },
        body: upstreamBody,
        signal: upstreamRequest.signal,
        // The key goes to the configured URL only: a redirect keeps every header but Authorization.
        redirect: 'manual',
      });
    } catch (error) {
      if (upstreamRequest.signal.aborted) return;
      console.error(`${path}: the upstream endpoint could not be reached: ${error?.cause?.code ?? error?.message}`);
      return sendError(res, 502, 'The upstream endpoint could not be reached.');
    }

    if (upstream.status >= 300 && upstream.status < 400) {
      upstreamRequest.abort();
      console.error(`${path}: the upstream URL redirects: set it to where it points.`);
      return sendError(res, 502, 'The upstream endpoint redirects; the proxy follows no redirect with its key.');
    }

    const headers = {
      'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
      'cache-control': 'no-cache, no-transform',
      // Tells nginx and the like not to buffer the stream.
      'x-accel-buffering': 'no',
    };
    // The provider's id of the request (OpenAI's in this header only), which its support asks for.
    for (const name of ['retry-after', 'retry-after-ms', 'x-request-id', 'request-id']) {
      const value = upstream.headers.get(name);
      if (value !== null) headers[name] = value;
    }

    if (!upstream.ok) {
      // Error bodies are small JSON; some providers quote (part of) a rejected key in them.
      const text = await readText(upstream, MAX_ERROR_BODY_BYTES, sent).catch(() => '');
      // (With the provider's request id: what its support asks for, and what the element shows.)
      const ids = Object.fromEntries(['x-request-id', 'request-id'].flatMap((name) => (headers[name] ? [[name, headers[name]]] : [])));
      if ((upstream.status === 401 || upstream.status === 403) && !upstreamApiKey.trim()) {
        // The provider's "You didn't provide an API key" alone would send the page's developer to put
        // one in the page; its words come after, as a 403 can be for another reason (a region, a model).
        const words = messageOf(text);
        const said = words === undefined ? '' : ` The provider said: ${words}`;
        console.error(`${path}: the provider answered ${upstream.status} and this route sends it no key: set the key on the server (UPSTREAM_API_KEY, RESPONSES_API_KEY or ANTHROPIC_API_KEY).${said}`);
        return sendError(res, upstream.status, `The provider answered ${upstream.status} to the proxy, which sends it no key for ${path}: a setting of the server, not of the page.${said}`, ids);
      }
      if ((upstream.status === 404 || upstream.status === 405) && !providerWords(text)) {
        // Not found, with no more words from the provider (OpenAI's "Invalid URL", a bare "Not
        // Found", a web page): the route's URL is wrong (a base URL such as …/v1), not the page's
        // endpoint, which is what the element would say of these words passed on.
        const { origin, pathname } = new URL(upstreamUrl);
        console.error(`${path}: ${origin}${pathname} answered ${upstream.status}: set the route's URL to the provider's full API URL (…/v1/chat/completions, …/v1/responses, …/v1/messages).`);
        return sendError(res, upstream.status, `The provider answered ${upstream.status} to the proxy: the URL this proxy forwards ${path} to is not the API's (a setting of the server).`, ids);
      }
      res.writeHead(upstream.status, headers).end(text);
      return;
    }

    res.writeHead(upstream.status, headers);
    res.flushHeaders();
    if (!upstream.body) return void res.end();
    try {
      // Each upstream read is written as it arrives, with backpressure, and nothing is held back.
      // (The key redacted: an error event in the stream can quote it, and the page has none to redact.)
      await pipeline(Readable.fromWeb(upstream.body), ...(sent ? [redacting(sent)] : []), res);
    } catch {
      // The browser left (already aborted above) or upstream broke off: end the response as broken,
      // so the browser sees a network error, not a silently shortened answer.
      res.destroy();
    }
  }
}

/**
 * The headers that carry the key, as the provider takes it: a Bearer token, or Anthropic's
 * `x-api-key` with the API version (the browser's, when it sent one, and its beta features).
 * @param {Protocol} protocol @param {string} key @param {import('node:http').IncomingHttpHeaders} browser
 */
function keyHeaders(protocol, key, browser) {
  if (protocol !== 'anthropic') return key ? { authorization: `Bearer ${key}` } : {};
  const headers = { 'anthropic-version': '2023-06-01' };
  for (const name of ANTHROPIC_HEADERS) if (typeof browser[name] === 'string') headers[name] = browser[name];
  if (key) headers['x-api-key'] = key;
  return headers;
}

/**
 * Writes the stream on with `key` replaced by `[redacted]`, also where two reads split it: a read's
 * end that could begin the key waits for the next read (an event's end, a line break, cannot).
 * @param {string} key
 */
function redacting(key) {
  let held = '';
  return new Transform({
    transform(part, _, done) {
      // (Byte for byte as latin1: a key is ASCII, and a character of UTF-8 cut between reads stays whole.)
      const text = (held + part.toString('latin1')).replaceAll(key, '[redacted]');
      let keep = Math.min(key.length - 1, text.length);
      while (keep > 0 && !key.startsWith(text.slice(-keep))) keep--;
      held = text.slice(text.length - keep);
      done(null, Buffer.from(text.slice(0, text.length - keep), 'latin1'));
    },
    flush(done) {
      done(null, Buffer.from(held, 'latin1'));
    },
  });
}

/**
 * The request body, or why there is none. Stops reading past `limit` bytes.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer | 'too large' | 'aborted'>}
 */
function readBody(req, limit) {
  return new Promise((done) => {
    const parts = [];
    let size = 0;
    const onData = (part) => {
      size += part.length;
      if (size <= limit) return void parts.push(part);
      req.off('data', onData);
      req.pause();
      done('too large');
    };
    req.on('data', onData);
    req.on('end', () => done(Buffer.concat(parts)));
    req.on('close', () => done('aborted'));
  });
}

/** The host name of a `Host` header, lower case, without its port (an IPv6 address keeps its brackets). */
function hostOf(header) {
  if (!header) return undefined;
  return header.trim().toLowerCase().replace(/:\d*$/, '');
}

/**
 * Whether the routes answer for `host`: one of `allowed` (`.example.com`: it and its subdomains),
 * any with `true`; by default `localhost`, `*.localhost` and IP addresses (a rebinding name is none).
 */
function hostAllowed(host, allowed) {
  if (allowed === true) return true;
  if (host === 'localhost' || host.endsWith('.localhost') || /^\d{1,3}(?:\.\d{1,3}){3}$|^\[[\da-f:.]+\]$/.test(host)) return true;
  return allowed.some((name) => {
    const want = name.toLowerCase();
    return want[0] === '.' ? host === want.slice(1) || host.endsWith(want) : host === want;
  });
}

/** Answers 413 and closes the connection, so the rest of the body is never read. */
function refuseBody(req, res, limit) {
  sendError(res, 413, `The request body is larger than the proxy's limit of ${limit} bytes, as a conversation with large images can be: raise MAX_BODY_BYTES (maxBodyBytes) on the server.`, { connection: 'close' });
  res.on('finish', () => req.socket.destroySoon());
}

/** Whether an error body has the provider's own words: not none, a web page, or a bare "Not Found" or "Invalid URL". */
function providerWords(text) {
  const message = messageOf(text);
  return message !== undefined && !/^(not found|invalid url|method not allowed)/i.test(message);
}

/** The message of a JSON error body, if it has one. */
function messageOf(text) {
  try {
    return wordsOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The message of an error payload, in the shapes the element reads (`providerErrorMessage`): Gemini's `[{error: …}]` too. */
function wordsOf(payload) {
  if (typeof payload === 'string') return payload.trim() || undefined;
  if (Array.isArray(payload)) return wordsOf(payload[0]);
  if (payload === null || typeof payload !== 'object') return undefined;
  for (const field of ['error', 'message', 'detail', 'msg']) {
    const message = wordsOf(payload[field]);
    if (message !== undefined) return message;
  }
  return undefined;
}

/**
 * The body's first `limit` bytes as text, with `key` replaced by `[redacted]` before the cut, so a
 * key across it is read whole (byte for byte as latin1, as in `redacting`).
 * @param {Response} response @param {number} limit @param {string} key
 */
async function readText(response, limit, key) {
  if (!response.body) return '';
  const parts = [];
  let size = 0;
  for await (const part of response.body) {
    parts.push(part);
    size += part.length;
    if (size >= limit + key.length) break;
  }
  const text = Buffer.concat(parts).toString('latin1');
  return Buffer.from((key ? text.replaceAll(key, '[redacted]') : text).slice(0, limit), 'latin1').toString('utf8');
}

/** @param {import('node:http').ServerResponse} res */
function sendError(res, status, message, headers = {}) {
  const body = JSON.stringify({ error: { message, type: 'proxy_error' } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function serveFile(req, res, root, pathname) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Use GET or HEAD.', { allow: 'GET, HEAD' });
  let file;
  try {
    file = resolve(root, `.${decodeURIComponent(pathname)}`);
  } catch {
    return sendError(res, 400, 'Malformed URL.');
  }
  if (file !== root && !file.startsWith(root + sep)) return sendError(res, 404, 'Not found.');
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) return sendError(res, 404, 'Not found.');
  res.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(file), res);
}

/** The routes the environment configures: each with its URL (or its key, for the provider's own URL). */
function routesFromEnv(env) {
  /** @type {Record<string, Upstream>} */
  const routes = {};
  if (env.UPSTREAM_URL) {
    routes['/api/chat'] = { url: env.UPSTREAM_URL, apiKey: env.UPSTREAM_API_KEY, model: env.UPSTREAM_MODEL, protocol: env.UPSTREAM_PROTOCOL };
  }
  if (env.RESPONSES_URL || env.RESPONSES_API_KEY) {
    routes['/api/responses'] = { url: env.RESPONSES_URL || 'https://api.openai.com/v1/responses', apiKey: env.RESPONSES_API_KEY, model: env.RESPONSES_MODEL, protocol: 'openai-responses' };
  }
  if (env.ANTHROPIC_URL || env.ANTHROPIC_API_KEY) {
    routes['/api/messages'] = { url: env.ANTHROPIC_URL || 'https://api.anthropic.com/v1/messages', apiKey: env.ANTHROPIC_API_KEY, model: env.ANTHROPIC_MODEL, protocol: 'anthropic' };
  }
  return routes;
}

function main() {
  const env = process.env;
  const routes = routesFromEnv(env);
  if (Object.keys(routes).length === 0) {
    console.error(
      'Set UPSTREAM_URL to a chat-completions URL (and UPSTREAM_API_KEY to its key), and/or RESPONSES_API_KEY\n' +
        '(OpenAI Responses API) or ANTHROPIC_API_KEY (Anthropic Messages API), e.g.\n' +
        '  UPSTREAM_URL=https://api.openai.com/v1/chat/completions UPSTREAM_API_KEY=sk-… node demo/proxy/server.js',
    );
    process.exit(1);
  }
  const staticDir = env.STATIC_DIR || fileURLToPath(new URL('../../demo-dist/', import.meta.url));
  const allowedHosts = env.ALLOWED_HOSTS === '*' ? true : (env.ALLOWED_HOSTS ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  // (An IPv6 one may be written as a URL has it, `[::]`: the address is inside the brackets.)
  const host = (env.HOST || '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  const port = Number(env.PORT || 8787);
  // An IPv6 address in brackets, as a URL has it.
  const named = (name) => (name.includes(':') ? `[${name}]` : name);
  // A setting it cannot use is said in one line, not a stack trace.
  const refuse = (message) => {
    console.error(message);
    process.exit(1);
  };
  let server;
  try {
    if (env.MAX_BODY_BYTES && !/^\d+$/.test(env.MAX_BODY_BYTES)) throw new TypeError(`MAX_BODY_BYTES is a number of bytes (2097152 for 2 MiB), not ${env.MAX_BODY_BYTES}.`);
    // Decimal digits only: Number() takes a blank as 0 (any free port) and `0x1F90` as 8080.
    if (!/^\d*$/.test(env.PORT ?? '') || port > 65535) throw new TypeError(`PORT is a port number (8787, or 0 for any free one), not ${JSON.stringify(env.PORT)}.`);
    server = createProxyServer({ routes, staticDir, maxBodyBytes: env.MAX_BODY_BYTES ? Number(env.MAX_BODY_BYTES) : undefined, allowedHosts });
    server.on('error', (error) =>
      refuse(error.code === 'EADDRINUSE' ? `${named(host)}:${port} is in use: set PORT to another port, or stop what listens there.` : `The proxy cannot listen on ${named(host)}:${port}: ${error.message}`),
    );
    server.listen(port, host, () => {
      const { port: listening, address } = server.address();
      // Every interface's (0.0.0.0, ::) opens as localhost, and on the network at the machine's
      // addresses, as Vite says them.
      const at = (name) => `http://${named(name)}:${listening}/`;
      const every = address === '0.0.0.0' || address === '::';
      // (IPv6 ones when it listens on them, but link-local ones, fe80::, which a URL cannot give the
      // interface of.)
      const network = every ? Object.values(networkInterfaces()).flat().filter((face) => !face.internal && (face.family === 'IPv4' || (address === '::' && !/^fe[89ab]/i.test(face.address)))) : [];
      const also = network.length ? ` (on the network ${network.map((face) => at(face.address)).join(', ')})` : '';
      // A folder not there (a typo, or demo-dist/ not built) served `Not found.` for every page: said
      // here. (It still starts: a framework's dev server may use its routes alone.)
      const served = statSync(staticDir, { throwIfNoEntry: false })?.isDirectory()
        ? staticDir
        : `no folder: ${staticDir} is missing (\`npm run build:demo\` writes demo-dist/, STATIC_DIR names another)`;
      console.log(`${at(every ? 'localhost' : host)}${also} serves ${served}; and forwards`);
      for (const [path, upstream] of Object.entries(routes)) {
        // Without the query: a URL can carry a key in it. (With the path: a base URL is the usual mistake.)
        const key = upstream.apiKey ? 'with the server key' : 'without a key';
        const model = upstream.model ? `, model ${upstream.model}` : '';
        const { origin, pathname } = new URL(upstream.url);
        console.log(`  POST ${path} to ${origin}${pathname} (${upstream.protocol || 'openai-chat'}) ${key}${model}`);
      }
    });
  } catch (error) {
    refuse(error.message);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
