/** The planned positions contract against MemoryPlannedPositions and against PlannedPositions on DynamoDB Local. */
import { afterAll, beforeAll, vi } from 'vitest';
import { createApp, createAwsClients, loadConfig } from '@roomcast/core';
import type { PlannedPositionsPort } from '../../layers/core/src/app/ports.js';
import { MemoryPlannedPositions } from '../support/fakes/memory-planned-positions.js';
import { startStack, type Stack } from '../support/stack.js';
import { plannedPositionsContract } from './planned-positions.contract.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

plannedPositionsContract('MemoryPlannedPositions', async () => new MemoryPlannedPositions());

let stack: Stack;
let store: PlannedPositionsPort;
beforeAll(async () => {
  stack = await startStack();
  // Deliver's adapter, reading the table each time (no cache).
  const config = loadConfig(stack.functionEnv('deliver', { CONFLATE_CACHE_MS: '0' }));
  store = createApp(config, createAwsClients(config.region)).planned;
});
afterAll(() => stack?.stop());

plannedPositionsContract('PlannedPositions on DynamoDB Local', async () => store);
