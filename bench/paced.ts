/** Runs `count` tasks with at most `concurrency` at once, starting at most `perSecond` a second. */

export interface Pace {
  concurrency: number;
  perSecond: number;
  /** Called after each task with how many are done. */
  done?(count: number): void;
}

export async function paced<T>(count: number, pace: Pace, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  const started = performance.now();
  let next = 0;
  let finished = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count && !failure; index = next++) {
      const wait = started + (index * 1000) / pace.perSecond - performance.now();
      if (wait > 0) await sleep(wait);
      try {
        results[index] = await task(index);
      } catch (error) {
        failure ??= { error };
        return;
      }
      pace.done?.(++finished);
    }
  };
  await Promise.all(Array.from({ length: Math.min(pace.concurrency, count) }, worker));
  if (failure) throw failure.error;
  return results;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A progress line at most every `ms`, and always for the last one. */
export function every(ms: number, line: (done: number) => void, total: number): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = performance.now();
    if (done < total && now - last < ms) return;
    last = now;
    line(done);
  };
}
