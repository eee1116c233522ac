#!/usr/bin/env node
/**
 * Builds experimental variants of the element for the benchmark, without touching src/:
 * copies src/ to bench/results/experiments/src/<name>/ (gitignored), applies the variant's
 * find/replace patches from ./variants.js (a patch that no longer matches fails loudly), and bundles
 * it like the CDN build into bench/results/experiments/<name>.js.
 *
 *   node bench/experiments/build.js                  every variant
 *   node bench/experiments/build.js nodispatch raf   some
 *   node bench/run.js --experiment nodispatch --only 20k
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, loadConfigFromFile, mergeConfig } from 'vite';
import { variants } from './variants.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = join(root, 'bench/results/experiments');

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(variants);
for (const name of names) {
  const variant = variants[name];
  if (!variant) throw new Error(`unknown variant ${name}; known: ${Object.keys(variants).join(', ')}`);
  const src = join(out, 'src', name);
  await rm(src, { recursive: true, force: true });
  await mkdir(src, { recursive: true });
  await cp(join(root, 'src'), src, { recursive: true });
  for (const { file, find, replace } of variant.patches ?? []) {
    const path = join(src, file);
    const text = await readFile(path, 'utf8');
    if (!text.includes(find)) throw new Error(`${name}: patch for ${file} does not match:\n${find}`);
    await writeFile(path, text.replace(find, replace));
  }
  // The project's own CDN build (`vite build --mode cdn`), pointed at the patched copy.
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'cdn' }, join(root, 'vite.config.ts'), root, 'silent');
  const config = mergeConfig(loaded.config, {
    configFile: false,
    // package.json's sideEffects names src/define.ts, not this copy of it: keep the copy's define.
    plugins: [{ name: 'keep-define', transform: (code, id) => (id === join(src, 'define.ts') ? { code, moduleSideEffects: true } : null) }],
    logLevel: 'warn',
    root,
    build: {
      outDir: out,
      emptyOutDir: false,
      lib: { entry: join(src, 'cdn.ts'), formats: ['es'], fileName: () => `${name}.js` },
      ...(variant.minify === false ? { rolldownOptions: { output: { minify: false } } } : {}),
    },
  });
  await build(config);
  console.log(`built ${name}: ${variant.description}`);
}
