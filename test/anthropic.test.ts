/**
 * The Anthropic protocol alone: the request it builds, field by field, and what its decoder makes
 * of single events. Whole streams, cut anywhere and played by the real server, are in
 * protocols.test.ts.
 */
import { expect } from '@open-wc/testing';
import { StreamChatError } from '../src/core/errors.js';
import { MessageBuilder } from '../src/core/message-builder.js';
import type { RequestOptions } from '../src/core/protocol.js';
import { anthropic } from '../src/core/protocols/anthropic.js';
import type { ChatMessage, ContentPart, Delta } from '../src/core/types.js';
import { answeredByName, calling, foreignToolIds, history, pdf, printed, recording, screenshot } from './helpers/history.js';
import { rejectionOf, thrownBy } from './helpers/rejection.js';

function build(options: Partial<RequestOptions>) {
  const { url, init } = anthropic.buildRequest({ endpoint: '/api/messages', messages: [{ role: 'user', content: 'Hi' }], ...options });
  return { url, init, headers: init.headers as Record<string, string>, body: JSON.parse(init.body as string) as Record<string, unknown> };
}

/** The source of the block a question of one file (an image for a `data:image/` URL) goes as. */
function sourceOf(url: string): Record<string, unknown> {
  const part: ContentPart = url.startsWith('data:image/') ? { type: 'image_url', image_url: { url } } : { type: 'file', file: { file_data: url, filename: 'notes.txt' } };
  const { body } = build({ messages: [{ role: 'user', content: [part] }] });
  return (body['messages'] as Array<{ content: Array<{ source: Record<string, unknown> }> }>)[0]!.content[0]!.source;
}

/** A data URL's text as the test browser's XMLHttpRequest reads it: in its charset (fetch's text() is UTF-8 always). */
const responseText = (url: string) =>
  new Promise<string>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('GET', url);
    request.onload = () => resolve(request.responseText);
    request.onerror = reject;
    request.send();
  });

/** What the test browser's fetch reads from a data URL: a text file's text, other files' bytes as base64. */
async function fetched(url: string): Promise<string> {
  const response = await fetch(url);
  return url.startsWith('data:text/') ? response.text() : btoa(String.fromCharCode(...new Uint8Array(await response.arrayBuffer())));
}

