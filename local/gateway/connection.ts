import type { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import type { ConnectionFacts } from './events.js';
import { FrameMeter } from './frames.js';
import { InFlightMessages } from './in-flight.js';
import type { GatewayLimits } from './types.js';

export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed';

export interface ConnectionHooks {
  message(connection: Connection, data: Buffer, isBinary: boolean): void;
  /** Once per opened connection, with the code and reason `$disconnect` reports. */
  closed(connection: Connection, code: number, reason: string): void;
}

const REASONS: Record<number, string> = {
  1000: 'Connection Closed Normally',
  1001: 'Going away',
  1005: 'No Status Received',
  1006: 'Connection Closed Abnormally',
  1009: 'Message too big',
};

export function closeReason(code: number): string {
  return REASONS[code] ?? '';
}

/**
 * One client connection: created when its handshake starts (state `connecting`, so
 * @connections already answers 410 for it), `open` once `$connect` allowed it. Owns the
 * socket, the idle and maximum-duration timers and its messages' invocations in flight.
 */
export class Connection {
  state: ConnectionState = 'connecting';
  lastActiveAt: number;
  private ws: WebSocket | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private maxTimer: NodeJS.Timeout | undefined;
  private readonly messages: InFlightMessages;
  private closeIntent: { code: number; reason: string } | undefined;
  private resolveDone!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(
    readonly facts: ConnectionFacts,
    private readonly limits: GatewayLimits,
    private readonly hooks: ConnectionHooks,
    serializeMessages = false,
  ) {
    this.lastActiveAt = facts.connectedAt;
    this.messages = new InFlightMessages(serializeMessages);
  }

  get id(): string {
    return this.facts.connectionId;
  }

  open(ws: WebSocket, socket: Duplex): void {
    this.ws = ws;
    this.state = 'open';
    this.touch();
    const meter = new FrameMeter(this.limits, (violation) => {
      this.close(1009, violation === 'frame' ? `Frame too big (limit ${this.limits.frameBytes} bytes)` : 'Message too big');
    });
    // Ahead of ws's own listener, so an oversized frame is seen before ws delivers it.
    socket.prependListener('data', (chunk: Buffer) => meter.push(chunk));
    ws.on('message', (data, isBinary) => {
      if (this.state !== 'open') return;
      this.touch();
      this.hooks.message(this, toBuffer(data), isBinary);
    });
    ws.on('error', () => undefined); // ws closes the connection itself after an error
    ws.on('close', (code, reason) => this.finish(code, reason.toString('utf8')));
    this.scheduleIdle(this.limits.idleTimeoutMs);
    this.maxTimer = setTimeout(() => this.close(1001, 'Going away'), this.limits.maxDurationMs);
    this.maxTimer.unref();
  }

  /** Sends one text frame; false when the connection is not open. */
  send(text: string): boolean {
    if (this.state !== 'open' || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    this.touch();
    return true;
  }

  /**
   * Handles one message: `task` starts at once, alongside the connection's other messages in
   * flight, or after them when the gateway serializes messages.
   */
  handle(task: () => Promise<void>): void {
    this.messages.start(task);
  }

  /** Resolves once every message handled so far has finished. */
  settled(): Promise<void> {
    return this.messages.settled();
  }

  /** Closes with a close frame; `$disconnect` reports this code and reason. */
  close(code: number, reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.closeIntent = { code, reason };
    this.stopTimers();
    this.ws?.close(code, reason);
  }

  /** Drops the socket without a close frame (the client sees 1006). */
  terminate(): void {
    if (this.state !== 'open' && this.state !== 'closing') return;
    this.state = 'closing';
    this.closeIntent ??= { code: 1006, reason: closeReason(1006) };
    this.stopTimers();
    this.ws?.terminate();
  }

  /** For a connection whose handshake never completed. */
  abandon(): void {
    if (this.state !== 'connecting') return;
    this.state = 'closed';
    this.resolveDone();
  }

  whenClosed(): Promise<void> {
    return this.done;
  }

  private touch(): void {
    this.lastActiveAt = Date.now();
  }

  private scheduleIdle(delayMs: number): void {
    this.idleTimer = setTimeout(() => {
      if (this.state !== 'open') return;
      const idleFor = Date.now() - this.lastActiveAt;
      if (idleFor >= this.limits.idleTimeoutMs) this.close(1001, 'Going away');
      else this.scheduleIdle(this.limits.idleTimeoutMs - idleFor);
    }, delayMs);
    this.idleTimer.unref();
  }

  private stopTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxTimer);
  }

  private finish(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stopTimers();
    const final = this.closeIntent ?? { code, reason: reason || closeReason(code) };
    this.hooks.closed(this, final.code, final.reason);
    this.resolveDone();
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
