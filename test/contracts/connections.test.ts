/** The connections contract against MemoryConnections and against ConnectionsStore on DynamoDB Local. */
import { afterAll, beforeAll, vi } from 'vitest';
import { createApp, createAwsClients, loadConfig } from '@roomcast/core';
import type { ConnectionsPort } from '../../layers/core/src/app/ports.js';
import { MemoryConnections } from '../support/fakes/memory-connections.js';
import { startStack, type Stack } from '../support/stack.js';
import { connectionsContract } from './connections.contract.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

/** 2 partitions at first; a partition of the newest generation that holds 2 rows opens the next. */
const SHAPE = { DELIVERY_SHARDS: '2', ROOM_PARTITION_ROWS: '2' };

connectionsContract('MemoryConnections', async () => new MemoryConnections(2, 2));

let stack: Stack;
let store: ConnectionsPort;
beforeAll(async () => {
  stack = await startStack();
  const config = loadConfig({ ...stack.functionEnv('subscribe'), ...SHAPE });
  store = createApp(config, createAwsClients(config.region)).connections;
});
afterAll(() => stack?.stop());

connectionsContract('ConnectionsStore on DynamoDB Local', async () => store);
