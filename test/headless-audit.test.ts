/**
 * README's Headless section read as a host with its own UI: its samples as written, in a page,
 * against the scripted SSE server over a real socket (a relative endpoint, as the first sample's).
 */
import { expect } from '@open-wc/testing';
import { Conversation, Status, streamChat, type Delta } from '../src/core.js';
import { DONE, chunkEvent, mockEndpoint, streamingReply } from './helpers/server.js';

const pathOf = (url: string) => new URL(url).pathname;

describe("README's Headless section, in a page", () => {
  it('the first sample as written, with a relative endpoint: deltas, the content, the messages', async () => {
    const endpoint = await mockEndpoint(streamingReply(['Hel', 'lo']));
    const chat = new Conversation({ endpoint: pathOf(endpoint.url), model: 'gpt-4o-mini' });
    const deltas: string[] = [];
    chat.addEventListener('chunk', (e) => deltas.push(e.detail.delta));
    const { content } = await chat.send('Hi');
    expect(content).to.equal('Hello');
    expect(deltas.join('')).to.equal('Hello');
    expect(chat.messages).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ]);
    const [request] = await endpoint.requests();
    expect(request?.body).to.deep.include({ model: 'gpt-4o-mini', stream: true });
  });

  it('a view that renders draft.message on change, and appends deltas on chunk, sees the same text', async () => {
    const endpoint = await mockEndpoint({ steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({ content: 'one' }) }, { hold: 'mid' }, { write: chunkEvent({ content: ' two' }) }, { write: chunkEvent({}, { finishReason: 'stop' }) }, { write: DONE }] });
    const chat = new Conversation({ endpoint: endpoint.url });
    const log: string[] = [];
    chat.addEventListener('change', () => log.push(`change:${chat.status}:${chat.draft?.message.content ?? '-'}:${chat.draft?.arrived ?? '-'}`));
    chat.addEventListener('chunk', (e) => log.push(`chunk:${e.detail.delta}:${e.detail.content}`));
    const sent = chat.send('Hi');
    await new Promise((resolve) => chat.addEventListener('chunk', (e) => e.detail.delta && resolve(null)));
    expect(chat.status).to.equal(Status.streaming);
    expect(chat.draft?.message.content).to.equal('one');
    await endpoint.release('mid');
    await sent;
    // The change that shows the first text comes before its chunk, with the text in the draft already.
    expect(log.indexOf('change:streaming:one:true')).to.be.lessThan(log.indexOf('chunk:one:one'));
    expect(log.at(-1)).to.equal('change:idle:-:-');
  });

  it('stop() aborts the request on the wire; leaving a streamChat loop early does too, as a host signal does', async () => {
    const held = { steps: [{ write: chunkEvent({ role: 'assistant', content: 'a' }) }, { hold: 'never' }, ...streamingReply(['b']).steps] };
    const one = await mockEndpoint(held);
    const chat = new Conversation({ endpoint: one.url });
    const sent = chat.send('Hi');
    await new Promise((resolve) => chat.addEventListener('chunk', resolve, { once: true }));
    chat.stop();
    expect((await sent).aborted).to.equal(true);
    expect((await one.settled())[0]?.aborted).to.equal(true);

    const two = await mockEndpoint(held);
    for await (const delta of streamChat({ endpoint: two.url, messages: [{ role: 'user', content: 'Hi' }] })) if (delta.type === 'text') break;
    expect((await two.settled())[0]?.aborted).to.equal(true);

    const three = await mockEndpoint(held);
    const controller = new AbortController();
    const seen: Delta['type'][] = [];
    const loop = (async () => {
      for await (const delta of streamChat({ endpoint: three.url, signal: controller.signal, messages: [{ role: 'user', content: 'Hi' }] })) {
        seen.push(delta.type);
        if (delta.type === 'text') controller.abort();
      }
    })();
    const error = await loop.then(() => null, (e: unknown) => e);
    expect((error as Error).name).to.equal('AbortError');
    expect(seen).to.deep.equal(['text']);
    expect((await three.settled())[0]?.aborted).to.equal(true);
  });
});
