import type { App } from './context.js';
import { latestIn, sinceIn, type Snapshot } from './snapshot-cache.js';
import { chargeReads, readAllowance } from './frame-limit.js';
import type { SocketRequest } from './socket-request.js';
import { postToSender } from './post-with-retry.js';
import { connectionAllowing } from './room-access.js';
import { LIMITS } from '../model/limits.js';
import { isConflated } from '../model/conflation.js';
import type { SubscribeRequest, UnsubscribeRequest } from '../protocol/client-frames.js';
import { snapshotFrames, subscribedFrame, unsubscribedFrame } from '../protocol/server-frames.js';

/**
 * subscribe: every room must be allowed by the session's token, or nothing changes. The rows are
 * stored before history is read, so no message falls between snapshot and live delivery.
 * Then `subscribed` and each room's snapshot are posted, in that order.
 */
export async function subscribe(app: App, request: SocketRequest, frame: SubscribeRequest): Promise<undefined> {
  const connection = await connectionAllowing(app, request.connectionId, frame.rooms, 'join');
  await app.connections.subscribe(connection, frame.rooms, app.config.roomsPerConnection);
  app.metrics.count('Subscribed', frame.rooms.length);

  const frames = [subscribedFrame(frame.rooms, frame.rooms.filter((room) => isConflated(app.config.conflateRooms, room)))];
  const snapshots = await snapshotsOf(app, request, frame);
  frame.rooms.forEach((room, index) => {
    const snapshot = snapshots[index];
    if (snapshot) frames.push(...snapshotFrames(room, snapshot.messages, snapshot.complete, LIMITS.messageBytes, snapshot.cursor, snapshot.next));
  });
  await postToSender(app, request, frames);
  return undefined;
}

export async function unsubscribe(app: App, request: SocketRequest, frame: UnsubscribeRequest): Promise<string> {
  await app.connections.unsubscribe(request.connectionId, frame.rooms);
  return unsubscribedFrame(frame.rooms);
}

/**
 * Each room's snapshot (undefined: none asked). The rooms' windows are read side by side
 * (shared through the snapshot cache); what a `since` needs beyond its window is read room
 * after room within the frame's read allowance, whose spending the connection's frame
 * budget is charged for (app/frame-limit.ts).
 */
async function snapshotsOf(app: App, request: SocketRequest, frame: SubscribeRequest): Promise<Array<Snapshot | undefined>> {
  const asks = frame.rooms.map((room) => askOf(app, frame, room));
  const windows = await Promise.all(frame.rooms.map((room, index) => (asks[index] ? app.snapshots.window(room) : undefined)));
  const allowance = readAllowance(app, request);
  const snapshots: Array<Snapshot | undefined> = [];
  try {
    for (const [index, room] of frame.rooms.entries()) {
      const [ask, window] = [asks[index], windows[index]];
      if (!ask || !window) snapshots.push(undefined);
      else if (ask.since !== undefined) snapshots.push(await sinceIn(app.messages, room, window, ask.since, app.config.historyLength, allowance));
      else snapshots.push(latestIn(window, ask.count));
    }
  } finally {
    chargeReads(app, request, allowance);
  }
  return snapshots;
}

/** What a room's subscribe asks of history: what follows a cursor, the latest `count`, or nothing. */
function askOf(app: App, frame: SubscribeRequest, room: string): { since: string } | { since?: undefined; count: number } | undefined {
  const since = frame.since[room];
  if (since !== undefined) return { since };
  const count = frame.snapshot === 'default' ? app.config.snapshotDefault : Math.min(frame.snapshot, app.config.historyLength);
  return count > 0 ? { count } : undefined;
}
