import {
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  LimitExceededException,
  PostToConnectionCommand,
  type ApiGatewayManagementApiClient,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const PROBE_TEMPLATE = fileURLToPath(new URL('../fixtures/probe-template.yaml', import.meta.url));

let stack: Stack;
let probe: Stack;
beforeAll(async () => {
  [stack, probe] = await Promise.all([startStack(), startStack({ template: PROBE_TEMPLATE, parameters: { Flavour: 'spicy' } })]);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), probe?.stop()]);
});

describe('template.yaml resources', () => {
  it('creates every table with its keys, stream and TTL', async () => {
    expect(stack.model.tables.map((table) => table.logicalId).sort()).toEqual(['ConnectionsTable', 'MessagesTable']);
    for (const table of stack.model.tables) {
      const { Table } = await stack.clients.dynamo.send(new DescribeTableCommand({ TableName: table.name }));
      expect(Table?.KeySchema).toEqual(table.create.KeySchema);
      const ttl = await stack.clients.dynamo.send(new DescribeTimeToLiveCommand({ TableName: table.name }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    }
    const { Table } = await stack.clients.dynamo.send(new DescribeTableCommand({ TableName: stack.tables.MessagesTable?.name }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(Table?.LatestStreamArn).toBe(stack.tables.MessagesTable?.streamArn);
  });

  it('creates the queues, the delivery and plan queues redriving to their DLQs', async () => {
    for (const [queue, dlq] of [
      [stack.queues.DeliveryQueue, stack.queues.DeliveryDLQ],
      [stack.queues.PlanQueue, stack.queues.PlanDLQ],
    ]) {
      const { Attributes } = await stack.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue?.url, AttributeNames: ['All'] }));
      expect(Attributes?.VisibilityTimeout).toBe('180');
      expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: dlq?.arn, maxReceiveCount: 5 });
    }
    expect(Object.keys(stack.queues).sort()).toEqual(['DeliveryDLQ', 'DeliveryQueue', 'PlanDLQ', 'PlanQueue', 'StreamFailureQueue']);
  });

  it('gives functions the local names and endpoints', () => {
    const env = stack.functionEnv('deliver');
    expect(env.DELIVERY_QUEUE_URL).toBe(stack.queues.DeliveryQueue?.url);
    expect(env.CONNECTIONS_TABLE).toBe(stack.tables.ConnectionsTable?.name);
    expect(env.CONNECTIONS_ENDPOINT).toBe(stack.connections.endpoint);
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe(stack.endpoints.dynamodb);
  });

  it('loads every function of template.yaml', async () => {
    for (const fn of stack.model.functions) expect(typeof (await stack.handler(fn.logicalId))).toBe('function');
  });
});

describe('functions', () => {
  it('load with exactly their own environment, one module instance each', async () => {
    process.env.LEAKED_FROM_TEST = 'x';
    const [first, second, again] = await Promise.all([probe.handler('First'), probe.handler('Second'), probe.handler('First')]);
    const run = async (handler: typeof first, id: string) => ((await handler({ id })) as { loadedWith: Record<string, string> }).loadedWith;
    const [a, b, c] = [await run(first, 'a'), await run(second, 'b'), await run(again, 'c')];
    expect(a).toMatchObject({ WHO: 'first', SHARED: 'from-globals', FLAVOUR: 'spicy', TABLE_NAME: probe.tables.Items?.name, QUEUE_URL: probe.queues.Jobs?.url });
    expect(b).toMatchObject({ WHO: 'second', SHARED: 'overridden', AWS_LAMBDA_FUNCTION_NAME: `${probe.stackName}-Second` });
    expect(a.LEAKED_FROM_TEST).toBeUndefined();
    expect(c).not.toBe(a);
    expect(process.env.WHO).toBeUndefined();
    expect(process.env.LEAKED_FROM_TEST).toBe('x');
    delete process.env.LEAKED_FROM_TEST;
    const item = await probe.clients.dynamo.send(new GetItemCommand({ TableName: probe.tables.Items?.name, Key: { id: { S: 'b' } } }));
    expect(item.Item?.id?.S).toBe('b');
  });
});

