import { fullJitter, refreshDelay } from './backoff.js';
import { Endpoints } from './endpoints.js';
import { RoomcastClientError } from './errors.js';
import { Link, type LinkSettings } from './link.js';
import { renewalDelay } from './token-life.js';
import type { Desk } from './requests.js';
import type { ClientState, ConnectOptions, WebSocketConstructor } from './types.js';

export interface ConnectionSettings extends LinkSettings {
  /** The endpoints, in order of preference. */
  urls: string[];
  /** Failed attempts in a row at one endpoint before moving to the next. */
  failoverAfter: number;
  token: ((endpoint: { url: string }) => string | Promise<string>) | undefined;
  /** Whether a new token can come (`getToken`): then refused handshakes are retried. */
  renewable: boolean;
  socket: () => Promise<WebSocketConstructor>;
  refresh: ConnectOptions['refresh'];
  /** Renew the session with a new token at this share of its token's life (with `renewable`); false: never. */
  renewAt: number | false;
  handshakeFailures: number;
}

export interface ConnectionHooks {
  state(state: ClientState): void;
  error(error: RoomcastClientError): void;
  /** A new socket opened: subscribe every room on it. */
  opened(link: Link): void;
  /** The client moved to another endpoint. */
  endpoint(url: string): void;
}

const offline = (): boolean => typeof navigator !== 'undefined' && navigator.onLine === false;

/**
 * The socket over time: dials with a fresh token, reconnects with full-jitter backoff,
 * tells a refused handshake from a network failure, fails over to the next endpoint, and
 * replaces the socket before API Gateway's 2 h limit (the new one is opened and
 * resubscribed before the old one closes). With `getToken`, it renews the session in place
 * ahead of its token's expiry (`refresh` frame); when that fails, or the server says the
 * token expired, the socket is replaced the same way, with a fresh token.
 */
