/**
 * The replicator against DynamoDB Local: two tables standing for one global table in two
 * regions, its writes counted at the SDK.
 */
import { DeleteItemCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { toJsonValue } from '../../local/event-sources/index.js';
import { createStreamedTable } from '../support/tables.js';
import { fingerprint, ReplicationDelays, startReplicator, type Image, type Replicator } from '../../local/replication/index.js';
import { uniqueStackName } from '../support/resources.js';

const [EU, US] = ['eu-west-1', 'us-east-1'] as const;
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const PATIENCE_MS = 15_000;
const HOLD_MS = 3_600_000;

interface Region {
  region: string;
  /** The test's own client. */
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** The replicator's client; its writes are counted in `writes`. */
  replica: DynamoDBClient;
  writes: string[];
  table: { name: string; streamArn: string };
}

let regions: Record<string, Region>;
let delays: ReplicationDelays;
let replicator: Replicator;

beforeEach(async () => {
  const endpoint = inject('roomcastServices').dynamodb;
  const stack = uniqueStackName('repl');
  regions = {};
  for (const region of [EU, US]) {
    const config = { region, endpoint, credentials: CREDENTIALS };
    const dynamo = new DynamoDBClient(config);
    const replica = new DynamoDBClient(config);
    const writes: string[] = [];
    replica.middlewareStack.add((next, context) => async (args) => (writes.push(context.commandName ?? '?'), next(args)), { step: 'initialize', name: 'countWrites' });
    const name = `${stack}-${region}-Messages`;
    const streamArn = await createStreamedTable(dynamo, name, 'NEW_IMAGE');
    regions[region] = { region, dynamo, streams: new DynamoDBStreamsClient(config), replica, writes, table: { name, streamArn } };
  }
  delays = new ReplicationDelays(0);
  replicator = startReplicator({
    regions: Object.values(regions).map(({ region, replica, streams, table }) => ({ region, dynamo: replica, streams, tables: { Messages: table } })),
    tables: ['Messages'],
    delays,
    pollIntervalMs: 50,
  });
  await replicator.ready;
});

afterEach(async () => {
  await replicator?.stop();
  for (const { dynamo, streams, replica, table } of Object.values(regions)) {
    await dynamo.send(new DeleteTableCommand({ TableName: table.name })).catch(() => undefined);
    [dynamo, streams, replica].forEach((client) => client.destroy());
  }
});

const key = (sk: string) => ({ pk: { S: 'room' }, sk: { S: sk } });

function put(region: string, item: Record<string, AttributeValue>): Promise<unknown> {
  return regions[region]!.dynamo.send(new PutItemCommand({ TableName: regions[region]!.table.name, Item: item }));
}

async function get(region: string, sk: string): Promise<Record<string, AttributeValue> | undefined> {
  const { Item } = await regions[region]!.dynamo.send(new GetItemCommand({ TableName: regions[region]!.table.name, Key: key(sk), ConsistentRead: true }));
  return Item;
}

/** The item's canonical text (attribute and set order aside); 'null' when there is none. */
async function seen(region: string, sk: string): Promise<string> {
  const item = await get(region, sk);
  return fingerprint(item ? (toJsonValue(item) as Image) : null);
}

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stats ${JSON.stringify(replicator.stats())}`);
    await sleep(25);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every record of a region's stream so far: its event names. */
async function streamEvents(region: string): Promise<string[]> {
  const { streams, table } = regions[region]!;
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: table.streamArn }));
  const events: string[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: table.streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    while (iterator) {
      const output = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      events.push(...(output.Records ?? []).map((record) => record.eventName ?? '?'));
      if ((output.Records ?? []).length === 0) break;
      iterator = output.NextShardIterator;
    }
  }
  return events;
}

describe('the replicator', () => {
  it('replicates inserts, modifies and deletes both ways, each once, and never its own writes back', async () => {
    const item = {
      ...key('1'),
      data: { S: 'a' },
      bytes: { B: new Uint8Array([0, 1, 254]) },
      tags: { SS: ['x', 'a', 'm'] },
      nested: { M: { list: { L: [{ N: '1.50' }, { BS: [new Uint8Array([7])] }, { NULL: true }] }, flag: { BOOL: false } } },
    };
    await put(EU, item);
    await eventually(async () => (await seen(US, '1')) === (await seen(EU, '1')), 'the insert in us-east-1');
    expect((await get(US, '1'))?.bytes?.B).toEqual(new Uint8Array([0, 1, 254]));

    await regions[US]!.dynamo.send(new UpdateItemCommand({ TableName: regions[US]!.table.name, Key: key('1'), UpdateExpression: 'SET #d = :d', ExpressionAttributeNames: { '#d': 'data' }, ExpressionAttributeValues: { ':d': { S: 'b' } } }));
    await eventually(async () => (await get(EU, '1'))?.data?.S === 'b', 'the modify in eu-west-1');
    expect(await seen(EU, '1')).toBe(await seen(US, '1'));

    await regions[EU]!.dynamo.send(new DeleteItemCommand({ TableName: regions[EU]!.table.name, Key: key('1') }));
    await eventually(async () => (await get(US, '1')) === undefined, 'the delete in us-east-1');

    // Once every write's own record has been read, nothing more is written, however long one waits.
    await eventually(() => replicator.stats().echoes === 3 && replicator.stats().unsettled === 0, 'the echoes');
    await sleep(500);
    expect(regions[EU]!.writes).toEqual(['PutItemCommand']);
    expect(regions[US]!.writes).toEqual(['PutItemCommand', 'DeleteItemCommand']);
    expect(replicator.stats()).toEqual({ changes: 3, echoes: 3, writes: 3, unchanged: 0, failures: 0, unsettled: 0 });
    expect(await streamEvents(EU)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(await streamEvents(US)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
  });

  it("applies the source region's delay", async () => {
    delays.control(EU).set(1200);
    const started = Date.now();
    await put(EU, { ...key('late'), data: { S: 'x' } });
    await eventually(async () => (await get(US, 'late')) !== undefined, 'the delayed insert');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
  });

  it('holds a region’s changes while its delay is long, and lets them go when it is cleared', async () => {
    delays.control(EU).set(HOLD_MS);
    await put(EU, { ...key('held'), data: { S: 'eu' } });
    await put(US, { ...key('free'), data: { S: 'us' } });
    // us-east-1's change arrives, and eu-west-1's has been read too: it is held, not lost.
    await eventually(async () => (await get(EU, 'free')) !== undefined, 'the change of us-east-1 in eu-west-1');
    await eventually(() => replicator.stats().changes >= 2, 'both changes read');
    expect(await get(US, 'held')).toBeUndefined();
    expect(regions[US]!.writes).toEqual([]);
    delays.control(EU).clear();
    await eventually(async () => (await get(US, 'held'))?.data?.S === 'eu', 'the held change in us-east-1');
  });

  it('lets the last writer win, whichever region it wrote in', async () => {
    for (const [first, last] of [
      [EU, US],
      [US, EU],
    ] as const) {
      const sk = `conflict-${last}`;
      delays.control(EU).set(HOLD_MS);
      delays.control(US).set(HOLD_MS);
      const before = replicator.stats().changes;
      await put(first, { ...key(sk), data: { S: `by ${first}` } });
      await put(last, { ...key(sk), data: { S: `by ${last}` } });
      await eventually(() => replicator.stats().changes === before + 2, 'both writes read');
      delays.control(EU).clear();
      delays.control(US).clear();
      await eventually(() => replicator.stats().unsettled === 0, 'the regions to agree');
      expect((await get(EU, sk))?.data?.S).toBe(`by ${last}`);
      expect((await get(US, sk))?.data?.S).toBe(`by ${last}`);
    }
  });
});
