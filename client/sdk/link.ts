import type { RoomcastClientError } from './errors.js';
import { parseServerFrame } from './frames.js';
import { Requests, type Desk, type RequestSettings } from './requests.js';
import type { WebSocketConstructor, WebSocketLike } from './types.js';

export interface LinkSettings extends RequestSettings {
  heartbeatMs: number;
  pongTimeoutMs: number;
}

export interface LinkHooks {
  open(link: Link): void;
  /** The socket closed or was given up; `status` is the handshake's HTTP status when known. */
  close(link: Link, opened: boolean, status: number | undefined): void;
  /** Every request was answered. */
  idle(link: Link): void;
  /** The server renewed the session (`refreshed`), or refused the new token. */
  refreshed(link: Link): void;
  refreshRefused(link: Link, error: RoomcastClientError): void;
  /** The session ended: the server answers TOKEN_EXPIRED. */
  expired(link: Link): void;
}

/** `ws` reports a refused handshake as "Unexpected server response: 401". */
const HANDSHAKE_STATUS = /server response: (\d{3})/;

/** One socket: its requests, its heartbeat, and the routing of what it receives. */
export class Link {
  readonly requests: Requests;
  opened = false;
  /** A `refresh` was sent and not answered yet. */
  private refreshing = false;
  private done = false;
  private status: number | undefined;
  private lastSent = 0;
  private beat: unknown;
  private pong: unknown;
  private readonly socket: WebSocketLike;

  constructor(
    Socket: WebSocketConstructor,
    url: string,
    private readonly settings: LinkSettings,
    private readonly desk: Desk,
    private readonly hooks: LinkHooks,
    /** The token this socket was opened with, if any. */
    readonly token?: string,
  ) {
    this.requests = new Requests(desk, (frame) => this.send(frame), settings, () => this.fail(), () => hooks.idle(this));
    const socket = (this.socket = new Socket(url));
    socket.onopen = () => this.opening();
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = (event) => {
      const match = HANDSHAKE_STATUS.exec(String((event as { message?: unknown } | null)?.message ?? ''));
      if (match && !this.opened) this.status = Number(match[1]);
    };
    socket.onclose = () => this.finish(true);
  }

  /** Renew the session in place: the answer comes as `refreshed`, or an UNAUTHORIZED error. */
  refresh(token: string): void {
    this.refreshing = true;
    this.send({ action: 'refresh', token });
  }

  /** Give the socket up: report it closed now, without waiting for the closing handshake. */
  fail(): void {
    this.finish(true);
  }

  /** Close on purpose; nothing is reported. */
  close(): void {
    this.finish(false);
  }

  private opening(): void {
    if (this.done) return;
    this.opened = true;
    this.lastSent = this.settings.clock.now();
    this.heartbeat();
    this.hooks.open(this);
    this.requests.start();
  }

  private send(frame: object): void {
    if (this.done) return;
    this.lastSent = this.settings.clock.now();
    try {
      this.socket.send(JSON.stringify(frame));
    } catch {
      this.fail();
    }
  }

  /** Ping when nothing was sent for `heartbeatMs`; give up when nothing answers in time. */
  private heartbeat(): void {
    const { clock, heartbeatMs, pongTimeoutMs } = this.settings;
    const wait = this.lastSent + heartbeatMs - clock.now();
    if (wait > 0) {
      this.beat = clock.setTimeout(() => this.heartbeat(), wait);
      return;
    }
    if (this.pong === undefined) this.pong = clock.setTimeout(() => this.fail(), pongTimeoutMs);
    this.send({ action: 'ping' });
    this.beat = clock.setTimeout(() => this.heartbeat(), heartbeatMs);
  }

  private receive(data: unknown): void {
    if (this.done || typeof data !== 'string') return;
    this.settings.clock.clearTimeout(this.pong);
    this.pong = undefined;
    const frame = parseServerFrame(data);
    if (!frame) return;
    if (frame.type === 'message') this.desk.feed(frame.message.room)?.live(frame.message);
    else if (frame.type === 'snapshot') this.requests.snapshot(frame);
    else if (frame.type === 'unsubscribed' && frame.reason) for (const room of frame.rooms) this.desk.fail(room, frame.reason.about(room));
    else if (frame.type === 'subscribed' || frame.type === 'unsubscribed') this.requests.answer(frame);
    else if (frame.type === 'occupancy') this.requests.occupancy(frame);
    else if (frame.type === 'refreshed') this.answered(() => this.hooks.refreshed(this));
    else if (frame.type === 'error') this.error(frame.error);
  }

  private error(error: RoomcastClientError): void {
    // Only a refresh is answered UNAUTHORIZED on an open socket: the new token was refused.
    if (error.code === 'UNAUTHORIZED' && this.refreshing) return this.answered(() => this.hooks.refreshRefused(this, error));
    if (error.code === 'TOKEN_EXPIRED') {
      this.desk.report(error);
      return this.hooks.expired(this);
    }
    if (error.code !== 'CONNECTION_UNKNOWN') return this.requests.error(error);
    this.desk.report(error);
    this.fail();
  }

  private answered(hook: () => void): void {
    if (!this.refreshing) return;
    this.refreshing = false;
    hook();
  }

  private finish(report: boolean): void {
    if (this.done) return;
    this.done = true;
    const { clock } = this.settings;
    clock.clearTimeout(this.beat);
    clock.clearTimeout(this.pong);
    this.requests.stop();
    const socket = this.socket;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.onerror = () => undefined;
    try {
      socket.close(this.opened ? 1000 : undefined);
    } catch {
      // already closing
    }
    if (report) this.hooks.close(this, this.opened, this.status);
  }
}
