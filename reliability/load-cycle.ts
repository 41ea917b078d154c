/**
 * One cycle of the "load held" scenario against a running local cloud: hold connections,
 * churn others while publishing, check what the held ones got, close everything, and clean
 * up the stale connections the churn left (410 on the next message, then a TTL sweep as
 * if the connections' TTL had passed). Answers counts only, so that nothing of the cycle
 * stays reachable once it returns.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { LIMITS } from '@roomcast/core';
import type { Publisher } from '@roomcast/client/publisher';
import type { LocalCloud } from '@roomcast/local';
import { countRows, type TableCounts } from './connections-table.js';
import { startChurn, type ChurnFigures } from './churn.js';
import type { ConnectionIds } from './connection-ids.js';
import { closeHeld, countDeliveries, openHeld, type DeliveryCount } from './held-sockets.js';
import { startPublishing } from './publishing.js';
import { settle, sleep } from './settle.js';

export interface CycleSize {
  connections: number;
  rooms: number;
  publishPerSecond: number;
  churnPerSecond: number;
  staleShare: number;
  durationSeconds: number;
  openConcurrency: number;
  /** Give up waiting once nothing has moved for this long (ms). */
  stallMs: number;
}

export interface CycleContext {
  cloud: LocalCloud;
  publisher: Publisher;
  ids: ConnectionIds;
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  connectionsTable: string;
  /** One line per phase done, and per wait given up. */
  progress(line: string): void;
}

export interface CycleFigures {
  /**
   * How long each phase took, in seconds: opening the held connections; churn and
   * publishing; waiting for the held ones' messages; closing everything (and `$disconnect`
   * running); the 410 pass and the TTL sweep.
   */
  phaseSeconds: { openHeld: number; load: number; deliveries: number; close: number; cleanup: number };
  heldOpenRetries: number;
  /** How late this process's event loop ran (the cloud's and the clients'), during the load, in ms. */
  eventLoopDelayMs: { p99: number; max: number };
  messagesPublished: number;
  publishFailures: number;
  deliveries: DeliveryCount;
  churn: ChurnFigures;
  /** `$disconnect` invocations that ran for the normal closes, and how many were expected. */
  disconnects: { ran: number; expected: number };
  /** PostToConnection calls answered 410 (each time, the deliver function removed that connection). */
  goneAnswers: number;
  /**
   * Connection rows left once every socket was closed and delivery settled: stale
   * connections (closed without `$disconnect`, or whose `$disconnect` failed) that no
   * message has reached since.
   */
  staleAfterClose: number;
  /** Of those, removed by 410 handling when one more message went to every published room. */
  removedBy410: number;
  /** Of those, removed by the TTL sweep (as if the connections' TTL had passed). */
  removedByTtl: number;
  /** Rows the TTL sweep deleted (connections and subscriptions). */
  ttlDeletedRows: number;
  /** What is left in the connections table at the end. */
  rowsLeft: TableCounts;
}

