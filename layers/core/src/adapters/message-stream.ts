import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { toMessage } from './messages-store.js';
import type { StoredMessage } from '../model/message.js';
import { RoomcastError } from '../errors.js';

/**
 * The message a record of the messages table's stream carries. The event source's
 * FilterCriteria (template.yaml) lets through only messages other regions inserted, so
 * a record without a new image is a broken stream, not one to skip.
 */
export function messageOfStreamRecord(record: DynamoDBRecord): StoredMessage {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new RoomcastError('INTERNAL', `stream record ${record.eventID ?? '?'} has no new image: is the stream's view NEW_IMAGE?`);
  return toMessage(unmarshall(image as Record<string, AttributeValue>));
}
