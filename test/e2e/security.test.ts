/**
 * The handshake's defences end to end (gateway, the real authorizer and $connect): every
 * token that is not valid is refused with 401, the Origin allowlist with 403, a token only
 * opens the rooms it names, and no token ever reaches a log line of the cloud or its
 * functions, refused ones included.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { cloudForFile, eventually, handshake, Socket } from './support.js';

const SECRET = 'a-secret-of-the-security-tests-0123456789';
const ISSUER = 'roomcast-local';
const AUDIENCE = 'roomcast';
const ORIGIN = 'https://app.example.com';

const lines: string[] = [];
const cloud = cloudForFile({
  jwtSecret: SECRET,
  parameterOverrides: { DeliveryMaxConcurrency: '2', AllowedOrigins: `${ORIGIN},https://*.example.org`, LogLevel: 'DEBUG' },
  log: (line) => lines.push(line),
  functionLog: (fn, line) => lines.push(`[${fn}] ${line}`),
});

/** Every token this file sends: none may show up in a log line. */
const used = new Set<string>();

interface TokenOptions {
  alg?: string;
  key?: Uint8Array | CryptoKey;
  claims?: Record<string, unknown>;
  /** null: no such claim. */
  sub?: string | null;
  exp?: number | string | null;
  iss?: string;
  aud?: string;
}

async function token({ alg = 'HS256', key = new TextEncoder().encode(SECRET), claims = {}, sub = 'mallory', exp = '10m', iss = ISSUER, aud = AUDIENCE }: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ rooms: ['**'], ...claims }).setProtectedHeader({ alg }).setIssuer(iss).setAudience(aud).setIssuedAt();
  if (sub !== null) jwt.setSubject(sub);
  if (exp !== null) jwt.setExpirationTime(exp);
  return remember(await jwt.sign(key));
}

function unsigned(): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 600;
  return remember(`${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'mallory', rooms: ['*'], iss: ISSUER, aud: AUDIENCE, exp })}.`);
}

function remember(value: string): string {
  used.add(value);
  return value;
}

const connectWith = (value: string, headers?: Record<string, string>) => handshake(`${cloud().info.wsUrl}?token=${encodeURIComponent(value)}`, undefined, headers);

