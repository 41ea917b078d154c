import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaRuntime, LambdaInvokeError, RUNTIME_LOG_ID, type LambdaRuntime } from '../../local/lambda/index.js';
import { captureLogs, fixture, type LoggedLine } from './helpers.js';

type Echo = { event: unknown; env: Record<string, string>; context: Record<string, unknown> };

let runtime: LambdaRuntime;
let lines: LoggedLine[];

beforeAll(async () => {
  process.env.ROOMCAST_HOST_ONLY = 'host';
  const logs = captureLogs();
  lines = logs.lines;
  runtime = await createLambdaRuntime(
    [
      fixture('EchoFunction', 'echo', { environment: { TABLE: 'echo-table', SHARED: 'from-echo' }, memoryMb: 256, name: 'roomcast-echo' }),
      fixture('PeekFunction', 'peek', { environment: { SHARED: 'from-peek' } }),
      fixture('CounterFunction', 'counter'),
      fixture('ThrowFunction', 'throw'),
      fixture('CallbackFunction', 'callback'),
      fixture('LogsFunction', 'logs'),
      fixture('PowertoolsFunction', 'powertools', { environment: { POWERTOOLS_LOG_LEVEL: 'INFO' } }),
      fixture('InitErrorFunction', 'init-error'),
      fixture('MissingHandlerFunction', 'peek', { handler: 'nope' }),
    ],
    { baseEnv: { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'local' }, log: logs.log },
  );
});

afterAll(async () => {
  delete process.env.ROOMCAST_HOST_ONLY;
  await runtime.close();
});

async function rejection(promise: Promise<unknown>): Promise<LambdaInvokeError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LambdaInvokeError);
  return error as LambdaInvokeError;
}

describe('environment', () => {
  it('gives a function its own variables, the base ones and the ones Lambda defines', async () => {
    const { env, event } = (await runtime.invoke('EchoFunction', { hello: 'world' })) as Echo;
    expect(event).toEqual({ hello: 'world' });
    expect(env).toMatchObject({
      TABLE: 'echo-table',
      SHARED: 'from-echo',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_LAMBDA_FUNCTION_NAME: 'roomcast-echo',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/roomcast-echo',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      _HANDLER: 'echo.handler',
    });
    expect(env.AWS_EXECUTION_ENV).toMatch(/^AWS_Lambda_nodejs\d+\.x$/);
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(env.LAMBDA_TASK_ROOT).toMatch(/fixtures$/);
  });

  it('does not leak the host environment or other functions variables', async () => {
    // ROOMCAST_HOST_ONLY is in the host's environment since before the runtime started.
    const { env } = (await runtime.invoke('EchoFunction', {})) as Echo;
    expect(env.ROOMCAST_HOST_ONLY).toBeUndefined();
    expect(env.HOME).toBeUndefined();
    expect(await runtime.invoke('PeekFunction', { name: 'ROOMCAST_HOST_ONLY' })).toEqual({ name: 'ROOMCAST_HOST_ONLY', value: null });
    expect(await runtime.invoke('PeekFunction', { name: 'TABLE' })).toEqual({ name: 'TABLE', value: null });
    expect(await runtime.invoke('PeekFunction', { name: 'SHARED' })).toEqual({ name: 'SHARED', value: 'from-peek' });
    expect(await runtime.invoke('PeekFunction', { name: 'AWS_LAMBDA_FUNCTION_NAME' })).toEqual({
      name: 'AWS_LAMBDA_FUNCTION_NAME',
      value: 'PeekFunction',
    });
  });

  it('passes a Lambda-like context', async () => {
    const { context } = (await runtime.invoke('EchoFunction', {})) as Echo;
    expect(context).toMatchObject({
      functionName: 'roomcast-echo',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:roomcast-echo',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/roomcast-echo',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remaining).toBeGreaterThan(2500);
    expect(context.remaining).toBeLessThanOrEqual(3000);
  });
});

describe('execution environments', () => {
  it('reuses a warm worker: module state survives, no new cold start', async () => {
    const first = (await runtime.invoke('CounterFunction', {})) as { count: number; loadedAt: number; threadId: number };
    const second = (await runtime.invoke('CounterFunction', {})) as typeof first;
    expect(first.count).toBe(1);
    expect(second).toEqual({ ...first, count: 2 });
    expect(runtime.stats('CounterFunction')).toEqual({ invocations: 2, errors: 0, throttles: 0, concurrent: 0, coldStarts: 1 });
  });

  it('starts a second environment for a concurrent invocation', async () => {
    const results = (await Promise.all([runtime.invoke('CounterFunction', {}), runtime.invoke('CounterFunction', {})])) as Array<{
      threadId: number;
    }>;
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    expect(runtime.stats('CounterFunction').coldStarts).toBe(2);
  });
});

describe('errors', () => {
  it('carries the handler error type, message and source-mapped stack across the worker boundary', async () => {
    const error = await rejection(runtime.invoke('ThrowFunction', { kind: 'error', room: 'kitchen' }));
    expect(error.name).toBe('RoomNotFoundError');
    expect(error.errorType).toBe('RoomNotFoundError');
    expect(error.message).toBe('no room kitchen');
    expect(error.functionError).toBe('Unhandled');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.stack).toContain('RoomNotFoundError: no room kitchen');
    expect(error.stack).toMatch(/fixtures\/throw\.ts:6:\d+/);
    expect(error.trace[0]).toBe('RoomNotFoundError: no room kitchen');
    // A thrown error does not end the environment.
    expect(runtime.stats('ThrowFunction')).toMatchObject({ invocations: 1, errors: 1, coldStarts: 1 });
  });

  it('reports thrown non-errors like Lambda', async () => {
    const error = await rejection(runtime.invoke('ThrowFunction', { kind: 'string' }));
    expect(error.name).toBe('string');
    expect(error.message).toBe('plain string');
    expect(runtime.stats('ThrowFunction').coldStarts).toBe(1);
  });

  it('fails the invocation and discards the environment on an unhandled rejection or an exit', async () => {
    const rejected = await rejection(runtime.invoke('ThrowFunction', { kind: 'rejection' }));
    expect(rejected.name).toBe('Runtime.UnhandledPromiseRejection');
    expect(rejected.message).toBe('TypeError: nobody awaited me');
    const exited = await rejection(runtime.invoke('ThrowFunction', { kind: 'exit' }));
    expect(exited.name).toBe('Runtime.ExitError');
    expect(exited.message).toMatch(/Runtime exited with error: exit status 3$/);
    expect(runtime.stats('ThrowFunction')).toMatchObject({ invocations: 4, errors: 4, coldStarts: 2 });
    expect(await runtime.invoke('ThrowFunction', { kind: 'error' }).catch((e: Error) => e.name)).toBe('RoomNotFoundError');
    expect(runtime.stats('ThrowFunction').coldStarts).toBe(3);
  });

  it('supports callback handlers', async () => {
    expect(await runtime.invoke('CallbackFunction', {})).toEqual({ via: 'callback' });
    expect((await rejection(runtime.invoke('CallbackFunction', { fail: true }))).message).toBe('callback failure');
  });

  it('reports init errors and retries the cold start next time', async () => {
    const error = await rejection(runtime.invoke('InitErrorFunction', {}));
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('bad configuration at init');
    expect(error.stack).toMatch(/fixtures\/init-error\.ts:2:\d+/);
    await rejection(runtime.invoke('InitErrorFunction', {}));
    expect(runtime.stats('InitErrorFunction')).toMatchObject({ invocations: 2, errors: 2, coldStarts: 2 });
    const missing = await rejection(runtime.invoke('MissingHandlerFunction', {}));
    expect(missing.name).toBe('Runtime.HandlerNotFound');
  });

  it('rejects unknown functions like Lambda', async () => {
    const error = await rejection(runtime.invoke('NoSuchFunction', {}));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.statusCode).toBe(404);
  });

  it('injects faults as if the handler threw', async () => {
    runtime.faults.failNext('PeekFunction', 2, 'chaos');
    const before = runtime.stats('PeekFunction');
    for (let i = 0; i < 2; i++) expect((await rejection(runtime.invoke('PeekFunction', { name: 'X' }))).message).toBe('chaos');
    expect(await runtime.invoke('PeekFunction', { name: 'X' })).toEqual({ name: 'X', value: null });
    runtime.faults.failNext('PeekFunction', 1);
    runtime.faults.clear();
    expect(await runtime.invoke('PeekFunction', { name: 'X' })).toEqual({ name: 'X', value: null });
    expect(runtime.stats('PeekFunction')).toMatchObject({ invocations: before.invocations + 4, errors: before.errors + 2 });
  });
});

