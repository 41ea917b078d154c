/**
 * The held connections of a load scenario: opened a few at a time, each subscribed to two
 * rooms, checked for every message of their rooms, then closed normally a few at a time,
 * each batch once the one before has had its `$disconnect` (a burst of closes would queue
 * `$disconnect` invocations past the local runtime's wait for a free slot, and those
 * throttled would leave stale rows, as they would on AWS).
 */
import { LoadSocket } from './load-socket.js';
import { settle } from './settle.js';

export interface HeldSocket {
  socket: LoadSocket;
  rooms: string[];
}

export interface DeliveryCount {
  expected: number;
  received: number;
  missing: number;
  duplicates: number;
  /** Held connections that missed at least one message. */
  connectionsMissing: number;
}

/** The rooms of held connection `k`: two neighbours among `rooms` (one when there is one room). */
export function roomsOfHeld(k: number, rooms: string[]): string[] {
  return [...new Set([rooms[k % rooms.length]!, rooms[(k + 1) % rooms.length]!])];
}

/** Opens `count` sockets, `concurrency` at a time; a failed open or subscribe is tried again, up to 3 times. */
export async function openHeld(wsUrl: string, token: string, tag: string, count: number, rooms: string[], concurrency: number): Promise<{ held: HeldSocket[]; retries: number }> {
  const held: HeldSocket[] = [];
  let retries = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const k = next++;
      const subscribed = roomsOfHeld(k, rooms);
      for (let attempt = 1; ; attempt += 1) {
        let socket: LoadSocket | undefined;
        try {
          socket = await LoadSocket.open(wsUrl, token, `${tag}-held-${k}`);
          await socket.subscribe(subscribed);
          held.push({ socket, rooms: subscribed });
          break;
        } catch (error) {
          await socket?.close();
          if (attempt >= 3) throw new Error(`held connection ${k} could not open and subscribe: ${String(error)}`);
          retries += 1;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { held, retries };
}

/** What the held sockets got of the messages published to their rooms. */
export function countDeliveries(held: HeldSocket[], published: Map<string, string[]>): DeliveryCount {
  const count: DeliveryCount = { expected: 0, received: 0, missing: 0, duplicates: 0, connectionsMissing: 0 };
  for (const { socket, rooms } of held) {
    let missing = 0;
    for (const room of rooms) {
      for (const id of published.get(room) ?? []) {
        count.expected += 1;
        if (socket.received.has(id)) count.received += 1;
        else missing += 1;
      }
    }
    count.missing += missing;
    count.duplicates += socket.duplicates;
    if (missing > 0) count.connectionsMissing += 1;
  }
  return count;
}

/**
 * Closes `batchSize` at a time. `disconnects()` counts the `$disconnect` invocations that
 * ran; after each batch it waits for as many more as the batch closed, as long as the
 * count moves (a lost one costs `stallMs` once).
 */
export async function closeHeld(held: HeldSocket[], batchSize: number, disconnects: () => number, stallMs: number): Promise<void> {
  for (let i = 0; i < held.length; i += batchSize) {
    const batch = held.slice(i, i + batchSize);
    const target = disconnects() + batch.length;
    await Promise.all(batch.map(({ socket }) => socket.close()));
    await settle(() => disconnects() >= target, disconnects, stallMs);
  }
}
