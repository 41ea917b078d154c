import type { EventSourceStats } from './types.js';

/** The counters behind `EventSource.stats()`. */
export class StatsCounter {
  private invocations = 0;
  private records = 0;
  private failures = 0;
  private inFlight = 0;

  /** Counts one invocation of `count` records while `invoke` runs. */
  async track<T>(count: number, invoke: () => Promise<T>): Promise<T> {
    this.invocations += 1;
    this.records += count;
    this.inFlight += 1;
    try {
      return await invoke();
    } finally {
      this.inFlight -= 1;
    }
  }

  failed(): void {
    this.failures += 1;
  }

  snapshot(): EventSourceStats {
    return { invocations: this.invocations, records: this.records, failures: this.failures, concurrency: this.inFlight };
  }
}
