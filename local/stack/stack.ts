/**
 * A stack from a template on DynamoDB and SQS endpoints that are already running: its own
 * tables and queues (unique names), a local `@connections` API, clients, and the functions'
 * handlers imported in this process with the template's environment. No servers for the
 * functions and no event sources: the caller invokes the handlers (tests, benchmarks).
 */
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { resolve } from 'node:path';
import { createQueues, createTables, type CreatedQueue, type CreatedTable, type RunningService } from '../services/index.js';
import { readTemplateFile, type ParameterValue, type TemplateModel } from '../template/index.js';
import { functionEnv, findFunction, importHandler, pinEnv, type LambdaHandler } from './functions.js';
import { startGatewayConnections, type ConnectionsApi } from './gateway-connections.js';
import { uniqueStackName } from './stack-name.js';

export const REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** DynamoDB Local and the SQS emulator, running. */
export interface ServiceEndpoints {
  dynamodb: string;
  sqs: string;
}

export interface StackOptions {
  /** The template file; default `template.yaml` in the current folder. */
  template?: string;
  parameters?: Record<string, ParameterValue>;
  stackName?: string;
  /** Environment overrides for every function (after the stack's own). */
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
  /** The environment a function gets (template's, the stack's overrides, then `overrides`). */
  functionEnv(name: string, overrides?: Record<string, string>): Record<string, string>;
  /** A fresh instance of a function's handler, by logical id or code folder name. */
  handler(name: string, overrides?: Record<string, string>): Promise<LambdaHandler>;
  stop(): Promise<void>;
}

/** Builds the stack on `services`; the `own` services are stopped with it (or at once when it cannot start). */
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
  const template = options.template ?? resolve('template.yaml');
  const read = { stackName, region: REGION, ...(options.parameters ? { parameters: options.parameters } : {}) };
  const credentials = LOCAL_CREDENTIALS;
  const dynamo = new DynamoDBClient({ endpoint: services.dynamodb, region: REGION, credentials });
  const sqs = new SQSClient({ endpoint: services.sqs, region: REGION, credentials });
  // Queue URLs come from the emulator, so: create the queues, then read the template again with them.
  const queues = await createQueues(sqs, readTemplateFile(template, read).queues);
  const urls = Object.fromEntries(Object.values(queues).map((queue) => [queue.name, queue.url]));
  const model = readTemplateFile(template, { ...read, queueUrl: urls });
  const tables = await createTables(dynamo, model.tables);
  const connections = await startGatewayConnections({ stage: model.websocketApis[0]?.stageName ?? 'local', region: REGION, credentials });
  const connectionsApi = new ApiGatewayManagementApiClient({ endpoint: connections.endpoint, region: REGION, credentials, maxAttempts: 1 });

  // The SDK reads these at a client's first request, after a function module has loaded.
  const sdkEnv = {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: services.dynamodb,
    AWS_ENDPOINT_URL_SQS: services.sqs,
  };
  const unpin = pinEnv({ ...sdkEnv, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined });
  const stackEnv = { ...sdkEnv, CONNECTIONS_ENDPOINT: connections.endpoint, LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true', ...options.env };

  return {
    stackName,
    model,
    endpoints: { ...services, connections: connections.endpoint },
    clients: { dynamo, sqs, connectionsApi },
    connections,
    tables,
    queues,
    functionEnv: (name, overrides = {}) => functionEnv(model, findFunction(model, name), { ...stackEnv, ...overrides }),
    handler: (name, overrides = {}) => importHandler(model, name, { ...stackEnv, ...overrides }),
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
