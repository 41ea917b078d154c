/** The command line of one command: options, positionals and numbers, or a one-line UsageError. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** `-h`/`--help`, which every command takes (before a `--`, it wins over everything else). */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** An options config from names: options that take a value, and flags (booleans). */
export function optionsOf<const S extends readonly string[], const F extends readonly string[]>(
  valued: S,
  flags: F,
): { [K in S[number]]: { type: 'string' } } & { [K in F[number]]: { type: 'boolean' } } {
  const config: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const name of valued) config[name] = { type: 'string' };
  for (const name of flags) config[name] = { type: 'boolean' };
  return config as { [K in S[number]]: { type: 'string' } } & { [K in F[number]]: { type: 'boolean' } };
}

export interface Positionals {
  /** Required positionals, in order, as the usage line names them (`room`, `json|-`). */
  names: readonly string[];
  /** The last name takes one or more values (`<room...>`). */
  variadic?: boolean;
}

export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** node:util's parseArgs (strict), its errors shortened to one line, and the positionals counted. */
export function parseCommandLine<const O extends OptionsConfig>(argv: string[], options: O, positionals: Positionals) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseErrorLine(error));
  }
  const { names, variadic = false } = positionals;
  const given = parsed.positionals;
  const missing = names[given.length];
  if (missing !== undefined) throw new UsageError(`missing <${missing}${variadic && given.length === names.length - 1 ? '...' : ''}>`);
  const extra = given[names.length];
  if (!variadic && extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  return parsed;
}

function parseErrorLine(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  const quoted = /'([^']*)'/.exec(text)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const hint = /^-\d/.test(quoted) ? ` (a negative number as JSON goes after "--": -- ${quoted})` : '';
    return `unknown option ${quoted}${hint}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = quoted.replace(/ <value>$/, '');
    if (/does not take/.test(text)) return `${flag} takes no value`;
    return /ambiguous/.test(text) ? `${flag} needs a value (one that starts with "-" goes as ${flag}=-...)` : `${flag} needs a value`;
  }
  return text.split('\n')[0] ?? text;
}

/** An integer option from `min` to `max`; undefined when not given. */
export function integerOption(raw: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag} must be a whole number ${range}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A number (fractions allowed) from `min` to `max`; undefined when not given. */
export function numberOption(raw: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag} must be a number ${range}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Room patterns or names as one argument: separated by commas and/or spaces. */
export function listOption(raw: string, flag: string): string[] {
  const items = raw.split(/[\s,]+/).filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`--${flag} needs at least one value`);
  return items;
}
