import type { FilterCriteria } from './types.js';

/**
 * Lambda event filtering (the subset SAM templates use): a pattern is a JSON object whose
 * leaves are arrays of rules; a record matches when every key of the pattern matches, and a
 * leaf matches when any of its rules does. Rules: exact values (string, number, boolean,
 * null), `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (a value, a list, or a
 * `prefix`/`suffix`), `exists`, `numeric` (`=`, `<`, `<=`, `>`, `>=`, one or two
 * comparisons). `numeric` also reads a numeric string, so it works on DynamoDB `N` values.
 * A record field holding an array matches when any element does.
 */
export class FilterPatternError extends Error {
  override name = 'FilterPatternError';
}

type Fields = Record<string, unknown>;
type Predicate = (record: object) => boolean;

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);
const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function matchesFilter(pattern: object, record: object): boolean {
  return matchFields(pattern as Fields, record);
}

/** Parses and checks `FilterCriteria`; undefined when there is nothing to filter. */
export function compileFilterCriteria(criteria: FilterCriteria | undefined): Predicate | undefined {
  if (!criteria || criteria.Filters.length === 0) return undefined;
  const patterns = criteria.Filters.map(({ Pattern }) => parsePattern(Pattern));
  return (record) => patterns.some((pattern) => matchFields(pattern, record));
}

export function parsePattern(text: string): Fields {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch (error) {
    throw new FilterPatternError(`filter pattern is not JSON: ${text}`, { cause: error });
  }
  if (!isFields(pattern)) throw new FilterPatternError(`filter pattern must be a JSON object: ${text}`);
  checkFields(pattern, '');
  return pattern;
}

function checkFields(pattern: Fields, path: string): void {
  for (const [key, sub] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (Array.isArray(sub)) sub.forEach((rule) => checkRule(rule, at));
    else if (isFields(sub)) checkFields(sub, at);
    else throw new FilterPatternError(`filter pattern: ${at} must be an object or an array of rules`);
  }
}

function checkRule(rule: unknown, at: string): void {
  if (rule === null || ['string', 'number', 'boolean'].includes(typeof rule)) return;
  const [operator, operand] = operatorOf(rule, at);
  const fail = (why: string): never => {
    throw new FilterPatternError(`filter pattern: ${at}: ${operator} ${why}`);
  };
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string') fail('takes a string');
      return;
    case 'exists':
      if (typeof operand !== 'boolean') fail('takes true or false');
      return;
    case 'numeric':
      numericClauses(operand) ?? fail('takes [op, number] or [op, number, op, number]');
      return;
    case 'anything-but':
      if (isFields(operand)) {
        const [inner, value] = operatorOf(operand, at);
        if ((inner !== 'prefix' && inner !== 'suffix') || typeof value !== 'string') fail('takes values, a prefix or a suffix');
      } else if (Array.isArray(operand)) {
        if (!operand.every(isScalar)) fail('takes a list of strings or numbers');
      } else if (!isScalar(operand)) fail('takes a value or a list');
      return;
    default:
      throw new FilterPatternError(`filter pattern: ${at}: unsupported rule ${JSON.stringify(rule)}`);
  }
}

function matchFields(pattern: Fields, value: unknown): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    const field = isFields(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    if (Array.isArray(sub)) {
      if (!sub.some((rule) => matchRule(rule, field))) return false;
    } else if (isFields(sub)) {
      const matched = Array.isArray(field) ? field.some((item) => matchFields(sub, item)) : matchFields(sub, field);
      if (!matched) return false;
    } else {
      return false;
    }
  }
  return true;
}

function matchRule(rule: unknown, field: unknown): boolean {
  if (isFields(rule) && Object.hasOwn(rule, 'exists')) return rule.exists === (field !== undefined);
  if (field === undefined) return false;
  if (Array.isArray(field)) return field.some((item) => matchValue(rule, item));
  return matchValue(rule, field);
}

function matchValue(rule: unknown, value: unknown): boolean {
  if (!isFields(rule)) return rule === value;
  const [operator, operand] = operatorOf(rule, '');
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand);
    case 'suffix':
      return typeof value === 'string' && typeof operand === 'string' && value.endsWith(operand);
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof operand === 'string' && value.toLowerCase() === operand.toLowerCase();
    case 'numeric':
      return matchNumeric(operand, value);
    case 'anything-but':
      if (isFields(operand)) return typeof value === 'string' && !matchValue(operand, value);
      return !(Array.isArray(operand) ? operand : [operand]).some((excluded) => excluded === value);
    default:
      return false;
  }
}

function matchNumeric(operand: unknown, value: unknown): boolean {
  const clauses = numericClauses(operand);
  const number = typeof value === 'number' ? value : typeof value === 'string' && NUMBER_TEXT.test(value) ? Number(value) : NaN;
  if (!clauses || Number.isNaN(number)) return false;
  return clauses.every(([op, limit]) => {
    switch (op) {
      case '=':
        return number === limit;
      case '<':
        return number < limit;
      case '<=':
        return number <= limit;
      case '>':
        return number > limit;
      default:
        return number >= limit;
    }
  });
}

function numericClauses(operand: unknown): Array<[string, number]> | undefined {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) return undefined;
  const clauses: Array<[string, number]> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op: unknown = operand[i];
    const limit: unknown = operand[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op) || typeof limit !== 'number') return undefined;
    clauses.push([op, limit]);
  }
  return clauses;
}

function operatorOf(rule: unknown, at: string): [string, unknown] {
  const entries = isFields(rule) ? Object.entries(rule) : [];
  const only = entries.length === 1 ? entries[0] : undefined;
  if (!only) throw new FilterPatternError(`filter pattern: ${at}: a rule object has exactly one operator: ${JSON.stringify(rule)}`);
  return only;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number';
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
