import { Logger } from '@aws-lambda-powertools/logger';
import { randomUUID } from 'node:crypto';
import { createAwsClients, type AwsClients } from '../adapters/aws-clients.js';
import { ConnectionsApi } from '../adapters/connections-api.js';
import { ConnectionsStore } from '../adapters/connections-store.js';
import { deliveryQueue, planQueue } from '../adapters/delivery-queue.js';
import { MessagesStore } from '../adapters/messages-store.js';
import type { DeliveryJob } from '../model/delivery-job.js';
import type { ConnectionsApiPort, ConnectionsPort, MessagesPort, PlannedPositionsPort, QueuePort, SecretsPort } from './ports.js';
import { loadSecret } from '../adapters/secrets.js';
import { PlannedPositions } from '../adapters/planned-positions.js';
import { RoomPartitionsStore } from '../adapters/room-partitions-store.js';
import type { PlanTask } from '../model/plan-task.js';
import { createTelemetry } from '../adapters/telemetry.js';
import type { Telemetry } from './ports.js';
import { loadConfig, type Config } from '../config.js';
import { FrameBudgets } from '../model/frame-budget.js';
import { SnapshotCache } from './snapshot-cache.js';
import { Limiter } from '../model/concurrency.js';
import { instanceShare, PostPacer } from '../model/pacing.js';

/**
 * Everything a use case needs, built once per function at cold start: the ports
 * (app/ports.ts) with their AWS adapters, and what lives in this instance's memory.
 */
export interface App {
  config: Config;
  connections: ConnectionsPort;
  messages: MessagesPort;
  queue: QueuePort<DeliveryJob>;
  /** Plan tasks of large rooms' fan-outs, for planners. */
  plans: QueuePort<PlanTask>;
  /** How far each segment of a conflated room has been planned. */
  planned: PlannedPositionsPort;
  connectionsApi: ConnectionsApiPort;
  /** The JWT secret and the canary's token, when they are stored in SSM or Secrets Manager. */
  secrets: SecretsPort;
  /** Posts in flight in this function instance, all its delivery jobs together (`postConcurrency`). */
  postSlots: Limiter;
  /** This instance's share of the account's PostToConnection quota (app/post-share.ts). */
  postPacer: PostPacer;
  /** When this instance last counted the deliver instances posting. */
  postShareReadAt: number;
  snapshots: SnapshotCache;
  /** Each connection's frame budget, in this instance's memory. */
  frameBudgets: FrameBudgets;
  logger: Logger;
  metrics: Telemetry;
  now(): number;
  newId(): string;
  sleep(ms: number): Promise<void>;
}

export function createApp(config: Config, clients: AwsClients = createAwsClients(config.region)): App {
  const messages = new MessagesStore(clients.dynamo, config.messagesTable);
  const now = (): number => Date.now();
  return {
    config,
    connections: new ConnectionsStore(clients.dynamo, config.connectionsTable, new RoomPartitionsStore(clients.dynamo, config.connectionsTable, config.deliveryShards, config.roomPartitionRows)),
    messages,
    queue: deliveryQueue(clients.sqs, config.deliveryQueueUrl, config.deliveryDlqUrl),
    plans: planQueue(clients.sqs, config.planQueueUrl),
    planned: new PlannedPositions(clients.dynamo, config.connectionsTable, config.conflateCacheMs, now),
    connectionsApi: new ConnectionsApi(clients, config.postTimeoutMs),
    secrets: { read: (ref) => loadSecret(ref, config.region, config.jwt.secretMaxAgeSeconds) },
    postSlots: new Limiter(config.postConcurrency),
    postPacer: pacerFor(config),
    postShareReadAt: Number.NEGATIVE_INFINITY,
    snapshots: new SnapshotCache(messages, config.historyLength, config.snapshotCacheMs, now),
    frameBudgets: new FrameBudgets({ ratePerSecond: config.frameRate, burst: config.frameBurst }),
    // Every line says which function wrote it, also where logs of several functions meet.
    logger: new Logger({ serviceName: 'roomcast', persistentKeys: { function_name: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local' } }),
    metrics: createTelemetry(config.stack),
    now,
    newId: randomUUID,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** The app of the function being loaded, from its environment. */
export function appFromEnv(): App {
  return createApp(loadConfig(process.env));
}

/** Until it has counted the instances posting, an instance takes the smallest share. */
function pacerFor(config: Config): PostPacer {
  const { ratePerSecond, burst } = instanceShare(config.postQuotaPerSecond, config.deliveryMaxConcurrency);
  return new PostPacer(ratePerSecond, burst);
}
