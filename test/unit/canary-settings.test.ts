import { describe, expect, it } from 'vitest';
import { canarySettings } from '@roomcast/core';

const URL = 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod';

describe('canarySettings', () => {
  it('reads the environment the template gives CanaryFunction, with defaults', () => {
    expect(canarySettings({ CANARY_URL: URL })).toEqual({ url: URL, messages: 5, timeoutMs: 10_000, connectTimeoutMs: 5_000, tokenRef: '' });
    expect(canarySettings({ CANARY_URL: URL, CANARY_MESSAGES: '12', CANARY_TIMEOUT_MS: '2500', CANARY_TOKEN_REF: '/roomcast/canary-token' })).toMatchObject({
      messages: 12,
      timeoutMs: 2500,
      tokenRef: '/roomcast/canary-token',
    });
  });

  it.each([
    [{ CANARY_URL: '' }, /CANARY_URL/],
    [{ CANARY_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod' }, /CANARY_URL/],
    [{ CANARY_URL: `${URL}?token=x` }, /CANARY_URL/],
    [{ CANARY_URL: URL, CANARY_MESSAGES: '0' }, /CANARY_MESSAGES/],
    [{ CANARY_URL: URL, CANARY_MESSAGES: '51' }, /CANARY_MESSAGES/],
    [{ CANARY_URL: URL, CANARY_TIMEOUT_MS: 'soon' }, /CANARY_TIMEOUT_MS/],
  ])('refuses %j', (env, message) => {
    expect(() => canarySettings(env)).toThrow(message);
  });
});
