/**
 * The element embedded as sites embed a chat: a floating panel closed and opened again, a modal
 * dialog, a popover, a full-page column, a grid's sidebar. (A tab panel shown later: widget.test.ts.)
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { contentArrives } from './helpers/element.js';
import { chunkEvent, DONE, mockEndpoint, type MockStep } from './helpers/server.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise(requestAnimationFrame);
};
const part = (el: StreamChatElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const fromEnd = (log: HTMLElement) => log.scrollHeight - log.scrollTop - log.clientHeight;

/** `count` lines, written one an event, held after `at` (named `hold`), then the rest. */
function linesHeld(count: number, at: number, hold = 'mid'): { lines: string[]; steps: MockStep[] } {
  const lines = Array.from({ length: count }, (_, i) => `Line ${i} of an answer that goes on.\n\n`);
  const steps: MockStep[] = [{ write: chunkEvent({ role: 'assistant', content: '' }) }];
  lines.forEach((content, i) => {
    if (i === at) steps.push({ hold });
    steps.push({ write: chunkEvent({ content }) });
  });
  steps.push({ write: chunkEvent({}, { finishReason: 'stop' }) }, { write: DONE });
  return { lines, steps };
}

/** Closes a floating panel (or opens it again: `closed` false) by its `hidden` or its `display`. */
const close = (panel: HTMLElement, how: 'hidden' | 'display', closed = true) => (how === 'hidden' ? (panel.hidden = closed) : (panel.style.display = closed ? 'none' : 'flex'));

