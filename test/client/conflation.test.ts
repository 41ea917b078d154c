/**
 * Conflated rooms: the server skips messages a newer one supersedes, so the client delivers
 * only positions newer than the newest it delivered, never waits for a hole and never asks
 * the server to fill one. Other rooms of the same client keep their gap requests.
 */
import { describe, expect, it } from 'vitest';
import type { RoomMessage } from '../../client/sdk/index.js';
import { positionOf } from '../support/positions.js';
import { message, pos, setup, snapshot } from './setup.js';

/** A client resumed in `rooms` from position 0, answered by the server (`conflated: null`: the field is absent). */
async function joined(rooms: string[] = ['s'], conflated: string[] | null = ['s']) {
  const harness = await setup();
  const collected = new Map(rooms.map((room) => [room, harness.collect(room, { since: pos(0) })]));
  /** What `room` delivered, as position numbers. */
  const got = (room: string): number[] => collected.get(room)?.got ?? [];
  harness.socket().open();
  harness.socket().receive({ type: 'subscribed', rooms, ...(conflated ? { conflated } : {}) });
  for (const room of rooms) harness.socket().receive(snapshot(room, []));
  // Subscribes sent after the first one: gap requests and resumes.
  const asked = () => harness.socket().frames('subscribe').slice(1);
  return { ...harness, got, asked };
}

const increasing = (numbers: number[]) => numbers.every((n, index) => index === 0 || n > (numbers[index - 1] ?? n));

