/**
 * Memory of this process (where the local cloud runs) after a forced full garbage
 * collection, and the resident memory of another process (DynamoDB Local's JVM), in MiB
 * rounded to 0.1, measured with the benchmarks' probes (bench/process-probes.ts).
 */
import { rssMbOf, settledOwnSample } from '../bench/process-probes.js';

export interface MemorySample {
  /** Resident set size of this process (its worker threads included), in MiB. */
  rssMb: number;
  /** The main thread's V8 heap in use, in MiB. */
  heapUsedMb: number;
  /** Resident set size of the other process, in MiB; null when unknown. */
  otherRssMb: number | null;
  /** Whether a full garbage collection ran first. */
  gcForced: boolean;
}

export async function sampleMemory(otherPid?: number): Promise<MemorySample> {
  const own = await settledOwnSample();
  const other = otherPid === undefined ? null : await rssMbOf(otherPid);
  return { rssMb: tenth(own.rssMb), heapUsedMb: tenth(own.heapMb), otherRssMb: other === null ? null : tenth(other), gcForced: own.gcForced };
}

function tenth(mb: number): number {
  return Math.round(mb * 10) / 10;
}