export async function runCycle(ctx: CycleContext, size: CycleSize, tag: string): Promise<CycleFigures> {
  const { cloud } = ctx;
  const gateway = cloud.servers.gateway!.gateway;
  const counts = (): Record<string, number> => cloud.metrics.snapshot().counts;
  const rooms = Array.from({ length: size.rooms }, (_, i) => `${tag}-room-${i}`);
  const quietRooms = Array.from({ length: Math.max(1, Math.ceil(size.rooms / 4)) }, (_, i) => `${tag}-quiet-${i}`);

  const phase = phases((name, seconds) => ctx.progress(`${tag}: ${name} done in ${seconds} s`));
  const { held, retries } = await openHeld(cloud.info.wsUrl, cloud.info.token, tag, size.connections, rooms, size.openConcurrency);
  phase.end('openHeld');
  const start = counts();
  ctx.ids.ignore(gateway.connections()); // the held ones: only the churn's are looked up

  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const publishing = startPublishing(ctx.publisher, rooms, size.publishPerSecond, `${tag}-m`);
  const churn = startChurn({ info: cloud.info, ids: ctx.ids, gateway, perSecond: size.churnPerSecond, staleShare: size.staleShare, publishedRooms: rooms, quietRooms, lifeMs: 500, tag });
  await sleep(size.durationSeconds * 1000);
  const [published, churned] = await Promise.all([publishing.stop(), churn.stop()]);
  phase.end('load');
  delay.disable();

  const deliveredCount = (): number => held.reduce((sum, { socket }) => sum + socket.received.size, 0);
  const waited = (what: string, settled: boolean): void => {
    if (!settled) ctx.progress(`${tag}: gave up waiting for ${what} (no progress for ${size.stallMs} ms)`);
  };
  // A delivery job whose invocation failed as a whole comes back after the queue's visibility timeout.
  const jobsQueued = async (): Promise<boolean> => (await queuedMessages(ctx.sqs, cloud.info.outputs.DeliveryQueueUrl!)) > 0;
  const allDelivered = (): boolean => countDeliveries(held, published.byRoom).missing === 0;
  waited("the held connections' messages", await settle(allDelivered, deliveredCount, size.stallMs, 200, jobsQueued));
  const deliveries = countDeliveries(held, published.byRoom);
  phase.end('deliveries');

  const disconnected = (): number => counts().Disconnected! - start.Disconnected!;
  const expectedDisconnects = held.length + churned.closedWithDisconnect;
  await closeHeld(held, size.openConcurrency, disconnected, size.stallMs);
  waited('$disconnect', await settle(() => disconnected() >= expectedDisconnects, disconnected, size.stallMs));
  waited('delivery to settle', await settleDelivery(cloud, start.Published! + published.count, size.stallMs));
  const staleAfterClose = (await countRows(ctx.dynamo, ctx.connectionsTable)).connections;
  phase.end('close');

  // One more message to every published room: each stale subscriber there answers 410.
  await Promise.all(rooms.map((room) => ctx.publisher.publish(room, { last: true }, { id: `${tag}-last-${room}` })));
  waited('the 410 pass to settle', await settleDelivery(cloud, start.Published! + published.count + rooms.length, size.stallMs));
  const staleAfter410Pass = (await countRows(ctx.dynamo, ctx.connectionsTable)).connections;

  // As if the connections' TTL had passed: DynamoDB TTL would delete what is left by then.
  const sweep = await cloud.ttl.sweep({ at: Date.now() / 1000 + LIMITS.connectionTtlSeconds + 1 });
  const rowsLeft = await countRows(ctx.dynamo, ctx.connectionsTable);
  phase.end('cleanup');
  return {
    phaseSeconds: phase.seconds,
    heldOpenRetries: retries,
    eventLoopDelayMs: { p99: Math.round(delay.percentile(99) / 1e6), max: Math.round(delay.max / 1e6) },
    messagesPublished: published.count,
    publishFailures: published.failures,
    deliveries,
    churn: churned,
    disconnects: { ran: disconnected(), expected: expectedDisconnects },
    goneAnswers: counts().Gone! - start.Gone!,
    staleAfterClose,
    removedBy410: staleAfterClose - staleAfter410Pass,
    removedByTtl: staleAfter410Pass - rowsLeft.connections,
    ttlDeletedRows: sweep.tables[ctx.connectionsTable]?.deleted ?? 0,
    rowsLeft,
  };
}

/**
 * Waits until the publish function has counted `published` messages in all (its counts
 * arrive as its invocations end) and every post it planned is settled: delivered, gone or failed.
 */
async function settleDelivery(cloud: LocalCloud, published: number, stallMs: number): Promise<boolean> {
  const snapshot = () => cloud.metrics.snapshot();
  return settle(
    () => {
      const { counts, delivery } = snapshot();
      return counts.Published! >= published && delivery.unaccounted === 0;
    },
    () => {
      const { counts, delivery } = snapshot();
      return counts.Published! + delivery.planned - delivery.unaccounted;
    },
    stallMs,
  );
}

/** Messages in a queue: waiting, in flight (not visible) or delayed. */
async function queuedMessages(sqs: SQSClient, queueUrl: string): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
  return names.reduce((sum, name) => sum + Number(Attributes[name] ?? 0), 0);
}

type Phase = keyof CycleFigures['phaseSeconds'];

/** Seconds per phase, each from the end of the one before, to a tenth. */
function phases(onEnd: (name: Phase, seconds: number) => void): { seconds: CycleFigures['phaseSeconds']; end(name: Phase): void } {
  const seconds = { openHeld: 0, load: 0, deliveries: 0, close: 0, cleanup: 0 };
  let since = performance.now();
  return {
    seconds,
    end(name) {
      const now = performance.now();
      seconds[name] = Math.round((now - since) / 100) / 10;
      since = now;
      onEnd(name, seconds[name]);
    },
  };
}
