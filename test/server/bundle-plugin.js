/**
 * A @web/test-runner plugin that serves `/__bundle/<name>.js`: test/hosts/<name>.entry.tsx (or .ts)
 * bundled by esbuild. React ships CommonJS, and React and Vue read `process.env.NODE_ENV`: the test
 * server cannot hand them to the browser as they are, so a host test imports its framework bundled:
 *
 *   const host = await import('/__bundle/react19.js');
 *
 * `lit` stays a bare import, resolved by the test server like every other test module's, so a page
 * holds one Lit and the element is defined once, by the bundle's own copy of src/. Bundles are
 * built on first request and kept in memory for the run.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PREFIX = '/__bundle/';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * esbuild `alias` per bundle. The root's React is 19; React 18 is installed in the test/react18
 * workspace, and every import of React in its bundle (the wrapper's in src/react.ts too) must get it.
 */
const ALIASES = {
  react18: {
    react: './test/react18/node_modules/react',
    'react-dom': './test/react18/node_modules/react-dom',
  },
};

export function bundlePlugin() {
  /** @type {Map<string, Promise<string>>} */
  const bundles = new Map();

  return {
    name: 'host-bundles',
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const name = /^([\w-]+)\.js$/.exec(context.path.slice(PREFIX.length))?.[1];
      const entry = name && ['.tsx', '.ts'].map((ext) => `test/hosts/${name}.entry${ext}`).find((path) => existsSync(join(ROOT, path)));
      // Unknown names go on to the file server, which answers 404.
      if (!entry) return undefined;
      let bundle = bundles.get(entry);
      if (!bundle) {
        bundle = bundleEntry(entry, ALIASES[name] ?? {});
        bundles.set(entry, bundle);
      }
      try {
        return { body: await bundle, type: 'js' };
      } catch (error) {
        // Not kept, so the next request (after a fix) builds again; the test's import() fails with
        // esbuild's message instead of a bare "Failed to fetch dynamically imported module".
        bundles.delete(entry);
        return { body: `throw new Error(${JSON.stringify(`${entry}: ${error.message}`)});`, type: 'js' };
      }
    },
  };
}

/** @returns {Promise<string>} the bundled ES module */
async function bundleEntry(entry, alias) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    alias,
    external: ['lit', 'lit/*'],
    define: {
      'process.env.NODE_ENV': '"development"',
      // Vue's esm-bundler build expects its bundler to set these, and warns when one is missing.
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    // Stack traces of a failing test point into test/hosts and src/, not into the bundle.
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote nothing for ${entry}`);
  return output.text;
}
