/** Test doubles for the client SDK: a scripted WebSocket, a manual clock, a seeded random. */
import type { Clock, WebSocketLike } from '../../client/sdk/index.js';

/** Let promises and microtasks run (a real macrotask turn). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  private time = 0;
  private id = 0;
  private readonly timers = new Map<number, { at: number; run: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): number {
    this.id += 1;
    this.timers.set(this.id, { at: this.time + Math.max(0, ms), run });
    return this.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers still pending. */
  get pending(): number {
    return this.timers.size;
  }

  /** Run every timer due within `ms`, in order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const due = this.earliest();
      if (!due || due[1].at > end) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
    }
    this.time = end;
    await flush();
  }

  /** Run the earliest timer; answers the time it ran at. */
  async runNext(): Promise<number> {
    await flush();
    const due = this.earliest();
    if (!due) throw new Error('no timer pending');
    await this.advance(due[1].at - this.time);
    return this.time;
  }

  private earliest(): [number, { at: number; run: () => void }] | undefined {
    let best: [number, { at: number; run: () => void }] | undefined;
    for (const entry of this.timers) if (!best || entry[1].at < best[1].at) best = entry;
    return best;
  }
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Frame = Record<string, unknown>;

/** A WebSocket whose server side the test plays. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  readonly sent: Frame[] = [];
  closedWith: number | undefined | null = null;
  /** Answer pings like the server does. */
  autoPong = true;

  constructor(
    readonly url: string,
    readonly createdAt: number,
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    const frame = JSON.parse(data) as Frame;
    this.sent.push(frame);
    if (frame.action === 'ping' && this.autoPong) queueMicrotask(() => this.readyState === 1 && this.receive({ type: 'pong' }));
  }

  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  get closed(): boolean {
    return this.readyState === 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(frame: Frame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The server or the network ends the socket. */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }

  /** The handshake fails (what a browser sees for a 401, or for a network error). */
  refuse(message?: string): void {
    this.onerror?.(message === undefined ? {} : { message });
    this.drop();
  }

  /** Frames sent with this action. */
  frames(action: string): Frame[] {
    return this.sent.filter((frame) => frame.action === action);
  }
}

/** A WebSocket class that records its instances. */
export function fakeSockets(clock: Clock): { Socket: new (url: string) => FakeSocket; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  class Socket extends FakeSocket {
    constructor(url: string) {
      super(url, clock.now());
      sockets.push(this);
    }
  }
  return { Socket, sockets };
}
