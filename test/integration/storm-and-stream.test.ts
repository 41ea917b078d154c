import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { createApp, createAwsClients, loadConfig, parseFrame, subscribe, websocketHandler } from '@roomcast/core';
import { startStack, REGION, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, drainDeliveries, framesOf, httpEvent, openConnection, queueDepth, sampleEvent, socketEvent } from '../support/flow.js';
import { loadHandlers } from '../support/flow.js';

let stack: Stack;
let connect: LambdaHandler;
let publish: LambdaHandler;
let deliver: LambdaHandler;

beforeAll(async () => {
  stack = await startStack();
  [connect, publish, deliver] = await loadHandlers(stack, ['connect', 'publish', 'deliver']);
});
afterAll(() => stack?.stop());

/** The subscribe function as its folder composes it, with history reads counted at the SDK. */
function countedSubscribe(env: Record<string, string>) {
  const config = loadConfig({ ...stack.functionEnv('subscribe'), ...env });
  const clients = createAwsClients(config.region);
  const counter = { historyReads: 0 };
  clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string };
      if (context.commandName === 'QueryCommand' && input.TableName === config.messagesTable) counter.historyReads += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countHistoryReads' },
  );
  const app = createApp(config, clients);
  const handler = websocketHandler(app, (request) => subscribe(app, request, parseFrame(request.body, 'subscribe')));
  return { handler: (event: unknown) => handler(event as Parameters<typeof handler>[0]), counter };
}

describe('a subscribe storm on one hot room', () => {
  it('500 subscribes with a snapshot make a bounded number of history reads, and all get the snapshot', async () => {
    for (let i = 1; i <= 3; i += 1) await callHttp(publish, httpEvent('publish', { room: 'hot:1', body: { id: `h${i}`, data: i } }));
    const ids = Array.from({ length: 500 }, (_, i) => `storm-${i}=`);
    for (const id of ids) await openConnection(stack, connect, id);
    const { handler, counter } = countedSubscribe({});
    const started = performance.now();
    const results = await Promise.all(ids.map((id) => handler(socketEvent('subscribe', id, { action: 'subscribe', rooms: ['hot:1'], snapshot: true }))));
    const periods = Math.ceil((performance.now() - started) / 1000) + 1;
    expect(results.every((result) => (result as { statusCode: number }).statusCode === 200 && !('body' in (result as object)))).toBe(true);
    // At most one window per cache period (1 s) the storm lasted, however long a busy
    // machine made it last; a window is two queries: the latest messages and the room's
    // per-region counters (which origins have published to it). 500 reads without the cache.
    expect(counter.historyReads).toBeLessThanOrEqual(2 * periods);
    for (const id of ids) {
      // Delivery is at least once: a post retried after its deadline can arrive twice.
      const snapshot = framesOf(stack, id).find((frame) => frame.type === 'snapshot');
      expect(snapshot?.messages.map((m: { id: string }) => m.id)).toEqual(['h1', 'h2', 'h3']);
    }
  }, 60_000);

  it('without the cache every subscribe reads history (so the bound above is the cache’s doing)', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `nocache-${i}=`);
    for (const id of ids) await openConnection(stack, connect, id);
    const { handler, counter } = countedSubscribe({ SNAPSHOT_CACHE_MS: '0' });
    await Promise.all(ids.map((id) => handler(socketEvent('subscribe', id, { action: 'subscribe', rooms: ['hot:1'], snapshot: true }))));
    expect(counter.historyReads).toBe(80);
  });
});

describe('the stream consumer', () => {
  const streams = () => new DynamoDBStreamsClient({ endpoint: stack.endpoints.dynamodb, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

  async function streamRecords(room: string) {
    const client = streams();
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: stack.tables.MessagesTable!.streamArn! }));
    const records = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamArn: stack.tables.MessagesTable!.streamArn!, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
      const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
      records.push(...Records);
    }
    client.destroy();
    return records.filter((record) => record.dynamodb?.Keys?.pk?.S === room);
  }

  it('fans out, in another region, the messages this region published (read from the real stream)', async () => {
    await openConnection(stack, connect, 'remote-sub=');
    const subscribeHere = await stack.handler('subscribe');
    await subscribeHere(socketEvent('subscribe', 'remote-sub=', { action: 'subscribe', rooms: ['replicated:1'] }));
    await callHttp(publish, httpEvent('publish', { room: 'replicated:1', body: { id: 'from-us', data: 'hello' } }));
    await drainDeliveries(stack, deliver);
    const records = await streamRecords('replicated:1');
    expect(records.length).toBeGreaterThan(0);
    const event = { Records: records.map((record) => ({ ...sampleEvent('stream').Records[0], ...record, dynamodb: record.dynamodb })) };

    const sameRegion = await stack.handler('stream');
    expect(await sameRegion(event)).toEqual({ batchItemFailures: [] });
    expect(await queueDepth(stack, 'DeliveryQueue')).toBe(0);

    const otherRegion = await stack.handler('stream', { AWS_REGION: 'eu-west-1' });
    expect(await otherRegion(event)).toEqual({ batchItemFailures: [] });
    await drainDeliveries(stack, deliver);
    const messages = framesOf(stack, 'remote-sub=').filter((frame) => frame.type === 'message');
    expect(messages.map((frame) => frame.id)).toEqual(['from-us', 'from-us']);
  });

  it('the sample stream event (a message from us-east-1) is fanned out in eu-west-1', async () => {
    const otherRegion = await stack.handler('stream', { AWS_REGION: 'eu-west-1' });
    expect(await otherRegion(sampleEvent('stream'))).toEqual({ batchItemFailures: [] });
  });
});
