/**
 * A scripted chat-completions endpoint for the browser tests, mounted by web-test-runner.config.js
 * as Koa middleware on the test server's own origin. A test describes a whole response from the
 * browser side; the server plays it on the real socket (`ctx.respond = false`), so the browser's
 * streaming fetch, TextDecoderStream and connection handling are exercised for real.
 *
 * Routes:
 *   POST /mock/script      body: one response script, or an array of them (one per successive request
 *                          to the same endpoint; the last one is played again once the list is used up)
 *                          -> 201 { id, url }      a malformed script -> 400 { error: { message } }
 *   ANY  /mock/chat/<id>   records the request, then plays the script for this attempt
 *   GET  /mock/log/<id>    -> { requests: RecordedRequest[] }; with `?settled` it first waits (at most
 *                          5 s) until every request to the endpoint has ended, so an abort is visible
 *   POST /mock/release/<id>/<name> -> 204: ends the endpoint's `hold` steps of that name, those
 *                          playing and those still to come
 *   GET  /mock/refused-url -> { url }: an http URL on a local port that nothing listens on
 *
 * A response script (the browser-side types and builders are in test/helpers/server.ts):
 *   status        default 200
 *   headers       merged over the defaults (content-type: text/event-stream; charset=utf-8 and
 *                 cache-control: no-cache); a null value removes a default
 *   headersDelay  ms to wait before sending the status line (a slow server, abort before first byte)
 *   hangUp        true: cut the connection instead of sending the status line
 *   steps         played in order after the headers; the response ends after the last one:
 *                 { write: string }         UTF-8 text
 *                 { writeBytes: number[] }  raw bytes, to split a multi-byte character
 *                 { delay: ms }             pause (ends early if the client goes away)
 *                 { hold: name }            pause until the test releases `name` (ends early if the
 *                                           client goes away; at most 10 s): time for a test to look
 *                                           mid-stream that it ends itself instead of waiting it out
 *                 { destroy: true }         cut the connection mid-response (must be last)
 *                 { end: true }             end the response (must be last)
 *
 * Every response of the test server, scripted or not, is sent with `connection: close` (see below).
 *
 * Scripts are bounded: each delay at most 10 s, 20 s in total per script; endpoints are dropped
 * 10 minutes after their last use, and the oldest go when there are more than 500.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import { freePort } from './ports.js';

const PREFIX = '/mock/';
const MAX_STEP_DELAY = 10_000;
const MAX_TOTAL_DELAY = 20_000;
const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;
const ENDPOINT_TTL = 10 * 60_000;
const MAX_ENDPOINTS = 500;
const SETTLE_WAIT = 5_000;

const DEFAULT_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

/**
 * @typedef {{ write: string } | { writeBytes: number[] } | { delay: number } | { hold: string } | { destroy: true } | { end: true }} Step
 * @typedef {{ status: number, headers: Record<string, string>, headersDelay: number, hangUp: boolean, steps: Step[] }} Script
 * @typedef {'receiving' | 'playing' | 'completed' | 'aborted' | 'destroyed'} RequestState
 * @typedef {{
 *   attempt: number, method: string, url: string, headers: Record<string, string | string[] | undefined>,
 *   bodyText: string, body: unknown, receivedAt: number, state: RequestState, aborted: boolean
 * }} RecordedRequest
 * @typedef {{
 *   scripts: Script[], requests: RecordedRequest[], pending: Set<Promise<void>>, touched: number,
 *   released: Map<string, { promise: Promise<void>, release: () => void }>
 * }} Endpoint
 */

