/**
 * README's "Keeping the conversation (`storage-key`)", read by a new host and tried as written.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { callingReply, chunkEvent, httpError, mockEndpoint, streamingReply, type MockResponse } from './helpers/server.js';
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
const calling = callingReply([{ id: 'call_1', name: 'now', args: '{}' }]);

/** A response whose body ends after "Partial", with no finish reason: an error, what arrived kept. */
const partial: MockResponse = { steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({ content: 'Partial' }) }] };

/** Each marker with the message it follows (a turn of a tool loop holds several). */
function markers(el: StreamChatElement) {
  const seen = [...el.shadowRoot!.querySelectorAll('[part~="message"], [part~="marker"]')];
  return seen.flatMap((node, at) => (node.matches('[part~="marker"]') ? [[node.getAttribute('part'), seen.slice(0, at).findLast((message) => message.matches('[part~="message"]'))!.textContent]] : []));
}

/** The chat's storage-key set to another (nothing stored there) while a failure is pending, then back. */
async function keyAndBack(el: StreamChatElement) {
  const key = el.storageKey;
  el.storageKey = 'storage-audit-other';
  await el.updateComplete;
  el.storageKey = key;
  await el.updateComplete;
}

/** A turn that is to fail: waited for, its rejection taken. */
const failed = (sent: Promise<unknown>) => sent.then(() => expect.fail('the turn was to fail'), () => {});

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

  /**
   * What a failure cut short, marked Interrupted once it ends, by one rule with or without
   * storage-key: what arrived of an answer, or an answer whose tools ran (none of the next response
   * came), unless a response goes on from it; never a question (none of its answer came).
   */
  const turns: Array<[name: string, scripts: MockResponse[], run: (el: StreamChatElement) => Promise<unknown>, marks: string[][]]> = [
    ['partial text, then another question', [partial, streamingReply(['Whole'])], async (el) => (await failed(el.send('Q')), el.send('Next')), [['marker interrupted', 'Partial']]],
    ['partial text, then retry()', [partial, streamingReply(['Whole'])], async (el) => (await failed(el.send('Q')), el.retry()), []],
    ['partial text, then regenerate()', [partial, streamingReply(['Whole'])], async (el) => (await failed(el.send('Q')), el.regenerate()), []],
    ['partial text, then edit() of its question', [partial, streamingReply(['Whole'])], async (el) => (await failed(el.send('Q')), el.edit(0, 'Q2')), []],
    ['partial text, then stop() and clear()', [partial], async (el) => (await failed(el.send('Q')), el.stop(), el.clear()), []],
    ['partial text, then messages set that keep it last (a greeting before it)', [partial], async (el) => (await failed(el.send('Q')), (el.messages = [{ role: 'assistant', content: 'Hello' }, ...el.messages])), [['marker interrupted', 'Partial']]],
    ['a failed question, then messages set that keep it last (a greeting before it)', [httpError(500, 'Down')], async (el) => (await failed(el.send('Q')), (el.messages = [{ role: 'assistant', content: 'Hello' }, ...el.messages])), []],
    ['a failed question, then retry()', [httpError(500, 'Down'), streamingReply(['Whole'])], async (el) => (await failed(el.send('Q')), el.retry()), []],
    ['tools ran, the next response failed, then regenerate()', [calling, httpError(500, 'Down'), calling, streamingReply(['Noon.'])], async (el) => (await failed(el.send('Q')), el.regenerate()), []],
    [
      'tools ran, the next response failed, messages set that keep it last, then retry()',
      [calling, httpError(500, 'Down'), streamingReply(['Noon.'])],
      async (el) => (await failed(el.send('Q')), (el.messages = [{ role: 'assistant', content: 'Hello' }, ...el.messages]), el.retry()),
      [],
    ],
    [
      "tools ran, the next response failed, then the page's own answer after it in messages",
      [calling, httpError(500, 'Down')],
      async (el) => (await failed(el.send('Q')), (el.messages = [...el.messages, { role: 'assistant', content: 'Noon.' }])),
      [],
    ],
    ['a tool loop whose later step broke off, then another question', [calling, partial, streamingReply(['Whole'])], async (el) => (await failed(el.send('Q')), el.send('Next')), [['marker interrupted', 'Partial']]],
    ['partial text, then another storage-key and back, then another question', [partial, streamingReply(['Whole'])], async (el) => (await failed(el.send('Q')), await keyAndBack(el), el.send('Next')), [['marker interrupted', 'Partial']]],
    ['a failed question, then another storage-key and back, then another question', [httpError(500, 'Down'), streamingReply(['Whole'])], async (el) => (await failed(el.send('Q')), await keyAndBack(el), el.send('Next')), []],
    [
      'tools ran, the next response failed, then another storage-key and back, then another question',
      [calling, httpError(500, 'Down'), streamingReply(['Whole'])],
      async (el) => (await failed(el.send('Q')), await keyAndBack(el), el.send('Next')),
      [['marker interrupted', '']],
    ],
  ];

  for (const [name, scripts, run, marks] of turns) {
    for (const key of [undefined, KEY]) {
      it(`what a failure cut short, ${name}: ${marks.length ? 'marked' : 'no marker'} ${key ? 'with' : 'without'} storage-key`, async () => {
        const { el } = await chatFor(scripts, key);
        el.tools = [{ name: 'now', execute: () => '12:00' }];
        await run(el);
        await el.updateComplete;
        expect(markers(el)).to.deep.equal(marks);
      });
    }
  }

  /** A failure pending (its error and Retry shown): what is stored, what a reload shows, what another element with the key shows (as another tab). */
  const pending: Array<[name: string, scripts: MockResponse[], interrupted: number[], marks: string[][]]> = [
    ['partial text', [partial], [1], [['marker interrupted', 'Partial']]],
    ['a failed question', [httpError(500, 'Down')], [0], [['marker interrupted', 'Q']]],
    ['tools ran, the next response failed', [calling, httpError(500, 'Down')], [1], [['marker interrupted', '']]],
  ];
  for (const [name, scripts, interrupted, marks] of pending) {
    it(`${name}, its failure pending: stored marked, and a reload and another element with the key show it marked`, async () => {
      const { el } = await chatFor(scripts, KEY);
      el.tools = [{ name: 'now', execute: () => '12:00' }];
      const tab = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
      await failed(el.send('Q'));
      await el.updateComplete;
      expect(JSON.parse(localStorage.getItem(KEY)!).interrupted).to.deep.equal(interrupted);
      await waitUntil(() => tab.messages.length === el.messages.length, 'the other element takes the write');
      await tab.updateComplete;
      expect(markers(tab)).to.deep.equal(marks);
      el.remove();
      tab.remove();
      const reloaded = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
      await reloaded.updateComplete;
      expect(markers(reloaded)).to.deep.equal(marks);
    });
  }

  /** Data as the last version wrote it: restored with the same marks (a question or an answer with calls that a turn went on from, unmarked). */
  const written: Array<[name: string, messages: object[], interrupted: number[], marks: string[][], stored: number[]]> = [
    ['a question cut off, last', [{ role: 'user', content: 'Q' }], [0], [['marker interrupted', 'Q']], [0]],
    ['a question cut off, then answered', [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }], [0], [], []],
    ['partial text, then another question', [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'Partial' }, { role: 'user', content: 'Next' }], [1, 2], [['marker interrupted', 'Partial'], ['marker interrupted', 'Next']], [1, 2]],
    [
      'an answer whose tools ran, then another question',
      [{ role: 'user', content: 'Q' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'now', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c', content: '12:00' }, { role: 'user', content: 'Next' }],
      [1],
      [['marker interrupted', '']],
      [1],
    ],
    [
      'an answer whose tools ran, then an answer that goes on from it',
      [{ role: 'user', content: 'Q' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'now', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c', content: '12:00' }, { role: 'assistant', content: 'Noon.' }],
      [1],
      [],
      [],
    ],
  ];
  for (const [name, messages, interrupted, marks, stored] of written) {
    it(`data the last version stored, ${name}: restored with the same marks`, async () => {
      localStorage.setItem(KEY, JSON.stringify({ v: 1, messages, interrupted, streaming: false }));
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
      await el.updateComplete;
      expect(markers(el)).to.deep.equal(marks);
      el.messages = [...el.messages];
      expect(JSON.parse(localStorage.getItem(KEY)!).interrupted).to.deep.equal(stored);
    });
  }

  it('a key with odd characters (quotes, a line break, an emoji, spaces) keeps its conversation under that exact key, and a new element with it restores it', async () => {
    const odd = ' a"b\'c\n😀 <x> ';
    const endpoint = await mockEndpoint([streamingReply(['Hello'])]);
    const el = await fixture<StreamChatElement>(html`<stream-chat .storageKey=${odd} endpoint=${endpoint.url} retries="0"></stream-chat>`);
    expect((await el.send('Hi')).content).to.equal('Hello');
    expect(JSON.parse(localStorage.getItem(odd)!).messages).to.deep.equal([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }]);
    el.remove();
    const again = await fixture<StreamChatElement>(html`<stream-chat .storageKey=${odd}></stream-chat>`);
    await again.updateComplete;
    expect(again.messages.map((message) => message.content)).to.deep.equal(['Hi', 'Hello']);
  });

  it('the key removed while idle: the chat keeps what it shows, unsaved; the old key keeps its conversation', async () => {
    const { el } = await chatFor([streamingReply(['One']), streamingReply(['Two'])], KEY);
    await el.send('First');
    el.storageKey = '';
    await el.updateComplete;
    await el.send('Second');
    expect(el.messages.map((message) => message.content)).to.deep.equal(['First', 'One', 'Second', 'Two']);
    expect(JSON.parse(localStorage.getItem(KEY)!).messages.map((message: { content: string }) => message.content)).to.deep.equal(['First', 'One']);
  });

  it('the page closed while a call waits for the page (its tool has no execute): stored as a call not answered, and restored its card says Stopped', async () => {
    // Before, "…before the tool returned a result: the page was closed.", though no tool ran.
    const { el } = await chatFor([calling], KEY);
    el.tools = [{ name: 'now' }];
    const sent = el.send('What time is it?');
    await waitUntil(() => el.conversation.status === 'waiting', 'the call waits');
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    const text = localStorage.getItem(KEY)!;
    expect(JSON.parse(text).messages.at(-1)).to.deep.equal({ role: 'tool', tool_call_id: 'call_1', content: 'Error: stopped by the user before the call was answered: the page was closed.' });
    el.stop();
    expect((await sent).aborted).to.equal(true);
    el.remove();
    localStorage.setItem(KEY, text);
    const restored = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
    expect([...restored.shadowRoot!.querySelectorAll('[part~="tool-state"]')].map((state) => state.textContent)).to.deep.equal(['Stopped']);
  });

  it('localStorage that throws (Safari private mode, a blocked page): the chat works, one warning per key, a new key its own', async () => {
    const own = Object.getOwnPropertyDescriptor(window, 'localStorage');
    const endpoint = await mockEndpoint([streamingReply(['One']), streamingReply(['Two'])]);
    const blocked = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    Object.defineProperty(window, 'localStorage', { configurable: true, get: blocked });
    try {
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
      const warnings: string[] = [];
      el.addEventListener('warning', (event) => warnings.push(event.detail.message));
      expect((await el.send('First')).content).to.equal('One');
      await waitUntil(() => warnings.length === 1, 'a warning');
      el.storageKey = 'other';
      await el.updateComplete;
      expect((await el.send('Second')).content).to.equal('Two');
      await waitUntil(() => warnings.length === 2, 'a warning for the new key');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings.map((warning) => warning.split(':')[0])).to.deep.equal(['Not saved under "storage-audit"', 'Not saved under "other"']);
    } finally {
      if (own) Object.defineProperty(window, 'localStorage', own);
      else delete (window as { localStorage?: Storage }).localStorage;
    }
  });
});
