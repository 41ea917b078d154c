import type { App } from './context.js';
import { checkOrigin, identityOf } from './identity.js';
import type { SocketRequest } from './socket-request.js';
import { RoomcastError } from '../errors.js';
import { storedSessionEnd } from '../model/session.js';
import { parseClientFrame, type ClientAction, type ClientFrame } from '../protocol/client-frames.js';
import { pongFrame } from '../protocol/server-frames.js';

/** `$connect`: the origin is allowed and the connection is stored (TTL just over 2 h, see Config) with its session's end. */
export async function connect(app: App, request: SocketRequest): Promise<undefined> {
  checkOrigin(app.config.allowedOrigins, header(request.headers, 'origin'));
  const { principal, patterns, tokenExpiresAt } = identityOf(app, request.authorizer);
  const connectedAt = app.now();
  const expiresAt = Math.floor(connectedAt / 1000) + app.config.connectionTtlSeconds;
  const sessionEndsAt = storedSessionEnd(tokenExpiresAt, app.config.tokenExpiryGraceSeconds, expiresAt);
  await app.connections.put({ connectionId: request.connectionId, principal, patterns, connectedAt, expiresAt, sessionEndsAt });
  app.metrics.count('Connected');
  return undefined;
}

/** `$disconnect` (best effort on AWS; TTL and 410 handling catch the rest). */
export async function disconnect(app: App, connectionId: string): Promise<undefined> {
  await app.connections.remove(connectionId);
  app.metrics.count('Disconnected');
  return undefined;
}

/** ping answers pong; anything else reaching `$default` was refused by the parser. */
export function answerDefault(frame: ClientFrame): string {
  if (frame.action === 'ping') return pongFrame();
  throw new RoomcastError('UNKNOWN_ACTION', `action "${frame.action}" is not served here`);
}

/** Parse a frame that API Gateway routed by its action. */
export function parseFrame<A extends ClientAction>(body: string | undefined, action: A): Extract<ClientFrame, { action: A }> {
  const frame = parseClientFrame(body);
  if (frame.action !== action) throw new RoomcastError('UNKNOWN_ACTION', `expected action "${action}"`);
  return frame as Extract<ClientFrame, { action: A }>;
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
