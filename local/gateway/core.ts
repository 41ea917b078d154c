import type { Connection } from './connection.js';
import { Faults } from './faults.js';
import { RateWindow, resolveLimits, TokenBucket } from './limits.js';
import type { GatewayLimits, GatewayOptions, GatewayRoute } from './types.js';

/** The state every part of the gateway shares. */
export class GatewayCore {
  readonly limits: GatewayLimits;
  readonly routes: ReadonlyMap<string, GatewayRoute>;
  readonly connections = new Map<string, Connection>();
  readonly bucket: TokenBucket;
  readonly connectRate: RateWindow;
  readonly faults: Faults;
  basePath = '';
  closing = false;
  private readonly background = new Set<Promise<unknown>>();
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>();

  constructor(readonly options: GatewayOptions) {
    this.limits = resolveLimits(options.limits);
    this.routes = new Map(options.routes.map((route) => [route.routeKey, route]));
    this.bucket = new TokenBucket(this.limits.requestRatePerSecond, this.limits.requestBurst);
    this.connectRate = new RateWindow(this.limits.connectRatePerSecond);
    this.faults = new Faults(() => this.dropSockets());
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  /** The WebSocket endpoint's path: `/{stage}` (just `/` for the `$default` stage). */
  stagePath(): string {
    const stage = this.options.stage === '$default' ? '' : `/${this.options.stage}`;
    return `${this.basePath}${stage}` || '/';
  }

  disconnectDropped(): boolean {
    return this.options.dropDisconnect === true || this.faults.disconnectDropped;
  }

  /** Open connection by id (a connection still in `$connect` is not open). */
  openConnection(id: string): Connection | undefined {
    const connection = this.connections.get(id);
    return connection?.state === 'open' ? connection : undefined;
  }

  /** Background work that `close()` waits for. */
  track(work: Promise<unknown>): void {
    const settled = work.catch(() => undefined).finally(() => this.background.delete(settled));
    this.background.add(settled);
  }

  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /** A delay that `cancelSleeps()` cuts short. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve();
      }, ms);
      this.sleepers.set(timer, resolve);
    });
  }

  cancelSleeps(): void {
    for (const [timer, resolve] of this.sleepers) {
      clearTimeout(timer);
      resolve();
    }
    this.sleepers.clear();
  }

  private dropSockets(): void {
    for (const connection of this.connections.values()) connection.terminate();
  }
}
