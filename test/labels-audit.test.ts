/**
 * README's "Labels and languages" read as a host that localises the chat: its samples as written,
 * and what a page in another language, or right to left, expects of each control.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../src/index.js';
import type { Labels } from '../src/element/labels.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { itWithCdp } from './helpers/cdp.js';
import { heardWhile } from './helpers/element.js';
import { DONE, chunkEvent, mockEndpoint } from './helpers/server.js';

/** README's right-to-left sample: a few keys, those not set stay English. */
const arabic: Partial<Labels> = { send: 'إرسال', stop: 'إيقاف', copy: 'نسخ', edit: 'تعديل', regenerate: 'إعادة التوليد', you: 'أنت:', assistant: 'المساعد:' };

describe('labels audit: right to left', () => {
  // Before, Copy's `margin-inline-start: auto` was read in Copy's own direction (dir="auto", from its
  // label): an English "Copy code" in a right-to-left answer (README's Arabic sample leaves
  // `copyCode` English) sat beside the language at the right, not at the header's end; an Arabic one
  // in a left-to-right answer beside it at the left.
  for (const [answer, labels, direction] of [
    ['مثال:', arabic, 'rtl'],
    ['مثال:', { ...arabic, copyCode: 'نسخ الشيفرة' }, 'rtl'],
    ['Example:', { copyCode: 'نسخ الشيفرة' }, 'ltr'],
    ['Example:', {}, 'ltr'],
  ] as const)
    it(`a code block's Copy is at its header's end, the language at its start: ${direction} answer, Copy "${labels.copyCode ?? 'Copy code'}"`, async () => {
      const el = await fixture<StreamChatElement>(html`<stream-chat dir=${direction} lang="ar" style="display:block;width:600px"></stream-chat>`);
      el.labels = labels;
      el.messages = [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: `${answer}\n\n\`\`\`js\nlet a = 1;\n\`\`\`` },
      ];
      await el.updateComplete;
      const header = el.shadowRoot!.querySelector<HTMLElement>('[part~=code-header]')!;
      const [box, language, copy] = [header, header.querySelector('[part~=code-language]')!, header.querySelector('[part~=copy]')!].map((node) => node.getBoundingClientRect());
      const style = getComputedStyle(header);
      const [start, end] = [parseFloat(style.paddingInlineStart), parseFloat(style.paddingInlineEnd)];
      // The distance of each from its side of the header.
      const at = direction === 'rtl' ? [box!.right - language!.right, copy!.left - box!.left] : [language!.left - box!.left, box!.right - copy!.right];
      expect(at.map(Math.round), 'the language at the start, Copy at the end').to.deep.equal([start, end].map(Math.round));
    });

  // README: where both do not fit on a line, Copy goes under the language, at its end.
  for (const [answer, direction] of [['مثال:', 'rtl'], ['Example:', 'ltr']] as const)
    it(`a code block's Copy that goes under a long language is at the end of its line: ${direction}`, async () => {
      const el = await fixture<StreamChatElement>(html`<stream-chat dir=${direction} style="display:block;width:320px"></stream-chat>`);
      el.labels = arabic;
      el.messages = [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: `${answer}\n\n\`\`\`tsx:src/app/components/Button.tsx\nlet a = 1;\n\`\`\`` },
      ];
      await el.updateComplete;
      const header = el.shadowRoot!.querySelector<HTMLElement>('[part~=code-header]')!;
      const [box, language, copy] = [header, header.querySelector('[part~=code-language]')!, header.querySelector('[part~=copy]')!].map((node) => node.getBoundingClientRect());
      expect(copy!.top, 'under the language').to.be.at.least(language!.bottom);
      const end = parseFloat(getComputedStyle(header).paddingInlineEnd);
      expect(Math.round(direction === 'rtl' ? copy!.left - box!.left : box!.right - copy!.right)).to.equal(Math.round(end));
    });
});

