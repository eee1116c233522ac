import { expect } from '@open-wc/testing';
import { rejectionOf } from '../helpers/rejection.js';
import { cutBodyEnds, mockEndpoint, splitWrites, type MockResponse } from '../helpers/server.js';

const post = (url: string, body = '{}') => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the scripted SSE endpoint', () => {
  it('rejects a malformed script with the reason', async () => {
    const cases: Array<[unknown, string]> = [
      [{ steps: [{ wait: 10 }] }, 'unknown step "wait"'],
      [{ steps: [{ destroy: true }, { write: 'x' }] }, 'destroy must be the last step'],
      [{ steps: [{ delay: 60_000 }] }, 'delay must be 0..10000 ms'],
      [{ steps: [{ hold: '' }] }, 'hold is not a name'],
      [{ steps: [{ hold: 'a' }, { hold: 'b' }, { hold: 'c' }] }, 'delays add up to 30000 ms'],
      [{ headers: { 'x-bad': 'a\nb' } }, 'header "x-bad"'],
      [{ stauts: 500 }, 'unknown field "stauts"'],
      [[{}, { status: 99 }], 'script 1: status 99'],
    ];
    for (const [script, reason] of cases) {
      const error = await rejectionOf(mockEndpoint(script as MockResponse));
      expect(String(error)).to.contain(reason);
    }
  });

  it('plays one script per request, the last one again once the list is used up', async () => {
    const endpoint = await mockEndpoint([{ status: 503 }, { status: 200, steps: [{ write: 'two' }] }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(endpoint.url)).status);
    expect(statuses).to.deep.equal([503, 200, 200]);
    expect((await endpoint.requests()).map((r) => r.attempt)).to.deep.equal([0, 1, 2]);
  });

  it('sends the status, its reason phrase, and the headers merged over the SSE defaults', async () => {
    const endpoint = await mockEndpoint({ status: 429, headers: { 'retry-after': '3', 'cache-control': null } });
    const response = await post(endpoint.url);
    expect([response.status, response.statusText]).to.deep.equal([429, 'Too Many Requests']);
    expect(response.headers.get('content-type')).to.equal('text/event-stream; charset=utf-8');
    expect(response.headers.get('retry-after')).to.equal('3');
    expect(response.headers.get('cache-control')).to.equal(null);
  });

  it('writes text and raw bytes as given', async () => {
    const endpoint = await mockEndpoint({ steps: [...splitWrites('data: ab', [3]), { writeBytes: [0xc3] }, { writeBytes: [0xa9] }] });
    expect(await (await post(endpoint.url)).text()).to.equal('data: abé');
  });

  it('records method, headers and body, parsed when it is JSON', async () => {
    const endpoint = await mockEndpoint({});
    await post(endpoint.url, '{"model":"m"}');
    await fetch(endpoint.url, { method: 'POST', body: 'not json' });
    const [json, text] = await endpoint.requests();
    expect(json?.method).to.equal('POST');
    expect(json?.headers['content-type']).to.equal('application/json');
    expect(json?.body).to.deep.equal({ model: 'm' });
    expect([text?.bodyText, text?.body]).to.deep.equal(['not json', null]);
  });

  it('holds a response at a `hold` step until the test releases it, and keeps a release made before its hold', async () => {
    const endpoint = await mockEndpoint({ steps: [{ write: 'a' }, { hold: 'rest' }, { write: 'b' }] });
    const response = await post(endpoint.url);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).to.equal('a');
    let rest = '';
    const read = (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) rest += r.value;
    })();
    // Held: the request is still playing, with nothing more sent, until the release.
    expect((await endpoint.requests())[0]?.state).to.equal('playing');
    expect(rest).to.equal('');
    await endpoint.release('rest');
    await read;
    expect(rest).to.equal('b');
    // Released before the request came, the next one's hold does not wait.
    const started = performance.now();
    expect(await (await post(endpoint.url)).text()).to.equal('ab');
    expect(performance.now() - started, 'ms for a released hold').to.be.below(5000);
    expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['completed', 'completed']);
  });

  it('records how each request ended: completed, destroyed by the script, aborted by the client', async () => {
    const endpoint = await mockEndpoint([{ steps: [{ write: 'a' }] }, { steps: [{ write: 'a' }, { destroy: true }] }, { headersDelay: 3000 }]);
    await (await post(endpoint.url)).text();
    const cut = await post(endpoint.url).then((response) => response.text()).then(() => 'ended', () => 'failed');
    expect(cut, 'the cut response, read').to.equal(cutBodyEnds ? 'ended' : 'failed');
    const controller = new AbortController();
    const aborted = fetch(endpoint.url, { method: 'POST', signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await rejectionOf(aborted);
    const requests = await endpoint.settled();
    expect(requests.map((r) => [r.state, r.aborted])).to.deep.equal([
      ['completed', false],
      ['destroyed', false],
      ['aborted', true],
    ]);
  });
});
