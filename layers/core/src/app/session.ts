import type { App } from './context.js';
import { tokenExpiryOf } from './identity.js';
import type { SocketRequest } from './socket-request.js';
import { RoomcastError } from '../errors.js';
import { isSessionOpen, sessionEnd } from '../model/session.js';

/** Routes a session that ended may still use: the lifecycle, and `refresh`, which renews it. */
const ALWAYS_SERVED = new Set(['$connect', '$disconnect', 'refresh']);

/**
 * Every frame but `refresh` of a session that ended (its token's `exp` plus the grace) is
 * refused with TOKEN_EXPIRED, retryable: a `refresh` with a new token, or a reconnect,
 * brings it back. The authorizer's `exp` in the request context decides without a read;
 * only once it has passed is the connection's row read, since a `refresh` may have moved
 * the end since `$connect` (API Gateway's context keeps the first token's).
 */
export async function checkSession(app: App, request: SocketRequest): Promise<void> {
  if (app.config.authMode === 'none' || ALWAYS_SERVED.has(request.routeKey)) return;
  const grace = app.config.tokenExpiryGraceSeconds;
  const endsAt = sessionEnd(tokenExpiryOf(request.authorizer), grace);
  if (isSessionOpen(endsAt, app.now())) return;
  const connection = await app.connections.get(request.connectionId);
  if (connection && isSessionOpen(connection.sessionEndsAt, app.now())) return;
  const ended = connection?.sessionEndsAt ?? endsAt!;
  throw new RoomcastError('TOKEN_EXPIRED', 'the token of this connection has expired: send refresh with a new token', {
    details: { expiredAt: (ended - grace) * 1000 },
  });
}
