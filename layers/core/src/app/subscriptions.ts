import type { App } from './context.js';
import { identityOf } from './identity.js';
import type { Snapshot } from './snapshot-cache.js';
import type { SocketRequest } from './socket-request.js';
import { RoomcastError } from '../errors.js';
import { postWithRetry } from './post-with-retry.js';
import type { BackoffOptions } from '../model/backoff.js';
import { LIMITS } from '../model/limits.js';
import { isConflated } from '../model/conflation.js';
import { isRoomAllowed } from '../model/rooms.js';
import type { SubscribeRequest, UnsubscribeRequest } from '../protocol/client-frames.js';
import { snapshotFrames, subscribedFrame, unsubscribedFrame } from '../protocol/server-frames.js';

/**
 * subscribe: every room must be allowed by the token, or nothing changes. The rows are
 * stored before history is read, so no message falls between snapshot and live delivery.
 * Then `subscribed` and each room's snapshot are posted, in that order.
 */
export async function subscribe(app: App, request: SocketRequest, frame: SubscribeRequest): Promise<undefined> {
  const { patterns } = identityOf(app, request.authorizer);
  const forbidden = frame.rooms.filter((room) => !isRoomAllowed(patterns, room));
  if (forbidden.length > 0) {
    throw new RoomcastError('ROOM_FORBIDDEN', `not allowed to join ${forbidden.slice(0, 5).join(', ')}`, { details: { rooms: forbidden } });
  }
  const connection = await app.connections.get(request.connectionId);
  if (!connection) throw new RoomcastError('CONNECTION_UNKNOWN', 'this connection is not known; reconnect');
  await app.connections.subscribe(connection, frame.rooms, app.config.roomsPerConnection);
  app.metrics.count('Subscribed', frame.rooms.length);

  const frames = [subscribedFrame(frame.rooms, frame.rooms.filter((room) => isConflated(app.config.conflateRooms, room)))];
  const snapshots = await Promise.all(frame.rooms.map((room) => snapshotOf(app, frame, room)));
  frame.rooms.forEach((room, index) => {
    const snapshot = snapshots[index];
    if (snapshot) frames.push(...snapshotFrames(room, snapshot.messages, snapshot.complete, LIMITS.messageBytes, snapshot.cursor));
  });
  await postFrames(app, request, frames);
  return undefined;
}

export async function unsubscribe(app: App, request: SocketRequest, frame: UnsubscribeRequest): Promise<string> {
  await app.connections.unsubscribe(request.connectionId, frame.rooms);
  return unsubscribedFrame(frame.rooms);
}

function snapshotOf(app: App, frame: SubscribeRequest, room: string): Promise<Snapshot> | undefined {
  const since = frame.since[room];
  if (since !== undefined) return app.snapshots.since(room, since, app.config.historyLength);
  const count = frame.snapshot === 'default' ? app.config.snapshotDefault : Math.min(frame.snapshot, app.config.historyLength);
  return count > 0 ? app.snapshots.latest(room, count) : undefined;
}

/** The pause before a frame's retry: [0, 50 ms) first, then twice as long each time, up to 1 s. */
const FRAME_BACKOFF: BackoffOptions = { baseMs: 25, capMs: 1000 };

/** Post frames in order; a connection that is gone ends it quietly. */
async function postFrames(app: App, request: SocketRequest, frames: readonly string[]): Promise<void> {
  const { connectionsEndpoint: endpoint, connectionId } = request;
  for (const frame of frames) {
    const sent = await postWithRetry(app, [connectionId], { endpoint, frame, attempts: app.config.postAttempts, backoff: FRAME_BACKOFF });
    if (sent.gone > 0) return;
    if (sent.pending.length > 0) throw new RoomcastError('INTERNAL', `could not post to ${connectionId}: ${sent.failure?.outcome}`, { cause: sent.failure?.error });
  }
}
