/**
 * Rooms that grow, planned by planners (model/room-partitions.ts, app/plan.ts), against
 * DynamoDB Local and the SQS emulator: a room opens generations of partitions as it fills
 * (here every 3 rows, so that a few dozen subscribers make several generations), a publish
 * to it hands its fan-out to the plan queue, and planners post each subscriber once, also
 * while subscribes, unsubscribes and publishes run at the same time, and after a planner
 * crashed mid-segment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { startStack, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, drainFanOut, httpEvent, loadHandlers, openConnection, queueDepth, sampleEvent, socketEvent } from '../support/flow.js';

let stack: Stack;
let connect: LambdaHandler;
let subscribe: LambdaHandler;
let unsubscribe: LambdaHandler;
let publish: LambdaHandler;
let plan: LambdaHandler;
let deliver: LambdaHandler;

beforeAll(async () => {
  stack = await startStack({ env: { ROOM_PARTITION_ROWS: '3' } });
  [connect, subscribe, unsubscribe, publish, plan, deliver] = await loadHandlers(stack, ['connect', 'subscribe', 'unsubscribe', 'publish', 'plan', 'deliver']);
});
afterAll(() => stack?.stop());

const ok = { statusCode: 200 };

async function join(room: string, id: string, handler = subscribe): Promise<void> {
  await openConnection(stack, connect, id);
  expect(await handler(socketEvent('subscribe', id, { action: 'subscribe', rooms: [room], snapshot: 0 }))).toEqual(ok);
}

async function publishTo(room: string, id: string): Promise<void> {
  const { statusCode } = await callHttp(publish, httpEvent('publish', { room, body: { id, data: { id } } }));
  expect(statusCode).toBe(202);
}

/** Message ids posted to each connection in `room`, in order. */
function received(room: string): Map<string, string[]> {
  const byConnection = new Map<string, string[]>();
  for (const post of stack.connections.allPosts()) {
    const frame = JSON.parse(post.data);
    if (frame.type !== 'message' || frame.room !== room) continue;
    byConnection.set(post.connectionId, [...(byConnection.get(post.connectionId) ?? []), frame.id]);
  }
  return byConnection;
}

