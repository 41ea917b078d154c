import type { App } from './context.js';
import { planFanOut } from './plan.js';
import { RoomcastError } from '../errors.js';
import { decodePosition } from '../model/positions.js';
import type { StoredMessage } from '../model/message.js';
import { fingerprintOf } from '../model/publish-fingerprint.js';
import { nextStep, staleBefore } from '../model/publish-ledger.js';
import type { PublishRequest } from '../protocol/publish-request.js';
import type { IdConflict } from './ports.js';

export interface Published {
  room: string;
  id: string;
  pos: string;
}

/**
 * Publish one message, exactly once per (room, id), as the publish ledger says
 * (model/publish-ledger.ts). A new id: store it at the room's next position in this region
 * in one transaction that also claims the id -> plan the fan-out -> mark it planned. An id
 * that has a record: claim it, then answer it, say it is in progress, or take it over and
 * finish it (at the position this region gave it, or a new one).
 */
export async function publishOne(app: App, request: PublishRequest): Promise<Published> {
  const { room } = request;
  const id = request.id ?? app.newId();
  const token = app.newId();
  const now = app.now();
  const expiresAt = Math.floor(now / 1000) + app.config.historyTtlSeconds;
  const origin = app.config.region;
  const appended = await app.messages.appendNew({ room, id, ts: now, origin, data: request.data }, token, expiresAt, request.id !== undefined);
  if (appended.kind === 'stored') return finish(app, appended.message, token, now);
  if (appended.kind === 'id-reused') throw reused(room, id, 'another room');

  const fingerprint = fingerprintOf(room, request.data);
  const claim = await app.messages.claim(room, id, token, now, staleBefore(now, app.config.publishClaimMs), expiresAt, fingerprint);
  const step = nextStep(claim, origin, (pos) => decodePosition(pos).origin, fingerprint);
  switch (step.kind) {
    case 'reused':
      throw reused(room, id, 'other data');
    case 'answer':
      return { room, id, pos: step.pos };
    case 'in-progress':
      throw new RoomcastError('PUBLISH_IN_PROGRESS', `message ${id} is being published by another request`, { details: { room, id } });
    case 'store-again': {
      // The claim's first holder stored it at `pos` (a position exists only with its message):
      // it is kept as it is, never rewritten; stored again only if it is gone.
      const message: StoredMessage = { room, id, pos: step.pos, ts: step.ts, origin, data: request.data };
      await holding(app, message, token, () => app.messages.put(message, expiresAt));
      return finish(app, message, token, now);
    }
    case 'store-new': {
      const message = await holding(app, { room, id }, token, () => app.messages.appendClaimed({ room, id, ts: now, origin, data: request.data }, token, expiresAt));
      return finish(app, message, token, now);
    }
  }
}

function reused(room: string, id: string, conflict: IdConflict, index?: number): RoomcastError {
  const message = `id ${id} already names a message of ${conflict}: nothing was stored; use a new id`;
  return new RoomcastError('IDEMPOTENCY_KEY_REUSED', index === undefined ? message : `messages.${index}: ${message}`, { details: { room, id, ...(index === undefined ? {} : { index }) } });
}

/** Run `work` under this request's claim of the id; when it fails, release the claim so that a retry takes over at once. */
async function holding<T>(app: App, { room, id }: { room: string; id: string }, token: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await app.messages.release(room, id, token).catch(() => undefined);
    throw error;
  }
}

/**
 * Plan the fan-out of a stored message (or hand it to planners: a large room's fan-out is
 * then durable in the plan queue) and mark its publish finished; on failure, let a retry
 * take over at once.
 */
async function finish(app: App, message: StoredMessage, token: string, now: number): Promise<Published> {
  const { room, id, pos } = message;
  await holding(app, message, token, async () => {
    await planFanOut(app, message);
    await app.messages.markPlanned(room, id, token);
  });
  app.metrics.count('Published');
  app.metrics.latency('PublishLatency', app.now() - now);
  return { room, id, pos };
}

/**
 * A batch: messages of one room in order, rooms side by side. Answers in input order. A
 * client's id that already names another message refuses the whole batch before anything
 * is stored (a race with another request is still caught per message, as in publishOne).
 */
export async function publishBatch(app: App, requests: readonly PublishRequest[]): Promise<Published[]> {
  const conflicts = await Promise.all(
    requests.map((request) => (request.id === undefined ? undefined : app.messages.idConflict(request.room, request.id, fingerprintOf(request.room, request.data)))),
  );
  const refused = conflicts.findIndex((conflict) => conflict !== undefined);
  if (refused >= 0) throw reused(requests[refused]!.room, requests[refused]!.id!, conflicts[refused]!, refused);
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
