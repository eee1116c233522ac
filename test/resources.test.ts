/**
 * Reliability, resources: mounting, streaming and unmounting <stream-chat> many times leaves nothing
 * behind. DOM nodes, detached nodes, event listeners and the JS heap are read through the Chrome
 * DevTools Protocol after a forced garbage collection (test/server/cdp-commands.js); timers, animation
 * frames and stream readers are counted by wrapping them in the page; open requests are read from
 * the scripted server's log.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../src/index.js';
import type { StreamChatElement } from '../src/element/stream-chat.js';
import type { DoneDetail } from '../src/core/types.js';
import { contentArrives } from './helpers/element.js';
import { failOnUnhandledRejection } from './helpers/unhandled-rejection.js';
import { describeWithCdp } from './helpers/cdp.js';
import {
  mockEndpoint,
  streamingReply,
  type RecordedRequest,
  slowReply,
} from './helpers/server.js';

/** What `cdp-measure` returns. */
interface Measure {
  documents: number;
  nodes: number;
  jsEventListeners: number;
  detachedNodes: number;
  usedSize: number;
  totalSize: number;
  /** Live instances of {@link TRACKED_CLASSES}. */
  live: Record<string, number>;
}

async function measure(): Promise<Measure> {
  const counters = await executeServerCommand<Omit<Measure, 'live'>, undefined>('cdp-measure');
  return { ...counters, live: await liveObjects() };
}

/**
 * Classes whose live instances are counted in a heap snapshot: each element or response makes some.
 * (What a closure makes, the stream buffer and the stall timer, is no class's: an element or a
 * response they kept alive is counted.)
 */
const TRACKED_CLASSES = [
  '<stream-chat>',
  'Conversation',
  'MessageBuilder',
  'AbortController',
  'AbortSignal',
  'Response',
  'ReadableStreamDefaultReader',
  'TextDecoderStream',
  'CustomEvent',
  'Text',
] as const;

/** Live instances of {@link TRACKED_CLASSES}, from a heap snapshot taken after a full GC. */
async function liveObjects(): Promise<Record<string, number>> {
  const histogram = await executeServerCommand<Record<string, { count: number }>, undefined>('cdp-heap-histogram');
  return Object.fromEntries(TRACKED_CLASSES.map((name) => [name, histogram[name]?.count ?? 0]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Counts what the page has outstanding: timeouts and intervals set and neither fired nor cleared,
 * animation frames requested and neither run nor cancelled, stream readers whose stream is neither
 * closed, cancelled nor released. Wraps the globals until `restore()`.
 */
function trackAsyncResources() {
  const timers = new Set<number>();
  let paused = false;
  const frames = new Set<number>();
  const readers = new Set<ReadableStreamDefaultReader<unknown>>();
  const real = {
    setTimeout: window.setTimeout,
    clearTimeout: window.clearTimeout,
    setInterval: window.setInterval,
    clearInterval: window.clearInterval,
    requestAnimationFrame: window.requestAnimationFrame,
    cancelAnimationFrame: window.cancelAnimationFrame,
    getReader: ReadableStream.prototype.getReader,
  };
  window.setTimeout = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
    if (typeof handler !== 'function') return real.setTimeout.call(window, handler, timeout, ...args);
    const id: number = real.setTimeout.call(
      window,
      (...callArgs: unknown[]) => {
        timers.delete(id);
        (handler as (...a: unknown[]) => void)(...callArgs);
      },
      timeout,
      ...args,
    );
    if (!paused) timers.add(id);
    return id;
  }) as typeof window.setTimeout;
  window.clearTimeout = ((id?: number) => {
    if (id !== undefined) timers.delete(id);
    real.clearTimeout.call(window, id);
  }) as typeof window.clearTimeout;
  window.setInterval = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
    const id = real.setInterval.call(window, handler, timeout, ...args);
    if (!paused) timers.add(id);
    return id;
  }) as typeof window.setInterval;
  window.clearInterval = ((id?: number) => {
    if (id !== undefined) timers.delete(id);
    real.clearInterval.call(window, id);
  }) as typeof window.clearInterval;
  window.requestAnimationFrame = (callback: FrameRequestCallback) => {
    const id = real.requestAnimationFrame.call(window, (time) => {
      frames.delete(id);
      callback(time);
    });
    frames.add(id);
    return id;
  };
  window.cancelAnimationFrame = (id: number) => {
    frames.delete(id);
    real.cancelAnimationFrame.call(window, id);
  };
  ReadableStream.prototype.getReader = function (this: ReadableStream, ...args: unknown[]) {
    const reader = (real.getReader as (...a: unknown[]) => ReadableStreamReader<unknown>).apply(this, args);
    if (reader instanceof ReadableStreamDefaultReader) {
      readers.add(reader);
      const forget = () => readers.delete(reader);
      reader.closed.then(forget, forget);
    }
    return reader;
  } as typeof ReadableStream.prototype.getReader;

  return {
    outstanding: () => ({ timers: timers.size, frames: frames.size, readers: readers.size }),
    /** Waits until nothing is {@link outstanding}, at most {@link QUIET_TIME}: stray timers run out before counting. */
    async quiet(): Promise<void> {
      const until = performance.now() + QUIET_TIME;
      await this.untracked(async () => {
        while (timers.size + frames.size + readers.size > 0 && performance.now() < until) await sleep(10);
      });
    },
    /** Runs `task` without counting its timers: the test runner's own (a command's time limit). */
    async untracked<T>(task: () => Promise<T>): Promise<T> {
      paused = true;
      try {
        return await task();
      } finally {
        paused = false;
      }
    },
    restore() {
      Object.assign(window, {
        setTimeout: real.setTimeout,
        clearTimeout: real.clearTimeout,
        setInterval: real.setInterval,
        clearInterval: real.clearInterval,
        requestAnimationFrame: real.requestAnimationFrame,
        cancelAnimationFrame: real.cancelAnimationFrame,
      });
      ReadableStream.prototype.getReader = real.getReader;
    },
  };
}