describe('anthropic.buildRequest', () => {
  it('with a key: x-api-key (no Authorization), the API version, and the header for a browser talking to the API itself', () => {
    const { url, init, headers } = build({ key: 'sk-ant-test' });
    expect(url).to.equal('/api/messages');
    expect(init.method).to.equal('POST');
    expect(headers).to.deep.equal({
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      'anthropic-version': '2023-06-01',
      'x-api-key': 'sk-ant-test',
      'anthropic-dangerous-direct-browser-access': 'true',
    });
  });

  it('without a key (a proxy adds it): only the version', () => {
    expect(build({}).headers).to.deep.equal({ 'Content-Type': 'application/json', Accept: 'text/event-stream', 'anthropic-version': '2023-06-01' });
  });

  it('the body: model, max_tokens (4096 unless set), system, messages, stream, temperature, tools with input_schema', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const { body } = build({
      model: 'claude-sonnet-4-5',
      system: 'Be brief.',
      temperature: 0.3,
      tools: [{ name: 'get_weather', description: 'Weather in a city', parameters }, { name: 'ping' }],
    });
    expect(body).to.deep.equal({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: true,
      temperature: 0.3,
      tools: [
        { name: 'get_weather', description: 'Weather in a city', input_schema: parameters },
        { name: 'ping', input_schema: { type: 'object', properties: {} } },
      ],
    });
    expect(build({ maxTokens: 1000 }).body['max_tokens']).to.equal(1000);
    expect(build({ maxTokens: Number.NaN, temperature: null }).body).to.deep.equal({ max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true });
  });

  it('headers and body given are applied last', () => {
    const { body, headers } = build({ headers: { 'anthropic-beta': 'files-api-2025-04-14', 'anthropic-version': '2024-01-01' }, body: { thinking: { type: 'enabled', budget_tokens: 2048 } } });
    expect(headers).to.include({ 'anthropic-beta': 'files-api-2025-04-14', 'anthropic-version': '2024-01-01' });
    expect(body['thinking']).to.deep.equal({ type: 'enabled', budget_tokens: 2048 });
  });

  it('maps a multi-turn history to alternating messages of blocks: images, thinking blocks first as they came, tool_use with parsed input, results in one user turn, a refusal', () => {
    const { body } = build({ messages: history });
    expect(body['messages']).to.deep.equal([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this photo, and the weather there?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/kraków.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'The photo shows…', signature: 'EqQBCgIYAhIMsig1' },
          { type: 'redacted_thinking', data: 'EmwKAhgBEgyredacted1' },
          { type: 'text', text: 'The Wawel castle, in Kraków. Let me check the weather.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Kraków' } },
          { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '{"temp":21}' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '14:05' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'It is 21 °C at 14:05.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Write something hateful.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'I can’t help with that.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Then the time in Oslo.' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_3', name: 'get_time', input: { city: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_3', content: '15:05' }] },
    ]);
  });

  it('an image as a data URL with parameters before base64 (a file name) goes as base64, not as a URL the API refuses', () => {
    const { body } = build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'This?' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;name=a.jpg;base64,/9j/4AAQ' } }] }] });
    expect((body['messages'] as Array<{ content: unknown[] }>)[0]!.content[1]).to.deep.equal({ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } });
  });

  it("an image goes with the media type its bytes say, not the one its data URL names, which the API refuses when they differ (and image/jpg); bytes of no type it reads keep their URL's", () => {
    const urls = [
      'data:image/png;base64,/9j/4AAQSkZJRg==',
      'data:image/jpg;base64,/9j/4AAQSkZJRg==',
      'data:image/jpeg;base64,iVBORw0KGgoAAA==',
      'data:image/png;base64,R0lGODlhAQA=',
      'data:image/png;base64,UklGRiQAAABXRUJQVlA4IA==',
      'data:image/png,%89PNG%0D%0A%1A%0A',
      'data:image/svg+xml;base64,PHN2Zz4=',
    ];
    // Before: each as its URL named it, which the API refuses ("The image was specified using the
    // image/png media type, but the image appears to be a image/jpeg image").
    expect(urls.map((url) => sourceOf(url)['media_type'])).to.deep.equal(['image/jpeg', 'image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/png', 'image/svg+xml']);
  });

  it("an image of a type the API does not read keeps its URL's media type, though its first byte is one of those it reads", () => {
    // (Found in review of 1d6260a: a first letter of base64 says the first byte's 6 high bits alone,
    // so a JPEG XL (FF 0A) went as image/jpeg and a PPM ("P6") as image/webp, and the API's refusal
    // said it could not read a JPEG, not which type it takes.)
    const urls = ['data:image/jxl;base64,/woAkAEAEAAI', 'data:image/x-portable-pixmap;base64,UDYKMSAxCjI1NQo=', 'data:image/jp2;base64,/0//UQAv'];
    expect(urls.map((url) => sourceOf(url)['media_type'])).to.deep.equal(['image/jxl', 'image/x-portable-pixmap', 'image/jp2']);
  });

  it('a file part is a document block: a PDF as base64, a text file as its text, a web address as a url source, an id of the Files API as a file source; its filename the title', () => {
    const files = [
      pdf,
      { type: 'file', file: { file_data: 'data:text/plain;base64,WmHFvMOzxYLEhyBnxJnFm2zEhSBqYcW6xYQK', filename: 'notes.txt' } },
      { type: 'file', file: { file_data: 'data:text/csv;charset=utf-8,Krak%C3%B3w%2C%2021%20%C2%B0C', filename: '' } },
      { type: 'file', file: { file_data: 'https://example.com/paper.pdf', filename: 'paper.pdf' } },
      { type: 'file', file: { file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' } },
    ] as const;
    const { body } = build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Compare them.' }, ...files] }] });
    expect((body['messages'] as Array<{ content: unknown[] }>)[0]!.content).to.deep.equal([
      { type: 'text', text: 'Compare them.' },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' }, title: 'report.pdf' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Zażółć gęślą jaźń\n' }, title: 'notes.txt' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Kraków, 21 °C' } },
      { type: 'document', source: { type: 'url', url: 'https://example.com/paper.pdf' }, title: 'paper.pdf' },
      { type: 'document', source: { type: 'file', file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' } },
    ]);
  });

  it("a text file as a data URL that is not base64 is its text as the browser's fetch of it reads it: a % that starts no escape (100%, %zz) kept as written, bytes that are not UTF-8 as U+FFFD", async () => {
    const urls = ['data:text/plain,100%', 'data:text/plain,100%25%zz%', 'data:text/plain,%e2%82%ac%ZZ%u20ac%2', 'data:text/plain;charset=utf-8,%C5%bc%ff%c5 caf\u00e9'];
    // Before: decodeURIComponent's URIError, "The request could not be built: URI malformed".
    const expected = await Promise.all(urls.map(async (url) => (await fetch(url)).text()));
    expect(expected).to.deep.equal(['100%', '100%%zz%', '\u20ac%ZZ%u20ac%2', '\u017c\ufffd\ufffd caf\u00e9']);
    expect(urls.map((url) => sourceOf(url).data)).to.deep.equal(expected);
  });

  it("a lone surrogate in a data URL (half of a pair, as when a string is cut between them) is U+FFFD, as the browser's URL parser writes it: in a text file's text, a PDF's or an image's bytes EF BF BD; a pair stays its character", async () => {
    const urls = ['data:text/plain,a\uD800b', 'data:text/plain;charset=utf-8,\uDC00%41\uD83D\uDE00\uD83D', 'data:application/pdf,%25PDF\uDBFF', 'data:image/png,\uDFFF%89'];
    const expected = await Promise.all(urls.map(fetched));
    expect(expected).to.deep.equal(['a\ufffdb', '\ufffdA\u{1f600}\ufffd', 'JVBERu+/vQ==', '77+9iQ==']);
    // Before: encodeURIComponent's URIError, "The request could not be built: URI malformed".
    expect(urls.map((url) => sourceOf(url).data)).to.deep.equal(expected);
  });

  it("a data URL's escapes (an encoder's %2B, %2F, %3D) are decoded before its base64, as the browser's fetch of it decodes them: a text file is its text, a PDF and an image their base64 as the API takes it, base64 in the URL or not", async () => {
    const urls = ['data:text/plain;base64,aGk%3D', 'data:text/plain;base64,YW%0AJj', 'data:application/pdf;base64,JVBERi0xLjcKJfv%2F%2Fgo%3D', 'data:application/pdf,%25PDF-1.7%0A%25%FB%FF%FE%0A', 'data:image/png;base64,iVBORw0KGgr7%2Fw%3D%3D', 'data:image/png,%89PNG%0D%0A%1A%0A%FB%FF'];
    const expected = await Promise.all(urls.map(fetched));
    expect(expected).to.deep.equal(['hi', 'abc', 'JVBERi0xLjcKJfv//go=', 'JVBERi0xLjcKJfv//go=', 'iVBORw0KGgr7/w==', 'iVBORw0KGgr7/w==']);
    // Before: atob threw on a text file's (the request not built), a PDF's and an image's went as
    // written (the API refuses base64 with %), and one not base64 was refused here (a PDF) or sent
    // as a URL (an image) the API refuses.
    expect(urls.map((url) => sourceOf(url))).to.deep.equal(
      urls.map((url, at) => (url.startsWith('data:text/') ? { type: 'text', media_type: 'text/plain', data: expected[at] } : { type: 'base64', media_type: url.slice(5, url.search(/[;,]/)), data: expected[at] })),
    );
  });

  it("a PDF's or an image's clean base64 (FileReader's: no escape, no white space, padded) goes as it is, not decoded and encoded again on every request (but its last group); any other as the browser reads it", () => {
    /** Each call, with the length of what it was given. */
    const calls: string[] = [];
    const { atob, btoa } = window;
    window.atob = (data) => (calls.push(`atob ${data.length}`), atob(data));
    window.btoa = (data) => (calls.push(`btoa ${data.length}`), btoa(data));
    try {
      const clean = ['data:application/pdf;base64,JVBERi0xLjcKJfv//go=', 'data:image/png;base64,iVBORw0KGgr7/w==', 'data:application/pdf;name=a.pdf;base64,JVBERi0x'];
      expect(clean.map((url) => sourceOf(url).data)).to.deep.equal(['JVBERi0xLjcKJfv//go=', 'iVBORw0KGgr7/w==', 'JVBERi0x']);
      // Before: each decoded and encoded again, on every request. Its last group only, 4 characters
      // (for its stray bits: see the next test).
      expect(calls, 'clean base64').to.deep.equal(['atob 4', 'btoa 2', 'atob 4', 'btoa 1', 'atob 4', 'btoa 3']);
      calls.length = 0;
      // An escape, white space, padding left out (some a multiple of 4 long all the same): the same
      // bytes, read as the browser reads them.
      const other = ['data:application/pdf;base64,JVBERi0xLjcKJfv%2F%2Fgo%3D', 'data:application/pdf;base64,JVBERi0x LjcKJfv//go', 'data:image/png;base64,iVBORw0KGgr7%2Fw', 'data:image/png;base64,iVBORw0KGgr7/w'];
      expect(other.map((url) => sourceOf(url).data)).to.deep.equal(['JVBERi0xLjcKJfv//go=', 'JVBERi0xLjcKJfv//go=', 'iVBORw0KGgr7/w==', 'iVBORw0KGgr7/w==']);
      expect(calls, 'other base64').to.deep.equal(['atob 20', 'btoa 14', 'atob 20', 'btoa 14', 'atob 14', 'btoa 10', 'atob 14', 'btoa 10']);
      // An = but at the end, or three: not base64 (the browser's fetch fails), refused here, not by the API.
      for (const data of ['JVBE=i0x', 'JVBER===']) expect(thrownBy(() => sourceOf(`data:application/pdf;base64,${data}`)), data).to.have.property('message').that.match(/^the data URL of notes\.txt is not valid base64: /);
    } finally {
      Object.assign(window, { atob, btoa });
    }
  });

  it("a PDF's or an image's clean base64 with stray bits in its last group (YR==, where an encoder writes YQ==) goes as an encoder writes it, the bytes the browser reads: the API may refuse it as written", async () => {
    const urls = ['data:application/pdf;base64,YR==', 'data:application/pdf;base64,JVBERi0xLjcKJfv//gr=', 'data:image/png;base64,iVBORw0KGgr7/x==', 'data:image/png;base64,iVBORw0KGgr7/w=='];
    const expected = await Promise.all(urls.map(fetched));
    expect(expected).to.deep.equal(['YQ==', 'JVBERi0xLjcKJfv//go=', 'iVBORw0KGgr7/w==', 'iVBORw0KGgr7/w==']);
    // Before: each went as written (since clean base64 goes as it is), YR==, …//gr=, …/x==.
    expect(urls.map((url) => sourceOf(url).data)).to.deep.equal(expected);
  });

  it("a text file is read in the charset its data URL names, as the browser reads it (XMLHttpRequest's text: fetch's text() is UTF-8 always), escaped or base64; one it does not know is UTF-8", async () => {
    const urls = ['data:text/plain;charset=iso-8859-1,caf%E9', 'data:text/plain;charset=windows-1252;base64,Y2Fm6Q==', 'data:text/plain;charset="ISO-8859-1",caf%E9', 'data:text/plain;charset=shift_jis,%83A', 'data:text/plain;charset=iso-8859-1,caf\u00e9', 'data:text/plain;charset=nonsense,caf%E9'];
    const expected = await Promise.all(urls.map(responseText));
    // (A letter written as it is goes as UTF-8 in a URL: é read as two Latin-1 bytes.)
    expect(expected).to.deep.equal(['caf\u00e9', 'caf\u00e9', 'caf\u00e9', '\u30a2', 'caf\u00c3\u00a9', 'caf\ufffd']);
    // Before, each was read as UTF-8 (caf\ufffd, \ufffdA), the literal é as é.
    expect(urls.map((url) => sourceOf(url).data)).to.deep.equal(expected);
  });

  it("a byte-order mark at the start of a text file names its charset, over the one its data URL names or UTF-8, and is left out, as the browser reads it: UTF-8's, UTF-16's either way (Notepad's Unicode file as FileReader reads it); EF BB alone is no mark", async () => {
    const urls = ['data:text/plain;charset=windows-1252;base64,77u/Y2Fmw6k=', 'data:text/plain;base64,//5jAGEAZgDpAA==', 'data:text/plain;charset=utf-8,%FE%FF%00c%00a%00f%00%E9', 'data:text/plain;charset=utf-16le,%FF%FEh%00i%00', 'data:text/plain;charset=windows-1252,%EF%BBcaf%E9'];
    const expected = await Promise.all(urls.map(responseText));
    expect(expected).to.deep.equal(['caf\u00e9', 'caf\u00e9', 'caf\u00e9', 'hi', '\u00ef\u00bbcaf\u00e9']);
    // Before, each was read in the charset named or UTF-8, the mark as text: \u00ef\u00bb\u00bfcaf\u00c3\u00a9, \ufffd\ufffdc\u0000a…
    expect(urls.map((url) => sourceOf(url).data)).to.deep.equal(expected);
  });

  it("a file of Anthropic's Files API (a file_id, in a question or a tool result) goes with the Files API's beta header, which the API wants; other files without it", () => {
    // Before: no header, and the API refused the request.
    const uploaded: ContentPart = { type: 'file', file: { file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' } };
    const beta = (messages: ChatMessage[]) => build({ messages }).headers['anthropic-beta'];
    expect(beta([{ role: 'user', content: [{ type: 'text', text: 'Read it.' }, uploaded] }])).to.equal('files-api-2025-04-14');
    expect(beta([...printed.slice(0, 2), { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'Printed:' }, uploaded] }])).to.equal('files-api-2025-04-14');
    expect(beta([{ role: 'user', content: [{ type: 'text', text: 'Read it.' }, pdf] }, ...printed.slice(1)])).to.equal(undefined);
    // A page's own betas in `headers` take its place: theirs to list it with.
    expect(build({ messages: [{ role: 'user', content: [uploaded] }], headers: { 'anthropic-beta': 'context-1m-2025-08-07' } }).headers['anthropic-beta']).to.equal('context-1m-2025-08-07');
  });

  it("a tool result's file goes in its tool_result, as a document block beside its text", () => {
    const { body } = build({ messages: printed });
    expect((body['messages'] as Array<{ content: unknown[] }>)[2]!.content[0]).to.deep.equal({
      type: 'tool_result',
      tool_use_id: 'call_1',
      content: [
        { type: 'text', text: 'The page, printed:' },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' }, title: 'report.pdf' },
      ],
    });
  });

  it('audio, and a file of a type the API does not read (a spreadsheet), throw (one protocol error, no request), naming the part', () => {
    // Before: each went as it is, and the API refused the request.
    const ask = (part: ContentPart) => (thrownBy(() => build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'This?' }, part] }] })) as Error).message;
    expect(ask(recording)).to.equal('the Messages API takes no audio (an input_audio part): ask with protocol "openai-chat", or without it.');
    const sheet = 'data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,UEsDBA==';
    const advice = 'send it as one of those, or ask with protocol "openai-responses"';
    expect(ask({ type: 'file', file: { file_data: sheet, filename: 'q3.xlsx' } })).to.equal(`the Messages API reads PDFs and text files, not q3.xlsx: ${advice}.`);
    expect(ask({ type: 'file', file: { file_data: sheet } })).to.equal(`the Messages API reads PDFs and text files, not ${sheet.slice(5, -16)}: ${advice}.`);
  });

  it("a tool result's file of a type the API does not read (a spreadsheet), or audio, goes as a text that tells the model so, in its tool_result: the request is built", () => {
    const sheet = { type: 'file', file: { file_data: 'data:application/vnd.ms-excel;base64,0M8R4KGx', filename: 'q3.xls' } } as const;
    // Before, the request was not built, nor any later one of the conversation: the result stays in it.
    const result = (...parts: ContentPart[]) => (build({ messages: [...printed.slice(0, 2), { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'Exported:' }, ...parts] }] }).body['messages'] as Array<{ content: unknown[] }>)[2]!.content[0];
    expect(result(sheet)).to.deep.equal({
      type: 'tool_result',
      tool_use_id: 'call_1',
      content: [
        { type: 'text', text: 'Exported:' },
        { type: 'text', text: '(the Messages API reads PDFs and text files, not q3.xls, so it was left out)' },
      ],
    });
    // Before, the text said what a page's developer may do ("ask with protocol …"), which the model cannot.
    expect((result({ type: 'file', file: { file_data: sheet.file.file_data } }, recording) as { content: unknown[] }).content.slice(1)).to.deep.equal([
      { type: 'text', text: '(the Messages API reads PDFs and text files, not application/vnd.ms-excel, so it was left out)' },
      { type: 'text', text: '(the Messages API takes no audio (an input_audio part), so it was left out)' },
    ]);
    // A name with ": " in it, whole (the advice after the last one is what is left out).
    expect((result({ type: 'file', file: { ...sheet.file, filename: 'Minutes: June board.xls' } }) as { content: unknown[] }).content[1]).to.deep.equal({
      type: 'text',
      text: '(the Messages API reads PDFs and text files, not Minutes: June board.xls, so it was left out)',
    });
  });

  it("a PDF's, an image's or a text file's data URL whose base64 is broken (the browser's fetch of it fails) throws an error naming the file, not atob's, which names neither", async () => {
    const broken = ['data:application/pdf;base64,%%%', 'data:application/pdf;base64,A', 'data:image/png;base64,iVBO=Rw0', 'data:text/plain;base64,aGk%'];
    for (const url of broken) expect(await rejectionOf(fetch(url)), url).to.be.instanceOf(TypeError);
    // Before: a DOMException, "Failed to execute 'atob' on 'Window': The string to be decoded is not correctly encoded."
    const ask = (part: ContentPart) => thrownBy(() => build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'This?' }, part] }] })) as Error;
    const advice = "encode it as readAsDataURL() does";
    expect(ask({ type: 'file', file: { file_data: broken[0]!, filename: 'report.pdf' } })).to.be.instanceOf(TypeError).with.property('message', `the data URL of report.pdf is not valid base64: ${advice}.`);
    expect(ask({ type: 'file', file: { file_data: broken[1]! } }).message).to.equal(`the data URL of application/pdf is not valid base64: ${advice}.`);
    expect(ask({ type: 'image_url', image_url: { url: broken[2]! } }).message).to.equal(`the data URL of image/png is not valid base64: ${advice}.`);
    expect(ask({ type: 'file', file: { file_data: broken[3]!, filename: 'notes.txt' } }).message).to.equal(`the data URL of notes.txt is not valid base64: ${advice}.`);
  });

  it("a tool result's file or image whose data URL's base64 is broken goes as a text that tells the model so, naming it: the request is built", () => {
    const content: ContentPart[] = [
      { type: 'text', text: 'Exported:' },
      { type: 'file', file: { file_data: 'data:application/pdf;base64,A', filename: 'report.pdf' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,%%%' } },
    ];
    const { body } = build({ messages: [...printed.slice(0, 2), { role: 'tool', tool_call_id: 'call_1', content }] });
    // Before: "(Failed to execute 'atob' on 'Window', so it was left out)", for each.
    expect((body['messages'] as Array<{ content: Array<{ content: unknown[] }> }>)[2]!.content[0]!.content).to.deep.equal([
      { type: 'text', text: 'Exported:' },
      { type: 'text', text: '(the data URL of report.pdf is not valid base64, so it was left out)' },
      { type: 'text', text: '(the data URL of image/png is not valid base64, so it was left out)' },
    ]);
  });

  it('marks a tool result that reports a failure (a throw, an unknown tool, a stop) with is_error, so that Claude reads it as one', () => {
    const { body } = build({
      messages: [
        { role: 'user', content: 'Weather in Oslo and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Error: the weather service is down.' },
        { role: 'tool', tool_call_id: 'call_2', content: 'Errors: none; 21 °C' },
      ],
    });
    expect((body['messages'] as Array<{ content: unknown[] }>)[2]!.content).to.deep.equal([
      { type: 'tool_result', tool_use_id: 'call_1', content: 'Error: the weather service is down.', is_error: true },
      { type: 'tool_result', tool_use_id: 'call_2', content: 'Errors: none; 21 °C' },
    ]);
  });

  it('leaves out the content of a tool result that is empty or white space (a tool with no output): optional, and refused empty (then in every later request)', () => {
    const { body } = build({
      messages: [
        { role: 'user', content: 'Save it, then list the folder.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'write_file', arguments: '{}' } },
            { id: 'call_2', type: 'function', function: { name: 'list', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '' },
        { role: 'tool', tool_call_id: 'call_2', content: '\n' },
      ],
    });
    expect((body['messages'] as Array<{ content: unknown[] }>)[2]!.content).to.deep.equal([
      { type: 'tool_result', tool_use_id: 'call_1' },
      { type: 'tool_result', tool_use_id: 'call_2' },
    ]);
  });

  it("a tool result's images go in its tool_result, beside its text (text that is only white space left out); one of text alone stays text", () => {
    const { body } = build({ messages: screenshot });
    expect((body['messages'] as Array<{ content: unknown[] }>)[2]!.content).to.deep.equal([
      {
        type: 'tool_result',
        tool_use_id: 'call_1',
        content: [
          { type: 'text', text: 'The page, 1280×720:' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/shot.png' } },
        ],
      },
      { type: 'tool_result', tool_use_id: 'call_2', content: 'https://example.com/' },
    ]);
    const image = { type: 'image_url' as const, image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } };
    const only = build({ messages: [...screenshot.slice(0, 2), { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: ' ' }, image] }] });
    expect((only.body['messages'] as Array<{ content: unknown[] }>)[2]!.content).to.deep.equal([
      { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } }] },
    ]);
  });

  it('leaves out the turns Claude refused, from the question to the refused answer (and its calls’ results), as Anthropic asks: sent again, they are refused again', () => {
    const refusal = { type: 'refusal', category: 'cyber' };
    const { body } = build({
      messages: [
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi!' },
        { role: 'user', content: 'Something refused' },
        { role: 'assistant', content: 'Sure, first', stop_details: refusal },
        { role: 'user', content: 'Look it up, then' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'search', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'found' },
        { role: 'assistant', content: 'Here is', refusal: 'Declined.', stop_details: refusal },
        { role: 'user', content: 'Something else' },
      ],
    });
    expect(body['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hi!' }] },
      { role: 'user', content: [{ type: 'text', text: 'Something else' }] },
    ]);
    // Questions in a row go with the turn; the last turn, refused, keeps its question (retry() asks it again).
    const last = build({
      messages: [
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi!' },
        { role: 'user', content: 'One' },
        { role: 'user', content: 'Two' },
        { role: 'assistant', content: 'No', stop_details: refusal },
        { role: 'user', content: 'Three' },
        { role: 'assistant', content: 'Also no', stop_details: refusal },
      ],
    });
    expect(last.body['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hi!' }] },
      { role: 'user', content: [{ type: 'text', text: 'Three' }] },
    ]);
    // Junk a store or a host gave is no refusal.
    const kept = build({ messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A', stop_details: 'refusal' as unknown as Record<string, unknown> }] });
    expect((kept.body['messages'] as unknown[]).length).to.equal(2);
  });

  it('leaves out the results of a refused answer’s calls that come after a system message the page added (a tool_result without its tool_use is refused)', () => {
    // The conversation gives a call it left unrun its result at the next question, after what the page added.
    const { body } = build({
      messages: [
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi!' },
        { role: 'user', content: 'Something refused' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'search', arguments: '{}' } }], stop_details: { type: 'refusal' } },
        { role: 'system', content: 'The reader is in Oslo.' },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'Error: stopped by the content filter before the call was run.' },
        { role: 'user', content: 'Something else' },
      ],
    });
    expect(body['system']).to.equal('The reader is in Oslo.');
    expect(body['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hi!' }] },
      { role: 'user', content: [{ type: 'text', text: 'Something else' }] },
    ]);
  });

  it('a refused turn asked again with retry() keeps its question for the answer that followed: only the refused answer (and its calls’ results) is left out', () => {
    const turns = (texts: string[]) => texts.map((text, at) => ({ role: at % 2 ? 'assistant' : 'user', content: text }) as ChatMessage);
    const call = { id: 'toolu_1', type: 'function', function: { name: 'clock', arguments: '{}' } } as const;
    const { body } = build({
      messages: [
        ...turns(['Hello', 'Hi!', 'Something refused']),
        { role: 'assistant', content: 'Checking', tool_calls: [call], stop_details: { type: 'refusal' } },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'Error: stopped by the content filter before the call was run.' },
        ...turns(['', 'Fine.', 'Something else']).slice(1),
      ],
    });
    // Before, the question went with the refused answer, and the retried answer joined "Hi!".
    const sent = turns(['Hello', 'Hi!', 'Something refused', 'Fine.', 'Something else']).map(({ role, content }) => ({ role, content: [{ type: 'text', text: content }] }));
    expect(body['messages']).to.deep.equal(sent);
  });

  it('merges consecutive same-role messages, drops empty ones (a turn stopped while it thought, its thinking blocks too) and empty text, and moves system messages into system', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hi' },
      { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'Still there?' }] },
      { role: 'assistant', content: '', reasoning: 'Only thought, then stopped.', thinking_blocks: [{ type: 'thinking', thinking: 'Only thought, then stopped.', signature: 'sig' }] },
      { role: 'assistant', content: 'Oui.' },
      { role: 'tool', tool_call_id: 'call_9', content: 'late result' },
      { role: 'user', content: 'And now?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"broken": ' } }] },
    ];
    const copy = structuredClone(messages);
    const { body } = build({ system: 'Be brief.', messages });
    expect(body['system']).to.equal('Be brief.\n\nAnswer in French.');
    expect(body['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: 'Still there?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Oui.' }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_9', content: 'late result' }, { type: 'text', text: 'And now?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'c', name: 'f', input: {} }] },
    ]);
    expect(messages, 'the messages passed in are not changed').to.deep.equal(copy);
  });

  it('text that is only white space is not sent (the API refuses it), and a last answer given to continue ends without it', () => {
    const { body } = build({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: '\n\n' },
        { role: 'user', content: [{ type: 'text', text: ' ' }, { type: 'text', text: 'Again?' }] },
        { role: 'assistant', content: '\n', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'ok' },
        { role: 'assistant', content: 'Sure. ' },
        { role: 'user', content: 'Go on.' },
        // A stopped answer, then retry(): Claude continues it, and refuses one that ends with white space.
        { role: 'assistant', content: 'It is\n\n' },
      ],
    });
    expect(body['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: 'Again?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Sure. ' }] },
      { role: 'user', content: [{ type: 'text', text: 'Go on.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'It is' }] },
    ]);
  });

  it('answers merged into one turn keep its thinking blocks first, as the API wants', () => {
    const thinking = { type: 'thinking' as const, thinking: 'Call f.', signature: 'sig' };
    const { body } = build({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Sure.' },
        { role: 'assistant', content: '', thinking_blocks: [thinking], tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'ok' },
      ],
    });
    expect((body['messages'] as { content: { type: string }[] }[])[1]!.content.map((block) => block.type)).to.deep.equal(['thinking', 'text', 'tool_use']);
  });

  it('tool ids of another API (none, the same in every turn, characters Claude refuses) are made unique and valid; each result keeps its call', () => {
    const { body } = build({
      messages: [
        ...foreignToolIds,
        { role: 'user', content: 'Four' },
        calling('functions.e:0', 'e'),
        { role: 'tool', tool_call_id: 'functions.e:0', content: 'E' },
      ],
    });
    type Block = { type: string; id?: string; name?: string; tool_use_id?: string; content?: string };
    const blocks = (body['messages'] as { content: Block[] }[]).flatMap((message) => message.content);
    const ids = blocks.filter((block) => block.type === 'tool_use').map((block) => block.id!);
    expect(ids).to.have.length(5);
    expect(new Set(ids).size, 'unique').to.equal(5);
    for (const id of ids) expect(id).to.match(/^[a-zA-Z0-9_-]+$/);
    expect(ids[2], 'a valid id is kept').to.equal('call_0');
    const callOf = new Map(blocks.filter((block) => block.type === 'tool_use').map((block) => [block.id, block.name]));
    const pairs = blocks.filter((block) => block.type === 'tool_result').map((block) => [callOf.get(block.tool_use_id), block.content]);
    expect(pairs).to.deep.equal(answeredByName('a', 'b', 'c', 'd', 'e'));
  });

  it('restored data the API would not take is mended: a call without an id, a result without one, a text part without text, a refusal after white space', () => {
    const { body } = build({
      messages: [
        { role: 'user', content: [{ type: 'text' } as never, { type: 'text', text: 'One' }] },
        { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'a', arguments: '{}' } } as never] },
        { role: 'tool', content: 'A' } as ChatMessage,
        { role: 'user', content: 'Two' },
        { role: 'assistant', content: '\n', refusal: 'No.' },
      ],
    });
    const [, calling, results, refusing] = body['messages'] as { content: { type: string; id?: string; tool_use_id?: string; text?: string }[] }[];
    expect(calling!.content[0]!.id).to.match(/^[a-zA-Z0-9_-]+$/);
    expect(results!.content[0]!.tool_use_id).to.equal(calling!.content[0]!.id);
    expect(refusing!.content).to.deep.equal([{ type: 'text', text: 'No.' }]);
  });

  it('a result goes with the call of its id in the answer before it, as the conversation pairs them', () => {
    const call = (name: string): ChatMessage['tool_calls'] => [{ id: 'call_0', type: 'function', function: { name, arguments: '{}' } }];
    const { body } = build({
      messages: [
        { role: 'user', content: 'One' },
        // Stopped before its result, in a conversation a host kept as it was.
        { role: 'assistant', content: null, tool_calls: call('a') },
        { role: 'user', content: 'Two' },
        { role: 'assistant', content: null, tool_calls: call('b') },
        { role: 'tool', tool_call_id: 'call_0', content: 'B' },
      ],
    });
    const messages = body['messages'] as { content: { type: string; id?: string; tool_use_id?: string }[] }[];
    expect(messages.at(-1)!.content[0]!.tool_use_id).to.equal(messages.at(-2)!.content[0]!.id);
  });

  it('starts with the user: a greeting before the first question (with anything else before it) is not sent', () => {
    const { body } = build({
      messages: [
        { role: 'assistant', content: 'Hi! Ask me anything.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'early', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'early', content: 'done' },
        { role: 'user', content: '' },
        { role: 'assistant', content: 'Still nothing asked.' },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi.' },
      ],
    });
    expect(body['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hi.' }] },
    ]);
  });
});

