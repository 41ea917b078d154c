import { describe, expect, it } from 'vitest';
import { flush } from './fakes.js';
import { answer, message, pos, setup } from './setup.js';

describe('subscribing', () => {
  it('queues subscribes made before the socket opens and sends them as one frame', async () => {
    const { socket, collect } = await setup();
    collect('a');
    collect('b');
    expect(socket().sent).toEqual([]);
    socket().open();
    expect(socket().frames('subscribe')).toEqual([{ action: 'subscribe', rooms: ['a', 'b'] }]);
  });

  it('keeps one request in flight and batches what waits meanwhile', async () => {
    const { socket, collect } = await setup();
    socket().open();
    collect('a', { snapshot: 5 });
    collect('b', { snapshot: 5 });
    collect('c', { snapshot: 5 });
    collect('d', { snapshot: 2 });
    expect(socket().frames('subscribe')).toEqual([{ action: 'subscribe', rooms: ['a'], snapshot: 5 }]);
    answer(socket(), ['a'], { a: [] });
    expect(socket().frames('subscribe').slice(1)).toEqual([{ action: 'subscribe', rooms: ['b', 'c'], snapshot: 5 }]);
    answer(socket(), ['b', 'c'], { b: [], c: [] });
    expect(socket().frames('subscribe').slice(2)).toEqual([{ action: 'subscribe', rooms: ['d'], snapshot: 2 }]);
  });

  it('sends unsubscribe only when the last listener of a room leaves', async () => {
    const { socket, collect } = await setup();
    socket().open();
    const first = collect('a');
    const second = collect('a');
    answer(socket(), ['a']);
    socket().receive(message('a', 1));
    first.stop();
    expect(socket().frames('unsubscribe')).toEqual([]);
    socket().receive(message('a', 2));
    second.stop();
    second.stop();
    expect(socket().frames('unsubscribe')).toEqual([{ action: 'unsubscribe', rooms: ['a'] }]);
    socket().receive(message('a', 3));
    expect(first.got).toEqual([1]);
    expect(second.got).toEqual([1, 2]);
  });

  it('sends nothing for a room left before its subscribe went out', async () => {
    const { socket, collect } = await setup();
    collect('a').stop();
    collect('b');
    socket().open();
    expect(socket().sent).toEqual([{ action: 'subscribe', rooms: ['b'] }]);
  });

  it('replays kept messages to a listener that joins later with a snapshot', async () => {
    const { socket, collect } = await setup();
    socket().open();
    const first = collect('a', { snapshot: 3 });
    answer(socket(), ['a'], { a: [1, 2, 3, 4] });
    const late = collect('a', { snapshot: 2 });
    expect(late.got).toEqual([]);
    await flush();
    socket().receive(message('a', 5));
    expect(late.got).toEqual([3, 4, 5]);
    expect(first.got).toEqual([1, 2, 3, 4, 5]);
    expect(socket().frames('subscribe')).toHaveLength(1);
  });
});

describe('resume after a reconnect', () => {
  it('resubscribes every room with since = its last delivered position, or its original snapshot', async () => {
    const { clock, socket, collect } = await setup();
    const a = collect('a', { snapshot: 2 });
    const b = collect('b', { since: pos(40) });
    const c = collect('c', { snapshot: true });
    const d = collect('d', { snapshot: 7 });
    socket().open();
    socket().receive({ type: 'subscribed', rooms: ['a', 'b', 'c', 'd'] });
    socket().receive({ type: 'snapshot', room: 'a', messages: [], complete: true });
    socket().receive({ type: 'snapshot', room: 'b', messages: [], complete: true });
    // An empty room's snapshot: its first message is seq 1.
    socket().receive(message('a', 1));
    socket().receive(message('b', 41));
    socket().receive(message('b', 42));
    socket().drop(1001);
    await clock.runNext();
    socket().open();
    expect(socket().frames('subscribe')[0]).toEqual({ action: 'subscribe', rooms: ['a', 'b', 'c'], snapshot: true, since: { a: pos(1), b: pos(42) } });
    answer(socket(), ['a', 'b', 'c'], { a: [2], b: [42, 43], c: [1] });
    expect(socket().frames('subscribe')[1]).toEqual({ action: 'subscribe', rooms: ['d'], snapshot: 7 });
    expect(a.got).toEqual([1, 2]);
    expect(b.got).toEqual([41, 42, 43]);
    expect(c.got).toEqual([1]);
    expect(d.got).toEqual([]);
  });

  it('forgets an unanswered snapshot of the lost socket', async () => {
    const { clock, socket, collect } = await setup();
    const a = collect('a', { since: pos(1) });
    socket().open();
    socket().receive(message('a', 3));
    socket().drop();
    await clock.runNext();
    socket().open();
    answer(socket(), ['a'], { a: [2, 3] });
    expect(a.got).toEqual([2, 3]);
  });
});

