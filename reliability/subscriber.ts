/**
 * One subscriber of the delivery scenario: a client of the SDK's Node entry over a real
 * socket, following some rooms, recording what its sockets carried (before the SDK), what
 * the SDK handed to the app, when the connection was lost, and how sockets closed.
 */
import { connect, type ConnectOptions, type RoomcastClient, type RoomcastClientError } from '@roomcast/client/sdk/node';
import { tappedWebSocket } from './tapped-socket.js';
import type { Carried, Handed, SubscriberRecord } from './checker.js';

export interface SubscriberOptions {
  name: string;
  url: string;
  token: string;
  rooms: readonly string[];
  refresh: ConnectOptions['refresh'];
  now(): number;
}

export class Subscriber {
  readonly client: RoomcastClient;
  readonly errors: RoomcastClientError[] = [];
  /** Sockets closed, per close code (1006 dropped, 1001 cut at the maximum duration...). */
  readonly closes = new Map<number, number>();
  joinedAt = 0;
  private readonly carried = new Map<string, Carried[]>();
  private readonly handed = new Map<string, Handed[]>();
  private readonly outages: number[] = [];

  constructor(private readonly options: SubscriberOptions) {
    for (const room of options.rooms) {
      this.carried.set(room, []);
      this.handed.set(room, []);
    }
    this.client = connect({
      url: options.url,
      token: options.token,
      refresh: options.refresh,
      WebSocket: tappedWebSocket({ frame: (text) => this.tally(text), close: (code) => this.closes.set(code, (this.closes.get(code) ?? 0) + 1) }),
    });
    let state = this.client.state;
    this.client.on('state', (next) => {
      if (state === 'open' && next !== 'open') this.outages.push(options.now());
      state = next;
    });
    this.client.on('error', (error) => this.errors.push(error));
    for (const room of options.rooms) {
      const got = this.handed.get(room)!;
      this.client.subscribe(room, (message) => got.push({ id: message.id, pos: message.pos, at: options.now() }), { snapshot: true });
    }
  }

  /** Distinct messages the app got in a room. */
  count(room: string): number {
    return new Set(this.handed.get(room)?.map((message) => message.id)).size;
  }

  record(): SubscriberRecord {
    return { name: this.options.name, rooms: this.options.rooms, joinedAt: this.joinedAt, carried: this.carried, handed: this.handed, outages: this.outages };
  }

  close(): void {
    this.client.close();
  }

  private tally(text: string): void {
    const frame = JSON.parse(text) as { type?: string; room?: string; id?: string; pos?: string; messages?: Carried[] };
    const list = frame.room === undefined ? undefined : this.carried.get(frame.room);
    if (!list) return;
    if (frame.type === 'message' && frame.id !== undefined && frame.pos !== undefined) list.push({ id: frame.id, pos: frame.pos });
    if (frame.type === 'snapshot') for (const message of frame.messages ?? []) list.push({ id: message.id, pos: message.pos });
  }
}
