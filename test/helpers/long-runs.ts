/** Runs of 600, 256, 300 (a mark after it), 513 and 700 letters, around text and line breaks. */
export const RUNS = `x ${'A'.repeat(600)} ${'T'.repeat(256)}\n${'Ä'.repeat(300)}\u0308${'Ā'.repeat(513)} {"k": "${'V'.repeat(700)}"}\n\nend`;

/**
 * The Text nodes under `root` that hold a run of over 256 visible Latin characters with no space,
 * which Chromium lays out in time growing with the square of its length (see src/element/long-runs.ts).
 */
export function longRuns(root: Node): string[] {
  const found: string[] = [];
  const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let t; (t = texts.nextNode() as Text | null); ) if (/[!-~\xa1-\u024f]{257}/.test(t.data)) found.push(`${t.data.slice(0, 20)}… (${t.length})`);
  return found;
}
