/**
 * README's "Keeping the conversation (`storage-key`)", read by a new host and tried as written.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { DONE, chunkEvent, httpError, mockEndpoint, streamingReply, type MockResponse } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const KEY = 'storage-audit';

const marked = (el: StreamChatElement) =>
  [...el.shadowRoot!.querySelectorAll('[part~="marker"]')].map((marker) => [marker.getAttribute('part'), marker.closest('.turn')!.querySelector('[part~="message"]')!.textContent]);

async function chatFor(scripts: MockResponse | MockResponse[], key?: string) {
  const endpoint = await mockEndpoint(scripts);
  const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${key ?? ''} endpoint=${endpoint.url} retries="0"></stream-chat>`);
  return { el, endpoint };
}

/** A chat-completions response that calls the page's tool `now` and ends with finish_reason `tool_calls`. */
const calling: MockResponse = {
  steps: [
    { write: chunkEvent({ role: 'assistant', content: null }) },
    { write: chunkEvent({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'now', arguments: '{}' } }] }) },
    { write: chunkEvent({}, { finishReason: 'tool_calls' }) },
    { write: DONE },
  ],
};

describe('storage-key audit', () => {
  failOnUnhandledRejection();
  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  for (const key of [undefined, KEY]) {
    it(`a question that failed before any of its answer came, then another question: the same marks ${key ? 'with' : 'without'} storage-key`, async () => {
      const { el } = await chatFor([httpError(500, 'Down'), streamingReply(['Whole'])], key);
      await el.send('Question').catch(() => {});
      await el.updateComplete;
      expect((await el.send('Next')).content).to.equal('Whole');
      await el.updateComplete;
      // (A question followed by another is no longer one to answer: unmarked, as a restored one is.)
      expect(marked(el)).to.deep.equal([]);
    });

    it(`an answer whose tools ran, its next response failed, then another question: the answer marked Interrupted ${key ? 'with' : 'without'} storage-key`, async () => {
      const { el } = await chatFor([calling, httpError(500, 'Down'), streamingReply(['Next.'])], key);
      el.tools = [{ name: 'now', execute: () => '12:00' }];
      await el.send('What time is it?').catch(() => {});
      expect((await el.send('Next?')).content).to.equal('Next.');
      await el.updateComplete;
      expect(marked(el)).to.deep.equal([['marker interrupted', '']]);
    });

    it(`an answer whose tools ran, its next response failed, then retry() goes on from it: no marker ${key ? 'with' : 'without'} storage-key`, async () => {
      const { el } = await chatFor([calling, httpError(500, 'Down'), streamingReply(['It is noon.'])], key);
      el.tools = [{ name: 'now', execute: () => '12:00' }];
      await el.send('What time is it?').catch(() => {});
      expect((await el.retry()).content).to.equal('It is noon.');
      await el.updateComplete;
      expect(marked(el)).to.deep.equal([]);
    });
  }
});
