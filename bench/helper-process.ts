/**
 * A benchmark helper in its own process (the local cloud, the raw broadcast server, a
 * metering proxy), so that its CPU and memory are its own and not the measuring process's.
 * The parent forks a module with this repository's TypeScript loader and sends it its
 * arguments; the module says it is ready with a value, then answers calls by name over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TS_REGISTER = new URL('../bin/ts-register.mjs', import.meta.url).href;
const FLAG = '--bench-helper';
const STOP_PATIENCE_MS = 20_000;

export interface Helper<R> {
  pid: number;
  /** What the helper said when it was ready. */
  ready: R;
  call<T>(name: string, payload?: unknown): Promise<T>;
  /** Asks the helper to stop in order; kills it if it takes too long. */
  stop(): Promise<void>;
}

type FromChild = { type: 'ready'; value: unknown } | { type: 'failed'; message: string } | { type: 'answer'; id: number; value?: unknown; error?: string };
type ToChild = { type: 'start'; args: unknown } | { type: 'call'; id: number; name: string; payload: unknown } | { type: 'stop' };

/** `nodeArgs`: more options for its Node (e.g. `--cpu-prof`). */
export async function forkHelper<R>(moduleUrl: string, args: unknown, nodeArgs: readonly string[] = []): Promise<Helper<R>> {
  const child = fork(fileURLToPath(moduleUrl), [FLAG], {
    execArgv: [...nodeArgs, '--import', TS_REGISTER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // The AWS SDK's notice about Node versions is noise here, as in `roomcast`.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => pending.forEach(({ reject }) => reject(new Error('the helper process exited'))));
  const ready = new Promise<R>((resolve, reject) => {
    child.on('message', (raw) => {
      const message = raw as FromChild;
      if (message.type === 'ready') resolve(message.value as R);
      else if (message.type === 'failed') reject(new Error(message.message));
      else {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.value);
      }
    });
    void exited.then(() => reject(new Error(`the helper ${moduleUrl} exited before it was ready`)));
  });
  send(child, { type: 'start', args });
  let value: R;
  try {
    value = await ready;
  } catch (error) {
    await stop(child, exited);
    throw error;
  }
  let next = 0;
  return {
    pid: child.pid!,
    ready: value,
    call: <T>(name: string, payload?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        send(child, { type: 'call', id, name, payload });
      }),
    stop: () => stop(child, exited),
  };
}

function send(child: ChildProcess, message: ToChild): void {
  if (child.connected) child.send(message);
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  send(child, { type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_PATIENCE_MS);
  await exited;
  clearTimeout(timer);
}

export interface Started {
  ready: unknown;
  calls?: Record<string, (payload: unknown) => unknown>;
  stop(): Promise<void>;
}

/** True in the process `forkHelper` started from this module. */
export function isHelper(moduleUrl: string): boolean {
  return process.argv[1] === fileURLToPath(moduleUrl) && process.argv.includes(FLAG);
}

/** The helper's side: start with the parent's arguments, answer its calls, stop when asked (or orphaned). */
export function serveHelper<A>(start: (args: A) => Promise<Started>): void {
  let started: Started | undefined;
  let stopping = false;
  const finish = async (): Promise<never> => {
    if (!stopping) {
      stopping = true;
      await started?.stop().catch((error: unknown) => process.stderr.write(`${String(error)}\n`));
    }
    process.exit(0);
  };
  process.on('disconnect', () => void finish());
  process.on('message', (raw) => {
    const message = raw as ToChild;
    if (message.type === 'stop') void finish();
    else if (message.type === 'start') {
      start(message.args as A).then(
        (value) => {
          started = value;
          process.send?.({ type: 'ready', value: value.ready });
        },
        (error: unknown) => {
          process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
          process.exit(1);
        },
      );
    } else {
      const call = started?.calls?.[message.name];
      Promise.resolve()
        .then(() => {
          if (!call) throw new Error(`no call ${message.name}`);
          return call(message.payload);
        })
        .then(
          (value) => process.send?.({ type: 'answer', id: message.id, value }),
          (error: unknown) => process.send?.({ type: 'answer', id: message.id, error: String(error) }),
        );
    }
  });
}
