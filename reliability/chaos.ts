/**
 * Takes the fault plan's steps through each region's control endpoint as the publishing
 * crosses their marks, and counts what was injected: steps per kind, and the posts that
 * each burst of 429 or 500 actually took (read back from the endpoint).
 */
import type { FaultRequest } from '@roomcast/local';
import type { FaultKind, FaultStep } from './fault-plan.js';

export interface FaultCounts {
  /** Injections per kind (steps that end a fault are not counted). */
  injected: Partial<Record<FaultKind, number>>;
  /** PostToConnection calls that answered an injected 429 or 500. */
  postsTaken: { 429: number; 500: number };
}

export class Chaos {
  private next = 0;
  private readonly counts: FaultCounts = { injected: {}, postsTaken: { 429: 0, 500: 0 } };
  /** Per region, the burst in force and its size. */
  private readonly bursts = new Map<number, { status: 429 | 500; count: number }>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly controlUrls: readonly string[],
    private readonly plan: readonly FaultStep[],
    private readonly onStep: (step: FaultStep) => void = () => undefined,
  ) {}

  /** Takes, one after another, every step whose mark `done` (0..1) has reached. */
  advance(done: number): Promise<void> {
    while (this.next < this.plan.length && this.plan[this.next]!.at <= done) {
      const step = this.plan[this.next++]!;
      this.chain = this.chain.then(() => this.take(step));
    }
    return this.chain;
  }

  /** Every step not taken yet, then the bursts' leftovers read and every fault cleared. */
  async finish(): Promise<FaultCounts> {
    await this.advance(1);
    for (const region of this.bursts.keys()) await this.settleBurst(region);
    for (const url of this.controlUrls) await control(url, 'DELETE');
    return this.counts;
  }

  private async take(step: FaultStep): Promise<void> {
    if (step.request.post) await this.settleBurst(step.region);
    await control(this.controlUrls[step.region]!, 'POST', step.request);
    if (step.request.post && step.request.post.status !== 410) this.bursts.set(step.region, { status: step.request.post.status, count: step.request.post.count ?? 0 });
    if (!step.undo) this.counts.injected[step.kind] = (this.counts.injected[step.kind] ?? 0) + 1;
    this.onStep(step);
  }

  /** Counts what the region's burst took: its size less what is left of it. */
  private async settleBurst(region: number): Promise<void> {
    const burst = this.bursts.get(region);
    if (!burst) return;
    this.bursts.delete(region);
    const current = await control(this.controlUrls[region]!, 'GET');
    const left = current.post?.status === burst.status ? (current.post.count ?? 0) : 0;
    this.counts.postsTaken[burst.status] += burst.count - left;
  }
}

async function control(controlUrl: string, method: 'GET' | 'POST' | 'DELETE', body?: FaultRequest): Promise<FaultRequest> {
  const init = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(`${controlUrl}/faults`, init);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method} ${controlUrl}/faults ${body ? JSON.stringify(body) : ''} answered ${response.status}: ${text}`);
  return JSON.parse(text) as FaultRequest;
}
