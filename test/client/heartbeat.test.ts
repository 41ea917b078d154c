import { describe, expect, it } from 'vitest';
import { answer, setup } from './setup.js';

const MINUTE = 60_000;

describe('heartbeat', () => {
  it('pings after heartbeatMs without sending, and not before', async () => {
    const { clock, socket } = await setup();
    socket().open();
    await clock.advance(5 * MINUTE - 1);
    expect(socket().frames('ping')).toHaveLength(0);
    await clock.advance(1);
    expect(socket().frames('ping')).toHaveLength(1);
    await clock.advance(5 * MINUTE);
    expect(socket().frames('ping')).toHaveLength(2);
  });

  it('counts from the last frame sent', async () => {
    const { client, clock, socket } = await setup({ heartbeatMs: 10_000 });
    socket().open();
    await clock.advance(6_000);
    client.subscribe('a', () => undefined);
    answer(socket(), ['a']);
    await clock.advance(9_999);
    expect(socket().frames('ping')).toHaveLength(0);
    await clock.advance(1);
    expect(socket().frames('ping')).toHaveLength(1);
  });

  it('reconnects when nothing arrives within pongTimeoutMs of a ping', async () => {
    const { clock, sockets, socket, states } = await setup({ heartbeatMs: 10_000, pongTimeoutMs: 3_000 });
    socket().autoPong = false;
    socket().open();
    await clock.advance(10_000);
    const first = socket();
    expect(first.frames('ping')).toHaveLength(1);
    await clock.advance(2_999);
    expect(first.closed).toBe(false);
    await clock.advance(1);
    expect(first.closed).toBe(true);
    expect(states.at(-1)).toBe('reconnecting');
    await clock.advance(1_000);
    expect(sockets).toHaveLength(2);
  });

  it('any frame counts as an answer', async () => {
    const { clock, sockets, socket } = await setup({ heartbeatMs: 10_000, pongTimeoutMs: 3_000 });
    socket().autoPong = false;
    socket().open();
    await clock.advance(10_000);
    socket().receive({ type: 'unsubscribed', rooms: [] });
    await clock.advance(5_000);
    expect(sockets).toHaveLength(1);
    expect(socket().closed).toBe(false);
  });
});
