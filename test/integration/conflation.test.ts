/**
 * Conflated rooms (ConflateRooms, model/conflation.ts) against DynamoDB Local and the SQS
 * emulator: when delivery lags behind publishing, a subscriber of a conflated room is
 * posted the latest message instead of the backlog; other rooms get every message; history
 * keeps every message; `subscribed` says which rooms are conflated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, drainDeliveries, framesOf, httpEvent, loadHandlers, openConnection, queueDepth, socketEvent } from '../support/flow.js';

let stack: Stack;
let connect: LambdaHandler;
let subscribe: LambdaHandler;
let publish: LambdaHandler;
let deliver: LambdaHandler;
let history: LambdaHandler;

beforeAll(async () => {
  stack = await startStack({ env: { CONFLATE_ROOMS: 'score:*,price:eur', CONFLATE_CACHE_MS: '0' } });
  [connect, subscribe, publish, deliver, history] = await loadHandlers(stack, ['connect', 'subscribe', 'publish', 'deliver', 'history']);
});
afterAll(() => stack?.stop());

const ids = ['conf-a=', 'conf-b=', 'conf-c='];
const messages = (id: string, room: string) => framesOf(stack, id).filter((frame) => frame.type === 'message' && frame.room === room).map((frame) => frame.id);

describe('conflated rooms', () => {
  it('post only the latest of a backlog to a conflated room, every message elsewhere; history keeps all', async () => {
    for (const id of ids) {
      await openConnection(stack, connect, id);
      expect(await subscribe(socketEvent('subscribe', id, { action: 'subscribe', rooms: ['score:1', 'plain:1'], snapshot: 0 }))).toEqual({ statusCode: 200 });
      expect(framesOf(stack, id)[0]).toEqual({ type: 'subscribed', rooms: ['score:1', 'plain:1'], conflated: ['score:1'] });
    }
    // Delivery lags: five messages of each room are planned before any job is delivered.
    for (let index = 1; index <= 5; index += 1) {
      // An id names one message in the whole stack: each room's ids of its own.
      for (const [room, prefix] of [['score:1', 's'], ['plain:1', 'm']]) expect((await callHttp(publish, httpEvent('publish', { room, body: { id: `${prefix}${index}`, data: index } }))).statusCode).toBe(202);
    }
    expect(await queueDepth(stack, 'DeliveryQueue')).toBe(10);
    await drainDeliveries(stack, deliver);
    for (const id of ids) {
      expect(messages(id, 'score:1')).toEqual(['s5']);
      // Standard queues do not keep order; the client SDK orders by position.
      expect(messages(id, 'plain:1').sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    }
    const kept = await callHttp(history, httpEvent('history', { room: 'score:1', query: { limit: '10' } }));
    expect(kept.body.messages.map((message: { id: string }) => message.id)).toEqual(['s1', 's2', 's3', 's4', 's5']);
  });

  it('posts every message of a conflated room that delivery keeps up with', async () => {
    await openConnection(stack, connect, 'conf-live=');
    expect(await subscribe(socketEvent('subscribe', 'conf-live=', { action: 'subscribe', rooms: ['price:eur'], snapshot: 0 }))).toEqual({ statusCode: 200 });
    for (let index = 1; index <= 3; index += 1) {
      expect((await callHttp(publish, httpEvent('publish', { room: 'price:eur', body: { id: `p${index}`, data: index } }))).statusCode).toBe(202);
      await drainDeliveries(stack, deliver);
    }
    expect(messages('conf-live=', 'price:eur')).toEqual(['p1', 'p2', 'p3']);
  });
});
