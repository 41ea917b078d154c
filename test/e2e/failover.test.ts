/**
 * Endpoint failover of the client SDK against the local cloud: the first endpoint refuses
 * every connection (nothing listens on its port, like a region that is down), so the client
 * moves to the second, the local cloud's gateway, subscribes there and receives both the
 * room's history and what is published afterwards.
 */
import { describe, expect, it } from 'vitest';
import { connect, type ClientState, type RoomcastClientError } from '../../client/sdk/node.js';
import { freePort } from '../support/ports.js';
import { cloudForFile, eventually, published } from './support.js';

const cloud = cloudForFile();

describe('client failover between endpoints', () => {
  it('moves from an endpoint that refuses connections to one that works, subscribes and receives', async () => {
    const { info } = cloud();
    const down = `ws://127.0.0.1:${await freePort()}/prod`;
    const before = await published(cloud(), 'failover', { n: 1 });
    const asked: string[] = [];
    const states: ClientState[] = [];
    const errors: RoomcastClientError[] = [];
    const moves: string[] = [];
    const got: { id: string; n: number }[] = [];
    const client = connect({
      url: [down, info.wsUrl],
      failoverAfter: 2,
      backoff: { baseMs: 50, capMs: 500 },
      getToken: ({ url }) => {
        asked.push(url);
        return info.token;
      },
    });
    client.on('state', (state) => states.push(state));
    client.on('error', (error) => errors.push(error));
    client.on('endpoint', (url) => moves.push(url));
    client.subscribe<{ n: number }>('failover', (message) => got.push({ id: message.id, n: message.data.n }), { snapshot: true });
    try {
      expect(client.endpoint).toBe(down);
      await eventually(async () => client.state === 'open', 'the client to open a socket');
      expect(client.endpoint).toBe(info.wsUrl);
      expect(moves).toEqual([info.wsUrl]);
      expect(asked).toEqual([down, down, info.wsUrl]);
      const after = await published(cloud(), 'failover', { n: 2 });
      await eventually(async () => got.length >= 2, 'both messages');
      expect(got).toEqual([
        { id: before.id, n: 1 },
        { id: after.id, n: 2 },
      ]);
      expect(errors).toEqual([]);
      expect(states).toEqual(['connecting', 'reconnecting', 'open']);
    } finally {
      client.close();
    }
  });
});
