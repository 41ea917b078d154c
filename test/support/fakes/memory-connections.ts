/**
 * ConnectionsPort in memory: connections, their rooms and the generation each room's
 * subscription row is in, and rooms' rows in partitions that grow as the real store's do
 * (model/room-partitions.ts: partitionOf, grownGeneration). Passes test/contracts/connections.contract.ts.
 */
import { RoomcastError } from '../../../layers/core/src/errors.js';
import { grownGeneration, partitionOf, type Partition, type RoomShape } from '../../../layers/core/src/model/room-partitions.js';
import type { Connection, ConnectionsPort, RoomPartitionsPort } from '../../../layers/core/src/app/ports.js';

const key = (room: string, partition: Partition): string => `${room}#${partition.generation}.${partition.index}`;

export class MemoryRoomPartitions implements RoomPartitionsPort {
  private readonly generations = new Map<string, number>();
  readonly rows = new Map<string, Set<string>>();

  constructor(
    readonly base: number,
    private readonly partitionRows: number,
    /** Rows a page holds (the real store's pages are 1 MB). */
    private readonly pageSize = 100,
  ) {}

  async shape(room: string): Promise<RoomShape> {
    return { base: this.base, generation: this.generations.get(room) ?? 0 };
  }

  async forEachSubscriberPage(room: string, partition: Partition, onPage: (connectionIds: string[]) => Promise<void>): Promise<void> {
    const ids = [...(this.rows.get(key(room, partition)) ?? [])].sort();
    for (let i = 0; i < ids.length; i += this.pageSize) await onPage(ids.slice(i, i + this.pageSize));
  }

  /** Write a row; a new one that fills the newest generation's partition opens the next generation. */
  async add(room: string, connectionId: string, partition: Partition): Promise<void> {
    const rows = this.rows.get(key(room, partition)) ?? new Set<string>();
    const added = !rows.has(connectionId);
    this.rows.set(key(room, partition), rows.add(connectionId));
    if (!added) return;
    const grown = grownGeneration(await this.shape(room), partition, rows.size, this.partitionRows);
    if (grown !== undefined) this.generations.set(room, Math.max(grown, this.generations.get(room) ?? 0));
  }

  /** Delete a row; whether there was one. */
  delete(room: string, connectionId: string, partition: Partition): boolean {
    return this.rows.get(key(room, partition))?.delete(connectionId) ?? false;
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
    for (const room of rooms) await this.partitions.add(room, connection.connectionId, this.partitionOf(connection.connectionId, generations[room] ?? 0));
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

  private partitionOf(connectionId: string, generation: number): Partition {
    return partitionOf(connectionId, this.partitions.base, generation);
  }
}