const start = (index: number, content_block: object) => ({ type: 'content_block_start', index, content_block });
const delta = (index: number, delta: object) => ({ type: 'content_block_delta', index, delta });
const stop = (index: number) => ({ type: 'content_block_stop', index });

function message(...events: object[]): MessageBuilder {
  const decoder = anthropic.createDecoder();
  const builder = new MessageBuilder();
  const deltas: Delta[] = events.flatMap((event) => decoder.decode({ data: JSON.stringify(event) }).deltas);
  for (const delta of deltas) builder.apply(delta);
  return builder;
}

describe('anthropic decoder', () => {
  it('stop reasons in chat-completions words; unknown ones pass through', () => {
    const finish = (stop_reason: string) => message({ type: 'message_delta', delta: { stop_reason }, usage: { output_tokens: 1 } }).finishReason;
    expect(['end_turn', 'stop_sequence', 'max_tokens', 'tool_use', 'refusal', 'pause_turn', 'model_context_window_exceeded'].map(finish)).to.deep.equal([
      'stop',
      'stop',
      'length',
      'tool_calls',
      'content_filter',
      'pause_turn',
      // The answer reached the context window: cut, as at max_tokens.
      'length',
    ]);
    // A name the table's prototype has is a reason like another (before, `toString` was a function).
    expect(['toString', 'constructor', '__proto__', 'hasOwnProperty'].map(finish)).to.deep.equal(['toString', 'constructor', '__proto__', 'hasOwnProperty']);
  });

  it('a refusal: its explanation is the refusal the reader sees, its stop_details kept on the answer (a refusal without them marked too)', () => {
    const stop_details = { type: 'refusal', category: 'cyber', explanation: 'This request was declined because it could enable cyber harm.' };
    const refused = message(
      start(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'Hello..' }),
      stop(0),
      { type: 'message_delta', delta: { stop_reason: 'refusal', stop_sequence: null, stop_details }, usage: { output_tokens: 3 } },
    );
    expect(refused.finishReason).to.equal('content_filter');
    expect(refused.message).to.deep.include({ content: 'Hello..', refusal: stop_details.explanation, stop_details });
    const bare = message({ type: 'message_delta', delta: { stop_reason: 'refusal' } });
    expect(bare.message.refusal).to.equal(undefined);
    expect(bare.message.stop_details).to.deep.equal({ type: 'refusal' });
    expect(message({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_details: null } }).message.stop_details).to.equal(undefined);
  });

  it('a usage field named "__proto__" stays a field: usage keeps its prototype and reads nothing through it', () => {
    const decoder = anthropic.createDecoder();
    const builder = new MessageBuilder();
    for (const data of [
      '{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"usage":{"input_tokens":10}}}',
      '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"__proto__":{"output_tokens":99,"x":1}}}',
    ]) {
      for (const delta of decoder.decode({ data }).deltas) builder.apply(delta);
    }
    const usage = builder.usage as Record<string, unknown>;
    // Before, it was assigned: usage's prototype became {output_tokens: 99, x: 1}, and the stats read 99 tokens.
    expect(Object.getPrototypeOf(usage)).to.equal(Object.prototype);
    expect([usage['input_tokens'], usage['output_tokens'], usage['x']]).to.deep.equal([10, undefined, undefined]);
  });

  it('blocks message_start already carries (a turn its code ran on) are the answer’s, and its stop reason when no message_delta comes', () => {
    const run = { type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_1', content: { type: 'code_execution_result', stdout: '42', stderr: '', return_code: 0 } };
    const call = { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { n: 42 }, caller: { type: 'code_execution_20250825', tool_id: 'srvtoolu_1' } };
    const built = message({ type: 'message_start', message: { type: 'message', role: 'assistant', content: [run, call], stop_reason: 'tool_use', usage: { input_tokens: 10, output_tokens: 3 } } }, { type: 'message_stop' });
    // Before: nothing but the usage; the call never ran and the turn ended as an empty answer.
    expect(built.message.tool_calls).to.deep.equal([{ id: 'toolu_1', type: 'function', function: { name: 'lookup', arguments: '{"n":42}' } }]);
    expect(built.finishReason).to.equal('tool_calls');
    expect(built.message.content_blocks).to.deep.equal([run, call]);
  });

  it('a citation of a search result the page gave (search_result_location) links its source when that is a web address', () => {
    const cite = (source: string) => delta(0, { type: 'citations_delta', citation: { type: 'search_result_location', source, title: 'KB', cited_text: 'x', search_result_index: 0, start_block_index: 0, end_block_index: 0 } });
    const built = message(start(0, { type: 'text', text: '' }), cite('https://kb.example/doc'), cite('kb-internal-7'), cite('javascript:alert(1)'), stop(0));
    expect(built.message.sources).to.deep.equal([{ url: 'https://kb.example/doc', title: 'KB' }]);
  });

  it('message_stop ends the stream; what follows is ignored', () => {
    const decoder = anthropic.createDecoder();
    expect(decoder.decode({ data: '{"type":"message_stop"}' }).done).to.equal(true);
    expect(decoder.decode({ data: '[DONE]' })).to.deep.equal({ deltas: [] });
    expect(decoder.decode({ data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}}' })).to.deep.equal({ deltas: [] });
  });

  it('an error event is a provider error with its message and type; data that is not JSON is a protocol error', () => {
    const failure = (data: string, event?: string) => thrownBy(() => anthropic.createDecoder().decode({ data, event })) as StreamChatError;
    const overloaded = failure('{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}', 'error');
    expect([overloaded.kind, overloaded.message, overloaded.code]).to.deep.equal(['provider', 'Overloaded', 'overloaded_error']);
    expect(failure('{"type": "error", "error": {"type": "api_error", "message": "Internal"}, "request_id": "req_011"}').requestId).to.equal('req_011');
    expect(failure('{oops').kind).to.equal('protocol');
  });

  it('server tools by their own kind (web fetch, code execution, MCP), what each did from its input', () => {
    const { message: answer } = message(
      start(0, { type: 'server_tool_use', id: 's1', name: 'web_fetch', input: { url: 'https://example.com/ü' } }),
      start(1, { type: 'server_tool_use', id: 's2', name: 'bash_code_execution', input: { command: 'ls -la\npwd' } }),
      start(2, { type: 'mcp_tool_use', id: 's3', name: 'list_issues', server_name: 'github', input: {} }),
      start(3, { type: 'web_fetch_tool_result', tool_use_id: 's1', content: {} }),
      start(4, { type: 'mcp_tool_result', tool_use_id: 's3', content: [] }),
    );
    expect(answer.server_tools).to.deep.equal([
      { name: 'web_fetch', detail: 'https://example.com/ü', at: 0 },
      { name: 'bash_code_execution', detail: 'ls -la', at: 0 },
      { name: 'list_issues', detail: '', at: 0 },
    ]);
  });

  it('a JSON body that is an error, or not a message, fails', () => {
    const fromJson = (payload: unknown) => () => anthropic.createDecoder().fromJson(payload);
    expect(fromJson({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } }))
      .to.throw(StreamChatError, 'max_tokens: Field required')
      .with.property('kind', 'provider');
    expect(fromJson({ choices: [] })).to.throw(StreamChatError).with.property('kind', 'protocol');
  });
});

