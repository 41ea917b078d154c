/** Turning function output into attributable lines. */
import type { OutputStream } from './types.js';

/** The id the runtime's own lines (reloads, build errors) are logged under. */
export const RUNTIME_LOG_ID = 'lambda';

export type LogFn = (fn: string, line: string, stream?: OutputStream) => void;

/** Splits a stream of text chunks into lines; `flush` emits a last unterminated line. */
export class LineSplitter {
  private rest = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(text: string): void {
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop() ?? '';
    for (const part of parts) this.emit(part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  flush(): void {
    if (this.rest) this.emit(this.rest);
    this.rest = '';
  }
}

/**
 * The default destination of function output:
 * - a plain line is written as `[FunctionId] line`;
 * - a JSON object line (structured logs, as CloudWatch Logs keeps them) passes through
 *   untouched: roomcast's functions say who they are in it (`function_name`, from
 *   AWS_LAMBDA_FUNCTION_NAME, which the runtime sets per function).
 * stdout lines go to process.stdout, stderr lines to process.stderr.
 */
export function defaultLog(fn: string, line: string, stream: OutputStream = 'stdout'): void {
  const target = stream === 'stderr' ? process.stderr : process.stdout;
  target.write(`${formatLine(fn, line)}\n`);
}

export function formatLine(fn: string, line: string): string {
  return jsonObject(line) ? line : `[${fn}] ${line}`;
}

function jsonObject(line: string): Record<string, unknown> | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
