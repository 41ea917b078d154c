/**
 * The frame rate per connection at the socket handlers: frames over it are refused with
 * RATE_LIMITED before any work (nothing stored), other connections are served, and a
 * connection that keeps flooding is closed through the @connections API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import type { LambdaHandler } from '../support/functions.js';
import { itemsOf, loadHandlers, openConnection, socketEvent } from '../support/flow.js';

const RATE = 1;
const BURST = 3;
/** Frames sent at most while waiting for a refusal or the close: far more than the budget. */
const FLOOD = 200;

let stack: Stack;
let connect: LambdaHandler;
let subscribe: LambdaHandler;
let ping: LambdaHandler;

beforeAll(async () => {
  stack = await startStack({ env: { FRAME_RATE: String(RATE), FRAME_BURST: String(BURST), LOG_LEVEL: 'ERROR' } });
  [connect, subscribe, ping] = await loadHandlers(stack, ['connect', 'subscribe', 'default']);
});
afterAll(() => stack?.stop());

type Answer = { type: string; code?: string; retryable?: boolean; details?: { retryAfterMs?: number } };

async function send(handler: LambdaHandler, connectionId: string, body: unknown): Promise<Answer | undefined> {
  const route = (body as { action: string }).action;
  const result = (await handler(socketEvent(route === 'subscribe' ? 'subscribe' : 'default', connectionId, body))) as { statusCode: number; body?: string };
  expect(result.statusCode).toBe(200);
  return result.body === undefined ? undefined : JSON.parse(result.body);
}

async function subscriptionRows(room: string, id: string): Promise<number> {
  let count = 0;
  for (let shard = 0; shard < 4; shard += 1) count += (await itemsOf(stack, 'ConnectionsTable', `room#${room}#${shard}`)).filter((item) => item.sk?.S === id).length;
  return count;
}

describe('frames over a connection’s rate', () => {
  it('are refused with RATE_LIMITED (retryable, with retryAfterMs) while other connections are served', async () => {
    await openConnection(stack, connect, 'flood=');
    await openConnection(stack, connect, 'calm=');
    const answers: Array<Answer | undefined> = [];
    while (answers.length < FLOOD && !answers.some((answer) => answer?.code === 'RATE_LIMITED')) answers.push(await send(ping, 'flood=', { action: 'ping' }));
    const refused = answers.at(-1)!;
    expect(refused).toMatchObject({ type: 'error', code: 'RATE_LIMITED', retryable: true });
    expect(refused.details?.retryAfterMs).toBeGreaterThan(0);
    expect(refused.details?.retryAfterMs).toBeLessThanOrEqual(1000 / RATE);
    expect(answers.slice(0, -1).every((answer) => answer?.type === 'pong')).toBe(true);
    expect(answers.length).toBeGreaterThan(BURST);

    expect(await send(ping, 'calm=', { action: 'ping' })).toEqual({ type: 'pong' });
    expect(await send(subscribe, 'calm=', { action: 'subscribe', rooms: ['calm:1'] })).toBeUndefined();
    expect(await subscriptionRows('calm:1', 'calm=')).toBe(1);
  });

  it('changes nothing when refused: a subscribe over the rate stores no row', async () => {
    await openConnection(stack, connect, 'eager=');
    let room = 0;
    let answer: Answer | undefined;
    while (room < FLOOD && answer?.code !== 'RATE_LIMITED') {
      room += 1;
      answer = await send(subscribe, 'eager=', { action: 'subscribe', rooms: [`eager:${room}`] });
    }
    expect(answer).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await subscriptionRows(`eager:${room}`, 'eager=')).toBe(0);
    expect(await subscriptionRows('eager:1', 'eager=')).toBe(1);
  });

  it('closes a connection that keeps sending while refused, once', async () => {
    await openConnection(stack, connect, 'storm=');
    let sent = 0;
    while (sent < FLOOD && !stack.connections.deleted().includes('storm=')) {
      await send(ping, 'storm=', { action: 'ping' });
      sent += 1;
    }
    expect(stack.connections.deleted().filter((id) => id === 'storm=')).toHaveLength(1);
    // Closed at the refusal that makes it a flood: 5 x the burst refused, beside what the budget let through.
    expect(sent).toBeGreaterThanOrEqual(BURST + 5 * BURST);
    for (let i = 0; i < 10; i += 1) await send(ping, 'storm=', { action: 'ping' });
    expect(stack.connections.deleted().filter((id) => id === 'storm=')).toHaveLength(1);
    expect(stack.connections.deleted()).not.toContain('calm=');
  });
});
