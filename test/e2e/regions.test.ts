/** Two regions on one machine: their own endpoints, tables and functions; the messages table replicated between them. */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { readyLine, type RegionCloud } from '../../local/cloud.js';
import { services } from './services.js';
import { cloudForFile, eventually, handshake, published, Socket } from './support.js';

const cloud = cloudForFile({ regions: ['eu-west-1', 'us-east-1'] });
const HOLD_MS = 3_600_000;

function regions(): [RegionCloud, RegionCloud] {
  const [eu, us] = cloud().regions;
  return [eu!, us!];
}

function tableName(region: RegionCloud, logicalId: string): string {
  const table = region.model.tables.find((item) => item.logicalId === logicalId);
  if (!table) throw new Error(`no table ${logicalId}`);
  return table.name;
}

/** The message with this id in the region's own messages table, if it is there. */
async function storedMessage(region: RegionCloud, id: string): Promise<Record<string, AttributeValue> | undefined> {
  const { Items } = await services(region).dynamo.send(
    new ScanCommand({
      TableName: tableName(region, 'MessagesTable'),
      FilterExpression: '#id = :id AND #kind = :msg',
      ExpressionAttributeNames: { '#id': 'id', '#kind': 'kind' },
      ExpressionAttributeValues: { ':id': { S: id }, ':msg': { S: 'msg' } },
      ConsistentRead: true,
    }),
  );
  return Items?.[0];
}

function faults(region: RegionCloud, method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<unknown> {
  const init = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  return fetch(`${region.info.controlUrl}/faults`, init).then((response) => response.json());
}

describe('two regions on one machine', () => {
  it('gives each region its own endpoints and tables, and the ready line every region', () => {
    const [eu, us] = regions();
    expect([eu.info.region, us.info.region]).toEqual(['eu-west-1', 'us-east-1']);
    for (const field of ['wsUrl', 'publishUrl', 'consoleUrl'] as const) expect(eu.info[field]).not.toBe(us.info[field]);
    expect(tableName(eu, 'MessagesTable')).toContain('eu-west-1');
    expect(tableName(us, 'MessagesTable')).toContain('us-east-1');
    expect(cloud().info).toBe(eu.info);
    expect(cloud().replication).toBeDefined();
    const ready = JSON.parse(readyLine(cloud().info, [eu.info, us.info]).slice('ready '.length));
    expect(ready).toMatchObject({ region: 'eu-west-1', wsUrl: eu.info.wsUrl, regions: [{ region: 'eu-west-1', wsUrl: eu.info.wsUrl }, { region: 'us-east-1', wsUrl: us.info.wsUrl }] });
  });

  it("stores a message published in one region in the other region's table, and delivers it to that region's subscribers", async () => {
    const [eu, us] = regions();
    const socket = await Socket.open(us);
    await socket.subscribe(['world:1']);
    const sent = await published(eu, 'world:1', { from: 'eu' });
    const frame = await socket.waitFor((item) => item.type === 'message' && item.id === sent.id, 'the message published in eu-west-1');
    expect(frame).toMatchObject({ room: 'world:1', data: { from: 'eu' } });
    expect((await storedMessage(us, sent.id))?.origin).toEqual({ S: 'eu-west-1' });
    expect((await storedMessage(eu, sent.id))?.origin).toEqual({ S: 'eu-west-1' });
    await socket.close();
  });

  it("stops one region's gateway: its sockets dropped, connections refused until cleared; the other region serves on", async () => {
    const [eu, us] = regions();
    const socket = await Socket.open(eu);
    expect(await faults(eu, 'POST', { down: true })).toEqual({ down: true });
    expect((await socket.closed).code).toBe(1006);
    expect(await handshake(`${eu.info.wsUrl}?token=${eu.info.token}`)).toBe(503);
    expect(await handshake(`${us.info.wsUrl}?token=${us.info.token}`)).toBe('open');
    expect(await faults(us, 'GET')).toEqual({});
    expect(await faults(eu, 'DELETE')).toEqual({});
    expect(await handshake(`${eu.info.wsUrl}?token=${eu.info.token}`)).toBe('open');
  });

  it("holds one region's replication through its control endpoint", async () => {
    const [eu, us] = regions();
    expect(await faults(eu, 'POST', { replicationDelayMs: HOLD_MS })).toEqual({ replicationDelayMs: HOLD_MS });
    expect(cloud().replication?.delays.of('eu-west-1')).toBe(HOLD_MS);
    const held = await published(eu, 'held:1', { from: 'eu' });
    const free = await published(us, 'free:1', { from: 'us' });
    await eventually(async () => (await storedMessage(eu, free.id)) !== undefined, "us-east-1's message in eu-west-1");
    expect(await storedMessage(us, held.id)).toBeUndefined();
    expect(await faults(eu, 'DELETE')).toEqual({});
    await eventually(async () => (await storedMessage(us, held.id)) !== undefined, "eu-west-1's message in us-east-1, once released");
  });
});
