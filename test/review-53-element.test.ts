/**
 * A review of 5da0704..e56493e as a new user of the element: what a reader sees of an answer.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import { refusedUrl } from './helpers/server.js';

describe('review 53: an error on a phone', () => {
  // FIX NEEDED (src/element/stream-chat.styles.ts and the error's template in stream-chat.ts,
  // another helper's): 2032145 let the error box take what leaves the log and the composer 18rem,
  // so that at the default height (32rem) a phone's "Could not reach" a long URL shows whole with
  // Retry under it; Retry is inside the box that scrolls. The demo's chat on that phone (360 x 640)
  // is 28rem (448 px: min(40rem, 100vh - 12rem)), and there the box (160 px) scrolls its last
  // 60 px, Retry in them, with no sign of more: a touch reader sees the error and no Retry. Fix:
  // Retry kept in view, whatever the message's length: sticky at the box's end (`position: sticky;
  // bottom: 0`, which alone passes this test, but over the text: it wants the box's background and
  // room), or out of the scroller, the message the part that scrolls.
  it.skip('on a phone, in a chat a little shorter than the default (28rem), Retry shows under a long "Could not reach" without scrolling', async () => {
    await setViewport({ width: 360, height: 640 });
    try {
      const endpoint = (await refusedUrl()).replace('/v1/', '/an/endpoint/with/a/rather/long/path/that/never/breaks/v1/');
      const el = await fixture<StreamChatElement>(html`<stream-chat endpoint=${endpoint} retries="0" style="--stream-chat-height: 28rem"></stream-chat>`);
      await el.send('What is the weather like?').catch(() => {});
      await el.updateComplete;
      const error = el.shadowRoot!.querySelector('[part~=error]')!;
      const retry = el.shadowRoot!.querySelector('[part~=retry]')!.getBoundingClientRect();
      expect(error.scrollTop, 'the box as shown').to.equal(0);
      expect(retry.bottom, 'Retry within what the box shows').to.be.at.most(error.getBoundingClientRect().bottom + 0.5);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
