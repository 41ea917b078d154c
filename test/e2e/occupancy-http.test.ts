/**
 * Room occupancy over the signed HTTP API, on a local cloud started in this file: real
 * sockets of two principals subscribe and leave, and `GET /rooms/{room}`, `POST /occupancy`,
 * the publisher client and `roomcast occupancy` count them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher } from '../../client/publisher/index.js';
import type { LocalCloud } from '../../local/cloud.js';
import { signedFetch } from '../../local/http-api/index.js';
import { freePorts, runCli } from '../cli/cli-process.js';
import { eventually, Socket, startCloud } from './support.js';

let cloud: LocalCloud | undefined;
let port = 0;
const sockets: Socket[] = [];

beforeAll(async () => {
  // `roomcast occupancy --local-port N` finds the cloud by its first port (the console is N+2).
  port = await freePorts(3);
  cloud = await startCloud({ port });
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await cloud?.stop();
});

const ROOM = `occ:${process.pid}:match`;
const SIDE = `occ:${process.pid}:side`;
const EMPTY = `occ:${process.pid}:empty`;

interface Answer {
  status: number;
  body: any;
}

/** A request to the publish API, signed with the local credentials (or not). */
async function call(method: 'GET' | 'POST', path: string, body?: unknown, { signed = true } = {}): Promise<Answer> {
  const { publishUrl, accessKeyId, secretAccessKey, region } = cloud!.info;
  const init: RequestInit = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) };
  const url = `${publishUrl}${path}`;
  const response = signed ? await signedFetch(url, init, { region, credentials: { accessKeyId, secretAccessKey } }) : await fetch(url, init);
  return { status: response.status, body: await response.json() };
}

const occupancy = (room: string): Promise<Answer> => call('GET', `/rooms/${encodeURIComponent(room)}`);
const counts = async (room: string): Promise<[number, number]> => {
  const { status, body } = await occupancy(room);
  expect(status).toBe(200);
  return [body.connections, body.principals];
};

async function open(sub: string, rooms: string[]): Promise<Socket> {
  const socket = await Socket.open(cloud!, cloud!.token({ sub, rooms: ['occ:**'] }));
  sockets.push(socket);
  await socket.subscribe(rooms);
  expect(socket.frames).toContainEqual({ type: 'subscribed', rooms });
  return socket;
}

async function close(socket: Socket): Promise<void> {
  sockets.splice(sockets.indexOf(socket), 1);
  await socket.close();
}

