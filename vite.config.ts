import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { mockCompletionsPlugin } from './demo/mock/vite-plugin.js';

/**
 * One config, four jobs:
 * - `vite` / `vite preview`: the demo page (demo/index.html) with the mock endpoint;
 * - `vite build`: the npm modules, dist/esm/*.js, one file per source module;
 * - `vite build --mode cdn`: dist/stream-chat.js, one self-contained minified module, and the
 *   highlighter's chunk next to it, dist/stream-chat-highlight.js;
 * - `vite build --mode demo`: the demo page as a static site in demo-dist/.
 */
export default defineConfig(({ command, mode }) => {
  if (command === 'serve' || mode === 'demo') return demoSite();
  return mode === 'cdn' ? cdnBundle : npmModules;
});

const entry = 'src/index.ts';

/**
 * Left as bare imports in the npm build, so an app that uses Lit shares one copy with the element,
 * and the React wrapper uses the app's own React.
 */
const dependency = /^(lit|@lit\/[^/]+|eventsource-parser|sugar-high|react)(\/.*)?$/;

function demoSite(): UserConfig {
  return {
    root: 'demo',
    // Relative asset URLs: the built demo works from any folder of any static host or CDN.
    base: './',
    plugins: [mockCompletionsPlugin(), cdnScript()],
    // Vue's esm-bundler build asks the bundler for its feature flags.
    define: { __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
    build: {
      outDir: '../demo-dist',
      emptyOutDir: true,
      // Every page, relative to `root`.
      rolldownOptions: { input: ['index.html', 'react/index.html', 'vue/index.html', 'plain/index.html'] },
    },
  };
}

/**
 * `/stream-chat.js` in the demo is the CDN bundle's entry, src/cdn.ts: demo/plain loads the element
 * with one script tag, as a page without a bundler does, and needs no `npm run build` first (dist/
 * is outside the demo's root, which the dev server does not serve).
 */
function cdnScript(): Plugin {
  const script = fileURLToPath(new URL('demo/stream-chat.js', import.meta.url));
  const source = fileURLToPath(new URL('src/cdn.ts', import.meta.url));
  return {
    name: 'stream-chat-cdn-script',
    // The dev server asks for the URL; the build, for the page's relative URL from the page's file.
    resolveId: (id, importer) => (id === '/stream-chat.js' || (importer && resolve(dirname(importer), id) === script) ? source : undefined),
  };
}

const npmModules: UserConfig = {
  // The templates minified as in the CDN bundle (below): an app's bundler minifies the JavaScript
  // but leaves their text alone, and a Vite app that imported the element weighed 45,600 bytes
  // gzip, 16% more than dist/stream-chat.js. The code stays readable, with its source maps.
  plugins: [templates()],
  build: {
    outDir: 'dist',
    // The first of the builds `npm run build` runs: it starts dist/ clean for the others.
    emptyOutDir: true,
    // core.ts, element.ts and react.ts are entries of their own: the `./core` export, the
    // conversation without Lit; `./element`, the class without defining it; `./react`, the React wrapper.
    lib: { entry: [entry, 'src/core.ts', 'src/element.ts', 'src/react.ts'], formats: ['es'] },
    minify: false,
    sourcemap: true,
    target: 'es2022',
    rolldownOptions: {
      external: (id) => dependency.test(id),
      // react.ts's 'use client' is kept: each module is a file of its own (the package test checks).
      checks: { moduleLevelDirective: false },
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: 'esm/[name].js' },
    },
  },
};

/**
 * The JS minifier leaves the text of `html` and `css` templates alone: their indentation and
 * comments were a third of the element's gzip size. Our sources only (src/, or the benchmark's
 * patched copies of it), and a template it cannot parse fails the build rather than ship unminified.
 * Attribute values without quotes where HTML needs none (`part=log`, `aria-label=${…}`: Lit binds
 * an unquoted value as a quoted one), and end tags HTML implies (a source's `</li>`): 23 bytes
 * gzip, the same DOM in every state rendered.
 */
function templates() {
  return minifyHtmlLiterals({ filter: (id) => !id.includes('/node_modules/'), failOnError: true, options: { minifyOptions: { removeAttributeQuotes: true, removeOptionalTags: true } } });
}

const noticeBanner = '/*! Lit: Copyright 2017 Google LLC, BSD-3-Clause. eventsource-parser: Copyright (c) 2026 Espen Hovlandsdal, MIT. */';
// sugar-high ships no LICENSE file or copyright line: its package.json says MIT.
const highlighterBanner = '/*! sugar-high (github.com/huozhi/sugar-high): MIT. */';

const cdnBundle: UserConfig = {
  plugins: [templates(), terserPass()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    // The element and its error: the rest of the core API stays in the npm modules.
    lib: { entry: 'src/cdn.ts', formats: ['es'], fileName: () => 'stream-chat.js' },
    target: 'es2022',
    rolldownOptions: {
      // The chunks take what they share with the bundle (the errors, the request helpers) from it:
      // it exports those too, under short names, instead of a third file every page would load.
      preserveEntrySignatures: 'allow-extension',
      output: {
        // The highlighter, imported dynamically, is a chunk of its own next to the bundle
        // (dist/stream-chat-highlight.js), loaded relative to it only by an element with `highlight`.
        // The Responses and Anthropic protocols are chunks next to the bundle, loaded by the first
        // request that speaks them (`protocol`): a page that does not use them does not download them.
        // So is what keeps the conversation (dist/stream-chat-persistence.js), loaded with `storage-key`.
        chunkFileNames: 'stream-chat-[name].js',
        // Library mode keeps whitespace and /* @__PURE__ */ marks for an app's bundler to
        // tree-shake; these files go to the browser as they are. The bundled packages' notices are
        // kept once each in the banner (Lit's four identical headers, and eventsource-parser's, which
        // its build leaves out).
        minify: true,
        comments: { legal: false, annotation: false, jsdoc: false },
        postBanner: (chunk) => (chunk.isEntry ? noticeBanner : chunk.name === 'highlight' ? highlighterBanner : ''),
      },
    },
  },
};

/**
 * Terser, three passes, over the minified files: 0.26 KiB less of the bundle (gzip) than the bundler's
 * minifier alone, which kept the highlighter's loader within the size gate (a fourth pass gzips
 * no smaller). Unused parameters go too (`keep_fargs: false`, 12 bytes): nothing bundled reads a
 * function's `length`. `ecma: 2020`, the newest terser knows, as the build targets es2022. Function
 * expressions may become arrows and an object's functions its methods (`unsafe_arrows`,
 * `unsafe_methods`), where they read no `this`: nothing bundled calls one with `new` or reads its
 * `prototype`; and `Object.prototype.toString` is `{}.toString` (`unsafe_proto`). 45 bytes. The
 * names stay the bundler's (`mangle: false`): terser's own, given again, gzipped 52 bytes worse; and
 * statements stay statements (`sequences: false`): joined with commas, they gzipped 30 bytes worse.
 * Characters past ASCII in strings and regular expressions are written as escapes (`ascii_only`;
 * terser leaves tagged templates, whose raw text a tag may read, alone): the same values, and a file
 * of ASCII bytes alone has fewer symbols for gzip's codes, 77 bytes less.
 */
function terserPass(): Plugin {
  return {
    name: 'terser-pass',
    async generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const compress = { passes: 3, keep_fargs: false, unsafe_arrows: true, unsafe_methods: true, unsafe_proto: true, sequences: false };
        file.code = (await minify(file.code, { module: true, ecma: 2020, compress, mangle: false, format: { comments: /^!/, ascii_only: true } })).code!;
      }
    },
  };
}
