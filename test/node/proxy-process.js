// demo/proxy/server.js run as README says: a process configured by its environment.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverJs = fileURLToPath(new URL('../../demo/proxy/server.js', import.meta.url));

/**
 * Starts the proxy with `env` over this process's, on a free port of 127.0.0.1 (or `HOST`); resolves with the
 * child, the port and what it printed once it says where it listens (rejects if it exits first, with its exit code and
 * what it wrote to stderr).
 * @param {Record<string, string>} env
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, port: number, out: string }>}
 */
export function startProxy(env) {
  const child = spawn(process.execPath, [serverJs], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let errors = '';
    child.stderr.on('data', (part) => (errors += part));
    child.stdout.on('data', (part) => {
      out += part;
      const match = /http:\/\/(?:127\.0\.0\.1|\[::1\]|localhost):(\d+)\//.exec(out);
      if (match) resolve({ child, port: Number(match[1]), out });
    });
    child.on('exit', (code) => reject(Object.assign(new Error(`the proxy exited before listening: ${errors}`), { code, stderr: errors })));
  });
}
