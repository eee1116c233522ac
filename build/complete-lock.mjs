/**
 * Lists optional platform packages (rollup's, for one) that `npm install` left out of
 * package-lock.json because the registry here serves no build of them for this machine's
 * platform. `npm ci` refuses a lock that lacks them, though they are never installed here.
 * Usage: node build/complete-lock.mjs   (after any `npm install`; idempotent)
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    lock.packages[`node_modules/${name}`] = {
      version: String(range).replace(/^[~^=]/, ''),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
    };
    added++;
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} optional platform package(s) listed`);
