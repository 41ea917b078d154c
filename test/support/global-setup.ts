import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type RunningService } from './dynamo.js';
import { startSqsEmulator } from './sqs.js';
import type { ServiceEndpoints } from '../../local/stack/index.js';

export type { ServiceEndpoints } from '../../local/stack/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local and the SQS emulator, started once per `vitest run`. */
    roomcastServices: ServiceEndpoints;
  }
}

/**
 * Starts DynamoDB Local and the SQS emulator once for all test files of the project and
 * stops them at the end. ROOMCAST_DYNAMODB_ENDPOINT / ROOMCAST_SQS_ENDPOINT point at
 * already running ones instead (e.g. to save the JVM start in watch mode).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // This process runs on the developer's Node; the SDK's notice about Node versions is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started: RunningService[] = [];
  const use = async (given: string | undefined, start: () => Promise<RunningService>): Promise<string> => {
    if (given) return given;
    const service = await start();
    started.push(service);
    return service.endpoint;
  };
  const teardown = async (): Promise<void> => {
    await Promise.allSettled(started.map((service) => service.stop()));
  };
  try {
    const [dynamodb, sqs] = await Promise.all([
      use(process.env.ROOMCAST_DYNAMODB_ENDPOINT, () => startDynamoDbLocal()),
      use(process.env.ROOMCAST_SQS_ENDPOINT, () => startSqsEmulator()),
    ]);
    project.provide('roomcastServices', { dynamodb, sqs });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
