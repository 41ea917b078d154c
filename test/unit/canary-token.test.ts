import { describe, expect, it } from 'vitest';
import { authorize, createApp, isRoomAllowed, loadConfig } from '@roomcast/core';
import { CANARY_ROOM } from '../../layers/core/src/app/canary/index.js';
import { CANARY_PRINCIPAL, canaryToken } from '../../layers/core/src/app/canary/token.js';

const SECRET = 'canary-test-secret-with-enough-bytes-0123456789';
const base = { AUTH_MODE: 'jwt', JWT_ISSUER: 'https://issuer.example.com/', JWT_AUDIENCE: 'roomcast', JWT_ROOMS_CLAIM: 'allowed' };
const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$connect';
/** No secret is stored: these tests give the key (JWT_SECRET) or need none. */
const NO_SECRETS = { read: (ref: string): Promise<string> => Promise.reject(new Error(`no secret ${ref}`)) };
/** SSM and Secrets Manager as the secrets port sees them: a value per name. */
const stored = (values: Record<string, string>) => ({ read: async (ref: string): Promise<string> => values[ref] ?? Promise.reject(new Error(`no secret ${ref}`)) });

describe('canaryToken', () => {
  it('signs an HS256 token that the stack authorizer accepts, allowing the canary room only', async () => {
    const config = loadConfig({ ...base, JWT_SECRET: SECRET });
    const token = await canaryToken(config, NO_SECRETS, '', Date.now(), [CANARY_ROOM]);
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const result = await authorize(createApp(config), { token, methodArn });
    expect(result.principal).toBe(CANARY_PRINCIPAL);
    expect(result.patterns).toEqual([CANARY_ROOM]);
    expect(isRoomAllowed(result.patterns, CANARY_ROOM)).toBe(true);
    expect(isRoomAllowed(result.patterns, 'scores:1')).toBe(false);
    expect(isRoomAllowed(result.patterns, 'scores:1')).toBe(false);
  });

  it('expires within minutes', async () => {
    const config = loadConfig({ ...base, JWT_SECRET: SECRET });
    const token = await canaryToken(config, NO_SECRETS, '', Date.now() - 10 * 60_000, [CANARY_ROOM]);
    await expect(authorize(createApp(config), { token, methodArn })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('is not needed with AuthMode none', async () => {
    await expect(canaryToken(loadConfig({ AUTH_MODE: 'none' }), NO_SECRETS, '', Date.now(), [CANARY_ROOM])).resolves.toBeUndefined();
  });

  it('cannot be signed with JWKS authentication: then it must come from CANARY_TOKEN_REF', async () => {
    const config = loadConfig({ ...base, JWT_JWKS_URL: 'https://issuer.example.com/.well-known/jwks.json' });
    await expect(canaryToken(config, NO_SECRETS, '', Date.now(), [CANARY_ROOM])).rejects.toThrow(/CANARY_TOKEN_REF/);
  });

  it('uses the token stored at CANARY_TOKEN_REF as it is, or signs with the secret stored at JWT_SECRET_REF', async () => {
    const secrets = stored({ '/roomcast/canary-token': ' a-stored-token\n', '/roomcast/jwt': SECRET });
    expect(await canaryToken(loadConfig({ ...base }), secrets, '/roomcast/canary-token', Date.now(), [CANARY_ROOM])).toBe('a-stored-token');
    const config = loadConfig({ ...base, JWT_SECRET_REF: '/roomcast/jwt' });
    const token = await canaryToken(config, secrets, '', Date.now(), [CANARY_ROOM]);
    const app = createApp(config);
    app.secrets = secrets;
    expect((await authorize(app, { token, methodArn })).principal).toBe(CANARY_PRINCIPAL);
  });
});