describe('connections API (@connections) through the real SDK client', () => {
  const client = (): ApiGatewayManagementApiClient => stack.clients.connectionsApi;
  const post = (id: string, data: string) => client().send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from(data) }));

  it('records posted frames per connection, in order', async () => {
    stack.connections.register('Ab1=');
    await post('Ab1=', '{"n":1}');
    await post('Ab1=', '{"n":2}');
    expect(stack.connections.posts('Ab1=')).toEqual(['{"n":1}', '{"n":2}']);
    const info = await client().send(new GetConnectionCommand({ ConnectionId: 'Ab1=' }));
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    expect(info.Identity?.SourceIp).toBe('127.0.0.1');
  });

  it('answers GoneException for unknown and deleted connections', async () => {
    const gone = await post('nobody', 'x').catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(GoneException);
    expect((gone as GoneException).$metadata.httpStatusCode).toBe(410);
    stack.connections.register('bye');
    await client().send(new DeleteConnectionCommand({ ConnectionId: 'bye' }));
    expect(stack.connections.deleted()).toContain('bye');
    await expect(post('bye', 'x')).rejects.toBeInstanceOf(GoneException);
  });

  it('injects throttling and server errors', async () => {
    stack.connections.register('busy');
    stack.connections.failNext('busy', 1, 429);
    await expect(post('busy', 'x')).rejects.toBeInstanceOf(LimitExceededException);
    stack.connections.failNext('*', 1, 500);
    await expect(post('busy', 'x')).rejects.toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
    await post('busy', 'ok');
    expect(stack.connections.posts('busy')).toEqual(['ok']);
  });

  it('refuses frames over 128 KB', async () => {
    stack.connections.register('big');
    await expect(post('big', 'x'.repeat(128 * 1024 + 1))).rejects.toMatchObject({ name: 'PayloadTooLargeException' });
  });
});

describe('SQS emulator: what delivery needs', () => {
  let sqs: SQSClient;
  const queue = async (name: string, attributes: Record<string, string> = {}): Promise<string> =>
    (await sqs.send(new CreateQueueCommand({ QueueName: `${probe.stackName}-${name}`, Attributes: attributes }))).QueueUrl ?? '';
  const receive = async (url: string, wait = 0): Promise<Message[]> =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: wait, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages ?? [];
  beforeAll(() => {
    sqs = probe.clients.sqs;
  });

  it('sends batches, receives with ApproximateReceiveCount, changes visibility, deletes', async () => {
    const url = await queue('batch');
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `job-${i}` }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    expect(sent.Successful).toHaveLength(10);
    const first = await receive(url);
    expect(first.map((m) => m.Body).sort()).toEqual(entries.map((e) => e.MessageBody).sort());
    expect(first[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    const [retry, ...done] = first;
    await Promise.all(done.map((m) => sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }))));
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: retry?.ReceiptHandle, VisibilityTimeout: 0 }));
    const second = await receive(url);
    expect(second.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([[retry?.Body, '2']]);
  });

  it('delays messages (DelaySeconds) and long-polls', async () => {
    const url = await queue('delay');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 1 }));
    expect(await receive(url)).toHaveLength(0);
    const [message] = await receive(url, 5);
    expect(message?.Body).toBe('later');
  });

  it('moves a message to the DLQ after maxReceiveCount receives (RedrivePolicy)', async () => {
    const { Jobs, JobsDLQ } = probe.queues;
    const url = Jobs?.url ?? '';
    await receive(url).then((old) => Promise.all(old.map((m) => sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle })))));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (const count of ['1', '2']) {
      const [message] = await receive(url);
      expect(message?.Attributes?.ApproximateReceiveCount).toBe(count);
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message?.ReceiptHandle, VisibilityTimeout: 0 }));
    }
    expect(await receive(url)).toHaveLength(0);
    const [dead] = await receive(JobsDLQ?.url ?? '');
    expect(dead?.Body).toBe('poison');
  });

  it('needs an explicit endpoint on every SQSClient: AWS_ENDPOINT_URL_SQS alone sends to the queue URL host', async () => {
    expect(probe.queues.Jobs?.url).toMatch(/^http:\/\/sqs\.us-east-1\.localhost:\d+\//);
    const hostOf = async (client: SQSClient): Promise<string> => {
      let host = '';
      client.middlewareStack.add(
        (next) => async (args) => {
          host = (args.request as { hostname: string }).hostname;
          return next(args);
        },
        { step: 'finalizeRequest' },
      );
      await client.send(new SendMessageCommand({ QueueUrl: probe.queues.Jobs?.url, MessageBody: 'x' })).catch(() => undefined);
      client.destroy();
      return host;
    };
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    expect(process.env.AWS_ENDPOINT_URL_SQS).toBe(probe.endpoints.sqs);
    expect(await hostOf(new SQSClient({ region: 'us-east-1', logger: quiet, maxAttempts: 1 }))).toBe('sqs.us-east-1.localhost');
    expect(await hostOf(new SQSClient({ region: 'us-east-1', endpoint: process.env.AWS_ENDPOINT_URL_SQS }))).toBe('127.0.0.1');
  });
});