async function tableItems(prefix: string): Promise<Array<Record<string, any>>> {
  const table = stack.tables.ConnectionsTable!.name;
  const items: Array<Record<string, any>> = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await stack.clients.dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []).filter((item) => item.pk!.S!.startsWith(prefix)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Each partition's count equals the rows in it, and the principal shards count exactly the
 * distinct principals of the rows (model/occupancy.ts); answers the room's generation.
 */
async function checkCounts(room: string): Promise<number> {
  const items = await tableItems(`room#${room}`);
  const rows = new Map<string, number>();
  const counts = new Map<string, number>();
  const principals = new Set<string>();
  let counted = 0;
  let generation = 0;
  for (const item of items) {
    const pk = item.pk!.S!;
    if (/#p\d+$/.test(pk)) counted += item.sk!.S === '#principals' ? Number(item.principals!.N) : 0;
    else if (item.sk!.S === 'shape') generation = Number(item.generation!.N);
    else if (item.sk!.S === '#rows') counts.set(pk, Number(item.rows!.N));
    else {
      rows.set(pk, (rows.get(pk) ?? 0) + 1);
      principals.add(item.principal!.S!);
    }
  }
  for (const [pk, count] of counts) expect(count, pk).toBe(rows.get(pk) ?? 0);
  for (const [pk, count] of rows) expect(counts.get(pk), pk).toBe(count);
  expect(counted, 'principals counted').toBe(principals.size);
  return generation;
}

describe('rooms that grow', () => {
  it('a room that outgrew its first partitions is planned by planners: every subscriber posted once', async () => {
    const room = 'grow:seq';
    const ids = Array.from({ length: 40 }, (_, index) => `grow-${index}=`);
    for (const id of ids) await join(room, id);
    const generation = await checkCounts(room);
    expect(generation).toBeGreaterThanOrEqual(2);

    await publishTo(room, 'm1');
    // Nothing was planned inside the publish: its fan-out waits in the plan queue.
    expect(await queueDepth(stack, 'DeliveryQueue')).toBe(0);
    expect(await queueDepth(stack, 'PlanQueue')).toBeGreaterThan(0);
    await drainFanOut(stack, plan, deliver);
    const got = received(room);
    expect([...got.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(got.get(id)).toEqual(['m1']);
  });

  it('a small room is still planned inside the publish, with a handful of requests', async () => {
    const room = 'grow:small';
    for (const id of ['small-1=', 'small-2=']) await join(room, id);
    await publishTo(room, 's1');
    expect(await queueDepth(stack, 'PlanQueue')).toBe(0);
    expect(await queueDepth(stack, 'DeliveryQueue')).toBe(1);
    await drainFanOut(stack, plan, deliver);
    expect(Object.fromEntries(received(room))).toEqual({ 'small-1=': ['s1'], 'small-2=': ['s1'] });
  });

  it('grows while subscribes, unsubscribes, publishes and planners run at once: nobody lost, nothing twice', async () => {
    const room = 'grow:busy';
    // Two subscribe instances: each knows the room's shape from its own reads, up to a second old.
    const [subscribeA, subscribeB] = await loadHandlers(stack, ['subscribe', 'subscribe']);
    const ids = Array.from({ length: 90 }, (_, index) => `busy-${index}=`);
    const joinedAt = new Map<string, number>();
    const leftAt = new Map<string, number>();
    const published: Array<{ id: string; startedAt: number }> = [];
    let done = false;
    const pump = (async () => {
      while (!done) {
        await drainFanOut(stack, plan, deliver, 60_000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const joiner = async (worker: number): Promise<void> => {
      for (let index = worker; index < ids.length; index += 6) {
        const id = ids[index]!;
        await join(room, id, index % 2 === 0 ? subscribeA : subscribeB);
        joinedAt.set(id, performance.now());
        if (index % 5 === 0) {
          leftAt.set(id, performance.now());
          expect(await unsubscribe(socketEvent('unsubscribe', id, { action: 'unsubscribe', rooms: [room] }))).toMatchObject(ok);
        }
      }
    };
    const publisher = async (): Promise<void> => {
      for (let index = 0; index < 15; index += 1) {
        published.push({ id: `busy-m${index}`, startedAt: performance.now() });
        await publishTo(room, `busy-m${index}`);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    };
    await Promise.all([...Array.from({ length: 6 }, (_, worker) => joiner(worker)), publisher()]);
    done = true;
    await pump;
    await publishTo(room, 'busy-last');
    await drainFanOut(stack, plan, deliver, 60_000);

    expect(await checkCounts(room)).toBeGreaterThanOrEqual(2);
    const got = received(room);
    for (const [id, messages] of got) expect(new Set(messages).size, `${id} got a message twice: ${messages.join(', ')}`).toBe(messages.length);
    for (const id of ids) {
      const mine = got.get(id) ?? [];
      if (leftAt.has(id)) {
        expect(mine, id).not.toContain('busy-last');
        continue;
      }
      expect(mine, id).toContain('busy-last');
      // Every message published after this subscriber had joined reached it.
      const owed = published.filter((message) => message.startedAt > joinedAt.get(id)!).map((message) => message.id);
      for (const message of owed) expect(mine, `${id} misses ${message}`).toContain(message);
    }
  }, 120_000);

  it('a planner that crashed mid-segment is retried from the segment start: nobody lost', async () => {
    const room = 'grow:crash';
    // One generation (no growth), planned by a planner all the same, one connection per job:
    // the segment's 30 jobs take three SendMessageBatch calls, and the crashing planner's SQS
    // answers the first, then drops every connection.
    const [bigRows, queued] = await Promise.all([stack.handler('subscribe', { ROOM_PARTITION_ROWS: '1000' }), stack.handler('publish', { PLAN_INLINE_PARTITIONS: '0' })]);
    const ids = Array.from({ length: 30 }, (_, index) => `crash-${index}=`);
    for (const id of ids) await join(room, id, bigRows);
    expect((await callHttp(queued, httpEvent('publish', { room, body: { id: 'c1', data: 1 } }))).statusCode).toBe(202);
    const proxy = await sqsThatDies(stack.endpoints.sqs, 1);
    try {
      const crashing = await stack.handler('plan', { AWS_ENDPOINT_URL_SQS: proxy.endpoint, DELIVERY_JOB_SIZE: '1' });
      const healthy = await stack.handler('plan', { DELIVERY_JOB_SIZE: '1' });
      const url = stack.queues.PlanQueue!.url;
      const { Messages = [] } = await stack.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      expect(Messages).toHaveLength(1);
      const record = { ...sampleEvent('plan').Records[0], messageId: Messages[0]!.MessageId, body: Messages[0]!.Body, attributes: { ...sampleEvent('plan').Records[0].attributes, ...Messages[0]!.Attributes } };
      expect(await crashing({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: Messages[0]!.MessageId }] });
      expect(proxy.refused()).toBeGreaterThan(0);
      expect(await queueDepth(stack, 'DeliveryQueue')).toBe(10);
      // SQS hands the task out again; a healthy planner plans the segment from its start.
      await drainFanOut(stack, healthy, deliver, 60_000);
    } finally {
      await proxy.close();
    }
    const got = received(room);
    for (const id of ids) expect(got.get(id)?.length ?? 0, id).toBeGreaterThanOrEqual(1);
    // The 10 whose jobs the crashed planner had sent were posted twice: the SDK drops those by id.
    expect([...got.values()].filter((messages) => messages.length === 2)).toHaveLength(10);
    expect(await checkCounts(room)).toBe(0);
  }, 120_000);
});

/** An SQS endpoint that forwards `allowed` requests to the emulator, then drops every connection. */
async function sqsThatDies(target: string, allowed: number): Promise<{ endpoint: string; refused(): number; close(): Promise<void> }> {
  let passed = 0;
  let refused = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      if (passed >= allowed) {
        refused += 1;
        req.socket.destroy();
        return;
      }
      passed += 1;
      const answer = await fetch(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => (headers[name] = value));
      res.writeHead(answer.status, headers);
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused: () => refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

