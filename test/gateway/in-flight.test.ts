import { describe, expect, it } from 'vitest';
import { InFlightMessages } from '../../local/gateway/in-flight.js';

/** A task that starts when called and ends when the test says so. */
function task(log: string[], name: string) {
  let end!: (ok: boolean) => void;
  const ended = new Promise<boolean>((resolve) => (end = resolve));
  const run = async (): Promise<void> => {
    log.push(`start ${name}`);
    if (!(await ended)) throw new Error(`${name} failed`);
    log.push(`end ${name}`);
  };
  return { run, end };
}

const ticks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('InFlightMessages', () => {
  it('starts each task at once', () => {
    const log: string[] = [];
    const messages = new InFlightMessages(false);
    const [a, b] = [task(log, 'a'), task(log, 'b')];
    messages.start(a.run);
    messages.start(b.run);
    expect(log).toEqual(['start a', 'start b']);
  });

  it('settles once every task has finished, failed ones too', async () => {
    const log: string[] = [];
    const messages = new InFlightMessages(false);
    const [a, b] = [task(log, 'a'), task(log, 'b')];
    messages.start(a.run);
    messages.start(b.run);
    let settled = false;
    const settling = messages.settled().then(() => (settled = true));
    b.end(true);
    await ticks();
    expect(settled).toBe(false);
    a.end(false);
    await settling;
    expect(log).toEqual(['start a', 'start b', 'end b']);
  });

  it('when serial, starts each task once the one before it has finished, even if it failed', async () => {
    const log: string[] = [];
    const messages = new InFlightMessages(true);
    const [a, b, c] = [task(log, 'a'), task(log, 'b'), task(log, 'c')];
    messages.start(a.run);
    messages.start(b.run);
    messages.start(c.run);
    await ticks();
    expect(log).toEqual(['start a']);
    c.end(true);
    b.end(true);
    a.end(false);
    await messages.settled();
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('settles at once with nothing in flight', async () => {
    await expect(new InFlightMessages(false).settled()).resolves.toBeUndefined();
  });
});