/** The Koa middleware serving `/mock/…`; every other path goes on to the dev server. */
export function sseServer() {
  /** @type {Map<string, Endpoint>} */
  const endpoints = new Map();

  function lookup(id) {
    const endpoint = endpoints.get(id);
    if (endpoint) endpoint.touched = Date.now();
    return endpoint;
  }

  function register(scripts) {
    const now = Date.now();
    for (const [id, endpoint] of endpoints) {
      if (now - endpoint.touched > ENDPOINT_TTL || endpoints.size >= MAX_ENDPOINTS) endpoints.delete(id);
    }
    const id = randomUUID();
    endpoints.set(id, { scripts, requests: [], pending: new Set(), touched: now, released: new Map() });
    return id;
  }

  return async function mockServer(ctx, next) {
    // Every response closes its connection, so the browser never holds an idle socket that a
    // scripted request could reuse: Chromium silently resends a request whose reused socket dies
    // before the first response byte, which would make one `hangUp` show up as several requests.
    ctx.set('connection', 'close');
    if (!ctx.path.startsWith(PREFIX)) return next();
    const [route, id] = ctx.path.slice(PREFIX.length).split('/');

    if (route === 'script' && ctx.method === 'POST') {
      let scripts;
      try {
        scripts = parseScripts(await readBody(ctx.req, MAX_SCRIPT_BYTES));
      } catch (error) {
        return reply(ctx, 400, { error: { message: `mock script: ${error.message}` } });
      }
      const newId = register(scripts);
      return reply(ctx, 201, { id: newId, url: `${PREFIX}chat/${newId}` });
    }

    if (route === 'refused-url' && ctx.method === 'GET') {
      return reply(ctx, 200, { url: `http://127.0.0.1:${await freePort()}/v1/chat/completions` });
    }

    const endpoint = id === undefined ? undefined : lookup(id);
    if ((route === 'chat' || route === 'log' || route === 'release') && !endpoint) {
      return reply(ctx, 404, { error: { message: `mock: no endpoint ${id} (expired, or never registered)` } });
    }

    if (route === 'log' && ctx.method === 'GET') {
      if (ctx.query.settled !== undefined) await settle(endpoint);
      return reply(ctx, 200, { requests: endpoint.requests });
    }

    if (route === 'release' && ctx.method === 'POST') {
      const name = decodeURIComponent(ctx.path.slice(PREFIX.length).split('/')[2] ?? '');
      releaseOf(endpoint, name).release();
      ctx.status = 204;
      return;
    }

    if (route === 'chat') {
      const played = play(ctx, endpoint);
      endpoint.pending.add(played);
      try {
        await played;
      } finally {
        endpoint.pending.delete(played);
      }
      return;
    }

    return reply(ctx, 404, { error: { message: `mock: no route ${ctx.method} ${ctx.path}` } });
  };
}

function reply(ctx, status, body) {
  ctx.status = status;
  ctx.body = body;
}

async function settle(endpoint) {
  const deadline = new Promise((resolve) => setTimeout(resolve, SETTLE_WAIT).unref());
  await Promise.race([Promise.all([...endpoint.pending]), deadline]);
}

/** Records the request, then plays its script on the raw Node response. */
async function play(ctx, endpoint) {
  const { req, res } = ctx;
  /** @type {RecordedRequest} */
  const record = {
    attempt: endpoint.requests.length,
    method: req.method ?? '',
    url: req.url ?? '',
    headers: { ...req.headers },
    bodyText: '',
    body: null,
    receivedAt: Date.now(),
    state: 'receiving',
    aborted: false,
  };
  endpoint.requests.push(record);
  const script = endpoint.scripts[Math.min(record.attempt, endpoint.scripts.length - 1)];

  // Koa must not answer for us.
  ctx.respond = false;

  let closed = false;
  let cutByScript = false;
  const whenClosed = new Promise((resolve) => res.once('close', resolve)).then(() => {
    closed = true;
  });
  const cut = () => {
    cutByScript = true;
    req.socket.destroy();
  };

  try {
    record.bodyText = await readBody(req, MAX_SCRIPT_BYTES);
    record.body = parseJsonOrNull(record.bodyText);
  } catch {
    // The client went away while sending: the state below records it.
  }
  record.state = 'playing';

  if (!closed && script.headersDelay > 0) await Promise.race([sleep(script.headersDelay), whenClosed]);
  if (!closed && script.hangUp) cut();
  if (!closed && !cutByScript) {
    res.writeHead(script.status, STATUS_CODES[script.status] ?? '', script.headers);
    res.flushHeaders();
    for (const step of script.steps) {
      if (closed) break;
      if ('write' in step || 'writeBytes' in step) {
        const data = 'write' in step ? Buffer.from(step.write, 'utf8') : Buffer.from(step.writeBytes);
        if (!res.write(data)) await Promise.race([new Promise((resolve) => res.once('drain', resolve)), whenClosed]);
      } else if ('delay' in step) {
        await Promise.race([sleep(step.delay), whenClosed]);
      } else if ('hold' in step) {
        let timer;
        const limit = new Promise((resolve) => (timer = setTimeout(resolve, MAX_STEP_DELAY)));
        await Promise.race([releaseOf(endpoint, step.hold).promise, limit, whenClosed]);
        clearTimeout(timer);
      } else if ('destroy' in step) {
        cut();
        break;
      } else {
        break;
      }
    }
    if (!closed && !cutByScript) res.end();
  }

  await whenClosed;
  if (cutByScript) record.state = 'destroyed';
  else if (res.writableFinished) record.state = 'completed';
  else record.state = 'aborted';
  record.aborted = record.state === 'aborted';
  // The test runner reads the status once the middleware returns and lists 404s as missing
  // files; a scripted 404 is intended, and the response is over, so it is not reported.
  res.statusCode = 200;
}