export class Connection {
  state: ClientState = 'connecting';
  /** The socket requests go to (opening or open). */
  current: Link | undefined;
  /** The socket being replaced: it still delivers until `current` has resubscribed. */
  private retiring: Link | undefined;
  /** The last socket that became useful (every room subscribed): losing it is no failed attempt. */
  private proven: Link | undefined;
  private readonly endpoints: Endpoints;
  private attempt = 0;
  private failures = 0;
  private dialing = false;
  private ended = false;
  private wait: unknown;
  private refresh: unknown;
  /** The next session renewal, or the deadline of the one under way. */
  private renewal: unknown;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly desk: Desk,
    private readonly hooks: ConnectionHooks,
  ) {
    this.endpoints = new Endpoints(settings.urls, settings.failoverAfter);
    queueMicrotask(() => {
      if (this.ended) return;
      hooks.state(this.state);
      void this.dial();
    });
  }

  /** The endpoint in use, or the next one tried. */
  get endpoint(): string {
    return this.endpoints.url;
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    const { clock } = this.settings;
    clock.clearTimeout(this.wait);
    clock.clearTimeout(this.refresh);
    clock.clearTimeout(this.renewal);
    this.current?.close();
    this.retiring?.close();
    this.current = this.retiring = undefined;
    this.set('closed');
  }

  private set(state: ClientState): void {
    if (this.state === state) return;
    this.state = state;
    this.hooks.state(state);
  }

  private async dial(): Promise<void> {
    this.dialing = true;
    let Socket: WebSocketConstructor;
    const endpoint = this.endpoints.url;
    let url = endpoint;
    let token: string | undefined;
    try {
      Socket = await this.settings.socket();
    } catch (cause) {
      this.dialing = false;
      this.hooks.error(new RoomcastClientError('NO_WEBSOCKET', `no WebSocket available: ${String(cause)}`, false));
      return this.close();
    }
    try {
      token = await this.settings.token?.({ url: endpoint });
      if (token) url += (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
    } catch (cause) {
      this.dialing = false;
      if (this.ended) return;
      this.hooks.error(new RoomcastClientError('TOKEN_FAILED', `getToken failed: ${String(cause)}`, true, undefined, cause));
      return this.retry(true);
    }
    this.dialing = false;
    if (this.ended) return;
    if (this.current) this.retiring = this.current;
    this.current = new Link(
      Socket,
      url,
      this.settings,
      this.desk,
      {
        open: (link) => this.opened(link),
        close: (link, opened, status) => this.closed(link, opened, status),
        idle: (link) => this.idle(link),
        refreshed: (link) => link === this.current && this.scheduleRenewal(link, this.renewedWith),
        refreshRefused: (link, error) => this.renewalFailed(link, error),
        expired: (link) => this.replace(link),
      },
      token,
    );
  }

  /**
   * Wait, then dial again. A failed attempt (not counted while the browser says it is offline)
   * may move the client to the next endpoint: the first attempt there waits only the first
   * backoff step, the backoff itself goes on growing until a connection becomes useful.
   */
  private retry(failed: boolean): void {
    this.set('reconnecting');
    const moved = failed && !offline() && this.endpoints.failed();
    if (moved) this.hooks.endpoint(this.endpoints.url);
    const attempt = this.attempt++;
    const delay = fullJitter(moved ? 0 : attempt, this.settings.backoff, this.settings.random);
    this.wait = this.settings.clock.setTimeout(() => void this.dial(), delay);
  }

  private opened(link: Link): void {
    if (link !== this.current) return link.close();
    this.failures = 0;
    this.set('open');
    const { refresh, clock, random } = this.settings;
    clock.clearTimeout(this.refresh);
    if (refresh) this.refresh = clock.setTimeout(() => this.replace(link), refreshDelay(refresh, random));
    this.scheduleRenewal(link, link.token);
    this.hooks.opened(link);
  }

  /** The token the last renewal sent. */
  private renewedWith: string | undefined;

  /** Renew at `renewAt` of the token's life (only a JWT with `exp`, only with `getToken`). */
  private scheduleRenewal(link: Link, token: string | undefined): void {
    const { clock, renewAt, renewable } = this.settings;
    clock.clearTimeout(this.renewal);
    if (!renewable || renewAt === false || !token) return;
    const delay = renewalDelay(token, clock.now(), renewAt);
    if (delay !== undefined) this.renewal = clock.setTimeout(() => void this.renew(link), delay);
  }

  /** Ask `getToken` for a new token and send it in a `refresh`; no answer in time counts as a failure. */
  private async renew(link: Link): Promise<void> {
    if (link !== this.current || this.ended) return;
    let token: string;
    try {
      token = await this.settings.token!({ url: this.endpoints.url });
    } catch (cause) {
      return this.renewalFailed(link, new RoomcastClientError('TOKEN_FAILED', `getToken failed: ${String(cause)}`, true, undefined, cause));
    }
    if (link !== this.current || this.ended) return;
    this.renewedWith = token;
    const { clock, timeoutMs } = this.settings;
    this.renewal = clock.setTimeout(() => this.renewalFailed(link, new RoomcastClientError('TIMEOUT', 'refresh was not answered in time', true)), timeoutMs);
    link.refresh(token);
  }

  /** A renewal that failed: replace the socket with one opened with a fresh token (the old one delivers until then). */
  private renewalFailed(link: Link, error: RoomcastClientError): void {
    if (link !== this.current) return;
    this.settings.clock.clearTimeout(this.renewal);
    this.hooks.error(error);
    this.replace(link);
  }

  /** Every room is subscribed on `link`: the backoff starts over and a replaced socket can go. */
  private idle(link: Link): void {
    if (link !== this.current) return;
    this.attempt = 0;
    this.proven = link;
    this.endpoints.healthy();
    this.retiring?.close();
    this.retiring = undefined;
  }

  private replace(link: Link): void {
    if (link === this.current && !this.retiring && !this.dialing && !this.ended) void this.dial();
  }

  private closed(link: Link, opened: boolean, status: number | undefined): void {
    if (link === this.retiring) {
      this.retiring = undefined;
      if (!this.current?.opened) this.set('reconnecting');
      return;
    }
    if (link !== this.current) return;
    this.current = undefined;
    this.settings.clock.clearTimeout(this.refresh);
    this.settings.clock.clearTimeout(this.renewal);
    // A replacement that failed, or a socket lost while it replaced another: start over.
    this.retiring?.close();
    this.retiring = undefined;
    if (this.ended || (!opened && this.refused(status))) return;
    if (this.dialing) this.set('reconnecting');
    else this.retry(link !== this.proven);
  }

  /**
   * Browsers cannot see a refused handshake's HTTP status: a 401 looks like any socket that
   * closed before opening. So `handshakeFailures` such closes in a row, on any endpoint (not
   * counting while the browser says it is offline), count as a refusal; a known 401/403
   * (from `ws`) counts at once.
   * With a fixed token that ends the client (AUTH_FAILED); with `getToken` it keeps trying.
   */
  private refused(status: number | undefined): boolean {
    const auth = status === 401 || status === 403;
    if (!auth && (status !== undefined || offline())) return false;
    this.failures = auth ? Math.max(this.failures + 1, this.settings.handshakeFailures) : this.failures + 1;
    if (this.failures < this.settings.handshakeFailures) return false;
    const renewable = this.settings.renewable;
    const what = status ? `the handshake was refused (HTTP ${status})` : `${this.failures} attempts in a row closed before opening`;
    if (renewable && this.failures > this.settings.handshakeFailures) return false;
    this.hooks.error(new RoomcastClientError('AUTH_FAILED', renewable ? `${what}; retrying with a new token` : what, renewable, undefined, { status }));
    if (renewable) return false;
    this.close();
    return true;
  }
}
