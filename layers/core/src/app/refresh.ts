import type { App } from './context.js';
import { verifyToken } from './authorize.js';
import { postToSender } from './post-with-retry.js';
import type { SocketRequest } from './socket-request.js';
import { RoomcastError } from '../errors.js';
import { isRoomAllowed } from '../model/rooms.js';
import { storedSessionEnd } from '../model/session.js';
import type { RefreshRequest } from '../protocol/client-frames.js';
import { refreshedFrame, unsubscribedFrame } from '../protocol/server-frames.js';

/**
 * `refresh`: renew the session in place with a new token, verified as `$connect`'s
 * (verifyToken) and for the same principal. Rooms the new token no longer grants are left
 * first, with an `unsubscribed` frame that says why; then the connection's row and the
 * rows of the rooms it keeps carry the new patterns and the new end. Answers `refreshed`.
 * A refused token changes nothing: the session ends when it would have.
 */
export async function refresh(app: App, request: SocketRequest, frame: RefreshRequest): Promise<string> {
  if (app.config.authMode === 'none') return refreshedFrame(undefined);
  const token = await verifyToken(app, frame.token);
  const connection = await app.connections.get(request.connectionId);
  if (!connection) throw new RoomcastError('CONNECTION_UNKNOWN', 'this connection is not known; reconnect');
  if (token.principal !== connection.principal) throw new RoomcastError('UNAUTHORIZED', "the token is for another principal than the connection's");
  const revoked = connection.rooms.filter((room) => !isRoomAllowed(token.patterns, room));
  if (revoked.length > 0) {
    await app.connections.unsubscribe(connection.connectionId, revoked);
    await postToSender(app, request, [unsubscribedFrame(revoked, { code: 'ROOM_FORBIDDEN', message: 'the new token does not grant these rooms' })]);
  }
  const kept = { ...connection, rooms: connection.rooms.filter((room) => !revoked.includes(room)) };
  await app.connections.renew(kept, token.patterns, storedSessionEnd(token.expiresAt, app.config.tokenExpiryGraceSeconds, connection.expiresAt));
  app.metrics.count('Refreshed');
  return refreshedFrame(token.expiresAt * 1000);
}
