/** `roomcast <command>` as a child process, as a user runs it, and ports for a local cloud. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/roomcast.mjs', import.meta.url));
const PATIENCE_MS = 15_000;

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves once stderr has a line containing `text`. */
  stderrLine(text: string): Promise<void>;
}

export function startCli(args: string[], input?: string): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiting = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    waiting.forEach((check) => check());
  });
  child.stdin!.end(input);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const stderrLine = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${text}" on stderr within ${PATIENCE_MS} ms: ${err}`)), PATIENCE_MS);
      const check = (): void => {
        if (!err.includes(text)) return;
        clearTimeout(timer);
        waiting.delete(check);
        resolve();
      };
      waiting.add(check);
      check();
    });
  return { child, stdout: () => out, stderr: () => err, exited, stderrLine };
}

/** Runs a command to its end (killed after the patience runs out). */
export async function runCli(args: string[], input?: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const run = startCli(args, input);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), PATIENCE_MS);
  const code = await run.exited;
  clearTimeout(timer);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A first port N such that N .. N+count-1 were free a moment ago (the local cloud's layout). */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const first = 20_000 + Math.floor(Math.random() * 40_000);
    const all = await Promise.all(Array.from({ length: count }, (_, offset) => free(first + offset)));
    if (all.every(Boolean)) return first;
  }
  throw new Error(`no ${count} free ports in a row`);
}
