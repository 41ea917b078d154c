import { RoomcastError } from '../errors.js';

/** What every queued piece of a message's fan-out carries: the message and its frame. */
export interface QueuedMessage {
  v: 1;
  room: string;
  id: string;
  pos: string;
  /** Publish time of the message, epoch ms. */
  ts: number;
  /** The exact text frame to post. */
  frame: string;
}

/** Parse an SQS body that `isShape` accepts; anything else is a poison message (INVALID_FRAME). */
export function decodeBody<T extends QueuedMessage>(body: string, what: string, isShape: (value: Partial<T>) => boolean): T {
  let value: Partial<T>;
  try {
    value = JSON.parse(body) as Partial<T>;
  } catch (cause) {
    throw new RoomcastError('INVALID_FRAME', `${what} is not JSON`, { cause });
  }
  const valid =
    value !== null &&
    typeof value === 'object' &&
    value.v === 1 &&
    typeof value.room === 'string' &&
    typeof value.id === 'string' &&
    typeof value.pos === 'string' &&
    typeof value.ts === 'number' &&
    typeof value.frame === 'string' &&
    isShape(value);
  if (!valid) throw new RoomcastError('INVALID_FRAME', `${what} has the wrong shape`);
  return value as T;
}
