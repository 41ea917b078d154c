import { randomUUID } from 'node:crypto';

export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns something other than undefined/false. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(25);
  }
}

/** An `invoke` callback that records every event and runs `behave` on it. */
export function recorder<R>(behave: (records: R[], call: number) => unknown | Promise<unknown> = () => undefined) {
  const calls: R[][] = [];
  let inFlight = 0;
  let peak = 0;
  return {
    calls,
    get peak() {
      return peak;
    },
    async invoke(event: unknown): Promise<unknown> {
      const records = (event as { Records: R[] }).Records;
      calls.push(records);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        return await behave(records, calls.length);
      } finally {
        inFlight -= 1;
      }
    },
  };
}
