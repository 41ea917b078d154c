import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { createApp, createAwsClients, loadConfig, parseFrame, subscribe, websocketHandler } from '@roomcast/core';
import { startStack, REGION, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, drainDeliveries, framesOf, httpEvent, openConnection, queueDepth, sampleEvent, socketEvent } from '../support/flow.js';
import { loadHandlers } from '../support/flow.js';
import { TEMPLATE_PATH } from '../support/stack-on.js';
import { readTemplateFile } from '../../local/template/index.js';
import { compileFilterCriteria } from '../../local/event-sources/filter.js';
import type { FilterCriteria } from '../../local/event-sources/types.js';

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
  /** The records the stream function's event source passes on in `region`: the template's FilterCriteria, as Lambda applies them. */
  function passing<R extends object>(records: readonly R[], region: string): R[] {
    const model = readTemplateFile(TEMPLATE_PATH, { region, parameters: { AuthMode: 'none' } });
    const source = model.functions.find((fn) => fn.logicalId === 'StreamFunction')?.events.find((event) => event.type === 'DynamoDB');
    const keep = compileFilterCriteria(source?.properties.FilterCriteria as FilterCriteria | undefined);
    if (!keep) throw new Error('the stream function has no FilterCriteria in template.yaml');
    return records.filter((record) => keep(record));
  }

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
    const all = records.map((record) => ({ ...sampleEvent('stream').Records[0], ...record, dynamodb: record.dynamodb }));
    // The message, its region's counter and its publish record (inserted, then updated).
    expect(all.length).toBeGreaterThan(1);

    // Here, the event source's FilterCriteria lets none through: this region fanned it out when it was published.
    expect(passing(all, REGION)).toEqual([]);
    const sameRegion = await stack.handler('stream');
    expect(await sameRegion({ Records: passing(all, REGION) })).toEqual({ batchItemFailures: [] });
    expect(await queueDepth(stack, 'DeliveryQueue')).toBe(0);

    // In eu-west-1 it lets the message through, and only the message.
    const there = passing(all, 'eu-west-1');
    expect(there.map((record) => record.dynamodb?.NewImage?.kind?.S)).toEqual(['msg']);
    const otherRegion = await stack.handler('stream', { AWS_REGION: 'eu-west-1' });
    expect(await otherRegion({ Records: there })).toEqual({ batchItemFailures: [] });
    await drainDeliveries(stack, deliver);
    const messages = framesOf(stack, 'remote-sub=').filter((frame) => frame.type === 'message');
    expect(messages.map((frame) => frame.id)).toEqual(['from-us', 'from-us']);
  });

  it('the sample stream event (a message from us-east-1) is fanned out in eu-west-1', async () => {
    const event = sampleEvent('stream');
    const image = event.Records[0].dynamodb.NewImage;
    const room = image.pk.S as string;
    await openConnection(stack, connect, 'eu-sub=');
    const subscribeHere = await stack.handler('subscribe');
    await subscribeHere(socketEvent('subscribe', 'eu-sub=', { action: 'subscribe', rooms: [room] }));
    const otherRegion = await stack.handler('stream', { AWS_REGION: 'eu-west-1' });
    expect(await otherRegion(event)).toEqual({ batchItemFailures: [] });
    await drainDeliveries(stack, deliver);
    const messages = framesOf(stack, 'eu-sub=').filter((frame) => frame.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ room, id: image.id.S, pos: image.sk.S, ts: Number(image.ts.N), data: JSON.parse(image.json.S) });
  });
});
