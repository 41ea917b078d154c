/**
 * Occupancy over real sockets on the local cloud (the template's `occupancy` route): the
 * connections and distinct principals of a room, for a client its token allows to see the
 * room; the counts follow subscribes, unsubscribes and `$disconnect`, and a connection whose
 * `$disconnect` was lost is counted out when its row expires and the session sweep meets it.
 */
import { describe, expect, it } from 'vitest';
import { cloudForFile, eventually, loseDisconnect, newConnectionId, Socket } from './support.js';

const TTL_SECONDS = 3;
const SHORT_LIVED = { ConnectFunction: { CONNECTION_TTL_SECONDS: String(TTL_SECONDS) } };
const cloud = cloudForFile({ functionEnv: SHORT_LIVED });
const open_ = cloudForFile({ functionEnv: SHORT_LIVED, parameterOverrides: { DeliveryMaxConcurrency: '2', AuthMode: 'none' } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The schedule runs every minute: this run is the one it would make. */
async function sweep(target: typeof cloud): Promise<void> {
  await target().runtime.invoke('SessionSweepFunction', { 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} });
}

async function open(sub: string, rooms = ['occ:*']): Promise<Socket> {
  return Socket.open(cloud(), cloud().token({ sub, rooms }));
}

/** Asks `socket` for the rooms' occupancy; answers the frames (or the error frame). */
async function ask(socket: Socket, rooms: string[]): Promise<any[]> {
  const from = socket.frames.length;
  socket.send({ action: 'occupancy', rooms });
  const first = await socket.waitFor((frame) => frame.type === 'occupancy' || frame.type === 'error', `occupancy of ${rooms.join(',')}`, from);
  if (first.type === 'error') return [first];
  await socket.waitFor((frame) => frame.type === 'occupancy' && frame.room === rooms.at(-1), `occupancy of ${rooms.at(-1)}`, from);
  return socket.frames.slice(from).filter((frame) => frame.type === 'occupancy');
}

const counts = (frame: any) => ({ room: frame.room, connections: frame.connections, principals: frame.principals });

describe('the occupancy action', () => {
  it('counts connections and distinct principals, and follows subscribes, unsubscribes and $disconnect', async () => {
    const [ann1, ann2, bob] = [await open('ann'), await open('ann'), await open('bob')];
    await ann1.subscribe(['occ:a', 'occ:b']);
    await ann2.subscribe(['occ:a']);
    await bob.subscribe(['occ:a']);
    const watcher = await open('watcher');

    const answer = await ask(watcher, ['occ:a', 'occ:b', 'occ:empty']);
    expect(answer.map(counts)).toEqual([
      { room: 'occ:a', connections: 3, principals: 2 },
      { room: 'occ:b', connections: 1, principals: 1 },
      { room: 'occ:empty', connections: 0, principals: 0 },
    ]);
    expect(answer[0]).toMatchObject({ region: cloud().info.region, at: expect.any(Number) });

    ann1.send({ action: 'unsubscribe', rooms: ['occ:a'] });
    await ann1.waitFor((frame) => frame.type === 'unsubscribed', 'unsubscribed');
    expect((await ask(watcher, ['occ:a'])).map(counts)).toEqual([{ room: 'occ:a', connections: 2, principals: 2 }]);

    await bob.close();
    await eventually(async () => (await ask(watcher, ['occ:a']))[0].connections === 1, 'bob counted out after $disconnect');
    expect((await ask(watcher, ['occ:a'])).map(counts)).toEqual([{ room: 'occ:a', connections: 1, principals: 1 }]);
    await Promise.all([ann1.close(), ann2.close(), watcher.close()]);
  });

  it('refuses rooms the token does not allow, naming them, and the connection keeps its rooms', async () => {
    const carol = await open('carol', ['occ:open', 'occ:mine']);
    await carol.subscribe(['occ:mine']);
    const [refused] = await ask(carol, ['occ:open', 'occ:secret']);
    expect(refused).toMatchObject({ type: 'error', code: 'ROOM_FORBIDDEN', retryable: false, details: { rooms: ['occ:secret'] } });
    const [invalid] = await ask(carol, ['occ#bad']);
    expect(invalid).toMatchObject({ type: 'error', code: 'INVALID_ROOM' });
    expect((await ask(carol, ['occ:mine'])).map(counts)).toEqual([{ room: 'occ:mine', connections: 1, principals: 1 }]);
    await carol.close();
  });

  it('counts out a connection whose $disconnect was lost once its row expires and the session sweep runs', async () => {
    const before = cloud().servers.gateway!.gateway.connections();
    const dan = await open('dan');
    const id = newConnectionId(cloud(), before);
    await dan.subscribe(['occ:lost']);
    const watcher = await open('watcher');
    expect((await ask(watcher, ['occ:lost'])).map(counts)).toEqual([{ room: 'occ:lost', connections: 1, principals: 1 }]);

    await loseDisconnect(cloud(), { socket: dan, id });
    expect((await ask(watcher, ['occ:lost']))[0].connections).toBe(1); // nothing counted it out yet

    await sleep((TTL_SECONDS + 1) * 1000);
    await sweep(cloud);
    // Every connection of this cloud expires within seconds: the watcher was swept too.
    const after = await open('watcher');
    expect((await ask(after, ['occ:lost'])).map(counts)).toEqual([{ room: 'occ:lost', connections: 0, principals: 0 }]);
    await Promise.all([watcher.closed, after.close()]);
  });
});

describe('the occupancy action without tokens (AuthMode none)', () => {
  it('counts each connection as a principal of its own, and the sweep counts out one whose $disconnect was lost', async () => {
    const before = open_().servers.gateway!.gateway.connections();
    const lost = await Socket.open(open_(), undefined);
    const id = newConnectionId(open_(), before);
    const other = await Socket.open(open_(), undefined);
    await lost.subscribe(['anon:a']);
    await other.subscribe(['anon:a']);
    expect((await ask(other, ['anon:a'])).map(counts)).toEqual([{ room: 'anon:a', connections: 2, principals: 2 }]);

    await loseDisconnect(open_(), { socket: lost, id });
    await sleep((TTL_SECONDS + 1) * 1000);
    await sweep(open_);
    // The sweep removes the lost one itself; the other, also past its end, goes by its $disconnect.
    const after = await Socket.open(open_(), undefined);
    await eventually(async () => (await ask(after, ['anon:a']))[0].connections === 0, 'both counted out');
    expect((await ask(after, ['anon:a'])).map(counts)).toEqual([{ room: 'anon:a', connections: 0, principals: 0 }]);
    await Promise.all([other.closed, after.close()]);
  });
});
