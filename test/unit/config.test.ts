import { describe, expect, it } from 'vitest';
import { loadConfig } from '@roomcast/core';

describe('config', () => {
  it('has sane defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ authMode: 'jwt', historyLength: 100, snapshotDefault: 20, deliveryShards: 4, jobSize: 100, allowedOrigins: ['*'] });
  });

  it('reads lists and numbers', () => {
    const config = loadConfig({ ALLOWED_ORIGINS: 'https://a.test, https://b.test', DELIVERY_SHARDS: '8', AUTH_MODE: 'none', HISTORY_LENGTH: '10', SNAPSHOT_DEFAULT: '50' });
    expect(config.allowedOrigins).toEqual(['https://a.test', 'https://b.test']);
    expect(config.deliveryShards).toBe(8);
    expect(config.authMode).toBe('none');
    expect(config.snapshotDefault).toBe(10);
  });

  it("keeps connections' rows just over API Gateway's 2 h, unless told otherwise", () => {
    expect(loadConfig({}).connectionTtlSeconds).toBe(2 * 3600 + 600);
    expect(loadConfig({ CONNECTION_TTL_SECONDS: '3' }).connectionTtlSeconds).toBe(3);
  });

  it('caps the deliver instances at DELIVERY_MAX_CONCURRENCY, or in provisioned mode at what the most pollers run', () => {
    expect(loadConfig({ DELIVERY_MAX_CONCURRENCY: '12' }).deliveryMaxConcurrency).toBe(12);
    expect(loadConfig({ DELIVERY_MAX_CONCURRENCY: '12', DELIVERY_MAXIMUM_POLLERS: '0' }).deliveryMaxConcurrency).toBe(12);
    expect(loadConfig({ DELIVERY_MAX_CONCURRENCY: '12', DELIVERY_MAXIMUM_POLLERS: '12' }).deliveryMaxConcurrency).toBe(120);
  });

  it.each([['DELIVERY_MAXIMUM_POLLERS', '-2'], ['DELIVERY_SHARDS', '0'], ['DELIVERY_SHARDS', 'many'], ['HISTORY_LENGTH', '1.5'], ['POST_TIMEOUT_MS', '-1']])('names the variable when %s=%s is bad', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be an integer`));
  });
});
