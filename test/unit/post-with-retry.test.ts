/** postWithRetry (app/post-with-retry.ts) on the in-memory management API: who is retried, when, how often, and what is left. */
import { describe, expect, it } from 'vitest';
import { postWithRetry, type PostRetry, type PostRound } from '../../layers/core/src/app/post-with-retry.js';
import { MemoryConnectionsApi } from '../support/fakes/memory-connections-api.js';

const ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/test';
const FRAME = '{"type":"message","id":"m1"}';

function world(connected: readonly string[]) {
  const api = new MemoryConnectionsApi();
  connected.forEach((id) => api.connect(id));
  const events: string[] = [];
  const slept: number[] = [];
  const app = {
    connectionsApi: api,
    async sleep(ms: number) {
      slept.push(ms);
      events.push(`sleep ${ms}`);
    },
  };
  const retry = (overrides: Partial<PostRetry> = {}): PostRetry => ({
    endpoint: ENDPOINT,
    frame: FRAME,
    attempts: 3,
    // The top of each pause's range: 10 * 2^n - 1 ms before retry n.
    backoff: { baseMs: 10, capMs: 1000, random: () => 0.9999 },
    ...overrides,
  });
  return { api, app, events, slept, retry };
}

describe('postWithRetry', () => {
  it('posts the frame once to each connection, with no pause, when all are delivered', async () => {
    const { api, app, slept, retry } = world(['c1', 'c2']);
    const result = await postWithRetry(app, ['c1', 'c2'], retry());
    expect(result).toEqual({ delivered: 2, gone: 0, throttled: 0, retried: 0, pending: [], failure: undefined });
    expect(api.frames('c1')).toEqual([FRAME]);
    expect(api.frames('c2')).toEqual([FRAME]);
    expect(api.calls.every((call) => call.endpoint === ENDPOINT)).toBe(true);
    expect(slept).toEqual([]);
  });

  it('posts again only the throttled and failed connections, after a pause that doubles', async () => {
    const { api, app, slept, retry } = world(['c1', 'c2', 'c3']);
    api.inject('throttled', 2, 'c2');
    api.inject('failed', 1, 'c3');
    const result = await postWithRetry(app, ['c1', 'c2', 'c3'], retry());
    expect(result).toMatchObject({ delivered: 3, gone: 0, throttled: 2, retried: 3, pending: [] });
    expect(api.calls.map((call) => `${call.connectionId} ${call.outcome}`)).toEqual([
      'c1 delivered',
      'c2 throttled',
      'c3 failed',
      'c2 throttled',
      'c3 delivered',
      'c2 delivered',
    ]);
    expect(slept).toEqual([19, 39]);
    for (const id of ['c1', 'c2', 'c3']) expect(api.frames(id)).toEqual([FRAME]);
  });

  it('neither retries nor counts as pending a connection that is gone', async () => {
    const { api, app, slept, retry } = world(['c1']);
    const result = await postWithRetry(app, ['c1', 'c2'], retry());
    expect(result).toMatchObject({ delivered: 1, gone: 1, retried: 0, pending: [] });
    expect(api.calls.filter((call) => call.connectionId === 'c2')).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it('stops after the last attempt, without a pause after it, and answers what is still pending and why', async () => {
    const { api, app, slept, retry } = world(['c1', 'c2']);
    api.inject('failed', Number.POSITIVE_INFINITY, 'c2');
    const result = await postWithRetry(app, ['c1', 'c2'], retry({ attempts: 4 }));
    expect(result).toMatchObject({ delivered: 1, retried: 3, pending: ['c2'], failure: { outcome: 'failed' } });
    expect(String(result.failure?.error)).toContain('injected failed answer');
    expect(api.calls.filter((call) => call.connectionId === 'c2')).toHaveLength(4);
    expect(slept).toHaveLength(3);
  });

  it('makes one round only with one attempt', async () => {
    const { api, app, slept, retry } = world(['c1']);
    api.inject('throttled', 1);
    const result = await postWithRetry(app, ['c1'], retry({ attempts: 1 }));
    expect(result).toMatchObject({ delivered: 0, throttled: 1, retried: 0, pending: ['c1'], failure: { outcome: 'throttled' } });
    expect(api.calls).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it('hands each round to the caller before the pause of the next', async () => {
    const { api, app, events, retry } = world(['c1', 'c2']);
    api.inject('throttled', 1, 'c1');
    const rounds: PostRound[] = [];
    const onRound = async (round: PostRound) => {
      rounds.push(round);
      events.push(`round ${round.attempt}`);
    };
    await postWithRetry(app, ['c1', 'c2', 'c3'], retry({ onRound }));
    expect(events).toEqual(['round 0', 'sleep 19', 'round 1']);
    expect(rounds[0]).toMatchObject({ attempt: 0, delivered: ['c2'], gone: ['c3'], throttled: 1, retry: ['c1'], failure: { outcome: 'throttled' } });
    expect(rounds[1]).toMatchObject({ attempt: 1, delivered: ['c1'], gone: [], throttled: 0, retry: [] });
    expect(rounds[1]!.failure).toBeUndefined();
  });

  it('runs every post through the caller\'s schedule', async () => {
    const { api, app, retry } = world(['c1', 'c2']);
    api.inject('failed', 1, 'c2');
    let scheduled = 0;
    const schedule = <T>(post: () => Promise<T>): Promise<T> => {
      scheduled += 1;
      return post();
    };
    await postWithRetry(app, ['c1', 'c2'], retry({ schedule }));
    expect(scheduled).toBe(3);
    expect(api.calls).toHaveLength(3);
  });
});
