/**
 * `npm run bench:handler-overhead`: the CPU the handler runtime (layers/core/src/runtime:
 * middy, Powertools' logger context and batch processor, our middlewares) adds to an
 * invocation, beside the same use case called bare. No I/O: the use cases do nothing.
 * Prints microseconds of CPU per invocation for an SQS batch of 10 delivery jobs and for
 * one socket frame.
 */
import { createApp, decodeJob, deliveryJobHandler, loadConfig, websocketHandler } from '@roomcast/core';

const INVOCATIONS = 20_000;
const app = createApp(loadConfig({ AUTH_MODE: 'none', CONNECTIONS_ENDPOINT: 'http://localhost:1/dev', FRAME_RATE: '0' }));
app.metrics = { count: () => undefined, latency: () => undefined, flush: () => undefined };
const context = { functionName: 'bench', awsRequestId: 'r', invokedFunctionArn: 'arn:aws:lambda:us-east-1:0:function:bench', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 30_000 };
const job = JSON.stringify({ v: 1, room: 'r', id: 'm', pos: 'p', ts: 1, frame: '{}', connections: ['c1='], attempt: 0 });
const batch = { Records: Array.from({ length: 10 }, (_, i) => ({ messageId: String(i), body: job, attributes: { ApproximateReceiveCount: '1' } })) };
const frame = { requestContext: { routeKey: '$default', connectionId: 'c1=', requestId: 'q' }, body: 'ping' };

/** CPU microseconds per call of `fn`, after a warm-up. */
async function cpuPerCall(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < INVOCATIONS / 10; i += 1) await fn();
  const start = process.cpuUsage();
  for (let i = 0; i < INVOCATIONS; i += 1) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / INVOCATIONS;
}

const noop = async (): Promise<undefined> => undefined;
const sqs = deliveryJobHandler(app, noop) as (event: unknown, context: unknown) => Promise<unknown>;
const socket = websocketHandler(app, async () => '{"type":"pong"}') as (event: unknown, context: unknown) => Promise<unknown>;
const rows = [
  ['SQS batch of 10 jobs', await cpuPerCall(() => sqs(batch, context)), await cpuPerCall(async () => Promise.all(batch.Records.map(async (record) => noop().then(() => decodeJob(record.body)))))],
  ['socket frame', await cpuPerCall(() => socket(frame, context)), await cpuPerCall(async () => '{"type":"pong"}')],
] as const;
console.log('invocation                 handler µs CPU   bare use case µs   runtime µs');
for (const [name, handler, bare] of rows) console.log(`${name.padEnd(26)} ${handler.toFixed(1).padStart(16)} ${bare.toFixed(1).padStart(18)} ${(handler - bare).toFixed(1).padStart(12)}`);
