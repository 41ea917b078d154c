import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startStack, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, framesOf, httpEvent, itemsOf, openConnection, sampleEvent, socketEvent } from '../support/flow.js';
import { loadHandlers } from '../support/flow.js';

let stack: Stack;
let connect: LambdaHandler;
let disconnect: LambdaHandler;
let subscribe: LambdaHandler;
let unsubscribe: LambdaHandler;
let ping: LambdaHandler;
let publish: LambdaHandler;

beforeAll(async () => {
  stack = await startStack();
  [connect, disconnect, subscribe, unsubscribe, ping, publish] = await loadHandlers(stack, ['connect', 'disconnect', 'subscribe', 'unsubscribe', 'default', 'publish']);
});
afterAll(() => stack?.stop());

const connectionRow = async (id: string) =>
  (await stack.clients.dynamo.send(new GetItemCommand({ TableName: stack.tables.ConnectionsTable!.name, Key: { pk: { S: `conn#${id}` }, sk: { S: 'conn' } }, ConsistentRead: true }))).Item;

/** Every subscription row of a connection, across the room's shards. */
async function subscriptionRows(room: string, id: string): Promise<number> {
  let count = 0;
  for (let shard = 0; shard < 4; shard += 1) count += (await itemsOf(stack, 'ConnectionsTable', `room#${room}#${shard}`)).filter((item) => item.sk?.S === id).length;
  return count;
}

const errorFrame = (result: unknown) => JSON.parse((result as { body: string }).body);

describe('$connect and $disconnect', () => {
  it('stores the connection with its principal, patterns and a TTL just over 2 h', async () => {
    const before = Math.floor(Date.now() / 1000);
    expect(await connect(sampleEvent('connect'))).toEqual({ statusCode: 200 });
    const row = await connectionRow(sampleEvent('connect').requestContext.connectionId);
    expect(row?.principal?.S).toBe('user-42');
    expect(row?.patterns?.L?.map((item) => item.S)).toEqual(['scores:*', 'chat:lobby']);
    const ttl = Number(row?.expiresAt?.N) - before;
    expect(ttl).toBeGreaterThan(2 * 3600);
    expect(ttl).toBeLessThan(3 * 3600);
  });

  it('refuses an origin outside the allowed ones with 403 and stores nothing', async () => {
    const strict = await stack.handler('connect', { ALLOWED_ORIGINS: 'https://app.example.com' });
    const event = socketEvent('connect', 'origin-bad=');
    event.headers.Origin = 'https://evil.example.net';
    expect(await strict(event)).toEqual({ statusCode: 403 });
    expect(await connectionRow('origin-bad=')).toBeUndefined();
    const allowed = socketEvent('connect', 'origin-ok=');
    expect(await strict(allowed)).toEqual({ statusCode: 200 });
  });

  it('refuses a connection that reached $connect without an authorized principal (401)', async () => {
    const event = socketEvent('connect', 'no-auth=');
    delete event.requestContext.authorizer;
    expect(await connect(event)).toEqual({ statusCode: 401 });
    expect(await connectionRow('no-auth=')).toBeUndefined();
  });

  it('$disconnect removes the connection and all its subscription rows', async () => {
    await openConnection(stack, connect, 'bye=');
    await subscribe(socketEvent('subscribe', 'bye=', { action: 'subscribe', rooms: ['d:1', 'd:2'] }));
    expect(await subscriptionRows('d:1', 'bye=')).toBe(1);
    expect(await disconnect(socketEvent('disconnect', 'bye='))).toEqual({ statusCode: 200 });
    expect(await connectionRow('bye=')).toBeUndefined();
    expect(await subscriptionRows('d:1', 'bye=')).toBe(0);
    expect(await subscriptionRows('d:2', 'bye=')).toBe(0);
    expect(await disconnect(sampleEvent('disconnect'))).toEqual({ statusCode: 200 });
  });
});

