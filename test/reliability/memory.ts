/**
 * Memory of this process (where the local cloud runs) after a forced full garbage
 * collection, and the resident memory of another process (DynamoDB Local's JVM) from
 * /proc/<pid>/status where there is one (Linux).
 */
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

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

const MIB = 1024 * 1024;

let gc: (() => void) | undefined | null;

/** `global.gc`, exposed on the fly when Node was started without --expose-gc; null if impossible. */
function collector(): (() => void) | null {
  if (gc !== undefined) return gc;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return (gc = exposed);
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  } catch {
    gc = null;
  }
  return gc;
}

/** Lets pending callbacks run, collects garbage twice (what the first frees may free more), then samples. */
export async function sampleMemory(otherPid?: number): Promise<MemorySample> {
  const collect = collector();
  for (let round = 0; round < 2; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    collect?.();
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: mib(rss), heapUsedMb: mib(heapUsed), otherRssMb: otherPid === undefined ? null : await residentMb(otherPid), gcForced: collect !== null };
}

async function residentMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? null : mib(Number(kb) * 1024);
  } catch {
    return null;
  }
}

function mib(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}
