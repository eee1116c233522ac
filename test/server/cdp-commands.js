/**
 * Test-runner server commands that measure the test page through the Chrome DevTools Protocol,
 * for the leak checks in test/resources.test.ts. Call them from a test with
 * `executeServerCommand('cdp-dom-counters')` (@web/test-runner-commands). Chrome launcher only.
 *
 * Commands (each one first runs a full garbage collection, so that what is left is what is held):
 *   cdp-collect-garbage  -> true
 *   cdp-dom-counters     -> { documents, nodes, jsEventListeners }      Memory.getDOMCounters
 *   cdp-detached-nodes   -> { count }   DOM nodes no longer in a document but still held (DOM.getDetachedDomNodes)
 *   cdp-heap-usage       -> { usedSize, totalSize }                      Runtime.getHeapUsage
 *   cdp-measure          -> all of the above in one object
 *   cdp-heap-histogram   -> { [constructor name]: { count, size } } from a heap snapshot (slow: seconds)
 *
 * And two that do not collect garbage, to see the console as DevTools does, including what the
 * browser itself logs (failed requests, CSP and network messages) that no page script can catch:
 *   cdp-console-start    -> true: starts recording the page's console messages
 *   cdp-console-stop     -> [{ type, text, url }]: stops, and returns what was recorded
 *
 * And one that reads the page as assistive technology does:
 *   cdp-spoken-text      -> [string]: the accessibility tree's text nodes in reading order
 *                           (shadow roots included), as a screen reader reads them
 *   cdp-names { role }   -> [string]: the accessible names of the tree's nodes of that role
 *                           (`group`), in reading order: what a screen reader says entering each;
 *                           with `described: true`, each as [name, description]
 *
 * And one that makes the page a touch screen, where `(pointer: coarse)` and `(hover: none)` match:
 *   cdp-touch { enabled }  -> true      Emulation.setTouchEmulationEnabled
 * And one that clicks as the n-th click of a double or triple click (the click's `detail`), which
 * sendMouse cannot (each of its clicks is a first):
 *   cdp-click { x, y, count } -> true  Input.dispatchMouseEvent, pressed and released
 * And one that forces colors, as Windows' high contrast does:
 *   cdp-forced-colors { active } -> true  Emulation.setEmulatedMedia
 * And one that hides the page as a tab behind another is (no animation frames, no rendering):
 *   cdp-hidden { hidden } -> true  a blank page opened in front of it, or closed again
 */

/** One CDP session per page, created on first use. */
const sessions = new WeakMap();
/** Console recordings in progress, per page: { messages, listener }. */
const recordings = new WeakMap();

async function cdpSessionFor(page) {
  let session = sessions.get(page);
  if (!session) {
    session = page.createCDPSession();
    sessions.set(page, session);
  }
  return session;
}

async function collectGarbage(cdp) {
  // Twice: the first pass runs finalizers and weak callbacks that free more on the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
}

async function domCounters(cdp) {
  const { documents, nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
  return { documents, nodes, jsEventListeners };
}

async function detachedNodes(cdp) {
  await cdp.send('DOM.enable');
  const { detachedNodes: nodes } = await cdp.send('DOM.getDetachedDomNodes');
  // Handing nodes to the protocol binds them to ids, which keeps them alive: unbind them again.
  await cdp.send('DOM.disable');
  return { count: nodes.length };
}

async function heapUsage(cdp) {
  const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
  return { usedSize, totalSize };
}

/**
 * Object counts and sizes by constructor name, from a heap snapshot: diff two of them to see what a
 * leak is made of.
 */
async function heapHistogram(cdp) {
  const chunks = [];
  const collect = ({ chunk }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
  }
  const snapshot = JSON.parse(chunks.join(''));
  const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const histogram = {};
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]];
    if (type !== 'object' && type !== 'closure' && type !== 'native') continue;
    const name = `${type === 'closure' ? 'closure ' : ''}${snapshot.strings[snapshot.nodes[i + nameAt]]}`.slice(0, 120);
    const entry = (histogram[name] ??= { count: 0, size: 0 });
    entry.count++;
    entry.size += snapshot.nodes[i + sizeAt];
  }
  return histogram;
}

function startConsole(page) {
  stopConsole(page);
  const messages = [];
  const listener = (message) => messages.push({ type: message.type(), text: message.text(), url: message.location()?.url ?? '' });
  page.on('console', listener);
  recordings.set(page, { messages, listener });
  return true;
}

