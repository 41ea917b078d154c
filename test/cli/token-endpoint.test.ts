import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { signToken } from '../../local/cloud/dev-token.js';
import type { FaultTargets } from '../../local/cloud/faults.js';
import type { CloudInfo } from '../../local/cloud/options.js';
import { parseTokenRequest, startConsole, type ConsoleServer, type TokenMinter } from '../../local/console/index.js';

const SECRET = 'a-test-secret';
const PAGE = new URL('../../web/index.html', import.meta.url).pathname;
const opened: ConsoleServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => server.close()));
});

async function tokenUrl(mint: TokenMinter | undefined): Promise<string> {
  const state = { info: {} as CloudInfo, faults: {} as FaultTargets, ...(mint ? { mint } : {}) };
  const server = await startConsole({ host: '127.0.0.1', port: 0, page: PAGE, state: () => state, log: () => undefined });
  opened.push(server);
  return `${server.url}/_roomcast/token`;
}

const post = (url: string, body: string): Promise<Response> => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('POST /_roomcast/token', () => {
  it('answers a token signed with the cloud secret, issuer and audience', async () => {
    const url = await tokenUrl((claims) => signToken(SECRET, { issuer: 'roomcast-local', audience: 'roomcast', ...claims }));
    const response = await post(url, JSON.stringify({ sub: 'alice', rooms: ['scores:*'], ttlSeconds: 60 }));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { token: string; expiresAt: string; sub: string; rooms: string[] };
    expect(answer).toMatchObject({ sub: 'alice', rooms: ['scores:*'] });
    const { payload } = await jwtVerify(answer.token, new TextEncoder().encode(SECRET), { issuer: 'roomcast-local', audience: 'roomcast' });
    expect(payload).toMatchObject({ sub: 'alice', rooms: ['scores:*'] });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(new Date(answer.expiresAt).getTime()).toBe(payload.exp! * 1000);
  });

  it('refuses other methods, bad bodies, other origins, and says when the cloud has no dev tokens', async () => {
    const url = await tokenUrl((claims) => signToken(SECRET, claims));
    expect((await fetch(url)).status).toBe(405);
    expect((await post(url, '{nope')).status).toBe(400);
    expect(await (await post(url, JSON.stringify({ sub: 'a', rooms: [] }))).json()).toEqual({ error: 'rooms must hold 1 to 100 room names or patterns' });
    const foreign = await fetch(url, { method: 'POST', headers: { origin: 'https://evil.example.com' }, body: JSON.stringify({ sub: 'a', rooms: ['*'] }) });
    expect(foreign.status).toBe(403);
    const none = await post(await tokenUrl(undefined), JSON.stringify({ sub: 'a', rooms: ['*'] }));
    expect(none.status).toBe(409);
    expect(((await none.json()) as { error: string }).error).toContain('signs no dev tokens');
  });
});

describe('token requests', () => {
  it('take a subject, rooms and an optional lifetime', () => {
    expect(parseTokenRequest({ sub: 'a', rooms: ['x', 'y:*'] })).toEqual({ sub: 'a', rooms: ['x', 'y:*'] });
    expect(parseTokenRequest({ sub: 'a', rooms: ['*'], ttlSeconds: 3600 })).toEqual({ sub: 'a', rooms: ['*'], ttlSeconds: 3600 });
  });

  it.each([
    [null, 'the body must be'],
    [[], 'the body must be'],
    [{ rooms: ['*'] }, 'sub must be'],
    [{ sub: 'x'.repeat(257), rooms: ['*'] }, 'sub must be'],
    [{ sub: 'a', rooms: '*' }, 'rooms must hold'],
    [{ sub: 'a', rooms: [''] }, 'rooms must hold'],
    [{ sub: 'a', rooms: ['*'], ttlSeconds: 0 }, 'ttlSeconds must be'],
    [{ sub: 'a', rooms: ['*'], ttlSeconds: 1.5 }, 'ttlSeconds must be'],
    [{ sub: 'a', rooms: ['*'], ttlSeconds: 400 * 86_400 }, 'ttlSeconds must be'],
  ])('refuse %j', (body, message) => {
    expect(parseTokenRequest(body)).toEqual({ error: expect.stringContaining(message) });
  });
});
