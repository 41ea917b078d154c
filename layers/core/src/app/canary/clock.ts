import type { CanaryClock } from './ports.js';

/** The wall clock and the runtime's timers. */
export const systemClock: CanaryClock = {
  now: () => Date.now(),
  timer(ms, fire) {
    const handle = setTimeout(fire, ms);
    return () => clearTimeout(handle);
  },
};

/** `promise`, or a rejection naming `what` when it takes longer than `ms`. */
export function within<T>(clock: CanaryClock, promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = clock.timer(ms, () => reject(new Error(`${what} took longer than ${ms} ms`)));
    promise.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
}
