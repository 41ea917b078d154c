import type { RoomMessage } from '@roomcast/client/message';

/** The one line a message becomes on stdout (tail and history print the same shape). */
export function messageLine({ room, id, pos, ts, data }: RoomMessage): string {
  return JSON.stringify({ room, id, pos, ts, data });
}
