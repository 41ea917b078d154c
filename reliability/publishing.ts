/**
 * Publishing at a steady rate with the publisher client, the rooms in turn, each message
 * with its own idempotency id; it remembers which ids each room got (202 answered).
 */
import type { Publisher } from '@roomcast/client/publisher';

export interface Publishing {
  /** Stops publishing, waits for the calls in flight, and answers what was published. */
  stop(): Promise<PublishedMessages>;
}

export interface PublishedMessages {
  /** Ids of the messages published (accepted) per room. */
  byRoom: Map<string, string[]>;
  count: number;
  failures: number;
  firstFailure?: string;
}

/** `tag` makes the ids unique to this run (the API drops an id it has already seen). */
export function startPublishing(publisher: Publisher, rooms: string[], perSecond: number, tag: string): Publishing {
  const out: PublishedMessages = { byRoom: new Map(rooms.map((room) => [room, []])), count: 0, failures: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let sent = 0;
  const publishOne = (seq: number): void => {
    const room = rooms[seq % rooms.length]!;
    const id = `${tag}-${seq}`;
    const call = publisher
      .publish(room, { seq }, { id })
      .then(() => {
        out.byRoom.get(room)!.push(id);
        out.count += 1;
      })
      .catch((error: unknown) => {
        out.failures += 1;
        out.firstFailure ??= String(error);
      })
      .finally(() => inFlight.delete(call));
    inFlight.add(call);
  };
  // Catches up with the rate after a slow tick, so the rate holds on average.
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * perSecond);
    while (sent < due) publishOne(sent++);
  }, 20);
  return {
    async stop() {
      clearInterval(timer);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      return out;
    },
  };
}
