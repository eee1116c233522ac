import { expect, waitUntil } from '@open-wc/testing';
import { StreamChatError } from '../src/core/errors.js';
import { readEvents } from '../src/core/sse.js';
import { fetchWithRetries, parseRetryAfter, type Attempt, type TransportOptions } from '../src/core/transport.js';
import { FakeClock } from './helpers/clock.js';
import { rejectionOf } from './helpers/rejection.js';
import { chunk, chunkEvent, httpError, mockEndpoint, refusedUrl, streamingReply } from './helpers/server.js';
import { TestBody, fakeFetch, type FakeResponse } from './helpers/streaming.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

const ENDPOINT = 'https://api.example.test/v1/chat/completions';
const request = (url: string) => ({ url, init: { method: 'POST', body: '{"messages":[{"role":"user","content":"Hi"}]}' } });

/** Reads an attempt's whole body as text; a failure of the body is the attempt's, as every reader reports it. */
const readText = (attempt: Attempt) =>
  attempt.response.text().catch((cause: unknown) => {
    throw attempt.failure(cause, 'The body broke');
  });

/** Fetches `url` and reads the whole body as text; nothing counts as the answer having started. */
function fetchText(url: string, options: Parameters<typeof fetchWithRetries>[1] = {}): Promise<string> {
  return fetchWithRetries(request(url), options, readText, () => false);
}

