import {
  ApiGatewayManagementApiServiceException,
  GoneException,
  LimitExceededException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { describe, expect, it } from 'vitest';
import { Client, fakeInvoke, refused, sdk, start, until } from './helpers.js';

async function setup(options: { dropDisconnect?: boolean } = {}) {
  const fake = fakeInvoke();
  const started = await start({ invoke: fake.invoke, ...options });
  const client = await Client.open(started.url);
  const id = started.gateway.connections()[0]!;
  const api = sdk(started.connectionsUrl);
  const post = (text: string) => api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from(text) })).then(
    () => undefined,
    (error: unknown) => error,
  );
  return { ...started, fake, client, id, post };
}

describe('fault injection', () => {
  it('answers an injected 410 without delivering, for `count` posts', async () => {
    const { gateway, client, post } = await setup();
    gateway.faults.set({ postStatus: { status: 410, share: 1, count: 2 } });
    expect(gateway.faults.current()).toEqual({ postStatus: { status: 410, share: 1, count: 2 } });
    expect(await post('a')).toBeInstanceOf(GoneException);
    expect(await post('b')).toBeInstanceOf(GoneException);
    expect(await post('c')).toBeUndefined();
    expect(await client.next()).toBe('c');
    expect(gateway.faults.current()).toEqual({});
  });

  it('answers injected 429 and 500 in the AWS shape', async () => {
    const { gateway, client, post, connectionsUrl, id } = await setup();
    gateway.faults.set({ postStatus: { status: 429, share: 1 } });
    expect(await post('a')).toBeInstanceOf(LimitExceededException);
    gateway.faults.set({ postStatus: { status: 500, share: 1 } });
    const error = await post('b');
    expect(error).toBeInstanceOf(ApiGatewayManagementApiServiceException);
    expect((error as ApiGatewayManagementApiServiceException).$metadata.httpStatusCode).toBe(500);
    expect((error as ApiGatewayManagementApiServiceException).$fault).toBe('server');
    const raw = await fetch(`${connectionsUrl}/@connections/${encodeURIComponent(id)}`, { method: 'POST', body: 'c' });
    expect(raw.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(await client.quiet()).toBe(true);
    gateway.faults.clear();
    expect(await post('d')).toBeUndefined();
    expect(await client.next()).toBe('d');
  });

  it('never affects posts with share 0', async () => {
    const { gateway, post } = await setup();
    gateway.faults.set({ postStatus: { status: 500, share: 0 } });
    for (let i = 0; i < 5; i += 1) expect(await post(String(i))).toBeUndefined();
  });

  it('delays posts', async () => {
    const { gateway, client, post } = await setup();
    gateway.faults.set({ postDelayMs: 120 });
    const started = Date.now();
    await post('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(await client.next()).toBe('slow');
  });

  it('drops every socket abruptly; $disconnect reports 1006', async () => {
    const { gateway, client, fake, url } = await setup();
    const other = await Client.open(url);
    gateway.faults.set({ dropSockets: true });
    expect((await client.closed).code).toBe(1006);
    expect((await other.closed).code).toBe(1006);
    await until(() => fake.of('disconnect').length === 2);
    expect(fake.of('disconnect').map((call) => call.event.requestContext.disconnectStatusCode)).toEqual([1006, 1006]);
    expect(gateway.connections()).toEqual([]);
    expect(gateway.faults.current()).toEqual({});
  });

  it('goes down: drops every socket and refuses connections with 503 until cleared', async () => {
    const { gateway, client, fake, url } = await setup();
    gateway.faults.set({ down: true });
    expect((await client.closed).code).toBe(1006);
    expect(gateway.faults.current()).toEqual({ down: true });
    expect(await refused(url)).toEqual({ status: 503, body: JSON.stringify({ message: 'Service Unavailable' }) });
    expect(fake.of('connect')).toHaveLength(1); // the refused handshake never reached $connect
    gateway.faults.clear();
    const next = await Client.open(url);
    expect(gateway.connections()).toHaveLength(1);
    next.ws.close();
  });

  it('drops $disconnect while the fault is set', async () => {
    const { gateway, client, fake, url } = await setup();
    gateway.faults.set({ dropDisconnect: true });
    client.ws.close();
    await until(() => gateway.connections().length === 0);
    gateway.faults.clear();
    const next = await Client.open(url);
    next.ws.close();
    await until(() => fake.of('disconnect').length === 1);
    expect(fake.of('disconnect')[0]!.event.requestContext.connectionId).not.toBe(fake.of('connect')[0]!.event.requestContext.connectionId);
  });

  it('never calls $disconnect with the dropDisconnect option', async () => {
    const { gateway, client, fake } = await setup({ dropDisconnect: true });
    client.ws.close();
    await until(() => gateway.connections().length === 0);
    await gateway.close();
    expect(fake.of('disconnect')).toEqual([]);
  });

  it('rejects impossible settings', async () => {
    const { gateway } = await setup();
    expect(() => gateway.faults.set({ postStatus: { status: 418 as 410, share: 1 } })).toThrow(/410, 429 or 500/);
    expect(() => gateway.faults.set({ postStatus: { status: 410, share: 2 } })).toThrow(/0\.\.1/);
  });
});
