import { fileURLToPath } from 'node:url';
import type { FunctionSpec, OutputStream, RuntimeOptions } from '../../local/lambda/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A spec for one of the fixture handlers (file name without extension). */
export function fixture(id: string, file: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    id,
    entry: `${FIXTURES}${file}.ts`,
    handler: 'handler',
    environment: {},
    timeoutSeconds: 3,
    memoryMb: 128,
    ...overrides,
  };
}

export interface LoggedLine {
  fn: string;
  line: string;
  stream: OutputStream | undefined;
}

/** A log sink that remembers every line (and prints nothing). */
export function captureLogs(): { lines: LoggedLine[]; log: NonNullable<RuntimeOptions['log']> } {
  const lines: LoggedLine[] = [];
  return { lines, log: (fn, line, stream) => void lines.push({ fn, line, stream }) };
}

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
