import { execute, type Command, type Env } from '../../cli/command.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with captured output and no network (only usage errors and help get this far). */
export async function runCommand<P>(command: Command<P>, argv: string[], env: Env = {}): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const code = await execute(command, argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    readStdin: () => Promise.resolve(''),
    env,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}
