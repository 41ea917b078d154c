/**
 * Connections whose `$disconnect` was lost (API Gateway only promises it on a best-effort
 * basis) do not stay: the next message for one answers 410 and the deliver function removes
 * it, and one that gets nothing expires by TTL. Either way its subscription rows go with it.
 * The connections' TTL is shortened to seconds here, and the TTL sweeper runs when asked.
 */
import { describe, expect, it } from 'vitest';
import { connectionRows } from '../../reliability/connections-table.js';
import { services } from './services.js';
import { cloudForFile, eventually, loseDisconnect, newConnectionId, published, Socket } from './support.js';

const TTL_SECONDS = 2;
const cloud = cloudForFile({ ttlIntervalMs: 0, functionEnv: { ConnectFunction: { CONNECTION_TTL_SECONDS: String(TTL_SECONDS) } } });

const rowsOf = (connectionId: string) => connectionRows(services(cloud()).dynamo, cloud().info.outputs.ConnectionsTableName!, connectionId);

/** Opens a socket subscribed to `rooms`; answers it with its connection id. */
async function subscribed(rooms: string[]): Promise<{ socket: Socket; id: string }> {
  const before = cloud().servers.gateway!.gateway.connections();
  const socket = await Socket.open(cloud());
  const id = newConnectionId(cloud(), before);
  await socket.subscribe(rooms);
  return { socket, id };
}

async function sweep(body: unknown): Promise<any> {
  const response = await fetch(`${cloud().info.controlUrl}/ttl`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response.json();
}

describe('connections whose $disconnect was lost', () => {
  it('are removed, subscriptions and all, when a message for them answers 410', async () => {
    const stale = await subscribed(['news', 'quiet']);
    const live = await subscribed(['news']);
    expect((await rowsOf(stale.id)).map((row) => row.pk).sort()).toEqual([`conn#${stale.id}`, expect.stringMatching(/^room#news#/), expect.stringMatching(/^room#quiet#/)]);
    const goneBefore = cloud().metrics.snapshot().counts.Gone ?? 0;

    await loseDisconnect(cloud(), stale);
    expect(await rowsOf(stale.id)).toHaveLength(3); // nothing removed them

    await published(cloud(), 'news', { n: 1 });
    await live.socket.waitFor((frame) => frame.type === 'message' && frame.room === 'news', 'the message');
    await eventually(async () => (await rowsOf(stale.id)).length === 0, 'the stale connection removed');
    await eventually(async () => (cloud().metrics.snapshot().counts.Gone ?? 0) > goneBefore, 'the 410 counted');
    await live.socket.close();
  });

  it('expire by TTL, subscriptions and all, when no message comes for them', async () => {
    const stale = await subscribed(['quiet-1', 'quiet-2']);
    await loseDisconnect(cloud(), stale);
    const rows = await rowsOf(stale.id);
    expect(rows).toHaveLength(3);
    const expiresAt = rows.find((row) => row.sk === 'conn')!.expiresAt!;
    // The subscription rows carry the connection's TTL.
    expect(rows.map((row) => row.expiresAt)).toEqual([expiresAt, expiresAt, expiresAt]);

    // At its expiry time it is not yet expired (DynamoDB deletes items whose time is past).
    await sweep({ at: expiresAt });
    expect(await rowsOf(stale.id)).toHaveLength(3);

    await eventually(async () => Date.now() / 1000 > expiresAt, 'the expiry time to pass', (TTL_SECONDS + 5) * 1000);
    const swept = await sweep({});
    expect(swept.tables[cloud().info.outputs.ConnectionsTableName!].deleted).toBeGreaterThanOrEqual(3);
    expect(await rowsOf(stale.id)).toEqual([]);
  });

  it('answer the TTL sweeper stats on GET', async () => {
    const response = await fetch(`${cloud().info.controlUrl}/ttl`);
    expect(await response.json()).toMatchObject({ intervalMs: 0, tables: expect.arrayContaining([cloud().info.outputs.ConnectionsTableName]), failures: 0 });
    expect((await fetch(`${cloud().info.controlUrl}/ttl`, { method: 'POST', body: '{"at":"soon"}' })).status).toBe(400);
  });
});
