import { LIMITS } from './limits.js';
import { encodeJob, type DeliveryJob } from './delivery-job.js';

/**
 * Fan-out planning, without I/O: which shard holds a connection's subscription row,
 * and how a list of connections becomes delivery jobs and SendMessageBatch calls.
 */

/** FNV-1a over the connection id: a stable shard for all of one connection's rows. */
export function shardOf(connectionId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < connectionId.length; i += 1) {
    hash ^= connectionId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export interface JobLimits {
  /** Most connections in one job. */
  jobSize: number;
  /** Most bytes in one job's body. */
  jobBytes?: number;
}

type JobMessage = Omit<DeliveryJob, 'connections' | 'attempt' | 'v'>;

/** Split connections into jobs of at most `jobSize` ids whose encoded body fits `jobBytes`. */
export function planJobs(message: JobMessage, connections: readonly string[], limits: JobLimits, attempt = 0): DeliveryJob[] {
  const jobBytes = limits.jobBytes ?? LIMITS.jobBytes;
  const base = Buffer.byteLength(encodeJob({ v: 1, ...message, connections: [], attempt }));
  if (base > jobBytes) throw new RangeError(`a delivery job for message ${message.id} cannot fit ${jobBytes} bytes`);
  const jobs: DeliveryJob[] = [];
  let current: string[] = [];
  let bytes = base;
  for (const connection of connections) {
    const cost = Buffer.byteLength(JSON.stringify(connection)) + 1;
    if (current.length > 0 && (current.length >= limits.jobSize || bytes + cost > jobBytes)) {
      jobs.push({ v: 1, ...message, connections: current, attempt });
      current = [];
      bytes = base;
    }
    current.push(connection);
    bytes += cost;
  }
  if (current.length > 0) jobs.push({ v: 1, ...message, connections: current, attempt });
  return jobs;
}

/** Group encoded bodies into SendMessageBatch calls: at most 10 entries and `batchBytes` each. */
export function planBatches(bodies: readonly string[], batchBytes: number = LIMITS.jobBytes): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body);
    if (current.length > 0 && (current.length >= LIMITS.sqsBatchEntries || bytes + size > batchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
