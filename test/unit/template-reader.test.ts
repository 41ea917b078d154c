import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TemplateContext } from '../../local/template/context.js';
import { merge } from '../../local/template/globals.js';
import { localId, parseParameterOverrides, parseTemplateText, readTemplate, readTemplateFile, type ReadOptions } from '../../local/template/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const REAL_TEMPLATE = fileURLToPath(new URL('../../template.yaml', import.meta.url));

const BASE = `
Parameters:
  Env: { Type: String, Default: dev, AllowedValues: [dev, prod] }
  Count: { Type: Number, Default: 3 }
  Names: { Type: CommaDelimitedList, Default: 'x, y,z' }
  Attr: { Type: String, Default: Arn }
Mappings:
  M: { dev: { Size: 1 } }
Conditions:
  IsDev: !Equals [!Ref Env, dev]
  IsProd: !Not [!Condition IsDev]
Resources:
  T: { Type: AWS::DynamoDB::Table, Properties: { KeySchema: [{ AttributeName: id, KeyType: HASH }] } }
  Q: { Type: AWS::SQS::Queue }
  F: { Type: AWS::Serverless::Function, Properties: { CodeUri: f, Handler: index.handler } }
  Api: { Type: AWS::ApiGatewayV2::Api, Properties: { ProtocolType: WEBSOCKET } }
  St: { Type: AWS::ApiGatewayV2::Stage, Properties: { ApiId: !Ref Api, StageName: live } }
  Gone: { Type: AWS::SQS::Queue, Condition: IsProd }
`;
const context = (options: ReadOptions = {}): TemplateContext => new TemplateContext(parseTemplateText(BASE), { stackName: 'st', ...options });
const evaluate = (expression: string, options: ReadOptions = {}): unknown => context(options).resolve(parseTemplateText(`v: ${expression}`).v, 'v');
const api = localId('st', 'Api');
const tableArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/st-T';

