/**
 * What the processes under test use while a scenario runs: the resident set of a process
 * by its pid (Linux `/proc`, else `ps`), its CPU time (Linux), and a heap when the process
 * reports its own; this process's memory after a forced garbage collection. The benchmarks
 * and the reliability run (reliability/memory.ts) measure with these.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface ProcessSample {
  rssMb: number;
  /** The main thread's V8 heap in use, when the process reports it. */
  heapMb?: number;
  /** CPU time since the process started, every thread (user + system). */
  cpuMs?: number;
}

export interface ProcessProbe {
  /** What is measured: `cloud`, `dynamodb`, `raw server`. */
  name: string;
  sample(): Promise<ProcessSample | null>;
}

/** Peaks over a scenario, by probe name. */
export type MemoryPeaks = Record<string, { rssMb: number; heapMb?: number }>;

const MB = 1024 * 1024;
/** Linux's USER_HZ: the unit of /proc/<pid>/stat times, 100 on every common build. */
const TICKS_PER_SECOND = 100;
const run = promisify(execFile);

/** The resident set of a process, or null when it cannot be read (gone, another machine). */
export async function rssMbOf(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // Not Linux, or the process is gone: ask ps.
  }
  try {
    const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
    const kb = Number(stdout.trim());
    return Number.isFinite(kb) && kb > 0 ? kb / 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU time of a process from `/proc/<pid>/stat` (Linux); undefined elsewhere. */
export async function cpuMsOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export function pidProbe(name: string, pid: number): ProcessProbe {
  return {
    name,
    async sample() {
      const [rssMb, cpuMs] = await Promise.all([rssMbOf(pid), cpuMsOf(pid)]);
      return rssMb === null ? null : { rssMb, ...(cpuMs === undefined ? {} : { cpuMs }) };
    },
  };
}

/** This process, as it sees itself: for a helper process to report, or the benchmark's own share. */
export function ownSample(): Required<ProcessSample> {
  const { rss, heapUsed } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  return { rssMb: rss / MB, heapMb: heapUsed / MB, cpuMs: (user + system) / 1000 };
}

/**
 * This process once pending callbacks have run and a full garbage collection has run twice
 * (what the first frees may free more): the memory that stays. `gcForced` is false when no
 * collection could be forced.
 */
export async function settledOwnSample(): Promise<Required<ProcessSample> & { gcForced: boolean }> {
  const collect = collector();
  for (let round = 0; round < 2; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    collect?.();
  }
  return { ...ownSample(), gcForced: collect !== null };
}

let gc: (() => void) | null | undefined;

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

/** CPU time of each probe that reports one, now. */
export async function cpuNow(probes: readonly ProcessProbe[]): Promise<Record<string, number>> {
  const samples = await Promise.all(probes.map(async (probe) => [probe.name, (await probe.sample().catch(() => null))?.cpuMs] as const));
  return Object.fromEntries(samples.filter((entry): entry is readonly [string, number] => entry[1] !== undefined));
}

/** CPU milliseconds each process used between two `cpuNow`, per unit of work (a delivery, a subscribe), rounded to 0.001. */
export function cpuPerUnit(before: Record<string, number>, after: Record<string, number>, units: number): Record<string, number> {
  if (units <= 0) return {};
  return Object.fromEntries(Object.entries(after).filter(([name]) => name in before).map(([name, ms]) => [name, Math.round(((ms - before[name]!) / units) * 1000) / 1000]));
}

/** Samples every probe every `intervalMs` until stopped; answers the peaks, rounded to 0.1 MB. */
export function watchMemory(probes: readonly ProcessProbe[], intervalMs = 500): { stop(): Promise<MemoryPeaks> } {
  const peaks: MemoryPeaks = {};
  const sampleAll = async (): Promise<void> => {
    await Promise.all(
      probes.map(async (probe) => {
        const sample = await probe.sample().catch(() => null);
        if (!sample) return;
        const peak = (peaks[probe.name] ??= { rssMb: 0 });
        peak.rssMb = Math.max(peak.rssMb, sample.rssMb);
        if (sample.heapMb !== undefined) peak.heapMb = Math.max(peak.heapMb ?? 0, sample.heapMb);
      }),
    );
  };
  let sampling = sampleAll();
  const timer = setInterval(() => {
    sampling = sampling.then(sampleAll);
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await sampling.then(sampleAll);
      const round = (value: number): number => Math.round(value * 10) / 10;
      return Object.fromEntries(Object.entries(peaks).map(([name, peak]) => [name, { rssMb: round(peak.rssMb), ...(peak.heapMb === undefined ? {} : { heapMb: round(peak.heapMb) }) }]));
    },
  };
}
