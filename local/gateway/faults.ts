import { isPostFaultStatus, managementErrorOf, postFaultStatusList, type ManagementApiErrorName } from './management-errors.js';
import type { FaultControls, FaultSettings, PostStatusFault } from './types.js';

/**
 * Injected faults. `set` merges; `dropSockets` is an action (run through `onDropSockets`),
 * never stored. `down` is stored and drops the sockets as it is set. A `postStatus` with a
 * `count` clears itself once that many posts took it.
 */
export class Faults implements FaultControls {
  private postStatus: PostStatusFault | undefined;
  private postDelayMs = 0;
  private dropDisconnect = false;
  private isDown = false;

  constructor(
    private readonly onDropSockets: () => void,
    private readonly random: () => number = Math.random,
  ) {}

  set(faults: FaultSettings): void {
    if (faults.postStatus !== undefined) this.postStatus = validStatus(faults.postStatus);
    if (faults.postDelayMs !== undefined) this.postDelayMs = Math.max(0, faults.postDelayMs);
    if (faults.dropDisconnect !== undefined) this.dropDisconnect = faults.dropDisconnect;
    if (faults.down !== undefined) this.isDown = faults.down;
    if (faults.dropSockets || faults.down) this.onDropSockets();
  }

  clear(): void {
    this.postStatus = undefined;
    this.postDelayMs = 0;
    this.dropDisconnect = false;
    this.isDown = false;
  }

  current(): Omit<FaultSettings, 'dropSockets'> {
    return {
      ...(this.postStatus ? { postStatus: { ...this.postStatus } } : {}),
      ...(this.postDelayMs > 0 ? { postDelayMs: this.postDelayMs } : {}),
      ...(this.dropDisconnect ? { dropDisconnect: true } : {}),
      ...(this.isDown ? { down: true } : {}),
    };
  }

  get disconnectDropped(): boolean {
    return this.dropDisconnect;
  }

  /** Handshakes are refused while the gateway is down. */
  get down(): boolean {
    return this.isDown;
  }

  get delayMs(): number {
    return this.postDelayMs;
  }

  /** The error this post must answer instead of delivering, if a fault takes it. */
  takePostError(): ManagementApiErrorName | undefined {
    const fault = this.postStatus;
    if (!fault || this.random() >= fault.share) return undefined;
    if (fault.count !== undefined) {
      fault.count -= 1;
      if (fault.count <= 0) this.postStatus = undefined;
    }
    return managementErrorOf(fault.status)?.name;
  }
}

function validStatus(fault: PostStatusFault): PostStatusFault | undefined {
  if (!isPostFaultStatus(fault.status)) throw new Error(`postStatus.status must be ${postFaultStatusList()}, got ${fault.status}`);
  if (!(fault.share >= 0 && fault.share <= 1)) throw new Error(`postStatus.share must be within 0..1, got ${fault.share}`);
  if (fault.count !== undefined && fault.count <= 0) return undefined;
  return { ...fault };
}
