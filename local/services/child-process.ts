import type { ChildProcess } from 'node:child_process';

/**
 * Kills `child` when this process exits, and (unless `signals` is false) on SIGINT/SIGTERM,
 * so that no child outlives it, also when nobody calls stop. Returns the undo.
 */
export function killOnExit(child: ChildProcess, { signals = true } = {}): () => void {
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    child.kill('SIGKILL');
    // Keep the default behaviour (terminate) when nobody else handles the signal.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  // First in line: another 'exit' listener that calls process.exit() ends the process at once.
  process.prependOnceListener('exit', onExit);
  if (signals) {
    process.prependOnceListener('SIGINT', onSignal);
    process.prependOnceListener('SIGTERM', onSignal);
  }
  return () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/** Keeps the last `max` characters a child wrote, for error messages. */
export function outputTail(child: ChildProcess, max = 4000): () => string {
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-max);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => output;
}
