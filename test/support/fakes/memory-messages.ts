import { RoomcastError } from '../../../layers/core/src/errors.js';
import type { StoredMessage } from '../../../layers/core/src/model/message.js';
import { decodePosition, encodePosition } from '../../../layers/core/src/model/positions.js';
import { fingerprintOf } from '../../../layers/core/src/model/publish-fingerprint.js';
import { canTakeOver, sameRequest, type ClaimResult, type PublishRecord } from '../../../layers/core/src/model/publish-ledger.js';
import type { AppendOutcome, IdConflict, MessagePage, MessagesPort } from '../../../layers/core/src/app/ports.js';
import { messageBytes, readUnitsOf } from '../../../layers/core/src/model/read-budget.js';

/** One room in memory: its messages by position, each origin's counter, and the publish records by id. */
interface Room {
  messages: Map<string, { message: StoredMessage; expiresAt: number }>;
  counters: Map<string, { seq: number; clock: number }>;
  records: Map<string, PublishRecord & { expiresAt: number }>;
}

/**
 * Rooms' messages and the publish ledger in memory, with the messages store's rules
 * (adapters/messages-store.ts): positions from model/positions.ts, dense seqs per
 * (room, origin) and a clock that never goes back (clock = max(ts, last clock + 1)), a
 * claim that wins exactly when the ledger's `canTakeOver` holds, and nothing written when
 * an append is refused. Each call is atomic (nothing awaits inside it). Nothing expires.
 */
export class MemoryMessages implements MessagesPort {
  private readonly rooms = new Map<string, Room>();
  /** The room each client id names. */
  private readonly idRooms = new Map<string, string>();

  async appendNew(message: Omit<StoredMessage, 'pos'>, token: string, expiresAt: number, reserveId: boolean): Promise<AppendOutcome> {
    const room = this.room(message.room);
    const named = this.idRooms.get(message.id);
    if (reserveId && named !== undefined && named !== message.room) return { kind: 'id-reused' };
    if (room.records.has(message.id)) return { kind: 'id-claimed' };
    const stored = this.store(room, message, expiresAt);
    const fingerprint = fingerprintOf(message.room, message.data);
    room.records.set(message.id, { state: 'positioned', token, claimedAt: message.ts, pos: stored.pos, ts: stored.ts, fingerprint, expiresAt });
    if (reserveId) this.idRooms.set(message.id, message.room);
    return { kind: 'stored', message: copy(stored) };
  }

  async appendClaimed(message: Omit<StoredMessage, 'pos'>, token: string, expiresAt: number): Promise<StoredMessage> {
    const room = this.room(message.room);
    const record = room.records.get(message.id);
    if (record?.token !== token) throw new RoomcastError('PUBLISH_IN_PROGRESS', `message ${message.id} was taken over by another request`);
    const stored = this.store(room, message, expiresAt);
    Object.assign(record, { state: 'positioned', pos: stored.pos, ts: stored.ts });
    return copy(stored);
  }

  async idConflict(room: string, id: string, fingerprint: string): Promise<IdConflict | undefined> {
    const named = this.idRooms.get(id);
    if (named !== undefined && named !== room) return 'another room';
    const record = this.rooms.get(room)?.records.get(id);
    if (record && !sameRequest(record, fingerprint)) return 'other data';
    return undefined;
  }

  async claim(room: string, id: string, token: string, now: number, staleBefore: number, expiresAt: number, fingerprint: string): Promise<ClaimResult> {
    const records = this.room(room).records;
    const record = records.get(id);
    if (!canTakeOver(record, staleBefore, fingerprint)) return { won: false, record: record && recordOf(record) };
    const claimed = { ...record, state: record?.state ?? 'claimed', token, claimedAt: now, expiresAt, fingerprint: record?.fingerprint ?? fingerprint };
    records.set(id, claimed);
    return { won: true, record: recordOf(claimed) };
  }

  async markPlanned(room: string, id: string, token: string): Promise<void> {
    this.held(room, id, token).state = 'planned';
  }

  async release(room: string, id: string, token: string): Promise<void> {
    this.held(room, id, token).claimedAt = 0;
  }

