/**
 * What the use cases need from the world, declared beside them: the adapters
 * (adapters/*.ts) implement these on DynamoDB, SQS and the management API, and the tests'
 * in-memory fakes implement them too; one contract suite per port runs against both
 * (test/contracts/). Nothing here names an SDK: adapters answer outcomes.
 */
import type { Occupancy } from '../model/occupancy.js';
import type { Partition, RoomShape } from '../model/room-partitions.js';
import type { ClaimResult } from '../model/publish-ledger.js';
import type { StoredMessage } from '../model/message.js';

/** A connection as the connections table keeps it. */
export interface Connection {
  connectionId: string;
  principal: string;
  patterns: string[];
  rooms: string[];
  /** Room -> the generation its subscription row is in. */
  generations: Record<string, number>;
  connectedAt: number;
  expiresAt: number;
  /** When the session ends (model/session.ts, seconds since the epoch); absent: never (AuthMode none). */
  sessionEndsAt?: number;
}

/** Rooms' subscription rows, spread over partitions that grow with the room (model/room-partitions.ts). */
export interface RoomPartitionsPort {
  /** DELIVERY_SHARDS: partitions of a room's first generation. */
  readonly base: number;
  /** The room's shape as a reader plans by it (consistent). */
  shape(room: string): Promise<RoomShape>;
  /**
   * Each page of connection ids of one partition, in turn. With `openAt` (ms), rows whose
   * session had ended by then (model/session.ts: isSessionOpen) are left out.
   */
  forEachSubscriberPage(room: string, partition: Partition, onPage: (connectionIds: string[]) => Promise<void>, openAt?: number): Promise<void>;
}

export interface ConnectionsPort {
  readonly partitions: RoomPartitionsPort;
  put(connection: Omit<Connection, 'rooms' | 'generations'>): Promise<void>;
  get(connectionId: string): Promise<Connection | undefined>;
  /** Add rooms, at most `max` in all (TOO_MANY_ROOMS beyond), and write their subscription rows. */
  subscribe(connection: Connection, rooms: readonly string[], max: number): Promise<void>;
  unsubscribe(connectionId: string, rooms: readonly string[]): Promise<void>;
  /**
   * A `refresh`: the connection's new patterns and session end, on its row and on the
   * subscription rows of the rooms it holds (CONNECTION_UNKNOWN when the row is gone).
   */
  renew(connection: Connection, patterns: readonly string[], sessionEndsAt: number | undefined): Promise<void>;
  /** Connections whose session ended at `now` (ms) or before, at most `limit` (the sweep's). */
  endedSessions(now: number, limit: number): Promise<string[]>;
  /** Remove the connection and its subscription rows (and those of `alsoRooms`); answers the rooms it had. */
  remove(connectionId: string, alsoRooms?: readonly string[]): Promise<{ rooms: string[] }>;
  /** The room's subscribed connections and their distinct principals (model/occupancy.ts). */
  occupancy(room: string): Promise<Occupancy>;
}

/**
 * What storing a new message gave: the message at its position, that the id already has a
 * publish record in this room, or that it names a message of another room.
 */
export type IdConflict = 'another room' | 'other data';

export type AppendOutcome = { kind: 'stored'; message: StoredMessage } | { kind: 'id-claimed' } | { kind: 'id-reused' };

/**
 * One read of a room's messages: what it returned, the read units it consumed (as DynamoDB
 * bills a strongly consistent Query: model/read-budget.ts), and whether more messages follow
 * the ones it returned.
 */
export interface MessagePage {
  messages: StoredMessage[];
  units: number;
  more: boolean;
}

