/** publishOne and publishBatch (app/publish.ts) on the in-memory ports: the publish ledger as the use case walks it. */
import { describe, expect, it } from 'vitest';
import { publishBatch, publishOne } from '../../layers/core/src/app/publish.js';
import { decodePosition, encodePosition } from '../../layers/core/src/model/positions.js';
import type { DeliveryJob } from '../../layers/core/src/model/delivery-job.js';
import { fakeApp, type FakeWorld } from '../support/fake-app.js';
import { fingerprintOf } from '../../layers/core/src/model/publish-fingerprint.js';

const CLAIM_MS = 30_000;
const EXPIRES = 2_000_000_000;

function world(): FakeWorld {
  const made = fakeApp({ PUBLISH_CLAIM_MS: String(CLAIM_MS) });
  made.subscribers.set('lobby', ['c1', 'c2', 'c3']);
  return made;
}

/** The delivery jobs enqueued so far, taken off the queue. */
const jobs = (queue: FakeWorld['queue']): DeliveryJob[] => queue.receive();
const connectionsOf = (list: readonly DeliveryJob[]): string[] => list.flatMap((job) => job.connections).sort();

describe('publishOne', () => {
  it('stores a new id at the room’s next position, plans its fan-out and marks it planned', async () => {
    const { app, messages, queue, clock, counts } = world();
    const published = await publishOne(app, { room: 'lobby', id: 'a', data: { text: 'hi' } });
    expect(published).toEqual({ room: 'lobby', id: 'a', pos: encodePosition({ clock: clock.now, origin: 'eu-west-1', seq: 1 }) });
    expect(await messages.latest('lobby', 10)).toEqual([{ room: 'lobby', id: 'a', pos: published.pos, ts: clock.now, origin: 'eu-west-1', data: { text: 'hi' } }]);
    expect(messages.record('lobby', 'a')).toMatchObject({ state: 'planned', pos: published.pos });
    const enqueued = jobs(queue);
    expect(connectionsOf(enqueued)).toEqual(['c1', 'c2', 'c3']);
    expect(JSON.parse(enqueued[0]!.frame)).toMatchObject({ type: 'message', room: 'lobby', id: 'a', pos: published.pos, data: { text: 'hi' } });
    expect(counts.get('Published')).toBe(1);
  });

  it('gives a message without an id one of its own', async () => {
    const { app } = world();
    const [first, second] = [await publishOne(app, { room: 'lobby', data: 1 }), await publishOne(app, { room: 'lobby', data: 2 })];
    expect(first.id).not.toBe(second.id);
    expect(decodePosition(second.pos).seq).toBe(2);
  });

  it('answers the same id again with the same position, storing and delivering it once', async () => {
    const { app, messages, queue, clock } = world();
    const first = await publishOne(app, { room: 'lobby', id: 'a', data: 1 });
    clock.now += 5;
    expect(await publishOne(app, { room: 'lobby', id: 'a', data: 1 })).toEqual(first);
    expect(await messages.latest('lobby', 10)).toHaveLength(1);
    expect(connectionsOf(jobs(queue))).toEqual(['c1', 'c2', 'c3']);
  });

  it('says PUBLISH_IN_PROGRESS while another request holds the id, and stores nothing', async () => {
    const { app, messages, queue, clock } = world();
    await messages.claim('lobby', 'a', 'other', clock.now - 1000, 0, EXPIRES, fingerprintOf('lobby', 1));
    await expect(publishOne(app, { room: 'lobby', id: 'a', data: 1 })).rejects.toMatchObject({ code: 'PUBLISH_IN_PROGRESS', retryable: true });
    // Also when the other request stored it and has not planned it yet.
    await messages.appendNew({ room: 'lobby', id: 'b', ts: clock.now - 1000, origin: 'eu-west-1', data: 2 }, 'other', EXPIRES, false);
    await expect(publishOne(app, { room: 'lobby', id: 'b', data: 2 })).rejects.toMatchObject({ code: 'PUBLISH_IN_PROGRESS' });
    expect((await messages.latest('lobby', 10)).map((message) => message.id)).toEqual(['b']);
    expect(messages.record('lobby', 'a')).toMatchObject({ token: 'other', state: 'claimed' });
    expect(jobs(queue)).toEqual([]);
  });

  it('takes over a stale claim at the position it was given, and finishes it', async () => {
    const { app, messages, queue, clock } = world();
    const died = await messages.appendNew({ room: 'lobby', id: 'a', ts: clock.now - CLAIM_MS - 1, origin: 'eu-west-1', data: 1 }, 'dead', EXPIRES, false);
    if (died.kind !== 'stored') throw new Error('the first request must store');
    const published = await publishOne(app, { room: 'lobby', id: 'a', data: 1 });
    expect(published.pos).toBe(died.message.pos);
    expect(await messages.latest('lobby', 10)).toEqual([died.message]);
    expect(messages.record('lobby', 'a')).toMatchObject({ state: 'planned', pos: died.message.pos });
    expect(messages.record('lobby', 'a')?.token).not.toBe('dead');
    expect(connectionsOf(jobs(queue))).toEqual(['c1', 'c2', 'c3']);
  });

  it('takes over a stale claim that left no position at the room’s next one', async () => {
    const { app, messages, clock } = world();
    await messages.claim('lobby', 'a', 'dead', clock.now - CLAIM_MS - 1, 0, EXPIRES, fingerprintOf('lobby', 1));
    const published = await publishOne(app, { room: 'lobby', id: 'a', data: 1 });
    expect(decodePosition(published.pos)).toEqual({ clock: clock.now, origin: 'eu-west-1', seq: 1 });
    expect(messages.record('lobby', 'a')).toMatchObject({ state: 'planned', pos: published.pos });
  });

  it('takes over at a position of its own region a stale claim positioned by another region', async () => {
    const { app, messages, clock } = world();
    await messages.appendNew({ room: 'lobby', id: 'a', ts: clock.now - CLAIM_MS - 1, origin: 'us-east-1', data: 1 }, 'dead', EXPIRES, false);
    const published = await publishOne(app, { room: 'lobby', id: 'a', data: 1 });
    expect(decodePosition(published.pos)).toMatchObject({ origin: 'eu-west-1', seq: 1 });
  });

  it('releases the claim when the fan-out fails, so that a retry takes over at once at the same position', async () => {
    const { app, messages, queue } = world();
    const send = queue.send.bind(queue);
    queue.send = () => Promise.reject(new Error('queue unavailable'));
    await expect(publishOne(app, { room: 'lobby', id: 'a', data: 1 })).rejects.toThrow('queue unavailable');
    const stored = await messages.latest('lobby', 10);
    expect(messages.record('lobby', 'a')).toMatchObject({ state: 'positioned', claimedAt: 0, pos: stored[0]!.pos });
    queue.send = send;
    expect((await publishOne(app, { room: 'lobby', id: 'a', data: 1 })).pos).toBe(stored[0]!.pos);
    expect(await messages.latest('lobby', 10)).toEqual(stored);
    expect(connectionsOf(jobs(queue))).toEqual(['c1', 'c2', 'c3']);
  });
});

