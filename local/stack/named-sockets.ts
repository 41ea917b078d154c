/**
 * Real sockets on a local gateway under the names their callers give them ('c1=', 'stale=' ...).
 * The gateway gives each connection its own id, as API Gateway does; a socket says its
 * name in the query string of its handshake, and the gateway's `$connect` event (passed to
 * `connected`) says which id it got. The frames the sockets receive are kept by name.
 */
import WebSocket from 'ws';

/** How long a post the gateway accepted may take to reach its socket. */
const ARRIVAL_MS = 5_000;
/** The query string parameter that carries a socket's name. */
export const NAME_PARAMETER = 'name';

export interface ReceivedFrame {
  connectionId: string;
  data: string;
  at: number;
}

class NamedSocket {
  /** The gateway's id for it, once it is open; undefined when the handshake failed. */
  readonly id: Promise<string | undefined>;
  readonly closed: Promise<void>;
  private gatewayId: string | undefined;
  private received = 0;
  private accepted = 0;
  private readonly waiters = new Set<() => void>();
  private resolveId!: (id: string | undefined) => void;

  constructor(
    readonly ws: WebSocket,
    onFrame: (data: string) => void,
  ) {
    this.id = new Promise((resolve) => (this.resolveId = resolve));
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.received += 1;
      onFrame(data.toString());
      this.wake();
    });
    // `connected` has given the id by then: $connect runs before the 101.
    ws.on('open', () => this.resolveId(this.gatewayId));
    ws.on('error', () => this.resolveId(undefined));
    ws.on('close', () => {
      this.resolveId(undefined);
      this.wake();
    });
  }

  connected(id: string): void {
    this.gatewayId = id;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Counts one more post the gateway accepted; resolves once it has arrived (or the socket closed, or ARRIVAL_MS passed). */
  arrival(): Promise<void> {
    const target = (this.accepted += 1);
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.received < target && this.isOpen) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve();
      }, ARRIVAL_MS);
      this.waiters.add(check);
      check();
    });
  }

  private wake(): void {
    this.waiters.forEach((check) => check());
  }
}

export type { NamedSocket };

export class NamedSockets {
  private readonly sockets = new Map<string, NamedSocket>();
  /** Sockets whose `$connect` has not come yet, by name. */
  private readonly connecting = new Map<string, NamedSocket>();
  private frames: ReceivedFrame[] = [];
  /** The gateway's WebSocket URL. */
  url = '';

  /** Opens a socket named `name`, unless one is open under that name already. */
  open(name: string): void {
    if (this.sockets.has(name)) return;
    if (!this.url) throw new Error('no gateway URL yet');
    const url = new URL(this.url);
    url.searchParams.set(NAME_PARAMETER, name);
    const ws = new WebSocket(url, { headers: { 'User-Agent': 'roomcast-stack' } });
    const socket = new NamedSocket(ws, (data) => this.frames.push({ connectionId: name, data, at: Date.now() }));
    this.sockets.set(name, socket);
    this.connecting.set(name, socket);
    ws.once('close', () => {
      if (this.sockets.get(name) === socket) this.sockets.delete(name);
      if (this.connecting.get(name) === socket) this.connecting.delete(name);
    });
  }

  /** The gateway's `$connect` of the socket named in its query string. */
  connected(name: string | undefined, id: string): void {
    const socket = name === undefined ? undefined : this.connecting.get(name);
    if (!socket) return;
    this.connecting.delete(name!);
    socket.connected(id);
  }

  /** The open socket of that name and its id, once its handshake is over; undefined when there is none. */
  async find(name: string): Promise<{ id: string; socket: NamedSocket } | undefined> {
    const socket = this.sockets.get(name);
    const id = await socket?.id;
    if (!socket || id === undefined || !socket.isOpen) return undefined;
    return { id, socket };
  }

  has(name: string): boolean {
    return this.sockets.has(name);
  }

  /** Closes the socket of that name from the client's side: the gateway answers 410 for it from then on. */
  close(name: string): void {
    const socket = this.sockets.get(name);
    this.sockets.delete(name);
    this.connecting.delete(name);
    socket?.ws.close();
  }

  /** Frames received, in arrival order; only those of `name` when given. */
  received(name?: string): ReceivedFrame[] {
    return name === undefined ? [...this.frames] : this.frames.filter((frame) => frame.connectionId === name);
  }

  /** Closes every socket and forgets every frame. */
  reset(): void {
    for (const name of [...this.sockets.keys()]) this.close(name);
    this.frames = [];
  }

  /** Drops every socket and waits until they are closed. */
  async closeAll(): Promise<void> {
    const sockets = [...this.sockets.values()];
    this.reset();
    sockets.forEach((socket) => socket.ws.terminate());
    await Promise.all(sockets.map((socket) => socket.closed));
  }
}
