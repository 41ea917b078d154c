/** Time as the canary sees it: injected, so that tests neither wait nor depend on the wall clock. */
export interface CanaryClock {
  now(): number;
  /** Calls `fire` after `ms` milliseconds; the returned function cancels it. */
  timer(ms: number, fire: () => void): () => void;
}

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
