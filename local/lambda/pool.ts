/**
 * The execution environments (workers) of one function. Warm workers are reused, most
 * recently used first, like Lambda reuses environments; idle ones are retired after a while.
 * After a code swap, idle workers of the old code are terminated at once and busy ones as
 * soon as they hand their invocation back.
 */
import { unlink } from 'node:fs/promises';
import type { BuiltCode } from './bundler.js';
import { newLogStreamName, workerConfig, workerEnvironment, type FunctionIdentity } from './environment.js';
import type { EndpointAlias } from './endpoint-aliases.js';
import type { FunctionSpec, OutputStream } from './types.js';
import { WorkerHandle } from './worker-handle.js';

export interface PoolOptions {
  spec: FunctionSpec;
  identity: FunctionIdentity;
  baseEnv: Record<string, string>;
  bootstrapFile: string;
  initTimeoutSeconds: number;
  idleTimeoutMs: number;
  endpointAliases: EndpointAlias[];
  output(line: string, stream: OutputStream): void;
}

export class WorkerPool {
  private idle: WorkerHandle[] = [];
  private readonly codeOf = new Map<WorkerHandle, BuiltCode>();
  private readonly idleTimers = new Map<WorkerHandle, NodeJS.Timeout>();
  /** Workers still loading each bundle file: a replaced file is deleted once none is. */
  private readonly loading = new Map<string, number>();
  private readonly retiredFiles = new Set<string>();

  constructor(
    private readonly options: PoolOptions,
    private code: BuiltCode,
  ) {}

  /** A warm worker of the current code, or a new one (a cold start). */
  take(): { handle: WorkerHandle; cold: boolean } {
    const warm = this.idle.pop();
    if (warm) {
      clearTimeout(this.idleTimers.get(warm));
      this.idleTimers.delete(warm);
      return { handle: warm, cold: false };
    }
    return { handle: this.spawn(), cold: true };
  }

  /** Hand a worker back after an invocation. */
  give(handle: WorkerHandle): void {
    if (!handle.isAlive) return;
    if (this.codeOf.get(handle) !== this.code) {
      void handle.terminate();
      return;
    }
    this.idle.push(handle);
    const timer = setTimeout(() => this.retire(handle), this.options.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(handle, timer);
  }

  /** New invocations get workers running `code`; in-flight ones finish on the old code. */
  setCode(code: BuiltCode): void {
    if (code.hash === this.code.hash) return;
    this.retiredFiles.add(this.code.file);
    this.retiredFiles.delete(code.file);
    this.code = code;
    for (const handle of this.idle.splice(0)) this.retire(handle);
    this.cleanFiles();
  }

  get workerCount(): number {
    return this.codeOf.size;
  }

  async close(): Promise<void> {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    this.idle = [];
    await Promise.all([...this.codeOf.keys()].map((handle) => handle.terminate()));
  }

  private spawn(): WorkerHandle {
    const { spec, identity, baseEnv } = this.options;
    const code = this.code;
    const logStreamName = newLogStreamName();
    const handle = new WorkerHandle({
      bootstrapFile: this.options.bootstrapFile,
      config: workerConfig(spec, identity, code.url, logStreamName, this.options.endpointAliases),
      env: workerEnvironment(spec, baseEnv, identity, logStreamName),
      memoryMb: spec.memoryMb,
      initTimeoutSeconds: this.options.initTimeoutSeconds,
      output: this.options.output,
      onExit: (gone) => this.forget(gone),
    });
    this.codeOf.set(handle, code);
    this.loading.set(code.file, (this.loading.get(code.file) ?? 0) + 1);
    void handle.ready.then(() => {
      this.loading.set(code.file, (this.loading.get(code.file) ?? 1) - 1);
      this.cleanFiles();
    });
    return handle;
  }

  private retire(handle: WorkerHandle): void {
    clearTimeout(this.idleTimers.get(handle));
    this.idleTimers.delete(handle);
    this.idle = this.idle.filter((h) => h !== handle);
    void handle.terminate();
  }

  private forget(handle: WorkerHandle): void {
    clearTimeout(this.idleTimers.get(handle));
    this.idleTimers.delete(handle);
    this.idle = this.idle.filter((h) => h !== handle);
    this.codeOf.delete(handle);
  }

  private cleanFiles(): void {
    for (const file of this.retiredFiles) {
      if ((this.loading.get(file) ?? 0) > 0 || file === this.code.file) continue;
      this.retiredFiles.delete(file);
      this.loading.delete(file);
      void unlink(file).catch(() => undefined);
    }
  }
}
