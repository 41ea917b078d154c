import { describe, expect, it } from 'vitest';
import type { GatewayAuthorizer } from '../../local/gateway/index.js';
import { Client, fakeInvoke, refused, start, until, type AnyEvent } from './helpers.js';

const authorizer: GatewayAuthorizer = { target: 'authorize', identitySources: ['route.request.querystring.token'] };

function policy(effect: 'Allow' | 'Deny', resource: string, context?: Record<string, unknown>) {
  return {
    principalId: 'user-1',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
    ...(context ? { context } : {}),
  };
}

const allow = (event: AnyEvent) => policy('Allow', event.methodArn!, { principal: 'user-1', rooms: '["a"]', admin: false, level: 3 });

describe('REQUEST authorizer on $connect', () => {
  it('sends the REQUEST event and passes its context on to every route', async () => {
    const fake = fakeInvoke({ authorize: allow, echo: () => ({ statusCode: 200, body: 'ok' }) });
    const { url } = await start({ invoke: fake.invoke, authorizer });
    const client = await Client.open(`${url}?token=t1`, undefined, { headers: { Auth: 'x' } });
    const [auth] = fake.of('authorize');
    expect(auth!.event).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:000000000000:abc123/test/$connect',
      queryStringParameters: { token: 't1' },
      multiValueQueryStringParameters: { token: ['t1'] },
      stageVariables: {},
      requestContext: { routeKey: '$connect', eventType: 'CONNECT', apiId: 'abc123', stage: 'test' },
    });
    expect(auth!.event.headers).toMatchObject({ Auth: 'x' });
    expect(auth!.event.multiValueHeaders).toMatchObject({ Auth: ['x'] });
    const connectionId = auth!.event.requestContext.connectionId;

    client.send(JSON.stringify({ action: 'echo' }));
    expect(await client.next()).toBe('ok');
    client.ws.close();
    await until(() => fake.of('disconnect').length === 1);
    for (const target of ['connect', 'echo', 'disconnect']) {
      const context = fake.of(target)[0]!.event.requestContext;
      expect(context.connectionId).toBe(connectionId);
      expect(context.authorizer).toMatchObject({ principal: 'user-1', rooms: '["a"]', admin: false, level: 3, principalId: 'user-1' });
      expect(typeof context.authorizer!.integrationLatency).toBe('number');
    }
  });

  it('answers 401 without invoking when an identity source is missing', async () => {
    const fake = fakeInvoke({ authorize: allow });
    const { url } = await start({ invoke: fake.invoke, authorizer: { target: 'authorize', identitySources: ['route.request.querystring.token', 'route.request.header.Auth'] } });
    expect(await refused(`${url}?token=t1`)).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
    expect((await refused(url, { headers: { auth: 'x' } })).status).toBe(401);
    expect((await refused(`${url}?token=`, { headers: { auth: 'x' } })).status).toBe(401);
    expect(fake.calls).toEqual([]);
    await Client.open(`${url}?token=t1`, undefined, { headers: { auth: 'x' } }); // header names are case-insensitive
    expect(fake.of('authorize')).toHaveLength(1);
  });

  it('answers 401 when the authorizer fails with Unauthorized', async () => {
    const fake = fakeInvoke({
      authorize: () => {
        throw new Error('Unauthorized');
      },
    });
    const { url } = await start({ invoke: fake.invoke, authorizer });
    expect((await refused(`${url}?token=bad`)).status).toBe(401);
    expect(fake.of('connect')).toEqual([]);
  });

  it('answers 500 when the authorizer fails otherwise or answers nonsense', async () => {
    const fake = fakeInvoke({
      authorize: () => {
        throw new Error('database down');
      },
    });
    const { url } = await start({ invoke: fake.invoke, authorizer });
    expect((await refused(`${url}?token=t`)).status).toBe(500);
    fake.handlers.authorize = () => ({ principalId: 'u' });
    expect((await refused(`${url}?token=t`)).status).toBe(500);
    fake.handlers.authorize = (event) => policy('Allow', event.methodArn!, { nested: { no: 1 } });
    expect((await refused(`${url}?token=t`)).status).toBe(500);
    expect(fake.of('connect')).toEqual([]);
  });

  it('answers 403 when the policy denies, or does not allow, $connect', async () => {
    const fake = fakeInvoke({ authorize: (event) => policy('Deny', event.methodArn!) });
    const { url } = await start({ invoke: fake.invoke, authorizer });
    expect(await refused(`${url}?token=t`)).toEqual({ status: 403, body: '{"message":"Forbidden"}' });
    fake.handlers.authorize = () => policy('Allow', 'arn:aws:execute-api:eu-west-1:000000000000:other/test/$connect');
    expect((await refused(`${url}?token=t`)).status).toBe(403);
    fake.handlers.authorize = () => ({
      principalId: 'u',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:*', Effect: 'Allow', Resource: '*' },
          { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: 'arn:aws:execute-api:*:*:abc123/*' },
        ],
      },
    });
    expect((await refused(`${url}?token=t`)).status).toBe(403);
    expect(fake.of('connect')).toEqual([]);
  });

  it('allows with wildcard resources', async () => {
    const fake = fakeInvoke({ authorize: () => policy('Allow', 'arn:aws:execute-api:eu-west-1:000000000000:abc123/*') });
    const { url, gateway } = await start({ invoke: fake.invoke, authorizer });
    await Client.open(`${url}?token=t`);
    expect(gateway.connections()).toHaveLength(1);
  });
});