describe('labels audit: the sources an answer cites, right to left', () => {
  // Before, the list was dir="auto": its first title's direction set the order of all of them, so
  // on a right-to-left page an answer citing "Wikipedia" first showed it at the left, after the
  // others as an Arabic reader reads, and on a left-to-right page an Arabic first title put the
  // rest before it.
  for (const [direction, sources] of [
    ['rtl', ['Wikipedia', 'BBC عربي']],
    ['ltr', ['ويكيبيديا', 'BBC']],
  ] as const)
    it(`follow the element's direction in their order, each title read in its own: ${direction}, "${sources[0]}" first`, async () => {
      const el = await fixture<StreamChatElement>(html`<stream-chat dir=${direction} style="display:block;width:600px"></stream-chat>`);
      el.labels = arabic;
      el.messages = [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: direction === 'rtl' ? 'الجواب.' : 'The answer.', sources: sources.map((title, i) => ({ url: `https://s${i}.test/`, title })) },
      ];
      await el.updateComplete;
      const links = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~=sources] a')];
      const [first, second] = links.map((link) => link.getBoundingClientRect());
      expect(direction === 'rtl' ? first!.left >= second!.right : first!.right <= second!.left, 'the first at the start').to.equal(true);
      expect(links.map((link) => getComputedStyle(link).direction)).to.deep.equal(sources.map((title) => (/[\u0600-\u06ff]/.test(title[0]!) ? 'rtl' : 'ltr')));
    });
});

describe('labels audit: reasoning, right to left', () => {
  /** The sides of the rules drawn beside the reasoning's text (a border of its boxes). */
  const rules = (el: StreamChatElement) =>
    [...el.shadowRoot!.querySelectorAll('[part~=reasoning] *')].flatMap((node) => {
      const style = getComputedStyle(node);
      return (['left', 'right'] as const).filter((side) => parseFloat(style.getPropertyValue(`border-${side}-width`)) > 0);
    });

  // Before, the rule was the text's own border-inline-start, and the text is dir="auto": reasoning in
  // English (as models often reason, whatever the question's language) had its rule at the left on
  // a right-to-left page, its summary at the right; Arabic reasoning on a left-to-right page, at the right.
  for (const direction of ['rtl', 'ltr'] as const)
    for (const reasoning of ['The user asks about the weather.', 'يسأل المستخدم عن الطقس.'])
      it(`has its rule at the element's start, its text in its own direction: ${direction}, "${reasoning.slice(0, 12)}…"`, async () => {
        const el = await fixture<StreamChatElement>(html`<stream-chat dir=${direction} style="display:block;width:600px"></stream-chat>`);
        el.messages = [
          { role: 'user', content: 'Q' },
          { role: 'assistant', content: 'A', reasoning },
        ];
        await el.updateComplete;
        el.shadowRoot!.querySelector<HTMLDetailsElement>('[part~=reasoning]')!.open = true;
        expect(rules(el)).to.deep.equal([direction === 'rtl' ? 'right' : 'left']);
        const text = el.shadowRoot!.querySelector('.reasoning-text')!;
        expect(getComputedStyle(text).direction).to.equal(/^T/.test(reasoning) ? 'ltr' : 'rtl');
      });
});

describe('labels audit: questions in forced colors, right to left', () => {
  // Before, a question's thick edge was its own border-inline-end, and a question is dir="auto": on a
  // right-to-left page an English question had it at the right, an Arabic one at the left; on a
  // left-to-right page, the reverse. The edge that tells whose a message is moved with its language.
  for (const direction of ['rtl', 'ltr'] as const)
    itWithCdp(`has its thick edge at the chat's end whatever its language: ${direction}`, async () => {
      const el = await fixture<StreamChatElement>(html`<stream-chat dir=${direction} style="display:block;width:600px"></stream-chat>`);
      el.labels = arabic;
      el.messages = [
        { role: 'user', content: 'Hello?' },
        { role: 'assistant', content: 'Hi.' },
        { role: 'user', content: 'مرحبا؟' },
      ];
      await el.updateComplete;
      await executeServerCommand('cdp-forced-colors', { active: true });
      try {
        const edges = [...el.shadowRoot!.querySelectorAll('[part~=user]')].map((question) => [getComputedStyle(question).borderLeftWidth, getComputedStyle(question).borderRightWidth]);
        const end = direction === 'rtl' ? ['4px', '1px'] : ['1px', '4px'];
        expect(edges).to.deep.equal([end, end]);
      } finally {
        await executeServerCommand('cdp-forced-colors', { active: false });
      }
    });
});

