import { createHook } from 'node:async_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { describe, expect, it } from 'vitest';
import { createGateway, startGateway } from '../../local/gateway/index.js';
import { Client, fakeInvoke, ROUTES, sdk, start, until } from './helpers.js';

/** Watches the timers that gateway code creates, until they fire or are cleared. */
function watchGatewayTimers(): { live: Set<number>; stop(): void } {
  const live = new Set<number>();
  const hook = createHook({
    init(id, type) {
      if (type === 'Timeout' && /local[\\/]gateway[\\/]/.test(new Error().stack ?? '')) live.add(id);
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return { live, stop: () => hook.disable() };
}

describe('gateway lifecycle', () => {
  it('close() closes every socket with 1001 and waits for $disconnect', async () => {
    const fake = fakeInvoke();
    const { gateway, url } = await start({ invoke: fake.invoke });
    const clients = await Promise.all([Client.open(url), Client.open(url)]);
    await gateway.close();
    for (const client of clients) expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(fake.of('disconnect')).toHaveLength(2);
    expect(gateway.connections()).toEqual([]);
  });

  it('leaves no timer running once closed', async () => {
    const timers = watchGatewayTimers();
    const fake = fakeInvoke();
    const started = await startGateway({
      apiId: 'abc123',
      stage: 'test',
      region: 'eu-west-1',
      routeSelectionExpression: '$request.body.action',
      routes: ROUTES,
      invoke: fake.invoke,
      limits: { idleTimeoutMs: 60_000 },
    });
    const client = await Client.open(started.url);
    started.gateway.faults.set({ postDelayMs: 60_000 });
    const slowPost = sdk(started.connectionsUrl).send(new PostToConnectionCommand({ ConnectionId: started.gateway.connections()[0]!, Data: Buffer.from('x') })).catch((e: unknown) => e);
    await until(() => timers.live.size === 3, 2000, 'idle, maximum duration and post delay timers');
    // close() must not wait for the 60 s post delay: if it did, this test would time out.
    await started.close();
    await client.closed;
    await slowPost;
    // destroy hooks run a little later than clearTimeout
    await until(() => timers.live.size === 0, 1000, 'the gateway timers to be cleared').finally(() => timers.stop());
  });

  it('serves under a base path when attached to a shared server', async () => {
    const fake = fakeInvoke({ echo: () => 'hi' });
    const server = createServer();
    const gateway = createGateway({ apiId: 'a', stage: 'dev', region: 'eu-west-1', routeSelectionExpression: '$request.body.action', routes: ROUTES, invoke: fake.invoke });
    gateway.attach(server, '/ws/');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = await Client.open(`ws://127.0.0.1:${port}/ws/dev`);
      client.send('{"action":"echo"}');
      expect(await client.next()).toBe('hi');
      const id = gateway.connections()[0]!;
      await sdk(`http://127.0.0.1:${port}/ws/dev`).send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('pushed') }));
      expect(await client.next()).toBe('pushed');
    } finally {
      await gateway.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('works behind handleRequest and handleUpgrade on a server of its own', async () => {
    const fake = fakeInvoke();
    const gateway = createGateway({ apiId: 'a', stage: 'dev', region: 'eu-west-1', routeSelectionExpression: '$request.body.action', routes: ROUTES, invoke: fake.invoke });
    const server = createServer((req, res) => {
      if (!gateway.handleRequest(req, res)) res.end('console');
    });
    server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('console');
      const client = await Client.open(`ws://127.0.0.1:${port}/dev`);
      const id = gateway.connections()[0]!;
      await sdk(`http://127.0.0.1:${port}/dev`).send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('ok') }));
      expect(await client.next()).toBe('ok');
    } finally {
      await gateway.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('serves a $default stage at the root', async () => {
    const fake = fakeInvoke();
    const started = await start({ invoke: fake.invoke, stage: '$default' });
    expect(started.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const client = await Client.open(started.url);
    await sdk(started.connectionsUrl).send(new PostToConnectionCommand({ ConnectionId: started.gateway.connections()[0]!, Data: Buffer.from('root') }));
    expect(await client.next()).toBe('root');
  });

  it('refuses handshakes once closing', async () => {
    const fake = fakeInvoke();
    const { gateway, url } = await start({ invoke: fake.invoke });
    let release!: () => void;
    fake.handlers.connect = () => new Promise<void>((resolve) => (release = resolve));
    const opening = Client.open(url).catch((e: unknown) => e);
    await until(() => fake.of('connect').length === 1);
    const closing = gateway.close();
    release();
    expect(String(await opening)).toMatch(/503/);
    await closing;
  });
});
