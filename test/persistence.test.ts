/**
 * `storage-key`: the conversation kept in the browser, end to end in Chromium. Pages of their own
 * (iframes of this origin, so the same localStorage) reloaded for real; the real localStorage,
 * filled to its real quota; a sandboxed page, where localStorage throws; two pages with one key as
 * two tabs; answers from the local SSE server.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { ChatMessage, Tool } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { contentArrives } from './helpers/element.js';
import { pdf, recording } from './helpers/history.js';
import { DONE, anthropicBlocks, chunkEvent, httpError, mockEndpoint, slowReply, streamingReply, type MockResponse } from './helpers/server.js';

/** A chat-completions response that calls the page's tools (each `{}` unless given) and ends with finish_reason `tool_calls`. */
function calling(...calls: Array<{ id: string; name: string; args?: string }>): MockResponse {
  return {
    steps: [
      { write: chunkEvent({ role: 'assistant', content: null }) },
      ...calls.map(({ id, name, args = '{}' }, index) => ({ write: chunkEvent({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: args } }] }) })),
      { write: chunkEvent({}, { finishReason: 'tool_calls' }) },
      { write: DONE },
    ],
  };
}
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const KEY = 'stream-chat-test';

type PageWindow = Window & typeof globalThis & { warnings: string[]; problems: string[] };

/** A page with one `<stream-chat>`, in a frame of this origin: it shares this page's localStorage. */
class Page {
  constructor(readonly frame: HTMLIFrameElement) {}

  get window(): PageWindow {
    return this.frame.contentWindow as PageWindow;
  }

  get chat(): StreamChatElement {
    return this.window.document.querySelector('stream-chat')!;
  }

  parts(name: string): HTMLElement[] {
    return [...this.chat.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
  }

  /** The markers' text and the actions' names, in order: what a reload is to show again. */
  seen(): [Array<string | null>, Array<string | undefined>] {
    return [this.parts('marker').map((marker) => marker.textContent), this.parts('action').map((button) => button.dataset['action'])];
  }

  /** Resolves once the page has loaded again: start waiting before what reloads it. */
  loaded(): Promise<void> {
    return new Promise((resolve) => this.frame.addEventListener('load', () => resolve(), { once: true }));
  }

  async reload(): Promise<void> {
    expect(this.window.problems, 'errors in the page before the reload').to.deep.equal([]);
    const loaded = this.loaded();
    this.window.location.reload();
    await loaded;
    await this.chat.updateComplete;
  }
}

const frames: HTMLIFrameElement[] = [];

/**
 * Opens a page with `<stream-chat ${attributes}>`. It records the `warning` events that reach its
 * window, its errors and its unhandled rejections from before the element is defined.
 */
async function openPage(attributes: string): Promise<Page> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 480px; height: 320px';
  frame.srcdoc = `<!doctype html>
    <script>
      window.warnings = [];
      window.problems = [];
      addEventListener('warning', (e) => warnings.push(e.detail.message));
      addEventListener('error', (e) => problems.push(String(e.error ?? e.message)));
      addEventListener('unhandledrejection', (e) => problems.push('unhandled rejection: ' + String(e.reason)));
    </script>
    <script type="module" src="/src/index.ts"></script>
    <stream-chat ${attributes}></stream-chat>`;
  frames.push(frame);
  const page = new Page(frame);
  const loaded = page.loaded();
  document.body.append(frame);
  await loaded;
  await page.chat.updateComplete;
  return page;
}

const attributes = (endpoint: { url: string }, key = KEY) => `storage-key="${key}" endpoint="${endpoint.url}" retries="0"`;

/** What is stored under `key`, parsed. */
function stored(key = KEY): { v: number; messages: ChatMessage[]; interrupted: number[]; stopped?: number[]; limited?: number[]; empty?: Array<[number, string | null]>; streaming: boolean } {
  return JSON.parse(localStorage.getItem(key)!);
}

/** Messages as plain data, to compare across pages (each page has its own `Object`). */
const plain = (messages: ChatMessage[]): unknown => JSON.parse(JSON.stringify(messages));

/** Lets events queued as tasks (a delayed warning, a storage event) arrive. */
const tasks = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

function warningsOf(el: StreamChatElement): string[] {
  const log: string[] = [];
  el.addEventListener('warning', (event) => log.push(event.detail.message));
  return log;
}

/** Fills this origin's localStorage until not even one more character fits. */
function fillStorage(): void {
  let n = 0;
  for (const size of [1 << 20, 1 << 14, 1 << 8, 1]) {
    const filler = 'x'.repeat(size);
    for (;;) {
      try {
        localStorage.setItem(`filler-${n}`, filler);
        n++;
      } catch {
        break;
      }
    }
  }
}

/**
 * "Par", then "tial" 30 ms later, then a pause. "Par" changes the answer's shape, so it is saved at
 * once; "tial" changes nothing: storage holds "Par" until the timer's next save, or `pagehide`.
 */
function partialInTwo(): MockResponse {
  return {
    steps: [
      { write: chunkEvent({ role: 'assistant', content: '' }) },
      { write: chunkEvent({ content: 'Par' }) },
      { delay: 30 },
      { write: chunkEvent({ content: 'tial' }) },
      { delay: 5000 },
      { write: chunkEvent({}, { finishReason: 'stop' }) },
      { write: DONE },
    ],
  };
}

/**
 * An element that keeps its conversation under {@link KEY}, asked "Question" by `reply`'s endpoint,
 * once "Partial" of its answer has arrived: the answer streams. `before` runs on the element before
 * it is asked (what it is to send, a listener).
 */
async function answerStreams(reply: MockResponse, before?: (el: StreamChatElement) => void) {
  const endpoint = await mockEndpoint(reply);
  const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
  before?.(el);
  const arrived = contentArrives(el, 'Partial');
  const sent = el.send('Question');
  await arrived;
  return { endpoint, el, sent };
}

function shown(el: StreamChatElement): string[] {
  return [...el.shadowRoot!.querySelectorAll('[part~="message"]:not([hidden])')].map((node) => node.textContent ?? '');
}

