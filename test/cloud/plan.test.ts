import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { httpPlan, webSocketPlan } from '../../local/cloud/apis.js';
import { localEndpointMap, withLocalEndpoints } from '../../local/cloud/endpoints.js';
import { startEventSources, type EventSourceContext } from '../../local/cloud/event-sources.js';
import { functionId, functionPlan } from '../../local/cloud/functions.js';
import { readTemplateFile } from '../../local/template/index.js';

const template = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const local = { wsUrl: 'ws://127.0.0.1:1/prod', connectionsUrl: 'http://127.0.0.1:1/prod', publishUrl: 'http://127.0.0.1:2' };

describe("what the local cloud runs of the repository's template", () => {
  const model = readTemplateFile(template('../../template.yaml'), { parameters: { JwtSecretRef: '/local' } });

  it('routes every WebSocket route to its function, with the authorizer on $connect', () => {
    const warnings: string[] = [];
    const plan = webSocketPlan(model, warnings)!;
    expect(plan.routes.map((route) => `${route.routeKey}->${route.target}${route.hasRouteResponse ? ' (answers)' : ''}`).sort()).toEqual([
      '$connect->ConnectFunction',
      '$default->DefaultFunction (answers)',
      '$disconnect->DisconnectFunction',
      'occupancy->OccupancyFunction (answers)',
      'ping->DefaultFunction (answers)',
      'refresh->RefreshFunction (answers)',
      'subscribe->SubscribeFunction (answers)',
      'unsubscribe->UnsubscribeFunction (answers)',
    ]);
    expect(plan.authorizer).toEqual({ target: 'AuthorizeFunction', identitySources: ['route.request.querystring.token'] });
    expect(httpPlan(model, warnings)?.routes.map((route) => `${route.method} ${route.path} ${route.auth}`)).toEqual([
      'POST /rooms/{room}/messages AWS_IAM',
      'PUT /rooms/{room}/messages AWS_IAM',
      'POST /messages AWS_IAM',
      'GET /rooms/{room}/messages AWS_IAM',
      'GET /rooms/{room} AWS_IAM',
      'POST /occupancy AWS_IAM',
    ]);
    expect(warnings).toEqual([]);
  });

  it("gives each function its own environment, with the local URLs in place of AWS's", () => {
    const endpoints = localEndpointMap(model, local);
    const { specs, warnings } = functionPlan(model, endpoints, { DeliverFunction: { EXTRA: '1' } });
    expect(warnings).toEqual([]);
    const deliver = specs.find((spec) => spec.id === 'DeliverFunction')!;
    expect(deliver).toMatchObject({ timeoutSeconds: 30, memoryMb: 512, handler: 'handler', name: 'roomcast-DeliverFunction' });
    expect(deliver.environment).toMatchObject({ CONNECTIONS_ENDPOINT: local.connectionsUrl, EXTRA: '1', DELIVERY_MAX_ATTEMPTS: '5' });
    expect(specs.find((spec) => spec.id === 'ConnectFunction')!.environment.CONNECTIONS_ENDPOINT).toBeUndefined();
    expect(withLocalEndpoints(model.outputs, endpoints)).toMatchObject({ WebSocketUrl: local.wsUrl, PublishUrl: local.publishUrl, ConnectionsEndpoint: local.connectionsUrl });
  });

  it('finds a function by logical id, physical name or code folder', () => {
    expect(['StreamFunction', 'roomcast-StreamFunction', 'stream'].map((name) => functionId(model, name))).toEqual(['StreamFunction', 'StreamFunction', 'StreamFunction']);
    expect(functionId(model, 'nope')).toBeUndefined();
  });
});

describe('what it says it does not run', () => {
  const model = readTemplateFile(template('../fixtures/reader-template.yaml'));

  it('names HTTP routes with other authorizers and events it does not poll', () => {
    const warnings: string[] = [];
    const ctx = { runtime: undefined, functions: new Set(['Handler', 'Worker']), clients: undefined, region: 'us-east-1', queues: {}, tables: {}, log: () => undefined } as unknown as EventSourceContext;
    const sources = startEventSources(model, ctx, warnings);
    expect(warnings).toEqual([
      'Handler event Jobs: its queue arn:aws:sqs:us-east-1:000000000000:roomcast-Work is not a queue of this template: not polled locally',
      expect.stringMatching(/^Handler event Changes: its stream .* is not the stream of a table of this template: not polled locally$/),
    ]);
    return sources.stop();
  });
});
