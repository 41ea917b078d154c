/** The errors invoke() rejects with, shaped like what Lambda's Invoke API reports. */
import type { SerializedError } from './protocol.js';

export interface LambdaInvokeErrorInit extends SerializedError {
  functionId: string;
  requestId?: string;
  /** HTTP status of the Invoke call: 200 for function errors, 429 throttled, 404 unknown. */
  statusCode?: number;
  /** Lambda's Reason field of service errors, e.g. ReservedFunctionConcurrentInvocationLimitExceeded. */
  reason?: string;
}

/**
 * `name` is Lambda's errorType ('Sandbox.Timedout', 'TooManyRequestsException', or the
 * handler's own error name), `message` its errorMessage, `stack` the worker's stack
 * (source-mapped to the TypeScript sources).
 */
export class LambdaInvokeError extends Error {
  readonly errorType: string;
  readonly functionId: string;
  readonly requestId: string | undefined;
  readonly statusCode: number;
  readonly reason: string | undefined;
  /** Lambda's X-Amz-Function-Error: set for errors of the function, not of the service. */
  readonly functionError: 'Unhandled' | undefined;
  /** The stack as Lambda's `trace` array. */
  readonly trace: string[];

  constructor(init: LambdaInvokeErrorInit) {
    super(init.errorMessage);
    this.name = init.errorType;
    this.errorType = init.errorType;
    this.functionId = init.functionId;
    this.requestId = init.requestId;
    this.statusCode = init.statusCode ?? 200;
    this.reason = init.reason;
    this.functionError = this.statusCode === 200 ? 'Unhandled' : undefined;
    this.stack = init.stack ?? `${init.errorType}: ${init.errorMessage}`;
    this.trace = init.stack ? init.stack.split('\n') : [];
  }
}

export function timeoutError(seconds: number): SerializedError {
  return { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds.toFixed(2)} seconds` };
}

export function exitError(requestId: string, code: number): SerializedError {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
  };
}

export function outOfMemoryError(requestId: string): SerializedError {
  return {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  };
}

export function throttleError(functionId: string): LambdaInvokeError {
  return new LambdaInvokeError({
    functionId,
    errorType: 'TooManyRequestsException',
    errorMessage: 'Rate Exceeded.',
    statusCode: 429,
    reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
  });
}

export function notFoundError(functionId: string): LambdaInvokeError {
  return new LambdaInvokeError({
    functionId,
    errorType: 'ResourceNotFoundException',
    errorMessage: `Function not found: ${functionId}`,
    statusCode: 404,
  });
}

export function closedError(functionId: string): LambdaInvokeError {
  return new LambdaInvokeError({
    functionId,
    errorType: 'ServiceException',
    errorMessage: 'The local Lambda runtime is closed',
    statusCode: 500,
  });
}

/** Any thrown value as Lambda reports it: the error's name and message, or typeof and String(). */
export function serializeError(value: unknown): SerializedError {
  if (value instanceof Error) {
    return { errorType: value.name || 'Error', errorMessage: value.message, ...(value.stack ? { stack: value.stack } : {}) };
  }
  if (typeof value === 'object' && value !== null && 'message' in value) {
    const { name, message, stack } = value as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      errorType: typeof name === 'string' && name ? name : 'Error',
      errorMessage: String(message),
      ...(typeof stack === 'string' ? { stack } : {}),
    };
  }
  return { errorType: typeof value, errorMessage: String(value) };
}
