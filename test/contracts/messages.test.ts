/** The messages contract against MemoryMessages and against MessagesStore on DynamoDB Local. */
import { afterAll, beforeAll, vi } from 'vitest';
import { createApp, createAwsClients, loadConfig } from '@roomcast/core';
import type { MessagesPort } from '../../layers/core/src/app/ports.js';
import { MemoryMessages } from '../support/fakes/memory-messages.js';
import { startStack, type Stack } from '../support/stack.js';
import { messagesContract } from './messages.contract.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

messagesContract('MemoryMessages', async () => new MemoryMessages());

let stack: Stack;
let store: MessagesPort;
beforeAll(async () => {
  stack = await startStack();
  const config = loadConfig(stack.functionEnv('publish'));
  store = createApp(config, createAwsClients(config.region)).messages;
});
afterAll(() => stack?.stop());

messagesContract('MessagesStore on DynamoDB Local', async () => store);