/** Rooms' messages at their positions, and the publish ledger's records (model/publish-ledger.ts). */
export interface MessagesPort {
  /**
   * Store at the room's next position in the message's origin, creating its publish record
   * (with the fingerprint of its room and data). `reserveId`: the id came from the client,
   * and names this room's message in the whole stack: an id reserved for another room answers `id-reused`.
   */
  appendNew(message: Omit<StoredMessage, 'pos'>, token: string, expiresAt: number, reserveId: boolean): Promise<AppendOutcome>;
  /** Store at the next position under this request's claim (PUBLISH_IN_PROGRESS when it was taken over). */
  appendClaimed(message: Omit<StoredMessage, 'pos'>, token: string, expiresAt: number): Promise<StoredMessage>;
  /** Whether a client's id already names a message of another room, or one with other data (a read; nothing changes). */
  idConflict(room: string, id: string, fingerprint: string): Promise<IdConflict | undefined>;
  /** Claim an id's publish record when the ledger's `canTakeOver` holds for this request's fingerprint. */
  claim(room: string, id: string, token: string, now: number, staleBefore: number, expiresAt: number, fingerprint: string): Promise<ClaimResult>;
  markPlanned(room: string, id: string, token: string): Promise<void>;
  /** Let a retry take over at once. */
  release(room: string, id: string, token: string): Promise<void>;
  /** Store a message at its position unless one is there: a stored message is never rewritten. */
  put(message: StoredMessage, expiresAt: number): Promise<'stored' | 'kept'>;
  /** The room's latest `limit` messages, oldest first. */
  latest(room: string, limit: number): Promise<StoredMessage[]>;
  /** The same, as one read: `more` when older messages are kept than it returned (it stopped at `limit` or at the store's page size). */
  latestPage(room: string, limit: number): Promise<MessagePage>;
  /** One read of one origin's messages after `seq`, in seq order, at most `limit` (at most `limit` x MESSAGE_ITEM_UNITS read units). */
  afterOrigin(room: string, origin: string, seq: number, limit: number): Promise<MessagePage>;
  latestOf(room: string, origin: string): Promise<StoredMessage | undefined>;
  /** The regions that have published to the room. */
  origins(room: string): Promise<string[]>;
}

/** A queue of work items (delivery jobs, plan tasks). */
export interface QueuePort<T> {
  /** Whether this function was given the queue. */
  readonly configured: boolean;
  /** Enqueue all, in as few requests as fit; answers how many requests it took. */
  send(items: readonly T[], delaySeconds?: number): Promise<{ requests: number }>;
  /** Items received by consumers and not yet done. */
  inFlight(): Promise<number>;
  /** Park an item that ran out of attempts. */
  deadLetter(item: T): Promise<void>;
}

/** How far each segment of a conflated room has been planned (model/conflation.ts). */
export interface PlannedPositionsPort {
  mark(room: string, segment: string, pos: string): Promise<void>;
  latest(room: string, segment: string): Promise<string | undefined>;
}

/** Secrets named by an SSM parameter name (`/...`) or a Secrets Manager ARN; a rotated one is read within `JWT_SECRET_MAX_AGE_SECONDS`. */
export interface SecretsPort {
  read(ref: string): Promise<string>;
}

/** What one post (or close) of the management API came to. `error`: for the log only. */
export type PostOutcome = 'delivered' | 'gone' | 'throttled' | 'failed';

/** A post worth trying again: API Gateway throttled it, or it failed otherwise. */
export function retryable(outcome: PostOutcome): boolean {
  return outcome === 'throttled' || outcome === 'failed';
}

export interface ConnectionsApiPort {
  post(endpoint: string, connectionId: string, frame: string): Promise<{ outcome: PostOutcome; error?: unknown }>;
  /** Close the connection from the server's side; `delivered` when it was closed. */
  close(endpoint: string, connectionId: string): Promise<{ outcome: PostOutcome; error?: unknown }>;
}

/**
 * The counts at every stage of a message's path, and its latencies: adapters/telemetry.ts
 * writes them as CloudWatch metrics, with dimensions that stay low-cardinality (the
 * service and the stack, never a room or a connection).
 */
export type StageCount =
  | 'Published'
  | 'FanoutPlanned'
  /** Plan tasks planners ran, tasks handed on to planners, and tasks handed out again after a crash. */
  | 'PlanTasks'
  | 'PlanTasksEnqueued'
  | 'PlanRetried'
  /** Posts skipped because a newer message of a conflated room was planned for the same connections. */
  | 'Conflated'
  | 'JobsEnqueued'
  | 'Delivered'
  | 'Gone'
  | 'Throttled'
  | 'Retried'
  | 'Failed'
  | 'DeadLettered'
  | 'Connected'
  | 'Disconnected'
  | 'Subscribed'
  /** Sessions renewed by `refresh`, and connections the sweep closed because their session ended. */
  | 'Refreshed'
  | 'SessionsClosed'
  /** Canary messages that did not come back in time (the canary's runs only). */
  | 'CanaryLost';

/** CanaryRoundTrip: one canary message, from just before its publish to its arrival on the socket. */
export type Latency = 'DeliveryLatency' | 'PublishLatency' | 'CanaryRoundTrip';

export interface Telemetry {
  count(name: StageCount, value?: number): void;
  latency(name: Latency, milliseconds: number): void;
  /** Write what was recorded (once per invocation); nothing when nothing was. */
  flush(): void;
}
