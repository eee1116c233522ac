/**
 * What a screen-reader user hears from the log, end to end against the local SSE server: what a
 * conversation set whole leaves unsaid, and what a turn in flight says.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../src/index.js';
import type { ChatMessage } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { itWithCdp } from './helpers/cdp.js';
import { heardWhile } from './helpers/element.js';
import { DONE, chunkEvent, mockEndpoint, pausedReply, streamingReply } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

describe('<stream-chat> screen readers', () => {
  failOnUnhandledRejection();

  it('a conversation with tool calls set whole (another one, a restore) is not read out: nor its cards’ names and states', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const conversation: ChatMessage[] = [
      { role: 'user', content: 'Time in Lima and Oslo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'time_in', arguments: '{"city":"Lima"}' } },
          { id: 'b', type: 'function', function: { name: 'time_in', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: '{"time":"09:05"}' },
      { role: 'tool', tool_call_id: 'b', content: 'Error: unknown city' },
      { role: 'assistant', content: 'It is 09:05 in Lima.' },
    ];
    // Before: [['log', 'time_in Done time_in Error']], the heads of its cards, at every restore.
    expect(await heardWhile(el, () => (el.messages = conversation))).to.deep.equal([]);
  });

  it('a conversation restored under storage-key is not read out: nor the marker of an answer a reload cut short', async () => {
    const key = 'accessibility-restored';
    const saved = { v: 1, messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'Partial' }, { role: 'user', content: 'Again?' }], interrupted: [1, 2], streaming: false };
    localStorage.setItem(key, JSON.stringify(saved));
    try {
      const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
      const heard = await heardWhile(el, async () => {
        el.storageKey = key;
        await el.updateComplete;
      });
      expect(el.shadowRoot!.querySelectorAll('[part~=interrupted]'), 'the answer and the question marked').to.have.length(2);
      // Before: [['log', 'Interrupted']], the answer's marker (the question's is in its muted group).
      expect(heard).to.deep.equal([]);
    } finally {
      localStorage.removeItem(key);
    }
  });

  it('a tool called in a turn is read out by the log as its state changes, with its name, also as the turn ends on it (max-steps)', async () => {
    let ran!: () => void;
    const running = new Promise<void>((resolve) => (ran = resolve));
    const endpoint = await mockEndpoint([
      {
        steps: [
          { write: chunkEvent({ role: 'assistant', content: null }) },
          { write: chunkEvent({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'time_in', arguments: '{"city":' } }] }) },
          { hold: 'calling heard' },
          { write: chunkEvent({ tool_calls: [{ index: 0, function: { arguments: '"Lima"}' } }] }) },
          { write: chunkEvent({}, { finishReason: 'tool_calls' }) },
          { write: DONE },
        ],
      },
    ]);
    // One response: the turn ends as the tool's result comes.
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" max-steps="1"></stream-chat>`);
    el.tools = [{ name: 'time_in', execute: () => running.then(() => ({ time: '09:05' })) }];
    const state = () => el.shadowRoot!.querySelector('[part~=tool-state]')?.textContent;
    const heard = await heardWhile(el, async () => {
      const sent = el.send('Time in Lima?');
      await waitUntil(() => state() === 'Calling…', 'the call streams');
      await endpoint.release('calling heard');
      await waitUntil(() => state() === 'Running…', 'the tool runs');
      ran();
      await sent;
    });
    // Each change of the card's head (atomic: the name is said with the state).
    expect(heard.filter(([region]) => region === 'log')).to.deep.equal([
      ['log', 'time_in Calling…'],
      ['log', 'Running…'],
      ['log', 'Done'],
    ]);
  });

  it('twenty parallel calls are said as a batch: the first as it streams, then once all have their results, not each call at each state', async () => {
    const calls = Array.from({ length: 20 }, (_, index) => ({
      write: chunkEvent({ tool_calls: [{ index, id: `c${index}`, type: 'function', function: { name: index % 2 ? 'roll_dice' : 'time_in', arguments: '{}' } }] }),
    }));
    const endpoint = await mockEndpoint([
      { steps: [{ write: chunkEvent({ role: 'assistant', content: null }) }, ...calls, { write: chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] },
      { steps: [{ hold: 'answer' }, { write: chunkEvent({ content: 'Done.' }) + chunkEvent({}, { finishReason: 'stop' }) + DONE }] },
    ]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    // Each call's result when the test gives it; the last call's (the 20th) fails.
    const results: Array<() => void> = [];
    const execute = () => new Promise<string>((resolve, reject) => results.push(results.length < 19 ? () => resolve('ok') : () => reject(new Error('no dice'))));
    el.tools = [{ name: 'time_in', execute }, { name: 'roll_dice', execute }];
    const states = () => [...el.shadowRoot!.querySelectorAll('[part~=tool-state]')].map((state) => state.textContent);
    const heard = await heardWhile(el, async () => {
      const sent = el.send('Twenty at once?');
      await waitUntil(() => results.length === 20, 'every tool runs');
      // One result a frame, as tools that take their time give them.
      for (const give of results) {
        give();
        await new Promise(requestAnimationFrame);
      }
      await waitUntil(() => !states().includes('Running…'), 'every result came');
      await endpoint.release('answer');
      await sent;
    });
    // Before: 59 from the log, each card's Calling…, Running… and Done (or Error), as it changed;
    // then 'time_in Done, roll_dice Done, roll_dice Error', nineteen calls said as two.
    expect(heard.filter(([region, text]) => region === 'log' || text.includes('time_in'))).to.deep.equal([
      ['log', 'time_in Calling…'],
      ['status', 'time_in Done (10 calls), roll_dice Done (9 calls), roll_dice Error'],
    ]);
  });

  it('of calls made together, how many of a tool are in a state is said in the form `labels.calls` has for the number in the element’s language; a blank state is left out', async () => {
    const call = (index: number, name: string) => chunkEvent({ tool_calls: [{ index, id: `${name}${index}`, type: 'function', function: { name, arguments: '{}' } }] });
    const calls = [0, 1, 2, 3, 4].map((index) => call(index, 'roll_dice')).join('') + call(5, 'time_in') + call(6, 'time_in');
    const endpoint = await mockEndpoint([{ steps: [{ write: calls + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] }]);
    const el = await fixture<StreamChatElement>(html`<stream-chat lang="pl" endpoint=${endpoint.url} retries="0" max-steps="1"></stream-chat>`);
    el.labels = { toolDone: '', toolError: 'Błąd', calls: { one: '({n} wywołanie)', few: '({n} wywołania)', many: '({n} wywołań)', other: '({n} wywołania)' } };
    el.tools = [{ name: 'roll_dice', execute: () => 6 }, { name: 'time_in', execute: () => Promise.reject(new Error('no time')) }];
    const heard = await heardWhile(el, () => el.send('Five dice, and the time twice?'));
    // Before: 'roll_dice , time_in Błąd', neither count said, and a space before the comma. (A list
    // in Polish: 'i', and.)
    expect(heard.find(([region, text]) => region === 'status' && text.includes('roll_dice'))).to.deep.equal(['status', 'roll_dice (5 wywołań) i time_in Błąd (2 wywołania)\nStopped at the step limit']);
  });

  it('calls made together that the page answers itself (no tools: results set in messages) are said as the element’s own are', async () => {
    const call = (index: number, name: string) => chunkEvent({ tool_calls: [{ index, id: name, type: 'function', function: { name, arguments: '{}' } }] });
    const calling = { steps: [{ write: call(0, 'time_in') + call(1, 'roll_dice') + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] };
    const endpoint = await mockEndpoint([calling, streamingReply(['Nine, and a six.']), calling, streamingReply(['Ten, and a one.'])]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    const result = (id: string, content: string) => ({ role: 'tool' as const, tool_call_id: id, content });
    const answer = () => (el.messages = [...el.messages, result('time_in', '09:05'), result('roll_dice', 'Error: no dice')]);
    // The results given later, then retry() in a task of its own; or, as README's Tools has it, both in one.
    await el.send('Time, and a die?');
    // Before: [], the results unsaid (one call's was: its card's head said Done).
    expect(await heardWhile(el, answer)).to.deep.equal([['status', 'time_in Done, roll_dice Error']]);
    expect(await heardWhile(el, () => el.retry())).to.deep.equal([['status', 'Assistant is typing'], ['status', 'Nine, and a six.']]);
    await el.send('Again?');
    // Before: [['status', 'time_in Done, roll_dice Error'], …], the turn's start said over.
    expect(await heardWhile(el, () => (answer(), el.retry()))).to.deep.equal([
      ['status', 'time_in Done, roll_dice Error\nAssistant is typing'],
      ['status', 'Ten, and a one.'],
    ]);
  });

  it('calls made together that end a turn at max-steps are said before its step limit, not after', async () => {
    const call = (index: number, name: string) => chunkEvent({ tool_calls: [{ index, id: name, type: 'function', function: { name, arguments: '{}' } }] });
    const endpoint = await mockEndpoint([{ steps: [{ write: call(0, 'time_in') + call(1, 'roll_dice') + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] }]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" max-steps="1"></stream-chat>`);
    el.tools = [{ name: 'time_in', execute: () => '09:05' }, { name: 'roll_dice', execute: () => Promise.reject(new Error('no dice')) }];
    const heard = await heardWhile(el, () => el.send('Time, and a die?'));
    // Before: 'Stopped at the step limit\ntime_in Done, roll_dice Error', the end said before what came first.
    expect(heard.at(-1)).to.deep.equal(['status', 'time_in Done, roll_dice Error\nStopped at the step limit']);
  });

  it('of calls made together, one that waits for the page (a tool without execute) says so: the reader is to act', async () => {
    const call = (index: number, name: string) => chunkEvent({ tool_calls: [{ index, id: name, type: 'function', function: { name, arguments: '{}' } }] });
    const endpoint = await mockEndpoint([{ steps: [{ write: call(0, 'time_in') + call(1, 'confirm_order') + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] }, streamingReply(['Ordered.'])]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    el.tools = [{ name: 'time_in', execute: () => '09:05' }, { name: 'confirm_order' }];
    const states = () => [...el.shadowRoot!.querySelectorAll('[part~=tool-state]')].map((state) => state.textContent);
    let sent!: Promise<unknown>;
    const heard = await heardWhile(el, async () => {
      sent = el.send('Order it?');
      await waitUntil(() => states()[1] === 'Waiting for a result', 'the call waits');
    });
    // Before: nothing from the log but the first card's Calling…: the turn seemed to hang, silent.
    expect(heard.filter(([region]) => region === 'log').at(-1)).to.deep.equal(['log', 'Waiting for a result']);
    el.conversation.respond('confirm_order', 'yes');
    await sent;
  });

  it('labels set after a turn with tools (a page switching its language) do not read its cards again; a state that changes then is read', async () => {
    let ran!: () => void;
    const running = new Promise<void>((resolve) => (ran = resolve));
    const call = chunkEvent({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'time_in', arguments: '{}' } }] });
    const endpoint = await mockEndpoint([
      { steps: [{ write: call + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] },
      { steps: [{ hold: 'answer' }, { write: chunkEvent({ content: 'Nine.' }) + chunkEvent({}, { finishReason: 'stop' }) + DONE }] },
    ]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    el.tools = [{ name: 'time_in', execute: () => running.then(() => ({ time: '09:05' })) }];
    const state = () => el.shadowRoot!.querySelector('[part~=tool-state]')?.textContent;
    const sent = el.send('Time?');
    await waitUntil(() => state() === 'Running…', 'the tool runs');
    // Before: [['log', 'Läuft…']], the card's head again, its state the same.
    expect(await heardWhile(el, () => (el.labels = { toolRunning: 'Läuft…', toolDone: 'Fertig' }))).to.deep.equal([]);
    const log = async (act: () => unknown) => (await heardWhile(el, act)).filter(([region]) => region === 'log');
    expect(
      await log(async () => {
        ran();
        await waitUntil(() => state() === 'Fertig', 'the tool is done');
      }),
    ).to.deep.equal([['log', 'Fertig']]);
    await endpoint.release('answer');
    await sent;
    // Before: [['log', 'Done']].
    expect(await log(() => (el.labels = {}))).to.deep.equal([]);
    expect(state()).to.equal('Done');
  });

  it('suggestions that come (set after the first render, or shown again by clear()) are not read out by the log', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    // Before: [['log', 'Alpha idea Beta idea']], the buttons the log took in.
    expect(await heardWhile(el, () => (el.suggestions = ['Alpha idea', 'Beta idea']))).to.deep.equal([]);
    el.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'A' },
    ];
    await el.updateComplete;
    // Before: [['log', 'Alpha idea Beta idea']], as a new conversation started.
    expect(await heardWhile(el, () => el.clear())).to.deep.equal([]);
    expect(el.shadowRoot!.querySelectorAll('[part~=suggestion]')).to.have.length(2);
  });

  it('a conversation taken away (clear(), messages set, another storage-key) takes what the status region said of it, and says nothing new', async () => {
    const answers = ['Answer one.', 'Answer two.', 'Answer three.', 'Answer four.', 'Answer five.'];
    const endpoint = await mockEndpoint(answers.map((answer) => streamingReply([answer])));
    const [first, second] = ['accessibility-taken-a', 'accessibility-taken-b'];
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" storage-key=${first}></stream-chat>`);
    const status = el.shadowRoot!.querySelector('.announce')!;
    const takers: Array<[string, () => unknown]> = [
      ['clear()', () => el.clear()],
      ['messages = []', () => (el.messages = [])],
      ['another conversation', () => (el.messages = [{ role: 'user', content: 'Elsewhere' }, { role: 'assistant', content: 'Its answer' }])],
      ['another storage-key', () => (el.storageKey = second)],
    ];
    try {
      for (const [at, [how, take]] of takers.entries()) {
        await el.send('Q');
        expect(status.textContent, `said before ${how}`).to.equal(answers[at]);
        // Before, the answer stayed in the region (7 s and 0.1 s a character, up to 2,000 of them).
        expect(await heardWhile(el, take), how).to.deep.equal([]);
        expect(status.textContent, how).to.equal('');
        expect(el.shadowRoot!.textContent, how).to.not.include(answers[at]);
      }
      // A turn started in the task of the end: its start alone, not the answer cleared before it.
      await el.send('Q');
      el.clear();
      const next = el.send('Again');
      expect(status.textContent, 'clear() then send()').to.equal('Assistant is typing');
      await next;
    } finally {
      localStorage.removeItem(first);
      localStorage.removeItem(second);
    }
  });

  it('the same conversation set again as copies (a page’s state, parsed, proxied) at its `done` keeps what the status region said', async () => {
    const copies: Array<[string, (list: readonly ChatMessage[]) => ChatMessage[]]> = [
      ['JSON', (list) => JSON.parse(JSON.stringify(list))],
      ['an id added', (list) => list.map((message) => ({ ...message, id: 1 }))],
      ['proxies (a deep Vue ref)', (list) => list.map((message) => new Proxy(message, {}))],
    ];
    const endpoint = await mockEndpoint(copies.map(([how]) => streamingReply([`Answer, ${how}.`])));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    const status = el.shadowRoot!.querySelector('.announce')!;
    for (const [how, copy] of copies) {
      const set = () => (el.messages = copy(el.messages));
      el.addEventListener('done', set, { once: true });
      await el.send('Q');
      // Before: '' in the task of the end, so a screen reader never heard the answer.
      expect(status.textContent, how).to.equal(`Answer, ${how}.`);
      await new Promise((resolve) => setTimeout(resolve));
      expect(status.textContent, how).to.equal(`Answer, ${how}.`);
    }
  });

  it('a custom empty message shown again by clear() is in the log’s live region; its suggestions are not', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat><p slot="empty">Ask about billing.</p></stream-chat>`);
    el.suggestions = ['Alpha idea'];
    el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }];
    await el.updateComplete;
    el.clear();
    await el.updateComplete;
    const slot = el.querySelector('[slot=empty]')!.assignedSlot!;
    expect(slot.closest('[aria-live], [role=log]')!.getAttribute('aria-live'), 'the empty message').to.not.equal('off');
    expect(el.shadowRoot!.querySelector('[part~=suggestion]')!.closest('[aria-live], [role=log]')!.getAttribute('aria-live'), 'a suggestion').to.equal('off');
  });

  it('a turn stopped while its tool runs, or while its call streams, is said stopped once: by the status region, not by the cards too', async () => {
    const call = (id: string, args: string) => chunkEvent({ tool_calls: [{ index: 0, id, type: 'function', function: { name: 'roll_dice', arguments: args } }] });
    const endpoint = await mockEndpoint([
      { steps: [{ write: call('a', '{"count":2}') + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] },
      { steps: [{ write: call('b', '{"count":') }, { hold: 'never' }] },
    ]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    el.tools = [{ name: 'roll_dice', execute: (_args, { signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) }];
    // The last card's: the second turn's.
    const state = () => [...el.shadowRoot!.querySelectorAll('[part~=tool-state]')].at(-1)?.textContent;
    const stopWhen = (shown: string) => async () => {
      const sent = el.send('Roll 2 dice');
      await waitUntil(() => state() === shown, `the card shows ${shown}`);
      el.stop();
      await sent;
    };
    for (const shown of ['Running…', 'Calling…']) {
      const heard = await heardWhile(el, stopWhen(shown));
      expect(state(), shown).to.equal('Stopped');
      // Before: ['log', 'Stopped'] too, the card's head, beside the status region's "Stopped".
      expect(heard.filter(([, text]) => text.includes('Stopped')), shown).to.deep.equal([['status', 'Stopped']]);
    }
  });

  // With `images`, an answer's picture is said by its alt text at the turn's end, as it is without
  // (where the alt text is what shows). Before, the status region said the text around it alone, and
  // an answer of a picture alone nothing after "Assistant is typing".
  it('an answer’s image (images) is said by its alt text once the answer is whole', async () => {
    const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const endpoint = await mockEndpoint([streamingReply(['Here is the chart:\n\n', `![Sales by month](${pixel})\n`]), streamingReply([`![A red pixel](${pixel})`])]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" images></stream-chat>`);
    const status = async (question: string) => (await heardWhile(el, () => el.send(question))).filter(([region]) => region === 'status');
    expect(await status('Chart?')).to.deep.equal([
      ['status', 'Assistant is typing'],
      ['status', 'Here is the chart:\nSales by month'],
    ]);
    expect(el.shadowRoot!.querySelectorAll('[part~=assistant] img'), 'shown as images').to.have.length(1);
    expect(await status('Just the picture')).to.deep.equal([
      ['status', 'Assistant is typing'],
      ['status', 'A red pixel'],
    ]);
  });

  it('an answer with an image that failed is said without fetching it again, with the page’s address as its Referer', async () => {
    const image = await mockEndpoint({ status: 404, headers: { 'content-type': 'text/plain' }, steps: [{ write: 'gone' }] });
    // A step that shows the image and calls a tool; it fails as the tool runs, and the turn's end
    // says both steps (the first one not rendered again, which would fetch it itself).
    const call = chunkEvent({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'look', arguments: '{}' } }] });
    const endpoint = await mockEndpoint([
      { steps: [{ write: chunkEvent({ content: `A dot: ![dot](${image.url})` }) + call + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] },
      streamingReply(['That is all.']),
    ]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" images></stream-chat>`);
    el.tools = [{ name: 'look', execute: () => waitUntil(() => el.shadowRoot!.querySelector('img')?.complete, 'the image tried').then(() => ({ seen: true })) }];
    const heard = await heardWhile(el, () => el.send('Dot?'));
    expect(heard.at(-1)).to.deep.equal(['status', 'A dot: dot\nThat is all.']);
    // A request after, to the same server: one the status region's copy started has come by its end.
    await fetch((await mockEndpoint({})).url);
    // Before: 2 in Chromium, Firefox and WebKit, the second the status region's copy's (in the page's
    // document, its `referrerpolicy` taken off: the test page's address its Referer).
    expect((await image.settled()).length, 'GETs of the image').to.equal(1);
  });

  // The Reasoning and Result toggles: 21 px tall before (a line of 0.875em), under WCAG 2.5.8's
  // 24 px. Taller, with the page laid out as before: what they hold and what is around them where
  // it was, closed and open (compared with the toggles' box put back to their line's).
  it('the Reasoning and Result toggles are at least 24 px tall, and nothing around them moves', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat style="width: 480px"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Weather in Rome?' },
      { role: 'assistant', content: null, reasoning: 'Look it up.', tool_calls: [{ id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
      { role: 'tool', tool_call_id: 'a', content: '{"temp":21}' },
      { role: 'assistant', content: 'It is 21 degrees.' },
    ];
    await el.updateComplete;
    const root = el.shadowRoot!;
    const summaries = [...root.querySelectorAll('summary')];
    expect(summaries.map((s) => s.textContent)).to.deep.equal(['Reasoning', 'Result']);
    /** Where every box of the log but the toggles is, and the toggles' text. */
    const layout = () => {
      const range = document.createRange();
      const boxes = [...root.querySelectorAll('[part~=log] *:not(summary)')].map((e) => e.getBoundingClientRect());
      const texts = summaries.map((s) => (range.selectNodeContents(s), range.getBoundingClientRect()));
      return [...boxes, ...texts].map((r) => [r.x, r.y, r.width, r.height].map((n) => Math.round(n * 10) / 10).join(' '));
    };
    const line = new CSSStyleSheet();
    line.replaceSync('summary { padding-block: 0 !important; margin-block: 0 !important; min-height: 0 !important }');
    for (const open of [false, true]) {
      for (const details of root.querySelectorAll('details')) details.open = open;
      const heights = summaries.map((s) => s.getBoundingClientRect().height);
      for (const height of heights) expect(height, `${open ? 'open' : 'closed'}: ${heights}`).to.be.at.least(24);
      const laidOut = layout();
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, line];
      const atTheirLine = layout();
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((sheet) => sheet !== line);
      expect(laidOut, open ? 'open' : 'closed').to.deep.equal(atTheirLine);
    }
  });

  // 24 CSS px is the target, whatever the page's root font: one that sets it to 62.5% (10 px, so
  // that 1.6rem is 16 px) left the toggles at their 21 px line, and a message's actions (Copy,
  // Edit, Save and Cancel, Regenerate) 23.5 px tall, a code block's Copy 23.7; with the chat's
  // text at 14 px (1.4rem there), the error's Retry 23.
  it('the toggles and the buttons are 24 px tall in a page whose root font is 10 px', async () => {
    document.documentElement.style.fontSize = '62.5%';
    try {
      for (const size of [16, 14]) {
        const endpoint = await mockEndpoint({ status: 400, steps: [{ write: '{"error":{"message":"Bad"}}' }] });
        const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} style="font-size: ${size}px; --stream-chat-height: 60rem"></stream-chat>`);
        el.messages = [
          { role: 'user', content: 'Weather in Rome?' },
          { role: 'assistant', content: null, reasoning: 'Look it up.', tool_calls: [{ id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'a', content: '{"temp":21}' },
          { role: 'assistant', content: 'In Python:\n\n```python\nprint(21)\n```' },
        ];
        await el.updateComplete;
        await el.send('And now?').catch(() => {});
        el.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=edit]')!.click();
        await el.updateComplete;
        const targets = [...el.shadowRoot!.querySelectorAll('summary, button')];
        expect(targets.map((target) => target.textContent!.trim())).to.include.members(['Save', 'Cancel', 'Reasoning', 'Result', 'Copy code', 'Copy', 'Edit', 'Retry']);
        const heights = targets.map((target) => `${target.textContent!.trim()} ${target.getBoundingClientRect().height}`);
        expect(heights.filter((each) => Number(each.split(' ').at(-1)) < 24), `${size} px`).to.deep.equal([]);
      }
    } finally {
      document.documentElement.style.fontSize = '';
    }
  });

  /** The names of the page's groups that `keep` keeps, in reading order (Chromium's accessibility tree). */
  const groups = async (keep: (name: string) => boolean) => (await executeServerCommand<string[], { role: string }>('cdp-names', { role: 'group' })).filter(keep);

  // A card's arguments and its opened result are scrollers a keyboard scrolls (tab stops): groups,
  // described by the text just before each, the tool's name and the result's summary. Before, named
  // by it ("get_weather", "Result"): a screen reader reading on said each twice, as text and as the
  // group it entered; a description is said as one takes focus.
  itWithCdp('a tool card’s arguments and result are groups described by its name and the result’s summary, not named again by them', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Weather in Rome?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
      { role: 'tool', tool_call_id: 'a', content: '{"temp":21}' },
      { role: 'assistant', content: 'It is 21 degrees.' },
    ];
    await el.updateComplete;
    const result = el.shadowRoot!.querySelector<HTMLDetailsElement>('[part~=tool-result]')!;
    result.open = true;
    let names: string[] = [];
    // (The details open, with its group inside, once the tree is told.)
    await waitUntil(async () => (names = await groups(() => true)).length === 5, 'the tree of the open result');
    expect(names, 'the groups’ names').to.deep.equal(['You', 'Assistant', '', '', '']);
    const described = [...el.shadowRoot!.querySelectorAll('[part~=tool-call] pre')].map((pre) => [pre.getAttribute('role'), el.shadowRoot!.getElementById(pre.getAttribute('aria-describedby')!)?.textContent]);
    expect(described).to.deep.equal([
      ['group', 'get_weather'],
      ['group', 'Result'],
    ]);
    await expect(el).to.be.accessible();
  });

  // Ten tool calls, ten Result toggles: as focus meets each, it is described by its tool's name (the
  // text before it in its card). Before, ten alike, nothing said whose result each opened. (Its name
  // stays its text: a list of buttons by name still shows ten "Result".)
  itWithCdp('each Result toggle is described by its tool’s name', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    const call = (id: string, name: string) => ({ id, type: 'function' as const, function: { name, arguments: '{}' } });
    el.messages = [
      { role: 'user', content: 'Weather and time in Rome?' },
      { role: 'assistant', content: null, tool_calls: [call('a', 'get_weather'), call('b', 'time_in')] },
      { role: 'tool', tool_call_id: 'a', content: '{"temp":21}' },
      { role: 'tool', tool_call_id: 'b', content: '09:05' },
      { role: 'assistant', content: 'It is 21 degrees at 09:05.' },
    ];
    await el.updateComplete;
    const toggles = () => executeServerCommand<Array<[string, string]>, { role: string; described: boolean }>('cdp-names', { role: 'DisclosureTriangle', described: true });
    await waitUntil(async () => (await toggles()).length === 2, 'the toggles in the tree');
    expect(await toggles()).to.deep.equal([
      ['Result', 'get_weather'],
      ['Result', 'time_in'],
    ]);
    // The result's group still described by the toggle's text alone (a description's own is not followed).
    el.shadowRoot!.querySelector('details')!.open = true;
    const groups = () => executeServerCommand<Array<[string, string]>, { role: string; described: boolean }>('cdp-names', { role: 'group', described: true });
    await waitUntil(async () => (await groups()).some(([, description]) => description === 'Result'), 'the tree of the open result');
    expect((await groups()).filter(([name, description]) => !name && description)).to.deep.equal([
      ['', 'get_weather'],
      ['', 'Result'],
      ['', 'time_in'],
    ]);
    await expect(el).to.be.accessible();
  });

  /**
   * An answer streamed at 480 px in two pieces, held after the first until `finish()`, which
   * resolves with the blocks `selector` finds once the turn is done; `selector` finds one before.
   */
  async function heldAnswer(first: string, rest: string, selector: string, highlight = false) {
    const endpoint = await mockEndpoint(pausedReply([[first], [rest]], ['shown open']));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" ?highlight=${highlight} style="width: 480px"></stream-chat>`);
    const sent = el.send('Show me');
    await waitUntil(() => el.shadowRoot!.querySelector(selector), 'the open block');
    const finish = async () => {
      await endpoint.release('shown open');
      await sent;
      await el.updateComplete;
      return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
    };
    return { el, finish };
  }

  // A wide table's scroller takes focus (so that a keyboard scrolls it): what a screen reader says
  // there is its role and name. Before, a generic with no name, as the accessibility tree has it.
  // A group, not a region: a landmark each, two tables with one header row failed axe's
  // landmark-unique, and a long conversation's landmarks would be its tables.
  itWithCdp('a table’s scroller is a group named by its header row, also while it streams', async () => {
    const head = '| City | Local *time* | `UTC` offset |\n|---|---|---|\n';
    const { el, finish } = await heldAnswer('Here:\n\n' + head + '| ' + 'Lima_'.repeat(60) + ' | 09:05 | −5 |\n', '| Oslo | 15:05 | +1 |\n\n' + head + '| Lima | 09:05 | −5 |\n', '[part~="table-wrap"]');
    const tables = () => groups((name) => name.startsWith('City'));
    expect(await tables(), 'streaming').to.deep.equal(['City, Local time, UTC offset']);
    const wraps = await finish();
    await waitUntil(() => wraps[0]!.tabIndex === 0 && wraps[1]!.tabIndex < 0, 'the wide one a tab stop, the other not');
    expect(await tables(), 'finished').to.deep.equal(['City, Local time, UTC offset', 'City, Local time, UTC offset']);
    await expect(el).to.be.accessible();
  });

  // A code block's scroller takes focus as a table's does: a group named by the fence's language,
  // the word its header shows, also while it streams and once highlighted. Before, a generic with no
  // name. Two blocks of one language are two groups of one name (a region each failed axe's
  // landmark-unique); one without a language is named by `labels.code` (before, a group with no
  // name: "group", and nothing of what took focus).
  itWithCdp('a code block’s scroller is a group named by its language (without one, labels.code), also while it streams and once highlighted', async () => {
    const wide = 'print("' + 'Lima_'.repeat(60) + '")\n';
    const { el, finish } = await heldAnswer('Here:\n\n```python\n' + wide, '```\n\n```python\nx = 1\n```\n\n```\n' + wide + '```\n', '[part~="code-block"] pre', true);
    const blocks = () => groups((name) => !['You', 'Assistant'].includes(name));
    expect(await blocks(), 'streaming').to.deep.equal(['python']);
    const pres = await finish();
    await waitUntil(() => pres[0]!.querySelector('.string') && pres[1]!.querySelector('.literal'), 'both python blocks highlighted');
    expect(await blocks(), 'finished').to.deep.equal(['python', 'python', 'Code']);
    await expect(el).to.be.accessible();
    el.labels = { code: 'Quelltext' };
    await el.updateComplete;
    expect(await blocks(), 'labels.code set').to.deep.equal(['python', 'python', 'Quelltext']);
  });

  // Each code block's Copy is described by the block's language, the word its header shows: before,
  // a list of buttons read "Copy code" once per block, nothing saying which (the language a group
  // after it). Its name stays `labels.copyCode`, the text it shows.
  itWithCdp('a code block’s Copy is described by the block’s language, named by labels.copyCode', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'Two ways?' },
      { role: 'assistant', content: '```python\nx = 1\n```\n\n```js\nlet x = 1\n```\n\n```\nx\n```\n' },
    ];
    await el.updateComplete;
    const copies = async (name: string) => (await executeServerCommand<Array<[string, string]>, { role: string; described: boolean }>('cdp-names', { role: 'button', described: true })).filter(([n]) => n === name);
    await waitUntil(async () => (await copies('Copy code')).length === 3, 'the three Copy buttons in the tree');
    expect(await copies('Copy code')).to.deep.equal([
      ['Copy code', 'python'],
      ['Copy code', 'js'],
      ['Copy code', ''],
    ]);
    el.labels = { copyCode: 'Kopieren' };
    await el.updateComplete;
    await waitUntil(async () => (await copies('Kopieren')).length === 3, 'the label set');
    expect(await copies('Kopieren')).to.deep.equal([
      ['Kopieren', 'python'],
      ['Kopieren', 'js'],
      ['Kopieren', ''],
    ]);
    await expect(el).to.be.accessible();
  });
});
