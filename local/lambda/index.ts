/** The local Lambda runtime: runs the template's functions in worker threads, with the same handlers. */
export { createLambdaRuntime } from './runtime.js';
export { LambdaInvokeError } from './errors.js';
export { defaultLog, formatLine, RUNTIME_LOG_ID } from './log-sink.js';
export type { EndpointAlias } from './endpoint-aliases.js';
export type {
  FaultInjector,
  FunctionSpec,
  FunctionStats,
  InvokeOptions,
  LambdaRuntime,
  OutputStream,
  RuntimeOptions,
  ThrottleMode,
} from './types.js';
