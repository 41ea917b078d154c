import { describe, expect, it } from 'vitest';
import { MAX_BATCH, PublishBatchError, type BatchMessage } from '../../client/publisher/index.js';
import { issuedIn, seqOf } from '../support/positions.js';
import { failureOf, publisherFor } from './helpers.js';
import { REGION } from './product-api.js';

const numbered = (count: number, rooms = ['a', 'b', 'c']): BatchMessage[] =>
  Array.from({ length: count }, (_, n) => ({ room: rooms[n % rooms.length] ?? 'a', data: { n } }));

describe('publishBatch', () => {
  it('answers in input order, keeping given ids and generating the others', async () => {
    const { api, publisher } = await publisherFor();
    const results = await publisher.publishBatch([
      { room: 'b', data: 1, id: 'b-1' },
      { room: 'a', data: 2 },
      { room: 'b', data: 3 },
    ]);
    expect(results.map((r) => [r.room, r.pos])).toEqual([
      ['b', expect.stringMatching(issuedIn(REGION, 1))],
      ['a', expect.stringMatching(issuedIn(REGION, 1))],
      ['b', expect.stringMatching(issuedIn(REGION, 2))],
    ]);
    expect(results[0]?.id).toBe('b-1');
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0]?.routeKey).toBe('POST /messages');
    expect(api.seen[0]?.ids).toEqual(results.map((r) => r.id));
    expect((await api.stored('b')).map((m) => [m.id, m.pos, m.data])).toEqual([
      [results[0]?.id, results[0]?.pos, 1],
      [results[2]?.id, results[2]?.pos, 3],
    ]);
  });

  it(`splits more than ${MAX_BATCH} messages into requests sent one after another`, async () => {
    const { api, publisher } = await publisherFor();
    const input = numbered(60);
    const results = await publisher.publishBatch(input);
    expect(api.seen.map((s) => s.ids.length)).toEqual([25, 25, 10]);
    expect(results.map((r) => r.room)).toEqual(input.map((m) => m.room));
    const stored = await api.stored('a');
    expect(stored.map((m) => m.data)).toEqual(input.filter((m) => m.room === 'a').map((m) => m.data));
    expect(stored.map((m) => m.pos)).toEqual(results.filter((r) => r.room === 'a').map((r) => r.pos));
    expect(stored.map((m) => seqOf(m.pos))).toEqual(stored.map((_, n) => n + 1));
  });

  it('retries a failed request with the same ids', async () => {
    const { api, publisher } = await publisherFor();
    api.faults.push({ fail: { status: 503, code: 'INTERNAL', retryable: true } });
    const results = await publisher.publishBatch(numbered(3));
    expect(api.seen).toHaveLength(2);
    expect(api.seen[1]?.ids).toEqual(api.seen[0]?.ids);
    expect(api.seen[1]?.ids).toEqual(results.map((r) => r.id));
  });

  it('reports a refused request with the index in the whole input, what was stored, and every id', async () => {
    const { api, publisher } = await publisherFor();
    const input = numbered(60);
    // A room the product refuses (it names the message's index in the request it refused).
    input[30] = { room: 'bad room', data: { n: 30 } };
    const error = await failureOf(publisher.publishBatch(input));
    expect(error).toBeInstanceOf(PublishBatchError);
    const batch = error as PublishBatchError;
    expect(batch).toMatchObject({ code: 'INVALID_ROOM', status: 400, retryable: false, details: { index: 30 } });
    expect(batch.published).toHaveLength(25);
    expect(batch.ids).toHaveLength(60);
    expect(api.seen).toHaveLength(2);

    // Resending with the same ids stores the rest and answers the same positions for the first 25.
    input[30] = { room: 'a', data: 'fixed' };
    const resent = await publisher.publishBatch(input.map((m, i) => ({ ...m, id: batch.ids[i] })));
    expect(resent.slice(0, 25)).toEqual(batch.published);
    const counts = await Promise.all(['a', 'b', 'c'].map(async (room) => (await api.stored(room)).length));
    expect(counts).toEqual([20, 20, 20]);
  });

  it('sends nothing for an empty batch', async () => {
    const { api, publisher } = await publisherFor();
    expect(await publisher.publishBatch([])).toEqual([]);
    expect(api.seen).toHaveLength(0);
  });
});
