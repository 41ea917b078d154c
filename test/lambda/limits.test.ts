import { afterEach, describe, expect, it } from 'vitest';
import { createLambdaRuntime, LambdaInvokeError, type LambdaRuntime } from '../../local/lambda/index.js';
import { captureLogs, fixture } from './helpers.js';

let runtime: LambdaRuntime | undefined;

afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

function failure(promise: Promise<unknown>): Promise<LambdaInvokeError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(LambdaInvokeError);
      return error as LambdaInvokeError;
    },
  );
}

describe('timeout', () => {
  it('times out like Lambda, kills the environment, and the next call is a cold start', async () => {
    const logs = captureLogs();
    runtime = await createLambdaRuntime([fixture('SleepFunction', 'sleep', { timeoutSeconds: 0.5 })], { log: logs.log });
    expect(await runtime.invoke('SleepFunction', { ms: 10 })).toMatchObject({ slept: 10 });
    // A 5 s busy loop against a 0.5 s timeout: only the timeout can end it with this error.
    const error = await failure(runtime.invoke('SleepFunction', { ms: 5000, spin: true }));
    expect(error.name).toBe('Sandbox.Timedout');
    expect(error.message).toBe('Task timed out after 0.50 seconds');
    expect(logs.lines).toContainEqual({ fn: 'SleepFunction', line: `${error.requestId} Task timed out after 0.50 seconds`, stream: 'stderr' });
    expect(await runtime.invoke('SleepFunction', { ms: 10 })).toMatchObject({ slept: 10 });
    expect(runtime.stats('SleepFunction')).toEqual({ invocations: 3, errors: 1, throttles: 0, concurrent: 0, coldStarts: 2 });
  });

  it('tells the handler how much time it has left', async () => {
    runtime = await createLambdaRuntime([fixture('SleepFunction', 'sleep', { timeoutSeconds: 2 })], { log: () => undefined });
    const result = (await runtime.invoke('SleepFunction', { ms: 300 })) as { remaining: number };
    expect(result.remaining).toBeGreaterThan(1400);
    expect(result.remaining).toBeLessThanOrEqual(1710);
  });
});

describe('concurrency', () => {
  it('runs at most reservedConcurrency invocations at once; the others queue', async () => {
    runtime = await createLambdaRuntime([fixture('SleepFunction', 'sleep', { reservedConcurrency: 2 })], { log: () => undefined });
    const rt = runtime;
    const calls = Array.from({ length: 5 }, () => rt.invoke('SleepFunction', { ms: 200 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rt.stats('SleepFunction').concurrent).toBe(2);
    await Promise.all(calls);
    expect(rt.stats('SleepFunction')).toEqual({ invocations: 5, errors: 0, throttles: 0, concurrent: 0, coldStarts: 2 });
  });

  it("throttles at once with { throttle: 'reject' } and after the queue timeout otherwise", async () => {
    runtime = await createLambdaRuntime([fixture('SleepFunction', 'sleep', { reservedConcurrency: 1 })], {
      log: () => undefined,
      queueTimeoutMs: 150,
    });
    const busy = runtime.invoke('SleepFunction', { ms: 600 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const rejected = await failure(runtime.invoke('SleepFunction', { ms: 1 }, { throttle: 'reject' }));
    expect(rejected.name).toBe('TooManyRequestsException');
    expect(rejected.statusCode).toBe(429);
    expect(rejected.reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(rejected.functionError).toBeUndefined();
    const started = Date.now();
    expect((await failure(runtime.invoke('SleepFunction', { ms: 1 }))).name).toBe('TooManyRequestsException');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await busy;
    expect(runtime.stats('SleepFunction')).toMatchObject({ invocations: 1, throttles: 2 });
  });

  it('lets a burst on a function without a reservation wait for an environment rather than throttle, as AWS would not', async () => {
    runtime = await createLambdaRuntime([fixture('SleepFunction', 'sleep')], {
      log: () => undefined,
      maxConcurrencyDefault: 1,
      queueTimeoutMs: 100,
      unreservedQueueTimeoutMs: 5000,
    });
    const rt = runtime;
    const calls = [rt.invoke('SleepFunction', { ms: 400 }), rt.invoke('SleepFunction', { ms: 1 })];
    expect(await Promise.all(calls)).toMatchObject([{ slept: 400 }, { slept: 1 }]);
    expect(rt.stats('SleepFunction')).toMatchObject({ invocations: 2, throttles: 0, coldStarts: 1 });
  });

  it('uses maxConcurrencyDefault for functions without a reservation', async () => {
    runtime = await createLambdaRuntime([fixture('SleepFunction', 'sleep')], { log: () => undefined, maxConcurrencyDefault: 1, throttle: 'reject' });
    const busy = runtime.invoke('SleepFunction', { ms: 300 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await failure(runtime.invoke('SleepFunction', { ms: 1 }))).name).toBe('TooManyRequestsException');
    await busy;
  });
});

describe('memory and idle environments', () => {
  it('ends an environment that outgrows memoryMb, like Lambda', async () => {
    runtime = await createLambdaRuntime([fixture('HogFunction', 'hog', { memoryMb: 32, timeoutSeconds: 10 })], { log: () => undefined });
    const error = await failure(runtime.invoke('HogFunction', {}));
    expect(error.name).toBe('Runtime.OutOfMemory');
    expect(error.message).toMatch(/Runtime exited with error: signal: killed$/);
  }, 15_000);

  it('retires environments idle for idleTimeoutMs', async () => {
    runtime = await createLambdaRuntime([fixture('CounterFunction', 'counter')], { log: () => undefined, idleTimeoutMs: 100 });
    expect(await runtime.invoke('CounterFunction', {})).toMatchObject({ count: 1 });
    expect(await runtime.invoke('CounterFunction', {})).toMatchObject({ count: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await runtime.invoke('CounterFunction', {})).toMatchObject({ count: 1 });
    expect(runtime.stats('CounterFunction').coldStarts).toBe(2);
  });

  it('refuses an event that is not JSON, before it counts as an invocation', async () => {
    runtime = await createLambdaRuntime([fixture('CounterFunction', 'counter')], { log: () => undefined });
    const event: Record<string, unknown> = {};
    event.self = event;
    const error = await failure(runtime.invoke('CounterFunction', event));
    expect(error.name).toBe('InvalidRequestContentException');
    expect(error.statusCode).toBe(400);
    expect(runtime.stats('CounterFunction').invocations).toBe(0);
  });
});

describe('close', () => {
  it('refuses queued and new invocations once closed', async () => {
    const rt = await createLambdaRuntime([fixture('SleepFunction', 'sleep', { reservedConcurrency: 1 })], { log: () => undefined });
    const running = failure(rt.invoke('SleepFunction', { ms: 2000 }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const queued = failure(rt.invoke('SleepFunction', { ms: 1 }));
    await rt.close();
    expect((await queued).name).toBe('ServiceException');
    expect((await running).name).toBe('Runtime.ExitError');
    expect((await failure(rt.invoke('SleepFunction', {}))).name).toBe('ServiceException');
  });
});
