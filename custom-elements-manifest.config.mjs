import { readFileSync, readdirSync } from 'node:fs';

/**
 * `npm run analyze` (part of `npm run build`): writes custom-elements.json, the custom elements
 * manifest that editors, Storybook and framework-wrapper generators read. It comes from the class's
 * JSDoc (`@summary`, `@tagname`, typed `@event`, `@csspart`, `@cssproperty`) and its Lit
 * `static properties`; the plugins below do only what the analyzer (0.11) cannot.
 *
 * @type {import('@custom-elements-manifest/analyzer').Config}
 */
export default {
  // The element's module, in src/ or a folder of it.
  globs: ['src/**/stream-chat.ts'],
  outdir: '.',
  litelement: true,
  // The analyzer would otherwise rewrite package.json (its whole text) to add `customElements`,
  // which package.json already has.
  packagejson: false,
  plugins: [tagDefinitionPlugin(), publicApiPlugin(), constantDefaultsPlugin(), publishedPathsPlugin()],
};

/** The package's entry point: importing it defines the element (src/index.ts imports src/define.ts). */
const ENTRY = 'src/index.ts';

/**
 * `@tagname` gives the class its tag name, but the analyzer lists a `custom-element-definition`
 * only beside a `customElements.define` call, and ours is in src/define.ts (guarded, so two copies
 * can load), whose import of the class it records as a path that names no module of the manifest.
 * This lists the definition in a module of the entry point, the one to import for the tag: the
 * element's own module (the `element` subpath) exports the class without defining it.
 */
function tagDefinitionPlugin() {
  return {
    name: 'stream-chat:tag-definition',
    packageLinkPhase({ customElementsManifest }) {
      const definitions = customElementsManifest.modules.flatMap((module) =>
        (module.declarations ?? []).filter((d) => d.tagName).map(({ name, tagName }) => ({ kind: 'custom-element-definition', name: tagName, declaration: { name, module: module.path } })),
      );
      customElementsManifest.modules.push({ kind: 'javascript-module', path: ENTRY, declarations: [], exports: definitions });
    },
  };
}

/**
 * The schema wants each module's path to be the JavaScript file to import, not its TypeScript
 * source: src/x.ts is published as dist/esm/x.js.
 */
function publishedPathsPlugin() {
  const published = (path) => path.replace(/^src\/(.*)\.ts$/, 'dist/esm/$1.js');
  return {
    name: 'stream-chat:published-paths',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        module.path = published(module.path);
        for (const item of [...(module.exports ?? []), ...(module.declarations ?? [])]) {
          if (item.declaration?.module) item.declaration.module = published(item.declaration.module);
          if (item.superclass?.module) item.superclass.module = published(item.superclass.module);
        }
      }
    },
  };
}

/**
 * `#private` fields and methods are no one else's business. The analyzer lists them, marked
 * `privacy: "private"`, and has no option to leave them out. Nor are protected overrides of Lit's
 * lifecycle (`getUpdateComplete`): what they change for a host is documented where it shows
 * (`updateComplete` also waits for a restored conversation).
 */
function publicApiPlugin() {
  return {
    name: 'stream-chat:public-api',
    moduleLinkPhase({ moduleDoc }) {
      for (const declaration of moduleDoc.declarations ?? []) {
        if (declaration.members) {
          declaration.members = declaration.members.filter((member) => !member.name.startsWith('#') && member.privacy !== 'protected');
        }
      }
    },
  };
}

/**
 * Defaults assigned from a constant (`this.retries = DEFAULT_RETRIES`, imported or not) get the
 * constant's literal value, so the manifest says `2`, not a name from the source. The analyzer
 * resolves only a field's default, only from a module it analyzed, and not through an import
 * written with the `.js` extension that TypeScript sources use.
 */
function constantDefaultsPlugin() {
  /** Name -> literal, for the top-level `const`s of src/ with a literal value; a name defined twice is dropped. */
  const constants = new Map();
  return {
    name: 'stream-chat:constant-defaults',
    initialize({ ts }) {
      const seen = new Set();
      for (const file of readdirSync('src', { recursive: true }).filter((name) => name.endsWith('.ts'))) {
        const source = ts.createSourceFile(file, readFileSync(`src/${file}`, 'utf8'), ts.ScriptTarget.Latest, true);
        for (const statement of source.statements) {
          if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
          for (const { name, initializer } of statement.declarationList.declarations) {
            if (!ts.isIdentifier(name) || !initializer) continue;
            // A numeric literal's `.text` drops separators (`120_000` -> "120000").
            const literal = ts.isNumericLiteral(initializer)
              ? initializer.text
              : ts.isStringLiteral(initializer)
                ? initializer.getText()
                : undefined;
            if (literal === undefined) continue;
            if (seen.has(name.text)) constants.delete(name.text);
            else constants.set(name.text, literal);
            seen.add(name.text);
          }
        }
      }
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const declaration of moduleDoc.declarations ?? []) {
        for (const item of [...(declaration.members ?? []), ...(declaration.attributes ?? [])]) {
          if (constants.has(item.default)) item.default = constants.get(item.default);
        }
      }
    },
  };
}
