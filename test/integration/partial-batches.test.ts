/**
 * Batch writes that AWS answers in part, through the functions as deployed: a proxy in
 * front of DynamoDB Local and the SQS emulator holds entries back (SendMessageBatch's
 * Failed). What is held back once must be written again; what is held back every time must
 * surface as a retryable error, never be dropped. (Subscription rows are written one
 * transaction each, with their counts: adapters/counted-rows.ts.)
 * Jobs carry 2 connections here, so a room of 25 needs 13 jobs: two SendMessageBatch calls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startStackOn, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, drainDeliveries, framesOf, httpEvent, loadHandlers, openConnection, queueDepth, socketEvent } from '../support/flow.js';
import { startPartialBatchProxy, type PartialBatchProxy } from '../support/partial-batches.js';

let stack: Stack;
let sqs: PartialBatchProxy;
let connect: LambdaHandler;
let subscribe: LambdaHandler;
let publish: LambdaHandler;
let deliver: LambdaHandler;

beforeAll(async () => {
  const services = inject('roomcastServices');
  sqs = await startPartialBatchProxy(services.sqs);
  stack = await startStackOn({ dynamodb: services.dynamodb, sqs: sqs.endpoint }, { env: { DELIVERY_JOB_SIZE: '2' } });
  [connect, subscribe, publish, deliver] = await loadHandlers(stack, ['connect', 'subscribe', 'publish', 'deliver']);
});
afterAll(async () => {
  await stack?.stop();
  await sqs?.close();
});
afterEach(() => {
  sqs.clear();
});

/** A room of `size` subscribers, `<prefix>-<i>=`. */
async function room(name: string, prefix: string, size: number): Promise<string[]> {
  const ids = Array.from({ length: size }, (_, i) => `${prefix}-${i}=`);
  for (const id of ids) {
    await openConnection(stack, connect, id);
    expect(await subscribe(socketEvent('subscribe', id, { action: 'subscribe', rooms: [name] }))).toEqual({ statusCode: 200 });
  }
  return ids;
}

const received = (id: string, name: string) => framesOf(stack, id).filter((frame) => frame.type === 'message' && frame.room === name).map((frame) => frame.id);
const sum = (calls: Array<{ entries: number }>) => calls.reduce((total, call) => total + call.entries, 0);

describe('SendMessageBatch answered in part (Failed entries)', () => {
  it('sends the refused delivery jobs again, for a room of more jobs than one batch holds', async () => {
    const ids = await room('big:1', 'big', 25);
    sqs.clear();
    sqs.holdBack(1, 3);
    expect((await callHttp(publish, httpEvent('publish', { room: 'big:1', body: { id: 'big-1', data: 1 } }))).statusCode).toBe(202);
    // 13 jobs in a batch of 10 and one of 3; whichever came first lost 3 entries, sent again alone.
    expect(sqs.calls().map((call) => call.entries).sort((a, b) => a - b)).toEqual([3, 3, 10]);
    expect(await queueDepth(stack, 'DeliveryQueue')).toBe(13);
    await drainDeliveries(stack, deliver);
    for (const id of ids) expect(received(id, 'big:1')).toEqual(['big-1']);
  });

  it('fails the publish with a retryable error when SQS keeps refusing, and the retry delivers', async () => {
    const ids = await room('stubborn:1', 'stubborn', 5);
    sqs.clear();
    sqs.holdBack(Infinity, Infinity);
    const refused = await callHttp(publish, httpEvent('publish', { room: 'stubborn:1', body: { id: 'stubborn-1', data: 1 } }));
    expect(refused.statusCode).toBe(500);
    expect(refused.body.error).toMatchObject({ code: 'INTERNAL', retryable: true });
    expect(sqs.calls().length).toBeGreaterThan(1);
    expect(sqs.calls().every((call) => call.heldBack === call.entries)).toBe(true);
    expect(await queueDepth(stack, 'DeliveryQueue')).toBe(0);

    sqs.clear();
    const retried = await callHttp(publish, httpEvent('publish', { room: 'stubborn:1', body: { id: 'stubborn-1', data: 1 } }));
    expect(retried.statusCode).toBe(202);
    await drainDeliveries(stack, deliver);
    for (const id of ids) expect(received(id, 'stubborn:1')).toEqual(['stubborn-1']);
  });
});
