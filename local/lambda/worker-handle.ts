/** The runtime's side of one function worker: start (cold start), invoke with a deadline, stop. */
import { Worker } from 'node:worker_threads';
import { exitError, outOfMemoryError, serializeError, timeoutError } from './errors.js';
import { LineSplitter } from './log-sink.js';
import type { FromWorker, InvokeMessage, SerializedError, WorkerConfig } from './protocol.js';
import type { OutputStream } from './types.js';

/**
 * Each environment's young generation, in MB. V8's default lets an isolate's new space grow
 * to tens of MB under load; times the environments a burst starts, that was most of the local
 * cloud's memory, for no speed (docs/performance.md, "The local cloud's memory").
 */
export const YOUNG_GENERATION_MB = 8;

/**
 * A worker takes none of the process's Node options but its profilers' (`--cpu-prof`,
 * `--heap-prof` and their settings): profiling the local cloud profiles every environment,
 * each to its own file.
 */
export const PROFILER_FLAGS = process.execArgv.filter((flag) => /^--(cpu|heap)-prof/.test(flag));

export type Outcome = { ok: true; payload: string } | { ok: false; error: SerializedError };

export interface WorkerHandleOptions {
  bootstrapFile: string;
  config: WorkerConfig;
  env: Record<string, string>;
  memoryMb: number;
  initTimeoutSeconds: number;
  output(line: string, stream: OutputStream): void;
  /** Called once when the worker is gone, whatever the reason. */
  onExit(handle: WorkerHandle): void;
}

interface Pending {
  requestId: string;
  settle(outcome: Outcome): void;
}

export class WorkerHandle {
  /** Resolves when the function's module is loaded; an init error ends the worker. */
  readonly ready: Promise<Outcome>;
  private readonly worker: Worker;
  private readonly splitters: Record<OutputStream, LineSplitter>;
  private pending: Pending | undefined;
  private alive = true;
  private initDone: ((outcome: Outcome) => void) | undefined;

  constructor(private readonly options: WorkerHandleOptions) {
    this.splitters = {
      stdout: new LineSplitter((line) => options.output(line, 'stdout')),
      stderr: new LineSplitter((line) => options.output(line, 'stderr')),
    };
    this.worker = new Worker(options.bootstrapFile, {
      workerData: options.config,
      env: options.env,
      execArgv: PROFILER_FLAGS,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    // Output written around the patched streams (rare) still reaches the log.
    this.worker.stdout.on('data', (chunk: Buffer) => this.splitters.stdout.push(chunk.toString('utf8')));
    this.worker.stderr.on('data', (chunk: Buffer) => this.splitters.stderr.push(chunk.toString('utf8')));
    this.worker.on('message', (message: FromWorker) => this.onMessage(message));
    this.worker.on('error', (error: Error) => this.fail(this.fatalError(error)));
    this.worker.on('exit', (code) => this.onWorkerExit(code));
    this.ready = this.startInit();
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Run one invocation; the worker is terminated when it times out or crashes. */
  invoke(requestId: string, event: string, timeoutSeconds: number): Promise<Outcome> {
    if (!this.alive) return Promise.resolve({ ok: false, error: exitError(requestId, 1) });
    if (this.pending) throw new Error('a worker runs one invocation at a time');
    const deadline = Date.now() + timeoutSeconds * 1000;
    this.worker.ref();
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.settle({ ok: false, error: timeoutError(timeoutSeconds) });
        void this.terminate();
      }, timeoutSeconds * 1000);
      this.pending = {
        requestId,
        settle: (outcome) => {
          clearTimeout(timer);
          this.pending = undefined;
          if (this.alive) this.worker.unref();
          resolve(outcome);
        },
      };
      const message: InvokeMessage = { type: 'invoke', requestId, event, deadline };
      this.worker.postMessage(message);
    });
  }

  async terminate(): Promise<void> {
    if (!this.alive) return;
    this.alive = false;
    await this.worker.terminate();
  }

  private startInit(): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const limit = this.options.initTimeoutSeconds;
      const timer = setTimeout(() => {
        this.initDone?.({ ok: false, error: timeoutError(limit) });
        void this.terminate();
      }, limit * 1000);
      this.initDone = (outcome) => {
        clearTimeout(timer);
        this.initDone = undefined;
        if (outcome.ok) this.worker.unref();
        resolve(outcome);
      };
    });
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'output':
        this.splitters[message.stream].push(message.text);
        return;
      case 'ready':
        this.initDone?.({ ok: true, payload: '' });
        return;
      case 'init-error':
        this.initDone?.({ ok: false, error: message.error });
        void this.terminate();
        return;
      case 'result':
        if (this.pending?.requestId === message.requestId) this.settle({ ok: true, payload: message.payload });
        return;
      case 'error':
        if (this.pending?.requestId === message.requestId) this.settle({ ok: false, error: message.error });
        return;
      case 'crash':
        this.fail(message.error);
        void this.terminate();
        return;
    }
  }

  private settle(outcome: Outcome): void {
    this.pending?.settle(outcome);
  }

  private fatalError(error: Error): SerializedError {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') return outOfMemoryError(this.pending?.requestId ?? 'init');
    return serializeError(error);
  }

  /** The worker is (about to be) gone: fail whatever waits on it. */
  private fail(error: SerializedError): void {
    this.alive = false;
    this.initDone?.({ ok: false, error });
    this.settle({ ok: false, error });
  }

  private onWorkerExit(code: number): void {
    this.fail(exitError(this.pending?.requestId ?? 'init', code));
    this.splitters.stdout.flush();
    this.splitters.stderr.flush();
    this.options.onExit(this);
  }
}
