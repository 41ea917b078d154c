import { describe, expect, it } from 'vitest';
import { failureOf, publisherFor } from './helpers.js';

describe('history', () => {
  it('reads the latest messages, oldest first', async () => {
    const { api, publisher } = await publisherFor();
    for (let n = 1; n <= 5; n += 1) await publisher.publish('scores:1', { n }, { id: `m-${n}` });
    const page = await publisher.history('scores:1', { limit: 3 });
    expect(page.room).toBe('scores:1');
    expect(page.messages.map((m) => [m.id, m.data])).toEqual([
      ['m-3', { n: 3 }],
      ['m-4', { n: 4 }],
      ['m-5', { n: 5 }],
    ]);
    expect(page.next).toBeUndefined();
    expect(typeof page.messages[0]?.ts).toBe('number');
    const call = api.seen[api.seen.length - 1];
    expect(call?.routeKey).toBe('GET /rooms/{room}/messages');
    expect(call?.event.requestContext.authorizer?.iam.accessKey).toBeTruthy();
    // The product's answer carried the room's cursor (the latest position read), and the page keeps it.
    expect(call?.answer?.body).toMatchObject({ cursor: page.messages[2]?.pos });
    expect(page.cursor).toBe(page.messages[2]?.pos);
  });

  it('pages with since and next, the product saying when a page is the rest of the room', async () => {
    const { api, publisher } = await publisherFor();
    const published = await publisher.publishBatch(Array.from({ length: 5 }, (_, n) => ({ room: 'log@eu', data: n })));
    const first = await publisher.history('log@eu', { since: published[0]?.pos ?? '', limit: 2 });
    expect(first.messages.map((m) => m.data)).toEqual([1, 2]);
    expect(first.next).toBe(published[2]?.pos);
    const second = await publisher.history('log@eu', { since: first.next ?? '', limit: 2 });
    expect(second.messages.map((m) => m.data)).toEqual([3, 4]);
    const last = await publisher.history('log@eu', { since: second.next ?? '', limit: 2 });
    expect(last).toEqual({ room: 'log@eu', messages: [], complete: true });
    // A full page may have more after it; the empty one is the end. The pages say so too.
    expect(api.seen.slice(-3).map((call) => call.answer?.body.complete)).toEqual([false, false, true]);
    expect([first.complete, second.complete]).toEqual([false, false]);
  });

  it('answers an empty page for a room without messages', async () => {
    const { publisher } = await publisherFor();
    expect(await publisher.history('quiet')).toEqual({ room: 'quiet', messages: [] });
  });

  it('passes on a refused query without retrying', async () => {
    const { api, publisher } = await publisherFor();
    const error = await failureOf(publisher.history('quiet', { limit: 0 }));
    expect(error).toMatchObject({ code: 'INVALID_MESSAGE', status: 400, retryable: false, attempts: 1 });
    expect(api.seen).toHaveLength(1);
  });
});