  async put(message: StoredMessage, expiresAt: number): Promise<'stored' | 'kept'> {
    decodePosition(message.pos);
    const messages = this.room(message.room).messages;
    if (messages.has(message.pos)) return 'kept';
    messages.set(message.pos, { message: copy(message), expiresAt });
    return 'stored';
  }

  async latest(room: string, limit: number): Promise<StoredMessage[]> {
    return (await this.latestPage(room, limit)).messages;
  }

  async latestPage(room: string, limit: number): Promise<MessagePage> {
    const page = pageOf(this.sorted(room).reverse(), limit);
    return { ...page, messages: page.messages.reverse() };
  }

  async afterOrigin(room: string, origin: string, seq: number, limit: number): Promise<MessagePage> {
    return pageOf(
      this.ofOrigin(room, origin)
        .filter((entry) => entry.seq > seq)
        .map((entry) => entry.message),
      limit,
    );
  }

  async latestOf(room: string, origin: string): Promise<StoredMessage | undefined> {
    const last = this.ofOrigin(room, origin).at(-1);
    return last && copy(last.message);
  }

  /** The origins that have appended to the room (a message only `put` counts no origin, as in the store). */
  async origins(room: string): Promise<string[]> {
    return [...this.room(room).counters.keys()].sort();
  }

  /** The record of an id as it stands, for tests (undefined when there is none). */
  record(room: string, id: string): PublishRecord | undefined {
    const record = this.rooms.get(room)?.records.get(id);
    return record && recordOf(record);
  }

  private store(room: Room, message: Omit<StoredMessage, 'pos'>, expiresAt: number): StoredMessage {
    const previous = room.counters.get(message.origin);
    const seq = (previous?.seq ?? 0) + 1;
    const clock = Math.max(message.ts, (previous?.clock ?? -1) + 1);
    const stored: StoredMessage = { ...copy(message), pos: encodePosition({ clock, origin: message.origin, seq }) };
    room.counters.set(message.origin, { seq, clock });
    room.messages.set(stored.pos, { message: stored, expiresAt });
    return stored;
  }

  /** The record of `id` when `token` holds it; refused as the store's conditional update is. */
  private held(room: string, id: string, token: string): PublishRecord {
    const record = this.rooms.get(room)?.records.get(id);
    if (record?.token !== token) throw new RoomcastError('PUBLISH_IN_PROGRESS', `message ${id} is not held by this request`);
    return record;
  }

  private sorted(room: string): StoredMessage[] {
    return [...this.room(room).messages.keys()].sort().map((pos) => this.room(room).messages.get(pos)!.message);
  }

  private ofOrigin(room: string, origin: string): Array<{ seq: number; message: StoredMessage }> {
    // Indexed as the store indexes a message: by its origin, at its position's seq.
    return this.sorted(room)
      .filter((message) => message.origin === origin)
      .map((message) => ({ seq: decodePosition(message.pos).seq, message }))
      .sort((a, b) => a.seq - b.seq);
  }

  private room(name: string): Room {
    let room = this.rooms.get(name);
    if (!room) {
      room = { messages: new Map(), counters: new Map(), records: new Map() };
      this.rooms.set(name, room);
    }
    return room;
  }
}

/** The most a DynamoDB Query reads in one page. */
const PAGE_BYTES = 1024 * 1024;

/**
 * One read of `ordered` as DynamoDB's Query makes it: at most `limit` items, ending after
 * the item that reaches 1 MB; read units by the items' sizes; `more` when items remain.
 */
function pageOf(ordered: readonly StoredMessage[], limit: number): MessagePage {
  const messages: StoredMessage[] = [];
  let bytes = 0;
  for (const message of ordered) {
    if (messages.length >= limit || bytes >= PAGE_BYTES) break;
    bytes += messageBytes(message);
    messages.push(copy(message));
  }
  return { messages, units: readUnitsOf(bytes), more: messages.length < ordered.length };
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

function recordOf({ state, token, claimedAt, pos, ts, fingerprint }: PublishRecord): PublishRecord {
  return { state, token, claimedAt, ...(pos !== undefined ? { pos } : {}), ...(ts !== undefined ? { ts } : {}), ...(fingerprint !== undefined ? { fingerprint } : {}) };
}
