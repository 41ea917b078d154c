/**
 * Sessions that end with their token (app/session.ts, app/refresh.ts, app/sweep.ts, and
 * the fan-out's skip in app/plan.ts) on the in-memory ports: a frame after the token's
 * `exp` plus the grace answers TOKEN_EXPIRED, a `refresh` renews the session in place and
 * leaves the rooms the new token no longer grants, the fan-out plans nothing for an ended
 * session, and the sweep closes it.
 */
import { SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { connect, planFanOut, refresh, sweepSessions } from '@roomcast/core';
import { checkSession } from '../../layers/core/src/app/session.js';
import type { SocketRequest } from '../../layers/core/src/app/socket-request.js';
import type { DeliveryJob } from '../../layers/core/src/model/delivery-job.js';
import { encodePosition } from '../../layers/core/src/model/positions.js';
import { MemoryConnections } from '../support/fakes/memory-connections.js';
import { ENDPOINT, fakeApp, type FakeWorld } from '../support/fake-app.js';

const SECRET = 'a-secret-of-the-session-tests-0123456789';
const GRACE = 30;
const ID = 's1=';

let world: FakeWorld;
let connections: MemoryConnections;
/** The fake clock in seconds. */
const nowSeconds = (): number => Math.floor(world.clock.now / 1000);

function token(claims: { sub?: string; rooms?: string[]; exp?: number; nbf?: number } = {}): Promise<string> {
  const jwt = new SignJWT({ rooms: claims.rooms ?? ['**'] }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub ?? 'alice').setExpirationTime(claims.exp ?? nowSeconds() + 600);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(new TextEncoder().encode(SECRET));
}

function request(routeKey: string, exp: number, rooms = ['**'], connectionId = ID): SocketRequest {
  const authorizer = { principal: 'alice', principalId: 'alice', rooms: JSON.stringify(rooms), exp: String(exp) };
  return { routeKey, connectionId, body: undefined, headers: {}, query: {}, authorizer, connectionsEndpoint: ENDPOINT };
}

/** A connection through `$connect` whose token expires at `exp`, subscribed to `rooms`. */
async function connected(exp: number, rooms: string[], connectionId = ID): Promise<void> {
  await connect(world.app, request('$connect', exp, ['**'], connectionId));
  world.api.connect(connectionId);
  if (rooms.length > 0) await connections.subscribe((await connections.get(connectionId))!, rooms, 200);
}

const parsed = (frames: readonly string[]) => frames.map((text) => JSON.parse(text) as Record<string, unknown>);

beforeEach(() => {
  world = fakeApp({ JWT_SECRET: SECRET, TOKEN_EXPIRY_GRACE_SECONDS: String(GRACE) });
  connections = new MemoryConnections(2, 1000);
  world.app.connections = connections;
});

describe('a session that ends with its token', () => {
  it('is stored at $connect with its end: the token\'s exp plus the grace', async () => {
    const exp = nowSeconds() + 3;
    await connected(exp, []);
    expect((await connections.get(ID))?.sessionEndsAt).toBe(exp + GRACE);
  });

  it('lets frames through until exp + grace, without reading the connection', async () => {
    const exp = nowSeconds() + 3;
    await connected(exp, []);
    connections.get = () => Promise.reject(new Error('read'));
    world.clock.now += (3 + GRACE - 1) * 1000;
    await expect(checkSession(world.app, request('subscribe', exp))).resolves.toBeUndefined();
  });

  it('answers every frame but refresh with TOKEN_EXPIRED (retryable) once exp + grace has passed', async () => {
    const exp = nowSeconds() + 3;
    await connected(exp, []);
    world.clock.now += (3 + GRACE) * 1000;
    for (const route of ['subscribe', 'unsubscribe', 'ping', '$default']) {
      await expect(checkSession(world.app, request(route, exp)), route).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', retryable: true, details: { expiredAt: exp * 1000 } });
    }
    await expect(checkSession(world.app, request('refresh', exp))).resolves.toBeUndefined();
    await expect(checkSession(world.app, request('$disconnect', exp))).resolves.toBeUndefined();
  });

  it('ends without a token (AuthMode none) only when the connection expires, and frames still pass', async () => {
    world = fakeApp({ AUTH_MODE: 'none' });
    world.app.connections = connections = new MemoryConnections(2, 1000);
    await connect(world.app, { ...request('$connect', 0), authorizer: undefined });
    const stored = await connections.get(ID);
    // At the row's expiry the sweep removes it, so its rooms are counted out (model/occupancy.ts).
    expect(stored?.sessionEndsAt).toBe(stored?.expiresAt);
    world.clock.now += 10 * 86_400_000;
    await expect(checkSession(world.app, { ...request('subscribe', 0), authorizer: undefined })).resolves.toBeUndefined();
  });

  it('ends a token that outlives the connection at the connection’s expiry', async () => {
    await connected(nowSeconds() + 30 * 86_400, ['a']);
    const stored = await connections.get(ID);
    expect(stored?.sessionEndsAt).toBe(stored?.expiresAt);
  });
});

describe('refresh', () => {
  it('renews the session in place: frames pass again, and `refreshed` says until when', async () => {
    const exp = nowSeconds() + 3;
    await connected(exp, ['a']);
    world.clock.now += (3 + GRACE) * 1000;
    const next = nowSeconds() + 600;
    const answer = JSON.parse(await refresh(world.app, request('refresh', exp), { action: 'refresh', token: await token({ exp: next }) }));
    expect(answer).toEqual({ type: 'refreshed', expiresAt: next * 1000 });
    expect((await connections.get(ID))?.sessionEndsAt).toBe(next + GRACE);
    // The context still holds the first token's exp: the row, renewed, decides.
    await expect(checkSession(world.app, request('subscribe', exp))).resolves.toBeUndefined();
    expect(world.counts.get('Refreshed')).toBe(1);
  });

  it('leaves the rooms the new token no longer grants, with an `unsubscribed` that says why, and keeps the others', async () => {
    const exp = nowSeconds() + 600;
    await connected(exp, ['scores:1', 'admin:1', 'chat:lobby']);
    await refresh(world.app, request('refresh', exp), { action: 'refresh', token: await token({ rooms: ['scores:*', 'chat:*'] }) });
    const stored = (await connections.get(ID))!;
    expect(stored.rooms.sort()).toEqual(['chat:lobby', 'scores:1']);
    expect(stored.patterns).toEqual(['scores:*', 'chat:*']);
    expect(parsed(world.api.frames(ID))).toEqual([
      { type: 'unsubscribed', rooms: ['admin:1'], reason: 'ROOM_FORBIDDEN', message: 'the new token does not grant these rooms' },
    ]);
  });

  it('refuses a token of another principal, an expired one, one not valid yet and a forged one, and changes nothing', async () => {
    const exp = nowSeconds() + 600;
    await connected(exp, ['a']);
    const refused = [
      await token({ sub: 'mallory' }),
      await token({ exp: nowSeconds() - 1 }),
      await token({ nbf: nowSeconds() + 60 }),
      `${(await token()).slice(0, -4)}AAAA`,
    ];
    for (const value of refused) {
      await expect(refresh(world.app, request('refresh', exp), { action: 'refresh', token: value })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect((await connections.get(ID))?.sessionEndsAt).toBe(exp + GRACE);
    expect(world.api.frames(ID)).toEqual([]);
  });
});

describe('the fan-out of an ended session', () => {
  const message = { room: 'a', id: 'm1', pos: encodePosition({ clock: 1, origin: 'eu-west-1', seq: 1 }), ts: 1, origin: 'eu-west-1', data: {} };
  const planned = (): string[] => world.queue.requests.flatMap((sent) => sent.items).flatMap((job: DeliveryJob) => job.connections).sort();

  it('plans nothing for a connection whose session ended, and again after its refresh', async () => {
    const exp = nowSeconds() + 3;
    await connected(exp, ['a'], 'old=');
    await connected(nowSeconds() + 3600, ['a'], 'new=');
    world.clock.now += (3 + GRACE) * 1000;
    await planFanOut(world.app, message);
    expect(planned()).toEqual(['new=']);
    await refresh(world.app, request('refresh', exp, ['**'], 'old='), { action: 'refresh', token: await token() });
    await planFanOut(world.app, message);
    expect(planned()).toEqual(['new=', 'new=', 'old=']);
  });
});

describe('the session sweep', () => {
  it('closes the connections whose session ended, removes those already gone, and leaves the others', async () => {
    const exp = nowSeconds() + 3;
    await connected(exp, ['a'], 'ended=');
    await connected(exp, ['a'], 'vanished=');
    await connected(nowSeconds() + 3600, ['a'], 'healthy=');
    world.api.disconnect('vanished=');
    world.clock.now += (3 + GRACE) * 1000;
    const report = await sweepSessions(world.app);
    expect(report).toEqual({ ended: 2, closed: 1, gone: 1, failed: 0 });
    expect(world.api.closed).toEqual(['ended=']);
    expect(await connections.get('vanished=')).toBeUndefined();
    expect(await connections.get('healthy=')).toBeDefined();
    expect(world.counts.get('SessionsClosed')).toBe(2);
  });

  it('closes nothing before exp + grace', async () => {
    await connected(nowSeconds() + 3, ['a']);
    world.clock.now += (3 + GRACE - 1) * 1000;
    expect(await sweepSessions(world.app)).toEqual({ ended: 0, closed: 0, gone: 0, failed: 0 });
  });
});