describe('anthropic: extended thinking with tools', () => {
  const useTool = (index: number, id: string, partial_json: string) => [
    start(index, { type: 'tool_use', id, name: 'get_weather', input: {} }),
    delta(index, { type: 'input_json_delta', partial_json }),
    stop(index),
  ];
  const toolUse = { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 40 } };

  it('a thinking block is kept whole once it ends: every thinking_delta piece and its signature however split; the reasoning shows the text only', () => {
    const decoder = anthropic.createDecoder();
    const decode = (event: object) => decoder.decode({ data: JSON.stringify(event) }).deltas;
    expect(decode(start(0, { type: 'thinking', thinking: '', signature: '' }))).to.deep.equal([]);
    expect(decode(delta(0, { type: 'thinking_delta', thinking: 'Weather ' }))).to.deep.equal([{ type: 'reasoning', text: 'Weather ' }]);
    expect(decode(delta(0, { type: 'thinking_delta', thinking: '' }))).to.deep.equal([]);
    expect(decode(delta(0, { type: 'thinking_delta', thinking: 'in Zürich.' }))).to.deep.equal([{ type: 'reasoning', text: 'in Zürich.' }]);
    expect(decode(delta(0, { type: 'signature_delta', signature: 'EqQBCgIY' }))).to.deep.equal([]);
    expect(decode(delta(0, { type: 'signature_delta', signature: 'AhIMsig=' }))).to.deep.equal([]);
    expect(decode(stop(0))).to.deep.equal([{ type: 'thinking-block', block: { type: 'thinking', thinking: 'Weather in Zürich.', signature: 'EqQBCgIYAhIMsig=' } }]);
  });

  it('a thinking block cut before it ended is not kept; one with only a signature is kept as it came and shows nothing', () => {
    const cut = message(start(0, { type: 'thinking', thinking: '', signature: '' }), delta(0, { type: 'thinking_delta', thinking: 'Half a tho' }));
    expect(cut.message).to.deep.equal({ role: 'assistant', content: '', reasoning: 'Half a tho' });
    const bare = message(start(0, { type: 'thinking', thinking: '', signature: '' }), delta(0, { type: 'signature_delta', signature: 'EqQBonly' }), stop(0));
    expect(bare.message).to.deep.equal({ role: 'assistant', content: '', thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'EqQBonly' }] });
  });

  it('blocks still open when the message ends (no content_block_stop, as Kimi’s endpoint leaves some out) end as their stop would end them, once', () => {
    const events = [
      start(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'Look it up.' }),
      delta(0, { type: 'signature_delta', signature: 'sig' }),
      start(1, { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'Zürich' } }),
      start(2, { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} }),
      stop(2),
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
    ];
    for (const end of [[], [{ type: 'message_stop' }]]) {
      const { message: answer } = message(...events, ...end);
      // Before: the first call's input was lost ({}), and the thinking block that goes back with its result.
      expect(answer.tool_calls?.map((call) => call.function.arguments)).to.deep.equal(['{"q":"Zürich"}', '{}']);
      expect(answer.thinking_blocks).to.deep.equal([{ type: 'thinking', thinking: 'Look it up.', signature: 'sig' }]);
    }
    // Without message_delta, message_stop ends them too.
    expect(message(start(0, { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } }), { type: 'message_stop' }).message.tool_calls?.[0]?.function.arguments).to.equal('{"q":"x"}');
  });

  it('the next request of the tool loop sends the thinking block back, field by field, before the tool_use block', () => {
    const { message: answer } = message(
      { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 50, output_tokens: 1 } } },
      start(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'The user wants the weather. ' }),
      delta(0, { type: 'thinking_delta', thinking: 'Call get_weather.' }),
      delta(0, { type: 'signature_delta', signature: 'EuYBCkQIBxgCIkBsig' }),
      stop(0),
      start(1, { type: 'text', text: '' }),
      delta(1, { type: 'text_delta', text: 'Checking.' }),
      stop(1),
      ...useTool(2, 'toolu_01A', '{"city": "Oslo"}'),
      toolUse,
      { type: 'message_stop' },
    );
    const { body } = build({ messages: [{ role: 'user', content: 'Weather in Oslo?' }, answer, { role: 'tool', tool_call_id: 'toolu_01A', content: 'clear' }] });
    expect(body['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'The user wants the weather. Call get_weather.', signature: 'EuYBCkQIBxgCIkBsig' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: 'clear' }] },
    ]);
  });

  it('redacted_thinking round-trips: its data goes back unchanged, in order among the thinking blocks, also after the history was saved as JSON', () => {
    const data = 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP+NRj2YfWXGmKDxH4mPnZ5sQ7vB5URj==';
    const { message: answer } = message(
      start(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'First.' }),
      delta(0, { type: 'signature_delta', signature: 'sigA' }),
      stop(0),
      start(1, { type: 'redacted_thinking', data }),
      stop(1),
      start(2, { type: 'thinking', thinking: '', signature: '' }),
      delta(2, { type: 'thinking_delta', thinking: 'Third.' }),
      delta(2, { type: 'signature_delta', signature: 'sigC' }),
      stop(2),
      ...useTool(3, 'toolu_01R', '{}'),
      toolUse,
    );
    expect(answer.reasoning, 'the redacted block shows nothing').to.equal('First.\n\nThird.');
    const saved = JSON.parse(JSON.stringify([{ role: 'user', content: 'Hi' }, answer, { role: 'tool', tool_call_id: 'toolu_01R', content: 'ok' }])) as ChatMessage[];
    expect((build({ messages: saved }).body['messages'] as Array<{ content: object[] }>)[1]!.content).to.deep.equal([
      { type: 'thinking', thinking: 'First.', signature: 'sigA' },
      { type: 'redacted_thinking', data },
      { type: 'thinking', thinking: 'Third.', signature: 'sigC' },
      { type: 'tool_use', id: 'toolu_01R', name: 'get_weather', input: {} },
    ]);
  });

  it('history saved before thinking blocks were kept (reasoning, no thinking_blocks) sends no thinking block', () => {
    const older: ChatMessage[] = [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: '', reasoning: 'Call the tool.', tool_calls: [{ id: 'toolu_0', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'toolu_0', content: 'clear' },
    ];
    expect((build({ messages: older }).body['messages'] as Array<{ content: object[] }>)[1]!.content).to.deep.equal([
      { type: 'tool_use', id: 'toolu_0', name: 'get_weather', input: {} },
    ]);
  });
});

