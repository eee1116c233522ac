/**
 * What a reader does around an answer, headless: regenerate it, edit the question, clear the
 * conversation; and the stats every `done` carries, on a FakeClock so each number is exact.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { Status } from '../src/core/conversation.js';
import type { ChatMessage, Tool } from '../src/core/types.js';
import { answer, conversationFor, conversationWith, doneOf, errorOf, nextTask, runOut } from './helpers/conversation.js';
import { FakeClock } from './helpers/clock.js';
import { rejectionOf } from './helpers/rejection.js';
import { DONE, chunkEvent } from './helpers/server.js';
import { TestBody, fakeFetch, fakeHttpError } from './helpers/streaming.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';

function sentMessages(fetch: ReturnType<typeof fakeFetch>, at: number): ChatMessage[] {
  return (JSON.parse(fetch.requests[at]!.init.body as string) as { messages: ChatMessage[] }).messages;
}

describe('Conversation: regenerate, edit, clear', () => {
  failOnUnhandledRejection();

  it('regenerate() sends the conversation up to the last question again; the new answer replaces the old', async () => {
    const fetch = fakeFetch({ body: answer('First') }, { body: answer('Second') });
    const { conversation, clock, ends } = conversationFor(fetch);
    await doneOf(conversation, conversation.send('Q'), ends, clock);
    const detail = await doneOf(conversation, conversation.regenerate(), ends, clock, 1);
    expect(detail.content).to.equal('Second');
    expect(conversation.messages).to.deep.equal([
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'Second' },
    ]);
    expect(sentMessages(fetch, 1)).to.deep.equal([{ role: 'user', content: 'Q' }]);
  });

  it('regenerate() drops a whole tool turn after the question; while streaming it stops the answer first', async () => {
    const body = new TestBody();
    const fetch = fakeFetch({ body }, { body: answer('Again') });
    const { conversation, clock, ends } = conversationFor(fetch);
    conversation.messages = [
      { role: 'user', content: 'Old' },
      { role: 'assistant', content: 'Old answer' },
      { role: 'user', content: 'Q' },
    ];
    const first = conversation.send('Q2');
    body.write(chunkEvent({ content: 'partial' }));
    await nextTask();
    const again = conversation.regenerate();
    expect((await first).aborted).to.equal(true);
    expect((await doneOf(conversation, again, ends, clock, 1)).content).to.equal('Again');
    // The stopped partial answer went with everything after the last question (whose two questions go as one).
    expect(sentMessages(fetch, 1).map((m) => m.content)).to.deep.equal(['Old', 'Old answer', 'Q\n\nQ2']);
  });

  it('edit(index, text) replaces the question, drops what followed, and answers it', async () => {
    const fetch = fakeFetch({ body: answer('A1') }, { body: answer('A2') }, { body: answer('Edited answer') });
    const { conversation, clock, ends } = conversationFor(fetch);
    await doneOf(conversation, conversation.send('Q1'), ends, clock);
    await doneOf(conversation, conversation.send('Q2'), ends, clock, 1);
    const detail = await doneOf(conversation, conversation.edit(0, 'Q1, better'), ends, clock, 2);
    expect(detail.content).to.equal('Edited answer');
    expect(conversation.messages).to.deep.equal([
      { role: 'user', content: 'Q1, better' },
      { role: 'assistant', content: 'Edited answer' },
    ]);
    expect(sentMessages(fetch, 2)).to.deep.equal([{ role: 'user', content: 'Q1, better' }]);
  });

  it('edit() keeps the images of a question with content parts', async () => {
    const fetch = fakeFetch({ body: answer('ok') });
    const { conversation, clock, ends } = conversationFor(fetch);
    const image = { type: 'image_url' as const, image_url: { url: 'https://example.test/cat.png' } };
    conversation.messages = [{ role: 'user', content: [{ type: 'text', text: 'What is it?' }, image] }];
    await doneOf(conversation, conversation.edit(0, 'What animal is it?'), ends, clock);
    expect(sentMessages(fetch, 0)[0]).to.deep.equal({ role: 'user', content: [{ type: 'text', text: 'What animal is it?' }, image] });
  });

  it('edit() puts the new text where the first text part was: an image or a file before its caption stays before it', async () => {
    const image = { type: 'image_url' as const, image_url: { url: 'https://example.test/cat.png' } };
    const file = { type: 'file' as const, file: { file_id: 'file-abc123', filename: 'notes.pdf' } };
    const text = (said: string) => ({ type: 'text' as const, text: said });
    const edited = async (content: ChatMessage['content']) => {
      const fetch = fakeFetch({ body: answer('ok') });
      const { conversation, clock, ends } = conversationFor(fetch);
      conversation.messages = [{ role: 'user', content }];
      await doneOf(conversation, conversation.edit(0, 'New'), ends, clock);
      expect(sentMessages(fetch, 0)[0]!.content).to.deep.equal(conversation.messages[0]!.content);
      return conversation.messages[0]!.content;
    };
    // Before: the text first, [New, image], [New, file, image].
    expect(await edited([image, text('What is it?')])).to.deep.equal([image, text('New')]);
    expect(await edited([file, text('Sum it up.'), image, text(' And this?')])).to.deep.equal([file, text('New'), image]);
    // No text part: the text first, as before.
    expect(await edited([image, file])).to.deep.equal([text('New'), image, file]);
  });

  it('edit() of a picture’s caption to nothing asks with the picture alone, as send() of it would; blank text and nothing else is still refused', async () => {
    const image = { type: 'image_url' as const, image_url: { url: 'https://example.test/cat.png' } };
    for (const blank of ['', ' \n']) {
      const fetch = fakeFetch({ body: answer('A cat.') });
      const { conversation, clock, ends } = conversationFor(fetch);
      conversation.messages = [{ role: 'user', content: [image, { type: 'text', text: 'What is it?' }] }];
      // Before, a RangeError: "The question is empty."
      await doneOf(conversation, conversation.edit(0, blank), ends, clock);
      expect(sentMessages(fetch, 0)[0], JSON.stringify(blank)).to.deep.equal({ role: 'user', content: [image] });
    }
    const { conversation, fetch, ends } = conversationWith({ body: answer('x') });
    conversation.messages = [{ role: 'user', content: [{ type: 'text', text: 'Q' }] }];
    expect(await rejectionOf(conversation.edit(0, ''))).to.be.instanceOf(RangeError);
    expect([fetch.requests.length, ends.length]).to.deep.equal([0, 0]);
  });

  it('edit() with content parts (as send() takes them) makes them the question, not a text part holding them', async () => {
    const fetch = fakeFetch({ body: answer('ok') });
    const { conversation, clock, ends } = conversationFor(fetch);
    const image = (name: string) => ({ type: 'image_url' as const, image_url: { url: `https://example.test/${name}.png` } });
    conversation.messages = [{ role: 'user', content: [{ type: 'text', text: 'What is it?' }, image('cat')] }];
    const parts = [{ type: 'text' as const, text: 'And this one?' }, image('dog')];
    // Before: [{ type: 'text', text: [the parts] }, the cat], refused by the provider in every later request.
    await doneOf(conversation, conversation.edit(0, parts as unknown as string), ends, clock);
    expect(sentMessages(fetch, 0)[0]).to.deep.equal({ role: 'user', content: parts });
  });

  it('edit() of something that is not a question rejects with a RangeError and changes nothing', async () => {
    const { conversation, fetch, ends } = conversationWith({ body: answer('x') });
    conversation.messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'A' },
    ];
    for (const index of [1, 2, -1]) {
      const error = await rejectionOf(conversation.edit(index, 'no'));
      expect(error).to.be.instanceOf(RangeError);
    }
    expect(fetch.requests).to.have.length(0);
    expect(ends).to.have.length(0);
    expect(conversation.messages).to.have.length(2);
  });

  it('nothing to ask: regenerate() without a question, retry() without messages and blank text reject with a RangeError and send nothing', async () => {
    const { conversation, fetch, ends } = conversationWith({ body: answer('x') });
    const calls: [string, () => Promise<unknown>][] = [
      ['regenerate() with no messages', () => conversation.regenerate()],
      // Before, a request with no messages, which every provider refuses.
      ['retry() with no messages', () => conversation.retry()],
      ['send("")', () => conversation.send('')],
      ['send(" \\n")', () => conversation.send(' \n')],
      // No text from plain JavaScript (a missing input's value) is none: not the question "undefined".
      ['send(undefined)', () => conversation.send(undefined as unknown as string)],
      ['send(null)', () => conversation.send(null as unknown as string)],
    ];
    for (const [name, call] of calls) expect(await rejectionOf(call()), name).to.be.instanceOf(RangeError);
    // A greeting alone has no question to answer again: before, it was sent and a second greeting added.
    conversation.messages = [{ role: 'assistant', content: 'Hello! Ask me anything.' }];
    expect(await rejectionOf(conversation.regenerate())).to.be.instanceOf(RangeError);
    conversation.messages = [{ role: 'user', content: 'Q' }];
    expect(await rejectionOf(conversation.edit(0, '  '))).to.be.instanceOf(RangeError);
    expect(fetch.requests).to.have.length(0);
    expect(ends).to.have.length(0);
    expect(conversation.messages).to.deep.equal([{ role: 'user', content: 'Q' }]);
  });

  it('a question that is not text (a number, an object, true, a list that is not content parts) from plain JavaScript rejects with a TypeError and sends nothing', async () => {
    const { conversation, fetch, clock, ends } = conversationWith({ body: answer('x') });
    conversation.messages = [{ role: 'user', content: 'Q' }];
    // Before, each went as the question's content: shown as "42" or "[object Object]", refused by the
    // provider, and once a question had no answer, every later request failed to be built ("parts is
    // not a function or its return value is not iterable").
    // (A list that is not content parts is none either: it went out, and stayed to fail every later request.)
    for (const junk of [42, { text: 'hi' }, true, ['hi'], [{ text: 'hi' }]]) {
      for (const error of [await rejectionOf(conversation.send(junk as unknown as string)), await rejectionOf(conversation.edit(0, junk as unknown as string))]) {
        expect(error, JSON.stringify(junk)).to.be.instanceOf(TypeError);
        expect((error as Error).message).to.equal('The question must be a string.');
      }
    }
    expect(fetch.requests).to.have.length(0);
    expect(ends).to.have.length(0);
    expect(conversation.messages).to.deep.equal([{ role: 'user', content: 'Q' }]);
    // Content parts still go as they are.
    const parts = [{ type: 'text', text: 'And this?' }];
    await doneOf(conversation, conversation.send(parts as unknown as string), ends, clock);
    expect(conversation.messages[1]).to.deep.equal({ role: 'user', content: parts });
  });

  it('a failed regenerate is one error, and retry() goes on from the question', async () => {
    const { conversation, clock, ends } = conversationFor(fakeFetch({ body: answer('A') }, fakeHttpError(400, 'bad'), { body: answer('B') }));
    await doneOf(conversation, conversation.send('Q'), ends, clock);
    const { error } = await errorOf(conversation, conversation.regenerate(), ends, clock, 1);
    expect(error.status).to.equal(400);
    expect((await doneOf(conversation, conversation.retry(), ends, clock, 2)).content).to.equal('B');
    expect(conversation.messages.map((m) => m.content)).to.deep.equal(['Q', 'B']);
  });

  it('clear() stops the answer in flight (one done, aborted) and empties messages and failure', async () => {
    const body = new TestBody();
    const { conversation, clock, ends } = conversationWith({ body });
    const sent = conversation.send('Q');
    body.write(chunkEvent({ content: 'part' }));
    await nextTask();
    conversation.clear();
    expect((await sent).aborted).to.equal(true);
    await runOut(clock);
    expect(ends.map((end) => end.type)).to.deep.equal(['done']);
    expect(conversation.messages).to.deep.equal([]);
    expect(conversation.status).to.equal(Status.idle);
    expect(conversation.failure).to.equal(undefined);
  });
});

describe('Conversation: stats', () => {
  failOnUnhandledRejection();

  it('done carries the time to first token, the total, the chunks, and the tokens per second from usage', async () => {
    const body = new TestBody();
    const { conversation, clock, ends } = conversationWith({ body });
    const sent = conversation.send('Q');
    await nextTask();
    clock.advance(300);
    body.write(chunkEvent({ role: 'assistant', content: '' }));
    await nextTask();
    clock.advance(100);
    body.write(chunkEvent({ content: 'x'.repeat(20) }));
    await nextTask();
    const live = conversation.statsOf(conversation.draft!.message)!;
    expect(live).to.deep.include({ firstTokenMs: 400, totalMs: 400, chunks: 2, estimated: true, tokensPerSecond: null });
    clock.advance(1000);
    body.write(chunkEvent({ content: 'y'.repeat(80) }) + chunkEvent({}, { finishReason: 'stop', usage: { prompt_tokens: 3, completion_tokens: 50, total_tokens: 53 } }) + DONE);
    body.end();
    const { stats, message } = await doneOf(conversation, sent, ends, clock);
    // The 50 tokens' share that streamed (80 of their 100 characters came after the first part's read), in the second after it.
    expect(stats).to.deep.equal({ firstTokenMs: 400, totalMs: 1400, chunks: 4, completionTokens: 50, tokensPerSecond: 40, estimated: false });
    expect(conversation.statsOf(message)).to.deep.equal(stats);
    expect(conversation.statsOf(conversation.messages[0]!)).to.equal(undefined);
  });

  it('without usage, tokens per second are estimated from the text, and say so', async () => {
    const body = new TestBody();
    const { conversation, clock, ends } = conversationWith({ body });
    const sent = conversation.send('Q');
    body.write(chunkEvent({ content: 'x'.repeat(40) }));
    await nextTask();
    clock.advance(500);
    body.write(chunkEvent({ content: 'y'.repeat(40) }, { finishReason: 'stop' }) + DONE);
    body.end();
    const { stats } = await doneOf(conversation, sent, ends, clock);
    // The 40 characters after the first part are about 10 tokens, in half a second.
    expect(stats).to.deep.equal({ firstTokenMs: 0, totalMs: 500, chunks: 2, tokensPerSecond: 20, estimated: true });
  });

  it('usage counts only for a response that finished: a stopped one is estimated (Anthropic reports a first count as it starts)', async () => {
    const body = new TestBody();
    const { conversation, clock, ends } = conversationWith({ body });
    const sent = conversation.send('Q');
    body.write(chunkEvent({ content: 'x'.repeat(40) }, { usage: { completion_tokens: 1 } }));
    await nextTask();
    clock.advance(1000);
    body.write(chunkEvent({ content: 'y'.repeat(40) }));
    await nextTask();
    conversation.stop();
    const { stats } = await doneOf(conversation, sent, ends, clock);
    expect(stats).to.deep.include({ estimated: true, tokensPerSecond: 10 });
    expect(stats).to.not.have.property('completionTokens');
  });

  it('a rate is of the text that streamed after the first part, over 100 ms at least: a burst at the start is no speed', async () => {
    const body = new TestBody();
    const { conversation, clock, ends } = conversationWith({ body });
    const sent = conversation.send('Q');
    // What a proxy held back comes at once, with the first part: it streamed over no time here.
    body.write(chunkEvent({ content: 'x'.repeat(400) }) + chunkEvent({ content: 'x'.repeat(400) }));
    await nextTask();
    const rate = () => conversation.statsOf(conversation.draft!.message)!.tokensPerSecond;
    expect(rate()).to.equal(null);
    clock.advance(50);
    body.write(chunkEvent({ content: 'y'.repeat(40) }));
    await nextTask();
    // 50 ms are the network's time, not the model's: 10 tokens in them would read 200 tokens/s.
    expect(rate()).to.equal(null);
    clock.advance(150);
    body.write(chunkEvent({ content: 'z'.repeat(40) }));
    await nextTask();
    // 80 characters, about 20 tokens, in the 200 ms after the first part; with the burst, 1,100 tokens/s.
    expect(rate()).to.equal(100);
    body.write(chunkEvent({}, { finishReason: 'stop' }) + DONE);
    body.end();
    const { stats } = await doneOf(conversation, sent, ends, clock);
    expect(stats).to.deep.include({ tokensPerSecond: 100, estimated: true });
  });

  it('an answer that came in one read (a buffering proxy) has no rate, also with usage: its tokens came over no time', async () => {
    const body = new TestBody();
    const { conversation, clock, ends } = conversationWith({ body });
    const sent = conversation.send('Q');
    clock.advance(2000);
    body.write(chunkEvent({ content: 'The whole answer, ' }));
    await nextTask();
    clock.advance(3);
    body.write(chunkEvent({ content: 'at once.' }, { finishReason: 'stop', usage: { completion_tokens: 300 } }) + DONE);
    body.end();
    const { stats } = await doneOf(conversation, sent, ends, clock);
    // 300 tokens in 3 ms would be 100,000 tokens/s.
    expect(stats).to.deep.include({ firstTokenMs: 2000, completionTokens: 300, tokensPerSecond: null, estimated: false });
  });

  const hasYield = typeof (globalThis as { scheduler?: { yield?: unknown } }).scheduler?.yield === 'function';
  for (const platform of ['with scheduler.yield (Chromium)', 'without scheduler.yield (Safari, Node: a timer’s task)']) {
    // Where there is none (WebKit), the first case is the second.
    (hasYield || platform.startsWith('without') ? it : it.skip)(`a read too long to parse in one go is still one moment on the platform's timers, ${platform}: the timer that ends the first part's reads ran between its slices`, async () => {
      // The first part's reads end at a real timer's task, as in a page (FakeClock runs none by itself).
      const body = new TestBody();
      const fetch = fakeFetch({ body });
      const fake = new FakeClock();
      // Whether that timer has run: the only one of no delay on this clock.
      let ended = false;
      const end = (callback: () => void) => () => (callback(), (ended = true));
      const clock = { now: () => fake.now(), setTimeout: (callback: () => void, ms: number) => (ms === 0 ? setTimeout(end(callback), 0) : fake.setTimeout(callback, ms)), clearTimeout: (handle: unknown) => fake.clearTimeout(handle) };
      const { conversation } = conversationFor(fetch, { clock });
      const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
      // Where there is no scheduler.yield, the parser yields with a timer's task (sse.ts).
      if (platform.startsWith('without') && hasYield) Object.defineProperty(scheduler!, 'yield', { value: undefined, configurable: true });
      try {
        void conversation.send('Q').catch(() => {});
        let slow = true;
        conversation.addEventListener('chunk', () => {
          for (const start = performance.now(); slow && performance.now() - start < 10; );
          slow = false;
        });
        body.write(chunkEvent({ content: 'a' }) + Array.from({ length: 200 }, () => chunkEvent({ content: 'x'.repeat(100) })).join(''));
        await waitUntil(() => (conversation.draft?.message.content as string | undefined)?.length === 20_001, 'the whole read is parsed');
        // The next read comes after that timer, as the network's does. Written once the read was
        // parsed, it may come before: from waitUntil's own timer, armed earlier, which ran first when
        // parsing held the main thread past it (WebKit in a whole run, on a busy machine).
        await waitUntil(() => ended, "the timer that ends the first part's reads ran");
        fake.advance(200);
        body.write(chunkEvent({ content: 'y'.repeat(40) }));
        await waitUntil(() => (conversation.draft?.message.content as string).endsWith('y'), 'the next read');
        expect(conversation.statsOf(conversation.draft!.message)!.tokensPerSecond).to.equal(50);
        conversation.stop();
      } finally {
        if (hasYield) delete (scheduler as { yield?: unknown }).yield;
      }
    });
  }

  it('reported usage does not count a response that came in one read (after a step that streamed) into the rate: its tokens came over no time', async () => {
    const [first, second] = [new TestBody(), new TestBody()];
    const tools: Tool[] = [{ name: 'now', execute: () => 'noon' }];
    const fetch = fakeFetch({ body: first }, { body: second });
    const { conversation, clock, ends } = conversationFor(fetch, { tools });
    const sent = conversation.send('Q');
    await nextTask();
    // The call's arguments stream over a second: about 10 tokens.
    first.write(chunkEvent({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'now', arguments: '{"zone":' } }] }));
    await waitUntil(() => conversation.draft?.message.tool_calls, 'the call arrives');
    clock.advance(1000);
    first.write(chunkEvent({ tool_calls: [{ index: 0, function: { arguments: '"Europe/Copenhagen"}' } }] }, { finishReason: 'tool_calls', usage: { completion_tokens: 10 } }) + DONE);
    first.end();
    await waitUntil(() => fetch.requests.length === 2, 'the next request');
    // The answer, 300 tokens, all in one read (a buffering proxy).
    second.write(chunkEvent({ content: 'x'.repeat(1200) }) + chunkEvent({}, { finishReason: 'stop', usage: { completion_tokens: 300 } }) + DONE);
    second.end();
    const { stats } = await doneOf(conversation, sent, ends, clock);
    // Before: 310 tokens over the first response's second, 310 tokens/s (estimated, of the text after each first part: 5).
    expect(stats.tokensPerSecond, 'the 300 tokens that came at one moment are no speed').to.be.at.most(10);
  });

  it('a request that cannot be built (a BigInt in body) is one protocol error, and no request', async () => {
    const fetch = fakeFetch({ body: answer('never') });
    const { conversation, clock, ends } = conversationFor(fetch, { body: { seed: 1n } });
    const { error } = await errorOf(conversation, conversation.send('Q'), ends, clock);
    expect(error.kind).to.equal('protocol');
    expect(error.message).to.match(/^The request could not be built: .*BigInt/);
    expect(fetch.requests).to.have.length(0);
  });

  for (const protocol of ['openai-chat', 'openai-responses', 'anthropic'] as const) {
    it(`tools given as one tool, not an array of them, or with one that is not a tool (null, chat-completions' shape), is one protocol error that says so, and no request (${protocol})`, async () => {
      const fetch = fakeFetch({ body: answer('never') });
      const now = { name: 'now', execute: () => 'noon' };
      const { conversation, clock, ends } = conversationFor(fetch, { protocol });
      // Before: "Cannot destructure property 'name' of 'object null' as it is null", and chat-completions'
      // shape went as a function without a name, which the provider refused ("Missing required parameter").
      for (const [tools, why] of [
        [now, 'it is not an array'],
        [[now, null], 'tools[1] is not one'],
        [[{ type: 'function', function: { name: 'now', parameters: { type: 'object' } } }], 'tools[0] is not one'],
      ] as const) {
        conversation.options.tools = tools as unknown as Tool[];
        const before = ends.length;
        const { error } = await errorOf(conversation, conversation.send('Q'), ends, clock, before);
        expect(error.kind).to.equal('protocol');
        expect(error.message).to.equal(`The request could not be built: tools must be an array of tools ({ name, description, parameters, execute }): ${why}.`);
      }
      expect(fetch.requests).to.have.length(0);
    });
  }

  it('with tools, tokens per second count the time responses streamed, not the time a tool ran between them', async () => {
    const [first, second] = [new TestBody(), new TestBody()];
    const tools: Tool[] = [{ name: 'slow', execute: () => new Promise<string>((resolve) => clock.setTimeout(() => resolve('done'), 5000)) }];
    const fetch = fakeFetch({ body: first }, { body: second });
    const { conversation, clock, ends } = conversationFor(fetch, { tools });
    const sent = conversation.send('Q');
    await nextTask();
    clock.advance(100);
    const call = { index: 0, id: 'a', type: 'function', function: { name: 'slow', arguments: '' } };
    first.write(chunkEvent({ tool_calls: [call] }));
    await waitUntil(() => conversation.draft?.message.tool_calls, 'the call arrives');
    clock.advance(500);
    const args = `{"note":"${'x'.repeat(29)}"}`;
    first.write(chunkEvent({ tool_calls: [{ index: 0, function: { arguments: args } }] }, { finishReason: 'tool_calls', usage: { completion_tokens: 10 } }) + DONE);
    first.end();
    await waitUntil(() => conversation.status === Status.runningTools, 'the tool runs');
    clock.advance(5000);
    await waitUntil(() => fetch.requests.length === 2, 'the next request');
    clock.advance(100);
    second.write(chunkEvent({ content: 'It' }));
    await waitUntil(() => conversation.draft?.message.content === 'It', 'the answer arrives');
    clock.advance(500);
    second.write(chunkEvent({ content: ' is done, '.padEnd(38, '.') }, { finishReason: 'stop', usage: { completion_tokens: 30 } }) + DONE);
    second.end();
    const { stats } = await doneOf(conversation, sent, ends, clock);
    // 40 tokens, 78 of their 80 characters after each first part's read: 39 in 1 s of streaming (500 ms
    // each); before, over 6.1 s with the tool's 5, 6.4 tokens/s.
    expect(stats).to.deep.include({ firstTokenMs: 100, totalMs: 6200, completionTokens: 40, tokensPerSecond: 39 });
  });

  it('an answer stopped before anything arrived has no first token and no rate', async () => {
    const body = new TestBody();
    const { conversation, clock, ends } = conversationWith({ body });
    const sent = conversation.send('Q');
    clock.advance(50);
    conversation.stop();
    const { stats } = await doneOf(conversation, sent, ends, clock);
    expect(stats).to.deep.include({ firstTokenMs: null, totalMs: 50, chunks: 0, tokensPerSecond: null });
  });
});
