/**
 * The CLI's two kinds of failure, their exit codes, and how any error becomes one line:
 * the same for every `roomcast` command, `roomcast dev` included.
 */

/** 0: done; 1: the command failed; 2: the command line is wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command line cannot be used as it is (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command could not do its work (exit 1); the message is what the user reads. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof UsageError ? EXIT.usage : EXIT.failure;
}

/** One line: an error's code (when it has one) and message, with line breaks folded. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const own = error instanceof UsageError || error instanceof CliError;
  const prefix = typeof code === 'string' && !own && !text.includes(code) ? `${code}: ` : '';
  return `${prefix}${text}`.replace(/\s*\n\s*/g, ' ').trim();
}

/** What a failed `roomcast <command>` prints on stderr (a usage error points to --help), and its exit code. */
export function failureOf(command: string, error: unknown): { code: ExitCode; line: string } {
  const code = exitCodeOf(error);
  const hint = code === EXIT.usage ? ` (roomcast ${command} --help)` : '';
  return { code, line: `roomcast ${command}: ${oneLine(error)}${hint}\n` };
}