/** The StreamChatError `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<StreamChatError> {
  const error = await rejectionOf(promise);
  expect(error).to.be.instanceOf(StreamChatError);
  return error as StreamChatError;
}

/** An HTTP error answer of the fake fetch, in OpenAI's JSON shape. */
function httpFailure(status: number, message: string, headers: Record<string, string> = {}): FakeResponse {
  const body = JSON.stringify({ error: { message, type: 'test_error', code: `status_${status}` } });
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

const ok: FakeResponse = { body: 'ok' };

/** Retries with a fake fetch and clock: no stall timer (`timeout: 0`), so the clock's delays are the retry waits. */
function retrying(fetch: typeof globalThis.fetch, options: TransportOptions = {}) {
  const clock = new FakeClock();
  const result = fetchText(ENDPOINT, { fetch, clock, timeout: 0, random: () => 0.5, ...options });
  return { clock, result };
}

describe('fetchWithRetries', () => {
  failOnUnhandledRejection();

  it('uses the fetch it is given, with the request as built', async () => {
    const fetch = fakeFetch(ok);
    expect(await fetchText(ENDPOINT, { fetch })).to.equal('ok');
    expect(fetch.requests.map(({ url, init }) => [url, init.method, init.body])).to.deep.equal([[ENDPOINT, 'POST', request(ENDPOINT).init.body]]);
  });

  describe('HTTP errors', () => {
    const cases = [
      [400, 'Bad Request', "'messages' must not be empty"],
      [401, 'Unauthorized', 'Incorrect API key provided: sk-test.'],
      [404, 'Not Found', 'The model `gpt-9` does not exist'],
      [429, 'Too Many Requests', 'Rate limit reached for requests'],
      [500, 'Internal Server Error', 'The server had an error while processing your request.'],
      [503, 'Service Unavailable', 'The engine is currently overloaded.'],
    ] as const;
    for (const [status, statusText, message] of cases) {
      it(`HTTP ${status} is kind http with the status and the provider's error.message`, async () => {
        const endpoint = await mockEndpoint(httpError(status, message));
        const error = await failure(fetchText(endpoint.url, { retries: 0 }));
        expect(error.kind).to.equal('http');
        expect(error.status).to.equal(status);
        expect(error.message).to.equal(`HTTP ${status} ${statusText}: ${message}`);
        expect(error.code).to.equal(`status_${status}`);
      });
    }

    it('a 404 or 405 with no error of a provider’s says to check the URL: a base URL (…/v1) or a web page’s, most likely', async () => {
      const json = { 'content-type': 'application/json' };
      for (const [status, headers, body, says] of [
        [404, { 'content-type': 'text/html' }, '<!DOCTYPE html><h1>Cannot POST /v1</h1>', 'HTTP 404 Not Found'],
        [405, { 'content-type': 'text/plain' }, 'Method Not Allowed', 'HTTP 405 Method Not Allowed: Method Not Allowed'],
        // OpenAI's, at its base URL (a type, no code); vLLM's and FastAPI's.
        [404, json, '{"error":{"message":"Invalid URL (POST /v1)","type":"invalid_request_error","param":null,"code":null}}', 'HTTP 404 Not Found: Invalid URL (POST /v1)'],
        [404, json, '{"detail":"Not Found"}', 'HTTP 404 Not Found: Not Found'],
      ] as const) {
        const endpoint = await mockEndpoint({ status, headers, steps: [{ write: body }] });
        const error = await failure(fetchText(endpoint.url, { retries: 0 }));
        expect([error.status, error.message]).to.deep.equal([status, `${says}. Check that ${endpoint.url} is the full API URL.`]);
      }
      // A model not found: the URL is right (Ollama's says so in a string, with no code).
      const model = await mockEndpoint({ status: 404, headers: json, steps: [{ write: '{"error":{"message":"The model `gpt-9` does not exist","type":"invalid_request_error","code":"model_not_found"}}' }] });
      expect((await failure(fetchText(model.url, { retries: 0 }))).message).to.equal('HTTP 404 Not Found: The model `gpt-9` does not exist');
      const ollama = await mockEndpoint({ status: 404, headers: json, steps: [{ write: '{"error":"model \\"llama3.3:70b\\" not found, try pulling it first"}' }] });
      expect((await failure(fetchText(ollama.url, { retries: 0 }))).message).to.equal('HTTP 404 Not Found: model "llama3.3:70b" not found, try pulling it first');
    });

    it('a 501 (`python3 -m http.server`’s to a POST: a static server at the URL) says to check the URL, and is not retried: it never changes', async () => {
      const endpoint = await mockEndpoint({
        status: 501,
        headers: { 'content-type': 'text/html;charset=utf-8' },
        steps: [{ write: "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head><title>Error response</title></head>\n<body><h1>Error response</h1><p>Error code: 501</p><p>Message: Unsupported method ('POST').</p></body></html>" }],
      });
      // Before, asked three times (5xx), then "HTTP 501 Not Implemented" with no hint.
      const error = await failure(fetchText(endpoint.url, { retryDelay: 1 }));
      expect([error.status, error.message, (await endpoint.requests()).length]).to.deep.equal([501, `HTTP 501 Not Implemented. Check that ${endpoint.url} is the full API URL.`, 1]);
    });

    it('a 413 with no error of a provider’s says the conversation is too long for the endpoint; a provider’s message is said as it is', async () => {
      for (const [headers, body, says] of [
        [{ 'content-type': 'text/html' }, '<html><head><title>413 Request Entity Too Large</title></head></html>', 'HTTP 413 Payload Too Large'],
        [{ 'content-type': 'text/plain' }, 'Request Entity Too Large', 'HTTP 413 Payload Too Large: Request Entity Too Large'],
      ] as const) {
        const endpoint = await mockEndpoint({ status: 413, headers, steps: [{ write: body }] });
        const error = await failure(fetchText(endpoint.url, { retries: 0 }));
        expect([error.status, error.message]).to.deep.equal([413, `${says}. The conversation is too long for this endpoint.`]);
      }
      const fetch = fakeFetch(httpFailure(413, 'The request body is larger than 4 MB.'));
      expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message).to.equal('HTTP 413: The request body is larger than 4 MB.');
    });

    it("Baidu Qianfan v1's error_msg is the message and its error_code the code, as a string", async () => {
      // Its shape as baidubce/bce-qianfan-sdk's _check_error reads it (python/qianfan/resources/requestor).
      const body = '{"error_code":110,"error_msg":"Access token invalid or no longer valid"}';
      const endpoint = await mockEndpoint({ status: 401, headers: { 'content-type': 'application/json' }, steps: [{ write: body }] });
      const error = await failure(fetchText(endpoint.url, { retries: 0 }));
      expect([error.kind, error.message, error.code]).to.deep.equal(['http', 'HTTP 401 Unauthorized: Access token invalid or no longer valid', '110']);
    });

    it('an error names the endpoint without its query, fragment or credentials, which may hold a key', async () => {
      const endpoint = await mockEndpoint({ status: 404, headers: { 'content-type': 'text/plain' }, steps: [{ write: 'Not Found' }] });
      const error = await failure(fetchText(`${endpoint.url}?key=AIzaSy-secret-123456#frag`, { retries: 0 }));
      expect(error.message).to.equal(`HTTP 404 Not Found: Not Found. Check that ${endpoint.url} is the full API URL.`);
      const unreachable = await failure(fetchText('https://user:secret-pass@127.0.0.1:1/v1/chat/completions?key=secret-123456', { retries: 0, fetch: () => Promise.reject(new TypeError('Failed to fetch')) }));
      expect(unreachable.message).to.equal('Could not reach https://127.0.0.1:1/v1/chat/completions (down, or blocked by CORS?): Failed to fetch');
    });

    it('an `@` in the endpoint’s query (an email) is not taken for the end of credentials: the error names the host written', async () => {
      // Before: "Could not reach https://b.example.com", and "https://b.example.com is not a valid URL".
      const unreachable = await failure(fetchText('https://api.example.test?email=a@b.example.com', { retries: 0, fetch: () => Promise.reject(new TypeError('Failed to fetch')) }));
      expect(unreachable.message).to.equal('Could not reach https://api.example.test (down, or blocked by CORS?): Failed to fetch');
      // (In a page, without "(outside a page, give it whole, with its https://)": it was given whole.)
      const invalid = await failure(fetchText('https://api.example.test:99999/v1?email=a@b.example.com', { fetch: fakeFetch(ok) }));
      expect(invalid.message).to.equal('The endpoint "https://api.example.test:99999/v1" is not a valid URL.');
      // (A key written before its host with a `?` or `#` in it is still said without any of it.)
      const keyed = await failure(fetchText('https://user:SECRET#1@api.example.test/v1', { fetch: fakeFetch(ok) }));
      expect(keyed.message).to.equal('The endpoint "https://api.example.test/v1" is not a valid URL.');
    });

    it('a key before its host that reads as a dotted host the parser refuses (`sk-abc.123/…`, `1234.5678/…`) is not said: its `@` is in the path, not the query', async () => {
      for (const key of ['sk-abc.123/SECRETxyz', '1234.5678/SECRETxyz']) {
        const invalid = await failure(fetchText(`https://${key}@api.example.test/v1`, { fetch: fakeFetch(ok) }));
        expect(invalid.message).to.equal('The endpoint "https://api.example.test/v1" is not a valid URL.');
      }
    });

    it('a key in the endpoint’s query, echoed by the provider, is cut out as the key attribute’s is; its other parameters stay', async () => {
      // Gemini's `?key=`, Azure's `?api-key=` or a proxy's `?token=`: the error quotes the request.
      const url = `${ENDPOINT}?key=AIzaSy-query-secret-123&api-version=2024-02-15-preview`;
      const fetch = fakeFetch(httpFailure(400, 'Unsupported request POST /v1/chat/completions?key=AIzaSy-query-secret-123&api-version=2024-02-15-preview'));
      const error = await failure(fetchText(url, { retries: 0, fetch }));
      expect(error.message).to.equal('HTTP 400: Unsupported request POST /v1/chat/completions?key=[key]&api-version=2024-02-15-preview');
      expect(error.stack).to.not.include('AIzaSy-query-secret-123');
    });

    it('so is one named `code` (Azure Functions’), `auth`, or ending in `secret`, `password`, `passwd`, `pwd`, `credential(s)` or `signature`; a name that only holds one (`barcode`, `author`) is no secret', async () => {
      const query = 'code=AZFUNC-code-1234&auth=AUTH-value-1234&client_secret=CLIENT-secret-1234&db_password=DB-password-1234&passwd=PASSWD-value-1234&db_pwd=PWD-value-1234&credential=CRED-value-1234&credentials=CREDS-value-1234&X-Amz-Signature=AMZ-signature-1234&barcode=4006381333931&author=Shakespeare';
      const fetch = fakeFetch(httpFailure(400, `Unsupported request POST /api/chat?${query}`));
      const error = await failure(fetchText(`${ENDPOINT}?${query}`, { retries: 0, fetch }));
      expect(error.message).to.equal('HTTP 400: Unsupported request POST /api/chat?code=[key]&auth=[key]&client_secret=[key]&db_password=[key]&passwd=[key]&db_pwd=[key]&credential=[key]&credentials=[key]&X-Amz-Signature=[key]&barcode=4006381333931&author=Shakespeare');
    });

    it('so is one the provider echoes decoded, as it read it (a signature’s base64: `sig=a%2Fb%2B1%3D` said `a/b+1=`)', async () => {
      const fetch = fakeFetch(httpFailure(403, 'Signature SECRET/sig+1234= did not match'));
      const error = await failure(fetchText(`${ENDPOINT}?api-version=2024-10-21&sig=SECRET%2Fsig%2B1234%3D`, { retries: 0, fetch }));
      expect(error.message).to.equal('HTTP 403: Signature [key] did not match');
    });

    it('so are credentials before its host given to a page’s own fetch, which may send them, where it or the server echoes them', async () => {
      for (const [url, echoed] of [
        ['https://user:SECRET-pass-1234@api.example.test/v1', 'SECRET-pass-1234'],
        ['https://SECRET-key-5678@api.example.test/v1', 'SECRET-key-5678'],
        ['https://user:p%40ss-SECRET-9012@api.example.test/v1', 'p@ss-SECRET-9012'],
      ]) {
        const fetch = fakeFetch(httpFailure(401, `Invalid credentials: ${echoed}`));
        const error = await failure(fetchText(url!, { retries: 0, fetch }));
        expect(error.message, url).to.equal('HTTP 401: Invalid credentials: [key]');
      }
    });

    it('a user name before its host that is a plain word is no key: a provider text that says the word keeps it', async () => {
      // (On c4a80ec: "does not support '[key]' with this model.", the user name taken for a secret.)
      const fetch = fakeFetch(httpFailure(400, "Unsupported value: 'messages[0].role' does not support 'developer' with this model."));
      const error = await failure(fetchText('https://developer:SECRET-pass-1234@api.example.test/v1', { retries: 0, fetch }));
      expect(error.message).to.equal("HTTP 400: Unsupported value: 'messages[0].role' does not support 'developer' with this model.");
    });

    it('a header of the protocol (Content-Type, anthropic-version, OpenRouter’s HTTP-Referer and X-Title) is no key: a provider text that says its value keeps it', async () => {
      // Before: "Content-Type must be [key]", every header's value of 8 characters taken for a secret.
      const fetch = fakeFetch(httpFailure(415, 'Content-Type must be application/json; anthropic-version 2023-06-01 is too old for https://my.app.example'));
      const headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'HTTP-Referer': 'https://my.app.example', 'X-Title': 'My app', 'X-Api-Token': 'SECRET-token-1234' };
      const error = await failure(fetchText(ENDPOINT, { retries: 0, fetch, headers }));
      expect(error.message).to.equal('HTTP 415: Content-Type must be application/json; anthropic-version 2023-06-01 is too old for https://my.app.example');
      const echoed = await failure(fetchText(ENDPOINT, { retries: 0, fetch: fakeFetch(httpFailure(401, 'Bad token SECRET-token-1234')), headers }));
      expect(echoed.message).to.equal('HTTP 401: Bad token [key]');
    });

    it('nor where the browser’s own message quotes it (its fetch refuses credentials), nor an endpoint it cannot use (backslashes, no scheme, not a URL): message, stack and cause', async () => {
      const secrets = /SECRETPASS1234|SECRETPASS5678|SECRETPASS9012|SECRETPASS3456|SECRET\/PASS7890|SECRETQUERY999|SECRETQUERY888|SECRETFRAG777/;
      for (const url of [
        'http://user:SECRETPASS1234@127.0.0.1:1/v1/chat?key=SECRETQUERY999',
        'http:\\\\user:SECRETPASS5678@127.0.0.1:1/x',
        'localhost:1/v1/chat?key=SECRETQUERY999',
        'http://[::1/v1?key=SECRETQUERY888#SECRETFRAG777',
        // Credentials without the scheme, its port's or its own (found in review: said whole).
        'user:1SECRETPASS9012@api.example.com/v1',
        'user:SECRETPASS3456@api.example.com/v1',
        // (One whose key holds a `/`, as base64's do: said whole, found in review.)
        'user:SECRET/PASS7890@api.example.com/v1',
      ]) {
        // The browser's real fetch, through a page's own (without one, a URL with credentials is
        // refused before it): Chromium's message names the URL it refused.
        const error = await failure(fetchText(url, { retries: 0, fetch: (input, init) => fetch(input, init) }));
        const cause = error.cause as Error | undefined;
        expect([error.message, error.stack, cause?.message, cause?.stack].join('\n'), url).to.not.match(secrets);
        expect(error.message, url).to.match(/127\.0\.0\.1:1\/|localhost:1\/v1\/chat|\[::1\/v1|api\.example\.com\/v1/);
      }
    });

    it('nor credentials whose key holds a `?`, `#`, `/` or `\\`, as keys do (base64’s `/`): before, said up to it, or whole', async () => {
      for (const url of [
        'http://user:SECRET#PASS1@127.0.0.1:1/v1/chat',
        'http://SECRET?PASS2@127.0.0.1:1/v1/chat',
        'http://user:SECRET/PASS3@127.0.0.1:1/v1/chat',
        'http://user:SECRET\\PASS4@127.0.0.1:1/v1/chat',
      ]) {
        const error = await failure(fetchText(url, { retries: 0, fetch: () => Promise.reject(new TypeError('Failed to fetch')) }));
        expect(error.message, url).to.not.include('SECRET');
        expect(error.message, url).to.include('http://127.0.0.1:1/v1/chat');
      }
    });

    it('an HTML error page gives the status without the markup', async () => {
      const endpoint = await mockEndpoint({
        status: 502,
        headers: { 'content-type': 'text/html' },
        steps: [{ write: '<!DOCTYPE html><html><head><title>502</title></head><body><h1>Bad Gateway</h1></body></html>' }],
      });
      const error = await failure(fetchText(endpoint.url, { retries: 0 }));
      expect(error.kind).to.equal('http');
      expect(error.status).to.equal(502);
      expect(error.message).to.equal('HTTP 502 Bad Gateway');
    });

    it('an HTML error page that does not open with <html> or a doctype (Varnish’s <?xml, a comment, a bare <title>) gives the status without the markup', async () => {
      for (const body of [
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html><head><title>503 Service Unavailable</title></head><body><h1>Error 503 Service Unavailable</h1><p>Guru Meditation:</p></body></html>',
        '<!-- gateway error page -->\n<html><body><h1>Service Unavailable</h1></body></html>',
        '\n<title>503 Service Unavailable</title><h1>Service Unavailable</h1>',
      ]) {
        const fetch = fakeFetch({ status: 503, headers: { 'content-type': 'text/html' }, body });
        expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message, body).to.equal('HTTP 503');
      }
    });

    it('an HTML error page under text/html that opens with another tag (<h1>, <meta>) gives the status without the markup', async () => {
      for (const body of ['<h1>502 Bad Gateway</h1>\n<p>The upstream did not answer.</p>', '<meta charset="utf-8">\n<title>Maintenance</title>']) {
        const fetch = fakeFetch({ status: 502, headers: { 'content-type': 'text/html; charset=utf-8' }, body });
        expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message, body).to.equal('HTTP 502');
      }
    });

    it('a text/html error body that opens with any tag (<center>, <pre>, <!-- -->) is a page: the status, not its markup; its words, or `<3`, stay', async () => {
      const pages = ['<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>', '<pre>Cannot POST /v1/chat</pre>', '\n<!-- gateway -->\n<center>Bad Gateway</center>'];
      const texts = ['Bad Gateway', '<3 limits exceeded'];
      const messages = [];
      for (const body of [...pages, ...texts]) {
        const fetch = fakeFetch({ status: 502, headers: { 'content-type': 'text/html; charset=utf-8' }, body });
        messages.push((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message);
      }
      expect(messages).to.deep.equal([...pages.map(() => 'HTTP 502'), ...texts.map((text) => `HTTP 502: ${text}`)]);
      // Without that type, `<center>` is text as `<unknown>` is (htmlPage() alone decides).
      const fetch = fakeFetch({ status: 502, headers: { 'content-type': 'text/plain' }, body: '<center>' });
      expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message).to.equal('HTTP 502: <center>');
    });

    it('a hint after a text that ends with a full stop takes no second one (413, 404)', async () => {
      let fetch = fakeFetch({ status: 413, headers: { 'content-type': 'text/plain' }, body: 'Request Entity Too Large.' });
      expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message).to.equal('HTTP 413: Request Entity Too Large. The conversation is too long for this endpoint.');
      fetch = fakeFetch({ status: 404, headers: { 'content-type': 'text/plain' }, body: 'No such route.' });
      expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message).to.equal(`HTTP 404: No such route. Check that ${ENDPOINT} is the full API URL.`);
    });

    it('a hint after a text that ends with ?, !, cut()’s … or a full stop in brackets takes no full stop after it', async () => {
      const messages = [];
      for (const body of ['No such route?', 'Not here!', 'x'.repeat(300), 'Not found (see the docs.)', 'Not found: "/v1."']) {
        const fetch = fakeFetch({ status: 404, headers: { 'content-type': 'text/plain' }, body });
        messages.push((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message);
      }
      const hint = `Check that ${ENDPOINT} is the full API URL.`;
      expect(messages).to.deep.equal(['No such route?', 'Not here!', `${'x'.repeat(200)}…`, 'Not found (see the docs.)', 'Not found: "/v1."'].map((text) => `HTTP 404: ${text} ${hint}`));
    });

    // Before, only `.?!…` ended a sentence: a Chinese provider's "请稍后再试。" read "请稍后再试。. Try again in 20 s.".
    it('a hint after a text that ends with another script’s sentence end (。！？ ؟ ।, in 」 or “) takes no full stop after it', async () => {
      const bodies = ['找不到该路径。', 'ありません！', '路径不存在？', 'المسار غير موجود؟', 'मार्ग नहीं मिला।', '见「文档。」', 'Seite „nicht gefunden.“'];
      const messages = [];
      for (const body of bodies) {
        const fetch = fakeFetch({ status: 404, headers: { 'content-type': 'text/plain' }, body });
        messages.push((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message);
      }
      expect(messages).to.deep.equal(bodies.map((text) => `HTTP 404: ${text} Check that ${ENDPOINT} is the full API URL.`));
      const busy = await failure(fetchText(ENDPOINT, { retries: 0, fetch: fakeFetch(httpFailure(429, '请求过于频繁，请稍后再试。', { 'retry-after': '20' })) }));
      expect(busy.message).to.equal('HTTP 429: 请求过于频繁，请稍后再试。 Try again in 20 s.');
    });

    it('an XML API error (S3-style <Error><Message>) keeps its words', async () => {
      const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
      const fetch = fakeFetch({ status: 503, headers: { 'content-type': 'application/xml' }, body });
      expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message).to.equal('HTTP 503: SlowDown Please reduce your request rate.');
    });

    it('an XML API error’s entities are its characters, as text: `a &amp; b &lt;c&gt;` says `a & b <c>`', async () => {
      const fetch = fakeFetch({ status: 502, headers: { 'content-type': 'application/xml' }, body: '<Error><Message>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &amp;lt;</Message></Error>' });
      expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message).to.equal('HTTP 502: a & b <c> "d" \'e\' &lt;');
    });

    it('an XML API error’s numeric character references are their characters too; one out of Unicode, or 0, stays as written', async () => {
      const body = '<Error><Message>a &#60; b, caf&#233;, it&#x2019;s &#X41; &#x0; &#x110000; &#38;lt;</Message></Error>';
      const fetch = fakeFetch({ status: 502, headers: { 'content-type': 'application/xml' }, body });
      expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message).to.equal('HTTP 502: a < b, café, it’s &#X41; &#x0; &#x110000; &lt;');
    });

    it('an error body that keeps sending is read to 64 K characters, then cancelled; a body cut inside a character ends in U+FFFD', async () => {
      const piece = new TextEncoder().encode('x'.repeat(65536));
      let sent = 0;
      let cancelled = false;
      // (Ends after 8 MiB, so that the code before stopped too: it read the whole body, to V8's string limit had it never ended.)
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent < 128 * piece.length) controller.enqueue(piece);
          else controller.close();
          sent += piece.length;
        },
        cancel: () => void (cancelled = true),
      });
      let fetch = async () => new Response(stream, { status: 500, headers: { 'content-type': 'text/plain' } });
      const error = await failure(fetchText(ENDPOINT, { retries: 0, timeout: 0, fetch }));
      expect([error.message, cancelled, sent <= 3 * piece.length]).to.deep.equal([`HTTP 500: ${'x'.repeat(200)}…`, true, true]);
      const body = new TestBody('Bad byte: ', new Uint8Array([0xc3]));
      body.end();
      fetch = async () => new Response(body.stream, { status: 500, headers: { 'content-type': 'text/plain' } });
      expect((await failure(fetchText(ENDPOINT, { retries: 0, timeout: 0, fetch }))).message).to.equal('HTTP 500: Bad byte: \ufffd');
    });

    it('a plain-text body that opens with a bracketed word keeps it', async () => {
      for (const body of ['<unknown>', '<3 limits exceeded']) {
        const fetch = fakeFetch({ status: 500, headers: { 'content-type': 'text/plain' }, body });
        expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message, body).to.equal(`HTTP 500: ${body}`);
      }
    });

    it('over HTTP/2, which has no reason phrase (every real provider’s), the status is said alone', async () => {
      const fetch = fakeFetch({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>Bad Gateway</h1></body></html>' });
      expect((await failure(fetchText(ENDPOINT, { retries: 0, fetch }))).message).to.equal('HTTP 502');
    });

    it('an empty error body gives the status and its text', async () => {
      const endpoint = await mockEndpoint({ status: 500, headers: { 'content-type': null } });
      const error = await failure(fetchText(endpoint.url, { retries: 0 }));
      expect(error.kind).to.equal('http');
      expect(error.status).to.equal(500);
      expect(error.message).to.equal('HTTP 500 Internal Server Error');
    });

    it('a plain-text error body is quoted in the message', async () => {
      const endpoint = await mockEndpoint({ status: 400, headers: { 'content-type': 'text/plain' }, steps: [{ write: 'model is required\n' }] });
      const error = await failure(fetchText(endpoint.url, { retries: 0 }));
      expect(error.message).to.equal('HTTP 400 Bad Request: model is required');
    });

    it('a FastAPI {"detail": …} body gives its detail', async () => {
      const endpoint = await mockEndpoint({
        status: 422,
        headers: { 'content-type': 'application/json' },
        steps: [{ write: '{"detail":"Field required: messages"}' }],
      });
      const error = await failure(fetchText(endpoint.url));
      expect(error.message).to.equal('HTTP 422 Unprocessable Entity: Field required: messages');
    });

    it('Retry-After is kept on the error', async () => {
      const endpoint = await mockEndpoint(httpError(429, 'slow down', { 'retry-after': '7' }));
      const error = await failure(fetchText(endpoint.url, { retries: 0 }));
      expect(error.retryAfter).to.equal(7);
    });
  });

  it('the request’s id is kept on the error, what a provider’s support asks for: the body’s (Anthropic’s request_id), else a request-id or x-request-id header’s', async () => {
    const overloaded = await mockEndpoint({
      status: 529,
      headers: { 'content-type': 'application/json', 'request-id': 'req_header' },
      steps: [{ write: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_body"}' }],
    });
    expect((await failure(fetchText(overloaded.url, { retries: 0 }))).requestId).to.equal('req_body');
    const openai = await mockEndpoint(httpError(500, 'boom', { 'x-request-id': 'req_openai' }));
    expect((await failure(fetchText(openai.url, { retries: 0 }))).requestId).to.equal('req_openai');
    const none = await mockEndpoint(httpError(500, 'boom'));
    expect(await failure(fetchText(none.url, { retries: 0 }))).to.not.have.property('requestId');
    // An error in the stream: the id of the response it came in.
    const fetch = fakeFetch({ headers: { 'request-id': 'req_stream' }, body: 'data: …' });
    const broke = await failure(fetchWithRetries(request(ENDPOINT), { fetch }, () => Promise.reject(new StreamChatError('provider', 'Overloaded')), () => true));
    expect([broke.message, broke.requestId]).to.deep.equal(['Overloaded', 'req_stream']);
  });

  describe('retries', () => {
    it('503 with Retry-After: 0, then success: retried at once', async () => {
      // A backoff of seconds would show in the delays if Retry-After were ignored.
      const fetch = fakeFetch(httpFailure(503, 'busy', { 'retry-after': '0' }), ok);
      const { clock, result } = retrying(fetch, { retryDelay: 4000 });
      expect(await clock.runUntilSettled(result)).to.equal('ok');
      expect(clock.delays).to.deep.equal([0]);
      expect(fetch.requests).to.have.length(2);
    });

    it('429 with retry-after-ms waits that long, then retries', async () => {
      const fetch = fakeFetch(httpFailure(429, 'slow down', { 'retry-after-ms': '300' }), ok);
      const { clock, result } = retrying(fetch, { retryDelay: 4000 });
      await waitUntil(() => clock.pending.length > 0, 'the wait before the retry');
      expect(clock.pending).to.deep.equal([300]);
      clock.advance(299);
      expect(clock.pending, 'still waiting after 299 ms').to.deep.equal([300]);
      clock.advance(1);
      expect(clock.pending).to.deep.equal([]);
      expect(await result).to.equal('ok');
      expect(fetch.requests).to.have.length(2);
    });

    it('without Retry-After, waits back off exponentially from retryDelay, with jitter between half and all of it', async () => {
      const jitter = [0, 0.5];
      const fetch = fakeFetch(httpFailure(500, 'a'), httpFailure(500, 'b'), ok);
      const { clock, result } = retrying(fetch, { random: () => jitter.shift() ?? 0 });
      expect(await clock.runUntilSettled(result)).to.equal('ok');
      // 500 ms × 2^attempt × (0.5 + random / 2)
      expect(clock.delays).to.deep.equal([250, 750]);
    });

    it('a retryDelay that is not a number (NaN, "2s") or is negative is the default, 500 ms: before, no wait at all', async () => {
      // (A negative one is no wait anyone means: it retried at once, at a server that had just failed.)
      for (const retryDelay of [NaN, '2s' as never, -1000, -Infinity]) {
        const fetch = fakeFetch(httpFailure(500, 'a'), ok);
        const { clock, result } = retrying(fetch, { retryDelay, random: () => 1 });
        expect(await clock.runUntilSettled(result)).to.equal('ok');
        expect(clock.delays, String(retryDelay)).to.deep.equal([500]);
      }
    });

    it('a wait grows to 60 s at most, the longest Retry-After honoured: many retries do not wait for minutes', async () => {
      const fetch = fakeFetch(...Array.from({ length: 10 }, () => httpFailure(503, 'busy')), ok);
      const { clock, result } = retrying(fetch, { retries: 10, random: () => 1 });
      expect(await clock.runUntilSettled(result)).to.equal('ok');
      // Before, 64 s, 128 s and 256 s at the end (and past 2^31 ms, a timer that fires at once).
      expect(clock.delays).to.deep.equal([500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    });

    it('a retryDelay longer than a timer can wait (Infinity too) waits the longest a timer can: before, its timer ran at once, a retry at once', async () => {
      for (const retryDelay of [3e9, Infinity]) {
        const fetch = fakeFetch(httpFailure(503, 'busy'), ok);
        const { clock, result } = retrying(fetch, { retryDelay, random: () => 1 });
        expect(await clock.runUntilSettled(result)).to.equal('ok');
        expect(clock.delays, String(retryDelay)).to.deep.equal([2 ** 31 - 1]);
      }
      // A server's wait that long (in retry-after-ms too) is not waited for at all: over 60 s, one error.
      const fetch = fakeFetch(httpFailure(429, 'later', { 'retry-after-ms': '1e12' }), ok);
      const { clock, result } = retrying(fetch);
      expect((await rejectionOf(result)) as StreamChatError).to.deep.include({ status: 429, retryAfter: 1e9 });
      expect([clock.delays, fetch.requests.length]).to.deep.equal([[], 1]);
    });

    it('the same request body is sent on every attempt', async () => {
      const fetch = fakeFetch(httpFailure(503, 'busy'), ok);
      const { clock, result } = retrying(fetch);
      await clock.runUntilSettled(result);
      const [first, second] = fetch.requests;
      expect(second?.init.body).to.equal(first?.init.body);
    });

    it('408, 409, 429 and 5xx are retried; a 400 is not', async () => {
      for (const status of [408, 409, 429, 502]) {
        const { clock, result } = retrying(fakeFetch(httpFailure(status, 'again'), ok));
        expect(await clock.runUntilSettled(result), `HTTP ${status}`).to.equal('ok');
      }
      const fetch = fakeFetch(httpFailure(400, 'bad'), ok);
      const { clock, result } = retrying(fetch);
      expect((await failure(clock.runUntilSettled(result))).status).to.equal(400);
      expect(fetch.requests).to.have.length(1);
    });

    it('a 429 that waiting cannot mend is not retried: no credit left, or one request over the limit per minute', async () => {
      const failures: FakeResponse[] = [
        // OpenAI's, for an account with no credit: it fails the same way until someone pays.
        { status: 429, body: JSON.stringify({ error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', code: 'insufficient_quota' } }) },
        // Moonshot's (Kimi), for an account whose balance ran out.
        { status: 429, body: JSON.stringify({ error: { message: 'Your account org-x is suspended due to insufficient balance, please recharge your account or check your plan and billing details', type: 'exceeded_current_quota_error' } }) },
        // Zhipu's (bigmodel.cn in Chinese, z.ai in English), its code alone saying so.
        { status: 429, body: JSON.stringify({ error: { code: '1113', message: '余额不足或无可用资源包,请充值。' } }) },
        { status: 429, body: JSON.stringify({ error: { code: '1113', message: 'Insufficient balance or no resource package. Please recharge.' } }) },
        // OpenAI's and Groq's, for one request larger than the limit per minute: never less than it.
        {
          status: 429,
          body: JSON.stringify({
            error: { message: 'Request too large for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Requested 36655.', type: 'tokens', code: 'rate_limit_exceeded' },
          }),
        },
      ];
      for (const answer of failures) {
        const fetch = fakeFetch(answer, ok);
        const { clock, result } = retrying(fetch);
        expect((await failure(clock.runUntilSettled(result))).status).to.equal(429);
        expect(fetch.requests, String(answer.body)).to.have.length(1);
      }
      // A rate limit that passes is still waited out.
      const limit = retrying(fakeFetch(httpFailure(429, 'Rate limit reached for gpt-4o on requests per min (RPM): Limit 3, Used 3, Requested 1.'), ok));
      expect(await limit.clock.runUntilSettled(limit.result)).to.equal('ok');
    });

    it('no balance left is not retried either where it comes as a server error or a rate limit: MiniMax’s insufficient balance (1008)', async () => {
      const failures: FakeResponse[] = [
        // MiniMax's Anthropic endpoint, as MiniMax-AI/MiniMax-M2#62 and NousResearch/hermes-agent#16680 quote it (retried there three times).
        { status: 500, body: JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'insufficient balance (1008)' }, request_id: '0599' }) },
        // MiniMax's model on ModelScope's API-Inference (modelscope/modelscope#1691).
        { status: 429, body: JSON.stringify({ error: { http_code: '429', message: 'insufficient balance (1008)', type: 'insufficient_balance_error' }, request_id: 'x' }) },
      ];
      for (const answer of failures) {
        const fetch = fakeFetch(answer, ok);
        const { clock, result } = retrying(fetch);
        expect((await failure(clock.runUntilSettled(result))).status).to.equal(answer.status);
        expect(fetch.requests, String(answer.body)).to.have.length(1);
      }
    });

    it('an error the stream sent before anything arrived is tried again by its code: Zhipu’s network_error finish, OpenAI’s too_many_requests and service_unavailable_error', async () => {
      for (const code of ['network_error', 'too_many_requests', 'service_unavailable_error', 'invalid_request_error']) {
        const fetch = fakeFetch({ body: 'data: …' }, ok);
        const clock = new FakeClock();
        let attempts = 0;
        const read = (attempt: Attempt) => (attempts++ ? readText(attempt) : Promise.reject(new StreamChatError('provider', 'Failed.', { code })));
        const result = fetchWithRetries(request(ENDPOINT), { fetch, clock, timeout: 0 }, read, () => false);
        if (code === 'invalid_request_error') expect((await failure(clock.runUntilSettled(result))).code, 'a request refused is not').to.equal(code);
        else expect(await clock.runUntilSettled(result), code).to.equal('ok');
      }
    });

    it('a network failure before the response is retried', async () => {
      const fetch = fakeFetch({ error: new TypeError('Failed to fetch') }, ok);
      const { clock, result } = retrying(fetch);
      expect(await clock.runUntilSettled(result)).to.equal('ok');
      expect(clock.delays).to.deep.equal([375]);
    });

    it('retries default to 2: three requests, then the last error', async () => {
      const fetch = fakeFetch(httpFailure(503, 'still busy', { 'retry-after': '0' }));
      const { clock, result } = retrying(fetch, { retries: undefined });
      const error = await failure(clock.runUntilSettled(result));
      expect(error.status).to.equal(503);
      expect(error.message).to.contain('still busy');
      expect(fetch.requests).to.have.length(3);
    });

    it('retries that is not a number (an attribute such as "3x", or blank) is the default, 2: a 503 with Retry-After: 0 is not retried for ever', async () => {
      for (const retries of [NaN, '', ' ']) {
        const fetch = fakeFetch(httpFailure(503, 'busy', { 'retry-after': '0' }));
        const { clock, result } = retrying(fetch, { retries: retries as number });
        expect((await failure(clock.runUntilSettled(result))).status).to.equal(503);
        expect(fetch.requests, JSON.stringify(retries)).to.have.length(3);
      }
    });

    it('retries: 0 makes one request, and so does a negative count', async () => {
      for (const retries of [0, -1, -Infinity]) {
        const fetch = fakeFetch(httpFailure(503, 'busy', { 'retry-after': '0' }), ok);
        const { clock, result } = retrying(fetch, { retries });
        expect((await failure(clock.runUntilSettled(result))).status).to.equal(503);
        expect(fetch.requests, String(retries)).to.have.length(1);
      }
    });

    it('a Retry-After of up to a minute is waited; a longer one is not retried: the user decides', async () => {
      const minute = retrying(fakeFetch(httpFailure(429, 'quota', { 'retry-after': '60' }), ok));
      expect(await minute.clock.runUntilSettled(minute.result)).to.equal('ok');
      expect(minute.clock.delays).to.deep.equal([60_000]);

      const fetch = fakeFetch(httpFailure(429, 'quota', { 'retry-after': '120' }), ok);
      const { clock, result } = retrying(fetch);
      const error = await failure(clock.runUntilSettled(result));
      expect(error.status).to.equal(429);
      expect(error.retryAfter).to.equal(120);
      expect(fetch.requests).to.have.length(1);
      expect(clock.delays).to.deep.equal([]);
    });

    // Before, an out-of-credit 429 with a Retry-After said "Try again in 20 s.": the user waited,
    // pressed Retry, and got the same error, which no wait mends.
    it('a 429 that waiting cannot mend says no wait, whatever its Retry-After: `retryAfter` keeps it', async () => {
      const quota = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', code: 'insufficient_quota' } };
      const zhipu = { error: { code: '1113', message: 'Insufficient balance or no resource package. Please recharge.' } };
      for (const [body, after] of [[quota, '20'], [quota, '120'], [zhipu, '20']] as const) {
        const fetch = fakeFetch({ status: 429, headers: { 'retry-after': after }, body: JSON.stringify(body) });
        const error = await failure(fetchText(ENDPOINT, { fetch }));
        expect(error.message, after).to.equal(`HTTP 429: ${body.error.message}`);
        expect(error.retryAfter).to.equal(Number(after));
      }
    });

    // Before, any wait over 60 s was said in minutes rounded up: 61 s said "2 min", twice the wait.
    it('a wait longer than the element’s says how long: in seconds under 2 min, else in minutes (rounded up)', async () => {
      const soon = new Date(Date.now() + 150_000).toUTCString();
      for (const [after, says] of [['61', '61 s'], ['119', '119 s'], ['119.5', '2 min'], ['120', '2 min'], ['121', '3 min'], ['3600', '60 min'], ['86400', '1440 min'], [soon, '3 min']] as const) {
        const fetch = fakeFetch(httpFailure(429, 'Rate limit reached', { 'retry-after': after }));
        expect((await failure(fetchText(ENDPOINT, { fetch }))).message, after).to.equal(`HTTP 429: Rate limit reached. Try again in ${says}.`);
      }
      // Its own full stop, once; a wait that is waited, none.
      const busy = await failure(fetchText(ENDPOINT, { fetch: fakeFetch(httpFailure(503, 'Overloaded.', { 'retry-after': '120' })) }));
      expect(busy.message).to.equal('HTTP 503: Overloaded. Try again in 2 min.');
    });

    // Before, a wait of a minute or less said nothing once the retries were spent ("HTTP 429: slow
    // down"): the user saw the error with nothing about when Retry would do.
    it('a wait of a minute or less, once the retries are spent, says how long too, in seconds (rounded up)', async () => {
      const fetch = fakeFetch(httpFailure(429, 'Rate limit reached', { 'retry-after': '20' }));
      const { clock, result } = retrying(fetch);
      const error = await failure(clock.runUntilSettled(result));
      expect(clock.delays, 'waited, as before').to.deep.equal([20_000, 20_000]);
      expect(error.message).to.equal('HTTP 429: Rate limit reached. Try again in 20 s.');
      for (const [headers, says] of [
        [{ 'retry-after': '60' }, 'HTTP 429: slow down. Try again in 60 s.'],
        [{ 'retry-after-ms': '1200' }, 'HTTP 429: slow down. Try again in 2 s.'],
        // Now is no wait to say.
        [{ 'retry-after': '0' }, 'HTTP 429: slow down'],
      ] as [Record<string, string>, string][]) {
        const short = await failure(fetchText(ENDPOINT, { retries: 0, fetch: fakeFetch(httpFailure(429, 'slow down', headers)) }));
        expect(short.message, JSON.stringify(headers)).to.equal(says);
      }
    });

    it('a wait past a day is not said ("Try again in 1.67e+295 min."): `retryAfter` keeps it', async () => {
      for (const headers of [{ 'retry-after-ms': '1e300' }, { 'retry-after': '86401' }, { 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' }] as Record<string, string>[]) {
        const error = await failure(fetchText(ENDPOINT, { fetch: fakeFetch(httpFailure(429, 'Rate limit reached', headers)) }));
        expect(error.message, JSON.stringify(headers)).to.equal('HTTP 429: Rate limit reached');
        expect(error.retryAfter).to.be.greaterThan(86400);
      }
    });

    it('an abort during the wait before a retry rejects at once, with no new request', async () => {
      const fetch = fakeFetch(httpFailure(503, 'busy', { 'retry-after': '5' }), ok);
      const controller = new AbortController();
      const { clock, result } = retrying(fetch, { signal: controller.signal });
      await waitUntil(() => clock.pending.includes(5000), 'the wait before the retry');
      controller.abort();
      expect(await rejectionOf(result)).to.equal(controller.signal.reason);
      expect(clock.now(), 'the clock did not move').to.equal(0);
      expect(fetch.requests).to.have.length(1);
    });

    it('a connection cut before the headers is retried', async () => {
      const endpoint = await mockEndpoint([{ hangUp: true }, streamingReply(['reconnected'])]);
      const clock = new FakeClock();
      const text = await clock.runUntilSettled(fetchText(endpoint.url, { clock, timeout: 0 }));
      expect(text).to.contain('reconnected');
      expect((await endpoint.settled()).map((r) => r.state)).to.deep.equal(['destroyed', 'completed']);
    });
  });

  it('connection refused is a network error that names the URL', async () => {
    const url = await refusedUrl();
    const error = await failure(fetchText(url, { retries: 0 }));
    expect(error.kind).to.equal('network');
    expect(error.message).to.contain(url);
  });

  it('a fetch that fails while the browser is offline says so, not "down, or blocked by CORS?"', async () => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const error = await failure(fetchText(ENDPOINT, { retries: 0, fetch: () => Promise.reject(new TypeError('Failed to fetch')) }));
      expect([error.kind, error.message]).to.deep.equal(['network', `Could not reach ${ENDPOINT} (this device is offline): Failed to fetch`]);
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
    }
    expect(navigator.onLine).to.equal(true);
  });

  it('while the browser is offline a failed fetch is not retried (one error, at once); back online, it is again', async () => {
    const offline = fakeFetch({ error: new TypeError('Failed to fetch') });
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const { clock, result } = retrying(offline);
      const error = await clock.runUntilSettled(rejectionOf(result));
      expect([(error as StreamChatError).kind, offline.requests.length, clock.now()]).to.deep.equal(['network', 1, 0]);
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
    }
    const back = fakeFetch({ error: new TypeError('Failed to fetch') }, ok);
    const { clock, result } = retrying(back);
    expect(await clock.runUntilSettled(result)).to.equal('ok');
    expect(back.requests).to.have.length(2);
  });

  it('a connection that drops mid-body while the browser is offline says so too', async () => {
    // (A body the test breaks: WebKitGTK reads a cut connection's body to an end, with no error.)
    const body = new TestBody(chunkEvent({ content: 'Hel' }));
    const seen: string[] = [];
    const read = (attempt: Attempt) => readEvents(attempt, (event) => (seen.push(event.data), false));
    const result = fetchWithRetries(request(ENDPOINT), { timeout: 0, fetch: fakeFetch({ body }) }, read, () => seen.length > 0);
    await waitUntil(() => seen.length === 1, 'the first event');
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      body.fail(new TypeError('network error'));
      const error = await failure(result);
      expect([error.kind, error.message]).to.deep.equal(['network', 'The connection broke mid-response (this device is offline): network error']);
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
    }
  });

  it('offline, a relative endpoint is where the document base URL (<base href>) puts it, not the page’s location', async () => {
    const base = document.head.appendChild(Object.assign(document.createElement('base'), { href: 'https://api.example.test/' }));
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const error = await failure(fetchText('v1/chat', { retries: 0, fetch: () => Promise.reject(new TypeError('Failed to fetch')) }));
      expect(error.message).to.equal('Could not reach v1/chat (this device is offline): Failed to fetch');
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
      base.remove();
    }
  });

  it('offline, a loopback endpoint that cannot be reached (a local server not started) is not said to be offline: it needs no network', async () => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const url = await refusedUrl();
      const error = await failure(fetchText(url, { retries: 0 }));
      expect(error.message).to.equal(`Could not reach ${url} (down, or blocked by CORS?): ${(error.cause as Error).message}`);
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
    }
  });

  it('offline, a failed fetch to a loopback endpoint (localhost, *.localhost, 127.x.x.x, [::1], or relative on such a page; also written `localhost.`, 0.0.0.0, [::], [::ffff:127.x.x.x]) is retried', async () => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const urls = ['http://localhost:11434/v1/chat/completions', 'http://ollama.localhost/v1', 'http://127.0.0.2:8080/v1', 'http://[::1]:8080/v1', '/v1/chat/completions'];
      // Before, these were said to be offline, not retried.
      urls.push('http://localhost.:11434/v1', 'http://0.0.0.0:11434/v1', 'http://[::]:8080/v1', 'http://[::ffff:127.0.0.1]:8080/v1', 'http://[::ffff:7f01:203]/v1');
      expect(location.hostname).to.match(/^(localhost|127\.0\.0\.1)$/);
      const retried = [];
      for (const url of urls) {
        const fetch = fakeFetch({ error: new TypeError('Failed to fetch') }, ok);
        const clock = new FakeClock();
        retried.push([url, await clock.runUntilSettled(fetchText(url, { fetch, clock, timeout: 0 })), fetch.requests.length]);
      }
      expect(retried).to.deep.equal(urls.map((url) => [url, 'ok', 2]));
      for (const url of ['http://localhost.example.test/v1', 'http://[::ffff:8.8.8.8]/v1']) {
        const away = fakeFetch({ error: new TypeError('Failed to fetch') }, ok);
        const error = await failure(fetchText(url, { fetch: away }));
        expect([error.message, away.requests.length]).to.deep.equal([`Could not reach ${url} (this device is offline): Failed to fetch`, 1]);
      }
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
    }
  });

  describe('stall timeout', () => {
    /** The real fetch, keeping each request's signal so a test sees the moment it aborts. */
    function fetchKeepingSignals(signals: AbortSignal[]): typeof fetch {
      return (input, init) => {
        if (init?.signal) signals.push(init.signal);
        return fetch(input, init);
      };
    }

    it('no bytes for the timeout is kind timeout, and the request is aborted on the wire', async () => {
      const endpoint = await mockEndpoint({
        steps: [{ write: chunkEvent({ content: 'first' }) }, { delay: 2000 }, { write: chunkEvent({ content: 'too late' }) }],
      });
      const clock = new FakeClock();
      const signals: AbortSignal[] = [];
      const seen: string[] = [];
      const read = (attempt: Attempt) =>
        readEvents(attempt, (event) => {
          seen.push(event.data);
          return false;
        });
      const result = fetchWithRetries(request(endpoint.url), { clock, timeout: 300, fetch: fetchKeepingSignals(signals) }, read, () => seen.length > 0);
      await waitUntil(() => seen.length === 1, 'the first event');
      clock.advance(299);
      expect(signals[0]?.aborted, 'aborted before the timeout').to.equal(false);
      clock.advance(1);
      expect(signals[0]?.aborted, 'aborted at the timeout').to.equal(true);
      const error = await failure(result);
      expect(error.kind).to.equal('timeout');
      expect(error.message).to.contain('0.3 s');
      expect(seen).to.deep.equal([JSON.stringify(chunk({ content: 'first' }))]);
      const [recorded] = await endpoint.settled();
      expect(recorded?.aborted).to.equal(true);
    });

    it('a stall timeout under a tenth of a second is said as it is: before, "No data arrived for 0 s"', async () => {
      const fetch = fakeFetch({ body: new TestBody() });
      const clock = new FakeClock();
      const result = fetchText(ENDPOINT, { fetch, clock, timeout: 40 });
      await waitUntil(() => fetch.requests.length === 1, 'the request');
      clock.advance(40);
      expect((await failure(result)).message).to.equal('No data arrived for 0.04 s; the response was stopped.');
    });

    it('a server that does not send its headers in time is kind timeout', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 2000, steps: streamingReply(['late']).steps });
      const clock = new FakeClock();
      const signals: AbortSignal[] = [];
      const result = fetchText(endpoint.url, { clock, timeout: 300, fetch: fetchKeepingSignals(signals) });
      await waitUntil(async () => (await endpoint.requests()).length === 1, 'the request at the server');
      clock.advance(300);
      expect((await failure(result)).kind).to.equal('timeout');
      expect((await endpoint.settled()).map((r) => r.aborted)).to.deep.equal([true]);
    });

    it('an error status whose body stalls is the status: an http error, retried by its status, not a timeout', async () => {
      const stalled = () => ({ status: 503, headers: { 'content-type': 'application/json' }, body: new TestBody('{"error": {"mess') });
      const fetch = fakeFetch(stalled(), stalled());
      const clock = new FakeClock();
      const result = fetchText(ENDPOINT, { fetch, clock, timeout: 300, retries: 1, random: () => 0.5 });
      await clock.runUntilSettled(result.catch(() => {}));
      const error = await failure(result);
      // Before, "No data arrived for 0.3 s", without the status, and not retried.
      expect([error.kind, error.status, error.message]).to.deep.equal(['http', 503, 'HTTP 503']);
      expect(fetch.requests, 'retried, as a 503 is').to.have.length(2);
    });

    it('an error status whose body stays open, with a fetch that ignores the signal: a stall is the status, a stop its reason, the body cancelled, not a wait for ever', async () => {
      const open = (body: TestBody) => async () => new Response(body.stream, { status: 500, headers: { 'content-type': 'text/plain' } });
      // Before, neither settled: the error body was read whole, and nothing but the fetch's own abort ended it.
      let body = new TestBody('Internal');
      const clock = new FakeClock();
      const stalled = fetchText(ENDPOINT, { fetch: open(body), clock, timeout: 300, retries: 0 });
      await waitUntil(() => clock.pending.length === 1, 'the stall timer');
      clock.advance(300);
      const error = await failure(stalled);
      expect([error.kind, error.status, error.message, body.cancelled]).to.deep.equal(['http', 500, 'HTTP 500', true]);
      body = new TestBody('Internal');
      const controller = new AbortController();
      const reason = new Error('navigated away');
      const stopped = fetchText(ENDPOINT, { fetch: open(body), timeout: 0, retries: 0, signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort(reason);
      expect([await rejectionOf(stopped), body.cancelled]).to.deep.equal([reason, true]);
    });

    it('a page frozen past the timeout reads what came meanwhile first: a stall check a second late or more waits a second, once', async () => {
      const body = new TestBody(chunkEvent({ content: 'first' }));
      const clock = new FakeClock();
      const seen: string[] = [];
      const read = (attempt: Attempt) => readEvents(attempt, (event) => (seen.push(event.data), false));
      const result = fetchWithRetries(request(ENDPOINT), { clock, timeout: 300, fetch: fakeFetch({ body }) }, read, () => seen.length > 0);
      await waitUntil(() => seen.length === 1, 'the first event');
      // Frozen for 3 s (a tab in the background, a laptop asleep): the rest came meanwhile, and the
      // stall check runs as the page resumes, before the reads. Before, "No data arrived for 0.3 s".
      clock.suspend(3000);
      body.write(chunkEvent({ content: 'second' }));
      clock.advance(0);
      await waitUntil(() => seen.length === 2, 'the event that came while the page was frozen');
      body.end();
      await result;
    });

    it('a page frozen past the timeout with nothing come meanwhile fails a second after it resumes; frozen again, at once', async () => {
      const body = new TestBody(chunkEvent({ content: 'first' }));
      const clock = new FakeClock();
      let reads = 0;
      const read = (attempt: Attempt) => readEvents(attempt, () => (reads++, false));
      const result = fetchWithRetries(request(ENDPOINT), { clock, timeout: 300, fetch: fakeFetch({ body }) }, read, () => reads > 0);
      let settled = false;
      const failed = failure(result.finally(() => (settled = true)));
      await waitUntil(() => reads === 1, 'the first event');
      clock.suspend(3000);
      clock.advance(999);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled, 'a second for the reads').to.equal(false);
      clock.advance(1);
      expect((await failed).kind).to.equal('timeout');
      // Once: a page frozen again in that second (a background tab's timers run a minute late) fails as it resumes.
      const again = new TestBody(chunkEvent({ content: 'first' }));
      const clock2 = new FakeClock();
      let reads2 = 0;
      const result2 = fetchWithRetries(request(ENDPOINT), { clock: clock2, timeout: 300, fetch: fakeFetch({ body: again }) }, (attempt) => readEvents(attempt, () => (reads2++, false)), () => reads2 > 0);
      const failed2 = failure(result2);
      await waitUntil(() => reads2 === 1, 'the first event');
      clock2.suspend(3000);
      clock2.advance(0);
      clock2.suspend(60_000);
      clock2.advance(0);
      expect((await failed2).kind).to.equal('timeout');
    });

    it('keep-alive comments more often than the timeout keep a slow stream alive', async () => {
      const body = new TestBody(chunkEvent({ role: 'assistant', content: '' }));
      const fetch = fakeFetch({ body });
      const clock = new FakeClock();
      let reads = 0;
      let content = '';
      // Counts the reads through the attempt's touch(), so the test moves the clock only after each one.
      const read = (attempt: Attempt) => {
        const touch = () => {
          attempt.touch();
          reads++;
        };
        return readEvents({ ...attempt, touch }, (event) => {
          content += event.data;
          return false;
        });
      };
      const result = fetchWithRetries(request(ENDPOINT), { fetch, clock, timeout: 300 }, read, () => false);
      await waitUntil(() => reads === 1, 'the first read');
      for (let n = 2; n <= 9; n++) {
        clock.advance(200);
        body.write(': keep-alive\n\n');
        await waitUntil(() => reads === n, `keep-alive ${n - 1} read`);
      }
      expect(clock.now(), 'far longer than the timeout in all').to.equal(1600);
      body.write('data: worth the wait\n\n');
      body.end();
      await result;
      expect(content).to.contain('worth the wait');
      expect(fetch.requests[0]?.init.signal?.aborted).to.equal(false);
    });

    it('a timeout that is not a number (an attribute such as "300ms") is the default, 120 s, not none', async () => {
      const fetch = fakeFetch({ body: new TestBody() });
      const clock = new FakeClock();
      const result = fetchText(ENDPOINT, { fetch, clock, timeout: NaN });
      await waitUntil(() => fetch.requests.length === 1, 'the request');
      expect(clock.delays).to.deep.equal([120_000]);
      clock.advance(120_000);
      expect((await failure(result)).kind).to.equal('timeout');
    });

    it('timeout: 0 disables it', async () => {
      const body = new TestBody();
      const fetch = fakeFetch({ body });
      const clock = new FakeClock();
      const result = fetchText(ENDPOINT, { fetch, clock, timeout: 0 });
      await waitUntil(() => fetch.requests.length === 1, 'the request');
      expect(clock.delays, 'no stall timer').to.deep.equal([]);
      clock.advance(10 * 60_000);
      body.write('slow');
      body.end();
      expect(await result).to.equal('slow');
    });
  });

  describe('abort', () => {
    it('before the first byte: rejects with the signal reason; the server sees the abort', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 3000, steps: streamingReply(['never']).steps });
      const controller = new AbortController();
      const result = fetchText(endpoint.url, { signal: controller.signal });
      await waitUntil(async () => (await endpoint.requests()).length === 1, 'the request at the server');
      controller.abort();
      const error = await rejectionOf(result);
      expect(error).to.equal(controller.signal.reason);
      expect((error as DOMException).name).to.equal('AbortError');
      expect((await endpoint.settled()).map((r) => r.aborted)).to.deep.equal([true]);
    });

    it('rejects with a custom abort reason as given', async () => {
      const endpoint = await mockEndpoint({ headersDelay: 3000 });
      const controller = new AbortController();
      const reason = new Error('user left');
      const result = fetchText(endpoint.url, { signal: controller.signal });
      await waitUntil(async () => (await endpoint.requests()).length === 1, 'the request at the server');
      controller.abort(reason);
      expect(await rejectionOf(result)).to.equal(reason);
    });

    it('an already aborted signal rejects without a request', async () => {
      const endpoint = await mockEndpoint(streamingReply(['never']));
      const error = await rejectionOf(fetchText(endpoint.url, { signal: AbortSignal.abort() }));
      expect((error as DOMException).name).to.equal('AbortError');
      expect(await endpoint.requests()).to.have.length(0);
    });
  });

  describe('endpoint', () => {
    const noFetch: typeof fetch = () => Promise.reject(new Error('fetch must not be called'));

    it('an empty endpoint is a clear error without a request', async () => {
      // The option's name, which the element's attribute shares: before, "give <stream-chat> an
      // endpoint (the chat-completions URL)", to a headless conversation speaking Claude's API too.
      const message = "No endpoint is set: set `endpoint` to the API's full URL.";
      expect((await failure(fetchText('', { fetch: noFetch }))).message).to.equal(message);
      expect((await failure(fetchText('   ', { fetch: noFetch }))).message).to.equal(message);
    });

    it('an endpoint without its http:// (localhost:11434/v1/…, api.openai.com/v1/…) is a clear error, without a request; a relative one is the page’s', async () => {
      // Or a host name without it, which was a path relative to the page: POSTed, key and all, to
      // the page's own origin, and a 404 that told the user to check the URL they had written.
      const hosts = ['api.openai.com/v1/chat/completions', 'openrouter.ai/api/v1/chat/completions', 'API.DeepSeek.com/chat/completions', 'my-proxy.example.co.uk/v1/'];
      // An IPv4 address or localhost without a port (found in review: they were the page's paths).
      hosts.push('192.168.1.10/v1/chat/completions', 'localhost/v1/chat/completions');
      // And without a path (before, each was the page's): a name of three labels or more (a page's
      // file has one dot), localhost, an IPv4 address.
      hosts.push('api.openai.com', 'api.openai.com?x', 'API.Anthropic.com#x', 'my-proxy.example.co.uk', 'localhost', 'localhost?x', '127.0.0.1');
      for (const url of ['localhost:11434/v1/chat/completions', '127.0.0.1:8080/v1/chat/completions', '[::1]:11434/v1/chat/completions', ...hosts]) {
        const error = await failure(fetchText(url, { fetch: noFetch }));
        // (Said without its query or fragment, as every error says the endpoint.)
        expect(error.message).to.equal(`The endpoint "${url.replace(/[?#].*/, '')}" has no scheme: write it with its http:// or https://.`);
      }
      // (A port's digits, not a key before the host of an `@` in its path; the browser's fetch too.)
      const port = 'localhost:11434/v1/users/bob@example.com/chat';
      expect((await failure(fetchText(port))).message).to.equal(`The endpoint "${port}" has no scheme: write it with its http:// or https://.`);
      // Relative paths that only look like one: a script's name, a version, a file. (ASP.NET's and
      // ColdFusion's scripts were refused as hosts: found in review.)
      const scripts = ['Chat.asmx/Send', 'handler.ashx/chat', 'Service.svc/chat', 'index.cfm/api/chat'];
      // (`api.json/x` was refused as a host: `json` is no top-level domain.)
      const files = ['chat.php', 'chat.php?x', 'api.json', 'api.json/x', 'api.json?x=/y', 'api.v1.json', 'localhost.php', 'api'];
      // A file's name of two dots, a mock stream a demo serves (found in review: refused as hosts).
      files.push('chat.min.js', 'chat.min.js?x', 'app.bundle.mjs', 'mock.stream.txt', 'chat.sample.sse', 'chat.v2.jsonl', 'stream.sample.ndjson');
      for (const url of ['/v1/chat/completions', 'api/chat', './x', 'v1.0/chat', 'index.php/api', 'chat.cgi/v1', 'app.aspx/chat', ...files, ...scripts]) {
        expect(await fetchText(url, { fetch: fakeFetch(ok) }), url).to.equal('ok');
      }
      // An app's own scheme, or an in-page mock's, with the fetch that speaks it.
      for (const url of ['capacitor://localhost/api/chat', 'mock:chat']) expect(await fetchText(url, { fetch: fakeFetch(ok) })).to.equal('ok');
    });

    it('an endpoint a `/` short after its scheme (`http:/api.host/…`, `http:api.host/…`) is a clear error, without a request: on a page of that scheme, it was a path of the page’s own', async () => {
      // The URL parser reads `http:` then no `//`, on a page of the same scheme, as relative: the
      // request went to the page's own server, key and all, and its 404 said to check the URL.
      const endpoint = await mockEndpoint(streamingReply(['never']));
      const path = new URL(endpoint.url).pathname;
      for (const url of [`${location.protocol}${path}`, `${location.protocol}/api.example.test/v1/chat/completions?key=x`, `${location.protocol.toUpperCase()}api.example.test/v1`]) {
        const error = await failure(fetchWithRetries(request(url), { key: 'sk-SECRET-1234', retries: 0 }, readText, () => false));
        expect([error.kind, error.message], url).to.deep.equal(['network', `The endpoint "${url.replace(/[?#].*/, '')}" is a / short after its scheme: write it with its http:// or https://.`]);
      }
      // (Without a key written before its host.)
      const keyed = await failure(fetchText(`${location.protocol}/user:SECRET-1234@api.example.test/v1`, { fetch: noFetch }));
      expect(keyed.message).to.equal('The endpoint "api.example.test/v1" is a / short after its scheme: write it with its http:// or https://.');
      expect(await endpoint.requests()).to.have.length(0);
      // Written whole, or on a page of the other scheme (whose URL parser reads a host there), it goes.
      expect(await fetchText('https:/api.example.test/v1', { fetch: fakeFetch(ok) })).to.equal('ok');
    });

    it('a key written before its host without `user:` that holds a `/` or `?` (`https://sk-SECRET/1@api.example.com/…`) is refused, without a request and without the key; an `@` in a real URL’s path or query is not', async () => {
      // It parsed as the host `sk-secret`: the key went out in a DNS lookup, and the error said it.
      // (As demo/proxy reads it; one with `user:` fetch refuses itself.)
      for (const [url, shown] of [
        ['https://sk-SECRET/1@api.example.com/v1/chat/completions', 'https://api.example.com/v1/chat/completions'],
        ['https://sk-SECRET?1@api.example.com/v1/chat/completions', 'https://api.example.com/v1/chat/completions'],
        ['http://first.last:123/SECRET@localhost:8080/v1/chat', 'http://localhost:8080/v1/chat'],
        // (Found in review of 7309c3c: a key of digits then a `?` after a user, `user:123?SECRET@…`,
        // went as a query of the host `user`: a `?` after a port is a query's only before no path.)
        ['https://user:123?SECRET@api.example.com/v1/chat/completions', 'https://api.example.com/v1/chat/completions'],
        ['http://first.last:123?SECRET@localhost:8080/v1/chat', 'http://localhost:8080/v1/chat'],
        ['https://SECRET/x@gateway.ai.cloudflare.com/v1/a/b/workers-ai/@cf/meta/llama', 'https://gateway.ai.cloudflare.com/v1/a/b/workers-ai/@cf/meta/llama'],
      ]) {
        const error = await failure(fetchText(url!, { fetch: noFetch }));
        expect([error.kind, error.message], url).to.deep.equal(['network', `The endpoint "${shown}" has a key before its host, taken for the host: set it as \`key\` (an \`@\` of the path is written %40).`]);
      }
      for (const url of [
        'https://api.example.com/v1/users/bob@example.com/chat',
        'https://gateway.ai.cloudflare.com/v1/a/b/workers-ai/@cf/meta/llama',
        'http://gateway/v1/workers-ai/@cf/meta',
        'http://localhost:8080/v1/chat?user=a@b.example.com',
        'https://h.example.com/v1/chat?email=a@b.example.com',
      ]) {
        expect(await fetchText(url, { fetch: fakeFetch(ok) }), url).to.equal('ok');
      }
    });

    it('so is one written without a scheme (`sk-abc/def@api.example.com/v1`), which was a path on the page’s own server, key and all; a relative endpoint is not', async () => {
      for (const [url, shown] of [
        ['sk-SECRET/1@api.example.com/v1/chat/completions', 'api.example.com/v1/chat/completions'],
        ['sk-SECRET@api.example.com/v1/chat/completions?x=1', 'api.example.com/v1/chat/completions'],
        ['SECRET+1/2@localhost:8080/v1', 'localhost:8080/v1'],
        // (As `http://gateway/v1/users/bob@example.com/…` is: its `@` is written %40.)
        ['api/users/bob@example.com/chat', 'example.com/chat'],
      ]) {
        const error = await failure(fetchText(url!, { fetch: noFetch, retries: 0 }));
        expect([error.kind, error.message], url).to.deep.equal(['network', `The endpoint "${shown}" has a key before its host, taken for a path: set it as \`key\` (an \`@\` of the path is written %40).`]);
      }
      for (const url of ['api/chat', 'v1/chat/completions', '/api/chat', '/v1/users/bob@example.com/chat', './u/a@b.example.com', 'api/workers-ai/@cf/meta', 'api/chat?user=a@b.example.com']) {
        expect(await fetchText(url, { fetch: fakeFetch(ok) }), url).to.equal('ok');
      }
    });

    it('a key before its host (`https://user:key@…`, `https://sk-…@…`, `user:key@…` without its `//`) is refused at once where the browser’s fetch would send the request, without the key; a page’s own fetch is given it', async () => {
      // The browser's fetch refuses it every time ("credentials"), in its own words in each
      // browser: it was a network error, retried twice, then "Could not reach … (down, or blocked by CORS?)".
      for (const [url, shown] of [
        ['https://user:SECRET-key-1234@127.0.0.1:1/v1/chat/completions?x=1', 'https://127.0.0.1:1/v1/chat/completions'],
        ['https://sk-SECRET-key-5678@api.example.test/v1/chat/completions', 'https://api.example.test/v1/chat/completions'],
        ['http:\\\\user:SECRET-key-9012@127.0.0.1:1/x', 'http:\\\\127.0.0.1:1/x'],
        ['//user:SECRET-key-3456@127.0.0.1:1/v1', '//127.0.0.1:1/v1'],
        // Without its `//`, `user:` parsed as the URL's scheme: fetch failed, retried as a server down.
        ['user:SECRET-key-7890@api.example.test/v1/chat/completions', 'api.example.test/v1/chat/completions'],
        ['user:SECRET-key-1357@localhost:8080/v1', 'localhost:8080/v1'],
        // (A key of base64, its `/` and `?` too.)
        ['user:SECRET/key?2468@api.example.test/v1', 'api.example.test/v1'],
        // (Found in review of 7309c3c: with no path, an email in its query was taken for the end of
        // the key, the endpoint said "https://b.example.com".)
        ['https://user:SECRET-key-1470@api.example.test:8443?email=a@b.example.com', 'https://api.example.test:8443'],
        ['https://sk-SECRET-key-2581@api.example.test?email=a@b.example.com', 'https://api.example.test'],
      ]) {
        const clock = new FakeClock();
        const error = await failure(clock.runUntilSettled(fetchText(url!, { clock, timeout: 0 })));
        expect([error.kind, error.message, clock.delays], url).to.deep.equal(['network', `The endpoint ${JSON.stringify(shown)} has a key before its host, which fetch does not send: set it as \`key\` (or in \`headers\`).`, []]);
        expect(`${error.stack}\n${(error.cause as Error | undefined)?.message}`, url).to.not.include('SECRET');
      }
      // (A `data:` URL, which fetch reads, is no key before a host.)
      expect(await fetchText('data:text/plain,bob@example.com', { retries: 0 })).to.equal('bob@example.com');
      // (A wrapper of its own, a mock, a proxy's client, may take it: it is the page's to say.)
      expect(await fetchText('https://user:key-1234@api.example.test/v1', { fetch: fakeFetch(ok) })).to.equal('ok');
    });

    it('a key before its host whose password holds an `@` is said without any of it: the URL parser reads its last `@`', async () => {
      // (Found in review of c164bdd: said from the first, "https://ss-SECRET-1234@api.example.test/v1".)
      const error = await failure(fetchText('https://user:p@ss-SECRET-1234@api.example.test/v1', { retries: 0 }));
      expect(error.message).to.equal('The endpoint "https://api.example.test/v1" has a key before its host, which fetch does not send: set it as `key` (or in `headers`).');
    });

    it('a server with a port whose path holds an `@` (an email, a version) is not taken for a key before its host', async () => {
      // (Found in review of 3a0a091: any host with a port was read as `user:digits`, so these were refused.)
      for (const url of [
        'https://gw.corp.example.com:8443/v1/users/jane.doe@corp.example.com/chat/completions',
        'http://localhost:8080/v1/models/llama@3.1/chat/completions',
        'http://127.0.0.1:8000/v1/users/bob@example.com/chat',
        // (Nor one with no path whose query holds an email: "has a key before its host", as `first.last:123/key@…`.)
        'https://api.example.com:8443?email=a@b.example.com',
        'http://localhost:8080?user=a@b.example.com',
        'http://litellm:4000?user=a@b.example.com',
      ]) {
        expect(await fetchText(url, { fetch: fakeFetch(ok) }).catch((error: Error) => error.message), url).to.equal('ok');
      }
    });

    it('a relative endpoint resolves as fetch resolves it: against the document base URL (<base href>), not location', async () => {
      // (Found in review of 79b6667: resolved against location.href, so a `<base href="file:…">`
      // page's path went to the fetch, which failed as a server down.)
      const base = document.head.appendChild(Object.assign(document.createElement('base'), { href: 'file:///home/me/' }));
      try {
        const error = await failure(fetchWithRetries({ url: 'api/chat', init: { method: 'POST', body: '{}' } }, { retries: 0 }, async () => 'read', () => false));
        expect(error.message).to.equal('The endpoint "api/chat" is a file: URL (a page opened as a file has no server): serve the page, or give the endpoint whole, with its https://.');
      } finally {
        base.remove();
      }
      // A file: URL written whole, on a page served over http(s): no page opened as a file.
      const error = await failure(fetchWithRetries({ url: 'file:///home/me/chat', init: { method: 'POST', body: '{}' } }, { retries: 0 }, async () => 'read', () => false));
      expect(error.message).to.equal(`The endpoint "file:///home/me/chat" is a file: URL, which fetch cannot read: give the API's URL, with its https://.`);
    });

    it('without a global Headers (a test environment with its own fetch), requests still go', async () => {
      const { Headers: saved } = globalThis;
      // @ts-expect-error: taken away for this test
      delete globalThis.Headers;
      try {
        expect(await fetchText(ENDPOINT, { fetch: fakeFetch(ok) })).to.equal('ok');
      } finally {
        globalThis.Headers = saved;
      }
    });

    it('a key or header that cannot be sent (a character beyond Latin-1) is one error, tried once, that does not quote it', async () => {
      const fetch = fakeFetch(ok);
      const key = 'sk-pasted-with-a-smart-quote\u2019';
      const error = await failure(
        fetchWithRetries({ url: ENDPOINT, init: { method: 'POST', headers: { authorization: `Bearer ${key}` } } }, { fetch, key, headers: {} }, readText, () => false),
      );
      expect(error.kind).to.equal('protocol');
      // Which character, and where: the platform's "non ISO-8859-1 code point" names neither the key nor it.
      expect(error.message).to.equal('The request could not be built: character 29 of the key cannot be sent in a header: was the key copied whole?');
      expect(fetch.requests).to.have.length(0);
      // A page's header: the platform's own words, without the value.
      const header = await failure(
        fetchWithRetries({ url: ENDPOINT, init: { method: 'POST', headers: { 'x-team': 'Zoë…' } } }, { fetch, key: 'sk-fine', headers: { 'x-team': 'Zoë…' } }, readText, () => false),
      );
      expect(header.message).to.match(/^The request could not be built: ./);
      expect(header.message).not.to.include('Zoë');
    });

    it('a page’s header with a NUL in its value is not quoted either: Firefox’s message quoted the value up to the NUL', async () => {
      const fetch = fakeFetch(ok);
      for (const value of ['sk-HEADER-secret-1\u0000', 'sk-HEADER-secret-2\u0000tail', ' sk-HEADER-secret-3\u0000 ']) {
        const headers = { 'api-key': value };
        const error = await failure(fetchWithRetries({ url: ENDPOINT, init: { method: 'POST', headers } }, { fetch, headers }, readText, () => false));
        expect(error.message).to.match(/^The request could not be built: ./);
        expect([error.message, error.stack].join('\n'), JSON.stringify(value)).not.to.include('HEADER-secret');
      }
      expect(fetch.requests).to.have.length(0);
    });

    it('nor a page’s header whose value a NUL splits into pieces under 8 characters: WebKit quotes the value whole', async () => {
      // (Cut only piece by piece, of 8 characters or more, `SECRETa\0SECRETb` was said whole. Firefox
      // quotes it up to its NUL: `SECRETa`, 7 characters, no secret by the rule of 8.)
      const fetch = fakeFetch(ok);
      const headers = { 'api-key': 'SECRETa\u0000SECRETb' };
      const error = await failure(fetchWithRetries({ url: ENDPOINT, init: { method: 'POST', headers } }, { fetch, headers }, readText, () => false));
      expect([error.message, error.stack].join('\n')).not.to.include('SECRETb');
    });

    it('the character a key cannot send is located (a BOM or an ideographic space, which fetch does not strip), in either header, past a surrogate pair', async () => {
      // (The key comes trimmed, by streamResponse: the element's sends a key of a BOM or U+3000 at an end
      // without it. Before, the key's error fell back to the platform's "non ISO-8859-1 code point".)
      const where = async (key: string, header = 'authorization') => {
        const fetch = fakeFetch(ok);
        const value = header === 'authorization' ? `Bearer ${key}` : key;
        const error = await failure(fetchWithRetries({ url: ENDPOINT, init: { method: 'POST', headers: { [header]: value } } }, { fetch, key, headers: {} }, readText, () => false));
        expect(fetch.requests).to.have.length(0);
        return error.message.replace('The request could not be built: ', '');
      };
      const located = (n: number) => `character ${n} of the key cannot be sent in a header: was the key copied whole?`;
      expect(await where('sk-copied-key\uFEFF')).to.equal(located(14));
      expect(await where('sk-copied-key\u3000')).to.equal(located(14));
      expect(await where('\uFEFFsk-copied-key')).to.equal(located(1));
      expect(await where('sk-ant-copied\u2026', 'x-api-key')).to.equal(located(14));
      expect(await where('sk-\u{1F600}-key')).to.equal(located(4));
      expect(await where('sk-copied\u2019')).to.equal(located(10));
    });

    it('a malformed endpoint is a clear error that quotes it, without a request', async () => {
      const error = await failure(fetchText('http://[::1', { fetch: noFetch }));
      expect(error.message).to.contain('"http://[::1"');
      expect(error.message).to.contain('not a valid URL');
    });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  const parse = (headers: Record<string, string>) => parseRetryAfter(new Headers(headers), now);

  it('reads seconds, whole or not', () => {
    expect(parse({ 'retry-after': '3' })).to.equal(3);
    expect(parse({ 'retry-after': ' 0 ' })).to.equal(0);
    expect(parse({ 'retry-after': '1.5' })).to.equal(1.5);
  });

  it('reads an HTTP date as the seconds until it, and a past date as 0', () => {
    expect(parse({ 'retry-after': new Date(now + 30_000).toUTCString() })).to.equal(30);
    expect(parse({ 'retry-after': 'Wed, 01 Jan 2025 12:00:10 GMT' })).to.equal(10);
    expect(parse({ 'retry-after': 'Tue, 31 Dec 2024 23:59:59 GMT' })).to.equal(0);
  });

  it('prefers retry-after-ms (OpenAI) and converts it to seconds', () => {
    expect(parse({ 'retry-after-ms': '1500', 'retry-after': '9' })).to.equal(1.5);
    expect(parse({ 'retry-after-ms': '20' })).to.equal(0.02);
  });

  it('falls back to Retry-After when retry-after-ms is garbage', () => {
    expect(parse({ 'retry-after-ms': 'soon', 'retry-after': '2' })).to.equal(2);
  });

  it('gives undefined when there is no header or it is garbage', () => {
    expect(parse({})).to.equal(undefined);
    expect(parse({ 'retry-after': '' })).to.equal(undefined);
    expect(parse({ 'retry-after': 'soon' })).to.equal(undefined);
    expect(parse({ 'retry-after': '10s' })).to.equal(undefined);
  });

  it('a negative number or stray text with digits is garbage, not a date in the past', () => {
    // V8's lenient Date.parse reads each of these as a date in 2001; taken as "retry now" they
    // would skip the backoff.
    expect(parse({ 'retry-after': '-5' })).to.equal(undefined);
    expect(parse({ 'retry-after': '1,5' })).to.equal(undefined);
    expect(parse({ 'retry-after': 'try again 1' })).to.equal(undefined);
  });

  it('a number too long to hold is garbage, not a wait of Infinity ("Try again in Infinity min.")', () => {
    expect(parse({ 'retry-after': '9'.repeat(400) })).to.equal(undefined);
    expect(parse({ 'retry-after': `1${'0'.repeat(400)}.5` })).to.equal(undefined);
  });
});
