import { afterEach, describe, expect, it, vi } from 'vitest';
import { fullJitter, refreshDelay } from '../../client/sdk/backoff.js';
import { seeded } from './fakes.js';
import { setup } from './setup.js';

describe('full-jitter backoff', () => {
  const backoff = { baseMs: 500, capMs: 30_000 };

  it('stays in [0, min(cap, base * 2^attempt)), doubling up to the cap', () => {
    expect(fullJitter(0, backoff, () => 0)).toBe(0);
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 10].map((attempt) => fullJitter(attempt, backoff, () => 0.999_999));
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999]);
  });

  it('spreads the waits of one attempt over its whole range', () => {
    const random = seeded(7);
    const waits = Array.from({ length: 2000 }, () => fullJitter(3, backoff, random));
    expect(Math.min(...waits)).toBeLessThan(200);
    expect(Math.max(...waits)).toBeGreaterThan(3800);
    expect(Math.max(...waits)).toBeLessThan(4000);
  });

  it('picks refresh times inside the window', () => {
    expect(refreshDelay({ minMs: 100, maxMs: 115 }, () => 0)).toBe(100);
    expect(refreshDelay({ minMs: 100, maxMs: 115 }, () => 0.999)).toBe(114);
  });
});

describe('reconnecting', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('waits full-jitter delays that grow and cap, and fetches a fresh token for every attempt', async () => {
    let issued = 0;
    const getToken = vi.fn(async () => `t${++issued}`);
    const { clock, sockets, socket, errors, states } = await setup({ getToken, random: () => 0.999_999, backoff: { baseMs: 100, capMs: 1000 } });
    const waits: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const before = sockets.length;
      const droppedAt = clock.now();
      socket().refuse();
      expect(sockets).toHaveLength(before);
      waits.push((await clock.runNext()) - droppedAt);
      expect(sockets).toHaveLength(before + 1);
    }
    expect(waits).toEqual([99, 199, 399, 799, 999, 999, 999, 999]);
    expect(getToken).toHaveBeenCalledTimes(9);
    expect(sockets.map((item) => new URL(item.url).searchParams.get('token'))).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9']);
    // With getToken, refused handshakes are reported once and retried for ever.
    expect(errors.map((error) => [error.code, error.retryable])).toEqual([['AUTH_FAILED', true]]);
    expect(states.at(-1)).toBe('reconnecting');
  });

  it('starts the backoff over once a socket opened and resubscribed', async () => {
    const { clock, socket } = await setup({ random: () => 0.999_999, backoff: { baseMs: 100, capMs: 10_000 } });
    socket().refuse();
    await clock.runNext();
    socket().refuse();
    await clock.runNext();
    socket().open();
    const droppedAt = clock.now();
    socket().drop();
    expect((await clock.runNext()) - droppedAt).toBe(99);
  });

  it('gives up with a fixed token after N handshakes closed before opening: closed + AUTH_FAILED', async () => {
    const { clock, sockets, socket, errors, states } = await setup({ handshakeFailures: 3 });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      socket().refuse();
      await clock.advance(60_000);
    }
    expect(sockets).toHaveLength(3);
    expect(states.at(-1)).toBe('closed');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'AUTH_FAILED', retryable: false });
    await clock.advance(10 * 60_000);
    expect(sockets).toHaveLength(3);
  });

  it('gives up at once when the transport reports the 401 (ws does)', async () => {
    const { socket, errors, states } = await setup();
    socket().refuse('Unexpected server response: 401');
    expect(states.at(-1)).toBe('closed');
    expect(errors[0]).toMatchObject({ code: 'AUTH_FAILED', retryable: false, details: { status: 401 } });
  });

  it('keeps trying through refusals that are not about auth (a known 503) and while offline', async () => {
    const { clock, sockets, socket, states } = await setup({ handshakeFailures: 2 });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      socket().refuse('Unexpected server response: 503');
      await clock.advance(60_000);
    }
    vi.stubGlobal('navigator', { onLine: false });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      socket().refuse();
      await clock.advance(60_000);
    }
    expect(sockets).toHaveLength(9);
    expect(states.at(-1)).toBe('reconnecting');
  });

  it('does not count failures once a socket opened in between', async () => {
    const { clock, socket, states } = await setup({ handshakeFailures: 2 });
    socket().refuse();
    await clock.advance(60_000);
    socket().open();
    socket().drop();
    await clock.advance(60_000);
    socket().refuse();
    await clock.advance(60_000);
    expect(states.at(-1)).toBe('reconnecting');
  });

  it('reports a failing getToken and retries with backoff', async () => {
    let calls = 0;
    const { clock, sockets, errors } = await setup({
      getToken: () => {
        calls += 1;
        if (calls === 1) throw new Error('token service down');
        return 'fresh';
      },
    });
    expect(sockets).toHaveLength(0);
    expect(errors[0]).toMatchObject({ code: 'TOKEN_FAILED', retryable: true });
    await clock.runNext();
    expect(sockets).toHaveLength(1);
  });

  it('moves through the states and ends with close(), leaving no timer behind', async () => {
    const { client, clock, socket, states, collect } = await setup();
    expect(states).toEqual(['connecting']);
    collect('a', { since: '0000000000000001' });
    socket().open();
    socket().drop();
    await clock.runNext();
    socket().open();
    socket().receive({ type: 'message', room: 'a', id: 'x', pos: '0000000000000005', ts: 0, data: null });
    expect(clock.pending).toBeGreaterThan(0);
    client.close();
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open', 'closed']);
    expect(socket().closedWith).toBe(1000);
    expect(client.state).toBe('closed');
    expect(clock.pending).toBe(0);
  });
});
