import { expect } from '@open-wc/testing';
import { streamBuffer, type StreamBuffer } from '../src/element/stream-buffer.js';
import { textBlocks } from '../src/element/renderers/text.js';

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A buffer that counts its writes through its onWrite option. */
function counting(options: { fallbackDelay?: number } = {}): { buffer: StreamBuffer; writes: () => number } {
  let writes = 0;
  const buffer = streamBuffer({ ...options, onWrite: () => writes++ });
  return { buffer, writes: () => writes };
}

describe('streamBuffer', () => {
  let nodes: Text[] = [];

  function textNode(data = ''): Text {
    const node = document.createTextNode(data);
    document.body.append(node);
    nodes.push(node);
    return node;
  }

  afterEach(() => {
    for (const node of nodes) node.remove();
    nodes = [];
  });

  it('many appends within one frame produce one write in the next frame', async () => {
    const { buffer, writes } = counting();
    const node = textNode();
    for (let i = 0; i < 100; i++) buffer.append(node, `${i} `);
    expect(node.data).to.equal('');
    expect(writes()).to.equal(0);
    await nextFrame();
    expect(writes()).to.equal(1);
    expect(node.data).to.equal(Array.from({ length: 100 }, (_, i) => `${i} `).join(''));
  });

  it('appends in successive frames write once per frame', async () => {
    const { buffer, writes } = counting();
    const node = textNode();
    buffer.append(node, 'a');
    await nextFrame();
    buffer.append(node, 'b');
    buffer.append(node, 'c');
    await nextFrame();
    expect(writes()).to.equal(2);
    expect(node.data).to.equal('abc');
  });

  it('a target that throws is not given the same text again: the next write holds only what came after', () => {
    const buffer = streamBuffer();
    const written: string[] = [];
    let fail = true;
    const target = {
      appendData(data: string) {
        if (fail) throw new Error('a renderer that failed');
        written.push(data);
      },
    };
    const other = textNode();
    buffer.append(target, 'one ');
    buffer.append(other, 'kept');
    expect(() => buffer.flush()).to.throw('a renderer that failed');
    fail = false;
    buffer.append(target, 'two');
    buffer.flush();
    expect(written).to.deep.equal(['two']);
    expect(other.data, 'another target still written').to.equal('kept');
  });

  it('appends after the text already in the node', async () => {
    const { buffer, writes } = counting();
    const node = textNode('Hello');
    buffer.append(node, ', world');
    await nextFrame();
    expect(node.data).to.equal('Hello, world');
  });

  it('one write covers several Text nodes', async () => {
    const { buffer, writes } = counting();
    const answer = textNode();
    const reasoning = textNode();
    buffer.append(reasoning, 'thinking');
    buffer.append(answer, 'answer');
    buffer.append(reasoning, '…');
    await nextFrame();
    expect(writes()).to.equal(1);
    expect(reasoning.data).to.equal('thinking…');
    expect(answer.data).to.equal('answer');
  });

  it('writes into any target with appendData, such as text blocks, once per frame even when a write adds a block', async () => {
    const { buffer, writes } = counting();
    const blocks = textBlocks();
    document.body.append(blocks.root);
    // One MutationObserver callback per batch of DOM writes made in one task.
    let batches = 0;
    const observer = new MutationObserver(() => batches++);
    observer.observe(blocks.root, { characterData: true, childList: true, subtree: true });
    const paragraph = `${'word '.repeat(300)}\n\n`;
    try {
      for (let frame = 1; frame <= 4; frame++) {
        for (let i = 0; i < 20; i++) buffer.append(blocks, paragraph.slice(i * 76, (i + 1) * 76));
        await nextFrame();
        expect(writes()).to.equal(frame);
        expect(batches, 'DOM write batches').to.equal(frame);
      }
      expect(blocks.root.textContent).to.equal(paragraph.repeat(4));
      expect(blocks.root.children.length, 'blocks').to.be.at.least(3);
    } finally {
      observer.disconnect();
      blocks.root.remove();
    }
  });

  it('flush() writes synchronously and the scheduled write then does nothing', async () => {
    const { buffer, writes } = counting({ fallbackDelay: 30 });
    const node = textNode();
    buffer.append(node, 'now');
    buffer.flush();
    expect(node.data).to.equal('now');
    expect(writes()).to.equal(1);
    await nextFrame();
    await wait(60);
    expect(writes()).to.equal(1);
    expect(node.data).to.equal('now');
  });

  it('flush() with nothing pending is not a write', () => {
    const { buffer, writes } = counting();
    buffer.flush();
    expect(writes()).to.equal(0);
  });

  it('an empty append schedules nothing', async () => {
    const { buffer, writes } = counting();
    buffer.append(textNode(), '');
    await nextFrame();
    expect(writes()).to.equal(0);
  });

  it('onWrite runs after each write, with the text already in the node', async () => {
    const node = textNode();
    const seen: string[] = [];
    const buffer = streamBuffer({ onWrite: () => seen.push(node.data) });
    buffer.append(node, 'a');
    await nextFrame();
    buffer.append(node, 'b');
    buffer.flush();
    expect(seen).to.deep.equal(['a', 'ab']);
  });

  it('when the frame writes first, the fallback timer does not write again', async () => {
    const { buffer, writes } = counting({ fallbackDelay: 30 });
    const node = textNode();
    buffer.append(node, 'x');
    await nextFrame();
    await wait(60);
    expect(writes()).to.equal(1);
    expect(node.data).to.equal('x');
  });

  describe('when animation frames do not run (a hidden tab)', () => {
    const realRequestAnimationFrame = window.requestAnimationFrame;

    beforeEach(() => {
      // A hidden tab runs no animation frames; a frame request that never calls back stands in.
      window.requestAnimationFrame = () => 0;
    });

    afterEach(() => {
      window.requestAnimationFrame = realRequestAnimationFrame;
    });

    it('the fallbackDelay timer writes instead, once', async () => {
      const { buffer, writes } = counting({ fallbackDelay: 50 });
      const node = textNode();
      buffer.append(node, 'hidden ');
      buffer.append(node, 'tab');
      await wait(10);
      expect(node.data).to.equal('');
      await wait(100);
      expect(node.data).to.equal('hidden tab');
      expect(writes()).to.equal(1);
    });

    it('the default fallback writes within about 250 ms', async () => {
      const { buffer, writes } = counting();
      const node = textNode();
      buffer.append(node, 'late');
      await wait(150);
      expect(node.data).to.equal('');
      await wait(250);
      expect(node.data).to.equal('late');
    });

    it('appends keep flowing: each fallback write schedules the next', async () => {
      const { buffer, writes } = counting({ fallbackDelay: 20 });
      const node = textNode();
      buffer.append(node, 'a');
      await wait(50);
      buffer.append(node, 'b');
      await wait(50);
      expect(node.data).to.equal('ab');
      expect(writes()).to.equal(2);
    });
  });
});
