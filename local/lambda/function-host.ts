/** One function: concurrency, injected faults, workers and the counters of stats(). */
import type { EndpointAlias } from './endpoint-aliases.js';
import { randomUUID } from 'node:crypto';
import type { BuiltCode } from './bundler.js';
import { functionIdentity } from './environment.js';
import { closedError, exitError, LambdaInvokeError, throttleError } from './errors.js';
import type { LogFn } from './log-sink.js';
import { WorkerPool } from './pool.js';
import type { SerializedError } from './protocol.js';
import { Slots } from './slots.js';
import type { FunctionSpec, FunctionStats, InvokeOptions, ThrottleMode } from './types.js';
import type { Outcome, WorkerHandle } from './worker-handle.js';

export interface HostOptions {
  baseEnv: Record<string, string>;
  bootstrapFile: string;
  log: LogFn;
  concurrency: number;
  throttle: ThrottleMode;
  queueTimeoutMs: number;
  /** The wait of a function without reserved concurrency (RuntimeOptions.unreservedQueueTimeoutMs). */
  unreservedQueueTimeoutMs: number;
  idleTimeoutMs: number;
  initTimeoutSeconds: number;
  endpointAliases: EndpointAlias[];
}

export class FunctionHost {
  private readonly slots: Slots;
  private readonly pool: WorkerPool;
  private readonly counters = { invocations: 0, errors: 0, throttles: 0, coldStarts: 0 };
  /** Injected failures, in order; with `afterMs` the handler runs and its environment crashes. */
  private readonly injected: Array<{ message: string; afterMs?: number }> = [];
  private closed = false;

  constructor(
    readonly spec: FunctionSpec,
    code: BuiltCode,
    private readonly options: HostOptions,
  ) {
    this.slots = new Slots(spec.reservedConcurrency ?? options.concurrency);
    this.pool = new WorkerPool(
      {
        spec,
        identity: functionIdentity(spec, options.baseEnv),
        baseEnv: options.baseEnv,
        bootstrapFile: options.bootstrapFile,
        initTimeoutSeconds: options.initTimeoutSeconds,
        idleTimeoutMs: options.idleTimeoutMs,
        endpointAliases: options.endpointAliases,
        output: (line, stream) => options.log(spec.id, line, stream),
      },
      code,
    );
  }

  async invoke(event: unknown, options: InvokeOptions = {}): Promise<unknown> {
    const id = this.spec.id;
    if (this.closed) throw closedError(id);
    const payload = serializeEvent(id, event);
    const mode = options.throttle ?? this.options.throttle;
    const granted = await this.slots.acquire(mode, options.queueTimeoutMs ?? this.queueTimeoutMs());
    if (!granted) {
      if (this.closed) throw closedError(id);
      this.counters.throttles++;
      throw throttleError(id);
    }
    const requestId = options.requestId ?? randomUUID();
    this.counters.invocations++;
    try {
      return JSON.parse(await this.run(requestId, payload)) as unknown;
    } finally {
      this.slots.release();
    }
  }

  private queueTimeoutMs(): number {
    const { queueTimeoutMs, unreservedQueueTimeoutMs } = this.options;
    return this.spec.reservedConcurrency === undefined ? Math.max(queueTimeoutMs, unreservedQueueTimeoutMs) : queueTimeoutMs;
  }

  setCode(code: BuiltCode): void {
    this.pool.setCode(code);
  }

  failNext(count: number, message = 'Injected fault', afterMs?: number): void {
    for (let i = 0; i < count; i++) this.injected.push(afterMs === undefined ? { message } : { message, afterMs });
  }

  clearFaults(): void {
    this.injected.length = 0;
  }

  stats(): FunctionStats {
    return { ...this.counters, concurrent: this.slots.inUse };
  }

  get workerCount(): number {
    return this.pool.workerCount;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.slots.refuseAll();
    await this.pool.close();
  }

  /** Resolves to the result's JSON text; rejects with a LambdaInvokeError. */
  private async run(requestId: string, event: string): Promise<string> {
    const fault = this.injected.shift();
    if (fault !== undefined && fault.afterMs === undefined) throw this.failure(requestId, { errorType: 'Error', errorMessage: fault.message });
    const { handle, cold } = this.pool.take();
    if (cold) this.counters.coldStarts++;
    try {
      if (cold) {
        const init = await handle.ready;
        if (!init.ok) {
          this.options.log(this.spec.id, `${requestId} INIT failed: ${init.error.errorType}: ${init.error.errorMessage}`, 'stderr');
          throw this.failure(requestId, init.error);
        }
      }
      const outcome = fault?.afterMs === undefined ? await handle.invoke(requestId, event, this.spec.timeoutSeconds) : await this.crash(handle, requestId, event, fault.afterMs);
      if (!outcome.ok) {
        if (outcome.error.errorType === 'Sandbox.Timedout') this.options.log(this.spec.id, `${requestId} ${outcome.error.errorMessage}`, 'stderr');
        throw this.failure(requestId, outcome.error);
      }
      return outcome.payload;
    } finally {
      this.pool.give(handle);
    }
  }

  /**
   * Runs the invocation and ends its environment `afterMs` after it started, as a crash
   * does: whatever the handler did by then stays done, and the invocation fails with
   * Runtime.ExitError (also when the handler had answered sooner: its answer is lost).
   */
  private async crash(handle: WorkerHandle, requestId: string, event: string, afterMs: number): Promise<Outcome> {
    const running = handle.invoke(requestId, event, this.spec.timeoutSeconds);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, afterMs)))]);
    clearTimeout(timer);
    await handle.terminate();
    const outcome = await running;
    return outcome.ok ? { ok: false, error: exitError(requestId, 1) } : outcome;
  }

  private failure(requestId: string, error: SerializedError): LambdaInvokeError {
    this.counters.errors++;
    return new LambdaInvokeError({ ...error, functionId: this.spec.id, requestId });
  }
}

/** The event as Lambda receives it: JSON text (undefined becomes null). */
function serializeEvent(functionId: string, event: unknown): string {
  try {
    return JSON.stringify(event) ?? 'null';
  } catch (error) {
    throw new LambdaInvokeError({
      functionId,
      errorType: 'InvalidRequestContentException',
      errorMessage: `Could not serialize the event: ${(error as Error).message}`,
      statusCode: 400,
    });
  }
}
