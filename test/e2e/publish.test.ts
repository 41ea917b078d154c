import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { services } from './services.js';
import { cloudForFile, eventually, newConnectionId, publish, published, Socket } from './support.js';
import { POSITION, positionOf } from '../support/positions.js';

const cloud = cloudForFile();

describe('publishing over the HTTP API', () => {
  it('refuses an unsigned request with 403, as AWS_IAM does', async () => {
    const response = await publish(cloud(), 'lobby', { data: 1 }, { signed: false });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
  });

  it('answers a signed request with 202 and the position, and a repeated id with the same answer', async () => {
    const first = await published(cloud(), 'news', { n: 1 }, 'news-1');
    expect(first).toEqual({ room: 'news', id: 'news-1', pos: expect.stringMatching(POSITION) });
    expect(await published(cloud(), 'news', { n: 1 }, 'news-1')).toEqual(first);
  });
});

describe('subscribing and receiving', () => {
  it('gives a subscriber a snapshot of the latest messages, oldest first', async () => {
    for (const n of [1, 2, 3]) await published(cloud(), 'history:1', { n });
    const socket = await Socket.open(cloud());
    await socket.subscribe(['history:1'], { snapshot: 2 });
    const snapshot = await socket.waitFor((frame) => frame.type === 'snapshot', 'snapshot');
    expect(snapshot).toMatchObject({ room: 'history:1', complete: true });
    expect(snapshot.messages.map((message: { data: unknown }) => message.data)).toEqual([{ n: 2 }, { n: 3 }]);
    await socket.close();
  });

  it('delivers every message to many subscribers, each in publish order by position', async () => {
    // One after the other: concurrent handshakes would each cold-start another environment of the functions.
    const sockets: Socket[] = [];
    for (let i = 0; i < 8; i += 1) {
      const socket = await Socket.open(cloud());
      await socket.subscribe(['match:7']);
      sockets.push(socket);
    }
    const sent: string[] = [];
    for (let n = 0; n < 12; n += 1) sent.push((await published(cloud(), 'match:7', { n })).pos);
    expect([...sent].sort()).toEqual(sent);
    for (const socket of sockets) {
      await socket.waitFor(() => socket.messages('match:7').length >= sent.length, `${sent.length} messages`);
      const received = socket.messages('match:7');
      expect(received).toHaveLength(sent.length);
      expect(received.map((frame) => frame.pos).sort()).toEqual(sent);
      expect([...received].sort((a, b) => a.pos.localeCompare(b.pos)).map((frame) => frame.data.n)).toEqual([...sent.keys()]);
    }
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('stops delivering a room after unsubscribe', async () => {
    const leaving = await Socket.open(cloud());
    const staying = await Socket.open(cloud());
    await Promise.all([leaving.subscribe(['quiet']), staying.subscribe(['quiet'])]);
    leaving.send({ action: 'unsubscribe', rooms: ['quiet'] });
    expect(await leaving.waitFor((frame) => frame.type === 'unsubscribed', 'unsubscribed')).toEqual({ type: 'unsubscribed', rooms: ['quiet'] });
    await published(cloud(), 'quiet', { after: 'unsubscribe' });
    await staying.waitFor((frame) => frame.type === 'message', 'the message at the other subscriber');
    // Frames of one socket keep their order: a message posted before this pong would be here.
    const from = leaving.frames.length;
    leaving.send({ action: 'ping' });
    await leaving.waitFor((frame) => frame.type === 'pong', 'pong', from);
    expect(leaving.messages('quiet')).toEqual([]);
    await Promise.all([leaving.close(), staying.close()]);
  });

  it('removes the connection and its subscriptions when the socket closes ($disconnect)', async () => {
    const before = cloud().servers.gateway!.gateway.connections();
    const socket = await Socket.open(cloud());
    const id = newConnectionId(cloud(), before);
    await socket.subscribe(['cleanup:1', 'cleanup:2']);
    const { dynamo } = services(cloud());
    const table = cloud().info.outputs.ConnectionsTableName!;
    const connectionRow = async () => (await dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `conn#${id}` }, sk: { S: 'conn' } }, ConsistentRead: true }))).Item;
    const subscriptionRows = async (): Promise<number> => {
      let count = 0;
      for (const room of ['cleanup:1', 'cleanup:2']) {
        for (let shard = 0; shard < 4; shard += 1) {
          const { Items = [] } = await dynamo.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `room#${room}#${shard}` } }, ConsistentRead: true }));
          count += Items.filter((item) => item.sk?.S === id).length;
        }
      }
      return count;
    };
    expect(await connectionRow()).toBeDefined();
    expect(await subscriptionRows()).toBe(2);
    await socket.close();
    await eventually(async () => (await connectionRow()) === undefined && (await subscriptionRows()) === 0, 'the rows to be removed');
  });
});

describe('messages published in another region (global table replication)', () => {
  it("reach local subscribers through the table's stream; local ones are not fanned out twice", async () => {
    const socket = await Socket.open(cloud());
    await socket.subscribe(['world']);
    const local = await published(cloud(), 'world', { from: 'here' });
    await socket.waitFor((frame) => frame.type === 'message' && frame.id === local.id, 'the local message');
    // What replication writes into this region's replica: a message row with another origin.
    const pos = positionOf(1, 'eu-west-1', Date.now());
    const item = {
      pk: { S: 'world' },
      sk: { S: pos },
      seq: { N: '1' },
      opos: { S: 'eu-west-1.0000000000000001' },
      kind: { S: 'msg' },
      id: { S: 'from-eu' },
      ts: { N: String(Date.now()) },
      origin: { S: 'eu-west-1' },
      json: { S: JSON.stringify({ from: 'eu-west-1' }) },
      expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) },
    };
    await services(cloud()).dynamo.send(new PutItemCommand({ TableName: cloud().info.outputs.MessagesTableName!, Item: item }));
    const replicated = await socket.waitFor((frame) => frame.type === 'message' && frame.id === 'from-eu', 'the replicated message');
    expect(replicated).toMatchObject({ room: 'world', pos, data: { from: 'eu-west-1' } });
    // The stream reads a shard in order: the local message's record was filtered out before this one.
    expect(socket.messages('world').map((frame) => frame.id)).toEqual([local.id, 'from-eu']);
    await socket.close();
  });
});
