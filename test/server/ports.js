import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that was free a moment ago: for a server to listen on (the WebDriver of
 * test/server/webkit-launcher.js), or, left closed, for a connection to be refused (sse-server.js).
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
