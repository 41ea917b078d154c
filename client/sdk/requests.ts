import { fullJitter } from './backoff.js';
import type { RoomcastClientError } from './errors.js';
import type { Feed } from './feed.js';
import type { OccupancyAsks } from './occupancy.js';
import { roomsNamed, type ServerFrame } from './frames.js';
import { raise } from './positions.js';
import type { Backoff, Clock } from './types.js';

/** What the request queue needs to know about the app's rooms. */
export interface Desk {
  /** How to subscribe to a room now; undefined when it is no longer wanted. */
  plan(room: string): { since?: string; snapshot?: number | true } | undefined;
  feed(room: string): Feed | undefined;
  /** The server refused the room for good. */
  fail(room: string, error: RoomcastClientError): void;
  report(error: RoomcastClientError): void;
  /** The app's occupancy questions, asked when no subscribe or unsubscribe waits. */
  readonly asks: OccupancyAsks;
}

export interface RequestSettings {
  clock: Clock;
  random: () => number;
  backoff: Backoff;
  timeoutMs: number;
}

type Op = 'subscribe' | 'unsubscribe';
interface Flight {
  action: Op | 'occupancy';
  rooms: string[];
  since: Record<string, string>;
  /** Rooms whose snapshot (or occupancy) has not come yet: the feed that asked, the highest position so far per origin. */
  waiting: Map<string, { feed: Feed | undefined; max: Map<string, string> }>;
  answered: boolean;
}

/** Rooms per frame (the server's limit). */
const ROOMS_PER_FRAME = 50;

/**
 * The subscribe/unsubscribe frames of one socket. One request is in flight at a time, so an
 * `error` frame (which carries no request id) is known to answer it; what waits meanwhile is
 * batched into the next frame. Positions are read when a frame is sent, so a resubscribe
 * always asks from the last delivered position.
 */
export class Requests {
  private readonly ops = new Map<string, { op: Op; solo: boolean }>();
  /** Rooms this socket asked the server for. */
  private readonly held = new Set<string>();
  private flight: Flight | undefined;
  private active = false;
  private timer: unknown;
  private pause: unknown;
  private attempt = 0;

  constructor(
    private readonly desk: Desk,
    private readonly send: (frame: object) => void,
    private readonly settings: RequestSettings,
    private readonly stalled: () => void,
    private readonly idle: () => void,
  ) {}

  want(room: string, op: Op, solo = false): void {
    if (op === 'unsubscribe' && !this.held.has(room)) this.ops.delete(room);
    else this.ops.set(room, { op, solo });
    this.pump();
  }

  start(): void {
    this.active = true;
    this.pump();
  }

  /** The socket is gone: what was asked and not answered will not be. */
  stop(): void {
    this.active = false;
    const { clock } = this.settings;
    clock.clearTimeout(this.timer);
    clock.clearTimeout(this.pause);
    if (this.flight) {
      this.cancel(this.flight);
      this.desk.asks.again(this.flight.rooms);
    }
    this.flight = undefined;
  }

  answer(frame: Extract<ServerFrame, { type: 'subscribed' | 'unsubscribed' }>): void {
    const subscribed = frame.type === 'subscribed';
    if (this.flight?.action !== (subscribed ? 'subscribe' : 'unsubscribe')) return;
    this.flight.answered = true;
    // The server says on every subscribe which rooms it conflates (older servers: none).
    if (subscribed) for (const room of frame.rooms) this.desk.feed(room)?.conflate(frame.conflated.includes(room));
    this.settle();
  }

  snapshot(frame: Extract<ServerFrame, { type: 'snapshot' }>): void {
    const { room, messages, cursor } = frame;
    const flight = this.flight;
    const waiting = flight?.waiting.get(room);
    // A room left and joined again while this was in flight has a new feed: not its answer.
    const feed = this.desk.feed(room);
    if (!flight || !waiting || waiting.feed !== feed) return feed?.part(messages, cursor);
    feed?.part(messages, cursor);
    for (const { pos } of messages) raise(waiting.max, pos);
    if (frame.more) return;
    flight.waiting.delete(room);
    // Own keys only: a room named like a member of Object ("constructor") has no `since` of its own.
    const since = Object.prototype.hasOwnProperty.call(flight.since, room) ? flight.since[room] : undefined;
    feed?.end({ complete: frame.complete, since, max: waiting.max, cut: frame.next !== undefined });
    this.settle();
  }

  /** An occupancy question is asked, or may be asked now. */
  poke(): void {
    this.pump();
  }

  occupancy({ occupancy }: Extract<ServerFrame, { type: 'occupancy' }>): void {
    this.desk.asks.answer(occupancy);
    if (this.flight?.action === 'occupancy' && this.flight.waiting.delete(occupancy.room)) this.settle();
  }

