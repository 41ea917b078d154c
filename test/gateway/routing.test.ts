import { describe, expect, it, vi } from 'vitest';
import { Client, fakeInvoke, ROUTES, sleep, start, until } from './helpers.js';

const FRAME = /^\{"message": "(.+)", "connectionId":"([^"]+)", "requestId":"([^"]+)"\}$/;

describe('messages and route selection', () => {
  it('routes on $request.body.action and sends the route response back', async () => {
    const fake = fakeInvoke({ echo: (event) => ({ statusCode: 200, body: `echo:${event.body}` }) });
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    const body = JSON.stringify({ action: 'echo', n: 1 });
    client.send(body);
    expect(await client.next()).toBe(`echo:${body}`);
    const [call] = fake.of('echo');
    expect(call!.event).toMatchObject({ body, isBase64Encoded: false, requestContext: { routeKey: 'echo', eventType: 'MESSAGE', messageDirection: 'IN' } });
    expect(call!.event.requestContext.messageId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(call!.event.requestContext.connectionId).toBe(fake.of('connect')[0]!.event.requestContext.connectionId);
    expect(call!.event).not.toHaveProperty('headers');
  });

  it('sends a string result back as it is, and nothing for routes without a route response', async () => {
    const fake = fakeInvoke({ echo: () => 'plain', silent: () => ({ statusCode: 200, body: 'not sent' }) });
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    client.send(JSON.stringify({ action: 'silent' }));
    client.send(JSON.stringify({ action: 'echo' }));
    expect(await client.next()).toBe('plain');
    expect(await client.quiet()).toBe(true);
    expect(fake.of('silent')).toHaveLength(1);
  });

  it('sends what cannot be routed to $default', async () => {
    const fake = fakeInvoke({ default: (event) => ({ statusCode: 200, body: `default:${event.requestContext.routeKey}` }) });
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    for (const body of ['not json', '{"action":"nope"}', '{"other":1}', '{"action":{"x":1}}', '{"action":"$connect"}', '[1]', '"echo"']) {
      client.send(body);
      expect(await client.next()).toBe('default:$default');
    }
    expect(fake.of('default').map((call) => call.event.body)).toHaveLength(7);
  });

  it('routes on a nested path and on numbers', async () => {
    const fake = fakeInvoke({ echo: () => 'echo', n42: () => '42' });
    const routes = [...ROUTES, { routeKey: '42', target: 'n42', hasRouteResponse: true }];
    const { url } = await start({ invoke: fake.invoke, routes, routeSelectionExpression: '$request.body.meta.kind' });
    const client = await Client.open(url);
    client.send(JSON.stringify({ meta: { kind: 'echo' } }));
    expect(await client.next()).toBe('echo');
    client.send(JSON.stringify({ meta: { kind: 42 } }));
    expect(await client.next()).toBe('42');
  });

  it('closes the connection with 1003 on a binary frame, as API Gateway does, without invoking a route', async () => {
    const fake = fakeInvoke({ default: () => 'got it' });
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    client.send(Buffer.from(JSON.stringify({ action: 'echo' })), { binary: true });
    expect(await client.closed).toEqual({ code: 1003, reason: 'Binary frames are not supported' });
    await vi.waitFor(() => expect(fake.of('disconnect')).toHaveLength(1));
    expect(fake.of('default')).toEqual([]);
  });

  it('tells the client "Endpoint request timed out" when a route outlives the integration timeout, and sends nothing after', async () => {
    let finish: (value: string) => void = () => undefined;
    const fake = fakeInvoke({ echo: () => new Promise<string>((resolve) => (finish = resolve)), fast: () => 'fast' });
    const routes = [...ROUTES, { routeKey: 'fast', target: 'fast', hasRouteResponse: true }];
    const { url } = await start({ invoke: fake.invoke, routes, limits: { integrationTimeoutMs: 100 } });
    const client = await Client.open(url);
    client.send('{"action":"echo"}');
    const [, message, connectionId] = FRAME.exec(await client.next())!;
    expect(message).toBe('Endpoint request timed out');
    expect(connectionId).toBe(fake.of('connect')[0]!.event.requestContext.connectionId);
    // The function ran on; its late answer is not sent, and the connection serves the next message.
    finish('too late');
    client.send('{"action":"fast"}');
    expect(await client.next()).toBe('fast');
    expect(await client.quiet()).toBe(true);
  });

  it('answers Forbidden, as API Gateway does, when no route matches and there is no $default', async () => {
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke, routes: ROUTES.filter((r) => r.routeKey !== '$default') });
    const client = await Client.open(url);
    client.send('{"action":"nope"}');
    const [, message, connectionId, requestId] = FRAME.exec(await client.next())!;
    expect(message).toBe('Forbidden');
    expect(connectionId).toBe(fake.of('connect')[0]!.event.requestContext.connectionId);
    expect(requestId).toMatch(/=$/);
  });

  it('answers Internal server error when the function fails, with or without a route response', async () => {
    const fail = (): never => {
      throw new Error('boom');
    };
    const fake = fakeInvoke({ echo: fail, silent: fail });
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    client.send('{"action":"echo"}');
    expect(FRAME.exec(await client.next())![1]).toBe('Internal server error');
    client.send('{"action":"silent"}');
    const [, message, , requestId] = FRAME.exec(await client.next())!;
    expect(message).toBe('Internal server error');
    expect(requestId).toBe(fake.of('silent')[0]!.event.requestContext.requestId);
  });

  it('invokes $disconnect with the close code and reason when the client closes', async () => {
    const fake = fakeInvoke();
    const { url, gateway } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    client.ws.close(4000, 'bye');
    await until(() => fake.of('disconnect').length === 1);
    const { event } = fake.of('disconnect')[0]!;
    expect(event.requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', disconnectStatusCode: 4000, disconnectReason: 'bye' });
    expect(event.headers).toHaveProperty('Host');
    expect(gateway.connections()).toEqual([]);
  });

  it('reports 1006 when the client just goes away', async () => {
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    client.ws.terminate();
    await until(() => fake.of('disconnect').length === 1);
    expect(fake.of('disconnect')[0]!.event.requestContext).toMatchObject({ disconnectStatusCode: 1006, disconnectReason: 'Connection Closed Abnormally' });
  });

  it('ignores a failing $disconnect, and runs it after the messages in flight', async () => {
    const fake = fakeInvoke({
      echo: () => sleep(30).then(() => 'late'),
      disconnect: () => {
        throw new Error('gone wrong');
      },
    });
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    client.send('{"action":"echo"}');
    await until(() => fake.of('echo').length === 1);
    client.ws.close();
    await until(() => fake.of('disconnect').length === 1);
    expect(fake.calls.map((call) => call.target)).toEqual(['connect', 'echo', 'disconnect']);
  });
});