describe('server errors', () => {
  it('ROOM_FORBIDDEN: onError and the error event for that room, which is not resubscribed; the others are', async () => {
    const { clock, sockets, socket, collect, errors } = await setup();
    const open = collect('open');
    const admin = collect('admin');
    socket().open();
    socket().receive({ type: 'error', code: 'ROOM_FORBIDDEN', message: 'not allowed to join admin', retryable: false, details: { rooms: ['admin'] } });
    expect(admin.errors.map((error) => [error.code, error.room, error.retryable])).toEqual([['ROOM_FORBIDDEN', 'admin', false]]);
    expect(errors.map((error) => error.room)).toEqual(['admin']);
    expect(open.errors).toEqual([]);
    expect(socket().frames('subscribe')).toEqual([
      { action: 'subscribe', rooms: ['open', 'admin'] },
      { action: 'subscribe', rooms: ['open'] },
    ]);
    answer(socket(), ['open']);
    await clock.advance(60_000);
    expect(sockets).toHaveLength(1);
    socket().drop();
    await clock.runNext();
    socket().open();
    expect(socket().frames('subscribe')).toEqual([{ action: 'subscribe', rooms: ['open'] }]);
  });

  it('an error naming no room: each room is sent alone to find the one refused', async () => {
    const { socket, collect } = await setup();
    const good = collect('good', { since: pos(1) });
    const bad = collect('bad', { since: pos(1) });
    socket().open();
    socket().receive({ type: 'error', code: 'INVALID_POSITION', message: 'since.bad is not a position', retryable: false });
    expect(socket().frames('subscribe').slice(1)).toEqual([{ action: 'subscribe', rooms: ['good'], since: { good: pos(1) } }]);
    answer(socket(), ['good'], { good: [] });
    expect(socket().frames('subscribe').slice(2)).toEqual([{ action: 'subscribe', rooms: ['bad'], since: { bad: pos(1) } }]);
    socket().receive({ type: 'error', code: 'INVALID_POSITION', message: 'since.bad is not a position', retryable: false });
    expect(bad.errors.map((error) => error.code)).toEqual(['INVALID_POSITION']);
    expect(good.errors).toEqual([]);
    expect(socket().frames('subscribe')).toHaveLength(3);
  });

  it('THROTTLED: the same subscribe again after a backoff delay', async () => {
    const { clock, socket, collect, errors } = await setup({ random: () => 0.999_999 });
    collect('a', { snapshot: 1 });
    socket().open();
    socket().receive({ type: 'error', code: 'THROTTLED', message: 'slow down', retryable: true });
    expect(errors.map((error) => error.code)).toEqual(['THROTTLED']);
    await clock.advance(498);
    expect(socket().frames('subscribe')).toHaveLength(1);
    await clock.advance(1);
    expect(socket().frames('subscribe')).toEqual([
      { action: 'subscribe', rooms: ['a'], snapshot: 1 },
      { action: 'subscribe', rooms: ['a'], snapshot: 1 },
    ]);
  });

  it("API Gateway's own 'Internal server error' frame is retried like INTERNAL", async () => {
    const { clock, socket, collect } = await setup();
    collect('a');
    socket().open();
    socket().receive({ message: 'Internal server error', connectionId: 'x', requestId: 'y' });
    await clock.advance(1_000);
    expect(socket().frames('subscribe')).toHaveLength(2);
  });

  it('CONNECTION_UNKNOWN: reconnects', async () => {
    const { clock, sockets, socket, collect } = await setup();
    collect('a');
    socket().open();
    answer(socket(), ['a']);
    socket().receive({ type: 'error', code: 'CONNECTION_UNKNOWN', message: 'reconnect', retryable: true });
    expect(sockets[0]!.closed).toBe(true);
    await clock.runNext();
    expect(sockets).toHaveLength(2);
  });

  it('reconnects when a subscribe stays unanswered', async () => {
    const { clock, sockets, socket, collect } = await setup({ requestTimeoutMs: 5_000 });
    collect('a');
    socket().open();
    await clock.advance(4_999);
    expect(sockets[0]!.closed).toBe(false);
    await clock.advance(1);
    expect(sockets[0]!.closed).toBe(true);
  });
});
