/**
 * The element's UI strings in other languages: labels over their defaults, and the stats line's
 * words and numbers as a language says them.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../src/index.js';
import type { Stats } from '../src/core/types.js';
import { labelsOf, type Labels } from '../src/element/labels.js';
import { formatStats } from '../src/element/messages.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { itWithCdp } from './helpers/cdp.js';
import { chord, heardWhile, pasted } from './helpers/element.js';
import { chunkEvent, DONE, httpError, mockEndpoint, streamingReply } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const stats = (tokensPerSecond: number): Stats => ({ firstTokenMs: 320, totalMs: 1200, chunks: 3, tokensPerSecond, estimated: false });
const line = (labels: Partial<Labels>, lang: string, tokensPerSecond = 41) => formatStats(stats(tokensPerSecond), labelsOf({ labels }), lang);

describe('formatStats: the stats line in other languages', () => {
  // Before, `${n} ${label}` with one label per unit: "5 tokenów/s" and "2 tokeny/s" could not both
  // be said, nor "1.2秒" (no space), and an object of forms showed as "[object Object]".
  it('puts the number where a label says `{n}`, with no space added: Japanese and Chinese units', () => {
    const japanese = { seconds: '{n}秒', firstToken: '最初のトークンまで{n}', milliseconds: '{n}ミリ秒', tokensPerSecond: '毎秒{n}トークン' };
    expect(line(japanese, 'ja')).to.equal('1.2秒 · 最初のトークンまで320ミリ秒 · 毎秒41トークン');
    expect(line({ seconds: '{n}秒', milliseconds: '{n}毫秒', firstToken: '首个词元', tokensPerSecond: '{n} 词元/秒' }, 'zh')).to.equal('1.2秒 · 首个词元 320毫秒 · 41 词元/秒');
  });

  it('takes a label’s form by the plural category of its number in the element’s language (Intl.PluralRules): Polish', () => {
    const tokens = { one: '{n} token/s', few: '{n} tokeny/s', many: '{n} tokenów/s', other: '{n} tokena/s' };
    const polish = { firstToken: 'pierwszy token', tokensPerSecond: tokens };
    expect(line(polish, 'pl', 1)).to.equal('1,2 s · pierwszy token 320 ms · 1 token/s');
    for (const [rate, said] of [
      [2, '2 tokeny/s'],
      [4.4, '4 tokeny/s'],
      // The form of the number as written (rounded), not as measured.
      [4.6, '5 tokenów/s'],
      [12, '12 tokenów/s'],
      [22, '22 tokeny/s'],
      [1234, '1234 tokeny/s'],
      [1235, '1235 tokenów/s'],
    ] as const)
      expect(line(polish, 'pl', rate).split(' · ')[2], String(rate)).to.equal(said);
    // A category left out is `other`; the fraction digits count (English "1.0 seconds", not "1.0 second").
    expect(line({ tokensPerSecond: { other: '{n} tokena/s' } }, 'pl', 5).split(' · ')[2]).to.equal('5 tokena/s');
    const seconds = { one: '{n} second', other: '{n} seconds' };
    expect(formatStats({ ...stats(1), totalMs: 1000 }, labelsOf({ labels: { seconds, tokensPerSecond: { one: '{n} token/s', other: '{n} tokens/s' } } }), 'en')).to.equal(
      '1.0 seconds · first token 320 ms · 1 token/s',
    );
    // Forms without `other` (plain JS), for a number of that category: the number alone, the line still written.
    expect(line({ seconds: { one: '{n} sekunda' } as unknown as Labels['seconds'] }, 'pl')).to.equal('1,2 · first token 320 ms · 41 tokens/s');
    // Where no language is known the numbers are English, and so are their forms.
    expect(line(polish, '', 2).split(' · ')[2]).to.equal('2 tokena/s');
  });

  // Before, `estimated` was added after a space: Japanese read "毎秒41トークン （推定）", a space
  // before a full-width bracket that no Japanese line has.
  it('puts the tokens/s where `estimated` says `{n}`, with no space added; without it, after a space', () => {
    const estimated = { ...stats(41), estimated: true };
    const japanese = labelsOf({ labels: { tokensPerSecond: '毎秒{n}トークン', estimated: '{n}（推定）' } });
    expect(formatStats(estimated, japanese, 'ja').split(' · ')[2]).to.equal('毎秒41トークン（推定）');
    expect(formatStats(estimated, labelsOf({ labels: { estimated: '~{n}' } }), 'en').split(' · ')[2]).to.equal('~41 tokens/s');
    expect(formatStats(estimated, labelsOf({ labels: {} }), 'en').split(' · ')[2]).to.equal('41 tokens/s (estimated)');
  });

  // Before, replace() put it at the first `{n}` only, and read a `$&` or `$$` in the text it put (the
  // time with its unit's label, the tokens/s with theirs) as a pattern: "first token: 320 ms ({n})".
  it('puts the number at every `{n}`, and the text it puts there as it is', () => {
    expect(line({ firstToken: 'first token: {n}', milliseconds: '{n} ms ($&)' }, 'en').split(' · ')[1]).to.equal('first token: 320 ms ($&)');
    expect(formatStats({ ...stats(41), estimated: true }, labelsOf({ labels: { tokensPerSecond: '{n} tok/s $$', estimated: '{n}*' } }), 'en').split(' · ')[2]).to.equal('41 tok/s $$*');
    expect(line({ seconds: '{n} s ({n} s)' }, 'en').split(' · ')[0]).to.equal('1.2 s (1.2 s)');
  });

  it('keeps every label without `{n}` as before: the number, a space, the label', () => {
    expect(line({}, 'en')).to.equal('1.2 s · first token 320 ms · 41 tokens/s');
    expect(line({ seconds: 'Sek.', milliseconds: 'Millisek.', firstToken: 'erstes Token', tokensPerSecond: 'Token/s' }, 'de', 1234)).to.equal(
      '1,2 Sek. · erstes Token 320 Millisek. · 1.234 Token/s',
    );
  });
});

describe('labels: an empty label', () => {
  failOnUnhandledRejection();

  // Before, '' was used as given: a Send button, Copy and Edit with no name, a log and groups unnamed.
  itWithCdp('naming a control or the log, is the default, as is one of white space only: a screen reader still says it', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.labels = { send: '', copy: ' ', edit: '\n', you: '', assistant: ' ', log: '', regenerate: 'Nochmal' };
    el.messages = [
      { role: 'user', content: 'Question' },
      { role: 'assistant', content: 'Answer' },
    ];
    await el.updateComplete;
    const buttons = await executeServerCommand<string[], { role: string }>('cdp-names', { role: 'button' });
    expect(buttons.filter((name) => !name.trim()), 'buttons with no name').to.deep.equal([]);
    expect(buttons).to.include.members(['Send', 'Copy', 'Edit', 'Nochmal']);
    expect(await executeServerCommand<string[], { role: string }>('cdp-names', { role: 'log' })).to.deep.equal(['Conversation']);
    // A blank speaker shows none (an avatar in its place), and its groups keep their names.
    expect(await executeServerCommand<string[], { role: string }>('cdp-names', { role: 'group' })).to.include.members(['You', 'Assistant']);
    expect([...el.shadowRoot!.querySelectorAll('[part=speaker]')].map((speaker) => speaker.textContent)).to.deep.equal(['', ' ']);
  });

  // Before (after the blank labels became their defaults), a page could no longer silence an
  // announcement, drop a marker or a speaker's text, or hide "(estimated)".
  it('that a page blanks on purpose (an announcement, a marker, a speaker, the stats’ words) is as given', async () => {
    const blank = { typing: '', rest: '', you: '', assistant: '', stopped: '', failed: '', empty: '', toolDone: '', seconds: '', estimated: '', calls: '' } as const;
    const labels = labelsOf({ labels: { ...blank, send: '' } });
    expect(Object.fromEntries(Object.keys(blank).map((key) => [key, labels[key as keyof typeof blank]]))).to.deep.equal(blank);
    expect(labels.send).to.equal('Send');
    // Nor the others README lists as names: a summary, a code block's or table's, a question's file or audio.
    const names = labelsOf({ labels: { thinking: '', result: ' ', code: '', table: '', sources: '', file: '', audio: ' ' } });
    expect([names.thinking, names.result, names.code, names.table, names.sources, names.file, names.audio]).to.deep.equal(['Thinking…', 'Result', 'Code', 'Table', 'Sources', 'Attached file', 'Attached audio']);
    const endpoint = await mockEndpoint(streamingReply(['Hi']));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    el.labels = { typing: '', you: '' };
    expect((await heardWhile(el, () => el.send('Hello'))).filter(([region]) => region === 'status')).to.deep.equal([['status', 'Hi']]);
    expect(el.shadowRoot!.querySelector('.turn.user [part=speaker]')!.textContent).to.equal('');
  });

  // README's way to an avatar on a page in another language: blank, a speaker's groups are named
  // in English; set in the page's language, its text under the avatar, they are named in it.
  itWithCdp('a speaker set in the page’s language, its text hidden under an avatar, names its groups in it and is still read', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat lang="fr"></stream-chat>`);
    el.labels = { you: 'Vous :', assistant: 'Le modèle :' };
    el.messages = [
      { role: 'user', content: 'Question' },
      { role: 'assistant', content: 'Réponse' },
    ];
    const avatar = 'stream-chat::part(speaker) { position: static; clip-path: none; display: inline-block; width: 24px; height: 24px; font-size: 0; background: gray }';
    const style = document.head.appendChild(Object.assign(document.createElement('style'), { textContent: avatar }));
    try {
      await el.updateComplete;
      // (The accessibility tree is built after a frame.)
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(await executeServerCommand<string[], { role: string }>('cdp-names', { role: 'group' })).to.include.members(['Vous', 'Le modèle']);
      expect(await executeServerCommand<string[], { role: string }>('cdp-names', { role: 'StaticText' })).to.include.members(['Vous :', 'Le modèle :']);
      const texts = [...el.shadowRoot!.querySelectorAll('[part=speaker]')].map((speaker) => {
        const range = document.createRange();
        range.selectNodeContents(speaker);
        return [speaker.getBoundingClientRect().width, range.getBoundingClientRect().width];
      });
      expect(texts, 'each avatar 24px wide, its text none').to.deep.equal([
        [24, 0],
        [24, 0],
      ]);
    } finally {
      style.remove();
    }
  });

  // Before, a blank cut marker gave way to the empty one: an empty answer cut at the length limit
  // showed and said "Empty answer", a marker the page had not asked for.
  it('a blank cut marker shows none and says nothing, also on an answer cut before any of it came', async () => {
    const endpoint = await mockEndpoint([streamingReply([], { finishReason: 'length' }), streamingReply([], { finishReason: 'content_filter' })]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    el.labels = { lengthLimit: '', contentFilter: '', typing: '' };
    for (const question of ['One', 'Two']) expect((await heardWhile(el, () => el.send(question))).filter(([region]) => region === 'status'), question).to.deep.equal([]);
    expect(el.shadowRoot!.querySelectorAll('[part~=marker]')).to.have.length(0);
  });

  // Found in review of f0e3c75: a marker's label of white space only was the status region's last
  // line, its text " " for an answer cut before any came and "Cut\n " after one.
  it('a marker of white space only leaves nothing in the status region, the answer alone', async () => {
    const endpoint = await mockEndpoint([streamingReply([], { finishReason: 'length' }), streamingReply(['Cut'], { finishReason: 'length' })]);
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0"></stream-chat>`);
    el.labels = { lengthLimit: ' ', typing: '' };
    const said: (string | null)[] = [];
    for (const question of ['One', 'Two']) {
      await el.send(question);
      await el.updateComplete;
      said.push(el.shadowRoot!.querySelector('.announce')!.textContent);
    }
    expect(said).to.deep.equal(['', 'Cut']);
  });

  // Before, a blank marker left its span, empty: a page's `::part(marker)` border or padding drew an
  // empty box under the message.
  it('a blank marker, of every kind, restored or live, is no part at all', async () => {
    const KEY = 'labels-blank-markers';
    localStorage.setItem(
      KEY,
      JSON.stringify({
        v: 1,
        streaming: false,
        messages: [
          { role: 'user', content: 'One' },
          { role: 'assistant', content: 'Partial' },
          { role: 'user', content: 'Two' },
          { role: 'assistant', content: 'Halted' },
          { role: 'user', content: 'Three' },
          { role: 'user', content: 'Four' },
          { role: 'assistant', content: '' },
          { role: 'user', content: 'Five' },
          { role: 'assistant', content: '' },
          { role: 'user', content: 'Six' },
          { role: 'assistant', content: 'Steps' },
        ],
        interrupted: [1],
        stopped: [3, 4],
        empty: [
          [6, null],
          [8, 'length'],
        ],
        limited: [10],
      }),
    );
    const endpoint = await mockEndpoint([streamingReply(['Cut'], { finishReason: 'length' }), httpError(500, 'down')]);
    const el = await fixture<StreamChatElement>(html`<stream-chat storage-key=${KEY} endpoint=${endpoint.url} retries="0"></stream-chat>`);
    const style = document.head.appendChild(Object.assign(document.createElement('style'), { textContent: 'stream-chat::part(marker) { border: 1px solid }' }));
    const markers = () => [...el.shadowRoot!.querySelectorAll('[part~=marker]')].map((marker) => [marker.getAttribute('part'), marker.textContent]);
    try {
      await waitUntil(() => el.messages.length === 11, 'the conversation restored');
      await el.updateComplete;
      expect(markers(), 'with their words').to.deep.equal([
        ['marker interrupted', 'Interrupted'],
        ['marker stopped', 'Stopped'],
        ['marker stopped', 'Stopped'],
        ['marker empty', 'Empty answer'],
        ['marker cut', 'Cut off at the length limit'],
        ['marker cut', 'Stopped at the step limit'],
      ]);
      el.labels = { stopped: '', failed: '\n', interrupted: ' ', empty: '', lengthLimit: ' ', contentFilter: '', stepLimit: '', typing: '' };
      await el.updateComplete;
      expect(markers(), 'restored, blank').to.deep.equal([]);
      // (Nor does the status region say it: the answer alone.)
      expect((await heardWhile(el, () => el.send('Seven'))).filter(([region]) => region === 'status')).to.deep.equal([['status', 'Cut']]);
      await el.send('Eight').catch(() => {});
      await el.updateComplete;
      expect(el.conversation.failure, 'the last answer failed').to.exist;
      expect(markers(), 'live, blank').to.deep.equal([]);
    } finally {
      style.remove();
      localStorage.removeItem(KEY);
    }
  });

  // A dot alone is a compact state (it pulses while the call runs, in the error's colour on one):
  // a blank state keeps it, and a page that wants none hides the part.
  it('a blank tool state shows its dot alone, which `::part(tool-state)` hides', async () => {
    const el = await fixture<StreamChatElement>(html`<stream-chat></stream-chat>`);
    el.labels = { toolDone: '' };
    el.messages = [
      { role: 'user', content: 'Time?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'clock', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '14:05' },
    ];
    await el.updateComplete;
    const state = el.shadowRoot!.querySelector<HTMLElement>('[part~=tool-state]')!;
    expect([state.textContent, parseFloat(getComputedStyle(state, '::before').width) > 0]).to.deep.equal(['', true]);
    const style = document.head.appendChild(Object.assign(document.createElement('style'), { textContent: 'stream-chat::part(tool-state) { display: none }' }));
    try {
      expect(getComputedStyle(state).display).to.equal('none');
    } finally {
      style.remove();
    }
  });

  // Before, a blank form was put after the number with a space: "1 ".
  it('a blank plural form, or a blank unit, leaves the number alone', () => {
    expect(line({ tokensPerSecond: { one: '', other: '{n} tokens/s' } }, 'en', 1).split(' · ')[2]).to.equal('1');
    expect(line({ seconds: '', firstToken: '' }, 'en')).to.equal('1.2 · 320 ms · 41 tokens/s');
    expect(formatStats({ ...stats(41), estimated: true }, labelsOf({ labels: { estimated: '' } }), 'en').split(' · ')[2]).to.equal('41 tokens/s');
  });
});

describe('labels: text selected across messages and copied', () => {
  failOnUnhandledRejection();

  // The browser's own copy (Ctrl+C), pasted (Ctrl+V) where the page reads it: what a reader who
  // selected a stretch of the conversation with the mouse gets. Before, the speakers' hidden
  // "Assistant:", the buttons' names (even the actions hidden until hovered: "Copy Edit"), a code
  // block's language and its Copy's, and the stats line, each on a line of its own, in Chromium and
  // WebKit; Firefox skipped the buttons, not the rest.
  it('has none of the element’s words: not a speaker, a button’s name, a code block’s language or the stats', async () => {
    const endpoint = await mockEndpoint(streamingReply(['Run **this**:\n\n```js\nlet a = 1;\n```\n\nThen [look](https://example.com).']));
    const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint.url} retries="0" stats style="display:block;height:600px"></stream-chat>`);
    el.messages = [
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'First answer' },
    ];
    await el.send('Second question');
    await el.updateComplete;
    const root = el.shadowRoot!;
    const ui = [...root.querySelectorAll('[part~=speaker], button, [part~=code-language], [part~=stats]')].map((node) => node.textContent!.trim());
    expect(ui, 'what is there to leave out').to.include.members(['Assistant:', 'Copy', 'Edit', 'Regenerate', 'js']);
    expect(root.querySelector('[part~=stats]')?.textContent, 'the stats line').to.match(/ s · first token /);
    // From the first question to the log's end: the last answer's actions and stats too.
    const log = root.querySelector('[part~=log]')!;
    document.getSelection()!.setBaseAndExtent(root.querySelector('[part~=message]')!, 0, log, log.childNodes.length);
    await chord('c');
    const text = (await pasted())['text/plain']!;
    expect(text.split('\n').filter((line) => line.trim())).to.include.members(['First question', 'First answer', 'Second question', 'let a = 1;', 'Then look.']);
    expect(ui.filter((words) => words && text.includes(words)), text).to.deep.equal([]);
  });
});

describe('labels: the error line on a page in another language', () => {
  /** Each text of the error line, with the language it is read in (the page's, past the shadow root). */
  const read = (el: StreamChatElement) => {
    const walker = document.createTreeWalker(el.shadowRoot!.querySelector('[part=error] [role=alert]')!, NodeFilter.SHOW_TEXT);
    const texts: [string, string][] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode())
      texts.push([node.textContent!, (node.parentElement!.closest('[lang]') ?? el.closest('[lang]'))!.getAttribute('lang')!]);
    return texts;
  };
  const fail = (el: StreamChatElement) => el.send('Frage').then(() => expect.fail('no error'), () => el.updateComplete);

  // Before, the whole line took the page's language: a German voice read "HTTP 429 Too Many
  // Requests" and "Try again in 90 s." in German.
  it('says the element’s own English in English, a provider’s words and a page’s own message in the page’s language', async () => {
    const events = 'text/event-stream';
    const endpoint = await mockEndpoint([
      { status: 200, headers: { 'content-type': 'text/html' }, steps: [{ write: '<!doctype html><p>Hallo</p>' }] },
      httpError(429, 'Zu viele Anfragen', { 'retry-after': '90' }),
      { status: 200, headers: { 'content-type': events }, steps: [{ write: 'data: {"error":{"message":"Kontingent erschöpft"}}\n\n' }] },
      httpError(429, 'Zu viele Anfragen'),
    ]);
    const page = await fixture<HTMLElement>(html`<div lang="de"><stream-chat endpoint=${endpoint.url} retries="0"></stream-chat></div>`);
    const el = page.querySelector('stream-chat')!;
    el.labels = { send: 'Senden', retry: 'Erneut versuchen' };
    await fail(el);
    expect(read(el).map(([, lang]) => lang)).to.deep.equal(['en']);
    await fail(el);
    expect(read(el)).to.deep.equal([
      ['HTTP 429 Too Many Requests: ', 'en'],
      ['Zu viele Anfragen', 'de'],
      ['. Try again in 90 s.', 'en'],
    ]);
    await fail(el);
    expect(read(el)).to.deep.equal([['Kontingent erschöpft', 'de']]);
    // A page's own message, set in its `error` listener, is shown, in the page's language.
    el.addEventListener('error', (event) => (event.detail.error.message = 'Zu viele Anfragen: bitte warten Sie eine Minute.'), { once: true });
    await fail(el);
    expect(read(el)).to.deep.equal([['Zu viele Anfragen: bitte warten Sie eine Minute.', 'de']]);
  });

  const chat = async (endpoint: string, protocol = 'openai-chat') => {
    const page = await fixture<HTMLElement>(html`<div lang="de"><stream-chat endpoint=${endpoint} protocol=${protocol} retries="0"></stream-chat></div>`);
    return page.querySelector('stream-chat')!;
  };

  it('Responses’ own fallback, "The response failed.", is the element’s English', async () => {
    const failed = JSON.stringify({ type: 'response.failed', response: { status: 'failed' } });
    const endpoint = await mockEndpoint([{ status: 200, headers: { 'content-type': 'text/event-stream' }, steps: [{ write: `event: response.failed\ndata: ${failed}\n\n` }] }]);
    const el = await chat(endpoint.url, 'openai-responses');
    await fail(el);
    expect(read(el)).to.deep.equal([['The response failed.', 'en']]);
  });

  it('a finish_reason that ends the answer with an error, sent without words of its own (vLLM’s abort), is said in the element’s English', async () => {
    // Before: the element's sentence passed to providerError as the provider's words, read in German.
    const endpoint = await mockEndpoint([{ status: 200, headers: { 'content-type': 'text/event-stream' }, steps: [{ write: chunkEvent({ role: 'assistant', content: 'Hal' }) + chunkEvent({}, { finishReason: 'abort' }) + DONE }] }]);
    const el = await chat(endpoint.url);
    await fail(el);
    expect(read(el)).to.deep.equal([['The provider ended the answer with an error (finish_reason "abort").', 'en']]);
  });

  it('an http body whose words are the status text (Express’s sendStatus) marks the body, not the status text, as the provider’s', async () => {
    const endpoint = await mockEndpoint([{ status: 429, headers: { 'content-type': 'text/plain' }, steps: [{ write: 'Too Many Requests' }] }]);
    const el = await chat(endpoint.url);
    await fail(el);
    expect(read(el)).to.deep.equal([
      ['HTTP 429 Too Many Requests: ', 'en'],
      ['Too Many Requests', 'de'],
    ]);
  });

  it('an error of another copy of the package (a chunk that loaded the bundle again) is the element’s English too', async () => {
    const other = (await import(`../src/core/errors.ts?copy=${Date.now()}`)) as typeof import('../src/core/errors.js');
    const el = await chat('https://example.test/v1/chat/completions');
    el.fetch = () => Promise.reject(new other.StreamChatError('protocol', 'The stream sent a data line that is not JSON: "x"'));
    await fail(el);
    expect(read(el)).to.deep.equal([['The stream sent a data line that is not JSON: "x"', 'en']]);
    // And a provider error of that copy: the provider's words in the page's language.
    el.fetch = () => Promise.reject(other.providerError({ error: { message: 'Überlastet' } }, ''));
    await fail(el);
    expect(read(el)).to.deep.equal([['Überlastet', 'de']]);
  });
});
