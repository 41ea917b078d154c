import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retryPolicy } from '../../client/publisher/backoff.js';
import { errorFromResponse, isRetryable } from '../../client/publisher/errors.js';

const POLICY = { attempts: 5, baseMs: 100, capMs: 5000 };

describe('backoff', () => {
  it('is uniformly random below an exponentially growing, capped ceiling', () => {
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, POLICY, undefined, () => 0.999999))).toEqual([99, 199, 399, 799]);
    expect(backoffDelay(10, POLICY, undefined, () => 0.999999)).toBe(4999);
    expect(backoffDelay(3, POLICY, undefined, () => 0)).toBe(0);
  });

  it("waits at least a server's Retry-After, up to the cap", () => {
    expect(backoffDelay(0, POLICY, 1000, () => 0)).toBe(1000);
    expect(backoffDelay(0, POLICY, 60_000, () => 0)).toBe(5000);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('fills in defaults and refuses nonsense', () => {
    expect(retryPolicy({ attempts: 2 })).toEqual({ attempts: 2, baseMs: 100, capMs: 5000 });
    expect(() => retryPolicy({ attempts: 0 })).toThrow(RangeError);
    expect(() => retryPolicy({ baseMs: -1 })).toThrow(RangeError);
  });
});

describe('errors', () => {
  it('retries 429 and 5xx unless marked otherwise, other statuses only when marked', () => {
    expect(isRetryable(429, 'THROTTLED', undefined)).toBe(true);
    expect(isRetryable(503, 'UNAVAILABLE', undefined)).toBe(true);
    expect(isRetryable(500, 'INTERNAL', false)).toBe(false);
    expect(isRetryable(409, 'PUBLISH_IN_PROGRESS', undefined)).toBe(true);
    expect(isRetryable(400, 'INVALID_MESSAGE', false)).toBe(false);
    expect(isRetryable(403, 'FORBIDDEN', undefined)).toBe(false);
  });

  it("reads roomcast's error body and API Gateway's", () => {
    const body = JSON.stringify({ error: { code: 'BATCH_TOO_LARGE', message: 'at most 25', retryable: false, details: { max: 25 } } });
    expect(errorFromResponse(400, body, 'rid')).toMatchObject({ code: 'BATCH_TOO_LARGE', message: 'at most 25', status: 400, retryable: false, details: { max: 25 }, requestId: 'rid' });
    expect(errorFromResponse(503, '{"message":"Service Unavailable"}', undefined)).toMatchObject({ code: 'UNAVAILABLE', message: 'Service Unavailable', retryable: true });
    expect(errorFromResponse(418, 'teapot', undefined)).toMatchObject({ code: 'HTTP_418', message: 'teapot', retryable: false });
  });
});
