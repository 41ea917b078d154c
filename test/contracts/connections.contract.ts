import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Connection, ConnectionsPort } from '../../layers/core/src/app/ports.js';
import { partitionsOf } from '../../layers/core/src/model/room-partitions.js';
import { ANONYMOUS_PRINCIPAL } from '../../layers/core/src/model/occupancy.js';

/** Every connection id the room's partitions list, in the order read (duplicates kept, to be seen). */
export async function subscribersOf(port: ConnectionsPort, room: string): Promise<string[]> {
  const ids: string[] = [];
  for (const partition of partitionsOf(await port.partitions.shape(room))) {
    await port.partitions.forEachSubscriberPage(room, partition, async (page) => void ids.push(...page));
  }
  return ids;
}

const sorted = (items: readonly string[]): string[] => [...items].sort();

/**
 * ConnectionsPort: connections, the rooms each holds, and rooms' subscription rows in
 * partitions that grow with the room, as subscribe, unsubscribe, `$disconnect`, deliver
 * (a gone connection) and the planners rely on. `subject` gives a port of 2 partitions at
 * first that grows once a partition holds 2 rows; each test uses connections and rooms of its own.
 */
export function connectionsContract(name: string, subject: () => Promise<ConnectionsPort>): void {
  const fresh = (): Omit<Connection, 'rooms' | 'generations'> => ({
    connectionId: `${randomUUID().slice(0, 12)}=`,
    principal: 'user-1',
    patterns: ['*'],
    connectedAt: 1,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
  const room = (): string => `room:${randomUUID()}`;

  describe(`ConnectionsPort: ${name}`, () => {
    it('keeps a connection as put, with no rooms, and knows nothing of another', async () => {
      const port = await subject();
      const connection = fresh();
      await port.put(connection);
      expect(await port.get(connection.connectionId)).toEqual({ ...connection, rooms: [], generations: {} });
      expect(await port.get(`${randomUUID()}=`)).toBeUndefined();
    });

    it('subscribes rooms: held by the connection, listed once by each room, also when subscribed again', async () => {
      const port = await subject();
      const connection = fresh();
      const [a, b] = [room(), room()];
      await port.put(connection);
      await port.subscribe((await port.get(connection.connectionId))!, [a, b], 10);
      await port.subscribe((await port.get(connection.connectionId))!, [a], 10);
      const held = (await port.get(connection.connectionId))!;
      expect(sorted(held.rooms)).toEqual(sorted([a, b]));
      expect(held.generations).toEqual({ [a]: 0, [b]: 0 });
      expect(await subscribersOf(port, a)).toEqual([connection.connectionId]);
      expect(await subscribersOf(port, b)).toEqual([connection.connectionId]);
    });

    it('refuses more rooms than `max` with TOO_MANY_ROOMS and keeps what it had', async () => {
      const port = await subject();
      const connection = fresh();
      const [a, b, c] = [room(), room(), room()];
      await port.put(connection);
      await port.subscribe((await port.get(connection.connectionId))!, [a], 2);
      await expect(port.subscribe((await port.get(connection.connectionId))!, [b, c], 2)).rejects.toMatchObject({ code: 'TOO_MANY_ROOMS' });
      expect((await port.get(connection.connectionId))!.rooms).toEqual([a]);
      expect(await subscribersOf(port, b)).toEqual([]);
      expect(await subscribersOf(port, c)).toEqual([]);
    });

    it('unsubscribes the rooms named and held, and ignores a connection it does not know', async () => {
      const port = await subject();
      const connection = fresh();
      const [a, b] = [room(), room()];
      await port.put(connection);
      await port.subscribe((await port.get(connection.connectionId))!, [a, b], 10);
      await port.unsubscribe(connection.connectionId, [a, room()]);
      expect((await port.get(connection.connectionId))!.rooms).toEqual([b]);
      expect(await subscribersOf(port, a)).toEqual([]);
      expect(await subscribersOf(port, b)).toEqual([connection.connectionId]);
      await expect(port.unsubscribe(`${randomUUID()}=`, [a])).resolves.toBeUndefined();
    });

    it('removes a connection with its rows, answering its rooms and the others named', async () => {
      const port = await subject();
      const [one, two] = [fresh(), fresh()];
      const [a, b] = [room(), room()];
      for (const connection of [one, two]) {
        await port.put(connection);
        await port.subscribe((await port.get(connection.connectionId))!, [a, b], 10);
      }
      expect(sorted((await port.remove(one.connectionId)).rooms)).toEqual(sorted([a, b]));
      expect(await port.get(one.connectionId)).toBeUndefined();
      expect(await subscribersOf(port, a)).toEqual([two.connectionId]);
      // deliver names the room of the job that met a 410; a room it never held is answered too.
      const extra = room();
      expect(sorted((await port.remove(two.connectionId, [a, extra])).rooms)).toEqual(sorted([a, b, extra]));
      expect(await subscribersOf(port, a)).toEqual([]);
      expect(await subscribersOf(port, b)).toEqual([]);
      expect(await port.get(two.connectionId)).toBeUndefined();
    });

    it('grows a room as it fills: every subscriber listed once, each where its connection says', async () => {
      const port = await subject();
      const busy = room();
      const connections = Array.from({ length: 16 }, fresh);
      for (const connection of connections) {
        await port.put(connection);
        await port.subscribe((await port.get(connection.connectionId))!, [busy], 10);
      }
      const shape = await port.partitions.shape(busy);
      expect(shape.base).toBe(2);
      expect(shape.generation).toBeGreaterThan(0);
      expect(sorted(await subscribersOf(port, busy))).toEqual(sorted(connections.map((connection) => connection.connectionId)));
      const generations = await Promise.all(connections.map(async (connection) => (await port.get(connection.connectionId))!.generations[busy]));
      expect(generations[0]).toBe(0);
      expect(Math.max(...generations.map(Number))).toBeGreaterThan(0);
      // Leaving a grown room removes the row from the generation it was written to.
      for (const connection of connections.slice(0, 8)) await port.unsubscribe(connection.connectionId, [busy]);
      expect(sorted(await subscribersOf(port, busy))).toEqual(sorted(connections.slice(8).map((connection) => connection.connectionId)));
      expect(await port.occupancy(busy)).toEqual({ connections: 8, principals: 1 });
    });

    describe('occupancy', () => {
      const of = (principal: string) => ({ ...fresh(), principal });
      const joiner = (port: ConnectionsPort) => async (connection: Omit<Connection, 'rooms' | 'generations'>, rooms: string[]) => {
        await port.put(connection);
        await port.subscribe((await port.get(connection.connectionId))!, rooms, 10);
      };

      it('counts connections and distinct principals: a principal with several connections counts once', async () => {
        const port_ = await subject();
        const join = joiner(port_);
        const [a, b] = [room(), room()];
        expect(await port_.occupancy(a)).toEqual({ connections: 0, principals: 0 });
        const [ann1, ann2, bob] = [of('ann'), of('ann'), of('bob')];
        await join(ann1, [a, b]);
        await join(ann2, [a]);
        await join(bob, [a]);
        expect(await port_.occupancy(a)).toEqual({ connections: 3, principals: 2 });
        expect(await port_.occupancy(b)).toEqual({ connections: 1, principals: 1 });
        await port_.unsubscribe(ann1.connectionId, [a]);
        expect(await port_.occupancy(a)).toEqual({ connections: 2, principals: 2 });
        await port_.remove(ann2.connectionId);
        expect(await port_.occupancy(a)).toEqual({ connections: 1, principals: 1 });
        expect(await port_.occupancy(b)).toEqual({ connections: 1, principals: 1 });
        await port_.remove(ann1.connectionId);
        await port_.remove(bob.connectionId);
        expect(await port_.occupancy(a)).toEqual({ connections: 0, principals: 0 });
        expect(await port_.occupancy(b)).toEqual({ connections: 0, principals: 0 });
      });

      it('counts nothing twice: a subscribe repeated, an unsubscribe or a removal repeated, a row removed by its room only', async () => {
        const port_ = await subject();
        const join = joiner(port_);
        const a = room();
        const [ann, bob] = [of('ann'), of('bob')];
        await join(ann, [a]);
        await port_.subscribe((await port_.get(ann.connectionId))!, [a], 10);
        // A retried subscribe from before the connection's rooms were stored: the row is there already.
        await port_.subscribe({ ...(await port_.get(ann.connectionId))!, rooms: [] }, [a], 10);
        await join(bob, [a]);
        expect(await port_.occupancy(a)).toEqual({ connections: 2, principals: 2 });
        await port_.unsubscribe(bob.connectionId, [a]);
        await port_.unsubscribe(bob.connectionId, [a]);
        expect(await port_.occupancy(a)).toEqual({ connections: 1, principals: 1 });
        // A 410 names the room of the job; the row goes, once, wherever it is.
        await port_.remove(ann.connectionId, [a]);
        await port_.remove(ann.connectionId, [a]);
        expect(await port_.occupancy(a)).toEqual({ connections: 0, principals: 0 });
      });

      it('counts each connection without a token (AuthMode none) as a principal of its own', async () => {
        const port_ = await subject();
        const join = joiner(port_);
        const a = room();
        const anonymous = Array.from({ length: 3 }, () => of(ANONYMOUS_PRINCIPAL));
        for (const connection of anonymous) await join(connection, [a]);
        await join(of('dora'), [a]);
        expect(await port_.occupancy(a)).toEqual({ connections: 4, principals: 4 });
        await port_.remove(anonymous[0]!.connectionId);
        await port_.remove(anonymous[0]!.connectionId, [a]);
        expect(await port_.occupancy(a)).toEqual({ connections: 3, principals: 3 });
      });

      it('stays exact under concurrent joins and leaves of one principal', async () => {
        const port_ = await subject();
        const join = joiner(port_);
        const a = room();
        const connections = Array.from({ length: 6 }, () => of('carol'));
        await Promise.all(connections.map((connection) => join(connection, [a])));
        expect(await port_.occupancy(a)).toEqual({ connections: 6, principals: 1 });
        await Promise.all(connections.map((connection) => port_.remove(connection.connectionId)));
        expect(await port_.occupancy(a)).toEqual({ connections: 0, principals: 0 });
      });
    });
  });
}