/** Counts the `done` and `error` events `el` dispatches. */
function countEnds(el: StreamChatElement): { done: number; error: number } {
  const ends = { done: 0, error: 0 };
  el.addEventListener('done', () => ends.done++);
  el.addEventListener('error', () => ends.error++);
  return ends;
}

/** An element on `url` in `container`, without retries, and its count of `done` and `error` events. */
async function mountChat(container: HTMLElement, url: string): Promise<{ el: StreamChatElement; ends: { done: number; error: number } }> {
  const el = document.createElement('stream-chat');
  el.endpoint = url;
  el.retries = 0;
  const ends = countEnds(el);
  container.append(el);
  await el.updateComplete;
  return { el, ends };
}

function part(el: StreamChatElement, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

/** The longest wait for stray timers (a 250 ms frame fallback, say) to run out before counting. */
const QUIET_TIME = 400;

const TOLERANCE = {
  /** One leaked element with its shadow tree is 20+ nodes; 200 of them thousands. */
  nodes: 60,
  detachedNodes: 20,
  jsEventListeners: 10,
  /**
   * One leaked element with its Lit parts and closures is kilobytes; 200 of them hundreds. The test
   * runner's DevTools Network domain itself keeps ~0.4 KB per request (measured: the same with a
   * bare fetch), ~45 KB over 110 requests.
   */
  heapBytes: 512 * 1024,
  /** Per class: a leak per cycle would be 100 or more. */
  liveInstances: 2,
};

function report(label: string, before: Measure, after: Measure, outstanding: object, requests: RecordedRequest[]): void {
  const row = (m: Measure) =>
    `documents ${m.documents}, nodes ${m.nodes}, detached ${m.detachedNodes}, listeners ${m.jsEventListeners}, heap ${(m.usedSize / 1024).toFixed(0)} KiB`;
  const states = requests.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.state]: (acc[r.state] ?? 0) + 1 }), {});
  console.log(
    `${label}\n  before: ${row(before)}\n  after:  ${row(after)}\n  live before: ${JSON.stringify(before.live)}\n  live after:  ${JSON.stringify(after.live)}` +
      `\n  outstanding at the end: ${JSON.stringify(outstanding)}; requests: ${JSON.stringify(states)}`,
  );
}

function expectNoGrowth(before: Measure, after: Measure): void {
  expect(after.documents, 'documents').to.equal(before.documents);
  expect(after.nodes - before.nodes, 'DOM nodes grew').to.be.at.most(TOLERANCE.nodes);
  expect(after.detachedNodes - before.detachedNodes, 'detached DOM nodes grew').to.be.at.most(TOLERANCE.detachedNodes);
  expect(after.jsEventListeners - before.jsEventListeners, 'event listeners grew').to.be.at.most(TOLERANCE.jsEventListeners);
  expect(after.usedSize - before.usedSize, 'JS heap grew').to.be.at.most(TOLERANCE.heapBytes);
  for (const name of TRACKED_CLASSES) {
    expect(after.live[name]! - before.live[name]!, `live ${name} instances grew`).to.be.at.most(TOLERANCE.liveInstances);
  }
}

