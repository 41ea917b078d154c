/**
 * What a subscribe frame may make the subscribe function read (app/subscriptions.ts,
 * app/snapshot-cache.ts, app/resume.ts), on the in-memory messages store, whose read units
 * follow the items' sizes as DynamoDB's do: only origins the room has, history beyond the
 * snapshot windows within one frame's allowance, paid from the connection's frame budget,
 * and a snapshot cache bounded in bytes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { history, subscribe, unsubscribe } from '@roomcast/core';
import type { Connection, ConnectionsPort } from '../../layers/core/src/app/ports.js';
import { admitFrame } from '../../layers/core/src/app/frame-limit.js';
import { SnapshotCache } from '../../layers/core/src/app/snapshot-cache.js';
import type { SocketRequest } from '../../layers/core/src/app/socket-request.js';
import { encodePosition } from '../../layers/core/src/model/positions.js';
import { FRAME_READ_UNITS, READ_UNIT_BYTES } from '../../layers/core/src/model/read-budget.js';
import type { SubscribeRequest } from '../../layers/core/src/protocol/client-frames.js';
import { ENDPOINT, fakeApp, type FakeWorld } from '../support/fake-app.js';

const ID = 'c1=';
const HERE = 'eu-west-1';
const request: SocketRequest = { routeKey: 'subscribe', connectionId: ID, body: undefined, headers: {}, query: {}, authorizer: undefined, connectionsEndpoint: ENDPOINT };
const since = (cursors: Record<string, string>): SubscribeRequest => ({ action: 'subscribe', rooms: Object.keys(cursors), snapshot: 0, since: cursors });
const zero = (origin: string) => `${'0'.repeat(16)}.${origin}.${'0'.repeat(16)}`;
/** 15 origins no room has: with the room's own, as many as a cursor holds. */
const NOWHERE = Array.from({ length: 15 }, (_, index) => encodePosition({ clock: 1, origin: `nowhere-${index}`, seq: 1 }));

interface Snap {
  type: string;
  room: string;
  messages: Array<{ id: string; pos: string }>;
  complete?: boolean;
  next?: string;
  more?: boolean;
}

let world: FakeWorld;
/** The table reads beyond the windows: one per afterOrigin call, with the units it consumed. */
let reads: Array<{ origin: string; units: number }>;

/** A connection that may join every room; subscription rows are not this file's concern. */
function connectionsPort(): ConnectionsPort {
  const connection: Connection = { connectionId: ID, principal: 'p', patterns: ['**'], rooms: [], generations: {}, connectedAt: 1, expiresAt: 2 } as Connection;
  return { ...world.app.connections, get: async () => ({ ...connection }), subscribe: async () => undefined, unsubscribe: async () => undefined };
}

/** `count` messages of `bytes` each in `room`, published here (so the room has this origin). */
async function fill(room: string, count: number, bytes: number): Promise<void> {
  for (let index = 1; index <= count; index += 1) {
    const outcome = await world.messages.appendNew({ room, id: `${room}/${index}`, ts: index, origin: HERE, data: 'x'.repeat(bytes) }, `t${index}`, 0, false);
    if (outcome.kind !== 'stored') throw new Error('not stored');
  }
}

/** Each snapshot answered so far, its frames joined: all messages, and the last frame's `complete` and `next`. */
function snapshots(): Snap[] {
  const answers: Snap[] = [];
  let open: Snap | undefined;
  for (const frame of world.api.frames(ID).map((text) => JSON.parse(text) as Snap)) {
    if (frame.type !== 'snapshot') continue;
    if (open) open.messages.push(...frame.messages);
    else open = { ...frame, messages: [...frame.messages] };
    if (frame.more) continue;
    answers.push({ ...open, complete: frame.complete, ...(frame.next ? { next: frame.next } : {}) });
    open = undefined;
  }
  return answers;
}
const spent = () => reads.reduce((sum, read) => sum + read.units, 0);

beforeEach(() => {
  world = fakeApp({ AUTH_MODE: 'none' });
  world.app.connections = connectionsPort();
  world.api.connect(ID);
  reads = [];
  const afterOrigin = world.messages.afterOrigin.bind(world.messages);
  world.messages.afterOrigin = async (room, origin, seq, limit) => {
    const page = await afterOrigin(room, origin, seq, limit);
    reads.push({ origin, units: page.units });
    return page;
  };
});

