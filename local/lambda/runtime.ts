/** createLambdaRuntime: builds the functions, hosts them in workers, reloads them on change. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBootstrap, Bundler, type BuildResult } from './bundler.js';
import { notFoundError } from './errors.js';
import { FunctionHost } from './function-host.js';
import { defaultLog, RUNTIME_LOG_ID, type LogFn } from './log-sink.js';
import type { FunctionSpec, LambdaRuntime, RuntimeOptions } from './types.js';
import { watchDirectories, type DirectoryWatcher } from './watcher.js';

const DEFAULTS = {
  maxConcurrencyDefault: 10,
  queueTimeoutMs: 3000,
  unreservedQueueTimeoutMs: 30_000,
  idleTimeoutMs: 5 * 60_000,
  initTimeoutSeconds: 10,
  debounceMs: 100,
};

export async function createLambdaRuntime(functions: FunctionSpec[], options: RuntimeOptions = {}): Promise<LambdaRuntime> {
  const ids = new Set(functions.map((f) => f.id));
  if (ids.size !== functions.length) throw new Error('function ids must be unique');
  const log: LogFn = options.log ?? defaultLog;
  const outDir = options.outDir ?? (await mkdtemp(join(tmpdir(), 'roomcast-lambda-')));
  if (options.outDir) await mkdir(outDir, { recursive: true });
  const removeOutDir = async (): Promise<void> => {
    if (!options.outDir) await rm(outDir, { recursive: true, force: true });
  };

  let bundler: Bundler | undefined;
  let bootstrapFile: string;
  let first: BuildResult;
  try {
    [bootstrapFile, bundler] = await Promise.all([buildBootstrap(outDir), Bundler.create(functions, outDir)]);
    first = await bundler.build();
    if (!first.ok) throw new Error(`cannot build the functions:\n${first.message}`);
  } catch (error) {
    await bundler?.dispose();
    await removeOutDir();
    throw error;
  }
  log(RUNTIME_LOG_ID, `built ${functions.length} functions in ${first.ms} ms`);

  const builder = bundler;
  const hosts = new Map<string, FunctionHost>();
  for (const spec of functions) {
    const code = first.code.get(spec.id);
    if (!code) throw new Error(`no bundle for ${spec.id}`);
    hosts.set(
      spec.id,
      new FunctionHost(spec, code, {
        baseEnv: options.baseEnv ?? {},
        bootstrapFile,
        log,
        concurrency: options.maxConcurrencyDefault ?? DEFAULTS.maxConcurrencyDefault,
        throttle: options.throttle ?? 'queue',
        queueTimeoutMs: options.queueTimeoutMs ?? DEFAULTS.queueTimeoutMs,
        unreservedQueueTimeoutMs: options.unreservedQueueTimeoutMs ?? DEFAULTS.unreservedQueueTimeoutMs,
        idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
        initTimeoutSeconds: options.initTimeoutSeconds ?? DEFAULTS.initTimeoutSeconds,
        endpointAliases: options.endpointAliases ?? [],
      }),
    );
  }
  const current = new Map([...first.code].map(([id, code]) => [id, code.hash]));
  let closed = false;

  const rebuild = async (): Promise<void> => {
    if (closed) return;
    const result = await builder.build();
    if (closed) return;
    if (!result.ok) {
      log(RUNTIME_LOG_ID, `reload failed after ${result.ms} ms, the previous code keeps running:\n${result.message}`, 'stderr');
      throw new Error(`build failed:\n${result.message}`);
    }
    let changed = 0;
    for (const [id, code] of result.code) {
      if (current.get(id) === code.hash) continue;
      current.set(id, code.hash);
      hosts.get(id)?.setCode(code);
      changed++;
    }
    const unchanged = functions.length - changed;
    log(RUNTIME_LOG_ID, `reloaded ${changed} function${changed === 1 ? '' : 's'} in ${result.ms} ms${unchanged ? ` (${unchanged} unchanged)` : ''}`);
  };

  // One build at a time; calls made while one runs share the next build.
  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  const reload = (): Promise<void> => {
    if (queued) return queued;
    const next = chain.then(() => {
      queued = undefined;
      return rebuild();
    });
    queued = next;
    chain = next.catch(() => undefined);
    return next;
  };

  let watcher: DirectoryWatcher | undefined;
  if (options.watch?.length) {
    watcher = watchDirectories(
      options.watch,
      options.debounceMs ?? DEFAULTS.debounceMs,
      () => void reload().catch(() => undefined), // already logged
      (error) => log(RUNTIME_LOG_ID, `watch error: ${error.message}`, 'stderr'),
    );
  }

  const host = (id: string): FunctionHost => {
    const found = hosts.get(id);
    if (!found) throw notFoundError(id);
    return found;
  };

  return {
    invoke: async (id, event, invokeOptions) => host(id).invoke(event, invokeOptions),
    reload,
    stats: (id) => host(id).stats(),
    faults: {
      failNext: (id, count, message, afterMs) => host(id).failNext(count, message, afterMs),
      clear: () => hosts.forEach((h) => h.clearFaults()),
    },
    close: async () => {
      if (closed) return;
      closed = true;
      watcher?.close();
      await chain;
      await Promise.all([...hosts.values()].map((h) => h.close()));
      await builder.dispose();
      await removeOutDir();
    },
  };
}
