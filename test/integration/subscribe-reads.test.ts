/**
 * What one subscribe frame reads from the messages table on DynamoDB Local, in read units
 * as DynamoDB reports them (ConsumedCapacity): the worst frame (position 0 of long rooms,
 * and origins the rooms never had) costs at most a snapshot of the same rooms plus one
 * frame's allowance (FRAME_READ_UNITS). `npm run bench:subscribe-reads` measures it at full size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createAwsClients, loadConfig, parseFrame, subscribe, websocketHandler } from '@roomcast/core';
import { FRAME_READ_UNITS } from '../../layers/core/src/model/read-budget.js';
import { startStack, REGION, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, framesOf, httpEvent, loadHandlers, openConnection, socketEvent } from '../support/flow.js';

let stack: Stack;
let connect: LambdaHandler;
let publish: LambdaHandler;
const ROOMS = ['reads:1', 'reads:2', 'reads:3'];
/** Windows of 20 messages; each room holds twice that, of 60 KB each (15 read units a message). */
const ENV = { HISTORY_LENGTH: '20', SNAPSHOT_DEFAULT: '20' };

beforeAll(async () => {
  stack = await startStack();
  [connect, publish] = await loadHandlers(stack, ['connect', 'publish']);
  for (const room of ROOMS) {
    for (let index = 1; index <= 40; index += 1) {
      const { statusCode } = await callHttp(publish, httpEvent('publish', { room, body: { id: `${room}/${index}`, data: 'x'.repeat(60_000) } }));
      if (statusCode !== 202) throw new Error(`publish answered ${statusCode}`);
    }
  }
}, 120_000);
afterAll(() => stack?.stop());

/** A fresh subscribe function (its cache empty), with the read units of its Queries of the messages table summed. */
function meteredSubscribe() {
  const config = loadConfig({ ...stack.functionEnv('subscribe'), ...ENV });
  const clients = createAwsClients(config.region);
  const meter = { queries: 0, units: 0 };
  clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; ReturnConsumedCapacity?: string };
      if (context.commandName === 'QueryCommand') input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      if (context.commandName === 'QueryCommand' && input.TableName === config.messagesTable) {
        meter.queries += 1;
        meter.units += Number((result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ?? Number.NaN);
      }
      return result;
    },
    { step: 'initialize', name: 'meterHistoryReads' },
  );
  const app = createApp(config, clients);
  const handler = websocketHandler(app, (request) => subscribe(app, request, parseFrame(request.body, 'subscribe')));
  return { handler: (event: unknown) => handler(event as Parameters<typeof handler>[0]), meter };
}

async function measure(connectionId: string, frame: object) {
  await openConnection(stack, connect, connectionId);
  const { handler, meter } = meteredSubscribe();
  const answer = (await handler(socketEvent('subscribe', connectionId, frame))) as { statusCode: number };
  expect(answer.statusCode).toBe(200);
  return { ...meter, snapshots: framesOf(stack, connectionId).filter((item) => item.type === 'snapshot') };
}

describe('reads of one subscribe frame, on DynamoDB Local', () => {
  it('the worst frame costs at most a snapshot of its rooms plus FRAME_READ_UNITS, and reads no origin the rooms never had', async () => {
    const snapshot = await measure('reads-snapshot=', { action: 'subscribe', rooms: ROOMS, snapshot: true });
    const zero = '0'.repeat(16);
    const nowhere = Array.from({ length: 15 }, (_, index) => `${zero}.nowhere-${index}.${zero.slice(1)}1`);
    const cursor = [`${zero}.${REGION}.${zero}`, ...nowhere].join(',');
    const worst = await measure('reads-worst=', { action: 'subscribe', rooms: ROOMS, since: Object.fromEntries(ROOMS.map((room) => [room, cursor])) });

    expect(snapshot.units).toBeGreaterThan(0);
    expect(worst.units).toBeLessThanOrEqual(snapshot.units + FRAME_READ_UNITS);
    // Pages of at most FRAME_READ_UNITS / 32 messages: a handful of Queries, none for the 15 origins per room.
    expect(worst.queries - snapshot.queries).toBeLessThan(FRAME_READ_UNITS / 15);
    const last = worst.snapshots.filter((frame) => !frame.more);
    expect(last.map((frame) => [frame.room, frame.complete])).toEqual(ROOMS.map((room) => [room, false]));
    expect(last[0].next).toBeDefined();
  }, 60_000);
});
