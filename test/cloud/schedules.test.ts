/**
 * The template's Schedule events in the local cloud (local/cloud/schedules.ts): each
 * enabled `rate(...)` event invokes its function with a Scheduled Event every period, one
 * run at a time, until stopped; what cannot run locally is a warning.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LambdaRuntime } from '../../local/lambda/index.js';
import { ratePeriodMs, startSchedules } from '../../local/cloud/schedules.js';
import { parseTemplateText, readTemplate, readTemplateFile } from '../../local/template/index.js';

const TEMPLATE = fileURLToPath(new URL('../../template.yaml', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordingRuntime(runMs = 0): { runtime: LambdaRuntime; calls: Array<{ id: string; event: any }>; overlapped: () => boolean } {
  const calls: Array<{ id: string; event: any }> = [];
  let running = 0;
  let overlapped = false;
  const runtime = {
    invoke: async (id: string, event: unknown) => {
      running += 1;
      overlapped ||= running > 1;
      calls.push({ id, event });
      await sleep(runMs);
      running -= 1;
      return {};
    },
  } as unknown as LambdaRuntime;
  return { runtime, calls, overlapped: () => overlapped };
}

describe('rate expressions', () => {
  it('reads minutes, hours and days as EventBridge writes them, and nothing else', () => {
    expect(ratePeriodMs('rate(1 minute)')).toBe(60_000);
    expect(ratePeriodMs('rate(5 minutes)')).toBe(300_000);
    expect(ratePeriodMs('rate(2 hours)')).toBe(7_200_000);
    expect(ratePeriodMs('rate(1 day)')).toBe(86_400_000);
    for (const other of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'rate(30 seconds)', 'cron(0 12 * * ? *)', '']) expect(ratePeriodMs(other), other).toBeUndefined();
  });
});

describe("the template's schedules", () => {
  const model = readTemplateFile(TEMPLATE, { stackName: 'st', parameters: { JwtSecretRef: '/x' } });
  const ctx = (runtime: LambdaRuntime) => ({ runtime, functions: new Set(model.functions.map((fn) => fn.logicalId)), region: 'eu-west-1', accountId: '123456789012', log: () => undefined });

  it('run the session sweep every minute with a Scheduled Event', async () => {
    const { runtime, calls } = recordingRuntime();
    const warnings: string[] = [];
    const minutely = startSchedules(model, ctx(runtime), warnings);
    minutely.stop();
    expect(minutely.periods).toEqual({ 'SessionSweepFunction/Sweep': 60_000 });
    const fast = startSchedules(model, ctx(runtime), warnings, { periodMs: 20 });
    await sleep(110);
    fast.stop();
    expect(warnings).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls[0]).toMatchObject({
      id: 'SessionSweepFunction',
      event: { 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', region: 'eu-west-1', resources: ['arn:aws:events:eu-west-1:123456789012:rule/st-SessionSweepFunctionSweep'] },
    });
    const count = calls.length;
    await sleep(60);
    expect(calls.length).toBe(count);
  });

  it('never overlap two runs of one schedule', async () => {
    const { runtime, calls, overlapped } = recordingRuntime(50);
    const running = startSchedules(model, ctx(runtime), [], { periodMs: 5 });
    await sleep(200);
    running.stop();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(overlapped()).toBe(false);
  });

  it('leave out functions the runtime does not run, and warn about cron expressions', () => {
    const { runtime } = recordingRuntime();
    const text = `Resources:\n  F: { Type: AWS::Serverless::Function, Properties: { CodeUri: f, Handler: index.handler, Events: { Nightly: { Type: Schedule, Properties: { Schedule: 'cron(0 3 * * ? *)' } } } } }\n`;
    const warnings: string[] = [];
    const other = readTemplate(parseTemplateText(text, 't.yaml'), { stackName: 'st' });
    expect(startSchedules(other, { ...ctx(runtime), functions: new Set(['F']) }, warnings).periods).toEqual({});
    expect(warnings).toEqual(['F event Nightly: schedule cron(0 3 * * ? *) is not run locally (only rate(...) expressions are)']);
    expect(startSchedules(model, { ...ctx(runtime), functions: new Set() }, []).periods).toEqual({});
  });
});