describe('a conflated room', () => {
  it('delivers only increasing positions over holes and out-of-order arrivals, asks nothing, ends on the newest', async () => {
    const { client, socket, clock, got, asked, errors } = await joined();
    for (const n of [3, 1, 7, 5, 8, 2, 12, 9, 12]) socket().receive(message('s', n));
    expect(got('s')).toEqual([3, 7, 8, 12]);
    expect(increasing(got('s'))).toBe(true);
    await clock.advance(30_000);
    expect(asked()).toEqual([]);
    expect(got('s')).toEqual([3, 7, 8, 12]);
    expect(got('s').at(-1)).toBe(12);
    expect(errors).toEqual([]);
    expect(client.conflated('s')).toBe(true);
    expect(client.cursor('s')).toBe(pos(12));
  });

  it('compares positions across origins: an older message of another region is superseded', async () => {
    const harness = await setup();
    const at = (origin: string, n: number, clock: number) => positionOf(n, origin, clock);
    const got: string[] = [];
    harness.client.subscribe('s', (delivered: RoomMessage) => got.push(delivered.pos), { since: at('eu-west-1', 0, 0) });
    harness.socket().open();
    harness.socket().receive({ type: 'subscribed', rooms: ['s'], conflated: ['s'] });
    harness.socket().receive(snapshot('s', []));
    const frame = (origin: string, n: number, clock: number) => ({ type: 'message', room: 's', id: `${origin}/${n}`, pos: at(origin, n, clock), ts: 0, data: null });
    harness.socket().receive(frame('eu-west-1', 2, 1020));
    harness.socket().receive(frame('us-east-1', 1, 1010)); // older than what the app has
    harness.socket().receive(frame('us-east-1', 3, 1030)); // skips us-east-1 seq 2: not waited for
    harness.socket().receive(frame('eu-west-1', 4, 1025)); // older again
    expect(got).toEqual([at('eu-west-1', 2, 1020), at('us-east-1', 3, 1030)]);
    expect([...got].sort()).toEqual(got);
    await harness.clock.advance(30_000);
    expect(harness.socket().frames('subscribe')).toHaveLength(1);
    // The cursor passes the superseded positions: a resume does not fetch them again.
    expect(harness.client.cursor('s')).toBe([at('eu-west-1', 4, 1025), at('us-east-1', 3, 1030)].sort().join(','));
  });

  it('does not hold a message that arrived with a hole before the server said the room is conflated', async () => {
    const { socket, collect, clock } = await setup();
    const room = collect('s');
    socket().open();
    socket().receive(message('s', 1));
    socket().receive(message('s', 3));
    expect(room.got).toEqual([1]);
    socket().receive({ type: 'subscribed', rooms: ['s'], conflated: ['s'] });
    expect(room.got).toEqual([1, 3]);
    await clock.advance(30_000);
    expect(socket().frames('subscribe')).toHaveLength(1);
  });

  it('starts after the newest message of its snapshot, live messages that came first merged in', async () => {
    const { socket, collect, clock } = await setup();
    const room = collect('s', { snapshot: 3 });
    socket().open();
    socket().receive({ type: 'subscribed', rooms: ['s'], conflated: ['s'] });
    socket().receive(message('s', 9));
    expect(room.got).toEqual([]);
    socket().receive(snapshot('s', [4, 6, 8]));
    expect(room.got).toEqual([4, 6, 8, 9]);
    for (const n of [7, 9, 12, 11]) socket().receive(message('s', n));
    expect(room.got).toEqual([4, 6, 8, 9, 12]);
    await clock.advance(30_000);
    expect(socket().frames('subscribe')).toHaveLength(1);
  });

  it('resumes from its cursor after a reconnect, stays conflated as the server says, and drops what it superseded', async () => {
    const { client, socket, clock, got, asked } = await joined();
    socket().receive(message('s', 2));
    socket().receive(message('s', 5));
    socket().drop();
    await clock.advance(60_000);
    socket().open();
    expect(socket().frames('subscribe')).toEqual([{ action: 'subscribe', rooms: ['s'], since: { s: pos(5) } }]);
    socket().receive(message('s', 9));
    socket().receive({ type: 'subscribed', rooms: ['s'], conflated: ['s'] });
    socket().receive(snapshot('s', [6, 8]));
    socket().receive(message('s', 10));
    expect(got('s')).toEqual([2, 5, 9, 10]);
    expect(client.conflated('s')).toBe(true);
    await clock.advance(30_000);
    expect(asked()).toEqual([]);
  });

  it('is no longer conflated when a later subscribed answer does not say so', async () => {
    const { client, socket, clock } = await joined();
    expect(client.conflated('s')).toBe(true);
    socket().drop();
    await clock.advance(60_000);
    socket().open();
    socket().receive({ type: 'subscribed', rooms: ['s'] });
    expect(client.conflated('s')).toBe(false);
  });
});

describe('rooms that are not conflated', () => {
  it('still ask for gaps in the same client as a conflated room', async () => {
    const { client, socket, clock, got, asked } = await joined(['s', 'r'], ['s']);
    for (const room of ['s', 'r']) for (const n of [1, 3]) socket().receive(message(room, n));
    expect(got('s')).toEqual([1, 3]);
    expect(got('r')).toEqual([1]);
    await clock.advance(1_000);
    expect(asked()).toEqual([{ action: 'subscribe', rooms: ['r'], since: { r: pos(1) } }]);
    expect([client.conflated('s'), client.conflated('r'), client.conflated('unknown')]).toEqual([true, false, false]);
  });

  it('a subscribed frame without `conflated` means not conflated: holes wait and are fetched', async () => {
    const { client, socket, clock, got, asked } = await joined(['s'], null);
    expect(client.conflated('s')).toBe(false);
    for (const n of [1, 3, 2, 5]) socket().receive(message('s', n));
    expect(got('s')).toEqual([1, 2, 3]);
    await clock.advance(1_000);
    expect(asked()).toEqual([{ action: 'subscribe', rooms: ['s'], since: { s: pos(3) } }]);
    socket().receive({ type: 'subscribed', rooms: ['s'] });
    socket().receive(snapshot('s', [4, 5]));
    expect(got('s')).toEqual([1, 2, 3, 4, 5]);
    expect(increasing(got('s'))).toBe(true);
  });
});
