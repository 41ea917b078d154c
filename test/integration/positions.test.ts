/**
 * Positions across regions against DynamoDB Local: each region's counter, messages of two
 * origins side by side, resuming a cursor origin by origin, and a snapshot's cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createApp, createAwsClients, decodePosition, encodePosition, loadConfig, type App } from '@roomcast/core';
import { startStack, type Stack } from '../support/stack.js';
import { fingerprintOf } from '../../layers/core/src/model/publish-fingerprint.js';
import { canTakeOver, type PublishRecord } from '../../layers/core/src/model/publish-ledger.js';
import { FRAME_READ_UNITS, ReadAllowance } from '../../layers/core/src/model/read-budget.js';

let stack: Stack;
let app: App;
const WINDOW = 3;

beforeAll(async () => {
  stack = await startStack();
  const config = loadConfig({ ...stack.functionEnv('subscribe'), HISTORY_LENGTH: String(WINDOW), SNAPSHOT_CACHE_MS: '0' });
  app = createApp(config, createAwsClients(config.region));
});
afterAll(() => stack?.stop());

/** Store message `seq` of `origin` at `clock` in `room`, as that region's publish would. */
async function put(room: string, origin: string, seq: number, clock: number): Promise<string> {
  const pos = encodePosition({ clock, origin, seq });
  await app.messages.put({ room, id: `${origin}/${seq}`, pos, ts: clock, origin, data: { origin, seq } }, Math.floor(Date.now() / 1000) + 3600);
  return pos;
}

const ids = (messages: readonly { id: string }[]) => messages.map((message) => message.id);

/** Publish's storing step: append the message at the region's next position, claiming `id` in the same transaction. */
async function append(room: string, origin: string, id: string, now: number) {
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const outcome = await app.messages.appendNew({ room, id, ts: now, origin, data: { id } }, `token-${id}`, expiresAt, false);
  if (outcome.kind !== 'stored') throw new Error(`${id} was not stored: ${outcome.kind}`);
  return outcome.message;
}

