/**
 * Batch writes that AWS answers in part, through the functions as deployed: a proxy in
 * front of DynamoDB Local and the SQS emulator holds entries back (BatchWriteItem's
 * UnprocessedItems, SendMessageBatch's Failed). What is held back once must be written
 * again; what is held back every time must surface as a retryable error, never be dropped.
 * Jobs carry 2 connections here, so a room of 25 needs 13 jobs: two SendMessageBatch calls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startStackOn, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, drainDeliveries, framesOf, httpEvent, loadHandlers, openConnection, queueDepth, socketEvent } from '../support/flow.js';
import { startPartialBatchProxy, type PartialBatchProxy } from '../support/partial-batches.js';

let stack: Stack;
let dynamo: PartialBatchProxy;
let sqs: PartialBatchProxy;
let connect: LambdaHandler;
let subscribe: LambdaHandler;
let publish: LambdaHandler;
let deliver: LambdaHandler;

beforeAll(async () => {
  const services = inject('roomcastServices');
  dynamo = await startPartialBatchProxy('dynamodb', services.dynamodb);
  sqs = await startPartialBatchProxy('sqs', services.sqs);
  stack = await startStackOn({ dynamodb: dynamo.endpoint, sqs: sqs.endpoint }, { env: { DELIVERY_JOB_SIZE: '2' } });
  [connect, subscribe, publish, deliver] = await loadHandlers(stack, ['connect', 'subscribe', 'publish', 'deliver']);
});
afterAll(async () => {
  await stack?.stop();
  await Promise.allSettled([dynamo?.close(), sqs?.close()]);
});
afterEach(() => {
  dynamo.clear();
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

describe('BatchWriteItem answered in part (UnprocessedItems)', () => {
  const ROOMS = Array.from({ length: 30 }, (_, i) => `many:${i}`);

  it('writes the unprocessed subscription rows again: every room of the subscribe delivers', async () => {
    await openConnection(stack, connect, 'many=');
    dynamo.clear();
    dynamo.holdBack(1, 5);
    expect(await subscribe(socketEvent('subscribe', 'many=', { action: 'subscribe', rooms: ROOMS }))).toEqual({ statusCode: 200 });
    // 30 rows in writes of at most 25, and the 5 held back once more.
    expect(dynamo.calls().filter((call) => call.heldBack > 0)).toEqual([{ entries: 25, heldBack: 5 }]);
    expect(sum(dynamo.calls())).toBe(35);
    for (const name of ROOMS) expect((await callHttp(publish, httpEvent('publish', { room: name, body: { id: `in-${name}`, data: 1 } }))).statusCode).toBe(202);
    await drainDeliveries(stack, deliver);
    for (const name of ROOMS) expect(received('many=', name)).toEqual([`in-${name}`]);
  });

  it('answers a retryable error when the rows stay unprocessed, and a second subscribe completes it', async () => {
    await openConnection(stack, connect, 'stuck=');
    dynamo.clear();
    dynamo.holdBack(Infinity, Infinity);
    const answer = (await subscribe(socketEvent('subscribe', 'stuck=', { action: 'subscribe', rooms: ['stuck:1', 'stuck:2'] }))) as { statusCode: number; body?: string };
    expect(JSON.parse(answer.body ?? '{}')).toMatchObject({ type: 'error', code: 'THROTTLED', retryable: true });
    expect(dynamo.calls().length).toBeGreaterThan(1);

    dynamo.clear();
    expect(await subscribe(socketEvent('subscribe', 'stuck=', { action: 'subscribe', rooms: ['stuck:1', 'stuck:2'] }))).toEqual({ statusCode: 200 });
    for (const name of ['stuck:1', 'stuck:2']) expect((await callHttp(publish, httpEvent('publish', { room: name, body: { id: `in-${name}`, data: 1 } }))).statusCode).toBe(202);
    await drainDeliveries(stack, deliver);
    expect(received('stuck=', 'stuck:1')).toEqual(['in-stuck:1']);
    expect(received('stuck=', 'stuck:2')).toEqual(['in-stuck:2']);
  });
});
