import { CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStreamSource, type StreamEventSource, type StreamFailureInfo, type StreamRecord, type StreamSourceOptions } from '../../local/event-sources/index.js';
import { startDynamoDbLocal, type RunningService } from '../support/dynamo.js';
import { CREDENTIALS, delay, recorder, REGION, uniqueName, waitFor } from './support.js';

let dynamo: RunningService;
let db: DynamoDBClient;
let streams: DynamoDBStreamsClient;
const sources: StreamEventSource[] = [];

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  const config = { endpoint: dynamo.endpoint, region: REGION, credentials: CREDENTIALS };
  db = new DynamoDBClient(config);
  streams = new DynamoDBStreamsClient(config);
}, 60_000);

afterEach(async () => {
  await Promise.allSettled(sources.splice(0).map((source) => source.stop()));
});

afterAll(async () => {
  db?.destroy();
  streams?.destroy();
  await dynamo?.stop();
});

interface Table {
  name: string;
  streamArn: string;
}

async function createTable(): Promise<Table> {
  const name = uniqueName('t');
  const created = await db.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return { name, streamArn: created.TableDescription?.LatestStreamArn ?? '' };
}

async function put(table: Table, pk: string, attributes: Record<string, AttributeValue> = {}): Promise<void> {
  await db.send(new PutItemCommand({ TableName: table.name, Item: { pk: { S: pk }, ...attributes } }));
}

async function putAll(table: Table, keys: string[]): Promise<void> {
  for (const key of keys) await put(table, key);
}

function start(table: Table, options: Partial<StreamSourceOptions> & Pick<StreamSourceOptions, 'invoke'>): StreamEventSource {
  const source = startStreamSource({ streams, streamArn: table.streamArn, region: REGION, startingPosition: 'TRIM_HORIZON', pollIntervalMs: 50, ...options });
  sources.push(source);
  return source;
}

const keysOf = (records: StreamRecord[] | undefined): string[] => (records ?? []).map((record) => (record.dynamodb.Keys?.pk as { S: string }).S);

