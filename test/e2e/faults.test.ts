import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { services } from './services.js';
import { cloudForFile, newConnectionId, PATIENCE_MS, published, Socket } from './support.js';

// Fewer attempts than the template's, so that a job reaches the DLQ in seconds.
const cloud = cloudForFile({ functionEnv: { DeliverFunction: { POST_ATTEMPTS: '1', DELIVERY_MAX_ATTEMPTS: '2' } } });

const control = async (method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<{ status: number; body: any }> => {
  const response = await fetch(`${cloud().info.controlUrl}/faults`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: await response.json() };
};

describe('fault injection through the control endpoint', () => {
  it('sets, shows and clears faults, and refuses malformed requests with 400', async () => {
    expect(await control('POST', { post: { status: 429, share: 0.5 }, postDelayMs: 20 })).toEqual({ status: 200, body: { post: { status: 429, share: 0.5 }, postDelayMs: 20 } });
    expect((await control('GET')).body).toEqual({ post: { status: 429, share: 0.5 }, postDelayMs: 20 });
    expect(await control('DELETE')).toEqual({ status: 200, body: {} });
    expect((await control('POST', { post: { status: 404 } })).status).toBe(400);
    expect((await control('POST', { failFunction: { name: 'NoSuchFunction' } })).status).toBe(400);
    expect((await control('POST', { explode: true })).status).toBe(400);
  });

  it("fails a function's next invocations", async () => {
    const socket = await Socket.open(cloud());
    expect((await control('POST', { failFunction: { name: 'default', count: 1 } })).status).toBe(200);
    socket.send({ action: 'ping' });
    expect(await socket.waitFor((frame) => 'message' in frame, 'the gateway error')).toMatchObject({ message: 'Internal server error' });
    socket.send({ action: 'ping' });
    await socket.waitFor((frame) => frame.type === 'pong', 'pong');
    await socket.close();
  });

  it('drops every socket abruptly', async () => {
    const socket = await Socket.open(cloud());
    await control('POST', { dropSockets: true });
    expect((await socket.closed).code).toBe(1006);
  });

  it('parks a delivery job in the DLQ after repeated PostToConnection failures', async () => {
    const before = cloud().servers.gateway!.gateway.connections();
    const socket = await Socket.open(cloud());
    const connectionId = newConnectionId(cloud(), before);
    await socket.subscribe(['doomed']);
    await control('POST', { post: { status: 500, share: 1 } });
    const message = await published(cloud(), 'doomed', { n: 1 });
    const { sqs } = services(cloud());
    const deadline = Date.now() + PATIENCE_MS;
    let body: string | undefined;
    while (!body && Date.now() < deadline) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud().info.outputs.DeliveryDlqUrl!, WaitTimeSeconds: 5 }));
      body = Messages[0]?.Body;
    }
    expect(body && JSON.parse(body)).toMatchObject({ room: 'doomed', id: message.id, pos: message.pos, connections: [connectionId], attempt: 2 });
    expect(socket.messages('doomed')).toEqual([]);
    await control('DELETE');
    await socket.close();
  });
});
