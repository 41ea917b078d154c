/**
 * One message of a room, as roomcast hands it out: in a socket's `message` and `snapshot`
 * frames (the client SDK), in a history page (the publisher client), and as the line the
 * `roomcast` CLI prints. Declared once here; each reader takes it from the server's JSON
 * with `readMessage`.
 */
export interface RoomMessage<T = unknown> {
  room: string;
  id: string;
  /** Position inside the room: opaque, sorts in the room's order (publish order per origin region). */
  pos: string;
  /** Publish time, ms since the epoch. */
  ts: number;
  data: T;
}

/**
 * A message of `room` read from the server's JSON: undefined without a string `id` and
 * `pos`; a `ts` that is not a number reads as 0.
 */
export function readMessage(room: string, value: unknown): RoomMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { id, pos, ts, data } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof pos !== 'string') return undefined;
  return { room, id, pos, ts: typeof ts === 'number' ? ts : 0, data };
}
