/**
 * A metering proxy (metering-proxy.ts) in front of DynamoDB Local, in its own process: it
 * counts every request the functions make, by table and operation, without taking CPU from
 * the cloud's process.
 */
import { forkHelper, isHelper, serveHelper, type Helper } from './helper-process.js';
import { startMeteringProxy, type Meter } from './metering-proxy.js';

export interface DynamoMeter {
  /** Give this to the cloud as DynamoDB's endpoint. */
  endpoint: string;
  pid: number;
  meter(): Promise<Meter>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDynamoMeter(target: string): Promise<DynamoMeter> {
  const helper: Helper<{ endpoint: string }> = await forkHelper(import.meta.url, { target });
  return {
    endpoint: helper.ready.endpoint,
    pid: helper.pid,
    meter: () => helper.call<Meter>('meter'),
    reset: () => helper.call<void>('reset'),
    stop: () => helper.stop(),
  };
}

async function serve({ target }: { target: string }) {
  const proxy = await startMeteringProxy('dynamodb', target);
  return {
    ready: { endpoint: proxy.endpoint },
    calls: { meter: () => proxy.meter(), reset: () => proxy.reset() },
    stop: () => proxy.close(),
  };
}

if (isHelper(import.meta.url)) serveHelper(serve);
