import { Logger } from '@aws-lambda-powertools/logger';
import { createApp, loadConfig, type App } from '@roomcast/core';
import type { AwsClients } from '../../layers/core/src/adapters/aws-clients.js';
import { SnapshotCache } from '../../layers/core/src/app/snapshot-cache.js';
import type { ConnectionsPort, Latency, StageCount, Telemetry } from '../../layers/core/src/app/ports.js';
import type { DeliveryJob } from '../../layers/core/src/model/delivery-job.js';
import type { PlanTask } from '../../layers/core/src/model/plan-task.js';
import { partitionOf } from '../../layers/core/src/model/room-partitions.js';
import { MemoryConnectionsApi } from './fakes/memory-connections-api.js';
import { MemoryMessages } from './fakes/memory-messages.js';
import { MemoryPlannedPositions } from './fakes/memory-planned-positions.js';
import { MemoryQueue } from './fakes/memory-queue.js';

/** An App on in-memory ports, and the fakes behind it for a test to arrange and observe. */
export interface FakeWorld {
  app: App;
  messages: MemoryMessages;
  queue: MemoryQueue<DeliveryJob>;
  plans: MemoryQueue<PlanTask>;
  planned: MemoryPlannedPositions;
  api: MemoryConnectionsApi;
  /** Room -> its subscribers' connection ids, as the fan-out reads them. */
  subscribers: Map<string, string[]>;
  /** What `connections.remove` was asked to remove, in order. */
  removed: Array<{ connectionId: string; rooms: readonly string[] }>;
  /** The counts the use cases recorded, summed by name. */
  counts: Map<StageCount, number>;
  /** The app's clock, in ms; `app.sleep` moves it on at once. */
  clock: { now: number };
  /** Each pause the use cases took, in ms. */
  slept: number[];
}

export const ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/test';

/**
 * An App from `loadConfig` (with `env` over a few defaults) whose ports are the in-memory
 * fakes. Its connections port holds only what the fan-out and deliver read (room shapes,
 * subscriber pages, remove); anything else throws.
 */
export function fakeApp(env: Record<string, string> = {}): FakeWorld {
  const config = loadConfig({ AWS_REGION: 'eu-west-1', CONNECTIONS_ENDPOINT: ENDPOINT, DELIVERY_SHARDS: '2', ...env });
  const clock = { now: 1_700_000_000_000 };
  const counts = new Map<StageCount, number>();
  const subscribers = new Map<string, string[]>();
  const removed: FakeWorld['removed'] = [];
  const slept: number[] = [];
  const world = {
    messages: new MemoryMessages(),
    queue: new MemoryQueue<DeliveryJob>(),
    plans: new MemoryQueue<PlanTask>({ configured: config.planQueueUrl !== '' }),
    planned: new MemoryPlannedPositions(),
    api: new MemoryConnectionsApi(config.postTimeoutMs),
  };
  let serial = 0;
  const app: App = {
    ...createApp(config, {} as AwsClients),
    ...world,
    connectionsApi: world.api,
    connections: connectionsOf(config.deliveryShards, subscribers, removed),
    snapshots: new SnapshotCache(world.messages, config.historyLength, config.snapshotCacheMs, () => clock.now),
    logger: new Logger({ serviceName: 'roomcast', logLevel: 'SILENT' }),
    metrics: telemetryOf(counts),
    now: () => clock.now,
    newId: () => `id-${(serial += 1)}`,
    async sleep(ms) {
      slept.push(ms);
      clock.now += ms;
    },
  };
  return { app, ...world, subscribers, removed, counts, clock, slept };
}

function connectionsOf(base: number, subscribers: Map<string, string[]>, removed: FakeWorld['removed']): ConnectionsPort {
  const notFaked = (name: string) => () => Promise.reject(new Error(`connections.${name} is not faked`));
  return {
    partitions: {
      base,
      shape: async () => ({ base, generation: 0 }),
      async forEachSubscriberPage(room, partition, onPage) {
        const ids = (subscribers.get(room) ?? []).filter((id) => partitionOf(id, base, 0).index === partition.index && partition.generation === 0);
        if (ids.length > 0) await onPage(ids);
      },
    },
    async remove(connectionId, alsoRooms = []) {
      removed.push({ connectionId, rooms: alsoRooms });
      for (const [room, ids] of subscribers) subscribers.set(room, ids.filter((id) => id !== connectionId));
      return { rooms: [...alsoRooms] };
    },
    put: notFaked('put'),
    get: notFaked('get'),
    subscribe: notFaked('subscribe'),
    unsubscribe: notFaked('unsubscribe'),
    renew: notFaked('renew'),
    endedSessions: notFaked('endedSessions'),
    occupancy: notFaked('occupancy'),
  };
}

function telemetryOf(counts: Map<StageCount, number>): Telemetry {
  return {
    count: (name: StageCount, value = 1) => void counts.set(name, (counts.get(name) ?? 0) + value),
    latency: (_name: Latency, _ms: number) => undefined,
    flush: () => undefined,
  };
}
