/** The machine a run measured on, and how busy it was while it ran. */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** The 1-minute load average, sampled every 10 s during the run (0 where the OS has none). */
  loadAverage: { min: number; mean: number; max: number };
}

export function describeMachine(): Omit<Machine, 'loadAverage'> {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function watchLoad(intervalMs = 10_000): { stop(): Machine['loadAverage'] } {
  const samples = [loadavg()[0]!];
  const timer = setInterval(() => samples.push(loadavg()[0]!), intervalMs);
  timer.unref();
  const round = (value: number): number => Math.round(value * 10) / 10;
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadavg()[0]!);
      return { min: round(Math.min(...samples)), mean: round(samples.reduce((a, b) => a + b, 0) / samples.length), max: round(Math.max(...samples)) };
    },
  };
}
