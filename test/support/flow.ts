/**
 * The tests' steps on a stack: the sample events of events/ with a test's changes, a
 * connection through `$connect`, the frames it got, whole fan-outs drained. The queue loop
 * and the HTTP call are the stack's own (local/stack/).
 */
import { readFileSync } from 'node:fs';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { drainQueue, type DrainResult, type LambdaHandler } from '../../local/stack/index.js';
import type { Stack } from './stack.js';

export { callHttp, drainQueue, queueDepth, queueUrl, type DrainOptions, type HttpResult } from '../../local/stack/index.js';

/** A sample event from events/, as the tests' starting point. */
export function sampleEvent<T = Record<string, any>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../events/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** The WebSocket event `name` for one connection, with a body and the rooms its token allows. */
export function socketEvent(name: string, connectionId: string, body?: unknown, rooms: string[] = ['**']) {
  const event = sampleEvent(name);
  event.requestContext.connectionId = connectionId;
  event.requestContext.authorizer = { ...event.requestContext.authorizer, principalId: `user-${connectionId}`, principal: `user-${connectionId}`, rooms: JSON.stringify(rooms) };
  if (body !== undefined) event.body = typeof body === 'string' ? body : JSON.stringify(body);
  return event;
}

/** An HTTP API event for publish/history with another room, body or query. */
export function httpEvent(name: string, changes: { room?: string; body?: unknown; query?: Record<string, string>; routeKey?: string }) {
  const event = sampleEvent(name);
  if (changes.room !== undefined) {
    event.pathParameters = { room: changes.room };
    event.rawPath = `/rooms/${encodeURIComponent(changes.room)}/messages`;
  }
  if (changes.body !== undefined) event.body = typeof changes.body === 'string' ? changes.body : JSON.stringify(changes.body);
  if (changes.query) event.queryStringParameters = changes.query;
  if (changes.routeKey) event.routeKey = changes.routeKey;
  return event;
}

/** A connection that exists at the gateway (the @connections API) and went through $connect. */
export async function openConnection(stack: Stack, connect: LambdaHandler, connectionId: string): Promise<void> {
  stack.connections.register(connectionId);
  const result = (await connect(socketEvent('connect', connectionId))) as { statusCode: number };
  if (result.statusCode !== 200) throw new Error(`$connect answered ${result.statusCode}`);
}

/** The frames posted to a connection, parsed. */
export function framesOf(stack: Stack, connectionId: string): any[] {
  return stack.connections.posts(connectionId).map((frame) => JSON.parse(frame));
}

/**
 * Run the deliver function over the delivery queue as Lambda's event source does:
 * receive, invoke with Lambda's SQS event, delete what succeeded, leave the reported
 * failures, until the queue is empty or `timeoutMs` passes.
 */
export async function drainDeliveries(stack: Stack, deliver: LambdaHandler, timeoutMs = 20_000): Promise<DrainResult> {
  return drainQueue(stack, 'DeliveryQueue', deliver, { timeoutMs });
}

/** The same for the plan queue and the plan function, then the delivery queue: a whole fan-out, planned and delivered. */
export async function drainFanOut(stack: Stack, plan: LambdaHandler, deliver: LambdaHandler, timeoutMs = 20_000): Promise<DrainResult> {
  const planned = await drainQueue(stack, 'PlanQueue', plan, { timeoutMs });
  const delivered = await drainQueue(stack, 'DeliveryQueue', deliver, { timeoutMs });
  return { invocations: planned.invocations + delivered.invocations, failures: planned.failures + delivered.failures };
}

/** Every item under one partition key of a table. */
export async function itemsOf(stack: Stack, tableLogicalId: string, pk: string): Promise<Record<string, any>[]> {
  const table = stack.tables[tableLogicalId];
  if (!table) throw new Error(`no table ${tableLogicalId}`);
  const { Items = [] } = await stack.clients.dynamo.send(new QueryCommand({ TableName: table.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } } }));
  return Items;
}

/** Fresh handlers of several functions, in the order named. */
export async function loadHandlers<const N extends readonly string[]>(stack: Stack, names: N): Promise<{ [K in keyof N]: LambdaHandler }> {
  return (await Promise.all(names.map((name) => stack.handler(name)))) as { [K in keyof N]: LambdaHandler };
}
