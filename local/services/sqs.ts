import { startFauxqs } from 'fauxqs';
import type { RunningService } from './types.js';

/**
 * Starts the fauxqs SQS emulator in this process. Its queue URLs name a host
 * (`sqs.<region>.localhost:<port>`) that does not resolve: every SQSClient needs an explicit
 * `endpoint` (then the SDK sends to the endpoint, not to the queue URL's host).
 */
export async function startSqsEmulator(options: { port?: number } = {}): Promise<RunningService> {
  const server = await startFauxqs({ port: options.port ?? 0, host: 'localhost', logger: false });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    stop: () => server.stop(),
  };
}