describe('an id that names another message', () => {
  it('answers IDEMPOTENCY_KEY_REUSED (not retryable) for the same id with other data, and changes nothing', async () => {
    const { app, messages, queue } = world();
    const first = await publishOne(app, { room: 'lobby', id: 'a', data: { score: 1 } });
    const before = messages.record('lobby', 'a');
    jobs(queue);
    await expect(publishOne(app, { room: 'lobby', id: 'a', data: { score: 2 } })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', retryable: false, details: { room: 'lobby', id: 'a' } });
    expect(await messages.latest('lobby', 10)).toEqual([expect.objectContaining({ pos: first.pos, data: { score: 1 } })]);
    expect(messages.record('lobby', 'a')).toEqual(before);
    expect(jobs(queue)).toEqual([]);
  });

  it('reads the data as JSON with sorted keys: the same value serialised otherwise is a retry', async () => {
    const { app } = world();
    const first = await publishOne(app, { room: 'lobby', id: 'a', data: { home: 1, away: 2 } });
    expect(await publishOne(app, { room: 'lobby', id: 'a', data: { away: 2, home: 1 } })).toEqual(first);
  });

  it("answers IDEMPOTENCY_KEY_REUSED for a client's id already used in another room, and stores nothing there", async () => {
    const { app, messages, queue } = world();
    await publishOne(app, { room: 'lobby', id: 'a', data: 1 });
    jobs(queue);
    await expect(publishOne(app, { room: 'other', id: 'a', data: 1 })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await messages.latest('other', 10)).toEqual([]);
    expect(jobs(queue)).toEqual([]);
  });

  it('never takes over a stale claim of other data: the message subscribers may have received stays as it is', async () => {
    const { app, messages, clock } = world();
    const died = await messages.appendNew({ room: 'lobby', id: 'a', ts: clock.now - CLAIM_MS - 1, origin: 'eu-west-1', data: 'original' }, 'dead', EXPIRES, true);
    if (died.kind !== 'stored') throw new Error('the first request must store');
    await expect(publishOne(app, { room: 'lobby', id: 'a', data: 'hijacked' })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await messages.latest('lobby', 10)).toEqual([died.message]);
    expect(messages.record('lobby', 'a')?.token).toBe('dead');
  });

  it('finishing a stale claim keeps the stored message rather than writing it again', async () => {
    const { app, messages, clock } = world();
    const died = await messages.appendNew({ room: 'lobby', id: 'a', ts: clock.now - CLAIM_MS - 1, origin: 'eu-west-1', data: 1 }, 'dead', EXPIRES, true);
    if (died.kind !== 'stored') throw new Error('the first request must store');
    const puts: string[] = [];
    const put = messages.put.bind(messages);
    messages.put = async (message, expiresAt) => {
      const outcome = await put(message, expiresAt);
      puts.push(outcome);
      return outcome;
    };
    expect((await publishOne(app, { room: 'lobby', id: 'a', data: 1 })).pos).toBe(died.message.pos);
    expect(puts).toEqual(['kept']);
    expect(await messages.latest('lobby', 10)).toEqual([died.message]);
  });
});

describe('publishBatch', () => {
  it('answers in input order, each room’s messages at positions in that order', async () => {
    const { app, messages } = world();
    const requests = [
      { room: 'a', id: 'a1', data: 1 },
      { room: 'b', id: 'b1', data: 2 },
      { room: 'a', id: 'a2', data: 3 },
      { room: 'a', id: 'a3', data: 4 },
      { room: 'b', id: 'b2', data: 5 },
    ];
    const answers = await publishBatch(app, requests);
    expect(answers.map(({ room, id }) => ({ room, id }))).toEqual(requests.map(({ room, id }) => ({ room, id })));
    expect(answers.map((answer) => decodePosition(answer.pos).seq)).toEqual([1, 1, 2, 3, 2]);
    expect((await messages.latest('a', 10)).map((message) => message.id)).toEqual(['a1', 'a2', 'a3']);
  });

  it('answers an id already published with its position, among new ones', async () => {
    const { app } = world();
    const first = await publishOne(app, { room: 'a', id: 'x', data: 1 });
    const answers = await publishBatch(app, [{ room: 'a', id: 'y', data: 2 }, { room: 'a', id: 'x', data: 1 }]);
    expect(answers[1]).toEqual(first);
    expect(decodePosition(answers[0]!.pos).seq).toBe(2);
  });

  it('refuses the whole batch, naming the message, when a client id names another message: nothing is stored', async () => {
    const { app, messages } = world();
    await publishOne(app, { room: 'a', id: 'x', data: 1 });
    const batch = publishBatch(app, [{ room: 'b', id: 'y', data: 2 }, { room: 'c', data: 3 }, { room: 'a', id: 'x', data: 'other' }]);
    await expect(batch).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringMatching(/^messages\.2: /), details: { index: 2, room: 'a', id: 'x' } });
    expect([...(await messages.latest('b', 10)), ...(await messages.latest('c', 10))]).toEqual([]);
  });
});