/** Validates a script (or a list of them) from the browser and fills in defaults. */
function parseScripts(text) {
  let input;
  try {
    input = JSON.parse(text);
  } catch {
    throw new Error('the body is not JSON');
  }
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new Error('an empty list of scripts');
  return list.map((script, index) => parseScript(script, list.length > 1 ? `script ${index}: ` : ''));
}

/** @returns {Script} */
function parseScript(input, where) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error(`${where}not an object`);
  const known = new Set(['status', 'headers', 'headersDelay', 'hangUp', 'steps']);
  for (const field of Object.keys(input)) if (!known.has(field)) throw new Error(`${where}unknown field "${field}"`);

  const status = input.status ?? 200;
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new Error(`${where}status ${status} is not 200..599`);

  const headers = { ...DEFAULT_HEADERS };
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const key = name.toLowerCase();
    if (value === null) {
      delete headers[key];
      continue;
    }
    if (typeof value !== 'string') throw new Error(`${where}header "${name}" is not a string or null`);
    // Checked here, because Node would throw from writeHead halfway through a response.
    try {
      validateHeaderName(key);
      validateHeaderValue(key, value);
    } catch (error) {
      throw new Error(`${where}header "${name}": ${error.message}`);
    }
    headers[key] = value;
  }

  const headersDelay = input.headersDelay ?? 0;
  checkDelay(headersDelay, `${where}headersDelay`);
  const hangUp = input.hangUp ?? false;
  if (typeof hangUp !== 'boolean') throw new Error(`${where}hangUp is not a boolean`);

  const steps = input.steps ?? [];
  if (!Array.isArray(steps)) throw new Error(`${where}steps is not an array`);
  let totalDelay = headersDelay;
  steps.forEach((step, index) => {
    const at = `${where}step ${index}`;
    const keys = step !== null && typeof step === 'object' ? Object.keys(step) : [];
    if (keys.length !== 1) throw new Error(`${at} must have exactly one of write, writeBytes, delay, hold, destroy, end`);
    if ('write' in step) {
      if (typeof step.write !== 'string') throw new Error(`${at}: write is not a string`);
    } else if ('writeBytes' in step) {
      const ok = Array.isArray(step.writeBytes) && step.writeBytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255);
      if (!ok) throw new Error(`${at}: writeBytes is not an array of bytes 0..255`);
    } else if ('delay' in step) {
      checkDelay(step.delay, at);
      totalDelay += step.delay;
    } else if ('hold' in step) {
      if (typeof step.hold !== 'string' || step.hold === '') throw new Error(`${at}: hold is not a name`);
      totalDelay += MAX_STEP_DELAY;
    } else if ('destroy' in step || 'end' in step) {
      if (step[keys[0]] !== true) throw new Error(`${at}: ${keys[0]} must be true`);
      if (index !== steps.length - 1) throw new Error(`${at}: ${keys[0]} must be the last step`);
    } else {
      throw new Error(`${at}: unknown step "${keys[0]}"`);
    }
  });
  if (totalDelay > MAX_TOTAL_DELAY) throw new Error(`${where}delays add up to ${totalDelay} ms, over ${MAX_TOTAL_DELAY}`);

  return { status, headers, headersDelay, hangUp, steps };
}

function checkDelay(ms, at) {
  if (typeof ms !== 'number' || !(ms >= 0 && ms <= MAX_STEP_DELAY)) {
    throw new Error(`${at}: delay must be 0..${MAX_STEP_DELAY} ms, got ${ms}`);
  }
}

/** The release of `name`'s holds on `endpoint`: one per name, so a release before its hold is kept. */
function releaseOf(endpoint, name) {
  let entry = endpoint.released.get(name);
  if (!entry) {
    let release;
    const promise = new Promise((resolve) => (release = resolve));
    entry = { promise, release };
    endpoint.released.set(name, entry);
  }
  return entry;
}

async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error(`the body is over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

