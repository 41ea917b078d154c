/**
 * Reads what the local cloud needs from `samconfig.toml` (environment `default`):
 * `stack_name`, `region` and `parameter_overrides`, from the `deploy` command's table or
 * the `global` one, as `sam deploy` would. A small TOML subset: tables, `key = value` with
 * strings, numbers, booleans and arrays of strings (also over several lines), comments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseParameterOverrides } from '../template/index.js';

export interface SamConfig {
  stackName?: string;
  region?: string;
  parameterOverrides: Record<string, string>;
}

type Value = string | number | boolean | string[];

export function readSamConfig(file: string): SamConfig {
  if (!existsSync(file)) return { parameterOverrides: {} };
  const tables = parseToml(readFileSync(file, 'utf8'), file);
  const pick = (key: string): Value | undefined => tables['default.deploy.parameters']?.[key] ?? tables['default.global.parameters']?.[key];
  const text = (key: string): string | undefined => {
    const value = pick(key);
    return value === undefined ? undefined : Array.isArray(value) ? value.join(' ') : String(value);
  };
  const overrides = text('parameter_overrides');
  const stackName = text('stack_name');
  const region = text('region');
  return {
    ...(stackName ? { stackName } : {}),
    ...(region ? { region } : {}),
    parameterOverrides: overrides ? parseParameterOverrides(overrides) : {},
  };
}

export function parseToml(source: string, file = 'samconfig.toml'): Record<string, Record<string, Value>> {
  const tables: Record<string, Record<string, Value>> = {};
  let current: Record<string, Value> = {};
  tables[''] = current;
  const lines = source.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    let line = stripComment(lines[index] ?? '').trim();
    if (line === '') continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header?.[1]) {
      current = tables[header[1].trim()] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${file}:${index + 1}: expected key = value`);
    const key = line.slice(0, eq).trim().replace(/^"(.*)"$/, '$1');
    let value = line.slice(eq + 1).trim();
    while (value.startsWith('[') && !value.endsWith(']') && index + 1 < lines.length) {
      index += 1;
      line = stripComment(lines[index] ?? '').trim();
      value += ` ${line}`;
    }
    current[key] = parseValue(value, `${file}:${index + 1}`);
  }
  return tables;
}

function parseValue(raw: string, where: string): Value {
  if (raw.startsWith('[')) {
    const inner = raw.slice(1, -1).trim();
    return inner === '' ? [] : splitItems(inner).map((item) => String(parseValue(item, where)));
  }
  if (raw.startsWith('"')) return unquote(raw, '"', where).replace(/\\(["\\])/g, '$1');
  if (raw.startsWith("'")) return unquote(raw, "'", where);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^[-+]?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  throw new Error(`${where}: cannot read value ${raw}`);
}

function unquote(raw: string, quote: string, where: string): string {
  if (raw.length < 2 || !raw.endsWith(quote)) throw new Error(`${where}: unterminated string`);
  return raw.slice(1, -1);
}

/** Items of an array body, split on commas outside quotes. */
function splitItems(inner: string): string[] {
  const items: string[] = [];
  let start = 0;
  for (const comma of unquotedIndexes(inner, ',')) {
    items.push(inner.slice(start, comma).trim());
    start = comma + 1;
  }
  items.push(inner.slice(start).trim());
  return items.filter((item) => item !== '');
}

/** The line without a `#` comment (a `#` inside a string stays). */
function stripComment(line: string): string {
  const hash = unquotedIndexes(line, '#')[0];
  return hash === undefined ? line : line.slice(0, hash);
}

/** Where `char` occurs in `text` outside quoted strings. */
function unquotedIndexes(text: string, char: string): number[] {
  const found: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const current = text[i];
    if (quote) {
      if (current === '\\' && quote === '"') i += 1;
      else if (current === quote) quote = undefined;
    } else if (current === '"' || current === "'") quote = current;
    else if (current === char) found.push(i);
  }
  return found;
}
