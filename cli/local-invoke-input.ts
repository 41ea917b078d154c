/** What `roomcast local invoke` reads before it runs anything: the event and the --env-vars file. */
import { readFile } from 'node:fs/promises';
import { EnvVarsError, parseEnvVars, type EnvVarsFile } from '@roomcast/local';
import { UsageError } from './errors.js';

/** Where the event comes from: a file, stdin (`-e -`), or nowhere (`{}`, as SAM invokes without --event). */
export type EventSource = { kind: 'file'; path: string } | { kind: 'stdin' } | { kind: 'none' };

export function eventSource(event: string | undefined, noEvent: boolean | undefined): EventSource {
  if (noEvent && event !== undefined) throw new UsageError('--event and --no-event: give one of them');
  if (event === undefined) return { kind: 'none' };
  return event === '-' ? { kind: 'stdin' } : { kind: 'file', path: event };
}

export async function readEvent(source: EventSource, readStdin: () => Promise<string>): Promise<unknown> {
  if (source.kind === 'none') return {};
  const where = source.kind === 'stdin' ? 'the event on stdin' : `--event ${source.path}`;
  const text = source.kind === 'stdin' ? await readStdin() : await readText(source.path, '--event');
  if (text.trim() === '') throw new UsageError(`${where} is empty: give one JSON value`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not JSON (${(error as Error).message})`);
  }
}

export async function readEnvVars(path: string | undefined): Promise<EnvVarsFile | undefined> {
  if (path === undefined) return undefined;
  try {
    return parseEnvVars(await readText(path, '--env-vars'));
  } catch (error) {
    if (error instanceof EnvVarsError) throw new UsageError(`--env-vars ${path}: ${error.message}`);
    throw error;
  }
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
