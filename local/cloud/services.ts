/**
 * The embedded services of a local cloud: DynamoDB Local and the SQS emulator, started
 * once (or given as running endpoints) and shared by the regions, and each region's
 * clients, tables and queues. The queues come first (the emulator runs in this process:
 * fast); the tables come when the JVM answers, while the functions are being built.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createQueues, createTables, deleteResources, freePort, startDynamoDbLocal, startSqsEmulator, type CreatedQueue, type CreatedTable } from '../services/index.js';
import type { QueueModel, TableModel } from '../template/index.js';
import { hostPort, reachableHost } from '../shared/listen.js';
import { LOCAL_CREDENTIALS } from './options.js';
import { PHASE, type Teardown } from './teardown.js';

export interface ServiceOptions {
  /** Running services to use instead of starting them. */
  external?: { dynamodb: string; sqs: string };
  /** The address both services listen on (the cloud's `host`). */
  host: string;
  /** 0: free ports. */
  dynamodbPort: number;
  sqsPort: number;
  persistDir?: string;
}

/** The running services, shared by every region. */
export interface ServiceProcesses {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  /** Resolves once DynamoDB answers (with the JVM's pid when this cloud started it). */
  dynamodbReady: Promise<{ pid?: number }>;
}

export interface Clients {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  sqs: SQSClient;
}

/** One region's clients, queues and tables. */
export interface Services {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  clients: Clients;
  queues: Record<string, CreatedQueue>;
  /** Resolves once DynamoDB answers and the tables exist. */
  tables: Promise<{ tables: Record<string, CreatedTable>; pid?: number }>;
}

export async function startServiceProcesses(options: ServiceOptions, teardown: Teardown): Promise<ServiceProcesses> {
  const { host } = options;
  const dynamodbPort = options.external ? 0 : options.dynamodbPort || (await freePort(reachableHost(host)));
  const dynamodbEndpoint = options.external?.dynamodb ?? `http://${hostPort(reachableHost(host), dynamodbPort)}`;
  const jvm = options.external
    ? undefined
    : startDynamoDbLocal({ host, port: dynamodbPort, quickStart: true, stopOnSignal: false, ...(options.persistDir ? { persistDir: options.persistDir } : {}) });
  jvm?.catch(() => undefined); // awaited by the regions; a failure must not go unhandled meanwhile
  // Registered now, so that it runs last: functions still use DynamoDB while the rest stops.
  if (jvm) teardown.add('DynamoDB Local', PHASE.services, async () => (await jvm.catch(() => undefined))?.stop());
  let sqsEndpoint = options.external?.sqs;
  if (!sqsEndpoint) {
    const emulator = await startSqsEmulator({ host, port: options.sqsPort });
    teardown.add('the SQS emulator', PHASE.services, () => emulator.stop());
    sqsEndpoint = emulator.endpoint;
  }
  const dynamodbReady = (async () => {
    const pid = (await jvm)?.pid;
    return pid === undefined ? {} : { pid };
  })();
  dynamodbReady.catch(() => undefined);
  return { dynamodbEndpoint, sqsEndpoint, dynamodbReady };
}

/** A region's clients, its queues (created now) and its tables (created once DynamoDB answers). */
export async function regionServices(
  processes: ServiceProcesses,
  region: string,
  model: { tables: TableModel[]; queues: QueueModel[] },
  options: { deleteResources: boolean },
  teardown: Teardown,
): Promise<Services> {
  const { dynamodbEndpoint, sqsEndpoint } = processes;
  const clients = serviceClients(region, { dynamodb: dynamodbEndpoint, sqs: sqsEndpoint }, teardown);
  const queues = await createQueues(clients.sqs, model.queues);
  const tables = (async () => {
    const { pid } = await processes.dynamodbReady;
    const created = await createTables(clients.dynamo, model.tables);
    return { tables: created, ...(pid === undefined ? {} : { pid }) };
  })();
  tables.catch(() => undefined);
  if (options.deleteResources) {
    teardown.add("this stack's tables and queues", PHASE.services, async () => {
      const created = await tables.catch(() => undefined);
      await deleteResources(clients.dynamo, clients.sqs, Object.values(created?.tables ?? {}), Object.values(queues));
    });
  }
  return { dynamodbEndpoint, sqsEndpoint, clients, queues, tables };
}

/** SDK clients for the services, destroyed at teardown. */
function serviceClients(region: string, endpoints: { dynamodb: string; sqs: string }, teardown: Teardown): Clients {
  const common = { region, credentials: LOCAL_CREDENTIALS };
  const clients: Clients = {
    dynamo: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
    streams: new DynamoDBStreamsClient({ ...common, endpoint: endpoints.dynamodb }),
    sqs: new SQSClient({ ...common, endpoint: endpoints.sqs }),
  };
  teardown.add('the service clients', PHASE.services, () => Object.values(clients).forEach((client) => client.destroy()));
  return clients;
}
