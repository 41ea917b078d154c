/**
 * `npm run bench:subscribe-reads [-- --rooms 50 --messages 120 --message-bytes 9500 --json]`:
 * what one `subscribe` frame makes the subscribe function read from the messages table,
 * measured on DynamoDB Local with `ReturnConsumedCapacity: "TOTAL"` added to every request
 * (strongly consistent read units) and the bytes of DynamoDB's answers. Three frames, each on
 * a fresh subscribe function (its snapshot cache empty), over `rooms` rooms of `messages`
 * messages each (longer than one snapshot window):
 * - snapshot: `snapshot: true` for every room (what a normal client sends first);
 * - resume: `since` each room's latest position (what a client sends after a reconnect);
 * - worst: `since` each room at position 0 of its one origin plus as many origins the room
 *   never had as the 32 KB frame holds (reads from the table that the window cannot answer).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LIMITS } from '@roomcast/core';
import { readBody, startDynamoDbLocal, startSqsEmulator, type RunningService } from '@roomcast/local';
import { callHttp, httpApiEvent, REGION, startStackOn, type LambdaHandler, type Stack } from '@roomcast/local/stack';
import { TEMPLATE_FILE } from '../models/template-facts.js';
import { forwardRequest } from './metering-proxy.js';

const { values } = parseArgs({ options: { rooms: { type: 'string' }, messages: { type: 'string' }, 'message-bytes': { type: 'string' }, json: { type: 'boolean' } } });
const rooms = Number(values.rooms ?? 50);
const perRoom = Number(values.messages ?? 120);
const messageBytes = Number(values['message-bytes'] ?? 9500);
if (![rooms, perRoom, messageBytes].every((value) => Number.isInteger(value) && value >= 1) || rooms > LIMITS.roomsPerFrame) {
  throw new Error(`--rooms takes 1 to ${LIMITS.roomsPerFrame}; --messages and --message-bytes whole numbers of 1 or more`);
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Reads {
  requests: number;
  readUnits: number;
  bytes: number;
}

const started = performance.now();
const progress = (line: string): void => void process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
const PUBLISH_ROUTE = 'POST /rooms/{room}/messages';
const names = Array.from({ length: rooms }, (_, index) => `r${String(index).padStart(2, '0')}`);

const own: RunningService[] = [];
const closers: Array<() => Promise<unknown>> = [];
try {
  const [dynamo, sqs] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
  own.push(dynamo, sqs);
  const meter = await startReadMeter(dynamo.endpoint);
  closers.push(meter.close);
  const stack = await startStackOn({ dynamodb: meter.endpoint, sqs: sqs.endpoint }, { template: TEMPLATE_FILE });
  closers.push(() => stack.stop());
  const table = stack.tables.MessagesTable?.name ?? '';

  progress(`publishing ${perRoom} messages of ${messageBytes} bytes to each of ${rooms} rooms`);
  const publish = await stack.handler('publish');
  await seed(stack, publish, names, perRoom, messageBytes);
  const latest = await latestPositions(stack, names);

  const connect = await stack.handler('connect');
  const frames = {
    snapshot: { action: 'subscribe', rooms: names, snapshot: true },
    resume: { action: 'subscribe', rooms: names, since: latest },
    worst: worstFrame(names),
  };
  const results: Record<string, Reads & { frameBytes: number; snapshotMessages: number }> = {};
  for (const [name, frame] of Object.entries(frames)) {
    const connectionId = `reads-${name}=`;
    stack.connections.register(connectionId);
    await connect(socketEvent('connect', connectionId));
    const subscribe = await stack.handler('subscribe');
    meter.reset();
    const answer = (await subscribe(socketEvent('subscribe', connectionId, frame))) as { statusCode: number; body?: string };
    if (answer.statusCode !== 200 || answer.body) throw new Error(`subscribe (${name}) answered ${answer.statusCode}: ${answer.body}`);
    const posted = stack.connections.posts(connectionId).map((text) => JSON.parse(text) as { type: string; messages?: unknown[] });
    results[name] = { ...meter.reads(table), frameBytes: Buffer.byteLength(JSON.stringify(frame)), snapshotMessages: posted.reduce((sum, item) => sum + (item.messages?.length ?? 0), 0) };
    progress(`${name}: ${JSON.stringify(results[name])}`);
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ rooms, messagesPerRoom: perRoom, messageBytes, results })}\n`);
  } else {
    const rows = [['frame', 'frame bytes', 'Queries', 'read units', 'bytes read', 'messages sent'], ...Object.entries(results).map(([name, item]) => [name, item.frameBytes, item.requests, item.readUnits, item.bytes, item.snapshotMessages].map(String))];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    process.stdout.write(`${rooms} rooms of ${perRoom} messages of ${messageBytes} bytes; reads of the messages table by one subscribe frame\n`);
    for (const row of rows) process.stdout.write(`${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}\n`);
  }
} finally {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await Promise.allSettled(own.map((service) => service.stop()));
}

/** Publish `count` messages to each room, rooms side by side (eight at a time). */
async function seed(stack: Stack, publish: LambdaHandler, rooms: readonly string[], count: number, bytes: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let room = rooms[next++]; room !== undefined; room = rooms[next++]) {
      for (let index = 0; index < count; index += 1) {
        const event = httpApiEvent(stack.model, PUBLISH_ROUTE, { pathParameters: { room }, body: { id: `${room}-${index}`, data: 'x'.repeat(Math.max(0, bytes - 2)) } });
        const { statusCode, body } = await callHttp(publish, event);
        if (statusCode !== 202) throw new Error(`publish answered ${statusCode}: ${JSON.stringify(body)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Each room's latest position, read through the history route. */
async function latestPositions(stack: Stack, rooms: readonly string[]): Promise<Record<string, string>> {
  const history = await stack.handler('history');
  const latest: Record<string, string> = {};
  for (const room of rooms) {
    const { statusCode, body } = await callHttp(history, httpApiEvent(stack.model, 'GET /rooms/{room}/messages', { pathParameters: { room }, query: { limit: '1' } }));
    const cursor = (body as { cursor?: string } | undefined)?.cursor;
    if (statusCode !== 200 || !cursor) throw new Error(`history of ${room} answered ${statusCode}: ${JSON.stringify(body)}`);
    latest[room] = cursor;
  }
  return latest;
}

/** Every room at position 0 of this region, and as many origins the room never had as a 32 KB frame holds. */
function worstFrame(rooms: readonly string[]): object {
  const zero = '0'.repeat(16);
  const cursor = (origins: number) => [`${zero}.${REGION}.${zero}`, ...Array.from({ length: origins - 1 }, (_, index) => `${zero}.nowhere-${index}.${zero.slice(1)}1`)].join(',');
  const frameOf = (origins: number) => ({ action: 'subscribe', rooms, since: Object.fromEntries(rooms.map((room) => [room, cursor(origins)])) });
  let origins = 16;
  while (origins > 1 && Buffer.byteLength(JSON.stringify(frameOf(origins))) > LIMITS.frameBytes) origins -= 1;
  return frameOf(origins);
}

function socketEvent(name: 'connect' | 'subscribe', connectionId: string, body?: unknown): Record<string, any> {
  const event = JSON.parse(readFileSync(new URL(`../events/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;
  event.requestContext.connectionId = connectionId;
  event.requestContext.authorizer = { ...event.requestContext.authorizer, principalId: 'bench', principal: 'bench', rooms: JSON.stringify(['**']) };
  if (body !== undefined) event.body = JSON.stringify(body);
  return event;
}

/** A proxy in front of DynamoDB Local that asks for consumed capacity and counts reads per table. */
async function startReadMeter(target: string) {
  let counts = new Map<string, Reads>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const { body } = await readBody(req, Number.MAX_SAFE_INTEGER);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const input = parseJson(body);
      const reading = operation === 'Query' || operation === 'GetItem';
      const sent = reading && input ? Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' })) : body;
      const answer = await forwardRequest(target, req, sent);
      if (reading && typeof input?.TableName === 'string') {
        const reads = counts.get(input.TableName) ?? { requests: 0, readUnits: 0, bytes: 0 };
        reads.requests += 1;
        reads.readUnits += Number(parseJson(answer.body)?.ConsumedCapacity?.CapacityUnits ?? 0);
        reads.bytes += answer.body.length;
        counts.set(input.TableName, reads);
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reads: (table: string): Reads => ({ ...(counts.get(table) ?? { requests: 0, readUnits: 0, bytes: 0 }) }),
    reset: () => void (counts = new Map()),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseJson(buffer: Buffer): Record<string, any> | undefined {
  try {
    return JSON.parse(buffer.toString('utf8')) as Record<string, any>;
  } catch {
    return undefined;
  }
}
