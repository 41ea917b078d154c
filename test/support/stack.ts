import { inject } from 'vitest';
import { startDynamoDbLocal, type RunningService } from './dynamo.js';
import type { ServiceEndpoints } from './global-setup.js';
import { startSqsEmulator } from './sqs.js';
import { startStackOn, type Stack, type StackOptions } from './stack-on.js';

export { REGION, TEMPLATE_PATH, startStackOn, type Stack, type StackOptions } from './stack-on.js';

/**
 * Everything an integration test needs, from template.yaml: this file's own tables and
 * queues (unique names) in the shared DynamoDB Local and SQS emulator, a local
 * `@connections` API, clients, and the functions' handlers.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const own: RunningService[] = [];
  const services = await servicesFor(own);
  return startStackOn(services, options, own);
}

/** The run's shared services (global setup), or this worker's own when there is none. */
async function servicesFor(own: RunningService[]): Promise<ServiceEndpoints> {
  const shared = inject('roomcastServices') as ServiceEndpoints | undefined;
  if (shared) return shared;
  const [dynamo, sqs] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
  own.push(dynamo, sqs);
  return { dynamodb: dynamo.endpoint, sqs: sqs.endpoint };
}
