import type { App } from './context.js';
import { planJobs } from '../model/fanout.js';
import type { StoredMessage } from '../model/message.js';
import { messageFrame } from '../protocol/server-frames.js';

export interface FanOutResult {
  connections: number;
  jobs: number;
  requests: number;
}

/**
 * Plan the delivery of one message in this region: read each shard of the room's
 * subscriptions in parallel and enqueue delivery jobs page by page as they arrive.
 * The same path serves local publishes and messages replicated from other regions.
 */
export async function fanOut(app: App, message: StoredMessage): Promise<FanOutResult> {
  const result: FanOutResult = { connections: 0, jobs: 0, requests: 0 };
  const job = { room: message.room, id: message.id, pos: message.pos, ts: message.ts, frame: messageFrame(message) };
  const shards = Array.from({ length: app.connections.shardCount }, (_, shard) => shard);
  await Promise.all(
    shards.map((shard) =>
      app.connections.forEachSubscriberPage(message.room, shard, async (connectionIds) => {
        const jobs = planJobs(job, connectionIds, { jobSize: app.config.jobSize });
        const { requests } = await app.queue.send(jobs);
        result.connections += connectionIds.length;
        result.jobs += jobs.length;
        result.requests += requests;
      }),
    ),
  );
  app.metrics.count('FanoutPlanned', result.connections);
  app.metrics.count('JobsEnqueued', result.jobs);
  app.logger.debug('fan-out planned', { room: message.room, messageId: message.id, ...result });
  return result;
}
