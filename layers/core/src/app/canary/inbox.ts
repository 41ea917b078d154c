import type { CanaryClock, SocketListener } from './ports.js';

/**
 * What arrives on the canary's socket: the rooms the server confirmed, and the first
 * arrival time of each message of the canary's room (by id; duplicates are ignored).
 * An error frame or a closed socket fails every wait.
 */
export class CanaryInbox implements SocketListener {
  readonly subscribed = new Set<string>();
  readonly arrivals = new Map<string, number>();
  private failure: Error | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly clock: CanaryClock,
    private readonly room: string,
  ) {}

  message(text: string): void {
    const frame = parseFrame(text);
    if (frame?.type === 'subscribed' && Array.isArray(frame.rooms)) {
      for (const room of frame.rooms) if (typeof room === 'string') this.subscribed.add(room);
    } else if (frame?.type === 'message' && frame.room === this.room && typeof frame.id === 'string') {
      if (!this.arrivals.has(frame.id)) this.arrivals.set(frame.id, this.clock.now());
    } else if (frame?.type === 'error') {
      this.failure ??= new Error(`the server answered ${String(frame.code)}: ${String(frame.message)}`);
    }
    this.wake();
  }

  closed(reason: string): void {
    this.failure ??= new Error(`the socket closed: ${reason}`);
    this.wake();
  }

  /** Resolves true once `ready()` holds, false after `ms`; rejects if the socket fails first. */
  until(ready: () => boolean, ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      let cancel = (): void => undefined;
      const finish = (settle: () => void): void => {
        cancel();
        this.waiters.delete(check);
        settle();
      };
      const check = (): void => {
        const failure = this.failure;
        if (failure) finish(() => reject(failure));
        else if (ready()) finish(() => resolve(true));
      };
      this.waiters.add(check);
      cancel = this.clock.timer(ms, () => finish(() => resolve(false)));
      check();
    });
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}

type Frame = Record<string, unknown>;

function parseFrame(text: string): Frame | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Frame) : undefined;
  } catch {
    return undefined;
  }
}
