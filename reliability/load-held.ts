/**
 * Reliability scenario "load held": a local cloud holds N connections subscribed to rooms
 * while others open, subscribe and close (some without `$disconnect`) and messages are
 * published; every held connection must get every message of its rooms; once everything
 * is closed and the stale connections are cleaned up (410 handling, then TTL), the
 * connections table must be empty and the cloud's memory back near where it was.
 *
 * The local cloud runs in this process, so its memory is this process's: sampled after a
 * forced garbage collection, once after a warm-up cycle (the same scenario at a tenth of
 * the size: functions' environments started, code compiled) and once after the full cycle.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createPublisher } from '@roomcast/client/publisher';
import { startLocalCloud, type LocalCloud } from '@roomcast/local';
import { uniqueStackName } from '@roomcast/local/stack';
import { ConnectionIds } from './connection-ids.js';
import { runCycle, type CycleContext, type CycleFigures, type CycleSize } from './load-cycle.js';
import { sampleMemory, type MemorySample as ProcessSample } from './memory.js';

export interface LoadHeldOptions {
  /** Connections held through the run. Default 500. */
  connections?: number;
  /** Rooms published to; each held connection follows two of them. Default connections / 50 (at least 2). */
  rooms?: number;
  /** Messages published per second, over the rooms in turn. Default 2. */
  publishPerSecond?: number;
  /** Connections opened per second by the churn (each subscribes, lives 0.5 s and closes). Default 10. */
  churnPerSecond?: number;
  /** Share of churned connections that close without `$disconnect`. Default 0.25. */
  staleShare?: number;
  /** How long the churn and the publishing run, in seconds. Default 30. */
  durationSeconds?: number;
  /** Held connections opened (and closed) at a time. Default 8. */
  openConcurrency?: number;
  /** Run a warm-up cycle first (a tenth of the size, 5 s). Default true. */
  warmUp?: boolean;
  /** Give up waiting for deliveries or cleanup once nothing has moved for this long, in ms. Default 30000. */
  stallMs?: number;
  /** Running DynamoDB Local and SQS emulator to use; default: the cloud starts its own (then the JVM's memory is measured too). */
  services?: { dynamodb: string; sqs: string };
  /**
   * Template parameters. Default `DeliveryMaxConcurrency=2`: each concurrent delivery starts
   * another environment of the deliver function, which costs a second of CPU on a small machine.
   */
  parameterOverrides?: Record<string, string>;
  /** The scenario's progress, a line per step; default: none. */
  progress?(line: string): void;
  /** The cloud's and the functions' lines; default: dropped. */
  log?(line: string): void;
}

/** The size `npm test` runs (test/reliability/load-held.test.ts). */
export const SMALL_LOAD_HELD: LoadHeldOptions = { connections: 50, durationSeconds: 10 };

export interface MemoryFigures {
  /** After the warm-up cycle, everything closed and cleaned up. */
  before: ProcessSample;
  /** After the full cycle, everything closed and cleaned up. */
  after: ProcessSample;
  heapUsedGrowthMb: number;
  rssGrowthMb: number;
  /** DynamoDB Local's JVM (resident memory); null when the cloud did not start it. */
  dynamodbRssGrowthMb: number | null;
}

export interface LoadHeldFigures extends CycleFigures {
  heldConnections: number;
  rooms: number;
  publishPerSecond: number;
  churnPerSecond: number;
  durationSeconds: number;
  memory: MemoryFigures;
  /** Function environments started during the full cycle (cold starts). */
  coldStarts: number;
  /** Seconds to start the local cloud, and to run the warm-up cycle (0 without one). */
  setupSeconds: { cloudStart: number; warmUp: number };
}

