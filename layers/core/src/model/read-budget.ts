import type { StoredMessage } from './message.js';

/**
 * What reading history may cost. DynamoDB bills a strongly consistent Query one read unit
 * per started 4 KiB of the items it read (at least one), and ends a page at 1 MB. A message's
 * item is at most 128 KiB (its `message` frame must fit in API Gateway's 128 KB), so a Query
 * of `n` messages reads at most `n` x MESSAGE_ITEM_UNITS: asking for no more messages than
 * the units left can pay for keeps every read inside its allowance, whatever the messages.
 */
export const READ_UNIT_BYTES = 4096;
/** The read units of the largest message item (128 KiB). */
export const MESSAGE_ITEM_UNITS = 32;
/**
 * The read units one subscribe frame (or one history request) may spend on history its
 * rooms' snapshot windows do not hold: 1 MiB, the most one DynamoDB page reads anyway.
 */
export const FRAME_READ_UNITS = 256;

/** Read units of a Query that read `bytes` of items. */
export function readUnitsOf(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
}

/**
 * A message's size as an item (its JSON, keys and attributes): what an in-memory store
 * counts where DynamoDB reports consumed capacity, and what the snapshot cache weighs.
 */
export function messageBytes(message: StoredMessage): number {
  return Buffer.byteLength(JSON.stringify(message)) + ITEM_OVERHEAD_BYTES;
}
/** The attributes a message's item has beyond its JSON (kind, seq, opos, expiresAt, names). */
const ITEM_OVERHEAD_BYTES = 100;

/** Read units a reader may still spend, taken page by page. */
export class ReadAllowance {
  private used = 0;

  constructor(readonly units: number) {}

  get spent(): number {
    return this.used;
  }

  get remaining(): number {
    return Math.max(0, this.units - this.used);
  }

  /** Messages the next Query may ask for (at most `wanted`): 0 when what is left cannot pay for one more message. */
  pageSize(wanted: number): number {
    return Math.max(0, Math.min(wanted, Math.floor(this.remaining / MESSAGE_ITEM_UNITS)));
  }

  spend(units: number): void {
    this.used += units;
  }
}
