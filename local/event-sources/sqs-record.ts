import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { toBase64 } from './encoding.js';

/** One record of Lambda's SQS event. */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, SqsMessageAttribute>;
  md5OfMessageAttributes?: string;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

const FIRST_ATTRIBUTES = ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp'];

export function toSqsRecord(message: Message, queueArn: string, region: string): SqsRecord {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: systemAttributes(message.Attributes ?? {}),
    messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, messageAttribute(value)])),
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function systemAttributes(attributes: Partial<Record<string, string>>): Record<string, string> {
  const names = [...FIRST_ATTRIBUTES, ...Object.keys(attributes).filter((name) => !FIRST_ATTRIBUTES.includes(name))];
  const result: Record<string, string> = {};
  for (const name of names) {
    const value = attributes[name];
    if (value !== undefined) result[name] = value;
  }
  return result;
}

function messageAttribute(value: MessageAttributeValue): SqsMessageAttribute {
  const attribute: SqsMessageAttribute = { stringListValues: [], binaryListValues: [], dataType: value.DataType ?? 'String' };
  const binary = value.BinaryValue === undefined ? undefined : toBase64(value.BinaryValue);
  const head: Partial<SqsMessageAttribute> = value.StringValue !== undefined ? { stringValue: value.StringValue } : binary !== undefined ? { binaryValue: binary } : {};
  return { ...head, ...attribute };
}
