/**
 * A {@link Clock} for the transport that moves only when the test moves it, so retry waits, the
 * stall timeout and the grace after a stream's end are asserted exactly instead of measured.
 *
 * @example
 * const clock = new FakeClock();
 * const result = fetchWithRetries(request, { fetch, clock, random: () => 0.5, timeout: 0 }, read, () => false);
 * await clock.runUntilSettled(result);
 * expect(clock.delays).to.deep.equal([375]);
 *
 * @example Not before, then exactly at:
 * await waitUntil(() => clock.pending.includes(300));
 * clock.advance(299); // nothing due yet
 * clock.advance(1);   // the 300 ms timer runs now, synchronously
 */
import type { Clock } from '../../src/core/transport.js';

interface Timer {
  due: number;
  delay: number;
  callback: () => void;
}

export class FakeClock implements Clock {
  /** Every delay asked of `setTimeout`, in order, whether the timer ran or was cleared. */
  readonly delays: number[] = [];
  #now = 0;
  #lastId = 0;
  readonly #timers = new Map<number, Timer>();
  #onSet: Array<() => void> = [];

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = ++this.#lastId;
    this.delays.push(ms);
    this.#timers.set(id, { due: this.#now + Math.max(0, ms), delay: ms, callback });
    const waiting = this.#onSet;
    this.#onSet = [];
    for (const wake of waiting) wake();
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** The delays of the timers set and neither run nor cleared, soonest first. */
  get pending(): number[] {
    return this.#soonestFirst().map(([, timer]) => timer.delay);
  }

  /** Moves time forward by `ms`, running each timer that falls due on the way, in order. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (let next = this.#soonestFirst()[0]; next && next[1].due <= until; next = this.#soonestFirst()[0]) {
      this.#run(next);
    }
    this.#now = until;
  }

  /**
   * Moves time forward by `ms` and runs nothing: a page frozen or asleep, whose timers run late,
   * at the next {@link advance} (`advance(0)`: as it resumes).
   */
  suspend(ms: number): void {
    this.#now += ms;
  }

  /** Moves time to the soonest pending timer and runs it; returns its delay, or undefined when none is pending. */
  tick(): number | undefined {
    const next = this.#soonestFirst()[0];
    if (!next) return undefined;
    this.#run(next);
    return next[1].delay;
  }

  /**
   * Runs every timer as soon as it is set, soonest first, until `promise` settles, and returns it:
   * for a test where only the outcome and {@link delays} matter. Every timer runs, the stall timer
   * too: pass `timeout: 0` where it must not fire.
   */
  async runUntilSettled<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const done = promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await Promise.race([done, this.#timerPending()]);
      if (settled) return promise;
      this.tick();
    }
  }

  #run([id, timer]: [number, Timer]): void {
    this.#timers.delete(id);
    this.#now = Math.max(this.#now, timer.due);
    timer.callback();
  }

  #soonestFirst(): Array<[number, Timer]> {
    return [...this.#timers.entries()].sort(([a, x], [b, y]) => x.due - y.due || a - b);
  }

  #timerPending(): Promise<void> {
    if (this.#timers.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.#onSet.push(resolve));
  }
}

/** A timer {@link holdTimers} took off a window's clock. */
export interface HeldTimer {
  /** Runs it now. */
  run(): void;
  /** The code under test cleared it. */
  cleared: boolean;
}

/**
 * Takes `win`'s timers of `ms` (one of the element's own: Copy's 1.5 s label, the 3 s hold of an
 * error; `undefined`, those set without a delay) off its clock, in the order they are set: each runs when the test calls its `run()`, and
 * records whether it was cleared. Other timers run as usual; `release()` gives the window its own back.
 */
export function holdTimers(win: Window & typeof globalThis, ms: number | undefined): HeldTimer[] & { release(): void } {
  const { setTimeout: set, clearTimeout: clear } = win;
  const timers: HeldTimer[] = [];
  win.setTimeout = ((run: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    delay === ms ? -timers.push({ run: () => run(...args), cleared: false }) : set.call(win, run, delay, ...args)) as typeof setTimeout;
  win.clearTimeout = ((id?: number) => (id !== undefined && id < 0 ? void (timers[-id - 1]!.cleared = true) : clear.call(win, id))) as typeof clearTimeout;
  return Object.assign(timers, { release: () => void Object.assign(win, { setTimeout: set, clearTimeout: clear }) });
}