describe('<stream-chat storage-key>', () => {
  failOnUnhandledRejection();

  beforeEach(() => localStorage.clear());

  afterEach(() => {
    for (const frame of frames.splice(0)) frame.remove();
    localStorage.clear();
  });

  describe('across reloads', () => {
    it('a conversation comes back after a reload as it was, and goes on', async () => {
      const endpoint = await mockEndpoint([streamingReply(['Hel', 'lo']), streamingReply(['Again'])]);
      const page = await openPage(attributes(endpoint));
      await page.chat.send('Hi');
      const before = plain(page.chat.messages);
      await page.reload();
      expect(plain(page.chat.messages)).to.deep.equal(before);
      expect(shown(page.chat)).to.deep.equal(['Hi', 'Hello']);
      expect(page.parts('marker')).to.deep.equal([]);
      await page.chat.send('More');
      expect(((await endpoint.requests())[1]!.body as { messages: ChatMessage[] }).messages).to.deep.equal([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'More' },
      ]);
      await page.reload();
      expect(shown(page.chat)).to.deep.equal(['Hi', 'Hello', 'More', 'Again']);
      await tasks();
      expect(page.window.warnings).to.deep.equal([]);
      expect(page.window.problems).to.deep.equal([]);
    });

    it('a question with files and audio comes back after a reload as it was, each file shown by its name', async () => {
      const page = await openPage(attributes(await mockEndpoint(streamingReply(['Read.']))));
      const question: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'Summarise.' }, pdf, { type: 'file', file: { file_id: 'file-abc123' } }, recording] };
      page.chat.messages = [question];
      await page.reload();
      expect(plain(page.chat.messages)).to.deep.equal([question]);
      expect(page.parts('file').map((node) => node.textContent)).to.deep.equal(['report.pdf', 'Attached file', 'Attached audio']);
      expect(page.window.warnings).to.deep.equal([]);
    });

    it('a reload mid-answer keeps what arrived, saved as the page went, marked interrupted on every reload after', async () => {
      const endpoint = await mockEndpoint([partialInTwo(), streamingReply(['Fine'])]);
      const page = await openPage(attributes(endpoint));
      let storedAtReload: ChatMessage[] = [];
      const reloaded = page.loaded();
      page.chat.addEventListener('chunk', (event) => {
        if (event.detail.content !== 'Partial') return;
        storedAtReload = stored().messages;
        page.window.location.reload();
      });
      page.chat.send('Tell me').catch(() => {});
      await reloaded;
      await page.chat.updateComplete;
      // The first text was saved as it changed the answer's shape; the rest, on the way out.
      expect(storedAtReload.at(-1)).to.deep.equal({ role: 'assistant', content: 'Par' });
      expect(plain(page.chat.messages)).to.deep.equal([
        { role: 'user', content: 'Tell me' },
        { role: 'assistant', content: 'Partial' },
      ]);
      expect(page.chat.streaming).to.equal(false);
      expect(page.parts('marker').map((marker) => [marker.getAttribute('part'), marker.textContent])).to.deep.equal([['marker interrupted', 'Interrupted']]);
      expect(page.parts('assistant')[0]!.textContent).to.equal('Partial');

      await page.reload();
      expect(shown(page.chat)).to.deep.equal(['Tell me', 'Partial']);
      expect(page.parts('interrupted')).to.have.length(1);

      const detail = await page.chat.send('Go on');
      expect(detail.content).to.equal('Fine');
      expect(((await endpoint.requests())[1]!.body as { messages: ChatMessage[] }).messages.slice(0, 2)).to.deep.equal([
        { role: 'user', content: 'Tell me' },
        { role: 'assistant', content: 'Partial' },
      ]);
      await page.reload();
      expect(shown(page.chat)).to.deep.equal(['Tell me', 'Partial', 'Go on', 'Fine']);
      expect(page.parts('interrupted').map((marker) => marker.closest('.turn')!.querySelector('[part~="assistant"]')!.textContent)).to.deep.equal(['Partial']);
    });

    it('a stopped answer comes back marked stopped, on every reload after (it looked whole after one)', async () => {
      const endpoint = await mockEndpoint([slowReply('Partial', 1000), streamingReply(['Again'])]);
      const page = await openPage(attributes(endpoint));
      const arrived = contentArrives(page.chat, 'Partial');
      const sent = page.chat.send('Question');
      await arrived;
      page.chat.stop();
      expect((await sent).aborted).to.equal(true);
      await page.reload();
      expect(shown(page.chat)).to.deep.equal(['Question', 'Partial']);
      expect(page.parts('marker').map((marker) => marker.textContent)).to.deep.equal(['Stopped']);
      await page.reload();
      expect(page.parts('marker').map((marker) => marker.textContent)).to.deep.equal(['Stopped']);
      // Gone on with (retry()), it is no longer stopped: no marker between its parts, after a reload too.
      await page.chat.retry();
      await page.reload();
      expect(shown(page.chat)).to.deep.equal(['Question', 'Partial', 'Again']);
      expect(page.parts('marker')).to.deep.equal([]);
      // Answered again, the stopped answer goes, and its marker with it.
      await page.chat.regenerate();
      await page.reload();
      expect(shown(page.chat)).to.deep.equal(['Question', 'Again']);
      expect(page.parts('marker')).to.deep.equal([]);
    });

    it('a reload before any of the answer arrived: the question comes back marked interrupted', async () => {
      const endpoint = await mockEndpoint([{ steps: [{ delay: 5000 }, { write: DONE }] }, streamingReply(['Answered'])]);
      const page = await openPage(attributes(endpoint));
      page.chat.send('Unanswered').catch(() => {});
      // The request is at the server (else the reload could cancel it unsent, and the retry get its reply).
      await waitUntil(async () => (await endpoint.requests()).length === 1, 'the question is asked');
      await page.reload();
      expect(shown(page.chat)).to.deep.equal(['Unanswered']);
      expect(page.parts('marker').map((marker) => [marker.getAttribute('part'), marker.closest('.turn')!.querySelector('[part~="message"]')!.textContent])).to.deep.equal([
        ['marker interrupted', 'Unanswered'],
      ]);
      expect((await page.chat.retry()).content).to.equal('Answered');
      // Answered now: the question is no longer one a reload cut off, on screen or in storage.
      await page.chat.updateComplete;
      expect(page.parts('marker')).to.deep.equal([]);
      expect(stored().interrupted).to.deep.equal([]);
    });

    for (const [what, reply, at] of [
      ['broke off after some of its answer', { steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({ content: 'Partial' }) }, { hold: 'cut' }, { destroy: true }] }, 'Partial'],
      ['failed before any of its answer (an HTTP 500)', httpError(500, 'Down'), 'Question'],
    ] as const) {
      it(`a turn that ${what} comes back as a reload's: ${at === 'Partial' ? 'what arrived' : 'its question'} marked interrupted; not its error, Retry or failed marker`, async () => {
        const endpoint = await mockEndpoint(reply as MockResponse);
        const page = await openPage(attributes(endpoint));
        const failed = new Promise((resolve) => page.chat.addEventListener('error', resolve, { once: true }));
        page.chat.send('Question').catch(() => {});
        if (at === 'Partial') await waitUntil(() => page.chat.conversation.draft?.message.content === 'Partial', 'the answer streams'), await endpoint.release('cut');
        await failed;
        await page.chat.updateComplete;
        expect([page.parts('marker').map((marker) => marker.getAttribute('part')), page.parts('retry').length], 'failed').to.deep.equal([['marker failed'], 1]);
        await page.reload();
        expect(shown(page.chat)).to.deep.equal(at === 'Partial' ? ['Question', 'Partial'] : ['Question']);
        expect(page.parts('marker').map((marker) => [marker.getAttribute('part'), marker.closest('.turn')!.querySelector('[part~="message"]')!.textContent])).to.deep.equal([['marker interrupted', at]]);
        expect([page.parts('error').length, page.parts('retry').length], 'no error, no Retry').to.deep.equal([0, 0]);
      });
    }

    it('an answer that broke off stays marked once a question follows it: interrupted, on screen, stored and after a reload', async () => {
      const endpoint = await mockEndpoint([
        { steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({ content: 'Partial' }) }, { hold: 'cut' }, { destroy: true }] },
        streamingReply(['Whole']),
      ]);
      const page = await openPage(attributes(endpoint));
      const failed = page.chat.send('Question').catch(() => {});
      await waitUntil(() => page.chat.conversation.draft?.message.content === 'Partial', 'the answer streams');
      await endpoint.release('cut');
      await failed;
      expect((await page.chat.send('Next')).content).to.equal('Whole');
      await page.chat.updateComplete;
      const marked = () => page.parts('marker').map((marker) => [marker.getAttribute('part'), marker.closest('.turn')!.querySelector('[part~="message"]')!.textContent]);
      // Before, no marker and `interrupted: []`: the answer cut short looked whole, also after a reload.
      expect(marked(), 'on screen').to.deep.equal([['marker interrupted', 'Partial']]);
      expect(stored().interrupted).to.deep.equal([1]);
      await page.reload();
      expect(marked(), 'after a reload').to.deep.equal([['marker interrupted', 'Partial']]);
    });

    it('an answer that broke off before a chat in use was given its first key stays marked once a question follows it', async () => {
      const endpoint = await mockEndpoint([
        { steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({ content: 'Partial' }) }, { hold: 'cut' }, { destroy: true }] },
        streamingReply(['Whole']),
      ]);
      const page = await openPage(`endpoint="${endpoint.url}" retries="0"`);
      const failed = page.chat.send('Question').catch(() => {});
      await waitUntil(() => page.chat.conversation.draft?.message.content === 'Partial', 'the answer streams');
      await endpoint.release('cut');
      await failed;
      page.chat.storageKey = KEY;
      // (The next question goes after the restore: persistence.ts is loaded by then.)
      expect((await page.chat.send('Next')).content).to.equal('Whole');
      await page.chat.updateComplete;
      // Before, `interrupted: []` and no marker: the failure came before persistence.ts was there to remember it.
      expect(stored().interrupted, 'stored').to.deep.equal([1]);
      expect(page.parts('marker').map((marker) => marker.textContent), 'on screen').to.deep.equal(['Interrupted']);
    });

    it('a reload after the tools ran, while the next answer was awaited: the calling answer comes back marked interrupted', async () => {
      const endpoint = await mockEndpoint([
        calling({ id: 'call_now', name: 'now' }),
        { steps: [{ delay: 5000 }, { write: DONE }] },
        streamingReply(['It is noon.']),
      ]);
      const page = await openPage(attributes(endpoint));
      page.chat.tools = [{ name: 'now', execute: () => '12:00' }];
      page.chat.send('What time is it?').catch(() => {});
      await waitUntil(async () => (await endpoint.requests()).length === 2, 'the next answer is asked for');
      await page.reload();
      expect(stored().interrupted).to.deep.equal([1]);
      expect(page.parts('interrupted').map((marker) => marker.closest('.turn')!.querySelector('[part~="tool-name"]')?.textContent)).to.deep.equal(['now']);
      page.chat.tools = [{ name: 'now', execute: () => '12:00' }];
      // A question after it leaves it marked: its turn never went on.
      expect((await page.chat.send('And?')).content).to.equal('It is noon.');
      expect(stored().interrupted).to.deep.equal([1]);
      // An answer that goes on from it, its turn: no longer marked (before, it stayed marked, stored so too).
      await page.reload();
      page.chat.messages = page.chat.messages.slice(0, 3);
      page.chat.tools = [{ name: 'now', execute: () => '12:00' }];
      expect((await page.chat.retry()).content).to.equal('It is noon.');
      expect(page.parts('interrupted')).to.have.length(0);
      expect(stored().interrupted).to.deep.equal([]);
    });

    for (const list of ['interrupted', 'stopped'] as const) {
      it(`an answer whose tools ran before ${list === 'stopped' ? 'a stop' : 'a reload'} cut its turn short has Retry, which goes on from their results: the tools do not run again`, async () => {
        const call = { id: 'call_send', type: 'function' as const, function: { name: 'send_email', arguments: '{"to":"a@b.test"}' } };
        localStorage.setItem(
          KEY,
          JSON.stringify({
            v: 1,
            messages: [
              { role: 'user', content: 'Mail Ann' },
              { role: 'assistant', content: null, tool_calls: [call] },
              { role: 'tool', tool_call_id: 'call_send', content: 'sent' },
            ],
            interrupted: list === 'interrupted' ? [1] : [],
            ...(list === 'stopped' && { stopped: [1] }),
            streaming: false,
          }),
        );
        const endpoint = await mockEndpoint(streamingReply(['Sent it.']));
        const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
        let sent = 0;
        el.tools = [{ name: 'send_email', execute: () => String(++sent) }];
        await el.updateComplete;
        const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="action"][part~="retry"]');
        // Before, Regenerate alone: it asked again from the question, and the email went twice.
        expect(retry?.closest('.turn')!.querySelector('[part~="tool-name"]')?.textContent).to.equal('send_email');
        const done = new Promise((resolve) => el.addEventListener('done', resolve, { once: true }));
        retry!.click();
        await done;
        expect(el.messages.map((message) => message.content)).to.deep.equal(['Mail Ann', null, 'sent', 'Sent it.']);
        const [request] = await endpoint.requests();
        expect((request!.body as { messages: ChatMessage[] }).messages.at(-1)).to.deep.include({ role: 'tool', content: 'sent' });
        expect(sent, 'the tool did not run again').to.equal(0);
        await el.updateComplete;
        expect(el.shadowRoot!.querySelectorAll('[part~="action"][part~="retry"]'), 'gone once its turn went on').to.have.length(0);
      });
    }

    it('a reload while the response that goes on with a turn Anthropic paused was awaited: the paused answer has the Retry that goes on with it, and loses its marker once it has', async () => {
      const endpoint = await mockEndpoint([
        anthropicBlocks('pause_turn', [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Searching.' }], [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'Ørsted' } }]),
        { steps: [{ delay: 5000 }, { write: DONE }] },
        anthropicBlocks('end_turn', [{ type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }], [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Found it.' }]),
      ]);
      const page = await openPage(`${attributes(endpoint)} protocol="anthropic"`);
      page.chat.send('Who is Ørsted?').catch(() => {});
      // (The Anthropic protocol's module loads first.)
      await waitUntil(async () => (await endpoint.requests()).length === 2, 'the response that goes on is asked for', { timeout: 5000 });
      // (Saved as it came, its blocks: a write may come after the next request has gone.)
      await waitUntil(() => stored().messages.at(-1)?.content_blocks, 'the paused answer stored whole');
      await page.reload();
      // Before, Regenerate alone: the search, and what came before it, asked for again.
      expect(page.seen()).to.deep.equal([['Interrupted'], ['copy', 'edit', 'copy', 'retry', 'regenerate']]);
      page.parts('retry')[0]!.click();
      await waitUntil(() => page.chat.messages.at(-1)?.content === 'Found it.', 'the turn goes on');
      const blocks = ((await endpoint.requests())[2]!.body as { messages: Array<{ content: Array<{ type: string }> }> }).messages.at(-1)!.content;
      expect(blocks.map((block) => block.type)).to.deep.equal(['text', 'server_tool_use']);
      await page.chat.updateComplete;
      // Before, "Interrupted" stayed between the paused answer and the one that went on with it, stored so too.
      expect(page.seen()).to.deep.equal([[], ['copy', 'edit', 'copy', 'regenerate']]);
      expect(stored().interrupted).to.deep.equal([]);
    });

    it('a turn max-steps ended comes back marked so, with the Retry that goes on from its results; one gone on with, or under a later question, as before', async () => {
      const endpoint = await mockEndpoint([
        calling({ id: 'call_1', name: 'now' }),
        streamingReply(['Noted.']),
        calling({ id: 'call_2', name: 'now' }),
        streamingReply(['It is noon.']),
      ]);
      const page = await openPage(`${attributes(endpoint)} max-steps="1"`);
      let ran = 0;
      const tools: Tool[] = [{ name: 'now', execute: () => `${++ran}` }];
      page.chat.tools = tools;
      await page.chat.send('What time is it?');
      await page.chat.send('Never mind.');
      await page.chat.send('And now?');
      await page.chat.updateComplete;
      const before = page.seen();
      expect(before).to.deep.equal([
        ['Stopped at the step limit', 'Stopped at the step limit'],
        ['copy', 'edit', 'copy', 'edit', 'copy', 'copy', 'edit', 'retry', 'regenerate'],
      ]);
      // Stored as the view marked them: the calling answers, each the end of its turn.
      expect(stored().limited).to.deep.equal([1, 6]);
      await page.reload();
      // Before, no marker, and Regenerate alone: it asked again from the question, and the tool ran again.
      expect(page.seen()).to.deep.equal(before);
      page.chat.tools = tools;
      page.parts('retry')[0]!.click();
      await waitUntil(() => page.chat.messages.at(-1)?.content === 'It is noon.', 'the turn goes on');
      expect(ran, 'the tools did not run again').to.equal(2);
      // The answer its turn went on from is no longer one that ended it.
      expect(stored().limited).to.deep.equal([1]);
      await page.reload();
      expect(page.seen()).to.deep.equal([['Stopped at the step limit'], ['copy', 'edit', 'copy', 'edit', 'copy', 'copy', 'edit', 'copy', 'regenerate']]);
    });

    it('a turn max-steps ended that Retry went on with, whose next step failed: failed, not at the step limit, before and after a reload', async () => {
      const endpoint = await mockEndpoint([calling({ id: 'call_1', name: 'now' }), httpError(500, 'Down')]);
      const page = await openPage(`${attributes(endpoint)} max-steps="1"`);
      page.chat.tools = [{ name: 'now', execute: () => '12:00' }];
      await page.chat.send('What time is it?');
      await page.chat.retry().catch(() => {});
      await page.chat.updateComplete;
      // Before, "Stopped at the step limit" beside the failure, and stored so: after a reload beside
      // "Interrupted".
      expect(page.seen()[0]).to.deep.equal(['Answer failed']);
      expect(stored().limited).to.equal(undefined);
      await page.reload();
      expect(page.seen()[0]).to.not.include('Stopped at the step limit');
    });

    it("a turn Anthropic paused with a search yet to run (pause_turn), that max-steps ended, comes back marked so, with the Retry that goes on with it", async () => {
      const endpoint = await mockEndpoint([
        anthropicBlocks('pause_turn', [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Searching.' }], [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'Ørsted' } }]),
        anthropicBlocks('end_turn', [{ type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }], [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Found it.' }]),
      ]);
      const page = await openPage(`${attributes(endpoint)} protocol="anthropic" max-steps="1"`);
      expect((await page.chat.send('Who is Ørsted?')).finishReason).to.equal('pause_turn');
      await page.chat.updateComplete;
      const before = page.seen();
      expect(before).to.deep.equal([['Stopped at the step limit'], ['copy', 'edit', 'copy', 'retry', 'regenerate']]);
      await page.reload();
      // Before, no marker, and Regenerate alone: the search and what came before it asked for again.
      expect(page.seen()).to.deep.equal(before);
      page.parts('retry')[0]!.click();
      await waitUntil(() => page.chat.messages.at(-1)?.content === 'Found it.', 'the turn goes on');
      await page.reload();
      expect(page.seen()).to.deep.equal([[], ['copy', 'edit', 'copy', 'regenerate']]);
    });

    it('a turn that ended with no answer to show comes back marked so, in its words (the content filter’s); Regenerate, once answered, takes its marker away, stored too', async () => {
      const endpoint = await mockEndpoint([streamingReply(['\n\n']), streamingReply([], { finishReason: 'content_filter' }), streamingReply(['Here.'])]);
      const page = await openPage(attributes(endpoint));
      await page.chat.send('One');
      await page.chat.send('Two');
      await page.chat.updateComplete;
      const before = page.seen();
      // Under the answer of white space; under the question none came after.
      expect(before[0]).to.deep.equal(['Empty answer', 'Cut off by the content filter']);
      expect(stored().empty).to.deep.equal([
        [1, 'stop'],
        [2, 'content_filter'],
      ]);
      await page.reload();
      // Before, no marker: a question with nothing after it.
      expect(page.seen()).to.deep.equal(before);
      expect(page.parts('empty').map((marker) => marker.closest('.turn')!.classList.contains('assistant'))).to.deep.equal([true, false]);
      expect((await page.chat.regenerate()).content).to.equal('Here.');
      await page.chat.updateComplete;
      expect(page.seen()[0]).to.deep.equal(['Empty answer']);
      expect(stored().empty).to.deep.equal([[1, 'stop']]);
      await page.reload();
      expect(page.seen()[0]).to.deep.equal(['Empty answer']);
      expect(shown(page.chat).at(-1)).to.equal('Here.');
    });

    it('a turn stopped before any of its answer came comes back with its question marked Stopped, stored so at the stop', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 3000, steps: streamingReply(['late']).steps });
      const page = await openPage(attributes(endpoint));
      const sent = page.chat.send('One');
      await waitUntil(async () => (await endpoint.requests()).length === 1, 'the request reached the server');
      page.chat.stop();
      await sent;
      // In the list of what was stopped, where no finish reason is: before, [0, "aborted"] in `empty`,
      // which a provider's reason could be. And at the stop: before, written only at the next change or
      // as the page went (no `pagehide`: a crash, a killed tab), the question alone, unmarked.
      expect([stored().stopped, stored().empty]).to.deep.equal([[0], undefined]);
      await page.chat.updateComplete;
      const markers = (of = page) => of.parts('marker').map((marker) => [marker.getAttribute('part'), marker.textContent]);
      expect(markers()).to.deep.equal([['marker stopped', 'Stopped']]);
      // A page opened now, as another tab, or this one after a crash.
      expect(markers(await openPage(attributes(endpoint)))).to.deep.equal([['marker stopped', 'Stopped']]);
      await page.reload();
      expect(markers()).to.deep.equal([['marker stopped', 'Stopped']]);
    });

    for (const when of ['once its request reached the server', 'in the task that asked']) {
      it(`a chat taken out of the page ${when}, before its answer began, is stored with its question marked Stopped at the stop its removal made`, async () => {
        const endpoint = await mockEndpoint({ headersDelay: 3000, steps: streamingReply(['late']).steps });
        const page = await openPage(attributes(endpoint));
        const sent = page.chat.send('One');
        if (when.startsWith('once')) await waitUntil(async () => (await endpoint.requests()).length === 1, 'the request reached the server');
        const chat = page.chat;
        chat.remove();
        expect((await sent).aborted).to.equal(true);
        // Before, the question alone, unmarked, until the chat was put back (if ever): the removal's
        // stop dispatches no `done`, at which a stop's mark is saved.
        expect([stored().stopped, stored().empty]).to.deep.equal([[0], undefined]);
        const markers = (of = page) => of.parts('marker').map((marker) => [marker.getAttribute('part'), marker.textContent]);
        // A page opened now, as another tab, or this one after a crash.
        expect(markers(await openPage(attributes(endpoint)))).to.deep.equal([['marker stopped', 'Stopped']]);
        page.window.document.body.append(chat);
        await chat.updateComplete;
        expect(markers()).to.deep.equal([['marker stopped', 'Stopped']]);
        await page.reload();
        expect(markers()).to.deep.equal([['marker stopped', 'Stopped']]);
      });
    }

    for (const when of ['mid-answer', 'before its answer began']) {
      it(`a chat taken out of the page ${when} with storage emptied in the same task (a sign-out) writes nothing after; taken out alone (a route change), it comes back Stopped`, async () => {
        const reply = when == 'mid-answer' ? slowReply('Partial') : { headersDelay: 3000, steps: streamingReply(['late']).steps };
        const endpoint = await mockEndpoint([reply, reply, reply]);
        const markers = (of: Page) => of.parts('marker').map((marker) => [marker.getAttribute('part'), marker.textContent]);
        for (const [n, empty] of [undefined, () => localStorage.clear(), () => localStorage.removeItem(KEY)].entries()) {
          const page = await openPage(attributes(endpoint));
          const chat = page.chat;
          const arrived = contentArrives(chat, 'Partial');
          const sent = chat.send('Question');
          await (when == 'mid-answer' ? arrived : waitUntil(async () => (await endpoint.requests()).length > n, 'the request reached the server'));
          chat.remove();
          empty?.();
          expect((await sent).aborted).to.equal(true);
          // A timed save's wait.
          await tasks(400);
          await page.reload();
          if (!empty) {
            expect(shown(page.chat)).to.deep.equal(when == 'mid-answer' ? ['Question', 'Partial'] : ['Question']);
            expect(markers(page)).to.deep.equal([['marker stopped', 'Stopped']]);
            localStorage.clear();
            continue;
          }
          // Before, the stop the removal made (a microtask later) wrote the conversation back, and
          // its question's mark after it.
          expect({ ...localStorage }, String(empty)).to.deep.equal({});
          expect(shown(page.chat)).to.deep.equal([]);
        }
      });
    }

    it('a question whose answer a send() stopped before any of it came is stored marked at that stop, while the next answer streams', async () => {
      const endpoint = await mockEndpoint([{ headersDelay: 3000, steps: streamingReply(['late']).steps }, slowReply('Partial', 3000)]);
      const page = await openPage(attributes(endpoint));
      const first = page.chat.send('One');
      await waitUntil(async () => (await endpoint.requests()).length === 1, 'the first request reached the server');
      const second = page.chat.send('Two');
      await first;
      // Before, at the next save the streaming answer made (a quarter of a second on, or more).
      expect(stored().stopped).to.deep.equal([0]);
      page.chat.stop();
      await second;
    });

    it('a question stored marked Stopped by the last version ([index, "aborted"] in `empty`) comes back so, and is written again in `stopped`', async () => {
      localStorage.setItem(KEY, JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'One' }], interrupted: [], empty: [[0, 'aborted']], streaming: false }));
      const page = await openPage(attributes(await mockEndpoint(streamingReply(['Here.']))));
      const markers = () => page.parts('marker').map((marker) => [marker.getAttribute('part'), marker.textContent]);
      expect(markers()).to.deep.equal([['marker stopped', 'Stopped']]);
      page.chat.messages = [...page.chat.messages];
      await tasks();
      expect([stored().stopped, stored().empty]).to.deep.equal([[0], undefined]);
      await page.reload();
      expect(markers()).to.deep.equal([['marker stopped', 'Stopped']]);
      expect(page.window.warnings).to.deep.equal([]);
    });

    it('an empty answer whose provider gave the finish reason "aborted" comes back marked Empty answer, not Stopped', async () => {
      const page = await openPage(attributes(await mockEndpoint(streamingReply([], { finishReason: 'aborted' }))));
      await page.chat.send('One');
      await page.chat.updateComplete;
      const markers = () => page.parts('marker').map((marker) => [marker.getAttribute('part'), marker.textContent]);
      expect(markers()).to.deep.equal([['marker empty', 'Empty answer']]);
      await page.reload();
      // Stored as no reason: "aborted" there is the last version's stop.
      expect(markers()).to.deep.equal([['marker empty', 'Empty answer']]);
      expect([stored().stopped, stored().empty]).to.deep.equal([undefined, [[0, null]]]);
    });

    it('an answer of reasoning alone that the length limit cut comes back marked as it was shown: cut, not empty', async () => {
      const endpoint = await mockEndpoint({
        steps: [{ write: chunkEvent({ role: 'assistant', reasoning_content: 'Let me think' }) + chunkEvent({}, { finishReason: 'length' }) + DONE }],
      });
      const page = await openPage(attributes(endpoint));
      await page.chat.send('Prove it.');
      await page.chat.updateComplete;
      const markers = () => page.parts('marker').map((marker) => [marker.getAttribute('part'), marker.textContent]);
      const before = markers();
      expect(before).to.deep.equal([['marker cut', 'Cut off at the length limit']]);
      await page.reload();
      // Before, the same words as the empty turn's marker (part "marker empty").
      expect(markers()).to.deep.equal(before);
    });

    it('answers with text the provider cut come back marked as they were shown, in another tab too; a call the length limit, or the content filter, cut comes back Stopped, and the model is told why', async () => {
      const cutCall = (id: string, args: string, finishReason: string) => ({
        steps: [{ write: chunkEvent({ role: 'assistant', content: 'Looking up ', tool_calls: [{ index: 0, id, type: 'function', function: { name: 'weather', arguments: args } }] }) + chunkEvent({}, { finishReason }) + DONE }],
      });
      const endpoint = await mockEndpoint([
        streamingReply(['A long ']),
        streamingReply(['Some of '], { finishReason: 'length' }),
        streamingReply(['Well, '], { finishReason: 'content_filter' }),
        cutCall('call_1', '{"city": "Kra', 'length'),
        cutCall('call_2', '{"city": "Oslo"}', 'content_filter'),
        streamingReply(['Sunny.']),
      ]);
      const page = await openPage(attributes(endpoint));
      for (const question of ['One', 'Two', 'Three', 'Weather in Kraków?', 'In Oslo?']) await page.chat.send(question);
      await page.chat.updateComplete;
      const states = (of = page) => of.parts('tool-state').map((state) => state.textContent);
      const before = page.seen();
      expect(before[0]).to.deep.equal(['Cut off at the length limit', 'Cut off by the content filter', 'Cut off at the length limit', 'Cut off by the content filter']);
      expect(states()).to.deep.equal(['Stopped', 'Stopped']);
      // Another tab, or this one after a crash (no `pagehide`). Before, no marker, and a card with no state.
      const other = await openPage(attributes(endpoint));
      expect([other.seen(), states(other)]).to.deep.equal([before, ['Stopped', 'Stopped']]);
      await page.reload();
      expect([page.seen(), states()]).to.deep.equal([before, ['Stopped', 'Stopped']]);
      // Before, "no result was given" (its card then said Error), or, after `pagehide`, "the page was closed".
      expect((await page.chat.send('And now?')).content).to.equal('Sunny.');
      const sent = ((await endpoint.requests())[5]!.body as { messages: ChatMessage[] }).messages;
      expect(sent.filter((message) => message.role === 'tool')).to.deep.equal([
        { role: 'tool', tool_call_id: 'call_1', content: 'Error: stopped by the length limit before the call was complete: it was not run.' },
        { role: 'tool', tool_call_id: 'call_2', content: 'Error: stopped by the content filter before the call was run.' },
      ]);
    });

    it('an answer with text the length limit cut, restored, keeps its marker when retry() goes on from it, as it does before a reload', async () => {
      const endpoint = await mockEndpoint([streamingReply(['Some of '], { finishReason: 'length' }), streamingReply(['the rest.'])]);
      const page = await openPage(attributes(endpoint));
      await page.chat.send('One');
      await page.reload();
      expect((await page.chat.retry()).content).to.equal('the rest.');
      await page.chat.updateComplete;
      // Before, gone at the retry's start (as an empty turn's is), and stored so.
      expect(page.seen()[0]).to.deep.equal(['Cut off at the length limit']);
      expect(stored().empty).to.deep.equal([[1, 'length']]);
    });

    it('an empty turn whose provider gave a finish reason that is not text comes back marked Empty answer, its reason none, not as data of another shape', async () => {
      // A reason that is not text, from a broken server: chat-completions ends the answer with none, stored
      // as none (before, `{ why: 'stop' }` was stored as it came).
      const endpoint = await mockEndpoint(streamingReply([], { finishReason: { why: 'stop' } as unknown as string }));
      const page = await openPage(attributes(endpoint));
      await page.chat.send('One');
      await page.chat.updateComplete;
      const before = page.seen();
      expect(before[0]).to.deep.equal(['Empty answer']);
      expect(stored().empty).to.deep.equal([[0, null]]);
      await page.reload();
      // Before, an empty chat and a warning: the element could not read what it had written.
      expect(page.seen()).to.deep.equal(before);
      expect(plain(page.chat.messages)).to.deep.equal([{ role: 'user', content: 'One' }]);
      page.chat.messages = [...page.chat.messages];
      await tasks();
      expect(page.window.warnings).to.deep.equal([]);
      // Written again as none.
      expect(stored().empty).to.deep.equal([[0, null]]);
    });

    it('a stored empty turn whose reason is not text, or that has none, comes back marked Empty answer, its reason none, written again so', async () => {
      for (const why of [[{ a: 1 }], [5], []]) {
        localStorage.setItem(KEY, JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }], interrupted: [], empty: [[0, ...why]] }));
        const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
        const warnings = warningsOf(el);
        expect(el.shadowRoot!.querySelector('[part~="empty"]')?.textContent, JSON.stringify(why)).to.equal('Empty answer');
        el.messages = [...el.messages];
        await tasks();
        expect([warnings, stored().empty]).to.deep.equal([[], [[0, null]]]);
        el.remove();
      }
    });

    it('an empty turn whose last change the page takes the element out on and puts it back later (a host re-parents it): stored marked, as had it stayed', async () => {
      const endpoint = await mockEndpoint(streamingReply([], { finishReason: 'content_filter' }));
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
      const parent = el.parentElement!;
      // Out of the page on the turn's last change, its done then dispatched to no listener.
      el.conversation.addEventListener('change', function out() {
        if (el.conversation.status === 'idle') el.conversation.removeEventListener('change', out), el.remove();
      });
      await el.send('One');
      parent.append(el);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~="empty"]')?.textContent).to.equal('Cut off by the content filter');
      // Before, shown but not stored: a reload lost its marker.
      expect(stored().empty).to.deep.equal([[0, 'content_filter']]);
    });

    it('a conversation stored before empty turns were kept reads as before: no marker, and none written while there is none', async () => {
      const messages: ChatMessage[] = [
        { role: 'user', content: 'One' },
        { role: 'assistant', content: '\n\n' },
        { role: 'user', content: 'Two' },
      ];
      localStorage.setItem(KEY, JSON.stringify({ v: 1, messages, interrupted: [], streaming: false }));
      const page = await openPage(attributes(await mockEndpoint(streamingReply(['Here.']))));
      expect(plain(page.chat.messages)).to.deep.equal(messages);
      expect(page.parts('marker')).to.deep.equal([]);
      await page.chat.retry();
      expect(stored().messages).to.have.length(4);
      expect(stored()).to.not.have.property('empty');
      await tasks();
      expect(page.window.warnings).to.deep.equal([]);
    });

    describe('a turn max-steps did not end comes back without its marker and Retry, as it was shown (the messages alone looked limited)', () => {
      it('a turn whose next step failed, then a question answered', async () => {
        const endpoint = await mockEndpoint([calling({ id: 'call_1', name: 'now' }), httpError(500, 'Down'), streamingReply(['Next.'])]);
        const page = await openPage(attributes(endpoint));
        page.chat.tools = [{ name: 'now', execute: () => '12:00' }];
        await page.chat.send('What time is it?').catch(() => {});
        await page.chat.send('Next?');
        await page.chat.updateComplete;
        const before = page.seen();
        // (The answer whose tools ran stays marked interrupted, as after a reload that cut it: its turn never went on.)
        expect(before).to.deep.equal([['Interrupted'], ['copy', 'edit', 'copy', 'edit', 'copy', 'regenerate']]);
        await page.reload();
        expect(page.seen()).to.deep.equal(before);
      });

      it('a call a page without tools did not answer, then a question answered (its result says none was given)', async () => {
        const endpoint = await mockEndpoint([calling({ id: 'call_1', name: 'lookup' }), streamingReply(['Fine.'])]);
        const page = await openPage(attributes(endpoint));
        await page.chat.send('Go');
        await page.chat.send('Hello?');
        await page.chat.updateComplete;
        expect(page.chat.messages[2]!.content).to.equal('Error: no result was given.');
        const before = page.seen();
        expect(before).to.deep.equal([[], ['copy', 'edit', 'copy', 'edit', 'copy', 'regenerate']]);
        await page.reload();
        expect(page.seen()).to.deep.equal(before);
      });

      it('a conversation the page set: a call, its result, a system message, an answer', async () => {
        const page = await openPage(attributes(await mockEndpoint(streamingReply(['Unused.']))));
        page.chat.messages = [
          { role: 'user', content: 'What time is it?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'now', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '12:00' },
          { role: 'system', content: 'Be brief.' },
          { role: 'assistant', content: 'Noon.' },
        ];
        await page.chat.updateComplete;
        const before = page.seen();
        expect(before[0]).to.deep.equal([]);
        await page.reload();
        expect(page.seen()).to.deep.equal(before);
      });

      it('a conversation the page set with a call without its arguments (types aside): saved, and back after a reload as it was shown', async () => {
        // Before, not saved ("a message cannot be stored"), and one stored so was no conversation.
        const page = await openPage(attributes(await mockEndpoint(streamingReply(['Unused.']))));
        page.chat.messages = [
          { role: 'user', content: 'What time is it?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'now' } as never }] },
          { role: 'tool', tool_call_id: 'call_1', content: '12:00' },
          { role: 'assistant', content: 'Noon.' },
        ];
        await page.chat.updateComplete;
        const before = page.seen();
        await page.reload();
        expect(page.seen()).to.deep.equal(before);
        expect(page.chat.messages).to.have.length(4);
        expect(page.window.warnings).to.deep.equal([]);
      });

      it('an Anthropic answer cut at its length limit whose last block is a search: its own marker after a reload, not the step limit’s', async () => {
        const endpoint = await mockEndpoint(
          anthropicBlocks('max_tokens', [{ type: 'text', text: '' }, { type: 'text_delta', text: 'Searching.' }], [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'Ørsted' } }]),
        );
        const page = await openPage(`${attributes(endpoint)} protocol="anthropic"`);
        expect((await page.chat.send('Who is Ørsted?')).finishReason).to.equal('length');
        await page.reload();
        expect(page.seen()).to.deep.equal([['Cut off at the length limit'], ['copy', 'edit', 'copy', 'regenerate']]);
      });

      it('a turn stopped while its tool ran, and one a reload cut off while its tool ran: their own markers only', async () => {
        const endpoint = await mockEndpoint(calling({ id: 'call_1', name: 'wait' }));
        const page = await openPage(attributes(endpoint));
        page.chat.tools = [{ name: 'wait', execute: () => new Promise(() => {}) }];
        const sent = page.chat.send('Wait.');
        await waitUntil(() => page.chat.conversation.status === 'running-tools', 'the tool runs');
        page.chat.stop();
        expect((await sent).aborted).to.equal(true);
        await page.chat.updateComplete;
        const stopped = page.seen();
        expect(stopped[0]).to.deep.equal(['Stopped']);
        await page.reload();
        expect(page.seen()).to.deep.equal(stopped);
        page.chat.tools = [{ name: 'wait', execute: () => new Promise(() => {}) }];
        page.chat.send('Wait again.').catch(() => {});
        await waitUntil(() => page.chat.conversation.status === 'running-tools', 'the tool runs again');
        await page.reload();
        expect(page.seen()).to.deep.equal([
          ['Stopped', 'Interrupted'],
          ['copy', 'edit', 'copy', 'edit', 'retry', 'regenerate'],
        ]);
      });
    });

    it('a reload while tools run keeps the calls: a result that came stays, an open call gets one that says the page closed', async () => {
      const calls = [
        { id: 'call_now', name: 'now', args: '{}' },
        { id: 'call_never', name: 'never', args: '{}' },
      ];
      const endpoint = await mockEndpoint([
        calling(...calls),
        streamingReply(['Understood.']),
      ]);
      const page = await openPage(attributes(endpoint));
      const tools: Tool[] = [
        { name: 'now', execute: () => '12:00' },
        { name: 'never', execute: () => new Promise(() => {}) },
      ];
      page.chat.tools = tools;
      page.chat.send('Go').catch(() => {});
      await waitUntil(() => {
        const call = page.chat.messages[1]?.tool_calls?.[0];
        return call && page.chat.conversation.toolResult(call);
      }, 'the first tool has answered');
      expect(page.chat.conversation.status).to.equal('running-tools');
      await page.reload();
      const messages = plain(page.chat.messages) as ChatMessage[];
      expect(messages.slice(2)).to.deep.equal([
        { role: 'tool', tool_call_id: 'call_now', content: '12:00' },
        { role: 'tool', tool_call_id: 'call_never', content: 'Error: stopped by the user before the tool returned a result: the page was closed.' },
      ]);
      expect(page.parts('interrupted')).to.have.length(1);
      expect(page.parts('tool-result').map((result) => result.textContent)).to.deep.equal(['Result12:00', 'ResultError: stopped by the user before the tool returned a result: the page was closed.']);
      // Stopped by the page's going, not failed.
      expect(page.parts('tool-state').map((state) => state.textContent)).to.deep.equal(['Done', 'Stopped']);
      // The history is one a provider accepts: every call has its result.
      page.chat.tools = tools;
      expect((await page.chat.send('And now?')).content).to.equal('Understood.');
      expect(((await endpoint.requests())[1]!.body as { messages: ChatMessage[] }).messages.slice(2, 4)).to.deep.equal(messages.slice(2));
    });

    it('without tools, calls the host had not answered when the page went get the result that says so: the next turn is one a provider accepts', async () => {
      // Before, they were stored without results, and every later request was refused (a call with no result).
      const endpoint = await mockEndpoint([
        calling({ id: 'call_1', name: 'lookup' }),
        streamingReply(['Fine.']),
      ]);
      const page = await openPage(attributes(endpoint));
      await page.chat.send('Go');
      expect(stored().messages).to.have.length(2);
      await page.reload();
      expect((plain(page.chat.messages) as ChatMessage[]).slice(2)).to.deep.equal([
        { role: 'tool', tool_call_id: 'call_1', content: 'Error: stopped by the user before the tool returned a result: the page was closed.' },
      ]);
      // No marker: the turn did not end at the step limit (as stopped ones, their results say how it ended).
      expect(page.parts('marker')).to.deep.equal([]);
      expect((await page.chat.send('Hello?')).content).to.equal('Fine.');
      const sent = ((await endpoint.requests())[1]!.body as { messages: ChatMessage[] }).messages;
      expect(sent.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'tool', 'user']);
      // Only as the page goes: a new key leaves the calls to the host, unanswered under the old key.
      page.chat.messages = page.chat.messages.slice(0, 2);
      page.chat.storageKey = 'other';
      await page.chat.updateComplete;
      expect(stored().messages).to.have.length(2);
      localStorage.removeItem('other');
    });
  });

  it('while an answer streams it is saved a few times a second, not per chunk; the last write is the whole answer', async () => {
    const pieces = Array.from({ length: 40 }, (_, i) => `${i} `);
    const endpoint = await mockEndpoint(streamingReply(pieces, { gap: 25 }));
    const page = await openPage(attributes(endpoint));
    const writes: Array<{ at: number; value: { messages: ChatMessage[]; streaming: boolean } }> = [];
    const { setItem } = page.window.Storage.prototype;
    page.window.Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
      if (key === KEY) writes.push({ at: performance.now(), value: JSON.parse(value) });
      return setItem.call(this, key, value);
    };
    await page.chat.send('Count');
    const streamed = writes.filter((write) => write.value.streaming);
    const answers = new Set(streamed.map((write) => write.value.messages[1]?.content));
    // Changes alone write the question, then the first piece: the rest are the timer's.
    expect(answers.size, 'different partial answers saved').to.be.at.least(3);
    const elapsed = streamed.at(-1)!.at - streamed[0]!.at;
    expect(streamed.length, `writes in ${Math.round(elapsed)} ms`).to.be.at.most(Math.ceil(elapsed / 250) + 3);
    expect(writes.at(-1)!.value).to.deep.include({ streaming: false });
    expect(writes.at(-1)!.value.messages[1]).to.deep.equal({ role: 'assistant', content: pieces.join('') });
    expect(stored().messages[1]!.content).to.equal(pieces.join(''));
  });

  it('a conversation that takes long to save is saved less often while an answer streams: saves take at most 5% of the time', async () => {
    const pieces = Array.from({ length: 80 }, (_, i) => `${i} `);
    const endpoint = await mockEndpoint(streamingReply(pieces, { gap: 25 }));
    const page = await openPage(attributes(endpoint));
    const streamed: number[] = [];
    const { setItem } = page.window.Storage.prototype;
    // Each write takes 20 ms, as a conversation of about a megabyte does here.
    page.window.Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
      const start = performance.now();
      while (performance.now() - start < 20);
      if (key === KEY && JSON.parse(value).streaming) streamed.push(start);
      return setItem.call(this, key, value);
    };
    await page.chat.send('Count');
    expect(stored().messages[1]!.content).to.equal(pieces.join(''));
    // The question and the first piece are written as they change; then each of the timer's saves waits 20 times the last one.
    const gaps = streamed.slice(2).flatMap((at, i, all) => (i ? [Math.round(at - all[i - 1]!)] : []));
    expect(gaps.length, 'gaps between the timer’s saves').to.be.at.least(2);
    expect(Math.min(...gaps), `gaps ${gaps.join(', ')} ms`).to.be.at.least(360);
  });

  it('a message changed in place, then set in a new array, is saved as it is now, also while the next answer streams', async () => {
    const endpoint = await mockEndpoint([streamingReply(['One']), slowReply('Partial', 1000)]);
    const page = await openPage(attributes(endpoint));
    await page.chat.send('First');
    const messages = page.chat.messages;
    messages[0]!.content = 'First, changed';
    page.chat.messages = [...messages, { role: 'user', content: 'Second' }];
    expect(stored().messages[0]!.content).to.equal('First, changed');
    const arrived = contentArrives(page.chat, 'Partial');
    const sent = page.chat.regenerate();
    await arrived;
    await waitUntil(() => stored().messages[3]?.content === 'Partial', 'the answer saved while it streams');
    expect(stored().messages.map((message) => message.content)).to.deep.equal(['First, changed', 'One', 'Second', 'Partial']);
    messages[0]!.content = 'First, changed again';
    page.chat.messages = [...messages];
    expect((await sent).aborted).to.equal(true);
    expect(stored().messages.map((message) => message.content)).to.deep.equal(['First, changed again', 'One']);
  });

  it('clear() stops the answer, empties the chat and removes the stored conversation', async () => {
    const endpoint = await mockEndpoint([streamingReply(['One']), slowReply('Partial')]);
    const page = await openPage(attributes(endpoint));
    await page.chat.send('First');
    const arrived = contentArrives(page.chat, 'Partial');
    const sent = page.chat.send('Second');
    await arrived;
    page.chat.clear();
    expect((await sent).aborted).to.equal(true);
    expect(page.chat.messages).to.deep.equal([]);
    expect(page.chat.streaming).to.equal(false);
    await page.chat.updateComplete;
    expect(shown(page.chat)).to.deep.equal([]);
    expect(localStorage.getItem(KEY)).to.equal(null);
    expect((await endpoint.settled())[1]!.aborted).to.equal(true);
    await page.reload();
    expect(page.chat.messages).to.deep.equal([]);
    expect(localStorage.getItem(KEY)).to.equal(null);
  });

  describe('what is stored', () => {
    it('never the key, the headers or the body: only messages, mid-answer too', async () => {
      const { endpoint, sent } = await answerStreams(slowReply('Partial', 'read midway'), (el) => {
        el.setAttribute('key', 'sk-secret-key');
        el.headers = { 'x-api-key': 'header-secret' };
        el.body = { user: 'body-secret' };
      });
      const midway = localStorage.getItem(KEY)!;
      await endpoint.release('read midway');
      await sent;
      const after = localStorage.getItem(KEY)!;
      const [request] = await endpoint.requests();
      expect(request!.headers['authorization']).to.equal('Bearer sk-secret-key');
      for (const text of [midway, after]) {
        expect(text).to.include('Question');
        for (const secret of ['sk-secret-key', 'header-secret', 'body-secret']) expect(text).to.not.include(secret);
        expect(Object.keys(JSON.parse(text))).to.deep.equal(['v', 'messages', 'interrupted', 'streaming']);
      }
      expect(JSON.parse(midway).messages[1]).to.deep.equal({ role: 'assistant', content: 'Partial' });
    });

    it('without storage-key, nothing is read or written', async () => {
      const calls: string[] = [];
      const { getItem, setItem, removeItem } = Storage.prototype;
      Storage.prototype.getItem = function (this: Storage, key: string) {
        calls.push(`get ${key}`);
        return getItem.call(this, key);
      };
      Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
        calls.push(`set ${key}`);
        return setItem.call(this, key, value);
      };
      Storage.prototype.removeItem = function (this: Storage, key: string) {
        calls.push(`remove ${key}`);
        return removeItem.call(this, key);
      };
      try {
        const endpoint = await mockEndpoint(streamingReply(['Hello']));
        const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
        await el.send('Hi');
        el.clear();
        window.dispatchEvent(new Event('pagehide'));
      } finally {
        Object.assign(Storage.prototype, { getItem, setItem, removeItem });
      }
      expect(calls).to.deep.equal([]);
    });

    it('without storage-key, the module that keeps the conversation is not loaded', async () => {
      // A page of its own: this one has loaded the module already.
      const endpoint = await mockEndpoint([streamingReply(['Hello']), streamingReply(['Again'])]);
      const page = await openPage(`endpoint="${endpoint.url}" retries="0"`);
      await page.chat.send('Hi');
      const modules = () => page.window.performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
      expect(modules()).to.include('/src/element/stream-chat.ts');
      expect(modules()).not.to.include('/src/element/persistence.ts');
      page.chat.storageKey = KEY;
      await page.chat.updateComplete;
      expect(modules()).to.include('/src/element/persistence.ts');
      // Nothing was stored under the key: the conversation stays, and is saved at its next change.
      await page.chat.send('Once more');
      expect(stored().messages.map((message) => message.content)).to.deep.equal(['Hi', 'Hello', 'Once more', 'Again']);
    });

    it('pagehide saves the answer as it is, between two of the timer’s saves', async () => {
      const saved: ChatMessage[][] = [];
      const { el, sent } = await answerStreams(partialInTwo(), (el) =>
        el.addEventListener('chunk', (event) => {
          if (event.detail.content !== 'Partial') return;
          saved.push(stored().messages);
          window.dispatchEvent(new PageTransitionEvent('pagehide'));
          saved.push(stored().messages);
        }),
      );
      expect(saved.map((messages) => messages.at(-1)!.content)).to.deep.equal(['Par', 'Partial']);
      // As the page goes, the turn ends there: the write is not marked streaming, so an idle tab takes it.
      expect(stored()).to.deep.include({ interrupted: [1], streaming: false });
      el.stop();
      await sent;
    });

    it('pagehide while a call’s arguments stream stores its result as a call not run, and restored its card says Stopped', async () => {
      // Before, "…before the tool returned a result: the page was closed.": as if it had run (an email sent?).
      const endpoint = await mockEndpoint({
        steps: [
          { write: chunkEvent({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_mail', type: 'function', function: { name: 'send_email', arguments: '{"to": "a' } }] }) },
          { hold: 'args' },
          { write: chunkEvent({ tool_calls: [{ index: 0, function: { arguments: 'nn@example.com"}' } }] }) + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE },
        ],
      });
      let ran = 0;
      const tools: Tool[] = [{ name: 'send_email', execute: () => (ran++, 'sent') }];
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0" .tools=${tools}></stream-chat>`);
      const sent = el.send('Mail Ann');
      await waitUntil(() => el.conversation.draft?.message.tool_calls?.[0]?.function.arguments === '{"to": "a', 'the call’s arguments stream');
      window.dispatchEvent(new PageTransitionEvent('pagehide'));
      const text = localStorage.getItem(KEY)!;
      expect(JSON.parse(text).messages.at(-1)).to.deep.equal({
        role: 'tool',
        tool_call_id: 'call_mail',
        // (It said it twice: "…before the call was run: the page was closed. It was not run.")
        content: 'Error: stopped by the user before the call was run: the page was closed.',
      });
      el.stop();
      expect((await sent).aborted).to.equal(true);
      await endpoint.release('args');
      el.remove();
      expect(ran).to.equal(0);
      localStorage.setItem(KEY, text);
      const restored = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
      const states = [...restored.shadowRoot!.querySelectorAll('[part~="tool-state"]')].map((state) => state.textContent);
      expect(states).to.deep.equal(['Stopped']);
    });

    it('removed from the page mid-answer, the answer is saved stopped, not interrupted', async () => {
      const { el, sent } = await answerStreams(slowReply('Partial'));
      el.remove();
      expect((await sent).aborted).to.equal(true);
      expect(stored()).to.deep.equal({
        v: 1,
        messages: [
          { role: 'user', content: 'Question' },
          { role: 'assistant', content: 'Partial' },
        ],
        interrupted: [],
        stopped: [1],
        streaming: false,
      });
    });

    it('removed mid-answer after another element or tab wrote under the key in an earlier task (a route change), the answer is saved stopped: its next write wins', async () => {
      const other = JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: 'Other' }], interrupted: [], streaming: false });
      const writers: Array<[string, (el: StreamChatElement) => unknown]> = [
        [
          'another element',
          async (el) => {
            const next = el.insertAdjacentElement('afterend', document.createElement('stream-chat')) as StreamChatElement;
            next.storageKey = KEY;
            await next.updateComplete;
            next.messages = JSON.parse(other).messages;
          },
        ],
        ['another tab', () => frames[frames.push(document.body.appendChild(document.createElement('iframe'))) - 1]!.contentWindow!.localStorage.setItem(KEY, other)],
      ];
      for (const [who, write] of writers) {
        const { el, sent } = await answerStreams(slowReply('Partial'));
        await write(el);
        // Heard (the storage event a task later), kept out of a busy chat.
        await tasks();
        expect(localStorage.getItem(KEY), who).to.equal(other);
        el.remove();
        expect((await sent).aborted).to.equal(true);
        // Before, the stop was not written: the key no longer held what the chat last wrote.
        expect(stored().messages.map((message) => message.content), who).to.deep.equal(['Question', 'Partial']);
        localStorage.clear();
      }
    });

    it('taken out mid-answer with storage emptied in the same task, messages the page sets then are saved: a change of its own, not the removal’s stop', async () => {
      const greeting: ChatMessage = { role: 'assistant', content: 'Hi! Ask me anything.' };
      const sets: Array<[string, (messages: ChatMessage[]) => ChatMessage[]]> = [
        ['others', () => [greeting]],
        ['its own with one after', (messages) => [...messages, greeting]],
        ['its own with one before', (messages) => [greeting, ...messages]],
      ];
      for (const [which, set] of sets) {
        const { el, sent } = await answerStreams(slowReply('Partial'));
        el.remove();
        localStorage.clear();
        const messages = (el.messages = set(el.messages));
        expect((await sent).aborted, which).to.equal(true);
        await tasks();
        // Before, with its own question among them, they were taken for the removal's stop (which
        // keeps it), and nothing was saved.
        expect(stored().messages, which).to.deep.equal(messages);
        localStorage.clear();
      }
    });

    it('taken out mid-answer with storage emptied in the same task, then its messages set again as they were (a page that mirrors them): nothing is written after', async () => {
      const { el, sent } = await answerStreams(slowReply('Partial'));
      el.remove();
      localStorage.clear();
      el.messages = el.messages;
      expect((await sent).aborted).to.equal(true);
      // A timed save's wait.
      await tasks(400);
      // Before, the setter turned the removal's guard off, though nothing changed: the stop wrote the
      // question and what arrived back.
      expect({ ...localStorage }).to.deep.equal({});
    });

    it('moved mid-answer (taken out and put back in one task): nothing is written at the move, and the answer goes on, saved whole', async () => {
      const { el, sent } = await answerStreams(slowReply('Partial', 300));
      const writes: string[] = [];
      const { setItem, removeItem } = Storage.prototype;
      Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
        writes.push(value);
        return setItem.call(this, key, value);
      };
      Storage.prototype.removeItem = function (this: Storage, key: string) {
        writes.push(`remove ${key}`);
        return removeItem.call(this, key);
      };
      try {
        const parent = el.parentElement!;
        el.remove();
        parent.append(el);
        await tasks(0);
      } finally {
        Object.assign(Storage.prototype, { setItem, removeItem });
      }
      expect(writes).to.deep.equal([]);
      expect(await sent).to.deep.include({ aborted: false, content: 'Partial and the rest' });
      // Whole, not stopped, and complete for other tabs.
      const { messages, ...marks } = stored();
      expect([messages.map((message) => message.content), marks]).to.deep.equal([['Question', 'Partial and the rest'], { v: 1, interrupted: [], streaming: false }]);
    });
  });

  describe('which conversation', () => {
    const conversation: ChatMessage[] = [
      { role: 'user', content: 'Stored question' },
      { role: 'assistant', content: 'Stored answer' },
    ];
    const save = (key: string, messages: ChatMessage[]) => localStorage.setItem(key, JSON.stringify({ v: 1, messages, interrupted: [], streaming: false }));
    const greeting: ChatMessage[] = [{ role: 'assistant', content: 'Hi! Ask me anything.' }];

    it('a stored conversation replaces messages set before the element connects', async () => {
      save(KEY, conversation);
      const el = document.createElement('stream-chat');
      el.messages = greeting;
      el.storageKey = KEY;
      const host = await fixture<HTMLElement>(html`<div></div>`);
      host.append(el);
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Stored question', 'Stored answer']);
    });

    it('with nothing stored, messages set before connecting stay, and are saved at the first change', async () => {
      const endpoint = await mockEndpoint(streamingReply(['Hello']));
      const el = document.createElement('stream-chat');
      Object.assign(el, { messages: greeting, storageKey: KEY, endpoint: endpoint.url, retries: 0 });
      const host = await fixture<HTMLElement>(html`<div></div>`);
      host.append(el);
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Hi! Ask me anything.']);
      expect(localStorage.getItem(KEY)).to.equal(null);
      await el.send('Hi');
      expect(stored().messages.map((message) => message.content)).to.deep.equal(['Hi! Ask me anything.', 'Hi', 'Hello']);
    });

    it('until the stored conversation is restored, the log shows nothing: not the empty state, not messages about to be replaced', async () => {
      save(KEY, conversation);
      const el = document.createElement('stream-chat');
      Object.assign(el, { messages: greeting, storageKey: KEY, suggestions: ['Suggested'] });
      const host = await fixture<HTMLElement>(html`<div></div>`);
      host.append(el);
      for (let i = 0; i < 100 && !el.hasUpdated; i++) await Promise.resolve();
      expect(el.hasUpdated, 'rendered once').to.equal(true);
      expect(shown(el)).not.to.include('Hi! Ask me anything.');
      expect(el.shadowRoot!.querySelector('[part~="log"] .empty')).to.equal(null);
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Stored question', 'Stored answer']);
      expect(el.shadowRoot!.querySelector('[part~="suggestion"]')).to.equal(null);
    });

    it('a key set for the first time on a chat in use keeps its conversation when nothing is stored under it', async () => {
      const el = await fixture<StreamChatElement>(html`<stream-chat .messages=${greeting}></stream-chat>`);
      el.storageKey = KEY;
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Hi! Ask me anything.']);
      el.messages = [...greeting, { role: 'user', content: 'Hi' }];
      expect(stored().messages.map((message) => message.content)).to.deep.equal(['Hi! Ask me anything.', 'Hi']);
    });

    it('send() before the stored conversation is restored waits for it: the answer follows it, not stopped by it', async () => {
      save(KEY, conversation);
      const endpoint = await mockEndpoint(streamingReply(['Fresh answer']));
      const el = document.createElement('stream-chat');
      Object.assign(el, { storageKey: KEY, endpoint: endpoint.url, retries: 0 });
      const host = await fixture<HTMLElement>(html`<div></div>`);
      host.append(el);
      // Before the first render, and so before the module that restores is even asked for.
      const detail = await el.send('New question');
      expect(detail).to.deep.include({ aborted: false, content: 'Fresh answer' });
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Stored question', 'Stored answer', 'New question', 'Fresh answer']);
      const [request] = await endpoint.settled();
      expect((request!.body as { messages: ChatMessage[] }).messages.map((m) => m.content)).to.deep.equal(['Stored question', 'Stored answer', 'New question']);
    });

    it("send() before a long stored conversation is restored goes out once it is restored, not after the log's later groups", async () => {
      save(KEY, Array.from({ length: 1000 }, (_, i): ChatMessage => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i} `.repeat(20) })));
      const endpoint = await mockEndpoint(streamingReply(['Fresh answer']));
      const el = document.createElement('stream-chat');
      Object.assign(el, { storageKey: KEY, endpoint: endpoint.url, retries: 0 });
      const host = await fixture<HTMLElement>(html`<div></div>`);
      host.append(el);
      // The messages on screen when the turn starts.
      let shownThen = -1;
      el.conversation.addEventListener('change', () => {
        if (shownThen < 0 && el.conversation.status !== 'idle') shownThen = el.shadowRoot!.querySelectorAll('[part~="message"]').length;
      });
      const detail = await el.send('New question');
      expect(detail.content).to.equal('Fresh answer');
      // Before, the request waited for all 1,000 to be rendered, tasks after the restore.
      expect(shownThen).to.be.within(0, 999);
      await el.updateComplete;
      expect(shown(el)).to.have.length(1002);
    });

    it('clear() before the stored conversation is restored removes it too', async () => {
      save(KEY, conversation);
      const el = document.createElement('stream-chat');
      el.storageKey = KEY;
      const host = await fixture<HTMLElement>(html`<div></div>`);
      host.append(el);
      el.clear();
      await el.updateComplete;
      expect(shown(el)).to.deep.equal([]);
      expect(localStorage.getItem(KEY)).to.equal(null);
    });

    it('clear() on a chat without a key clears only what it shows: a key set later restores what it holds', async () => {
      save(KEY, conversation);
      const el = await fixture<StreamChatElement>(html`<stream-chat .messages=${greeting}></stream-chat>`);
      el.clear();
      el.storageKey = KEY;
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Stored question', 'Stored answer']);
      expect(stored().messages).to.deep.equal(conversation);
    });

    it('send() right after a chat in use gets its first key goes after the restore, not under it', async () => {
      save(KEY, conversation);
      const endpoint = await mockEndpoint(streamingReply(['Fresh answer']));
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
      el.storageKey = KEY;
      const detail = await el.send('New question');
      expect(detail).to.deep.include({ aborted: false, content: 'Fresh answer' });
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Stored question', 'Stored answer', 'New question', 'Fresh answer']);
      expect(stored().messages.map((message) => message.content)).to.deep.equal(['Stored question', 'Stored answer', 'New question', 'Fresh answer']);
    });

    it('regenerate() right after a new storage-key regenerates the answer stored under it', async () => {
      save('other', conversation);
      const endpoint = await mockEndpoint(streamingReply(['Answer again']));
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0" .messages=${greeting}></stream-chat>`);
      el.storageKey = 'other';
      expect(await el.regenerate()).to.deep.include({ aborted: false, content: 'Answer again' });
      expect(stored('other').messages.map((message) => message.content)).to.deep.equal(['Stored question', 'Answer again']);
    });

    it('a new storage-key mid-answer: the old key keeps what arrived, interrupted and complete for other tabs', async () => {
      const { el, sent } = await answerStreams(partialInTwo());
      el.storageKey = 'another-conversation';
      expect((await sent).aborted).to.equal(true);
      expect(stored()).to.deep.equal({ v: 1, messages: [{ role: 'user', content: 'Question' }, { role: 'assistant', content: 'Partial' }], interrupted: [1], streaming: false });
      expect(localStorage.getItem('another-conversation')).to.equal(null);
    });

    it('the key emptied mid-answer: the answer goes on unsaved, and the key keeps what had arrived', async () => {
      const { el, sent } = await answerStreams(slowReply('Partial', 400));
      el.storageKey = '';
      await el.updateComplete;
      const before = stored();
      expect(before).to.deep.include({ interrupted: [1], streaming: false });
      expect(before.messages[1]!.content).to.equal(el.conversation.draft!.message.content);
      expect((await sent).aborted).to.equal(false);
      expect(stored(), 'nothing written after the key went').to.deep.equal(before);
    });

    it('removed from the page while a send() waits for the restore: the turn stops before its request goes out', async () => {
      save(KEY, conversation);
      const endpoint = await mockEndpoint(streamingReply(['unused']));
      const el = document.createElement('stream-chat');
      Object.assign(el, { storageKey: KEY, endpoint: endpoint.url, retries: 0 });
      const done: unknown[] = [];
      el.addEventListener('done', (event) => done.push(event.detail));
      const host = await fixture<HTMLElement>(html`<div></div>`);
      host.append(el);
      const sent = el.send('Question');
      el.remove();
      expect(await sent).to.deep.include({ aborted: true, content: '' });
      expect(done, 'no done from a removed element').to.deep.equal([]);
      expect(await endpoint.settled(), 'requests').to.deep.equal([]);
      expect(el.messages.map((message) => message.content)).to.deep.equal(['Stored question', 'Stored answer', 'Question']);
    });

    it('messages set on an element out of the page are saved, and clear() there removes the stored conversation', async () => {
      save(KEY, conversation);
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
      el.remove();
      el.messages = greeting;
      expect(stored().messages).to.deep.equal(greeting);
      el.clear();
      expect(localStorage.getItem(KEY)).to.equal(null);
    });

    it('put back in the page, an idle chat shows what another tab stored meanwhile and does not write over it', async () => {
      save(KEY, conversation);
      const endpoint = await mockEndpoint(streamingReply(['Fresh']));
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
      const parent = el.parentElement!;
      el.remove();
      save(KEY, [{ role: 'user', content: 'Other tab' }, { role: 'assistant', content: 'Other answer' }]);
      parent.append(el);
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Other tab', 'Other answer']);
      await el.send('Q');
      expect(stored().messages.map((message) => message.content)).to.deep.equal(['Other tab', 'Other answer', 'Q', 'Fresh']);
    });

    it('a page back from the back/forward cache shows what another page stored meanwhile and does not write over it', async () => {
      save(KEY, conversation);
      const endpoint = await mockEndpoint(streamingReply(['Fresh']));
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
      // Another page of the site went on with the chat while this one was in the cache: Firefox
      // (and Safari) give a page back from there none of the storage events it missed (this
      // page's own write, here, gives it none either).
      save(KEY, [{ role: 'user', content: 'Other page' }, { role: 'assistant', content: 'Other answer' }]);
      dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Other page', 'Other answer']);
      await el.send('Q');
      expect(stored().messages.map((message) => message.content)).to.deep.equal(['Other page', 'Other answer', 'Q', 'Fresh']);
    });

    it('moved in the page, a chat keeps its own messages: nothing is read back that it wrote itself', async () => {
      save(KEY, conversation);
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
      const messages = el.messages;
      el.parentElement!.append(document.createElement('div'), el);
      await el.updateComplete;
      expect(el.messages, 'the same array').to.equal(messages);
    });

    it('messages set once connected replace the stored conversation', async () => {
      save(KEY, conversation);
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
      expect(shown(el)).to.deep.equal(['Stored question', 'Stored answer']);
      el.messages = greeting;
      expect(stored().messages).to.deep.equal(greeting);
    });

    it('a new storage-key shows the conversation stored under it, or a new one; none is written over', async () => {
      save(KEY, conversation);
      save('other', greeting);
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
      expect(shown(el)).to.deep.equal(['Stored question', 'Stored answer']);
      el.storageKey = 'other';
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Hi! Ask me anything.']);
      el.storageKey = 'unused';
      await el.updateComplete;
      expect(el.messages).to.deep.equal([]);
      el.storageKey = KEY;
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Stored question', 'Stored answer']);
      expect(stored().messages).to.deep.equal(conversation);
      expect(stored('other').messages).to.deep.equal(greeting);
      expect(localStorage.getItem('unused')).to.equal(null);
    });

    for (const [how, change] of [
      ['clear()', (el: StreamChatElement) => el.clear()],
      ['messages set', (el: StreamChatElement) => (el.messages = [{ role: 'assistant', content: 'Greeting of the other conversation' }])],
    ] as const) {
      it(`${how} right after a new storage-key while an answer streams: the old key keeps what arrived (the stopped turn's done saves nothing there)`, async () => {
        const { el, sent } = await answerStreams(slowReply('Partial', 5000));
        el.storageKey = 'other';
        change(el);
        await sent;
        await el.updateComplete;
        // Before, the turn's done saved what the element held then under the old key: nothing, or
        // the other conversation's greeting.
        expect(stored().messages.map((message) => message.content)).to.deep.equal(['Question', 'Partial']);
      });
    }

    it('a chat taken out of the page after messages set with a new storage-key ended its answer writes nothing later: a page that signs out and empties storage finds it empty', async () => {
      const { el, sent } = await answerStreams(slowReply('Partial', 5000));
      el.storageKey = 'other';
      el.messages = greeting;
      await sent;
      await el.updateComplete;
      el.remove();
      localStorage.clear();
      // Before, the streaming answer's timed save, a quarter of a second on, wrote the greeting under
      // the new key then (it waits there for the next change), also into the tests after this one.
      await tasks(400);
      expect({ ...localStorage }).to.deep.equal({});
    });

    it('a page that takes an empty turn\'s question to a new storage-key at its done: the old key keeps its conversation, marked', async () => {
      const endpoint = await mockEndpoint([streamingReply(['A.']), streamingReply([], { finishReason: 'content_filter' })]);
      let moving = false;
      const move = () => {
        if (!moving) return;
        el.storageKey = 'other';
        el.messages = el.messages.slice(-1);
      };
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0" @done=${move}></stream-chat>`);
      await el.send('One');
      moving = true;
      await el.send('Two');
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Two']);
      // Before, the done saved the question alone under the old key, its update not applied yet.
      expect(stored().messages.map((message) => message.content)).to.deep.equal(['One', 'A.', 'Two']);
      expect(stored().empty).to.deep.equal([[2, 'content_filter']]);
    });

    it('messages set and clear() right after a new storage-key go with the new key: the old key keeps its conversation', async () => {
      // Before, they were saved under the old key until the update applied the new one: `messages`
      // wrote over the old key's conversation, and clear() removed it while the new key's stayed.
      const other: ChatMessage[] = [{ role: 'user', content: 'Other question' }];
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
      el.messages = conversation;
      save('other', other);
      // A conversation stored under the new key replaces messages set with it, as under a first key.
      el.storageKey = 'other';
      el.messages = greeting;
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Other question']);
      expect(stored().messages, 'the old key').to.deep.equal(conversation);
      // With nothing stored, they stay, and are saved at the first change.
      el.storageKey = 'new';
      el.messages = [...greeting];
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Hi! Ask me anything.']);
      expect(stored('other').messages).to.deep.equal(other);
      // clear() removes the new key's conversation, not the old one's.
      el.storageKey = 'other';
      el.clear();
      await el.updateComplete;
      expect(el.messages).to.deep.equal([]);
      expect(localStorage.getItem('other')).to.equal(null);
      expect(stored().messages).to.deep.equal(conversation);
      // Set back to the key it had before its update: the change is that key's.
      el.storageKey = 'elsewhere';
      el.messages = [...greeting];
      el.storageKey = 'other';
      await el.updateComplete;
      expect(stored('other').messages).to.deep.equal(greeting);
      expect(localStorage.getItem('elsewhere')).to.equal(null);
      // Messages set after clear() with a new key stay, and are saved there (before, the clear came after them).
      el.storageKey = KEY;
      el.clear();
      el.messages = [...greeting];
      await el.updateComplete;
      expect(shown(el)).to.deep.equal(['Hi! Ask me anything.']);
      expect(stored().messages).to.deep.equal(greeting);
      expect(stored('other').messages).to.deep.equal(greeting);
    });
  });

  it('a new storage-key whose data cannot be read shows a new conversation, not the last key’s; both are left as they are', async () => {
    const corrupt = '{"v":1,"messages":[{"role":';
    localStorage.setItem('other', corrupt);
    const endpoint = await mockEndpoint(streamingReply(['Hello']));
    const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
    const warnings = warningsOf(el);
    await el.send('Kept under the first key');
    el.storageKey = 'other';
    await el.updateComplete;
    expect(el.messages).to.deep.equal([]);
    expect(shown(el)).to.deep.equal([]);
    await tasks();
    expect(warnings).to.deep.equal(['Not saved under "other": what is stored there is not a conversation, and is left as it is.']);
    expect(localStorage.getItem('other')).to.equal(corrupt);
    expect(stored().messages.map((message) => message.content)).to.deep.equal(['Kept under the first key', 'Hello']);
  });

  it('each storage-key whose data cannot be read is told with a warning of its own: a conversation switcher learns of the second too', async () => {
    const corrupt = '{"v":1,"messages":[{"role":';
    localStorage.setItem(KEY, corrupt);
    localStorage.setItem('other', corrupt);
    const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY}></stream-chat>`);
    const warnings = warningsOf(el);
    await tasks();
    el.storageKey = 'other';
    await el.updateComplete;
    await tasks();
    expect(warnings).to.deep.equal([KEY, 'other'].map((key) => `Not saved under "${key}": what is stored there is not a conversation, and is left as it is.`));
  });

  it('stored messages whose shown text is not text (reasoning, a refusal, a call’s name or arguments: an object Lit would render) are not a conversation: the chat works, with a warning', async () => {
    // Before, an object there reached the log's template: every render threw, on every load after.
    const template = { _$litType$: 1, strings: ['<b>x</b>'], values: [] };
    const call = (fn: object) => ({ id: 'c', type: 'function', function: fn });
    for (const field of [{ reasoning: template }, { refusal: template }, { tool_calls: [call({ name: template, arguments: '{}' })] }, { tool_calls: [call({ name: 'f', arguments: template })] }]) {
      localStorage.setItem(KEY, JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A', ...field }], interrupted: [], streaming: false }));
      const endpoint = await mockEndpoint(streamingReply(['Hello']));
      const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
      const warnings = warningsOf(el);
      await el.updateComplete;
      await tasks();
      expect(warnings, JSON.stringify(field)).to.deep.equal([`Not saved under "${KEY}": what is stored there is not a conversation, and is left as it is.`]);
      await el.send('Works');
      expect(shown(el)).to.deep.equal(['Works', 'Hello']);
      el.remove();
      localStorage.removeItem(KEY);
    }
  });

  it('what another tab stored is read when its storage event arrives: an event older than the last write shows nothing old', async () => {
    // Two tabs ending turns at once: each tab's storage event reaches the other after both wrote.
    const endpoint = await mockEndpoint([streamingReply(['Newer']), streamingReply(['Next'])]);
    const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
    const older = JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'Older' }, { role: 'assistant', content: 'Old' }], interrupted: [], streaming: false });
    await el.send('Question');
    const latest = localStorage.getItem(KEY);
    window.dispatchEvent(new StorageEvent('storage', { key: KEY, oldValue: null, newValue: older, storageArea: localStorage }));
    await el.updateComplete;
    expect(shown(el)).to.deep.equal(['Question', 'Newer']);
    expect(localStorage.getItem(KEY)).to.equal(latest);
    await el.send('Then');
    expect(stored().messages.map((message) => message.content)).to.deep.equal(['Question', 'Newer', 'Then', 'Next']);
  });

  /**
   * A chat that asked 'Question' (answered 'Answer'; `next` answers its next turn), where the reader
   * opened the question's Edit and typed `typed`, as another tab wrote the conversation and `added`.
   */
  async function editingAsAnotherTabWrites(next: string, typed: string, ...added: ChatMessage[]) {
    const endpoint = await mockEndpoint([streamingReply(['Answer']), streamingReply([next])]);
    const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
    await el.send('Question');
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLElement>('[part~="edit"]')!.click();
    await el.updateComplete;
    const area = el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="edit-input"]')!;
    area.value = typed;
    const other = JSON.stringify({ v: 1, messages: [...stored().messages, ...added], interrupted: [], streaming: false });
    localStorage.setItem(KEY, other);
    window.dispatchEvent(new StorageEvent('storage', { key: KEY, newValue: other, storageArea: localStorage }));
    await el.updateComplete;
    return { el, area };
  }

  it('another tab’s write while the reader edits a question leaves the edit, and what they typed, as it is', async () => {
    const { el, area } = await editingAsAnotherTabWrites('Edited answer', 'Half typed', { role: 'user', content: 'From the other tab' });
    // Before, the conversation was taken: the form went with the message it edited, and the text with it.
    expect(el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="edit-input"]')?.value).to.equal('Half typed');
    area.value = 'Edited question';
    area.closest('form')!.requestSubmit();
    await waitUntil(() => el.messages.at(-1)?.content === 'Edited answer', 'the edited turn');
    await el.updateComplete;
    // As a busy chat's, its write wins.
    expect(stored().messages.map((message) => message.content)).to.deep.equal(['Edited question', 'Edited answer']);
  });

  it('another tab’s write while the reader edits a question shows once they cancel: their next question does not write over it', async () => {
    const { el } = await editingAsAnotherTabWrites('Next answer', 'Question', { role: 'user', content: 'From the other tab' }, { role: 'assistant', content: 'Its answer' });
    el.shadowRoot!.querySelector<HTMLElement>('[part~="cancel"]')!.click();
    await el.updateComplete;
    await el.updateComplete;
    // Before, the chat kept what it showed while editing: the next question was sent without the
    // other tab's turn, and its write took that turn out of storage.
    expect(shown(el)).to.deep.equal(['Question', 'Answer', 'From the other tab', 'Its answer']);
    await el.send('Then');
    expect(stored().messages.map((message) => message.content)).to.deep.equal(['Question', 'Answer', 'From the other tab', 'Its answer', 'Then', 'Next answer']);
  });

  it('a storage event when reading storage throws leaves the chat as it is: one warning', async () => {
    const endpoint = await mockEndpoint(streamingReply(['Answer']));
    const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
    const warnings = warningsOf(el);
    await el.send('Question');
    const { getItem } = Storage.prototype;
    Storage.prototype.getItem = () => {
      throw new DOMException('The storage is corrupt.', 'UnknownError');
    };
    try {
      window.dispatchEvent(new StorageEvent('storage', { key: KEY, newValue: null, storageArea: localStorage }));
    } finally {
      Storage.prototype.getItem = getItem;
    }
    await el.updateComplete;
    expect(shown(el)).to.deep.equal(['Question', 'Answer']);
    await tasks();
    expect(warnings).to.have.length(1);
  });

  it('a restored question marked interrupted loses its marker once answered, also where it cannot be saved', async () => {
    localStorage.setItem(KEY, JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'Cut off' }], interrupted: [0], streaming: false }));
    const endpoint = await mockEndpoint(streamingReply(['Answered']));
    const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
    expect(el.shadowRoot!.querySelectorAll('[part~="interrupted"]')).to.have.length(1);
    // Another tab writes what this one cannot read: it shows what it has, and saves no more.
    localStorage.setItem(KEY, 'garbage');
    window.dispatchEvent(new StorageEvent('storage', { key: KEY, newValue: 'garbage', storageArea: localStorage }));
    expect((await el.retry()).content).to.equal('Answered');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part~="interrupted"]')).to.have.length(0);
  });

  it('messages it could not restore are not saved: a field JSON cannot hold, reasoning of another type; one warning, the chat works', async () => {
    const endpoint = await mockEndpoint([streamingReply(['Hello']), streamingReply(['Hello'])]);
    const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
    const warnings = warningsOf(el);
    await el.send('Saved');
    const saved = localStorage.getItem(KEY);
    const cyclic: ChatMessage & { self?: unknown } = { role: 'user', content: 'Cyclic' };
    cyclic.self = cyclic;
    el.messages = [cyclic];
    // (Content that is neither text nor parts the conversation refuses itself, and nothing changes.)
    expect(() => (el.messages = [{ role: 'user', content: 5 as unknown as string }])).to.throw(TypeError);
    el.messages = [{ role: 'user', content: 'Reasoning', reasoning: 5 as unknown as string }];
    el.messages = [{ role: 'user', content: 'Big', meta: 1n } as unknown as ChatMessage];
    await el.updateComplete;
    await tasks();
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^Not saved under "stream-chat-test": /);
    expect(localStorage.getItem(KEY)).to.equal(saved);
    el.messages = [];
    expect((await el.send('Saved again')).content).to.equal('Hello');
    expect(stored().messages.map((message) => message.content)).to.deep.equal(['Saved again', 'Hello']);
  });

  it('two elements of one page with one key keep one conversation, as two tabs do', async () => {
    const endpoint = await mockEndpoint([streamingReply(['From A']), streamingReply(['From B'])]);
    const [a, b] = await Promise.all([
      fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`),
      fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`),
    ]);
    await a.send('Hi from A');
    await b.updateComplete;
    expect(shown(b), 'the idle element shows it').to.deep.equal(['Hi from A', 'From A']);
    await b.send('Hi from B');
    await a.updateComplete;
    expect(shown(a)).to.deep.equal(['Hi from A', 'From A', 'Hi from B', 'From B']);
    expect(stored().messages.map((message) => message.content)).to.deep.equal(['Hi from A', 'From A', 'Hi from B', 'From B']);
  });

  it('two elements of one page with one key: a turn that ended with no answer to show is marked in both', async () => {
    const endpoint = await mockEndpoint(streamingReply([], { finishReason: 'content_filter' }));
    const [a, b] = await Promise.all([
      fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`),
      fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`),
    ]);
    await a.send('Hi from A');
    await b.updateComplete;
    const marked = (el: StreamChatElement) => [...el.shadowRoot!.querySelectorAll('[part~="empty"]')].map((marker) => marker.textContent);
    expect(marked(a)).to.deep.equal(['Cut off by the content filter']);
    expect(marked(b), 'the idle element marks it too').to.deep.equal(['Cut off by the content filter']);
  });

  describe('two pages with one key, as two tabs', () => {
    it('a page that goes mid-answer: its last write is complete, and the idle page shows it, interrupted', async () => {
      const endpointA = await mockEndpoint(slowReply('Partial from A', 3000));
      const endpointB = await mockEndpoint(streamingReply(['unused']));
      const a = await openPage(attributes(endpointA));
      const b = await openPage(attributes(endpointB));
      const arrived = contentArrives(a.chat, 'Partial from A');
      const sent = a.chat.send('Question from A');
      await arrived;
      a.window.dispatchEvent(new PageTransitionEvent('pagehide'));
      await waitUntil(() => shown(b.chat).join() === 'Question from A,Partial from A', 'the idle page shows what the gone page had');
      await b.chat.updateComplete;
      expect(b.chat.shadowRoot!.querySelectorAll('[part~="interrupted"]')).to.have.length(1);
      a.chat.stop();
      await sent;
    });

    it('a page opened while another streams shows what arrived, but does not write it back as ended: other idle pages still wait for the complete answer', async () => {
      const endpointA = await mockEndpoint([streamingReply(['First']), slowReply('Partial', 'B opened')]);
      const a = await openPage(attributes(endpointA));
      const c = await openPage(attributes(endpointA));
      await a.chat.send('Q1');
      await waitUntil(() => shown(c.chat).join() === 'Q1,First', 'the idle page shows the first turn');
      const arrived = contentArrives(a.chat, 'Partial');
      const sent = a.chat.send('Q2');
      await arrived;
      await waitUntil(() => stored().messages.at(-1)?.content === 'Partial', 'A saved its partial answer');
      // A new tab (or one reloaded) while A's answer streams.
      const b = await openPage(attributes(endpointA));
      expect(b.chat.messages.map((message) => message.content)).to.deep.equal(['Q1', 'First', 'Q2', 'Partial']);
      await tasks();
      expect(stored().streaming, 'the write of an answer still streaming stays one').to.equal(true);
      expect(shown(c.chat), 'the idle page waits out the answer still streaming').to.deep.equal(['Q1', 'First']);
      expect(c.parts('interrupted')).to.have.length(0);
      await endpointA.release('B opened');
      await sent;
      const final = 'Q1,First,Q2,Partial and the rest';
      await waitUntil(() => shown(b.chat).join() === final && shown(c.chat).join() === final, 'both idle pages show the complete answer');
      await b.chat.updateComplete;
      expect(b.parts('interrupted')).to.have.length(0);
      expect([...a.window.warnings, ...b.window.warnings, ...c.window.warnings]).to.deep.equal([]);
    });

    it('a page that goes leaves the calls another page’s host is answering alone: no "page was closed" result for them, and one result per call', async () => {
      const endpoint = await mockEndpoint([
        calling({ id: 'call_1', name: 'time' }),
        streamingReply(['It is noon.']),
      ]);
      const a = await openPage(attributes(endpoint));
      const b = await openPage(attributes(endpoint));
      // A, without tools: its host runs the call itself, as README's recipe does.
      await a.chat.send('What time is it?');
      await waitUntil(() => b.chat.messages.length === 2, 'the idle page shows the call');
      // Meanwhile the other tab is reloaded (or closed).
      await b.reload();
      await tasks();
      expect(stored().messages, 'the call is left to the host that is answering it').to.have.length(2);
      expect(a.chat.messages).to.have.length(2);
      a.chat.messages = [...a.chat.messages, { role: 'tool', tool_call_id: 'call_1', content: '12:00' }];
      expect((await a.chat.retry()).content).to.equal('It is noon.');
      const sent = ((await endpoint.requests())[1]!.body as { messages: ChatMessage[] }).messages;
      expect(sent.filter((message) => message.role === 'tool')).to.deep.equal([{ role: 'tool', tool_call_id: 'call_1', content: '12:00' }]);
    });

    it('an idle page picks up the other’s change; a page mid-answer keeps its own, and the last complete write wins', async () => {
      const endpointA = await mockEndpoint([streamingReply(['From A']), streamingReply(['A again'])]);
      const endpointB = await mockEndpoint(slowReply('From B', 'A wrote'));
      const a = await openPage(attributes(endpointA));
      const b = await openPage(attributes(endpointB));

      await a.chat.send('Hi from A');
      await waitUntil(() => shown(b.chat).join() === 'Hi from A,From A', 'the idle page shows the other’s conversation');

      // B answers slowly; its writes while it streams do not reach A.
      const arrived = contentArrives(b.chat, 'From B');
      const answeredB = b.chat.send('Hi from B');
      await arrived;
      await waitUntil(() => stored().streaming && stored().messages.at(-1)?.content === 'From B', 'B saved its partial answer');
      await tasks();
      expect(shown(a.chat)).to.deep.equal(['Hi from A', 'From A']);

      // A, idle, sends: its complete write does not reach B, which is busy.
      await a.chat.send('Second from A');
      await tasks();
      expect(b.chat.messages.map((message) => message.content)).to.deep.equal(['Hi from A', 'From A', 'Hi from B']);

      // B ends last: its complete write wins, and A, idle, shows it.
      await endpointB.release('A wrote');
      await answeredB;
      const final = ['Hi from A', 'From A', 'Hi from B', 'From B and the rest'];
      expect(stored().messages.map((message) => message.content)).to.deep.equal(final);
      await waitUntil(() => shown(a.chat).join() === final.join(), 'the idle page shows the last complete write');

      a.chat.clear();
      await waitUntil(() => b.chat.messages.length === 0, 'the other page empties too');
      expect(localStorage.getItem(KEY)).to.equal(null);
      expect([...a.window.warnings, ...b.window.warnings]).to.deep.equal([]);
    });
  });

  describe('storage that fails never breaks the chat: one warning, and it works unsaved', () => {
    const foreign: Record<string, string> = {
      'text that is not JSON': '{"v":1,"messages":[{"role":',
      'another script’s plain list of messages': JSON.stringify([{ role: 'user', content: 'hi' }]),
      'a later version': JSON.stringify({ v: 2, messages: [], interrupted: [] }),
      'a message that is null': JSON.stringify({ v: 1, messages: [null], interrupted: [] }),
      'a message without a role': JSON.stringify({ v: 1, messages: [{ content: 'hi' }], interrupted: [] }),
      'content that is an object': JSON.stringify({ v: 1, messages: [{ role: 'user', content: { text: 'hi' } }], interrupted: [] }),
      'a content part that is null': JSON.stringify({ v: 1, messages: [{ role: 'user', content: [null] }], interrupted: [] }),
      'tool calls that are not a list': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: null, tool_calls: {} }], interrupted: [] }),
      'a tool call without a function': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'x' }] }], interrupted: [] }),
      // (Before, restored, a call of no name or arguments.)
      'a tool call whose function is text': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'x', type: 'function', function: 'f' }] }], interrupted: [] }),
      'a source that is null': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: 'A', sources: [null] }], interrupted: [] }),
      'a source whose title is not text': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: 'A', sources: [{ url: 'https://y.test/', title: { nodeType: 1 } }] }], interrupted: [] }),
      'a source without a URL': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: 'A', sources: [{ title: 'x' }] }], interrupted: [] }),
      'a provider tool that is null': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: 'A', server_tools: [null] }], interrupted: [] }),
      'a provider tool whose detail is not text': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: 'A', server_tools: [{ name: 'web_search', at: 0, detail: { _$litType$: 1, strings: ['x'], values: [] } }] }], interrupted: [] }),
      'a provider tool whose name is not text': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: 'A', server_tools: [{ name: 5, at: 0 }] }], interrupted: [] }),
      // (Before, these two were restored, and every request of the Anthropic protocol failed to be built.)
      'a thinking block that is null': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: 'A', thinking_blocks: [null] }], interrupted: [] }),
      'a thinking block without a type': JSON.stringify({ v: 1, messages: [{ role: 'assistant', content: 'A', thinking_blocks: [{ thinking: 'x' }] }], interrupted: [] }),
      // (Before, these three were restored, and every request of the Responses or Anthropic protocol failed to be built.)
      'a text part whose text is not text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: [{ type: 'text', text: 5 }] }], interrupted: [] }),
      'an image part without its URL': JSON.stringify({ v: 1, messages: [{ role: 'user', content: [{ type: 'image_url' }] }], interrupted: [] }),
      'an image part whose URL is not text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: {} } }] }], interrupted: [] }),
      // (Before, these two were restored, and every request of the Responses or Anthropic protocol failed to be built, or was refused.)
      'a file part without its file': JSON.stringify({ v: 1, messages: [{ role: 'user', content: [{ type: 'file', file: null }] }], interrupted: [] }),
      'a file part whose name is not text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-a', filename: ['a.pdf'] } }] }], interrupted: [] }),
      // (Before, restored, and every request after it failed: Anthropic's not built, the others refused.)
      'a file part of neither data nor an id': JSON.stringify({ v: 1, messages: [{ role: 'user', content: [{ type: 'file', file: { filename: 'a.pdf' } }] }], interrupted: [] }),
      'a list of interrupted answers that is text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'A' }], interrupted: '1' }),
      'an interrupted index out of range': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }], interrupted: [1] }),
      'no list of interrupted answers': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }] }),
      'a list of stopped answers that is text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'A' }], interrupted: [], stopped: '1' }),
      'a stopped index out of range': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }], interrupted: [], stopped: [1] }),
      'a list of answers max-steps ended that is text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'A' }], interrupted: [], limited: '1' }),
      'an index of an answer max-steps ended out of range': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }], interrupted: [], limited: [1] }),
      'a list of empty turns that is not a list': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }], interrupted: [], empty: { 0: 'stop' } }),
      'an empty turn that is an index alone, not one with its reason': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }], interrupted: [], empty: [0] }),
      'an index of an empty turn out of range': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }], interrupted: [], empty: [[1, 'stop']] }),
      // (Before, these four were restored, an index as text read as the number.)
      'an interrupted index that is text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }], interrupted: ['0'] }),
      'a stopped index that is text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'A' }], interrupted: [], stopped: ['1'] }),
      'an index of an answer max-steps ended that is text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'A' }], interrupted: [], limited: ['1'] }),
      'an empty turn whose index is text': JSON.stringify({ v: 1, messages: [{ role: 'user', content: 'hi' }], interrupted: [], empty: [['0', null]] }),
    };
    for (const [what, value] of Object.entries(foreign)) {
      it(`${what}: left as it is, an empty chat that works`, async () => {
        localStorage.setItem(KEY, value);
        const endpoint = await mockEndpoint(streamingReply(['Hello']));
        const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
        // Added after the element connected: the warning comes a task later.
        const warnings = warningsOf(el);
        expect(el.messages).to.deep.equal([]);
        expect((await el.send('Hi')).content).to.equal('Hello');
        await el.updateComplete;
        expect(shown(el)).to.deep.equal(['Hi', 'Hello']);
        await tasks();
        expect(warnings).to.deep.equal([`Not saved under "${KEY}": what is stored there is not a conversation, and is left as it is.`]);
        expect(localStorage.getItem(KEY)).to.equal(value);
      });
    }

    it('a page that made localStorage throw (a SecurityError) after the restore: another tab’s write is one warning, not an uncaught error', async () => {
      const conversation: ChatMessage[] = [
        { role: 'user', content: 'Stored question' },
        { role: 'assistant', content: 'Stored answer' },
      ];
      localStorage.setItem(KEY, JSON.stringify({ v: 1, messages: conversation, interrupted: [], streaming: false }));
      // A page of its own, whose copy of the element's code is new: in this one, the tests before
      // have run it thousands of times, and code that JavaScriptCore's DFG JIT compiled goes on
      // reading the localStorage there was after the page redefines it (WebKitGTK 2.50; not with
      // JSC_useDFGJIT=0), so nothing throws there.
      const page = await openPage(`storage-key="${KEY}"`);
      const { window: win } = page;
      const storage = win.localStorage;
      const original = Object.getOwnPropertyDescriptor(win, 'localStorage')!;
      Object.defineProperty(win, 'localStorage', {
        configurable: true,
        get() {
          throw new win.DOMException('The page denied it', 'SecurityError');
        },
      });
      try {
        // Before, the listener read localStorage outside the guard every other use has: it threw.
        win.dispatchEvent(new win.StorageEvent('storage', { key: KEY, storageArea: storage }));
      } finally {
        Object.defineProperty(win, 'localStorage', original);
      }
      await tasks();
      expect(shown(page.chat)).to.deep.equal(['Stored question', 'Stored answer']);
      expect([win.warnings, win.problems]).to.deep.equal([[`Not saved under "${KEY}": SecurityError: The page denied it`], []]);
    });

    it('corrupt data found on a reload: the chat works; clear() discards it and saving starts again', async () => {
      const endpoint = await mockEndpoint([streamingReply(['Hello']), streamingReply(['Saved again'])]);
      const page = await openPage(attributes(endpoint));
      await page.chat.send('Hi');
      localStorage.setItem(KEY, localStorage.getItem(KEY)!.slice(0, 20));
      const corrupt = localStorage.getItem(KEY);
      await page.reload();
      expect(page.chat.messages).to.deep.equal([]);
      await waitUntil(() => page.window.warnings.length === 1, 'a warning');
      await page.chat.send('Hi again');
      expect(localStorage.getItem(KEY)).to.equal(corrupt);
      page.chat.clear();
      expect(localStorage.getItem(KEY)).to.equal(null);
      expect(page.chat.messages).to.deep.equal([]);
      await page.chat.send('New');
      await page.reload();
      expect(shown(page.chat)).to.deep.equal(['New', 'Saved again']);
      expect(page.window.warnings).to.deep.equal([]);
    });

    it('a full quota, filled for real: the chat goes on unsaved, one warning; the last write that fit stays until there is room again', async () => {
      const endpoint = await mockEndpoint([streamingReply(['One']), streamingReply(['Two']), streamingReply(['Three'])]);
      const page = await openPage(attributes(endpoint));
      await page.chat.send('First');
      const fitted = localStorage.getItem(KEY);
      fillStorage();
      expect((await page.chat.send('Second')).content).to.equal('Two');
      expect((await page.chat.send('Third')).content).to.equal('Three');
      await page.chat.updateComplete;
      expect(shown(page.chat)).to.deep.equal(['First', 'One', 'Second', 'Two', 'Third', 'Three']);
      await waitUntil(() => page.window.warnings.length > 0, 'a warning');
      await tasks(300);
      expect(page.window.warnings).to.have.length(1);
      expect(page.window.warnings[0]).to.match(/^Not saved under "stream-chat-test": QuotaExceededError: /);
      expect(localStorage.getItem(KEY)).to.equal(fitted);
      for (const key of Object.keys(localStorage)) if (key.startsWith('filler-')) localStorage.removeItem(key);
      // With room again, the next write (here the one as the page goes) saves the whole conversation.
      await page.reload();
      expect(shown(page.chat)).to.deep.equal(['First', 'One', 'Second', 'Two', 'Third', 'Three']);
    });

    it('the module that keeps the conversation cannot load: the chat works unsaved, one warning', async () => {
      // The built bundle from a data: URL, where the chunk next to it cannot be found.
      const built = await (await fetch('/dist/stream-chat.js')).text();
      const frame = document.createElement('iframe');
      frame.srcdoc = `<!doctype html>
        <script>
          window.warnings = [];
          addEventListener('warning', (e) => warnings.push(e.detail.message));
        </script>
        <script type="module" src="data:text/javascript;base64,${btoa(unescape(encodeURIComponent(built)))}"></script>
        <stream-chat storage-key="${KEY}"></stream-chat>`;
      frames.push(frame);
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      document.body.append(frame);
      await loaded;
      const win = frame.contentWindow as PageWindow;
      const chat = win.document.querySelector('stream-chat') as StreamChatElement;
      await waitUntil(() => win.warnings.length > 0, 'a warning', { timeout: 5000 });
      await chat.updateComplete;
      expect(win.warnings).to.have.length(1);
      expect(win.warnings[0]).to.match(/^Not saved under "stream-chat-test": TypeError: /);
      // The chat works: its log shows, and a conversation set is shown, not stored.
      chat.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }];
      await chat.updateComplete;
      expect(shown(chat)).to.deep.equal(['Q', 'A']);
      expect(localStorage.getItem(KEY)).to.equal(null);
      await tasks();
      expect(win.warnings).to.have.length(1);
    });

    it('a sandboxed page, where localStorage throws: the chat works unsaved, one warning', async () => {
      // The built bundle, for a page whose opaque origin cannot load this server's modules; it
      // loads the module that keeps the conversation from a data: URL too.
      const dataUrl = (text: string) => `data:text/javascript;base64,${btoa(unescape(encodeURIComponent(text)))}`;
      const chunk = await (await fetch('/dist/stream-chat-persistence.js')).text();
      const built = await (await fetch('/dist/stream-chat.js')).text();
      expect(built, 'dist/stream-chat.js (npm run build)').to.include('./stream-chat-persistence.js');
      const bundle = built.replace('./stream-chat-persistence.js', dataUrl(chunk));
      const frame = document.createElement('iframe');
      frame.sandbox.add('allow-scripts');
      frame.srcdoc = `<!doctype html>
        <script>
          const warnings = [];
          addEventListener('warning', (e) => warnings.push(e.detail.message));
        </script>
        <script type="module" src="${dataUrl(bundle)}"></script>
        <stream-chat storage-key="${KEY}" endpoint="${location.origin}/unused"></stream-chat>
        <script type="module">
          const chat = document.querySelector('stream-chat');
          const sse = (text) => 'data: ' + JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: 'stop' }] }) + '\\n\\ndata: [DONE]\\n\\n';
          chat.fetch = async (url, init) => new Response(sse('Answer to ' + JSON.parse(init.body).messages.at(-1).content), { headers: { 'content-type': 'text/event-stream' } });
          const report = { stored: (() => { try { return localStorage.length; } catch (error) { return String(error); } })() };
          try {
            report.first = (await chat.send('one')).content;
            report.second = (await chat.send('two')).content;
            chat.clear();
            await chat.updateComplete;
          } catch (error) {
            report.error = String(error);
          }
          await new Promise((resolve) => setTimeout(resolve, 300));
          parent.postMessage({ ...report, warnings }, '*');
        </script>`;
      frames.push(frame);
      const reported = new Promise<Record<string, unknown>>((resolve) => {
        window.addEventListener('message', function listener(event) {
          if (event.source !== frame.contentWindow) return;
          window.removeEventListener('message', listener);
          resolve(event.data);
        });
      });
      document.body.append(frame);
      const report = await reported;
      expect(report['stored']).to.match(/^SecurityError/);
      expect(report).to.deep.include({ first: 'Answer to one', second: 'Answer to two' });
      expect(report['warnings']).to.have.length(1);
      expect((report['warnings'] as string[])[0]).to.match(/^Not saved under "stream-chat-test": SecurityError: /);
    });
  });
});
