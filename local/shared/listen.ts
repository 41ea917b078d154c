import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Listens on `port` (0: a free one) and `host`; resolves to the port, rejects on a listen
 * error (a taken port with the message that names it; `what` says which server it is).
 */
export function listen(server: Server, port: number, host: string, what = 'the server'): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void => reject(error.code === 'EADDRINUSE' ? portTakenError(port, what) : error);
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** `host:port` as a URL writes it (IPv6 addresses in brackets). */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The address to reach a server that listens on `host`: a loopback one for the wildcards. */
export function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

/** The one message for a port that another process holds. */
export function portTakenError(port: number, what: string): Error {
  return new Error(
    `port ${port} is taken: ${what} cannot listen on it. Another process holds it (an earlier local cloud, or anything else); ` +
      `stop that process, or choose other ports with --port (0: free ports).`,
  );
}
