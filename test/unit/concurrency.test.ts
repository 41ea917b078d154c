import { describe, expect, it } from 'vitest';
import { Limiter, mapLimit } from '../../layers/core/src/model/concurrency.js';

/** A task that finishes when told to, recording when it started. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { run: async () => (log.push(name), await done, name), open };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Limiter', () => {
  it('runs at most `limit` tasks at once, the others first come first served', async () => {
    const limiter = new Limiter(2);
    const started: string[] = [];
    const gates = ['a', 'b', 'c', 'd'].map((name) => gate(started, name));
    const results = gates.map((g) => limiter.run(g.run));
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect(limiter.inFlight).toBe(2);
    gates[1]!.open();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(limiter.inFlight).toBe(2);
    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(limiter.inFlight).toBe(0);
  });

  it('frees the slot of a task that throws', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.inFlight).toBe(0);
    expect(await limiter.run(async () => 7)).toBe(7);
  });

  it('is shared: tasks of several callers count together', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let most = 0;
    const task = async (): Promise<void> => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    };
    await Promise.all([1, 2, 3].map(() => mapLimit([1, 2, 3, 4], 4, () => limiter.run(task))));
    expect(most).toBe(3);
  });
});