describe('labels audit: a code block\'s header under a page\'s styles', () => {
  // Found in review of 640b7be: the room between the language and Copy became the language's own
  // margin-inline-end: auto, so a page's badge on ::part(code-language) with a margin (its shorthand
  // sets that side too) moved the language to the header's end, beside Copy (427 px from its start).
  for (const [answer, direction] of [['Example:', 'ltr'], ['مثال:', 'rtl']] as const)
    it(`a page's margin on ::part(code-language) keeps the language at the start: ${direction}`, async () => {
      const page = Object.assign(document.createElement('style'), { textContent: 'stream-chat::part(code-language) { margin: 0 0.25em; padding: 0 0.4em; background: #ddd }' });
      document.head.append(page);
      try {
        const el = await fixture<StreamChatElement>(html`<stream-chat dir=${direction} style="display:block;width:600px"></stream-chat>`);
        el.labels = arabic;
        el.messages = [
          { role: 'user', content: 'Q' },
          { role: 'assistant', content: `${answer}\n\n\`\`\`js\nlet a = 1;\n\`\`\`` },
        ];
        await el.updateComplete;
        const header = el.shadowRoot!.querySelector<HTMLElement>('[part~=code-header]')!;
        const language = header.querySelector<HTMLElement>('[part~=code-language]')!;
        const [box, shown, copy] = [header, language, header.querySelector('[part~=copy]')!].map((node) => node.getBoundingClientRect());
        const start = parseFloat(getComputedStyle(header).paddingInlineStart) + parseFloat(getComputedStyle(language).marginInlineStart);
        const end = parseFloat(getComputedStyle(header).paddingInlineEnd);
        const at = direction === 'rtl' ? [box!.right - shown!.right, copy!.left - box!.left] : [shown!.left - box!.left, box!.right - copy!.right];
        expect(at.map(Math.round), 'the language at the start, Copy at the end').to.deep.equal([start, end].map(Math.round));
      } finally {
        page.remove();
      }
    });
});

describe('labels audit: calls made together, said in the element’s language', () => {
  // Before, the status region joined them with an English ', ' whatever the language: an Arabic or
  // Japanese chat heard 'time_in تم, roll_dice خطأ'. They are a list in the element's language now
  // (`Intl.ListFormat`, its narrow conjunction: English's is the commas alone).
  /** What the status region says last of a batch of two tools in `lang`, with `labels`. */
  async function batchSaid(lang: string, labels: Partial<Labels>) {
    const call = (index: number, name: string) => chunkEvent({ tool_calls: [{ index, id: name, type: 'function', function: { name, arguments: '{}' } }] });
    const endpoint = await mockEndpoint([{ steps: [{ write: call(0, 'time_in') + call(1, 'roll_dice') + chunkEvent({}, { finishReason: 'tool_calls' }) + DONE }] }]);
    const el = await fixture<StreamChatElement>(html`<stream-chat lang=${lang} endpoint=${endpoint.url} retries="0" max-steps="1"></stream-chat>`);
    el.labels = labels;
    el.tools = [{ name: 'time_in', execute: () => '09:05' }, { name: 'roll_dice', execute: () => Promise.reject(new Error('no dice')) }];
    return (await heardWhile(el, () => el.send('?'))).at(-1);
  }
  for (const [lang, labels, said] of [
    ['ar', { toolDone: 'تم', toolError: 'خطأ' }, 'time_in تم وroll_dice خطأ'],
    ['ja', { toolDone: '完了', toolError: 'エラー' }, 'time_in 完了、roll_dice エラー'],
    ['en', {}, 'time_in Done, roll_dice Error'],
    ['x_y', {}, 'time_in Done, roll_dice Error'],
  ] as const)
    it(`a batch of two tools in lang="${lang}"`, async () => {
      expect(await batchSaid(lang, labels)).to.deep.equal(['status', `${said}\nStopped at the step limit`]);
    });

  // Chromium writes numbers in Azerbaijani, Punjabi, Sindhi and Uzbek but has no lists for them: a
  // ListFormat of one of those took the browser's own language ('… und …' in a German Chrome).
  itWithCdp('a batch in a language whose numbers the browser knows but not its lists: English, not the browser’s', async () => {
    await executeServerCommand('cdp-locale', { locale: 'de-DE' });
    try {
      for (const lang of ['az', 'pa', 'sd', 'uz']) expect(await batchSaid(lang, {}), lang).to.deep.equal(['status', 'time_in Done, roll_dice Error\nStopped at the step limit']);
    } finally {
      await executeServerCommand('cdp-locale', {});
    }
  });
});
