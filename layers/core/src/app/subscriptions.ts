import type { App } from './context.js';
import { identityOf } from './identity.js';
import type { Snapshot } from './snapshot-cache.js';
import type { SocketRequest } from './socket-request.js';
import { RoomcastError } from '../errors.js';
import { retryable } from './ports.js';
import { fullJitter } from '../model/backoff.js';
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

/** Post frames in order; a connection that is gone ends it quietly. */
async function postFrames(app: App, request: SocketRequest, frames: readonly string[]): Promise<void> {
  for (const frame of frames) {
    for (let attempt = 0; ; attempt += 1) {
      const { outcome, error } = await app.connectionsApi.post(request.connectionsEndpoint, request.connectionId, frame);
      if (outcome === 'delivered') break;
      if (!retryable(outcome)) return;
      if (attempt + 1 >= app.config.postAttempts) throw new RoomcastError('INTERNAL', `could not post to ${request.connectionId}: ${outcome}`, { cause: error });
      await app.sleep(fullJitter(attempt, { baseMs: 50, capMs: 1000 }));
    }
  }
}
