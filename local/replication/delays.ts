/** The replication delay of each region: its changes reach the other regions this long after they are read. */

/** One region's delay, as fault injection sets it. */
export interface ReplicationDelayControl {
  set(ms: number): void;
  /** Back to the default. */
  clear(): void;
  /** The delay in force when it is not the default. */
  current(): number | undefined;
}

export class ReplicationDelays {
  private readonly set = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  constructor(readonly defaultMs: number) {
    checkDelay(defaultMs);
  }

  of(region: string): number {
    return this.set.get(region) ?? this.defaultMs;
  }

  /** Called on every change (the replicator looks again at what is due). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  control(region: string): ReplicationDelayControl {
    return {
      set: (ms) => {
        this.set.set(region, checkDelay(ms));
        this.changed();
      },
      clear: () => {
        this.set.delete(region);
        this.changed();
      },
      current: () => this.set.get(region),
    };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function checkDelay(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`a replication delay must be a number of milliseconds >= 0, got ${ms}`);
  return ms;
}