describe('anthropic: a turn its server tools paused (pause_turn), and answers that ran them', () => {
  const end = (stop_reason: string) => ({ type: 'message_delta', delta: { stop_reason }, usage: { output_tokens: 9 } });
  const citation = { type: 'web_search_result_location', url: 'https://orsted.com/en', title: 'Ørsted', encrypted_index: 'Eo8B', cited_text: 'Ørsted is…' };
  const result = { type: 'web_search_result', url: 'https://orsted.com/en', title: 'Ørsted', encrypted_content: 'EqgfCioIARgBIiQ3YTAw', page_age: null };

  /** Thinking, a text with a citation, a search with its result, a compaction, then a search the API has yet to run: the turn pauses. */
  const paused = () =>
    message(
      start(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'Search first.' }),
      delta(0, { type: 'signature_delta', signature: 'sigP' }),
      stop(0),
      start(1, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }),
      delta(1, { type: 'input_json_delta', partial_json: '{"query": "Ørs' }),
      delta(1, { type: 'input_json_delta', partial_json: 'ted"}' }),
      stop(1),
      start(2, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [result] }),
      stop(2),
      start(3, { type: 'text', text: '', citations: [] }),
      delta(3, { type: 'citations_delta', citation }),
      delta(3, { type: 'text_delta', text: 'A Danish ' }),
      delta(3, { type: 'text_delta', text: 'company. ' }),
      stop(3),
      start(4, { type: 'compaction', content: '' }),
      delta(4, { type: 'compaction_delta', content: 'Summary ' }),
      delta(4, { type: 'compaction_delta', content: 'so far.' }),
      stop(4),
      start(5, { type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_search', input: { query: 'Ørsted 2026' } }),
      stop(5),
      end('pause_turn'),
      { type: 'message_stop' },
    ).message;
  const pausedBlocks = [
    { type: 'thinking', thinking: 'Search first.', signature: 'sigP' },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'Ørsted' } },
    { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [result] },
    { type: 'text', text: 'A Danish company. ', citations: [citation] },
    { type: 'compaction', content: 'Summary so far.' },
    { type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_search', input: { query: 'Ørsted 2026' } },
  ];
  /** The next response: the paused search's result first, then more thinking and the answer. */
  const continued = () =>
    message(
      start(0, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_2', content: [result] }),
      stop(0),
      start(1, { type: 'thinking', thinking: '', signature: '' }),
      delta(1, { type: 'thinking_delta', thinking: 'Enough.' }),
      delta(1, { type: 'signature_delta', signature: 'sigC' }),
      stop(1),
      start(2, { type: 'text', text: '' }),
      delta(2, { type: 'text_delta', text: 'It builds wind farms.' }),
      stop(2),
      end('end_turn'),
    ).message;

  it('an answer that ran a server tool keeps its blocks as they came, in order, each delta laid on its block; one without keeps none', () => {
    const answer = paused();
    expect(answer.content_blocks).to.deep.equal(pausedBlocks);
    // What is shown is as before.
    expect([answer.content, answer.reasoning, answer.server_tools?.length, answer.sources]).to.deep.equal(['A Danish company. ', 'Search first.', 2, [{ url: 'https://orsted.com/en', title: 'Ørsted' }]]);
    const plain = message(start(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'Hi.' }), stop(0), ...[start(1, { type: 'tool_use', id: 't', name: 'f', input: {} }), stop(1)], end('tool_use'));
    expect(plain.message).to.not.have.property('content_blocks');
    // A whole message (a server that ignored stream: true) keeps them too.
    const decoded = anthropic.createDecoder().fromJson({ type: 'message', role: 'assistant', content: pausedBlocks, stop_reason: 'pause_turn', usage: { output_tokens: 9 } });
    expect(decoded.deltas.find((each) => each.type === 'content-blocks')).to.deep.equal({ type: 'content-blocks', blocks: pausedBlocks });
  });

  it('interleaved thinking (between tool calls, on with adaptive thinking) keeps its blocks as they came, and they go back in that order', () => {
    const thought = (index: number, text: string, signature: string) => [
      start(index, { type: 'thinking', thinking: '', signature: '' }),
      delta(index, { type: 'thinking_delta', thinking: text }),
      delta(index, { type: 'signature_delta', signature }),
      stop(index),
    ];
    const call = (index: number, id: string, json: string) => [start(index, { type: 'tool_use', id, name: 'f', input: {} }), delta(index, { type: 'input_json_delta', partial_json: json }), stop(index)];
    const { message: answer } = message(...thought(0, 'First f.', 'sigA'), ...call(1, 'toolu_1', '{"n":1}'), ...thought(2, 'Then f again.', 'sigB'), ...call(3, 'toolu_2', '{"n":2}'), end('tool_use'));
    const blocks = [
      { type: 'thinking', thinking: 'First f.', signature: 'sigA' },
      { type: 'tool_use', id: 'toolu_1', name: 'f', input: { n: 1 } },
      { type: 'thinking', thinking: 'Then f again.', signature: 'sigB' },
      { type: 'tool_use', id: 'toolu_2', name: 'f', input: { n: 2 } },
    ];
    expect(answer.content_blocks).to.deep.equal(blocks);
    const results: ChatMessage[] = ['toolu_1', 'toolu_2'].map((id) => ({ role: 'tool', tool_call_id: id, content: 'ok' }));
    const sent = build({ messages: [{ role: 'user', content: 'Q' }, answer, ...results] }).body['messages'] as Array<{ content: unknown[] }>;
    // Before, both thinking blocks went first, which the API refuses ("cannot be modified").
    expect(sent[1]!.content).to.deep.equal(blocks);
    // Thinking first, then the rest, is not interleaved: nothing kept.
    expect(message(...thought(0, 'Only first.', 'sigA'), ...call(1, 'toolu_1', '{}'), end('tool_use')).message).to.not.have.property('content_blocks');
  });

  it("an answer kept as its blocks goes back with its calls' ids as the wire gives them, each result with its call's (a server's call_0 in every turn)", () => {
    const use = { type: 'tool_use', id: 'call_0', name: 'f', input: {} };
    const kept: ChatMessage = { ...calling('call_0', 'f'), content_blocks: [{ type: 'text', text: 'Again.' }, { type: 'thinking', thinking: 'Once more.', signature: 'sig' }, use] };
    const sent = build({ messages: [{ role: 'user', content: 'Q' }, calling('call_0', 'f'), { role: 'tool', tool_call_id: 'call_0', content: 'A' }, kept, { role: 'tool', tool_call_id: 'call_0', content: 'B' }] }).body['messages'] as Array<{ content: Array<Record<string, unknown>> }>;
    // Before, the kept block went as call_0 again, its result as call_1: a tool_result of no call, refused.
    expect(sent[3]!.content[2]).to.deep.equal({ ...use, id: 'call_1' });
    expect(sent[4]!.content).to.deep.equal([{ type: 'tool_result', tool_use_id: 'call_1', content: 'B' }]);
    expect(kept.content_blocks![2]).to.equal(use);
  });

  it("a kept answer's calls go with their own calls' ids, not the next in order: a tool_use block that is no call (no name) is left out", () => {
    const search = [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }];
    const use = { type: 'tool_use', id: 'call_0', name: 'f', input: {} };
    const kept: ChatMessage = { ...calling('call_0', 'f'), content_blocks: [...search, { type: 'tool_use', id: 'call_9', name: '', input: {} }, use] };
    const sent = build({ messages: [{ role: 'user', content: 'Q' }, calling('call_0', 'f'), { role: 'tool', tool_call_id: 'call_0', content: 'A' }, kept, { role: 'tool', tool_call_id: 'call_0', content: 'B' }] }).body['messages'] as Array<{ content: Array<Record<string, unknown>> }>;
    // Before, the nameless block took call_1 and f went as call_0 again: two tool_use of call_0, and f's result with the nameless block.
    expect(sent[3]!.content).to.deep.equal([...search, { ...use, id: 'call_1' }]);
    expect(sent[4]!.content).to.deep.equal([{ type: 'tool_result', tool_use_id: 'call_1', content: 'B' }]);
  });

  it('a kept answer whose calls a host gave new ids, not its blocks, sends each block with its call’s new id where there are as many blocks as calls (in order)', () => {
    const uses = ['toolu_a', 'toolu_b'].map((id, at) => ({ type: 'tool_use', id, name: `f${at}`, input: {} }));
    const search = [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }];
    const answer: ChatMessage = { role: 'assistant', content: null, tool_calls: [calling('mine_1', 'f0').tool_calls![0]!, calling('toolu_b', 'f1').tool_calls![0]!], content_blocks: [...search, ...uses] };
    const results: ChatMessage[] = ['mine_1', 'toolu_b'].map((id) => ({ role: 'tool', tool_call_id: id, content: 'ok' }));
    const sent = build({ messages: [{ role: 'user', content: 'Q' }, answer, ...results, { role: 'user', content: 'Again?' }] }).body['messages'] as Array<{ content: Array<Record<string, unknown>> }>;
    expect(sent[1]!.content.slice(2)).to.deep.equal([{ ...uses[0], id: 'mine_1' }, uses[1]]);
    expect(sent[2]!.content.slice(0, 2).map((block) => block['tool_use_id'])).to.deep.equal(['mine_1', 'toolu_b']);
  });

  it('a kept answer’s call that has no tool_use block (a page kept its tool_calls only) goes as one built from the call, after the blocks, so its result has its call', () => {
    const search = [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }];
    const answer: ChatMessage = { role: 'assistant', content: 'Found.', tool_calls: [{ id: 'toolu_a', type: 'function', function: { name: 'f', arguments: '{"n":1}' } }], content_blocks: [...search, { type: 'text', text: 'Found.' }] };
    const sent = build({ messages: [{ role: 'user', content: 'Q' }, answer, { role: 'tool', tool_call_id: 'toolu_a', content: 'ok' }] }).body['messages'] as Array<{ content: Array<Record<string, unknown>> }>;
    // Before, the answer went as its three blocks: a tool_result whose answer has no tool_use, refused.
    expect(sent[1]!.content).to.deep.equal([...search, { type: 'text', text: 'Found.' }, { type: 'tool_use', id: 'toolu_a', name: 'f', input: { n: 1 } }]);
    expect(sent[2]!.content).to.deep.equal([{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'ok' }]);
  });

  it('the paused answer goes back last, its blocks unchanged and unsorted, so the API goes on with the turn; the message is left as it was', () => {
    const answer = paused();
    const saved = JSON.parse(JSON.stringify(answer)) as ChatMessage;
    const { body } = build({ messages: [{ role: 'user', content: 'Who is Ørsted?' }, answer] });
    expect(body['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Who is Ørsted?' }] },
      { role: 'assistant', content: pausedBlocks },
    ]);
    expect(answer).to.deep.equal(saved);
  });

  it('later, the paused answer and the one that went on with it are one turn, their blocks in the order they came; its thinking is not moved first', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'Who is Ørsted?' }, paused(), continued(), { role: 'user', content: 'And its CEO?' }];
    expect((build({ messages: JSON.parse(JSON.stringify(messages)) as ChatMessage[] }).body['messages'] as unknown[])[1]).to.deep.equal({
      role: 'assistant',
      content: [
        ...pausedBlocks,
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_2', content: [result] },
        { type: 'thinking', thinking: 'Enough.', signature: 'sigC' },
        { type: 'text', text: 'It builds wind farms.' },
      ],
    });
  });

  it('a search whose result never came (a stop cut the answer that went on) is left out of a turn that is not the last, and a turn left empty too', () => {
    const cut: ChatMessage = { role: 'assistant', content: 'It bu' };
    const { body } = build({ messages: [{ role: 'user', content: 'Who is Ørsted?' }, paused(), cut, { role: 'user', content: 'Go on.' }] });
    expect((body['messages'] as Array<{ content: Array<{ id?: string }> }>)[1]!.content.map((block) => block.id ?? '')).to.deep.equal(['', 'srvtoolu_1', '', '', '', '']);
    const alone: ChatMessage = { role: 'assistant', content: '', content_blocks: [{ type: 'server_tool_use', id: 'srvtoolu_9', name: 'web_search', input: {} }] };
    expect(build({ messages: [{ role: 'user', content: 'Q' }, alone, { role: 'user', content: 'Again?' }] }).body['messages']).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'Q' }] },
      { role: 'user', content: [{ type: 'text', text: 'Again?' }] },
    ]);
  });

  it('a stopped answer given to continue (retry()) after a pause: the search it cut is left out, as only a last block may go without its result', () => {
    const cut: ChatMessage = { role: 'assistant', content: 'It is' };
    const turn = (build({ messages: [{ role: 'user', content: 'Who is Ørsted?' }, paused(), cut] }).body['messages'] as Array<{ content: Array<{ id?: string; text?: string }> }>)[1]!;
    expect(turn.content.map((block) => block.id ?? block.text ?? '')).to.deep.equal(['', 'srvtoolu_1', '', 'A Danish company. ', '', 'It is']);
  });

  it('text blocks that are only white space are left out, as the API refuses them; a last text block loses its trailing white space in the request only', () => {
    const spaced: ChatMessage = {
      role: 'assistant',
      content: '\n\n',
      content_blocks: [
        { type: 'server_tool_use', id: 's1', name: 'web_search', input: {} },
        { type: 'web_search_tool_result', tool_use_id: 's1', content: [] },
        { type: 'text', text: '\n\n' },
      ],
    };
    expect((build({ messages: [{ role: 'user', content: 'Q' }, spaced] }).body['messages'] as Array<{ content: unknown[] }>)[1]!.content).to.deep.equal(spaced.content_blocks!.slice(0, 2));
  });

  it("blocks a host or storage gave that are not a list of typed blocks are none: the answer goes as its content", () => {
    for (const junk of [[null], [], 'x', [{}], [{ type: 'text' }]]) {
      const answer = { role: 'assistant', content: 'Hello', content_blocks: junk } as unknown as ChatMessage;
      expect((build({ messages: [{ role: 'user', content: 'Q' }, answer] }).body['messages'] as unknown[])[1], JSON.stringify(junk)).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'Hello' }] });
    }
    const question = { role: 'user', content: 'Q', content_blocks: [{ type: 'text', text: 'other' }] } as ChatMessage;
    expect(build({ messages: [question] }).body['messages']).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'Q' }] }]);
  });

  describe('a server tool deferred past client tools (its call in one answer, its result first in the next)', () => {
    // As Claude answers when it calls the page's tool and a server tool at once: the server tool
    // runs once the page's results are back, and its result starts the next response.
    const first = () =>
      message(
        start(0, { type: 'text', text: '' }),
        delta(0, { type: 'text_delta', text: 'Reading the notes, and looking for a tool.' }),
        stop(0),
        start(1, { type: 'tool_use', id: 'toolu_A', name: 'read_notes', input: {}, caller: { type: 'direct' } }),
        delta(1, { type: 'input_json_delta', partial_json: '' }),
        delta(1, { type: 'input_json_delta', partial_json: '{"id": 7}' }),
        stop(1),
        start(2, { type: 'server_tool_use', id: 'srvtoolu_S', name: 'tool_search_tool_bm25', input: {}, caller: { type: 'direct' } }),
        delta(2, { type: 'input_json_delta', partial_json: '{"query": "edit a note"}' }),
        stop(2),
        end('tool_use'),
      ).message;
    const found = { type: 'tool_search_tool_result', tool_use_id: 'srvtoolu_S', content: { type: 'tool_search_tool_search_result', tool_references: [{ type: 'tool_reference', tool_name: 'edit_note' }] } };
    const second = () =>
      message(
        start(0, found),
        stop(0),
        start(1, { type: 'text', text: '' }),
        delta(1, { type: 'text_delta', text: 'Editing it.' }),
        stop(1),
        start(2, { type: 'tool_use', id: 'toolu_B', name: 'edit_note', input: {} }),
        delta(2, { type: 'input_json_delta', partial_json: '{"id": 7}' }),
        stop(2),
        end('tool_use'),
      ).message;
    const turns = (messages: ChatMessage[]) => build({ messages: JSON.parse(JSON.stringify(messages)) as ChatMessage[] }).body['messages'] as Array<{ role: string; content: Array<{ type: string; id?: string; tool_use_id?: string }> }>;
    const question: ChatMessage = { role: 'user', content: 'Add a line to note 7.' };

    it('the request after the page’s results keeps the server tool’s call, which the API runs then (before, it was left out)', () => {
      const sent = turns([question, first(), { role: 'tool', tool_call_id: 'toolu_A', content: 'Note 7: …' }]);
      expect(sent[1]!.content.map((block) => block.id ?? block.type)).to.deep.equal(['text', 'toolu_A', 'srvtoolu_S']);
      expect(sent[2]!.content.map((block) => block.type)).to.deep.equal(['tool_result']);
    });

    it('the request after the next answer keeps the call with its turn, for the result that came in the next (before, a result without its call: refused)', () => {
      const sent = turns([question, first(), { role: 'tool', tool_call_id: 'toolu_A', content: 'Note 7: …' }, second(), { role: 'tool', tool_call_id: 'toolu_B', content: 'done' }]);
      expect(sent.map((turn) => turn.content.map((block) => block.id ?? block.tool_use_id ?? block.type))).to.deep.equal([
        ['text'],
        ['text', 'toolu_A', 'srvtoolu_S'],
        ['toolu_A'],
        ['srvtoolu_S', 'text', 'toolu_B'],
        ['toolu_B'],
      ]);
    });

    it('one whose result never came (a stop cut the next answer) is left out, as before; so is one whose results go with a question (a stop during the page’s tools), which the API refuses', () => {
      const result: ChatMessage = { role: 'tool', tool_call_id: 'toolu_A', content: 'Note 7: …' };
      const sent = turns([question, first(), result, { role: 'assistant', content: 'Edit' }, { role: 'user', content: 'Go on.' }]);
      expect(sent[1]!.content.map((block) => block.id ?? block.type)).to.deep.equal(['text', 'toolu_A']);
      const asked = turns([question, first(), result, { role: 'user', content: 'Never mind.' }]);
      expect(asked.slice(1).map((turn) => turn.content.map((block) => block.id ?? block.type))).to.deep.equal([['text', 'toolu_A'], ['tool_result', 'text']]);
    });
  });

  it('blocks of types the API does not take back (a type newer than this code) are kept on the answer but not sent: the API refuses the request, and every one after it', () => {
    const answer = message(
      start(0, { type: 'fallback', from: { model: 'a' }, to: { model: 'b' } }),
      stop(0),
      start(1, { type: 'text', text: '' }),
      delta(1, { type: 'text_delta', text: 'Hello.' }),
      stop(1),
      end('end_turn'),
    ).message;
    expect(answer.content_blocks?.map((block) => block['type'])).to.deep.equal(['fallback', 'text']);
    const sent = build({ messages: [{ role: 'user', content: 'Q' }, answer, { role: 'user', content: 'And?' }] }).body['messages'] as Array<{ content: unknown[] }>;
    expect(sent[1]!.content).to.deep.equal([{ type: 'text', text: 'Hello.' }]);
    // What it takes back stays: thinking, tools of every kind, their results, compaction, a file the container got.
    const kinds = ['thinking', 'redacted_thinking', 'server_tool_use', 'mcp_tool_use', 'mcp_tool_result', 'code_execution_tool_result', 'bash_code_execution_tool_result', 'compaction', 'container_upload'];
    const all: ChatMessage = { role: 'assistant', content: 'x', content_blocks: [...kinds.map((type) => ({ type, id: type, tool_use_id: type })), { type: 'text', text: 'x' }] };
    const back = build({ messages: [{ role: 'user', content: 'Q' }, all, { role: 'user', content: 'And?' }] }).body['messages'] as Array<{ content: Array<{ type: string }> }>;
    expect(back[1]!.content.map((block) => block.type)).to.deep.equal([...kinds, 'text']);
  });

  it('a user turn with tool results has them first, as the API wants, also where a history put a question between a call and its result', () => {
    const sent = build({
      messages: [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'user', content: 'Also this.' },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'ok' },
      ],
    }).body['messages'] as Array<{ content: Array<{ type: string }> }>;
    expect(sent[2]!.content.map((block) => block.type)).to.deep.equal(['tool_result', 'text']);
  });

  it('a result after a question keeps the id its call went out with (one without an id, from another API)', () => {
    // Before, the question between them made the result go with its own id, "": refused.
    const sent = build({ messages: [{ role: 'user', content: 'Q' }, calling('', 'f'), { role: 'user', content: 'Also this.' }, { role: 'tool', tool_call_id: '', content: 'ok' }] }).body['messages'] as Array<{ content: Array<Record<string, unknown>> }>;
    expect([sent[1]!.content[0]!['id'], sent[2]!.content[0]!['tool_use_id']]).to.deep.equal(['call_0', 'call_0']);
  });

  it('a result after an answer with `tool_calls: []` keeps the id its call went out with, as after a question', () => {
    // Before, the empty list closed the call: its result went with its own id, "", refused.
    const sent = build({ messages: [{ role: 'user', content: 'Q' }, calling('', 'f'), { role: 'assistant', content: 'x', tool_calls: [] }, { role: 'tool', tool_call_id: '', content: 'r' }] }).body['messages'] as Array<{ content: Array<Record<string, unknown>> }>;
    expect([sent[1]!.content[0]!['id'], sent[2]!.content[0]!['tool_use_id']]).to.deep.equal(['call_0', 'call_0']);
  });

  it('a last answer to continue that ends with text loses its trailing white space in the request only', () => {
    const answer: ChatMessage = { role: 'assistant', content: 'Hi. ', content_blocks: [{ type: 'text', text: 'Hi. ' }] };
    expect((build({ messages: [{ role: 'user', content: 'Q' }, answer] }).body['messages'] as unknown[])[1]).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'Hi.' }] });
    expect(answer.content_blocks).to.deep.equal([{ type: 'text', text: 'Hi. ' }]);
  });
});