describe('output', () => {
  it('attributes every line to its function; JSON lines stay untouched', async () => {
    expect(await runtime.invoke('LogsFunction', { tag: 'a1' })).toBe('logged');
    const mine = lines.filter((l) => l.fn === 'LogsFunction');
    expect(mine).toContainEqual({ fn: 'LogsFunction', line: 'plain line a1', stream: 'stdout' });
    expect(mine).toContainEqual({ fn: 'LogsFunction', line: 'to stderr a1', stream: 'stderr' });
    const json = mine.find((l) => l.line.startsWith('{'));
    expect(JSON.parse(json?.line ?? '')).toEqual({ level: 'INFO', message: 'structured', tag: 'a1' });
    // The unterminated last line arrives with the next write or when the worker ends.
    expect(await runtime.invoke('LogsFunction', { tag: 'b2' })).toBe('logged');
    expect(lines).toContainEqual({ fn: 'LogsFunction', line: 'no newline at the endplain line b2', stream: 'stdout' });
    expect(lines.some((l) => l.fn === RUNTIME_LOG_ID && /^built 9 functions in \d+ ms$/.test(l.line))).toBe(true);
  });

  it('passes Powertools log lines through as valid JSON, with the Lambda context in them', async () => {
    expect(await runtime.invoke('PowertoolsFunction', { tag: 'p1' })).toBe('ok');
    const line = lines.find((l) => l.fn === 'PowertoolsFunction' && l.line.includes('structured hello'))?.line ?? '';
    expect(JSON.parse(line)).toMatchObject({
      level: 'INFO',
      message: 'structured hello',
      service: 'roomcast-test',
      tag: 'p1',
      function_name: 'PowertoolsFunction',
      function_memory_size: '128',
    });
  });
});
