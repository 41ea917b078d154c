import { createServer } from 'node:net';
import { portTakenError } from '../shared/listen.js';

/** A TCP port on `host` that was free a moment ago (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Rejects with `portTakenError` when `port` cannot be listened on at `host` now. Whatever
 * answers on a taken port is never used: it may be another run's service, or anything else.
 */
export function assertPortFree(port: number, host: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portTakenError(port, what) : error));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}