describe('subscribe', () => {
  it('the sample event subscribes and posts `subscribed` then a snapshot per room', async () => {
    const event = sampleEvent('subscribe');
    await openConnection(stack, connect, event.requestContext.connectionId);
    expect(await subscribe(event)).toEqual({ statusCode: 200 });
    const frames = framesOf(stack, event.requestContext.connectionId);
    expect(frames.map((frame) => frame.type)).toEqual(['subscribed', 'snapshot', 'snapshot']);
    expect(frames[0]).toEqual({ type: 'subscribed', rooms: ['scores:1', 'chat:lobby'] });
  });

  it('sends the latest N as the snapshot, oldest first, and everything after `since` on resume', async () => {
    const positions: string[] = [];
    for (let i = 1; i <= 6; i += 1) positions.push((await callHttp(publish, httpEvent('publish', { room: 'snap:1', body: { id: `s${i}`, data: i } }))).body.pos);
    await openConnection(stack, connect, 'snap=');
    await subscribe(socketEvent('subscribe', 'snap=', { action: 'subscribe', rooms: ['snap:1'], snapshot: 3 }));
    const [, snapshot] = framesOf(stack, 'snap=');
    expect(snapshot).toMatchObject({ type: 'snapshot', room: 'snap:1', complete: true, cursor: positions[5] });
    expect(snapshot.messages.map((m: { id: string }) => m.id)).toEqual(['s4', 's5', 's6']);

    await openConnection(stack, connect, 'resume=');
    await subscribe(socketEvent('subscribe', 'resume=', { action: 'subscribe', rooms: ['snap:1'], since: { 'snap:1': positions[1] } }));
    const [, resumed] = framesOf(stack, 'resume=');
    expect(resumed.messages.map((m: { id: string }) => m.id)).toEqual(['s3', 's4', 's5', 's6']);
    expect(resumed.complete).toBe(true);
  });

  it.each([
    ['malformed JSON', '{"action":"subscribe",', 'BAD_FRAME'],
    ['wrong types', { action: 'subscribe', rooms: 'a' }, 'INVALID_FRAME'],
    ['an invalid room', { action: 'subscribe', rooms: ['ok:1', 'bad#1'] }, 'INVALID_ROOM'],
    ['too many rooms', { action: 'subscribe', rooms: Array.from({ length: 51 }, (_, i) => `r${i}`) }, 'TOO_MANY_ROOMS'],
    ['a bad since', { action: 'subscribe', rooms: ['ok:1'], since: { 'ok:1': 'x' } }, 'INVALID_POSITION'],
    ['an oversize frame', { action: 'subscribe', rooms: ['ok:1'], pad: 'x'.repeat(33 * 1024) }, 'FRAME_TOO_LARGE'],
  ])('refuses %s with an error frame, changes nothing, and the connection stays usable', async (_, body, code) => {
    const id = `bad-${code}=`;
    await openConnection(stack, connect, id);
    await subscribe(socketEvent('subscribe', id, { action: 'subscribe', rooms: ['keep:1'] }));
    const result = await subscribe(socketEvent('subscribe', id, body));
    expect(errorFrame(result)).toMatchObject({ type: 'error', code, retryable: false });
    expect((await connectionRow(id))?.rooms?.SS).toEqual(['keep:1']);
    expect(await subscriptionRows('ok:1', id)).toBe(0);
    expect(await subscriptionRows('keep:1', id)).toBe(1);
    expect(await subscribe(socketEvent('subscribe', id, { action: 'subscribe', rooms: ['ok:1'] }))).toEqual({ statusCode: 200 });
    expect(await subscriptionRows('ok:1', id)).toBe(1);
  });

  it('subscribes to rooms named like members of Object (constructor, toString), with their snapshots', async () => {
    await openConnection(stack, connect, 'object-names=');
    expect(await subscribe(socketEvent('subscribe', 'object-names=', { action: 'subscribe', rooms: ['constructor', 'toString'], snapshot: 5 }))).toEqual({ statusCode: 200 });
    expect(framesOf(stack, 'object-names=').map((frame) => [frame.type, frame.room])).toEqual([['subscribed', undefined], ['snapshot', 'constructor'], ['snapshot', 'toString']]);
    expect(await subscriptionRows('constructor', 'object-names=')).toBe(1);
  });

  it('refuses rooms the token does not allow, naming them, and subscribes to none of the frame', async () => {
    // The connection's patterns are its token's, from $connect on (a refresh may change them).
    stack.connections.register('scoped=');
    await connect(socketEvent('connect', 'scoped=', undefined, ['scores:*']));
    const result = await subscribe(socketEvent('subscribe', 'scoped=', { action: 'subscribe', rooms: ['scores:1', 'admin:1'] }, ['scores:*']));
    expect(errorFrame(result)).toMatchObject({ code: 'ROOM_FORBIDDEN', details: { rooms: ['admin:1'] } });
    expect(await subscriptionRows('scores:1', 'scoped=')).toBe(0);
    expect(await subscribe(socketEvent('subscribe', 'scoped=', { action: 'subscribe', rooms: ['scores:1'] }, ['scores:*']))).toEqual({ statusCode: 200 });
  });

  it('grants a reserved room only to a token pattern naming it, not to *', async () => {
    await openConnection(stack, connect, 'reserved=');
    const refused = await subscribe(socketEvent('subscribe', 'reserved=', { action: 'subscribe', rooms: ['roomcast.canary'] }, ['**']));
    expect(errorFrame(refused)).toMatchObject({ code: 'ROOM_FORBIDDEN', details: { rooms: ['roomcast.canary'] } });
    stack.connections.register('reserved-named=');
    await connect(socketEvent('connect', 'reserved-named=', undefined, ['roomcast.canary']));
    expect(await subscribe(socketEvent('subscribe', 'reserved-named=', { action: 'subscribe', rooms: ['roomcast.canary'] }, ['roomcast.canary']))).toEqual({ statusCode: 200 });
  });

  it('keeps a connection under its room limit', async () => {
    const limited = await stack.handler('subscribe', { ROOMS_PER_CONNECTION: '3' });
    await openConnection(stack, connect, 'limit=');
    expect(await limited(socketEvent('subscribe', 'limit=', { action: 'subscribe', rooms: ['l1', 'l2'] }))).toEqual({ statusCode: 200 });
    expect(errorFrame(await limited(socketEvent('subscribe', 'limit=', { action: 'subscribe', rooms: ['l3', 'l4'] })))).toMatchObject({ code: 'TOO_MANY_ROOMS' });
    expect(await limited(socketEvent('subscribe', 'limit=', { action: 'subscribe', rooms: ['l1', 'l3'] }))).toEqual({ statusCode: 200 });
    expect((await connectionRow('limit='))?.rooms?.SS?.sort()).toEqual(['l1', 'l2', 'l3']);
  });

  it('answers CONNECTION_UNKNOWN (retryable) for a connection the server does not know', async () => {
    expect(errorFrame(await subscribe(socketEvent('subscribe', 'ghost=', { action: 'subscribe', rooms: ['a'] })))).toMatchObject({ code: 'CONNECTION_UNKNOWN', retryable: true });
  });
});

