import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessagesPort } from '../../layers/core/src/app/ports.js';
import type { StoredMessage } from '../../layers/core/src/model/message.js';
import { decodePosition, encodePosition } from '../../layers/core/src/model/positions.js';
import { canTakeOver, type PublishRecord } from '../../layers/core/src/model/publish-ledger.js';

const EXPIRES = Math.floor(Date.now() / 1000) + 3600;
const EU = 'eu-west-1';
const US = 'us-east-1';

/** A room no other test uses (the real table is shared by the file's tests). */
const newRoom = (): string => `room-${randomUUID().slice(0, 8)}`;

const draft = (room: string, id: string, ts: number, origin = EU): Omit<StoredMessage, 'pos'> => ({ room, id, ts, origin, data: { id, nested: [1, 'two'] } });

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
      const seen = await messages.claim(room, id, 'observer', NOW, 0, EXPIRES);
      expect(seen.won).toBe(false);
      return seen.record;
    }

    async function stored(messages: MessagesPort, message: Omit<StoredMessage, 'pos'>, token: string): Promise<StoredMessage> {
      const outcome = await messages.appendNew(message, token, EXPIRES);
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
        expect(await messages.appendNew(draft(room, 'x', 20), 'theirs', EXPIRES)).toEqual({ kind: 'id-claimed' });
        expect(await messages.latest(room, 10)).toEqual([first]);
        expect(await recordOf(messages, room, 'x')).toEqual({ state: 'positioned', token: 'mine', claimedAt: 10, pos: first.pos, ts: 10 });
        // The counter did not move either: the next message takes seq 2.
        expect(decodePosition((await stored(messages, draft(room, 'y', 30), 't')).pos).seq).toBe(2);
      });

      it('answers id-claimed for an id only claimed, and writes nothing', async () => {
        const messages = await subject();
        const room = newRoom();
        await messages.claim(room, 'x', 'mine', 10, 0, EXPIRES);
        expect(await messages.appendNew(draft(room, 'x', 20), 'theirs', EXPIRES)).toEqual({ kind: 'id-claimed' });
        expect(await messages.latest(room, 10)).toEqual([]);
        expect(await messages.origins(room)).toEqual([]);
      });

      for (const { setup, staleBefore, wins, why } of CLAIMS) {
        it(`a claim ${wins ? 'wins' : 'loses'} over ${why}`, async () => {
          const messages = await subject();
          const room = newRoom();
          if (setup === 'claimed') await messages.claim(room, 'x', 'first', FIRST_AT, 0, EXPIRES);
          if (setup !== 'none' && setup !== 'claimed') await stored(messages, draft(room, 'x', FIRST_AT), 'first');
          if (setup === 'planned') await messages.markPlanned(room, 'x', 'first');
          if (setup === 'released') await messages.release(room, 'x', 'first');
          const before = setup === 'none' ? undefined : await recordOf(messages, room, 'x');
          expect(canTakeOver(before, staleBefore)).toBe(wins);

          const result = await messages.claim(room, 'x', 'second', NOW, staleBefore, EXPIRES);
          expect(result.won).toBe(wins);
          const expected = wins ? { ...before, state: before?.state ?? 'claimed', token: 'second', claimedAt: NOW } : before;
          expect(result.record).toEqual(expected);
          if (expected) expect(await recordOf(messages, room, 'x')).toEqual(expected);
        });
      }

      it('keeps the state a record was in when a claim takes it over', async () => {
        const messages = await subject();
        const room = newRoom();
        const first = await stored(messages, draft(room, 'x', FIRST_AT), 'first');
        const taken = await messages.claim(room, 'x', 'second', NOW, NOW, EXPIRES);
        expect(taken).toEqual({ won: true, record: { state: 'positioned', token: 'second', claimedAt: NOW, pos: first.pos, ts: FIRST_AT } });
      });

      it('stores under a claim at the next position, and positions the record', async () => {
        const messages = await subject();
        const room = newRoom();
        await messages.claim(room, 'x', 'mine', 10, 0, EXPIRES);
        const message = await messages.appendClaimed(draft(room, 'x', 20), 'mine', EXPIRES);
        expect(decodePosition(message.pos)).toEqual({ clock: 20, origin: EU, seq: 1 });
        expect(await messages.latest(room, 10)).toEqual([message]);
        expect(await recordOf(messages, room, 'x')).toEqual({ state: 'positioned', token: 'mine', claimedAt: 10, pos: message.pos, ts: 20 });
      });

      it('refuses appendClaimed with PUBLISH_IN_PROGRESS after a takeover, and writes nothing', async () => {
        const messages = await subject();
        const room = newRoom();
        await messages.claim(room, 'x', 'mine', 1, 0, EXPIRES);
        await messages.claim(room, 'x', 'theirs', 2, 2, EXPIRES);
        await expect(messages.appendClaimed(draft(room, 'x', 10), 'mine', EXPIRES)).rejects.toMatchObject({ code: 'PUBLISH_IN_PROGRESS' });
        expect(await messages.latest(room, 10)).toEqual([]);
        expect(await messages.origins(room)).toEqual([]);
        expect(await recordOf(messages, room, 'x')).toEqual({ state: 'claimed', token: 'theirs', claimedAt: 2 });
        // The holder then stores at seq 1: the refused append took no position.
        expect(decodePosition((await messages.appendClaimed(draft(room, 'x', 11), 'theirs', EXPIRES)).pos).seq).toBe(1);
      });

      it('marks planned and releases only under the holder’s token', async () => {
        const messages = await subject();
        const room = newRoom();
        const first = await stored(messages, draft(room, 'x', FIRST_AT), 'mine');
        await messages.claim(room, 'x', 'theirs', NOW, NOW, EXPIRES);
        await expect(messages.markPlanned(room, 'x', 'mine')).rejects.toMatchObject({ code: 'PUBLISH_IN_PROGRESS' });
        await expect(messages.release(room, 'x', 'mine')).rejects.toMatchObject({ code: 'PUBLISH_IN_PROGRESS' });
        const theirs = { state: 'positioned', token: 'theirs', claimedAt: NOW, pos: first.pos, ts: FIRST_AT };
        expect(await recordOf(messages, room, 'x')).toEqual(theirs);
        await messages.markPlanned(room, 'x', 'theirs');
        expect(await recordOf(messages, room, 'x')).toEqual({ ...theirs, state: 'planned' });
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
        expect(ids(await messages.afterOrigin(room, EU, 2, 2))).toEqual(['eu3', 'eu4']);
        expect(ids(await messages.afterOrigin(room, EU, 0, 100))).toEqual(['eu1', 'eu2', 'eu3', 'eu4', 'eu5']);
        expect(ids(await messages.afterOrigin(room, US, 0, 100))).toEqual(['us1', 'us2']);
        expect(await messages.afterOrigin(room, EU, 5, 10)).toEqual([]);
        expect((await messages.latestOf(room, EU))?.id).toBe('eu5');
        expect((await messages.latestOf(room, US))?.id).toBe('us2');
        expect(await messages.latestOf(room, 'ap-south-1')).toBeUndefined();
        expect((await messages.origins(room)).sort()).toEqual([EU, US]);
      });

      it('keeps one message when the same position is put twice', async () => {
        const messages = await subject();
        const room = newRoom();
        const message = at(room, EU, 1, 100);
        await messages.put(message, EXPIRES);
        await messages.put(message, EXPIRES);
        expect(await messages.latest(room, 10)).toEqual([message]);
        expect(await messages.afterOrigin(room, EU, 0, 10)).toEqual([message]);
      });
    });
  });
}
