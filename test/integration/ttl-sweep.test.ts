/**
 * The TTL sweeper against DynamoDB Local: it deletes the expired items of a table (and only
 * those, by DynamoDB's rules), and each delete shows in the table's stream as a REMOVE.
 */
import { DeleteTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createStreamedTable } from '../support/tables.js';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { startTtlSweeper, TTL_MAX_AGE_SECONDS, type TtlSweeper, type TtlTable } from '../../local/ttl/index.js';
import { uniqueStackName } from '../support/resources.js';

const NOW = 1_800_000_000;
const PATIENCE_MS = 15_000;

let dynamo: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let table: TtlTable & { streamArn: string };
let sweeper: TtlSweeper | undefined;

beforeEach(async () => {
  const config = { region: 'us-east-1', endpoint: inject('roomcastServices').dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  dynamo = new DynamoDBClient(config);
  streams = new DynamoDBStreamsClient(config);
  const name = `${uniqueStackName('ttl')}-Connections`;
  const streamArn = await createStreamedTable(dynamo, name, 'NEW_AND_OLD_IMAGES');
  table = { name, keys: ['pk', 'sk'], attribute: 'expiresAt', streamArn };
});

afterEach(async () => {
  await sweeper?.stop();
  sweeper = undefined;
  await dynamo.send(new DeleteTableCommand({ TableName: table.name })).catch(() => undefined);
  dynamo.destroy();
  streams.destroy();
});

const put = (sk: string, expiresAt?: AttributeValue): Promise<unknown> =>
  dynamo.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'item' }, sk: { S: sk }, data: { S: sk }, ...(expiresAt ? { expiresAt } : {}) } }));

async function remaining(): Promise<string[]> {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: table.name, ConsistentRead: true }));
  return Items.map((item) => item.sk!.S!).sort();
}

async function streamRecords(): Promise<_Record[]> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: table.streamArn }));
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: table.streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    while (iterator) {
      const output = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(output.Records ?? []));
      if ((output.Records ?? []).length === 0) break;
      iterator = output.NextShardIterator;
    }
  }
  return records;
}

describe('the TTL sweeper', () => {
  it('deletes expired items only, as DynamoDB TTL does, and the stream shows REMOVE records', async () => {
    await put('expired', { N: String(NOW - 60) });
    await put('expired-just', { N: String(NOW - 1) });
    await put('now', { N: String(NOW) });
    await put('later', { N: String(NOW + 3600) });
    await put('string', { S: String(NOW - 60) });
    await put('too-old', { N: String(NOW - TTL_MAX_AGE_SECONDS - 60) });
    await put('none');
    sweeper = startTtlSweeper({ dynamo, tables: [table], intervalMs: 0 });

    const sweep = await sweeper.sweep({ at: NOW });

    expect(sweep).toEqual({ at: NOW, tables: { [table.name]: { scanned: 7, deleted: 2 } }, deleted: 2 });
    expect(await remaining()).toEqual(['later', 'none', 'now', 'string', 'too-old']);
    const removes = (await streamRecords()).filter((record) => record.eventName === 'REMOVE');
    expect(removes.map((record) => record.dynamodb?.Keys?.sk?.S).sort()).toEqual(['expired', 'expired-just']);
    // The old image is there (NEW_AND_OLD_IMAGES); AWS would add userIdentity {type: Service, principalId: dynamodb.amazonaws.com}.
    expect(removes[0]!.dynamodb?.OldImage?.data?.S).toMatch(/^expired/);
    expect(removes[0]!.userIdentity).toBeUndefined();
    expect(sweeper.stats()).toMatchObject({ sweeps: 1, deleted: 2, failures: 0, tables: [table.name] });
  });

  it('sweeps by itself every interval, with the time of each sweep', async () => {
    let clock = NOW * 1000;
    await put('first', { N: String(NOW + 10) });
    await put('second', { N: String(NOW + 20) });
    sweeper = startTtlSweeper({ dynamo, tables: [table], intervalMs: 50, now: () => clock });

    clock = (NOW + 15) * 1000;
    await eventually(async () => (await remaining()).join() === 'second', 'the first item swept');
    clock = (NOW + 25) * 1000;
    await eventually(async () => (await remaining()).length === 0, 'the second item swept');
    await sweeper.stop();
    const { sweeps } = sweeper.stats();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sweeper.stats().sweeps).toBe(sweeps); // stopped: no more sweeps
  });

  it('goes on with the other tables when one fails, and says why', async () => {
    await put('expired', { N: String(NOW - 60) });
    const missing = `${table.name}-missing`;
    sweeper = startTtlSweeper({ dynamo, tables: [{ ...table, name: missing }, table], intervalMs: 0 });

    const sweep = await sweeper.sweep({ at: NOW });

    expect(sweep.tables[missing]).toEqual({ scanned: 0, deleted: 0, error: expect.stringMatching(/non-existent table|not found/i) });
    expect(sweep.tables[table.name]).toEqual({ scanned: 1, deleted: 1 });
    expect(sweeper.stats()).toMatchObject({ sweeps: 1, deleted: 1, failures: 1 });
    await sweeper.stop();
    await expect(sweeper.sweep()).rejects.toThrow('the TTL sweeper is stopped');
  });

  it('goes through every page of a large table', async () => {
    // DynamoDB Local pages a Scan at 1 MB: items with a large attribute need several pages.
    const filler = 'x'.repeat(100_000);
    for (let i = 0; i < 25; i += 1) {
      await dynamo.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: 'item' }, sk: { S: `big-${String(i).padStart(2, '0')}` }, filler: { S: filler }, expiresAt: { N: String(NOW - 1) } } }));
    }
    const scans: string[] = [];
    dynamo.middlewareStack.add((next, context) => async (args) => (context.commandName === 'ScanCommand' && scans.push('scan'), next(args)), { step: 'initialize', name: 'countScans' });
    sweeper = startTtlSweeper({ dynamo, tables: [table], intervalMs: 0 });

    expect((await sweeper.sweep({ at: NOW })).deleted).toBe(25);
    expect(scans.length).toBeGreaterThan(1);
    expect(await remaining()).toEqual([]);
  });
});

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