describe('room occupancy over the HTTP API', () => {
  let alice: Socket;
  let aliceAgain: Socket;
  let bob: Socket;

  it('answers 0 and 0 for a room nobody joined, in the region that read it', async () => {
    const before = Date.now();
    const { status, body } = await occupancy(EMPTY);
    expect(status).toBe(200);
    const region = cloud!.info.region;
    expect(body).toEqual({ room: EMPTY, connections: 0, principals: 0, regions: { [region]: { connections: 0, principals: 0, at: expect.any(Number) } } });
    expect(body.regions[region].at).toBeGreaterThanOrEqual(before);
    expect(body.regions[region].at).toBeLessThanOrEqual(Date.now());
  });

  it('counts every connection and each principal once: two of alice, one of bob', async () => {
    // One after the other: concurrent handshakes would each cold-start another function environment.
    alice = await open('alice', [ROOM, SIDE]);
    aliceAgain = await open('alice', [ROOM]);
    bob = await open('bob', [ROOM]);
    const { body } = await occupancy(ROOM);
    expect(body).toEqual({ room: ROOM, connections: 3, principals: 2, regions: { [cloud!.info.region]: { connections: 3, principals: 2, at: expect.any(Number) } } });
    expect(await counts(SIDE)).toEqual([1, 1]);
  });

  it('answers POST /occupancy for several rooms, in the order asked', async () => {
    const { status, body } = await call('POST', '/occupancy', { rooms: [SIDE, EMPTY, ROOM] });
    expect(status).toBe(200);
    expect(body.rooms.map((room: any) => [room.room, room.connections, room.principals])).toEqual([
      [SIDE, 1, 1],
      [EMPTY, 0, 0],
      [ROOM, 3, 2],
    ]);
    for (const room of body.rooms) expect(room.regions[cloud!.info.region]).toEqual({ connections: room.connections, principals: room.principals, at: expect.any(Number) });
  });

  it('reads the same through the publisher client and roomcast occupancy', async () => {
    const { publishUrl, region, accessKeyId, secretAccessKey } = cloud!.info;
    const publisher = createPublisher({ endpoint: publishUrl, region, credentials: { accessKeyId, secretAccessKey } });
    expect(await publisher.occupancy(ROOM)).toMatchObject({ room: ROOM, connections: 3, principals: 2 });
    const some = await publisher.occupancyOf([ROOM, SIDE, ROOM]);
    expect(some.map((room) => [room.room, room.connections, room.principals])).toEqual([
      [ROOM, 3, 2],
      [SIDE, 1, 1],
      [ROOM, 3, 2],
    ]);

    const cli = await runCli(['occupancy', ROOM, SIDE, '--local-port', String(port)]);
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = cli.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { room: ROOM, connections: 3, principals: 2, regions: { [region]: { connections: 3, principals: 2, at: expect.any(Number) } } },
      { room: SIDE, connections: 1, principals: 1, regions: { [region]: { connections: 1, principals: 1, at: expect.any(Number) } } },
    ]);
    const one = await runCli(['occupancy', EMPTY, '--local-port', String(port)]);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ room: EMPTY, connections: 0, principals: 0 });
  });

  it('counts down as connections unsubscribe and close ($disconnect)', async () => {
    const from = aliceAgain.frames.length;
    aliceAgain.send({ action: 'unsubscribe', rooms: [ROOM] });
    await aliceAgain.waitFor((frame) => frame.type === 'unsubscribed', 'unsubscribed', from);
    // Alice still has a connection in the room: one connection fewer, the same principals.
    expect(await counts(ROOM)).toEqual([2, 2]);

    await close(bob);
    await eventually(async () => (await counts(ROOM))[0] === 1, "bob's $disconnect");
    expect(await counts(ROOM)).toEqual([1, 1]);

    await close(alice);
    await eventually(async () => (await counts(ROOM))[0] === 0 && (await counts(SIDE))[0] === 0, "alice's $disconnect");
    expect(await counts(ROOM)).toEqual([0, 0]);
    expect(await counts(SIDE)).toEqual([0, 0]);
  });

  it('refuses bad room names, bad bodies, too many rooms and unsigned requests', async () => {
    const refused = (answer: Answer) => [answer.status, answer.body.error?.code ?? answer.body.message];
    expect(refused(await occupancy('bad room'))).toEqual([400, 'INVALID_ROOM']);
    expect(refused(await occupancy('roomcast.canary'))).toEqual([400, 'INVALID_ROOM']);
    expect(refused(await call('POST', '/occupancy', { rooms: [ROOM, 'bad room'] }))).toEqual([400, 'INVALID_ROOM']);
    expect(refused(await call('POST', '/occupancy', 'not json'))).toEqual([400, 'INVALID_MESSAGE']);
    expect(refused(await call('POST', '/occupancy', { rooms: [] }))).toEqual([400, 'INVALID_MESSAGE']);
    expect(refused(await call('POST', '/occupancy', { rooms: [ROOM, 7] }))).toEqual([400, 'INVALID_MESSAGE']);
    expect(refused(await call('POST', '/occupancy', { rooms: Array.from({ length: 51 }, (_, n) => `occ:${n}`) }))).toEqual([400, 'TOO_MANY_ROOMS']);
    expect(refused(await call('GET', `/rooms/${ROOM}`, undefined, { signed: false }))).toEqual([403, 'Forbidden']);

    const cli = await runCli(['occupancy', ROOM, 'bad room', '--local-port', String(port)]);
    expect(cli).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^roomcast occupancy: "bad room": a room name uses only .* \(roomcast occupancy --help\)\n$/) });
  });
});
