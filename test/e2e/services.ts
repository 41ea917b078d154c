import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll } from 'vitest';
import type { RegionCloud } from '../../local/cloud.js';

const made: Array<{ destroy(): void }> = [];
afterAll(() => made.splice(0).forEach((client) => client.destroy()));

/** SDK clients for a cloud's DynamoDB and SQS, with its credentials (destroyed after the file). */
export function services(cloud: RegionCloud): { dynamo: DynamoDBClient; sqs: SQSClient } {
  const config = { region: cloud.info.region, credentials: { accessKeyId: cloud.info.accessKeyId, secretAccessKey: cloud.info.secretAccessKey } };
  const dynamo = new DynamoDBClient({ ...config, endpoint: cloud.info.dynamodbEndpoint });
  const sqs = new SQSClient({ ...config, endpoint: cloud.info.sqsEndpoint });
  made.push(dynamo, sqs);
  return { dynamo, sqs };
}
