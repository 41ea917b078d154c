import { describe, expect, it } from 'vitest';
import { flush } from './fakes.js';
import { answer, setup } from './setup.js';

const occupancy = (room: string, connections: number, principals: number) => ({ type: 'occupancy', room, connections, principals, region: 'eu-west-1', at: 1 });

describe('occupancy', () => {
  it('asks once for a room however many wait, and answers them all from its frame', async () => {
    const { client, socket } = await setup();
    const [first, second, other] = [client.occupancy('a'), client.occupancy('a'), client.occupancy('b')];
    socket().open();
    expect(socket().frames('occupancy')).toEqual([{ action: 'occupancy', rooms: ['a', 'b'] }]);
    socket().receive(occupancy('b', 1, 1));
    socket().receive(occupancy('a', 3, 2));
    expect(await first).toEqual({ room: 'a', connections: 3, principals: 2, region: 'eu-west-1', at: 1 });
    expect(await second).toMatchObject({ room: 'a', connections: 3 });
    expect(await other).toMatchObject({ room: 'b', connections: 1, principals: 1 });
  });

  it('waits for a subscribe in flight, so that an error frame answers the request it belongs to', async () => {
    const { client, socket, collect } = await setup();
    socket().open();
    collect('a');
    const asked = client.occupancy('secret');
    expect(socket().frames('occupancy')).toEqual([]);
    answer(socket(), ['a']);
    expect(socket().frames('occupancy')).toEqual([{ action: 'occupancy', rooms: ['secret'] }]);
    socket().receive({ type: 'error', code: 'ROOM_FORBIDDEN', message: 'not allowed', retryable: false, details: { rooms: ['secret'] } });
    await expect(asked).rejects.toMatchObject({ code: 'ROOM_FORBIDDEN', room: 'secret' });
  });

  it('fails only the rooms an error names, and asks the others again', async () => {
    const { client, socket } = await setup();
    const [open, secret] = [client.occupancy('open'), client.occupancy('secret')];
    socket().open();
    socket().receive({ type: 'error', code: 'ROOM_FORBIDDEN', message: 'not allowed', retryable: false, details: { rooms: ['secret'] } });
    await expect(secret).rejects.toMatchObject({ code: 'ROOM_FORBIDDEN' });
    expect(socket().frames('occupancy')).toEqual([{ action: 'occupancy', rooms: ['open', 'secret'] }, { action: 'occupancy', rooms: ['open'] }]);
    socket().receive(occupancy('open', 2, 2));
    expect(await open).toMatchObject({ connections: 2 });
  });

  it('asks again on the next socket when the one it went out on is lost, and after a retryable error', async () => {
    const { client, socket, clock } = await setup();
    socket().open();
    const asked = client.occupancy('a');
    const lost = socket();
    lost.drop();
    await clock.advance(2_000);
    await flush();
    expect(socket()).not.toBe(lost);
    socket().open();
    expect(socket().frames('occupancy')).toEqual([{ action: 'occupancy', rooms: ['a'] }]);
    socket().receive({ type: 'error', code: 'THROTTLED', message: 'busy', retryable: true });
    await clock.advance(2_000);
    expect(socket().frames('occupancy')).toEqual([{ action: 'occupancy', rooms: ['a'] }, { action: 'occupancy', rooms: ['a'] }]);
    socket().receive(occupancy('a', 1, 1));
    expect(await asked).toMatchObject({ connections: 1 });
  });

  it('fails what waits when the client closes, and what is asked after', async () => {
    const { client, socket } = await setup();
    const closing = client.occupancy('b');
    client.close();
    await expect(closing).rejects.toMatchObject({ code: 'CLOSED', room: 'b' });
    await expect(client.occupancy('c')).rejects.toMatchObject({ code: 'CLOSED', room: 'c' });
    expect(socket().frames('occupancy')).toEqual([]);
  });

  it('asks again on a fresh socket when the server does not answer within the request timeout', async () => {
    const { client, socket, clock } = await setup({ requestTimeoutMs: 5_000 });
    socket().open();
    const asked = client.occupancy('a');
    const silent = socket();
    await clock.advance(5_000);
    await clock.advance(2_000);
    await flush();
    expect(socket()).not.toBe(silent);
    socket().open();
    expect(socket().frames('occupancy')).toEqual([{ action: 'occupancy', rooms: ['a'] }]);
    socket().receive(occupancy('a', 4, 3));
    expect(await asked).toMatchObject({ connections: 4, principals: 3 });
  });
});
