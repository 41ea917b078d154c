/** The one line a message becomes on stdout (tail and history print the same shape). */

export interface PrintedMessage {
  room: string;
  id: string;
  pos: string;
  ts: number;
  data: unknown;
}

export function messageLine({ room, id, pos, ts, data }: PrintedMessage): string {
  return JSON.stringify({ room, id, pos, ts, data });
}
