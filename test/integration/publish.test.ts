import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { positionOf, issuedIn, seqOf } from '../support/positions.js';
import { REGION, startStack, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, drainDeliveries, framesOf, httpEvent, itemsOf, openConnection, queueDepth, sampleEvent, socketEvent } from '../support/flow.js';
import { loadHandlers } from '../support/flow.js';

let stack: Stack;
let connect: LambdaHandler;
let subscribe: LambdaHandler;
let publish: LambdaHandler;
let deliver: LambdaHandler;
let history: LambdaHandler;

beforeAll(async () => {
  stack = await startStack();
  [connect, subscribe, publish, deliver, history] = await loadHandlers(stack, ['connect', 'subscribe', 'publish', 'deliver', 'history']);
});
afterAll(() => stack?.stop());

async function subscribers(room: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    await openConnection(stack, connect, id);
    expect(await subscribe(socketEvent('subscribe', id, { action: 'subscribe', rooms: [room] }))).toEqual({ statusCode: 200 });
  }
}

const messagesOf = (id: string, room: string) => framesOf(stack, id).filter((frame) => frame.type === 'message' && frame.room === room);

describe('publish', () => {
  it('the sample event publishes and answers 202 with room, id and pos', async () => {
    const { statusCode, body } = await callHttp(publish, sampleEvent('publish'));
    expect(statusCode).toBe(202);
    expect(body).toEqual({ room: 'scores:1', id: 'goal-2026-11-21-1', pos: expect.stringMatching(issuedIn(REGION, 1)) });
  });

  it('a room with 3 subscribers gets 3 posts; the same id again makes none and answers the same pos', async () => {
    await subscribers('match:3', ['c3-a=', 'c3-b=', 'c3-c=']);
    const first = await callHttp(publish, httpEvent('publish', { room: 'match:3', body: { id: 'kickoff', data: { minute: 0 } } }));
    expect(first.statusCode).toBe(202);
    await drainDeliveries(stack, deliver);
    const posted = stack.connections.allPosts().filter((post) => JSON.parse(post.data).room === 'match:3' && JSON.parse(post.data).type === 'message');
    expect(posted.map((post) => post.connectionId).sort()).toEqual(['c3-a=', 'c3-b=', 'c3-c=']);
    expect(JSON.parse(posted[0]!.data)).toMatchObject({ type: 'message', room: 'match:3', id: 'kickoff', pos: first.body.pos, data: { minute: 0 } });

    const again = await callHttp(publish, httpEvent('publish', { room: 'match:3', body: { id: 'kickoff', data: { minute: 0 } } }));
    expect(again).toEqual(first);
    expect(await queueDepth(stack, 'DeliveryQueue')).toBe(0);
    await drainDeliveries(stack, deliver);
    for (const id of ['c3-a=', 'c3-b=', 'c3-c=']) expect(messagesOf(id, 'match:3')).toHaveLength(1);
  });

  it('answers 409 IDEMPOTENCY_KEY_REUSED for an id that names another message, in its room or another, and stores nothing', async () => {
    const first = await callHttp(publish, httpEvent('publish', { room: 'reuse:1', body: { id: 'goal-7', data: { minute: 7 } } }));
    expect(first.statusCode).toBe(202);
    const before = await itemsOf(stack, 'MessagesTable', 'reuse:1');
    for (const [room, data] of [['reuse:1', { minute: 8 }], ['reuse:2', { minute: 7 }]] as const) {
      const refused = await callHttp(publish, httpEvent('publish', { room, body: { id: 'goal-7', data } }));
      expect(refused.statusCode, room).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', retryable: false });
    }
    expect(await itemsOf(stack, 'MessagesTable', 'reuse:1')).toEqual(before);
    expect(await itemsOf(stack, 'MessagesTable', 'reuse:2')).toEqual([]);
    const batch = await callHttp(publish, httpEvent('publish', { routeKey: 'POST /messages', body: { messages: [{ room: 'reuse:3', data: 1 }, { room: 'reuse:1', id: 'goal-7', data: 'x' }] } }));
    expect(batch.statusCode).toBe(409);
    expect(batch.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { index: 1 } });
    expect(await itemsOf(stack, 'MessagesTable', 'reuse:3')).toEqual([]);
    // The same request again is still a retry, answered with the first position.
    expect(await callHttp(publish, httpEvent('publish', { room: 'reuse:1', body: { id: 'goal-7', data: { minute: 7 } } }))).toEqual(first);
  });

  it('gives dense positions in publish order, and PUT works like POST', async () => {
    const put = { ...httpEvent('publish', { room: 'order:1', body: { data: 1 } }), routeKey: 'PUT /rooms/{room}/messages' };
    const answers = [await callHttp(publish, put)];
    for (let i = 2; i <= 5; i += 1) answers.push(await callHttp(publish, httpEvent('publish', { room: 'order:1', body: { data: i } })));
    const positions: string[] = answers.map((answer) => answer.body.pos);
    expect(positions.map(seqOf)).toEqual([1, 2, 3, 4, 5]);
    expect([...positions].sort()).toEqual(positions);
    expect(new Set(positions).size).toBe(5);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(5);
  });

  it('a retry after a request that failed once the message was stored delivers it exactly once, at the same pos', async () => {
    await subscribers('retry:1', ['r1-a=', 'r1-b=']);
    // The first attempt stores the message, then cannot reach its queue.
    const broken = await stack.handler('publish', { DELIVERY_QUEUE_URL: `${stack.endpoints.sqs}/000000000000/no-such-queue` });
    const failed = await callHttp(broken, httpEvent('publish', { room: 'retry:1', body: { id: 'once', data: 'x' } }));
    expect(failed.statusCode).toBe(500);
    expect(failed.body.error).toMatchObject({ code: 'INTERNAL', retryable: true });
    const stored = (await itemsOf(stack, 'MessagesTable', 'retry:1')).filter((item) => item.kind?.S === 'msg');
    expect(stored).toHaveLength(1);

    const retried = await callHttp(publish, httpEvent('publish', { room: 'retry:1', body: { id: 'once', data: 'x' } }));
    expect(retried.statusCode).toBe(202);
    expect(retried.body.pos).toBe(stored[0]!.sk.S);
    await drainDeliveries(stack, deliver);
    expect(messagesOf('r1-a=', 'retry:1').map((frame) => frame.id)).toEqual(['once']);
    expect(messagesOf('r1-b=', 'retry:1').map((frame) => frame.id)).toEqual(['once']);
    expect((await itemsOf(stack, 'MessagesTable', 'retry:1')).filter((item) => item.kind?.S === 'msg')).toHaveLength(1);
  });

  it('answers PUBLISH_IN_PROGRESS (retryable) while another request with the id is still under way', async () => {
    const table = stack.tables.MessagesTable!.name;
    const now = Date.now();
    const pos = positionOf(1, REGION, now);
    const record = { pk: { S: 'busy:1' }, sk: { S: '#id#busy' }, kind: { S: 'pub' }, state: { S: 'positioned' }, token: { S: 'other' }, claimedAt: { N: String(now) }, pos: { S: pos }, ts: { N: String(now) } };
    await stack.clients.dynamo.send(new PutItemCommand({ TableName: table, Item: record }));
    const busy = await callHttp(publish, httpEvent('publish', { room: 'busy:1', body: { id: 'busy', data: 1 } }));
    expect(busy.statusCode).toBe(409);
    expect(busy.body.error).toMatchObject({ code: 'PUBLISH_IN_PROGRESS', retryable: true });
    // Once the other request is stale (it died), a retry takes over and finishes the same position.
    await stack.clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { ...record, claimedAt: { N: '0' } } }));
    const retried = await callHttp(publish, httpEvent('publish', { room: 'busy:1', body: { id: 'busy', data: 1 } }));
    expect(retried).toEqual({ statusCode: 202, body: { room: 'busy:1', id: 'busy', pos } });
  });

  it('a claim left half-way by another region is finished with a new position of this region', async () => {
    const table = stack.tables.MessagesTable!.name;
    const elsewhere = positionOf(7, 'ap-south-1');
    const record = { pk: { S: 'moved:1' }, sk: { S: '#id#moved' }, kind: { S: 'pub' }, state: { S: 'positioned' }, token: { S: 'other' }, claimedAt: { N: '0' }, pos: { S: elsewhere }, ts: { N: '1' } };
    await stack.clients.dynamo.send(new PutItemCommand({ TableName: table, Item: record }));
    const retried = await callHttp(publish, httpEvent('publish', { room: 'moved:1', body: { id: 'moved', data: 1 } }));
    expect(retried.statusCode).toBe(202);
    expect(retried.body.pos).toMatch(issuedIn(REGION, 1));
    const stored = (await itemsOf(stack, 'MessagesTable', 'moved:1')).filter((item) => item.kind?.S === 'msg');
    expect(stored.map((item) => [item.sk.S, item.origin.S, item.opos.S])).toEqual([[retried.body.pos, REGION, `${REGION}.0000000000000001`]]);
  });

  it('publishes a batch in order per room and answers in input order', async () => {
    await subscribers('batch:a', ['b-a=']);
    const body = { messages: [{ room: 'batch:a', data: 1, id: 'a1' }, { room: 'batch:b', data: 2, id: 'b1' }, { room: 'batch:a', data: 3, id: 'a2' }] };
    const { statusCode, body: answer } = await callHttp(publish, httpEvent('publish-batch', { body }));
    expect(statusCode).toBe(202);
    expect(answer.messages.map((item: { room: string; id: string; pos: string }) => `${item.room}/${item.id}/${seqOf(item.pos)}`)).toEqual(['batch:a/a1/1', 'batch:b/b1/1', 'batch:a/a2/2']);
    await drainDeliveries(stack, deliver);
    expect(messagesOf('b-a=', 'batch:a').map((frame) => frame.id).sort()).toEqual(['a1', 'a2']);
  });

  it.each([
    ['a body that is not JSON', { room: 'bad:1', body: '{"data":' }, 400, 'INVALID_JSON'],
    ['a body without data', { room: 'bad:1', body: { id: 'x' } }, 400, 'INVALID_MESSAGE'],
    ['a message too big for a socket', { room: 'bad:1', body: { data: 'x'.repeat(130 * 1024) } }, 413, 'MESSAGE_TOO_LARGE'],
    ['data nested too deep', { room: 'bad:1', body: { data: JSON.parse('['.repeat(40) + ']'.repeat(40)) } }, 400, 'INVALID_MESSAGE'],
    ['an invalid room', { room: 'bad#1', body: { data: 1 } }, 400, 'INVALID_ROOM'],
    ['a path-traversal room', { room: '../admin', body: { data: 1 } }, 400, 'INVALID_ROOM'],
  ])('refuses %s with a typed error and stores nothing', async (_, change, status, code) => {
    const { statusCode, body } = await callHttp(publish, httpEvent('publish', change));
    expect(statusCode).toBe(status);
    expect(body.error).toMatchObject({ code, retryable: false });
    expect(await itemsOf(stack, 'MessagesTable', change.room)).toEqual([]);
  });

  it('refuses a batch with one bad message, or over 25, and stores none of it', async () => {
    const oneBad = { messages: [{ room: 'batchbad:1', data: 1 }, { room: 'batchbad:1', data: 2, id: 'has space' }] };
    const first = await callHttp(publish, httpEvent('publish-batch', { body: oneBad }));
    expect(first.statusCode).toBe(400);
    expect(first.body.error.message).toMatch(/^messages\.1/);
    const tooMany = { messages: Array.from({ length: 26 }, (_, i) => ({ room: 'batchbad:1', data: i })) };
    expect((await callHttp(publish, httpEvent('publish-batch', { body: tooMany }))).body.error.code).toBe('BATCH_TOO_LARGE');
    expect(await itemsOf(stack, 'MessagesTable', 'batchbad:1')).toEqual([]);
  });
});

