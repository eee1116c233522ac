// The mocha globals that @web/test-runner provides in the test page. @types/mocha is not a
// dependency and tsconfig sets `types: []`, so the part the tests use is declared here.

interface MochaContext {
  /** Overrides the test's timeout in ms (the default is set in web-test-runner.config.js). */
  timeout(ms: number): void;
  /** Marks the test as slow above this many ms in the report. */
  slow(ms: number): void;
  skip(): never;
  /** The running test, or in a hook the hook itself. */
  test: MochaRunnable;
  /** In a hook: the test it runs for. */
  currentTest?: MochaRunnable;
}

interface MochaRunnable {
  title: string;
  fullTitle(): string;
  /** In a hook: fails the test the hook runs for with this error, and lets the suite go on. */
  error(error: Error): void;
}

type MochaTestFn = (this: MochaContext) => void | Promise<void>;
type MochaSuiteFn = (this: MochaContext) => void;

declare function describe(title: string, fn: MochaSuiteFn): void;
declare namespace describe {
  function only(title: string, fn: MochaSuiteFn): void;
  function skip(title: string, fn: MochaSuiteFn): void;
}

declare function it(title: string, fn?: MochaTestFn): void;
declare namespace it {
  function only(title: string, fn?: MochaTestFn): void;
  function skip(title: string, fn?: MochaTestFn): void;
}

declare function before(fn: MochaTestFn): void;
declare function after(fn: MochaTestFn): void;
declare function beforeEach(fn: MochaTestFn): void;
declare function afterEach(fn: MochaTestFn): void;