describe('DynamoDB stream event source', { timeout: 20_000 }, () => {
  it("TRIM_HORIZON delivers what the stream holds, in Lambda's event shape", async () => {
    const table = await createTable();
    await put(table, 'a', { data: { B: new Uint8Array([1, 2, 3]) }, n: { N: '7' } });
    await db.send(new UpdateItemCommand({ TableName: table.name, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '8' } } }));
    const fn = recorder<StreamRecord>();
    const source = start(table, { invoke: fn.invoke });
    await waitFor(() => fn.calls.flat().length === 2, 5000, 'both records');
    const [insert, modify] = fn.calls.flat();
    expect(Object.keys(insert ?? {})).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    expect(insert).toMatchObject({ eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: REGION, eventSourceARN: table.streamArn });
    expect(Object.keys(insert?.dynamodb ?? {})).toEqual(['ApproximateCreationDateTime', 'Keys', 'NewImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
    expect(insert?.dynamodb).toMatchObject({ Keys: { pk: { S: 'a' } }, NewImage: { pk: { S: 'a' }, data: { B: 'AQID' }, n: { N: '7' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(typeof insert?.dynamodb.ApproximateCreationDateTime).toBe('number');
    expect(Math.abs((insert?.dynamodb.ApproximateCreationDateTime ?? 0) - Date.now() / 1000)).toBeLessThan(120);
    expect(modify).toMatchObject({ eventName: 'MODIFY', dynamodb: { OldImage: { n: { N: '7' } }, NewImage: { n: { N: '8' } } } });
    expect(source.stats()).toMatchObject({ records: 2, failures: 0 });
  });

  it('LATEST delivers only what is written after the source is ready', async () => {
    const table = await createTable();
    await putAll(table, ['before1', 'before2']);
    const fn = recorder<StreamRecord>();
    const source = start(table, { invoke: fn.invoke, startingPosition: 'LATEST' });
    await source.ready();
    await putAll(table, ['after1', 'after2']);
    await waitFor(() => fn.calls.flat().length === 2, 5000, 'the new records');
    await delay(300);
    expect(fn.calls.flatMap(keysOf)).toEqual(['after1', 'after2']);
  });

  it('keeps the order of the shard, in batches of up to batchSize, one invocation at a time', async () => {
    const table = await createTable();
    const keys = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    await putAll(table, keys);
    const fn = recorder<StreamRecord>(() => delay(20));
    start(table, { invoke: fn.invoke, batchSize: 7 });
    await waitFor(() => fn.calls.flat().length === 30, 8000, 'every record');
    expect(fn.calls.flatMap(keysOf)).toEqual(keys);
    expect(fn.calls.map((call) => call.length)).toEqual([7, 7, 7, 7, 2]);
    const sequence = fn.calls.flat().map((record) => BigInt(record.dynamodb.SequenceNumber));
    expect(sequence.every((value, i) => i === 0 || value > (sequence[i - 1] ?? 0n))).toBe(true);
    expect(fn.peak).toBe(1);
  });

  it('filter criteria drop the records that do not match', async () => {
    const table = await createTable();
    const pattern = '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"kind":{"S":["msg"]},"origin":{"S":[{"anything-but":["us-east-1"]}]}}}}';
    const fn = recorder<StreamRecord>();
    const source = start(table, { invoke: fn.invoke, filterCriteria: { Filters: [{ Pattern: pattern }] }, maximumBatchingWindowInSeconds: 1 });
    await put(table, 'remote', { kind: { S: 'msg' }, origin: { S: 'eu-west-1' } });
    await put(table, 'local', { kind: { S: 'msg' }, origin: { S: 'us-east-1' } });
    await put(table, 'other-kind', { kind: { S: 'sub' }, origin: { S: 'eu-west-1' } });
    await put(table, 'no-origin', { kind: { S: 'msg' } });
    await put(table, 'remote', { kind: { S: 'msg' }, origin: { S: 'eu-west-1' }, v: { N: '2' } }); // MODIFY
    await put(table, 'remote2', { kind: { S: 'msg' }, origin: { S: 'ap-south-1' } });
    await waitFor(() => fn.calls.flat().length >= 2, 5000, 'the matching records');
    await delay(300);
    expect(fn.calls.flatMap(keysOf)).toEqual(['remote', 'remote2']);
    expect(source.stats().records).toBe(2);
  });

  it('retries a failing batch maximumRetryAttempts times, then calls onFailure and moves on', async () => {
    const table = await createTable();
    const failures: StreamFailureInfo[] = [];
    const fn = recorder<StreamRecord>((records) => (keysOf(records).includes('bad') ? Promise.reject(new Error('cannot handle bad')) : undefined));
    const source = start(table, { invoke: fn.invoke, maximumRetryAttempts: 2, onFailure: async (info) => void failures.push(info) });
    await put(table, 'bad');
    await waitFor(() => failures.length === 1, 5000, 'onFailure');
    await put(table, 'good');
    await waitFor(() => fn.calls.some((call) => keysOf(call).includes('good')), 5000, 'the next record');
    expect(fn.calls.map(keysOf)).toEqual([['bad'], ['bad'], ['bad'], ['good']]);
    expect(failures[0]).toMatchObject({ error: 'cannot handle bad', retryAttempts: 2, approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-/) });
    expect(keysOf(failures[0]?.batch as StreamRecord[])).toEqual(['bad']);
    expect(failures[0]?.startSequenceNumber).toBe((failures[0]?.batch[0] as StreamRecord).dynamodb.SequenceNumber);
    expect(source.stats()).toMatchObject({ invocations: 4, failures: 3 });
  });

  it('bisects a failing batch until the poison record is alone', async () => {
    const table = await createTable();
    await putAll(table, ['r1', 'r2', 'r3', 'r4']);
    const failures: StreamFailureInfo[] = [];
    const fn = recorder<StreamRecord>((records) => (keysOf(records).includes('r3') ? Promise.reject(new Error('poison r3')) : undefined));
    start(table, { invoke: fn.invoke, batchSize: 4, maximumRetryAttempts: 0, bisectBatchOnFunctionError: true, onFailure: async (info) => void failures.push(info) });
    await waitFor(() => fn.calls.some((call) => keysOf(call).join() === 'r4'), 5000, 'the last half');
    expect(fn.calls.map(keysOf)).toEqual([['r1', 'r2', 'r3', 'r4'], ['r1', 'r2'], ['r3', 'r4'], ['r3'], ['r4']]);
    expect(failures.map((info) => keysOf(info.batch as StreamRecord[]))).toEqual([['r3']]);
  });

  it('with ReportBatchItemFailures retries from the lowest reported record; an empty list is success', async () => {
    const table = await createTable();
    await putAll(table, ['s1', 's2', 's3', 's4']);
    const fn = recorder<StreamRecord>((records, call) => {
      if (call !== 1) return { batchItemFailures: [] };
      const failed = records.filter((record) => ['s4', 's2'].includes(keysOf([record])[0] ?? ''));
      return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.dynamodb.SequenceNumber })) };
    });
    start(table, { invoke: fn.invoke, batchSize: 4, reportBatchItemFailures: true, maximumRetryAttempts: 3 });
    await waitFor(() => fn.calls.length === 2, 5000, 'the retry');
    await put(table, 's5');
    await waitFor(() => fn.calls.length === 3, 5000, 'the next batch');
    await delay(300);
    expect(fn.calls.map(keysOf)).toEqual([['s1', 's2', 's3', 's4'], ['s2', 's3', 's4'], ['s5']]);
  });

  it('an invalid item identifier fails the whole batch', async () => {
    const table = await createTable();
    await putAll(table, ['v1', 'v2']);
    const failures: StreamFailureInfo[] = [];
    const fn = recorder<StreamRecord>(() => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] }));
    start(table, { invoke: fn.invoke, batchSize: 2, reportBatchItemFailures: true, maximumRetryAttempts: 1, onFailure: async (info) => void failures.push(info) });
    await waitFor(() => failures.length === 1, 5000, 'onFailure');
    expect(fn.calls.map(keysOf)).toEqual([['v1', 'v2'], ['v1', 'v2']]);
    expect(failures[0]?.error).toMatch(/invalid batch response/);
  });

  it('stop() ends polling promptly and leaves no timers', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const table = await createTable();
    const before = timers();
    const fn = recorder<StreamRecord>();
    const source = start(table, { invoke: fn.invoke, pollIntervalMs: 250 });
    await source.ready();
    await put(table, 'x');
    await waitFor(() => fn.calls.length === 1, 5000, 'the record');
    // A stop() that hung would time this test out.
    await source.stop();
    expect(timers()).toBeLessThanOrEqual(before);
    const invocations = source.stats().invocations;
    await put(table, 'y');
    await delay(400);
    expect(source.stats().invocations).toBe(invocations);
  });
});
