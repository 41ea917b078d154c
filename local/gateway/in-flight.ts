/**
 * The message invocations of one connection that have not finished yet. As API Gateway
 * does, each starts as soon as its message arrives, so several run at once and finish in
 * any order; with `serial`, each starts only once the one before it has finished (the
 * gateway's `serializeMessages`, for debugging).
 */
export class InFlightMessages {
  private readonly running = new Set<Promise<void>>();
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly serial: boolean) {}

  /** Starts `task` now, or after the tasks started before it when serial. Its failure is its own. */
  start(task: () => Promise<void>): void {
    const started = this.serial ? this.last.then(task) : new Promise<void>((resolve) => resolve(task()));
    const finished: Promise<void> = started.catch(() => undefined).finally(() => this.running.delete(finished));
    this.running.add(finished);
    this.last = finished;
  }

  /** Resolves once every task started so far, and any started meanwhile, has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
