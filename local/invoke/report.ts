/**
 * What `sam local invoke` prints around an invocation, on stderr: the `Invoking` line, then
 * Lambda's START, END and REPORT lines; and, on stdout, the payload of a function error.
 */
import type { LambdaInvokeError } from '../lambda/index.js';

export interface InvocationReport {
  requestId: string;
  durationMs: number;
  memoryMb: number;
}

/** The payload Lambda answers for a function error (Node.js runtime): errorType, errorMessage, trace. */
export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export function invokingLine(fn: { handlerSpec: string; runtime?: string }): string {
  return `Invoking ${fn.handlerSpec} (${fn.runtime ?? 'nodejs'})`;
}

export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

/** END and REPORT, tab-separated as Lambda writes REPORT; the duration includes a cold start's init. */
export function endLines({ requestId, durationMs, memoryMb }: InvocationReport): string[] {
  const duration = `${durationMs.toFixed(2)} ms`;
  return [`END RequestId: ${requestId}`, `REPORT RequestId: ${requestId}\tDuration: ${duration}\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${memoryMb} MB`];
}

export function errorPayload(error: LambdaInvokeError): ErrorPayload {
  return { errorType: error.errorType, errorMessage: error.message, trace: error.trace };
}