  error(error: RoomcastClientError): void {
    const flight = this.flight;
    if (!flight) return this.desk.report(error);
    this.land();
    this.cancel(flight);
    const { asks } = this.desk;
    // An occupancy question fails every room it asked unless the error names some.
    const asking = flight.action === 'occupancy';
    const again = (rooms: string[], solo: boolean) => {
      if (asking) return asks.again(rooms);
      for (const room of rooms) if (!this.ops.has(room)) this.ops.set(room, { op: flight.action as Op, solo });
    };
    if (error.retryable) {
      this.desk.report(error);
      again(flight.rooms, false);
      const delay = fullJitter(this.attempt++, this.settings.backoff, this.settings.random);
      this.pause = this.settings.clock.setTimeout(() => {
        this.pause = undefined;
        this.pump();
      }, delay);
      return;
    }
    if (flight.action === 'unsubscribe') {
      this.desk.report(error);
    } else {
      const named = roomsNamed(error.details).filter((room) => flight.rooms.includes(room));
      const culprits = named.length > 0 ? named : flight.rooms.length === 1 || asking ? flight.rooms : [];
      if (asking) asks.refuse(culprits, error);
      else for (const room of culprits) this.desk.fail(room, error.about(room));
      // Without culprits, send each room alone to learn which one the server refuses.
      again(flight.rooms.filter((room) => !culprits.includes(room)), culprits.length === 0);
    }
    this.pump();
  }

  private settle(): void {
    const flight = this.flight;
    if (!flight || !flight.answered || flight.waiting.size > 0) return;
    this.land();
    this.attempt = 0;
    this.pump();
  }

  private cancel(flight: Flight): void {
    for (const [room, { feed }] of flight.waiting) if (feed === this.desk.feed(room)) feed?.cancel();
  }

  private land(): void {
    this.settings.clock.clearTimeout(this.timer);
    this.flight = undefined;
  }

  private pump(): void {
    if (!this.active || this.flight || this.pause !== undefined) return;
    const flight = this.next() ?? this.nextAsk();
    if (!flight) return this.idle();
    this.flight = flight;
    for (const waiting of flight.waiting.values()) waiting.feed?.expect();
    this.timer = this.settings.clock.setTimeout(this.stalled, this.settings.timeoutMs);
    this.send(frameOf(flight));
  }

  /** The rooms of waiting occupancy questions, when no subscribe or unsubscribe waits. */
  private nextAsk(): Flight | undefined {
    const rooms = this.desk.asks.take(ROOMS_PER_FRAME);
    const waiting = new Map(rooms.map((room) => [room, { feed: undefined, max: new Map() }]));
    return rooms.length === 0 ? undefined : { action: 'occupancy', rooms, since: {}, waiting, answered: true };
  }

  /** Take the next batch: rooms of one kind, and for subscribes, of one snapshot count. */
  private next(): (Flight & { snapshot?: number | true }) | undefined {
    let flight: (Flight & { snapshot?: number | true }) | undefined;
    let key: string | undefined;
    for (const [room, { op, solo }] of this.ops) {
      if (flight && (flight.rooms.length >= ROOMS_PER_FRAME || solo || op !== flight.action)) continue;
      const plan = op === 'subscribe' ? this.desk.plan(room) : {};
      if (!plan) {
        this.ops.delete(room);
        continue;
      }
      const roomKey = plan.since === undefined ? String(plan.snapshot ?? 0) : undefined;
      if (flight && roomKey !== undefined && key !== undefined && roomKey !== key) continue;
      this.ops.delete(room);
      flight ??= { action: op, rooms: [], since: {}, waiting: new Map(), answered: false };
      flight.rooms.push(room);
      if (op === 'unsubscribe') {
        this.held.delete(room);
      } else {
        this.held.add(room);
        if (roomKey !== undefined) key ??= roomKey;
        if (plan.since !== undefined) flight.since[room] = plan.since;
        if (plan.since !== undefined || plan.snapshot) flight.waiting.set(room, { feed: this.desk.feed(room), max: new Map() });
        if (plan.snapshot && plan.since === undefined) flight.snapshot = plan.snapshot;
      }
      if (solo) break;
    }
    return flight;
  }
}

function frameOf(flight: Flight & { snapshot?: number | true }): object {
  const { action, rooms, since, snapshot } = flight;
  if (action === 'unsubscribe' || action === 'occupancy') return { action, rooms };
  return { action, rooms, ...(snapshot ? { snapshot } : {}), ...(Object.keys(since).length > 0 ? { since } : {}) };
}