export async function runLoadHeld(options: LoadHeldOptions = {}): Promise<LoadHeldFigures> {
  const size = cycleSize(options);
  const started = performance.now();
  const cloud = await startLocalCloud({
    port: 0,
    samconfig: false,
    watch: false,
    stackName: uniqueStackName('load'),
    ttlIntervalMs: 0, // the scenario sweeps itself, at the end
    ...(options.services ? { services: options.services } : {}),
    parameterOverrides: options.parameterOverrides ?? { DeliveryMaxConcurrency: '2' },
    log: options.log ?? (() => undefined),
    functionLog: options.log ? (fn, line) => options.log!(`[${fn}] ${line}`) : () => undefined,
  });
  const cloudStart = secondsSince(started);
  const progress = (line: string): void => options.progress?.(`load held: ${line}`);
  progress(`local cloud started in ${cloudStart} s`);
  const ctx = cycleContext(cloud, progress);
  try {
    const warmUpStarted = performance.now();
    const warmingUp = options.warmUp ?? true;
    if (warmingUp) {
      const warm = await runCycle(ctx, { ...size, connections: Math.max(10, Math.round(size.connections / 10)), durationSeconds: Math.min(5, size.durationSeconds) }, 'warm');
      progress(`warm-up: ${JSON.stringify(warm)}`);
    }
    const warmUp = warmingUp ? secondsSince(warmUpStarted) : 0;
    const jvm = cloud.info.pids.dynamodb;
    const before = await sampleMemory(jvm);
    progress(`memory before: ${JSON.stringify(before)}`);
    const coldBefore = coldStarts(cloud);
    const figures = await runCycle(ctx, size, 'full');
    const after = await sampleMemory(jvm);
    progress(`memory after: ${JSON.stringify(after)}`);
    return {
      heldConnections: size.connections,
      rooms: size.rooms,
      publishPerSecond: size.publishPerSecond,
      churnPerSecond: size.churnPerSecond,
      durationSeconds: size.durationSeconds,
      ...figures,
      memory: {
        before,
        after,
        heapUsedGrowthMb: round(after.heapUsedMb - before.heapUsedMb),
        rssGrowthMb: round(after.rssMb - before.rssMb),
        dynamodbRssGrowthMb: before.otherRssMb === null || after.otherRssMb === null ? null : round(after.otherRssMb - before.otherRssMb),
      },
      coldStarts: coldStarts(cloud) - coldBefore,
      setupSeconds: { cloudStart, warmUp },
    };
  } finally {
    ctx.ids.destroy();
    ctx.dynamo.destroy();
    ctx.sqs.destroy();
    await cloud.stop();
  }
}

function cycleSize(options: LoadHeldOptions): CycleSize {
  const connections = options.connections ?? 500;
  return {
    connections,
    rooms: options.rooms ?? Math.max(2, Math.round(connections / 50)),
    publishPerSecond: options.publishPerSecond ?? 2,
    churnPerSecond: options.churnPerSecond ?? 10,
    staleShare: options.staleShare ?? 0.25,
    durationSeconds: options.durationSeconds ?? 30,
    openConcurrency: options.openConcurrency ?? 8,
    stallMs: options.stallMs ?? 30_000,
  };
}

function cycleContext(cloud: LocalCloud, progress: (line: string) => void): CycleContext {
  const { info } = cloud;
  const credentials = { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey };
  return {
    cloud,
    publisher: createPublisher({ endpoint: info.publishUrl, region: info.region, credentials }),
    ids: new ConnectionIds(info, () => cloud.servers.gateway!.gateway.connections()),
    dynamo: new DynamoDBClient({ region: info.region, endpoint: info.dynamodbEndpoint, credentials }),
    sqs: new SQSClient({ region: info.region, endpoint: info.sqsEndpoint, credentials }),
    connectionsTable: info.outputs.ConnectionsTableName!,
    progress,
  };
}

function coldStarts(cloud: LocalCloud): number {
  return cloud.model.functions.reduce((sum, fn) => {
    try {
      return sum + cloud.runtime.stats(fn.logicalId).coldStarts;
    } catch {
      return sum; // not run locally
    }
  }, 0);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function secondsSince(start: number): number {
  return round((performance.now() - start) / 1000);
}
