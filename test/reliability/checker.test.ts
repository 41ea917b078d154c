import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, type Carried, type Handed, type Published, type SubscriberRecord } from '../../reliability/checker.js';

/** Room `r`: eu-west-1 publishes e1..e3 at t=10,20,30, us-east-1 publishes u1..u2 at t=15,25. */
const published: Published[] = [
  { room: 'r', id: 'e1', pos: '10.eu-west-1.1', origin: 'eu-west-1', sentAt: 10 },
  { room: 'r', id: 'u1', pos: '15.us-east-1.1', origin: 'us-east-1', sentAt: 15 },
  { room: 'r', id: 'e2', pos: '20.eu-west-1.2', origin: 'eu-west-1', sentAt: 20 },
  { room: 'r', id: 'u2', pos: '25.us-east-1.2', origin: 'us-east-1', sentAt: 25 },
  { room: 'r', id: 'e3', pos: '30.eu-west-1.3', origin: 'eu-west-1', sentAt: 30 },
  { room: 'other', id: 'o1', pos: '12.eu-west-1.1', origin: 'eu-west-1', sentAt: 12 },
];
const message = (id: string): Carried => {
  const found = published.find((m) => m.id === id)!;
  return { id: found.id, pos: found.pos };
};
/** The app got these ids in this order, each 100 ms after it was sent. */
const handed = (...ids: string[]): Handed[] => ids.map((id) => ({ ...message(id), at: published.find((m) => m.id === id)!.sentAt + 100 }));

function subscriber(got: Handed[], extra: Partial<SubscriberRecord> = {}): SubscriberRecord {
  return {
    name: 's',
    rooms: ['r'],
    joinedAt: 0,
    carried: new Map([['r', got.map(({ id, pos }) => ({ id, pos }))]]),
    handed: new Map([['r', got]]),
    outages: [],
    ...extra,
  };
}

const only = (record: SubscriberRecord, uncertain?: Set<string>) => check({ published, subscribers: [record], ...(uncertain ? { uncertain } : {}) });

describe('the delivery checker', () => {
  it('passes a subscriber that got every message of its rooms once, in order per origin', () => {
    // Origins interleave differently from history: that is not out of order.
    const { subscribers, totals } = only(subscriber(handed('u1', 'e1', 'e2', 'u2', 'e3')));
    expect(subscribers[0]).toMatchObject({ expected: 5, handed: 5, lost: 0, unexpected: 0, duplicatesCarried: 0, duplicatesHanded: 0, lateCarried: 0, outOfOrder: 0, maxLatencyMs: 100 });
    expect(totals).toMatchObject({ subscribers: 1, published: 6, carried: 5, expected: 5, lost: 0, outOfOrder: 0 });
  });

  it('detects a lost message, and only in the rooms a subscriber follows', () => {
    const { subscribers, totals } = only(subscriber(handed('e1', 'u1', 'u2', 'e3')));
    expect(subscribers[0]).toMatchObject({ expected: 5, handed: 4, lost: 1, lostMessages: ['r e2 20.eu-west-1.2'] });
    expect(totals.lost).toBe(1);
  });

  it('detects duplicates before the SDK and after it', () => {
    const got = handed('e1', 'u1', 'e2', 'u2', 'e3');
    const carried = [...got, got[1]!, got[1]!, got[4]!].map(({ id, pos }) => ({ id, pos }));
    const clean = only(subscriber(got, { carried: new Map([['r', carried]]) }));
    expect(clean.subscribers[0]).toMatchObject({ duplicatesCarried: 3, duplicatesHanded: 0, handed: 5 });
    const leaky = only(subscriber([...got, got[2]!]));
    expect(leaky.subscribers[0]).toMatchObject({ duplicatesHanded: 1, handed: 5, lost: 0 });
  });

  it('detects a message handed behind a later one of the same origin', () => {
    const { subscribers } = only(subscriber(handed('e1', 'e3', 'u1', 'e2', 'u2')));
    expect(subscribers[0]).toMatchObject({ outOfOrder: 1, lost: 0 });
    const carried = new Map([['r', handed('e2', 'e1', 'u1', 'e3', 'u2').map(({ id, pos }) => ({ id, pos }))]]);
    expect(only(subscriber(handed('e1', 'u1', 'e2', 'u2', 'e3'), { carried })).subscribers[0]).toMatchObject({ lateCarried: 1, outOfOrder: 0 });
  });

  it('detects messages never published there: made up, of another room, at another position', () => {
    const wrongPos = { id: 'e2', pos: '21.eu-west-1.2', at: 200 };
    const otherRoom = { ...message('o1'), at: 200 };
    const madeUp = { id: 'x', pos: '99.eu-west-1.9', at: 200 };
    const { subscribers } = only(subscriber([...handed('e1', 'u1', 'u2', 'e3'), wrongPos, otherRoom, madeUp]));
    expect(subscribers[0]).toMatchObject({ unexpected: 3, lost: 1 });
  });

  it('neither requires nor refuses a message whose publish had no answer', () => {
    const uncertain = new Set(['e3']);
    expect(only(subscriber(handed('e1', 'u1', 'e2', 'u2')), uncertain).subscribers[0]).toMatchObject({ expected: 4, lost: 0, unexpected: 0 });
    expect(only(subscriber(handed('e1', 'u1', 'e2', 'u2', 'e3')), uncertain).subscribers[0]).toMatchObject({ expected: 4, lost: 0, unexpected: 0 });
  });

  it('measures recovery from each lost connection to the next message the app got', () => {
    // Messages reach the app at 110, 115, 120, 125, 130.
    // The outage at 2, before the subscriber joined (at 5), is not counted.
    const record = subscriber(handed('e1', 'u1', 'e2', 'u2', 'e3'), { joinedAt: 5, outages: [2, 100, 112, 140] });
    const { subscribers, totals } = only(record);
    expect(subscribers[0]).toMatchObject({ outages: 3, recoveriesMs: [10, 3], unrecovered: 1 });
    expect(totals).toMatchObject({ outages: 3, unrecovered: 1, maxRecoveryMs: 10 });
  });

  it('counts latency only for messages sent after the subscriber joined', () => {
    const got = handed('e1', 'u1', 'e2', 'u2', 'e3');
    got[0] = { ...got[0]!, at: 5000 }; // e1 came in a snapshot, long after it was sent
    expect(only(subscriber(got, { joinedAt: 14 })).subscribers[0]!.maxLatencyMs).toBe(100);
    expect(only(subscriber(got, { joinedAt: 0 })).subscribers[0]!.maxLatencyMs).toBe(4990);
  });

  it('counts exactly what a random lossy, duplicating, reordering channel did', () => {
    const room = published.filter((m) => m.room === 'r');
    const arbitrary = fc.record({
      dropped: fc.subarray(room.map((m) => m.id)),
      repeats: fc.array(fc.nat(room.length - 1), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ dropped, repeats }) => {
        const kept = handed(...room.map((m) => m.id).filter((id) => !dropped.includes(id)));
        const carried = [...kept, ...repeats.filter((i) => i < kept.length).map((i) => kept[i]!)];
        const { subscribers } = only(subscriber(kept, { carried: new Map([['r', carried]]) }));
        expect(subscribers[0]).toMatchObject({ lost: dropped.length, handed: kept.length, duplicatesCarried: carried.length - kept.length, outOfOrder: 0 });
      }),
    );
  });
});
