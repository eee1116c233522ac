// custom-elements.json (`npm run analyze`, part of `npm run build`) describes the element's whole
// public API: what editors, Storybook and wrapper generators know about <stream-chat> comes from it.
// Parts and custom properties are checked against the ones the element really renders and reads.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path) => readFileSync(join(root, path), 'utf8');

let element;
let manifest;

before(() => {
  assert.ok(existsSync(join(root, 'custom-elements.json')), 'custom-elements.json is missing: run `npm run build` first');
  manifest = JSON.parse(read('custom-elements.json'));
  const modules = manifest.modules.filter((module) => module.declarations?.some((d) => d.customElement));
  assert.equal(modules.length, 1, 'one module declares a custom element');
  element = modules[0].declarations.find((d) => d.customElement);
});

const names = (list = []) => list.map((item) => item.name).sort();

describe('custom-elements.json', () => {
  it('names the JavaScript modules the package publishes, and defines the tag where importing it does', () => {
    // The schema's module path is the file to import, not a TypeScript source.
    for (const module of manifest.modules) {
      assert.match(module.path, /^dist\/esm\/.*\.js$/, module.path);
      assert.ok(existsSync(join(root, module.path)), `${module.path} is built`);
    }
    const definitions = manifest.modules.flatMap((module) => (module.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => ({ ...e, in: module.path })));
    assert.deepEqual(definitions, [
      { kind: 'custom-element-definition', name: 'stream-chat', declaration: { name: element.name, module: 'dist/esm/element/stream-chat.js' }, in: 'dist/esm/index.js' },
    ]);
    // The package's entry defines it; the element's own module (the `element` subpath) does not.
    assert.match(read('dist/esm/index.js'), /define\.js/);
    assert.doesNotMatch(read('dist/esm/element/stream-chat.js'), /customElements\.define/);
  });

  it('names the element, its class and summary', () => {
    assert.equal(element.tagName, 'stream-chat');
    assert.equal(element.name, 'StreamChatElement');
    assert.match(element.summary ?? '', /OpenAI-compatible/);
  });

  it('has the chunk, done, error, tool-call and warning events with their detail types', () => {
    const types = Object.fromEntries(element.events.map((e) => [e.name, e.type?.text]));
    assert.deepEqual(types, {
      chunk: 'CustomEvent<ChunkDetail>',
      done: 'CustomEvent<DoneDetail>',
      error: 'CustomEvent<ErrorDetail>',
      'tool-call': 'CustomEvent<ToolCallDetail>',
      warning: 'CustomEvent<WarningDetail>',
    });
    for (const event of element.events) assert.ok(event.description, `${event.name} is described`);
  });

  it('has every attribute, with its property, type and default', () => {
    const attributes = Object.fromEntries(element.attributes.map((a) => [a.name, [a.fieldName, a.type?.text, a.default]]));
    assert.deepEqual(attributes, {
      endpoint: ['endpoint', 'string', "''"],
      protocol: ['protocol', "'openai-chat' | 'openai-responses' | 'anthropic'", "'openai-chat'"],
      key: ['key', 'string', "''"],
      model: ['model', 'string', "''"],
      system: ['system', 'string', "''"],
      temperature: ['temperature', 'number | undefined', 'undefined'],
      'max-tokens': ['maxTokens', 'number | undefined', 'undefined'],
      placeholder: ['placeholder', 'string', "'Send a message'"],
      format: ['format', "'markdown' | 'text'", "'markdown'"],
      images: ['images', 'boolean', 'false'],
      highlight: ['highlight', 'boolean', 'false'],
      retries: ['retries', 'number', '2'],
      timeout: ['timeout', 'number', '120000'],
      'max-steps': ['maxSteps', 'number', '5'],
      stats: ['stats', 'boolean', 'false'],
      'storage-key': ['storageKey', 'string', "''"],
    });
  });

  it('has the public properties and methods, and nothing private', () => {
    const fields = element.members.filter((m) => m.kind === 'field');
    assert.deepEqual(names(fields), [
      'body',
      'conversation',
      'endpoint',
      'fetch',
      'format',
      'headers',
      'highlight',
      'images',
      'key',
      'labels',
      'maxSteps',
      'maxTokens',
      'messages',
      'model',
      'placeholder',
      'protocol',
      'retries',
      'stats',
      'storageKey',
      'streaming',
      'suggestions',
      'system',
      'temperature',
      'timeout',
      'tools',
    ]);
    assert.deepEqual(names(element.members.filter((m) => m.kind === 'method')), ['clear', 'edit', 'focus', 'regenerate', 'retry', 'send', 'stop']);
    assert.equal(fields.find((m) => m.name === 'streaming').readonly, true);
    assert.equal(fields.find((m) => m.name === 'conversation').readonly, true);
    assert.equal(fields.find((m) => m.name === 'messages').type.text, 'ChatMessage[]');
    for (const member of element.members) assert.ok(member.description, `${member.name} is described`);
  });

  it('documents every part the element renders', () => {
    // The element's templates: the class, the log's messages and the composer; and the parts the Markdown renderer sets.
    const source = ['src/element/stream-chat.ts', 'src/element/messages.ts', 'src/element/composer.ts'].map(read).join('\n');
    const rendered = new Set([
      ...[...read('src/element/renderers/markdown.ts').matchAll(/\bpart: '([\w-]+)'/g)].map((m) => m[1]),
      // (Its words as written: `marker` of part="marker ${kind}" too.)
      ...[...source.matchAll(/\spart="([^"]+)"/g)].flatMap((m) => m[1].split(/\s+/).filter((word) => !word.includes('$'))),
      // A part chosen at render time: part=${active ? 'stop' : 'send'}
      ...[...source.matchAll(/\spart=\$\{([^}]+)\}/g)].flatMap((m) => [...m[1].matchAll(/'([\w-]+)'/g)].map((q) => q[1])),
      // A marker's kind, made by marker(kind, text): part="marker ${kind}"
      ...[...source.matchAll(/\bmarker\('([\w-]+)'/g)].map((m) => m[1]),
    ]);
    assert.ok(rendered.size > 5);
    assert.deepEqual(names(element.cssParts), [...rendered].sort());
    for (const part of element.cssParts) assert.ok(part.description, `part ${part.name} is described`);
  });

  it('documents every custom property the styles read, the highlighter\'s too', () => {
    const styles = ['src/element/stream-chat.styles.ts', 'src/element/highlight.styles.ts'].map(read).join('\n');
    const used = new Set([...styles.matchAll(/var\((--stream-chat-[\w-]+)/g)].map((m) => m[1]));
    assert.ok(used.size > 5);
    assert.deepEqual(names(element.cssProperties), [...used].sort());
    for (const property of element.cssProperties) assert.ok(property.description, `${property.name} is described`);
  });
});
