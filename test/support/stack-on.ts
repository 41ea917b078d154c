import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { fileURLToPath } from 'node:url';
import { readTemplateFile, type ParameterValue, type TemplateModel } from '../../local/template/index.js';
import { startGatewayConnections, type ConnectionsApi } from './gateway-connections.js';
import type { RunningService } from './dynamo.js';
import { functionEnv, findFunction, importHandler, pinEnv, type LambdaHandler } from './functions.js';
import type { ServiceEndpoints } from './global-setup.js';
import { createQueues, createTables, uniqueStackName, type CreatedQueue, type CreatedTable } from './resources.js';

export const TEMPLATE_PATH = fileURLToPath(new URL('../../template.yaml', import.meta.url));
export const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface StackOptions {
  template?: string;
  parameters?: Record<string, ParameterValue>;
  stackName?: string;
  /** Environment overrides for every function (after the harness's own). */
  env?: Record<string, string>;
}

export interface Stack {
  stackName: string;
  model: TemplateModel;
  endpoints: ServiceEndpoints & { connections: string };
  clients: { dynamo: DynamoDBClient; sqs: SQSClient; connectionsApi: ApiGatewayManagementApiClient };
  connections: ConnectionsApi;
  tables: Record<string, CreatedTable>;
  queues: Record<string, CreatedQueue>;
  /** The environment a function gets (template's, the harness's overrides, then `overrides`). */
  functionEnv(name: string, overrides?: Record<string, string>): Record<string, string>;
  /** A fresh instance of a function's handler, by logical id or code folder name. */
  handler(name: string, overrides?: Record<string, string>): Promise<LambdaHandler>;
  stop(): Promise<void>;
}

/**
 * A stack from template.yaml on the given DynamoDB and SQS endpoints: its own tables and
 * queues (unique names), a local `@connections` API, clients, and the functions' handlers.
 * No test framework needed (benchmarks use it too); `own` services are stopped with it.
 */
export async function startStackOn(services: ServiceEndpoints, options: StackOptions = {}, own: RunningService[] = []): Promise<Stack> {
  try {
    return await buildStack(services, own, options);
  } catch (error) {
    await Promise.allSettled(own.map((service) => service.stop()));
    throw error;
  }
}

async function buildStack(services: ServiceEndpoints, own: RunningService[], options: StackOptions): Promise<Stack> {
  const stackName = options.stackName ?? uniqueStackName();
  const template = options.template ?? TEMPLATE_PATH;
  const read = { stackName, region: REGION, ...(options.parameters ? { parameters: options.parameters } : {}) };
  const dynamo = new DynamoDBClient({ endpoint: services.dynamodb, region: REGION, credentials: CREDENTIALS });
  const sqs = new SQSClient({ endpoint: services.sqs, region: REGION, credentials: CREDENTIALS });
  // Queue URLs come from the emulator, so: create the queues, then read the template again with them.
  const queues = await createQueues(sqs, readTemplateFile(template, read).queues);
  const urls = Object.fromEntries(Object.values(queues).map((queue) => [queue.name, queue.url]));
  const model = readTemplateFile(template, { ...read, queueUrl: urls });
  const tables = await createTables(dynamo, model.tables);
  const connections = await startGatewayConnections({ stage: model.websocketApis[0]?.stageName ?? 'local', region: REGION, credentials: CREDENTIALS });
  const connectionsApi = new ApiGatewayManagementApiClient({ endpoint: connections.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });

  // The SDK reads these at a client's first request, after a function module has loaded.
  const sdkEnv = {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: services.dynamodb,
    AWS_ENDPOINT_URL_SQS: services.sqs,
  };
  const unpin = pinEnv({ ...sdkEnv, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined });
  const harnessEnv = { ...sdkEnv, CONNECTIONS_ENDPOINT: connections.endpoint, LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true', ...options.env };

  return {
    stackName,
    model,
    endpoints: { ...services, connections: connections.endpoint },
    clients: { dynamo, sqs, connectionsApi },
    connections,
    tables,
    queues,
    functionEnv: (name, overrides = {}) => functionEnv(model, findFunction(model, name), { ...harnessEnv, ...overrides }),
    handler: (name, overrides = {}) => importHandler(model, name, { ...harnessEnv, ...overrides }),
    async stop() {
      unpin();
      await Promise.allSettled([
        ...Object.values(tables).map((table) => dynamo.send(new DeleteTableCommand({ TableName: table.name }))),
        ...Object.values(queues).map((queue) => sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }))),
      ]);
      await connections.close();
      [dynamo, sqs, connectionsApi].forEach((client) => client.destroy());
      await Promise.allSettled(own.map((service) => service.stop()));
    },
  };
}
