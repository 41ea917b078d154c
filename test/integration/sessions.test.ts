/**
 * Sessions that end with their token, on DynamoDB Local through the template's functions:
 * the session's end on the connection row (in the index bySessionEnd) and on every
 * subscription row, TOKEN_EXPIRED after it, a `refresh` that renews both and leaves the
 * rooms the new token no longer grants, the fan-out that skips ended sessions, and the
 * sweep that closes them.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, drainDeliveries, framesOf, httpEvent, itemsOf, loadHandlers, sampleEvent, socketEvent } from '../support/flow.js';

const SECRET = 'a-secret-of-the-session-tests-0123456789';
const GRACE = 1;

let stack: Stack;
let connect: LambdaHandler;
let subscribe: LambdaHandler;
let ping: LambdaHandler;
let publish: LambdaHandler;
let deliver: LambdaHandler;
let refresh: LambdaHandler;
let sweep: LambdaHandler;

beforeAll(async () => {
  stack = await startStack({ parameters: { TokenExpiryGraceSeconds: String(GRACE), JwtSecretRef: '/roomcast/test-secret' } });
  [connect, subscribe, ping, publish, deliver] = await loadHandlers(stack, ['connect', 'subscribe', 'default', 'publish', 'deliver']);
  refresh = await stack.handler('refresh', { JWT_SECRET: SECRET, JWT_SECRET_REF: '' });
  sweep = await stack.handler('sweep');
});
afterAll(() => stack?.stop());

const seconds = (): number => Math.floor(Date.now() / 1000);

function token(claims: { sub: string; rooms?: string[]; exp?: number }): Promise<string> {
  return new SignJWT({ rooms: claims.rooms ?? ['**'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setExpirationTime(claims.exp ?? seconds() + 600)
    .sign(new TextEncoder().encode(SECRET));
}

/** A socket event of `id` whose authorizer context carries the token's `exp`. */
function event(name: string, id: string, exp: number, body?: unknown) {
  const made = socketEvent(name, id, body);
  made.requestContext.authorizer.exp = String(exp);
  return made;
}

async function opened(id: string, exp: number, rooms: string[]): Promise<void> {
  stack.connections.register(id);
  expect(await connect(event('connect', id, exp))).toEqual({ statusCode: 200 });
  if (rooms.length > 0) await subscribe(event('subscribe', id, seconds() + 600, { action: 'subscribe', rooms }));
}

const connectionRow = async (id: string) =>
  (await stack.clients.dynamo.send(new GetItemCommand({ TableName: stack.tables.ConnectionsTable!.name, Key: { pk: { S: `conn#${id}` }, sk: { S: 'conn' } }, ConsistentRead: true }))).Item;

/** The session end on each of the connection's subscription rows of `room` (base partitions: the room stays small). */
async function rowEnds(room: string, id: string): Promise<Array<string | undefined>> {
  const rows = [];
  for (let shard = 0; shard < 4; shard += 1) rows.push(...(await itemsOf(stack, 'ConnectionsTable', `room#${room}#${shard}`)).filter((item) => item.sk?.S === id));
  return rows.map((row) => row.sessionEndsAt?.N);
}

const body = (result: unknown) => JSON.parse((result as { body: string }).body);

describe('the session on the rows', () => {
  it('is stored at $connect and on each subscription row: exp + TokenExpiryGraceSeconds', async () => {
    const exp = seconds() + 600;
    await opened('rows=', exp, ['sess:rows']);
    const row = await connectionRow('rows=');
    expect(row?.sessionEndsAt?.N).toBe(String(exp + GRACE));
    expect(row?.sweepShard?.S).toMatch(/^\d$/);
    expect(await rowEnds('sess:rows', 'rows=')).toEqual([String(exp + GRACE)]);
  });
});

