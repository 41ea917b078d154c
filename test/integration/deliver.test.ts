import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PurgeQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { startStack, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, drainDeliveries, framesOf, httpEvent, itemsOf, openConnection, queueDepth, queueUrl, sampleEvent, socketEvent } from '../support/flow.js';
import { loadHandlers } from '../support/flow.js';

let stack: Stack;
let connect: LambdaHandler;
let subscribe: LambdaHandler;
let publish: LambdaHandler;
let deliver: LambdaHandler;

beforeAll(async () => {
  stack = await startStack();
  [connect, subscribe, publish, deliver] = await loadHandlers(stack, ['connect', 'subscribe', 'publish', 'deliver']);
});
afterAll(() => stack?.stop());

// Each test starts with empty delivery queues, so what it finds there is its own doing.
beforeEach(async () => {
  for (const queue of ['DeliveryQueue', 'DeliveryDLQ']) await stack.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl(stack, queue) }));
});

/** Jobs waiting in the delivery queue (visible, in flight or delayed): a re-enqueued job shows here. */
const jobsLeft = () => queueDepth(stack, 'DeliveryQueue');

async function room(name: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    await openConnection(stack, connect, id);
    await subscribe(socketEvent('subscribe', id, { action: 'subscribe', rooms: [name] }));
  }
}

const received = (id: string, name: string) => framesOf(stack, id).filter((frame) => frame.type === 'message' && frame.room === name).map((frame) => frame.id);
const rowsOf = async (id: string) => (await itemsOf(stack, 'ConnectionsTable', `conn#${id}`)).length;

describe('deliver', () => {
  it('posts the sample job to its connections and reports no failure', async () => {
    const job = JSON.parse(sampleEvent('deliver').Records[0].body);
    for (const id of job.connections) stack.connections.register(id);
    expect(await deliver(sampleEvent('deliver'))).toEqual({ batchItemFailures: [] });
    for (const id of job.connections) expect(stack.connections.posts(id)).toEqual([job.frame]);
    expect(await jobsLeft()).toBe(0);
  });

  it('a 410 removes exactly the stale connection; the others are served and kept', async () => {
    await room('gone:1', ['live-1=', 'stale=', 'live-2=']);
    stack.connections.unregister('stale=');
    await callHttp(publish, httpEvent('publish', { room: 'gone:1', body: { id: 'm1', data: 1 } }));
    await drainDeliveries(stack, deliver);
    expect(received('live-1=', 'gone:1')).toEqual(['m1']);
    expect(received('live-2=', 'gone:1')).toEqual(['m1']);
    expect(await rowsOf('stale=')).toBe(0);
    expect(await rowsOf('live-1=')).toBe(1);
    expect(await rowsOf('live-2=')).toBe(1);
    // Its subscription row went too: the next publish plans posts for the live ones only.
    await callHttp(publish, httpEvent('publish', { room: 'gone:1', body: { id: 'm2', data: 2 } }));
    await drainDeliveries(stack, deliver);
    expect(received('stale=', 'gone:1')).toEqual([]);
    expect(received('live-1=', 'gone:1')).toEqual(['m1', 'm2']);
  });

  it('retries throttled and failing posts without serving anyone twice', async () => {
    const ids = ['t-1=', 't-2=', 't-3=', 't-4='];
    await room('throttle:1', ids);
    stack.connections.failNext('t-1=', 2, 429);
    stack.connections.failNext('t-2=', 1, 500);
    await callHttp(publish, httpEvent('publish', { room: 'throttle:1', body: { id: 'hot', data: 1 } }));
    await drainDeliveries(stack, deliver);
    for (const id of ids) expect(received(id, 'throttle:1')).toEqual(['hot']);
  });

  it('re-enqueues only the connections still failing after its own retries, and serves them once later', async () => {
    const ids = ['q-1=', 'q-2=', 'q-3='];
    await room('requeue:1', ids);
    stack.connections.failNext('q-2=', 4, 429); // more than POST_ATTEMPTS (3) inside one invocation
    await callHttp(publish, httpEvent('publish', { room: 'requeue:1', body: { id: 'later', data: 1 } }));
    const { invocations } = await drainDeliveries(stack, deliver, 30_000);
    expect(invocations).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(received(id, 'requeue:1')).toEqual(['later']);
  });

  it('parks a job that runs out of attempts in the DLQ, holding only the connections not served', async () => {
    const strict = await stack.handler('deliver', { DELIVERY_MAX_ATTEMPTS: '1', POST_ATTEMPTS: '2' });
    await room('dead:1', ['d-ok=', 'd-bad=']);
    stack.connections.failNext('d-bad=', 10, 500);
    await callHttp(publish, httpEvent('publish', { room: 'dead:1', body: { id: 'doomed', data: 1 } }));
    await drainDeliveries(stack, strict);
    expect(received('d-ok=', 'dead:1')).toEqual(['doomed']);
    // The DLQ was empty when the test started: it holds this job and nothing else.
    const { Messages = [] } = await stack.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(stack, 'DeliveryDLQ'), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(Messages.map((message) => JSON.parse(message.Body!))).toEqual([expect.objectContaining({ room: 'dead:1', id: 'doomed', connections: ['d-bad='], attempt: 1 })]);
    expect(await queueDepth(stack, 'DeliveryDLQ')).toBe(1);
  });

  it('reports a poison job as a batch item failure and still delivers the good job beside it', async () => {
    const good = sampleEvent('deliver').Records[0];
    const job = { ...JSON.parse(good.body), room: 'poison:1', connections: ['p-ok='] };
    stack.connections.register('p-ok=');
    const event = { Records: [{ ...good, messageId: 'poison', body: '{"not":"a job"}' }, { ...good, messageId: 'good', body: JSON.stringify(job) }] };
    expect(await deliver(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect(stack.connections.posts('p-ok=')).toEqual([job.frame]);
    expect(await jobsLeft()).toBe(0);
  });

  it('keeps POST_CONCURRENCY posts in flight for all the jobs of a batch together, and serves each connection once', async () => {
    const limited = await stack.handler('deliver', { POST_CONCURRENCY: '4' });
    const template = JSON.parse(sampleEvent('deliver').Records[0].body);
    const jobs = Array.from({ length: 3 }, (_, j) => ({ ...template, id: `limit-${j}`, connections: Array.from({ length: 6 }, (_, i) => `limit-${j}-${i}`) }));
    stack.connections.reset();
    for (const job of jobs) for (const id of job.connections) stack.connections.register(id);
    // Long enough that the first posts are still held when the fourth arrives, even on a busy machine.
    stack.connections.holdPosts(150);
    const event = { Records: jobs.map((job, j) => ({ ...sampleEvent('deliver').Records[0], messageId: `limit-${j}`, body: JSON.stringify(job) })) };
    expect(await limited(event)).toEqual({ batchItemFailures: [] });
    // 18 posts of 3 jobs, 4 at a time: per job (the old rule) it would have been 12.
    expect(stack.connections.maxInFlight()).toBe(4);
    for (const job of jobs) for (const id of job.connections) expect(stack.connections.posts(id)).toEqual([job.frame]);
    expect(await jobsLeft()).toBe(0);
    stack.connections.reset();
  });
});
