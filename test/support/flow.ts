import { readFileSync } from 'node:fs';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { LambdaHandler } from './functions.js';
import type { Stack } from './stack.js';

/** A sample event from events/, as the tests' starting point. */
export function sampleEvent<T = Record<string, any>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../events/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** The WebSocket event `name` for one connection, with a body and the rooms its token allows. */
export function socketEvent(name: string, connectionId: string, body?: unknown, rooms: string[] = ['*']) {
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

export interface HttpResult {
  statusCode: number;
  body: any;
}

export async function callHttp(handler: LambdaHandler, event: unknown): Promise<HttpResult> {
  const result = (await handler(event)) as { statusCode: number; body: string };
  return { statusCode: result.statusCode, body: JSON.parse(result.body) };
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

export function queueUrl(stack: Stack, logicalId: string): string {
  const queue = stack.queues[logicalId];
  if (!queue) throw new Error(`no queue ${logicalId}`);
  return queue.url;
}

/** Messages in a queue, visible, in flight or delayed. */
export async function queueDepth(stack: Stack, logicalId: string): Promise<number> {
  const { Attributes = {} } = await stack.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl(stack, logicalId),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Object.values(Attributes).reduce((sum, value) => sum + Number(value), 0);
}

/**
 * Run the deliver function over the delivery queue as Lambda's event source does:
 * receive, invoke with an SQS event shaped like events/deliver.json, delete what
 * succeeded, leave the reported failures, until the queue is empty or `timeoutMs` passes.
 */
export async function drainDeliveries(stack: Stack, deliver: LambdaHandler, timeoutMs = 20_000): Promise<{ invocations: number; failures: number }> {
  return drainQueue(stack, 'DeliveryQueue', deliver, { timeoutMs });
}

/** The same for the plan queue and the plan function, then the delivery queue: a whole fan-out, planned and delivered. */
export async function drainFanOut(stack: Stack, plan: LambdaHandler, deliver: LambdaHandler, timeoutMs = 20_000): Promise<{ invocations: number; failures: number }> {
  const planned = await drainQueue(stack, 'PlanQueue', plan, { timeoutMs });
  const delivered = await drainQueue(stack, 'DeliveryQueue', deliver, { timeoutMs });
  return { invocations: planned.invocations + delivered.invocations, failures: planned.failures + delivered.failures };
}

export interface DrainOptions {
  timeoutMs?: number;
  /** Pollers side by side, like the event source's concurrency (default 1). */
  workers?: number;
  /**
   * Seconds a received batch stays invisible (default 1: a batch whose invocation failed
   * comes back soon). An invocation that takes longer has its batch handed out again.
   */
  visibilityTimeout?: number;
}

/** Run `handler` over queue `logicalId` as an SQS event source does, until the queue is empty. */
export async function drainQueue(stack: Stack, logicalId: string, handler: LambdaHandler, options: DrainOptions = {}): Promise<{ invocations: number; failures: number }> {
  const url = queueUrl(stack, logicalId);
  const template = sampleEvent('deliver').Records[0];
  const until = Date.now() + (options.timeoutMs ?? 20_000);
  let invocations = 0;
  let failures = 0;
  const poll = async (): Promise<void> => {
    while (Date.now() < until) {
      const { Messages = [] } = await stack.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: options.visibilityTimeout ?? 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
      );
      if (Messages.length === 0) {
        if ((await queueDepth(stack, logicalId)) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      const Records = Messages.map((message) => ({ ...template, messageId: message.MessageId, receiptHandle: message.ReceiptHandle, body: message.Body, attributes: { ...template.attributes, ...message.Attributes } }));
      const { batchItemFailures } = (await handler({ Records })) as { batchItemFailures: Array<{ itemIdentifier: string }> };
      invocations += 1;
      failures += batchItemFailures.length;
      const failed = new Set(batchItemFailures.map((item) => item.itemIdentifier));
      const done = Messages.filter((message) => !failed.has(message.MessageId!));
      if (done.length > 0) {
        await stack.clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })) }));
      }
    }
    throw new Error(`${logicalId} not drained in ${options.timeoutMs ?? 20_000} ms`);
  };
  await Promise.all(Array.from({ length: options.workers ?? 1 }, poll));
  return { invocations, failures };
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