describe('history', () => {
  it('answers the latest messages, and pages after a position', async () => {
    const positions: string[] = [];
    for (let i = 1; i <= 5; i += 1) positions.push((await callHttp(publish, httpEvent('publish', { room: 'hist:1', body: { id: `h${i}`, data: i } }))).body.pos);
    const latest = await callHttp(history, httpEvent('history', { room: 'hist:1', query: { limit: '2' } }));
    expect(latest.statusCode).toBe(200);
    expect(latest.body.messages.map((m: { id: string }) => m.id)).toEqual(['h4', 'h5']);
    expect(latest.body.cursor).toBe(positions[4]);
    const page = await callHttp(history, httpEvent('history', { room: 'hist:1', query: { since: positions[0]!, limit: '2' } }));
    expect(page.body.messages.map((m: { id: string }) => m.id)).toEqual(['h2', 'h3']);
    expect(page.body.next).toBe(positions[2]);
    const rest = await callHttp(history, httpEvent('history', { room: 'hist:1', query: { since: page.body.next, limit: '5' } }));
    expect(rest.body).toMatchObject({ complete: true, messages: [{ id: 'h4' }, { id: 'h5' }] });
    expect(rest.body.next).toBeUndefined();
    const sample = await callHttp(history, sampleEvent('history'));
    expect(sample.statusCode).toBe(200);
  });

  it.each([
    [{ since: 'yesterday' }, 'INVALID_POSITION'],
    [{ limit: '0' }, 'INVALID_MESSAGE'],
    [{ limit: '100000' }, 'INVALID_MESSAGE'],
  ])('refuses %j', async (query, code) => {
    const { statusCode, body } = await callHttp(history, httpEvent('history', { room: 'hist:1', query }));
    expect(statusCode).toBe(400);
    expect(body.error.code).toBe(code);
  });
});
