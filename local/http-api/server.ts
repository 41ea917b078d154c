/** Runs the local HTTP API on its own port. */
import { createServer } from 'node:http';
import { hostPort, listen } from '../shared/listen.js';
import { createHttpApi } from './api.js';
import type { StartHttpApiOptions, StartedHttpApi } from './types.js';

export async function startHttpApi(options: StartHttpApiOptions): Promise<StartedHttpApi> {
  const api = createHttpApi(options);
  const server = createServer((req, res) => {
    api.handleRequest(req, res).catch((error: unknown) => {
      options.log?.(`http-api: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host, 'the HTTP API');
  let closing: Promise<void> | undefined;
  return {
    api,
    url: `http://${hostPort(host, port)}`,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await api.close();
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