describe('reads a subscribe frame cannot amplify', () => {
  it('reads nothing for origins the room never had', async () => {
    await fill('scores:1', 150, 10);
    const latest = (await world.messages.latest('scores:1', 1))[0]!.pos;
    await subscribe(world.app, request, since({ 'scores:1': [latest, ...NOWHERE].join(',') }));
    expect(reads).toEqual([]);
    expect(snapshots()).toEqual([expect.objectContaining({ room: 'scores:1', messages: [], complete: true })]);
  });

  it('reads position 0 of a long room within one frame’s allowance, and says where to go on', async () => {
    await fill('long:1', 250, 20_000);
    await subscribe(world.app, request, since({ 'long:1': zero(HERE) }));
    expect(spent()).toBeGreaterThan(0);
    expect(spent()).toBeLessThanOrEqual(FRAME_READ_UNITS);
    const [first] = snapshots();
    expect(first).toMatchObject({ complete: false });
    expect(first!.messages.map((message) => message.id)).toEqual(Array.from({ length: first!.messages.length }, (_, index) => `long:1/${index + 1}`));
    expect(first!.next).toBe(first!.messages.at(-1)!.pos);

    // Subscribing again with `next` goes on right after it.
    await subscribe(world.app, request, since({ 'long:1': first!.next! }));
    const second = snapshots()[1]!;
    expect(second.messages[0]!.id).toBe(`long:1/${first!.messages.length + 1}`);
  });

  it('shares one allowance among all the rooms of a frame', async () => {
    const rooms = ['a:1', 'a:2', 'a:3', 'a:4'];
    for (const room of rooms) await fill(room, 150, 20_000);
    await subscribe(world.app, request, since(Object.fromEntries(rooms.map((room) => [room, [zero(HERE), ...NOWHERE].join(',')]))));
    expect(spent()).toBeLessThanOrEqual(FRAME_READ_UNITS);
    expect(reads.every((read) => read.origin === HERE)).toBe(true);
    // Every room is answered: those the allowance did not reach say where to start (they have nothing yet).
    expect(snapshots().map((frame) => [frame.room, frame.complete])).toEqual(rooms.map((room) => [room, false]));
  });

  it('counts subscribing again and again against the connection’s frame budget', async () => {
    await fill('long:2', 250, 20_000);
    const { frameBurst } = world.app.config;
    let admitted = 0;
    for (let frame = 0; frame < frameBurst; frame += 1) {
      const refused = await admitFrame(world.app, request).then(
        () => false,
        (error: { code?: string }) => error.code === 'RATE_LIMITED',
      );
      if (refused) break;
      admitted += 1;
      if (frame % 2 === 0) await subscribe(world.app, request, since({ 'long:2': zero(HERE) }));
      else await unsubscribe(world.app, request, { action: 'unsubscribe', rooms: ['long:2'] });
    }
    // Without paying for reads, every frame of the burst would be admitted, each subscribe reading a whole allowance.
    expect(admitted).toBeLessThan(frameBurst);
    expect(spent()).toBeLessThanOrEqual(frameBurst * 32);
  });
});

describe('the history route’s reads', () => {
  it('pages a long room within the allowance, with `next`, and takes position 0 as a cursor', async () => {
    await fill('long:3', 250, 20_000);
    const answer = await history(world.app, { routeKey: 'GET /rooms/{room}/messages', pathParameters: { room: 'long:3' }, query: { since: [zero(HERE), ...NOWHERE].join(',') }, body: undefined });
    const body = answer.body as { messages: Array<{ pos: string }>; complete: boolean; next?: string };
    expect(answer.status).toBe(200);
    expect(spent()).toBeLessThanOrEqual(FRAME_READ_UNITS);
    expect(reads.every((read) => read.origin === HERE)).toBe(true);
    expect(body.complete).toBe(false);
    expect(body.next).toBe(body.messages.at(-1)!.pos);
  });
});

describe('the snapshot cache', () => {
  it('keeps windows up to a number of bytes, dropping the least recently read', async () => {
    for (const room of ['w:1', 'w:2', 'w:3', 'w:4']) await fill(room, 20, 10_000);
    const cache = new SnapshotCache(world.messages, 100, 60_000, () => 0, 500_000);
    for (const room of ['w:1', 'w:2', 'w:3', 'w:4']) await cache.window(room);
    await Promise.resolve();
    expect(cache.weight).toBeGreaterThan(300_000);
    expect(cache.weight).toBeLessThanOrEqual(500_000);
    // A window heavier than the whole cache is answered, not kept.
    await fill('w:big', 100, 10_000);
    expect((await cache.window('w:big')).messages).toHaveLength(100);
    await Promise.resolve();
    expect(cache.weight).toBeLessThanOrEqual(500_000);
    expect(READ_UNIT_BYTES).toBe(4096);
  });
});
