/** Waits `ms`, or less when `signal` aborts first; never rejects and leaves no timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A readable one-line description of anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}

/** The name of an SDK error (`ExpiredIteratorException`, ...), if any. */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
