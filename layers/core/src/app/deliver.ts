import type { App } from './context.js';
import { fullJitter, type BackoffOptions } from '../model/backoff.js';
import { mapLimit } from '../model/concurrency.js';
import { isSuperseded } from '../model/conflation.js';
import { refreshPostShare } from './post-share.js';
import type { DeliveryJob } from '../model/delivery-job.js';
import { postWithRetry, type PostCounts } from './post-with-retry.js';

/** The pause before a post's retry inside one invocation. */
const POST_BACKOFF: BackoffOptions = { baseMs: 100, capMs: 2000 };

export interface DeliveryResult extends PostCounts {
  /** Connections handed on to a later attempt (re-enqueued) or to the DLQ. */
  requeued: number;
  deadLettered: number;
  /** Connections not posted because a newer message of the conflated room was planned for them. */
  conflated: number;
}

/**
 * Post a job's frame to each of its connections. The jobs of a batch run side by side and
 * share `postConcurrency` posts in flight (app.postSlots): many jobs never pile up so many
 * posts that they outlast their deadline on a busy CPU and are posted twice.
 * 410 Gone: that connection (and only it) is removed. Anything else is retried with
 * full jitter (app/post-with-retry.ts); what still fails is re-enqueued as a new job
 * holding only those connections, so nobody already served is served again. A job out of
 * attempts goes to the DLQ. Each post waits for its slot in this instance's share of the account's quota
 * (app.postPacer, kept in step with the instances posting by app/post-share.ts). A job
 * of a conflated room whose segment has since been planned for a newer message is
 * skipped whole.
 */
export async function deliver(app: App, job: DeliveryJob): Promise<DeliveryResult> {
  const { config } = app;
  if (job.segment !== undefined && isSuperseded(job.pos, await app.planned.latest(job.room, job.segment))) {
    const skipped: DeliveryResult = { delivered: 0, gone: 0, throttled: 0, retried: 0, requeued: 0, deadLettered: 0, conflated: job.connections.length };
    record(app, skipped);
    return skipped;
  }
  await refreshPostShare(app);
  const { delivered, gone, throttled, retried, pending } = await postWithRetry(app, job.connections, {
    endpoint: config.connectionsEndpoint,
    frame: job.frame,
    attempts: config.postAttempts,
    backoff: POST_BACKOFF,
    schedule: (post) => app.postSlots.run(() => paced(app, post)),
    onRound: async (round) => {
      if (round.delivered.length > 0) app.metrics.latency('DeliveryLatency', app.now() - job.ts);
      await mapLimit(round.gone, 8, (id) => removeStale(app, id, job.room));
      const { attempt, failure } = round;
      if (failure) app.logger.warn('post failed', { room: job.room, messageId: job.id, attempt, outcome: failure.outcome, error: String(failure.error) });
    },
  });
  const result: DeliveryResult = { delivered, gone, throttled, retried, requeued: 0, deadLettered: 0, conflated: 0 };
  if (pending.length > 0) {
    const next: DeliveryJob = { ...job, connections: pending, attempt: job.attempt + 1 };
    if (next.attempt >= config.deliveryMaxAttempts) {
      await app.queue.deadLetter(next);
      result.deadLettered = pending.length;
    } else {
      const delaySeconds = Math.min(900, 1 + Math.floor(fullJitter(next.attempt, { baseMs: 1000, capMs: 60_000 }) / 1000));
      await app.queue.send([next], delaySeconds);
      result.requeued = pending.length;
    }
  }
  record(app, result);
  return result;
}

/** A post in this instance's share of the account's quota: it waits for its slot first. */
async function paced<T>(app: App, post: () => Promise<T>): Promise<T> {
  const wait = app.postPacer.reserve(app.now());
  if (wait > 0) await app.sleep(wait);
  return post();
}

function record(app: App, result: DeliveryResult): void {
  app.metrics.count('Delivered', result.delivered);
  if (result.conflated > 0) app.metrics.count('Conflated', result.conflated);
  app.metrics.count('Gone', result.gone);
  app.metrics.count('Throttled', result.throttled);
  app.metrics.count('Retried', result.retried);
  // Connections given up on; a job's connections handed to a later attempt are not failed yet.
  app.metrics.count('Failed', result.deadLettered);
  if (result.deadLettered > 0) app.metrics.count('DeadLettered');
}

async function removeStale(app: App, connectionId: string, room: string): Promise<void> {
  try {
    await app.connections.remove(connectionId, [room]);
  } catch (error) {
    // The rows expire by TTL anyway; delivery goes on.
    app.logger.warn('could not remove a gone connection', { connectionId, error: String(error) });
  }
}
