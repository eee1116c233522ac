/**
 * What a user sees and does around each turn of <stream-chat>: who said what, an answer while it
 * streams (refusals, tool calls), stopped and failed turns, restored history in the OpenAI shapes,
 * and the keyboard while an answer streams. End to end, against the real local SSE server.
 */
import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../src/index.js';
import type { ChatMessage, DoneDetail } from '../src/core/types.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { contentArrives } from './helpers/element.js';
import { DONE, chunkEvent, httpError, mockEndpoint, pausedReply, slowReply, streamingReply, type MockResponse } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { itWithCdp } from './helpers/cdp.js';
import { pdf, recording } from './helpers/history.js';

async function chatFor(url = ''): Promise<StreamChatElement> {
  return fixture<StreamChatElement>(html`<stream-chat endpoint=${url} retries="0"></stream-chat>`);
}

function parts(el: StreamChatElement, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}

/** The role chunk, then `events`, then a pause long enough for a test to look mid-stream, then the end. */
function pausedAfter(...events: string[]): MockResponse {
  return {
    steps: [
      { write: chunkEvent({ role: 'assistant', content: '' }) },
      ...events.map((write) => ({ write })),
      { delay: 5000 },
      { write: chunkEvent({}, { finishReason: 'stop' }) },
      { write: DONE },
    ],
  };
}

