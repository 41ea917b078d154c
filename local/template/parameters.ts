import { TemplateError, type Json, type JsonObject, type ParameterValue } from './types.js';

export interface PseudoParameters {
  'AWS::Region': string;
  'AWS::AccountId': string;
  'AWS::StackName': string;
  'AWS::StackId': string;
  'AWS::Partition': string;
  'AWS::URLSuffix': string;
  'AWS::NotificationARNs': string[];
}

export function pseudoParameters(stackName: string, region: string, accountId: string): PseudoParameters {
  return {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::StackName': stackName,
    'AWS::StackId': `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NotificationARNs': [],
  };
}

/** Values of the template's parameters: overrides, else defaults; checked against their constraints. */
export function resolveParameters(
  declared: Json | undefined,
  overrides: Record<string, ParameterValue>,
  warnings: string[],
): Record<string, string | string[]> {
  const specs = (declared ?? {}) as Record<string, JsonObject>;
  const values: Record<string, string | string[]> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const path = `Parameters.${name}`;
    const type = typeof spec.Type === 'string' ? spec.Type : 'String';
    const given = overrides[name];
    const raw = given !== undefined ? given : spec.Default;
    if (raw === undefined || raw === null) {
      throw new TemplateError(`${path}: no value (no Default); pass it as a parameter override`);
    }
    const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
    const items = isList ? toList(raw) : [toText(raw, path)];
    for (const item of items) check(item, spec, type, path);
    if (type.startsWith('AWS::SSM::Parameter::Value<')) {
      warnings.push(`${path}: ${type} is read from SSM on AWS; locally its value is the parameter name ${JSON.stringify(items.join(','))} (override it to set a value)`);
    }
    values[name] = isList ? items : (items[0] ?? '');
  }
  for (const name of Object.keys(overrides)) {
    if (!(name in specs)) warnings.push(`Parameters.${name}: override given but the template declares no such parameter (ignored)`);
  }
  return values;
}

function toList(raw: ParameterValue | Json): string[] {
  if (Array.isArray(raw)) return raw.map((item) => String(item));
  const text = String(raw);
  return text === '' ? [] : text.split(',').map((item) => item.trim());
}

function toText(raw: ParameterValue | Json, path: string): string {
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw new TemplateError(`${path}: expected a single value, got ${JSON.stringify(raw)}`);
}

function check(value: string, spec: JsonObject, type: string, path: string): void {
  const fail = (why: string): never => {
    throw new TemplateError(`${path}: ${JSON.stringify(value)} ${why}`);
  };
  if ((type === 'Number' || type === 'List<Number>') && (value.trim() === '' || !Number.isFinite(Number(value)))) fail('is not a number');
  const allowed = spec.AllowedValues;
  if (Array.isArray(allowed) && !allowed.map(String).includes(value)) fail(`is not one of ${allowed.map(String).join(', ')}`);
  if (typeof spec.AllowedPattern === 'string' && !new RegExp(`^(?:${spec.AllowedPattern})$`).test(value)) {
    fail(`does not match ${spec.AllowedPattern}${typeof spec.ConstraintDescription === 'string' ? ` (${spec.ConstraintDescription})` : ''}`);
  }
  if (spec.MinLength !== undefined && value.length < Number(spec.MinLength)) fail(`is shorter than ${String(spec.MinLength)}`);
  if (spec.MaxLength !== undefined && value.length > Number(spec.MaxLength)) fail(`is longer than ${String(spec.MaxLength)}`);
  if (spec.MinValue !== undefined && Number(value) < Number(spec.MinValue)) fail(`is less than ${String(spec.MinValue)}`);
  if (spec.MaxValue !== undefined && Number(value) > Number(spec.MaxValue)) fail(`is more than ${String(spec.MaxValue)}`);
}

/**
 * Parses `sam deploy --parameter-overrides` text: `Key=Value Other="with spaces"`, and the
 * long form `ParameterKey=Key,ParameterValue=Value`.
 */
export function parseParameterOverrides(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const token of tokens(text)) {
    const long = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(token);
    if (long?.[1] !== undefined) {
      out[long[1]] = long[2] ?? '';
      continue;
    }
    const eq = token.indexOf('=');
    if (eq <= 0) throw new TemplateError(`parameter override ${JSON.stringify(token)} is not Key=Value`);
    out[token.slice(0, eq)] = token.slice(eq + 1);
  }
  return out;
}

function tokens(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  let started = false;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) out.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote) throw new TemplateError(`parameter overrides: unclosed quote in ${JSON.stringify(text)}`);
  if (started) out.push(current);
  return out;
}
