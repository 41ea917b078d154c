import { substitute } from './sub.js';
import { TemplateError, type Json, type JsonObject } from './types.js';

/** What `Ref: AWS::NoValue` evaluates to: the enclosing key or list item disappears. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Value = Json | typeof NO_VALUE;

/** What intrinsic functions need from the template around them. */
export interface Scope {
  region: string;
  /** Ref of a parameter, a pseudo parameter (except AWS::NoValue) or a resource. */
  ref(name: string, path: string): Json;
  getAtt(logicalId: string, attribute: string, path: string): Json;
  condition(name: string, path: string): boolean;
  findInMap(map: string, top: string, second: string, path: string): Json | undefined;
  importValue(name: string, path: string): Json;
}

type Fn = (arg: Json, scope: Scope, path: string) => Value;

const FUNCTIONS: Record<string, Fn> = {
  Ref: (arg, scope, path) => (arg === 'AWS::NoValue' ? NO_VALUE : scope.ref(text(arg, path), path)),
  'Fn::GetAtt': (arg, scope, path) => {
    const [logicalId, ...rest] = typeof arg === 'string' ? arg.split('.') : list(arg, path).map((item) => text(evaluate(item, scope, path), path));
    if (!logicalId || rest.length === 0) throw new TemplateError(`${path}: Fn::GetAtt needs "Resource.Attribute"`);
    return scope.getAtt(logicalId, rest.join('.'), path);
  },
  'Fn::Sub': (arg, scope, path) => {
    const [template, vars] = typeof arg === 'string' ? [arg, {}] : list(arg, path);
    const values: Record<string, Json> = {};
    for (const [name, value] of Object.entries(object(vars ?? {}, path))) values[name] = must(evaluate(value, scope, `${path}.${name}`), path);
    return substitute(text(template ?? '', path), values, scope, path);
  },
  'Fn::Join': (arg, scope, path) => {
    const [delimiter, items] = list(arg, path);
    const values = list(must(evaluate(items ?? [], scope, path), path), path);
    return values.map((item) => scalarText(item, path)).join(text(delimiter ?? '', path));
  },
  'Fn::Select': (arg, scope, path) => {
    const [index, items] = list(arg, path);
    const values = list(must(evaluate(items ?? [], scope, path), path), path);
    const at = Number(must(evaluate(index ?? 0, scope, path), path));
    const chosen = values[at];
    if (!Number.isInteger(at) || chosen === undefined) throw new TemplateError(`${path}: Fn::Select index ${at} is out of range (${values.length} items)`);
    return chosen;
  },
  'Fn::Split': (arg, scope, path) => {
    const [delimiter, source] = list(arg, path);
    return scalarText(must(evaluate(source ?? '', scope, path), path), path).split(text(delimiter ?? '', path));
  },
  'Fn::If': (arg, scope, path) => {
    const [name, whenTrue, whenFalse] = list(arg, path);
    const chosen = scope.condition(text(name ?? '', path), path) ? whenTrue : whenFalse;
    return evaluate(chosen ?? null, scope, path);
  },
  'Fn::Equals': (arg, scope, path) => {
    const [a, b] = list(arg, path).map((item) => canonical(evaluate(item, scope, path)));
    return a === b;
  },
  'Fn::Not': (arg, scope, path) => !evaluateCondition(list(arg, path)[0] ?? false, scope, path),
  'Fn::And': (arg, scope, path) => list(arg, path).every((item) => evaluateCondition(item, scope, path)),
  'Fn::Or': (arg, scope, path) => list(arg, path).some((item) => evaluateCondition(item, scope, path)),
  'Fn::FindInMap': (arg, scope, path) => {
    const [map, top, second, options] = list(arg, path);
    const key = (item: Json | undefined): string => scalarText(must(evaluate(item ?? '', scope, path), path), path);
    const found = scope.findInMap(key(map), key(top), key(second), path);
    if (found !== undefined) return found;
    const fallback = options && typeof options === 'object' && !Array.isArray(options) ? options.DefaultValue : undefined;
    if (fallback !== undefined) return evaluate(fallback, scope, path);
    throw new TemplateError(`${path}: Fn::FindInMap found no ${key(map)}.${key(top)}.${key(second)}`);
  },
  'Fn::GetAZs': (arg, scope, path) => {
    const region = scalarText(must(evaluate(arg, scope, path), path), path) || scope.region;
    return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
  },
  'Fn::ImportValue': (arg, scope, path) => scope.importValue(scalarText(must(evaluate(arg, scope, path), path), path), path),
  'Fn::Base64': (arg, scope, path) => Buffer.from(scalarText(must(evaluate(arg, scope, path), path), path), 'utf8').toString('base64'),
  'Fn::Length': (arg, scope, path) => list(must(evaluate(arg, scope, path), path), path).length,
  'Fn::ToJsonString': (arg, scope, path) => JSON.stringify(must(evaluate(arg, scope, path), path)),
  'Fn::Cidr': (_arg, _scope, path) => {
    throw new TemplateError(`${path}: Fn::Cidr is not supported locally`);
  },
};

/** The name of the intrinsic function a node is, if it is one. */
export function intrinsicName(node: Json): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  const [key] = keys;
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::')) ? key : undefined;
}

/** Evaluates every intrinsic function inside `node`. */
export function evaluate(node: Json, scope: Scope, path: string): Value {
  if (Array.isArray(node)) {
    const out: Json[] = [];
    node.forEach((item, index) => {
      const value = evaluate(item, scope, `${path}[${index}]`);
      if (value !== NO_VALUE) out.push(value);
    });
    return out;
  }
  if (node === null || typeof node !== 'object') return node;
  const name = intrinsicName(node);
  if (name !== undefined) {
    const fn = FUNCTIONS[name];
    if (!fn) throw new TemplateError(`${path}: unknown intrinsic function ${name}`);
    return fn(node[name] ?? null, scope, `${path}.${name}`);
  }
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(node)) {
    const value = evaluate(item, scope, `${path}.${key}`);
    if (value !== NO_VALUE) out[key] = value;
  }
  return out;
}

/** A condition: `{ Condition: name }`, a condition function, or a literal boolean. */
export function evaluateCondition(node: Json, scope: Scope, path: string): boolean {
  if (node !== null && typeof node === 'object' && !Array.isArray(node) && typeof node.Condition === 'string' && Object.keys(node).length === 1) {
    return scope.condition(node.Condition, path);
  }
  const value = evaluate(node, scope, path);
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new TemplateError(`${path}: a condition must evaluate to true or false, got ${JSON.stringify(value)}`);
}

export function must(value: Value, path: string): Json {
  if (value === NO_VALUE) throw new TemplateError(`${path}: AWS::NoValue cannot be used here`);
  return value;
}

export function scalarText(value: Json, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${path}: expected a string, got ${JSON.stringify(value)}`);
}

function text(value: Json | typeof NO_VALUE, path: string): string {
  return scalarText(must(value, path), path);
}

function list(value: Json, path: string): Json[] {
  if (!Array.isArray(value)) throw new TemplateError(`${path}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

function object(value: Json, path: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TemplateError(`${path}: expected a mapping`);
  return value;
}

/** CloudFormation compares values as strings: `1` equals `"1"`. */
function canonical(value: Value): string {
  if (value === NO_VALUE) return '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
