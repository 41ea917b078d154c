/** Messages between the runtime and one function worker. Types only: the worker bundles it. */
import type { EndpointAlias } from './endpoint-aliases.js';
import type { OutputStream } from './types.js';

/** workerData of a function worker: what it needs to load the code and build `context`. */
export interface WorkerConfig {
  /** file: URL of the function's bundle. */
  codeUrl: string;
  handler: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** HTTPS endpoints of the local application's APIs and the local servers that answer for them. */
  endpointAliases: EndpointAlias[];
}

/** An error as Lambda reports it (errorType, errorMessage), plus the stack. */
export interface SerializedError {
  errorType: string;
  errorMessage: string;
  stack?: string;
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  /** The event as JSON text, as Lambda hands it to the runtime. */
  event: string;
  /** Epoch milliseconds after which the invocation times out. */
  deadline: number;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'output'; stream: OutputStream; text: string }
  | { type: 'result'; requestId: string; payload: string }
  | { type: 'error'; requestId: string; error: SerializedError }
  /** Uncaught exception or unhandled rejection: the environment must be discarded. */
  | { type: 'crash'; error: SerializedError };
