/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';
import { MOCK_COMPLETIONS_PATH, mockFetch } from './mock-completion.js';

/**
 * Serves the mock chat-completions endpoint at {@link MOCK_COMPLETIONS_PATH} from `vite` and
 * `vite preview`, so the demo streams real SSE over HTTP with no key and no network.
 */
export function mockCompletionsPlugin(): Plugin {
  return {
    name: 'stream-chat-mock-completions',
    configureServer(server) {
      server.middlewares.use(MOCK_COMPLETIONS_PATH, handleMockCompletion);
    },
    configurePreviewServer(server) {
      server.middlewares.use(MOCK_COMPLETIONS_PATH, handleMockCompletion);
    },
  };
}

const handleMockCompletion: Connect.NextHandleFunction = (req, res, next) => {
  // connect mounts by prefix and strips it: anything below the endpoint is not ours.
  const rest = (req.url ?? '/').split('?')[0];
  if (rest !== '/' && rest !== '') return next();
  streamMockCompletion(req, res).catch((error: unknown) => {
    // A client that left mid-request is not a server error.
    if (!res.destroyed) next(error);
  });
};

async function streamMockCompletion(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const disconnected = new AbortController();
  // 'close' also fires after a normal end, when aborting is a no-op.
  res.on('close', () => disconnected.abort());
  const body = req.method === 'POST' ? await readBody(req) : null;
  const response = await mockFetch(MOCK_COMPLETIONS_PATH, {
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