describe('<stream-chat> embedded', () => {
  failOnUnhandledRejection();

  for (const how of ['hidden', 'display'] as const) {
    it(`a floating panel closed (${how}) with the reader scrolled up, opened again: where they were`, async () => {
      const { lines, steps } = linesHeld(60, 59);
      const endpoint = await mockEndpoint({ steps });
      const panel = await fixture<HTMLElement>(html`<div style="position: fixed; right: 16px; bottom: 80px; width: 400px; height: 600px; display: flex">
        <stream-chat endpoint=${endpoint.url} retries="0" style="--stream-chat-height: 100%; flex: 1"></stream-chat>
      </div>`);
      const el = panel.querySelector('stream-chat')!;
      const early = contentArrives(el, lines.slice(0, 59).join(''));
      const done = el.send('go');
      await early;
      await frames(2);
      const log = part(el, 'log');
      log.scrollTop -= 500;
      await frames(2);
      const at = log.scrollTop;
      close(panel, how);
      await frames(2);
      await endpoint.release('mid');
      await done;
      await frames(2);
      close(panel, how, false);
      await frames(3);
      expect(log.scrollTop, 'where the reader was').to.be.closeTo(at, 2);
    });
  }

  for (const kind of ['dialog', 'popover'] as const) {
    it(`in a ${kind === 'dialog' ? 'modal dialog' : 'popover'}: Escape mid-answer stops it and leaves the ${kind} open; Escape again closes it`, async () => {
      const endpoint = await mockEndpoint({ steps: linesHeld(4, 2).steps });
      const box = await fixture<HTMLElement>(
        kind === 'dialog'
          ? html`<dialog style="width: 400px; height: 600px; padding: 0"><stream-chat endpoint=${endpoint.url} retries="0" style="--stream-chat-height: 100%"></stream-chat></dialog>`
          : html`<div popover style="width: 400px; height: 600px; padding: 0"><stream-chat endpoint=${endpoint.url} retries="0" style="--stream-chat-height: 100%"></stream-chat></div>`,
      );
      const el = box.querySelector('stream-chat')!;
      if (box instanceof HTMLDialogElement) box.showModal();
      else box.showPopover();
      await el.updateComplete;
      el.focus();
      const early = contentArrives(el, 'Line 0 of an answer that goes on.\n\nLine 1 of an answer that goes on.\n\n');
      const done = el.send('go');
      await early;
      await sendKeys({ press: 'Escape' });
      const detail = await done;
      await frames(2);
      expect(detail.aborted, 'stopped').to.equal(true);
      expect(box.matches(kind === 'dialog' ? '[open]' : ':popover-open'), `the ${kind} open`).to.equal(true);
      await sendKeys({ press: 'Escape' });
      await frames(2);
      expect(box.matches(kind === 'dialog' ? '[open]' : ':popover-open'), `the ${kind} closed`).to.equal(false);
    });
  }

  for (const added of ['in the page', 'added and opened at once'] as const) {
    it(`in a modal dialog (${added}): chat.focus() after showModal() puts the caret in the input`, async () => {
      // showModal() focuses the dialog's first focusable area: Chromium finds the log in the
      // element's shadow root, Firefox and WebKit none (the dialog itself), `autofocus` or not.
      const host = await fixture<HTMLElement>(html`<div></div>`);
      const dialog = document.createElement('dialog');
      const el = document.createElement('stream-chat');
      el.messages = [
        { role: 'user', content: 'Question' },
        { role: 'assistant', content: 'Answer' },
      ];
      dialog.append(el);
      host.append(dialog);
      if (added === 'in the page') await el.updateComplete;
      dialog.showModal();
      el.focus();
      await el.updateComplete;
      await frames(2);
      expect(el.shadowRoot!.activeElement?.getAttribute('part'), 'focus').to.equal('input');
      await sendKeys({ type: 'Hi' });
      expect(part(el, 'input') as HTMLTextAreaElement).to.have.property('value', 'Hi');
      dialog.close();
    });
  }

  const history = Array.from({ length: 30 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `Message ${i}. `.repeat(1 + (i % 5) * 4) }) as const);

  for (const kind of ['dialog', 'popover'] as const) {
    it(`in a ${kind === 'dialog' ? 'modal dialog' : 'popover'} closed with the reader scrolled up and Jump to latest shown, another conversation set, then opened: shown from its end, no Jump to latest`, async () => {
      const box = await fixture<HTMLElement>(kind === 'dialog' ? html`<dialog style="width: 400px; height: 600px; padding: 0"></dialog>` : html`<div popover style="width: 400px; height: 600px; padding: 0"></div>`);
      const [open, shut] = box instanceof HTMLDialogElement ? [() => box.showModal(), () => box.close()] : [() => box.showPopover(), () => box.hidePopover()];
      // Opened as the page starts the chat, so a scroll up is the reader's (one a moment after a
      // closed chat opens is its layout settling: see FollowEnd.keep).
      open();
      const el = box.appendChild(Object.assign(document.createElement('stream-chat'), { messages: history }));
      el.style.setProperty('--stream-chat-height', '100%');
      const jumps = () => el.shadowRoot!.querySelectorAll('[part~=jump]').length;
      await el.updateComplete;
      await frames(3);
      const log = part(el, 'log');
      log.scrollTop = 0;
      await frames(2);
      // A turn more below the reader (a host's, another tab's): Jump to latest shows.
      el.conversation.messages = [...history, { role: 'user', content: 'And?' }, { role: 'assistant', content: 'More. '.repeat(40) }];
      await waitUntil(() => jumps() === 1, 'Jump to latest shows');
      shut();
      await frames(2);
      el.messages = history.map(({ role, content }) => ({ role, content: content.replaceAll('Message', 'Another') }));
      await el.updateComplete;
      await frames(2);
      open();
      await frames(4);
      expect(fromEnd(log), 'at the end').to.be.below(2);
      expect(jumps(), 'no Jump to latest').to.equal(0);
      shut();
    });
  }

  it('a full-page chat (a flex column 100dvh, a header): the composer at the bottom, the log the rest, the page not scrolling', async () => {
    const page = await fixture<HTMLElement>(html`<div style="position: fixed; inset: 0; display: flex; flex-direction: column; height: 100dvh">
      <header style="height: 48px; flex: none">Site</header>
      <stream-chat style="--stream-chat-height: 100%; flex: 1; border-radius: 0" .messages=${history}></stream-chat>
    </div>`);
    const el = page.querySelector('stream-chat')!;
    await el.updateComplete;
    await frames(3);
    const chat = el.getBoundingClientRect();
    const form = part(el, 'form').getBoundingClientRect();
    expect(Math.round(chat.bottom)).to.equal(innerHeight);
    expect(Math.round(form.bottom)).to.be.closeTo(innerHeight, 1);
    expect(chat.top).to.equal(48);
    expect(document.scrollingElement!.scrollHeight, 'the page does not scroll').to.be.at.most(innerHeight);
  });

  it('a grid sidebar (1fr | 320px, 100vh): the chat fills its cell, a wide code block scrolls in it', async () => {
    const page = await fixture<HTMLElement>(html`<div style="display: grid; grid-template-columns: 1fr 320px; height: 100vh">
      <main>Content</main>
      <stream-chat style="--stream-chat-height: 100%" .messages=${[{ role: 'user', content: 'Q' }, { role: 'assistant', content: '```\n' + 'x'.repeat(300) + '\n```\n\n' + 'y'.repeat(200) }]}></stream-chat>
    </div>`);
    const el = page.querySelector('stream-chat')!;
    await el.updateComplete;
    await frames(3);
    const chat = el.getBoundingClientRect();
    expect(chat.width).to.equal(320);
    expect(Math.round(chat.height)).to.equal(innerHeight);
    expect(document.scrollingElement!.scrollWidth).to.be.at.most(innerWidth);
    const pre = el.shadowRoot!.querySelector('pre')!;
    expect(pre.scrollWidth, 'the code block scrolls').to.be.above(pre.clientWidth);
  });

  it('several chats on one page given one labels object and one suggestions array, changed in place and set on each again (a language switch): each shows the change', async () => {
    const labels = { send: 'Send' };
    const suggestions = ['Hello'];
    const chats = await fixture<HTMLElement>(html`<div><stream-chat></stream-chat><stream-chat></stream-chat></div>`);
    const els = [...chats.querySelectorAll('stream-chat')];
    const shown = () => els.map((el) => [part(el, 'send').textContent, part(el, 'suggestion').textContent]);
    for (const el of els) Object.assign(el, { labels, suggestions });
    await Promise.all(els.map((el) => el.updateComplete));
    Object.assign(labels, { send: 'Envoyer' });
    suggestions[0] = 'Bonjour';
    for (const el of els) Object.assign(el, { labels, suggestions });
    await Promise.all(els.map((el) => el.updateComplete));
    // Before, the first chat's set took the change as seen by both: the second showed no change.
    expect(shown()).to.deep.equal([['Envoyer', 'Bonjour'], ['Envoyer', 'Bonjour']]);
    Object.assign(labels, { send: 'Senden' });
    for (const el of els) el.labels = { ...labels };
    await Promise.all(els.map((el) => el.updateComplete));
    expect(shown().map(([send]) => send), 'set as copies').to.deep.equal(['Senden', 'Senden']);
  });

  for (const how of ['hidden', 'display'] as const) {
    it(`a floating panel closed mid-answer (${how}), opened again while it still streams: the log follows the end, and a draft of three lines keeps its height`, async () => {
      const { lines, steps } = linesHeld(80, 20, 'closed');
      const at = steps.findIndex((step) => 'write' in step && step.write.includes('Line 50 '));
      steps.splice(at, 0, { hold: 'opened' });
      const endpoint = await mockEndpoint({ steps });
      const panel = await fixture<HTMLElement>(html`<div style="position: fixed; right: 16px; bottom: 80px; width: 400px; height: 600px; display: flex">
        <stream-chat endpoint=${endpoint.url} retries="0" style="--stream-chat-height: 100%; flex: 1"></stream-chat>
      </div>`);
      const el = panel.querySelector('stream-chat')!;
      const early = contentArrives(el, lines.slice(0, 20).join(''));
      const middle = contentArrives(el, lines.slice(0, 50).join(''));
      const done = el.send('go');
      await early;
      await frames(2);
      const input = part(el, 'input') as HTMLTextAreaElement;
      el.focus();
      await sendKeys({ type: 'one' });
      for (const line of ['two', 'three']) {
        await sendKeys({ down: 'Shift' });
        await sendKeys({ press: 'Enter' });
        await sendKeys({ up: 'Shift' });
        await sendKeys({ type: line });
      }
      await frames(3);
      const tall = input.getBoundingClientRect().height;
      const log = part(el, 'log');
      close(panel, how);
      await frames(2);
      await endpoint.release('closed');
      await middle;
      await frames(3);
      close(panel, how, false);
      await frames(3);
      expect(fromEnd(log), 'at the end when opened').to.be.below(2);
      expect(input.getBoundingClientRect().height, 'the draft its three lines').to.be.closeTo(tall, 1);
      await endpoint.release('opened');
      await done;
      await frames(3);
      expect(fromEnd(log), 'at the end').to.be.below(2);
      expect(el.shadowRoot!.querySelectorAll('[part~=jump]').length).to.equal(0);
    });
  }
});