describeWithCdp('<stream-chat> resources', () => {
  failOnUnhandledRejection();

  let container: HTMLDivElement;
  let tracker: ReturnType<typeof trackAsyncResources> | undefined;

  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
  });

  afterEach(() => {
    tracker?.restore();
    tracker = undefined;
    container.remove();
  });

  it('the CDP commands see a leak when there is one (control)', async function () {
    // Its garbage collections and heap counts took over the default 10 s on a busy machine.
    this.timeout(60_000);
    const before = await measure();
    const kept: HTMLElement[] = [];
    for (let i = 0; i < 50; i++) {
      const el = document.createElement('stream-chat');
      container.append(el);
      await el.updateComplete;
      el.addEventListener('done', () => {});
      el.remove();
      kept.push(el);
    }
    const after = await measure();
    expect(after.live['<stream-chat>']! - before.live['<stream-chat>']!).to.equal(50);
    // Detached nodes are counted by the roots of detached trees: the host and its shadow root.
    expect(after.detachedNodes - before.detachedNodes).to.be.at.least(50);
    expect(after.jsEventListeners - before.jsEventListeners).to.be.at.least(50);
    kept.length = 0;
    const released = await measure();
    expect(released.detachedNodes - before.detachedNodes).to.be.at.most(TOLERANCE.detachedNodes);
    expect(released.live['<stream-chat>']! - before.live['<stream-chat>']!).to.be.at.most(1);
  });

  it('200 mount/unmount cycles, some of them mid-stream, leave no growth', async function () {
    this.timeout(120_000);
    const streaming = await mockEndpoint(slowReply('Partial'));
    const slowHeaders = await mockEndpoint({ headersDelay: 5000, steps: streamingReply(['never']).steps });
    tracker = trackAsyncResources();
    const aborted: boolean[] = [];
    const hostEvents = { chunk: 0, done: 0, error: 0 };

    const cycle = async (i: number) => {
      const el = document.createElement('stream-chat');
      el.retries = 0;
      el.addEventListener('chunk', () => hostEvents.chunk++);
      el.addEventListener('done', () => hostEvents.done++);
      el.addEventListener('error', () => hostEvents.error++);
      container.append(el);
      await el.updateComplete;
      switch (i % 4) {
        case 0: {
          // Removed mid-stream, after the first words.
          el.endpoint = streaming.url;
          const arrived = contentArrives(el, 'Partial');
          const sent = el.send(`question ${i}`);
          await arrived;
          el.remove();
          aborted.push((await sent).aborted);
          break;
        }
        case 1: {
          // Removed before the server's headers.
          el.endpoint = slowHeaders.url;
          const sent = el.send(`question ${i}`);
          await el.updateComplete;
          el.remove();
          aborted.push((await sent).aborted);
          break;
        }
        case 2:
          // A restored conversation with every kind of part.
          el.messages = [
            { role: 'user', content: 'Earlier' },
            {
              role: 'assistant',
              content: 'Answer',
              reasoning: 'Because',
              tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
            },
          ];
          await el.updateComplete;
          el.remove();
          break;
        default:
          el.remove();
      }
    };

    for (let i = 0; i < 20; i++) await cycle(i);
    await streaming.settled();
    await slowHeaders.settled();
    await tracker.quiet();
    const before = await tracker.untracked(measure);

    for (let i = 0; i < 200; i++) await cycle(i);
    const requests = [...(await streaming.settled()), ...(await slowHeaders.settled())];
    await tracker.quiet();
    const after = await tracker.untracked(measure);
    const outstanding = tracker.outstanding();
    report('200 mount/unmount cycles', before, after, outstanding, requests);

    expect(aborted).to.have.length(110);
    expect(aborted.every(Boolean), 'every removed stream resolves aborted').to.equal(true);
    expect(hostEvents, 'removal dispatches neither done nor error').to.deep.equal({ chunk: 55 * 2, done: 0, error: 0 });
    expect(requests.filter((r) => r.state !== 'aborted'), 'requests not aborted').to.deep.equal([]);
    expect(outstanding).to.deep.equal({ timers: 0, frames: 0, readers: 0 });
    expectNoGrowth(before, after);
  });

  it('100 conversations (send, then done) leave no growth', async function () {
    this.timeout(120_000);
    const usage = { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 };
    const endpoint = await mockEndpoint(streamingReply(['An ', 'answer ', 'in ', 'pieces.'], { usage }));
    tracker = trackAsyncResources();
    const { el, ends } = await mountChat(container, endpoint.url);
    const details: DoneDetail[] = [];

    const conversation = async (i: number) => {
      // A new conversation each time, so the log does not grow by design.
      el.messages = [];
      details.push(await el.send(`question ${i}`));
    };

    for (let i = 0; i < 10; i++) await conversation(i);
    await endpoint.settled();
    await tracker.quiet();
    details.length = 0;
    const before = await tracker.untracked(measure);

    for (let i = 0; i < 100; i++) await conversation(i);
    const requests = await endpoint.settled();
    await tracker.quiet();
    const after = await tracker.untracked(measure);
    const outstanding = tracker.outstanding();
    report('100 conversations', before, after, outstanding, requests);

    expect(ends, 'one done per send').to.deep.equal({ done: 110, error: 0 });
    expect(details.map((d) => d.content)).to.deep.equal(Array(100).fill('An answer in pieces.'));
    expect(details.every((d) => !d.aborted)).to.equal(true);
    expect(el.streaming).to.equal(false);
    expect(requests).to.have.length(110);
    expect(requests.filter((r) => r.state !== 'completed'), 'requests not completed').to.deep.equal([]);
    expect(outstanding).to.deep.equal({ timers: 0, frames: 0, readers: 0 });
    expectNoGrowth(before, after);
  });

  it('answers regenerated away, and their nodes, are let go while the conversation goes on', async function () {
    this.timeout(60_000);
    const endpoint = await mockEndpoint(streamingReply(['An answer with code:\n\n', '```js\nconst a = 1;\n```\n']));
    const { el } = await mountChat(container, endpoint.url);
    let held = 0;
    const registry = new FinalizationRegistry<undefined>(() => held--);
    // (In a function of its own: an async function's frame kept its last locals alive.)
    const replaced = async (turn: number) => {
      const answer = el.messages.at(-1)!;
      const nodes = [...el.shadowRoot!.querySelectorAll('[part~=assistant] pre')];
      await el.regenerate();
      for (const gone of [answer, ...nodes]) registry.register(gone, void held++);
      expect(nodes, `turn ${turn}: the answer's code block`).to.have.length(1);
    };
    await el.send('question');
    for (let turn = 0; turn < 20; turn++) await replaced(turn);
    const replacedAll = held;
    for (let tries = 0; tries < 10 && held > 3; tries++) {
      await executeServerCommand('cdp-collect-garbage');
      await sleep(50);
    }
    expect(el.messages).to.have.length(2);
    // (The last one replaced may be in a collection yet to come. The answer's own bubble is not
    // counted: the next answer renders into it.)
    expect(replacedAll).to.equal(40);
    expect(held, 'answers replaced, and their nodes, still held').to.be.at.most(3);
  });

  it('100 conversations stopped mid-stream leave no growth', async function () {
    this.timeout(60_000);
    const endpoint = await mockEndpoint(slowReply('Partial'));
    tracker = trackAsyncResources();
    const { el, ends } = await mountChat(container, endpoint.url);
    const stopped: boolean[] = [];
    const conversation = async (i: number) => {
      el.messages = [];
      const arrived = contentArrives(el, 'Partial');
      const sent = el.send(`question ${i}`);
      await arrived;
      el.stop();
      stopped.push((await sent).aborted);
    };
    for (let i = 0; i < 10; i++) await conversation(i);
    await endpoint.settled();
    await tracker.quiet();
    const before = await tracker.untracked(measure);
    for (let i = 0; i < 100; i++) await conversation(i);
    const requests = await endpoint.settled();
    await tracker.quiet();
    const after = await tracker.untracked(measure);
    const outstanding = tracker.outstanding();
    report('100 stopped conversations', before, after, outstanding, requests);
    expect(ends, 'one done per send').to.deep.equal({ done: 110, error: 0 });
    expect(stopped).to.have.length(110);
    expect(stopped.every(Boolean), 'every stopped send resolves aborted').to.equal(true);
    expect(part(el, 'assistant')?.textContent, 'the partial answer on screen').to.equal('Partial');
    expect(requests.filter((r) => r.state !== 'aborted'), 'requests not aborted').to.deep.equal([]);
    expect(outstanding).to.deep.equal({ timers: 0, frames: 0, readers: 0 });
    expectNoGrowth(before, after);
  });
});