describe('after exp + grace', () => {
  it('answers subscribe and ping with TOKEN_EXPIRED; refresh renews the session in place', async () => {
    const exp = seconds() - GRACE - 1;
    await opened('late=', exp, []);
    for (const [handler, frame] of [[subscribe, { action: 'subscribe', rooms: ['sess:late'] }], [ping, { action: 'ping' }]] as const) {
      expect(body(await handler(event('subscribe', 'late=', exp, frame)))).toMatchObject({ type: 'error', code: 'TOKEN_EXPIRED', retryable: true });
    }
    const next = seconds() + 600;
    expect(body(await refresh(event('refresh', 'late=', exp, { action: 'refresh', token: await token({ sub: 'user-late=', exp: next }) })))).toEqual({ type: 'refreshed', expiresAt: next * 1000 });
    // The context still says the first exp: the renewed row decides.
    expect(body(await ping(event('default', 'late=', exp, { action: 'ping' })))).toEqual({ type: 'pong' });
    expect((await connectionRow('late='))?.sessionEndsAt?.N).toBe(String(next + GRACE));
  });

  it('refresh with fewer rooms leaves the others with `unsubscribed`, and renews the rows of those it keeps', async () => {
    const exp = seconds() + 5;
    await opened('fewer=', exp, ['sess:keep', 'sess:drop']);
    const next = seconds() + 900;
    const answer = await refresh(event('refresh', 'fewer=', exp, { action: 'refresh', token: await token({ sub: 'user-fewer=', rooms: ['sess:keep'], exp: next }) }));
    expect(body(answer)).toEqual({ type: 'refreshed', expiresAt: next * 1000 });
    expect(framesOf(stack, 'fewer=').filter((frame) => frame.type === 'unsubscribed')).toEqual([
      { type: 'unsubscribed', rooms: ['sess:drop'], reason: 'ROOM_FORBIDDEN', message: 'the new token does not grant these rooms' },
    ]);
    expect(await rowEnds('sess:keep', 'fewer=')).toEqual([String(next + GRACE)]);
    expect(await rowEnds('sess:drop', 'fewer=')).toEqual([]);
    expect((await connectionRow('fewer='))?.rooms?.SS).toEqual(['sess:keep']);
    // The new token's patterns are the connection's now: the room it dropped is forbidden.
    expect(body(await subscribe(event('subscribe', 'fewer=', exp, { action: 'subscribe', rooms: ['sess:drop'] })))).toMatchObject({ code: 'ROOM_FORBIDDEN' });
  });

  it('refuses a refresh for another principal, and the session stays as it was', async () => {
    const exp = seconds() + 600;
    await opened('other=', exp, []);
    expect(body(await refresh(event('refresh', 'other=', exp, { action: 'refresh', token: await token({ sub: 'mallory' }) })))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await connectionRow('other='))?.sessionEndsAt?.N).toBe(String(exp + GRACE));
  });
});

describe('the fan-out and the sweep', () => {
  it('delivers nothing to an ended session, and the sweep closes it (or removes it when already gone)', async () => {
    const ended = seconds() - GRACE - 1;
    await opened('ended=', ended, ['sess:fan']);
    await opened('vanished=', ended, ['sess:fan']);
    await opened('alive=', seconds() + 600, ['sess:fan']);
    stack.connections.unregister('vanished=');
    await callHttp(publish, httpEvent('publish', { room: 'sess:fan', body: { id: 'f1', data: 1 } }));
    await drainDeliveries(stack, deliver);
    const messages = (id: string) => framesOf(stack, id).filter((frame) => frame.type === 'message');
    expect(messages('alive=').map((frame) => frame.id)).toEqual(['f1']);
    expect(messages('ended=')).toEqual([]);

    const report = await sweep(sampleEvent('sweep'));
    expect(report).toMatchObject({ closed: 1, gone: 1, failed: 0 });
    expect(stack.connections.deleted()).toContain('ended=');
    expect(await connectionRow('vanished=')).toBeUndefined();
    expect(await rowEnds('sess:fan', 'vanished=')).toEqual([]);
    expect(await connectionRow('alive=')).toBeDefined();
  });
});
