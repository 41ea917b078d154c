/**
 * The management API contract against MemoryConnectionsApi and against ConnectionsApi
 * posting (signed) to the local gateway, with real sockets on the other side.
 */
import { vi } from 'vitest';
import { ConnectionsApi } from '../../layers/core/src/adapters/connections-api.js';
import { SignedPoster } from '../../layers/core/src/adapters/signed-post.js';
import type { AwsClients } from '../../layers/core/src/adapters/aws-clients.js';
import { MemoryConnectionsApi } from '../support/fakes/memory-connections-api.js';
import { Client, fakeInvoke, sdk, start } from '../gateway/helpers.js';
import { connectionsApiContract, type ConnectionsApiSubject } from './connections-api.contract.js';

vi.setConfig({ testTimeout: 20_000 });

const REGION = 'eu-west-1';

connectionsApiContract('MemoryConnectionsApi', async () => {
  const timeoutMs = 50;
  const api = new MemoryConnectionsApi(timeoutMs);
  const read = new Map<string, number>();
  let serial = 0;
  const subject: ConnectionsApiSubject = {
    api,
    endpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com/test',
    timeoutMs,
    async connect() {
      serial += 1;
      const id = `conn${serial}=`;
      api.connect(id);
      return id;
    },
    async next(id) {
      const index = read.get(id) ?? 0;
      const frame = api.frames(id)[index];
      if (frame === undefined) throw new Error('no message arrived');
      read.set(id, index + 1);
      return frame;
    },
    quiet: async (id) => api.frames(id).length === (read.get(id) ?? 0),
    answer: (status) => api.inject(status === 429 ? 'throttled' : 'failed'),
    delay: (ms) => void (api.delayMs = ms),
    clearFaults: () => api.clearFaults(),
  };
  return subject;
});

connectionsApiContract('ConnectionsApi on the local gateway', async () => {
  const timeoutMs = 1000;
  const secret = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };
  const { gateway, url, connectionsUrl } = await start({ invoke: fakeInvoke().invoke, credentials: secret });
  const clients = { poster: () => new SignedPoster(connectionsUrl, REGION, async () => secret), connectionsApi: () => sdk(connectionsUrl) } as unknown as AwsClients;
  const sockets = new Map<string, Client>();
  const socket = (id: string): Client => {
    const client = sockets.get(id);
    if (!client) throw new Error(`no client for ${id}`);
    return client;
  };
  return {
    api: new ConnectionsApi(clients, timeoutMs),
    endpoint: connectionsUrl,
    timeoutMs,
    async connect() {
      const before = new Set(gateway.connections());
      const client = await Client.open(url);
      const id = gateway.connections().find((known) => !before.has(known));
      if (!id) throw new Error('the gateway did not list the new connection');
      sockets.set(id, client);
      return id;
    },
    next: (id) => socket(id).next(),
    quiet: (id) => socket(id).quiet(),
    answer: (status) => gateway.faults.set({ postStatus: { status, share: 1 } }),
    delay: (ms) => gateway.faults.set({ postDelayMs: ms }),
    clearFaults: () => gateway.faults.clear(),
  };
});
