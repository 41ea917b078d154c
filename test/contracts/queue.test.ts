/**
 * The queue contract against MemoryQueue and against WorkQueue on the SQS emulator (the
 * delivery queue and its dead-letter queue of a stack from template.yaml).
 */
import { afterAll, beforeAll, vi } from 'vitest';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { createApp, createAwsClients, loadConfig } from '@roomcast/core';
import { deliveryQueue } from '../../layers/core/src/adapters/delivery-queue.js';
import { decodeJob, encodeJob, type DeliveryJob } from '../../layers/core/src/model/delivery-job.js';
import { MemoryQueue } from '../support/fakes/memory-queue.js';
import { startStack, type Stack } from '../support/stack.js';
import { queueContract, type QueueSubject } from './queue.contract.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

queueContract('MemoryQueue', async () => {
  const queue = new MemoryQueue<DeliveryJob>({ encode: encodeJob });
  let held: DeliveryJob[] = [];
  return {
    queue,
    unconfigured: new MemoryQueue<DeliveryJob>({ configured: false }),
    withoutDeadLetters: new MemoryQueue<DeliveryJob>({ deadLetters: false }),
    probe: {
      requests: () => queue.requests.map((request) => request.items.length),
      async drain() {
        const items = queue.receive();
        queue.done(items);
        return items;
      },
      async take(count) {
        held = queue.receive(count);
      },
      async finish() {
        queue.done(held);
      },
      drainDeadLetters: async () => queue.deadLettered.splice(0),
    },
  };
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

queueContract('WorkQueue on the SQS emulator', async () => {
  const config = loadConfig(stack.functionEnv('deliver'));
  const clients = createAwsClients(config.region);
  const requests: number[] = [];
  clients.sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'SendMessageBatchCommand') requests.push((args.input as { Entries: unknown[] }).Entries.length);
      return next(args);
    },
    { step: 'initialize', name: 'countSendRequests' },
  );
  const { sqs } = stack.clients;
  await Promise.all([drain(sqs, config.deliveryQueueUrl), drain(sqs, config.deliveryDlqUrl)]);
  let held: Message[] = [];
  const subject: QueueSubject = {
    queue: createApp(config, clients).queue,
    unconfigured: deliveryQueue(clients.sqs, '', ''),
    withoutDeadLetters: deliveryQueue(clients.sqs, config.deliveryQueueUrl, ''),
    probe: {
      requests: () => [...requests],
      drain: async () => (await drain(sqs, config.deliveryQueueUrl)).map(bodyOf),
      async take(count) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: config.deliveryQueueUrl, MaxNumberOfMessages: count, WaitTimeSeconds: 0 }));
        held = Messages;
      },
      async finish() {
        await remove(sqs, config.deliveryQueueUrl, held);
      },
      drainDeadLetters: async () => (await drain(sqs, config.deliveryDlqUrl)).map(bodyOf),
    },
  };
  return subject;
});

/** Receive and delete until a receive comes back empty. */
async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await remove(sqs, queueUrl, Messages);
  }
}

async function remove(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return;
  const Entries = messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! }));
  await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
}

const bodyOf = (message: Message): DeliveryJob => decodeJob(message.Body ?? '');
