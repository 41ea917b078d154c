/**
 * The handler runtime (layers/core/src/runtime: middy with Powertools), without I/O: use
 * cases are stubs, the app is built from a config and nothing it holds is called.
 */
import { readFileSync } from 'node:fs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  authorizerHandler,
  createApp,
  deliveryJobHandler,
  httpHandler,
  loadConfig,
  messageStreamHandler,
  planTaskHandler,
  RoomcastError,
  websocketHandler,
  type App,
} from '@roomcast/core';
import { encodeJob } from '../../layers/core/src/model/delivery-job.js';
import { encodeTask } from '../../layers/core/src/model/plan-task.js';

/** An app whose metrics flushes are counted and whose log lines (JSON on stdout) are kept. */
function testApp(env: Record<string, string> = {}): App & { flushes: () => number; lines: Array<Record<string, unknown>> } {
  const app = createApp(loadConfig({ AUTH_MODE: 'none', CONNECTIONS_ENDPOINT: 'http://localhost:1/dev', ...env }));
  let flushes = 0;
  app.metrics = { count: () => undefined, latency: () => undefined, flush: () => void (flushes += 1) };
  return Object.assign(app, { flushes: () => flushes, lines: logLines });
}

/** Every JSON line the loggers of this file write, read off stdout and stderr. */
const logLines: Array<Record<string, unknown>> = [];
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        logLines.push(JSON.parse(line) as Record<string, unknown>);
        continue;
      } catch {
        // not a log line
      }
    }
    return String(chunk).startsWith('{"level"') ? true : write(chunk, ...rest);
  }) as typeof stream.write;
}
beforeEach(() => void logLines.splice(0));

const socketEvent = (routeKey: string, body?: string, extra: Record<string, unknown> = {}) => ({
  requestContext: { routeKey, connectionId: 'c1=', requestId: 'r1', domainName: 'example.test', stage: 'dev' },
  ...(body === undefined ? {} : { body }),
  ...extra,
});

describe('a WebSocket route', () => {
  it("answers with the use case's frame, or an empty 200, and flushes the metrics each time", async () => {
    const app = testApp();
    const seen: string[] = [];
    const handler = websocketHandler(app, async (request) => {
      seen.push(`${request.routeKey} ${request.body} ${request.connectionsEndpoint}`);
      return request.body === 'quiet' ? undefined : '{"type":"pong"}';
    });
    expect(await handler(socketEvent('$default', 'ping'))).toEqual({ statusCode: 200, body: '{"type":"pong"}' });
    expect(await handler(socketEvent('$default', 'quiet'))).toEqual({ statusCode: 200 });
    expect(await handler(socketEvent('$default', Buffer.from('ping').toString('base64'), { isBase64Encoded: true }))).toMatchObject({ body: '{"type":"pong"}' });
    expect(seen).toEqual(['$default ping http://localhost:1/dev', '$default quiet http://localhost:1/dev', '$default ping http://localhost:1/dev']);
    expect(app.flushes()).toBe(3);
  });

  it('builds the management endpoint from the event when none is configured', async () => {
    const app = testApp({ CONNECTIONS_ENDPOINT: '' });
    let endpoint = '';
    await websocketHandler(app, async (request) => void (endpoint = request.connectionsEndpoint))(socketEvent('$default', 'x'));
    expect(endpoint).toBe('https://example.test/dev');
  });

  it('turns a typed error into an error frame, keeps the socket, logs with the connection, and flushes', async () => {
    const app = testApp();
    const handler = websocketHandler(app, async () => {
      throw new RoomcastError('UNKNOWN_ACTION', 'no such action');
    });
    const result = (await handler(socketEvent('$default', '{}'))) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ type: 'error', code: 'UNKNOWN_ACTION', message: 'no such action' });
    expect(app.lines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'request refused', connectionId: 'c1=', code: 'UNKNOWN_ACTION' }));
    expect(app.flushes()).toBe(1);
  });

  it('answers a failure of $connect with its status instead of a frame, and an unknown failure as INTERNAL', async () => {
    const app = testApp();
    const refused = websocketHandler(app, async () => {
      throw new RoomcastError('ORIGIN_FORBIDDEN', 'origin not allowed');
    });
    expect(await refused(socketEvent('$connect'))).toEqual({ statusCode: 403 });
    const broken = websocketHandler(app, async () => {
      throw new Error('boom');
    });
    const result = (await broken(socketEvent('$default', 'x'))) as { body: string };
    expect(JSON.parse(result.body)).toMatchObject({ code: 'INTERNAL', retryable: true });
    expect(app.lines).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'request refused', code: 'INTERNAL', connectionId: 'c1=' }));
  });

  it('refuses frames over the connection rate before the use case, but never $connect or $disconnect', async () => {
    const app = testApp({ FRAME_RATE: '1', FRAME_BURST: '2' });
    let calls = 0;
    const handler = websocketHandler(app, async () => void (calls += 1));
    for (let i = 0; i < 5; i += 1) await handler(socketEvent('$connect'));
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await handler(socketEvent('$default', 'x')));
    expect(calls).toBe(5 + 2);
    expect(JSON.parse((answers[2] as { body: string }).body)).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
  });

  it('does not carry one invocation’s log keys into the next', async () => {
    const app = testApp();
    await websocketHandler(app, async () => undefined)(socketEvent('$default', 'x'));
    app.logger.info('between invocations');
    expect(app.lines.find((line) => line.message === 'between invocations')).not.toHaveProperty('connectionId');
  });
});