describe('<stream-chat> turns', () => {
  failOnUnhandledRejection();

  describe('who said what', () => {
    itWithCdp('each message is announced with its speaker, and lays its own text out in its own direction', async () => {
      const el = await chatFor();
      el.messages = [
        { role: 'user', content: 'Bonjour' },
        { role: 'assistant', content: 'مرحبا' },
      ];
      await el.updateComplete;
      // Chromium updates its accessibility tree after layout, in a task of its own: read at once on a
      // busy machine (CI), it held the composer's "Send" alone. Read until the messages are in it.
      let spoken = '';
      await waitUntil(async () => (spoken = (await executeServerCommand<string[]>('cdp-spoken-text')).join(' | ')).includes('Bonjour'), 'the messages in the accessibility tree');
      // Each message's speaker, its text, then its actions.
      expect(spoken).to.include('You: | Bonjour | Copy | Edit | Assistant: | مرحبا | Copy | Regenerate');
      for (const message of parts(el, 'message')) expect(message.getAttribute('dir')).to.equal('auto');
    });

    itWithCdp('each turn is a group named by its speaker without the colon its spoken text ends with, in any language', async () => {
      const el = await chatFor();
      el.messages = [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'A' },
        { role: 'user', content: 'Q2' },
        { role: 'tool', tool_call_id: 'call_x', content: 'a result of no call shown' },
      ];
      await el.updateComplete;
      // (A tool result's folded <details> is a group too, without a name.) The accessibility tree
      // follows the render a moment later: on a busy machine a first read found no group yet.
      const groups = async (expected: string[]) => {
        let names: string[] = [];
        const read = async () => JSON.stringify((names = (await executeServerCommand<string[], { role: string }>('cdp-names', { role: 'group' })).filter(Boolean))) === JSON.stringify(expected);
        await waitUntil(read, 'the groups in the accessibility tree', { timeout: 3000 }).catch(() => {});
        return names;
      };
      // Before: "You:", "Assistant:": a screen reader said "You:, group".
      expect(await groups(['You', 'Assistant', 'You', 'Assistant'])).to.deep.equal(['You', 'Assistant', 'You', 'Assistant']);
      parts(el, 'edit')[0]!.click();
      await el.updateComplete;
      expect(parts(el, 'edit-input'), 'the question being edited').to.have.length(1);
      // French puts a (narrow no-break) space before its colon, Chinese writes a full-width one.
      el.labels = { you: 'Vous\u202f:', assistant: '助手：' };
      await el.updateComplete;
      expect(await groups(['Vous', '助手', 'Vous', '助手'])).to.deep.equal(['Vous', '助手', 'Vous', '助手']);
      // The speaker read before each message keeps its colon.
      expect(parts(el, 'speaker').map((speaker) => speaker.textContent)).to.deep.equal(['Vous\u202f:', '助手：', 'Vous\u202f:', '助手：']);
      // A label that ends with white space after its colon (a page's `'Du: '`) is named without it too.
      el.labels = { you: 'Du: ', assistant: 'Assistent:\u00a0' };
      await el.updateComplete;
      expect(await groups(['Du', 'Assistent', 'Du', 'Assistent'])).to.deep.equal(['Du', 'Assistent', 'Du', 'Assistent']);
    });
  });

  describe('an answer while it streams', () => {
    it('a refusal shows as it arrives, and the typing indicator goes', async () => {
      const el = await chatFor((await mockEndpoint(pausedAfter(chunkEvent({ refusal: "I can't help with that." })))).url);
      const sent = el.send('Do something bad');
      await waitUntil(() => parts(el, 'refusal')[0]?.textContent === "I can't help with that.", 'the refusal shows mid-stream');
      expect(el.streaming).to.equal(true);
      expect(parts(el, 'typing')).to.deep.equal([]);
      el.stop();
      await sent;
    });

    it('a tool call shows while its arguments stream, not only at the end', async () => {
      const call = chunkEvent({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] });
      const el = await chatFor((await mockEndpoint(pausedAfter(call))).url);
      const sent = el.send('Weather?');
      await waitUntil(
        () => parts(el, 'tool-name')[0]?.textContent === 'get_weather' && parts(el, 'tool-arguments')[0]?.textContent === '{"city":',
        'the call shows mid-stream',
      );
      expect(parts(el, 'typing')).to.deep.equal([]);
      el.stop();
      await sent;
    });

    // Qwen and Claude often send "\n\n" first: before, the dots went and an empty bubble showed.
    const blankFirst = (then: string, ...before: string[]): MockResponse => ({
      steps: [
        { write: chunkEvent({ role: 'assistant', content: '' }) },
        ...[...before, chunkEvent({ content: '\n\n' })].map((write) => ({ write })),
        { hold: 'blank seen' },
        ...pausedAfter(then).steps!.slice(1),
      ],
    });
    const shown = (el: StreamChatElement) => [parts(el, 'typing').length, parts(el, 'assistant').map((bubble) => bubble.hidden)];

    it('an answer that starts with white space (a model’s "\\n\\n") keeps the typing dots and no bubble until its text comes, then shows that', async () => {
      const endpoint = await mockEndpoint(blankFirst(chunkEvent({ content: 'Hello' })));
      const el = await chatFor(endpoint.url);
      const blank = contentArrives(el, '\n\n');
      const sent = el.send('Hi');
      await blank;
      await el.updateComplete;
      await nextFrame();
      // Before: [0, [false]], the dots gone and an empty grey bar.
      expect(shown(el), 'white space only').to.deep.equal([1, [true]]);
      await endpoint.release('blank seen');
      await waitUntil(() => parts(el, 'assistant')[0]!.textContent!.includes('Hello'), 'the text streams in');
      await el.updateComplete;
      // (Rendered again when that text came: it streams into its nodes without a render.)
      expect(shown(el), 'its text').to.deep.equal([0, [false]]);
      el.stop();
      await sent;
    });

    it('labels set while an answer streams name the code blocks and tables that stream in after, not only once it ends', async () => {
      const endpoint = await mockEndpoint({
        steps: [
          { write: chunkEvent({ role: 'assistant', content: 'First:\n\n' }) },
          { hold: 'labels' },
          { write: chunkEvent({ content: '```\nx\n```\n\n|   |\n|---|\n| 1 |\n\nMore' }) },
          { hold: 'seen' },
          { write: chunkEvent({}, { finishReason: 'stop' }) },
          { write: DONE },
        ],
      });
      const el = await chatFor(endpoint.url);
      const sent = el.send('Code?');
      await contentArrives(el, 'First:\n\n');
      el.labels = { copyCode: 'Kopieren', code: 'Quelltext', table: 'Tabelle' };
      await el.updateComplete;
      await endpoint.release('labels');
      await waitUntil(() => parts(el, 'assistant')[0]!.textContent!.includes('More'), 'the code block and the table stream in');
      const named = () => [parts(el, 'copy')[0]?.textContent, el.shadowRoot!.querySelector('pre')?.getAttribute('aria-label'), el.shadowRoot!.querySelector('[part~="table-wrap"]')?.getAttribute('aria-label')];
      // Before, the labels of when the answer started: "Copy code", "Code" and "Table" until it ended.
      expect(el.streaming).to.equal(true);
      expect(named()).to.deep.equal(['Kopieren', 'Quelltext', 'Tabelle']);
      await endpoint.release('seen');
      await sent;
      await el.updateComplete;
      expect(named()).to.deep.equal(['Kopieren', 'Quelltext', 'Tabelle']);
    });

    it('an answer that starts with white space, then calls a tool: its card shows, the dots go, no bubble', async () => {
      const call = chunkEvent({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] });
      const endpoint = await mockEndpoint(blankFirst(call));
      const el = await chatFor(endpoint.url);
      const blank = contentArrives(el, '\n\n');
      const sent = el.send('Weather?');
      await blank;
      await el.updateComplete;
      expect(shown(el), 'white space only').to.deep.equal([1, [true]]);
      await endpoint.release('blank seen');
      await waitUntil(() => parts(el, 'tool-arguments')[0]?.textContent === '{"city":', 'the call shows mid-stream');
      await el.updateComplete;
      expect(parts(el, 'tool-name').map((name) => name.textContent)).to.deep.equal(['get_weather']);
      expect(shown(el), 'a call after it').to.deep.equal([0, [true]]);
      el.stop();
      await sent;
    });

    it('an answer that reasons, then sends white space: its reasoning stays open, no bubble, until its text comes', async () => {
      const endpoint = await mockEndpoint(blankFirst(chunkEvent({ content: 'Hello' }), chunkEvent({ reasoning_content: 'Greet back.' })));
      const el = await chatFor(endpoint.url);
      const blank = contentArrives(el, '\n\n');
      const sent = el.send('Hi');
      await blank;
      await waitUntil(() => parts(el, 'reasoning')[0]?.textContent!.includes('Greet back.'), 'the reasoning streams in');
      await el.updateComplete;
      const reasoning = () => [(parts(el, 'reasoning')[0] as HTMLDetailsElement).open, parts(el, 'reasoning')[0]!.querySelector('summary')!.textContent];
      // Before: folded as "Reasoning", and an empty bubble under it, with nothing still moving.
      expect([...reasoning(), ...shown(el)], 'white space only').to.deep.equal([true, 'Thinking…', 0, [true]]);
      await endpoint.release('blank seen');
      await waitUntil(() => parts(el, 'assistant')[0]!.textContent!.includes('Hello'), 'the text streams in');
      await el.updateComplete;
      expect([...reasoning(), ...shown(el)], 'its text').to.deep.equal([false, 'Reasoning', 0, [false]]);
      el.stop();
      await sent;
    });

    it('an answer that reasons, then calls a tool: its reasoning folds when the call comes (it is calling, not thinking)', async () => {
      const call = chunkEvent({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] });
      const endpoint = await mockEndpoint(blankFirst(call, chunkEvent({ reasoning_content: 'Look it up.' })));
      const el = await chatFor(endpoint.url);
      const blank = contentArrives(el, '\n\n');
      const sent = el.send('Weather?');
      await blank;
      await endpoint.release('blank seen');
      await waitUntil(() => parts(el, 'tool-arguments')[0]?.textContent === '{"city":', 'the call shows mid-stream');
      await el.updateComplete;
      const reasoning = parts(el, 'reasoning')[0] as HTMLDetailsElement;
      // Before, open as "Thinking…" while the call's arguments streamed.
      expect([reasoning.open, reasoning.querySelector('summary')!.textContent, ...shown(el)]).to.deep.equal([false, 'Reasoning', 0, [true]]);
      el.stop();
      await sent;
    });

    it('a refusal has arrived for every part of the element at once: no typing, not retried when the stream breaks, kept', async () => {
      const endpoint = await mockEndpoint({
        steps: [{ write: chunkEvent({ role: 'assistant', content: '' }) }, { write: chunkEvent({ refusal: 'No.' }) }, { hold: 'seen' }, { destroy: true }],
      });
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="2"></stream-chat>`);
      const error = oneEvent(el, 'error');
      el.send('Hi').catch(() => {});
      await waitUntil(() => parts(el, 'refusal')[0]?.textContent === 'No.', 'the refusal shows mid-stream');
      expect(parts(el, 'typing')).to.deep.equal([]);
      await endpoint.release('seen');
      expect((await error).detail.error.kind).to.equal('network');
      await el.updateComplete;
      expect(await endpoint.requests()).to.have.length(1);
      expect(el.messages.at(-1)).to.deep.include({ role: 'assistant', refusal: 'No.' });
      expect(parts(el, 'refusal')[0]?.textContent).to.equal('No.');
    });

    it('Mistral’s content parts: text parts are the answer, thinking parts the reasoning', async () => {
      const thinking = { type: 'thinking', thinking: [{ type: 'text', text: 'Add them up.' }] };
      const endpoint = await mockEndpoint({
        steps: [
          { write: chunkEvent({ role: 'assistant', content: '' }) },
          { write: chunkEvent({ content: [thinking] }) },
          { write: chunkEvent({ content: [{ type: 'text', text: '3' }, '91'] }) },
          { write: chunkEvent({}, { finishReason: 'stop' }) },
          { write: DONE },
        ],
      });
      const el = await chatFor(endpoint.url);
      const detail = await el.send('What is 100 + 291?');
      expect(detail.content).to.equal('391');
      expect(detail.message).to.deep.include({ content: '391', reasoning: 'Add them up.' });
      await el.updateComplete;
      expect(parts(el, 'assistant')[0]?.textContent).to.equal('391');
      expect(parts(el, 'reasoning')[0]?.textContent).to.include('Add them up.');
    });
  });

  describe('stopped and failed turns', () => {
    it('an answer that is a refusal after reasoning folds its reasoning, as one with text does (set whole, or streamed)', async () => {
    const endpoint = await mockEndpoint([
      { steps: [{ write: chunkEvent({ role: 'assistant', reasoning_content: 'Is this allowed?' }) + chunkEvent({ refusal: 'I can’t help with that.' }) }, { hold: 'seen' }, { write: chunkEvent({}, { finishReason: 'stop' }) + DONE }] },
    ]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    const open = () => [...el.shadowRoot!.querySelectorAll<HTMLDetailsElement>('details[part~=reasoning]')].map((details) => details.open);
    const sent = el.send('Something not allowed');
    await waitUntil(() => parts(el, 'refusal')[0]?.textContent === 'I can’t help with that.', 'the refusal shows mid-stream');
    await el.updateComplete;
    // Before: "Thinking…" over the reasoning while the refusal streamed.
    expect([open(), el.shadowRoot!.querySelector('[part~=reasoning] summary')?.textContent]).to.deep.equal([[false], 'Reasoning']);
    await endpoint.release('seen');
    await sent;
    // Before: [true], open beside the refusal (it folded at the turn's end before 684d9ba).
    expect(open()).to.deep.equal([false]);
    el.messages = [{ role: 'user', content: 'c' }, { role: 'assistant', content: null, refusal: 'No.', reasoning: 'Is it allowed?' }];
    await el.updateComplete;
    expect(open()).to.deep.equal([false]);
  });

  it('an answer that ends while its model still thinks between <think> tags (the length limit, Stop, a cut): its reasoning stays as it was, open or closed, no answer, the marker', async () => {
      for (const [end, tail] of [
        ['length', [{ write: chunkEvent({ content: ' Hmm.' }, { finishReason: 'length' }) + DONE }]],
        ['stop', [{ hold: 'never' }]],
        ['cut', [{ destroy: true }]],
      ] as const) {
        const think = [chunkEvent({ role: 'assistant', content: '' }), chunkEvent({ content: '<think>\n' }), chunkEvent({ content: 'Okay, the user asks.' })];
        const endpoint = await mockEndpoint({ steps: [...think.map((write) => ({ write })), { hold: 'seen' }, ...tail] });
        const el = await chatFor(endpoint.url);
        const ended = new Promise<string>((resolve) => {
          el.addEventListener('done', ({ detail }) => resolve(JSON.stringify([detail.content, detail.message.think, detail.finishReason])));
          el.addEventListener('error', ({ detail }) => resolve(JSON.stringify([detail.content, el.messages.at(-1)!.think])));
        });
        el.send('Hi').catch(() => {});
        await waitUntil(() => parts(el, 'reasoning')[0]?.textContent!.includes('the user asks'), `${end}: the reasoning streams in`);
        await el.updateComplete;
        const reasoning = parts(el, 'reasoning')[0] as HTMLDetailsElement;
        const state = () => [reasoning.open, reasoning.querySelector('summary')!.textContent, parts(el, 'assistant')[0]!.hidden];
        expect(state(), `${end}: while it thinks`).to.deep.equal([true, 'Thinking…', true]);
        // A reader who closed it keeps it closed (Lit writes `open` only when its value changes).
        if (end === 'cut') reasoning.open = false;
        if (end === 'stop') el.stop();
        else await endpoint.release('seen');
        const detail = JSON.parse(await ended) as unknown[];
        await el.updateComplete;
        // Before: folded away as the turn ended, the only thing it said hidden.
        expect(state(), end).to.deep.equal([end !== 'cut', 'Reasoning', true]);
        const markers = parts(el, 'marker').map((each) => each.textContent);
        expect(markers, end).to.include.members(end === 'length' ? ['Cut off at the length limit'] : end === 'stop' ? ['Stopped'] : []);
        const thought = `Okay, the user asks.${end === 'length' ? ' Hmm.' : ''}`;
        expect(detail, end).to.deep.equal(end === 'length' ? ['', thought, 'length'] : end === 'stop' ? ['', thought, null] : ['', thought]);
      }
    });

    for (const [how, act] of [
      ['stops it', (el: StreamChatElement) => el.stop()],
      ['asks again', (el: StreamChatElement) => void el.send('Again').catch(() => {})],
    ] as const) {
      it(`a change listener that ${how} on the change of the answer's first text: that text is on screen and in the status region`, async () => {
        for (const format of ['text', 'markdown'] as const) {
          const endpoint = await mockEndpoint([pausedAfter(chunkEvent({ content: 'Hello there' })), pausedAfter(chunkEvent({ content: 'Later' }))]);
          const el = await chatFor(endpoint.url);
          el.format = format;
          const ended = new Promise<DoneDetail>((resolve) => el.addEventListener('done', (event) => resolve((event as CustomEvent<DoneDetail>).detail), { once: true }));
          const stopOnText = () => {
            if (!el.conversation.draft?.arrived) return;
            el.conversation.removeEventListener('change', stopOnText);
            act(el);
          };
          el.conversation.addEventListener('change', stopOnText);
          void el.send('Hi').catch(() => {});
          expect((await ended).content, format).to.equal('Hello there');
          await el.updateComplete;
          expect(parts(el, 'assistant')[0]!.textContent!.trim(), format).to.equal('Hello there');
          expect(el.shadowRoot!.querySelector('.announce')!.textContent, format).to.include('Hello there');
          el.stop();
        }
      });
    }

    it('a change listener that stops the turn on the change of the answer\'s first reasoning or refusal: it is on screen', async () => {
      for (const [field, part] of [
        ['reasoning_content', 'reasoning'],
        ['refusal', 'refusal'],
      ] as const) {
        const endpoint = await mockEndpoint([pausedAfter(chunkEvent({ [field]: 'First words' })), pausedAfter(chunkEvent({ [field]: 'Later' }))]);
        const el = await chatFor(endpoint.url);
        const stopOnArrival = () => {
          if (!el.conversation.draft?.arrived) return;
          el.conversation.removeEventListener('change', stopOnArrival);
          el.stop();
        };
        el.conversation.addEventListener('change', stopOnArrival);
        await el.send('Hi');
        await el.updateComplete;
        expect(parts(el, part)[0]?.textContent, part).to.include('First words');
      }
    });

    it('a stopped answer is marked as stopped; a finished one is not', async () => {
      const el = await chatFor((await mockEndpoint(streamingReply(['Complete']))).url);
      await el.send('One');
      el.endpoint = (await mockEndpoint(slowReply('Partial'))).url;
      const sent = el.send('Two');
      await contentArrives(el, 'Partial');
      el.stop();
      await sent;
      await el.updateComplete;
      const turns = [...el.shadowRoot!.querySelectorAll('.turn.assistant')];
      expect(turns.map((turn) => turn.querySelector('[part~="stopped"]')?.textContent ?? null)).to.deep.equal([null, 'Stopped']);
    });

    it('an answer the provider cut short is marked: at its length limit, or by its content filter; a set one is not', async () => {
      const el = await chatFor((await mockEndpoint([streamingReply(['Done.']), streamingReply(['Half'], { finishReason: 'length' }), streamingReply(['No'], { finishReason: 'content_filter' })])).url);
      for (const question of ['One', 'Two', 'Three']) await el.send(question);
      await el.updateComplete;
      const markers = () => [...el.shadowRoot!.querySelectorAll('.turn.assistant')].map((turn) => turn.querySelector('[part~="marker"]')?.outerHTML.replace(/<!--[^]*?-->/g, '') ?? null);
      // (Not read out by the log: the status region says them.)
      expect(markers()).to.deep.equal([null, '<span aria-live="off" part="marker cut">Cut off at the length limit</span>', '<span aria-live="off" part="marker cut">Cut off by the content filter</span>']);
      // The status region says so after the answer, as the marker shows it.
      expect(el.shadowRoot!.querySelector('.announce')!.textContent).to.equal('No\nCut off by the content filter');
      // Why a response ended is known only for the answers the conversation streamed.
      el.messages = [...el.messages];
      await el.updateComplete;
      // (Not read out by the log: the status region says them.)
      expect(markers()).to.deep.equal([null, '<span aria-live="off" part="marker cut">Cut off at the length limit</span>', '<span aria-live="off" part="marker cut">Cut off by the content filter</span>']);
      el.messages = el.messages.map((message) => ({ ...message }));
      await el.updateComplete;
      expect(markers()).to.deep.equal([null, null, null]);
    });

    it('a turn that ended with no answer to show (none came, white space, its content filter, none after its tools ran) is marked so and said, in the page’s words, until asked again', async () => {
      const call = { index: 0, id: 'c', type: 'function', function: { name: 'clock', arguments: '{}' } };
      const calling = { steps: [{ write: chunkEvent({ tool_calls: [call] }) + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] };
      const endpoint = await mockEndpoint([streamingReply([]), streamingReply(['\n\n']), streamingReply([], { finishReason: 'content_filter' }), streamingReply([]), streamingReply(['Here.']), calling, streamingReply([])]);
      const el = await chatFor(endpoint.url);
      const status = el.shadowRoot!.querySelector('.announce')!;
      const markers = () => [...el.shadowRoot!.querySelectorAll('.turn')].map((turn) => turn.querySelector('[part~="marker"]')?.outerHTML.replace(/<!--[^]*?-->/g, '') ?? null);
      const said: string[] = [];
      for (const question of ['One', 'Two', 'Three']) {
        await el.send(question);
        said.push(status.textContent!);
      }
      // Before, the region said nothing (the typing announcement went), and nothing showed: the
      // dots went, and no answer came.
      expect(said).to.deep.equal(['Empty answer', 'Empty answer', 'Cut off by the content filter']);
      await el.updateComplete;
      // Under the question none came after; under the answer of white space (no bubble).
      const empty = (label: string) => `<span aria-live="off" part="marker empty">${label}</span>`;
      expect(markers()).to.deep.equal([empty('Empty answer'), null, empty('Empty answer'), empty('Cut off by the content filter')]);
      el.labels = { empty: 'Antwort leer' };
      await el.send('Four');
      expect(status.textContent).to.equal('Antwort leer');
      await el.updateComplete;
      expect(markers().at(-1)).to.equal(empty('Antwort leer'));
      // Asked again, it is answered: the marker goes.
      await el.regenerate();
      await el.updateComplete;
      expect(markers().slice(-2)).to.deep.equal([null, null]);
      // Its tools ran, then none came (as Claude may end a turn after a tool's result): under their cards.
      el.tools = [{ name: 'clock', execute: () => '14:05' }];
      await el.send('Time?');
      expect(status.textContent).to.equal('Antwort leer');
      await el.updateComplete;
      expect(markers().slice(-2)).to.deep.equal([null, empty('Antwort leer')]);
      expect(parts(el, 'tool-call').at(-1)!.closest('.turn')!.querySelector('[part~="empty"]')).to.exist;
    });

    it('an empty turn asked again is not marked "Empty answer" while its new answer is awaited', async () => {
      const endpoint = await mockEndpoint([streamingReply([]), pausedReply([[], ['Here.']], ['seen'])]);
      const el = await chatFor(endpoint.url);
      await el.send('One');
      await el.updateComplete;
      expect(parts(el, 'empty')).to.have.length(1);
      const again = el.regenerate();
      await waitUntil(() => parts(el, 'typing').length);
      // Before, the question kept its marker above the typing dots until the first text came (a
      // reasoning model's seconds): the turn went on from it, and the log rendered its start with
      // the marker still set. (A step limit's marker goes as a retry starts: the same rule.)
      expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal([]);
      await endpoint.release('seen');
      await again;
      await el.updateComplete;
      expect(parts(el, 'marker')).to.deep.equal([]);
    });

    it('a reasoning model whose max tokens its hidden reasoning took (nothing came, at the length limit): the question is marked and said so in the length limit’s words', async () => {
      const el = await chatFor((await mockEndpoint(streamingReply([], { finishReason: 'length' }))).url);
      await el.send('Prove it.');
      expect(el.shadowRoot!.querySelector('.announce')!.textContent).to.equal('Cut off at the length limit');
      await el.updateComplete;
      expect(parts(el, 'empty').map((marker) => marker.textContent)).to.deep.equal(['Cut off at the length limit']);
    });

    it('a page that asks again as an empty answer ends (at its done): once answered, the question is not marked empty', async () => {
      const el = await chatFor((await mockEndpoint([streamingReply([]), streamingReply(['Here.'])])).url);
      let again: Promise<DoneDetail> | undefined;
      el.addEventListener('done', (event) => (again ??= event.detail.content ? undefined : el.regenerate()));
      await el.send('One');
      expect((await again!).content).to.equal('Here.');
      await el.updateComplete;
      // Before, the question kept "Empty answer" above its answer: the new turn started with no
      // render between, so it was not seen to start.
      expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal([]);
    });

    it('an empty turn a page answers itself at its done (its own words in messages, as pages did before the marker): not marked empty above that answer', async () => {
      const call = { index: 0, id: 'c', type: 'function', function: { name: 'clock', arguments: '{}' } };
      const calling = { steps: [{ write: chunkEvent({ tool_calls: [call] }) + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] };
      const el = await chatFor((await mockEndpoint([streamingReply([]), calling, streamingReply([])])).url);
      el.tools = [{ name: 'clock', execute: () => '14:05' }];
      el.addEventListener('done', (event) => event.detail.content || (el.messages = [...el.messages, { role: 'assistant', content: 'No answer came: **ask again**.' }]));
      const status = el.shadowRoot!.querySelector('.announce')!;
      await el.send('One');
      await el.updateComplete;
      // The status region says the page's answer, as it says one that streamed (rendered: no
      // asterisks). Before, "Empty answer", which the log no longer showed.
      expect(status.textContent).to.equal('No answer came: ask again.');
      // Also when its tools ran, then none came: under their cards.
      await el.send('Time?');
      await el.updateComplete;
      expect(status.textContent).to.equal('No answer came: ask again.');
      // Before, "Empty answer" under the question, and under the cards, each above the page's answer.
      expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal([]);
      expect(parts(el, 'message').map((message) => message.textContent)).to.include('No answer came: ask again.');
    });

    it('an answer of white space that the page replaces with its own at its done: that answer is said, not "Empty answer"', async () => {
      const el = await chatFor((await mockEndpoint(streamingReply(['\n\n']))).url);
      el.addEventListener('done', (event) => event.detail.content.trim() || (el.messages = [...el.messages.slice(0, -1), { role: 'assistant', content: 'No answer came: **ask again**.' }]));
      await el.send('One');
      await el.updateComplete;
      expect(parts(el, 'marker')).to.deep.equal([]);
      // Before, "Empty answer": the turn's last message (the white space) was gone, and that was
      // read as a conversation loaded in its place, though its question stayed.
      expect(el.shadowRoot!.querySelector('.announce')!.textContent).to.equal('No answer came: ask again.');
    });

    it('an empty answer to a conversation of tool results alone (no question, no answer before it): said empty, no error', async () => {
      const el = await chatFor((await mockEndpoint(streamingReply([]))).url);
      el.messages = [{ role: 'tool', tool_call_id: 'a', content: 'r' }];
      const errors: unknown[] = [];
      const onError = (event: ErrorEvent) => (errors.push(event.error), event.preventDefault());
      window.addEventListener('error', onError);
      try {
        await el.conversation.retry();
        await el.updateComplete;
      } finally {
        window.removeEventListener('error', onError);
      }
      // Before, a TypeError from the status region, which kept the turn by its last message but
      // tool results, here none ("Invalid value used as weak map key").
      expect(errors).to.deep.equal([]);
      expect(el.shadowRoot!.querySelector('.announce')!.textContent).to.equal('Empty answer');
    });

    it('after an empty turn, a conversation the page loads (new messages) is not said: its last answer is no answer to that turn', async () => {
      const el = await chatFor((await mockEndpoint(streamingReply([]))).url);
      const status = el.shadowRoot!.querySelector('.announce')!;
      await el.send('One');
      await el.updateComplete;
      expect(status.textContent).to.equal('Empty answer');
      el.messages = [
        { role: 'user', content: 'An earlier chat' },
        { role: 'assistant', content: 'Its old answer.' },
      ];
      await el.updateComplete;
      // Before, "Its old answer.": read as the page's answer to the empty turn, which it took away.
      expect(status.textContent).to.not.include('old answer');
    });

    it('an answer that is only an image (an image model behind a proxy: its Markdown) is no empty answer: not marked or said so', async () => {
      const endpoint = await mockEndpoint(streamingReply(['![A red square](data:image/png;base64,iVBORw0KGgo=)']));
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" images></stream-chat>`);
      await el.send('Draw a red square.');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~="assistant"] img')).to.exist;
      // Before, both: its text read out (the image's alt is none) was none.
      expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal([]);
      expect(el.shadowRoot!.querySelector('.announce')!.textContent).to.not.equal('Empty answer');
    });

    it('a turn max-steps ended, whose last change the page takes the element out on and puts it back later (a host re-parents it): marked so, with its Retry, as had it stayed', async () => {
      const call = { index: 0, id: 'c', type: 'function', function: { name: 'clock', arguments: '{}' } };
      const el = await chatFor((await mockEndpoint({ steps: [{ write: chunkEvent({ tool_calls: [call] }) + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] })).url);
      el.tools = [{ name: 'clock', execute: () => '14:05' }];
      el.maxSteps = 1;
      const other = document.createElement('div');
      document.body.append(other);
      const move = () => {
        if (el.conversation.status !== 'idle') return;
        el.conversation.removeEventListener('change', move);
        el.remove();
      };
      el.conversation.addEventListener('change', move);
      try {
        await el.send('Time?');
        other.append(el);
        await el.updateComplete;
        // Before, neither: the turn's end, out of the page, was not the view's.
        expect(parts(el, 'marker').map((marker) => marker.textContent)).to.deep.equal(['Stopped at the step limit']);
        expect(parts(el, 'action').map((button) => button.dataset['action'])).to.deep.equal(['copy', 'edit', 'retry', 'regenerate']);
        expect(el.shadowRoot!.querySelector('.announce')!.textContent, 'the status region').to.equal('Stopped at the step limit');
      } finally {
        other.remove();
      }
    });

    it('the question whose answer failed is marked, until a retry answers it', async () => {
      const el = await chatFor((await mockEndpoint([httpError(500, 'Broken'), streamingReply(['Fixed'])])).url);
      await el.send('Question').catch(() => {});
      await el.updateComplete;
      const marker = parts(el, 'failed');
      expect(marker.map((node) => node.textContent)).to.deep.equal(['Answer failed']);
      expect(marker[0]!.closest('.turn')?.querySelector('[part~="user"]')?.textContent).to.equal('Question');
      const done = oneEvent(el, 'done');
      parts(el, 'retry')[0]!.click();
      await done;
      await el.updateComplete;
      expect(parts(el, 'failed')).to.deep.equal([]);
    });
  });

  describe('restored history in the OpenAI shapes', () => {
    it('content parts, a tool-call turn without content, tool results with their call, and system messages', async () => {
      const el = await chatFor();
      const history: ChatMessage[] = [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this? ' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'javascript:alert(1)' } },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'A cat.' },
        { role: 'assistant', content: [{ type: 'text', text: 'It is a cat.' }] },
      ];
      el.messages = history;
      await el.updateComplete;
      const visible = parts(el, 'message').filter((node) => !node.hidden);
      expect(visible.map((node) => node.textContent)).to.deep.equal(['What is this? ', 'It is a cat.']);
      expect(el.shadowRoot!.textContent).not.to.include('[object Object]');
      expect(el.shadowRoot!.textContent).not.to.include('Be brief.');
      const images = parts(el, 'image') as HTMLImageElement[];
      expect(images.map((image) => image.getAttribute('src'))).to.deep.equal(['data:image/png;base64,iVBORw0KGgo=']);
      expect(images[0]!.alt).to.not.equal('');
      expect(images[0]!.referrerPolicy).to.equal('no-referrer');
      const [call] = parts(el, 'tool-call');
      expect(call!.querySelector('[part~="tool-name"]')?.textContent).to.equal('look');
      expect(call!.querySelector('[part~="tool-arguments"]')?.textContent).to.equal('{}');
      expect(call!.querySelector('[part~="tool-result"]')?.textContent).to.include('A cat.');
    });

    it('a question of no text, or only white space, shows no bubble and no Copy, as an answer of none does; its Edit stays, and an image alone shows without Copy', async () => {
      const el = await chatFor();
      const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } } as const;
      el.messages = [
        { role: 'user', content: '' },
        { role: 'assistant', content: '' },
        { role: 'user', content: '  \n ' },
        { role: 'assistant', content: 'Blank?' },
        { role: 'user', content: [{ type: 'text', text: ' ' }, { type: 'text', text: '\n' }] },
        { role: 'assistant', content: 'Still blank.' },
        { role: 'user', content: [{ type: 'text', text: ' ' }, image] },
        { role: 'assistant', content: 'A pixel.' },
      ];
      await el.updateComplete;
      const turns = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.turn')];
      const buttons = turns.map((turn) => [...turn.querySelectorAll('[part~="action"]')].map((button) => button.getAttribute('data-action')));
      // Before, the empty question was an empty bubble with a Copy that copied nothing; one of white
      // space, a string or text parts, the same with a Copy that copied white space.
      expect(buttons).to.deep.equal([['edit'], [], ['edit'], ['copy'], ['edit'], ['copy'], ['edit'], ['copy', 'regenerate']]);
      expect(turns.map((turn) => turn.querySelector<HTMLElement>('[part~="message"]')!.hidden)).to.deep.equal([true, true, true, false, true, false, false, false]);
      parts(el, 'edit')[0]!.click();
      await el.updateComplete;
      expect(parts(el, 'edit-input')).to.have.length(1);
    });

    it('an answer of only white space (a model’s "\\n\\n" before its calls) shows no bubble and no Copy, as one of none does', async () => {
      const el = await chatFor();
      el.messages = [
        { role: 'user', content: 'Time?' },
        { role: 'assistant', content: '\n\n', tool_calls: [{ id: 't', type: 'function', function: { name: 'now', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't', content: '12:00' },
        { role: 'user', content: 'And?' },
        { role: 'assistant', content: ' \n' },
      ];
      await el.updateComplete;
      const turns = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.turn')];
      const buttons = turns.map((turn) => [...turn.querySelectorAll('[part~="action"]')].map((button) => button.getAttribute('data-action')));
      // Before, an empty bubble each, with a Copy that copied white space.
      expect(buttons).to.deep.equal([['copy', 'edit'], [], ['copy', 'edit'], ['regenerate']]);
      expect(turns.map((turn) => turn.querySelector<HTMLElement>('[part~="message"]')!.hidden)).to.deep.equal([false, true, false, true]);
    });

    it("a question's files show as their names (a file without one, and audio, as their labels): text only, part=\"file\"; axe-clean", async () => {
      const el = await chatFor();
      // A name that would be markup, were it ever HTML.
      const named = '<img src=x onerror=alert(1)>.txt';
      el.messages = [
        { role: 'user', content: [{ type: 'text', text: 'Compare these.' }, pdf, { type: 'file', file: { file_data: 'data:text/plain;base64,SGk=', filename: named } }, { type: 'file', file: { file_id: 'file-abc123' } }, recording] },
        { role: 'assistant', content: 'They agree.' },
      ];
      await el.updateComplete;
      const files = parts(el, 'file');
      expect(files.map((node) => node.textContent)).to.deep.equal(['report.pdf', named, 'Attached file', 'Attached audio']);
      expect(files.every((node) => node.closest('[part~="user"]') && !node.childElementCount)).to.equal(true);
      expect(el.shadowRoot!.querySelector('[part~="user"] img')).to.equal(null);
      await expect(el).to.be.accessible();
      el.labels = { file: 'Fichier joint', audio: 'Enregistrement' };
      await el.updateComplete;
      expect(parts(el, 'file').map((node) => node.textContent)).to.deep.equal(['report.pdf', named, 'Fichier joint', 'Enregistrement']);
    });
  });

  describe('the keyboard while an answer streams', () => {
    it('Escape stops it from anywhere in the element, not only the input', async () => {
      const el = await chatFor((await mockEndpoint(slowReply('Streaming'))).url);
      const sent = el.send('Hi');
      await contentArrives(el, 'Streaming');
      parts(el, 'log')[0]!.focus();
      await sendKeys({ press: 'Escape' });
      const detail: DoneDetail = await sent;
      expect(detail.aborted).to.equal(true);
    });

    it('the page’s own controls in a slot keep their Escape (a modal dialog, a search field, a widget that takes it): it does not stop the answer', async () => {
      const endpoint = await mockEndpoint(slowReply('Streaming', 3000));
      const el = await fixture<StreamChatElement>(html`
        <stream-chat endpoint=${endpoint.url} retries="0">
          <div slot="header"><input type="search" value="query" /><input class="combo" /><dialog><button>Close</button></dialog></div>
        </stream-chat>
      `);
      const sent = el.send('Hi');
      await contentArrives(el, 'Streaming');
      const search = el.querySelector<HTMLInputElement>('[type="search"]')!;
      search.focus();
      await sendKeys({ press: 'Escape' });
      expect(search.value, 'the search field cleared').to.equal('');
      const combo = el.querySelector<HTMLInputElement>('.combo')!;
      combo.addEventListener('keydown', (event) => event.preventDefault());
      combo.focus();
      await sendKeys({ press: 'Escape' });
      const dialog = el.querySelector('dialog')!;
      dialog.showModal();
      await sendKeys({ press: 'Escape' });
      expect(dialog.open, 'the dialog closed').to.equal(false);
      expect(el.streaming).to.equal(true);
      // From the element's own parts, Escape still stops it.
      parts(el, 'input')[0]!.focus();
      await sendKeys({ press: 'Escape' });
      expect((await sent).aborted).to.equal(true);
    });

    it('Enter does not send (or stop) while it streams: the typed-ahead text stays', async () => {
      const endpoint = await mockEndpoint(slowReply('Streaming', 'typed'));
      const el = await chatFor(endpoint.url);
      const sent = el.send('Hi');
      await contentArrives(el, 'Streaming');
      const input = parts(el, 'input')[0] as HTMLTextAreaElement;
      input.focus();
      await sendKeys({ type: 'next question' });
      await sendKeys({ press: 'Enter' });
      expect(el.streaming).to.equal(true);
      expect(input.value).to.equal('next question');
      await endpoint.release('typed');
      const detail = await sent;
      expect(detail).to.include({ aborted: false, content: 'Streaming and the rest' });
      expect(el.messages.filter((m) => m.role === 'user')).to.have.length(1);
    });

    it('the log’s focus ring is drawn inside it, where the element does not clip it', async () => {
      const el = await chatFor();
      // (With messages: an empty log is no tab stop.)
      el.messages = [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }];
      await el.updateComplete;
      const log = parts(el, 'log')[0]!;
      const before = document.createElement('button');
      el.before(before);
      before.focus();
      await sendKeys({ press: 'Tab' });
      before.remove();
      expect(el.shadowRoot!.activeElement).to.equal(log);
      const style = getComputedStyle(log);
      expect(style.outlineStyle).to.not.equal('none');
      expect(parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth)).to.be.at.most(0);
    });
  });
});
