import { describe, expect, it } from 'vitest';
import { ConnectionsApi } from '../../layers/core/src/adapters/connections-api.js';
import { SignedPoster } from '../../layers/core/src/adapters/signed-post.js';
import type { AwsClients } from '../../layers/core/src/adapters/aws-clients.js';
import { Client, fakeInvoke, sdk, start } from './helpers.js';

const REGION = 'eu-west-1';

/** The deliver function's adapter, posting with SignedPoster to the local gateway, which checks every signature. */
async function connected(secretAccessKey = 'local-secret', sessionToken?: string) {
  const started = await start({ invoke: fakeInvoke().invoke, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' } });
  const client = await Client.open(started.url);
  const [id] = started.gateway.connections();
  const credentials = async () => ({ accessKeyId: 'AKIDLOCAL', secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
  const clients = { poster: () => new SignedPoster(started.connectionsUrl, REGION, credentials), connectionsApi: () => sdk(started.connectionsUrl) } as unknown as AwsClients;
  return { ...started, client, id: id!, api: new ConnectionsApi(clients, 2000) };
}

describe('PostToConnection without the SDK (SignedPoster)', () => {
  it('is accepted by a gateway that checks SigV4, and the frame arrives as sent', async () => {
    const { api, client, id, connectionsUrl } = await connected();
    const frame = JSON.stringify({ type: 'message', data: { text: 'héllo ✓', n: 1 } });
    expect(await api.post(connectionsUrl, id, frame)).toEqual({ outcome: 'delivered' });
    expect(await client.next()).toBe(frame);
  });

  it('signs with a session token, as Lambda credentials have one', async () => {
    const { api, client, id, connectionsUrl } = await connected('local-secret', 'a-session-token');
    expect((await api.post(connectionsUrl, id, 'x')).outcome).toBe('delivered');
    expect(await client.next()).toBe('x');
  });

  it('is refused with a wrong secret: a failed outcome carrying the 403 after one refresh, nothing arrives', async () => {
    const { api, client, id, connectionsUrl } = await connected('not-the-secret');
    const result = await api.post(connectionsUrl, id, 'x');
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ name: 'ForbiddenException', $metadata: { httpStatusCode: 403 } });
    expect(await client.quiet()).toBe(true);
  });

  it('refreshes credentials that expired once, on the 403, and posts again: delivered, not dead-lettered', async () => {
    const started = await connected();
    const refreshes: unknown[] = [];
    let secretAccessKey = 'an-expired-secret';
    const credentials = async (properties?: Record<string, unknown>) => {
      if (properties?.forceRefresh) {
        refreshes.push(properties);
        secretAccessKey = 'local-secret';
      }
      return { accessKeyId: 'AKIDLOCAL', secretAccessKey };
    };
    const api = new ConnectionsApi({ poster: () => poster } as unknown as AwsClients, 2000);
    const poster = new SignedPoster(started.connectionsUrl, REGION, credentials);
    expect(await api.post(started.connectionsUrl, started.id, 'after-refresh')).toEqual({ outcome: 'delivered' });
    expect(await started.client.next()).toBe('after-refresh');
    expect(await api.post(started.connectionsUrl, started.id, 'next')).toEqual({ outcome: 'delivered' });
    expect(refreshes).toHaveLength(1);
  });

  it("corrects a skewed clock from the 403's Date, and keeps the offset for the posts after it", async () => {
    const started = await connected();
    let refreshes = 0;
    const credentials = async (properties?: Record<string, unknown>) => {
      if (properties?.forceRefresh) refreshes += 1;
      return { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };
    };
    // Ten minutes behind: outside API Gateway's five-minute window.
    const poster = new SignedPoster(started.connectionsUrl, REGION, credentials, () => Date.now() - 600_000);
    const api = new ConnectionsApi({ poster: () => poster } as unknown as AwsClients, 2000);
    expect(await api.post(started.connectionsUrl, started.id, 'corrected')).toEqual({ outcome: 'delivered' });
    expect(await started.client.next()).toBe('corrected');
    expect(await api.post(started.connectionsUrl, started.id, 'kept')).toEqual({ outcome: 'delivered' });
    expect(refreshes).toBe(1);
  });

  it('maps 410 to gone, 429 to throttled and 500 to failed, as the SDK errors were mapped', async () => {
    const { api, gateway, id, connectionsUrl } = await connected();
    expect((await api.post(connectionsUrl, 'AAAAAAAAAAAAAAA=', 'x')).outcome).toBe('gone');
    gateway.faults.set({ postStatus: { status: 429, share: 1 } });
    expect((await api.post(connectionsUrl, id, 'x')).outcome).toBe('throttled');
    gateway.faults.set({ postStatus: { status: 500, share: 1 } });
    const failed = await api.post(connectionsUrl, id, 'x');
    expect(failed).toMatchObject({ outcome: 'failed', error: { name: 'InternalServerErrorException', $metadata: { httpStatusCode: 500 } } });
  });

  it('gives up at the deadline when the gateway does not answer', async () => {
    const { gateway, id, connectionsUrl } = await connected();
    const credentials = async () => ({ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' });
    const clients = { poster: () => new SignedPoster(connectionsUrl, REGION, credentials) } as unknown as AwsClients;
    gateway.faults.set({ postDelayMs: 1000 });
    const result = await new ConnectionsApi(clients, 100).post(connectionsUrl, id, 'x');
    expect(result.outcome).toBe('failed');
    expect(String(result.error)).toMatch(/took longer than 100 ms/);
  });

  it('encodes connection ids as one path segment', async () => {
    const { api, connectionsUrl } = await connected();
    // Not a connection of this gateway, so 410, but it must reach the connection route, not 403 or 404.
    for (const odd of ["a/b=c", "x!'()*y", 'a+b c']) expect((await api.post(connectionsUrl, odd, 'x')).outcome).toBe('gone');
  });
});
