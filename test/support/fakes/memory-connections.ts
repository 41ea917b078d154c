/**
 * ConnectionsPort in memory: connections, their rooms and the generation each room's
 * subscription row is in, and rooms' rows in partitions that grow as the real store's do
 * (model/room-partitions.ts: partitionOf, grownGeneration). Passes test/contracts/connections.contract.ts.
 */
import { RoomcastError } from '../../../layers/core/src/errors.js';
import { grownGeneration, partitionOf, partitionsOf, type Partition, type RoomShape } from '../../../layers/core/src/model/room-partitions.js';
import { ANONYMOUS_PRINCIPAL, type Occupancy } from '../../../layers/core/src/model/occupancy.js';
import { isSessionOpen } from '../../../layers/core/src/model/session.js';
import type { Connection, ConnectionsPort, RoomPartitionsPort } from '../../../layers/core/src/app/ports.js';

const key = (room: string, partition: Partition): string => `${room}#${partition.generation}.${partition.index}`;

export class MemoryRoomPartitions implements RoomPartitionsPort {
  private readonly generations = new Map<string, number>();
  readonly rows = new Map<string, Set<string>>();
  /** Each row's session end, as the real rows carry it. */
  readonly sessionEnds = new Map<string, number>();
  /** Each row's principal. */
  readonly principals = new Map<string, string>();

  constructor(
    readonly base: number,
    private readonly partitionRows: number,
    /** Rows a page holds (the real store's pages are 1 MB). */
    private readonly pageSize = 100,
  ) {}

  async shape(room: string): Promise<RoomShape> {
    return { base: this.base, generation: this.generations.get(room) ?? 0 };
  }

  async forEachSubscriberPage(room: string, partition: Partition, onPage: (connectionIds: string[]) => Promise<void>, openAt?: number): Promise<void> {
    const open = (id: string): boolean => openAt === undefined || isSessionOpen(this.sessionEnds.get(`${key(room, partition)}\n${id}`), openAt);
    const ids = [...(this.rows.get(key(room, partition)) ?? [])].filter(open).sort();
    for (let i = 0; i < ids.length; i += this.pageSize) await onPage(ids.slice(i, i + this.pageSize));
  }

  /** Write a row; a new one that fills the newest generation's partition opens the next generation. */
  async add(room: string, connectionId: string, partition: Partition, sessionEndsAt?: number, principal?: string): Promise<void> {
    this.endAt(room, connectionId, partition, sessionEndsAt);
    if (principal !== undefined) this.principals.set(`${key(room, partition)}\n${connectionId}`, principal);
    const rows = this.rows.get(key(room, partition)) ?? new Set<string>();
    const added = !rows.has(connectionId);
    this.rows.set(key(room, partition), rows.add(connectionId));
    if (!added) return;
    const grown = grownGeneration(await this.shape(room), partition, rows.size, this.partitionRows);
    if (grown !== undefined) this.generations.set(room, Math.max(grown, this.generations.get(room) ?? 0));
  }

  /** Set a row's session end (undefined: none). */
  endAt(room: string, connectionId: string, partition: Partition, sessionEndsAt: number | undefined): void {
    const rowKey = `${key(room, partition)}\n${connectionId}`;
    if (sessionEndsAt === undefined) this.sessionEnds.delete(rowKey);
    else this.sessionEnds.set(rowKey, sessionEndsAt);
  }

  /** Delete a row; whether there was one. */
  delete(room: string, connectionId: string, partition: Partition): boolean {
    this.sessionEnds.delete(`${key(room, partition)}\n${connectionId}`);
    this.principals.delete(`${key(room, partition)}\n${connectionId}`);
    return this.rows.get(key(room, partition))?.delete(connectionId) ?? false;
  }

  /** The room's rows and their distinct principals, counted from the rows themselves. */
  async occupancy(room: string): Promise<Occupancy> {
    const rowKeys = partitionsOf(await this.shape(room)).flatMap((partition) => [...(this.rows.get(key(room, partition)) ?? [])].map((id) => `${key(room, partition)}\n${id}`));
    // A connection without a token is a principal of its own (model/occupancy.ts).
    const principals = new Set(rowKeys.map((rowKey) => (this.principals.get(rowKey) === ANONYMOUS_PRINCIPAL ? rowKey : this.principals.get(rowKey))).filter((principal) => principal !== undefined));
    return { connections: rowKeys.length, principals: principals.size };
  }
}

