import { describe, expect, it } from 'vitest';
import { Client, fakeInvoke, refused, ROUTES, start, until } from './helpers.js';

const ID = /^[A-Za-z0-9_-]{15}=$/;

describe('handshake and $connect', () => {
  it('connects on /{stage} and passes an API Gateway CONNECT event', async () => {
    const fake = fakeInvoke();
    const { url, gateway } = await start({ invoke: fake.invoke });
    await Client.open(`${url}?token=abc&room=a&room=b`, undefined, { headers: { 'X-Custom-Header': 'Yes', 'User-Agent': 'tester/1' } });
    const [call] = fake.of('connect');
    const event = call!.event;
    const context = event.requestContext;
    expect(context).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageDirection: 'IN',
      stage: 'test',
      apiId: 'abc123',
      identity: { sourceIp: '127.0.0.1', userAgent: 'tester/1' },
      domainName: new URL(url).host,
    });
    expect(context.connectionId).toMatch(ID);
    expect(context.requestId).toMatch(ID);
    expect(context.extendedRequestId).toMatch(ID);
    expect(context.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(context.requestTimeEpoch - Date.now())).toBeLessThan(5000);
    expect(context.connectedAt).toBeLessThanOrEqual(context.requestTimeEpoch);
    expect(context.messageId).toBeUndefined();
    expect(context.authorizer).toBeUndefined();
    expect(event.headers).toMatchObject({ 'X-Custom-Header': 'Yes', Host: new URL(url).host });
    expect(event.multiValueHeaders?.['X-Custom-Header']).toEqual(['Yes']);
    expect(event.queryStringParameters).toEqual({ token: 'abc', room: 'b' });
    expect(event.multiValueQueryStringParameters).toEqual({ token: ['abc'], room: ['a', 'b'] });
    expect(event.isBase64Encoded).toBe(false);
    expect(gateway.connections()).toEqual([context.connectionId]);
  });

  it('leaves the query string parameters out when there are none', async () => {
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke });
    await Client.open(url);
    expect(fake.of('connect')[0]!.event).not.toHaveProperty('queryStringParameters');
  });

  it('gives every connection its own id', async () => {
    const fake = fakeInvoke();
    const { url, gateway } = await start({ invoke: fake.invoke });
    await Promise.all(Array.from({ length: 20 }, () => Client.open(url)));
    const ids = gateway.connections();
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) expect(id).toMatch(ID);
  });

  it('refuses other paths with 403', async () => {
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke });
    expect((await refused(url.replace('/test', '/prod'))).status).toBe(403);
    expect((await refused(`${url}/more`)).status).toBe(403);
    expect(fake.calls).toEqual([]);
  });

  it('refuses the handshake with the statusCode $connect returns', async () => {
    const fake = fakeInvoke({ connect: () => ({ statusCode: 403, body: 'no' }) });
    const { url, gateway } = await start({ invoke: fake.invoke });
    expect(await refused(url)).toEqual({ status: 403, body: 'no' });
    expect(gateway.connections()).toEqual([]);
    expect(fake.of('disconnect')).toEqual([]);
  });

  it('accepts when $connect returns no statusCode, or nothing', async () => {
    const fake = fakeInvoke({ connect: () => undefined });
    const { url, gateway } = await start({ invoke: fake.invoke });
    const first = await Client.open(url);
    fake.handlers.connect = () => ({ headers: {} });
    const second = await Client.open(url);
    // Both stay open: each answers a ping, and the gateway lists the ids $connect was called with.
    await Promise.all([first.roundTrip(), second.roundTrip()]);
    const ids = fake.of('connect').map((call) => call.event.requestContext.connectionId);
    expect(ids).toHaveLength(2);
    expect(gateway.connections().sort()).toEqual([...ids].sort());
    expect(fake.of('disconnect')).toEqual([]);
  });

  it('refuses with 500 when $connect fails or answers no HTTP status', async () => {
    const fake = fakeInvoke({
      connect: () => {
        throw new Error('boom');
      },
    });
    const { url } = await start({ invoke: fake.invoke });
    expect((await refused(url)).status).toBe(500);
    fake.handlers.connect = () => ({ statusCode: 'many' });
    expect((await refused(url)).status).toBe(500);
  });

  it('accepts every handshake when there is no $connect route', async () => {
    const fake = fakeInvoke();
    const { url, gateway } = await start({ invoke: fake.invoke, routes: ROUTES.filter((r) => r.routeKey !== '$connect') });
    await Client.open(url);
    expect(gateway.connections()).toHaveLength(1);
    expect(fake.calls).toEqual([]);
  });

  it('completes the handshake only after $connect returned', async () => {
    let release!: () => void;
    const fake = fakeInvoke({ connect: () => new Promise<void>((resolve) => (release = resolve)) });
    const { url, gateway } = await start({ invoke: fake.invoke });
    let opened = false;
    const opening = Client.open(url).then((client) => ((opened = true), client));
    await until(() => fake.of('connect').length === 1);
    expect(opened).toBe(false);
    expect(gateway.connections()).toEqual([]);
    release();
    await opening;
    expect(gateway.connections()).toHaveLength(1);
  });
});

describe('Sec-WebSocket-Protocol', () => {
  it('selects the subprotocol that $connect answers', async () => {
    const fake = fakeInvoke({ connect: () => ({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'roomcast.v1' } }) });
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url, ['roomcast.v2', 'roomcast.v1']);
    expect(client.ws.protocol).toBe('roomcast.v1');
    expect(fake.of('connect')[0]!.event.headers?.['Sec-WebSocket-Protocol']).toBe('roomcast.v2,roomcast.v1');
  });

  it('fails the handshake when the client offered subprotocols and $connect chose none', async () => {
    const fake = fakeInvoke({ connect: () => ({ statusCode: 200 }) });
    const { url, gateway } = await start({ invoke: fake.invoke });
    await expect(Client.open(url, ['roomcast.v1'])).rejects.toThrow(/no subprotocol/);
    // The 101 went out, as on AWS, so the connection existed and now disconnects.
    await until(() => fake.of('disconnect').length === 1);
    expect(fake.of('disconnect')[0]!.event.requestContext.disconnectStatusCode).toBe(1006);
    expect(gateway.connections()).toEqual([]);
  });

  it('fails the handshake when $connect chose a subprotocol the client did not offer', async () => {
    const fake = fakeInvoke({ connect: () => ({ statusCode: 200, headers: { 'sec-websocket-protocol': 'other' } }) });
    const { url } = await start({ invoke: fake.invoke });
    await expect(Client.open(url, ['roomcast.v1'])).rejects.toThrow(/invalid subprotocol/);
  });
});
