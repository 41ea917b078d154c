/**
 * The Lambda runtime inside one worker thread (one execution environment): loads the
 * function's bundle once (cold start), then runs one invocation at a time.
 * Bundled on its own by bundler.ts; it must not import anything that is not bundleable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { routeToLocalEndpoints } from './endpoint-aliases.js';
import { serializeError } from './errors.js';
import type { FromWorker, InvokeMessage, SerializedError, WorkerConfig } from './protocol.js';
import type { OutputStream } from './types.js';

type Handler = (event: unknown, context: Context, callback: (error?: unknown, result?: unknown) => void) => unknown;

if (!parentPort) throw new Error('worker-main runs in a worker thread only');
const port = parentPort;
const config = workerData as WorkerConfig;
const post = (message: FromWorker): void => port.postMessage(message);

// The bundles carry inline source maps: stack traces point at the TypeScript sources.
process.setSourceMapsEnabled(true);
captureOutput(process.stdout, 'stdout');
captureOutput(process.stderr, 'stderr');

// Like Lambda's Node.js runtime: these end the environment (and fail the running invocation).
process.on('uncaughtException', (error) => post({ type: 'crash', error: serializeError(error) }));
process.on('unhandledRejection', (reason) => {
  const inner = serializeError(reason);
  post({ type: 'crash', error: { ...inner, errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: `${inner.errorType}: ${inner.errorMessage}` } });
});

routeToLocalEndpoints(config.endpointAliases);
const handler = await load();
if (handler) {
  port.on('message', (message: InvokeMessage) => void invoke(handler, message));
  post({ type: 'ready' });
}

/**
 * Output goes to the runtime on the same channel as results, so every line a handler
 * writes arrives before its result. Console and Powertools both write through these streams.
 */
function captureOutput(stream: NodeJS.WriteStream, name: OutputStream): void {
  const write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    post({ type: 'output', stream: name, text });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  };
  stream.write = write as typeof stream.write;
}

async function load(): Promise<Handler | undefined> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(config.codeUrl)) as Record<string, unknown>;
  } catch (error) {
    post({ type: 'init-error', error: importError(error) });
    return undefined;
  }
  const fallback = mod.default as Record<string, unknown> | undefined;
  const found = mod[config.handler] ?? fallback?.[config.handler];
  if (typeof found !== 'function') {
    post({
      type: 'init-error',
      error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `index.${config.handler} is undefined or not exported` },
    });
    return undefined;
  }
  return found as Handler;
}

function importError(error: unknown): SerializedError {
  const serialized = serializeError(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return { ...serialized, errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${serialized.errorMessage}` };
  }
  return serialized;
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  const { requestId } = message;
  let result: unknown;
  try {
    result = await run(handler, JSON.parse(message.event) as unknown, message);
  } catch (error) {
    post({ type: 'error', requestId, error: serializeError(error) });
    return;
  }
  let payload: string;
  try {
    // What Lambda returns is the JSON of the result; undefined becomes null.
    payload = JSON.stringify(result) ?? 'null';
  } catch (error) {
    post({ type: 'error', requestId, error: { ...serializeError(error), errorType: 'Runtime.MarshalError', errorMessage: 'Unable to stringify response body' } });
    return;
  }
  post({ type: 'result', requestId, payload });
}

/** Async handlers, callback handlers (three parameters) and the old context.succeed/fail/done. */
function run(handler: Handler, event: unknown, message: InvokeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown, value?: unknown): void => (error ? reject(error) : resolve(value));
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: config.functionName,
      functionVersion: config.functionVersion,
      invokedFunctionArn: config.invokedFunctionArn,
      memoryLimitInMB: config.memoryLimitInMB,
      awsRequestId: message.requestId,
      logGroupName: config.logGroupName,
      logStreamName: config.logStreamName,
      getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
      done,
      fail: (error: Error | string) => reject(error),
      succeed: (value: unknown) => resolve(value),
    };
    const returned = handler(event, context, done);
    if (isThenable(returned)) returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