describe('appending at a region’s next position', () => {
  it('gives dense seqs with clocks that rise with them, even within one millisecond, and no holes', async () => {
    const given = await Promise.all(Array.from({ length: 30 }, (_, i) => append('count:1', 'eu-west-1', `m${i}`, 1000)));
    const bySeq = given.map((message) => decodePosition(message.pos)).sort((a, b) => a.seq - b.seq);
    expect(bySeq.map((position) => position.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (let i = 1; i < bySeq.length; i += 1) expect(bySeq[i]!.clock).toBeGreaterThan(bySeq[i - 1]!.clock);
    expect(bySeq[0]!.clock).toBeGreaterThanOrEqual(1000);
    const stored = await app.messages.latest('count:1', 100);
    expect(stored.map((message) => message.pos)).toEqual(given.map((message) => message.pos).sort());
  });

  it('never goes back when the clock does, and regions count apart', async () => {
    const first = await append('count:2', 'eu-west-1', 'a', 5000);
    const behind = await append('count:2', 'eu-west-1', 'b', 4000);
    const other = await append('count:2', 'us-east-1', 'c', 4000);
    expect(decodePosition(first.pos)).toEqual({ clock: 5000, origin: 'eu-west-1', seq: 1 });
    expect(decodePosition(behind.pos)).toEqual({ clock: 5001, origin: 'eu-west-1', seq: 2 });
    expect(decodePosition(other.pos)).toEqual({ clock: 4000, origin: 'us-east-1', seq: 1 });
    expect((await app.messages.origins('count:2')).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('writes nothing, not even the position, when the claim was taken over', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    await app.messages.claim('count:3', 'x', 'mine', 1, 0, expiresAt, fingerprintOf('count:3', 1));
    await app.messages.claim('count:3', 'x', 'theirs', 2, 2, expiresAt, fingerprintOf('count:3', 1));
    await expect(app.messages.appendClaimed({ room: 'count:3', id: 'x', ts: 10, origin: 'eu-west-1', data: 1 }, 'mine', expiresAt)).rejects.toMatchObject({ code: 'PUBLISH_IN_PROGRESS' });
    expect(await app.messages.latest('count:3', 10)).toEqual([]);
    expect(await app.messages.origins('count:3')).toEqual([]);
  });

  it('claims a new id in the same transaction, and writes nothing when the id already has a record', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const first = await app.messages.appendNew({ room: 'count:4', id: 'y', ts: 10, origin: 'eu-west-1', data: 1 }, 'mine', expiresAt, false);
    const again = await app.messages.appendNew({ room: 'count:4', id: 'y', ts: 11, origin: 'eu-west-1', data: 2 }, 'theirs', expiresAt, false);
    expect(again).toEqual({ kind: 'id-claimed' });
    if (first.kind !== 'stored') throw new Error('the first append must store');
    expect((await app.messages.latest('count:4', 10)).map((message) => message.pos)).toEqual([first.message.pos]);
    // The record is the first request's, positioned: a stale takeover finishes that position.
    const taken = await app.messages.claim('count:4', 'y', 'late', 100, 50, expiresAt, fingerprintOf('count:4', 1));
    expect(taken).toMatchObject({ won: true, record: { state: 'positioned', token: 'late', pos: first.message.pos, ts: 10 } });
  });
});

describe("the store's claim follows the ledger's rule", () => {
  // Every state a record can be in, claimed before or after the staleness line: the
  // store's conditional write must win exactly when model/publish-ledger.ts says so.
  const STALE_BEFORE = 1000;
  const cases = [
    ['none', 0],
    ['claimed', 500],
    ['claimed', 1500],
    ['positioned', 500],
    ['positioned', 1500],
    ['planned', 500],
    ['planned', 1500],
  ] as const;

  it.each(cases)('a record %s at %s', async (state, claimedAt) => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const room = `ledger:${state}:${claimedAt}`;
    const fingerprint = fingerprintOf(room, 1);
    let before: PublishRecord | undefined;
    if (state === 'claimed') {
      // A claim of an id with no record yet: what a retry makes when the first request left nothing.
      const first = await app.messages.claim(room, 'z', 'first', claimedAt, 0, expiresAt, fingerprint);
      expect(first).toMatchObject({ won: true, record: { state: 'claimed', claimedAt } });
      before = first.record;
    } else if (state !== 'none') {
      const outcome = await app.messages.appendNew({ room, id: 'z', ts: claimedAt, origin: 'eu-west-1', data: 1 }, 'first', expiresAt, false);
      if (outcome.kind !== 'stored') throw new Error('the first append must store');
      if (state === 'planned') await app.messages.markPlanned(room, 'z', 'first');
      before = { state, token: 'first', claimedAt, pos: outcome.message.pos, ts: claimedAt, fingerprint };
    }
    const claim = await app.messages.claim(room, 'z', 'second', 2000, STALE_BEFORE, expiresAt, fingerprint);
    expect(claim.won).toBe(canTakeOver(before, STALE_BEFORE, fingerprint));
  });
});

describe('two origins in one room', () => {
  const room = 'two:1';
  const a: string[] = [];
  const b: string[] = [];

  beforeAll(async () => {
    // eu-west-1 publishes 1..6, us-east-1 1..4, interleaved in time; same clock at 100 for both.
    for (const [seq, clock] of [[1, 100], [2, 120], [3, 140], [4, 160], [5, 180], [6, 200]] as const) a.push(await put(room, 'eu-west-1', seq, clock));
    for (const [seq, clock] of [[1, 100], [2, 130], [3, 150], [4, 155]] as const) b.push(await put(room, 'us-east-1', seq, clock));
    for (const [origin, seq] of [['eu-west-1', 6], ['us-east-1', 4]] as const) {
      const counter = { pk: { S: room }, sk: { S: `#seq#${origin}` }, seq: { N: String(seq) }, clock: { N: '200' } };
      await stack.clients.dynamo.send(new PutItemCommand({ TableName: stack.tables.MessagesTable!.name, Item: counter }));
    }
  });

  it('keeps both messages written at one clock: keys never collide', async () => {
    const latest = await app.messages.latest(room, 20);
    expect(latest).toHaveLength(10);
    expect(ids(latest.slice(0, 2)).sort()).toEqual(['eu-west-1/1', 'us-east-1/1']);
    expect(latest.map((message) => message.pos)).toEqual([...a, ...b].sort());
  });

  it('resumes each origin after its own position, from the table when the window does not reach', async () => {
    const resumed = await app.snapshots.since(room, `${a[1]},${b[0]}`, 20, new ReadAllowance(FRAME_READ_UNITS));
    expect(ids(resumed.messages)).toEqual(['us-east-1/2', 'eu-west-1/3', 'us-east-1/3', 'us-east-1/4', 'eu-west-1/4', 'eu-west-1/5', 'eu-west-1/6']);
    expect(resumed.complete).toBe(true);
  });

  it('cuts at the limit in position order and says there is more', async () => {
    const resumed = await app.snapshots.since(room, `${a[1]},${b[0]}`, 3, new ReadAllowance(FRAME_READ_UNITS));
    expect(ids(resumed.messages)).toEqual(['us-east-1/2', 'eu-west-1/3', 'us-east-1/3']);
    expect(resumed.complete).toBe(false);
    expect(resumed.next).toBe([a[2], b[2]].sort().join(','));
  });

  it('an origin the cursor does not name is resumed from its first message: its holder has heard nothing of it', async () => {
    const resumed = await app.snapshots.since(room, a[3]!, 20, new ReadAllowance(FRAME_READ_UNITS));
    expect(ids(resumed.messages)).toEqual(['us-east-1/1', 'us-east-1/2', 'us-east-1/3', 'us-east-1/4', 'eu-west-1/5', 'eu-west-1/6']);
    expect(resumed.complete).toBe(true);
  });

  it('a snapshot carries the room’s cursor: the latest of each origin, also one older than the window', async () => {
    const snapshot = await app.snapshots.latest(room, 2);
    expect(ids(snapshot.messages)).toEqual(['eu-west-1/5', 'eu-west-1/6']);
    expect(snapshot.cursor).toBe([b[3], a[5]].sort().join(','));
  });

  it('says incomplete when an origin’s next message is no longer kept', async () => {
    const room2 = 'gap:1';
    const first = await put(room2, 'us-east-1', 1, 10);
    await put(room2, 'us-east-1', 3, 30);
    const resumed = await app.snapshots.since(room2, first, 20, new ReadAllowance(FRAME_READ_UNITS));
    expect(ids(resumed.messages)).toEqual(['us-east-1/3']);
    expect(resumed.complete).toBe(false);
    expect(decodePosition(resumed.messages[0]!.pos).seq).toBe(3);
  });
});
