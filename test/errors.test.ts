import { expect } from '@open-wc/testing';
import { StreamChatError, cut, providerError, providerErrorCode, providerErrorMessage } from '../src/core/errors.js';
import { eventData } from '../src/core/protocol.js';

describe('StreamChatError', () => {
  it('is an Error with name, kind and the options it was given', () => {
    const cause = new TypeError('Failed to fetch');
    const error = new StreamChatError('http', 'HTTP 429: slow down', { status: 429, retryAfter: 2, code: 'rate_limit', cause });
    expect(error).to.be.instanceOf(Error);
    expect(error).to.be.instanceOf(StreamChatError);
    expect(error.name).to.equal('StreamChatError');
    expect(error.message).to.equal('HTTP 429: slow down');
    expect(error.kind).to.equal('http');
    expect(error.status).to.equal(429);
    expect(error.retryAfter).to.equal(2);
    expect(error.code).to.equal('rate_limit');
    expect(error.cause).to.equal(cause);
  });

  it('is known by instanceof across copies of the package (a CDN file and the npm modules, a chunk that loaded the bundle again)', async () => {
    // The same module by another URL: a second copy, with its own class.
    const other = (await import(`../src/core/errors.ts?copy=${Date.now()}`)) as typeof import('../src/core/errors.js');
    expect(other.StreamChatError).not.to.equal(StreamChatError);
    // Before, a protocol chunk's provider error failed this check and became a `network` error.
    expect([new other.StreamChatError('provider', 'Overloaded') instanceof StreamChatError, new StreamChatError('http', 'x') instanceof other.StreamChatError]).to.deep.equal([true, true]);
    // A subclass keeps the ordinary test.
    class ProxyError extends StreamChatError {}
    expect([new ProxyError('http', 'x') instanceof StreamChatError, new ProxyError('http', 'x') instanceof ProxyError, new StreamChatError('http', 'x') instanceof ProxyError]).to.deep.equal([true, true, false]);
    const impostor = Object.assign(new Error('x'), { name: 'StreamChatError', kind: 'http' });
    expect([impostor instanceof StreamChatError, (null as unknown as object) instanceof StreamChatError, Object('x') instanceof StreamChatError]).to.deep.equal([false, false, false]);
  });

  it('leaves the options it was not given undefined', () => {
    const error = new StreamChatError('network', 'offline');
    expect(error.status).to.equal(undefined);
    expect(error.retryAfter).to.equal(undefined);
    expect(error.code).to.equal(undefined);
    expect(error).to.not.have.property('cause');
  });
});

describe('providerErrorMessage', () => {
  it('reads every error shape seen in the wild', () => {
    expect(providerErrorMessage({ error: { message: 'Invalid API key', type: 'invalid_request_error' } })).to.equal('Invalid API key');
    expect(providerErrorMessage({ error: 'model not found' })).to.equal('model not found');
    expect(providerErrorMessage({ message: 'Bad gateway' })).to.equal('Bad gateway');
    expect(providerErrorMessage({ detail: 'Not authenticated' })).to.equal('Not authenticated');
    expect(providerErrorMessage([{ error: { code: 429, message: 'Resource exhausted', status: 'RESOURCE_EXHAUSTED' } }])).to.equal(
      'Resource exhausted',
    );
    expect(providerErrorMessage({ error_code: 110, error_msg: 'Access token invalid or no longer valid' })).to.equal('Access token invalid or no longer valid');
    expect(providerErrorMessage('  plain text  ')).to.equal('plain text');
  });

  it('gives undefined when there is no message', () => {
    expect(providerErrorMessage({})).to.equal(undefined);
    expect(providerErrorMessage({ error: {} })).to.equal(undefined);
    expect(providerErrorMessage({ error: '' })).to.equal(undefined);
    expect(providerErrorMessage(null)).to.equal(undefined);
    expect(providerErrorMessage(42)).to.equal(undefined);
    expect(providerErrorMessage([])).to.equal(undefined);
  });

  it('skips an error field without a message for one that has it', () => {
    expect(providerErrorMessage({ error: { code: 500 }, message: 'Internal error' })).to.equal('Internal error');
  });
});

describe('providerErrorCode', () => {
  it('reads the code, or else the type, inside error or at the top', () => {
    expect(providerErrorCode({ error: { message: 'x', type: 'invalid_request_error', code: 'invalid_api_key' } })).to.equal('invalid_api_key');
    expect(providerErrorCode({ error: { message: 'x', type: 'server_error', code: null } })).to.equal('server_error');
    expect(providerErrorCode({ error: { code: 429 } })).to.equal('429');
    expect(providerErrorCode({ type: 'overloaded_error', message: 'x' })).to.equal('overloaded_error');
    expect(providerErrorCode({ error_code: 336501, error_msg: 'x' })).to.equal('336501');
  });

  it('passes over an empty code to the type (Cerebras)', () => {
    // Cerebras's 500, as vercel/ai's cerebras-error.test.ts has it (#11783).
    const body = { status_code: 500, error: { message: 'Encountered a server error, please try again.', type: 'server_error', param: '', code: '', id: '' } };
    expect(providerErrorCode(body)).to.equal('server_error');
  });

  it('gives undefined when there is none', () => {
    expect(providerErrorCode({ error: 'text' })).to.equal(undefined);
    expect(providerErrorCode('text')).to.equal(undefined);
    expect(providerErrorCode(null)).to.equal(undefined);
  });
});

describe('providerError', () => {
  it('says an error without a message by its raw text, cut after 200 characters as an HTTP error body is (a stack trace sent whole was the message)', () => {
    const raw = JSON.stringify({ error: { type: 'server_error', details: { trace: 'at handler (/app/server.js:42)\n'.repeat(40) } } });
    const error = providerError(JSON.parse(raw).error, raw);
    expect([error.kind, error.code, error.message]).to.deep.equal(['provider', 'server_error', cut(raw, 200)]);
    expect(providerError({ code: 500 }, '{"error":{"code":500}}').message).to.equal('{"error":{"code":500}}');
  });

  it('says an `event: error` whose data is not JSON by its text, cut after 200 characters too; a short one whole', () => {
    const raised = (data: string) => {
      try {
        eventData({ event: 'error', data }, 'a chunk');
      } catch (error) {
        return error as StreamChatError;
      }
      expect.fail('no error');
    };
    const trace = 'Traceback (most recent call last): File "/app/server.py", line 42, in stream '.repeat(20);
    expect([raised(trace).kind, raised(trace).message]).to.deep.equal(['provider', cut(trace, 200)]);
    expect(raised('Rate limit exceeded').message).to.equal('Rate limit exceeded');
  });
});

describe('cut', () => {
  it('cuts after length characters with "…", and keeps a surrogate pair whole: an emoji at the cut is not half of one (shown as �)', () => {
    expect(cut('abcdef', 3)).to.equal('abc…');
    expect(cut('abc', 3)).to.equal('abc');
    // The emoji's two halves are characters 3 and 4: cut after 3, it goes whole; after 4, it stays.
    expect(cut('ab😀cd', 3)).to.equal('ab…');
    expect(cut('ab😀cd', 4)).to.equal('ab😀…');
    expect(cut('😀'.repeat(1500), 2000)).to.equal('😀'.repeat(1000) + '…');
  });
});