describe('unsubscribe and ping', () => {
  it('unsubscribe removes the rows and answers `unsubscribed`', async () => {
    await openConnection(stack, connect, 'unsub=');
    await subscribe(socketEvent('subscribe', 'unsub=', { action: 'subscribe', rooms: ['u:1', 'u:2'] }));
    const result = await unsubscribe(socketEvent('unsubscribe', 'unsub=', { action: 'unsubscribe', rooms: ['u:1'] }));
    expect(JSON.parse((result as { body: string }).body)).toEqual({ type: 'unsubscribed', rooms: ['u:1'] });
    expect(await subscriptionRows('u:1', 'unsub=')).toBe(0);
    expect(await subscriptionRows('u:2', 'unsub=')).toBe(1);
    expect((await connectionRow('unsub='))?.rooms?.SS).toEqual(['u:2']);
    expect(JSON.parse(((await unsubscribe(sampleEvent('unsubscribe'))) as { body: string }).body).type).toBe('unsubscribed');
  });

  it('ping answers pong; $default answers typed errors for unknown or malformed frames', async () => {
    expect(await ping(sampleEvent('default'))).toEqual({ statusCode: 200, body: '{"type":"pong"}' });
    const unknown = socketEvent('default', 'p=', { action: 'shout' });
    unknown.requestContext.routeKey = '$default';
    expect(errorFrame(await ping(unknown))).toMatchObject({ code: 'UNKNOWN_ACTION', retryable: false });
    expect(errorFrame(await ping(socketEvent('default', 'p=', 'hello')))).toMatchObject({ code: 'BAD_FRAME' });
  });
});
