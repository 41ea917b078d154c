import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { authorize, authorizerHandler, createApp, loadConfig } from '@roomcast/core';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
const event = JSON.parse(readFileSync(new URL('../../events/authorize.json', import.meta.url), 'utf8'));
const base = { AWS_REGION: 'eu-west-1', AUTH_MODE: 'jwt', JWT_ISSUER: 'https://issuer.test', JWT_AUDIENCE: 'roomcast' };

function hsToken(claims: Record<string, unknown> = {}, options: { secret?: string; exp?: string | number; iss?: string; aud?: string; alg?: string } = {}) {
  return new SignJWT({ rooms: ['scores:*', 'chat:lobby'], ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setSubject('user-42')
    .setIssuer(options.iss ?? base.JWT_ISSUER)
    .setAudience(options.aud ?? base.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '10m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

function unsignedToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'mallory', rooms: ['*'], iss: base.JWT_ISSUER, aud: base.JWT_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
}

describe('a secret stored at JWT_SECRET_REF', () => {
  it('is read through the secrets port at each handshake, so a rotation takes effect once the port reads it again', async () => {
    const ROTATED = 'the-next-secret-of-at-least-32-bytes!';
    let current = SECRET;
    const reads: string[] = [];
    const app = createApp(loadConfig({ ...base, JWT_SECRET_REF: '/roomcast/jwt' }));
    app.secrets = { read: async (ref) => (reads.push(ref), current) };
    const handler = authorizerHandler(app, (request) => authorize(app, request));
    const invoke = (token: string) => handler({ ...event, queryStringParameters: { token } });
    expect((await invoke(await hsToken())).principalId).toBe('user-42');
    current = ROTATED;
    expect((await invoke(await hsToken({}, { secret: ROTATED }))).principalId).toBe('user-42');
    await expect(invoke(await hsToken())).rejects.toThrow('Unauthorized');
    expect(reads).toEqual(['/roomcast/jwt', '/roomcast/jwt', '/roomcast/jwt']);
  });
});

describe('an HS256 secret shorter than 32 bytes', () => {
  it.each([
    ['at JWT_SECRET_REF', { JWT_SECRET_REF: '/roomcast/jwt' }, /the secret at \/roomcast\/jwt: an HS256 secret is at least 32 bytes \(this one has 31\)/],
    ['in JWT_SECRET', { JWT_SECRET: 'x'.repeat(31) }, /JWT_SECRET: an HS256 secret is at least 32 bytes \(this one has 31\)/],
  ])('%s is refused with an error that says so, and no token is accepted with it', async (_, env, message) => {
    const app = createApp(loadConfig({ ...base, ...env }));
    app.secrets = { read: async () => 'x'.repeat(31) };
    const token = await hsToken({}, { secret: 'x'.repeat(31) });
    await expect(authorize(app, { token, methodArn: event.methodArn })).rejects.toMatchObject({ code: 'INTERNAL', message });
  });

  it('of exactly 32 bytes is accepted', async () => {
    const app = createApp(loadConfig({ ...base, JWT_SECRET: 'y'.repeat(32) }));
    const token = await hsToken({}, { secret: 'y'.repeat(32) });
    await expect(authorize(app, { token, methodArn: event.methodArn })).resolves.toMatchObject({ principal: 'user-42' });
  });
});

describe('authorizer with an HS256 secret', () => {
  const app = createApp(loadConfig({ ...base, JWT_SECRET: SECRET }));
  const handler = authorizerHandler(app, (request) => authorize(app, request));
  const invoke = (token: string | undefined) => handler({ ...event, queryStringParameters: token === undefined ? {} : { token } });

  it('allows a valid token, with the room patterns as string context', async () => {
    const result = await invoke(await hsToken());
    expect(result.principalId).toBe('user-42');
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }]);
    expect(result.context).toEqual({ principal: 'user-42', rooms: '["scores:*","chat:lobby"]', exp: expect.stringMatching(/^\d+$/) });
  });

  it.each([
    ['no token', async () => undefined],
    ['garbage', async () => 'not.a.jwt'],
    ['expired', async () => hsToken({}, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['wrong issuer', async () => hsToken({}, { iss: 'https://evil.test' })],
    ['wrong audience', async () => hsToken({}, { aud: 'someone-else' })],
    ['wrong secret', async () => hsToken({}, { secret: 'another-secret-of-at-least-32-bytes!' })],
    ['alg none', async () => unsignedToken()],
    ['HS512 (not pinned)', async () => hsToken({}, { alg: 'HS512' })],
  ])('refuses %s with Unauthorized (401)', async (_, token) => {
    await expect(invoke(await token())).rejects.toThrow(/^Unauthorized$/);
  });
});

describe('authorizer with a JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  let publicJwk: JWK;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey as CryptoKey;
    publicKey = pair.publicKey as CryptoKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_, response) => response.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [publicJwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const rsToken = (claims: Record<string, unknown> = {}, key: CryptoKey = privateKey, alg = 'RS256') =>
    new SignJWT({ rooms: 'scores:* chat:lobby', ...claims })
      .setProtectedHeader({ alg, kid: 'k1' })
      .setSubject('svc-7')
      .setIssuer(base.JWT_ISSUER)
      .setAudience(base.JWT_AUDIENCE)
      .setExpirationTime('5m')
      .sign(key);

  it('allows an RS256 token signed by a key of the set', async () => {
    const app = createApp(loadConfig({ ...base, JWT_JWKS_URL: jwksUrl }));
    const result = await authorize(app, { token: await rsToken(), methodArn: event.methodArn });
    expect(result).toMatchObject({ principal: 'svc-7', patterns: ['scores:*', 'chat:lobby'] });
  });

  it('refuses key confusion: an HS256 token whose secret is the public key', async () => {
    const app = createApp(loadConfig({ ...base, JWT_JWKS_URL: jwksUrl }));
    const forged = await hsToken({}, { secret: JSON.stringify(publicJwk) });
    await expect(authorize(app, { token: forged, methodArn: event.methodArn })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it.each<[string, () => Promise<string>]>([
    ['HS256 keyed with the public key as PEM', async () => hsToken({}, { secret: await exportSPKI(publicKey) })],
    ['HS256 keyed with the public key’s modulus (n) as text', async () => hsToken({}, { secret: publicJwk.n! })],
    ['RS256 signed by a key outside the set, under the set’s kid', async () => rsToken({}, (await generateKeyPair('RS256')).privateKey)],
    ['ES256 signed by a key outside the set', async () => rsToken({}, (await generateKeyPair('ES256')).privateKey, 'ES256')],
    ['alg none', async () => unsignedToken()],
  ])('refuses %s', async (_, forge) => {
    const app = createApp(loadConfig({ ...base, JWT_JWKS_URL: jwksUrl }));
    await expect(authorize(app, { token: await forge(), methodArn: event.methodArn })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses an RS256 token when only HS256 is configured', async () => {
    const app = createApp(loadConfig({ ...base, JWT_SECRET: SECRET }));
    await expect(authorize(app, { token: await rsToken(), methodArn: event.methodArn })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
