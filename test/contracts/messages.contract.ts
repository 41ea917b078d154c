import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessagesPort } from '../../layers/core/src/app/ports.js';
import type { StoredMessage } from '../../layers/core/src/model/message.js';
import { decodePosition, encodePosition } from '../../layers/core/src/model/positions.js';
import { fingerprintOf } from '../../layers/core/src/model/publish-fingerprint.js';
import { LIMITS } from '../../layers/core/src/model/limits.js';
import { MESSAGE_ITEM_UNITS } from '../../layers/core/src/model/read-budget.js';
import { canTakeOver, type PublishRecord } from '../../layers/core/src/model/publish-ledger.js';

const EXPIRES = Math.floor(Date.now() / 1000) + 3600;
const EU = 'eu-west-1';
const US = 'us-east-1';

/** A room no other test uses (the real table is shared by the file's tests). */
const newRoom = (): string => `room-${randomUUID().slice(0, 8)}`;

const draft = (room: string, id: string, ts: number, origin = EU): Omit<StoredMessage, 'pos'> => ({ room, id, ts, origin, data: { id, nested: [1, 'two'] } });
/** The fingerprint of `draft(room, id, ...)`: its data depends on the id only. */
const fpOf = (room: string, id: string): string => fingerprintOf(room, draft(room, id, 0).data);

const at = (room: string, origin: string, seq: number, clock: number): StoredMessage => ({
  room,
  id: `${origin}/${seq}`,
  pos: encodePosition({ clock, origin, seq }),
  ts: clock,
  origin,
  data: { seq },
});

/** A record's state before the contested claim, and how it was made through the port. */
type Setup = 'none' | 'claimed' | 'positioned' | 'planned' | 'released';

/** When the first request claimed or appended (its record's claimedAt, except once released). */
const FIRST_AT = 1000;
/** When the contested claim is made. */
const NOW = 5000;

/** The claim's cases: `wins` is what the ledger says (checked against canTakeOver too). */
const CLAIMS: Array<{ setup: Setup; staleBefore: number; wins: boolean; why: string }> = [
  { setup: 'none', staleBefore: 0, wins: true, why: 'no record' },
  { setup: 'claimed', staleBefore: FIRST_AT, wins: false, why: 'a claim not yet stale (claimedAt = staleBefore)' },
  { setup: 'claimed', staleBefore: FIRST_AT + 1, wins: true, why: 'a stale claim' },
  { setup: 'positioned', staleBefore: FIRST_AT - 1, wins: false, why: 'a fresh positioned record' },
  { setup: 'positioned', staleBefore: FIRST_AT + 1, wins: true, why: 'a stale positioned record, keeping its position' },
  { setup: 'planned', staleBefore: FIRST_AT + 1, wins: false, why: 'a planned record, however old' },
  { setup: 'released', staleBefore: 1, wins: true, why: 'a released claim, at once' },
  { setup: 'released', staleBefore: 0, wins: false, why: 'a released claim, when nothing is stale' },
];

/**
 * MessagesPort: positions and the publish ledger's records, as the publish, history,
 * subscribe and stream use cases rely on them. `subject` gives the port; each test uses
 * rooms of its own.
 */
