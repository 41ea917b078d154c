import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { describe, expect, it } from 'vitest';
import { signToken } from '../../local/cloud.js';
import { cloudForFile, eventually, handshake, newConnectionId, Socket } from './support.js';

const cloud = cloudForFile();

describe('connecting through the gateway to the real authorizer and $connect', () => {
  it('refuses a handshake without a token, or with a forged or expired one, with 401', async () => {
    expect(await handshake(cloud().info.wsUrl)).toBe(401);
    const forged = signToken('not-the-local-secret', { sub: 'dev', rooms: ['*'], issuer: 'roomcast-local', audience: 'roomcast' }).token;
    expect(await handshake(`${cloud().info.wsUrl}?token=${forged}`)).toBe(401);
    const expired = cloud().token({ sub: 'dev', rooms: ['*'], ttlSeconds: -60 });
    expect(await handshake(`${cloud().info.wsUrl}?token=${expired}`)).toBe(401);
  });

  it('accepts the dev token and answers frames on the socket', async () => {
    const socket = await Socket.open(cloud());
    socket.send({ action: 'ping' });
    expect(await socket.waitFor((frame) => frame.type === 'pong', 'pong')).toEqual({ type: 'pong' });
    socket.send({ action: 'dance' });
    expect(await socket.waitFor((frame) => frame.type === 'error', 'error frame')).toMatchObject({ code: 'UNKNOWN_ACTION', retryable: false });
    await socket.close();
  });

  it('fails the handshake when the client offers a subprotocol that $connect does not select', async () => {
    await expect(Socket.open(cloud(), cloud().info.token, ['roomcast.v1'])).rejects.toThrow(/subprotocol/i);
  });

  it("passes the authorizer's context to later routes: rooms outside the token are ROOM_FORBIDDEN", async () => {
    const socket = await Socket.open(cloud(), cloud().token({ sub: 'alice', rooms: ['scores:*'] }));
    await socket.subscribe(['admin:1']);
    expect(socket.frames.at(-1)).toMatchObject({ type: 'error', code: 'ROOM_FORBIDDEN', retryable: false });
    await socket.subscribe(['scores:1']);
    expect(socket.frames.at(-1)).toEqual({ type: 'subscribed', rooms: ['scores:1'] });
    await socket.close();
  });

  it('closes with 1009 when a frame is over 32 KB', async () => {
    const socket = await Socket.open(cloud());
    socket.send({ action: 'ping', padding: 'x'.repeat(33 * 1024) });
    expect((await socket.closed).code).toBe(1009);
  });
});

describe('the @connections API with the real SDK', () => {
  const sdk = (): ApiGatewayManagementApiClient =>
    new ApiGatewayManagementApiClient({
      endpoint: cloud().info.connectionsUrl,
      region: cloud().info.region,
      credentials: { accessKeyId: cloud().info.accessKeyId, secretAccessKey: cloud().info.secretAccessKey },
      maxAttempts: 1,
    });

  it('posts to an open socket, and throws GoneException for an unknown or closed connection', async () => {
    const client = sdk();
    const before = cloud().servers.gateway!.gateway.connections();
    const socket = await Socket.open(cloud());
    const id = newConnectionId(cloud(), before);
    await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: JSON.stringify({ type: 'hello' }) }));
    await socket.waitFor((frame) => frame.type === 'hello', 'posted frame');

    await expect(client.send(new PostToConnectionCommand({ ConnectionId: 'Tm90QUNvbm4xMjM=', Data: '{}' }))).rejects.toBeInstanceOf(GoneException);
    await socket.close();
    await eventually(async () => !cloud().servers.gateway!.gateway.connections().includes(id), 'the connection to go');
    await expect(client.send(new PostToConnectionCommand({ ConnectionId: id, Data: '{}' }))).rejects.toBeInstanceOf(GoneException);
    client.destroy();
  });
});
