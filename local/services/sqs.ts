import { buildApp } from 'fauxqs';
import { hostPort, portTakenError, reachableHost } from '../shared/listen.js';
import type { RunningService } from './types.js';

/**
 * Starts the fauxqs SQS emulator in this process, listening on `host` only (default
 * 127.0.0.1; fauxqs' own `startFauxqs` listens on every interface, so its app is listened
 * here instead). Its queue URLs name a host (`sqs.<region>.localhost:<port>`) that does not
 * resolve: every SQSClient needs an explicit `endpoint` (then the SDK sends to the
 * endpoint, not to the queue URL's host). A taken port rejects.
 */
export async function startSqsEmulator(options: { port?: number; host?: string } = {}): Promise<RunningService> {
  const host = options.host ?? '127.0.0.1';
  const app = buildApp({ logger: false, host: 'localhost' });
  try {
    await app.listen({ port: options.port ?? 0, host });
  } catch (error) {
    await app.close();
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? portTakenError(options.port ?? 0, 'the SQS emulator') : error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://${hostPort(reachableHost(host), port)}`,
    stop: () => app.close(),
  };
}
