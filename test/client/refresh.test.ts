import { describe, expect, it } from 'vitest';
import { connect } from '../../client/sdk/index.js';
import { FakeClock, fakeSockets, flush, seeded } from './fakes.js';
import { answer, message, pos, setup } from './setup.js';

const MINUTE = 60_000;

describe('proactive refresh before the 2 h limit', () => {
  it('opens and resubscribes a new socket before closing the old one, staying open', async () => {
    const { clock, sockets, socket, states, collect } = await setup({ random: () => 0.5 });
    const room = collect('a', { snapshot: 2 });
    socket().open();
    answer(socket(), ['a'], { a: [1, 2] });
    const old = socket();
    await clock.advance(107.5 * MINUTE - 1);
    expect(sockets).toHaveLength(1);
    await clock.advance(1);
    expect(sockets).toHaveLength(2);
    const fresh = socket();
    old.receive(message('a', 3));
    fresh.open();
    expect(fresh.frames('subscribe')).toEqual([{ action: 'subscribe', rooms: ['a'], since: { a: pos(3) } }]);
    old.receive(message('a', 4));
    expect(old.closed).toBe(false);
    fresh.receive({ type: 'subscribed', rooms: ['a'] });
    fresh.receive({ type: 'snapshot', room: 'a', messages: [4, 5].map((n) => ({ id: `a#${n}`, pos: pos(n), ts: n, data: {} })), complete: true });
    expect(old.closed).toBe(true);
    expect(old.closedWith).toBe(1000);
    fresh.receive(message('a', 6));
    expect(room.got).toEqual([1, 2, 3, 4, 5, 6]);
    expect(states).toEqual(['connecting', 'open']);
  });

  it('falls back to a reconnect with resume when the new socket fails', async () => {
    const { clock, sockets, socket, states, collect } = await setup({ random: () => 0 });
    collect('a');
    socket().open();
    answer(socket(), ['a']);
    socket().receive(message('a', 1));
    await clock.advance(100 * MINUTE);
    const [old, fresh] = sockets;
    fresh!.refuse();
    expect(old!.closed).toBe(true);
    expect(states.at(-1)).toBe('reconnecting');
    await clock.runNext();
    socket().open();
    expect(socket().frames('subscribe')).toEqual([{ action: 'subscribe', rooms: ['a'], since: { a: pos(1) } }]);
  });

  it('spreads clients that connected together across the window', async () => {
    const clock = new FakeClock();
    const { Socket, sockets } = fakeSockets(clock);
    const clients = Array.from({ length: 300 }, (_, index) =>
      connect({ url: 'wss://example.test/prod', WebSocket: Socket, clock, random: seeded(index + 1), heartbeatMs: 60 * MINUTE }),
    );
    await flush();
    for (const socket of [...sockets]) socket.open();
    await clock.advance(120 * MINUTE);
    const refreshedAt = sockets.slice(300).map((socket) => socket.createdAt / MINUTE);
    expect(refreshedAt).toHaveLength(300);
    expect(Math.min(...refreshedAt)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...refreshedAt)).toBeLessThan(115);
    const perMinute = Array.from({ length: 15 }, (_, minute) => refreshedAt.filter((at) => Math.floor(at) === 100 + minute).length);
    // 20 per minute on average; no minute empty, none holding a crowd.
    expect(Math.min(...perMinute)).toBeGreaterThan(5);
    expect(Math.max(...perMinute)).toBeLessThan(40);
    for (const client of clients) client.close();
  });
});
