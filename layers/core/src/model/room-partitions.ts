import { shardOf } from './fanout.js';

/**
 * Where a room's subscriptions live, without I/O. A room's rows spread over generations
 * of partition keys: generation g has `base * 4^g` partitions (`base`: DELIVERY_SHARDS),
 * up to 1,024. A subscriber joins the room's newest generation, at the partition its
 * connection id hashes to; the subscriber that fills one partition of the newest generation
 * to `partitionRows` opens the next one. Generations only ever grow, and a row stays where
 * it was written, so a reader that reads every partition of every generation up to the
 * newest one it knows of sees every row, however stale the writer's view was: growing
 * moves nothing, loses nothing and duplicates nothing.
 *
 * A room of 5 is one generation of `base` partitions; a room of 1,000,000 with the
 * defaults (4, 1,000 rows) spans generations 0-4: 1,364 partitions of at most ~1,000
 * rows, read by as many parallel Queries.
 */
export interface RoomShape {
  /** Partitions of generation 0 (DELIVERY_SHARDS). */
  base: number;
  /** The newest generation. */
  generation: number;
}

export const GROWTH_FACTOR = 4;
export const MAX_GENERATION_PARTITIONS = 1024;

/** Partitions of generation `generation`. */
export function generationPartitions(base: number, generation: number): number {
  return Math.min(base * GROWTH_FACTOR ** generation, Math.max(base, MAX_GENERATION_PARTITIONS));
}

/** The newest generation a room can open: the first that reaches MAX_GENERATION_PARTITIONS. */
export function lastGeneration(base: number): number {
  let generation = 0;
  while (base * GROWTH_FACTOR ** generation < MAX_GENERATION_PARTITIONS) generation += 1;
  return generation;
}

/** A partition of a room: its generation and its index inside it. */
export interface Partition {
  generation: number;
  index: number;
}

/** The partition a connection's row takes in generation `generation`. */
export function partitionOf(connectionId: string, base: number, generation: number): Partition {
  return { generation, index: shardOf(connectionId, generationPartitions(base, generation)) };
}

/** Every partition of a room of this shape, generation by generation: the order segments index. */
export function partitionsOf(shape: RoomShape): Partition[] {
  const partitions: Partition[] = [];
  for (let generation = 0; generation <= shape.generation; generation += 1) {
    const count = generationPartitions(shape.base, generation);
    for (let index = 0; index < count; index += 1) partitions.push({ generation, index });
  }
  return partitions;
}

/** How many partitions a room of this shape has. */
export function partitionCount(shape: RoomShape): number {
  let count = 0;
  for (let generation = 0; generation <= shape.generation; generation += 1) count += generationPartitions(shape.base, generation);
  return count;
}

/**
 * After a subscriber made partition `partition` hold `rows` rows: the generation the room
 * should grow to, or undefined. Only a row in the newest generation grows the room.
 */
export function grownGeneration(shape: RoomShape, partition: Partition, rows: number, partitionRows: number): number | undefined {
  if (partition.generation !== shape.generation || rows < partitionRows) return undefined;
  return shape.generation < lastGeneration(shape.base) ? shape.generation + 1 : undefined;
}

/**
 * Where `count` subscribers would sit if they joined one by one through `subscribe`: the
 * room's shape and each connection's partition. Benchmarks and tests seed big rooms with it.
 */
export function layoutOf(connectionIds: readonly string[], base: number, partitionRows: number): { shape: RoomShape; partitions: Partition[]; rows: Map<string, number> } {
  const shape: RoomShape = { base, generation: 0 };
  const rows = new Map<string, number>();
  const partitions = connectionIds.map((id) => {
    const partition = partitionOf(id, base, shape.generation);
    const key = `${partition.generation}.${partition.index}`;
    const count = (rows.get(key) ?? 0) + 1;
    rows.set(key, count);
    const grown = grownGeneration(shape, partition, count, partitionRows);
    if (grown !== undefined) shape.generation = grown;
    return partition;
  });
  return { shape, partitions, rows };
}
