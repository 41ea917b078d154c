import {
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  LimitExceededException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { describe, expect, it, vi } from 'vitest';
import { Client, fakeInvoke, sdk, start, until } from './helpers.js';

const KB = 1024;

async function connected(options: Parameters<typeof start>[0]) {
  const started = await start(options);
  const client = await Client.open(started.url);
  const [id] = started.gateway.connections();
  return { ...started, client, id: id!, api: sdk(started.connectionsUrl) };
}

describe('@connections with the AWS SDK', () => {
  it('posts a text frame to the connection', async () => {
    const { api, client, id } = await connected({ invoke: fakeInvoke().invoke });
    const output = await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('{"type":"pong"}') }));
    expect(output.$metadata.httpStatusCode).toBe(200);
    expect(await client.next()).toBe('{"type":"pong"}');
  });

  it('gets the connection', async () => {
    const before = Date.now();
    const { api, id } = await connected({ invoke: fakeInvoke().invoke });
    const output = await api.send(new GetConnectionCommand({ ConnectionId: id }));
    expect(output.ConnectedAt).toBeInstanceOf(Date);
    expect(output.ConnectedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(output.LastActiveAt!.getTime()).toBeGreaterThanOrEqual(output.ConnectedAt!.getTime());
    expect(output.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: '' });
  });

  it('deletes the connection: closes it with 1000 and reports it to $disconnect', async () => {
    const fake = fakeInvoke();
    const { api, client, id, gateway } = await connected({ invoke: fake.invoke });
    const output = await api.send(new DeleteConnectionCommand({ ConnectionId: id }));
    expect(output.$metadata.httpStatusCode).toBe(204);
    expect((await client.closed).code).toBe(1000);
    await until(() => fake.of('disconnect').length === 1);
    expect(fake.of('disconnect')[0]!.event.requestContext).toMatchObject({ disconnectStatusCode: 1000, disconnectReason: 'Connection Closed Normally' });
    expect(gateway.connections()).toEqual([]);
  });

  it('answers 410 GoneException for unknown and closed connections', async () => {
    const { api, client, id, connectionsUrl, gateway } = await connected({ invoke: fakeInvoke().invoke });
    const unknown = 'AAAAAAAAAAAAAAA=';
    for (const command of [
      new PostToConnectionCommand({ ConnectionId: unknown, Data: Buffer.from('x') }),
      new GetConnectionCommand({ ConnectionId: unknown }),
      new DeleteConnectionCommand({ ConnectionId: unknown }),
    ]) {
      const error = await api.send(command as PostToConnectionCommand).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GoneException);
      expect((error as GoneException).$metadata.httpStatusCode).toBe(410);
    }
    client.ws.close();
    await until(() => gateway.connections().length === 0);
    const error = await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('x') })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoneException);
    const raw = await fetch(`${connectionsUrl}/@connections/${encodeURIComponent(id)}`, { method: 'POST', body: 'x' });
    expect(raw.status).toBe(410);
    expect(raw.headers.get('x-amzn-errortype')).toBe('GoneException');
    expect(await raw.json()).toEqual({ message: null });
  });

  it('answers 410 to a post made while $connect runs, as API Gateway does', async () => {
    let caught: unknown;
    let endpoint = '';
    const fake = fakeInvoke({
      connect: async (event) => {
        caught = await sdk(endpoint)
          .send(new PostToConnectionCommand({ ConnectionId: event.requestContext.connectionId, Data: Buffer.from('hello') }))
          .catch((e: unknown) => e);
        return { statusCode: 200 };
      },
    });
    const gateway = await start({ invoke: fake.invoke });
    endpoint = gateway.connectionsUrl;
    await Client.open(gateway.url);
    expect(caught).toBeInstanceOf(GoneException);
  });

  it('answers 413 PayloadTooLargeException over 128 KB and delivers 128 KB', async () => {
    const { api, client, id } = await connected({ invoke: fakeInvoke().invoke });
    const error = await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.alloc(128 * KB + 1, 97) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeException);
    expect(await client.quiet()).toBe(true);
    await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.alloc(128 * KB, 98) }));
    expect((await client.next()).length).toBe(128 * KB);
  });

  it('answers 429 LimitExceededException over the token bucket, shared with messages', async () => {
    const { api, client, id } = await connected({ invoke: fakeInvoke().invoke, limits: { requestRatePerSecond: 0.001, requestBurst: 3 } });
    client.send('{"action":"silent"}');
    await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('1') }));
    await api.send(new GetConnectionCommand({ ConnectionId: id }));
    const error = await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('2') })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededException);
    expect((error as LimitExceededException).$metadata.httpStatusCode).toBe(429);
  });

  it('counts posts as activity for the idle timeout', async () => {
    // Fake timers and clock (sockets stay real): the idle timer fires when the test moves the clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { api, client, id, gateway } = await connected({ invoke: fakeInvoke().invoke, limits: { idleTimeoutMs: 150 } });
      for (let i = 0; i < 4; i += 1) {
        vi.advanceTimersByTime(100);
        await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from(String(i)) }));
        expect(await client.next()).toBe(String(i));
      }
      // 400 ms after it opened, 149 ms after the last post.
      vi.advanceTimersByTime(149);
      expect(gateway.connections()).toEqual([id]);
      vi.advanceTimersByTime(1);
      expect(gateway.connections()).toEqual([]);
      expect((await client.closed).code).toBe(1001);
    } finally {
      vi.useRealTimers();
    }
  });

  it('accepts %40connections and leaves other paths to others', async () => {
    const { client, id, connectionsUrl, gateway } = await connected({ invoke: fakeInvoke().invoke });
    const posted = await fetch(`${connectionsUrl}/%40connections/${encodeURIComponent(id)}`, { method: 'POST', body: 'raw' });
    expect(posted.status).toBe(200);
    expect(await client.next()).toBe('raw');
    expect((await fetch(`${connectionsUrl}/elsewhere`)).status).toBe(404);
    const fakeReq = { url: '/test/other', method: 'GET' } as Parameters<typeof gateway.handleRequest>[0];
    expect(gateway.handleRequest(fakeReq, undefined as unknown as Parameters<typeof gateway.handleRequest>[1])).toBe(false);
  });
});
