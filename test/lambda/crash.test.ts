import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaRuntime, LambdaInvokeError, type LambdaRuntime } from '../../local/lambda/index.js';
import { captureLogs, fixture, type LoggedLine } from './helpers.js';

let runtime: LambdaRuntime;
let lines: LoggedLine[];

beforeAll(async () => {
  const logs = captureLogs();
  lines = logs.lines;
  runtime = await createLambdaRuntime([fixture('StepsFunction', 'steps')], { log: logs.log });
});

afterAll(() => runtime.close());

async function crashed(promise: Promise<unknown>): Promise<LambdaInvokeError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LambdaInvokeError);
  expect((error as LambdaInvokeError).name).toBe('Runtime.ExitError');
  return error as LambdaInvokeError;
}

const logged = (tag: string): string[] => lines.filter((l) => l.fn === 'StepsFunction' && l.line.endsWith(` ${tag}`)).map((l) => l.line);

describe('an injected crash (failNext with afterMs)', () => {
  it('ends the environment mid-invocation: the work done by then stays done, the rest never happens', async () => {
    expect(await runtime.invoke('StepsFunction', { tag: 'warm', ms: 1 })).toBe('done');
    runtime.faults.failNext('StepsFunction', 1, 'crash', 100);
    const started = Date.now();
    await crashed(runtime.invoke('StepsFunction', { tag: 'mid', ms: 800 }));
    // Step 2 would have been logged 800 ms after the start; wait that long to see it never is.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 1000 - Date.now())));
    expect(logged('mid')).toEqual(['step 1 mid']);
    // The environment is gone: the next invocation is a cold start, and it works.
    expect(await runtime.invoke('StepsFunction', { tag: 'after', ms: 1 })).toBe('done');
    expect(runtime.stats('StepsFunction')).toMatchObject({ invocations: 3, errors: 1, coldStarts: 2 });
  });

  it('loses the answer of an invocation that ended before the crash', async () => {
    runtime.faults.failNext('StepsFunction', 1, 'crash', 300);
    await crashed(runtime.invoke('StepsFunction', { tag: 'quick', ms: 1 }));
    expect(logged('quick')).toEqual(['step 1 quick', 'step 2 quick']);
    expect(await runtime.invoke('StepsFunction', { tag: 'next', ms: 1 })).toBe('done');
  });
});
