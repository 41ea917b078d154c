import { describe, expect, it } from 'vitest';
import { readBatchResponse } from '../../local/event-sources/batch-response.js';
import { retryDelayMs } from '../../local/event-sources/index.js';
import { toSqsRecord } from '../../local/event-sources/sqs-record.js';
import { toStreamRecord } from '../../local/event-sources/stream-record.js';
import { ShardLineage } from '../../local/event-sources/stream-shards.js';

describe('readBatchResponse', () => {
  const ids = new Set(['a', 'b', 'c']);
  it.each([undefined, null, {}, { batchItemFailures: null }, { batchItemFailures: [] }])('%j is a success', (response) => {
    expect(readBatchResponse(response, ids)).toEqual({ kind: 'success' });
  });
  it('lists the reported items', () => {
    expect(readBatchResponse({ batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'c' }] }, ids)).toEqual({ kind: 'partial', failed: new Set(['b', 'c']) });
  });
  it.each([
    ['a string', 'ok'],
    ['a list', []],
    ['a non-list', { batchItemFailures: 'b' }],
    ['an unknown id', { batchItemFailures: [{ itemIdentifier: 'zzz' }] }],
    ['an empty id', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null id', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemId: 'a' }] }],
  ])('%s fails the whole batch', (_what, response) => {
    expect(readBatchResponse(response, ids).kind).toBe('invalid');
  });
});

describe('ShardLineage', () => {
  it('reads a parent before its children, and shards found later from their start', () => {
    const lineage = new ShardLineage('TRIM_HORIZON');
    lineage.add([
      { shardId: 'p', closed: true },
      { shardId: 'c1', parentShardId: 'p', closed: false },
      { shardId: 'orphan', parentShardId: 'trimmed', closed: false },
    ]);
    expect(lineage.takeReady()).toEqual([
      { shardId: 'p', position: 'TRIM_HORIZON' },
      { shardId: 'orphan', position: 'TRIM_HORIZON' },
    ]);
    expect(lineage.takeReady()).toEqual([]);
    lineage.finish('p');
    expect(lineage.takeReady()).toEqual([{ shardId: 'c1', position: 'TRIM_HORIZON' }]);
  });

  it('with LATEST skips the shards closed at start and reads new ones from their start', () => {
    const lineage = new ShardLineage('LATEST');
    lineage.add([
      { shardId: 'old', closed: true },
      { shardId: 'open', parentShardId: 'old', closed: false },
    ]);
    expect(lineage.takeReady()).toEqual([{ shardId: 'open', position: 'LATEST' }]);
    expect(lineage.add([{ shardId: 'open', closed: true }, { shardId: 'child', parentShardId: 'open', closed: false }])).toBe(1);
    expect(lineage.takeReady()).toEqual([]);
    lineage.finish('open');
    expect(lineage.takeReady()).toEqual([{ shardId: 'child', position: 'TRIM_HORIZON' }]);
  });
});

describe('records', () => {
  it('an SQS message in Lambda shape, binary attributes as base64', () => {
    const record = toSqsRecord(
      {
        MessageId: 'm1',
        ReceiptHandle: 'r1',
        Body: 'hi',
        MD5OfBody: 'md5',
        MD5OfMessageAttributes: 'md5a',
        Attributes: { SentTimestamp: '2', ApproximateReceiveCount: '1', SenderId: 'x', ApproximateFirstReceiveTimestamp: '3' },
        MessageAttributes: {
          s: { DataType: 'String', StringValue: 'v' },
          b: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
        },
      },
      'arn:aws:sqs:us-east-1:000000000000:q',
      'us-east-1',
    );
    expect(Object.keys(record)).toEqual(['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
    expect(Object.keys(record.attributes)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    expect(record.messageAttributes).toEqual({
      s: { stringValue: 'v', stringListValues: [], binaryListValues: [], dataType: 'String' },
      b: { binaryValue: 'AQI=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
  });

  it('a stream record in Lambda shape', () => {
    const record = toStreamRecord(
      {
        eventID: 'e1',
        eventName: 'REMOVE',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'ddblocal',
        dynamodb: {
          ApproximateCreationDateTime: new Date(1_700_000_000_000),
          Keys: { pk: { S: 'a' } },
          OldImage: { pk: { S: 'a' }, b: { B: new Uint8Array([255]) }, l: { L: [{ BS: [new Uint8Array([1])] }] } },
          SequenceNumber: '000000000000000000007',
          SizeBytes: 9,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
      },
      'eu-west-1',
      'arn:stream',
    );
    expect(record).toEqual({
      eventID: 'e1',
      eventName: 'REMOVE',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: {
        ApproximateCreationDateTime: 1_700_000_000,
        Keys: { pk: { S: 'a' } },
        OldImage: { pk: { S: 'a' }, b: { B: '/w==' }, l: { L: [{ BS: ['AQ=='] }] } },
        SequenceNumber: '000000000000000000007',
        SizeBytes: 9,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: 'arn:stream',
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    });
  });

  it('a stream record shows the view it is given, whatever view the stream has', () => {
    const sdkRecord = { eventName: 'MODIFY' as const, dynamodb: { Keys: { pk: { S: 'a' } }, NewImage: { pk: { S: 'a' }, n: { N: '2' } }, OldImage: { pk: { S: 'a' }, n: { N: '1' } }, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' as const } };
    const view = (viewType?: string) => {
      const { Keys, NewImage, OldImage, StreamViewType } = toStreamRecord(sdkRecord, 'eu-west-1', 'arn:stream', viewType).dynamodb;
      return { keys: Keys !== undefined, newImage: NewImage !== undefined, oldImage: OldImage !== undefined, StreamViewType };
    };
    expect(view()).toEqual({ keys: true, newImage: true, oldImage: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(view('NEW_IMAGE')).toEqual({ keys: true, newImage: true, oldImage: false, StreamViewType: 'NEW_IMAGE' });
    expect(view('OLD_IMAGE')).toEqual({ keys: true, newImage: false, oldImage: true, StreamViewType: 'OLD_IMAGE' });
    expect(view('KEYS_ONLY')).toEqual({ keys: true, newImage: false, oldImage: false, StreamViewType: 'KEYS_ONLY' });
  });

  it('retry pauses grow and are capped', () => {
    expect([1, 2, 3, 10].map(retryDelayMs)).toEqual([100, 200, 400, 5000]);
  });
});
