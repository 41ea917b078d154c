import type { App } from './context.js';
import { planJobs } from '../model/fanout.js';
import { LIMITS } from '../model/limits.js';
import type { StoredMessage } from '../model/message.js';
import { messageFrame } from '../protocol/server-frames.js';

export interface FanOutResult {
  connections: number;
  jobs: number;
  requests: number;
}

/**
 * Plan the delivery of one message in this region: read each shard of the room's
 * subscriptions in parallel, pooling the connections of all shards, and enqueue delivery
 * jobs a SendMessageBatch at a time as the pool fills (what is left at the end goes last).
 * A small room thus costs one job and one SQS request, however many shards it spans.
 * The same path serves local publishes and messages replicated from other regions.
 */
export async function fanOut(app: App, message: StoredMessage): Promise<FanOutResult> {
  const result: FanOutResult = { connections: 0, jobs: 0, requests: 0 };
  const job = { room: message.room, id: message.id, pos: message.pos, ts: message.ts, frame: messageFrame(message) };
  const perRequest = app.config.jobSize * LIMITS.sqsBatchEntries;
  const pool: string[] = [];
  const enqueue = async (connectionIds: string[]): Promise<void> => {
    const jobs = planJobs(job, connectionIds, { jobSize: app.config.jobSize });
    const { requests } = await app.queue.send(jobs);
    result.jobs += jobs.length;
    result.requests += requests;
  };
  const shards = Array.from({ length: app.connections.shardCount }, (_, shard) => shard);
  await Promise.all(
    shards.map((shard) =>
      app.connections.forEachSubscriberPage(message.room, shard, async (connectionIds) => {
        result.connections += connectionIds.length;
        pool.push(...connectionIds);
        while (pool.length >= perRequest) await enqueue(pool.splice(0, perRequest));
      }),
    ),
  );
  if (pool.length > 0) await enqueue(pool.splice(0));
  app.metrics.count('FanoutPlanned', result.connections);
  app.metrics.count('JobsEnqueued', result.jobs);
  app.logger.debug('fan-out planned', { room: message.room, messageId: message.id, ...result });
  return result;
}
