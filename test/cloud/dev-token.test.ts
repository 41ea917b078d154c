import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { newSecret, signToken } from '../../local/cloud/dev-token.js';

describe('dev tokens', () => {
  it('are HS256 JWTs a standard library verifies, with the claims the authorizer checks', async () => {
    const secret = newSecret();
    const now = Date.UTC(2026, 10, 21);
    const { token, expiresAt } = signToken(secret, { sub: 'dev', rooms: ['*'], roomsClaim: 'scopes', issuer: 'roomcast-local', audience: 'roomcast', now });
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(secret), { issuer: 'roomcast-local', audience: 'roomcast', currentDate: new Date(now) });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ sub: 'dev', scopes: ['*'], iss: 'roomcast-local', aud: 'roomcast', iat: now / 1000, exp: now / 1000 + 86_400 });
    expect(expiresAt.getTime()).toBe(now + 86_400_000);
  });

  it('leave out an empty issuer or audience, and differ per secret', () => {
    const claims = { sub: 'x', rooms: ['a'], now: 0 };
    const payload = JSON.parse(Buffer.from(signToken('s', claims).token.split('.')[1]!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'rooms', 'sub']);
    expect(signToken('s', claims).token).not.toBe(signToken('t', claims).token);
    expect(newSecret()).not.toBe(newSecret());
  });
});
