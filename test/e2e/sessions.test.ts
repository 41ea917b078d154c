/**
 * Sessions that end with their token, over real sockets on the local cloud (the gateway's
 * authorizer context, the template's refresh route and session sweep): a 3 s token then a
 * subscribe after exp + grace answers TOKEN_EXPIRED and gets no message; a refresh renews
 * the session in place, one with fewer rooms leaves the others; the sweep closes a
 * session that was never renewed.
 */
import { describe, expect, it } from 'vitest';
import { cloudForFile, publish, Socket } from './support.js';

const GRACE = 1;
const cloud = cloudForFile({ parameterOverrides: { DeliveryMaxConcurrency: '2', TokenExpiryGraceSeconds: String(GRACE) } });

const expOf = (token: string): number => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Until the session of `token` has ended: its exp plus the grace, and a little more. */
const pastEnd = (token: string) => sleep(Math.max(0, (expOf(token) + GRACE) * 1000 - Date.now() + 300));

async function delivered(socket: Socket, room: string, id: string): Promise<void> {
  await socket.waitFor((frame) => frame.type === 'message' && frame.room === room && frame.id === id, `message ${id}`);
}

describe('a session whose token expired', () => {
  it('answers TOKEN_EXPIRED and gets nothing; refresh renews it in place; fewer rooms leave the others', async () => {
    const short = cloud().token({ sub: 'alice', rooms: ['sess:*'], ttlSeconds: 3 });
    const alice = await Socket.open(cloud(), short);
    const bob = await Socket.open(cloud(), cloud().token({ sub: 'bob', rooms: ['sess:*'] }));
    await alice.subscribe(['sess:a', 'sess:b']);
    await bob.subscribe(['sess:a']);
    await pastEnd(short);

    let from = alice.frames.length;
    alice.send({ action: 'subscribe', rooms: ['sess:c'] });
    expect(await alice.waitFor((frame) => frame.type === 'error', 'TOKEN_EXPIRED', from)).toMatchObject({ code: 'TOKEN_EXPIRED', retryable: true });
    expect((await publish(cloud(), 'sess:a', { id: 'after-expiry', data: 1 })).status).toBe(202);
    await delivered(bob, 'sess:a', 'after-expiry');
    await sleep(500);
    expect(alice.messages('sess:a')).toEqual([]);

    from = alice.frames.length;
    alice.send({ action: 'refresh', token: cloud().token({ sub: 'alice', rooms: ['sess:a'] }) });
    const refreshed = await alice.waitFor((frame) => frame.type === 'refreshed', 'refreshed', from);
    expect(refreshed.expiresAt).toBeGreaterThan(Date.now() + 3_600_000);
    expect(alice.frames.slice(from).find((frame) => frame.type === 'unsubscribed')).toEqual({
      type: 'unsubscribed',
      rooms: ['sess:b'],
      reason: 'ROOM_FORBIDDEN',
      message: 'the new token does not grant these rooms',
    });
    expect((await publish(cloud(), 'sess:a', { id: 'after-refresh', data: 2 })).status).toBe(202);
    await delivered(alice, 'sess:a', 'after-refresh');
    from = alice.frames.length;
    alice.send({ action: 'ping' });
    await alice.waitFor((frame) => frame.type === 'pong', 'pong', from);
    await Promise.all([alice.close(), bob.close()]);
  });

  it('refuses a refresh with a token of another principal, and the session still ends', async () => {
    const short = cloud().token({ sub: 'carol', rooms: ['sess:*'], ttlSeconds: 3 });
    const carol = await Socket.open(cloud(), short);
    carol.send({ action: 'refresh', token: cloud().token({ sub: 'mallory', rooms: ['sess:*'] }) });
    expect(await carol.waitFor((frame) => frame.type === 'error', 'refusal')).toMatchObject({ code: 'UNAUTHORIZED' });
    await carol.close();
  });

  it('is closed by the session sweep; a renewed one is not', async () => {
    const short = cloud().token({ sub: 'dave', rooms: ['sess:*'], ttlSeconds: 3 });
    const dave = await Socket.open(cloud(), short);
    const erin = await Socket.open(cloud(), cloud().token({ sub: 'erin', rooms: ['sess:*'], ttlSeconds: 3 }));
    erin.send({ action: 'refresh', token: cloud().token({ sub: 'erin', rooms: ['sess:*'] }) });
    await erin.waitFor((frame) => frame.type === 'refreshed', 'refreshed');
    await pastEnd(short);
    // The schedule runs every minute: this run is the one it would make.
    await cloud().runtime.invoke('SessionSweepFunction', { 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} });
    const closed = await Promise.race([dave.closed, sleep(10_000).then(() => 'still open')]);
    expect(closed).not.toBe('still open');
    expect(erin.ws.readyState).toBe(erin.ws.OPEN);
    await erin.close();
  });
});