function stopConsole(page) {
  const recording = recordings.get(page);
  if (!recording) return [];
  page.off('console', recording.listener);
  recordings.delete(page);
  return recording.messages;
}

/** Other tabs brought in front of a test page, per page: the test page is hidden until it goes. */
const covers = new WeakMap();

/**
 * Hides the test page as a tab behind another does (`visibilityState` hidden, no animation frames,
 * no rendering), by opening a blank page in front of it; `hidden: false` closes that page and
 * brings the test page back to the front.
 */
async function hideTab(page, hidden) {
  await covers.get(page)?.close();
  covers.delete(page);
  if (hidden) {
    const cover = await page.browser().newPage();
    covers.set(page, cover);
    await cover.bringToFront();
  } else await page.bringToFront();
  return true;
}

/** The names of the accessibility tree's StaticText nodes, depth first: what a screen reader reads, in order. */
async function spokenText(cdp) {
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  const root = nodes.find((node) => !node.parentId);
  const out = [];
  const walk = (node) => {
    if (!node) return;
    if (!node.ignored && node.role?.value === 'StaticText' && node.name?.value) out.push(node.name.value);
    for (const id of node.childIds ?? []) walk(byId.get(id));
  };
  walk(root);
  return out;
}

/** The computed names of the accessibility tree's nodes of `role`, depth first (with `described`, each as [name, description]). */
async function namesOf(cdp, role, described) {
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  const out = [];
  const walk = (node) => {
    if (!node) return;
    if (!node.ignored && node.role?.value === role) out.push(described ? [node.name?.value ?? '', node.description?.value ?? ''] : node.name?.value ?? '');
    for (const id of node.childIds ?? []) walk(byId.get(id));
  };
  walk(nodes.find((node) => !node.parentId));
  return out;
}

/** The web-test-runner plugin that answers the `cdp-*` commands. */
export function cdpCommands() {
  return {
    name: 'cdp-commands',
    async executeCommand({ command, session, payload }) {
      if (!command.startsWith('cdp-')) return undefined;
      if (session.browser.type !== 'puppeteer') {
        throw new Error(`${command}: needs the Chrome launcher (puppeteer), not ${session.browser.type}`);
      }
      const page = session.browser.getPage(session.id);
      if (page.browser().protocol !== 'cdp') {
        // Firefox, driven over WebDriver BiDi (web-test-runner.firefox.config.mjs), where the console
        // has only the page's own messages: skip the test there (test/helpers/cdp.ts).
        throw new Error(`${command}: needs Chromium's DevTools Protocol, and this browser is driven over ${page.browser().protocol}`);
      }
      if (command === 'cdp-hidden') return hideTab(page, payload?.hidden);
      if (command === 'cdp-console-start') return startConsole(page);
      if (command === 'cdp-console-stop') return stopConsole(page);
      const cdp = await cdpSessionFor(page);
      if (command === 'cdp-spoken-text') return spokenText(cdp);
      if (command === 'cdp-names') return namesOf(cdp, payload?.role, payload?.described);
      if (command === 'cdp-touch') {
        // A touch screen: `(pointer: coarse)` and `(hover: none)` match, as on a phone.
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: Boolean(payload?.enabled), maxTouchPoints: 5 });
        return true;
      }
      if (command === 'cdp-click') {
        const { x, y, count } = payload;
        for (const type of ['mousePressed', 'mouseReleased']) await cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: count });
        return true;
      }
      if (command === 'cdp-locale') {
        // The browser's own language, as a German Chrome's (`undefined` goes back to the default).
        await cdp.send('Emulation.setLocaleOverride', payload?.locale ? { locale: payload.locale } : {});
        return true;
      }
      if (command === 'cdp-forced-colors') {
        // Windows' high contrast: `(forced-colors: active)` matches (this replaces other emulated media features).
        await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: payload?.active ? 'active' : 'none' }] });
        return true;
      }
      await collectGarbage(cdp);
      switch (command) {
        case 'cdp-collect-garbage':
          return true;
        case 'cdp-dom-counters':
          return domCounters(cdp);
        case 'cdp-detached-nodes':
          return detachedNodes(cdp);
        case 'cdp-heap-usage':
          return heapUsage(cdp);
        case 'cdp-heap-histogram':
          return heapHistogram(cdp);
        case 'cdp-measure':
          return { ...(await domCounters(cdp)), detachedNodes: (await detachedNodes(cdp)).count, ...(await heapUsage(cdp)) };
        default:
          throw new Error(`unknown command ${command}`);
      }
    },
  };
}