export class MemoryConnections implements ConnectionsPort {
  private readonly connections = new Map<string, Connection>();
  readonly partitions: MemoryRoomPartitions;

  constructor(base = 4, partitionRows = 1000) {
    this.partitions = new MemoryRoomPartitions(base, partitionRows);
  }

  async put(connection: Omit<Connection, 'rooms' | 'generations'>): Promise<void> {
    this.connections.set(connection.connectionId, { ...connection, rooms: [], generations: {} });
  }

  async get(connectionId: string): Promise<Connection | undefined> {
    const connection = this.connections.get(connectionId);
    return connection && { ...connection, rooms: [...connection.rooms], generations: { ...connection.generations } };
  }

  async subscribe(connection: Connection, rooms: readonly string[], max: number): Promise<void> {
    const stored = this.connections.get(connection.connectionId);
    const added = rooms.filter((room) => !connection.rooms.includes(room));
    if (connection.rooms.length + added.length > max || (stored && stored.rooms.length + added.filter((room) => !stored.rooms.includes(room)).length > max)) {
      throw new RoomcastError('TOO_MANY_ROOMS', `a connection holds at most ${max} rooms`, { details: { limit: max } });
    }
    const generations = { ...connection.generations };
    for (const room of added) generations[room] = (await this.partitions.shape(room)).generation;
    if (stored) {
      for (const room of added) if (!stored.rooms.includes(room)) stored.rooms.push(room);
      Object.assign(stored.generations, Object.fromEntries(added.map((room) => [room, generations[room]!])));
    }
    for (const room of rooms) await this.partitions.add(room, connection.connectionId, this.partitionOf(connection.connectionId, generations[room] ?? 0), connection.sessionEndsAt, connection.principal);
  }

  async renew(connection: Connection, patterns: readonly string[], sessionEndsAt: number | undefined): Promise<void> {
    const stored = this.connections.get(connection.connectionId);
    if (!stored) throw new RoomcastError('CONNECTION_UNKNOWN', 'this connection is not known; reconnect');
    stored.patterns = [...patterns];
    if (sessionEndsAt === undefined) delete stored.sessionEndsAt;
    else stored.sessionEndsAt = sessionEndsAt;
    for (const room of connection.rooms.filter((item) => stored.rooms.includes(item))) {
      this.partitions.endAt(room, connection.connectionId, this.partitionOf(connection.connectionId, stored.generations[room] ?? 0), sessionEndsAt);
    }
  }

  async endedSessions(now: number, limit: number): Promise<string[]> {
    return [...this.connections.values()]
      .filter((connection) => connection.sessionEndsAt !== undefined && !isSessionOpen(connection.sessionEndsAt, now))
      .sort((a, b) => a.sessionEndsAt! - b.sessionEndsAt!)
      .slice(0, limit)
      .map((connection) => connection.connectionId);
  }

  async unsubscribe(connectionId: string, rooms: readonly string[]): Promise<void> {
    const connection = this.connections.get(connectionId);
    if (!connection) return;
    for (const room of rooms.filter((item) => connection.rooms.includes(item))) {
      this.partitions.delete(room, connectionId, this.partitionOf(connectionId, connection.generations[room] ?? 0));
      connection.rooms.splice(connection.rooms.indexOf(room), 1);
      delete connection.generations[room];
    }
  }

  async remove(connectionId: string, alsoRooms: readonly string[] = []): Promise<{ rooms: string[] }> {
    const connection = this.connections.get(connectionId);
    const held = connection?.rooms ?? [];
    for (const room of held) this.partitions.delete(room, connectionId, this.partitionOf(connectionId, connection!.generations[room] ?? 0));
    for (const room of alsoRooms.filter((item) => !held.includes(item))) {
      const { generation } = await this.partitions.shape(room);
      for (let candidate = 0; candidate <= generation; candidate += 1) this.partitions.delete(room, connectionId, this.partitionOf(connectionId, candidate));
    }
    this.connections.delete(connectionId);
    return { rooms: [...new Set([...held, ...alsoRooms])] };
  }

  occupancy(room: string): Promise<Occupancy> {
    return this.partitions.occupancy(room);
  }

  private partitionOf(connectionId: string, generation: number): Partition {
    return partitionOf(connectionId, this.partitions.base, generation);
  }
}
