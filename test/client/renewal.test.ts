/**
 * The SDK renews its session ahead of the token's expiry (client/sdk/connection.ts,
 * token-life.ts): at 80% of the token's life it asks `getToken` and sends `refresh` on the
 * same socket, dropping neither the socket nor a message; a refused or unanswered refresh,
 * a failing `getToken`, or a TOKEN_EXPIRED from the server replace the socket with one
 * opened with a fresh token; rooms the server leaves after a refresh are reported.
 */
import { describe, expect, it } from 'vitest';
import { answer, message, setup } from './setup.js';
import { flush } from './fakes.js';

const MINUTE = 60_000;

/** An unsigned JWT-shaped token, issued at `iat` ms and living `lifeMs` (the client only reads its claims). */
function jwt(iat: number, lifeMs: number, sub = 'alice'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ sub, iat: Math.floor(iat / 1000), exp: Math.floor((iat + lifeMs) / 1000) })}.sig`;
}

/** A client whose `getToken` hands out 10-minute tokens issued at the fake clock's time. */
async function renewing(options: { fail?: () => boolean } = {}) {
  const issued: string[] = [];
  let clockNow = () => 0;
  const made = await setup({
    token: undefined,
    refresh: false,
    heartbeatMs: 60 * MINUTE,
    getToken: () => {
      if (options.fail?.()) throw new Error('identity provider down');
      const token = jwt(clockNow(), 10 * MINUTE);
      issued.push(token);
      return token;
    },
  });
  clockNow = () => made.clock.now();
  // The first token was made before the clock was known: at 0, as the fake clock starts.
  return { ...made, issued };
}

describe('session renewal with getToken', () => {
  it('sends refresh with a new token at 80% of its life, on the same socket, and keeps delivering', async () => {
    const { clock, sockets, socket, collect, issued, states } = await renewing();
    const room = collect('a');
    socket().open();
    answer(socket(), ['a']);
    socket().receive(message('a', 1));
    await clock.advance(8 * MINUTE - 1);
    expect(socket().frames('refresh')).toEqual([]);
    await clock.advance(1);
    await flush();
    expect(socket().frames('refresh')).toEqual([{ action: 'refresh', token: issued[1] }]);
    socket().receive(message('a', 2));
    socket().receive({ type: 'refreshed', expiresAt: 18 * MINUTE });
    socket().receive(message('a', 3));
    expect(sockets).toHaveLength(1);
    expect(room.got).toEqual([1, 2, 3]);
    // The next renewal follows the new token: 80% of its 10 minutes after it was issued at 8.
    await clock.advance(8 * MINUTE);
    await flush();
    expect(socket().frames('refresh')).toHaveLength(2);
    expect(states).toEqual(['connecting', 'open']);
  });

  it('replaces the socket with a fresh token when the refresh is refused, resuming where it was', async () => {
    const { clock, sockets, socket, collect, errors } = await renewing();
    const room = collect('a');
    socket().open();
    answer(socket(), ['a']);
    socket().receive(message('a', 1));
    await clock.advance(8 * MINUTE);
    await flush();
    const old = socket();
    old.receive({ type: 'error', code: 'UNAUTHORIZED', message: 'the token is not valid', retryable: false });
    await flush();
    expect(sockets).toHaveLength(2);
    const fresh = socket();
    expect(fresh.url).toContain('token=');
    fresh.open();
    expect(fresh.frames('subscribe')[0]).toMatchObject({ rooms: ['a'], since: { a: expect.any(String) } });
    old.receive(message('a', 2));
    expect(old.closed).toBe(false);
    answer(fresh, ['a'], { a: [2, 3] });
    expect(old.closed).toBe(true);
    expect(room.got).toEqual([1, 2, 3]);
    expect(errors.map((error) => error.code)).toContain('UNAUTHORIZED');
  });

  it('replaces the socket when the refresh goes unanswered, or getToken fails', async () => {
    let failing = false;
    const { clock, sockets, socket, collect, errors } = await renewing({ fail: () => failing });
    collect('a');
    socket().open();
    answer(socket(), ['a']);
    await clock.advance(8 * MINUTE);
    await flush();
    expect(socket().frames('refresh')).toHaveLength(1);
    await clock.advance(15_000);
    await flush();
    expect(sockets).toHaveLength(2);
    expect(errors.map((error) => error.code)).toContain('TIMEOUT');
    socket().open();
    answer(socket(), ['a']);
    failing = true;
    await clock.advance(8 * MINUTE);
    await flush();
    expect(errors.map((error) => error.code)).toContain('TOKEN_FAILED');
  });

  it('replaces the socket when the server answers TOKEN_EXPIRED', async () => {
    const { sockets, socket, collect } = await renewing();
    collect('a');
    socket().open();
    answer(socket(), ['a']);
    socket().receive({ type: 'error', code: 'TOKEN_EXPIRED', message: 'expired', retryable: true });
    await flush();
    expect(sockets).toHaveLength(2);
  });

  it('reports the rooms the server left after a refresh, with the reason', async () => {
    const { socket, collect } = await renewing();
    const kept = collect('a');
    const left = collect('b');
    socket().open();
    answer(socket(), ['a', 'b']);
    socket().receive({ type: 'unsubscribed', rooms: ['b'], reason: 'ROOM_FORBIDDEN', message: 'the new token does not grant these rooms' });
    socket().receive(message('a', 1));
    socket().receive(message('b', 1));
    expect(left.errors.map((error) => [error.code, error.room])).toEqual([['ROOM_FORBIDDEN', 'b']]);
    expect(left.got).toEqual([]);
    expect(kept.got).toEqual([1]);
  });

  it('does not renew a fixed token, nor one that is not a JWT with exp', async () => {
    const fixed = await setup({ token: jwt(0, 10 * MINUTE), refresh: false, heartbeatMs: 60 * MINUTE });
    fixed.socket().open();
    await fixed.clock.advance(9 * MINUTE);
    expect(fixed.socket().frames('refresh')).toEqual([]);
    const opaque = await setup({ token: undefined, getToken: () => 'opaque', refresh: false, heartbeatMs: 60 * MINUTE });
    opaque.socket().open();
    await opaque.clock.advance(60 * MINUTE);
    expect(opaque.socket().frames('refresh')).toEqual([]);
  });
});
