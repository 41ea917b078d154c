/**
 * A message flood from one connection, end to end (with low limits set as parameters): the
 * flooder gets RATE_LIMITED error frames and, as it keeps on, is closed; other connections
 * keep subscribing, pinging and receiving as if nothing happened; the function logs say so
 * once, not once per frame.
 *
 * The flooder is a client in a tight loop: each frame goes as soon as the last one is
 * answered. A burst sent all at once is handled concurrently, as on AWS, by as many
 * instances as the function's concurrency allows, each with its own budget; what that does
 * is in docs/operations.md ("Frame rate per connection").
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cloudForFile, eventually, newConnectionId, published, Socket } from './support.js';

const RATE = 2;
const BURST = 10;
/** Far more frames than the limits let through, however slowly this machine answers them. */
const FLOOD = 400;

const lines: string[] = [];
const cloud = cloudForFile({
  parameterOverrides: { DeliveryMaxConcurrency: '2', ConnectionRateLimit: String(RATE), ConnectionBurstLimit: String(BURST) },
  functionLog: (fn, line) => lines.push(`[${fn}] ${line}`),
});

describe('a flood from one connection', () => {
  it('is refused with RATE_LIMITED and then closed, while the other connections are served', async () => {
    const calm = [await Socket.open(cloud()), await Socket.open(cloud())];
    for (const socket of calm) await socket.subscribe(['calm:1']);
    const before = cloud().servers.gateway!.gateway.connections();
    const flooder = await Socket.open(cloud());
    const flooderId = newConnectionId(cloud(), before);
    await flooder.subscribe(['calm:1']);

    const flood = (async () => {
      for (let i = 0; i < FLOOD && flooder.ws.readyState === WebSocket.OPEN; i += 1) {
        const from = flooder.frames.length;
        flooder.send({ action: 'ping' });
        const answered = flooder.waitFor((frame) => frame.type === 'pong' || frame.type === 'error', 'an answer to the flood', from);
        await Promise.race([answered.catch(() => undefined), flooder.closed]);
      }
    })();
    // The others, during the flood: each frame answered, no error.
    for (const [index, socket] of calm.entries()) {
      const from = socket.frames.length;
      socket.send({ action: 'ping' });
      await socket.waitFor((frame) => frame.type === 'pong', 'pong during the flood', from);
      await socket.subscribe([`calm:${index + 2}`]);
    }
    const { pos } = await published(cloud(), 'calm:1', { during: 'the flood' });

    const closed = await flooder.closed;
    await flood;
    expect(closed.code).toBe(1000);
    const refused = flooder.frames.filter((frame) => frame.type === 'error');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((frame) => frame.code === 'RATE_LIMITED' && frame.retryable === true && frame.details.retryAfterMs > 0)).toBe(true);
    const pongs = flooder.frames.filter((frame) => frame.type === 'pong').length;
    expect(pongs).toBeGreaterThanOrEqual(BURST);
    expect(pongs + refused.length).toBeLessThan(FLOOD);

    for (const socket of calm) {
      await socket.waitFor((frame) => frame.type === 'message' && frame.pos === pos, 'the message published during the flood');
      expect(socket.frames.filter((frame) => frame.type === 'error')).toEqual([]);
      expect(socket.frames.filter((frame) => frame.type === 'subscribed')).toHaveLength(2);
    }
    // One line when the flood starts and one when it is closed, not one per refused frame.
    const flooderLines = () => lines.filter((line) => line.includes(flooderId));
    await eventually(async () => flooderLines().some((line) => line.includes('flooding connection closed')), 'the close to be logged');
    const limited = flooderLines().filter((line) => line.includes('connection rate limited')).length;
    expect(limited).toBeGreaterThanOrEqual(1);
    expect(limited).toBeLessThan(refused.length / 10);
    expect(flooderLines().filter((line) => line.includes('RATE_LIMITED'))).toEqual([]);
    await Promise.all(calm.map((socket) => socket.close()));
  });
});
