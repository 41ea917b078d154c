import type { ConnectionsApiPort, PostOutcome } from '../../../layers/core/src/app/ports.js';

/** What an injected fault answers instead of delivering. */
export type InjectedOutcome = Extract<PostOutcome, 'throttled' | 'failed'>;

interface Injected {
  outcome: InjectedOutcome;
  /** Posts left to answer so; Infinity: until cleared. */
  remaining: number;
  /** Only for this connection; any when absent. */
  connectionId?: string;
}

/** One call of the API and what it came to. */
export interface ApiCall {
  kind: 'post' | 'close';
  endpoint: string;
  connectionId: string;
  outcome: PostOutcome;
}

/**
 * The @connections API in memory: the frames delivered to each connection, in order; an
 * unknown or closed connection is `gone`; injected `throttled` / `failed` answers, which
 * deliver nothing; a post slower than the deadline (`delayMs` >= `timeoutMs`) is
 * abandoned as `failed`, as the adapter abandons one. As on the gateway, injected answers
 * and delays apply to posts only, and come before the connection is looked up.
 */
export class MemoryConnectionsApi implements ConnectionsApiPort {
  /** Every post and close, in order. */
  readonly calls: ApiCall[] = [];
  /** How long a post takes, in ms. */
  delayMs = 0;
  private readonly live = new Set<string>();
  private readonly closedIds: string[] = [];
  private readonly delivered = new Map<string, string[]>();
  private readonly injected: Injected[] = [];

  /** `timeoutMs`: the deadline of one call (the adapter's postTimeoutMs). */
  constructor(private readonly timeoutMs = 3000) {}

  /** A connection that posts reach from now on. */
  connect(connectionId: string): void {
    this.live.add(connectionId);
  }

  /** The connection went away on its own (its client left). */
  disconnect(connectionId: string): void {
    this.live.delete(connectionId);
  }

  isConnected(connectionId: string): boolean {
    return this.live.has(connectionId);
  }

  /** Frames delivered to a connection, in order. */
  frames(connectionId: string): string[] {
    return [...(this.delivered.get(connectionId) ?? [])];
  }

  /** Connection ids closed from the server's side, in order. */
  get closed(): string[] {
    return [...this.closedIds];
  }

  /** Answer `outcome` to the next `count` posts (to `connectionId`, or to any). */
  inject(outcome: InjectedOutcome, count = Number.POSITIVE_INFINITY, connectionId?: string): void {
    this.injected.push({ outcome, remaining: count, ...(connectionId !== undefined ? { connectionId } : {}) });
  }

  /** Stop injecting answers and delays. */
  clearFaults(): void {
    this.injected.length = 0;
    this.delayMs = 0;
  }

  async post(endpoint: string, connectionId: string, frame: string): Promise<{ outcome: PostOutcome; error?: unknown }> {
    const answer = await this.answerPost(connectionId);
    if (answer.outcome === 'delivered') this.delivered.set(connectionId, [...this.frames(connectionId), frame]);
    this.calls.push({ kind: 'post', endpoint, connectionId, outcome: answer.outcome });
    return answer;
  }

  async close(endpoint: string, connectionId: string): Promise<{ outcome: PostOutcome; error?: unknown }> {
    const known = this.live.delete(connectionId);
    if (known) this.closedIds.push(connectionId);
    this.calls.push({ kind: 'close', endpoint, connectionId, outcome: known ? 'delivered' : 'gone' });
    return known ? { outcome: 'delivered' } : { outcome: 'gone', error: goneError(connectionId) };
  }

  private async answerPost(connectionId: string): Promise<{ outcome: PostOutcome; error?: unknown }> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(this.delayMs, this.timeoutMs)));
    if (this.delayMs >= this.timeoutMs) return { outcome: 'failed', error: new Error(`PostToConnection took longer than ${this.timeoutMs} ms`) };
    const fault = this.injected.find((item) => item.remaining > 0 && (item.connectionId === undefined || item.connectionId === connectionId));
    if (fault) {
      fault.remaining -= 1;
      return { outcome: fault.outcome, error: new Error(`injected ${fault.outcome} answer`) };
    }
    if (!this.live.has(connectionId)) return { outcome: 'gone', error: goneError(connectionId) };
    return { outcome: 'delivered' };
  }
}

function goneError(connectionId: string): Error {
  return Object.assign(new Error(`connection ${connectionId} is gone`), { name: 'GoneException' });
}
