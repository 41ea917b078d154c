import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { sleep } from './timing.js';

export interface ReceiveOptions {
  sqs: SQSClient;
  queueUrl: string;
  batchSize: number;
  windowMs: number;
  waitTimeSeconds: number;
  signal: AbortSignal;
}

/** How often the queue is read again while a batching window is open. */
const WINDOW_POLL_MS = 50;
/** ReceiveMessage returns at most this many messages. */
const CHUNK = 10;

/**
 * Gathers one batch as Lambda's pollers do: a long poll until at least one message is there,
 * then more receives until `batchSize` messages or the batching window has passed (a window
 * of 0 means: while full chunks keep coming). Empty when the long poll found nothing.
 *
 * A message whose visibility timeout ends within the window is received again: the batch keeps
 * its latest copy only (the receipt handle that can still delete it).
 *
 * Only the long poll is aborted by stop(): an aborted receive cannot be taken back, and the
 * server may still hand it messages that then stay invisible for a visibility timeout. The
 * receives after the first message return at once (WaitTimeSeconds 0) and are not aborted.
 */
export async function receiveBatch(options: ReceiveOptions): Promise<Message[]> {
  const { batchSize, windowMs, signal } = options;
  const batch = await receive(options, Math.min(CHUNK, batchSize), options.waitTimeSeconds, signal);
  if (batch.length === 0) return batch;
  const deadline = Date.now() + windowMs;
  while (batch.length < batchSize && !signal.aborted) {
    const wanted = Math.min(CHUNK, batchSize - batch.length);
    const chunk = await receive(options, wanted, 0);
    for (const message of chunk) addLatest(batch, message);
    if (chunk.length === wanted) continue;
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(WINDOW_POLL_MS, left), signal);
  }
  return batch;
}

function addLatest(batch: Message[], message: Message): void {
  const index = batch.findIndex((held) => held.MessageId === message.MessageId);
  if (index === -1) batch.push(message);
  else batch[index] = message;
}

async function receive(options: ReceiveOptions, max: number, waitTimeSeconds: number, signal?: AbortSignal): Promise<Message[]> {
  const command = new ReceiveMessageCommand({
    QueueUrl: options.queueUrl,
    MaxNumberOfMessages: max,
    WaitTimeSeconds: waitTimeSeconds,
    MessageSystemAttributeNames: ['All'],
    MessageAttributeNames: ['All'],
  });
  const output = await options.sqs.send(command, signal ? { abortSignal: signal } : {});
  return output.Messages ?? [];
}
