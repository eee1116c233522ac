// The layers go one way: src/core/ is the conversation without a view, with no DOM and no Lit, so
// it runs in a worker or Node; src/element/ renders it. This reads every import of src/ to hold it,
// and the element class's length: a view, its behaviour in units of their own.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

function filesIn(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesIn(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Code without comments, so that a doc comment's example is not read as code. */
function codeOf(file) {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

/** Every module specifier a file imports or re-exports, resolved to a path under src/ when relative. */
function importsOf(file) {
  const specifiers = [...codeOf(file).matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map(
    (match) => match[1] ?? match[2],
  );
  return specifiers.map((specifier) =>
    specifier.startsWith('.') ? relative(src, join(file, '..', specifier)).replace(/\.js$/, '.ts') : specifier,
  );
}

const core = filesIn(join(src, 'core'));

describe('the layers of src/', () => {
  it('src/core/ imports only src/core/ and eventsource-parser', () => {
    assert.ok(core.length >= 8, 'the core modules are found');
    for (const file of core) {
      for (const imported of importsOf(file)) {
        assert.ok(
          imported.startsWith('core/') || imported === 'eventsource-parser',
          `${relative(src, file)} imports ${imported}: the core has no DOM, no Lit and no view`,
        );
      }
    }
  });

  it('src/core/ uses no DOM', () => {
    // (Not in quotes: Anthropic's block type 'document' is a string, not the DOM's. Nor the page's base
    // URL read where there is one, `globalThis.document?.baseURI`: fetch resolves a relative endpoint
    // against it, and the core checks the endpoint as fetch will read it; a worker or Node has none.)
    const dom = /(?<!['"])\b(document|window|HTMLElement|customElements|requestAnimationFrame|ShadowRoot|Node\.TEXT_NODE)\b/;
    for (const file of core) {
      const found = dom.exec(codeOf(file).replaceAll('globalThis.document?.baseURI', ''));
      assert.equal(found, null, `${relative(src, file)} uses ${found?.[0]}`);
    }
  });

  it('src/element/ never reaches into an entry point, and nothing but the entries defines the element', () => {
    for (const file of filesIn(join(src, 'element'))) {
      for (const imported of importsOf(file)) {
        assert.ok(!/^(index|core|cdn|element|react|define)\.ts$/.test(imported), `${relative(src, file)} imports the entry ${imported}`);
      }
      assert.ok(!codeOf(file).includes('customElements.define('), `${relative(src, file)} defines an element`);
    }
  });
});

/**
 * Code lines of the element class: its body, without blank lines and comment lines. 45 of them
 * are its properties' declarations (`static properties`, and a `declare` field each).
 */
function classLines(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => /^export class StreamChatElement\b/.test(line));
  let end = start;
  while (lines[++end] !== '}');
  let code = 0;
  let inComment = false;
  for (const line of lines.slice(start, end + 1)) {
    const text = line.trim();
    if (inComment) {
      if (text.includes('*/')) inComment = false;
      continue;
    }
    if (text.startsWith('/*')) {
      if (!text.includes('*/')) inComment = true;
      continue;
    }
    if (text && !text.startsWith('//')) code++;
  }
  return code;
}

describe('the element class', () => {
  it('stays a view: 210 code lines at most (what is not rendering goes to a controller or module of its own)', () => {
    const lines = classLines(join(src, 'element/stream-chat.ts'));
    assert.ok(lines > 150, `the class is found (${lines} code lines)`);
    assert.ok(lines <= 210, `StreamChatElement has ${lines} code lines`);
  });
});
