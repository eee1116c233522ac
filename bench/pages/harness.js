/**
 * In-page instrumentation shared by the variant pages. Kept small, and the same for every variant,
 * so what it costs is the same everywhere:
 * - one sample per rendered frame, taken in the frame's rendering update after its rAF callbacks
 *   and layout, before paint (see `marker` below): time, visible text length, DOM text writes so
 *   far, JS heap used, and the frame's update cost (from its first rAF callback to that sample);
 * - long tasks (PerformanceObserver, buffered);
 * - the page clock's offset to the server's, from the fastest of a few /clock round trips.
 *
 * A variant page sets `probe.length` (visible text length, O(1)) and counts its DOM text writes in
 * `probe.writes`, then exposes `window.bench = { run(params), collect() }`.
 */
export const probe = {
  /** Visible length (UTF-16 code units) of the streamed text. Set by the variant. */
  length: () => 0,
  /** DOM text writes so far. Incremented by the variant (or its MutationObserver). */
  writes: 0,
  /** Other DOM mutations (child lists), where the variant observes them. */
  otherMutations: 0,
};

const longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
}).observe({ type: 'longtask', buffered: true });

// Long animation frames (LoAF): where the time of a long frame went (script, style and layout, render).
const longFrames = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      longFrames.push({
        start: e.startTime,
        duration: e.duration,
        blocking: e.blockingDuration,
        renderStart: e.renderStart,
        styleAndLayoutStart: e.styleAndLayoutStart,
        scripts: e.scripts.map((s) => ({
          invoker: s.invoker,
          type: s.invokerType,
          duration: s.duration,
          forcedStyleAndLayout: s.forcedStyleAndLayoutDuration,
          source: s.sourceFunctionName,
        })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
} catch {
  // not supported: no attribution, the long task count still stands
}

let sampling = false;
let samples;
/** When the current frame's first rAF callback ran (the harness's, registered a frame earlier). */
let frameStart = NaN;
const heap = () => performance.memory?.usedJSHeapSize ?? 0;

function record() {
  samples.t.push(performance.now());
  samples.length.push(probe.length());
  samples.writes.push(probe.writes);
  samples.heap.push(heap());
}

// Frame boundaries: a 1px element whose width flips in each rAF callback, so a ResizeObserver
// callback runs in every rendering update, after the frame's rAF callbacks (where the variants
// write) and layout, just before paint. Writes between two such callbacks reach the screen in the
// same frame; the callback's time is when the frame's content was final.
const marker = document.createElement('div');
marker.style.cssText = 'position:absolute;left:-10px;top:0;width:1px;height:1px;contain:strict;visibility:hidden';
document.documentElement.append(marker);
new ResizeObserver(() => {
  if (!sampling) return;
  record();
  if (!Number.isNaN(frameStart)) {
    samples.update.push(performance.now() - frameStart);
    samples.updateWrites.push(probe.writes);
  }
  frameStart = NaN;
}).observe(marker);

function onFrame(time) {
  if (!sampling) return;
  // Registered in the previous frame's rAF callbacks, so it runs before any the variant registered
  // since: the update cost below spans the variant's rAF work, style and layout.
  frameStart = performance.now();
  samples.frames.push(time);
  marker.style.width = marker.style.width === '1px' ? '2px' : '1px';
  requestAnimationFrame(onFrame);
}

let window_ = { start: 0, end: 0 };

/** Call right before the streaming work starts. */
export function begin() {
  samples = { t: [], length: [], writes: [], heap: [], frames: [], update: [], updateWrites: [] };
  frameStart = NaN;
  probe.writes = 0;
  probe.otherMutations = 0;
  sampling = true;
  performance.mark('bench:start');
  window_ = { start: performance.now(), end: 0 };
  record();
  requestAnimationFrame(onFrame);
  return window_.start;
}

/** Call right after the last DOM write. */
export function end() {
  window_.end = performance.now();
  record();
  sampling = false;
  performance.mark('bench:end');
  return window_.end;
}

/** Where the measurement is now: frames and update samples so far (to cut a run into segments). */
export function mark() {
  return { frames: samples.frames.length, updates: samples.update.length };
}

/** Server time minus page time (ms), from the fastest of `rounds` round trips to /clock. */
export async function clockOffset(rounds = 8) {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < rounds; i++) {
    const before = performance.timeOrigin + performance.now();
    const { t } = await (await fetch('/clock', { cache: 'no-store' })).json();
    const after = performance.timeOrigin + performance.now();
    if (after - before < best.rtt) best = { rtt: after - before, offset: t - (before + after) / 2 };
  }
  return best;
}

/** Everything measured in the last window; `extra` is the variant's own (final text, …). */
export function report(extra) {
  const { start, end: stop } = window_;
  return {
    start,
    end: stop,
    timeOrigin: performance.timeOrigin,
    samples,
    longTasks: longTasks.filter((task) => task.start + task.duration > start && task.start < stop),
    longFrames: longFrames.filter((frame) => frame.start + frame.duration > start && frame.start < stop),
    writes: probe.writes,
    otherMutations: probe.otherMutations,
    ...extra,
  };
}

/**
 * Sets `window.bench` for a page with no history to prepare: `stream(url, init)` does the
 * streaming work between begin() and end(), `extra()` gives what report() adds (the final text).
 */
export function defineBench(stream, extra) {
  window.bench = {
    async prepare() {
      return 0;
    },
    async run({ url, init }) {
      begin();
      try {
        await stream(url, init);
      } finally {
        end();
      }
      return true;
    },
    collect() {
      return report(extra());
    },
  };
  window.ready = true;
}

/** Resolves after `count` rendered frames. */
export function frames(count = 2) {
  return new Promise((resolve) => {
    const step = () => (--count <= 0 ? resolve() : requestAnimationFrame(step));
    requestAnimationFrame(step);
  });
}
