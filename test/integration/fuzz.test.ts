/**
 * The handlers against DynamoDB Local, fed hostile input (fast-check): every bad frame or
 * publish body is answered with a typed error (never a crash, never INTERNAL), and leaves
 * the tables exactly as they were: no subscription rows, no messages, no publish records,
 * and the connection's other subscriptions intact. Set FUZZ_RUNS for a longer run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS, parseBatchBody, parseClientFrame, parsePublishBody, RoomcastError, type ErrorCode } from '@roomcast/core';
import { selectRouteKey } from '../../local/gateway/route-selection.js';
import { startStack, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { callHttp, httpEvent, loadHandlers, queueDepth, socketEvent } from '../support/flow.js';
import { batchBodies, clientFrames, fuzzRuns, fuzzTimeout, publishBodies, roomNames } from '../support/fuzz.js';
import { dumpTable } from '../support/tables.js';

const RUNS = fuzzRuns(40);
const TIMEOUT = fuzzTimeout(RUNS, 500);
const ID = 'fuzz=';
/** The token's rooms: a well-formed subscribe to any other room is ROOM_FORBIDDEN. */
const PATTERNS = ['keep:*'];
const KEEP = ['keep:1', 'keep:2'];

let stack: Stack;
let connect: LambdaHandler;
let subscribe: LambdaHandler;
let publish: LambdaHandler;
const byRoute = new Map<string, LambdaHandler>();

beforeAll(async () => {
  // Every frame reaches the parser here: the frame rate has its own tests.
  stack = await startStack({ env: { FRAME_RATE: '0' } });
  [connect, subscribe, publish] = await loadHandlers(stack, ['connect', 'subscribe', 'publish']);
  for (const route of Object.values(stack.model.websocketApis[0]!.routes)) {
    if (route.function && route.routeKey !== '$connect' && route.routeKey !== '$disconnect') byRoute.set(route.routeKey, await stack.handler(route.function));
  }
  // The connection's token grants PATTERNS from $connect on.
  stack.connections.register(ID);
  expect(await connect(socketEvent('connect', ID, undefined, PATTERNS))).toEqual({ statusCode: 200 });
  expect(await subscribe(socketEvent('subscribe', ID, { action: 'subscribe', rooms: KEEP }, PATTERNS))).toEqual({ statusCode: 200 });
  expect((await callHttp(publish, httpEvent('publish', { room: 'keep:1', body: { data: 'before', id: 'before' } }))).statusCode).toBe(202);
});
afterAll(() => stack?.stop());

/** Both tables, every item, in a stable order. */
async function tables(): Promise<string> {
  const dump: string[] = [];
  for (const logicalId of ['ConnectionsTable', 'MessagesTable']) {
    dump.push(...(await dumpTable(stack.clients.dynamo, stack.tables[logicalId]!.name)).map((item) => `${logicalId} ${item}`));
  }
  return dump.join('\n');
}

/** A room a URL path can carry (a lone surrogate cannot be percent-encoded). */
function inUrl(room: string): boolean {
  try {
    encodeURIComponent(room);
    return true;
  } catch {
    return false;
  }
}

/** The code a parser refuses with, or undefined when it accepts. */
function refusal(parse: () => unknown): ErrorCode | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    if (error instanceof RoomcastError) return error.code;
    throw error;
  }
}

/** The route API Gateway picks for a frame: its `action`'s route, else `$default`. */
function routeOf(body: string): string {
  const key = selectRouteKey(stack.model.websocketApis[0]!.routeSelectionExpression, body);
  return key !== undefined && byRoute.has(key) ? key : '$default';
}

/** A frame that would change the connection's rows if accepted: no bad input, so not this test's. */
function changesState(body: string): boolean {
  try {
    const frame = parseClientFrame(body);
    return frame.action !== 'ping' && frame.action !== 'refresh' && frame.rooms.some((room) => room.startsWith('keep:'));
  } catch {
    return false;
  }
}

async function answer(handler: LambdaHandler, routeKey: string, body: string): Promise<{ statusCode: number; frame?: { type: string; code?: string } }> {
  const event = socketEvent('subscribe', ID, undefined, PATTERNS);
  event.requestContext.routeKey = routeKey;
  event.body = body;
  const result = (await handler(event)) as { statusCode: number; body?: string };
  return { statusCode: result.statusCode, ...(result.body === undefined ? {} : { frame: JSON.parse(result.body) }) };
}

describe('bad frames at the socket handlers', () => {
  let before: string;
  beforeAll(async () => {
    before = await tables();
  });

  it('answer a typed error frame (or pong) and change no row, at the routed handler and at subscribe', async () => {
    await fc.assert(
      fc.asyncProperty(clientFrames(), async (body) => {
        fc.pre(!changesState(body));
        const routed = routeOf(body);
        for (const routeKey of routed === 'subscribe' ? [routed] : [routed, 'subscribe']) {
          const { statusCode, frame } = await answer(byRoute.get(routeKey)!, routeKey, body);
          expect(statusCode).toBe(200);
          if (frame?.type === 'pong' || frame?.type === 'unsubscribed') continue;
          expect(frame?.type).toBe('error');
          expect(Object.keys(ERRORS)).toContain(frame!.code);
          expect(frame!.code).not.toBe('INTERNAL');
          const parsed = refusal(() => parseClientFrame(body));
          if (parsed) expect(frame!.code).toBe(parsed);
        }
        expect(await tables()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('leave the connection its rooms', async () => {
    const rooms = (await tables()).split('\n').filter((line) => line.includes(`"conn#${ID}"`));
    expect(rooms).toHaveLength(1);
    for (const room of KEEP) expect(rooms[0]).toContain(room);
    expect(await tables()).toBe(before);
  });
});

describe('bad publish bodies at the publish handler', () => {
  let before: string;
  /** Delivery jobs queued before these tests (the one message published before any fuzzing). */
  let jobsBefore: number;
  beforeAll(async () => {
    before = await tables();
    jobsBefore = await queueDepth(stack, 'DeliveryQueue');
  });
  const jobs = () => queueDepth(stack, 'DeliveryQueue');

  const expectRefused = (result: { statusCode: number; body: any }, code: ErrorCode): void => {
    expect(result.body.error).toMatchObject({ code, retryable: false });
    expect(result.statusCode).toBe(ERRORS[code].status);
  };

  it('answer the validator’s error with its status, and store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        roomNames().filter(inUrl),
        publishBodies(),
        async (room, body) => {
          const code = refusal(() => parsePublishBody(room, body));
          fc.pre(code !== undefined);
          expectRefused(await callHttp(publish, httpEvent('publish', { room, body })), code!);
          expect(await tables()).toBe(before);
          expect(await jobs()).toBe(jobsBefore);
        },
      ),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('answer a bad batch with its error, and store none of it', async () => {
    await fc.assert(
      fc.asyncProperty(batchBodies(), async (body) => {
        const code = refusal(() => parseBatchBody(body));
        fc.pre(code !== undefined);
        expectRefused(await callHttp(publish, httpEvent('publish-batch', { body })), code!);
        expect(await tables()).toBe(before);
        expect(await jobs()).toBe(jobsBefore);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('planned no delivery for any of them, not even later', async () => {
    expect(await jobs()).toBe(jobsBefore);
  });

  it('(while a good publish does add its job to that count)', async () => {
    const queued = await jobs();
    expect((await callHttp(publish, httpEvent('publish', { room: 'keep:2', body: { data: 'after', id: 'after' } }))).statusCode).toBe(202);
    expect(await jobs()).toBe(queued + 1);
  });
});