describe('tokens on $connect', () => {
  it('opens with a valid token', async () => {
    expect(await connectWith(await token())).toBe('open');
  });

  it.each<[string, () => Promise<string>]>([
    ['garbage', async () => remember('not.a.jwt')],
    ['expired', () => token({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['not valid yet', () => token({ claims: { nbf: Math.floor(Date.now() / 1000) + 600 } })],
    ['of another issuer', () => token({ iss: 'https://evil.example.net' })],
    ['for another audience', () => token({ aud: 'someone-else' })],
    ['signed with another secret', () => token({ key: new TextEncoder().encode('another-secret-of-at-least-32-bytes!!') })],
    ['with alg none', async () => unsigned()],
    ['with an algorithm that is not pinned (HS512)', () => token({ alg: 'HS512' })],
    ['signed with an RSA key (the HS/RS confusion, the other way round)', async () => token({ alg: 'RS256', key: (await generateKeyPair('RS256')).privateKey })],
    ['without sub', () => token({ sub: null })],
    ['without exp', () => token({ exp: null })],
    ['with its signature changed', async () => remember(`${(await token()).slice(0, -4)}AAAA`)],
    ['with its claims changed', async () => {
      const [header, , signature] = (await token()).split('.');
      const claims = Buffer.from(JSON.stringify({ sub: 'admin', rooms: ['*'], iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
      return remember(`${header}.${claims}.${signature}`);
    }],
  ])('refuses a token %s with 401', async (_, make) => {
    expect(await connectWith(await make())).toBe(401);
  });

  it('refuses a handshake without a token, or with an empty one, with 401', async () => {
    expect(await handshake(cloud().info.wsUrl)).toBe(401);
    expect(await handshake(`${cloud().info.wsUrl}?token=`)).toBe(401);
  });

  it('opens only the rooms the token names: others, and reserved ones under **, are ROOM_FORBIDDEN', async () => {
    const socket = await Socket.open(cloud(), await token({ claims: { rooms: ['scores:*', '**'] } }));
    for (const rooms of [['roomcast.canary'], ['scores:1', 'roomcast.canary']]) {
      await socket.subscribe(rooms);
      expect(socket.frames.at(-1)).toMatchObject({ type: 'error', code: 'ROOM_FORBIDDEN', details: { rooms: ['roomcast.canary'] } });
    }
    await socket.close();
    const scoped = await Socket.open(cloud(), await token({ claims: { rooms: 'scores:*' } }));
    await scoped.subscribe(['scores']);
    expect(scoped.frames.at(-1)).toMatchObject({ type: 'error', code: 'ROOM_FORBIDDEN' });
    await scoped.subscribe(['scores:1']);
    expect(scoped.frames.at(-1)).toEqual({ type: 'subscribed', rooms: ['scores:1'] });
    await scoped.close();
  });

  it('reads a * within one segment: team:1* grants team:12, never team:1:admin; team:1:** grants the subtree', async () => {
    const socket = await Socket.open(cloud(), await token({ claims: { rooms: ['team:1*', 'team:2:**'] } }));
    for (const rooms of [['team:1:admin'], ['team:2'], ['team:12', 'team:12:x']]) {
      await socket.subscribe(rooms);
      expect(socket.frames.at(-1), rooms.join()).toMatchObject({ type: 'error', code: 'ROOM_FORBIDDEN' });
    }
    await socket.subscribe(['team:12', 'team:1', 'team:2:chat', 'team:2:chat:mods']);
    expect(socket.frames.at(-1)).toEqual({ type: 'subscribed', rooms: ['team:12', 'team:1', 'team:2:chat', 'team:2:chat:mods'] });
    await socket.close();
  });
});

describe('the Origin allowlist on $connect', () => {
  it.each([ORIGIN, 'https://APP.example.com', 'https://eu.example.org'])('opens for %s', async (origin) => {
    expect(await connectWith(await token(), { Origin: origin })).toBe('open');
  });

  it.each(['https://evil.example.net', 'http://app.example.com', 'https://app.example.com.evil.net', 'https://example.org.evil.net', 'https://evilexample.org', 'https://example.org', 'null'])(
    'refuses %s with 403, even with a valid token',
    async (origin) => {
      expect(await connectWith(await token(), { Origin: origin })).toBe(403);
    },
  );

  it('opens without an Origin: not a browser, the token protects it', async () => {
    expect(await connectWith(await token())).toBe('open');
  });
});

describe('logs', () => {
  it('never hold a token, accepted or refused, in any line of the cloud or its functions', async () => {
    const refused = await token({ iss: 'https://evil.example.net' });
    expect(await connectWith(refused)).toBe(401);
    expect(await connectWith(await token(), { Origin: 'https://evil.example.net' })).toBe(403);
    const socket = await Socket.open(cloud(), await token());
    socket.send({ action: 'ping' });
    await socket.waitFor((frame) => frame.type === 'pong', 'pong');
    await socket.close();
    // The lines of these connects are there (so the check below looks at real lines)...
    await eventually(async () => lines.some((line) => line.includes('connection refused') && line.includes('UNAUTHORIZED')), 'the authorizer to log a refusal');
    await eventually(async () => lines.some((line) => line.includes('ORIGIN_FORBIDDEN')), '$connect to log the refused origin');
    await eventually(async () => lines.some((line) => line.includes('disconnected')), 'the gateway to log the close');
    // ...and none holds a token, nor a token's signature, nor a token in a query string.
    expect(used.size).toBeGreaterThan(10);
    for (const value of used) {
      const signature = value.split('.')[2] ?? '';
      const leaks = lines.filter((line) => line.includes(value) || (signature.length > 8 && line.includes(signature)));
      expect(leaks, `a log line holds a token: ${leaks[0]?.slice(0, 300)}`).toEqual([]);
    }
    expect(lines.filter((line) => /token=/i.test(line))).toEqual([]);
  });
});