describe('anthropic: the code execution container across a turn', () => {
  const later = { id: 'container_2', expires_at: '2999-01-01T00:00:00Z' };
  const gone = { id: 'container_0', expires_at: '2000-01-01T00:00:00Z' };
  const answer = (container: object | undefined, content = 'Ran.') => ({ role: 'assistant', content, container }) as unknown as ChatMessage;

  it('the container an answer ran in is kept on it: from message_delta, from message_start when the stream is cut, from a whole message', () => {
    const begin = (container: object | null) => ({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], container, usage: { input_tokens: 1 } } });
    const text = [start(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'Ran.' }), stop(0)];
    const ended = { type: 'message_delta', delta: { stop_reason: 'end_turn', container: later }, usage: { output_tokens: 2 } };
    // Before, it was dropped: the next request's code ran in a fresh container, without the files written before.
    expect(message(begin(null), ...text, ended, { type: 'message_stop' }).message.container).to.deep.equal(later);
    expect(message(begin(later), ...text).message.container).to.deep.equal(later);
    expect(message(begin(later), ...text, { type: 'message_delta', delta: { stop_reason: 'end_turn', container: null } }).message.container).to.deep.equal(later);
    const decoded = anthropic.createDecoder().fromJson({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Ran.' }], container: later, stop_reason: 'end_turn' });
    expect(decoded.deltas).to.deep.include({ type: 'container', container: later });
    expect(message(begin(null), ...text, { type: 'message_stop' }).message).to.not.have.property('container');
  });

  it("a container object of only an id is never sent, and a paused turn's continuation sends the id alone", () => {
    const containerOf = (messages: ChatMessage[], body?: Record<string, unknown>) => build({ messages, ...(body && { body }) }).body['container'];
    const q = (content: string): ChatMessage => ({ role: 'user', content });
    const skills = [{ type: 'anthropic', skill_id: 'xlsx', version: 'latest' }];
    // The API refuses `{ id }` alone ('container: Input should be a valid string'): a page's object without skills.
    expect(containerOf([q('Q'), answer(later), q('Q2')], { container: {} })).to.equal('container_2');
    // Going on with a paused answer: the container it ran in, its skills loaded already (pydantic-ai
    // found the object refused there by some models, the id taken).
    expect(containerOf([q('Q'), answer(later)], { container: { skills } })).to.equal('container_2');
  });

  it("the request sends the last answer's container that has not expired as `container` (its id), in the page's skills; the page's own container wins", () => {
    const containerOf = (messages: ChatMessage[], body?: Record<string, unknown>) => build({ messages, ...(body && { body }) }).body['container'];
    const q = (content: string): ChatMessage => ({ role: 'user', content });
    expect(containerOf([q('Q'), answer(gone), q('Q2'), answer(later), q('Q3')])).to.equal('container_2');
    // A paused answer, sent last to go on with: its container too.
    expect(containerOf([q('Q'), answer(later)])).to.equal('container_2');
    expect(containerOf([q('Q'), answer(later), q('Q2'), answer(gone), q('Q3')])).to.equal('container_2');
    expect(containerOf([q('Q'), answer(gone), q('Q2')])).to.equal(undefined);
    expect(containerOf([q('Q'), answer(undefined), q('Q2')])).to.equal(undefined);
    expect(containerOf([q('Q'), answer({ id: 'container_3' }), q('Q2')]), 'no expiry given').to.equal('container_3');
    expect(containerOf([q('Q'), answer(later), q('Q2')], { container: 'container_mine' })).to.equal('container_mine');
    // Skills are set as an object (`{ skills }`): the container goes in it as its id, as Anthropic's skills guide
    // reuses one, unless the page gave one.
    const skills = [{ type: 'anthropic', skill_id: 'xlsx', version: 'latest' }];
    expect(containerOf([q('Q'), answer(later), q('Q2')], { container: { skills } })).to.deep.equal({ id: 'container_2', skills });
    expect(containerOf([q('Q'), answer(later), q('Q2')], { container: { id: 'container_mine', skills } })).to.deep.equal({ id: 'container_mine', skills });
    expect(containerOf([q('Q'), answer(gone), q('Q2')], { container: { skills } })).to.deep.equal({ skills });
  });

  it('a turn that goes on (its results alone after it, or the answer itself) sends its container also past expires_at', () => {
    const containerOf = (messages: ChatMessage[]) => build({ messages }).body['container'];
    const q: ChatMessage = { role: 'user', content: 'Q' };
    // (Expired an hour ago: within the 30 days the API restores a container for.)
    const gone = { id: 'container_0', expires_at: new Date(Date.now() - 3_600_000).toISOString() };
    const calls = { ...answer(gone), tool_calls: calling('toolu_1', 'f').tool_calls } as ChatMessage;
    // Before, none went once `expires_at` passed (a page's tool that asked its user first): the API
    // wants it for code waiting on the results ("container_id is required when there are pending tool
    // uses generated by code execution with tools"), and restores it for 30 days (`expires_at` is a
    // shorter, rolling time).
    expect(containerOf([q, calls, { role: 'tool', tool_call_id: 'toolu_1', content: 'r' }])).to.equal('container_0');
    expect(containerOf([q, answer(gone)])).to.equal('container_0');
    expect(containerOf([q, calls, { role: 'system', content: 'Be brief.' }, { role: 'tool', tool_call_id: 'toolu_1', content: 'r' }]), 'a system message the page added').to.equal('container_0');
    expect(containerOf([q, answer(later), q, answer(undefined)]), 'it ran no code: the last that did').to.equal('container_2');
    expect(containerOf([q, calls, { role: 'tool', tool_call_id: 'toolu_1', content: 'r' }, q])).to.equal(undefined);
  });

  it('a refused answer, left out of the request, is no turn that goes on: its container past expires_at is not sent', () => {
    const containerOf = (messages: ChatMessage[]) => build({ messages }).body['container'];
    const q: ChatMessage = { role: 'user', content: 'Q' };
    // (Expired an hour ago: an answer that went on would send it.)
    const refused = { ...answer({ id: 'container_0', expires_at: new Date(Date.now() - 3_600_000).toISOString() }), stop_details: { type: 'refusal' } } as ChatMessage;
    // retry() after a refusal asks the question again (the refused answer left out): a new question.
    expect(build({ messages: [q, refused] }).body['messages']).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'Q' }] }]);
    expect(containerOf([q, refused])).to.equal(undefined);
  });

  it('a turn that goes on sends no container past the 30 days the API restores one for', () => {
    const containerOf = (messages: ChatMessage[]) => build({ messages }).body['container'];
    const q: ChatMessage = { role: 'user', content: 'Q' };
    const expired = (days: number) => ({ id: 'container_1', expires_at: new Date(Date.now() - days * 86_400_000).toISOString() });
    // A stopped answer restored (storage-key) weeks later and retried: its container is gone; sent, the
    // request is refused each retry, where without it the answer went on (without the files).
    expect(containerOf([q, answer(expired(31))])).to.equal(undefined);
    expect(containerOf([q, answer(expired(1))])).to.equal('container_1');
  });
});
