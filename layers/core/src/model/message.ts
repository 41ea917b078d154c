/** A message as stored in room history and delivered to subscribers. */
export interface StoredMessage {
  room: string;
  id: string;
  pos: string;
  /** Publish time, epoch milliseconds. */
  ts: number;
  /** The region that accepted the publish. */
  origin: string;
  data: unknown;
}
