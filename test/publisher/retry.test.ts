import { describe, expect, it } from 'vitest';
import { createPublisher } from '../../client/publisher/index.js';
import { issuedIn } from '../support/positions.js';
import { failureOf, publisherFor, startApi } from './helpers.js';
import { CREDENTIALS, REGION } from './product-api.js';

const THROTTLED = { fail: { status: 429, code: 'THROTTLED', retryable: true } };
const INTERNAL = { fail: { status: 500, code: 'INTERNAL', retryable: true } };

describe('retries', () => {
  it('retries 429 and 500 with the same generated id, then succeeds', async () => {
    const { api, publisher } = await publisherFor();
    api.faults.push(THROTTLED, INTERNAL);
    const result = await publisher.publish('scores:1', { home: 3 });
    expect(api.seen).toHaveLength(3);
    expect(new Set(api.seen.map((s) => s.ids[0]))).toEqual(new Set([result.id]));
    expect(await api.stored('scores:1')).toHaveLength(1);
  });

  it('gives up on an attempt past its deadline and retries it with the same id', async () => {
    const { api, publisher } = await publisherFor({ timeoutMs: 400 });
    api.faults.push({ slowMs: 1000 }); // stores, then answers too late
    const result = await publisher.publish('scores:1', { away: 1 }, { id: 'slow-1' });
    expect(result).toEqual({ room: 'scores:1', id: 'slow-1', pos: expect.stringMatching(issuedIn(REGION, 1)) });
    expect(api.seen.map((s) => s.ids[0])).toEqual(['slow-1', 'slow-1']);
    expect(await api.stored('scores:1')).toHaveLength(1);
  });

  it('reports TIMEOUT when every attempt is too slow', async () => {
    const { api, publisher } = await publisherFor({ timeoutMs: 100, retries: { attempts: 2, baseMs: 1, capMs: 1 } });
    api.faults.push({ slowMs: 600 }, { slowMs: 600 });
    const error = await failureOf(publisher.publish('lobby', 1));
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, attempts: 2, status: undefined });
  });

  it('retries a 409 PUBLISH_IN_PROGRESS', async () => {
    const { api, publisher } = await publisherFor();
    api.faults.push({ fail: { status: 409, code: 'PUBLISH_IN_PROGRESS', retryable: true } });
    await publisher.publish('lobby', 1, { id: 'p-1' });
    expect(api.seen.map((s) => s.ids[0])).toEqual(['p-1', 'p-1']);
  });

  it('does not retry 400 INVALID_MESSAGE', async () => {
    const { api, publisher } = await publisherFor();
    const error = await failureOf(publisher.publish('lobby', undefined));
    expect(error).toMatchObject({ code: 'INVALID_MESSAGE', status: 400, retryable: false, attempts: 1 });
    expect(api.seen).toHaveLength(1);
  });

  it('does not retry a 5xx the server marks not retryable', async () => {
    const { api, publisher } = await publisherFor();
    api.faults.push({ fail: { status: 500, code: 'INTERNAL', retryable: false } });
    expect(await failureOf(publisher.publish('lobby', 1))).toMatchObject({ code: 'INTERNAL', attempts: 1 });
    expect(api.seen).toHaveLength(1);
  });

  it('stops after the configured attempts with the last error', async () => {
    const { api, publisher } = await publisherFor();
    api.faults.push(INTERNAL, THROTTLED, INTERNAL, THROTTLED, INTERNAL);
    const error = await failureOf(publisher.publish('lobby', 1));
    expect(error).toMatchObject({ code: 'THROTTLED', status: 429, retryable: true, attempts: 4 });
    expect(api.seen).toHaveLength(4);
  });

  it('retries a network error with the same body', async () => {
    const bodies: string[] = [];
    let failures = 1;
    const flaky: typeof fetch = async (input, init) => {
      bodies.push(String(init?.body));
      if (failures-- > 0) throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
      return fetch(input, init);
    };
    const { api, publisher } = await publisherFor({ fetch: flaky });
    const result = await publisher.publish('lobby', { n: 1 });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(api.seen.map((s) => s.ids[0])).toEqual([result.id]);
  });

  it('reports NETWORK when the endpoint cannot be reached', async () => {
    const closed = await startApi();
    await closed.close();
    const publisher = createPublisher({ endpoint: closed.url, region: REGION, credentials: CREDENTIALS, retries: { attempts: 2, baseMs: 1, capMs: 1 } });
    const error = await failureOf(publisher.publish('lobby', 1));
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true, attempts: 2 });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('stops waiting for the next attempt when the caller aborts', async () => {
    const controller = new AbortController();
    const abortAfterAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.text();
      controller.abort(new Error('shutting down'));
      return new Response(text, { status: response.status, headers: response.headers });
    };
    const { api, publisher } = await publisherFor({ fetch: abortAfterAnswer, retries: { attempts: 5, baseMs: 60_000, capMs: 60_000 } });
    api.faults.push(INTERNAL);
    const error = await failureOf(publisher.publish('lobby', 1, { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'ABORTED', retryable: false, attempts: 1 });
    expect(api.seen).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { api, publisher } = await publisherFor();
    const error = await failureOf(publisher.publish('lobby', 1, { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ code: 'ABORTED', retryable: false });
    expect(api.seen).toHaveLength(0);
  });
});
