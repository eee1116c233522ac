/**
 * README's API section (Attributes and properties, Methods, Events) read as a new host would, each
 * row tried as written against the scripted server: invalid numbers as the table reads them, the
 * methods out of the page, refused calls dispatching nothing, properties set before the upgrade, and
 * `done` after the last DOM write in each protocol.
 */
import { expect, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { rejectionOf } from './helpers/rejection.js';
import { anthropicReply, callingReply, httpError, mockEndpoint, responsesReply, streamingReply, type MockResponse } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

async function chat(script: MockResponse | MockResponse[], attributes: Record<string, string> = {}) {
  const endpoint = await mockEndpoint(script);
  const el = document.createElement('stream-chat');
  el.setAttribute('endpoint', endpoint.url);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
  await el.updateComplete;
  el.conversation.options.retryDelay = 10;
  const events: string[] = [];
  for (const type of ['done', 'error', 'tool-call']) el.addEventListener(type, () => events.push(type));
  return { el, endpoint, events };
}

const callReply = callingReply([{ id: 'c1', name: 't', args: '{}' }]);

describe("README's API: attributes, methods and events as a host uses them", () => {
  failOnUnhandledRejection();
  afterEach(() => document.querySelectorAll('stream-chat').forEach((el) => el.remove()));

  it('max-steps of 0 or less is one response (at least 1), not a number the default 5; retries below 0 none, not a number the default 2', async () => {
    for (const [value, responses] of [['0', 1], ['-2', 1], ['abc', 5], ['', 5]] as const) {
      const { el, endpoint } = await chat(callReply, { 'max-steps': value });
      el.tools = [{ name: 't', description: 't', parameters: { type: 'object', properties: {} }, execute: () => 'r' }];
      await el.send('Hi');
      expect((await endpoint.requests()).length, `max-steps="${value}"`).to.equal(responses);
    }
    for (const [value, requests] of [['-1', 1], ['abc', 3]] as const) {
      const { el, endpoint, events } = await chat(httpError(503, 'busy', { 'retry-after': '0' }), { retries: value });
      expect(await rejectionOf(el.send('Hi'))).to.have.property('kind', 'http');
      expect((await endpoint.requests()).length, `retries="${value}"`).to.equal(requests);
      expect(events).to.deep.equal(['error']);
    }
  });

  it('out of the page, before it is added and after it is removed, each method that asks sends nothing, dispatches nothing and resolves aborted', async () => {
    const endpoint = await mockEndpoint(streamingReply(['ok']));
    const el = document.createElement('stream-chat');
    el.endpoint = endpoint.url;
    const events: string[] = [];
    for (const type of ['chunk', 'done', 'error']) el.addEventListener(type, () => events.push(type));
    expect((await el.send('Before')).aborted).to.equal(true);
    document.body.append(el);
    await el.updateComplete;
    expect((await el.send('In')).aborted).to.equal(false);
    el.remove();
    for (const ask of [() => el.send('After'), () => el.regenerate(), () => el.retry(), () => el.edit(0, 'Edited')]) expect((await ask()).aborted).to.equal(true);
    expect((await endpoint.requests()).length).to.equal(1);
    expect(events.filter((type) => type !== 'chunk')).to.deep.equal(['done']);
  });

  it('a call refused (a RangeError or TypeError) dispatches nothing and leaves messages as they were', async () => {
    const { el, endpoint, events } = await chat(streamingReply(['ok']));
    expect(await rejectionOf(el.retry())).to.be.instanceOf(RangeError);
    el.messages = [{ role: 'assistant', content: 'Hello!' }];
    expect(await rejectionOf(el.regenerate())).to.be.instanceOf(RangeError);
    await el.send('Hi');
    const before = [...el.messages];
    for (const refused of [el.send(' \n'), el.edit(0, 'x'), el.edit(-1, 'x'), el.edit(NaN, 'x'), el.edit(1, '  ')]) expect(await rejectionOf(refused)).to.be.instanceOf(RangeError);
    for (const refused of [el.send(42 as unknown as string), el.edit(1, {} as unknown as string)]) expect(await rejectionOf(refused)).to.be.instanceOf(TypeError);
    expect(el.messages).to.deep.equal(before);
    expect(events).to.deep.equal(['done']);
    expect((await endpoint.requests()).length).to.equal(1);
  });

  it('properties set on an element before its upgrade (made in another document, then added) go with a send() right after it', async () => {
    const endpoint = await mockEndpoint(streamingReply(['ok']));
    const el = document.implementation.createHTMLDocument('').createElement('stream-chat') as StreamChatElement;
    Object.assign(el, { endpoint: endpoint.url, model: 'm1', maxTokens: 50 });
    document.body.append(el);
    expect((await el.send('Hi')).content).to.equal('ok');
    const [request] = await endpoint.requests();
    expect(request!.body).to.deep.equal({ model: 'm1', messages: [{ role: 'user', content: 'Hi' }], stream: true, max_tokens: 50 });
  });

  it('done, in each protocol, finds the answer on screen and has the fields the table names (usage when the provider sent it)', async () => {
    const scripts = { 'openai-chat': streamingReply(['Hel', 'lo']), 'openai-responses': responsesReply(['Hel', 'lo']), anthropic: anthropicReply(['Hel', 'lo']) };
    for (const [protocol, script] of Object.entries(scripts)) {
      const { el } = await chat(script, { protocol, format: 'text' });
      let shown: string | null | undefined;
      el.addEventListener('done', () => (shown = el.shadowRoot!.querySelector('[part~=assistant]')?.textContent));
      const detail = await el.send('Hi');
      await waitUntil(() => shown !== undefined);
      expect(shown, protocol).to.equal('Hello');
      expect(Object.keys(detail).sort(), protocol).to.deep.equal(['aborted', 'content', 'finishReason', 'message', 'stats', 'steps', ...(protocol === 'openai-chat' ? [] : ['usage'])].sort());
      expect(detail.message, protocol).to.equal(el.messages.at(-1));
    }
  });

  it('a key or model with spaces or a line break around it, as pasted, is sent without them; a blank one is none', async () => {
    for (const protocol of ['openai-chat', 'anthropic']) {
      const sent: [string | string[] | undefined, unknown][] = [];
      for (const [key, model] of [[' ', ' '], [' sk-1 ', '\tm1\n'], ['\uFEFFsk-1\u3000', 'm1']] as const) {
        const { el, endpoint } = await chat(protocol === 'anthropic' ? anthropicReply(['ok']) : streamingReply(['ok']), { protocol, key, model });
        await el.send('Hi');
        const [request] = await endpoint.requests();
        sent.push([request!.headers[protocol === 'anthropic' ? 'x-api-key' : 'authorization'], (request!.body as { model?: string }).model]);
      }
      // Before, `Authorization: Bearer` (no token) and `"model": " "`; then `Bearer  sk-1` and `"\tm1\n"`.
      const key = protocol === 'anthropic' ? 'sk-1' : 'Bearer sk-1';
      expect(sent, protocol).to.deep.equal([[undefined, undefined], [key, 'm1'], [key, 'm1']]);
    }
  });

  it("a key or model set to false (a framework's `cond && key`) is none, as before they were trimmed, in each protocol", async () => {
    for (const protocol of ['openai-chat', 'openai-responses', 'anthropic']) {
      const reply = protocol === 'anthropic' ? anthropicReply(['ok']) : protocol === 'openai-responses' ? responsesReply(['ok']) : streamingReply(['ok']);
      const { el, endpoint } = await chat(reply, { protocol });
      Object.assign(el, { key: false, model: false });
      await el.send('Hi');
      const [request] = await endpoint.requests();
      // Before, `Authorization: Bearer false` (`x-api-key: false`) and `"model": "false"`.
      expect([request!.headers[protocol === 'anthropic' ? 'x-api-key' : 'authorization'], (request!.body as { model?: string }).model], protocol).to.deep.equal([undefined, undefined]);
    }
  });

  it("a key trimmed keeps the rest of the request: Anthropic's container in the page's skills object goes to the endpoint, with the page's headers", async () => {
    const { el, endpoint } = await chat(anthropicReply(['ok']), { protocol: 'anthropic', key: ' sk-1 ' });
    const skills = [{ type: 'anthropic', skill_id: 'xlsx', version: 'latest' }];
    el.body = { container: { skills } };
    el.headers = { 'x-page': '1' };
    const container = { id: 'container_2', expires_at: '2999-01-01T00:00:00Z' };
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'Ran.', container } as never];
    // Before, the request's options were the trimmed key and model alone, over the rest as their
    // prototype: the protocol's copy of them with the container ({ ...options }) had no endpoint.
    await el.send('Q2');
    const [request] = await endpoint.requests();
    expect(request!.headers['x-page']).to.equal('1');
    expect(request!.headers['x-api-key']).to.equal('sk-1');
    expect((request!.body as { container?: unknown }).container).to.deep.equal({ id: 'container_2', skills });
  });

  it('retries="Infinity" counts as the default 2, as a value that is not a number does: a 503 with retry-after: 0 is asked 3 times, not without end', async () => {
    const { el, endpoint, events } = await chat(httpError(503, 'busy', { 'retry-after': '0' }), { retries: 'Infinity' });
    let asked = 0;
    // (Stopped at a 4th request: before, about 100 requests a second until the page went.)
    el.fetch = (input, init) => (++asked > 3 && el.stop(), fetch(input, init));
    expect(await rejectionOf(el.send('Hi'))).to.have.property('kind', 'http');
    expect((await endpoint.requests()).length).to.equal(3);
    expect(events).to.deep.equal(['error']);
  });

  it('max-steps="Infinity" counts as the default 5, as a value that is not a number does: a model that keeps calling tools is cut off after 5 responses', async () => {
    const { el, endpoint, events } = await chat(callReply, { 'max-steps': 'Infinity' });
    el.tools = [{ name: 't', description: 't', parameters: { type: 'object', properties: {} }, execute: () => 'r' }];
    let asked = 0;
    // (Stopped at a 7th request: before, a request per call the model made, for as long as it did.)
    el.fetch = (input, init) => (++asked > 6 && el.stop(), fetch(input, init));
    expect((await el.send('Hi')).aborted).to.equal(false);
    expect((await endpoint.requests()).length).to.equal(5);
    expect(events).to.deep.equal([...Array(5).fill('tool-call'), 'done']);
  });

  it('format of another value than "text" (a typo, another case, "html") renders Markdown, as the table says', async () => {
    for (const format of ['Text', 'txt', 'html']) {
      const { el } = await chat(streamingReply(['**bold**']), { format });
      await el.send('Hi');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~=assistant] strong')?.textContent, format).to.equal('bold');
    }
  });
});
