/**
 * subscribe (app/subscriptions.ts) on the in-memory ports: the snapshot frames it posts
 * when API Gateway throttles, when the connection is gone, and when history cannot be read.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { subscribe } from '@roomcast/core';
import type { SocketRequest } from '../../layers/core/src/app/socket-request.js';
import type { SubscribeRequest } from '../../layers/core/src/protocol/client-frames.js';
import { MemoryConnections } from '../support/fakes/memory-connections.js';
import { ENDPOINT, fakeApp, type FakeWorld } from '../support/fake-app.js';

const ID = 'c1=';
const request: SocketRequest = { routeKey: 'subscribe', connectionId: ID, body: undefined, headers: {}, query: {}, authorizer: undefined, connectionsEndpoint: ENDPOINT };
const frame = (rooms: string[]): SubscribeRequest => ({ action: 'subscribe', rooms, snapshot: 'default', since: {} });
const types = (frames: readonly string[]) => frames.map((text) => (JSON.parse(text) as { type: string }).type);

let world: FakeWorld;

beforeEach(async () => {
  world = fakeApp({ AUTH_MODE: 'none', POST_ATTEMPTS: '3' });
  world.app.connections = new MemoryConnections(2, 1000);
  await world.app.connections.put({ connectionId: ID, principal: 'anonymous', patterns: ['**'], connectedAt: 1, expiresAt: 2 });
  world.api.connect(ID);
  for (const [id, data] of [['m1', 1], ['m2', 2]] as const) {
    await world.messages.appendNew({ room: 'scores:1', id, ts: world.clock.now, origin: 'eu-west-1', data }, `token-${id}`, 0, false);
  }
});

describe('subscribe on the fakes', () => {
  it('posts the subscribed frame and the snapshot, in that order', async () => {
    await subscribe(world.app, request, frame(['scores:1']));
    expect(types(world.api.frames(ID))).toEqual(['subscribed', 'snapshot']);
    expect(JSON.parse(world.api.frames(ID)[1]!).messages.map((message: { id: string }) => message.id)).toEqual(['m1', 'm2']);
  });

  it('posts a throttled frame again after a pause, and loses none', async () => {
    world.api.inject('throttled', 2);
    await subscribe(world.app, request, frame(['scores:1']));
    expect(types(world.api.frames(ID))).toEqual(['subscribed', 'snapshot']);
    expect(world.slept).toHaveLength(2);
    expect(world.api.calls.map((call) => call.outcome)).toEqual(['throttled', 'throttled', 'delivered', 'delivered']);
  });

  it('gives up with a retryable INTERNAL error once the attempts are spent', async () => {
    world.api.inject('failed');
    await expect(subscribe(world.app, request, frame(['scores:1']))).rejects.toMatchObject({ code: 'INTERNAL', retryable: true });
    expect(world.api.calls).toHaveLength(3);
  });

  it('stops quietly when the connection is gone: no retry, no error', async () => {
    world.api.disconnect(ID);
    await expect(subscribe(world.app, request, frame(['scores:1']))).resolves.toBeUndefined();
    expect(world.api.calls.map((call) => call.outcome)).toEqual(['gone']);
    expect(world.slept).toEqual([]);
  });

  it('does not keep a failed history read: the next subscribe reads again and gets its snapshot', async () => {
    const latestPage = world.messages.latestPage.bind(world.messages);
    let failures = 1;
    world.messages.latestPage = async (room, limit) => {
      if (failures-- > 0) throw new Error('history is unavailable');
      return latestPage(room, limit);
    };
    await expect(subscribe(world.app, request, frame(['scores:1']))).rejects.toThrow('history is unavailable');
    await subscribe(world.app, request, frame(['scores:1']));
    expect(types(world.api.frames(ID))).toEqual(['subscribed', 'snapshot']);
    expect(JSON.parse(world.api.frames(ID)[1]!).messages).toHaveLength(2);
  });
});
