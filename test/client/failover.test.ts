import { afterEach, describe, expect, it, vi } from 'vitest';
import { Endpoints } from '../../client/sdk/endpoints.js';
import { connect } from '../../client/sdk/index.js';
import type { FakeSocket } from './fakes.js';
import { answer, message, setup } from './setup.js';

const A = 'wss://a.example.test/prod';
const B = 'wss://b.example.test/prod';
const C = 'wss://c.example.test/prod';

const host = (socket: FakeSocket): string => new URL(socket.url).host;

/** A client on several endpoints, with the endpoints it announced. */
async function regions(options: Parameters<typeof setup>[0]) {
  const harness = await setup({ getToken: () => 'fresh', ...options });
  const moves: string[] = [];
  harness.client.on('endpoint', (url) => moves.push(url));
  const hosts = (): string[] => harness.sockets.map(host);
  /** The current socket is refused; the next attempt is made. */
  const refuse = async (): Promise<void> => {
    harness.socket().refuse();
    await harness.clock.runNext();
  };
  return { ...harness, moves, hosts, refuse };
}

describe('the endpoint list', () => {
  it('moves on after `failoverAfter` failures in a row and wraps after the last', () => {
    const endpoints = new Endpoints([A, B, C], 2);
    const seen = [endpoints.url];
    for (let failure = 0; failure < 6; failure += 1) if (endpoints.failed()) seen.push(endpoints.url);
    expect(seen).toEqual([A, B, C, A]);
  });

  it('starts the count over when a connection is healthy', () => {
    const endpoints = new Endpoints([A, B], 2);
    expect(endpoints.failed()).toBe(false);
    endpoints.healthy();
    expect(endpoints.failed()).toBe(false);
    expect(endpoints.failed()).toBe(true);
    expect(endpoints.url).toBe(B);
  });

  it('never moves with one endpoint', () => {
    const endpoints = new Endpoints([A], 1);
    expect([endpoints.failed(), endpoints.failed(), endpoints.url]).toEqual([false, false, A]);
  });
});

describe('failover', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('fails over after 3 refused attempts by default, wraps around, and says where it went', async () => {
    const { client, hosts, moves, refuse } = await regions({ url: [A, B] });
    expect(client.endpoint).toBe(A);
    for (let attempt = 0; attempt < 6; attempt += 1) await refuse();
    expect(hosts()).toEqual(['a.example.test', 'a.example.test', 'a.example.test', 'b.example.test', 'b.example.test', 'b.example.test', 'a.example.test']);
    expect(moves).toEqual([B, A]);
    expect(client.endpoint).toBe(A);
  });

  it('counts sockets lost before every room was subscribed, not the loss of a healthy one; resumes from the last position', async () => {
    const { client, clock, socket, hosts, moves, refuse } = await regions({ url: [A, B], failoverAfter: 2 });
    const got: unknown[] = [];
    client.subscribe<{ n: number }>('r', (delivered) => got.push(delivered.data.n), { snapshot: 5 });
    await refuse();
    socket().open();
    answer(socket(), ['r'], { r: [1, 2] });
    socket().receive(message('r', 3));
    socket().drop();
    await clock.runNext();
    await refuse();
    expect(moves).toEqual([]);
    socket().open();
    const [resume] = socket().frames('subscribe');
    expect(resume?.since).toBeDefined();
    socket().drop(); // opened, but the subscribe was never answered: a failed attempt
    await clock.runNext();
    expect(moves).toEqual([B]);
    expect(client.endpoint).toBe(B);
    expect(hosts()).toEqual(['a.example.test', 'a.example.test', 'a.example.test', 'a.example.test', 'b.example.test']);
    socket().open();
    expect(socket().frames('subscribe')).toEqual([resume]);
    answer(socket(), ['r'], { r: [4] });
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('waits only the first backoff step at a new endpoint, while the backoff goes on growing', async () => {
    const { clock, socket, moves } = await regions({ url: [A, B], failoverAfter: 2, random: () => 0.999_999, backoff: { baseMs: 100, capMs: 10_000 } });
    const waits: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const failedAt = clock.now();
      socket().refuse();
      waits.push((await clock.runNext()) - failedAt);
    }
    expect(moves).toEqual([B, A]);
    expect(waits).toEqual([99, 99, 399, 99, 1599]);
  });

  it('asks getToken for a token for the endpoint it dials, and counts a failing getToken', async () => {
    const getToken = vi.fn(({ url }: { url: string }) => {
      if (url === A) throw new Error('token service of a is down');
      return `for-${new URL(url).host}`;
    });
    const { clock, sockets, errors, moves } = await regions({ url: [A, B], getToken });
    for (let attempt = 0; attempt < 3; attempt += 1) await clock.runNext();
    expect(getToken.mock.calls.map(([endpoint]) => endpoint)).toEqual([{ url: A }, { url: A }, { url: A }, { url: B }]);
    expect(errors.map((error) => error.code)).toEqual(['TOKEN_FAILED', 'TOKEN_FAILED', 'TOKEN_FAILED']);
    expect(moves).toEqual([B]);
    expect(sockets.map((socket) => new URL(socket.url).searchParams.get('token'))).toEqual(['for-b.example.test']);
  });

  it('keeps a getToken without parameter and a single url working as before', async () => {
    const { client, clock, socket, sockets, moves } = await regions({
      url: A,
      getToken: () => 'plain',
      random: () => 0.999_999,
      backoff: { baseMs: 100, capMs: 10_000 },
    });
    const waits: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const failedAt = clock.now();
      socket().refuse();
      waits.push((await clock.runNext()) - failedAt);
    }
    expect(waits).toEqual([99, 199, 399, 799, 1599]);
    expect(new Set(sockets.map((item) => item.url))).toEqual(new Set([`${A}?token=plain`]));
    expect(moves).toEqual([]);
    expect(client.endpoint).toBe(A);
  });

  it('does not count failures while the browser is offline', async () => {
    const { hosts, moves, refuse } = await regions({ url: [A, B], failoverAfter: 2 });
    vi.stubGlobal('navigator', { onLine: false });
    for (let attempt = 0; attempt < 4; attempt += 1) await refuse();
    expect(moves).toEqual([]);
    expect(new Set(hosts())).toEqual(new Set(['a.example.test']));
  });

  it('with a fixed token, tries every endpoint before it concludes the handshake is refused', async () => {
    const { clock, socket, hosts, refuse, states, errors } = await regions({ url: [A, B], getToken: undefined, token: 'fixed' });
    for (let attempt = 0; attempt < 5; attempt += 1) await refuse();
    expect(states.at(-1)).toBe('reconnecting');
    expect(hosts()).toEqual(['a.example.test', 'a.example.test', 'a.example.test', 'b.example.test', 'b.example.test', 'b.example.test']);
    socket().refuse();
    expect(states.at(-1)).toBe('closed');
    expect(clock.pending).toBe(0);
    expect(errors.map((error) => [error.code, error.retryable])).toEqual([['AUTH_FAILED', false]]);
  });

  it('refuses an empty endpoint list', () => {
    expect(() => connect({ url: [], token: 'x' })).toThrow(TypeError);
  });
});
