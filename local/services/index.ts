/** The embedded AWS services of the local cloud: DynamoDB Local (Java) and the fauxqs SQS emulator. */
export { startDynamoDbLocal, dynamoDbLocalDir, type DynamoDbLocalOptions } from './dynamodb.js';
export { startSqsEmulator } from './sqs.js';
export { createQueues, createTables, deleteResources, type CreatedQueue, type CreatedTable } from './resources.js';
export { freePort } from './ports.js';
export type { RunningService } from './types.js';
