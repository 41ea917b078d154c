import { LIMITS } from './limits.js';
import { encodeJob, type DeliveryJob } from './delivery-job.js';
import { pack } from './pack.js';

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
  const groups = pack(connections, { maxBytes: jobBytes, maxCount: limits.jobSize, baseBytes: base }, (connection) => Buffer.byteLength(JSON.stringify(connection)) + 1);
  return groups.map((group) => ({ v: 1, ...message, connections: group, attempt }));
}

/** Group encoded bodies into SendMessageBatch calls: at most 10 entries and `batchBytes` each. */
export function planBatches(bodies: readonly string[], batchBytes: number = LIMITS.jobBytes): string[][] {
  return pack(bodies, { maxBytes: batchBytes, maxCount: LIMITS.sqsBatchEntries }, (body) => Buffer.byteLength(body));
}
