/**
 * Fails a test of the enclosing `describe` during which a promise rejection went unhandled: a
 * floating promise in the code under test, which the test runner would only log. Call it inside
 * `describe`; the other tests still run.
 */
export function failOnUnhandledRejection(): void {
  let reasons: unknown[] = [];
  const record = (event: PromiseRejectionEvent) => {
    reasons.push(event.reason);
  };
  beforeEach(() => {
    reasons = [];
    window.addEventListener('unhandledrejection', record);
  });
  afterEach(async function () {
    // Chromium reports an unhandled rejection from a task queued after the microtask checkpoint.
    await new Promise((resolve) => setTimeout(resolve, 0));
    window.removeEventListener('unhandledrejection', record);
    if (reasons.length === 0) return;
    const listed = reasons.map((reason) => (reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)));
    // An error given to the hook fails the test itself; a thrown one would skip the rest of the suite.
    this.test.error(new Error(`Unhandled promise rejection during the test: ${listed.join('; ')}`));
  });
}
