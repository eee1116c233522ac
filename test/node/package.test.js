// The package as `npm publish` would ship it, after `npm run build`: only what users need, every
// `exports` target present, `sideEffects` naming the files that define the element, dependencies
// that match what each export imports, an `engines` range its tools accept, and both entry points
// importable in Node (server-side rendering, tests, the headless core).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Paths in the tarball, relative to the package root. */
let packed;

before(async () => {
  assert.ok(
    existsSync(join(root, 'dist/esm/index.js')) && existsSync(join(root, 'custom-elements.json')),
    'dist/ or custom-elements.json is missing: run `npm run build` first',
  );
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root });
  packed = new Set(JSON.parse(stdout)[0].files.map((file) => file.path));
});

/** Every string target of an `exports` value, with the chain of keys that leads to it. */
function* targets(value, keys = []) {
  if (typeof value === 'string') yield { keys, target: value };
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) yield* targets(inner, [...keys, key]);
  }
}

/** A package.json path (`./dist/x.js`) as a tarball path (`dist/x.js`). */
const inPackage = (path) => normalize(path).replace(/^\.\//, '');

describe('the published package', () => {
  it('contains only what users need', () => {
    const allowed = /^(dist\/.+|src\/.+|README\.md|LICENSE|package\.json|custom-elements\.json)$/;
    const extra = [...packed].filter((path) => !allowed.test(path));
    assert.deepEqual(extra, [], 'files a user does not need');
    for (const path of ['package.json', 'README.md', 'LICENSE', 'custom-elements.json', 'dist/stream-chat.js', 'dist/esm/index.js', 'dist/types/index.d.ts']) {
      assert.ok(packed.has(path), `${path} is in the package`);
    }
    const unwanted = [...packed].filter((path) => /(^|\/)(test|demo|bench|\.ci|build|node_modules)\/|\.test\.|tsconfig|config\.(m?js|ts)$/.test(path));
    assert.deepEqual(unwanted, []);
  });

  it('has every exports target, main, module, types and customElements', () => {
    const entries = [...targets(pkg.exports)];
    assert.ok(entries.length > 0);
    // (jsdelivr and unpkg: what a CDN URL without a file path serves, the bundle a browser loads.)
    for (const field of ['main', 'module', 'types', 'customElements', 'jsdelivr', 'unpkg']) {
      entries.push({ keys: [field], target: `./${inPackage(pkg[field])}` });
    }
    for (const { keys, target } of entries) {
      const where = `${keys.join(' > ')}: ${target}`;
      assert.ok(target.startsWith('./'), `${where} is relative to the package`);
      assert.ok(existsSync(join(root, target)), `${where} exists after the build`);
      assert.ok(packed.has(inPackage(target)), `${where} is in the package`);
      if (keys.at(-1) === 'types') assert.match(target, /\.d\.ts$/, `${where} is a declaration file`);
    }
    // Conditions are matched in order: `types` must come first to be seen at all.
    for (const [subpath, value] of Object.entries(pkg.exports)) {
      if (value && typeof value === 'object' && 'types' in value) {
        assert.equal(Object.keys(value)[0], 'types', `exports["${subpath}"] lists types first`);
      }
    }
    // TypeScript before `exports` (moduleResolution node10, TypeScript 5's default with
    // module commonjs) finds a subpath's types through typesVersions: the same files.
    const declared = Object.entries(pkg.exports).flatMap(([subpath, value]) => (subpath !== '.' && value?.types ? [[subpath.slice(2), [value.types]]] : []));
    assert.deepEqual(pkg.typesVersions, { '*': Object.fromEntries(declared) });
  });

  it('ships the sources that its declaration and source maps point at', () => {
    const maps = [...packed].filter((path) => path.endsWith('.map'));
    assert.ok(maps.length > 0);
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(root, map), 'utf8'));
      for (const source of sources) {
        const path = inPackage(join(dirname(map), source));
        assert.ok(packed.has(path), `${map} points at ${path}, which is in the package`);
      }
    }
  });

  it('ships the CDN bundle with the element and its error only, and the bundled notices', () => {
    const bundle = readFileSync(join(root, 'dist/stream-chat.js'), 'utf8');
    const exported = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(bundle)?.[1];
    assert.ok(exported, 'dist/stream-chat.js ends with one export list');
    const names = exported.split(',').map((entry) => entry.trim().split(/\s+as\s+/).at(-1)).sort();
    const api = ['ErrorKind', 'StreamChatElement', 'StreamChatError'];
    assert.deepEqual(names.filter((name) => api.includes(name)), api);
    // The protocol chunks next to it import what they share with it: the rest of its exports, no more.
    const chunks = ['dist/stream-chat-openai-responses.js', 'dist/stream-chat-anthropic.js'];
    const imported = new Set(
      chunks.flatMap((path) => {
        assert.ok(packed.has(path), `${path} is in the package`);
        const list = /import\s*\{([^}]*)\}\s*from\s*["']\.\/stream-chat\.js["']/.exec(readFileSync(join(root, path), 'utf8'))?.[1] ?? '';
        return list.split(',').map((entry) => entry.trim().split(/\s+as\s+/)[0]);
      }),
    );
    assert.deepEqual(names.filter((name) => !api.includes(name) && !imported.has(name)), [], 'exports no chunk imports');
    const banner = bundle.slice(0, bundle.indexOf('*/'));
    assert.match(banner, /Lit: Copyright 2017 Google LLC, BSD-3-Clause/);
    assert.match(banner, /eventsource-parser: Copyright \(c\) \d{4} Espen Hovlandsdal, MIT/);
  });

  it('bundles Lit and eventsource-parser into the CDN file; the npm modules import them, as the package\'s dependencies', () => {
    const bundle = readFileSync(join(root, 'dist/stream-chat.js'), 'utf8');
    const specifiers = [...bundle.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((match) => match[1]);
    assert.ok(specifiers.length > 0, 'the bundle\'s imports are found');
    assert.deepEqual(specifiers.filter((specifier) => !specifier.startsWith('./')), [], 'the CDN file imports no package');
    assert.deepEqual(importedPackages('dist/esm/index.js'), ['eventsource-parser', 'lit']);
    assert.deepEqual(importedPackages('dist/esm/core.js'), ['eventsource-parser']);
  });

  it('keeps a selector a browser may not know in a rule of its own, as built: the minifier merges rules of the same declarations', () => {
    // A browser that does not know ::details-content (Chrome before 131, Firefox 143, Safari 18.4)
    // drops a whole rule that lists it: merged with `.turns`'s, printing would lose the conversation.
    for (const path of ['dist/stream-chat.js', 'dist/esm/element/stream-chat.styles.js']) {
      const css = readFileSync(join(root, path), 'utf8');
      const rules = [...css.matchAll(/[^{}]*::details-content[^{}]*\{/g)].map((match) => match[0].trim());
      assert.ok(rules.length > 0, `${path} has its ::details-content rule`);
      for (const rule of rules) assert.match(rule, /^::details-content\s*\{$/, `${path}: ${rule}`);
    }
  });

  it('the element subpath gives the class without defining <stream-chat>; the package\'s entry defines that class', async () => {
    // Node: Lit's `node` export condition provides a customElements registry.
    const script = `
      const { StreamChatElement } = await import('stream-chat-element/element');
      const before = customElements.get('stream-chat');
      await import('stream-chat-element');
      console.log(JSON.stringify([typeof StreamChatElement, before === undefined, customElements.get('stream-chat') === StreamChatElement]));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: root });
    assert.deepEqual(JSON.parse(stdout), ['function', true, true]);
  });

  it('keeps the highlighter out of the CDN bundle: a chunk next to it, imported dynamically; a module of its own on npm', () => {
    // Strings only the highlighter has: sugar-high's token types and language options, its colours.
    const markers = ['jsxliterals', 'onCommentStart', 'shellscript', '--stream-chat-code-keyword'];
    const bundle = readFileSync(join(root, 'dist/stream-chat.js'), 'utf8');
    for (const marker of markers) assert.ok(!bundle.includes(marker), `dist/stream-chat.js holds "${marker}"`);
    // Its dynamic imports: the highlighter, the two protocols loaded on first use, and what keeps the conversation (`storage-key`).
    const imported = [...bundle.matchAll(/\bimport\s*\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((m) => m[2]).sort();
    assert.deepEqual(imported, ['./stream-chat-anthropic.js', './stream-chat-highlight.js', './stream-chat-openai-responses.js', './stream-chat-persistence.js']);
    assert.ok(packed.has('dist/stream-chat-highlight.js'), 'the chunk is in the package, next to the bundle');
    const chunk = readFileSync(join(root, 'dist/stream-chat-highlight.js'), 'utf8');
    for (const marker of markers) assert.ok(chunk.includes(marker), `the chunk holds "${marker}"`);
    assert.match(chunk, /^\/\*! sugar-high .*MIT\. \*\//, 'the bundled notice');
    // Self-contained: no second Lit, not the bundle again. (Its keyword lists hold the word `import`.)
    assert.ok(!/\bimport\s*\(|\bfrom\s*["'`]|(?:^|[;}\n])\s*import\s*["'`{*]/.test(chunk), 'the chunk imports nothing');
    // The element's module that loads it.
    const loader = readFileSync(join(root, 'dist/esm/element/renderer-for.js'), 'utf8');
    assert.match(loader, /\bimport\(["']\.\/highlight\.js["']\)/);
    assert.ok(!/^import[^;]*["']\.\/highlight\.js["']/m.test(loader), 'not imported statically');
    assert.deepEqual(importedPackages('dist/esm/element/highlight.js'), ['sugar-high']);
  });

  it('keeps what keeps the conversation (`storage-key`) out of the CDN bundle: a chunk of its own, imported dynamically', () => {
    // Strings only it has: the stored shape's fields, the interrupted tool result.
    // (Not `pagehide`: the bundle listens for it too, the page going.)
    const markers = ['interrupted', 'a result: the page was closed', 'localStorage'];
    const bundle = readFileSync(join(root, 'dist/stream-chat.js'), 'utf8');
    for (const marker of markers.slice(1)) assert.ok(!bundle.includes(marker), `dist/stream-chat.js holds "${marker}"`);
    assert.ok(packed.has('dist/stream-chat-persistence.js'), 'the chunk is in the package, next to the bundle');
    const chunk = readFileSync(join(root, 'dist/stream-chat-persistence.js'), 'utf8');
    for (const marker of markers) assert.ok(chunk.includes(marker), `the chunk holds "${marker}"`);
    assert.ok(!/\bimport\s*\(|\bfrom\s*["'`]|(?:^|[;}\n])\s*import\s*["'`{*]/.test(chunk), 'the chunk imports nothing');
    const loader = readFileSync(join(root, 'dist/esm/element/keep-controller.js'), 'utf8');
    assert.match(loader, /\bimport\(["']\.\/persistence\.js["']\)/);
    assert.ok(!/^import[^;]*["']\.\/persistence\.js["']/m.test(loader), 'not imported statically');
  });

  it('lists in sideEffects exactly the shipped modules that define <stream-chat>, or import the one that does for that', () => {
    assert.ok(Array.isArray(pkg.sideEffects), 'sideEffects is a list, so everything else can be tree-shaken');
    const defining = [...packed].filter((path) => {
      if (!/\.(m?js|ts)$/.test(path) || path.endsWith('.d.ts')) return false;
      // Code only: a doc comment may show how to define the class under another tag.
      const text = readFileSync(join(root, path), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      return text.includes('customElements.define(') || /^import ['"]\.\/define\.js['"];?$/m.test(text);
    });
    assert.ok(['dist/esm/index.js', 'dist/esm/define.js', 'dist/stream-chat.js'].every((path) => defining.includes(path)));
    assert.deepEqual([...pkg.sideEffects].map(inPackage).sort(), defining.sort());
  });

  it('needs @lit/react only for the React wrapper: an optional peer dependency, not a dependency', () => {
    assert.ok(!('@lit/react' in (pkg.dependencies ?? {})), '@lit/react is not installed for every user');
    assert.ok(pkg.peerDependencies?.['@lit/react'], '@lit/react is a peer dependency');
    assert.equal(pkg.peerDependenciesMeta?.['@lit/react']?.optional, true, '@lit/react is an optional peer');
    assert.ok(pkg.devDependencies?.['@lit/react'], '@lit/react is installed for the build and the tests');
    const optional = Object.keys(pkg.peerDependencies).filter((name) => pkg.peerDependenciesMeta?.[name]?.optional);
    for (const [subpath, { default: target }] of Object.entries(pkg.exports).filter(([, value]) => value.default?.endsWith('.js'))) {
      const packages = importedPackages(inPackage(target));
      for (const name of packages) {
        assert.ok(name in (pkg.dependencies ?? {}) || name in pkg.peerDependencies, `exports["${subpath}"] imports ${name}, which package.json names`);
      }
      if (subpath !== './react') {
        assert.deepEqual(packages.filter((name) => optional.includes(name)), [], `exports["${subpath}"] works without the optional peers`);
      }
    }
  });

  it('names in engines a Node that every build and test tool supports', () => {
    const ours = pkg.engines?.node;
    assert.ok(ours, 'engines.node is set');
    const tools = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
      .map((name) => [name, JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).engines?.node])
      // `*` (any Node, as commonmark says) constrains nothing.
      .filter(([, range]) => range && range.trim() !== '*');
    assert.ok(tools.some(([name]) => name === 'vite'), 'vite names the Node it needs');
    // Every major from 16 to 30 at each minor to 30, and each range's own lower bounds.
    const versions = [...Array(15)].flatMap((_, major) => [...Array(31)].map((_, minor) => `${major + 16}.${minor}.0`));
    for (const range of [ours, ...tools.map(([, range]) => range)]) versions.push(...lowerBounds(range));
    for (const version of versions.filter((version) => satisfies(version, ours))) {
      for (const [name, range] of tools) assert.ok(satisfies(version, range), `Node ${version} is in engines (${ours}) but ${name} needs ${range}`);
    }
  });

  for (const specifier of ['stream-chat-element', 'stream-chat-element/core']) {
    it(`imports ${specifier} in Node without throwing`, async () => {
      // A child process of its own: no DOM, only what Lit's `node` export condition provides.
      const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m)));`;
      let stdout;
      try {
        ({ stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: root }));
      } catch (error) {
        assert.fail(`import('${specifier}') in Node failed:\n${error.stderr || error.message}`);
      }
      const names = JSON.parse(stdout);
      for (const name of ['Conversation', 'streamChat', 'StreamChatError']) assert.ok(names.includes(name), `${specifier} exports ${name}`);
      if (specifier === 'stream-chat-element') assert.ok(names.includes('StreamChatElement'));
      else assert.ok(!names.includes('StreamChatElement'), 'the core has no element');
    });
  }

  it('imports stream-chat-element/react in Node, on a server or in a server component; marks it a client module', async () => {
    // Under React's `react-server` condition (Next.js's server components) React has no hooks, so
    // the wrapper rendered there throws ("useRef is not a function"). `'use client'` first tells
    // such a bundler to render it as a client component, as it does an app's own 'use client' file.
    const script = `
      const React = await import('react');
      const { StreamChat } = await import('stream-chat-element/react');
      console.log(JSON.stringify([typeof React.useRef, typeof StreamChat]));`;
    for (const [conditions, hooks] of [[[], 'function'], [['--conditions=react-server'], 'undefined']]) {
      const { stdout } = await run(process.execPath, [...conditions, '--input-type=module', '--eval', script], { cwd: root });
      assert.deepEqual(JSON.parse(stdout), [hooks, 'object'], `imported with ${conditions.join(' ') || 'no conditions'}`);
    }
    const built = pkg.exports['./react'].default;
    assert.match(readFileSync(join(root, built), 'utf8'), /^(['"])use client\1;?\n/, `${built} begins with the directive`);
  });
});

describe('the headless core in Node', () => {
  it('a relative endpoint, with no page to resolve it against, is an error that says so; with its own fetch, the app decides', async () => {
    const script = `
      const { Conversation } = await import('stream-chat-element/core');
      const failure = await new Conversation({ endpoint: '/api/chat' }).send('Hi').catch((error) => error);
      const asked = [];
      const fetch = async (url) => { asked.push(String(url)); throw new TypeError('offline'); };
      await new Conversation({ endpoint: '/api/chat', retries: 0, fetch }).send('Hi').catch(() => {});
      console.log(JSON.stringify([failure.kind, failure.message, asked]));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: root });
    assert.deepEqual(JSON.parse(stdout), ['network', 'The endpoint "/api/chat" is not a valid URL (outside a page, give it whole, with its https://).', ['/api/chat']]);
  });

  it('an endpoint written whole that does not parse (a port out of range) is not a valid URL, with no hint to give it whole: it was', async () => {
    // (Found in review of 8623adf: in Node it said "(outside a page, give it whole, with its https://)",
    // with or without the app's own fetch, of a URL given whole.)
    const script = `
      const { Conversation } = await import('stream-chat-element/core');
      const endpoint = 'https://api.example.test:99999/v1';
      const fetch = async () => { throw new TypeError('offline'); };
      const failures = await Promise.all([{}, { fetch }].map((options) => new Conversation({ endpoint, retries: 0, ...options }).send('Hi').catch((error) => error.message)));
      console.log(JSON.stringify(failures));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: root });
    assert.deepEqual(JSON.parse(stdout), Array(2).fill('The endpoint "https://api.example.test:99999/v1" is not a valid URL.'));
  });

  it('a path on a page opened as a file (the Quick start saved and double-clicked) is an error that says so, at once; with its own fetch, the app decides', async () => {
    // What the core sees there: its `location` a file: URL, a path resolving to a file, which no
    // browser's fetch reads (it failed as "Could not reach /api/chat (down, or blocked by CORS?)",
    // after its retries).
    const script = `
      globalThis.location = new URL('file:///home/me/chat.html');
      const { Conversation } = await import('stream-chat-element/core');
      let called = 0;
      const fetch = async () => (called++, new Response('', { status: 500 }));
      const failure = await new Conversation({ endpoint: '/api/chat', retryDelay: 10 }).send('Hi').catch((error) => error);
      await new Conversation({ endpoint: '/api/chat', retries: 0, fetch }).send('Hi').catch(() => {});
      console.log(JSON.stringify([failure.kind, failure.message, called]));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: root });
    assert.deepEqual(JSON.parse(stdout), [
      'network',
      'The endpoint "/api/chat" is a file: URL (a page opened as a file has no server): serve the page, or give the endpoint whole, with its https://.',
      1,
    ]);
  });

  it('runs where there is no CustomEvent (Next.js\'s Edge runtime): its events are Events with their detail', async () => {
    // Before, the first chunk threw: `send()` never settled, and the rejection went unhandled.
    const script = `
      delete globalThis.CustomEvent;
      process.on('unhandledRejection', (reason) => { console.log(JSON.stringify(['unhandled', String(reason)])); process.exit(1); });
      const { Conversation } = await import('stream-chat-element/core');
      const sse = 'data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}\\n\\ndata: {"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}\\n\\ndata: [DONE]\\n\\n';
      const fetch = async () => new Response(sse, { headers: { 'content-type': 'text/event-stream' } });
      const seen = [];
      const chat = new Conversation({ endpoint: 'https://x.test/v1/chat/completions', fetch });
      for (const type of ['chunk', 'done', 'error']) chat.addEventListener(type, (event) => seen.push([type, event.bubbles, event.detail.delta ?? event.detail.content]));
      const done = await chat.send('Hi');
      const failed = new Conversation({ endpoint: 'https://x.test', retries: 0, fetch: async () => new Response('{"error":{"message":"nope"}}', { status: 400 }) });
      failed.addEventListener('error', (event) => seen.push(['error', event.bubbles, event.detail.error.message]));
      await failed.send('Hi').catch(() => {});
      console.log(JSON.stringify([done.content, seen]));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: root });
    assert.deepEqual(JSON.parse(stdout), [
      'Hello',
      [
        ['chunk', true, 'Hel'],
        ['chunk', true, 'lo'],
        ['done', true, 'Hello'],
        ['error', false, 'HTTP 400: nope'],
      ],
    ]);
  });
});

/** The packages a built module imports, itself or through the modules it imports by relative path. */
function importedPackages(path, seen = new Set()) {
  if (seen.has(path)) return [];
  seen.add(path);
  const names = new Set();
  for (const [, specifier] of readFileSync(join(root, path), 'utf8').matchAll(/^(?:import\s*|(?:import|export)\b[^;'"]*\bfrom\s*)["']([^"']+)["']/gm)) {
    if (specifier.startsWith('.')) importedPackages(join(dirname(path), specifier), seen).forEach((name) => names.add(name));
    else names.add(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
  }
  return [...names].sort();
}

const parseVersion = (version) => version.split('.').map(Number);
const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The alternatives of an `engines` range as [operator, x.y.z], for the forms used here: `>=x.y.z`, `^x.y.z`, `x.y.z`, joined by `||`. */
function alternatives(range) {
  return range.split('||').map((alternative) => {
    const match = /^\s*(>=|\^)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(alternative);
    assert.ok(match, `"${alternative.trim()}" is a range form this test reads`);
    return [match[1] ?? '=', [match[2], match[3] ?? 0, match[4] ?? 0].map(Number)];
  });
}

const lowerBounds = (range) => alternatives(range).map(([, bound]) => bound.join('.'));

function satisfies(version, range) {
  const v = parseVersion(version);
  return alternatives(range).some(([operator, bound]) => {
    if (operator === '=') return compare(v, bound) === 0;
    return compare(v, bound) >= 0 && (operator === '>=' || v[0] === bound[0]);
  });
}
