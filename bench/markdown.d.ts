/** Types of markdown.js, for the tests that stream its answers. */
export function makeMarkdownTokens(count: number, options?: { seed?: number }): string[];
