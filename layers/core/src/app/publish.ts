import type { App } from './context.js';
import { planFanOut } from './plan.js';
import { RoomcastError } from '../errors.js';
import { decodePosition } from '../model/positions.js';
import type { StoredMessage } from '../model/message.js';
import { IdClaimed } from '../adapters/messages-store.js';
import type { PublishRequest } from '../protocol/publish-request.js';

export interface Published {
  room: string;
  id: string;
  pos: string;
}

/**
 * Publish one message, exactly once per (room, id). A new id: store it at the room's next
 * position in this region in one transaction that also claims the id -> plan the fan-out ->
 * mark it planned. The same id again answers the same position and plans nothing; a retry
 * after a request that died half-way takes over its claim once stale and finishes the same
 * position. A claim left half-way by another region is taken over with a new position of
 * this region: this region cannot know whether that one was stored, and a message stored
 * twice under one id is dropped by the client SDK, while one lost is not.
 */
export async function publishOne(app: App, request: PublishRequest): Promise<Published> {
  const { room } = request;
  const id = request.id ?? app.newId();
  const token = app.newId();
  const now = app.now();
  const expiresAt = Math.floor(now / 1000) + app.config.historyTtlSeconds;
  const fresh = { room, id, ts: now, origin: app.config.region, data: request.data };
  let message: StoredMessage;
  try {
    message = await app.messages.append(fresh, { token, newAt: now }, expiresAt);
  } catch (error) {
    if (!(error instanceof IdClaimed)) throw error;
    return takeOver(app, request, id, token, now, expiresAt);
  }
  return finish(app, message, token, now);
}

/** The id has a publish record: answer it when finished, finish it when its request died, else say it is under way. */
async function takeOver(app: App, request: PublishRequest, id: string, token: string, now: number, expiresAt: number): Promise<Published> {
  const { room } = request;
  const claim = await app.messages.claim(room, id, token, now, now - app.config.publishClaimMs, expiresAt);
  if (!claim.won) {
    // Only a finished publish answers for the id: one still under way may yet fail, and
    // then this request's retry is what finishes it.
    if (claim.record?.state === 'planned' && claim.record.pos) return { room, id, pos: claim.record.pos };
    throw new RoomcastError('PUBLISH_IN_PROGRESS', `message ${id} is being published by another request`, { details: { room, id } });
  }
  const origin = app.config.region;
  const { pos, ts } = claim.record;
  let message: StoredMessage;
  try {
    if (pos === undefined || ts === undefined || decodePosition(pos).origin !== origin) {
      message = await app.messages.append({ room, id, ts: now, origin, data: request.data }, { token }, expiresAt);
    } else {
      // The claim's first holder stored it at `pos` (a position exists only with its message): store the same again.
      message = { room, id, pos, ts, origin, data: request.data };
      await app.messages.put(message, expiresAt);
    }
  } catch (error) {
    await app.messages.release(room, id, token).catch(() => undefined);
    throw error;
  }
  return finish(app, message, token, now);
}

/**
 * Plan the fan-out of a stored message (or hand it to planners: a large room's fan-out is
 * then durable in the plan queue) and mark its publish finished; on failure, let a retry
 * take over at once.
 */
async function finish(app: App, message: StoredMessage, token: string, now: number): Promise<Published> {
  const { room, id, pos } = message;
  try {
    await planFanOut(app, message);
    await app.messages.markPlanned(room, id, token);
  } catch (error) {
    await app.messages.release(room, id, token).catch(() => undefined);
    throw error;
  }
  app.metrics.count('Published');
  app.metrics.latency('PublishLatency', app.now() - now);
  return { room, id, pos };
}

/** A batch: messages of one room in order, rooms side by side. Answers in input order. */
export async function publishBatch(app: App, requests: readonly PublishRequest[]): Promise<Published[]> {
  const results = new Array<Published>(requests.length);
  const byRoom = new Map<string, number[]>();
  requests.forEach((request, index) => byRoom.set(request.room, [...(byRoom.get(request.room) ?? []), index]));
  await Promise.all(
    [...byRoom.values()].map(async (indexes) => {
      for (const index of indexes) results[index] = await publishOne(app, requests[index]!);
    }),
  );
  return results;
}