export function messagesContract(name: string, subject: () => Promise<MessagesPort>): void {
  describe(`MessagesPort: ${name}`, () => {
    /** The record that stands, read through a claim that cannot win (nothing is stale before 0). */
    async function recordOf(messages: MessagesPort, room: string, id: string): Promise<PublishRecord | undefined> {
      const seen = await messages.claim(room, id, 'observer', NOW, 0, EXPIRES, fpOf(room, id));
      expect(seen.won).toBe(false);
      return seen.record;
    }

    async function stored(messages: MessagesPort, message: Omit<StoredMessage, 'pos'>, token: string): Promise<StoredMessage> {
      const outcome = await messages.appendNew(message, token, EXPIRES, false);
      if (outcome.kind !== 'stored') throw new Error(`${message.id} was not stored`);
      return outcome.message;
    }

    describe('positions', () => {
      it('gives each origin dense seqs from 1, with clocks that rise with them within one millisecond', async () => {
        const messages = await subject();
        const room = newRoom();
        const given = await Promise.all(Array.from({ length: 20 }, (_, i) => stored(messages, draft(room, `m${i}`, 1000), `t${i}`)));
        const positions = given.map((message) => decodePosition(message.pos)).sort((a, b) => a.seq - b.seq);
        expect(positions.map((position) => position.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(positions.every((position) => position.origin === EU)).toBe(true);
        expect(positions[0]!.clock).toBe(1000);
        for (let i = 1; i < positions.length; i += 1) expect(positions[i]!.clock).toBeGreaterThan(positions[i - 1]!.clock);
        expect((await messages.latest(room, 100)).map((message) => message.pos)).toEqual(given.map((message) => message.pos).sort());
      });

      it('stores the message as given, at the position it answers', async () => {
        const messages = await subject();
        const room = newRoom();
        const message = await stored(messages, draft(room, 'a', 1234), 't');
        expect(message).toEqual({ ...draft(room, 'a', 1234), pos: encodePosition({ clock: 1234, origin: EU, seq: 1 }) });
        expect(await messages.latest(room, 10)).toEqual([message]);
      });

      it('never moves the clock back, and counts regions apart', async () => {
        const messages = await subject();
        const room = newRoom();
        const first = await stored(messages, draft(room, 'a', 5000), 'ta');
        const behind = await stored(messages, draft(room, 'b', 4000), 'tb');
        const other = await stored(messages, draft(room, 'c', 4000, US), 'tc');
        expect(decodePosition(first.pos)).toEqual({ clock: 5000, origin: EU, seq: 1 });
        expect(decodePosition(behind.pos)).toEqual({ clock: 5001, origin: EU, seq: 2 });
        expect(decodePosition(other.pos)).toEqual({ clock: 4000, origin: US, seq: 1 });
        expect((await messages.origins(room)).sort()).toEqual([EU, US]);
        expect(await messages.origins(newRoom())).toEqual([]);
      });
    });

    describe('the publish ledger', () => {
      it('answers id-claimed for an id that has a record, and writes nothing', async () => {
        const messages = await subject();
        const room = newRoom();
        const first = await stored(messages, draft(room, 'x', 10), 'mine');
        expect(await messages.appendNew(draft(room, 'x', 20), 'theirs', EXPIRES, false)).toEqual({ kind: 'id-claimed' });
        expect(await messages.latest(room, 10)).toEqual([first]);
        expect(await recordOf(messages, room, 'x')).toEqual({ state: 'positioned', token: 'mine', claimedAt: 10, pos: first.pos, ts: 10, fingerprint: fpOf(room, 'x') });
        // The counter did not move either: the next message takes seq 2.
        expect(decodePosition((await stored(messages, draft(room, 'y', 30), 't')).pos).seq).toBe(2);
      });

      it('answers id-claimed for an id only claimed, and writes nothing', async () => {
        const messages = await subject();
        const room = newRoom();
        await messages.claim(room, 'x', 'mine', 10, 0, EXPIRES, fpOf(room, 'x'));
        expect(await messages.appendNew(draft(room, 'x', 20), 'theirs', EXPIRES, false)).toEqual({ kind: 'id-claimed' });
        expect(await messages.latest(room, 10)).toEqual([]);
        expect(await messages.origins(room)).toEqual([]);
      });

      for (const { setup, staleBefore, wins, why } of CLAIMS) {
        it(`a claim ${wins ? 'wins' : 'loses'} over ${why}`, async () => {
          const messages = await subject();
          const room = newRoom();
          if (setup === 'claimed') await messages.claim(room, 'x', 'first', FIRST_AT, 0, EXPIRES, fpOf(room, 'x'));
          if (setup !== 'none' && setup !== 'claimed') await stored(messages, draft(room, 'x', FIRST_AT), 'first');
          if (setup === 'planned') await messages.markPlanned(room, 'x', 'first');
          if (setup === 'released') await messages.release(room, 'x', 'first');
          const before = setup === 'none' ? undefined : await recordOf(messages, room, 'x');
          expect(canTakeOver(before, staleBefore, fpOf(room, 'x'))).toBe(wins);

          const result = await messages.claim(room, 'x', 'second', NOW, staleBefore, EXPIRES, fpOf(room, 'x'));
          expect(result.won).toBe(wins);
          const expected = wins ? { ...before, state: before?.state ?? 'claimed', token: 'second', claimedAt: NOW, fingerprint: fpOf(room, 'x') } : before;
          expect(result.record).toEqual(expected);
          if (expected) expect(await recordOf(messages, room, 'x')).toEqual(expected);
        });
      }

      it('keeps the state a record was in when a claim takes it over', async () => {
        const messages = await subject();
        const room = newRoom();
        const first = await stored(messages, draft(room, 'x', FIRST_AT), 'first');
        const taken = await messages.claim(room, 'x', 'second', NOW, NOW, EXPIRES, fpOf(room, 'x'));
        expect(taken).toEqual({ won: true, record: { state: 'positioned', token: 'second', claimedAt: NOW, pos: first.pos, ts: FIRST_AT, fingerprint: fpOf(room, 'x') } });
      });

      it('stores under a claim at the next position, and positions the record', async () => {
        const messages = await subject();
        const room = newRoom();
        await messages.claim(room, 'x', 'mine', 10, 0, EXPIRES, fpOf(room, 'x'));
        const message = await messages.appendClaimed(draft(room, 'x', 20), 'mine', EXPIRES);
        expect(decodePosition(message.pos)).toEqual({ clock: 20, origin: EU, seq: 1 });
        expect(await messages.latest(room, 10)).toEqual([message]);
        expect(await recordOf(messages, room, 'x')).toEqual({ state: 'positioned', token: 'mine', claimedAt: 10, pos: message.pos, ts: 20, fingerprint: fpOf(room, 'x') });
      });

      it('refuses appendClaimed with PUBLISH_IN_PROGRESS after a takeover, and writes nothing', async () => {
        const messages = await subject();
        const room = newRoom();
        await messages.claim(room, 'x', 'mine', 1, 0, EXPIRES, fpOf(room, 'x'));
        await messages.claim(room, 'x', 'theirs', 2, 2, EXPIRES, fpOf(room, 'x'));
        await expect(messages.appendClaimed(draft(room, 'x', 10), 'mine', EXPIRES)).rejects.toMatchObject({ code: 'PUBLISH_IN_PROGRESS' });
        expect(await messages.latest(room, 10)).toEqual([]);
        expect(await messages.origins(room)).toEqual([]);
        expect(await recordOf(messages, room, 'x')).toEqual({ state: 'claimed', token: 'theirs', claimedAt: 2, fingerprint: fpOf(room, 'x') });
        // The holder then stores at seq 1: the refused append took no position.
        expect(decodePosition((await messages.appendClaimed(draft(room, 'x', 11), 'theirs', EXPIRES)).pos).seq).toBe(1);
      });

      it('marks planned and releases only under the holder’s token', async () => {
        const messages = await subject();
        const room = newRoom();
        const first = await stored(messages, draft(room, 'x', FIRST_AT), 'mine');
        await messages.claim(room, 'x', 'theirs', NOW, NOW, EXPIRES, fpOf(room, 'x'));
        await expect(messages.markPlanned(room, 'x', 'mine')).rejects.toMatchObject({ code: 'PUBLISH_IN_PROGRESS' });
        await expect(messages.release(room, 'x', 'mine')).rejects.toMatchObject({ code: 'PUBLISH_IN_PROGRESS' });
        const theirs = { state: 'positioned', token: 'theirs', claimedAt: NOW, pos: first.pos, ts: FIRST_AT, fingerprint: fpOf(room, 'x') };
        expect(await recordOf(messages, room, 'x')).toEqual(theirs);
        await messages.markPlanned(room, 'x', 'theirs');
        expect(await recordOf(messages, room, 'x')).toEqual({ ...theirs, state: 'planned' });
      });

      it('answers id-reused for a client id that names a message of another room, and writes nothing', async () => {
        const messages = await subject();
        const [room, other] = [newRoom(), newRoom()];
        const id = `client-${randomUUID()}`;
        const first = await messages.appendNew(draft(room, id, 10), 'mine', EXPIRES, true);
        expect(first.kind).toBe('stored');
        expect(await messages.appendNew(draft(other, id, 20), 'theirs', EXPIRES, true)).toEqual({ kind: 'id-reused' });
        expect(await messages.latest(other, 10)).toEqual([]);
        expect(await messages.origins(other)).toEqual([]);
        // In its own room, the same id is an id with a record, as before.
        expect(await messages.appendNew(draft(room, id, 30), 'again', EXPIRES, true)).toEqual({ kind: 'id-claimed' });
      });

      it('tells, without changing anything, whether a client id names a message of another room or other data', async () => {
        const messages = await subject();
        const [room, other] = [newRoom(), newRoom()];
        const id = `client-${randomUUID()}`;
        expect(await messages.idConflict(room, id, fpOf(room, id))).toBeUndefined();
        await messages.appendNew(draft(room, id, 10), 'mine', EXPIRES, true);
        expect(await messages.idConflict(room, id, fpOf(room, id))).toBeUndefined();
        expect(await messages.idConflict(room, id, 'another-room-or-data')).toBe('other data');
        expect(await messages.idConflict(other, id, fpOf(other, id))).toBe('another room');
        expect(await messages.latest(other, 10)).toEqual([]);
      });

      it('never lets a claim with another fingerprint take over a record, however stale', async () => {
        const messages = await subject();
        const room = newRoom();
        await stored(messages, draft(room, 'x', FIRST_AT), 'first');
        const before = await recordOf(messages, room, 'x');
        const result = await messages.claim(room, 'x', 'second', NOW, NOW, EXPIRES, 'another-room-or-data');
        expect(result).toEqual({ won: false, record: before });
        expect(await recordOf(messages, room, 'x')).toEqual(before);
      });

      it('never rewrites a stored message: a second put at its position keeps the first', async () => {
        const messages = await subject();
        const room = newRoom();
        const first = at(room, EU, 1, 100);
        expect(await messages.put(first, EXPIRES)).toBe('stored');
        expect(await messages.put({ ...first, data: { rewritten: true } }, EXPIRES)).toBe('kept');
        expect(await messages.latest(room, 10)).toEqual([first]);
      });
    });

    describe('reading history', () => {
      it('answers the latest messages, oldest first, at most `limit`, of that room only', async () => {
        const messages = await subject();
        const room = newRoom();
        const all = [at(room, EU, 1, 100), at(room, US, 1, 150), at(room, EU, 2, 200), at(room, US, 2, 250), at(room, EU, 3, 300)];
        for (const message of [all[3]!, all[0]!, all[4]!, all[2]!, all[1]!]) await messages.put(message, EXPIRES);
        await messages.put(at(newRoom(), EU, 4, 400), EXPIRES);
        expect(await messages.latest(room, 3)).toEqual(all.slice(2));
        expect(await messages.latest(room, 100)).toEqual(all);
        expect(await messages.latest(newRoom(), 10)).toEqual([]);
      });

      it('reads one origin after a seq, in seq order, at most `limit`, and its latest message', async () => {
        const messages = await subject();
        const room = newRoom();
        for (let seq = 1; seq <= 5; seq += 1) await stored(messages, draft(room, `eu${seq}`, 1000 + 10 * seq), `te${seq}`);
        for (let seq = 1; seq <= 2; seq += 1) await stored(messages, draft(room, `us${seq}`, 1000 + seq, US), `tu${seq}`);
        const ids = (list: readonly StoredMessage[]) => list.map((message) => message.id);
        const after = async (origin: string, seq: number, limit: number) => (await messages.afterOrigin(room, origin, seq, limit)).messages;
        expect(ids(await after(EU, 2, 2))).toEqual(['eu3', 'eu4']);
        expect(ids(await after(EU, 0, 100))).toEqual(['eu1', 'eu2', 'eu3', 'eu4', 'eu5']);
        expect(ids(await after(US, 0, 100))).toEqual(['us1', 'us2']);
        expect(await after(EU, 5, 10)).toEqual([]);
        expect((await messages.latestOf(room, EU))?.id).toBe('eu5');
        expect((await messages.latestOf(room, US))?.id).toBe('us2');
        expect(await messages.latestOf(room, 'ap-south-1')).toBeUndefined();
        expect((await messages.origins(room)).sort()).toEqual([EU, US]);
      });

      it('answers each read as one page: its read units, and whether more messages follow it', async () => {
        const messages = await subject();
        const room = newRoom();
        for (let seq = 1; seq <= 5; seq += 1) await messages.put(at(room, EU, seq, 100 * seq), EXPIRES);
        const first = await messages.afterOrigin(room, EU, 0, 2);
        expect(first).toMatchObject({ more: true, messages: [{ id: `${EU}/1` }, { id: `${EU}/2` }] });
        expect(first.units).toBeGreaterThanOrEqual(1);
        const rest = await messages.afterOrigin(room, EU, 2, 10);
        expect(rest.messages.map((message) => message.id)).toEqual([`${EU}/3`, `${EU}/4`, `${EU}/5`]);
        expect(rest.more).toBe(false);
        // An origin the room never had finds nothing.
        expect(await messages.afterOrigin(room, 'ap-south-1', 0, 10)).toEqual({ messages: [], units: expect.any(Number), more: false });
        const latest = await messages.latestPage(room, 3);
        expect(latest.messages.map((message) => message.id)).toEqual([`${EU}/3`, `${EU}/4`, `${EU}/5`]);
        expect(latest.more).toBe(true);
        expect((await messages.latestPage(room, 10)).more).toBe(false);
      });

      it('reads a message of the largest size for at most MESSAGE_ITEM_UNITS, and stops a page at 1 MB', async () => {
        const messages = await subject();
        const room = newRoom();
        // The largest `data` a publish accepts: its message frame fills 128 KB less the slack.
        const frameless = JSON.stringify({ type: 'message', room, id: `${EU}/1`, pos: at(room, EU, 1, 100).pos, ts: 100, data: '' }).length;
        const data = 'x'.repeat(LIMITS.messageBytes - LIMITS.frameSlack - frameless);
        for (let seq = 1; seq <= 10; seq += 1) await messages.put({ ...at(room, EU, seq, 100 * seq), data }, EXPIRES);
        const one = await messages.afterOrigin(room, EU, 0, 1);
        expect(one.messages).toHaveLength(1);
        expect(one.units).toBeLessThanOrEqual(MESSAGE_ITEM_UNITS);
        const eight = await messages.afterOrigin(room, EU, 0, 8);
        expect(eight.units).toBeLessThanOrEqual(8 * MESSAGE_ITEM_UNITS);
        // Ten such messages are more than a page: the read stops early and says so.
        const all = await messages.afterOrigin(room, EU, 0, 10);
        expect(all.messages.length).toBeLessThan(10);
        expect(all.more).toBe(true);
        expect((await messages.latestPage(room, 10)).more).toBe(true);
      });

      it('keeps one message when the same position is put twice', async () => {
        const messages = await subject();
        const room = newRoom();
        const message = at(room, EU, 1, 100);
        await messages.put(message, EXPIRES);
        await messages.put(message, EXPIRES);
        expect(await messages.latest(room, 10)).toEqual([message]);
        expect((await messages.afterOrigin(room, EU, 0, 10)).messages).toEqual([message]);
      });
    });
  });
}
