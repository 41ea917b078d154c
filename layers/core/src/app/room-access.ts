import type { App } from './context.js';
import type { Connection } from './ports.js';
import { RoomcastError } from '../errors.js';
import { isRoomAllowed } from '../model/rooms.js';

/**
 * The connection of a socket request, when its token allows every one of `rooms` (the row's
 * patterns, not the authorizer's context: a `refresh` may have changed them since
 * `$connect`); CONNECTION_UNKNOWN without a row, ROOM_FORBIDDEN naming the others.
 */
export async function connectionAllowing(app: App, connectionId: string, rooms: readonly string[], doing: string): Promise<Connection> {
  const connection = await app.connections.get(connectionId);
  if (!connection) throw new RoomcastError('CONNECTION_UNKNOWN', 'this connection is not known; reconnect');
  const forbidden = rooms.filter((room) => !isRoomAllowed(connection.patterns, room));
  if (forbidden.length > 0) {
    throw new RoomcastError('ROOM_FORBIDDEN', `not allowed to ${doing} ${forbidden.slice(0, 5).join(', ')}`, { details: { rooms: forbidden } });
  }
  return connection;
}
