import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueModel, TableModel } from '../template/index.js';

export interface CreatedTable {
  logicalId: string;
  name: string;
  /** The stream ARN DynamoDB Local gave the table (differs from the model's placeholder). */
  streamArn?: string;
}

export interface CreatedQueue {
  logicalId: string;
  name: string;
  url: string;
  arn: string;
}

/** CreateQueue attributes the SQS emulator accepts (it has no server-side encryption). */
const EMULATED_QUEUE_ATTRIBUTES = new Set([
  'VisibilityTimeout',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

/** Creates the queues in model order (dead-letter queues first). */
export async function createQueues(sqs: SQSClient, queues: QueueModel[]): Promise<Record<string, CreatedQueue>> {
  const out: Record<string, CreatedQueue> = {};
  for (const queue of queues) {
    const attributes = Object.fromEntries(Object.entries(queue.attributes).filter(([key]) => EMULATED_QUEUE_ATTRIBUTES.has(key)));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: attributes }));
    if (!QueueUrl) throw new Error(`CreateQueue ${queue.name} returned no QueueUrl`);
    out[queue.logicalId] = { logicalId: queue.logicalId, name: queue.name, url: QueueUrl, arn: queue.arn };
  }
  return out;
}

/**
 * Creates the tables (in parallel) and their TTL settings. A table that already exists
 * (kept on disk from an earlier run) is used as it is.
 */
export async function createTables(dynamo: DynamoDBClient, tables: TableModel[]): Promise<Record<string, CreatedTable>> {
  const created = await Promise.all(tables.map((table) => createTable(dynamo, table)));
  return Object.fromEntries(created.map((table) => [table.logicalId, table]));
}

async function createTable(dynamo: DynamoDBClient, table: TableModel): Promise<CreatedTable> {
  let streamArn: string | undefined;
  try {
    const { TableDescription } = await dynamo.send(new CreateTableCommand(table.create));
    streamArn = TableDescription?.LatestStreamArn;
    if (table.ttlAttribute) {
      await dynamo.send(new UpdateTimeToLiveCommand({ TableName: table.name, TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true } }));
    }
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table.name }));
    streamArn = Table?.LatestStreamArn;
  }
  return { logicalId: table.logicalId, name: table.name, ...(streamArn ? { streamArn } : {}) };
}

/** Deletes tables and queues (e.g. a test's own, in services shared by a whole run). */
export async function deleteResources(dynamo: DynamoDBClient, sqs: SQSClient, tables: CreatedTable[], queues: CreatedQueue[]): Promise<void> {
  await Promise.allSettled([
    ...tables.map((table) => dynamo.send(new DeleteTableCommand({ TableName: table.name }))),
    ...queues.map((queue) => sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }))),
  ]);
}
