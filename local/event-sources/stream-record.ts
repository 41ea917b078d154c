import type { _Record as SdkStreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { toJsonValue } from './encoding.js';

/** One record of Lambda's DynamoDB Streams event. */
export interface StreamRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes?: number;
    StreamViewType?: string;
  };
  eventSourceARN: string;
  userIdentity?: { type?: string; principalId?: string };
}

/**
 * Lambda's shape of a stream record: `ApproximateCreationDateTime` in epoch seconds, binary
 * attribute values as base64, `awsRegion` of the mapping (DynamoDB Local says "ddblocal").
 * With `viewType`, the images beyond that view are left out (a stream created with more
 * than the template declares shows what the template declares).
 */
export function toStreamRecord(record: SdkStreamRecord, region: string, streamArn: string, viewType?: string): StreamRecord {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  const view = viewType ?? data.StreamViewType;
  const shows = (kind: 'NEW' | 'OLD'): boolean => view === undefined || view === 'NEW_AND_OLD_IMAGES' || view === `${kind}_IMAGE`;
  const image = (value: unknown): Record<string, unknown> | undefined => (value === undefined ? undefined : (toJsonValue(value) as Record<string, unknown>));
  const dynamodb: StreamRecord['dynamodb'] = {
    ...(created ? { ApproximateCreationDateTime: created.getTime() / 1000 } : {}),
    ...optional('Keys', image(data.Keys)),
    ...optional('NewImage', shows('NEW') ? image(data.NewImage) : undefined),
    ...optional('OldImage', shows('OLD') ? image(data.OldImage) : undefined),
    SequenceNumber: data.SequenceNumber ?? '',
    ...optional('SizeBytes', data.SizeBytes),
    ...optional('StreamViewType', view),
  };
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName ?? '',
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
    eventSourceARN: streamArn,
    ...(record.userIdentity ? { userIdentity: { ...optional('type', record.userIdentity.Type), ...optional('principalId', record.userIdentity.PrincipalId) } } : {}),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
