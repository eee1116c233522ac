/**
 * The headless core in a Web Worker (README: "for your own UI, a worker or Node"): a dedicated
 * module worker streams from the local mock server through the worker's own fetch, runs a tool
 * there, and fails as it would in a page.
 */
import { expect } from '@open-wc/testing';
import type { WorkerAsk, WorkerReport } from './fixtures/worker/conversation.worker.js';
import { DONE, chunkEvent, httpError, mockEndpoint, streamingReply } from './helpers/server.js';

/** Runs one turn in a new worker and returns its report. */
async function inWorker(ask: WorkerAsk): Promise<WorkerReport> {
  const worker = new Worker(new URL('./fixtures/worker/conversation.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<WorkerReport>((resolve, reject) => {
      worker.addEventListener('message', (e: MessageEvent<WorkerReport>) => resolve(e.data));
      worker.addEventListener('error', (e) => reject(new Error(`the worker failed: ${e.message}`)));
      worker.postMessage(ask);
    });
  } finally {
    worker.terminate();
  }
}

/** The mock's path: relative to the worker's URL, resolved as a page would. */
const pathOf = (url: string) => new URL(url).pathname;

describe('the headless conversation in a Web Worker', () => {
  it('streams an answer through the worker’s fetch, with a relative endpoint', async () => {
    const endpoint = await mockEndpoint(streamingReply(['Hel', 'lo', ' from a worker']));
    const report = await inWorker({ endpoint: pathOf(endpoint.url), text: 'Hi' });
    expect(report.rejected).to.equal(null);
    // A chunk per event, the role's and the finish's with no text.
    expect(report.deltas.filter(Boolean)).to.deep.equal(['Hel', 'lo', ' from a worker']);
    expect(report.ends).to.deep.equal([{ type: 'done', content: 'Hello from a worker', steps: 1 }]);
    expect(report.messages).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello from a worker' },
    ]);
  });

  it('runs a tool in the worker and sends its result back', async () => {
    const call = { index: 0, id: 'call_1', type: 'function' as const, function: { name: 'word_count', arguments: '{"text":"one two three"}' } };
    const endpoint = await mockEndpoint([
      { steps: [{ write: chunkEvent({ role: 'assistant', tool_calls: [call] }, { finishReason: 'tool_calls' }) }, { write: DONE }] },
      streamingReply(['Three words.']),
    ]);
    const report = await inWorker({ endpoint: pathOf(endpoint.url), text: 'Count them' });
    expect(report.ends).to.deep.equal([{ type: 'done', content: 'Three words.', steps: 2 }]);
    expect(report.messages.map((message) => [message.role, message.content])).to.deep.equal([
      ['user', 'Count them'],
      ['assistant', ''],
      ['tool', '{"words":3}'],
      ['assistant', 'Three words.'],
    ]);
    const [, second] = await endpoint.requests();
    expect((second!.body as { messages: unknown[] }).messages.at(-1)).to.deep.equal({ role: 'tool', tool_call_id: 'call_1', content: '{"words":3}' });
  });

  it('fails with one error, the send() rejected, as in a page', async () => {
    const endpoint = await mockEndpoint(httpError(500, 'down'));
    const report = await inWorker({ endpoint: pathOf(endpoint.url), text: 'Hi' });
    expect(report.ends).to.deep.equal([{ type: 'error', kind: 'http', content: '' }]);
    expect(report.rejected).to.match(/500/);
  });
});