describe('intrinsic functions', () => {
  it.each([
    ['!Ref Env', 'dev'],
    ['!Ref Count', '3'],
    ['!Ref Names', ['x', 'y', 'z']],
    ['!Ref AWS::Region', 'us-east-1'],
    ['!Ref AWS::AccountId', '000000000000'],
    ['!Ref AWS::StackName', 'st'],
    ['!Ref AWS::Partition', 'aws'],
    ['!Ref AWS::URLSuffix', 'amazonaws.com'],
    ['!Ref T', 'st-T'],
    ['!Ref Q', 'https://sqs.us-east-1.amazonaws.com/000000000000/st-Q'],
    ['!Ref F', 'st-F'],
    ['!Ref Api', api],
    ['!Ref St', 'live'],
    ['{ Ref: Env }', 'dev'],
    ['!GetAtt T.Arn', tableArn],
    ['!GetAtt [T, StreamArn]', `${tableArn}/stream/local`],
    ['{ "Fn::GetAtt": [T, !Ref Attr] }', tableArn],
    ['!GetAtt Q.Arn', 'arn:aws:sqs:us-east-1:000000000000:st-Q'],
    ['!GetAtt Q.QueueName', 'st-Q'],
    ['!GetAtt Q.QueueUrl', 'https://sqs.us-east-1.amazonaws.com/000000000000/st-Q'],
    ['!GetAtt F.Arn', 'arn:aws:lambda:us-east-1:000000000000:function:st-F'],
    ['!GetAtt Api.ApiEndpoint', `wss://${api}.execute-api.us-east-1.amazonaws.com`],
    ["!Sub '${Env}/${T}/${T.Arn}/${AWS::Region}/${!Literal}'", `dev/st-T/${tableArn}/us-east-1/\${Literal}`],
    ["!Sub ['${A}-${Env}', { A: !Ref Count }]", '3-dev'],
    ["{ 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${St}' }", `https://${api}.execute-api.us-east-1.amazonaws.com/live`],
    ["!Join ['-', [a, !Ref Env, 1]]", 'a-dev-1'],
    ["!Join [',', !Ref Names]", 'x,y,z'],
    ['{ "Fn::Join": ["", [a, b]] }', 'ab'],
    ['!Select [1, !Ref Names]', 'y'],
    ["!Select ['0', !GetAZs '']", 'us-east-1a'],
    ["!Split [',', 'a,,b']", ['a', '', 'b']],
    ['!If [IsDev, yes, no]', 'yes'],
    ['!If [IsProd, yes, no]', 'no'],
    ['!Equals [!Ref Count, 3]', true],
    ['!Not [!Equals [a, b]]', true],
    ['!And [!Equals [a, a], !Condition IsDev]', true],
    ['!Or [!Condition IsProd, !Equals [1, 2]]', false],
    ['!FindInMap [M, !Ref Env, Size]', 1],
    ['!FindInMap [M, prod, Size, { DefaultValue: 9 }]', 9],
    ['!GetAZs eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
    ['!Base64 hi', 'aGk='],
    ['!Length [a, b]', 2],
    ['!ToJsonString { a: !Ref Count }', '{"a":"3"}'],
    ['{ a: 1, b: !Ref AWS::NoValue, c: !If [IsProd, 1, !Ref AWS::NoValue] }', { a: 1 }],
    ['[1, !If [IsProd, 2, !Ref AWS::NoValue], 3]', [1, 3]],
  ])('%s', (expression, expected) => {
    expect(evaluate(expression)).toEqual(expected);
  });

  it('resolves Fn::ImportValue from the given imports, else warns', () => {
    expect(evaluate('!ImportValue shared-vpc', { imports: { 'shared-vpc': 'vpc-1' } })).toBe('vpc-1');
    const ctx = context();
    expect(ctx.resolve({ 'Fn::ImportValue': 'other' }, 'v')).toBe('import:other');
    expect(ctx.warnings.join()).toMatch(/ImportValue "other" has no local value/);
  });

  it('takes queue URLs from the caller (a map or a function)', () => {
    expect(evaluate('!Ref Q', { queueUrl: { 'st-Q': 'http://local/q' } })).toBe('http://local/q');
    expect(evaluate('!GetAtt Q.QueueUrl', { queueUrl: (name) => `http://emu/${name}` })).toBe('http://emu/st-Q');
  });

  it.each([
    ['!Ref Nope', /cannot reference "Nope": no such parameter or resource/],
    ['!Ref Gone', /cannot reference "Gone": its Condition is false/],
    ["!Sub '${Nope.Arn}'", /cannot reference "Nope"/],
    ['!Select [5, [a]]', /out of range/],
    ['{ "Fn::Nope": 1 }', /unknown intrinsic function Fn::Nope/],
    ['!If [Unknown, a, b]', /unknown condition "Unknown"/],
    ['!Join [",", [a, !Ref AWS::NoValue2]]', /unknown pseudo parameter AWS::NoValue2/],
  ])('%s fails clearly', (expression, message) => {
    expect(() => evaluate(expression)).toThrow(message);
  });

  it('skips the branch of Fn::If that is not taken', () => {
    expect(evaluate('!If [IsProd, !Ref Gone, fine]')).toBe('fine');
  });
});

describe('parameters', () => {
  it('applies overrides and checks types and constraints', () => {
    expect(evaluate('!Ref Env', { parameters: { Env: 'prod' } })).toBe('prod');
    expect(evaluate('!Ref Names', { parameters: { Names: ['p', 'q'] } })).toEqual(['p', 'q']);
    expect(() => context({ parameters: { Env: 'test' } })).toThrow(/Parameters.Env: "test" is not one of dev, prod/);
    expect(() => context({ parameters: { Count: 'many' } })).toThrow(/Parameters.Count: "many" is not a number/);
    expect(() => new TemplateContext(parseTemplateText('Parameters: { X: { Type: String } }'), {})).toThrow(/Parameters.X: no value/);
    expect(context({ parameters: { Extra: 1 } }).warnings.join()).toMatch(/Parameters.Extra: override given but the template declares no such parameter/);
  });

  it('parses sam-style parameter overrides', () => {
    expect(parseParameterOverrides(`A=1 B="two words" C='x=y' ParameterKey=D,ParameterValue=4`)).toEqual({ A: '1', B: 'two words', C: 'x=y', D: '4' });
  });
});

describe('conditions and globals', () => {
  it('evaluates conditions and drops resources and outputs whose condition is false', () => {
    const model = readTemplateFile(fixture('reader-template.yaml'));
    expect(model.conditions).toEqual({ IsProd: false, HasAlarm: false });
    expect(model.dropped).toEqual(['Alarm']);
    expect(model.outputs.AlarmName).toBeUndefined();
    const withAlarm = readTemplateFile(fixture('reader-template.yaml'), { stackName: 'st', parameters: { WithAlarm: 'yes' } });
    expect(withAlarm.outputs.AlarmName).toBe('st-Alarm');
    expect(() => new TemplateContext(parseTemplateText('Conditions: { A: !Condition B, B: !Condition A }'), {}).conditions()).toThrow(/depends on itself/);
  });

  it('merges SAM Globals as SAM does', () => {
    expect(merge({ V: { A: '1', B: '1' }, L: ['g'], T: 3 }, { V: { B: '2' }, L: ['f'], T: 9 })).toEqual({ V: { A: '1', B: '2' }, L: ['g', 'f'], T: 9 });
    expect(merge({ V: { A: '1' } }, { V: { 'Fn::If': ['C', { A: '2' }, {}] } })).toEqual({ V: { 'Fn::If': ['C', { A: '2' }, {}] } });
    const model = readTemplateFile(fixture('reader-template.yaml'), { parameters: { Env: 'prod' } });
    const handler = model.functions.find((fn) => fn.logicalId === 'Handler');
    expect(handler).toMatchObject({ timeout: 30, memorySize: 1024, reservedConcurrency: 4 });
    expect(handler?.environment).toMatchObject({ STAGE: 'prod', SHARED: 'own', OPTIONAL: 'set', ZONES: 'a,b' });
    expect(handler?.layers).toEqual(['arn:aws:lambda:us-east-1:000000000000:layer:global:1', 'arn:aws:lambda:us-east-1:000000000000:layer:own:1']);
    expect(model.functions.find((fn) => fn.logicalId === 'Worker')).toMatchObject({ timeout: 10, environment: { STAGE: 'prod', SHARED: 'global' } });
  });
});

describe('the model of a template', () => {
  const model = readTemplateFile(fixture('reader-template.yaml'), { stackName: 'st' });

  it('builds CreateTable inputs (tables, global tables, simple tables) and TTL', () => {
    const [things, history, simple] = model.tables;
    // The table declares TableName: st-things, so that is its name, as on AWS.
    expect(things).toMatchObject({ name: 'st-things', declaredName: 'st-things', ttlAttribute: 'ttl', streamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(things?.create).toMatchObject({ BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    expect(things?.create.GlobalSecondaryIndexes).toEqual([{ IndexName: 'byGsi1', KeySchema: [{ AttributeName: 'gsi1', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] } }]);
    expect(things?.create.LocalSecondaryIndexes?.[0]?.IndexName).toBe('byPk');
    expect(history?.create.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(simple?.create).toMatchObject({ KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'key', AttributeType: 'N' }] });
  });

  it('orders queues dead-letter first, with RedrivePolicy JSON and FIFO names', () => {
    expect(model.queues.map((queue) => queue.logicalId)).toEqual(['WorkDLQ', 'Work', 'Ordered']);
    expect(model.queues[1]).toMatchObject({ deadLetterQueue: 'WorkDLQ', attributes: { VisibilityTimeout: '60' } });
    expect(JSON.parse(model.queues[1]?.attributes.RedrivePolicy ?? '')).toEqual({ deadLetterTargetArn: model.queues[0]?.arn, maxReceiveCount: 3 });
    expect(model.queues[2]).toMatchObject({ name: 'st-Ordered.fifo', attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } });
  });

  it('finds each function’s entry file, handler and events', () => {
    const [authorizer, handler, worker] = model.functions;
    expect(authorizer).toMatchObject({ name: 'st-authorizer', handler: 'handler', entry: fixture('functions/probe/index.ts') });
    expect(worker).toMatchObject({ handler: 'work', handlerSpec: 'app.work', entry: fixture('functions/worker/app.ts') });
    expect(handler?.events.map((event) => [event.type, event.name])).toEqual([['SQS', 'Jobs'], ['DynamoDB', 'Changes'], ['HttpApi', 'Post'], ['HttpApi', 'Open'], ['Schedule', 'Tick']]);
    expect(handler?.events[0]).toMatchObject({ queue: 'Work', batchSize: 5, reportBatchItemFailures: true, maximumConcurrency: 4 });
    expect(handler?.events[1]).toMatchObject({ table: 'Things', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 2, onFailureQueue: 'WorkDLQ' });
    expect(handler?.events[4]).toMatchObject({ schedule: 'rate(1 minute)', input: '{"tick":true}', enabled: true });
  });

  it('reads WebSocket routes, authorizers and route responses, and HTTP API routes', () => {
    const [ws] = model.websocketApis;
    expect(ws).toMatchObject({ id: localId('st', 'Api'), name: 'st-ws', routeSelectionExpression: '$request.body.type', stageName: 'dev' });
    expect(ws?.routes.$connect).toMatchObject({ function: 'Handler', authorizationType: 'CUSTOM', hasRouteResponse: false });
    expect(ws?.routes.$connect?.authorizer).toEqual({ logicalId: 'Auth', type: 'REQUEST', function: 'Authorizer', identitySources: ['route.request.header.Authorization', 'route.request.querystring.token'] });
    expect(ws?.routes.echo).toMatchObject({ function: 'Worker', hasRouteResponse: true });
    expect(model.httpApis.map((item) => [item.logicalId, item.stageName, item.routes.map((r) => `${r.method} ${r.path} ${r.function} ${r.auth.type}`)])).toEqual([
      ['PublicApi', 'v1', ['POST /things Handler AWS_IAM', 'PUT /work Worker NONE']],
      ['ServerlessHttpApi', '$default', ['GET /health Handler NONE']],
    ]);
    expect(model.outputs).toEqual({ SocketUrl: `wss://${ws?.id}.execute-api.us-east-1.amazonaws.com/dev`, Endpoint: `wss://${ws?.id}.execute-api.us-east-1.amazonaws.com` });
  });

  it('names every resource type it does not run', () => {
    expect(model.warnings).toEqual([
      'AWS::Logs::LogGroup (HandlerLogs): not emulated (no effect locally)',
      'AWS::S3::Bucket (Bucket): not emulated: unsupported locally, code that depends on it will not find it',
    ]);
    expect(readTemplateFile(fixture('reader-template.yaml'), { parameters: { Env: 'prod' } }).warnings.join('\n')).toMatch(/Replicas: 2 replicas on AWS; locally one table/);
  });

  it('reads JSON templates too', () => {
    expect(readTemplate('{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}', { stackName: 'j' }).queues[0]?.name).toBe('j-Q');
  });
});

describe.runIf(existsSync(REAL_TEMPLATE))('the real template.yaml', () => {
  const model = readTemplateFile(REAL_TEMPLATE, { stackName: 'rc' });

  it('has the tables, queues and event sources delivery relies on', () => {
    expect(model.tables.map((table) => [table.logicalId, table.streamViewType ?? '-', table.ttlAttribute])).toEqual([
      ['ConnectionsTable', '-', 'expiresAt'],
      ['MessagesTable', 'NEW_IMAGE', 'expiresAt'],
    ]);
    expect(model.queues.map((queue) => queue.logicalId)).toEqual(['DeliveryDLQ', 'DeliveryQueue', 'PlanDLQ', 'PlanQueue', 'StreamFailureQueue']);
    const events = model.functions.flatMap((fn) => fn.events.map((event) => ({ fn: fn.logicalId, ...event, properties: undefined })));
    expect(events.filter((event) => event.type !== 'HttpApi')).toMatchObject([
      { fn: 'SessionSweepFunction', type: 'Schedule', schedule: 'rate(1 minute)', enabled: true },
      { fn: 'DeliverFunction', type: 'SQS', queue: 'DeliveryQueue', reportBatchItemFailures: true },
      { fn: 'PlanFunction', type: 'SQS', queue: 'PlanQueue', reportBatchItemFailures: true },
      { fn: 'StreamFunction', type: 'DynamoDB', table: 'MessagesTable', onFailureQueue: 'StreamFailureQueue' },
    ]);
  });

  it('runs every function from an existing file with fully resolved environments', () => {
    for (const fn of model.functions) {
      expect(fn.entry && existsSync(fn.entry), fn.logicalId).toBe(true);
      expect(JSON.stringify(fn.environment), fn.logicalId).not.toMatch(/local:|import:|\$\{/);
    }
  });

  it('routes the WebSocket API and the publish API', () => {
    const [ws] = model.websocketApis;
    expect(Object.fromEntries(Object.entries(ws?.routes ?? {}).map(([key, route]) => [key, [route.function, route.hasRouteResponse]]))).toMatchObject({
      $connect: ['ConnectFunction', false],
      $disconnect: ['DisconnectFunction', false],
      subscribe: ['SubscribeFunction', true],
      refresh: ['RefreshFunction', true],
      $default: ['DefaultFunction', true],
    });
    expect(ws?.routes.$connect?.authorizer?.function).toBe('AuthorizeFunction');
    expect(model.httpApis[0]?.routes.every((route) => route.auth.type === 'AWS_IAM')).toBe(true);
  });

  it("declares the WebSocket API as SAM's resource, with ApiGatewayV2 resources only for what SAM cannot say", () => {
    const resources = parseTemplateText(readFileSync(REAL_TEMPLATE, 'utf8')).Resources as Record<string, { Type: string }>;
    expect(resources.WebSocketApi?.Type).toBe('AWS::Serverless::WebSocketApi');
    const plain = Object.keys(resources).filter((logicalId) => resources[logicalId]!.Type.startsWith('AWS::ApiGatewayV2::'));
    // Route responses (SAM has none), $connect with its AuthMode condition, the conditional custom domain.
    expect(plain.sort()).toEqual(
      ['ConnectIntegration', 'ConnectRoute', 'DefaultRouteResponse', 'OccupancyRouteResponse', 'PingRouteResponse', 'RefreshRouteResponse', 'SubscribeRouteResponse', 'UnsubscribeRouteResponse', 'WebSocketApiMapping', 'WebSocketAuthorizer', 'WebSocketDomainName'].sort(),
    );
    const [ws] = model.websocketApis;
    expect(ws).toMatchObject({ logicalId: 'WebSocketApi', name: 'rc-ws', routeSelectionExpression: '$request.body.action', stageName: 'prod', throttling: { burstLimit: 500, rateLimit: 1000 } });
    expect(Object.values(ws?.routes ?? {}).map((route) => [route.routeKey, route.logicalId, route.function, route.hasRouteResponse])).toEqual([
      ['$disconnect', 'WebSocketApiDisconnectRoute', 'DisconnectFunction', false],
      ['subscribe', 'WebSocketApiSubscribeRoute', 'SubscribeFunction', true],
      ['unsubscribe', 'WebSocketApiUnsubscribeRoute', 'UnsubscribeFunction', true],
      ['refresh', 'WebSocketApiRefreshRoute', 'RefreshFunction', true],
      ['ping', 'WebSocketApiPingRoute', 'DefaultFunction', true],
      ['occupancy', 'WebSocketApiOccupancyRoute', 'OccupancyFunction', true],
      ['$default', 'WebSocketApiDefaultRoute', 'DefaultFunction', true],
      ['$connect', 'ConnectRoute', 'ConnectFunction', false],
    ]);
    expect(ws?.routes.$connect).toMatchObject({ authorizationType: 'CUSTOM', authorizer: { logicalId: 'WebSocketAuthorizer', identitySources: ['route.request.querystring.token'] } });
    const tuned = readTemplateFile(REAL_TEMPLATE, { parameters: { Stage: 'beta', ThrottlingBurstLimit: '20', ThrottlingRateLimit: '40' } }).websocketApis[0];
    expect(tuned).toMatchObject({ stageName: 'beta', throttling: { burstLimit: 20, rateLimit: 40 } });
  });

  it('follows its parameters and conditions', () => {
    const open = readTemplateFile(REAL_TEMPLATE, { parameters: { AuthMode: 'none', ReplicaRegions: 'eu-west-1,ap-southeast-2' } });
    expect(open.dropped).toEqual(expect.arrayContaining(['WebSocketAuthorizer', 'AuthorizeFunction']));
    expect(open.websocketApis[0]?.routes.$connect).toMatchObject({ authorizationType: 'NONE' });
    expect(open.websocketApis[0]?.routes.$connect?.authorizer).toBeUndefined();
    expect(open.warnings.join('\n')).toMatch(/3 replicas on AWS/);
    expect(model.warnings.join('\n')).toMatch(/Rules.JwtNeedsAKey/);
    expect(() => readTemplateFile(REAL_TEMPLATE, { parameters: { Stage: 'no spaces' } })).toThrow(/Parameters.Stage/);
  });

  it('runs the deliver event source in standard mode, or with DeliveryMinimumPollers in provisioned mode', () => {
    const deliverSource = (parameters: Record<string, string>) => {
      const read = readTemplateFile(REAL_TEMPLATE, { parameters: { AuthMode: 'none', ...parameters } });
      const deliver = read.functions.find((fn) => fn.logicalId === 'DeliverFunction');
      return { event: deliver?.events[0], env: deliver?.environment, warnings: read.warnings.join('\n') };
    };
    const standard = deliverSource({ DeliveryMaxConcurrency: '30' });
    expect(standard.event).toMatchObject({ type: 'SQS', maximumConcurrency: 30 });
    expect(standard.event).not.toHaveProperty('provisionedPollers');
    expect(standard.env).toMatchObject({ DELIVERY_MAX_CONCURRENCY: '30', DELIVERY_MAXIMUM_POLLERS: '0' });
    const provisioned = deliverSource({ DeliveryMaxConcurrency: '30', DeliveryMinimumPollers: '4', DeliveryMaximumPollers: '12' });
    expect(provisioned.event).toMatchObject({ type: 'SQS', provisionedPollers: { minimum: 4, maximum: 12 }, maximumConcurrency: 120 });
    expect(provisioned.event?.properties).not.toHaveProperty('ScalingConfig');
    expect(provisioned.env).toMatchObject({ DELIVERY_MAXIMUM_POLLERS: '12' });
    expect(deliverSource({ DeliveryMinimumPollers: '1' }).warnings).toMatch(/Rules.ProvisionedPollersInRange/);
  });

  it('in a replica region, uses the replica of the messages table instead of creating one', () => {
    const stream = 'arn:aws:dynamodb:eu-west-1:000000000000:table/rc-messages/stream/2024-01-01T00:00:00.000';
    const replica = readTemplateFile(REAL_TEMPLATE, { region: 'eu-west-1', parameters: { AuthMode: 'none', Stage: 'dev', MessagesTableName: 'rc-messages', MessagesTableStreamArn: stream } });
    expect(replica.dropped).toContain('MessagesTable');
    const readers = replica.functions.filter((fn) => fn.environment.MESSAGES_TABLE !== undefined);
    expect(readers.map((fn) => fn.logicalId).sort()).toEqual(['HistoryFunction', 'PublishFunction', 'SubscribeFunction']);
    for (const fn of readers) expect(fn.environment.MESSAGES_TABLE, fn.logicalId).toBe('rc-messages');
    expect(replica.functions.find((fn) => fn.logicalId === 'StreamFunction')?.events[0]).toMatchObject({ type: 'DynamoDB', streamArn: stream });
    expect(replica.outputs.MessagesTableName).toBe('rc-messages');
    expect(replica.warnings.join('\n')).not.toMatch(/Rules\./);
    const halfway = readTemplateFile(REAL_TEMPLATE, { parameters: { AuthMode: 'none', MessagesTableName: 'rc-messages', ReplicaRegions: 'eu-west-1' } });
    expect(halfway.warnings.join('\n')).toMatch(/Rules.ReplicaStackNeedsItsStream: MessagesTableName needs MessagesTableStreamArn/);
    expect(halfway.warnings.join('\n')).toMatch(/Rules.ReplicaStackNeedsItsStream: ReplicaRegions belongs on the primary stack/);
  });

  it('lets every function that queries the messages table query its indexes too, in both kinds of stack', () => {
    const resources = parseTemplateText(readFileSync(REAL_TEMPLATE, 'utf8')).Resources as Record<string, { Properties?: { Policies?: unknown } }>;
    const queries = Object.entries(resources)
      .map(([logicalId, resource]) => [logicalId, JSON.stringify(resource.Properties?.Policies ?? [])] as const)
      .filter(([, policies]) => policies.includes('MessagesTable'));
    expect(queries.map(([logicalId]) => logicalId).sort()).toEqual(['CanaryFunction', 'HistoryFunction', 'PublishFunction', 'SubscribeFunction']);
    for (const [logicalId, policies] of queries) {
      expect(policies, logicalId).toContain('${MessagesTable.Arn}/index/*');
      expect(policies, logicalId).toContain('table/${MessagesTableName}/index/*');
    }
  });

  it('adds the custom domain and the latency record only when their parameters are set', () => {
    const routing = ['WebSocketDomainName', 'WebSocketApiMapping', 'RegionHealthCheck', 'LatencyRecord'];
    expect(model.dropped).toEqual(expect.arrayContaining(routing));
    expect(model.outputs.CustomDomainWebSocketUrl).toBeUndefined();
    const domain = { DomainName: 'ws.example.com', CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc' };
    const routed = readTemplateFile(REAL_TEMPLATE, { parameters: { AuthMode: 'none', CanaryEnabled: 'true', HostedZoneId: 'Z0123456789', ...domain } });
    expect(Object.keys(routed.resources)).toEqual(expect.arrayContaining(routing));
    expect(routed.outputs.CustomDomainWebSocketUrl).toBe('wss://ws.example.com');
    expect(routed.warnings.join('\n')).toMatch(/AWS::Route53::RecordSet \(LatencyRecord\): not emulated \(no effect locally\)/);
    const withoutCanary = readTemplateFile(REAL_TEMPLATE, { parameters: { AuthMode: 'none', HostedZoneId: 'Z0123456789', ...domain } });
    expect(withoutCanary.warnings.join('\n')).toMatch(/Rules.LatencyRecordNeedsTheCanary/);
  });
});
