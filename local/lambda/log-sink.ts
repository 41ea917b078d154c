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
 * The default destination of function output, chosen so that every line says which
 * function wrote it and structured logs stay machine-readable:
 * - a plain line is written as `[FunctionId] line`;
 * - a JSON object line (Powertools) stays one valid JSON object: `"fn":"FunctionId"` is
 *   spliced in as its first key (the rest of the line is kept byte for byte), unless the
 *   object already has an `fn` key, in which case the line is written untouched.
 * stdout lines go to process.stdout, stderr lines to process.stderr.
 */
export function defaultLog(fn: string, line: string, stream: OutputStream = 'stdout'): void {
  const target = stream === 'stderr' ? process.stderr : process.stdout;
  target.write(`${formatLine(fn, line)}\n`);
}

export function formatLine(fn: string, line: string): string {
  const object = jsonObject(line);
  if (!object) return `[${fn}] ${line}`;
  if (Object.hasOwn(object, 'fn')) return line;
  const start = line.indexOf('{');
  const body = line.slice(start + 1);
  const separator = body.trimStart().startsWith('}') ? '' : ',';
  return `${line.slice(0, start)}{"fn":${JSON.stringify(fn)}${separator}${body}`;
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
