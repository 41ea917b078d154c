import { describe, expect, it } from 'vitest';
import { createApp, loadConfig } from '@roomcast/core';
import { checkOrigin, identityOf } from '../../layers/core/src/app/identity.js';

describe('origins', () => {
  const allowed = ['https://app.example.com', 'https://*.example.org'];

  it('lets allowed origins and non-browser clients (no Origin) through', () => {
    expect(() => checkOrigin(allowed, 'https://app.example.com')).not.toThrow();
    expect(() => checkOrigin(allowed, 'HTTPS://APP.EXAMPLE.COM')).not.toThrow();
    expect(() => checkOrigin(allowed, 'https://eu.example.org')).not.toThrow();
    expect(() => checkOrigin(allowed, undefined)).not.toThrow();
    expect(() => checkOrigin(['*'], 'https://anything.test')).not.toThrow();
  });

  it.each(['https://evil.com', 'http://app.example.com', 'https://app.example.com.evil.com', 'https://example.org', 'null'])('refuses %s', (origin) => {
    expect(() => checkOrigin(allowed, origin)).toThrow(expect.objectContaining({ code: 'ORIGIN_FORBIDDEN' }));
  });
});

describe('identity from the authorizer context', () => {
  const jwt = createApp(loadConfig({ AUTH_MODE: 'jwt' }));

  it('reads the principal and the JSON list of patterns', () => {
    expect(identityOf(jwt, { principal: 'u1', rooms: '["a:*","b"]' })).toEqual({ principal: 'u1', patterns: ['a:*', 'b'] });
    expect(identityOf(jwt, { principalId: 'u2', rooms: 'a:* b' })).toEqual({ principal: 'u2', patterns: ['a:*', 'b'] });
    expect(identityOf(jwt, { principal: 'u3', rooms: '[broken' })).toEqual({ principal: 'u3', patterns: [] });
  });

  it('refuses a request without an authorized principal in jwt mode', () => {
    expect(() => identityOf(jwt, undefined)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
  });

  it('is anonymous with every room when auth is off', () => {
    const open = createApp(loadConfig({ AUTH_MODE: 'none' }));
    expect(identityOf(open, undefined)).toEqual({ principal: 'anonymous', patterns: ['**', 'roomcast.*', 'roomcast.*:**'] });
  });
});
