import { readFileSync, readdirSync } from 'node:fs';

/**
 * `npm run analyze` (part of `npm run build`): writes custom-elements.json, the custom elements
 * manifest that editors, Storybook and framework-wrapper generators read. It comes from the class's
 * JSDoc (`@summary`, typed `@event`, `@csspart`, `@cssproperty`) and its Lit `static properties`.
 *
 * @type {import('@custom-elements-manifest/analyzer').Config}
 */
export default {
  globs: ['src/stream-chat.ts'],
  outdir: '.',
  litelement: true,
  // The analyzer would otherwise rewrite package.json (its whole text) to add `customElements`,
  // which package.json already has.
  packagejson: false,
  plugins: [tagNamePlugin(), publicApiPlugin(), constantDefaultsPlugin()],
};

/**
 * The element is defined in src/index.ts (guarded, so two copies can load), not next to its class:
 * its tag name comes from the `HTMLElementTagNameMap` entry the class module declares.
 */
function tagNamePlugin() {
  /** Tag name -> class name. */
  const tags = new Map();
  return {
    name: 'stream-chat:tag-name',
    analyzePhase({ ts, node }) {
      if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'HTMLElementTagNameMap') return;
      for (const member of node.members) {
        if (ts.isPropertySignature(member) && ts.isStringLiteral(member.name) && member.type) {
          tags.set(member.name.text, member.type.getText());
        }
      }
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const [tagName, className] of tags) {
        const declaration = moduleDoc.declarations?.find((d) => d.name === className);
        if (!declaration) continue;
        declaration.tagName = tagName;
        moduleDoc.exports?.push({
          kind: 'custom-element-definition',
          name: tagName,
          declaration: { name: className, module: moduleDoc.path },
        });
      }
    },
  };
}

/** `#private` fields and methods are no one else's business. */
function publicApiPlugin() {
  return {
    name: 'stream-chat:public-api',
    moduleLinkPhase({ moduleDoc }) {
      for (const declaration of moduleDoc.declarations ?? []) {
        if (declaration.members) {
          declaration.members = declaration.members.filter((member) => !member.name.startsWith('#'));
        }
      }
    },
  };
}

/**
 * Defaults assigned from a constant (`this.retries = DEFAULT_RETRIES`, imported or not) get the
 * constant's literal value, so the manifest says `2`, not a name from the source.
 */
function constantDefaultsPlugin() {
  /** Name -> literal, for the top-level `const`s of src/ with a literal value; a name defined twice is dropped. */
  const constants = new Map();
  return {
    name: 'stream-chat:constant-defaults',
    initialize({ ts }) {
      const seen = new Set();
      for (const file of readdirSync('src').filter((name) => name.endsWith('.ts'))) {
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
