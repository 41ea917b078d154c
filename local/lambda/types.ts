/** Public types of the local Lambda runtime. */
import type { EndpointAlias } from './endpoint-aliases.js';

/** One function of the template, as the runtime needs it. */
export interface FunctionSpec {
  /** Logical id, e.g. 'PublishFunction'. Used as the key of every runtime call. */
  id: string;
  /** Absolute path of the TypeScript (or JavaScript) entry, e.g. /…/functions/publish/index.ts. */
  entry: string;
  /** Export name of the handler, e.g. 'handler'. */
  handler: string;
  /** Exactly this function's environment (resolved from the template). */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** Maximum concurrent invocations; RuntimeOptions.maxConcurrencyDefault (10) when absent. */
  reservedConcurrency?: number;
  /** Physical function name (AWS_LAMBDA_FUNCTION_NAME, context.functionName); defaults to id. */
  name?: string;
  /** Function ARN (context.invokedFunctionArn); built from region and name when absent. */
  arn?: string;
}

/** Which process stream a function's output line was written to. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * What an invocation does when the function already runs `reservedConcurrency` invocations:
 * - 'queue': wait (FIFO) for a free slot, at most `queueTimeoutMs`, then throttle;
 *   like an event source mapping that simply polls slower.
 * - 'reject': throttle at once, like a synchronous Invoke answered with 429.
 */
export type ThrottleMode = 'queue' | 'reject';

export interface InvokeOptions {
  throttle?: ThrottleMode;
  /** Longest wait for a slot in 'queue' mode. */
  queueTimeoutMs?: number;
  /** The invocation's request id (context.awsRequestId); default a fresh UUID. */
  requestId?: string;
}

export interface RuntimeOptions {
  /**
   * Added to every function's environment (AWS_REGION, AWS_ENDPOINT_URL_*, credentials...).
   * The function's own environment wins over it; the variables Lambda reserves
   * (AWS_LAMBDA_FUNCTION_NAME, ...) are set by the runtime and win over both.
   */
  baseEnv?: Record<string, string>;
  /** Directories watched (recursively) for hot reload, e.g. functions/ and layers/. */
  watch?: string[];
  /**
   * Receives every line a function writes, untouched (JSON lines stay valid JSON), with the
   * function id; the runtime's own lines (reloads, build errors) come with id RUNTIME_LOG_ID.
   * Default: see defaultLog in log-sink.ts.
   */
  log?(fn: string, line: string, stream?: OutputStream): void;
  /** Concurrency of functions without reservedConcurrency. Default 10. */
  maxConcurrencyDefault?: number;
  /** Default throttle mode of invoke(). Default 'queue'. */
  throttle?: ThrottleMode;
  /** Default longest wait for a slot in 'queue' mode. Default 3000 ms. */
  queueTimeoutMs?: number;
  /**
   * The same for a function without reservedConcurrency. AWS would not throttle it (its
   * account's quota is 1,000 at once); its local concurrency is only this machine's limit,
   * so a burst waits for an environment instead of being refused. Default 30,000 ms, past
   * the 29 s integration timeout of the APIs that call it.
   */
  unreservedQueueTimeoutMs?: number;
  /** A warm worker idle this long is retired (next invocation is a cold start). Default 5 min. */
  idleTimeoutMs?: number;
  /** Longest module initialisation (cold start) of a function. Default 10 s, like Lambda. */
  initTimeoutSeconds?: number;
  /** Quiet period after a file change before rebuilding. Default 100 ms. */
  debounceMs?: number;
  /**
   * HTTPS endpoints of the application's APIs (as AWS names them, or as the event's
   * domainName gives them) and the local servers that answer for them; a function's
   * requests to them are routed there (endpoint-aliases.ts).
   */
  endpointAliases?: EndpointAlias[];
  /** Where bundles are written; default a fresh temporary directory, removed by close(). */
  outDir?: string;
}

export interface FunctionStats {
  /** Invocations that got a slot (throttled ones are not counted, as in CloudWatch). */
  invocations: number;
  /** Invocations that ended in an error: thrown, timed out, crashed, failed init, injected. */
  errors: number;
  throttles: number;
  /** Invocations running now. */
  concurrent: number;
  coldStarts: number;
}

export interface FaultInjector {
  /**
   * Make the function's next `count` invocations fail as if the handler threw `message`;
   * with `afterMs`, they run and their environment crashes that long after they started
   * (Runtime.ExitError): the work done by then stays done.
   */
  failNext(id: string, count: number, message?: string, afterMs?: number): void;
  clear(): void;
}

export interface LambdaRuntime {
  /**
   * Resolves to the handler's result (after a JSON round trip, as Lambda returns it);
   * rejects with a LambdaInvokeError whose name and message mirror Lambda's.
   */
  invoke(id: string, event: unknown, options?: InvokeOptions): Promise<unknown>;
  /** Rebuild; functions whose bundle changed get new workers, in-flight ones finish on old code. */
  reload(): Promise<void>;
  stats(id: string): FunctionStats;
  faults: FaultInjector;
  /** Terminate workers, watchers and builders; no handle is left. */
  close(): Promise<void>;
}
