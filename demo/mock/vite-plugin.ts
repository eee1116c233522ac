/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';
import { MOCK_PATHS, mockFetch } from './mock-completion.js';

/**
 * Serves the mock endpoints at {@link MOCK_PATHS} (chat-completions, Responses, Anthropic) from
 * `vite` and `vite preview`, so the demo streams real SSE over HTTP with no key and no network.
 */
export function mockCompletionsPlugin(): Plugin {
  const mount = (middlewares: Connect.Server) => {
    for (const path of Object.values(MOCK_PATHS)) middlewares.use(path, handlerFor(path));
  };
  return {
    name: 'stream-chat-mock-completions',
    configureServer: (server) => mount(server.middlewares),
    configurePreviewServer: (server) => mount(server.middlewares),
  };
}

function handlerFor(path: string): Connect.NextHandleFunction {
  return (req, res, next) => {
    // connect mounts by prefix and strips it: anything below the endpoint is not ours.
    const rest = (req.url ?? '/').split('?')[0];
    if (rest !== '/' && rest !== '') return next();
    streamMockCompletion(path, req, res).catch((error: unknown) => {
      // A client that left mid-request is not a server error.
      if (!res.destroyed) next(error);
    });
  };
}

async function streamMockCompletion(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const disconnected = new AbortController();
  // 'close' also fires after a normal end, when aborting is a no-op.
  res.on('close', () => disconnected.abort());
  const body = req.method === 'POST' ? await readBody(req) : null;
  const response = await mockFetch(path, {
    method: req.method ?? 'GET',
    body,
    signal: disconnected.signal,
  });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.flushHeaders();
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  // A client that disconnects aborts the mock, which ends this loop.
  for (let read = await reader.read(); !read.done; read = await reader.read()) res.write(read.value);
  res.end();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
