import { CreateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import type { QueueModel, TableModel } from '../../local/template/index.js';

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

/**
 * A stack name unique to this test file and run, short enough for queue names
 * (`<stack>-<LogicalId>` must stay within SQS's 80 characters).
 */
export function uniqueStackName(prefix = 'rc'): string {
  const worker = process.env.VITEST_POOL_ID ?? '0';
  return `${prefix}${worker}-${randomBytes(4).toString('hex')}`;
}

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

/** Creates the tables (in parallel) and their TTL settings. */
export async function createTables(dynamo: DynamoDBClient, tables: TableModel[]): Promise<Record<string, CreatedTable>> {
  const created = await Promise.all(
    tables.map(async (table): Promise<CreatedTable> => {
      const { TableDescription } = await dynamo.send(new CreateTableCommand(table.create));
      if (table.ttlAttribute) {
        await dynamo.send(
          new UpdateTimeToLiveCommand({ TableName: table.name, TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true } }),
        );
      }
      const result: CreatedTable = { logicalId: table.logicalId, name: table.name };
      if (TableDescription?.LatestStreamArn) result.streamArn = TableDescription.LatestStreamArn;
      return result;
    }),
  );
  return Object.fromEntries(created.map((table) => [table.logicalId, table]));
}