describe('an HTTP route', () => {
  const httpEvent = (pathParameters: Record<string, string> = {}) => ({ routeKey: 'GET /rooms/{room}/messages', pathParameters, requestContext: { requestId: 'h1' } });

  it('answers JSON, with percent-encoded path parameters decoded', async () => {
    const app = testApp();
    const handler = httpHandler(app, async (request) => ({ status: 200, body: { room: request.pathParameters.room } }));
    expect(await handler(httpEvent({ room: 'team%3A1' }))).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"room":"team:1"}' });
    expect(app.flushes()).toBe(1);
  });

  it('answers a typed error with its status and {"error": {code, message, retryable}}', async () => {
    const app = testApp();
    const handler = httpHandler(app, async () => {
      throw new RoomcastError('MESSAGE_TOO_LARGE', 'too big');
    });
    const result = (await handler(httpEvent())) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body)).toEqual({ error: { code: 'MESSAGE_TOO_LARGE', message: 'too big', retryable: false } });
    expect(app.flushes()).toBe(1);
  });
});

describe('the authorizer', () => {
  const event = { methodArn: 'arn:aws:execute-api:us-east-1:1:api/dev/$connect', queryStringParameters: { token: 't' }, requestContext: { connectionId: 'c9=' } };

  it('allows with a policy and string context', async () => {
    const handler = authorizerHandler(testApp(), async (request) => ({ principal: 'u1', patterns: ['a:*'], expiresAt: 1_700_000_600, methodArn: request.methodArn }));
    expect(await handler(event)).toEqual({
      principalId: 'u1',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
      context: { principal: 'u1', rooms: '["a:*"]', exp: '1700000600' },
    });
  });

  it('refuses with Unauthorized whatever went wrong, logs why with the connection, and flushes', async () => {
    const app = testApp();
    const handler = authorizerHandler(app, async () => {
      throw new RoomcastError('UNAUTHORIZED', 'the token is not valid');
    });
    await expect(handler(event)).rejects.toThrow(/^Unauthorized$/);
    expect(app.lines).toContainEqual(expect.objectContaining({ message: 'connection refused', code: 'UNAUTHORIZED', connectionId: 'c9=' }));
    expect(app.flushes()).toBe(1);
  });
});

describe('SQS batches', () => {
  const queued = (room: string) => ({ v: 1 as const, room, id: 'm1', pos: 'p1', ts: 1, frame: '{}' });
  const job = (room: string) => encodeJob({ ...queued(room), connections: ['c1='], attempt: 0 });
  const record = (messageId: string, body: string, receiveCount = 1) => ({ messageId, body, attributes: { ApproximateReceiveCount: String(receiveCount) } }) as unknown as SQSRecord;

  it('run the records side by side and report only the failed ones, even when all failed', async () => {
    const app = testApp();
    const handler = deliveryJobHandler(app, async (decoded) => {
      if (decoded.room.startsWith('bad')) throw new Error('no');
    });
    // In the order they failed: SQS retries each on its own, whatever the order.
    const { batchItemFailures } = await handler({ Records: [record('1', job('ok1')), record('2', job('bad2')), record('3', 'not json')] } as SQSEvent);
    expect(batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['2', '3']);
    expect(await handler({ Records: [record('4', job('bad4'))] } as SQSEvent)).toEqual({ batchItemFailures: [{ itemIdentifier: '4' }] });
    expect(app.lines.filter((line) => line.message === 'delivery job failed').map((line) => line.sqsMessageId).sort()).toEqual(['2', '3', '4']);
    expect(app.flushes()).toBe(2);
  });

  it('tell a planner when SQS has handed its task out before', async () => {
    const retried: boolean[] = [];
    const handler = planTaskHandler(testApp(), async (_task, again) => void retried.push(again));
    const task = encodeTask({ ...queued('r'), base: 4, generation: 0, from: 0, to: 4 });
    expect(await handler({ Records: [record('1', task, 1), record('2', task, 3)] })).toEqual({ batchItemFailures: [] });
    expect(retried).toEqual([false, true]);
  });
});

describe('the messages stream', () => {
  const sample = JSON.parse(readFileSync(new URL('../../events/stream.json', import.meta.url), 'utf8')) as { Records: Array<Record<string, unknown>> };

  it('hands each record’s message to the use case, and reports a failed record by its sequence number', async () => {
    const ids: string[] = [];
    const handler = messageStreamHandler(testApp(), async (message) => {
      ids.push(message.id);
      if (message.id === 'corner-77') throw new Error('no');
    });
    const [first] = sample.Records;
    const response = await handler({ Records: [first] } as never);
    expect(ids).toEqual(['corner-77']);
    const sequenceNumber = (first!.dynamodb as { SequenceNumber: string }).SequenceNumber;
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber }] });
  });
});
